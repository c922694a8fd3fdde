"""Legacy baseline (commit e587b60; benchmark use only).  Private engine: a walk of 2x2 polynomial block matrices -> a PCF plus an exact Möbius map.

Setting (theory T4.4).  ``W(j+1) = W(j) B(j)`` for ``j >= 0`` with ``B(j)`` a 2x2 matrix of
polynomials in ``j`` and ``W(j)`` known exactly.  Write ``z_j`` for column ``col`` of ``W(j)``
(a pair ``(p, q)``).  Eliminating the other column gives, for ``j >= 0``,

    z_{j+2} = A(j) z_{j+1} + Bb(j) z_j,
    col 0:  A = alpha(j+1) + gamma(j+1) delta(j)/gamma(j),  Bb = -gamma(j+1) det B(j)/gamma(j)
    col 1:  A = delta(j+1) + beta(j+1) alpha(j)/beta(j),    Bb = -beta(j+1) det B(j)/beta(j)

with ``B = [[alpha, beta], [gamma, delta]]``.  The PCF ``(A(n-1), Bb(n-1))`` is cleared of
denominators by inflation, deflated and normalised; its convergent ``y_N`` then satisfies
``z_{N+1} ∝ G (y_N, 1)`` with a constant matrix ``G`` found from ``z_0, z_1``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import (
    ImmutableMatrix,
    Matrix,
    Poly,
    QQ,
    Rational,
    S,
    Symbol,
    expand,
)

from flint import fmpq, fmpq_poly

from esma_sympy.cf.pcf import PCF
from .equivalence import _fl_common_factor, inflate, normalizing_constant

__all__: list = []


@dataclass(frozen=True)
class _Candidate:
    pcf: PCF
    mobius: ImmutableMatrix  # z_{N+1} ∝ mobius * (P_N, Q_N)
    col: int
    factor: object  # total inflation factor c_t(n) from the raw recurrence


def _det2(u, v):
    return u[0] * v[1] - u[1] * v[0]


_X = fmpq_poly([0, 1])
_XM1 = fmpq_poly([-1, 1])
_XP1 = fmpq_poly([1, 1])


def _fl(e, j: Symbol) -> fmpq_poly:
    P = Poly(e, j, domain=QQ)
    return fmpq_poly([fmpq(int(Rational(c).p), int(Rational(c).q)) for c in P.all_coeffs()[::-1]])


def _fl_int_roots(P: fmpq_poly) -> list:
    out = []
    for f, _m in P.factor()[1]:
        if f.degree() == 1:
            c0, c1 = f.coeffs()
            r = -c0 / c1
            if r.q == 1:
                out.append(int(r.p))
    return out


def _fl_nonvanishing_from(P: fmpq_poly, start: int) -> bool:
    return not P.is_zero() and all(r < start for r in _fl_int_roots(P))


def _fl_monic(P: fmpq_poly) -> fmpq_poly:
    return P / P.coeffs()[-1]


def _to_expr(P: fmpq_poly, n: Symbol):
    return sum((Rational(int(c.p), int(c.q)) * n**i for i, c in enumerate(P.coeffs())), S.Zero)


def eliminate(B: Matrix, j: Symbol, z0, z1, n: Symbol, col: int):
    """One elimination; ``None`` when it does not apply for every ``j >= 0``.

    ``z0``, ``z1``: the exact column ``col`` of ``W(0)``, ``W(1)`` (pairs of Rationals).
    All polynomial arithmetic is exact (python-flint ``fmpq_poly``).
    """
    al, be, ga, de = [_fl(expand(x), j) for x in (B[0, 0], B[0, 1], B[1, 0], B[1, 1])]
    det = al * de - be * ga
    # a singular block would collapse the walk: require det B(j) != 0 for every j >= 0
    if not _fl_nonvanishing_from(det, 0):
        return None
    if col == 0:
        piv, first, other = ga, al, de
    else:
        piv, first, other = be, de, al
    # the pivot must be nonzero at every j >= 0 (the elimination divides by it)
    if not _fl_nonvanishing_from(piv, 0):
        return None
    piv1 = piv(_XP1)
    # A = (first(j+1) piv(j) + piv(j+1) other(j)) / piv(j);  Bb = -piv(j+1) det(j) / piv(j)
    An, Bn, D = first(_XP1) * piv + piv1 * other, -piv1 * det, piv
    # PCF level n <-> j = n - 1
    An, Bn, D = An(_XM1), Bn(_XM1), D(_XM1)
    ga_, gb_ = An.gcd(D), Bn.gcd(D)
    Ad, Bd = D // ga_, D // gb_
    An, Bn = An // ga_, Bn // gb_
    c = _fl_monic(Ad * Bd // Ad.gcd(Bd))  # lcm: c A and c(n) c(n-1) Bb are polynomials
    a_c = An * (c // Ad)
    b_c = Bn * (c // Bd) * c(_XM1)
    if b_c.is_zero():
        return None
    g = _fl_common_factor(a_c, b_c) if not a_c.is_zero() else fmpq_poly([1])
    a_d, b_d = a_c // g, b_c // (g * g(_XM1))
    pcf0 = PCF(_to_expr(a_d, n), _to_expr(b_d, n), n)
    kappa = normalizing_constant(pcf0)
    kq = fmpq(int(kappa.p), int(kappa.q))
    a_f, b_f = a_d * kq, b_d * kq * kq
    # total factor c_t = c kappa / g must be finite and nonzero at every N >= 0 (T4.1)
    if not (_fl_nonvanishing_from(c, 0) and _fl_nonvanishing_from(g, 0)):
        return None
    pcf = PCF(_to_expr(a_f, n), _to_expr(b_f, n), n)
    a0 = a_f(0)
    ct0 = c(0) * kq / g(0)
    a0, ct0 = Rational(int(a0.p), int(a0.q)), Rational(int(ct0.p), int(ct0.q))
    G = Matrix([[z0[0], ct0 * z1[0] - a0 * z0[0]], [z0[1], ct0 * z1[1] - a0 * z0[1]]])
    if G.det() == 0:
        return None
    return _Candidate(pcf, ImmutableMatrix(G), col, (c, kq, g))


def absorb_diagonal(cand: _Candidate, n: Symbol) -> _Candidate:
    """If ``G`` is diagonal, inflate by the constant ``g11/g22`` so that ``G`` becomes ``I``."""
    G = cand.mobius
    if G[0, 1] == 0 and G[1, 0] == 0:
        r = Rational(G[0, 0]) / Rational(G[1, 1])
        pcf = inflate(cand.pcf, r) if r != 1 else cand.pcf
        return _Candidate(pcf, ImmutableMatrix([[1, 0], [0, 1]]), cand.col, cand.factor)
    return cand


def is_identity(G) -> bool:
    return G[0, 1] == 0 and G[1, 0] == 0 and G[0, 0] == G[1, 1]


def apply_mobius(G, y):
    """``(g11 y + g12)/(g21 y + g22)`` for a Rational ``y`` (``None`` for a pole or ``y = None``)."""
    if y is None:
        return None
    den = G[1, 0] * y + G[1, 1]
    if den == 0:
        return None
    return (G[0, 0] * y + G[0, 1]) / den


def cost(c: _Candidate):
    da, db = c.pcf.degrees()
    integral = all(Rational(x).q == 1 for x in Poly(c.pcf.a, c.pcf.index).all_coeffs() +
                   Poly(c.pcf.b, c.pcf.index).all_coeffs())
    return (0 if is_identity(c.mobius) else 1, da + db, max(da, db), 0 if integral else 1)
