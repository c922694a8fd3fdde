"""Equivalence certificates between polynomial continued fractions (coboundaries).

Two PCFs ``p, q`` with step matrices ``M_p(n), M_q(n)`` (``as_matrix``) are *coboundary
equivalent* when a 2x2 matrix ``U(n)`` of polynomials and a rational function ``λ(n)``
satisfy

    M_p(n) U(n+1) = λ(n) U(n) M_q(n)     (identically in n),    det U ≢ 0.

Then for every ``N``: ``W_p(N) U(N+1) = Λ_N K W_q(N)`` with ``Λ_N = λ(1)···λ(N)`` and the
constant ``K = S_p U(1) S_q^{-1}`` (``S = walk_start``), so the limits are related by the
Möbius map of ``K`` when both converge and ``U(N+1)`` stays away from degeneracy (T4.9).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from sympy import (
    ImmutableMatrix,
    Matrix,
    Poly,
    QQ,
    Rational,
    S,
    Symbol,
    cancel,
    expand,
)

from flint import fmpq, fmpq_mat, fmpq_poly

from ..cf.pcf import PCF
from ._rational import _is_poly, _pcf_index
from .equivalence import deflate_all, normalize
from .matrix import as_matrix, walk_start

__all__ = ["EquivalenceCertificate", "NotEquivalent", "find_coboundary", "is_equivalent", "canonical"]


@dataclass(frozen=True)
class EquivalenceCertificate:
    r"""A checked coboundary ``M_p(n) U(n+1) = λ(n) U(n) M_q(n)`` (theory T4.9).

    ``check()`` verifies the identity exactly, symbolically in ``n`` (rational-function
    arithmetic; no numerics), and ``det U ≢ 0``.  ``mobius`` is ``K = S_p U(1) S_q^{-1}``:
    ``x_p = K(x_q)`` for the limits (when both converge and ``U`` stays non-degenerate).
    Truthy, so ``if is_equivalent(p, q):`` reads naturally.

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> cert = is_equivalent(PCF(n + 3, -n, n), PCF(n + 3, -n, n))
    >>> bool(cert), cert.check()
    (True, True)
    """

    p: PCF
    q: PCF
    U: ImmutableMatrix
    lam: object
    n: Symbol

    def check(self) -> bool:
        """Exact check of the coboundary identity (theory T4.9).

        >>> from sympy.abc import n
        >>> from esma_sympy import PCF
        >>> cert = find_coboundary(PCF(n + 3, -n, n), PCF(2*n + 6, -4*n, n))
        >>> cert.check(), cert.lam, cert.mobius.tolist()
        (True, 1/2, [[1, 0], [0, 2]])
        """
        n = self.n
        Mp = as_matrix(self.p).xreplace({self.p.index: n})
        Mq = as_matrix(self.q).xreplace({self.q.index: n})
        U = Matrix(self.U)
        D = Mp * U.xreplace({n: n + 1}) - self.lam * U * Mq
        if any(cancel(e) != 0 for e in D):
            return False
        return cancel(U.det()) != 0

    @property
    def mobius(self) -> ImmutableMatrix:
        """``K = S_p U(1) S_q^{-1}`` (scaled to integers where possible)."""
        Sp, Sq = Matrix(walk_start(self.p)), Matrix(walk_start(self.q))
        K = Sp * Matrix(self.U).xreplace({self.n: 1}) * Sq.inv()
        return ImmutableMatrix(K)

    def inverse(self) -> "EquivalenceCertificate":
        """The certificate for ``(q, p)``: ``U' = adj U``, ``λ' = δ(n+1)/(λ(n) δ(n))``."""
        n = self.n
        U = Matrix(self.U)
        d = cancel(U.det())
        return EquivalenceCertificate(self.q, self.p, ImmutableMatrix(U.adjugate()),
                                      cancel(d.xreplace({n: n + 1}) / (self.lam * d)), n)

    def compose(self, other: "EquivalenceCertificate") -> "EquivalenceCertificate":
        """``(p ~ q) ∘ (q ~ r) = (p ~ r)`` with ``U = U_pq U_qr`` and ``λ = λ_pq λ_qr``."""
        if other.p != self.q:
            raise ValueError(f"other must start at {self.q}, got a certificate from {other.p}")
        U2 = Matrix(other.U).xreplace({other.n: self.n})
        U = (Matrix(self.U) * U2).applyfunc(expand)
        return EquivalenceCertificate(self.p, other.q, ImmutableMatrix(U),
                                      cancel(self.lam * other.lam.xreplace({other.n: self.n})), self.n)

    def __bool__(self) -> bool:
        return True


@dataclass(frozen=True)
class NotEquivalent:
    """A negative answer of :func:`is_equivalent`: ``status`` is ``'disproven'`` (with a
    reason such as disjoint certified balls) or ``'unknown'``.  Falsy.

    >>> from esma_sympy import PCF
    >>> ne = is_equivalent(PCF(1, 1), PCF(2, 1))
    >>> bool(ne), ne.status
    (False, 'disproven')
    """

    status: str
    reason: str

    def __bool__(self) -> bool:
        return False


def _lambda_shapes(p: PCF, q: PCF, n: Symbol, max_lambda_degree: int) -> list:
    """Pairs ``(ν, μ)`` of monic coprime ``fmpq_poly`` for ``λ = κ ν/μ``.

    Necessary condition used for pruning (T4.9): taking determinants,
    ``b_p(n) δ(n+1) = λ(n)^2 b_q(n) δ(n)`` with ``δ = det U``, so
    ``2 (deg ν − deg μ) = deg b_p − deg b_q``.  The factors of ``ν, μ`` are drawn from the
    irreducible factors of ``b_p, b_q`` and their shifts by ``±1``.
    """
    bp, bq = _flp(p.b, n), _flp(q.b, n)
    diff = bp.degree() - bq.degree()
    if diff % 2:
        return []
    target = diff // 2
    F = []
    for b in (bp, bq):
        for f, _m in b.factor()[1]:
            if f.degree() >= 1:
                for sh in (-1, 0, 1):
                    g = f(fmpq_poly([sh, 1]))
                    g = g / g.coeffs()[-1]
                    if g not in F:
                        F.append(g)
    monos = [fmpq_poly([1])]
    frontier = [fmpq_poly([1])]
    while frontier:
        nxt = []
        for m in frontier:
            for f in F:
                g = m * f
                if g.degree() <= max_lambda_degree and g not in monos:
                    monos.append(g)
                    nxt.append(g)
        frontier = nxt
    shapes = []
    for nu in monos:
        for mu in monos:
            if nu.degree() - mu.degree() != target or nu.gcd(mu).degree() > 0:
                continue
            shapes.append((nu, mu))
    shapes.sort(key=lambda t: (t[0].degree() + t[1].degree(), str(t)))
    return shapes


def _expr(P: fmpq_poly, n):
    return sum((Rational(int(c.p), int(c.q)) * n**i for i, c in enumerate(P.coeffs())), S.Zero)


def _primitive(U: Matrix, n) -> Matrix:
    """``U`` divided by the gcd of its integer coefficients, first nonzero coefficient > 0."""
    from math import gcd

    cs = [Rational(c) for e in U for c in Poly(e, n).all_coeffs() if c != 0]
    g = 0
    for c in cs:
        g = gcd(g, int(c.p))
    sign = 1 if next(c for e in U for c in Poly(e, n).all_coeffs()[::-1] if c != 0) > 0 else -1
    return (U * sign / g).applyfunc(expand)


def _flp(e, n) -> fmpq_poly:
    P = Poly(e, n, domain=QQ)
    return fmpq_poly([fmpq(int(Rational(c).p), int(Rational(c).q)) for c in P.all_coeffs()[::-1]])


def _kappas(p: PCF, q: PCF, n: Symbol) -> list:
    """``κ`` with ``κ² = lc(b_p)/lc(b_q)`` (T4.9: leading coefficients of the determinant
    identity, as ``ν, μ`` are monic and ``δ(n+1), δ(n)`` share their leading coefficient)."""
    r = Rational(Poly(p.b, n).LC()) / Rational(Poly(q.b, n).LC())
    if r <= 0:
        return []
    from math import isqrt

    a, b = int(r.p), int(r.q)
    if isqrt(a) ** 2 != a or isqrt(b) ** 2 != b:
        return []
    s = Rational(isqrt(a), isqrt(b))
    return [s, -s]


def _solve(Mp, Mq, n, nu, mu, kappa, degree, C=None):
    """Solve ``Mp(n) U(n+1) μ(n) = κ ν(n) U(n) Mq(n)`` for a polynomial ``U`` (deg <= degree)
    with ``det U ≢ 0``, or ``None``.  Exact linear algebra over QQ (python-flint)."""
    P = [[_flp(Mp[r, c], n) for c in range(2)] for r in range(2)]
    Q = [[_flp(Mq[r, c], n) for c in range(2)] for r in range(2)]
    kq = fmpq(int(kappa.p), int(kappa.q))
    sh = fmpq_poly([1, 1])
    zero = fmpq_poly([0])
    cols = []  # one column per unknown coefficient of U: the residual's 4 entries
    for r in range(2):
        for c in range(2):
            for i in range(degree + 1):
                mono = fmpq_poly([0] * i + [1])
                m1, m2 = mono(sh) * mu, mono * nu * kq
                E = [[(P[rr][r] * m1 if cc == c else zero) - (m2 * Q[c][cc] if rr == r else zero)
                      for cc in range(2)] for rr in range(2)]
                cols.append(E)
    D = max(max(e.degree() for E in cols for row in E for e in row), 0) + 1
    extra = 0 if C is None else 1
    A = fmpq_mat(4 * D + 4 * extra, len(cols) + extra)
    for j, E in enumerate(cols):
        for rr in range(2):
            for cc in range(2):
                for d, x in enumerate(E[rr][cc].coeffs()):
                    A[(2 * rr + cc) * D + d, j] = x
    if C is not None:  # U(1) = t C with an extra unknown t (same value: K = t I, T4.9)
        for e in range(4):
            for i in range(degree + 1):
                A[4 * D + e, e * (degree + 1) + i] = 1
            A[4 * D + e, len(cols)] = -fmpq(int(C[e].p), int(C[e].q))
    Z, nullity = A.numer_denom()[0].nullspace()
    if nullity == 0:
        return None
    basis = [[Rational(int(Z[r, t])) for r in range(len(cols))] for t in range(nullity)]
    trials = basis + [[sum(c * v[r] for c, v in zip(w, basis)) for r in range(len(cols))]
                      for w in ([1] * nullity, list(range(1, nullity + 1)))]
    for u in trials:
        if all(x == 0 for x in u):
            continue
        it = iter(u)
        Uv = Matrix(2, 2, [sum(next(it) * n**i for i in range(degree + 1)) for _ in range(4)])
        if cancel(Uv.det()) != 0:
            return _primitive(Uv, n)
    return None


def find_coboundary(p: PCF, q: PCF, *, max_degree: int = 1, max_lambda_degree: int = 2,
                    same_value: bool = False):
    r"""Search a coboundary ``M_p(n) U(n+1) = λ(n) U(n) M_q(n)`` (theory T4.9).

    Explanation
    ===========

    ``U`` has polynomial entries of degree ``<= max_degree``; ``λ = κ ν/μ`` with ``ν, μ``
    monic products (degree ``<= max_lambda_degree``) of irreducible factors of the
    coefficients of ``p`` and ``q`` and their shifts by ``±1``, and a constant ``κ``.  For
    each shape the condition is linear in the coefficients of ``U``:
    ``κ² = lc(b_p)/lc(b_q)`` is forced by the determinants (with ``same_value=True`` the
    extra linear condition ``U(1) = t S_p^{-1} S_q`` makes ``K`` a multiple of ``I``), so for each shape and sign the
    condition is a linear system over QQ; a solution with ``det U ≢ 0`` is returned as a checked
    :class:`EquivalenceCertificate`, else ``None``.

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
    n = _pcf_index(p)
    _pcf_index(q)
    for x, name in ((p, "p"), (q, "q")):
        if x.free_symbols or not (_is_poly(x.a, x.index) and _is_poly(x.b, x.index)):
            raise ValueError(f"{name} = {x} must have numeric polynomial a and b")
    qq = PCF(q.a.xreplace({q.index: n}), q.b.xreplace({q.index: n}), n)
    Mp, Mq = Matrix(as_matrix(p)), Matrix(as_matrix(qq))
    shapes = _lambda_shapes(p, qq, n, max_lambda_degree)
    kappas = _kappas(p, qq, n)
    C = None
    if same_value:
        C = list(Matrix(walk_start(p)).inv() * Matrix(walk_start(qq)))
    for d in range(0, max_degree + 1):
        for (nu, mu), kappa in product(shapes, kappas):
            U = _solve(Mp, Mq, n, nu, mu, kappa, d, C)
            if U is None:
                continue
            shape = _expr(nu, n) / _expr(mu, n)
            cert = EquivalenceCertificate(p, q, ImmutableMatrix(U.applyfunc(expand)),
                                          cancel(kappa * shape), n)
            if cert.check():
                return cert
    return None


