"""Old spellings kept for one release after issue 17; each warns ``DeprecationWarning``.

``esma_sympy.esma_search(..., prove=True)``: proving left the search (the search layer does
not import the theory, ARCHITECTURE.md); call :func:`esma_sympy.prove_all` on the result.
This module is at the top of the layers, with the command, so it may join the two.  It imports
nothing heavy (not even :mod:`inspect`): ``from esma_sympy import esma_search`` stays cheap.
"""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from .search.api import esma_search as _esma_search

if TYPE_CHECKING:                      # pragma: no cover
    from .search.conjecture import SearchResult

__all__ = ["esma_search"]


def esma_search(constant, *, lhs_degree: int = 1, coeff_limit: int = 2, min_period: int = 1,
                max_period: int = 4, depth: int = 100, complexity_limit: int | None = None,
                verify_digits: int = 100, lhs=None, progress=None, prove: bool | None = None,
                max_memory=None) -> SearchResult:
    if prove is not None:
        warnings.warn("esma_search(..., prove=...) is deprecated and will be removed in the next "
                      "release; call esma_sympy.prove_all(result) (esma_sympy.theory.prove_all) "
                      "on the result instead", DeprecationWarning, stacklevel=2)
    result = _esma_search(constant, lhs_degree=lhs_degree, coeff_limit=coeff_limit,
                          min_period=min_period, max_period=max_period, depth=depth,
                          complexity_limit=complexity_limit, verify_digits=verify_digits,
                          lhs=lhs, progress=progress, max_memory=max_memory)
    if prove:
        # the theory loads on demand, as it did inside the search (``from esma_sympy import
        # esma_search`` loads neither SymPy's solvers nor NumPy)
        from .theory import prove_all

        prove_all(result)
    return result


# The search's documentation, with the deprecated parameter added to it.
esma_search.__doc__ = _esma_search.__doc__.replace("""
    Returns
    =======
""", """    prove : bool, optional
        Deprecated (removed in the next release; ``DeprecationWarning`` when given):
        ``prove=True`` also proves every conjecture, as :func:`esma_sympy.prove_all` on the
        result does.

    Returns
    =======
""", 1)
