"""Old spellings kept for one release after issue 17; each warns ``DeprecationWarning``.

``esma_sympy.esma_search(..., prove=True)``: proving left the search (the search layer does
not import the theory, ARCHITECTURE.md); call :func:`esma_sympy.prove_all` on the result.
This module is at the top of the layers, with the command, so it may join the two.
"""
from __future__ import annotations

import functools
import inspect
import warnings

from .search.api import esma_search as _esma_search

__all__ = ["esma_search"]

_UNSET = object()


@functools.wraps(_esma_search)
def esma_search(constant, *, prove=_UNSET, **kwargs):
    if prove is not _UNSET:
        warnings.warn("esma_search(..., prove=...) is deprecated and will be removed in the next "
                      "release; call esma_sympy.prove_all(result) (esma_sympy.theory.prove_all) "
                      "on the result instead", DeprecationWarning, stacklevel=2)
    result = _esma_search(constant, **kwargs)
    if prove is not _UNSET and prove:
        # the theory layer loads on demand, as it did inside the search (import time of
        # ``from esma_sympy import esma_search``)
        from .theory import prove_all

        prove_all(result)
    return result


def _with_prove(sig: inspect.Signature) -> inspect.Signature:
    params = list(sig.parameters.values())
    at = next(i for i, p in enumerate(params) if p.name == "max_memory")
    params.insert(at, inspect.Parameter("prove", inspect.Parameter.KEYWORD_ONLY, default=False,
                                        annotation="bool"))
    return sig.replace(parameters=params)


esma_search.__signature__ = _with_prove(inspect.signature(_esma_search))
esma_search.__doc__ = _esma_search.__doc__.replace("""
    Returns
    =======
""", """    prove : bool
        Deprecated (removed in the next release; ``DeprecationWarning``): ``prove=True`` also
        proves every conjecture, as :func:`esma_sympy.prove_all` on the result does.

    Returns
    =======
""", 1)
del esma_search.__wrapped__        # inspect and help() show the signature above
