"""Berlekamp–Massey on many sequences at once, modulo a prime below ``2^28`` (NumPy).

The inversion-free form of the algorithm (Xu's variant, as used in Reed–Solomon decoders)
updates ``C <- gamma*C - delta*x*B`` with the previous nonzero discrepancy ``gamma`` instead of
dividing by it: the connection polynomial is only known up to a nonzero scalar, which is all a
recurrence needs, and no modular inverse is ever taken.  All rows run in lockstep; a row whose
linear complexity reaches ``limit`` is rejected (its later values are not used).

Soundness of the rejection (theory T3.2, T5.2): for an ESMA hit, an integer quasi-polynomial
sequence, the minimal polynomial ``P`` of the whole sequence is monic with integer coefficients
(a power of ``x`` times cyclotomic polynomials); ``P mod p`` is monic of the same degree and
annihilates every prefix modulo ``p``, so the modular complexity of any prefix is at most
``deg P`` and a true hit is never rejected, whatever the prime.  (For short prefixes of other sequences the modular complexity can exceed the rational
one, e.g. ``2, 1`` has rational complexity 1 but complexity 2 modulo 2; such sequences are not
hits.)  Survivors are confirmed exactly.

With ``p < 2^28`` each product is below ``2^56`` and a row's discrepancy, a sum of at most
``limit + 2 <= 64`` products, stays below ``2^62``.
"""

from __future__ import annotations

import numpy as np

from ..numeric import _jit

__all__ = ["P28", "bm_batch", "recurrence_holds_batch"]

P28 = 268435399      # the largest prime below 2^28


def _residues(S, p: int) -> np.ndarray:
    S = np.asarray(S)
    if S.dtype == object:          # Python integers beyond int64
        return np.array([[int(x) % p for x in row] for row in S], dtype=np.int64).reshape(S.shape)
    return S.astype(np.int64) % p


def bm_batch(S: np.ndarray, limit: int, p: int = P28, lengths: np.ndarray | None = None, *,
             use_jit: bool | None = None):
    """Linear complexities modulo ``p`` of the rows of ``S`` (truncated at ``limit``).

    Parameters
    ==========

    S : int array (n, N)
        Sequences (any integers; reduced mod ``p``).
    limit : int
        Rows reaching complexity ``>= limit`` are rejected; at most 62.
    lengths : int array (n,), optional
        Use only the first ``lengths[j]`` terms of row ``j`` (default: all ``N``).
    use_jit : bool, optional
        Force or avoid the compiled kernel (default: use it when numba is installed).

    Returns
    =======

    ``(L, C)``: complexities (``>= limit`` means rejected) and connection polynomials
    ``C[j, :L[j] + 1]`` (``C[j, 0] != 0``; scaled, not monic).

    >>> import numpy as np
    >>> e = [2, 1, 2, 1, 1, 4, 1, 1, 6, 1, 1, 8, 1, 1, 10, 1, 1, 12]
    >>> L, C = bm_batch(np.array([e]), 10)
    >>> int(L[0])
    7
    """
    if not 1 <= limit <= 62:
        raise ValueError(f"limit must be in [1, 62], got {limit}")
    S = _residues(S, p)
    n, N = S.shape
    W = limit + 2
    if lengths is None:
        lengths = np.full(n, N, dtype=np.int64)
    if (_jit.enabled() if use_jit is None else use_jit) and n:
        return _jit.bm_rows(S, np.asarray(lengths, dtype=np.int64), limit, p)
    C_out = np.zeros((n, W), dtype=np.int64)
    C_out[:, 0] = 1
    L_out = np.zeros(n, dtype=np.int64)
    # the rows still running (a row is frozen once rejected or past its length, so finished
    # rows are written out and compacted away); the arrays are transposed, one row per
    # coefficient (or term) and one column per sequence, so every update is contiguous
    rows = np.arange(n)
    C = np.zeros((W, n), dtype=np.int64)
    C[0] = 1
    # x B with a leading zero row: xB = Bx[:w] and B = Bx[1:]
    Bx = np.zeros((W + 1, n), dtype=np.int64)
    Bx[1] = 1
    L = L_out.copy()
    lens = np.asarray(lengths, dtype=np.int64).copy()
    gamma = np.ones(n, dtype=np.int64)
    # zero-padded: Spad[W - 1 + k] = S[:, k]
    Spad = np.concatenate([np.zeros((W - 1, n), dtype=np.int64), S.T], axis=0)
    for k in range(N):
        live = (L < limit) & (k < lens)
        if not live.all():
            dead = ~live
            C_out[rows[dead]], L_out[rows[dead]] = C[:, dead].T, L[dead]
            rows, C, Bx, L, lens, gamma, Spad = (rows[live], C[:, live], Bx[:, live], L[live],
                                                 lens[live], gamma[live], Spad[:, live])
            if not rows.size:
                break
        # deg C <= L and deg(x^m B) <= k + 1 - L (Massey's invariants): wider columns are zero
        w = min(W, int(np.maximum(L, k + 1 - L).max()) + 2)
        window = Spad[k + W - w: k + W][::-1]           # S[k], S[k-1], ..., S[k-w+1]
        Cw = C[:w]
        xB = Bx[:w]
        delta = _mod(np.einsum("ij,ij->j", Cw, window), p)
        nz = delta != 0
        grow = nz & (2 * L <= k)
        # C <- gamma C - delta x B; where delta = 0, 1 C - 0 x B: C itself (another residue)
        newC = np.where(nz, gamma, 1) * Cw
        newC -= delta * xB
        newC = _mod(newC, p)
        newB = np.where(grow, Cw, xB)
        C[:w] = newC
        Bx[1:w + 1] = newB
        gamma = np.where(grow, delta, gamma)
        L = np.where(grow, k + 1 - L, L)
    C_out[rows], L_out[rows] = C.T, L
    C_out %= p                      # the residues in [0, p)
    return L_out, C_out


