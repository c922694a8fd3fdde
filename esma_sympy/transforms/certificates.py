"""Equivalence of polynomial continued fractions: coboundaries, certificates, a decision procedure.

Two PCFs ``p, q`` with step matrices ``M_p(n), M_q(n)`` (``as_matrix``) are *coboundary
equivalent* when a 2x2 matrix ``U(n)`` of polynomials and a rational function ``λ(n)``
satisfy

    M_p(n) U(n+1) = λ(n) U(n) M_q(n)     (identically in n).

Then for every ``N``: ``W_p(N) U(N+1) = Λ_N K W_q(N)`` with ``Λ_N = λ(1)···λ(N)`` and the
constant ``K = S_p U(1) S_q^{-1}`` (``S = walk_start``), and under the side conditions of
theory T4.9 (``λ(n)`` finite and nonzero and ``det U(n) ≠ 0`` for ``n >= 1``, both fractions
convergent, distinct limit points of ``U(n)^{-1}·∞`` and ``U(n)^{-1}·0``) the limits satisfy
``x_p = K(x_q)``.  :func:`is_equivalent` also contracts either side ``k``-fold first
(theory T4.5), so that ``x_p = G_p K G_q^{-1} (x_q)`` with the contractions' Möbius maps.

Everything is exact arithmetic in the ring of :mod:`._engine`; SymPy objects are built only for
the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from math import isqrt

from flint import fmpq, fmpq_mat
from sympy import ImmutableMatrix, Matrix, Rational, Symbol

from .._args import check_int
from ..cf.pcf import PCF
from ..verdict import Certificate, ProofStatus
from ._eliminate import RF
from ._engine import Ring, factors, mat_mul, nonvanishing
from .equivalence import deflate_all, normalize

__all__ = ["EquivalenceCertificate", "NotEquivalent", "canonical", "find_coboundary", "is_equivalent"]


# -- the ring data of a pair ----------------------------------------------------------------

def _numeric_ring(p: PCF, q: PCF, who: str = "is_equivalent"):
    """``(R, (a_p, b_p), (a_q, b_q))`` with ``q`` rewritten in ``p``'s index."""
    for x, name in ((p, "p"), (q, "q")):
        if not isinstance(x, PCF):
            raise TypeError(f"{name} must be a PCF, got {x!r} of type {type(x).__name__}")
    n = p.index
    qq = q if q.index == n else PCF(q.a.xreplace({q.index: n}), q.b.xreplace({q.index: n}), n)
    R = Ring.of(n, p.a, p.b, qq.a, qq.b)
    if R.has_params:
        raise ValueError(f"{who}: p and q must not have free parameters, got "
                         f"{', '.join(map(str, R.params))}; substitute values first")
    return R, _ab(R, p, "p"), _ab(R, qq, "q")


@lru_cache(maxsize=4096)
def _ab(R: Ring, x: PCF, name: str) -> tuple:
    return R.poly(x.a, f"{name}.a"), R.poly(x.b, f"{name}.b")


def _step(R: Ring, ab):
    a, b = ab
    return ((a, R.one), (b, R.zero))


def _start(R: Ring, ab):
    return ((R.at(ab[0], 0), R.one), (R.one, R.zero))


def _lc(P) -> fmpq:
    return P.leading_coefficient()


def _sqrt_q(r: fmpq):
    """The nonnegative rational square root of ``r``, or ``None``."""
    if r < 0:
        return None
    a, b = int(r.p), int(r.q)
    sa, sb = isqrt(a), isqrt(b)
    if sa * sa != a or sb * sb != b:
        return None
    return fmpq(sa, sb)


def invariant_obstruction(R: Ring, ab_p, ab_q):
    """A reason why no coboundary (with polynomial ``U`` and rational ``λ``) can relate the two
    fractions, or ``None`` (theory T4.13): the determinant identity
    ``b_p(n) δ(n+1) = λ(n)² b_q(n) δ(n)`` (``δ = det U``) forces ``deg b_p ≡ deg b_q (mod 2)``
    and ``lc(b_p)/lc(b_q)`` to be the square of a rational."""
    bp, bq = ab_p[1], ab_q[1]
    dp, dq = R.deg(bp), R.deg(bq)
    if (dp - dq) % 2:
        return (f"deg b_p - deg b_q = {dp} - {dq} is odd, but the determinant identity "
                f"b_p(n) δ(n+1) = λ(n)² b_q(n) δ(n) makes it even")
    r = _lc(bp) / _lc(bq)
    if _sqrt_q(r) is None:
        return (f"lc(b_p)/lc(b_q) = {r} is not the square of a rational, but the determinant "
                f"identity b_p(n) δ(n+1) = λ(n)² b_q(n) δ(n) makes it lc(λ)²")
    return None


# -- the linear algebra -------------------------------------------------------------------------

def _orbit_key(R: Ring, f):
    """``(key, k)`` with ``f(n) = g(n + k)`` for the orbit representative ``g`` named by ``key``:
    monic irreducible ``f`` of degree ``d`` with ``f = n^d + c n^{d-1} + ...`` is the shift by
    ``k = floor(c/d)`` of ``f(n - k)``, whose coefficient ``c - d k`` lies in ``[0, d)``."""
    d = R.deg(f)
    c = f.to_dict().get((d - 1,), fmpq(0))
    q = c / d
    k = int(q.p) // int(q.q)  # floor
    g = R.shift(f, -k)
    return str(g), k, g


