"""Certified asymptotic tails of positive polynomial continued fractions (theory T1.9).

For a PCF whose tails ``tau(m) = b(m+1)/(a(m+1) + tau(m+1))`` are positive, a slowly
convergent fraction (``deg b = 2 deg a + 2``, the Brouncker-type fractions for pi) has error
decaying only like a power of the depth when the tail is enclosed by the crude interval
``[0, b/a]``.  This module computes the formal expansion

    tau(m) = m^e (c_0 + c_1/m + c_2/m^2 + ... + c_K/m^K)

exactly (``fmpq``), and turns it into two rational functions ``L(m) <= U(m)``
(``tau_K(m) -/+ m^(e - K + 1)``) together with an index ``m0`` from which the *exact*
polynomial inequalities

    L(m) >= 0,    b(m+1) >= L(m) (a(m+1) + U(m+1)),    U(m) (a(m+1) + L(m+1)) >= b(m+1)

hold for every integer ``m >= m0``.  Those inequalities say that ``t -> b/(a + t)`` maps
``[L(m+1), U(m+1)]`` into ``[L(m), U(m)]``; for a convergent positive fraction that proves
``tau(m)`` lies in ``[L(m), U(m)]`` for every ``m >= m0`` (T1.9).  The expansion is only a
guess that makes the inequalities likely; the proof is the inequalities.

Everything here is on raw python-flint types; no SymPy.
"""

from __future__ import annotations

import math

from flint import fmpq, fmpq_poly

from .polyineq import first_index_from_which

__all__ = ["tail_expansion", "certified_tail_bounds", "TailBounds"]


def _binomial_series(s: int, K: int) -> list:
    """Coefficients of ``(1 + x)^s`` up to ``x^K`` (``s`` any integer)."""
    out = [fmpq(1)]
    c = fmpq(1)
    for i in range(1, K + 1):
        c = c * (s - i + 1) / i
        out.append(c)
    return out


def _mul(A: list, B: list, K: int) -> list:
    out = [fmpq(0)] * (K + 1)
    for i, a in enumerate(A[:K + 1]):
        if a == 0:
            continue
        for j, b in enumerate(B[:K + 1 - i]):
            out[i + j] += a * b
    return out


def _shifted(p: fmpq_poly, deg: int, K: int) -> list:
    """``p(m + 1) = m^deg S(1/m)``: the coefficients of ``S`` up to ``x^K``."""
    out = [fmpq(0)] * (K + 1)
    for i, c in enumerate(p.coeffs()):
        if c == 0:
            continue
        for t, bc in enumerate(_binomial_series(i, K)):
            if deg - i + t <= K:
                out[deg - i + t] += c * bc
    return out


def _tilde(T: list, e: int, K: int) -> list:
    """``(1 + x)^e T(x/(1 + x))`` up to ``x^K``: the series of ``tau(m + 1) / m^e``."""
    out = [fmpq(0)] * (K + 1)
    for j, cj in enumerate(T[:K + 1]):
        if cj == 0:
            continue
        for i, bc in enumerate(_binomial_series(e - j, K - j)):
            out[j + i] += cj * bc
    return out


def _sqrt_fmpq(q: fmpq):
    if q < 0:
        return None
    n, d = int(q.p), int(q.q)
    rn, rd = math.isqrt(n), math.isqrt(d)
    return fmpq(rn, rd) if rn * rn == n and rd * rd == d else None


def tail_expansion(a: fmpq_poly, b: fmpq_poly, K: int):
    """``(e, [c_0, ..., c_K])`` with ``tau(m) = m^e sum c_j m^-j + O(m^(e-K-1))``, or ``None``.

    Handled: ``deg b = 2 deg a + 2`` with a square leading coefficient of ``b`` (then
    ``e = deg a + 1``, ``c_0 = sqrt(lc b)``), and ``deg b = 2 deg a`` with
    ``lc(a)^2 + 4 lc(b)`` a positive rational square (``e = deg a``).  Positive leading
    coefficients are assumed (the positive-tail case).

    >>> from flint import fmpq_poly
    >>> e, c = tail_expansion(fmpq_poly([2]), fmpq_poly([0, 0, 1]), 3)   # PCF(2, n**2)
    >>> e, c
    (1, [1, -1/2, 9/8, -9/16])
    """
    if a.is_zero() or b.is_zero():
        return None
    da, db = a.degree(), b.degree()
    A = _shifted(a, da, K + 1)
    B = _shifted(b, db, K + 1)
    if A[0] <= 0 or B[0] <= 0:
        return None
    if db == 2 * da + 2:
        e, xA = da + 1, [fmpq(0)] + A         # T x A + T T~ = B
        c0 = _sqrt_fmpq(B[0])
        if c0 is None:
            return None
        lin = 2 * c0
    elif db == 2 * da:
        e, xA = da, A                          # T A + T T~ = B
        r = _sqrt_fmpq(A[0] ** 2 + 4 * B[0])
        if r is None:
            return None
        c0 = (r - A[0]) / 2
        lin = A[0] + 2 * c0
    else:
        return None
    c = [c0]
    for j in range(1, K + 1):
        T = c + [fmpq(0)]
        R = [x + y for x, y in zip(_mul(T, xA, j), _mul(T, _tilde(T, e, j), j))]
        c.append((B[j] - R[j]) / lin)
    return e, c


