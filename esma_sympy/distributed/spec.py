"""Shipping a search plan to workers: a small picklable spec, rebuilt (once) on each worker.

Explanation
===========

A :class:`~esma_sympy.search.SearchPlan` carries its whole LHS list (thousands of entries for
``lhs_degree=2``).  Instead of sending it with every work unit, a task carries a
:class:`PlanSpec`: the plan's parameters, its unit sizes, the esma_sympy version and a
fingerprint of the plan.  A worker rebuilds the plan with
:func:`~esma_sympy.search.plan_search` the first time it sees a spec and caches it
(:func:`plan_from_spec`), so a worker restarted after a crash simply rebuilds it again.  The
rebuilt plan is compared with the fingerprint, so a worker whose enumeration differs (another
esma_sympy version, say) fails loudly instead of computing a different search (theory T7.1).

Plans whose parameters do not round-trip through :func:`~esma_sympy.search.plan_search`
(a constant whose text the whitelist parser does not read back, for example) are shipped whole
inside the spec instead; this is slower but equally correct.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import dataclass
from functools import lru_cache

from sympy import srepr

__all__ = ["PlanSpec", "plan_spec", "plan_from_spec", "plan_fingerprint", "run_unit_task"]


def _version() -> str:
    from .. import __version__

    return __version__


def plan_fingerprint(plan) -> str:
    """A SHA-256 digest of everything that decides a plan's work units and their results.

    It covers the parameters, the exact constant (``srepr``), the LHS list in order and the
    unit sizes.

    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> a = plan_search(E, coeff_limit=1, max_period=2)
    >>> plan_fingerprint(a) == plan_fingerprint(plan_search(E, coeff_limit=1, max_period=2))
    True
    >>> plan_fingerprint(a) == plan_fingerprint(plan_search(E, coeff_limit=1, max_period=3))
    False
    """
    h = hashlib.sha256()
    h.update(json.dumps(plan.params, sort_keys=True).encode())
    h.update(srepr(plan.constant).encode())
    h.update(repr([(tuple(v.num), tuple(v.den)) for v in plan.lhs_list]).encode())
    h.update(repr((plan.lhs_chunk, plan.pattern_chunk)).encode())
    return h.hexdigest()


@dataclass(frozen=True)
class PlanSpec:
    """What a worker needs to rebuild a plan: parameters (JSON), unit sizes, version and
    fingerprint; ``plan`` holds the whole plan only when it cannot be rebuilt from them.

    Hashable, so that :func:`plan_from_spec` can cache per worker process.

    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> plan = plan_search(E, coeff_limit=1, max_period=2)
    >>> plan_from_spec(plan_spec(plan)).key == plan.key
    True
    """

    params: str
    lhs_chunk: int
    pattern_chunk: int
    version: str
    fingerprint: str
    plan: object = None

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    @property
    def token(self) -> str:
        """A short identifier of the plan (used in task keys)."""
        return self.fingerprint[:16]


def _rebuild(params: dict, lhs_chunk: int, pattern_chunk: int):
    from ..search import plan_search

    return plan_search(params["constant"], lhs_degree=params["lhs_degree"],
                       coeff_limit=params["coeff_limit"], min_period=params["min_period"],
                       max_period=params["max_period"], depth=params["depth"],
                       complexity_limit=params["complexity_limit"],
                       verify_digits=params["verify_digits"], lhs=params["lhs"],
                       lhs_chunk=lhs_chunk, pattern_chunk=pattern_chunk)


def plan_spec(plan) -> PlanSpec:
    """The spec of ``plan`` that workers rebuild it from.

    The rebuild is tried once here, on the driver: if it does not reproduce ``plan`` exactly
    (same fingerprint), the spec carries the plan itself.

    Examples
    ========

    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> plan = plan_search(E, coeff_limit=1, max_period=3, lhs_chunk=4)
    >>> spec = plan_spec(plan)
    >>> spec.plan is None, spec.lhs_chunk, len(spec.token)
    (True, 4, 16)
    >>> plan_from_spec(spec).lhs_list == plan.lhs_list
    True
    """
    fp = plan_fingerprint(plan)
    params = json.dumps(plan.params, sort_keys=True)
    whole = None
    try:
        ok = plan_fingerprint(_rebuild(plan.params, plan.lhs_chunk, plan.pattern_chunk)) == fp
    except (ValueError, TypeError, KeyError):
        ok = False
    if not ok:
        whole = plan
    return PlanSpec(params, plan.lhs_chunk, plan.pattern_chunk, _version(), fp, whole)


@lru_cache(maxsize=8)
def plan_from_spec(spec: PlanSpec):
    """The plan of ``spec``, rebuilt and checked once per process (cached).

    Raises ``RuntimeError`` when this process runs another esma_sympy version than the driver,
    or when the rebuilt plan differs from the driver's (its fingerprint does not match).
    """
    if spec.version != _version():
        raise RuntimeError(f"esma_sympy {_version()} on this worker, but the driver runs "
                           f"{spec.version}: install the same version everywhere")
    if spec.plan is not None:
        plan = spec.plan
    else:
        plan = _rebuild(json.loads(spec.params), spec.lhs_chunk, spec.pattern_chunk)
    if plan_fingerprint(plan) != spec.fingerprint:
        raise RuntimeError("the plan rebuilt on this worker differs from the driver's "
                           f"(fingerprint {spec.token}...): different esma_sympy installations?")
    return plan


def run_unit_task(spec: PlanSpec, unit, packed: bool = False):
    """The task a worker runs: :func:`~esma_sympy.search.run_unit` on the plan of ``spec``.

    With ``packed=True`` the :class:`~esma_sympy.search.UnitResult` is returned pickled
    (``bytes``): Dask then ships one opaque frame, and the driver unpickles it with plain
    :mod:`pickle`, which costs it about a third of Dask's own deserialisation of hundreds of
    conjectures (the driver's CPU is shared by all workers' results).

    >>> from sympy import E
    >>> from esma_sympy.search import plan_search, run_unit
    >>> plan = plan_search(E, coeff_limit=1, max_period=2, depth=40)
    >>> unit = next(plan.units())
    >>> len(run_unit_task(plan_spec(plan), unit).conjectures) == len(run_unit(plan, unit).conjectures)
    True
    >>> import pickle
    >>> pickle.loads(run_unit_task(plan_spec(plan), unit, packed=True)).unit == unit
    True
    """
    from ..search import run_unit

    result = run_unit(plan_from_spec(spec), unit)
    return pickle.dumps(result, protocol=5) if packed else result
