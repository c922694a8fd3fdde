"""Matrix view of polynomial continued fractions.

A PCF is the walk ``W_N = [[a(0), 1], [1, 0]] M(1) ... M(N)`` with the step matrix
``M(n) = [[a(n), 1], [b(n), 0]]`` (``esma_sympy.numeric.walk``).  :func:`as_matrix` gives
``M(n)``; :func:`from_matrix` turns any walk ``C M(1) M(2) ...`` of 2x2 polynomial matrices
back into a PCF with an exact Möbius map (theory T4.6).
"""

from __future__ import annotations

from sympy import ImmutableMatrix, Matrix, Symbol, eye, sympify

from ..numeric.parse import sympify_safe
from ..cf.pcf import PCF
from ._eliminate import RF, fold_walk, verify
from ._engine import Ring
from ._rational import _pcf_index
from .fold import Fold

__all__ = ["as_matrix", "from_matrix", "walk_start", "mobius_transform"]


def as_matrix(pcf: PCF) -> ImmutableMatrix:
    """The step matrix ``M(n) = [[a(n), 1], [b(n), 0]]`` in the PCF's index (theory T4.6).

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> as_matrix(PCF(2*n + 1, n**2, n))
    Matrix([
    [2*n + 1, 1],
    [   n**2, 0]])
    """
    _pcf_index(pcf)
    return ImmutableMatrix([[pcf.a, 1], [pcf.b, 0]])


def walk_start(pcf: PCF) -> ImmutableMatrix:
    """The constant matrix ``[[a(0), 1], [1, 0]]`` that starts the PCF's walk (theory T4.6).

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> walk_start(PCF(n + 3, -n, n))
    Matrix([
    [3, 1],
    [1, 0]])
    """
    n = _pcf_index(pcf)
    return ImmutableMatrix([[pcf.a.xreplace({n: 0}), 1], [1, 0]])


def from_matrix(M, n: Symbol, initial=None, *, exact_value: bool = True) -> Fold:
    r"""A PCF from the walk ``W_j = C M(1) M(2) ... M(j)`` of a 2x2 polynomial matrix (T4.6).

    Explanation
    ===========

    Write ``x_j`` for the ratio of the first column of ``W_j`` (``C = initial``, the identity
    by default).  The result ``f`` satisfies, exactly for every ``N >= 0``,
    ``x_{f.start + N} = f.map_value(f.pcf.convergent(N))``.  The PCF comes from eliminating
    the second coordinate of the walk (theory T4.4 with blocks ``B(j) = M(j + 1)``), started at
    ``j = 0`` or ``1``; the pivot ``M[1, 0]`` must not vanish at any index used.

    Examples
    ========

    A PCF round trip lands on its tail: ``x_{N+1} = p_{N+1}/q_{N+1}``.

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> p = PCF(2*n + 1, n**2, n)
    >>> f = from_matrix(as_matrix(p), n, walk_start(p))
    >>> f.pcf, f.start, f.mobius.tolist()
    (PCF(2*n + 3, n**2 + 2*n + 1, n), 1, [[1, 1], [1, 0]])
    >>> f.map_value(f.pcf.convergent(4)) == p.convergent(5)
    True

    Parameters
    ==========

    M : 2x2 matrix
        Entries polynomials in ``n`` with rational coefficients.
    n : Symbol
        The index of ``M``.
    initial : 2x2 matrix, optional
        The constant ``C`` (rational entries, nonzero determinant).
    exact_value : bool
        Prefer an identity Möbius map over lower degrees.

    Returns
    =======

    Fold

    See Also
    ========

    as_matrix, esma_sympy.transforms.fold
    """
    M = Matrix(M)
    if M.shape != (2, 2):
        raise ValueError(f"M must be a 2x2 matrix, got shape {M.shape}")
    n = sympify_safe(n)
    if not isinstance(n, Symbol):
        raise TypeError(f"n must be a Symbol, got {n!r}")
    C = eye(2) if initial is None else Matrix(initial)
    if C.shape != (2, 2) or (C.free_symbols & {n}):
        raise ValueError(f"initial must be a 2x2 matrix without the index {n}, got {initial}")
    R = Ring.of(n, *M, *C)
    Mr = [[R.poly(M[r, c], f"M[{r}, {c}]") for c in range(2)] for r in range(2)]
    Cr = [[RF(*R.ratfunc(C[r, c], f"initial[{r}, {c}]")) for c in range(2)] for r in range(2)]
    if (Cr[0][0] * Cr[1][1] - Cr[0][1] * Cr[1][0]).is_zero():
        raise ValueError(f"initial must be invertible, got {initial} (determinant 0)")
    cache = {0: ((Cr[0][0], Cr[0][1]), (Cr[1][0], Cr[1][1]))}

    def walk(i: int):
        if i not in cache:
            W = walk(i - 1)
            S = [[RF(R.at(Mr[r][c], i)) for c in range(2)] for r in range(2)]
            cache[i] = ((W[0][0] * S[0][0] + W[0][1] * S[1][0], W[0][0] * S[0][1] + W[0][1] * S[1][1]),
                        (W[1][0] * S[0][0] + W[1][1] * S[1][0], W[1][0] * S[0][1] + W[1][1] * S[1][1]))
        return cache[i]

    def block(s: int):
        return tuple(tuple(R.affine(Mr[r][c], 1, s + 1) for c in range(2)) for r in range(2))

    found = fold_walk(R, block, walk, 1, range(0, 2), exact_value, cols=(0,))
    if not found:
        raise ValueError(f"M = {M.tolist()} cannot be turned into a PCF: M[1, 0] vanishes at some "
                         f"index >= 1, or det M is identically zero")
    start, c = found[0]

    def walk_poly(i: int):
        W = walk(i)
        return tuple(tuple(x.num if x.den.is_one() else x for x in row) for row in W)

    if not verify(R, c.a, c.b, c.G, start, 1, _walk_as_poly(R, walk)):
        raise RuntimeError(f"internal error: from_matrix({M.tolist()}) fails the index map")
    return Fold(R, c.a, c.b, c.G, start, 1, c.col, c.conditions)


