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
                        cterms: Sequence[int], *, use_jit: bool | None = None, more=None,
                        max_more: int = 4):
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
    more : callable, optional
        ``more()`` returns a longer list of certified terms of the same constant (``cterms``
        as a prefix).  Rows that run out of terms before ``depth`` quotients then go on with
        the longer list, at most ``max_more`` times in all; without it they stop short.

    Returns
    =======

    ``(Q, count)``: ``Q[j, :count[j]]`` are the certified quotients of row ``j`` (fewer than
    ``depth`` only where the terms ran out); ``Q[j, count[j]:]`` is zero.  Rows whose state
    would leave the safe ``int64`` range are finished by the exact Python path; if a quotient
    itself exceeds ``int64``, ``Q`` has ``dtype=object`` (Python integers).

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
    terms = _Terms(cterms, more, max_more)
    periods = np.asarray(periods, dtype=np.int64)
    pats = np.asarray(pats, dtype=np.int64)
    if terms.huge:
        slow = np.ones(n, dtype=bool)
    elif _jit.enabled() if use_jit is None else use_jit:
        Q, count, slow = _jit_rows(Ms, pats, periods, depth, terms)
    else:
        slow = _lockstep(Ms, pats, periods, depth, terms, Q, count)
    for j in np.nonzero(slow)[0]:
        per = int(periods[j])
        M, signs = tuple(int(v) for v in Ms[j]), [int(x) for x in pats[j, :per]]
        out, _ = expand_mobius(M, signs, depth, terms.list)
        while len(out) < depth and terms.grow():
            out, _ = expand_mobius(M, signs, depth, terms.list)
        if any(abs(x) >= 1 << 62 for x in out) and Q.dtype != object:
            Q = Q.astype(object)          # huge quotients: exact Python integers
        Q[j, :] = 0
        Q[j, :len(out)] = out
        count[j] = len(out)
    return Q, count


class _Terms:
    """The certified terms of the constant, longer on demand through ``more`` (at most
    ``max_more`` times)."""

    def __init__(self, cterms, more, max_more):
        self.list = [int(t) for t in cterms]
        self.more, self.left = more, max_more if more is not None else 0
        self._array = None
        self.huge = max(abs(t) for t in self.list) >= _SAFE

    def grow(self) -> bool:
        """Fetch a longer list; ``False`` when no more may be fetched (or none came)."""
        if self.left <= 0:
            return False
        self.left -= 1
        longer = [int(t) for t in self.more()]
        if len(longer) <= len(self.list):
            self.left = 0
            return False
        self.list, self._array = longer, None
        self.huge = self.huge or max(abs(t) for t in longer) >= _SAFE
        return True

    def padded(self):
        """The terms as ``int64`` with one trailing 0 (read past the end by finished rows)."""
        if self._array is None:
            self._array = np.append(np.asarray(self.list, dtype=np.int64), 0)
        return self._array


def _jit_rows(Ms, pats, periods, depth, terms):
    """The compiled kernel, rows that ran short redone with longer terms."""
    Q, count, slow = _jit.expand_rows(Ms, pats, periods, depth, terms.padded()[:-1], _SAFE)
    short = np.nonzero((count < depth) & ~slow)[0]
    while short.size and terms.grow():
        if terms.huge:
            slow[short] = True
            break
        Qs, cs, ss = _jit.expand_rows(Ms[short], pats[short], periods[short], depth,
                                      terms.padded()[:-1], _SAFE)
        Q[short], count[short], slow[short] = Qs, cs, ss
        short = short[(cs < depth) & ~ss]
    return Q, count, slow


#: below this many running rows, the lockstep hands the rest to a Python loop (a NumPy step
#: costs about 50 us whatever the number of rows)
_TAIL_ROWS = 24


