"""The certified signed continued fraction of a real as an :class:`~esma_sympy.SCF`.

The expansion itself (the ESMA rule, its certification and precision loop: theory T2.1-T2.3)
is :mod:`esma_sympy.numeric.expand`, which returns raw quotients; this module builds the SCF
they describe (ARCHITECTURE.md: numeric/ returns no SymPy objects, cf/ builds them).
Convention: ``x = a_0 + s_0/(a_1 + s_1/(a_2 + ...))``, the sign ``s_i`` following ``a_i``.
"""

from __future__ import annotations

import warnings

from ..errors import PrecisionExhausted
from ..errors import PrecisionWarning
from ..numeric.expand import ExpansionInfo, _resolve_terms, expand_parts
from ..numeric.expand import SignSequence  # noqa: F401  (the doctests below use it)
from .scf import SCF

__all__ = ["expand", "expand_report"]


def expand_report(x, signs=(1,), depth: int | None = None, *, terms: int | None = None,
                  dps: int | None = None, max_dps: int | None = None,
                  strict: bool = False) -> tuple[SCF | None, ExpansionInfo]:
    """Certified expansion as ``(SCF or None, ExpansionInfo)``; never warns.

    Explanation
    ===========

    Like :func:`expand`, but the shortfall is returned instead of warned about: ``info.status``
    is ``'complete'``, ``'terminated'`` or ``'exhausted'`` and ``info.reason`` says what ran
    out.  The SCF is ``None`` when not even ``a_0`` is certified (an SCF cannot be empty).

    Examples
    ========

    >>> from flint import arb
    >>> scf, info = expand_report(arb(2).sqrt(), terms=41)
    >>> scf.terms(5), info.status, info.certified < 41
    ([1, 2, 2, 2, 2], 'exhausted', True)
    >>> print(info.reason)     # doctest: +ELLIPSIS
    20 of 41 quotients certified: the ball does not decide a_20; the input ball is fixed ...

    Parameters
    ==========

    x, signs, terms, dps, max_dps, strict
        As for :func:`expand` (``depth=d``, deprecated, is ``terms=d + 1``).

    Returns
    =======

    (SCF or None, ExpansionInfo)

    See Also
    ========

    expand, esma_sympy.numeric.expand.expand_quotients, esma_sympy.numeric.expand.expand_parts
    """
    terms = _resolve_terms("expand_report", depth, terms)
    try:
        qs, sg, periodic, info = expand_parts(x, signs, terms=terms, dps=dps, max_dps=max_dps,
                                              strict=strict)
    except PrecisionExhausted as exc:
        if exc.partial is not None:
            exc.partial = SCF._from_ints(*exc.partial)
        raise
    return (SCF._from_ints(qs, sg, periodic) if qs else None), info


