"""Equivalence transforms of polynomial continued fractions: inflation and deflation.

Convention (``esma_sympy.PCF``): ``PCF(a, b, n) = a(0) + b(1)/(a(1) + b(2)/(a(2) + ...))``
with convergents ``p_N/q_N``, ``p_N = a(N) p_{N-1} + b(N) p_{N-2}``, ``p_{-1} = 1``,
``q_{-1} = 0``, ``p_0 = a(0)``, ``q_0 = 1``.

*Inflation* by a rational function ``c(n)`` multiplies each level of the fraction above and
below by ``c(N)``; written uniformly in ``n`` it is

    inflate(PCF(a, b), c) = PCF(c(n) a(n), c(n) c(n-1) b(n)).

Because the uniform formula also multiplies ``a(0)`` by ``c(0)``, the value and *every*
convergent are multiplied by ``c(0)`` (theory T4.1):  ``p'_N = C_N p_N`` and
``q'_N = C_N q_N / c(0)`` with ``C_N = c(0) c(1) ... c(N)``.  Deflation is the inverse.
"""

from __future__ import annotations

from sympy import Expr, Rational, Symbol, sympify

from ..numeric.parse import sympify_safe
from ..cf.pcf import PCF
from ._engine import RF, Ring, common_factor as _common_factor, normalizing_constant as _kappa

__all__ = ["inflate", "deflate", "deflate_all", "common_factor", "normalize", "normalizing_constant"]


def inflate(pcf: PCF, c, n: Symbol | None = None) -> PCF:
    r"""Inflate a PCF by ``c(n)``: ``PCF(c(n) a(n), c(n) c(n-1) b(n))``.

    Explanation
    ===========

    Multiplies level ``N`` of the fraction above and below by ``c(N)``.  Every convergent
    (and the value) is multiplied by ``c(0)``, provided ``c(N)`` is finite and nonzero for
    every ``N >= 0`` used (theory T4.1).  The result is expanded but never simplified further.

    Examples
    ========

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> p = PCF(n + 3, -n, n)                 # e = 3 - 1/(4 - 2/(5 - ...))
    >>> q = inflate(p, n + 1)
    >>> q
    PCF(n**2 + 4*n + 3, -n**3 - n**2, n)
    >>> [y / x for x, y in zip(p.convergents(5), q.convergents(5))]    # all equal c(0) = 1
    [1, 1, 1, 1, 1, 1]
    >>> inflate(p, 2).convergent(3) == 2 * p.convergent(3)
    True

    Parameters
    ==========

    pcf : PCF
    c : expression
        A polynomial or rational function of the index (a constant is allowed).
    n : Symbol, optional
        The symbol ``c`` is written in, if it is not ``pcf.index``.

    Returns
    =======

    PCF

    See Also
    ========

    deflate, deflate_all
    """
    R, A, B, C = _ring_with(pcf, c, n)
    if C.is_zero():
        raise ValueError(f"c = {c} is identically zero: inflation by 0 destroys the fraction")
    return _to_pcf(R, A * C, B * C * _shift_rf(R, C, -1))


