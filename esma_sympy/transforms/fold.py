"""Fold a signed continued fraction with quasi-polynomial quotients into a PCF.

Convention: the SCF walk is ``W_i = [[a_0, 1], [1, 0]] M_1 ... M_i`` with
``M_i = [[a_i, 1], [s_{i-1}, 0]]`` (``W_{-1} = I``); ``x_i`` is its ``i``-th convergent.  Let
``n0`` be the prefix length, ``T`` the period of the quotients, ``p`` the length of the sign
pattern and ``L = lcm(T, p)``.  For a start ``s >= max(n0 - 1, -1)`` the block
``B(j) = M_{s+Lj+1} ... M_{s+L(j+1)}`` is a matrix of polynomials in ``j`` (theory T4.4).
"""

from __future__ import annotations

from math import gcd as _igcd, lcm as _ilcm

from flint import fmpq
from sympy import ImmutableMatrix, Symbol

from ..cf.pcf import PCF
from ..cf.quasipolynomial import QuasiPolynomial, _flint_polys
from ..cf.scf import SCF
from ._eliminate import fold_walk, is_identity, verify_numeric
from ._engine import Ring

__all__ = ["Fold", "fold", "fold_candidates"]

_N = Symbol("n")
_VERIFY = 6


class Fold:
    r"""The result of :func:`fold`: a PCF, the exact Möbius map to the SCF, the index map.

    For every ``N >= 0``:  ``x_{start + step*N} = mobius(y_N)`` where ``x_i`` are the SCF's
    convergents, ``y_N`` the PCF's, and ``mobius(y) = (g11 y + g12)/(g21 y + g22)``
    (theory T4.4).  When ``mobius`` is the identity the PCF has the SCF's value.

    The fold is computed in the exact ring of ``esma_sympy.transforms`` (python-flint); the
    SymPy objects :attr:`pcf` and :attr:`mobius` are built on first access.

    >>> from sympy import E, Symbol
    >>> from esma_sympy import SCF, QuasiPolynomial
    >>> k = Symbol('k')
    >>> f = fold(SCF(QuasiPolynomial([3], [2*k + 3, 2], k), (-1, 1)))
    >>> f.pcf, f.mobius.tolist(), f.index(0), f.index(1)
    (PCF(4*n + 6, 1, n), [[3, 1], [1, 1]], 2, 4)
    >>> f.map_value(f.pcf.convergent(3)) == SCF(QuasiPolynomial([3], [2*k + 3, 2], k), (-1, 1)).convergent(f.index(3))
    True

    Attributes
    ==========

    pcf : PCF
    mobius : ImmutableMatrix
        2x2 matrix ``G`` with coprime integer entries (polynomials in the parameters for a
        parametric fraction).
    start, step : int
        The index map ``N -> start + step*N``.
    column : int
        Which walk column was kept (0: numerators ``p_i``; 1: ``p_{i-1}``).
    conditions : tuple
        Polynomials in the index and the parameters that the theorem needs nonzero at every
        index ``>= 0`` (empty for a fraction without parameters).
    """

    __slots__ = ("_ring", "_a", "_b", "_G", "start", "step", "column", "conditions", "_pcf", "_mobius")

    def __init__(self, ring, a, b, G, start: int, step: int, column: int, conditions=()):
        self._ring, self._a, self._b, self._G = ring, a, b, G
        self.start, self.step, self.column = int(start), int(step), int(column)
        self.conditions = tuple(ring.expr(c) for c in conditions)
        self._pcf = None
        self._mobius = None

    @classmethod
    def _from_sympy(cls, pcf: PCF, mobius, start: int, step: int, column: int) -> "Fold":
        """A Fold from SymPy data (used by :func:`~esma_sympy.transforms.tail`)."""
        f = object.__new__(cls)
        f._ring = f._a = f._b = f._G = None
        f.start, f.step, f.column, f.conditions = int(start), int(step), int(column), ()
        f._pcf, f._mobius = pcf, ImmutableMatrix(mobius)
        return f

    @property
    def pcf(self) -> PCF:
        if self._pcf is None:
            R = self._ring
            self._pcf = PCF(R.expr(self._a), R.expr(self._b), R.index)
        return self._pcf

    @property
    def mobius(self) -> ImmutableMatrix:
        if self._mobius is None:
            R = self._ring
            self._mobius = ImmutableMatrix([[R.expr(x) for x in row] for row in self._G])
        return self._mobius

    def degrees(self) -> tuple:
        """``(deg a, deg b)`` of the PCF, without building SymPy objects."""
        if self._ring is None:
            return self._pcf.degrees()
        return int(self._ring.deg(self._a)), int(self._ring.deg(self._b))

    def height(self) -> int:
        """The largest absolute value of a numerator or denominator of a coefficient of the PCF."""
        if self._ring is None:
            from sympy import Poly

            p = self._pcf
            return max(max(abs(Rational_(c).p), Rational_(c).q) for e in (p.a, p.b)
                       for c in Poly(e, p.index).coeffs())
        return max(max(abs(int(c.p)), int(c.q)) for P in (self._a, self._b)
                   for c in P.to_dict().values())

    def index(self, N: int) -> int:
        """The SCF convergent index that the PCF's ``N``-th convergent maps to."""
        return self.start + self.step * N

    @property
    def is_exact_value(self) -> bool:
        """Whether ``mobius`` is the identity (the PCF has the original fraction's value)."""
        if self._G is not None:
            return is_identity(self._G)
        G = self.mobius
        return G[0, 1] == 0 and G[1, 0] == 0 and G[0, 0] == G[1, 1]

    def map_value(self, y):
        """``mobius(y)`` for a rational ``y`` (``None`` at the pole)."""
        return apply_mobius(self.mobius, y)

    def _key(self):
        return (self.pcf, self.mobius, self.start, self.step, self.column)

    def __eq__(self, other) -> bool:
        return isinstance(other, Fold) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"Fold(pcf={self.pcf}, mobius={self.mobius.tolist()}, start={self.start}, "
                f"step={self.step}, column={self.column})")