def _lambda_shapes(R: Ring, bp, bq, max_lambda_degree: int, max_degree: int = 2) -> list:
    """Pairs ``(ν, μ)`` of monic polynomials for ``λ = κ ν/μ`` (theory T4.9, T4.13).

    Taking determinants, ``δ(n+1)/δ(n) = κ² ν(n)² b_q(n) / (μ(n)² b_p(n))`` with
    ``δ = det U``, a polynomial of degree ``<= 2 max_degree``.  Along each orbit
    ``{g(n + k)}`` of an irreducible factor under integer shifts write ``m(k)`` for the
    multiplicity of ``g(n + k)`` in the right-hand side (numerator minus denominator); then
    ``m(k) = s(k-1) - s(k)`` with ``s(k)`` the multiplicity of ``g(n + k)`` in ``δ``, so the
    prefix sums ``Σ_{j <= k} m(j) = -s(k)`` must be ``<= 0`` and vanish eventually.  Each
    orbit's choices (factors of ``ν`` or ``μ`` at shifts near those of ``b_p, b_q``, plus at
    most one cancelling pair) are filtered by this condition; the total degree of ``δ`` is
    bounded.  An orbit with odd net multiplicity admits no shape.
    """
    from itertools import combinations_with_replacement

    if (R.deg(bp) - R.deg(bq)) % 2:
        return []
    orbits = {}
    for sgn, b in ((-1, bp), (1, bq)):
        for f, m in factors(b):
            f = f / f.leading_coefficient()
            key, k, g = _orbit_key(R, f)
            o = orbits.setdefault(key, [g, {}, set()])
            o[1][k] = o[1].get(k, 0) + sgn * m
            o[2].update((k - 1, k, k + 1))
    choices = []
    for key, (g, mult, shifts) in orbits.items():
        net2 = sum(mult.values())
        if net2 % 2:
            return []
        net = -net2 // 2  # ν gets `net` more factors of the orbit than μ
        sh = sorted(shifts)
        dg = R.deg(g)
        opts = []
        for t in (0, 1):
            nnu, nmu = max(net, 0) + t, max(-net, 0) + t
            for cnu in combinations_with_replacement(sh, nnu):
                for cmu in combinations_with_replacement(sh, nmu):
                    if t and set(cnu) & set(cmu):
                        continue
                    m = dict(mult)
                    for k in cnu:
                        m[k] = m.get(k, 0) + 2
                    for k in cmu:
                        m[k] = m.get(k, 0) - 2
                    run, sdeg, ok = 0, 0, True
                    for k in sorted(m):
                        run += m[k]
                        if run > 0:
                            ok = False
                            break
                        sdeg -= run
                    if not ok or run != 0:
                        continue
                    # s(k) = -run is constant between the listed shifts: count the gaps
                    ks = sorted(m)
                    run, sdeg = 0, 0
                    for i, k in enumerate(ks[:-1]):
                        run += m[k]
                        sdeg += -run * (ks[i + 1] - k)
                    nu, mu = R.one, R.one
                    for k in cnu:
                        nu = nu * R.shift(g, k)
                    for k in cmu:
                        mu = mu * R.shift(g, k)
                    opts.append((sdeg * dg, nu, mu))
        if not opts:
            return []
        choices.append(opts)
    shapes = []
    bound = max_lambda_degree + abs(R.deg(bp) - R.deg(bq)) // 2 + 2
    opts = [sorted(((d, nu, mu, R.deg(nu) + R.deg(mu)) for d, nu, mu in c), key=lambda t: (t[0], t[3]))
            for c in choices]

    def walk(i, ddeg, ldeg, nu, mu):  # depth-first over the orbits, pruned by both bounds
        if i == len(opts):
            shapes.append((ddeg, nu, mu))
            return
        for d, x, y, dl in opts[i]:
            if ddeg + d > 2 * max_degree:
                break
            if ldeg + dl <= bound:
                walk(i + 1, ddeg + d, ldeg + dl, nu * x, mu * y)

    walk(0, 0, 0, R.one, R.one)
    shapes.sort(key=lambda t: (t[0], R.deg(t[1]) + R.deg(t[2]), str(t[1]), str(t[2])))
    return [(nu, mu) for _d, nu, mu in shapes]


def _coeff_list(R: Ring, P) -> list:
    d = P.to_dict()
    if not d:
        return []
    deg = P.degrees()[0]
    return [d.get((e,), fmpq(0)) for e in range(deg + 1)]