def deflate(pcf: PCF, c, n: Symbol | None = None) -> PCF:
    r"""Deflate a PCF by ``c(n)``: ``PCF(a(n)/c(n), b(n)/(c(n) c(n-1)))``, the inverse of
    :func:`inflate`.

    Explanation
    ===========

    For polynomial ``a, b`` the factor ``c`` must divide ``a`` and ``c(n) c(n-1)`` must divide
    ``b`` (otherwise ``ValueError``), so the result is polynomial again.  For rational ``a, b``
    any ``c`` is accepted.  Convergents and value are divided by ``c(0)`` (theory T4.1).

    Examples
    ========

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> deflate(PCF(n**2 + 4*n + 3, -n**3 - n**2, n), n + 1)
    PCF(n + 3, -n, n)
    >>> deflate(PCF(n + 3, -n, n), n + 3)
    Traceback (most recent call last):
    ...
    ValueError: c = n + 3 does not deflate PCF(n + 3, -n, n): c(n) c(n-1) = (n + 2)*(n + 3) does not divide b = -n

    Parameters
    ==========

    pcf : PCF
    c : expression
        A polynomial or rational function of the index.
    n : Symbol, optional
        The symbol ``c`` is written in, if it is not ``pcf.index``.

    Returns
    =======

    PCF

    See Also
    ========

    inflate, deflate_all
    """
    R, A, B, C = _ring_with(pcf, c, n)
    if C.is_zero():
        raise ValueError(f"c = {c} is identically zero: cannot deflate by 0")
    CC = C * _shift_rf(R, C, -1)
    a2, b2 = A / C, B / CC
    if A.den.is_constant() and B.den.is_constant():
        m = pcf.index
        for name, val, q, d in (("a", pcf.a, a2, C), ("b", pcf.b, b2, CC)):
            if not q.den.is_constant():
                what = "c" if name == "a" else f"c({m}) c({m}-1) = {R.rf_expr(CC.num, CC.den).factor()}"
                raise ValueError(f"c = {c} does not deflate {pcf}: {what} does not divide {name} = {val}")
    return _to_pcf(R, a2, b2)


def _ring_with(pcf: PCF, c, n):
    """The PCF's ring extended by the symbols of ``c``; ``(R, a, b, c)`` as :class:`RF`.

    ``c`` is written in the PCF's bound index; every other symbol in it is a parameter.  With
    ``n`` given, ``n`` is the symbol of ``c`` that stands for the index (it is renamed)."""
    if not isinstance(pcf, PCF):
        raise TypeError(f"pcf must be a PCF, got {pcf!r} of type {type(pcf).__name__}")
    m = pcf.index
    try:
        c = sympify_safe(c)
    except Exception:  # noqa: BLE001 - any sympify failure is a bad argument
        raise TypeError(f"c must be an expression, got {c!r}") from None
    if not isinstance(c, Expr):
        raise TypeError(f"c must be an expression, got {c!r}")
    if n is not None:
        n = sympify_safe(n)
        if not isinstance(n, Symbol):
            raise TypeError(f"n must be a Symbol, got {n!r}")
        if n != m and m in c.free_symbols:
            raise ValueError(f"c = {c} contains both n = {n} and the PCF's index {m}; write it in one of them")
        if n in pcf.free_symbols:
            raise ValueError(f"n = {n} is a parameter of {pcf}, not a name for its index {m}")
        c = c.xreplace({n: m})
    R = Ring.of(m, pcf.a, pcf.b, c)
    A = RF(*R.ratfunc(pcf.a, "pcf.a"))
    B = RF(*R.ratfunc(pcf.b, "pcf.b"))
    C = RF(*R.ratfunc(c, "c"))
    if not C.is_zero():
        from ._engine import nonvanishing

        for P, what in ((C.num, "vanishes"), (C.den, "has a pole")):
            if R.is_numeric(P) and not nonvanishing(R, P, 0)[0]:
                raise ValueError(f"c = {c} {what} at an index {m} >= 0: T4.1 needs c({m}) finite "
                                 f"and nonzero at every index of the fraction")
    return R, A, B, C


def _shift_rf(R: Ring, X: RF, k: int) -> RF:
    return RF(R.shift(X.num, k), R.shift(X.den, k), reduced=True)


def _to_pcf(R: Ring, A: RF, B: RF) -> PCF:
    return PCF(R.rf_expr(A.num, A.den), R.rf_expr(B.num, B.den), R.index)


def _poly_pair(pcf: PCF):
    """``(R, A, B)``: the PCF's ring and its polynomial coefficients (``ValueError`` otherwise)."""
    if not isinstance(pcf, PCF):
        raise TypeError(f"pcf must be a PCF, got {pcf!r} of type {type(pcf).__name__}")
    R = Ring.of(pcf.index, pcf.a, pcf.b)
    return R, R.poly(pcf.a, "pcf.a"), R.poly(pcf.b, "pcf.b")


