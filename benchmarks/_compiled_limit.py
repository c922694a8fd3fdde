"""A tight compiled implementation of the ESMA search's work, for ``bench_search.py`` only.

The benchmark's peer for "the core at the compiled limit" (issue 19): the same pipeline as
``esma_sympy.search.engine`` for LHS of degree 1 — homographic expansion of every
(translation class, pattern) row from the constant's simple terms, Berlekamp–Massey modulo
``P28`` on the filter's terms, the expansion *continued from the filter's state* to
``3 depth`` terms, the filter's recurrence lifted and checked exactly on all of them (BM rerun
on ``depth`` terms where it fails), the float digits bound, the quasi-linear structure, and the
per-member decision (prefix, semi-regular tail) — fused into one numba function per call that
writes integer arrays and builds no Python objects.  It is written independently of the
package's kernels (so the comparison is not circular) and it is checked against the package:
the benchmark asserts that both approve exactly the same (LHS, pattern) pairs.

Quasi-linear structure is decided here by fitting (prefix ``n0`` = the multiplicity of ``x`` in
the characteristic polynomial, the least period ``T`` whose quasi-linear fit regenerates all
certified terms), which is equivalent to the package's cyclotomic factorisation for the
quasi-constant and quasi-linear sequences; a row that is neither is not approved here (the
package would approve a higher-degree quasi-polynomial: none occurs on the benchmarked domains,
and the equality check would show it).
"""

from __future__ import annotations

import numpy as np
from numba import njit

P28 = 268435399


@njit(cache=True)
def _bm(S, n, limit, p, C, B, T):
    """BM mod p on S[:n]; C gets the connection polynomial; returns L (>= limit: rejected)."""
    W = C.shape[0]
    invp = 1.0 / p
    for i in range(W):
        C[i] = 0
        B[i] = 0
    C[0] = 1
    B[0] = 1
    L = 0
    m = 0
    gamma = 1
    degC = 0
    degB = 0
    for k in range(n):
        m += 1
        delta = 0
        for i in range(min(L, k) + 1):
            delta += C[i] * S[k - i]
        q = np.int64(delta * invp)
        delta -= q * p
        if delta < 0:
            delta += p
        elif delta >= p:
            delta -= p
        if delta == 0:
            continue
        grow = 2 * L <= k
        if grow:
            for i in range(degC + 1):
                T[i] = C[i]
            degT = degC
        hi = min(degB + m, W - 1)
        for i in range(degC + 1, hi + 1):
            C[i] = 0
        if hi > degC:
            degC = hi
        for i in range(degC + 1):
            v = gamma * C[i]
            if m <= i <= degB + m:
                v -= delta * B[i - m]
            q = np.int64(v * invp)
            v -= q * p
            if v < 0:
                v += p
            elif v >= p:
                v -= p
            C[i] = v
        if grow:
            for i in range(degT + 1):
                B[i] = T[i]
            for i in range(degT + 1, degB + 1):
                B[i] = 0
            degB = degT
            L = k + 1 - L
            gamma = delta
            m = 0
            if L >= limit:
                return L
    return L


@njit(cache=True)
def _inverse(a, p):
    t, nt, r, nr = 0, 1, p, a % p
    while nr:
        q = r // nr
        t, nt = nt, t - q * nt
        r, nr = nr, r - q * nr
    return t % p


@njit(cache=True)
def _lift_holds(S, N, C, L, p, out):
    """The connection polynomial scaled to C_0 = 1, lifted to (-p/2, p/2], checked exactly."""
    inv = _inverse(C[0], p)
    for i in range(L + 1):
        v = C[i] * inv % p
        out[i] = v - p if v > p // 2 else v
        if abs(out[i]) >= (1 << 20):
            return False
    for k in range(N):
        if abs(S[k]) >= (1 << 36):
            return False
    for k in range(L, N):
        r = 0
        for i in range(L + 1):
            r += out[i] * S[k - i]
        if r != 0:
            return False
    return True


