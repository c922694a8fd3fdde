"""``esma_search``, the search in one call.

This module imports neither NumPy nor the search engine until the function is called, so
``from esma_sympy import PCF, SCF, esma_search`` costs little more than ``import sympy``.
"""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:                      # pragma: no cover
    from .conjecture import SearchResult

__all__ = ["esma_search"]


def esma_search(constant, *, lhs_degree: int = 1, coeff_limit: int = 2, min_period: int = 1,
                max_period: int = 4, depth: int = 100, complexity_limit: int | None = None,
                verify_digits: int = 100, lhs=None, progress=None,
                max_memory=None) -> SearchResult:
    r"""Search for signed continued fractions of Möbius images of ``constant`` (ESMA).

    Explanation
    ===========

    Every left-hand side ``P(c)/Q(c)`` (integer coefficients in ``[-coeff_limit, coeff_limit]``,
    degrees ``<= lhs_degree``, one per value: ``v`` and ``-v`` are distinct) is expanded under every primitive sign
    pattern with period in ``[min_period, max_period]``; expansions whose first quotients have
    linear complexity below ``complexity_limit`` (default ``depth // 4``) are approved only if

    (a) the minimal recurrence of the first ``depth`` quotients predicts the next
        ``2 * depth`` certified quotients exactly, and
    (b) the infinite SCF it generates agrees with the LHS to at least ``verify_digits``
        digits, proven by an error bound (theory T5.3).

    The result lists the conjectures in a deterministic order (LHS order, then pattern order).
    See the module docstring for the pipeline and Razon et al., ICML 2023 for the method.

    Examples
    ========

    >>> from sympy import E
    >>> res = esma_search(E, coeff_limit=1, max_period=2, depth=40)
    >>> c = res.find(E/(E - 1), signs=(1, -1))[0]
    >>> c.first_terms[:8], c.digits >= 100
    ((1, 2, 3, 2, 5, 2, 7, 2), True)
    >>> c.quotients
    QuasiPolynomial((), (2*k + 1, 2), k)

    Parameters
    ==========

    constant : Expr or str
        A real irrational constant (strings go through the whitelist parser).
    lhs_degree, coeff_limit : int
        Bounds of the enumerated left-hand sides.
    min_period, max_period : int
        Periods of the sign patterns.
    depth : int
        Quotients the recurrence is found on; ``3 * depth`` are certified per candidate.
    complexity_limit : int, optional
        Reject expansions of linear complexity ``>= complexity_limit`` (default ``depth // 4``).
    verify_digits : int
        Digits of agreement that must be proven.
    lhs : list, optional
        Explicit left-hand sides (expressions in the constant, or ``LHS`` objects) instead of
        the enumeration.
    progress : callable, optional
        ``progress(done, total)`` is called as units of work complete.
    max_memory : int or str, optional
        The memory limit (bytes, or a size such as ``"4G"``; default
        :data:`esma_sympy.limits.MAX_MEMORY`): the search refuses to start when one work unit
        is estimated above it, and stops after the unit that takes the process above it
        (the results it holds grow with the conjectures).  Before any work,
        :func:`plan_search` also refuses constants too large or too small to expand and LHS
        enumerations beyond :data:`esma_sympy.limits.MAX_LHS_CANDIDATES`, raising
        :class:`~esma_sympy.errors.ResourceLimitError` (a ``ValueError``) naming the argument.

    Returns
    =======

    SearchResult
        To prove its conjectures, pass it to :func:`esma_sympy.prove_all` (fills
        ``closed_form`` and ``proof_status``; about 13 ms per conjecture).
    """
    from .. import limits
    from ..errors import ResourceLimitError
    from .plan import plan_search
    from .run import merge_results, run_unit

    t_start = time.perf_counter()
    plan = plan_search(constant, lhs_degree=lhs_degree, coeff_limit=coeff_limit,
                       min_period=min_period, max_period=max_period, depth=depth,
                       complexity_limit=complexity_limit, verify_digits=verify_digits, lhs=lhs,
                       max_memory=max_memory)
    est = plan.estimated_seconds()
    if est > limits.MAX_SEARCH_SECONDS:
        raise ResourceLimitError(
            f"max_period = {plan.params['max_period']}, coeff_limit = {coeff_limit}, lhs_degree = "
            f"{lhs_degree}, depth = {plan.params['depth']}: {plan.n_pairs:,} (LHS, pattern) pairs, "
            f"estimated {est:.3g} s, above esma_sympy.limits.MAX_SEARCH_SECONDS = "
            f"{limits.MAX_SEARCH_SECONDS}; set it higher to go on (or use esma search with a store, "
            "which resumes)")
    total = plan.n_units()
    if progress:
        progress(0, total)
    results = []
    for i, unit in enumerate(plan.units()):
        results.append(run_unit(plan, unit))
        plan.check_memory(i + 1, total)
        if progress:
            progress(i + 1, total)
    return merge_results(plan, results, time.perf_counter() - t_start)