def is_equivalent(p: PCF, q: PCF, *, dps: int = 30, max_degree: int = 1, same_value: bool = True):
    r"""Whether two PCFs are equivalent, with a certificate or a reasoned negative answer (T4.9).

    Explanation
    ===========

    Searches a coboundary (:func:`find_coboundary`).  With ``same_value=True`` (default) the
    certificate must also map value to value (``K`` a multiple of the identity); the limits are
    then equal whenever both converge and ``U`` stays non-degenerate.  Otherwise the answer is a
    falsy :class:`NotEquivalent`: ``'disproven'`` when certified balls at ``dps`` digits are
    disjoint (different limits), else ``'unknown'``.

    Examples
    ========

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> from esma_sympy.transforms import inflate
    >>> p = PCF(n + 3, -n, n)
    >>> bool(is_equivalent(p, inflate(p, n + 1)))     # c(0) = 1: the same value
    True
    >>> bool(is_equivalent(p, inflate(p, n + 2), same_value=False))   # value times c(0) = 2
    True
    >>> is_equivalent(p, PCF(2*n + 1, n**2, n)).status          # e vs 4/pi
    'disproven'

    Returns
    =======

    EquivalenceCertificate or NotEquivalent
    """
    cert = find_coboundary(p, q, max_degree=max_degree, same_value=same_value)
    if cert is None and same_value:
        cert = find_coboundary(p, q, max_degree=max_degree)
    if cert is not None:
        K = cert.mobius
        scalar = K[0, 1] == 0 and K[1, 0] == 0 and K[0, 0] == K[1, 1] != 0
        if K.det() != 0 and (not same_value or scalar):
            return cert
    try:
        vp, vq = p.evaluate(dps), q.evaluate(dps)
    except Exception as exc:  # noqa: BLE001 - any failure to evaluate leaves the answer unknown
        return NotEquivalent("unknown", f"no coboundary found and evaluation failed: {exc}")
    if vp.certified and vq.certified and not vp.ball.overlaps(vq.ball):
        return NotEquivalent("disproven", f"the certified values {vp.ball} and {vq.ball} are disjoint")
    if cert is not None:
        return NotEquivalent("unknown", f"a coboundary exists but its Möbius map {K.tolist()} is not "
                             "the identity and the values were not separated")
    return NotEquivalent("unknown", f"no coboundary with deg U <= {max_degree} found and the values "
                         f"were not separated at {dps} digits")


def canonical(pcf: PCF) -> PCF:
    r"""A canonical representative: ``normalize(deflate_all(pcf))`` (theory T4.10).

    Explanation
    ===========

    Removes every admissible polynomial factor (T4.2) and then the constant (T4.3).  The value
    of the result is ``pcf``'s value divided by ``common_factor(pcf)(0)`` and multiplied by the
    normalising constant; ``canonical`` is idempotent (theory T4.10).

    Examples
    ========

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> from esma_sympy.transforms import inflate
    >>> canonical(inflate(PCF(n + 3, -n, n), 3*(n + 1)*(2*n + 5)))
    PCF(n + 3, -n, n)

    Returns
    =======

    PCF
    """
    return normalize(deflate_all(pcf))
