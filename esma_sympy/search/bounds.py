"""The digit bound of an approved row (theory T5.3, the cylinder bound), in bulk: how many
digits of agreement between the LHS and the infinite SCF the certified quotients prove.
"""

from __future__ import annotations

import numpy as np

from ..numeric import _jit

__all__: list = []


_FLOAT_SAFE = 1 << 1000


def _float_quotients(Q: np.ndarray, N: int):
    """``(A, None)`` with ``A`` the float64 copy of ``Q[:, :N+1]`` (column 0 zeroed), or
    ``(None, mask)`` marking the rows with a quotient ``a_1..a_N`` of magnitude ``>= 2^1000``."""
    part = Q[:, 1: N + 1]
    if part.dtype == object:
        big = np.fromiter((any(abs(int(v)) >= _FLOAT_SAFE for v in row) for row in part),
                          dtype=bool, count=part.shape[0])
        if big.any():
            return None, big
    A = np.zeros((Q.shape[0], N + 1), dtype=np.float64)
    A[:, 1:] = part.astype(np.float64)
    return np.ascontiguousarray(A), None


def _digits_batch(Q: np.ndarray, sign_tab: np.ndarray, N: int, use_jit=None) -> np.ndarray:
    """Rigorous lower bounds on ``log10(|q_N| |q_N + s_N q_{N-1}|)`` for many SCF prefixes.

    ``r_k = q_k / q_{k-1}`` obeys ``r_1 = a_1`` and ``r_k = a_k + s_{k-1}/r_{k-1}``.  It is
    enclosed in ``[lo, hi]`` with every float operation rounded outward (a relative margin of
    ``2^-50`` per operation); while ``lo > 0`` every ``q_k`` is positive and
    ``sum log10(lo_k)`` bounds ``log10 q_N`` from below (computed as the log of the product
    of the ``lo_k``, every multiplication rounded down, folded into a sum with a rounding
    margin whenever the product leaves ``[1e-250, 1e250]``).  ``q_N + s_N q_{N-1} = q_{N-1}
    (r_N + s_N)``.  Rows where an enclosure reaches 0 get ``-inf`` (no bound; theory T5.3), and
    so do rows with a quotient beyond the float range (``a_0`` is not used: ``q_k`` does not
    depend on it).
    """
    A, big = _float_quotients(Q, N)
    if big is not None:
        out = np.full(Q.shape[0], -np.inf)
        keep = ~big
        if keep.any():
            out[keep] = _digits_batch(Q[keep], sign_tab[keep], N, use_jit)
        return out
    if _jit.enabled() if use_jit is None else use_jit:
        return _jit.digits_rows(A, np.ascontiguousarray(sign_tab, dtype=np.int64), N)
    n = A.shape[0]
    up, down = 1 + 2.0**-50, 1 - 2.0**-50
    # columns as contiguous rows, and the signs as booleans (the same operations, element by
    # element, as on the columns)
    AT = np.ascontiguousarray(A.T)
    plus = np.ascontiguousarray((np.asarray(sign_tab)[:, :N] > 0).T)
    lo = A[:, 1].copy()
    hi = A[:, 1].copy()
    ok = lo > 0
    # log10 q_k = acc + log10(prod): the product of the lower bounds, rounded down at every
    # step, is folded into acc (minus a rounding margin) only when it leaves [1e-250, 1e250]
    acc = np.zeros(n)
    prod = np.where(ok, lo, 1.0)
    acc_prev, prod_prev = np.zeros(n), np.ones(n)
    for k in range(2, N + 1):
        pos = plus[k - 1]                 # s_{k-1} > 0
        a = AT[k]
        safe_lo = np.where(lo > 0, lo, 1.0)
        safe_hi = np.where(hi > 0, hi, 1.0)
        inv_lo = (1.0 / safe_hi) * down   # lower bound of 1/r
        inv_hi = (1.0 / safe_lo) * up     # upper bound of 1/r
        nlo = np.where(pos, a + inv_lo, a - inv_hi)
        nhi = np.where(pos, a + inv_hi, a - inv_lo)
        nlo = np.where(nlo > 0, nlo * down, nlo * up)
        nhi = nhi * up
        ok &= nlo > 0
        lo, hi = nlo, nhi
        if k == N:
            acc_prev, prod_prev = acc.copy(), prod.copy()
        prod = prod * np.where(ok, lo, 1.0) * down
        out_of_range = (prod > 1e250) | (prod < 1e-250)
        if out_of_range.any():
            x = np.log10(prod[out_of_range])
            acc[out_of_range] += x - 1e-15 * (1 + np.abs(acc[out_of_range]) + np.abs(x))
            prod[out_of_range] = 1.0
    x = np.log10(prod)
    logq = acc + x - 1e-15 * (1 + np.abs(acc) + np.abs(x))
    x = np.log10(prod_prev)
    logq_prev = acc_prev + x - 1e-15 * (1 + np.abs(acc_prev) + np.abs(x))
    sN = sign_tab[:, N]
    factor = np.where(sN > 0, lo + 1, np.where(lo > 1, lo - 1, np.where(hi < 1, 1 - hi, 0.0)))
    factor = factor * down
    ok &= factor > 0
    total = logq + logq_prev + np.log10(np.maximum(factor, 1e-300)) - 1e-9
    return np.where(ok, total, -np.inf)