def _lockstep(Ms, pats, periods, depth, terms, Q, count):
    """The NumPy body of :func:`expand_mobius_batch`: dense masked updates over the rows still
    running (finished rows are compacted away, the last few finished by :func:`_finish_row`).
    Fills ``Q`` and ``count`` and returns the mask of rows left for the exact path."""
    n = Ms.shape[0]
    ct = terms.padded()
    n_terms = len(ct) - 1
    blk = _ingest_blocks(ct)
    a, b, g, d = (Ms[:, j].copy() for j in range(4))
    t = ct[0]
    a, b, g, d = a * t + b, a, g * t + d, g
    rows = np.arange(n)
    # the sign of quotient k of row j, the pattern repeated; Q and SP are read and written
    # through flat positions pos = j * depth + (quotients emitted so far)
    SP = np.take_along_axis(pats, np.arange(depth)[None, :] % periods[:, None], axis=1)
    Qf, SPf = Q.reshape(-1), SP.reshape(-1)
    pos = rows * depth
    idx = np.ones(n, dtype=np.int64)
    cnt = np.zeros(n, dtype=np.int64)
    slow = np.zeros(n, dtype=bool)
    first = True
    # a division by g = 0 or g + d = 0 gives 0 (NumPy's integer rule) where ``can`` is False
    # and the quotient is not used
    with np.errstate(divide="ignore"):
        while rows.size > _TAIL_ROWS:
            gd = g + d
            can = g * gd > 0                      # |g|, |d| < 2**28: no overflow
            s = SPf.take(pos)
            # floor for s = +1, ceil for s = -1: s * floor(s x / y) (NumPy's // floors, as
            # Python's)
            f1 = (s * a) // g
            emit = f1 == (s * (a + b)) // gd
            emit &= can
            q1 = s * f1
            Qf[pos] = q1                          # kept only where emitted (pos moves on)
            cnt += emit
            pos += emit
            # an ingestion takes one or two terms (see _ingest_blocks): (a, b) <- (a X + b Y,
            # a Z + b V), the same for (g, d); idx <= n_terms: ct ends with a 0
            X, Y, Z, V, step = blk.take(idx, axis=1)
            np.putmask(step, emit, 0)
            idx += step
            old = a, b, g, d
            a, b, g, d = (np.where(emit, s * g, a * X + b * Y), np.where(emit, s * d, a * Z + b * V),
                          np.where(emit, a - q1 * g, g * X + d * Y),
                          np.where(emit, b - q1 * d, g * Z + d * V))
            # the entries that are new: a, g (ingest) or g, d (emit); b too on the first step,
            # whose input state was not checked
            mag = np.abs(a)
            mag |= np.abs(g)
            mag |= np.abs(d)
            if first:
                mag |= np.abs(b)
                first = False
            big = mag >= _SAFE
            if big.any():
                # a row that several terms took out of the safe range takes one term instead
                redo = np.nonzero(big & (step > 1))[0]
                if redo.size:
                    oa, ob, og, od = (x[redo] for x in old)
                    idx[redo] -= step[redo]
                    t1 = ct.take(idx[redo])
                    idx[redo] += 1
                    na, ng = oa * t1 + ob, og * t1 + od
                    a[redo], b[redo], g[redo], d[redo] = na, oa, ng, og
                    m2 = np.abs(na) | np.abs(ng) | np.abs(oa) | np.abs(og)
                    big[redo] = m2 >= _SAFE
            full = cnt >= depth
            starved = idx > n_terms               # only just after an ingest
            done = full | big
            done |= starved
            if done.any():
                if terms.left and starved.any():
                    # the starved rows read the trailing 0: (a, b, g, d) -> (b, a, d, g); undo
                    # it and go on with longer terms
                    if terms.grow():
                        if terms.huge:
                            break                  # the rest goes to the exact path
                        ct = terms.padded()
                        n_terms = len(ct) - 1
                        blk = _ingest_blocks(ct)
                        a, b = np.where(starved, b, a), np.where(starved, a, b)
                        g, d = np.where(starved, d, g), np.where(starved, g, d)
                        idx -= starved
                        done = full | big
                        if not done.any():
                            continue
                if big.any():
                    slow[rows[big & ~full]] = True
                fin = rows[done]
                count[fin] = cnt[done]
                short = done & ~full
                if short.any():
                    Qf[pos[short]] = 0            # the slot written without an emission
                keep = ~done
                rows, a, b, g, d = rows[keep], a[keep], b[keep], g[keep], d[keep]
                idx, cnt, pos = idx[keep], cnt[keep], pos[keep]
    if rows.size:
        Q[rows, cnt] = 0                          # the last step's slot, kept only if emitted
    if terms.huge:
        slow[rows] = True
    else:
        for k in range(rows.size):
            j = int(rows[k])
            state = (int(a[k]), int(b[k]), int(g[k]), int(d[k]))
            per = int(periods[j])
            c, big = _finish_row(Q[j], state, int(idx[k]), int(cnt[k]), int(cnt[k]) % per,
                                 pats[j, :per].tolist(), depth, terms)
            count[j] = c
            slow[j] = big
    count[slow] = 0
    return slow


