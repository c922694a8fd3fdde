r"""Walk certificates: a continued fraction's walk is a Möbius image of a reference walk.

Convention (theory T1.1): ``W_n`` is the walk of the source fraction (an SCF or a PCF) and
``Y_m`` that of a :class:`~esma_sympy.theory.classical.ReferenceFraction`.  A
:class:`WalkCertificate` states, for an integer matrix ``N``, a constant integer matrix ``R``
and index maps ``n_j = n + L j``, ``m_j = m + L' j``:

    W_{n_j} R  ∝  N Y_{m_j}        for every j >= 0           (theory T6.4)

It is proven by the exact base case ``j = 0`` and the polynomial identity
``B(j) R ∝ R A(j)`` in ``j`` between the block matrices (``B(j)`` the product of the source's
``L`` steps after ``n_j``, ``A(j)`` that of the reference's ``L'`` steps after ``m_j``).  With a
point ``z`` whose image ``R(z)`` is ``oo`` or ``0`` (so that the left side is a convergent of
the source, while ``Y_m(z) -> y`` for every fixed ``z`` because the reference quotients grow),
the limits give ``x = N(y)`` (theory T6.4).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from fractions import Fraction

from flint import fmpq_poly

from ._walks import (
    adj,
    const_poly_mat,
    det,
    mobius,
    mul,
    pcf_steps,
    poly_mat_mul,
    primitive,
    proportional,
    scf_steps,
    size,
)
from ..verdict import Certificate
from .classical import ReferenceFraction

__all__ = ["WalkCertificate", "find_walk_certificate"]


def _steps_of(source):
    from ..cf import PCF, SCF

    if isinstance(source, SCF):
        return scf_steps(source)
    if isinstance(source, PCF):
        return pcf_steps(source)
    raise TypeError(f"source must be an SCF or a PCF, got {source!r} of type {type(source).__name__}")


def _poly_proportional(X, Y) -> bool:
    """``X = lam(j) Y`` entrywise for a rational function ``lam`` (cross products vanish)."""
    xs = [e for r in X for e in r]
    ys = [e for r in Y for e in r]
    if all(e == 0 for e in ys) or all(e == 0 for e in xs):
        return False
    return all(xs[i] * ys[k] - xs[k] * ys[i] == 0 for i in range(4) for k in range(i + 1, 4))


def _no_integer_root_from(P: fmpq_poly, start: int) -> bool:
    """Whether ``P(j) != 0`` for every integer ``j >= start`` (exact)."""
    if P == 0:
        return False
    if P.degree() <= 0:
        return True
    num = P.numer()
    for f, _e in num.factor()[1]:
        if f.degree() == 1:
            c = f.coeffs()
            r = Fraction(-int(c[0]), int(c[1]))
            if r.denominator == 1 and r >= start:
                return False
    return True


@dataclass(frozen=True)
class WalkCertificate(Certificate):
    r"""``W_{n + L j} R ∝ N Y_{m + L' j}`` for all ``j >= 0`` (theory T6.4).

    A :class:`~esma_sympy.verdict.Certificate` of ``value(source) = N(value(reference))``.

    Attributes
    ==========

    source : SCF or PCF
    reference : ReferenceFraction
    N, R : tuple
        2x2 integer matrices (``N`` maps the reference value to the source's value).
    n, length, m, ref_length : int
        ``n_j = n + length*j``, ``m_j = m + ref_length*j``.
    z : Fraction or None
        The point (``None`` is infinity) used for the limits: ``R(z)`` is ``oo`` or ``0``.

    Examples
    ========

    >>> from sympy import Symbol
    >>> from esma_sympy import SCF, QuasiPolynomial
    >>> k = Symbol('k')
    >>> e = SCF(QuasiPolynomial([3], [2*k + 3, 2], k), (-1, 1))          # e, signs (-, +)
    >>> y = ReferenceFraction('I', 2, 4)                                   # coth(1/2)
    >>> cert = find_walk_certificate(e, y, ((1, 1), (1, -1)))              # e = (y+1)/(y-1)
    >>> cert.check(), cert.R, (cert.length, cert.ref_length)
    (True, ((1, 1), (0, -2)), (2, 1))
    >>> cert.relation
    'value(source) = N(value(reference)) with N = ((1, 1), (1, -1))'
    """

    source: object
    reference: ReferenceFraction
    N: tuple
    R: tuple
    n: int
    length: int
    m: int
    ref_length: int
    z: object

    def check(self) -> bool:
        """Re-verify every hypothesis of theory T6.4 exactly (integers and ``fmpq_poly``)."""
        try:
            S = _steps_of(self.source)
        except (TypeError, ValueError):
            return False
        Y = self.reference.steps()
        if det(self.N) == 0 or det(self.R) == 0:
            return False
        if self.length < 1 or self.ref_length < 1 or self.m < 0 or self.n < 0:
            return False
        if self.n + 1 < S.first or self.length % S.period:
            return False
        if not all(isinstance(x, int) for r in self.N + self.R for x in r):
            return False
        # base case j = 0
        if not proportional(mul(S.walk(self.n), self.R), mul(self.N, Y.walk(self.m))):
            return False
        # induction step: B(j) R ∝ R A(j) identically in j, with det B(j) != 0 for j >= 0
        B = S.block(self.n, self.length)
        A = Y.block(self.m, self.ref_length)
        Rp = const_poly_mat(self.R)
        if not _poly_proportional(poly_mat_mul(B, Rp), poly_mat_mul(Rp, A)):
            return False
        if not _no_integer_root_from(B[0][0] * B[1][1] - B[0][1] * B[1][0], 0):
            return False
        # limits: R(z) in {oo, 0}, so the left side is a convergent of the source (T6.4)
        w = mobius(self.R, self.z)
        return w is None or w == 0

    @property
    def relation(self) -> str:
        """``'value(source) = N(value(reference)) with N = ...'`` (theory T6.4)."""
        return f"value(source) = N(value(reference)) with N = {self.N}"

    def steps(self) -> list:
        """The proof (theory T6.4) as ``(title, text)`` pairs."""
        z = "oo" if self.z is None else str(self.z)
        return [
            ("Claim", f"value({self.source}) = N(value({self.reference})) with N = {self.N}"),
            ("Base case (j = 0)", f"W_{self.n} R ∝ N Y_{self.m} with R = {self.R}"),
            ("Induction (T6.4)", f"B(j) R ∝ R A(j) identically in j, B(j) the product of the "
                                 f"source's {self.length} steps after n + {self.length} j, A(j) the "
                                 f"reference's {self.ref_length} steps after m + {self.ref_length} j; "
                                 "det B(j) != 0 for j >= 0"),
            ("Limits", f"R({z}) is oo or 0, so W_(n_j) R({z}) are convergents of the source, and "
                       f"N Y_(m_j)({z}) tends to N(y)"),
        ]

    def value_matrix(self) -> tuple:
        """``N``: the source's value is ``N(y)`` (theory T6.4)."""
        return self.N


def _lg(x) -> float:
    x = Fraction(x)
    if x == 0:
        return -math.inf
    return math.log2(abs(x.numerator)) - math.log2(x.denominator)


def _error_exponents(S, count: int) -> list:
    """``log2 |x_n - x_{n-1}|`` for ``n < count`` (``inf`` when undefined)."""
    out = [math.inf]
    for n in range(1, count):
        W = S.walk(n)
        out.append(_lg(det(W)) - _lg(W[1][0]) - _lg(W[1][1]) if W[1][0] and W[1][1] else math.inf)
    return out


def find_walk_certificate(source, reference: ReferenceFraction, N, *, blocks: int = 24,
                          max_multiple: int = 6, window: int = 4, keep: int = 4):
    r"""Search a :class:`WalkCertificate` ``W_{n_j} R ∝ N Y_{m_j}`` (theory T6.4).

    Explanation
    ===========

    At block boundaries ``n_j`` of the source (period of its steps, after the prefix), the
    state ``R(n, m) = adj(W_n) N Y_m`` is computed exactly for the reference indices ``m`` whose
    convergence error matches the source's (a window of ``2 window + 1`` indices); the ``keep``
    smallest states are candidates.  A state common to ``j0``, ``j0 + P`` and ``j0 + 2P`` with
    equally spaced ``m`` is then proven for all ``j`` by :meth:`WalkCertificate.check`.  This is
    the synchronised state of Gosper's homographic algorithm; for Möbius images of Hurwitzian
    numbers it is eventually periodic (theory T6.5).  Returns ``None`` when nothing is found.

    Parameters
    ==========

    source : SCF or PCF
    reference : ReferenceFraction
    N : 2x2 integer matrix
        The conjectured relation ``value(source) = N(y)``.

    Returns
    =======

    WalkCertificate or None

    Examples
    ========

    >>> from sympy import E, Symbol
    >>> from esma_sympy import SCF, QuasiPolynomial
    >>> from esma_sympy.theory.classical import find_base_relation
    >>> k = Symbol('k')
    >>> rel = find_base_relation(E)            # e = N(y), y = [2; 6, 10, 14, ...]
    >>> cert = find_walk_certificate(SCF(QuasiPolynomial([3], [2*k + 3, 2], k), (-1, 1)),
    ...                              rel.reference, rel.K)
    >>> cert.check()
    True
    """
    S = _steps_of(source)
    Y = reference.steps()
    N = tuple(tuple(int(x) for x in r) for r in N)
    if det(N) == 0:
        raise ValueError(f"N must be invertible, got {N}")
    L = S.period
    start = S.first - 1 if S.first >= 1 else 0
    nmax = start + L * (blocks + 1)
    ex = _error_exponents(S, nmax + 1)
    # reference errors: decreasing; log-derivative of N at y
    yv = float(reference.numeric(40))
    den = N[1][0] * yv + N[1][1]
    shift = _lg(Fraction(abs(det(N)))) - 2 * math.log2(abs(den)) if den else 0.0
    ey = [math.inf]
    mcount = 8
    cands = []
    for j in range(blocks + 1):
        n = start + L * j
        if not math.isfinite(ex[n]):
            cands.append({})
            continue
        target = ex[n] - shift
        while True:
            while len(ey) < mcount:
                m = len(ey)
                Wm = Y.walk(m)
                ey.append(-(_lg(Wm[1][0]) + _lg(Wm[1][1])))
            if ey[-1] < target - 8:
                break
            mcount *= 2
        # ey is decreasing (reference q's increase): index where ey crosses target
        neg = [-e for e in ey]
        mc = bisect.bisect_left(neg, -target)
        A = mul(adj(S.walk(n)), N)
        lst = []
        for m in range(max(0, mc - window), min(len(ey), mc + window + 1)):
            R = primitive(mul(A, Y.walk(m)))
            lst.append((size(R), m, R))
        lst.sort()
        d = {}
        for _s, m, R in lst[:keep]:
            d.setdefault(R, m)
        cands.append(d)
    for P in range(1, max_multiple + 1):
        for j0 in range(0, len(cands) - 2 * P):
            common = set(cands[j0]) & set(cands[j0 + P]) & set(cands[j0 + 2 * P])
            for R in sorted(common):
                m0, m1, m2 = cands[j0][R], cands[j0 + P][R], cands[j0 + 2 * P][R]
                if not (m1 - m0 == m2 - m1 > 0):
                    continue
                Ri = adj(R)
                for z in (mobius(Ri, None), mobius(Ri, Fraction(0))):
                    cert = WalkCertificate(source, reference, N, R, start + L * j0, L * P, m0,
                                           m1 - m0, z)
                    if cert.check():
                        return cert
    return None
