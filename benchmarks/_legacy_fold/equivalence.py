"""Legacy baseline (commit e587b60): ``inflate``, ``normalizing_constant`` and
``_fl_common_factor`` of ``esma_sympy/transforms/equivalence.py``.  Benchmark use only."""

from __future__ import annotations

from functools import reduce
from math import gcd

from flint import fmpq_poly
from sympy import Expr, Poly, Rational, Symbol, cancel, expand

from esma_sympy.cf.pcf import PCF

from ._rational import _index_expr, _pcf_index, _poly

__all__ = ["inflate", "normalizing_constant"]


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


def _tidy(e: Expr, n: Symbol) -> Expr:
    e = cancel(e)
    num, den = e.as_numer_denom()
    if Poly(den, n).degree() == 0:
        return expand(e)
    return expand(num) / expand(den)


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