#: at most this many terms of the constant ingested in one step of :func:`_lockstep`
_BLOCK_TERMS = 3


def _ingest_blocks(ct, k_max: int = _BLOCK_TERMS):
    """The ingestion steps of :func:`_lockstep`, as an ``int64`` array ``(5, len(ct))``: for
    each position ``i`` of the padded terms ``ct`` (``n`` terms and a 0), ``(X, Y, Z, V,
    step)`` such that ingesting the ``step`` terms from ``i`` on is ``(a, b) <- (a X + b Y,
    a Z + b V)`` (the same for ``(g, d)``): ``[[X, Z], [Y, V]]`` is the product of the
    matrices ``[[t, 1], [1, 0]]`` of the terms.  A step takes up to ``k_max`` terms while they
    are terms (not the final 0) and the entries stay below ``2^28``, so that the products
    with the state stay below ``2^56``; at the 0 it is the swap the starved rows undo.

    Taking more terms where fewer would have let a quotient out changes nothing that is
    emitted: a quotient is emitted once the terms read decide it, and more terms decide at
    least as much (the emitted quotients are the certified ones either way).

    >>> X, Y, Z, V, step = _ingest_blocks(np.array([2, 1, 2, 0]), 2)
    >>> X.tolist(), Y.tolist(), Z.tolist(), V.tolist(), step.tolist()
    ([3, 3, 2, 0], [1, 2, 1, 1], [2, 1, 1, 1], [1, 1, 0, 0], [2, 2, 1, 1])
    >>> _ingest_blocks(np.array([2, 1, 2, 0]))[:, 0].tolist()     # 2 + 1/(1 + 1/(2 + x))
    [8, 3, 3, 1, 3]
    """
    n = len(ct) - 1
    t = ct.astype(np.int64)
    X, Y, Z, V = t.copy(), np.ones_like(t), np.ones_like(t), np.zeros_like(t)
    step = np.ones_like(t)
    go = np.ones(n + 1, dtype=bool)
    go[n] = False
    for k in range(1, k_max):
        # extend the blocks that may grow by the next term, t[i + k], where it is a term
        nxt = np.zeros_like(t)
        nxt[: n + 1 - k] = t[k:]
        go[max(n - k, 0):] = False
        with np.errstate(over="ignore"):
            X2, Y2 = X * nxt + Z, Y * nxt + V
        go &= (np.abs(nxt) < _SAFE) & (np.abs(X) < _SAFE) & (np.abs(Y) < _SAFE)
        go &= (np.abs(np.where(go, X2, 0)) < _SAFE) & (np.abs(np.where(go, Y2, 0)) < _SAFE)
        X, Y, Z, V = (np.where(go, X2, X), np.where(go, Y2, Y), np.where(go, X, Z),
                      np.where(go, Y, V))
        step += go
    return np.stack([X, Y, Z, V, step])


def _finish_row(out, state, i, c, phase, signs, depth, terms):
    """One row of :func:`_lockstep` from its state on, in Python integers (the same steps and
    the same exits: ``depth`` quotients, terms run out, or an entry reaching ``_SAFE``).
    Writes the quotients into ``out``; returns ``(count, left_for_the_exact_path)``."""
    a, b, g, d = state
    ct = terms.list
    n_terms = len(ct)
    p = len(signs)
    while True:
        gd = g + d
        emit = False
        if g * gd > 0:
            s = signs[phase]
            q = s * ((s * a) // g)
            emit = q == s * ((s * (a + b)) // gd)
        if emit:
            out[c] = q
            c += 1
            phase = phase + 1 if phase + 1 < p else 0
            a, b, g, d = s * g, s * d, a - q * g, b - q * d
            if c >= depth:
                return c, False
        else:
            if i >= n_terms and terms.left:
                if terms.grow() and not terms.huge:
                    ct = terms.list
                    n_terms = len(ct)
                elif terms.huge:
                    return c, True
            if i >= n_terms:
                return c, False
            t = ct[i]
            i += 1
            a, b, g, d = a * t + b, a, g * t + d, g
        if max(abs(a), abs(b), abs(g), abs(d)) >= _SAFE:
            return c, True
