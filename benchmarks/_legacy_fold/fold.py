"""Legacy baseline (commit e587b60; benchmark use only).  Fold a signed continued fraction with quasi-polynomial quotients into a PCF.

Convention: the SCF walk is ``W_i = [[a_0, 1], [1, 0]] M_1 ... M_i`` with
``M_i = [[a_i, 1], [s_{i-1}, 0]]`` (``W_{-1} = I``); ``x_i`` is its ``i``-th convergent.  Let
``n0`` be the prefix length, ``T`` the period of the quotients, ``p`` the length of the sign
pattern and ``L = lcm(T, p)``.  For a start ``s >= max(n0 - 1, -1)`` the block
``B(j) = M_{s+Lj+1} ... M_{s+L(j+1)}`` is a matrix of polynomials in ``j`` (theory T4.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import lcm as _ilcm

from sympy import ImmutableMatrix, Integer, Matrix, Rational, Symbol, eye, expand

from esma_sympy.cf.pcf import PCF
from esma_sympy.cf.quasipolynomial import QuasiPolynomial
from esma_sympy.cf.scf import SCF
from ._eliminate import absorb_diagonal, apply_mobius, cost, eliminate

__all__ = ["Fold", "fold", "fold_candidates"]

_J = Symbol("j")
_N = Symbol("n")
_VERIFY = 6


@dataclass(frozen=True)
class Fold:
    r"""The result of :func:`fold`: a PCF, the exact Möbius map to the SCF, the index map.

    For every ``N >= 0``:  ``x_{start + step*N} = mobius(y_N)`` where ``x_i`` are the SCF's
    convergents, ``y_N`` the PCF's, and ``mobius(y) = (g11 y + g12)/(g21 y + g22)``
    (theory T4.4).  When ``mobius`` is the identity the PCF has the SCF's value.

    >>> from sympy import E, Symbol
    >>> from esma_sympy import SCF, QuasiPolynomial
    >>> k = Symbol('k')
    >>> f = fold(SCF(QuasiPolynomial([3], [2*k + 3, 2], k), (-1, 1)))
    >>> f.is_exact_value, f.index(0), f.index(1), f.pcf.evaluate(50).contains(E)
    (True, 1, 3, True)

    Attributes
    ==========

    pcf : PCF
    mobius : ImmutableMatrix
        2x2 rational matrix ``G``.
    start, step : int
        The index map ``N -> start + step*N``.
    column : int
        Which walk column was kept (0: numerators ``p_i``; 1: ``p_{i-1}``).
    """

    pcf: PCF
    mobius: ImmutableMatrix
    start: int
    step: int
    column: int

    def index(self, N: int) -> int:
        """The SCF convergent index that the PCF's ``N``-th convergent maps to."""
        return self.start + self.step * N

    @property
    def is_exact_value(self) -> bool:
        """Whether ``mobius`` is the identity (the PCF's value is the SCF's)."""
        G = self.mobius
        return G[0, 1] == 0 and G[1, 0] == 0 and G[0, 0] == G[1, 1]

    def map_value(self, y):
        """``mobius(y)`` for a rational ``y`` (``None`` at the pole)."""
        return apply_mobius(self.mobius, y)


def _check_scf(scf) -> tuple:
    if not isinstance(scf, SCF):
        raise TypeError(f"scf must be an SCF, got {scf!r} of type {type(scf).__name__}")
    q = scf.quotients
    if not isinstance(q, QuasiPolynomial):
        raise ValueError(f"scf must have QuasiPolynomial quotients to be folded, got the finite quotients {q}")
    if not scf.is_periodic:
        raise ValueError("scf must have a periodic sign pattern to be folded")
    n0, T, p = q.offset, q.period, len(scf.sign_pattern)
    return q, n0, T, p, _ilcm(T, p)


