"""Signed expansions of Möbius images ``(a c + b)/(g c + d)`` by homographic arithmetic.

Gosper's algorithm, emitting *signed* quotients (ESMA convention, theory T2.1): the state
``(a, b, g, d)`` stands for ``y = (a x + b)/(g x + d)`` where ``x`` is the not yet consumed tail
of the simple continued fraction of ``c``; every such tail lies in ``(1, oo)`` once the first
term has been consumed.  If ``g x + d`` keeps one sign on ``[1, oo]`` the range of ``y`` is the
closed interval between ``a/g`` and ``(a + b)/(g + d)``; when ``floor`` (next sign ``+``) or
``ceil`` (next sign ``-``) agrees at both ends the quotient ``q`` is decided and emitted, and the
state becomes that of ``s/(y - q)``: ``(s g, s d, a - q g, b - q d)``.  Otherwise the next term
``t`` of ``c`` is consumed: ``(a t + b, a, g t + d, g)``.  Nothing is guessed: an emitted
quotient is the true one whenever the input terms are the true simple continued fraction
terms of ``c`` (theory T5.1).  The state entries stay small, so one certified expansion of ``c``
feeds every image: many images run as machine integers, row by row in a compiled kernel when
numba is installed (``esma_sympy.numeric._jit``), otherwise in lockstep as NumPy ``int64``
arrays.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from . import _jit

__all__ = ["expand_mobius", "expand_mobius_batch"]

# entries above this are moved to the exact Python path (products stay below 2**62)
_SAFE = 1 << 28


def expand_mobius(M: Sequence[int], signs: Sequence[int], depth: int, cterms: Sequence[int]):
    """Signed expansion of ``(a c + b)/(g c + d)`` from the simple CF terms of ``c``.

    Returns ``(quotients, consumed)``: at most ``depth`` certified quotients (fewer when the
    input terms run out) and the number of input terms used.  Exact Python integers.

    >>> e_terms = [2] + sum(([1, 2*k + 2, 1] for k in range(60)), [])
    >>> expand_mobius((1, 0, 0, 1), (-1, 1), 8, e_terms)[0]      # e with pattern (-, +)
    [3, 3, 2, 5, 2, 7, 2, 9]
    >>> expand_mobius((1, 0, 1, -1), (1, -1), 6, e_terms)[0]      # e/(e-1) with (+, -)
    [1, 2, 3, 2, 5, 2]
    """
    a, b, g, d = (int(v) for v in M)
    if a * d - b * g == 0:
        raise ValueError(f"M = {tuple(M)} is degenerate (determinant 0): the image does not depend on c")
    p = len(signs)
    out: list = []
    if not cterms:
        return out, 0
    t = int(cterms[0])
    a, b, g, d = a * t + b, a, g * t + d, g
    i = 1
    n_terms = len(cterms)
    while len(out) < depth:
        gd = g + d
        if g != 0 and gd != 0 and (g > 0) == (gd > 0):
            s = signs[len(out) % p]
            if s > 0:
                q = a // g
                ok = q == (a + b) // gd
            else:
                q = -((-a) // g)
                ok = q == -((-a - b) // gd)
            if ok:
                out.append(q)
                a, b, g, d = s * g, s * d, a - q * g, b - q * d
                continue
        if i >= n_terms:
            break
        t = int(cterms[i])
        i += 1
        a, b, g, d = a * t + b, a, g * t + d, g
    return out, i


def expand_mobius_batch(Ms: np.ndarray, pats: np.ndarray, periods: np.ndarray, depth: int,
                        cterms: Sequence[int], *, use_jit: bool | None = None):
    """Expand many images in lockstep (NumPy ``int64``), each under its own sign pattern.

    Parameters
    ==========

    Ms : int array (n, 4)
        Möbius matrices ``(a, b, g, d)`` (nondegenerate).
    pats : int array (n, P)
        Sign patterns, padded; row ``j`` uses ``pats[j, :periods[j]]``.
    periods : int array (n,)
    depth : int
        Quotients wanted per row.
    cterms : sequence of int
        Certified simple continued fraction terms of the constant.
    use_jit : bool, optional
        Force (``True``) or avoid (``False``) the compiled kernel; default: use it when numba
        is installed.

    Returns
    =======

    ``(Q, count)``: ``Q[j, :count[j]]`` are the certified quotients of row ``j``.  Rows whose
    state would leave the safe ``int64`` range are finished by the exact Python path; if a
    quotient itself exceeds ``int64``, ``Q`` has ``dtype=object`` (Python integers).

    >>> import numpy as np
    >>> e_terms = [2] + sum(([1, 2*k + 2, 1] for k in range(60)), [])
    >>> Q, cnt = expand_mobius_batch(np.array([[1, 0, 0, 1]]), np.array([[-1, 1]]),
    ...                              np.array([2]), 8, e_terms)
    >>> Q[0, :cnt[0]].tolist()
    [3, 3, 2, 5, 2, 7, 2, 9]
    """
    Ms = np.asarray(Ms, dtype=np.int64)
    n = Ms.shape[0]
    Q = np.zeros((n, depth), dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    if n == 0 or depth == 0 or not cterms:
        return Q, count
    cterms = [int(t) for t in cterms]
    periods = np.asarray(periods, dtype=np.int64)
    pats = np.asarray(pats, dtype=np.int64)
    if max(abs(t) for t in cterms) >= _SAFE:
        slow = np.ones(n, dtype=bool)
    elif _jit.enabled() if use_jit is None else use_jit:
        Q, count, slow = _jit.expand_rows(Ms, pats, periods, depth,
                                          np.asarray(cterms, dtype=np.int64), _SAFE)
    else:
        slow = _lockstep(Ms, pats, periods, depth, np.asarray(cterms, dtype=np.int64), Q, count)
    for j in np.nonzero(slow)[0]:
        per = int(periods[j])
        out, _ = expand_mobius(tuple(int(v) for v in Ms[j]), [int(x) for x in pats[j, :per]],
                               depth, cterms)
        if any(abs(x) >= 1 << 62 for x in out) and Q.dtype != object:
            Q = Q.astype(object)          # huge quotients: exact Python integers
        Q[j, :] = 0
        Q[j, :len(out)] = out
        count[j] = len(out)
    return Q, count


def _lockstep(Ms, pats, periods, depth, ct, Q, count):
    """The NumPy body of :func:`expand_mobius_batch`: dense masked updates over the rows still
    running (finished rows are compacted away).  Fills ``Q`` and ``count`` and returns the mask
    of rows left for the exact path."""
    n = Ms.shape[0]
    n_terms = len(ct)
    ct_pad = np.append(ct, 0)
    a, b, g, d = (Ms[:, j].copy() for j in range(4))
    t = ct[0]
    a, b, g, d = a * t + b, a, g * t + d, g
    rows = np.arange(n)
    idx = np.ones(n, dtype=np.int64)
    cnt = np.zeros(n, dtype=np.int64)
    phase = np.zeros(n, dtype=np.int64)
    per = periods.copy()
    pt = pats.copy()
    slow = np.zeros(n, dtype=bool)
    while rows.size:
        gd = g + d
        can = (g != 0) & (gd != 0) & ((g > 0) == (gd > 0))
        s = pt[np.arange(rows.size), phase]
        gs = np.where(can, g, 1)
        gds = np.where(can, gd, 1)
        # floor for s = +1, ceil for s = -1:  s * floor(s x / y); y > 0 after moving its sign
        sg, sgd = np.sign(gs), np.sign(gds)
        q1 = s * ((s * sg * a) // (sg * gs))
        q2 = s * ((s * sgd * (a + b)) // (sgd * gds))
        emit = can & (q1 == q2)
        ingest = ~emit
        if emit.any():
            Q[rows[emit], cnt[emit]] = q1[emit]
        cnt += emit
        phase = np.where(emit, phase + 1, phase)
        phase[phase == per] = 0
        tt = ct_pad[np.minimum(idx, n_terms)]
        idx += ingest
        na = np.where(emit, s * g, np.where(ingest, a * tt + b, a))
        nb = np.where(emit, s * d, np.where(ingest, a, b))
        ng = np.where(emit, a - q1 * g, np.where(ingest, g * tt + d, g))
        nd = np.where(emit, b - q1 * d, np.where(ingest, g, d))
        a, b, g, d = na, nb, ng, nd
        big = (np.abs(a) | np.abs(b) | np.abs(g) | np.abs(d)) >= _SAFE
        starved = ingest & (idx > n_terms)
        done = (cnt >= depth) | starved | big
        if done.any():
            if big.any():
                slow[rows[big & ~(cnt >= depth)]] = True
            count[rows[done]] = cnt[done]
            keep = ~done
            rows, a, b, g, d = rows[keep], a[keep], b[keep], g[keep], d[keep]
            idx, cnt, phase, per, pt = idx[keep], cnt[keep], phase[keep], per[keep], pt[keep]
    count[slow] = 0
    return slow