def common_factor(pcf: PCF) -> Expr:
    r"""The largest monic polynomial ``c`` with ``c | a`` and ``c(n) c(n-1) | b``.

    Explanation
    ===========

    ``pcf`` equals ``inflate(deflate_all(pcf), c)`` (theory T4.2).  The factor is found
    greedily, one irreducible factor at a time; the greedy choice is maximal because every
    irreducible factor of an admissible ``c`` is admissible by itself, and stays admissible
    after another admissible factor is removed (proof of T4.2).

    Examples
    ========

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> common_factor(inflate(PCF(n + 3, -n, n), (n + 1)*(2*n + 3)))
    n**2 + 5*n/2 + 3/2

    Returns
    =======

    Expr
        A monic polynomial in ``pcf.index`` (``1`` when there is none).

    See Also
    ========

    deflate_all
    """
    R, A, B = _poly_pair(pcf)
    if A.is_zero():
        raise ValueError(f"a = {pcf.a} is identically zero: every polynomial divides it; no maximal factor")
    return R.expr(_common_factor(R, A, B))


def deflate_all(pcf: PCF) -> PCF:
    r"""Deflate a polynomial PCF by its largest common factor (theory T4.2).

    Explanation
    ===========

    Removes every polynomial factor of positive degree (in the index or in the parameters)
    that can be removed: the result has no ``c`` of positive degree with ``c | a`` and
    ``c(n) c(n-1) | b``.  The value and the convergents are divided by ``c(0)`` where
    ``c = common_factor(pcf)``; rational constants are left alone (see :func:`normalize`).
    The maximal factor need not be unique (theory T4.10).

    Examples
    ========

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> p = inflate(PCF(n + 3, -n, n), (n + 1)*(2*n + 3))
    >>> deflate_all(p)                 # c = (n + 1)(n + 3/2) is monic, so a constant 2 stays
    PCF(2*n + 6, -4*n, n)
    >>> normalize(deflate_all(p))
    PCF(n + 3, -n, n)

    Returns
    =======

    PCF

    See Also
    ========

    common_factor, deflate, inflate
    """
    c = common_factor(pcf)
    if c == 1:
        return pcf
    return deflate(pcf, c)


def normalizing_constant(pcf: PCF) -> Rational:
    r"""The rational ``c`` for which ``inflate(pcf, c)`` is :func:`normalize`\ ``(pcf)``.

    >>> from sympy import Rational
    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> normalizing_constant(PCF(-4*n - 2, 4*n**2, n)), normalizing_constant(PCF(n/2 + 1, n/4, n))
    (-1/2, 2)
    """
    R, A, B = _poly_pair(pcf)
    k = _kappa(R, A, B)
    return Rational(int(k.p), int(k.q))


def normalize(pcf: PCF) -> PCF:
    r"""Scale a polynomial PCF by a constant to integer, primitive form with ``lc(a) > 0``.

    Explanation
    ===========

    Inflation by a constant ``c`` gives ``PCF(c a, c^2 b)`` and multiplies the value by ``c``
    (theory T4.1).  ``normalize`` picks ``c`` (see :func:`normalizing_constant`) so that ``a``
    and ``b`` have integer coefficients, no integer ``d > 1`` divides ``a`` while ``d^2``
    divides ``b``, and the leading coefficient of ``a`` (its first term in the lexicographic order, index first; a rational number) is positive.  The value of the result
    is ``c`` times the value of ``pcf`` (theory T4.3).

    Examples
    ========

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> normalize(PCF(-4*n - 2, 4*n**2, n))
    PCF(2*n + 1, n**2, n)
    >>> normalize(PCF(n/2 + 1, n/4, n))
    PCF(n + 2, n, n)

    Returns
    =======

    PCF

    See Also
    ========

    normalizing_constant, deflate_all
    """
    return inflate(pcf, normalizing_constant(pcf))