def _solve(R: Ring, Mp, Mq, nu, mu, kappa: fmpq, degree: int, C=None):
    """Solve ``Mp(n) U(n+1) μ(n) = κ ν(n) U(n) Mq(n)`` for a polynomial ``U`` (entries of degree
    ``<= degree``) with ``det U ≢ 0``, or ``None``.  Exact linear algebra over QQ (FLINT).

    With ``C`` (a 2x2 list of ``fmpq``) the extra condition ``U(1) = t C`` is imposed.
    """
    n = R.n
    cols = []  # one column per unknown: the residual's 4 entries
    for r in range(2):
        for c in range(2):
            for i in range(degree + 1):
                mono = n ** i if i else R.one
                m1 = R.shift(mono, 1) * mu
                m2 = mono * nu * kappa
                E = [[R.zero, R.zero], [R.zero, R.zero]]
                for rr in range(2):
                    # (Mp X)(rr, c) with X = e_rc mono(n+1) μ
                    E[rr][c] = E[rr][c] + Mp[rr][r] * m1
                for cc in range(2):
                    # (X Mq)(r, cc) with X = e_rc mono κ ν
                    E[r][cc] = E[r][cc] - m2 * Mq[c][cc]
                cols.append([_coeff_list(R, E[rr][cc]) for rr in range(2) for cc in range(2)])
    D = max((len(e) for col in cols for e in col), default=0)
    D = max(D, 1)
    extra = 0 if C is None else 1
    nunk = len(cols) + extra
    A = fmpq_mat(4 * D + 4 * extra, nunk)
    for j, col in enumerate(cols):
        for e, cl in enumerate(col):
            for d, x in enumerate(cl):
                if x != 0:
                    A[e * D + d, j] = x
    if C is not None:  # U(1) = t C: sum_i u_{e,i} - t C_e = 0
        for e in range(4):
            for i in range(degree + 1):
                A[4 * D + e, e * (degree + 1) + i] = 1
            A[4 * D + e, len(cols)] = -C[e // 2][e % 2]
    Z, nullity = A.numer_denom()[0].nullspace()
    if nullity == 0:
        return None
    basis = [[fmpq(Z[r, t]) for r in range(nunk)] for t in range(nullity)]
    trials = list(basis)
    if nullity > 1:
        trials += [[sum((w * v[r] for w, v in zip(ws, basis)), fmpq(0)) for r in range(nunk)]
                   for ws in ([1] * nullity, list(range(1, nullity + 1)))]
    for u in trials:
        if all(x == 0 for x in u[:len(cols)]):
            continue
        ents = []
        for e in range(4):
            P = R.zero
            for i in range(degree + 1):
                x = u[e * (degree + 1) + i]
                if x != 0:
                    P = P + (n ** i if i else R.one) * x
            ents.append(P)
        U = ((ents[0], ents[1]), (ents[2], ents[3]))
        if not (U[0][0] * U[1][1] - U[0][1] * U[1][0]).is_zero():
            return _primitive(R, U)
    return None


def _primitive(R: Ring, U):
    from math import gcd as igcd

    L, G = 1, 0
    ents = [x for row in U for x in row]
    for P in ents:
        for c in P.to_dict().values():
            L = L * int(c.q) // igcd(L, int(c.q))
    for P in ents:
        for c in P.to_dict().values():
            G = igcd(G, int((c * L).p))
    s = fmpq(L, G) if G else fmpq(1)
    first = next(P for P in ents if not P.is_zero())
    # sign: the lowest-degree coefficient of the first nonzero entry positive
    lowest = first.to_dict()[min(first.to_dict())]
    if lowest < 0:
        s = -s
    return tuple(tuple(P * s for P in row) for row in U)


def _coboundary(R: Ring, ab_p, ab_q, *, max_degree: int, max_lambda_degree: int, target=None):
    """``(U, λ)`` in the ring (``λ`` an :class:`RF`) or ``None``.  ``target``: a 2x2 fmpq matrix
    ``K0``; if given, ``K = S_p U(1) S_q^{-1}`` must be a multiple of ``K0``."""
    if invariant_obstruction(R, ab_p, ab_q) is not None:
        return None
    Mp, Mq = _step(R, ab_p), _step(R, ab_q)
    shapes = _lambda_shapes(R, ab_p[1], ab_q[1], max_lambda_degree, max_degree)
    s = _sqrt_q(_lc(ab_p[1]) / _lc(ab_q[1]))
    kappas = [s, -s]
    C = None
    if target is not None:
        Sp, Sq = _fmpq_mat(_start(R, ab_p)), _fmpq_mat(_start(R, ab_q))
        Cm = Sp.inv() * _m2(target) * Sq
        C = [[Cm[0, 0], Cm[0, 1]], [Cm[1, 0], Cm[1, 1]]]
    for d in range(0, max_degree + 1):
        for (nu, mu), kappa in product(shapes, kappas):
            U = _solve(R, Mp, Mq, nu, mu, kappa, d, C)
            if U is None:
                continue
            lam = RF(nu * kappa, mu)
            if _identity_holds(R, Mp, Mq, U, lam):
                return U, lam
    return None


def _m2(K):
    M = fmpq_mat(2, 2)
    for r in range(2):
        for c in range(2):
            M[r, c] = K[r][c]
    return M


def _fmpq_mat(W):
    """A 2x2 matrix of constant ring elements as an ``fmpq_mat``."""
    M = fmpq_mat(2, 2)
    for r in range(2):
        for c in range(2):
            d = W[r][c].to_dict()
            M[r, c] = next(iter(d.values())) if d else 0
    return M


def _identity_holds(R: Ring, Mp, Mq, U, lam: RF) -> bool:
    """``M_p(n) U(n+1) μ(n) = ν(n) U(n) M_q(n)`` exactly, for ``λ = ν/μ``."""
    U1 = tuple(tuple(R.shift(x, 1) for x in row) for row in U)
    L = mat_mul(Mp, U1)
    Rr = mat_mul(U, Mq)
    return all((L[r][c] * lam.den - lam.num * Rr[r][c]).is_zero() for r in range(2) for c in range(2))


# -- certificates ----------------------------------------------------------------------------

def _integer_roots_numeric(R: Ring, P) -> list:
    out = []
    for f, _m in factors(P):
        if R.is_numeric(f) and f.degrees()[0] == 1:
            d = f.to_dict()
            c1 = d.get((1,) + (0,) * (len(R.symbols) - 1))
            c0 = d.get((0,) * len(R.symbols), fmpq(0))
            r = -c0 / c1
            if r.q == 1:
                out.append(int(r.p))
    return out


def _limit_point(R: Ring, P, Q):
    """``lim_{n→∞} P(n)/Q(n)`` in the projective line: an ``fmpq`` or ``'oo'``."""
    if Q.is_zero():
        return "oo"
    if P.is_zero():
        return fmpq(0)
    dp, dq = R.deg(P), R.deg(Q)
    if dp > dq:
        return "oo"
    if dp < dq:
        return fmpq(0)
    cp = P.to_dict().get((dp,), fmpq(0))
    cq = Q.to_dict().get((dq,), fmpq(0))
    return cp / cq


def _to_flint1(R: Ring, P):
    from flint import fmpq_poly

    return fmpq_poly(_coeff_list(R, P)) if not P.is_zero() else fmpq_poly([])


def ratio_diverges(R: Ring, ab) -> bool:
    """Whether ``|q_N / q_{N-1}| → ∞`` is proven for ``PCF(a, b)`` (theory T4.9, lemma L1).

    With ``d = deg a >= 1``, ``2d >= deg b``, ``α = |lc a|`` and ``β`` the coefficient of
    ``n^{2d}`` in ``b``, ``α² > 4|β|``: put ``g(n) = (α/2) n^d``.  If from some ``N0`` on ``a``
    has a constant sign, ``|a(N)| g(N-1) - |b(N)| - g(N) g(N-1) >= 0`` and
    ``|q_{N0}/q_{N0-1}| >= g(N0)`` (checked exactly), then by induction
    ``|q_N/q_{N-1}| >= |a(N)| - |b(N)|/g(N-1) >= g(N)`` for every ``N >= N0``."""
    from flint import fmpq_poly

    from ..numeric.polyineq import first_index_from_which

    a, b = ab
    d, db = R.deg(a), R.deg(b)
    if d < 1 or db > 2 * d:
        return None
    A, B = _to_flint1(R, a), _to_flint1(R, b)
    alpha = abs(A.coeffs()[-1])
    beta = B.coeffs()[2 * d] if B.degree() == 2 * d else fmpq(0)
    if alpha * alpha <= 4 * abs(beta):
        return None
    sA = A if A.coeffs()[-1] > 0 else -A
    g = fmpq_poly([0] * d + [alpha / 2])
    shift = fmpq_poly([-1, 1])
    gm, Am = g(shift), sA
    core = Am * gm - g * gm
    starts = [first_index_from_which(sA(shift), strict=True), first_index_from_which(core - B),
              first_index_from_which(core + B)]
    if any(x is None for x in starts):
        return None
    N0 = max(max(starts), 1)
    q1, q0 = fmpq(0), fmpq(1)  # (q_{N-1}, q_N) from N = 0
    for N in range(1, N0 + 40):
        q1, q0 = q0, A(N) * q0 + B(N) * q1
        if N >= N0 and q1 != 0 and abs(q0 / q1) >= g(N):
            # |q_N/q_{N-1}| lies between g(N) ~ (α/2) N^d and |a(N)| + |b(N)|/g(N-1)
            # ~ (α + 2|β'|/α) N^d, with β' the coefficient of n^{2d} in |b|: so
            # ρ_N = q_{N-1}/q_N has |ρ_N| N^d in [1/(α + 2|β|/α), 2/α] asymptotically.
            return d, 1 / (alpha + 2 * abs(beta) / alpha), 2 / alpha
    return None


def positive_denominators(R: Ring, ab) -> bool:
    """Whether ``a(n) > 0`` and ``b(n) > 0`` for every ``n >= 1`` (then every ``q_N > 0``)."""
    from ..numeric.polyineq import holds_from

    A, B = _to_flint1(R, ab[0]), _to_flint1(R, ab[1])
    return bool(holds_from(A, 1, strict=True)) and bool(holds_from(B, 1, strict=True))


def _eventually_nonneg(R: Ring, P, Q) -> bool:
    """Whether ``P(n)/Q(n) >= 0`` for all large ``n`` (``P ≡ 0`` included)."""
    if P.is_zero():
        return True
    if Q.is_zero():
        return False
    return (P.leading_coefficient() > 0) == (Q.leading_coefficient() > 0)


def _safe_point(R: Ring, P, Q, rate) -> bool:
    """Whether the point ``t_N = P(N+1)/Q(N+1)`` keeps ``|ρ_N/(t_N + ρ_N)|`` bounded, given
    ``rate = (d, lo, hi)`` from :func:`ratio_diverges` (``|ρ_N| N^d`` ends in ``[lo, hi]``):
    ``t ≡ 0``; or ``t`` decays slower or faster than ``N^{-d}``; or it decays like
    ``c N^{-d}`` with ``|c|`` outside ``[lo, hi]`` (lemma L1)."""
    if rate is None or Q.is_zero():
        return False
    if P.is_zero():
        return True
    d, lo, hi = rate
    e = R.deg(Q) - R.deg(P)
    if e != d:
        return True
    c = abs(P.leading_coefficient() / Q.leading_coefficient())
    return c < lo or c > hi


def approximants_converge(R: Ring, ab_p, ab_q, U) -> str:
    """The reason the limits are related by the coboundary, or ``''`` (theory T4.9 (H4)).

    ``x^p_N = K(W_q(N)·τ_N)`` and ``x^p_{N-1} = K(W_q(N)·σ_N)`` with ``τ_N = U(N+1)^{-1}·∞``,
    ``σ_N = U(N+1)^{-1}·0``; symmetrically ``x^q_N = K^{-1}(W_p(N)·t_N)`` with
    ``t_N = U(N+1)·∞`` and ``s_N = U(N+1)·0``.  Either (a) the cross-ratio
    ``σ_N/τ_N = u01 u10/(u00 u11)`` does not tend to 1 (no cancellation of the leading terms of
    ``det U``), or (b) one of these points has a nonzero limit and the fraction it is applied to
    has ``|q_N/q_{N-1}| → ∞`` (:func:`ratio_diverges`)."""
    (u00, u01), (u10, u11) = U
    det = u00 * u11 - u01 * u10
    top = max(R.deg(u00 * u11), R.deg(u01 * u10))
    if R.deg(det) >= top:
        return "cross-ratio"
    rq = ratio_diverges(R, ab_q)
    if _safe_point(R, u11, -u10, rq) or _safe_point(R, -u01, u00, rq):
        return "modified approximants of q (L1)"
    rp = ratio_diverges(R, ab_p)
    if _safe_point(R, u00, u10, rp) or _safe_point(R, u01, u11, rp):
        return "modified approximants of p (L1)"
    # (c) positive denominators and a point that stays >= 0: |ρ/(τ + ρ)| <= 1 (lemma L2)
    if positive_denominators(R, ab_q) and (_eventually_nonneg(R, u11, -u10) or _eventually_nonneg(R, -u01, u00)):
        return "modified approximants of q (L2)"
    if positive_denominators(R, ab_p) and (_eventually_nonneg(R, u00, u10) or _eventually_nonneg(R, u01, u11)):
        return "modified approximants of p (L2)"
    return ""


@dataclass(frozen=True)
class EquivalenceCertificate(Certificate):
    r"""A coboundary ``M_{p'}(n) U(n+1) = λ(n) U(n) M_{q'}(n)`` between ``p' = p`` (or its
    ``k``-fold contraction) and ``q' = q`` (or its contraction), with every hypothesis of
    theory T4.9 checked by :meth:`check`.

    ``mobius`` is the total Möbius map: ``x_p = mobius(x_q)`` for the limits (the
    :attr:`relation` it proves).  A :class:`~esma_sympy.verdict.Certificate`.  Truthy, so
    ``if is_equivalent(p, q):`` reads naturally; ``truth`` is ``True`` and ``status`` is
    ``ProofStatus.EQUIVALENT``.

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> cert = is_equivalent(PCF(n + 3, -n, n), PCF(n + 3, -n, n))
    >>> bool(cert), cert.check(), cert.status == 'equivalent', cert.truth
    (True, True, True, True)
    >>> cert.relation
    'value(p) = M(value(q)) with M = [[1, 0], [0, 1]]'

    Attributes
    ==========

    p, q : PCF
    U : ImmutableMatrix
        Polynomial entries in ``n``.
    lam : Expr
        The rational function ``λ(n)``.
    n : Symbol
    contraction_p, contraction_q : tuple
        ``(k, offset)`` of the contraction applied to each side first (``(1, 0)``: none).
    """

    p: PCF
    q: PCF
    U: ImmutableMatrix
    lam: object
    n: Symbol
    contraction_p: tuple = (1, 0)
    contraction_q: tuple = (1, 0)
    dps: int = field(default=15, compare=False)

    status = ProofStatus.EQUIVALENT
    truth = True

    def __post_init__(self):
        for x, name in ((self.p, "p"), (self.q, "q")):
            if not isinstance(x, PCF):
                raise TypeError(f"{name} must be a PCF, got {x!r} of type {type(x).__name__}")
        if not isinstance(self.n, Symbol):
            raise TypeError(f"n must be a Symbol, got {self.n!r}")
        U = Matrix(self.U)
        if U.shape != (2, 2):
            raise ValueError(f"U must be a 2x2 matrix, got shape {U.shape}")
        R = Ring(self.n)
        ents = [R.poly(U[r, c], f"U[{r}, {c}]") for r in range(2) for c in range(2)]
        if (ents[0] * ents[3] - ents[1] * ents[2]).is_zero():
            raise ValueError(f"U = {U.tolist()} is degenerate: det U is identically zero")
        if RF(*R.ratfunc(self.lam, "lam")).is_zero():
            raise ValueError("lam must not be identically zero")
        for k, name in ((self.contraction_p, "contraction_p"), (self.contraction_q, "contraction_q")):
            if (not isinstance(k, tuple) or len(k) != 2 or not all(isinstance(v, int) for v in k)
                    or k[0] < 1 or not 0 <= k[1] < k[0]):
                raise ValueError(f"{name} must be a pair (k, offset) with k >= 1 and 0 <= offset < k, got {k!r}")

    # -- the parts ---------------------------------------------------------------------------
    def _sides(self):
        """``(R, ab_p', ab_q', G_p, G_q)``: the contracted sides and their Möbius maps (fmpq)."""
        from .contraction import contract

        out = []
        for x, (k, off) in ((self.p, self.contraction_p), (self.q, self.contraction_q)):
            x = x if x.index == self.n else PCF(x.a.xreplace({x.index: self.n}),
                                                  x.b.xreplace({x.index: self.n}), self.n)
            if k == 1 and off == 0:
                out.append((x, [[fmpq(1), fmpq(0)], [fmpq(0), fmpq(1)]]))
            else:
                f = contract(x, k, off, exact_value=False)
                G = [[_to_fmpq(f.mobius[r, c]) for c in range(2)] for r in range(2)]
                out.append((PCF(f.pcf.a.xreplace({f.pcf.index: self.n}),
                                f.pcf.b.xreplace({f.pcf.index: self.n}), self.n), G))
        (pp, Gp), (qq, Gq) = out
        R, ab_p, ab_q = _numeric_ring(pp, qq, "EquivalenceCertificate")
        return R, ab_p, ab_q, Gp, Gq

    def _ring_U(self, R):
        U = [[R.poly(self.U[r, c], f"U[{r}, {c}]") for c in range(2)] for r in range(2)]
        lam = RF(*R.ratfunc(self.lam, "lam"))
        return ((U[0][0], U[0][1]), (U[1][0], U[1][1])), lam

    def hypotheses(self) -> dict:
        """Each hypothesis of theory T4.9 with whether it holds (exact, except convergence,
        which rests on the certified evaluation of theory T1.9).

        >>> from sympy.abc import n
        >>> from esma_sympy import PCF
        >>> from esma_sympy.transforms import inflate
        >>> p = PCF(n + 3, -n, n)
        >>> sorted(is_equivalent(p, inflate(p, n + 1)).hypotheses().items())   # doctest: +NORMALIZE_WHITESPACE
        [('both converge', True), ('coboundary identity', True),
         ('det U(n) != 0 for n >= 1', True), ('lambda(n) finite and nonzero for n >= 1', True),
         ('limits agree', True), ('modified approximants converge', True)]
        """
        out = {}
        try:
            R, ab_p, ab_q, Gp, Gq = self._sides()
            U, lam = self._ring_U(R)
        except (ValueError, TypeError) as exc:
            return {f"well-formed ({exc})": False}
        out["coboundary identity"] = _identity_holds(R, _step(R, ab_p), _step(R, ab_q), U, lam)
        ok_l = not lam.num.is_zero() and nonvanishing(R, lam.num, 1)[0] and nonvanishing(R, lam.den, 1)[0]
        out["lambda(n) finite and nonzero for n >= 1"] = ok_l
        det = U[0][0] * U[1][1] - U[0][1] * U[1][0]
        out["det U(n) != 0 for n >= 1"] = nonvanishing(R, det, 1)[0]
        out["modified approximants converge"] = bool(approximants_converge(R, ab_p, ab_q, U))
        conv, agree = self._limits(R, ab_p, ab_q, Gp, Gq, U)
        out["both converge"] = conv
        out["limits agree"] = agree
        return out

    def _limits(self, R, ab_p, ab_q, Gp, Gq, U):
        try:
            vp, vq = self.p.evaluate(self.dps), self.q.evaluate(self.dps)
        except Exception:  # noqa: BLE001 - a fraction without a certified value fails the check
            return False, False
        if not (vp.certified and vq.certified):
            return False, False
        K = self._mobius_fmpq(R, ab_p, ab_q, Gp, Gq, U)
        if K is None:
            return True, False
        x = vq.ball
        num, den = K[0][0] * x + K[0][1], K[1][0] * x + K[1][1]
        if den.contains(0):
            return True, False
        return True, bool((num / den).overlaps(vp.ball))

    def _mobius_fmpq(self, R, ab_p, ab_q, Gp, Gq, U):
        Sp, Sq = _fmpq_mat(_start(R, ab_p)), _fmpq_mat(_start(R, ab_q))
        U1 = fmpq_mat(2, 2)
        for r in range(2):
            for c in range(2):
                v = R.at(U[r][c], 1).to_dict()
                U1[r, c] = next(iter(v.values())) if v else 0
        K = _m2(Gp) * Sp * U1 * Sq.inv() * _m2(Gq).inv()
        if K.det() == 0:
            return None
        return [[K[0, 0], K[0, 1]], [K[1, 0], K[1, 1]]]

    def check(self) -> bool:
        """Whether every hypothesis of theory T4.9 holds (see :meth:`hypotheses`).

        >>> from sympy.abc import n
        >>> from esma_sympy import PCF
        >>> cert = find_coboundary(PCF(n + 3, -n, n), PCF(2*n + 6, -4*n, n))
        >>> cert.check(), cert.lam, cert.mobius.tolist()
        (True, 1/2, [[1, 0], [0, 2]])
        """
        return all(self.hypotheses().values())

    @property
    def relation(self) -> str:
        """``'value(p) = M(value(q)) with M = ...'``: the limits' relation (theory T4.9)."""
        return f"value(p) = M(value(q)) with M = {self.mobius.tolist()}"

    def steps(self) -> list:
        """The proof (theory T4.9) as ``(title, text)`` pairs: the claim, the contractions, the
        coboundary identity and each hypothesis with whether it holds.

        >>> from sympy.abc import n
        >>> from esma_sympy import PCF
        >>> cert = find_coboundary(PCF(n + 3, -n, n), PCF(2*n + 6, -4*n, n))
        >>> for title, text in cert.steps()[:3]:
        ...     print(f"{title}: {text}")
        Claim: value(PCF(n + 3, -n, n)) = M(value(PCF(2*n + 6, -4*n, n))) with M = [[1, 0], [0, 2]]
        Coboundary (T4.9): M_p(n) U(n+1) = lambda(n) U(n) M_q(n) with U = [[2, 0], [0, 1]], lambda = 1/2
        Hypothesis: coboundary identity: holds
        """
        hyp = self.hypotheses()
        out = self._stated_steps()
        out.extend(("Hypothesis", f"{k}: {'holds' if v else 'FAILS'}") for k, v in hyp.items())
        return out

    def _stated_steps(self) -> list:
        """The steps before the hypotheses: the claim, the contractions and the coboundary."""
        try:
            claim = self.relation.replace("value(p)", f"value({self.p})").replace("value(q)", f"value({self.q})")
        except ValueError as exc:
            claim = f"value({self.p}) = M(value({self.q})) ({exc})"
        out = [("Claim", claim)]
        for (k, off), name in ((self.contraction_p, "p"), (self.contraction_q, "q")):
            if (k, off) != (1, 0):
                out.append(("Contraction (T4.5)", f"{name} is replaced by its {k}-fold contraction at offset {off}"))
        out.append(("Coboundary (T4.9)", f"M_p(n) U(n+1) = lambda(n) U(n) M_q(n) with U = "
                                         f"{Matrix(self.U).tolist()}, lambda = {self.lam}"))
        return out

    def _repr_steps(self):
        """The notebook representations' steps: those of :meth:`steps` without re-checking
        the hypotheses (a representation proves nothing; :meth:`check` does).

        >>> from sympy.abc import n
        >>> from esma_sympy import PCF
        >>> cert = find_coboundary(PCF(n + 3, -n, n), PCF(2*n + 6, -4*n, n))
        >>> h, t = cert._repr_html_(), cert._repr_latex_()
        >>> ">equivalent</span>" in h, "Coboundary (T4.9)" in h, "Hypothesis" in h, t.startswith("$$")
        (True, True, False, True)
        """
        return self._stated_steps() + [("Hypotheses", "the side conditions of theory T4.9, "
                                                      "re-verified by check()")], False

    @property
    def mobius(self) -> ImmutableMatrix:
        """The total map ``x_p = mobius(x_q)``: ``G_p S_{p'} U(1) S_{q'}^{-1} G_q^{-1}``, scaled
        to coprime integers."""
        R, ab_p, ab_q, Gp, Gq = self._sides()
        U, _lam = self._ring_U(R)
        K = self._mobius_fmpq(R, ab_p, ab_q, Gp, Gq, U)
        if K is None:
            raise ValueError("the certificate's Möbius matrix is singular")
        ents = [Rational(int(x.p), int(x.q)) for row in K for x in row]
        from math import gcd, lcm

        L = lcm(*[int(e.q) for e in ents])
        ints = [int(e * L) for e in ents]
        g = 0
        for v in ints:
            g = gcd(g, v)
        sign = -1 if next(v for v in ints if v) < 0 else 1
        ints = [sign * v // g for v in ints]
        return ImmutableMatrix([[ints[0], ints[1]], [ints[2], ints[3]]])

    @property
    def same_value(self) -> bool:
        """Whether the limits are equal (``mobius`` is the identity)."""
        K = self.mobius
        return K[0, 1] == 0 and K[1, 0] == 0 and K[0, 0] == K[1, 1]

    def inverse(self) -> "EquivalenceCertificate":
        """The certificate for ``(q, p)``: ``U' = adj U``, ``λ' = δ(n+1)/(λ(n) δ(n))``."""
        n = self.n
        U = Matrix(self.U)
        from sympy import cancel

        d = cancel(U.det())
        return EquivalenceCertificate(self.q, self.p, ImmutableMatrix(U.adjugate()),
                                      cancel(d.xreplace({n: n + 1}) / (self.lam * d)), n,
                                      self.contraction_q, self.contraction_p, self.dps)

    def compose(self, other: "EquivalenceCertificate") -> "EquivalenceCertificate":
        """``(p ~ q) ∘ (q ~ r) = (p ~ r)`` with ``U = U_pq U_qr`` and ``λ = λ_pq λ_qr``
        (certificates without contractions)."""
        from sympy import cancel, expand

        if other.p != self.q:
            raise ValueError(f"other must start at {self.q}, got a certificate from {other.p}")
        if (self.contraction_q, other.contraction_p) != ((1, 0), (1, 0)):
            raise ValueError("compose needs certificates without contractions on the shared side")
        U2 = Matrix(other.U).xreplace({other.n: self.n})
        U = (Matrix(self.U) * U2).applyfunc(expand)
        return EquivalenceCertificate(self.p, other.q, ImmutableMatrix(U),
                                      cancel(self.lam * other.lam.xreplace({other.n: self.n})), self.n,
                                      self.contraction_p, other.contraction_q, self.dps)

    def __bool__(self) -> bool:
        return True


def _to_fmpq(x) -> fmpq:
    r = Rational(x)
    return fmpq(int(r.p), int(r.q))


@dataclass(frozen=True)
class NotEquivalent:
    """A negative or undecided answer of :func:`is_equivalent` (falsy).

    ``status`` is ``ProofStatus.DISPROVEN`` (``truth`` is ``False``; ``reason`` is valid:
    certified values that differ when the same value was asked for, or an invariant of
    coboundary equivalence that differs) or ``ProofStatus.UNKNOWN`` (``truth`` is ``None``).
    ``truth`` is the three-valued answer of SymPy's fuzzy logic (:mod:`sympy.core.logic`);
    ``bool()`` is ``False`` for both, as before, so use ``truth`` (or ``is_disproven``) to tell a
    disproof from an unknown.

    >>> from sympy.core.logic import fuzzy_not
    >>> from esma_sympy import PCF
    >>> ne = is_equivalent(PCF(1, 1), PCF(2, 1))
    >>> bool(ne), ne.status == 'disproven', ne.truth, fuzzy_not(ne.truth), ne.is_disproven
    (False, True, False, True, True)
    """

    status: ProofStatus
    reason: str

    def __post_init__(self):
        object.__setattr__(self, "status", ProofStatus.coerce(self.status))

    @property
    def truth(self):
        """``False`` (disproven) or ``None`` (unknown)."""
        return False if self.status == ProofStatus.DISPROVEN else None

    @property
    def is_disproven(self) -> bool:
        """Whether the pair is proven *not* to be equivalent (``truth is False``)."""
        return self.status is ProofStatus.DISPROVEN

    @property
    def is_unknown(self) -> bool:
        """Whether the question is undecided (``truth is None``)."""
        return self.status is ProofStatus.UNKNOWN

    def __bool__(self) -> bool:
        return False

    def _repr_html_(self) -> str:
        """The answer in a notebook: the status and the reason, as HTML.

        >>> from esma_sympy import PCF
        >>> h = is_equivalent(PCF(1, 1), PCF(2, 1))._repr_html_()
        >>> ">disproven</span>" in h and "reason" in h
        True
        """
        from .._notebook import answer_html

        return answer_html("NotEquivalent", self.status, self.reason)

    def _repr_latex_(self) -> str:
        r"""The answer in a notebook as LaTeX: ``$\text{NotEquivalent:}\ \textbf{status}\ ...$``.

        >>> from esma_sympy import PCF
        >>> t = is_equivalent(PCF(1, 1), PCF(2, 1))._repr_latex_()
        >>> t.startswith("$") and t.endswith("$") and r"\textbf{disproven}" in t
        True
        """
        from .._notebook import answer_latex

        return answer_latex("NotEquivalent", self.status, self.reason)


# -- the search --------------------------------------------------------------------------------

def find_coboundary(p: PCF, q: PCF, *, max_degree: int = 2, max_lambda_degree: int = 2,
                    same_value: bool = False):
    r"""Search a coboundary ``M_p(n) U(n+1) = λ(n) U(n) M_q(n)`` (theory T4.9).

    Explanation
    ===========

    ``U`` has polynomial entries of degree ``<= max_degree``; ``λ = κ ν/μ`` with ``ν, μ``
    monic products (degree ``<= max_lambda_degree``) of irreducible factors of ``b_p, b_q``
    and their shifts by ``±1``, and ``κ² = lc(b_p)/lc(b_q)`` (forced by the determinants).
    For each shape and sign the condition is a linear system over QQ in the coefficients of
    ``U`` (FLINT); with ``same_value=True`` the extra linear condition
    ``U(1) = t S_p^{-1} S_q`` makes the Möbius map the identity.  The identity is checked
    exactly; the side conditions are checked by :meth:`EquivalenceCertificate.check`.

    Examples
    ========

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> from esma_sympy.transforms import inflate
    >>> p = PCF(n + 3, -n, n)
    >>> cert = find_coboundary(p, inflate(p, n + 1))
    >>> cert.U.tolist(), cert.lam
    ([[n, 0], [0, 1]], 1/n)

    Returns
    =======

    EquivalenceCertificate or None
    """
    _check_bound(max_degree, "max_degree")
    _check_bound(max_lambda_degree, "max_lambda_degree")
    if not isinstance(same_value, bool):
        raise TypeError(f"same_value must be True or False, got {same_value!r}")
    R, ab_p, ab_q = _numeric_ring(p, q, "find_coboundary")
    target = [[fmpq(1), fmpq(0)], [fmpq(0), fmpq(1)]] if same_value else None
    res = _coboundary(R, ab_p, ab_q, max_degree=max_degree, max_lambda_degree=max_lambda_degree,
                      target=target)
    if res is None:
        return None
    return _certificate(R, p, q, res, (1, 0), (1, 0))


def _certificate(R, p, q, res, cp, cq):
    U, lam = res
    Um = ImmutableMatrix([[R.expr(x) for x in row] for row in U])
    return EquivalenceCertificate(p, q, Um, R.rf_expr(lam.num, lam.den), R.index, cp, cq)


def _check_bound(v, name):
    return check_int(v, name, 0)


def _contractions(x: PCF, k: int) -> list:
    """``[((k, offset), ab, G)]`` for the ``k``-fold contractions of ``x`` (``G`` fmpq)."""
    from .contraction import contract

    if k == 1:
        return [((1, 0), x, [[fmpq(1), fmpq(0)], [fmpq(0), fmpq(1)]])]
    out = []
    for off in range(k):
        try:
            f = contract(x, k, off, exact_value=False)
        except ValueError:
            continue
        G = [[_to_fmpq(f.mobius[r, c]) for c in range(2)] for r in range(2)]
        y = f.pcf
        out.append(((k, off), PCF(y.a.xreplace({y.index: x.index}), y.b.xreplace({y.index: x.index}),
                                  x.index), G))
    return out


def is_equivalent(p: PCF, q: PCF, *, same_value: bool = True, max_degree: int = 3,
                  max_k: int = 2, max_lambda_degree: int = 2, dps: int = 30):
    r"""Decide whether two PCFs are equivalent: a certificate, a valid disproof, or unknown.

    Explanation
    ===========

    The search (theory T4.9, T4.10, T4.13): compare canonical forms; then for every pair of
    contraction factors ``k_p, k_q <= max_k`` (and every offset) look for a coboundary with
    ``deg U <= max_degree`` between the contracted sides, pruned by the determinant invariant
    of T4.13.  A candidate is returned only when :meth:`EquivalenceCertificate.check` confirms
    every hypothesis (exact identity; ``λ`` finite and nonzero and ``det U ≠ 0`` from ``n = 1``
    on; both fractions convergent; the limit points of ``U^{-1}``; the certified limits agree),
    so a terminating or degenerate fraction is never certified.

    With ``same_value=True`` (default) the relation must map value to value (``mobius`` the
    identity), and certified values that differ at ``dps`` digits disprove it.  With
    ``same_value=False`` any Möbius relation counts, and the only disproof is an invariant of
    coboundary equivalence (T4.13) — never a difference of values.

    Examples
    ========

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> from esma_sympy.transforms import inflate
    >>> p = PCF(n + 3, -n, n)
    >>> bool(is_equivalent(p, inflate(p, n + 1)))     # c(0) = 1: the same value
    True
    >>> is_equivalent(p, inflate(p, n + 2), same_value=False).mobius.tolist()   # value times 2
    [[1, 0], [0, 2]]
    >>> ne = is_equivalent(p, PCF(2*n + 1, n**2, n))          # e vs 4/pi
    >>> bool(ne), ne.truth, ne.status
    (False, False, 'disproven')
    >>> brouncker, lange = PCF(2, (2*n - 1)**2, n), PCF(6, (2*n - 1)**2, n)   # 1 + 4/pi, pi + 3
    >>> cert = is_equivalent(brouncker, lange, same_value=False)
    >>> cert.U.tolist(), cert.mobius.tolist()
    ([[2*n + 1, 1], [4*n**2 - 4*n + 1, 2*n - 3]], [[1, 1], [1, -3]])
    >>> euler = PCF(2*n + 1, n**2, n)                                  # 4/pi
    >>> odd = PCF(2*(4*n + 1)*(6*n**2 + 3*n - 1), -n**2*(2*n - 1)**2*(4*n - 5)*(4*n + 3), n)
    >>> cert = is_equivalent(euler, odd, same_value=False)              # -6/pi: a contraction
    >>> cert.contraction_p, cert.mobius.tolist()
    ((2, 1), [[2, 0], [0, -3]])

    A terminating fraction is never certified (``b(4) = 0`` stops its convergents at 49/18):

    >>> t = PCF((3 - n)*(n + 3)/3, -(3 - n)*(4 - n)*n/9, n)
    >>> u = is_equivalent(PCF(n + 3, -n, n), t)
    >>> bool(u), u.truth, u.status
    (False, None, 'unknown')

    Parameters
    ==========

    p, q : PCF
        Polynomial coefficients, no free parameters.
    same_value : bool
    max_degree : int
        The largest degree of an entry of ``U``.
    max_k : int
        The largest contraction factor tried on either side.
    dps : int
        Digits of the certified evaluations (convergence and value checks).

    Returns
    =======

    EquivalenceCertificate or NotEquivalent
        A three-valued answer in the sense of SymPy's fuzzy logic (:mod:`sympy.core.logic`),
        read from ``.truth``: ``True`` (an :class:`EquivalenceCertificate` that checks),
        ``False`` (a :class:`NotEquivalent` with status ``'disproven'`` and the reason) or
        ``None`` (a :class:`NotEquivalent` with status ``'unknown'`` and the reason).
        ``bool()`` of the answer is ``True`` only for a certificate, as before;
        :func:`esma_sympy.verdict.fuzzy_truth` gives ``.truth`` of any answer.
    """
    max_degree = _check_bound(max_degree, "max_degree")
    max_lambda_degree = _check_bound(max_lambda_degree, "max_lambda_degree")
    max_k = check_int(max_k, "max_k", 1)
    dps = check_int(dps, "dps", 5)
    if not isinstance(same_value, bool):
        raise TypeError(f"same_value must be True or False, got {same_value!r}")
    R0, ab_p0, ab_q0 = _numeric_ring(p, q)
    for (a, b), name in ((ab_p0, "p"), (ab_q0, "q")):
        if b.is_zero():
            raise ValueError(f"{name}.b must not be identically zero")
        roots = [r for r in _integer_roots_numeric(R0, b) if r >= 1]
        if roots:  # the fraction stops at level min(roots): no limit, nothing to certify (T1.7)
            return NotEquivalent(ProofStatus.UNKNOWN, f"{name} terminates: b({min(roots)}) = 0, so it has no "
                                 f"limit and no relation can be certified")
    vals = {}

    def value(x):
        if x not in vals:
            try:
                v = x.evaluate(dps)
                vals[x] = v if v.certified else None
            except Exception:  # noqa: BLE001 - no certified value: convergence unproven
                vals[x] = None
        return vals[x]

    if same_value:
        vp, vq = value(p), value(q)
        if vp is not None and vq is not None and not vp.ball.overlaps(vq.ball):
            return NotEquivalent(ProofStatus.DISPROVEN, f"the certified values {vp.ball} and {vq.ball} are disjoint")
    obstruction = invariant_obstruction(R0, ab_p0, ab_q0)
    cert = _inflation_certificate(p, q, dps)
    if cert is not None and all(cert.hypotheses().values()) and (cert.same_value or not same_value):
        return cert
    failed = []
    pairs = sorted(product(range(1, max_k + 1), repeat=2), key=lambda t: (max(t), t))
    cache = {}

    def sides(x, k):
        if (x, k) not in cache:
            cache[x, k] = _contractions(x, k)
        return cache[x, k]

    for kp, kq in pairs:
        for (cp, xp, Gp), (cq, xq, Gq) in product(sides(p, kp), sides(q, kq)):
            R, ab_p, ab_q = _numeric_ring(xp, xq)
            if invariant_obstruction(R, ab_p, ab_q) is not None:
                continue
            target = None
            if same_value:  # x_p = G_p K G_q^{-1} x_q = x_q  <=>  K ∝ G_p^{-1} G_q
                T = _m2(Gp).inv() * _m2(Gq)
                target = [[T[0, 0], T[0, 1]], [T[1, 0], T[1, 1]]]
            res = _coboundary(R, ab_p, ab_q, max_degree=max_degree,
                              max_lambda_degree=max_lambda_degree, target=target)
            if res is None:
                continue
            cert = _certificate(R, p, q, res, cp, cq)
            cert = EquivalenceCertificate(cert.p, cert.q, cert.U, cert.lam, cert.n, cp, cq, dps)
            hyp = cert.hypotheses()
            if all(hyp.values()):
                if same_value and not cert.same_value:
                    continue
                return cert
            failed.append((cp, cq, [k for k, v in hyp.items() if not v]))
    if not same_value and obstruction is not None and max_k == 1 and not failed:
        return NotEquivalent(ProofStatus.DISPROVEN, f"no coboundary relates p and q: {obstruction}")
    why = f"no coboundary with deg U <= {max_degree} after contractions k <= {max_k}"
    if failed:
        cp, cq, bad = failed[0]
        why = (f"a coboundary exists (contractions {cp}, {cq}) but these hypotheses of its "
               f"certificate do not hold: {', '.join(bad)}")
    elif obstruction is not None:
        why += f"; p and q themselves are not coboundary equivalent: {obstruction}"
    if same_value:
        why += f"; the values were not separated at {dps} digits"
    return NotEquivalent(ProofStatus.UNKNOWN, why)


def _inflation_certificate(p: PCF, q: PCF, dps: int = 15):
    """When ``canonical(p) == canonical(q)``: ``q = inflate(p, r)`` with ``r = u/v``, and the
    coboundary ``U = diag(u(n-1), v(n-1))``, ``λ = v(n)/u(n-1)`` (T4.1 as a T4.9 identity)."""
    from .equivalence import common_factor, normalizing_constant

    n = p.index
    qq = q if q.index == n else PCF(q.a.xreplace({q.index: n}), q.b.xreplace({q.index: n}), n)
    try:
        cp, cq = canonical(p), canonical(qq)
    except ValueError:
        return None
    if cp != cq:
        return None
    R = Ring(n)
    fp, fq = RF(R.poly(common_factor(p), "c_p")), RF(R.poly(common_factor(qq), "c_q"))
    kp = normalizing_constant(deflate_all(p))
    kq = normalizing_constant(deflate_all(qq))
    r = fq / fp * RF(R.const(fmpq(int(kp.p), int(kp.q)))) / RF(R.const(fmpq(int(kq.p), int(kq.q))))
    u, v = r.num, r.den
    U = ImmutableMatrix([[R.expr(R.shift(u, -1)), 0], [0, R.expr(R.shift(v, -1))]])
    lam = R.expr(v) / R.expr(R.shift(u, -1))
    try:
        return EquivalenceCertificate(p, q, U, lam, n, dps=dps)
    except ValueError:
        return None


def canonical(pcf: PCF) -> PCF:
    r"""A canonical representative: ``normalize(deflate_all(pcf))`` (theory T4.10).

    Explanation
    ===========

    Removes every admissible polynomial factor (T4.2) and then the constant (T4.3).  The value
    of the result is ``pcf``'s value divided by ``common_factor(pcf)(0)`` and multiplied by the
    normalising constant; ``canonical`` is idempotent (theory T4.10).

    Examples
    ========

    >>> from sympy.abc import n, c
    >>> from esma_sympy import PCF
    >>> from esma_sympy.transforms import inflate
    >>> canonical(inflate(PCF(n + 3, -n, n), 3*(n + 1)*(2*n + 5)))
    PCF(n + 3, -n, n)
    >>> canonical(PCF(c*(n + 4), c**2*n**2, n))                # parameters too
    PCF(n + 4, n**2, n)

    Returns
    =======

    PCF
    """
    return normalize(deflate_all(pcf))
