"""The fold (SCF -> PCF) of esma_sympy commit e587b60, kept only as the benchmark baseline.

This is a minimal, self-contained copy of the previous SymPy-based fold path
(``esma_sympy/transforms/{fold,_eliminate,equivalence,_rational}.py`` at commit e587b60):
``fold``, ``fold_candidates``, ``_fold_walk``, ``eliminate``, ``absorb_diagonal``, ``cost``,
``inflate``, ``normalizing_constant`` and ``_fl_common_factor``.  It imports only SymPy,
python-flint and the stable classes ``esma_sympy.cf.pcf.PCF``, ``esma_sympy.cf.scf.SCF`` and
``esma_sympy.cf.quasipolynomial.QuasiPolynomial``.  It is not part of the package and is used
only by ``benchmarks/bench_fold.py``; note that its default is ``exact_value=True`` (the
default at e587b60).  Do not use it anywhere else.
"""

from .fold import Fold, fold, fold_candidates

__all__ = ["Fold", "fold", "fold_candidates"]
