"""Approval of the survivors of the Massey filter (theory T5.2, T5.3): the exact recurrence
checks, the quasi-polynomial fits and the conjectures, in bulk.

The rule itself is :mod:`esma_sympy.recurrence.approval`; this module applies it to the rows
of a work unit at once (one factorisation per distinct polynomial, integer tuples for the
common quasi-linear case) and builds the :class:`~esma_sympy.search.Conjecture` records of
every member of each approved translation class.
"""

from __future__ import annotations

import contextlib
import gc
import math
from functools import lru_cache
from itertools import repeat

import numpy as np
from flint import fmpq, fmpq_poly

from ..numeric import _jit
from ..numeric.polyineq import holds_from
from ..recurrence.approval import (approve, charpoly_from_connection, cyclotomic_structure,
                                   fit_regenerates, fit_residues, predict_a0, recurrence_holds)
from .conjecture import Conjecture
from .lhs import LHS

__all__: list = []


def _lift_batch(C: np.ndarray, p: int) -> np.ndarray:
    """Connection polynomials mod ``p`` scaled to ``C_0 = 1`` and lifted to symmetric residues
    ``(-p/2, p/2]`` (the candidate integer recurrences)."""
    inv = np.array([pow(int(c0), -1, p) for c0 in C[:, 0]], dtype=np.int64)
    lifted = (C % p) * inv[:, None] % p
    return np.where(lifted > p // 2, lifted - p, lifted)


def _exact_holds_batch(S: np.ndarray, C: np.ndarray, L: np.ndarray, use_jit=None) -> np.ndarray:
    """Whether ``sum_i C[j, i] S[j, k - i] == 0`` *over the integers* for every ``k >= L[j]``.

    Exact in ``int64`` for rows whose coefficients and terms are small enough that no sum can
    overflow (``|C| < 2^20``, ``|S| < 2^36``, at most 64 terms); other rows return ``False``
    and are checked by the caller with Python integers.
    """
    n, N = S.shape
    W = C.shape[1]
    if S.dtype == object:
        return np.zeros(n, dtype=bool)
    if _jit.enabled() if use_jit is None else use_jit:
        return _jit.exact_holds_rows(np.ascontiguousarray(S, dtype=np.int64),
                                     np.ascontiguousarray(C, dtype=np.int64),
                                     np.asarray(L, dtype=np.int64))
    small = (np.abs(C).max(axis=1) < (1 << 20)) & (np.abs(S).max(axis=1) < (1 << 36)) & (W <= 64)
    # transposed (one row per term or coefficient, one column per sequence): contiguous rows
    CT = np.ascontiguousarray(C.T, dtype=np.int64)
    Spad = np.concatenate([np.zeros((W - 1, n), dtype=np.int64), S.T], axis=0)
    ok = small.copy()
    for k in range(int(L.min()) if n else 0, N):     # k < L[j] checks nothing on row j
        r = np.einsum("ij,ij->j", CT, Spad[k: k + W][::-1])      # sum_i C[i] S[k - i]
        ok &= (k < L) | (r == 0)
    return ok


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """``np.unique(x)`` for a 1-d array, without the ``numpy.ma`` import (12 ms) that
    ``np.unique`` makes on first use."""
    s = np.sort(x)
    if s.size:
        s = s[np.concatenate(([True], s[1:] != s[:-1]))]
    return s


def _fit_rows_numpy(Q, rows, n0s, Ts, ds, pats, periods):
    """NumPy twin of ``esma_sympy.numeric._jit.fit_rows`` (the same outputs), vectorised per
    period ``T``."""
    n = len(rows)
    N = Q.shape[1]
    Tmax = int(Ts.max()) if n else 1
    beta = np.zeros((n, Tmax), dtype=np.int64)
    slope = np.zeros((n, Tmax), dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    for T in sorted(set(Ts.tolist())):
        sel = np.nonzero(Ts == T)[0]
        Qs, n0 = Q[rows[sel]], n0s[sel]
        r = np.arange(T)
        col = n0[:, None] + r[None, :]
        y1 = np.take_along_axis(Qs, col + T, axis=1)
        sl = np.where(ds[sel, None] == 1, np.take_along_axis(Qs, col + 2 * T, axis=1) - y1, 0)
        b = y1 - sl
        per = periods[sel]
        jj = np.arange(pats.shape[1])
        idx = (col[:, :, None] + T * jj[None, None, :]) % per[:, None, None]
        minus = (np.take_along_axis(pats[sel][:, None, :].repeat(T, axis=1), idx, axis=2) == -1) \
            & (jj[None, None, :] < per[:, None, None])
        low = np.where(minus.any(axis=2), 2, 1)
        kmin = np.maximum(0, (N - col + T - 1) // T)
        good = (sl >= 0).all(axis=1) & (sl * kmin + b >= low).all(axis=1)
        good &= (n0 == 0) | (b[:, 0] == Qs[np.arange(len(sel)), n0])
        last = np.maximum(n0[:, None], N - T) + r[None, :]          # the last period (in range)
        inside = last < N
        k, rr = np.divmod(np.minimum(last, N - 1) - n0[:, None], T)
        pred = np.take_along_axis(b, rr, axis=1) + np.take_along_axis(sl, rr, axis=1) * k
        good &= ((pred == np.take_along_axis(Qs, np.minimum(last, N - 1), axis=1)) | ~inside).all(axis=1)
        beta[sel, :T], slope[sel, :T], ok[sel] = b, sl, good
    return beta, slope, ok


#: (complexity, lifted connection polynomial) as bytes -> (characteristic polynomial, structure)
_GROUPS: dict = {}


@contextlib.contextmanager
def _no_gc():
    """The cyclic garbage collector paused for a block that builds thousands of records and
    no reference cycles (its generation-0 passes cost about a third of the block otherwise)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@lru_cache(maxsize=256)
def _positions(lhs_list: tuple) -> dict:
    return {v: i for i, v in enumerate(lhs_list)}


def _approve_rows(c, plan, lhs_list, patterns, classes, reps, Q2, Cl, L2, exact_ok, okp,
                  digits_lb, pat2, cls2, stats) -> list:
    """The conjectures of the rows that passed the batch tests, as ``(order keys,
    conjectures)`` (the key is the unit's order: LHS position, then pattern).

    Rows sharing a recurrence share its structure (one factorisation per distinct polynomial);
    the common case (exact integer recurrence, quasi-constant or quasi-linear residues, int64
    terms) is finished here with integer tuples; any other row takes :func:`_approve` and
    :func:`_make_conjecture`, which give the same answer on the common case too."""
    prm = plan.params
    depth, limit, verify_digits = prm["depth"], prm["complexity_limit"], prm["verify_digits"]
    N_total = 3 * depth
    npat = len(patterns)
    lhs_key = tuple(lhs_list)
    lhs_pos = _positions(lhs_key)
    rows = np.nonzero(okp)[0]
    keys_out: list = []
    conjs_out: list = []
    if not rows.size:
        return keys_out, conjs_out
    keyarr = np.ascontiguousarray(np.concatenate([L2[rows, None], Cl[rows]], axis=1))
    index: dict = {}
    keys = [row.tobytes() for row in keyarr]
    inv = np.array([index.setdefault(k, len(index)) for k in keys], dtype=np.int64)
    groups = []
    for k, gi in index.items():
        got = _GROUPS.get(k)
        if got is None:
            g = np.frombuffer(k, dtype=keyarr.dtype)
            L = int(g[0])
            charpoly = charpoly_from_connection([int(x) for x in g[1: L + 2]], L)
            got = (charpoly, cyclotomic_structure(tuple(charpoly)))
            if len(_GROUPS) > 65536:
                _GROUPS.clear()
            _GROUPS[k] = got
        groups.append(got)
    fast = np.zeros(len(rows), dtype=bool)
    if Q2.dtype != object:
        fast = exact_ok[rows] & np.array([g[1] is not None and g[1][2] in (0, 1) for g in groups])[inv]
    # the other rows: the general path, one at a time
    for idx in np.nonzero(~fast)[0].tolist():
        j = int(rows[idx])
        pi = int(pat2[j])
        pat = patterns[pi]
        seq = Q2[j, :N_total].tolist()
        res = _approve(seq, Cl[j], bool(exact_ok[j]), int(L2[j]), depth, limit, pat,
                       float(digits_lb[j]), verify_digits, stats)
        if res is None:
            continue
        memo: dict = {}
        for v, m in classes[reps[int(cls2[j])]]:
            conj = _make_conjecture(c, v, pat, [seq[0] + m] + seq[1:], depth, res, limit, memo)
            if conj is not None:
                keys_out.append(lhs_pos[v] * npat + pi)
                conjs_out.append(conj)
    # the common case, batched: digits, the a_0 each recurrence predicts, and the residue fits
    # for the prefixes n0 that members can have (grouped by (n0, T, d), not by recurrence)
    deep = fast & (digits_lb[rows] >= verify_digits)
    stats.rejected_digits += int((fast & ~deep).sum())
    if not deep.any():
        return keys_out, conjs_out
    d_rows = rows[deep]
    d_grp = inv[deep]
    n = len(d_rows)
    Qd = Q2 if n == len(Q2) else Q2[d_rows]
    W = max(len(g[0]) for g in groups) + 1
    Rmat = np.zeros((len(groups), W), dtype=np.int64)
    info = np.zeros((len(groups), 4), dtype=np.int64)          # n0s, T, d, len(R) - 1
    for gi, (charpoly, st_) in enumerate(groups):
        if st_ is None or st_[2] not in (0, 1):
            continue
        R = charpoly[st_[0]:]
        Rmat[gi, :len(R)] = R
        info[gi] = (st_[0], st_[1], st_[2], len(R) - 1)
    n0s, T_, dd, Lp = (info[d_grp, i] for i in range(4))
    Rr = Rmat[d_grp]
    # the a_0 predicted by the recurrence from index 0 on (where n0s <= 1 lets a_0 join it)
    cols = np.minimum(np.arange(1, W)[None, :], N_total - 1)
    s_ = (Rr[:, 1:] * np.take_along_axis(Qd, np.broadcast_to(cols, (n, W - 1)), axis=1)).sum(axis=1)
    R0 = np.where(Rr[:, 0] == 0, 1, Rr[:, 0])
    NONE = np.iinfo(np.int64).min
    pred = np.where((n0s <= 1) & (Lp > 0) & (Rr[:, 0] != 0) & (s_ % R0 == 0), -(s_ // R0), NONE)
    # one fit per (row, prefix a member can have): n0s, or 0 and 1 where a_0 may join
    two = (n0s <= 1)
    f_row = np.concatenate([np.arange(n), np.nonzero(two)[0]])
    f_n0 = np.concatenate([np.where(two, 0, n0s), np.ones(int(two.sum()), dtype=np.int64)])
    keep = f_n0 + Lp[f_row] < limit
    f_row, f_n0 = f_row[keep], f_n0[keep]
    pidx = pat2[d_rows[f_row]]
    P_pad = max(len(p) for p in patterns)
    pats_f = np.array([list(p) + [1] * (P_pad - len(p)) for p in patterns], dtype=np.int64)[pidx]
    pers_f = np.array([len(p) for p in patterns], dtype=np.int64)[pidx]
    fit_rows = _jit.fit_rows if _jit.enabled() else _fit_rows_numpy
    beta, slope, okf = fit_rows(np.ascontiguousarray(Qd), f_row, f_n0, T_[f_row], dd[f_row],
                                pats_f, pers_f)
    # fit index per (n0, row); then every (row, member) at once: its a_0, its prefix length
    # n0 (0 where the recurrence predicts its a_0), its fit, and whether that fit starts at a_0
    good = np.nonzero(okf)[0]
    if not good.size:                      # no residue fit: no conjecture among these rows
        return keys_out, conjs_out
    FA = np.full((max(int(n0s.max()), 1) + 1, n), -1, dtype=np.int64)
    FA[f_n0[good], f_row[good]] = good
    if not _mobius_classes(lhs_key)[2]:        # Möbius classes only: cached per (LHS, patterns)
        members = _members_cached(lhs_key, npat)
    else:
        members = _members_flat(classes, reps, lhs_pos, npat)
    rep_start, rep_count, m_shift, m_pos, m_lhs = members
    cls_d = cls2[d_rows]
    cnt = rep_count[cls_d]
    t_rep = np.repeat(np.arange(n), cnt)
    total = len(t_rep)
    m_idx = np.repeat(rep_start[cls_d] - (np.cumsum(cnt) - cnt), cnt) + np.arange(total)
    a0 = Qd[t_rep, 0] + m_shift[m_idx]
    n0s_r = n0s[t_rep]
    n0_r = np.where(n0s_r <= 1, (a0 != pred[t_rep]).astype(np.int64), n0s_r)
    fi = FA[n0_r, t_rep]
    sel = fi >= 0
    sel &= (n0_r != 0) | (beta[np.maximum(fi, 0), 0] == a0)
    sel = np.nonzero(sel)[0]
    if not sel.size:
        return keys_out, conjs_out
    t_sel, fi_sel, n0_sel, a0_sel = t_rep[sel], fi[sel], n0_r[sel], a0[sel]
    keys_out.extend((m_pos[m_idx[sel]] + pat2[d_rows[t_sel]]).tolist())
    # the records' fields as sequences (object arrays gather them without per-record Python):
    # one polynomial tuple per distinct fit content (e: 238 among 2919 conjectures), one
    # characteristic polynomial per (recurrence, prefix length), the class row's quotients
    used = _sorted_unique(fi_sel)
    keys = np.ascontiguousarray(np.concatenate([T_[f_row[used], None], beta[used], slope[used]],
                                               axis=1))
    w = keys.shape[1] * keys.itemsize
    raw = keys.tobytes()
    B_, S_, Tf = beta[used].tolist(), slope[used].tolist(), T_[f_row[used]].tolist()
    polys = np.empty(len(okf), dtype=object)
    by_content: dict = {}
    for j, i in enumerate(used.tolist()):
        k = raw[j * w:(j + 1) * w]
        P = by_content.get(k)
        if P is None:
            T = Tf[j]
            P = by_content[k] = tuple([(b, s1) if s1 else (b,) for b, s1 in zip(B_[j][:T], S_[j][:T])])
        polys[i] = P
    width = int(n0_sel.max()) + 1
    cp_key = d_grp[t_sel] * width + n0_sel
    cp_used, cp_inv = np.unique(cp_key, return_inverse=True)
    cps = np.empty(len(cp_used), dtype=object)
    for j, key in enumerate(cp_used.tolist()):
        gi, n0 = divmod(key, width)
        cps[j] = (0,) * n0 + groups[gi][0][int(info[gi, 0]):]
    row_obj = np.empty(n, dtype=object)
    row_obj[:] = list(Qd)
    pat_obj = np.empty(npat, dtype=object)
    pat_obj[:] = patterns
    lhs_obj = np.empty(len(m_lhs), dtype=object)
    lhs_obj[:] = m_lhs
    dig = np.floor(digits_lb[d_rows]).astype(np.int64)
    # the prefixes (first_terms[:n0]) are built on first access (Conjecture._record)
    conjs_out.extend(map(Conjecture._record, repeat(c), lhs_obj[m_idx[sel]].tolist(),
                         pat_obj[pat2[d_rows[t_sel]]].tolist(), n0_sel.tolist(),
                         polys[fi_sel].tolist(), cps[cp_inv].tolist(), a0_sel.tolist(),
                         row_obj[t_sel].tolist(), repeat(depth), repeat(2 * depth),
                         dig[t_sel].tolist()))
    return keys_out, conjs_out


@lru_cache(maxsize=64)
def _members_cached(lhs_key: tuple, npat: int):
    classes = _mobius_classes(lhs_key)[0]
    return _members_flat(classes, list(classes), _positions(lhs_key), npat)


def _members_flat(classes, reps, lhs_pos, npat):
    """The members of the translation classes as flat arrays, in class order: per class its
    first index and count; per member its shift, its order key base (LHS position times the
    number of patterns) and its LHS."""
    counts = [len(classes[r]) for r in reps]
    start = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    flat = [vm for r in reps for vm in classes[r]]
    return (start, np.array(counts, dtype=np.int64),
            np.array([m for _, m in flat], dtype=np.int64),
            np.array([lhs_pos[v] * npat for v, _ in flat], dtype=np.int64), [v for v, _ in flat])


@lru_cache(maxsize=256)
def _mobius_classes(lhs_list: tuple):
    """The Möbius LHS of ``lhs_list`` by translation class: ``({rep: [(lhs, shift)]},
    {rep: (rep, 0)}, [LHS that are not Möbius images])`` (cached: a plan's units ask again)."""
    classes: dict = {}
    source_of: dict = {}
    general = []
    for v in lhs_list:
        M = v.canonical().mobius         # an explicit LHS keeps its typed orientation
        if M is None:
            general.append(v)
            continue
        a, b, g, d = M
        m = a // g if g else b // d
        rep = (a - m * g, b - m * d, g, d)
        if rep not in classes:
            source_of[rep] = (rep, 0)
        classes.setdefault(rep, []).append((v, m))
    return classes, source_of, general


def _approve(seq, C, exact_ok, L, depth, limit, pat, digits_lb, verify_digits, stats):
    """Exact part of the approval of one class representative x pattern (theory T5.2).

    ``C`` is the lifted connection polynomial (``C_0 = 1``) of the first ``depth`` terms and
    ``exact_ok`` whether it annihilates all certified terms over the integers.  An integer
    recurrence of the modular complexity that holds on all of them is the minimal rational one
    (theory T5.2(b), by Gauss's lemma); otherwise the rule itself decides
    (:func:`esma_sympy.recurrence.approval.approve`)."""
    C = [int(x) for x in C[: L + 1]]
    if not exact_ok and not recurrence_holds(seq, C):
        # the modular recurrence does not lift to small integers: the approval rule itself
        # (exact Berlekamp-Massey over QQ)
        verdict = approve(seq, depth, limit + 1)
        if not verdict.found:
            if "quasi-polynomial" in verdict.reason:
                stats.rejected_not_quasi_polynomial += 1
            else:
                stats.rejected_prediction += 1
            return None
        coeffs = verdict.recurrence.characteristic_poly().all_coeffs()
        charpoly = tuple(int(x) for x in reversed(coeffs))
        L = len(charpoly) - 1
        C = list(reversed(charpoly))
    charpoly = charpoly_from_connection(C, L)
    struct = cyclotomic_structure(tuple(charpoly))
    if struct is None:
        stats.rejected_not_quasi_polynomial += 1
        return None
    n0, T, d = struct
    if digits_lb < verify_digits:
        stats.rejected_digits += 1
        return None
    return (charpoly, n0, T, d, L, int(math.floor(digits_lb)))


def _make_conjecture(c, v: LHS, pat, seq, depth, res, limit, memo=None):
    """The conjecture of one member ``v`` of a translation class (its ``a_0`` is its own).

    ``memo`` caches the fit and the tail check of the class per prefix length."""
    charpoly, n0, T, d, L, digits = res
    R = list(charpoly[n0:])
    if n0 <= 1:
        # only a_0 differs within the class: it belongs to the recurrence or to the prefix
        n0 = 0 if seq[0] == predict_a0(seq, R) else 1
    charpoly = (0,) * n0 + tuple(R)
    if len(charpoly) - 1 >= limit:
        return None
    memo = {} if memo is None else memo
    if n0 not in memo:
        polys = fit_residues(seq, n0, T, d)
        ok = fit_regenerates(seq, n0, polys) and _tail_semiregular(polys, pat, n0, len(seq))
        memo[n0] = polys if ok else None
    polys = memo[n0]
    if polys is None or (n0 == 0 and not fit_regenerates(seq, 0, polys)):
        return None
    return Conjecture(constant=c, lhs=v, signs=tuple(pat), prefix=tuple(seq[:n0]), polys=polys,
                      charpoly=charpoly, first_terms=tuple(seq), found_on=depth,
                      predicted=2 * depth, digits=digits)


@lru_cache(maxsize=8192)
def _lows(pat: tuple, n0: int, T: int) -> tuple:
    """Per residue ``r``: 2 if a ``-`` sign ever follows index ``n0 + r + T k``, else 1."""
    p = len(pat)
    return tuple(2 if any(pat[(n0 + r + T * j) % p] == -1 for j in range(p)) else 1
                 for r in range(T))


def _tail_semiregular(polys, pat, n0, N) -> bool:
    """``P_r(k) >= 1`` (``>= 2`` where a ``-`` follows) for every index ``>= N``: the SCF of the
    conjecture is semi-regular beyond the certified terms (theory T1.3, T5.3)."""
    T = len(polys)
    for r, (coeffs, low) in enumerate(zip(polys, _lows(tuple(pat), n0 % len(pat), T))):
        kmin = max(0, (N - n0 - r + T - 1) // T)
        if len(coeffs) <= 2:
            beta, alpha = coeffs[0], (coeffs[1] if len(coeffs) == 2 else 0)
            if alpha < 0 or alpha * kmin + beta < low:
                return False
            continue
        P = fmpq_poly([fmpq(x.numerator, x.denominator) for x in coeffs])
        if holds_from(P - low, kmin) is not True:
            return False
    return True
