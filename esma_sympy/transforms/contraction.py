"""Contraction of a polynomial continued fraction: even part, odd part, k-fold contraction.

The ``k``-fold contraction keeps every ``k``-th convergent: the product of ``k`` consecutive
step matrices ``M(i) = [[a(i), 1], [b(i), 0]]`` is a matrix of polynomials in the block index,
and the elimination of theory T4.4 turns it into a PCF again (theory T4.5).
"""

from __future__ import annotations

from sympy import QQ, Matrix, Poly, Rational, expand, eye

from ..cf.pcf import PCF
from ._rational import _integer_roots, _is_poly, _pcf_index
from .fold import _J, Fold, _fold_walk, _verify

__all__ = ["contract", "even_part", "odd_part", "contraction_candidates"]


def _pcf_walk(pcf: PCF):
    n = pcf.index
    b0 = Rational(pcf.b.xreplace({n: 0}))

    def walk(i: int) -> Matrix:
        if i == -1:
            # virtual start: W(-1) [[a(0), 1], [b(0), 0]] = [[a(0), 1], [1, 0]]  (T4.5)
            return Matrix([[1, 0], [0, 1 / b0]])
        W = pcf.walk_matrix(i)
        return Matrix(2, 2, [Rational(str(W[r, c])) for r in range(2) for c in range(2)])

    return walk, b0


def _pcf_block(pcf: PCF, s: int, k: int) -> Matrix:
    n = pcf.index
    M = eye(2)
    for t in range(1, k + 1):
        i = s + t + k * _J
        M = M * Matrix([[pcf.a.xreplace({n: i}), 1], [pcf.b.xreplace({n: i}), 0]])
    return M.applyfunc(expand)


def contraction_candidates(pcf: PCF, k: int = 2, *, exact_value: bool = True) -> list:
    """Every ``k``-fold contraction of a polynomial PCF (all starts, both eliminations).

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> [f.start for f in contraction_candidates(PCF(1, 1, n), 2)][:3]
    [1, 0, 2]
    """
    n = _pcf_index(pcf)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    if pcf.free_symbols or not (_is_poly(pcf.a, n) and _is_poly(pcf.b, n)):
        raise ValueError(f"pcf = {pcf} must have numeric polynomial a and b to be contracted")
    walk, b0 = _pcf_walk(pcf)
    # start beyond every nonnegative integer root of a and b, where pivots are likelier nonzero
    roots = [r for e in (pcf.a, pcf.b) if e != 0 for r in _integer_roots(Poly(e, n, domain=QQ))]
    R = max([0] + roots)
    starts = range(-1 if b0 != 0 else 0, R + 2 * k)
    out = _fold_walk(lambda s: _pcf_block(pcf, s, k), walk, k, starts, exact_value)
    for f in out:
        _verify(pcf, f, lambda i: walk(i) if i >= 0 else eye(2))
    return out


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
    if isinstance(offset, bool) or not isinstance(offset, int):
        raise TypeError(f"offset must be an integer, got {offset!r}")
    cands = [f for f in contraction_candidates(pcf, k, exact_value=exact_value)
             if (f.start - offset) % k == 0]
    if not cands:
        raise ValueError(f"pcf = {pcf} has no {k}-fold contraction through offset {offset}: "
                         f"every elimination pivot vanishes somewhere")
    best = min(cands, key=lambda f: (not f.is_exact_value if exact_value else 0, f.start))
    same = [f for f in cands if f.start == best.start and f.is_exact_value == best.is_exact_value]
    return same[0]


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
    >>> f.start, f.step, f.pcf.convergent(2) == PCF(1, 1, n).convergent(f.index(2))
    (1, 2, False)
    """
    return contract(pcf, 2, 1)