def _mod(x: np.ndarray, p: int) -> np.ndarray:
    """A residue of ``x`` modulo ``p`` of absolute value below ``p``, without an integer
    division: ``x - rint(x / p) p``, the quotient from ``float64``.

    For ``|x| < 2^62`` and ``|x / p| < 2^40`` (here ``|x| <= 64 p^2`` with ``p < 2^28``, so
    ``|x / p| < 2^34``) the float quotient is within ``3 |x/p| 2^-53 < 2^-11`` of ``x / p``:
    it rounds to ``round(x / p)`` or, next to a half-integer, to a neighbour, so the residue
    lies in ``(-p, p)``; and it is 0 exactly when ``p`` divides ``x`` (then ``x / p`` is an
    integer, and the float quotient rounds to it).  ``x - q p`` is exact in ``int64``.

    >>> import numpy as np
    >>> x = np.array([0, 5, -5, 268435399, -268435398, 2**61 + 3, -(2**61) - 3])
    >>> r = _mod(x, 268435399)
    >>> bool((r % 268435399 == x % 268435399).all() and (abs(r) < 268435399).all())
    True
    """
    q = x * (1.0 / p)
    np.rint(q, out=q)
    r = q.astype(np.int64)
    r *= p
    np.subtract(x, r, out=r)
    return r


def recurrence_holds_batch(S: np.ndarray, C: np.ndarray, L: np.ndarray, start: np.ndarray,
                           stop: np.ndarray, p: int = P28) -> np.ndarray:
    """Whether ``sum_i C[j, i] S[j, k - i] == 0 (mod p)`` for ``start[j] <= k < stop[j]``.

    >>> import numpy as np
    >>> fib = np.array([[1, 1, 2, 3, 5, 8, 13, 21, 34, 55]])
    >>> L, C = bm_batch(fib[:, :6], 5)
    >>> recurrence_holds_batch(fib, C, L, np.array([6]), np.array([10])).tolist()
    [True]
    """
    S = _residues(S, p)
    n, N = S.shape
    W = C.shape[1]
    if _jit.enabled() and n:
        return _jit.holds_mod_rows(np.ascontiguousarray(S), np.ascontiguousarray(C % p, dtype=np.int64),
                                   np.asarray(L, dtype=np.int64), np.asarray(start, dtype=np.int64),
                                   np.asarray(stop, dtype=np.int64), p)
    Spad = np.concatenate([np.zeros((n, W - 1), dtype=np.int64), S], axis=1)
    ok = np.ones(n, dtype=bool)
    kmin = int(start.min()) if n else 0
    kmax = int(stop.max()) if n else 0
    for k in range(kmin, min(kmax, N)):
        window = Spad[:, k: k + W][:, ::-1]
        delta = (C * window).sum(axis=1) % p
        inside = (k >= start) & (k < stop) & (k >= L)
        ok &= ~inside | (delta == 0)
    return ok