def _block(scf: SCF, q: QuasiPolynomial, s: int, L: int) -> Matrix:
    n0, T = q.offset, q.period
    M = eye(2)
    for i in range(1, L + 1):
        k0, r = divmod(s + i - n0, T)
        a = expand(q.polys[r].xreplace({q.index: k0 + (L // T) * _J}))
        M = M * Matrix([[a, 1], [scf.sign(s + i - 1), 0]])
    return M.applyfunc(expand)


def _walk(scf: SCF, i: int) -> Matrix:
    if i == -1:
        # the virtual walk before a_0: W(-1) B(0) must equal W_{L-1}, and B(0) starts with the
        # step [[a_0, 1], [s_{-1}, 0]] of the periodic pattern, so W(-1) = diag(1, s_{-1})
        # (projectively the same points 1/0 and 0/1 as p_{-1}/q_{-1}, p_{-2}/q_{-2}; T4.4)
        return Matrix([[1, 0], [0, scf.sign(-1)]])
    W = scf.walk_matrix(i)
    return Matrix([[Integer(int(W[0, 0])), Integer(int(W[0, 1]))], [Integer(int(W[1, 0])), Integer(int(W[1, 1]))]])


def _fold_walk(block, walk, L: int, starts, exact_value: bool, cols=(0, 1)) -> list:
    """The engine shared by :func:`fold` and :func:`contract` (theory T4.4).

    ``block(s)``: the block matrix ``B(j)`` (polynomials in ``_J``) of the walk started at
    index ``s``; ``walk(i)``: the exact walk matrix at index ``i`` (``i >= -1``).
    """
    found = []
    for s in starts:
        B = block(s)
        W0, W1 = walk(s), walk(s + L)
        for col in cols:
            z0 = (W0[0, col], W0[1, col])
            z1 = (W1[0, col], W1[1, col])
            cand = eliminate(B, _J, z0, z1, _N, col)
            if cand is None:
                continue
            cand = absorb_diagonal(cand, _N)
            start = s + L - col
            if start < 0:
                continue
            found.append((cost(cand), s, col, Fold(cand.pcf, cand.mobius, start, L, col)))
    if exact_value:
        found.sort(key=lambda t: (t[0], t[1], t[2]))
    else:
        found.sort(key=lambda t: (t[0][1:], t[0][0], t[1], t[2]))
    return [t[3] for t in found]


def fold_candidates(scf: SCF, *, exact_value: bool = True) -> list:
    """Every fold of ``scf`` (over starts and both eliminations), best first.

    With ``exact_value=True`` folds whose Möbius map is the identity come first, then lower
    degrees; with ``exact_value=False`` lower degrees come first.

    >>> from sympy.abc import k
    >>> from esma_sympy import SCF, QuasiPolynomial
    >>> fs = fold_candidates(SCF(QuasiPolynomial([], [1], k), (1,)))
    >>> fs[0].pcf, fs[0].start, fs[0].step
    (PCF(1, 1, n), 0, 1)
    """
    q, n0, T, p, L = _check_scf(scf)
    s_min = max(n0 - 1, -1)
    out = _fold_walk(lambda s: _block(scf, q, s, L), lambda i: _walk(scf, i), L,
                     range(s_min, s_min + 2 * L), exact_value)
    for f in out:
        _verify(scf, f, lambda i: _walk(scf, i) if i >= 0 else eye(2))
    return out


def _verify(scf, f: Fold, walk) -> None:
    """Exact check of the index map on the first few convergents (a guard against bugs)."""
    G = f.mobius
    for N in range(_VERIFY):
        Y, X = f.pcf.walk_matrix(N), walk(f.index(N))
        P, Q = Rational(str(Y[0, 0])), Rational(str(Y[1, 0]))
        u, v = G[0, 0] * P + G[0, 1] * Q, G[1, 0] * P + G[1, 1] * Q
        if u * X[1, 0] - v * X[0, 0] != 0 or (u == 0 and v == 0):
            raise RuntimeError(f"internal error: fold of {scf} fails the index map at N = {N}: {f}")


def fold(scf: SCF, *, exact_value: bool = True) -> Fold:
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
    >>> f = fold(e)
    >>> f.pcf, f.is_exact_value, (f.start, f.step)
    (PCF(8*n**2/3 + 16*n/3 + 8/3, 4*n**2/9 + 4*n/9 - 1/3, n), True, (1, 2))
    >>> [f.pcf.convergent(N) for N in range(3)] == [e.convergent(1 + 2*N) for N in range(3)]
    True
    >>> f.pcf.evaluate(50).contains(E)
    True
    >>> g = fold(e, exact_value=False)      # lower degree, value through a Möbius map
    >>> g.pcf, g.mobius.tolist(), g.map_value(g.pcf.convergent(3)) == e.convergent(g.index(3))
    (PCF(4*n + 6, 1, n), [[3, 1], [1, 1]], True)

    Parameters
    ==========

    scf : SCF
        With :class:`QuasiPolynomial` quotients and a periodic sign pattern.
    exact_value : bool
        Prefer a fold with the SCF's own value over a lower-degree one.

    Returns
    =======

    Fold

    See Also
    ========

    fold_candidates, esma_sympy.transforms.from_matrix
    """
    cands = fold_candidates(scf, exact_value=exact_value)
    if not cands:
        raise ValueError(f"scf = {scf} cannot be folded: every elimination divides by a pivot "
                         f"that vanishes at some block, or the block determinant is zero")
    return cands[0]
