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

from functools import reduce
from math import gcd

from flint import fmpq, fmpq_poly
from sympy import Expr, Poly, QQ, Rational, Symbol, cancel, expand

from ..cf.pcf import PCF
from ._rational import _index_expr, _numden, _pcf_index, _poly

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
    m = _pcf_index(pcf)
    c = _index_expr(c, m, "c", n)
    if cancel(c) == 0:
        raise ValueError(f"c = {c} is identically zero: inflation by 0 destroys the fraction")
    a = _tidy(c * pcf.a, m)
    b = _tidy(c * c.xreplace({m: m - 1}) * pcf.b, m)
    return PCF(a, b, m)


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
    m = _pcf_index(pcf)
    c = _index_expr(c, m, "c", n)
    if cancel(c) == 0:
        raise ValueError(f"c = {c} is identically zero: cannot deflate by 0")
    cc = c * c.xreplace({m: m - 1})
    pa, pb = _numden(pcf.a, m), _numden(pcf.b, m)
    if pa[1].degree() == 0 and pb[1].degree() == 0:
        for name, val, d in (("a", pcf.a, c), ("b", pcf.b, cc)):
            if _numden(cancel(val / d), m)[1].degree() != 0:
                what = "c" if name == "a" else "c(n) c(n-1) = " + str(cc.factor())
                raise ValueError(f"c = {c} does not deflate {pcf}: {what} does not divide {name} = {val}")
    return inflate(pcf, 1 / c)


def _tidy(e: Expr, n: Symbol) -> Expr:
    e = cancel(e)
    num, den = e.as_numer_denom()
    if Poly(den, n).degree() == 0:
        return expand(e)
    return expand(num) / expand(den)


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
    m = _pcf_index(pcf)
    A, B = _poly(pcf.a, m), _poly(pcf.b, m)
    if A.is_zero:
        raise ValueError(f"a = {pcf.a} is identically zero: every polynomial divides it; no maximal factor")
    c = _fl_common_factor(_to_flint(A), _to_flint(B))
    return Poly([Rational(int(x.p), int(x.q)) for x in reversed(c.coeffs())], m, domain=QQ).as_expr()


def _to_flint(P: Poly) -> fmpq_poly:
    return fmpq_poly([fmpq(int(Rational(x).p), int(Rational(x).q)) for x in reversed(P.all_coeffs())])


_XM1 = fmpq_poly([-1, 1])


def _fl_common_factor(A: fmpq_poly, B: fmpq_poly) -> fmpq_poly:
    """The greedy maximal admissible factor ``c`` (``c | A``, ``c(n) c(n-1) | B``; theory T4.2),
    monic, on flint polynomials; shared by :func:`common_factor` and the fold's elimination."""
    c = fmpq_poly([1])
    changed = True
    while changed:
        changed = False
        for f, _m in A.factor()[1]:
            if f.degree() < 1:
                continue
            f = f / f.coeffs()[-1]
            ff = f * f(_XM1)
            if (A % f).is_zero() and (B % ff).is_zero():
                A, B, c = A // f, B // ff, c * f
                changed = True
                break
    return c


def deflate_all(pcf: PCF) -> PCF:
    r"""Deflate a polynomial PCF by its largest common factor (theory T4.2).

    Explanation
    ===========

    Removes every polynomial factor of positive degree that can be removed: the result has no
    monic ``c`` of positive degree with ``c | a`` and ``c(n) c(n-1) | b``.  The value and the
    convergents are divided by ``c(0)`` where ``c = common_factor(pcf)``; constants are left
    alone (see :func:`normalize`).

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
    m = _pcf_index(pcf)
    A, B = _poly(pcf.a, m), _poly(pcf.b, m)
    ca = [Rational(x) for x in A.all_coeffs()] if not A.is_zero else [Rational(0)]
    cb = [Rational(x) for x in B.all_coeffs()]
    # make everything integral: c = L with L the lcm of denominators of a and sqrt-ish for b
    la = reduce(lambda x, y: x * y // gcd(x, y), [int(x.q) for x in ca], 1)
    lb = reduce(lambda x, y: x * y // gcd(x, y), [int(x.q) for x in cb], 1)
    L = la
    while (L * L) % lb:  # smallest multiple of la whose square clears b's denominators
        L += la
    ia = [int(x * L) for x in ca]
    ib = [int(x * L * L) for x in cb]
    ga = reduce(gcd, ia, 0)
    gb = reduce(gcd, ib, 0)
    g = 1
    from math import isqrt

    for d in range(2, min(abs(gcd(ga, gb)), isqrt(abs(gb))) + 1):
        if ga % d == 0 and gb % (d * d) == 0:
            g = d
    if A.is_zero:  # only b constrains the constant: d^2 | content(b)
        g = max(d for d in range(1, int(abs(gb) ** 0.5) + 2) if gb % (d * d) == 0)
    c = Rational(L, g)
    if ia[0] < 0:
        c = -c
    return c


def normalize(pcf: PCF) -> PCF:
    r"""Scale a polynomial PCF by a constant to integer, primitive form with ``lc(a) > 0``.

    Explanation
    ===========

    Inflation by a constant ``c`` gives ``PCF(c a, c^2 b)`` and multiplies the value by ``c``
    (theory T4.1).  ``normalize`` picks ``c`` (see :func:`normalizing_constant`) so that ``a``
    and ``b`` have integer coefficients, no integer ``d > 1`` divides ``a`` while ``d^2``
    divides ``b``, and the leading coefficient of ``a`` is positive.  The value of the result
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