def Rational_(c):
    from sympy import Rational

    return Rational(c)


def apply_mobius(G, y):
    """``(g11 y + g12)/(g21 y + g22)`` for a Rational ``y`` (``None`` for a pole or ``y = None``)."""
    if y is None:
        return None
    den = G[1, 0] * y + G[1, 1]
    if den == 0:
        return None
    return (G[0, 0] * y + G[0, 1]) / den


class _SCFData:
    """An SCF (or an ESMA conjecture) as exact data: prefix, residue polynomials in the ring,
    sign pattern, and its integer walk."""

    def __init__(self, x):
        R = Ring(_N)
        self.ring = R
        if isinstance(x, SCF):
            q = x.quotients
            if not isinstance(q, QuasiPolynomial):
                q = _fit_finite(x)
            if not x.is_periodic:
                raise ValueError("scf must have a periodic sign pattern to be folded")
            pre, polys = _flint_polys(q)
            self.prefix = [int(v) for v in pre]
            self.polys = [R.ctx.from_dict({(i,): c for i, c in enumerate(P.coeffs()) if c != 0})
                          for P in polys]
            self.pattern = tuple(int(s) for s in x.sign_pattern)
            self._scf = x
        elif all(hasattr(x, a) for a in ("prefix", "polys", "signs")):  # an ESMA Conjecture
            self.prefix = [int(v) for v in x.prefix]
            self.polys = [R.ctx.from_dict({(i,): fmpq(int(c.numerator), int(c.denominator))
                                           for i, c in enumerate(P) if c != 0})
                          for P in x.polys]
            self.pattern = tuple(int(s) for s in x.signs)
            self._scf = None
        else:
            raise TypeError(f"scf must be an SCF (or an ESMA Conjecture), got {x!r} of type "
                            f"{type(x).__name__}")
        self.n0, self.T, self.p = len(self.prefix), len(self.polys), len(self.pattern)
        self.L = _ilcm(self.T, self.p)
        self._walk = []
        self._terms = list(self.prefix)
        # Horner coefficient lists (highest first, integers over a common denominator)
        self._int_polys = [_horner(P) for P in self.polys]
        self._pkey = None

    def sign(self, i: int) -> int:
        return self.pattern[i % self.p]

    def term(self, i: int) -> int:
        ts = self._terms
        if len(ts) <= i:
            ip = self._int_polys
            n0, T = self.n0, self.T
            for m in range(len(ts), i + 1):
                k, r = divmod(m - n0, T)
                cs, den = ip[r]
                v = 0
                for c in cs:
                    v = v * k + c
                q, rem = divmod(v, den)
                if rem:
                    raise ValueError(f"scf has the non-integer quotient a_{m} = {v}/{den}")
                ts.append(q)
        return ts[i]

    def walk_int(self, i: int):
        if i == -1:
            return (1, 0, 0, self.sign(-1))
        W = self._walk
        if i >= len(W):
            if not W:
                W.append((self.term(0), 1, 1, 0))
            for m in range(len(W), i + 1):
                p, pp, q, qq = W[m - 1]
                a, s = self.term(m), self.sign(m - 1)
                W.append((a * p + s * pp, p, a * q + s * qq, q))
        return W[i]

    def walk(self, i: int):
        R = self.ring
        p, pp, q, qq = self.walk_int(i)
        return ((R.const(p), R.const(pp)), (R.const(q), R.const(qq)))

    def walk_verify(self, i: int):
        if i < 0:
            R = self.ring
            return ((R.one, R.zero), (R.zero, R.one))
        return self.walk(i)

    def block_key(self, s: int):
        """A key determining :meth:`block` ``(s)`` (``s >= n0 - 1``): the residue polynomials,
        the position in the period and the signs from ``s_s`` on."""
        if self._pkey is None:
            self._pkey = tuple((tuple(cs), den) for cs, den in self._int_polys)
        p = self.p
        return (self._pkey, self.L, s - self.n0, tuple(self.pattern[(s + t) % p] for t in range(p)))

    def block(self, s: int):
        R = self.ring
        L, T, n0 = self.L, self.T, self.n0
        one, zero = R.one, R.zero
        M00, M01, M10, M11 = one, zero, zero, one
        for i in range(1, L + 1):
            m = s + i
            k0, r = divmod(m - n0, T)
            a = R.affine(self.polys[r], L // T, k0)
            sg = self.sign(m - 1)
            # M * [[a, 1], [sg, 0]]
            M00, M01 = M00 * a + M01 * sg, M00
            M10, M11 = M10 * a + M11 * sg, M10
        return ((M00, M01), (M10, M11))


def _horner(P) -> tuple:
    """``([c_d, ..., c_0], D)``: integers with ``P(k) = (c_d k^d + ... + c_0) / D``."""
    d = P.to_dict()
    if not d:
        return [0], 1
    deg = P.degrees()[0]
    cs = [d.get((e,), fmpq(0)) for e in range(deg, -1, -1)]
    D = 1
    for c in cs:
        D = D * int(c.q) // _igcd(D, int(c.q))
    return [int(c.p) * (D // int(c.q)) for c in cs], D


def _fit_finite(scf: SCF) -> QuasiPolynomial:
    terms = list(scf.quotients)
    try:
        q = QuasiPolynomial.from_terms(terms)
    except ValueError as exc:
        raise ValueError(
            f"scf has the finite quotients {list(terms)[:12]}{'...' if len(terms) > 12 else ''} "
            f"and no quasi-polynomial fits them ({exc}); give QuasiPolynomial quotients to fold"
        ) from None
    import warnings

    warnings.warn(
        f"scf has {len(terms)} finite quotients; folding their quasi-polynomial continuation "
        f"{q}: the fold is that of the infinite SCF(QuasiPolynomial, signs), whose value differs "
        f"from the finite fraction's",
        UserWarning,
        stacklevel=4,
    )
    return q


def _fold_data(x, exact_value: bool, all_candidates: bool = False) -> list:
    if not isinstance(exact_value, bool):
        raise TypeError(f"exact_value must be True or False, got {exact_value!r}")
    d = _SCFData(x)
    s_min = max(d.n0 - 1, -1)
    L = d.L
    found = []
    for lo in (s_min, s_min + L):
        found = fold_walk(d.ring, d.block, d.walk, L, range(lo, lo + L), exact_value,
                          all_candidates=all_candidates, block_key=d.block_key)
        if found and not all_candidates:
            break
        if all_candidates and lo == s_min:
            found += fold_walk(d.ring, d.block, d.walk, L, range(lo + L, lo + 2 * L), exact_value,
                               block_key=d.block_key)
            found.sort(key=lambda t: t[1].key)
            break
    out = []
    for start, c in found:
        if not verify_numeric(d.ring, c.a, c.b, c.G, start, L, d.walk_int, _VERIFY):
            raise RuntimeError(f"internal error: a fold of {x} fails the index map")
        out.append(Fold(d.ring, c.a, c.b, c.G, start, L, c.col, c.conditions))
        if not all_candidates:
            break
    return out


def fold_candidates(scf: SCF, *, exact_value: bool = False) -> list:
    """Every fold of ``scf`` (over two quasi-periods of starts and both eliminations), best
    first.

    With ``exact_value=False`` (default) lower degrees come first; with ``exact_value=True``
    folds whose Möbius map is the identity come first.

    >>> from sympy.abc import k
    >>> from esma_sympy import SCF, QuasiPolynomial
    >>> fs = fold_candidates(SCF(QuasiPolynomial([], [1], k), (1,)))
    >>> fs[0].pcf, fs[0].start, fs[0].step
    (PCF(1, 1, n), 0, 1)
    """
    return _fold_data(scf, exact_value, all_candidates=True)


def fold(scf, *, exact_value: bool = False) -> Fold:
    r"""Fold an SCF with quasi-polynomial quotients into a PCF (theory T4.4).

    Explanation
    ===========

    The product of the step matrices over one quasi-period ``L = lcm(T, p)`` (``T`` the period
    of the quotients, ``p`` that of the signs) is a 2x2 matrix ``B(j)`` of polynomials in the
    block index ``j`` with determinant ``±1``.  Eliminating one coordinate of the walk gives a
    three-term recurrence with rational coefficients; inflation clears the denominators,
    :func:`deflate_all` and :func:`normalize` shrink the result.  Both eliminations and every
    start ``s`` of the blocks after the irregular prefix are tried; a fold whose Möbius map is
    the identity (the PCF has the SCF's value; a diagonal map is absorbed by a constant
    inflation) is preferred, then the lowest degrees; ``exact_value=False`` puts the degrees
    first.

    The result ``f`` satisfies, exactly and for every ``N >= 0``,
    ``scf.convergent(f.start + f.step*N) == f.map_value(f.pcf.convergent(N))``.

    Examples
    ========

    e with the sign pattern ``(-, +)``: ``3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - ...))))``.

    >>> from sympy import E, Symbol
    >>> from esma_sympy import SCF, QuasiPolynomial
    >>> k = Symbol('k')
    >>> e = SCF(QuasiPolynomial([3], [2*k + 3, 2], k), (-1, 1))
    >>> f = fold(e)                        # the least degree; the value through a Möbius map
    >>> f.pcf, f.mobius.tolist(), (f.start, f.step)
    (PCF(4*n + 6, 1, n), [[3, 1], [1, 1]], (2, 2))
    >>> f.map_value(f.pcf.convergent(3)) == e.convergent(f.index(3))
    True
    >>> g = fold(e, exact_value=True)      # the SCF's own value, at a higher degree
    >>> g.pcf, g.is_exact_value, (g.start, g.step)
    (PCF(8*n**2/3 + 16*n/3 + 8/3, 4*n**2/9 + 4*n/9 - 1/3, n), True, (1, 2))
    >>> [g.pcf.convergent(N) for N in range(3)] == [e.convergent(1 + 2*N) for N in range(3)]
    True
    >>> g.pcf.evaluate(50).contains(E)
    True

    An ESMA conjecture folds without building SymPy objects (the search's fast path):

    >>> from esma_sympy.search import esma_search
    >>> c = esma_search(E, lhs=["E"], max_period=2, depth=40).find(E, signs=(-1, 1))[0]
    >>> fold(c).pcf
    PCF(4*n + 6, 1, n)

    Parameters
    ==========

    scf : SCF or Conjecture
        With :class:`QuasiPolynomial` quotients and a periodic sign pattern.  Finite
        quotients are accepted when a quasi-polynomial fits them
        (:meth:`QuasiPolynomial.from_terms`); that *continuation* is folded, with a
        ``UserWarning`` (the finite fraction's own value differs).  An ESMA ``Conjecture``
        folds without building SymPy objects.
    exact_value : bool
        Prefer a fold with the SCF's own value over a lower-degree one.

    Returns
    =======

    Fold

    See Also
    ========

    fold_candidates, esma_sympy.transforms.from_matrix
    """
    cands = _fold_data(scf, exact_value)
    if not cands:
        raise ValueError(f"scf = {scf} cannot be folded: every elimination divides by a pivot "
                         f"that vanishes at some block, or the block determinant is zero")
    return cands[0]
