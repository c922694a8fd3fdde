"""Optional compiled kernels (numba) for the ESMA hot loops; NumPy fallbacks elsewhere.

``AVAILABLE`` is true when numba is installed and ``ESMA_NO_JIT`` is not set; numba itself is
imported, and a kernel compiled (or loaded from numba's on-disk cache), only when that kernel
first runs, so ``import esma_sympy`` does not pay for it.  The kernels compute
exactly what :func:`esma_sympy.numeric.homographic.expand_mobius` and
:func:`esma_sympy.search.massey.bm_batch` compute (the tests compare them row by row), one row
at a time with machine integers: the homographic state is kept below ``2^28`` (a row that would
leave that range is reported for the exact Python path), and Berlekamp–Massey works modulo a
prime below ``2^28`` so every product fits in 62 bits.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib.util
import os
import signal
import threading

import numpy as np

AVAILABLE = not os.environ.get("ESMA_NO_JIT") and importlib.util.find_spec("numba") is not None

__all__ = ["AVAILABLE", "expand_rows", "bm_rows", "enabled", "loaded", "preference", "preferred"]

_PREFER = contextvars.ContextVar("esma_jit_preference", default=None)
_KERNELS: list = []


def enabled() -> bool:
    """Whether the compiled kernels are to be used now: numba is available and no
    :func:`preference` of the running code says otherwise."""
    return AVAILABLE and _PREFER.get() is not False


def preferred():
    """The preference set by an enclosing :func:`preference` block (``None``: none)."""
    return _PREFER.get()


def loaded() -> bool:
    """Whether some kernel is compiled (or loaded from the cache) in this process already."""
    return any(k.fn is not None for k in _KERNELS)


@contextlib.contextmanager
def preference(use: bool | None):
    """Prefer (``True``), avoid (``False``) or leave to :data:`AVAILABLE` (``None``) the
    compiled kernels inside a ``with`` block (a context variable: per thread and task).

    >>> with preference(False):
    ...     enabled()
    False
    """
    token = _PREFER.set(use)
    try:
        yield
    finally:
        _PREFER.reset(token)


@contextlib.contextmanager
def _sigint_held():
    """Hold Ctrl-C while a compiled kernel is imported, compiled, loaded or run, then deliver
    it (measured without: a segmentation fault, or a ``SystemError``, instead of exit status
    130 for about one Ctrl-C in ten during a search)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got = []
    old = signal.signal(signal.SIGINT, lambda *_: got.append(1))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
        if got:
            if callable(old):
                old(signal.SIGINT, None)         # Python's handler: KeyboardInterrupt
            elif old == signal.SIG_DFL:
                signal.raise_signal(signal.SIGINT)


class _LazyKernel:
    """A kernel compiled with ``numba.njit(cache=True)`` on its first call."""

    __slots__ = ("py", "fn")

    def __init__(self, py):
        self.py = py
        self.fn = None
        _KERNELS.append(self)

    def _compile(self):
        try:
            import numba
        except ImportError:  # pragma: no cover - a broken install: run the Python body
            return self.py
        return numba.njit(cache=True)(self.py)

    def __call__(self, *args):
        # Ctrl-C is held during every call: compiled code calls back into Python (numba
        # unpickles constants and builds exceptions there), and a KeyboardInterrupt raised in
        # such a callback leaves the dispatcher in error ("SystemError: ... returned a result
        # with an exception set") or crashes the process; a kernel call lasts well under a
        # second, and the interrupt is delivered when it returns
        with _sigint_held():
            if self.fn is None:
                self.fn = self._compile()
            return self.fn(*args)