@njit(cache=True)
def _digits(S, N, pat, per):
    up = 1.0 + 2.0 ** -50
    down = 1.0 - 2.0 ** -50
    lo = float(S[1])
    hi = lo
    if not lo > 0:
        return -np.inf
    acc = 0.0
    prod = lo
    acc_prev = 0.0
    prod_prev = 1.0
    for k in range(2, N):
        s = pat[(k - 1) % per]
        a = float(S[k])
        inv_lo = (1.0 / hi) * down
        inv_hi = (1.0 / lo) * up
        if s > 0:
            nlo, nhi = a + inv_lo, a + inv_hi
        else:
            nlo, nhi = a - inv_hi, a - inv_lo
        nlo = nlo * down if nlo > 0 else nlo * up
        nhi = nhi * up
        if not nlo > 0:
            return -np.inf
        lo, hi = nlo, nhi
        if k == N - 1:
            acc_prev, prod_prev = acc, prod
        prod = prod * lo * down
        if prod > 1e250 or prod < 1e-250:
            x = np.log10(prod)
            acc += x - 1e-15 * (1.0 + abs(acc) + abs(x))
            prod = 1.0
    sN = pat[(N - 1) % per]
    if sN > 0:
        f = lo + 1
    elif lo > 1:
        f = lo - 1
    elif hi < 1:
        f = 1 - hi
    else:
        f = 0.0
    f *= down
    if not f > 0:
        return -np.inf
    x = np.log10(prod)
    lq = acc + x - 1e-15 * (1.0 + abs(acc) + abs(x))
    x = np.log10(prod_prev)
    lqp = acc_prev + x - 1e-15 * (1.0 + abs(acc_prev) + abs(x))
    return lq + lqp + np.log10(f) - 1e-9


