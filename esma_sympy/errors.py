"""Domain errors of esma_sympy.

Bad *arguments* raise the built-in ``ValueError`` / ``TypeError`` with a message that names the
argument and its value.  The classes here are for situations where the arguments are fine but
the mathematics or the numerics cannot deliver what was asked.

Examples
========

>>> from esma_sympy.errors import PrecisionExhausted
>>> issubclass(PrecisionExhausted, ArithmeticError)
True
"""

from __future__ import annotations

from sympy.core.evalf import PrecisionExhausted as _SymPyPrecisionExhausted

__all__ = ["EsmaError", "PrecisionExhausted", "DivergenceError", "UnsupportedConstant",
           "ResourceLimitError"]


class EsmaError(Exception):
    """Base class of the domain errors of esma_sympy.

    >>> issubclass(UnsupportedConstant, EsmaError) and issubclass(DivergenceError, EsmaError)
    True
    """


class PrecisionExhausted(EsmaError, _SymPyPrecisionExhausted):
    """The working precision (or depth) ran out before the requested result was certified.

    A subclass of SymPy's ``PrecisionExhausted`` (an ``ArithmeticError``), so code that catches
    SymPy's exception also catches this one.

    >>> from sympy.core.evalf import PrecisionExhausted as SymPyPE
    >>> err = PrecisionExhausted("only 12 of 40 digits", partial=[3, 3, 2])
    >>> isinstance(err, SymPyPE), err.partial
    (True, [3, 3, 2])

    ``partial`` holds whatever was certified before precision ran out (for example the
    partial quotients decided so far), or ``None``.
    """

    def __init__(self, message: str, partial=None):
        super().__init__(message)
        self.partial = partial


class DivergenceError(EsmaError, ArithmeticError):
    """A continued fraction met a zero denominator or cannot be shown to converge.

    >>> from esma_sympy import PCF
    >>> try:
    ...     PCF(0, 1).convergent(1)
    ... except DivergenceError as err:
    ...     print(err)
    zero denominator q_1 = 0: the convergent at depth 1 is undefined
    """


class UnsupportedConstant(EsmaError, ValueError):
    """A constant contains a node that esma_sympy cannot evaluate or parse.

    >>> from sympy import Function
    >>> from esma_sympy import to_arb
    >>> try:
    ...     to_arb(Function('f')(1), 64)
    ... except UnsupportedConstant as err:
    ...     print(type(err).__name__)
    UnsupportedConstant
    """


class ResourceLimitError(EsmaError, ValueError):
    """A call whose estimated memory or work exceeds a limit of :mod:`esma_sympy.limits`
    (raised before any work; the message names the argument, the estimate and the limit).

    >>> from esma_sympy import esma_search
    >>> try:
    ...     esma_search("gamma(10**9)")
    ... except ResourceLimitError as err:
    ...     print(err)                  # doctest: +ELLIPSIS
    constant = gamma(1000000000): its integer part has about 2.8e+10 bits (8.6e+09 digits), more than ... bits a certified expansion works with ...
    """
