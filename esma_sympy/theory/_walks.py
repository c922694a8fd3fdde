"""Exact walks of continued fractions as 2x2 matrices, and their block forms in ``j``.

Conventions (theory T1.1): the walk of ``a_0 + b_1/(a_1 + b_2/(a_2 + ...))`` is
``W_n = [[a_0, 1], [1, 0]] M_1 ... M_n`` with ``M_i = [[a_i, 1], [b_i, 0]]``; for a signed
continued fraction ``b_i = s_{i-1}``.  As a Möbius map ``W_n(t) = (p_n t + p_{n-1})/(q_n t +
q_{n-1})``: ``W_n(oo)`` and ``W_n(0)`` are the convergents ``x_n`` and ``x_{n-1}``.

Matrices are tuples of tuples of Python ``int``/``Fraction`` (exact); block matrices have
``fmpq_poly`` entries in the block index ``j``.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm

from flint import fmpq, fmpq_poly

Mat = tuple


def mul(A: Mat, B: Mat) -> Mat:
    """Exact 2x2 product."""
    return ((A[0][0] * B[0][0] + A[0][1] * B[1][0], A[0][0] * B[0][1] + A[0][1] * B[1][1]),
            (A[1][0] * B[0][0] + A[1][1] * B[1][0], A[1][0] * B[0][1] + A[1][1] * B[1][1]))


def adj(A: Mat) -> Mat:
    """The adjugate (``det(A) A^{-1}``)."""
    return ((A[1][1], -A[0][1]), (-A[1][0], A[0][0]))


def det(A: Mat):
    return A[0][0] * A[1][1] - A[0][1] * A[1][0]


def primitive(A: Mat) -> Mat:
    """The primitive integer matrix projectively equal to ``A`` (first nonzero entry > 0)."""
    ents = [Fraction(x) for r in A for x in r]
    den = 1
    for x in ents:
        den = lcm(den, x.denominator)
    ints = [int(x * den) for x in ents]
    g = 0
    for x in ints:
        g = gcd(g, x)
    if g == 0:
        raise ValueError("the zero matrix has no projective class")
    sgn = 1 if next(x for x in ints if x) > 0 else -1
    ints = [sgn * x // g for x in ints]
    return ((ints[0], ints[1]), (ints[2], ints[3]))


def proportional(A: Mat, B: Mat) -> bool:
    """Whether ``A = lam B`` for some nonzero ``lam`` (exact; both nonzero)."""
    a = [x for r in A for x in r]
    b = [x for r in B for x in r]
    if not any(a) or not any(b):
        return False
    return all(a[i] * b[k] == a[k] * b[i] for i in range(4) for k in range(4))


def mobius(A: Mat, z):
    """``A(z)`` on the projective line; points are ``Fraction`` or ``None`` for infinity."""
    if z is None:
        num, den = A[0][0], A[1][0]
    else:
        num, den = A[0][0] * z + A[0][1], A[1][0] * z + A[1][1]
    if den == 0:
        return None
    return Fraction(num) / Fraction(den)


def size(A: Mat) -> int:
    return max(abs(Fraction(x).numerator) + Fraction(x).denominator for r in A for x in r)


# -- sequences of steps ------------------------------------------------------------------------


class Steps:
    """The steps of a continued fraction with eventually periodic polynomial data.

    ``a0``: the first quotient; ``step(i)`` for ``i >= 1`` is ``[[a_i, 1], [b_i, 0]]``.  From
    index ``first`` on, ``a_i`` and ``b_i`` are ``A_r(k)``, ``B_r(k)`` with
    ``i = first + period*k + r`` (``fmpq_poly`` in ``k``).  ``prefix`` holds ``(a_i, b_i)`` for
    ``1 <= i < first``.
    """

    def __init__(self, a0, prefix, first: int, polys_a, polys_b):
        self.a0 = a0
        self.prefix = list(prefix)
        self.first = first
        self.polys_a = list(polys_a)
        self.polys_b = list(polys_b)
        self.period = len(self.polys_a)
        self._walk = [((a0, 1), (1, 0))]

    def ab(self, i: int):
        if i < self.first:
            return self.prefix[i - 1]
        k, r = divmod(i - self.first, self.period)
        a, b = self.polys_a[r](k), self.polys_b[r](k)
        return _num(a), _num(b)

    def step(self, i: int) -> Mat:
        a, b = self.ab(i)
        return ((a, 1), (b, 0))

    def walk(self, n: int) -> Mat:
        """``W_n`` (exact), memoised."""
        while len(self._walk) <= n:
            i = len(self._walk)
            self._walk.append(mul(self._walk[-1], self.step(i)))
        return self._walk[n]

    def block(self, n: int, length: int) -> list:
        """``B(j) = M_{n+1+length*j} ... M_{n+length*(j+1)}`` as a 2x2 list of ``fmpq_poly`` in
        ``j``; needs ``n + 1 >= first`` and ``length`` a multiple of ``period``."""
        if n + 1 < self.first or length % self.period:
            raise ValueError(f"no block form at n = {n}, length = {length}")
        one, zero = fmpq_poly([1]), fmpq_poly([0])
        B = [[one, zero], [zero, one]]
        per = length // self.period
        for t in range(1, length + 1):
            k0, r = divmod(n + t - self.first, self.period)
            shift = fmpq_poly([k0, per])
            a = self.polys_a[r](shift)
            b = self.polys_b[r](shift)
            M = [[a, one], [b, zero]]
            B = [[B[0][0] * M[0][0] + B[0][1] * M[1][0], B[0][0] * M[0][1] + B[0][1] * M[1][1]],
                 [B[1][0] * M[0][0] + B[1][1] * M[1][0], B[1][0] * M[0][1] + B[1][1] * M[1][1]]]
        return B


def _num(v):
    v = fmpq(v) if not isinstance(v, fmpq) else v
    if v.q == 1:
        return int(v.p)
    return Fraction(int(v.p), int(v.q))


def scf_steps(scf) -> Steps:
    """The :class:`Steps` of an SCF with ``QuasiPolynomial`` quotients and a periodic pattern."""
    from ..cf.quasipolynomial import QuasiPolynomial, _flint_polys

    q = scf.quotients
    if not isinstance(q, QuasiPolynomial):
        raise ValueError(f"scf must have QuasiPolynomial quotients, got {q}")
    pre, polys = _flint_polys(q)
    pat = scf.sign_pattern
    n0, T, p = len(pre), len(polys), len(pat)
    L = lcm(T, p)
    first = max(n0, 1)
    # residues r = 0..L-1 of index i = first + L*k + r
    pa, pb = [], []
    for r in range(L):
        i = first + r
        k0, rr = divmod(i - n0, T)
        pa.append(polys[rr](fmpq_poly([k0, L // T])))
        pb.append(fmpq_poly([pat[(i - 1) % p]]))
    a_all = [_num(x) for x in pre] + []
    a0 = a_all[0] if n0 >= 1 else _num(polys[0](0))
    prefix = []
    for i in range(1, first):
        prefix.append((_num(pre[i]), pat[(i - 1) % p]))
    return Steps(a0, prefix, first, pa, pb)


def pcf_steps(pcf) -> Steps:
    """The :class:`Steps` of a PCF with polynomial ``a(n)``, ``b(n)``."""
    from sympy import Poly, QQ, Rational

    n = pcf.index

    def flp(e):
        P = Poly(e, n, domain=QQ)
        return fmpq_poly([fmpq(int(Rational(c).p), int(Rational(c).q)) for c in P.all_coeffs()[::-1]])

    A, B = flp(pcf.a), flp(pcf.b)
    a0 = _num(A(0))
    # index i = 1 + k
    return Steps(a0, [], 1, [A(fmpq_poly([1, 1]))], [B(fmpq_poly([1, 1]))])


def poly_mat_mul(A, B):
    return [[A[0][0] * B[0][0] + A[0][1] * B[1][0], A[0][0] * B[0][1] + A[0][1] * B[1][1]],
            [A[1][0] * B[0][0] + A[1][1] * B[1][0], A[1][0] * B[0][1] + A[1][1] * B[1][1]]]


def const_poly_mat(R) -> list:
    return [[fmpq_poly([fmpq(Fraction(x).numerator, Fraction(x).denominator)]) for x in r] for r in R]
