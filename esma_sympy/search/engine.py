"""The ESMA search engine, split by job (this module re-exports the names of the old
single module, so ``esma_sympy.search.engine.plan_search`` and the like keep working):

- :mod:`esma_sympy.search.plan`: the constant checked, the parameters validated, the work
  units, the order of conjectures;
- :mod:`esma_sympy.search.patterns`: the space of sign patterns (enumerate, count, chunk, key);
- :mod:`esma_sympy.search.run`: one work unit run (expansions, the Massey filter);
- :mod:`esma_sympy.search.approve`: approval of the survivors and the conjectures;
- :mod:`esma_sympy.search.bounds`: the proven digit bound (cylinder bound, theory T5.3).
"""

from __future__ import annotations

from .plan import (ENGINE_VERSION, SearchPlan, UnitResult, WorkUnit, _check_magnitude, _named,
                   _parse, plan_search, prepare_constant, sort_key)  # noqa: F401
from .run import (_ImageTerms, _JIT_MIN_WORK, _SAFE_STATE, _SAFE_TERMS, _SIMPLE_CACHE,
                  _SimpleTerms, _concat_parts, _expand_rows, _expand_sources,
                  _general_classes, _horner, _max_term, _mobius_between, _padded, _phased,
                  _plan_work, _plane, _run_unit, _simple_terms, merge_results, run_unit)  # noqa: F401
from .approve import (_GROUPS, _approve, _approve_rows, _exact_holds_batch, _fit_rows_numpy,
                      _lift_batch, _lows, _make_conjecture, _members_cached, _members_flat,
                      _mobius_classes, _no_gc, _positions, _sorted_unique, _tail_semiregular)  # noqa: F401
from .bounds import (_FLOAT_SAFE, _digits_batch, _float_quotients)  # noqa: F401

__all__ = ["prepare_constant", "plan_search", "run_unit", "merge_results", "SearchPlan",
           "WorkUnit", "UnitResult"]
