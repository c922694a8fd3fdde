"""Contraction of a polynomial continued fraction: even part, odd part, k-fold contraction.

The ``k``-fold contraction keeps every ``k``-th convergent: the product of ``k`` consecutive
step matrices ``M(i) = [[a(i), 1], [b(i), 0]]`` is a matrix of polynomials in the block index,
and the elimination of theory T4.4 turns it into a PCF again (theory T4.5).
"""

from __future__ import annotations

from .. import limits
from .._args import check_int
from ..cf.pcf import PCF
from ._eliminate import fold_walk, pcf_walk, verify
from ._engine import RF, Ring, mat_mul
from .fold import Fold

__all__ = ["contract", "even_part", "odd_part", "contraction_candidates"]


def ring_of(pcf: PCF, what: str = "pcf"):
    """``(R, a, b)``: the PCF's ring (its bound index and its parameters) and its coefficients
    as polynomials in it; ``ValueError`` naming ``what`` for a non-polynomial coefficient."""
    if not isinstance(pcf, PCF):
        raise TypeError(f"{what} must be a PCF, got {pcf!r} of type {type(pcf).__name__}")
    R = Ring.of(pcf.index, pcf.a, pcf.b)
    return R, R.poly(pcf.a, f"{what}.a"), R.poly(pcf.b, f"{what}.b")


_MAX_START = 64  # starts beyond the roots of a, b are tried up to this index


class _PCFWalk:
    def __init__(self, R, a, b):
        self.R, self.a, self.b = R, a, b
        self.b0 = R.at(b, 0)
        self._W = pcf_walk(R, a, b, 0)

    def walk(self, i: int):
        R = self.R
        if i == -1:
            # virtual start: W(-1) [[a(0), 1], [b(0), 0]] = [[a(0), 1], [1, 0]]  (T4.5)
            return ((RF(R.one), RF(R.zero)), (RF(R.zero), RF(R.one, self.b0)))
        while len(self._W) <= i:
            m = len(self._W)
            self._W.append(mat_mul(self._W[-1], ((R.at(self.a, m), R.one), (R.at(self.b, m), R.zero))))
        return self._W[i]

    def walk_verify(self, i: int):
        if i < 0:
            R = self.R
            return ((R.one, R.zero), (R.zero, R.one))
        return self.walk(i)

    def block(self, s: int, k: int):
        R = self.R
        M00, M01, M10, M11 = R.one, R.zero, R.zero, R.one
        for t in range(1, k + 1):
            a = R.affine(self.a, k, s + t)
            b = R.affine(self.b, k, s + t)
            M00, M01 = M00 * a + M01 * b, M00
            M10, M11 = M10 * a + M11 * b, M10
        return ((M00, M01), (M10, M11))


def _int_roots(R, P) -> list:
    out = []
    if P.is_zero():
        return out
    from ._engine import factors

    for f, _m in factors(P):
        if R.is_numeric(f) and f.degrees()[0] == 1:
            d = f.to_dict()
            c1 = d.get((1,) + (0,) * (len(R.symbols) - 1))
            c0 = d.get((0,) * len(R.symbols), 0)
            r = -c0 / c1
            if r.q == 1:
                out.append(int(r.p))
    return out


def _contractions(pcf: PCF, k: int, exact_value: bool, offset=None, all_candidates=True) -> list:
    k = check_int(k, "k", 1)
    if k > limits.MAX_CONTRACTION:
        raise limits.ResourceLimitError(
            f"k = {k} is above esma_sympy.limits.MAX_CONTRACTION = {limits.MAX_CONTRACTION} (the "
            "contraction's degree grows with k; k = 50 took 3.5 s); set it higher to go on")
    R, a, b = ring_of(pcf)
    w = _PCFWalk(R, a, b)
    # start beyond every nonnegative integer root of a and b, where pivots are likelier nonzero
    roots = [r for P in (a, b) for r in _int_roots(R, P)]
    top = min(max([0] + roots), _MAX_START)
    first = -1 if not w.b0.is_zero() else 0
    starts = range(first, top + 2 * k)
    found = fold_walk(R, lambda s: w.block(s, k), w.walk, k, starts, exact_value)
    if offset is not None:
        found = [t for t in found if (t[0] - offset) % k == 0]
        if not all_candidates and found:
            best = min(found, key=lambda t: ((t[1].key[0] if exact_value else 0), t[0]))
            found = [t for t in found if t[0] == best[0] and t[1].key[:1] == best[1].key[:1]][:1]
    out = []
    for start, c in found:
        if not verify(R, c.a, c.b, c.G, start, k, w.walk_verify):
            raise RuntimeError(f"internal error: a contraction of {pcf} fails the index map")
        out.append(Fold(R, c.a, c.b, c.G, start, k, c.col, c.conditions))
    return out


