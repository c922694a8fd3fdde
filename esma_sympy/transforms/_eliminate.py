"""Private engine: a walk of 2x2 polynomial block matrices -> a PCF plus an exact Möbius map.

Setting (theory T4.4).  ``W(j+1) = W(j) B(j)`` for ``j >= 0`` with ``B(j)`` a 2x2 matrix over
``Q[params][j]`` and ``W(j)`` known exactly.  Write ``z_j`` for column ``col`` of ``W(j)``
(a pair ``(p, q)``).  Eliminating the other column gives, for ``j >= 0``,

    z_{j+2} = A(j) z_{j+1} + Bb(j) z_j,
    col 0:  A = alpha(j+1) + gamma(j+1) delta(j)/gamma(j),  Bb = -gamma(j+1) det B(j)/gamma(j)
    col 1:  A = delta(j+1) + beta(j+1) alpha(j)/beta(j),    Bb = -beta(j+1) det B(j)/beta(j)

with ``B = [[alpha, beta], [gamma, delta]]``.  The PCF ``(A(n-1), Bb(n-1))`` is cleared of
denominators by inflation, deflated by its largest common factor and normalised; its
convergent ``y_N`` then satisfies ``z_{N+1} ∝ G (y_N, 1)`` with a constant matrix ``G`` found
from ``z_0, z_1``.  Everything is arithmetic in the ring of :mod:`._engine` (no SymPy).
"""

from __future__ import annotations

from flint import fmpq

from ._engine import RF, Ring, common_factor, mat_mul, nonvanishing, normalizing_constant

__all__: list = []


class Candidate:
    """One elimination: ``(a, b)`` in the ring, the Möbius matrix ``G`` (ring elements without
    ``n``, primitive), the walk column, the block start, and the side conditions."""

    __slots__ = ("ring", "a", "b", "G", "col", "s", "conditions", "key", "height")

    def __init__(self, ring, a, b, G, col, s, conditions):
        self.ring, self.a, self.b, self.G, self.col, self.s = ring, a, b, G, col, s
        self.conditions = conditions
        self.key = None
        self.height = None

    def degrees(self) -> tuple:
        R = self.ring
        return R.deg(self.a), R.deg(self.b)


def _height(P) -> int:
    h = 0
    for c in P.to_dict().values():
        h = max(h, abs(int(c.p)).bit_length(), int(c.q).bit_length())
    return h


def is_identity(G) -> bool:
    return G[0][1].is_zero() and G[1][0].is_zero() and G[0][0] == G[1][1]


def primitive_matrix(R: Ring, G) -> tuple:
    """Scale a 2x2 matrix of :class:`RF` (without ``n``) to a primitive polynomial matrix:
    integer content 1, no common polynomial factor, first nonzero entry with positive leading
    coefficient (the same Möbius map)."""
    ents = [G[0][0], G[0][1], G[1][0], G[1][1]]
    den = R.one
    for e in ents:
        if not e.den.is_one():
            den = den * e.den / den.gcd(e.den) if not den.is_one() else e.den
    polys = [e.num * (den / e.den) for e in ents]
    g = R.zero
    for P in polys:
        if not P.is_zero():
            g = P if g.is_zero() else g.gcd(P)
    if not g.is_constant():
        polys = [P / g for P in polys]
    # rational content: make coefficients coprime integers
    from math import gcd as igcd

    L, C = 1, 0
    for P in polys:
        for c in P.to_dict().values():
            L = L * int(c.q) // igcd(L, int(c.q))
    for P in polys:
        for c in P.to_dict().values():
            C = igcd(C, int((c * L).p))
    scale = fmpq(L) if C == 0 else fmpq(L, C)
    first = next(P for P in polys if not P.is_zero())
    if first.leading_coefficient() < 0:
        scale = -scale
    polys = [P * scale for P in polys]
    return ((polys[0], polys[1]), (polys[2], polys[3]))