@njit(cache=True)
def _fit_ok(S, N, n0, T, lin, pat, per):
    """Quasi-linear (lin) / quasi-constant fit from n0 with period T regenerates S[n0:N] and
    the residues stay semi-regular beyond N."""
    for r in range(T):
        y1 = S[n0 + r + T]
        sl = S[n0 + r + 2 * T] - y1 if lin else 0
        if sl < 0:
            return False
        b = y1 - sl
        for idx in range(n0 + r, N, T):
            k = (idx - n0) // T
            if b + sl * k != S[idx]:
                return False
        low = 1
        for j in range(per):
            if pat[(n0 + r + T * j) % per] == -1:
                low = 2
                break
        kmin = max(0, (N - n0 - r + T - 1) // T)
        if sl * kmin + b < low:
            return False
    return True


@njit(cache=True)
def search_rows(Ms, pat_idx, pats, periods, member_start, member_shift, ct, N1, depth, limit,
                verify_digits, p):
    """Every (class row x member): 1 where the package would approve the pair, else 0."""
    n = Ms.shape[0]
    N = 3 * depth
    W = limit + 3
    C = np.zeros(W, dtype=np.int64)
    B = np.zeros(W, dtype=np.int64)
    Tt = np.zeros(W, dtype=np.int64)
    Cl = np.zeros(W, dtype=np.int64)
    S = np.zeros(N, dtype=np.int64)
    out = np.zeros(member_shift.shape[0], dtype=np.int8)
    nct = ct.shape[0]
    for j in range(n):
        pat = pats[pat_idx[j]]
        per = periods[pat_idx[j]]
        a, b, g, d = Ms[j, 0], Ms[j, 1], Ms[j, 2], Ms[j, 3]
        t = ct[0]
        a, b, g, d = a * t + b, a, g * t + d, g
        i = 1
        c = 0
        phase = 0
        want = N1
        rejected = False
        overflow = False
        while True:
            while c < want:
                if abs(a) >= (1 << 28) or abs(b) >= (1 << 28) or abs(g) >= (1 << 28) or abs(d) >= (1 << 28):
                    overflow = True
                    break
                gd = g + d
                emitted = False
                if g != 0 and gd != 0 and (g > 0) == (gd > 0):
                    s = pat[phase]
                    if s > 0:
                        q = a // g
                        ok = q == (a + b) // gd
                    else:
                        q = -((-a) // g)
                        ok = q == -((-a - b) // gd)
                    if ok:
                        S[c] = q
                        c += 1
                        phase += 1
                        if phase == per:
                            phase = 0
                        a, b, g, d = s * g, s * d, a - q * g, b - q * d
                        emitted = True
                if not emitted:
                    if i >= nct:
                        overflow = True
                        break
                    t = ct[i]
                    i += 1
                    a, b, g, d = a * t + b, a, g * t + d, g
            if overflow:
                break
            if want == N1:
                L = _bm(S, N1, limit + 1, p, C, B, Tt)
                if L >= limit + 1:
                    rejected = True
                    break
                want = N
            else:
                break
        if rejected or overflow or c < N:
            continue
        if not _lift_holds(S, N, C, L, p, Cl):
            L = _bm(S, depth, limit + 1, p, C, B, Tt)
            if L >= limit + 1 or not _lift_holds(S, N, C, L, p, Cl):
                continue
        if _digits(S, N, pat, per) < verify_digits:
            continue
        degC = L
        while degC > 0 and Cl[degC] == 0:
            degC -= 1
        n0s = L - degC
        # the least quasi-constant or quasi-linear period from index max(n0s, 1)
        base = max(n0s, 1)
        T = 0
        lin = False
        for TT in range(1, L + 1):
            if base + 3 * TT > N:
                break
            if _fit_ok(S, N, base, TT, False, pat, per):
                T, lin = TT, False
                break
            if _fit_ok(S, N, base, TT, True, pat, per):
                T, lin = TT, True
                break
        if T == 0:
            continue
        # the a_0 the recurrence predicts from index 0 on
        pred = -(1 << 62)
        R0 = Cl[degC] if n0s <= 1 else 0
        if n0s <= 1 and degC > 0 and R0 != 0:
            s_ = 0
            for k in range(1, degC + 1):
                s_ += Cl[degC - k] * S[k]
            if s_ % R0 == 0:
                pred = -(s_ // R0)
        for mm in range(member_start[j], member_start[j + 1]):
            a0 = S[0] + member_shift[mm]
            if n0s <= 1:
                n0 = 0 if a0 == pred else 1
            else:
                n0 = n0s
            if n0 + degC >= limit:
                continue
            if n0 == 0:
                saved = S[0]
                S[0] = a0
                good = _fit_ok(S, N, 0, T, lin, pat, per)
                S[0] = saved
                if not good:
                    continue
            out[mm] = 1
    return out


def run(plan, simple_terms):
    """The approved (lhs, pattern index) pairs of a degree-1 plan, and the arrays to time."""
    from esma_sympy.search.lhs import patterns_in_range

    prm = plan.params
    depth, limit = prm["depth"], prm["complexity_limit"]
    patterns = [pat for u in plan.units() for seg in u.segments for pat in patterns_in_range(*seg)]
    patterns = list(dict.fromkeys(patterns))
    classes = {}
    for v in plan.lhs_list:
        a, b, g, d = v.canonical().mobius
        m = a // g if g else b // d
        classes.setdefault((a - m * g, b - m * d, g, d), []).append((v, m))
    reps = list(classes)
    rows_M = np.array([r for r in reps for _ in patterns], dtype=np.int64).reshape(-1, 4)
    pat_idx = np.tile(np.arange(len(patterns)), len(reps))
    P = max(len(x) for x in patterns)
    pats = np.array([list(x) + [1] * (P - len(x)) for x in patterns], dtype=np.int64)
    periods = np.array([len(x) for x in patterns], dtype=np.int64)
    starts, shifts, owners = [0], [], []
    for r in reps:
        for pi in range(len(patterns)):
            for v, m in classes[r]:
                shifts.append(m)
                owners.append((v, pi))
            starts.append(len(shifts))
    args = (rows_M, pat_idx, pats, periods, np.array(starts, dtype=np.int64),
            np.array(shifts, dtype=np.int64), np.array(simple_terms, dtype=np.int64),
            min(depth, 2 * limit + 8), depth, limit, prm["verify_digits"], P28)
    return args, owners, patterns
