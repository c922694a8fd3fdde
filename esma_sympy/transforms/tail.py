"""Index moves: the ``k``-th tail of a continued fraction and the shift of a PCF's index.

For ``x = a_0 + b_1/(a_1 + b_2/(...))`` the ``k``-th tail is ``t_k = a_k + b_{k+1}/(a_{k+1} +
...)``; with the walk ``W_{k-1}`` (``W_{-1} = I``) one has ``x = G(t_k)`` for
``G = W_{k-1} diag(1, b_k)``, and the same for every convergent (theory T4.7).
"""

from __future__ import annotations

from sympy import ImmutableMatrix, Integer, Matrix, Rational, S, sympify

from .._args import check_int
from ..numeric.parse import sympify_safe
from ..cf.pcf import PCF
from ..cf.quasipolynomial import QuasiPolynomial
from ..cf.scf import SCF
from .fold import Fold

__all__ = ["shift", "tail"]


def _check_k(k) -> int:
    return check_int(k, "k")


def shift(pcf: PCF, k: int) -> PCF:
    """``PCF(a(n + k), b(n + k))`` for any integer ``k`` (theory T4.7).

    For ``k >= 0`` this is the ``k``-th tail; for ``k < 0``, ``pcf`` is the ``-k``-th tail of
    the result.

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> shift(PCF(n + 3, -n, n), 2), shift(PCF(n + 3, -n, n), -1)
    (PCF(n + 5, -n - 2, n), PCF(n + 2, 1 - n, n))
    """
    if not isinstance(pcf, PCF):
        raise TypeError(f"pcf must be a PCF, got {pcf!r} of type {type(pcf).__name__}")
    k = _check_k(k)
    n = pcf.index
    return PCF(pcf.a.xreplace({n: n + k}).expand(), pcf.b.xreplace({n: n + k}).expand(), n)


def _scf_tail(scf: SCF, k: int) -> SCF:
    q = scf.quotients
    pat = scf.sign_pattern
    p = len(pat)
    signs = tuple(pat[(k + i) % p] for i in range(p))
    if not isinstance(q, QuasiPolynomial):
        if not scf.is_periodic:
            return SCF(list(q[k:]), list(pat[k:]) or [1], periodic=len(q) - k <= 1)
        return SCF(list(q[k:]), signs)
    n0, T = q.offset, q.period
    if k <= n0:
        return SCF(QuasiPolynomial(q.prefix[k:], q.polys, q.index), signs)
    m = k - n0
    k0, r = divmod(m, T)
    kk = q.index
    polys = [q.polys[(r + i) % T].xreplace({kk: kk + k0 + (r + i) // T}).expand() for i in range(T)]
    return SCF(QuasiPolynomial([], polys, kk), signs)


def tail(x, k: int) -> Fold:
    r"""The ``k``-th tail of a PCF or SCF and the Möbius map back to ``x`` (theory T4.7).

    Explanation
    ===========

    Returns a :class:`Fold` ``f`` with ``f.pcf`` the tail (a PCF for a PCF, an SCF for an
    SCF — the attribute name is shared), ``f.start = k``, ``f.step = 1`` and
    ``f.mobius = W_{k-1} diag(1, b_k)``: for every ``N >= 0``,
    ``x.convergent(k + N) == f.map_value(tail.convergent(N))``, and the values are related
    the same way.

    Examples
    ========

    >>> from sympy import Symbol
    >>> from sympy.abc import n
    >>> from esma_sympy import PCF, SCF, QuasiPolynomial
    >>> p = PCF(n + 3, -n, n)
    >>> f = tail(p, 2)
    >>> f.pcf, f.mobius.tolist()
    (PCF(n + 5, -n - 2, n), [[11, -6], [4, -2]])
    >>> f.map_value(f.pcf.convergent(3)) == p.convergent(5)
    True
    >>> k = Symbol('k')
    >>> e = SCF(QuasiPolynomial([3], [2*k + 3, 2], k), (-1, 1))
    >>> t = tail(e, 2)
    >>> t.pcf.terms(5), t.pcf.sign_pattern
    ([2, 5, 2, 7, 2], (-1, 1))

    Parameters
    ==========

    x : PCF or SCF
    k : int
        ``k >= 0``.

    Returns
    =======

    Fold
    """
    k = _check_k(k)
    if k < 0:
        raise ValueError(f"k must be >= 0 for a tail, got {k}; use shift(pcf, {k}) to extend a PCF")
    if isinstance(x, PCF):
        t = shift(x, k)
        bk = sympify_safe(x.b.xreplace({x.index: k})) if k > 0 else S.One
    elif isinstance(x, SCF):
        L = x._length()
        if L is not None and k > L:
            raise ValueError(f"k must be <= {L} for this finite SCF, got {k}")
        t = _scf_tail(x, k)
        bk = Integer(x.sign(k - 1)) if k > 0 else S.One
    else:
        raise TypeError(f"x must be a PCF or SCF, got {x!r} of type {type(x).__name__}")
    if k == 0:
        W = Matrix([[1, 0], [0, 1]])
    elif isinstance(x, PCF) and x.free_symbols:  # the walk in the exact ring, with parameters
        from ._eliminate import pcf_walk
        from .contraction import ring_of

        R, a, b = ring_of(x, "x")
        Wr = pcf_walk(R, a, b, k - 1)[-1]
        W = Matrix(2, 2, [R.expr(Wr[r][c]) for r in range(2) for c in range(2)])
    else:
        Wf = x.walk_matrix(k - 1)
        W = Matrix(2, 2, [Rational(str(Wf[r, c])) for r in range(2) for c in range(2)])
    G = W * Matrix([[1, 0], [0, bk]])
    return Fold._from_sympy(t, ImmutableMatrix(G), k, 1, 0)