def eliminate_raw(R: Ring, B, col: int):
    """The first half of an elimination (no walk values needed): ``(a, b, c, g, conditions)``
    with ``(a, b)`` the deflated, not yet normalised PCF, ``c`` the denominator cleared and
    ``g`` the common factor removed; ``None`` when it does not apply for every ``j >= 0``.

    ``B``: the block, a 2x2 tuple of ring elements in ``n`` (standing for ``j``).
    """
    (al, be), (ga, de) = B
    det = al * de - be * ga
    conds = []
    # a singular block would collapse the walk: det B(j) != 0 for every j >= 0
    ok, c1 = nonvanishing(R, det, 0)
    if not ok:
        return None
    conds += c1
    if col == 0:
        piv, first, other = ga, al, de
    else:
        piv, first, other = be, de, al
    # the pivot must be nonzero at every j >= 0 (the elimination divides by it)
    ok, c1 = nonvanishing(R, piv, 0)
    if not ok:
        return None
    conds += c1
    sh = R.shift
    # A = (first(j+1) piv(j) + piv(j+1) other(j)) / piv(j);  Bb = -piv(j+1) det(j) / piv(j),
    # written at the PCF level n = j + 1:  A(n-1) = (first(n) piv(n-1) + piv(n) other(n-1)) / piv(n-1)
    pm = sh(piv, -1)
    An = first * pm + piv * sh(other, -1)
    Bn = -piv * sh(det, -1)
    D = pm
    if D.is_constant():
        c = R.one
        a_c, b_c = An / D, Bn / D
    else:
        ga_, gb_ = An.gcd(D), Bn.gcd(D)
        Ad, Bd = D / ga_, D / gb_
        An, Bn = An / ga_, Bn / gb_
        if Ad.is_constant() and Bd.is_constant():
            c = R.one
            a_c, b_c = An / Ad, Bn / Bd
        else:
            c = Ad * Bd / Ad.gcd(Bd)
            c = c / c.leading_coefficient()
            a_c = An * (c / Ad)
            b_c = Bn * (c / Bd) * sh(c, -1)
    if b_c.is_zero():
        return None
    g = common_factor(R, a_c, b_c) if not a_c.is_zero() else R.one
    if g.is_one():
        a_d, b_d = a_c, b_c
    else:
        a_d, b_d = a_c / g, b_c / (g * sh(g, -1))
    # total factor c_t = c kappa / g must be finite and nonzero at every N >= 0 (T4.1)
    for P in (c, g):
        if not P.is_one():
            ok, c1 = nonvanishing(R, P, 0)
            if not ok:
                return None
            conds += c1
    return a_d, b_d, c, g, tuple(conds), {}


def _normalised(R: Ring, raw):
    """``(a_f, b_f, κ, c(0) κ / g(0), a_f(0), height)`` of a raw elimination, memoised on it."""
    memo = raw[5]
    if "n" not in memo:
        a_d, b_d, c, g = raw[:4]
        kq = normalizing_constant(R, a_d, b_d)
        a_f, b_f = a_d * kq, b_d * (kq * kq)
        memo["n"] = (a_f, b_f, kq, RF(R.at(c, 0) * kq, R.at(g, 0)), RF(R.at(a_f, 0)),
                     max(_height(a_f), _height(b_f)))
    return memo["n"]