def contraction_candidates(pcf: PCF, k: int = 2, *, exact_value: bool = True) -> list:
    """Every ``k``-fold contraction of a polynomial PCF (all starts, both eliminations).

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> [f.start for f in contraction_candidates(PCF(1, 1, n), 2)][:3]
    [1, 2, 1]
    """
    return _contractions(pcf, k, exact_value)


def contract(pcf: PCF, k: int = 2, offset: int = 0, *, exact_value: bool = True) -> Fold:
    r"""The ``k``-fold contraction of a PCF through the convergents ``x_{offset + k N}``.

    Explanation
    ===========

    Returns a :class:`Fold` ``f`` with ``f.step == k`` and ``f.start ≡ offset (mod k)`` (the
    least such start available): for every ``N >= 0``,
    ``pcf.convergent(f.start + k*N) == f.map_value(f.pcf.convergent(N))``, and with
    ``f.is_exact_value`` the map is the identity (theory T4.5).

    Examples
    ========

    >>> from sympy import E
    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> p = PCF(n + 3, -n, n)                     # e = 3 - 1/(4 - 2/(5 - ...))
    >>> f = contract(p, 2, 1)                     # odd part, same value
    >>> f.pcf, f.start, f.step, f.is_exact_value
    (PCF(n**3 + 7*n**2/2 + 19*n/4 + 11/4, -n**4/4 - 3*n**3/8 + n**2/4, n), 1, 2, True)
    >>> [f.pcf.convergent(N) for N in range(4)] == p.convergents(7)[1::2]
    True
    >>> g = contract(p, 2, 0)                     # b(0) = 0: the even part starts at x_2
    >>> g.start, g.mobius.tolist()
    (2, [[3, 0], [1, 5]])
    >>> [g.map_value(g.pcf.convergent(N)) for N in range(3)] == p.convergents(6)[2::2]
    True

    Parameters
    ==========

    pcf : PCF
        With numeric polynomial ``a`` and ``b``.
    k : int
        The contraction factor (2: even/odd part).
    offset : int
        The residue class of the kept convergent indices modulo ``k``.
    exact_value : bool
        Prefer an identity Möbius map over lower degrees.

    Returns
    =======

    Fold

    See Also
    ========

    even_part, odd_part, esma_sympy.transforms.fold
    """
    offset = check_int(offset, "offset")
    cands = _contractions(pcf, k, exact_value, offset=offset, all_candidates=False)
    if not cands:
        raise ValueError(f"pcf = {pcf} has no {k}-fold contraction through offset {offset}: "
                         f"every elimination pivot vanishes somewhere (block starts up to index "
                         f"{_MAX_START + 2 * k} were tried)")
    return cands[0]


def even_part(pcf: PCF) -> Fold:
    """The even part: ``contract(pcf, 2, 0)`` (theory T4.5).

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> f = even_part(PCF(1, 1, n))              # golden ratio: x_{2N} = F_{2N+2}/F_{2N+1}
    >>> f.pcf, f.start, f.mobius.tolist()
    (PCF(3, -1, n), 0, [[0, 1], [1, -2]])
    """
    return contract(pcf, 2, 0)


def odd_part(pcf: PCF) -> Fold:
    """The odd part: ``contract(pcf, 2, 1)`` (theory T4.5).

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> f = odd_part(PCF(1, 1, n))
    >>> f.start, f.step, f.map_value(f.pcf.convergent(2)) == PCF(1, 1, n).convergent(f.index(2))
    (1, 2, True)
    """
    return contract(pcf, 2, 1)