def _walk_as_poly(R, walk):
    """The walk with a common denominator cleared per matrix (a projective rescaling, which
    the index-map check ``u x_q - v x_p = 0`` does not see)."""

    def w(i: int):
        W = walk(i)
        ents = [W[0][0], W[0][1], W[1][0], W[1][1]]
        den = R.one
        for e in ents:
            den = den * e.den / den.gcd(e.den) if not e.den.is_one() else den
        P = [e.num * (den / e.den) for e in ents]
        return ((P[0], P[1]), (P[2], P[3]))

    return w


def mobius_transform(pcf: PCF, G) -> Fold:
    r"""A PCF for the Möbius image ``G(x)`` of a PCF's value ``x`` (theory T4.6).

    Explanation
    ===========

    The walk ``G S M(1) M(2) ...`` (``S = walk_start(pcf)``) has the convergents ``G(x_j)``;
    :func:`from_matrix` turns it into a PCF ``f.pcf`` with ``G(x_{f.start + N}) =
    f.map_value(f.pcf.convergent(N))``.  When ``f.is_exact_value`` the PCF's value is ``G(x)``.
    Parameters are allowed in ``pcf`` and ``G``.

    Examples
    ========

    >>> from sympy import Matrix, pi, N
    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> f = mobius_transform(PCF(2*n + 1, n**2, n), Matrix([[1, 1], [0, 1]]))   # 4/pi + 1
    >>> f.pcf, f.mobius.tolist()
    (PCF(2*n + 3, n**2 + 2*n + 1, n), [[2, 1], [1, 0]])
    >>> y = N(f.pcf, 30)
    >>> N((2*y + 1)/y, 15) == N(4/pi + 1, 15)
    True

    Parameters
    ==========

    pcf : PCF
    G : 2x2 matrix
        Invertible, without the index.

    Returns
    =======

    Fold
    """
    if not isinstance(pcf, PCF):
        raise TypeError(f"pcf must be a PCF, got {pcf!r} of type {type(pcf).__name__}")
    Gm = Matrix(G)
    if Gm.shape != (2, 2):
        raise ValueError(f"G must be a 2x2 matrix, got shape {Gm.shape}")
    if pcf.index in Gm.free_symbols:
        raise ValueError(f"G must not contain the index {pcf.index}")
    if Gm.det() == 0:
        raise ValueError(f"G = {Gm.tolist()} is singular: a Möbius map needs det G != 0")
    return from_matrix(as_matrix(pcf), pcf.index, Gm * Matrix(walk_start(pcf)), exact_value=True)
