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
           "ResourceLimitError", "StoreError", "PrecisionWarning"]


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


class StoreError(EsmaError):
    """A file cannot be used as a conjecture store (not an esma store, a newer schema, ...).

    ``path`` and ``problem`` (the message without the advice) are kept as attributes when the
    error is about a file.  Its subclasses (``StoreDamaged``, ``StoreRowError``, ``StoreBusy``)
    live in :mod:`esma_sympy.store`, which also re-exports this class.

    >>> import os, tempfile
    >>> from esma_sympy.store import open_store
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "notes.txt")
    ...     _ = open(path, "w").write("not a database")
    ...     try:
    ...         open_store(path)
    ...     except StoreError as err:
    ...         print("refused:", "not an esma store" in str(err), open(path).read())
    refused: True not a database
    """

    def __init__(self, message: str, *, path: str | None = None, problem: str | None = None):
        super().__init__(message)
        self.path = path
        self.problem = problem if problem is not None else message


class PrecisionWarning(UserWarning):
    """Warning: an expansion returned fewer quotients than asked (``strict=False``).

    >>> import warnings
    >>> from flint import arb
    >>> from esma_sympy import expand
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     x = expand(arb(2).sqrt(), terms=41)      # a 53-bit ball decides 20 quotients
    >>> caught[0].category is PrecisionWarning, len(x.terms(100))
    (True, 20)
    """