class TailBounds:
    """``L(m) <= tau(m) <= U(m)`` for all integers ``m >= start`` (proven, theory T1.9).

    ``L`` and ``U`` are stored as ``(numerator fmpq_poly, s)`` meaning ``num(m) / m^s``;
    ``order`` is the truncation order ``K`` of the expansion.
    """

    __slots__ = ("start", "order", "lower", "upper")

    def __init__(self, start: int, order: int, lower, upper):
        self.start, self.order, self.lower, self.upper = start, order, lower, upper

    def __call__(self, m: int):
        """``(L(m), U(m))`` as ``fmpq``."""
        (nl, sl), (nu, su) = self.lower, self.upper
        return nl(m) / fmpq(m) ** sl, nu(m) / fmpq(m) ** su

    def __repr__(self) -> str:
        return f"TailBounds(start={self.start}, order={self.order})"


def _rational(e: int, c: list, extra: int, sign):
    """``m^e sum_j c_j m^-j + sign m^extra`` as ``(num, s)`` = ``num(m) / m^s``."""
    K = len(c) - 1
    low = min(e - K, extra, 0)
    s = -low
    num = [fmpq(0)] * (max(e, extra) + s + 1)
    for j, cj in enumerate(c):
        num[e - j + s] += cj
    num[extra + s] += sign
    return fmpq_poly(num), s


def certified_tail_bounds(a: fmpq_poly, b: fmpq_poly, K: int, margin=None):
    """Proven rational bounds of the tails of the positive fraction ``K(b(m)/a(m))``.

    Returns a :class:`TailBounds` whose inequalities (module docstring) are proven exactly for
    all ``m >= start``, or ``None`` when the expansion does not exist or the inequalities are
    not proven within the scan limit of :func:`~esma_sympy.numeric.polyineq.first_index_from_which`.
    The caller must also know that the fraction is positive and converges from ``start`` on
    (theory T1.4).  The bounds are ``tau_K(m) -/+ margin * m^(e - K + 1)``; by default
    ``margin`` is the power of two at least 16 times the largest ``|c_j|`` (the expansion is
    asymptotic, its coefficients grow, and a wider margin makes the inequalities hold from a
    smaller ``m``).

    >>> from flint import fmpq_poly
    >>> tb = certified_tail_bounds(fmpq_poly([2]), fmpq_poly([0, 0, 1]), 6)   # PCF(2, n**2)
    >>> tb.start <= 50, tb.order
    (True, 6)
    >>> lo, hi = tb(1000)
    >>> float(hi - lo) < 1e-9
    True
    """
    r = tail_expansion(a, b, K)
    if r is None:
        return None
    e, c = r
    extra = e - K + 1
    if margin is None:
        top = max(abs(x) for x in c)
        margin = fmpq(2) ** max(0, int(math.ceil(math.log2(float(16 * top)))))
    NL, sL = _rational(e, c, extra, -margin)
    NU, sU = _rational(e, c, extra, margin)
    x = fmpq_poly([0, 1])
    m1 = x + 1
    a1, b1 = a(m1), b(m1)
    dL, dU, dL1, dU1 = x ** sL, x ** sU, m1 ** sL, m1 ** sU
    NL1, NU1 = NL(m1), NU(m1)
    # the denominators m^s, (m+1)^s and a(m+1) + L(m+1) are positive where the checks hold
    checks = [
        NL,                                          # L(m) > 0
        a1 * dL1 + NL1,                              # a(m+1) + L(m+1) > 0
        b1 * dL * dU1 - NL * (a1 * dU1 + NU1),       # b(m+1) >= L(m) (a(m+1) + U(m+1))
        NU * (a1 * dL1 + NL1) - b1 * dU * dL1,       # U(m) (a(m+1) + L(m+1)) >= b(m+1)
    ]
    starts = []
    for i, P in enumerate(checks):
        s = first_index_from_which(P, strict=i < 2)
        if s is None:
            return None
        starts.append(s)
    return TailBounds(max(max(starts), 1), K, (NL, sL), (NU, sU))

