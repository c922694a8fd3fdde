"""Exact convergents by 2x2 integer matrix products, and certified enclosures from them.

Convention (shared by ``PCF`` and ``SCF``): a continued fraction
``a_0 + b_1/(a_1 + b_2/(a_2 + ...))`` has convergents ``p_n/q_n`` with

    [[p_n, p_{n-1}], [q_n, q_{n-1}]] = [[a_0, 1], [1, 0]] * M_1 * ... * M_n,
    M_k = [[a_k, 1], [b_k, 0]].

The product is formed by *chunked binary splitting*: short runs of steps are multiplied with
Python integers (the entries are small there and Python's small-integer arithmetic beats any
call into a library), then the chunk matrices are multiplied pairwise as ``fmpz_mat`` in a
balanced tree, so the big multiplications are few and balanced (FLINT's fast multiplication
does the work).

If the tail of the fraction after level ``n`` is ``tau = b_{n+1}/(a_{n+1} + ...)``, the value
is the Möbius image ``(p_n + tau p_{n-1}) / (q_n + tau q_{n-1})``; an interval known to contain
``tau`` therefore gives a proven interval for the value (theory T1.2).
"""

from __future__ import annotations

from typing import Sequence

from flint import arb, fmpq, fmpq_mat, fmpq_poly, fmpz, fmpz_mat

__all__ = ["poly_values", "walk", "extend_walk", "mobius_enclosure"]

_CHUNK = 24


def poly_values(p: fmpq_poly, start: int, count: int) -> list:
    """Values ``p(start), ..., p(start + count - 1)``.

    Integer-coefficient polynomials are evaluated by forward differences on Python integers
    (``deg`` additions per value); others by ``fmpq`` evaluation.

    >>> from flint import fmpq_poly
    >>> poly_values(fmpq_poly([1, 0, 1]), 0, 5)
    [1, 2, 5, 10, 17]
    >>> poly_values(fmpq_poly([0, 1]) / 2, 1, 3)
    [1/2, 1, 3/2]
    """
    if count <= 0:
        return []
    if p.denom() != 1:
        return [p(start + i) for i in range(count)]
    d = max(p.degree(), 0)
    if count <= d + 1:
        return [int(p(start + i)) for i in range(count)]
    # forward differences: D[j] = Delta^j p(start)
    vals = [int(p(start + i)) for i in range(d + 1)]
    diffs = list(vals)
    for j in range(1, d + 1):
        for i in range(d, j - 1, -1):
            diffs[i] -= diffs[i - 1]
    out = [diffs[0]]
    for _ in range(count - 1):
        for j in range(d):
            diffs[j] += diffs[j + 1]
        out.append(diffs[0])
    return out


def _chunk_products(avals: Sequence, bvals: Sequence, exact_int: bool) -> list:
    mats = []
    n = len(avals)
    make = fmpz_mat if exact_int else fmpq_mat
    for s in range(0, n, _CHUNK):
        a, b, c, d = 1, 0, 0, 1
        for x, y in zip(avals[s:s + _CHUNK], bvals[s:s + _CHUNK]):
            a, b, c, d = a * x + b * y, a, c * x + d * y, c
        mats.append(make([[a, b], [c, d]]) if exact_int else make(2, 2, [a, b, c, d]))
    return mats


def _tree(mats: list):
    while len(mats) > 1:
        nxt = [mats[i] * mats[i + 1] for i in range(0, len(mats) - 1, 2)]
        if len(mats) % 2:
            nxt.append(mats[-1])
        mats = nxt
    return mats[0]


def _is_int(v) -> bool:
    return isinstance(v, int) or (isinstance(v, (fmpz,))) or (isinstance(v, fmpq) and v.q == 1)


def walk(a0, avals: Sequence, bvals: Sequence):
    """The matrix ``[[p_n, p_{n-1}], [q_n, q_{n-1}]]`` for ``n = len(avals)``.

    ``avals = [a_1, ..., a_n]`` and ``bvals = [b_1, ..., b_n]``.  Integers give an
    ``fmpz_mat``; any non-integer rational gives an ``fmpq_mat``.

    >>> walk(1, [1, 1, 1, 1], [1, 1, 1, 1])      # golden ratio: 8/5, previous 5/3
    [8, 5]
    [5, 3]
    """
    if len(avals) != len(bvals):
        raise ValueError(f"avals and bvals must have the same length, got {len(avals)} and {len(bvals)}")
    exact_int = _is_int(a0) and all(_is_int(v) for v in avals) and all(_is_int(v) for v in bvals)
    if exact_int:
        start = fmpz_mat([[int(a0), 1], [1, 0]])
        ia = [int(v) for v in avals] if not all(type(v) is int for v in avals) else avals
        ib = [int(v) for v in bvals] if not all(type(v) is int for v in bvals) else bvals
        mats = [start] + _chunk_products(ia, ib, True)
    else:
        start = fmpq_mat(2, 2, [fmpq(a0) if not isinstance(a0, fmpq) else a0, 1, 1, 0])
        fa = [v if isinstance(v, fmpq) else fmpq(v) for v in avals]
        fb = [v if isinstance(v, fmpq) else fmpq(v) for v in bvals]
        mats = [start] + _chunk_products(fa, fb, False)
    return _tree(mats)


def extend_walk(P, avals: Sequence, bvals: Sequence):
    """``P * M_{n+1} * ... * M_{n+m}`` for a walk matrix ``P`` at level ``n``.

    >>> P = walk(1, [1, 1], [1, 1])
    >>> extend_walk(P, [1, 1], [1, 1]) == walk(1, [1, 1, 1, 1], [1, 1, 1, 1])
    True
    """
    if not avals:
        return P
    rest = walk(0, avals, bvals)
    # walk(0, ...) = [[0,1],[1,0]] * M...; strip the leading permutation
    perm = type(rest)([[0, 1], [1, 0]]) if isinstance(rest, fmpz_mat) else fmpq_mat(2, 2, [0, 1, 1, 0])
    tail = perm * rest
    if isinstance(P, fmpz_mat) and isinstance(tail, fmpq_mat):
        P = fmpq_mat(P)
    elif isinstance(P, fmpq_mat) and isinstance(tail, fmpz_mat):
        tail = fmpq_mat(tail)
    return P * tail


def mobius_enclosure(P, tau_lo, tau_hi, prec: int):
    """An ``arb`` ball containing ``(p + tau p') / (q + tau q')`` for every ``tau`` in the
    closed interval ``[tau_lo, tau_hi]`` (``fmpq`` endpoints), or ``None`` when the
    denominator vanishes somewhere on the interval (then no finite enclosure exists).

    The map is monotone on an interval that avoids its pole, so the image is the interval
    between the images of the endpoints.

    >>> from flint import fmpq
    >>> P = walk(1, [1] * 20, [1] * 20)
    >>> b = mobius_enclosure(P, fmpq(0), fmpq(1), 60)
    >>> b.contains(arb(5).sqrt() / 2 + arb(1) / 2)
    True
    """
    p, pp = fmpq(P[0, 0]), fmpq(P[0, 1])
    q, qq = fmpq(P[1, 0]), fmpq(P[1, 1])
    d_lo = q + tau_lo * qq
    d_hi = q + tau_hi * qq
    if d_lo == 0 or d_hi == 0 or (d_lo > 0) != (d_hi > 0):
        return None
    from .._flintctx import workprec

    with workprec(prec):
        x_lo = arb(p + tau_lo * pp) / arb(d_lo)
        x_hi = arb(p + tau_hi * pp) / arb(d_hi)
        return x_lo.union(x_hi)
