"""Matrix view of polynomial continued fractions.

A PCF is the walk ``W_N = [[a(0), 1], [1, 0]] M(1) ... M(N)`` with the step matrix
``M(n) = [[a(n), 1], [b(n), 0]]`` (``esma_sympy.numeric.walk``).  :func:`as_matrix` gives
``M(n)``; :func:`from_matrix` turns any walk ``C M(1) M(2) ...`` of 2x2 polynomial matrices
back into a PCF with an exact Möbius map (theory T4.6).
"""

from __future__ import annotations

from sympy import ImmutableMatrix, Matrix, Rational, Symbol, eye, sympify

from ..cf.pcf import PCF
from ._rational import _is_poly, _pcf_index
from .fold import _J, Fold, _fold_walk, _verify

__all__ = ["as_matrix", "from_matrix", "walk_start"]


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
    n = sympify(n)
    if not isinstance(n, Symbol):
        raise TypeError(f"n must be a Symbol, got {n!r}")
    for e in M:
        if sympify(e).free_symbols - {n} or not _is_poly(sympify(e), n):
            raise ValueError(f"M must have polynomial entries in {n} with numeric coefficients, got {e}")
    C = eye(2) if initial is None else Matrix(initial)
    if C.shape != (2, 2) or C.free_symbols or C.det() == 0:
        raise ValueError(f"initial must be a constant invertible 2x2 matrix, got {initial}")
    C = C.applyfunc(Rational)
    cache = {0: C}

    def walk(i: int) -> Matrix:
        if i not in cache:
            cache[i] = walk(i - 1) * M.xreplace({n: i})
        return cache[i]

    def block(s: int) -> Matrix:
        return M.xreplace({n: s + 1 + _J})

    out = _fold_walk(block, walk, 1, range(0, 2), exact_value, cols=(0,))
    if not out:
        raise ValueError(f"M = {M.tolist()} cannot be turned into a PCF: M[1, 0] vanishes at some "
                         f"index >= 1, or det M is identically zero")
    for f in out:
        _verify(None, f, walk)
    return out[0]