def expand(x, signs=(1,), depth: int | None = None, *, terms: int | None = None,
           dps: int | None = None, max_dps: int | None = None, strict: bool = False) -> SCF:
    r"""The certified signed continued fraction of ``x`` (ESMA rule) as an :class:`SCF`.

    Explanation
    ===========

    Expands ``x = a_0 + s_0/(a_1 + s_1/(a_2 + ...))`` with ``a_i = floor(x_i)`` when
    ``s_i = +1`` and ``a_i = ceil(x_i)`` when ``s_i = -1`` (theory T2.1), returning the
    the first ``terms`` quotients ``a_0, ..., a_{terms - 1}``, so that
    ``convergent(terms - 1)`` is the deepest convergent.  Every quotient returned is decided by an interval that
    provably contains ``x`` (theory T2.2); nothing is guessed.

    * An exact rational expands exactly and the result is shorter when the expansion ends
      (``x_i = a_i``; with ``s_i = -1`` an integer ``x_i`` is its own ceiling and ends it).
    * A SymPy constant or a string (read by the whitelist parser, never ``sympify``) is
      evaluated as an ``arb`` ball at ``dps`` digits (by default about ``1.25*terms + 20``);
      when the ball cannot decide the next quotient the precision is raised (at least
      doubled) and the expansion restarts, up to ``max_dps`` digits (by default
      ``max(20000, 4*dps)``).
    * An ``arb`` ball or a pair ``(lo, hi)`` of exact rationals is expanded as given: every
      real in it has the returned quotients; its precision cannot be raised.

    When the precision is still short, ``strict=True`` raises ``PrecisionExhausted`` whose
    ``partial`` is the certified SCF (or ``None``); otherwise the certified part is returned
    and a :class:`PrecisionWarning` says how many quotients are missing and why (use
    :func:`expand_report` to get that as data instead).  If not even ``a_0`` is certified,
    ``PrecisionExhausted`` is raised in both modes, since an SCF cannot be empty.

    Signs.  A tuple is a periodic pattern anchored at index 0 (``s_i = signs[i % p]``) and the
    result is ``SCF(quotients, signs)``.  A :class:`SignSequence` lists the signs once; a
    callable ``i -> +1/-1`` is asked for ``s_0, ..., s_{terms - 1}``.  These two give
    ``SCF(quotients, explicit_signs, periodic=False)`` (with one quotient: ``SCF([a_0],
    (s_0,))``).  The sign ``s_{terms - 1}`` is used to round ``a_{terms - 1}`` but does not appear
    in the result.

    Examples
    ========

    >>> from sympy import E, Rational, sqrt, tan
    >>> expand(E, terms=9)                             # the simple expansion
    SCF((2, 1, 2, 1, 1, 4, 1, 1, 6), (1,), True)
    >>> expand(E, (-1, 1), terms=8).terms(8)           # e = 3 - 1/(3 + 1/(2 - 1/(5 + ...)))
    [3, 3, 2, 5, 2, 7, 2, 9]
    >>> expand(tan(1), (1, -1, 1), terms=9).terms(9)
    [1, 2, 4, 1, 6, 8, 1, 10, 12]
    >>> expand("(1 + sqrt(5))/2", terms=6).terms(6)
    [1, 1, 1, 1, 1, 1]
    >>> expand(Rational(7, 3), (-1,))                  # 7/3 = 3 - 1/(2 - 1/2)
    SCF((3, 2, 2), (-1,), True)
    >>> expand(Rational(7, 3), SignSequence([1, -1, 1, 1]))
    SCF((2, 3), (1,), False)
    >>> expand(sqrt(2), lambda i: (-1) ** i, terms=4)
    SCF((1, 3, 1, 2), (1, -1, 1), False)

    Parameters
    ==========

    x : SymPy constant, str, int, Rational, fmpq, Fraction, arb, or (lo, hi)
        The real to expand.  Binary floats are refused (``TypeError``): pass ``'0.1'`` for
        one tenth or ``Rational(0.1)`` for the float's exact value.
    signs : tuple of +1/-1, SignSequence, or callable
        The sign pattern (default ``(1,)``: the simple continued fraction).
    terms : int, optional
        How many quotients ``a_0, a_1, ...`` to expand (default 101; for a ``SignSequence``
        of length ``L``, ``L``).
    depth : int, optional
        Deprecated: the index of the last quotient, ``depth=d`` being ``terms=d + 1``
        (warns with a ``DeprecationWarning``; removed in the next release).
    dps : int, optional
        Starting precision in decimal digits for a SymPy constant or string.
    max_dps : int, optional
        The most digits the automatic precision increase may use.
    strict : bool
        Raise ``PrecisionExhausted`` instead of returning a short expansion.

    Returns
    =======

    SCF
        Finite, with the certified quotients.

    Raises
    ======

    PrecisionExhausted
        ``strict=True`` and the precision ran out, or nothing at all could be certified.
    UnsupportedConstant, ValueError, TypeError
        Bad ``x``, ``signs``, ``terms``, ``dps`` (the message names the argument).

    See Also
    ========

    expand_report, esma_sympy.numeric.expand.expand_quotients, SignSequence, esma_sympy.SCF,
    sympy.ntheory.continued_fraction.continued_fraction

    References
    ==========

    .. [1] Razon et al., "Enumerated signed continued fractions ... (ESMA)", ICML 2023.
    """
    terms = _resolve_terms("expand", depth, terms)
    scf, info = expand_report(x, signs, terms=terms, dps=dps, max_dps=max_dps, strict=strict)
    if scf is None:
        raise PrecisionExhausted(f"no quotient of x = {x!r} could be certified: {info.reason}",
                                 partial=None)
    if info.status == "exhausted":
        warnings.warn(f"expand returned a short expansion: {info.reason}", PrecisionWarning,
                      stacklevel=2)
    return scf