def _expand_rows_py(Ms, pats, periods, depth, ct, safe):  # pragma: no cover - compiled below
    n = Ms.shape[0]
    Q = np.zeros((n, depth), dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    slow = np.zeros(n, dtype=np.bool_)
    n_terms = ct.shape[0]
    for j in range(n):
        a, b, g, d = Ms[j, 0], Ms[j, 1], Ms[j, 2], Ms[j, 3]
        t = ct[0]
        a, b, g, d = a * t + b, a, g * t + d, g
        i = 1
        c = 0
        per = periods[j]
        phase = 0
        while c < depth:
            if abs(a) >= safe or abs(b) >= safe or abs(g) >= safe or abs(d) >= safe:
                slow[j] = True
                break
            gd = g + d
            emitted = False
            if g != 0 and gd != 0 and (g > 0) == (gd > 0):
                s = pats[j, phase]
                if s > 0:
                    q = a // g
                    ok = q == (a + b) // gd
                else:
                    q = -((-a) // g)
                    ok = q == -((-a - b) // gd)
                if ok:
                    Q[j, c] = q
                    c += 1
                    phase += 1
                    if phase == per:
                        phase = 0
                    a, b, g, d = s * g, s * d, a - q * g, b - q * d
                    emitted = True
            if not emitted:
                if i >= n_terms:
                    break
                t = ct[i]
                i += 1
                a, b, g, d = a * t + b, a, g * t + d, g
        count[j] = c
    return Q, count, slow


def _bm_rows_py(S, lengths, limit, p):  # pragma: no cover - compiled below
    """Berlekamp–Massey modulo ``p`` per row (``_core_bm``), stopping at complexity ``limit``.
    Rows stopped at ``limit`` return a truncated ``C`` (callers use ``C`` only below it)."""
    n, N = S.shape
    W = limit + 2
    Lout = np.zeros(n, dtype=np.int64)
    Cout = np.zeros((n, W), dtype=np.int64)
    C = np.zeros(W, dtype=np.int64)
    B = np.zeros(W, dtype=np.int64)
    T = np.zeros(W, dtype=np.int64)
    for j in range(n):
        Lout[j] = _core_bm(S[j], min(N, lengths[j]), limit, p, C, B, T)
        for i in range(W):
            Cout[j, i] = C[i]
    return Lout, Cout


if AVAILABLE:  # pragma: no cover - depends on the environment
    expand_rows = _LazyKernel(_expand_rows_py)
else:
    expand_rows = _expand_rows_py


def _exact_holds_rows_py(S, C, L):  # pragma: no cover - compiled below
    """Whether ``sum_i C[j, i] S[j, k - i] == 0`` over the integers for all ``k >= L[j]``;
    rows with entries too large for exact int64 sums return False."""
    n, N = S.shape
    W = C.shape[1]
    ok = np.zeros(n, dtype=np.bool_)
    for j in range(n):
        big = False
        for i in range(W):
            if abs(C[j, i]) >= (1 << 20):
                big = True
        for k in range(N):
            if abs(S[j, k]) >= (1 << 36):
                big = True
        if big or W > 64:
            continue
        Lj = L[j]
        good = True
        for k in range(Lj, N):
            r = 0
            for i in range(Lj + 1):
                r += C[j, i] * S[j, k - i]
            if r != 0:
                good = False
                break
        ok[j] = good
    return ok


def _digits_rows_py(A, sign_tab, N):  # pragma: no cover - compiled below
    """Float lower bounds of log10(|q_N| |q_N + s_N q_{N-1}|) with outward rounding (see
    ``esma_sympy.search.bounds._digits_batch``); ``-inf`` where no bound is proven."""
    n = A.shape[0]
    up = 1.0 + 2.0 ** -50
    down = 1.0 - 2.0 ** -50
    out = np.empty(n, dtype=np.float64)
    for j in range(n):
        lo = A[j, 1]
        hi = A[j, 1]
        ok = lo > 0
        acc = 0.0
        prod = lo if ok else 1.0
        acc_prev = 0.0
        prod_prev = 1.0
        for k in range(2, N + 1):
            if not ok:
                break
            s = sign_tab[j, k - 1]
            a = A[j, k]
            inv_lo = (1.0 / hi) * down
            inv_hi = (1.0 / lo) * up
            if s > 0:
                nlo = a + inv_lo
                nhi = a + inv_hi
            else:
                nlo = a - inv_hi
                nhi = a - inv_lo
            nlo = nlo * down if nlo > 0 else nlo * up
            nhi = nhi * up
            if not nlo > 0:
                ok = False
                break
            lo, hi = nlo, nhi
            if k == N:
                acc_prev = acc
                prod_prev = prod
            prod = prod * lo * down
            if prod > 1e250 or prod < 1e-250:
                x = np.log10(prod)
                acc += x - 1e-15 * (1.0 + abs(acc) + abs(x))
                prod = 1.0
        if not ok:
            out[j] = -np.inf
            continue
        sN = sign_tab[j, N]
        if sN > 0:
            factor = lo + 1
        elif lo > 1:
            factor = lo - 1
        elif hi < 1:
            factor = 1 - hi
        else:
            factor = 0.0
        factor = factor * down
        if not factor > 0:
            out[j] = -np.inf
        else:
            x = np.log10(prod)
            logq = acc + x - 1e-15 * (1.0 + abs(acc) + abs(x))
            x = np.log10(prod_prev)
            logq_prev = acc_prev + x - 1e-15 * (1.0 + abs(acc_prev) + abs(x))
            out[j] = logq + logq_prev + np.log10(factor) - 1e-9
    return out


def _fit_rows_py(Q, rows, n0s, Ts, ds, pats, periods):  # pragma: no cover - compiled below
    """Quasi-constant (``d = 0``) or quasi-linear (``d = 1``) residue fits: for fit ``t`` of
    row ``rows[t]`` with prefix ``n0s[t]`` and period ``Ts[t]``, ``beta[t, r] + slope[t, r] k``
    is ``Q[row, n0 + T k + r]`` fitted at ``k = 1, 2``; ``ok[t]`` when the slopes are
    ``>= 0``, the fit regenerates ``a_{n0}`` (``n0 >= 1``) and the last period, and every
    residue stays ``>= 1`` (``>= 2`` where a ``-`` sign follows it) beyond the certified terms.
    The integer twin of ``fit_residues`` and ``fit_regenerates`` of
    ``esma_sympy.recurrence.approval`` and ``_tail_semiregular`` of
    ``esma_sympy.search.approve`` on such sequences."""
    n = rows.shape[0]
    N = Q.shape[1]
    Tmax = 1
    for t in range(n):
        if Ts[t] > Tmax:
            Tmax = Ts[t]
    beta = np.zeros((n, Tmax), dtype=np.int64)
    slope = np.zeros((n, Tmax), dtype=np.int64)
    ok = np.zeros(n, dtype=np.bool_)
    for t in range(n):
        j = rows[t]
        n0 = n0s[t]
        T = Ts[t]
        per = periods[t]
        good = True
        for r in range(T):
            y1 = Q[j, n0 + r + T]
            sl = Q[j, n0 + r + 2 * T] - y1 if ds[t] == 1 else 0
            b = y1 - sl
            beta[t, r] = b
            slope[t, r] = sl
            if sl < 0:
                good = False
                break
            low = 1
            for jj in range(per):
                if pats[t, (n0 + r + T * jj) % per] == -1:
                    low = 2
                    break
            kmin = (N - n0 - r + T - 1) // T
            if kmin < 0:
                kmin = 0
            if sl * kmin + b < low:
                good = False
                break
        if good and n0 > 0 and beta[t, 0] != Q[j, n0]:
            good = False
        if good:
            start = N - T
            if start < n0:
                start = n0
            for idx in range(start, N):
                k = (idx - n0) // T
                r = (idx - n0) % T
                if beta[t, r] + slope[t, r] * k != Q[j, idx]:
                    good = False
                    break
        ok[t] = good
    return beta, slope, ok


def _holds_mod_rows_py(S, C, L, start, stop, p):  # pragma: no cover - compiled below
    """Whether ``sum_i C[j, i] S[j, k - i] == 0 (mod p)`` for ``max(start[j], L[j]) <= k <
    stop[j]`` (``S`` reduced modulo ``p < 2^31``, ``C`` in ``[0, p)``); the compiled twin of
    ``esma_sympy.search.massey.recurrence_holds_batch``."""
    n, N = S.shape
    W = C.shape[1]
    ok = np.ones(n, dtype=np.bool_)
    for j in range(n):
        lo = max(start[j], L[j])
        for k in range(lo, min(stop[j], N)):
            acc = 0
            for i in range(min(W, k + 1)):
                acc = (acc + C[j, i] * S[j, k - i]) % p
            if acc != 0:
                ok[j] = False
                break
    return ok


if AVAILABLE:  # pragma: no cover - depends on the environment
    fit_rows = _LazyKernel(_fit_rows_py)
    holds_mod_rows = _LazyKernel(_holds_mod_rows_py)
else:
    fit_rows = _fit_rows_py
    holds_mod_rows = _holds_mod_rows_py


if AVAILABLE:  # pragma: no cover - depends on the environment
    exact_holds_rows = _LazyKernel(_exact_holds_rows_py)
    digits_rows = _LazyKernel(_digits_rows_py)
else:
    exact_holds_rows = _exact_holds_rows_py
    digits_rows = _digits_rows_py


# -- the fused core of a search unit (Möbius rows) ----------------------------------------------


def _core_bm_py(S, n, limit, p, C, B, T):  # pragma: no cover - compiled below
    """BM modulo ``p`` on ``S[:n]`` into ``C`` (as ``bm_rows``); returns the complexity (``>=
    limit``: stopped there)."""
    W = C.shape[0]
    invp = 1.0 / p
    for i in range(W):
        C[i] = 0
        B[i] = 0
    C[0] = 1
    B[0] = 1
    degC = 0
    degB = 0
    L = 0
    m = 0
    gamma = 1
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
        degT = 0
        if grow:
            for i in range(degC + 1):
                T[i] = C[i]
            degT = degC
        hi = degB + m
        if hi > W - 1:
            hi = W - 1
        if hi > degC:
            for i in range(degC + 1, hi + 1):
                C[i] = 0
            degC = hi
        for i in range(degC + 1):
            ci = gamma * C[i]
            if m <= i <= degB + m:
                ci -= delta * B[i - m]
            q = np.int64(ci * invp)
            ci -= q * p
            if ci < 0:
                ci += p
            elif ci >= p:
                ci -= p
            C[i] = ci
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
                break
    for i in range(degC + 1, W):
        C[i] = 0
    return L


def _core_lift_holds_py(S, N, C, L, p, out):  # pragma: no cover - compiled below
    """``C`` scaled to ``C_0 = 1`` and lifted to ``(-p/2, p/2]`` into ``out``; whether it
    annihilates ``S[:N]`` over the integers (``False`` also when entries are too large for
    exact int64 sums, as ``exact_holds_rows``)."""
    W = out.shape[0]
    t, nt, r, nr = 0, 1, p, C[0] % p          # the inverse of C_0 modulo p
    while nr != 0:
        qq = r // nr
        t, nt = nt, t - qq * nt
        r, nr = nr, r - qq * nr
    inv = t % p
    big = False
    for i in range(W):
        v = (C[i] * inv) % p if i <= L else 0
        out[i] = v - p if v > p // 2 else v
        if abs(out[i]) >= (1 << 20):
            big = True
    for k in range(N):
        if abs(S[k]) >= (1 << 36):
            big = True
    if big or W > 64:
        return False
    for k in range(L, N):
        acc = 0
        for i in range(L + 1):
            acc += out[i] * S[k - i]
        if acc != 0:
            return False
    return True


def _core_rows_py(Ms, pats, periods, ct, N1, depth, limit, p, safe):  # pragma: no cover
    """The filter and the batch part of the approval for Möbius rows, fused per row.

    Per row: the homographic expansion to ``N1`` quotients, BM modulo ``p`` (complexity limit
    ``limit + 1``), for survivors the expansion *continued* to ``N = 3 depth`` quotients, the
    filter's recurrence lifted and checked exactly on all ``N`` (BM rerun on ``depth`` terms
    where it fails) and the digits bound of ``digits_rows``.  ``status``: 0 filtered out,
    1 a candidate for approval (``exact`` tells whether its recurrence holds exactly; if not,
    it failed the prediction; the quotients of the exact ones are ``Q[k]`` for the rows
    ``where[k]``), 2 for the caller's general path (the state left the safe range,
    or only the modular prediction test can decide), 3 when the constant's terms ran out (the
    caller extends them and runs the row again).
    The numbers are those of ``expand_rows``, ``bm_rows``, ``exact_holds_rows`` and
    ``digits_rows`` run one after the other (the tests compare them)."""
    n = Ms.shape[0]
    N = 3 * depth
    W = limit + 3
    status = np.zeros(n, dtype=np.int8)
    cnt1 = np.zeros(n, dtype=np.int64)
    Lout = np.zeros(n, dtype=np.int64)
    Cout = np.zeros((n, W), dtype=np.int64)
    exact = np.zeros(n, dtype=np.bool_)
    digits = np.full(n, -np.inf)
    Q = np.empty((n, N), dtype=np.int64)       # kept rows, compacted: Q[k] is row where[k]
    where = np.zeros(n, dtype=np.int64)
    kept = 0
    C = np.zeros(W, dtype=np.int64)
    B = np.zeros(W, dtype=np.int64)
    T = np.zeros(W, dtype=np.int64)
    Cl = np.zeros(W, dtype=np.int64)
    n_terms = ct.shape[0]
    up = 1.0 + 2.0 ** -50
    down = 1.0 - 2.0 ** -50
    for j in range(n):
        S = Q[kept]                            # scratch until the row is kept
        per = periods[j]
        a, b, g, d = Ms[j, 0], Ms[j, 1], Ms[j, 2], Ms[j, 3]
        t = ct[0]
        a, b, g, d = a * t + b, a, g * t + d, g
        i = 1
        c = 0
        phase = 0
        want = N1
        fallback = False
        starved = False
        while True:
            while c < want:
                if abs(a) >= safe or abs(b) >= safe or abs(g) >= safe or abs(d) >= safe:
                    fallback = True
                    break
                gd = g + d
                emitted = False
                if g != 0 and gd != 0 and (g > 0) == (gd > 0):
                    s = pats[j, phase]
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
                    if i >= n_terms:
                        fallback = True
                        starved = True
                        break
                    t = ct[i]
                    i += 1
                    a, b, g, d = a * t + b, a, g * t + d, g
            if fallback:
                break
            if want == N1:
                cnt1[j] = c
                L = _core_bm(S, N1, limit + 1, p, C, B, T)
                if L >= limit + 1:
                    break                      # filtered out (status 0)
                want = N
            else:
                break
        if fallback:
            status[j] = 3 if starved else 2
            continue
        if want == N1:
            continue
        # approval, batch part
        ok = _core_lift_holds(S, N, C, L, p, Cl)
        if not ok:
            L = _core_bm(S, depth, limit + 1, p, C, B, T)
            if L < limit + 1:
                ok = _core_lift_holds(S, N, C, L, p, Cl)
                if not ok:
                    status[j] = 2              # only the modular prediction test decides
                    continue
        status[j] = 1
        exact[j] = ok
        Lout[j] = L
        for k in range(W):
            Cout[j, k] = Cl[k]
        if not ok:
            continue
        # the digits bound (as digits_rows, N - 1 the last index)
        lo = float(S[1])
        hi = lo
        good = lo > 0
        acc = 0.0
        prod = lo if good else 1.0
        acc_prev = 0.0
        prod_prev = 1.0
        for k in range(2, N):
            if not good:
                break
            s = pats[j, (k - 1) % per]
            av = float(S[k])
            inv_lo = (1.0 / hi) * down
            inv_hi = (1.0 / lo) * up
            if s > 0:
                nlo = av + inv_lo
                nhi = av + inv_hi
            else:
                nlo = av - inv_hi
                nhi = av - inv_lo
            nlo = nlo * down if nlo > 0 else nlo * up
            nhi = nhi * up
            if not nlo > 0:
                good = False
                break
            lo, hi = nlo, nhi
            if k == N - 1:
                acc_prev = acc
                prod_prev = prod
            prod = prod * lo * down
            if prod > 1e250 or prod < 1e-250:
                x = np.log10(prod)
                acc += x - 1e-15 * (1.0 + abs(acc) + abs(x))
                prod = 1.0
        sN = pats[j, (N - 1) % per]
        if sN > 0:
            factor = lo + 1
        elif lo > 1:
            factor = lo - 1
        elif hi < 1:
            factor = 1 - hi
        else:
            factor = 0.0
        factor = factor * down
        if good and factor > 0:
            x = np.log10(prod)
            logq = acc + x - 1e-15 * (1.0 + abs(acc) + abs(x))
            x = np.log10(prod_prev)
            logq_prev = acc_prev + x - 1e-15 * (1.0 + abs(acc_prev) + abs(x))
            digits[j] = logq + logq_prev + np.log10(factor) - 1e-9
        where[kept] = j
        kept += 1
    return status, cnt1, Lout, Cout, exact, digits, Q[:kept], where[:kept]


_core_bm = _core_bm_py
_core_lift_holds = _core_lift_holds_py


class _LazyFused(_LazyKernel):
    """A kernel that calls helpers: they are compiled (and bound to their module names)
    first, so the kernel's compilation sees compiled functions."""

    __slots__ = ("deps",)

    def __init__(self, py, deps):
        super().__init__(py)
        self.deps = deps

    def _compile(self):
        try:
            import numba
        except ImportError:  # pragma: no cover - a broken install: run the Python body
            return self.py
        for name, helper in self.deps:
            globals()[name] = numba.njit(cache=True)(helper)
        return numba.njit(cache=True)(self.py)


if AVAILABLE:  # pragma: no cover - depends on the environment
    core_rows = _LazyFused(_core_rows_py, (("_core_bm", _core_bm_py),
                                           ("_core_lift_holds", _core_lift_holds_py)))
else:
    core_rows = _core_rows_py


if AVAILABLE:  # pragma: no cover - depends on the environment
    bm_rows = _LazyFused(_bm_rows_py, (("_core_bm", _core_bm_py),))
else:
    bm_rows = _bm_rows_py