def _primitive_numeric(R: Ring, ents) -> tuple:
    """:func:`primitive_matrix` for four ``fmpq``."""
    from math import gcd as igcd

    L = 1
    for x in ents:
        L = L * int(x.q) // igcd(L, int(x.q))
    ints = [int(x.p) * (L // int(x.q)) for x in ents]
    g = 0
    for v in ints:
        g = igcd(g, v)
    sign = -1 if next(v for v in ints if v) < 0 else 1
    ints = [sign * v // g for v in ints]
    return ((R.const(ints[0]), R.const(ints[1])), (R.const(ints[2]), R.const(ints[3])))


def eliminate_finish(R: Ring, raw, z0, z1, col: int, s: int):
    """The second half: normalise, and the Möbius matrix from the walk's columns ``z0, z1``
    (the exact column ``col`` of ``W(0)``, ``W(1)``); ``None`` for a singular map."""
    conds = raw[4]
    a_f, b_f, kq, ct0, a0, h = _normalised(R, raw)
    zs = (z0[0], z0[1], z1[0], z1[1])
    if not R.has_params and not any(isinstance(z, RF) for z in zs):
        Z00, Z01, Z10, Z11 = (R.constant_value(z) for z in zs)
        c0 = R.constant_value(ct0.num) / R.constant_value(ct0.den)
        av = R.constant_value(a0.num)
        ents = (Z00, c0 * Z10 - av * Z00, Z01, c0 * Z11 - av * Z01)
        if ents[0] * ents[3] - ents[1] * ents[2] == 0:
            return None
        cand = Candidate(R, a_f, b_f, _primitive_numeric(R, ents), col, s, conds)
    else:
        Z00, Z01, Z10, Z11 = (_rf(z) for z in zs)
        G = ((Z00, ct0 * Z10 - a0 * Z00), (Z01, ct0 * Z11 - a0 * Z01))
        if (G[0][0] * G[1][1] - G[0][1] * G[1][0]).is_zero():
            return None
        cand = Candidate(R, a_f, b_f, primitive_matrix(R, G), col, s, conds)
    cand.height = h
    return cand


def eliminate(R: Ring, B, z0, z1, col: int, s: int):
    """One elimination (both halves); ``None`` when it does not apply for every ``j >= 0``."""
    raw = eliminate_raw(R, B, col)
    if raw is None:
        return None
    return eliminate_finish(R, raw, z0, z1, col, s)


def _rf(x) -> RF:
    return x if isinstance(x, RF) else RF(x)


def absorb_diagonal(cand: Candidate) -> Candidate:
    """If ``G`` is diagonal, inflate by the constant ``g11/g22`` so that ``G`` becomes ``I``."""
    G = cand.G
    R = cand.ring
    if G[0][1].is_zero() and G[1][0].is_zero() and G[0][0] != G[1][1]:
        r = RF(G[0][0], G[1][1])
        if not (r.num.is_constant() and r.den.is_constant()):
            return cand  # a parameter-dependent constant: keep the Möbius map
        k = R.constant_value(r.num) / R.constant_value(r.den)
        out = Candidate(R, cand.a * k, cand.b * (k * k), ((R.one, R.zero), (R.zero, R.one)),
                        cand.col, cand.s, cand.conditions)
        return out
    return cand


def rank_key(cand: Candidate, exact_value: bool) -> tuple:
    da, db = cand.degrees()
    ident = 0 if is_identity(cand.G) else 1
    h = cand.height if cand.height is not None else max(_height(cand.a), _height(cand.b))
    hg = max(_height(x) for row in cand.G for x in row)
    deg = (da + db, max(da, db))
    if exact_value:
        return (ident,) + deg + (h, hg, cand.s, cand.col)
    return deg + (ident, h, hg, cand.s, cand.col)


_RAW_CACHE: dict = {}


def fold_walk(R: Ring, block, walk, L: int, starts, exact_value: bool, cols=(0, 1),
              all_candidates: bool = True, block_key=None) -> list:
    """Eliminations over ``starts`` and ``cols``, best first (theory T4.4).

    ``block(s)``: the block ``B(j)`` of the walk started at index ``s`` (ring elements in
    ``n`` standing for ``j``); ``walk(i)``: the exact walk matrix at index ``i``.
    Returns ``[(start, cand)]`` with ``start`` the convergent index of the PCF's ``y_0``.
    With ``all_candidates=False`` and ``exact_value=False`` only the candidates of the least
    degrees are completed (the others cannot come first).  ``block_key(s)``, when given, is a
    hashable key determining ``block(s)``: the first halves of the eliminations are then
    shared between walks with the same blocks (e.g. SCFs that differ only in ``a_0``).
    """
    raws = []
    cache = _RAW_CACHE
    if len(cache) > 20000:
        cache.clear()
    for s in starts:
        key = None if block_key is None else block_key(s)
        B = None
        for col in cols:
            if s + L - col < 0:
                continue
            if key is not None and (key, col) in cache:
                raw = cache[key, col]
            else:
                if B is None:
                    B = block(s)
                raw = eliminate_raw(R, B, col)
                if key is not None:
                    cache[key, col] = raw
            if raw is not None:
                da, db = R.deg(raw[0]), R.deg(raw[1])
                raws.append(((da + db, max(da, db)), s, col, raw))
    if not all_candidates and not exact_value and raws:
        best = min(t[0] for t in raws)
        raws = [t for t in raws if t[0] == best]
    found = []
    for _deg, s, col, raw in raws:
        W0, W1 = walk(s), walk(s + L)
        cand = eliminate_finish(R, raw, (W0[0][col], W0[1][col]), (W1[0][col], W1[1][col]), col, s)
        if cand is None:
            continue
        if exact_value:
            cand = absorb_diagonal(cand)
        cand.key = rank_key(cand, exact_value)
        found.append((s + L - col, cand))
    found.sort(key=lambda t: t[1].key)
    return found


def pcf_walk(R: Ring, a, b, N: int) -> list:
    """The walks ``W_0 .. W_N`` of ``PCF(a, b)`` (``a, b`` ring elements) as n-free matrices."""
    one, zero = R.one, R.zero
    W = ((R.at(a, 0), one), (one, zero))
    out = [W]
    for i in range(1, N + 1):
        W = mat_mul(W, ((R.at(a, i), one), (R.at(b, i), zero)))
        out.append(W)
    return out


def verify_numeric(R: Ring, a, b, G, start: int, step: int, walk_int, count: int = 6) -> bool:
    """:func:`verify` for a fraction without parameters, on Python integers: ``walk_int(i)``
    gives ``(p_i, p_{i-1}, q_i, q_{i-1})``."""
    def vals(P, upto):
        d = P.to_dict()
        terms = [(int(e[0]), c) for e, c in d.items()]
        return [sum((c * N ** e for e, c in terms), fmpq(0)) for N in range(upto)]

    A, B = vals(a, count), vals(b, count)
    g = [R.constant_value(x) for row in G for x in row]
    P1, Q1, P, Q = fmpq(1), fmpq(0), A[0], fmpq(1)
    for N in range(count):
        if N:
            P, P1 = A[N] * P + B[N] * P1, P
            Q, Q1 = A[N] * Q + B[N] * Q1, Q
        u, v = g[0] * P + g[1] * Q, g[2] * P + g[3] * Q
        p, _pp, q, _qq = walk_int(start + step * N)
        if u * q - v * p != 0 or (u == 0 and v == 0):
            return False
    return True


def verify(R: Ring, a, b, G, start: int, step: int, walk, count: int = 6) -> bool:
    """Exact check of ``x_{start + step N} = G(y_N)`` for ``N < count``."""
    Ws = pcf_walk(R, a, b, count - 1)
    for N in range(count):
        P, Q = Ws[N][0][0], Ws[N][1][0]
        X = walk(start + step * N)
        u, v = G[0][0] * P + G[0][1] * Q, G[1][0] * P + G[1][1] * Q
        if not (u * X[1][0] - v * X[0][0]).is_zero() or (u.is_zero() and v.is_zero()):
            return False
    return True
