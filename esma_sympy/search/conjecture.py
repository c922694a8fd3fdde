"""ESMA conjectures and search results.

A :class:`Conjecture` is a plain record (the search creates thousands; their SymPy views are
built on first access and cached): ``LHS = SCF(quotients, signs)`` with the quotients an
eventually quasi-polynomial sequence, the recurrence they satisfy, the number of terms the
recurrence predicted and the digits of agreement proven by an error bound.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import weakref
from array import array
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
from sympy import Rational, Symbol, latex

from .._args import renamed_keyword
from ..verdict import ProofStatus
from .text import poly_str

__all__ = ["Conjecture", "SearchStats", "SearchResult", "fastest"]

_K = Symbol("k")


@lru_cache(maxsize=4096)
def _simple_rate_of(lhs, constant, depth: int) -> float:
    """``_simple_rate`` keyed by the (hashable) LHS and constant: the SymPy expression is built
    once per translation class ``P/Q + m`` (whose simple continued fractions differ only in
    ``a_0``, so their convergents differ by ``m`` and the rate is the same), not once per
    conjecture."""
    num, den = list(lhs.num), list(lhs.den)
    d = len(den) - 1
    if d >= 0 and den[d] != 0 and len(num) > d:
        m = -(num[d] // den[d])           # the representative with 0 <= num[d] < den[d]
        if m:
            return _simple_rate_of(lhs.shifted(m), constant, depth)
    M = lhs.mobius
    if M is not None and M[0] * M[3] - M[1] * M[2] != 0:
        return _simple_rate_mobius(M, constant, depth)
    return _simple_rate(lhs.expr(constant), depth)


def _simple_rate_mobius(M, constant, depth: int) -> float:
    """``_simple_rate`` of ``(a c + b)/(g c + d)``, its simple quotients by homographic
    arithmetic from the certified simple quotients of ``c`` (the same quotients as the ball
    expansion of the image: both are certified, theory T5.1), not by evaluating the image."""
    from ..numeric.homographic import expand_mobius

    got = _MOBIUS_RATES.get((M, constant, depth))
    if got is not None:
        return got
    want = 2 * depth + 1
    count = 2 * want + 16
    for _ in range(6):
        cterms = _constant_terms(constant, count)
        qs, used = expand_mobius(M, (1,), want, cterms)
        if len(qs) >= want or len(cterms) < count:      # enough, or c's expansion ended
            break
        count *= 2
    r = fast_rate(qs, (1,), depth) if len(qs) >= want else None
    return float("nan") if r is None else r


#: (Möbius matrix, constant, depth) -> the simple rate, filled in bulk by
#: :func:`prime_simple_rates` (the same numbers as ``_simple_rate_mobius`` computes)
_MOBIUS_RATES: dict = {}


def _simple_rep(lhs):
    """The representative of ``lhs``'s translation class that ``_simple_rate_of`` rates."""
    num, den = list(lhs.num), list(lhs.den)
    d = len(den) - 1
    if d >= 0 and den[d] != 0 and len(num) > d:
        m = -(num[d] // den[d])
        if m:
            return _simple_rep(lhs.shifted(m))
    return lhs


def prime_simple_rates(conjectures, n: int = 100) -> None:
    """Compute :meth:`Conjecture.simple_rate` ``(n)`` of many conjectures at once, the same
    numbers as one by one.

    The simple continued fraction of an LHS is its expansion under the pattern ``(+)``: when
    the search found that pattern for the LHS, the record's class row holds the same
    certified quotients ``a_1, a_2, ...`` as the homographic expansion of the LHS (``a_0``
    aside, which the rate does not use), so its rate is the simple rate.  The other Möbius
    images among the LHS are expanded in one batch
    (:func:`~esma_sympy.numeric.homographic.expand_mobius_batch`, the same certified
    quotients as ``expand_mobius`` one by one) and rated by :func:`_fast_rates`; images whose
    expansion runs short, and LHS of higher degree, are left to the one-by-one path.

    >>> from sympy import E
    >>> from esma_sympy import esma_search
    >>> res = esma_search(E, coeff_limit=1, max_period=2)
    >>> prime_simple_rates(res.conjectures)
    >>> r = [c.simple_rate() for c in res]
    >>> _MOBIUS_RATES.clear(); _simple_rate_of.cache_clear()
    >>> [c.simple_rate() for c in res] == r
    True
    """
    from ..numeric import _jit
    from ..numeric.homographic import expand_mobius_batch

    plus: dict = {}                    # LHS -> its class row under (+)
    for c in conjectures:
        row = c.__dict__.get("_row")
        if row is not None and tuple(c.signs) == (1,) and len(row) > 2 * n:
            plus.setdefault((c.lhs, id(c.constant)), row)
    by_constant: dict = {}
    done: dict = {}                    # (LHS, constant) -> its key in _MOBIUS_RATES
    for c in conjectures:
        if (c.lhs, id(c.constant)) in done:
            continue
        done[c.lhs, id(c.constant)] = None
        M = _simple_rep(c.lhs).mobius
        if M is None or M[0] * M[3] - M[1] * M[2] == 0:
            continue
        key = done[c.lhs, id(c.constant)] = (tuple(M), c.constant, n)
        if key in _MOBIUS_RATES:
            continue
        row = plus.get((c.lhs, id(c.constant)))
        if row is not None:
            rates = _row_rates(row)
            r = rates.get(((1,), n), False)
            if r is False:
                r = rates[(1,), n] = fast_rate(row, (1,), n)
            _MOBIUS_RATES[key] = float("nan") if r is None else r
            continue
        by_constant.setdefault(id(c.constant), (c.constant, {}))[1][key] = None
    want = 2 * n + 1
    # the compiled kernel only if it is loaded already (loading numba costs more than it saves)
    use_jit = _jit.loaded() and _jit.enabled()
    for constant, keys in by_constant.values():
        keys = list(keys)
        count = [2 * want + 16]
        cterms = _constant_terms(constant, count[0])
        if not cterms:
            continue

        def more(constant=constant, count=count):         # twice the terms, as one by one
            count[0] *= 2
            return _constant_terms(constant, count[0])

        k = len(keys)
        Q, cnt = expand_mobius_batch(np.array([key[0] for key in keys], dtype=np.int64),
                                     np.ones((k, 1), dtype=np.int64), np.ones(k, dtype=np.int64),
                                     want, cterms, use_jit=use_jit,
                                     more=more if len(cterms) >= count[0] else None)
        full = [j for j in range(k) if cnt[j] >= want]
        rates = _fast_rates([Q[j, :want] for j in full], [(1,)] * len(full), n)
        for j, r in zip(full, rates):
            _MOBIUS_RATES[keys[j]] = float("nan") if r is None else r
    for c in conjectures:               # each record's, read by simple_rate()
        key = done.get((c.lhs, id(c.constant)))
        if key is not None and key in _MOBIUS_RATES:
            c._cache[("simple_rate", n)] = _MOBIUS_RATES[key]


@lru_cache(maxsize=64)
def _constant_terms(constant, count: int) -> list:
    """The first ``count`` certified simple quotients of ``constant`` (fewer where they cannot
    be certified)."""
    from ..numeric.expand import expand_quotients

    qs, _ = expand_quotients(constant, (1,), terms=count)
    return [int(q) for q in qs]


@lru_cache(maxsize=4096)
def _simple_rate(value, depth: int) -> float:
    from ..numeric.expand import expand_quotients

    qs, _ = expand_quotients(value, (1,), terms=2 * depth + 1)
    r = fast_rate([int(q) for q in qs], (1,), depth) if len(qs) > 2 * depth else None
    return float("nan") if r is None else r


_LOG2_10 = math.log2(10)
#: rates of class rows: id(row) -> (weak reference to the row, {(signs, depth): rate}); an
#: entry leaves when its row is freed (so an id is never reused for another row)
_ROW_RATES: dict = {}


def _row_rates(row) -> dict:
    k = id(row)
    got = _ROW_RATES.get(k)
    if got is None or got[0]() is not row:
        got = _ROW_RATES[k] = (weakref.ref(row, lambda _r, k=k: _ROW_RATES.pop(k, None)), {})
    return got[1]


#: at most this many matrices multiplied in ``int64`` per block by :func:`_fast_rates`
_RATE_BLOCK = 16


def _fast_rates(rows, signs_list, depth: int = 100) -> list:
    """``[fast_rate(rows[i], signs_list[i], depth) ...]``, the same numbers, faster in bulk.

    The continuants ``q_n``, ``q_{2n}`` and ``u_{2n}`` of :func:`fast_rate` are products of
    the matrices ``[[a_k, s_{k-1}], [1, 0]]``: these are multiplied up to 16 at a time in
    ``int64`` for all rows at once (exact: every entry and partial sum of a product is at
    most the product of the norms ``|a_k| + 1``, kept below ``2^61``; each row takes the
    widest blocks that stay below it), and the blocks are applied in Python integers.
    Rows not in ``int64`` take :func:`fast_rate` itself.

    >>> rows = [[2] + [1, 2, 1, 1, 4, 1, 1, 6] * 30, [1] * 201, [3, 10**15] * 101]
    >>> sg = [(1, -1), (1,), (-1, 1, 1)]
    >>> _fast_rates(rows, sg) == [fast_rate(r, s) for r, s in zip(rows, sg)]
    True
    """
    d = depth
    out: list = [None] * len(rows)
    fast, T = [], []
    for i, row in enumerate(rows):
        if len(row) <= 2 * d:
            continue
        r = row[: 2 * d + 1]
        if not (isinstance(r, np.ndarray) and r.dtype == np.int64):
            try:
                r = np.array(r, dtype=np.int64)
            except (OverflowError, TypeError, ValueError):
                r = None
        if r is None or d < 2:
            out[i] = fast_rate(row, signs_list[i], d)
            continue
        fast.append(i)
        T.append(r)
    if not fast:
        return out
    T = np.array(T, dtype=np.int64)                          # a_0 .. a_{2d}
    small = ((T < 1 << 60) & (T > -(1 << 60))).all(axis=1)
    if not small.all():
        for j in np.nonzero(~small)[0].tolist():
            out[fast[j]] = fast_rate(rows[fast[j]], signs_list[fast[j]], d)
        fast = [i for i, ok in zip(fast, small.tolist()) if ok]
        T = T[small]
        if not fast:
            return out
    sg_of: dict = {}
    S = np.empty_like(T)                                     # S[:, k] = s_{k-1}
    for j, i in enumerate(fast):
        sg = sg_of.get(signs_list[i])
        if sg is None:
            p = signs_list[i]
            sg = sg_of[p] = np.array([0] + [int(p[(k - 1) % len(p)]) for k in range(1, 2 * d + 1)],
                                     dtype=np.int64)
        S[j] = sg
    lg = np.log2(np.abs(T).astype(np.float64) + 1.0)         # log2 of the norms, per matrix
    # the two products: k = 1..d (q_d) and k = d+2..2d (u_{2d}; q_{2d} from q_{d+1})
    A = _rate_blocks(T, S, lg, 1, d + 1)
    U = _rate_blocks(T, S, lg, d + 2, 2 * d + 1)
    m = len(fast)
    # the blocks applied in Python integers, as NumPy object arrays over the rows of a level
    qa, qp = np.empty(m, dtype=object), np.empty(m, dtype=object)
    for sel, (a, b, c, e) in A:
        x, y = np.ones(len(sel), dtype=object), np.zeros(len(sel), dtype=object)   # q_0, q_-1
        for k in range(a.shape[1]):
            x, y = a[:, k] * x + b[:, k] * y, c[:, k] * x + e[:, k] * y
        qa[sel], qp[sel] = x, y                               # q_d, q_{d-1}
    q1 = T[:, d + 1].astype(object) * qa + S[:, d + 1].astype(object) * qp    # q_{d+1}
    qb, u = np.empty(m, dtype=object), np.empty(m, dtype=object)
    for sel, (a, b, c, e) in U:
        # the top row (r, t) of the product P of the later blocks, from the last block back:
        # u_{2d} = P[0, 0] and q_{2d} = P[0, 0] q_{d+1} + P[0, 1] q_d
        r, t = np.ones(len(sel), dtype=object), np.zeros(len(sel), dtype=object)
        for k in range(a.shape[1] - 1, -1, -1):
            r, t = r * a[:, k] + t * c[:, k], r * b[:, k] + t * e[:, k]
        qb[sel], u[sel] = r * q1[sel] + t * qa[sel], r
    for i, x, y, z in zip(fast, qa.tolist(), qb.tolist(), u.tolist()):
        out[i] = _rate_from(x, y, z, d)
    return out


def prime_rates(conjectures, n: int = 100) -> None:
    """Compute :meth:`Conjecture.rate` ``(n)`` of many search records at once (one rate per
    class row and sign pattern, by :func:`_fast_rates`), so that the calls that follow only
    read it: the same numbers as one by one, in a fraction of the time.

    >>> from sympy import E
    >>> from esma_sympy import esma_search
    >>> res = esma_search(E, coeff_limit=1, max_period=2)
    >>> prime_rates(res.conjectures)
    >>> res[0].rate() == fast_rate(res[0].first_terms, res[0].signs)
    True
    """
    todo, seen = [], set()
    for c in conjectures:
        row = c.__dict__.get("_row")
        if row is None or len(row) <= 2 * n or ("rate", n) in c._cache:
            continue
        key = (id(row), c.signs)
        if key in seen or (c.signs, n) in _row_rates(row):
            continue
        seen.add(key)
        todo.append((row, c.signs))
    got = _fast_rates([r for r, _ in todo], [sg for _, sg in todo], n)
    for (row, signs), r in zip(todo, got):
        _row_rates(row)[signs, n] = r
    for c in conjectures:               # what rate() would store in each record on its call
        row = c.__dict__.get("_row")
        if row is not None and len(row) > 2 * n:
            r = _row_rates(row).get((c.signs, n))
            if r is not None:
                c._cache[("rate", n)] = r


def _rate_blocks(T, S, lg, lo: int, hi: int) -> list:
    """The products of the matrices ``[[T[k], S[k]], [1, 0]]`` for ``k = lo..hi-1`` in
    consecutive blocks (the later matrix on the left), as a list of ``(rows, (a, b, c, e))``:
    for those rows, the entries ``[[a, b], [c, e]]`` of their blocks, one column per block
    (object arrays of Python integers); each row's blocks are as wide as the ``2^61`` bound
    allows (up to ``_RATE_BLOCK``; entries below ``2^60`` make single matrices fit)."""
    m, n = T.shape[0], hi - lo
    K = _RATE_BLOCK
    pad = -n % K
    a = np.concatenate([T[:, lo:hi], np.ones((m, pad), dtype=np.int64)], axis=1)
    b = np.concatenate([S[:, lo:hi], np.zeros((m, pad), dtype=np.int64)], axis=1)
    c = np.zeros_like(a)
    c[:, :n] = 1
    e = 1 - c                                                # identity matrices as padding
    L = np.concatenate([lg[:, lo:hi], np.zeros((m, pad))], axis=1)
    levels = []
    w = 1
    while True:
        levels.append((L.max(axis=1) < 61.0, a, b, c, e))
        if w >= K:
            break
        # neighbours multiplied, the later one on the left (Y X); a row whose blocks do not
        # fit at this width wraps around here, and uses a narrower level
        L = L[:, 0::2] + L[:, 1::2]
        Xa, Xb, Xc, Xe = a[:, 0::2], b[:, 0::2], c[:, 0::2], e[:, 0::2]
        Ya, Yb, Yc, Ye = a[:, 1::2], b[:, 1::2], c[:, 1::2], e[:, 1::2]
        with np.errstate(over="ignore"):
            a, b, c, e = (Ya * Xa + Yb * Xc, Ya * Xb + Yb * Xe,
                          Yc * Xa + Ye * Xc, Yc * Xb + Ye * Xe)
        w *= 2
    level = np.zeros(m, dtype=np.int64)                      # the widest that fits
    for li, (fits, *_) in enumerate(levels):
        level[fits] = li
    out: list = []
    for li, (_fits, a, b, c, e) in enumerate(levels):
        sel = np.nonzero(level == li)[0]
        if sel.size:
            out.append((sel, tuple(x[sel].astype(object) for x in (a, b, c, e))))
    return out


def _rate_from(qa, qb, u0, depth):
    """The end of :func:`fast_rate`: the rate from ``q_n``, ``q_{2n}`` and ``u_{2n}``."""
    if qa == 0 or qb == 0:
        return None
    num, den = abs(u0), abs(qa * qb)
    if num == 0:
        return math.inf
    g = math.gcd(num, den)             # the reduced difference, as convergence_rate has it
    return ((den // g).bit_length() - (num // g).bit_length()) / _LOG2_10 / depth


def fast_rate(terms, signs, n: int = 100, *, depth=None):
    """``SCF.convergence_rate(n)`` computed from the first ``2 n + 1`` quotients with
    Python integers, or ``None`` when fewer quotients are given (``depth=`` is the old name of
    ``n``, deprecated).

    The convergents follow the SCF convention ``p_n = a_n p_{n-1} + s_{n-1} p_{n-2}``; the rate
    is ``-log10|p_n/q_n - p_{2n}/q_{2n}| / n`` at ``n = depth`` (the same number as
    :meth:`~esma_sympy.SCF.convergence_rate`, at a fraction of the cost).

    >>> round(fast_rate([1] * 401, (1,), 200), 3)        # golden ratio: 2 log10(phi)
    0.418
    """
    depth = n if depth is None else renamed_keyword("fast_rate", "depth", depth, "n", n,
                                                    default=100)
    if len(terms) <= 2 * depth:
        return None
    # p_m q_n - p_n q_m = +-(s_0 ... s_n) u_m with u the continuant of a_{n+2}, ..., a_m
    # (u_{n+1} = 1, u_n = 0): the difference needs q_n, q_{2n} and u_{2n}, not p, and does not
    # depend on a_0 (members of a translation class share it)
    P = len(signs)
    sg = [int(x) for x in signs] * (2 * depth // P + 2)
    sg = [sg[-1]] + sg                     # sg[n] = s_{n-1}
    ts = terms[: 2 * depth + 1]
    ts = ts.tolist() if hasattr(ts, "tolist") else [int(t) for t in ts]
    q1, q0 = 0, 1
    for n in range(1, depth + 1):
        q1, q0 = q0, ts[n] * q0 + sg[n] * q1
    qa = q0
    u1, u0 = 0, 1
    for n in range(depth + 1, 2 * depth + 1):
        q1, q0 = q0, ts[n] * q0 + sg[n] * q1
        if n > depth + 1:
            u1, u0 = u0, ts[n] * u0 + sg[n] * u1
    return _rate_from(qa, q0, u0, depth)


#: while :func:`constant_texts_memo` runs: id(constant) -> (constant, its text)
_TEXT_MEMO: list = []


def _constant_text(constant) -> str:
    if _TEXT_MEMO:
        memo = _TEXT_MEMO[-1]
        got = memo.get(id(constant))
        if got is not None and got[0] is constant:
            return got[1]
        text = memo[id(constant)] = (constant, _printed(constant))
        return text[1]
    return _printed(constant)


@lru_cache(maxsize=256)
def _printed(constant) -> str:
    return str(constant)


@contextlib.contextmanager
def constant_texts_memo():
    """Within the block, the text of each constant (object) and of each LHS (object) is
    computed once for the records' texts, looked up by identity, not through a cache keyed
    by the SymPy object (whose hash is computed in Python, twice per
    :meth:`Conjecture.to_dict`).

    >>> from sympy import E
    >>> with constant_texts_memo():
    ...     _constant_text(E), _constant_text(E)
    ('E', 'E')
    """
    _TEXT_MEMO.append({})
    try:
        yield
    finally:
        _TEXT_MEMO.pop()


@lru_cache(maxsize=65536)
def _polys_text(polys: tuple) -> tuple:
    return tuple(poly_text(p) for p in polys)


def poly_text(coeffs: tuple) -> str:
    """``str`` of the residue polynomial with these coefficients (low degree first) in ``k``,
    written from the coefficients (:func:`~esma_sympy.search.text.poly_str`, SymPy's
    spelling without building the expression).

    >>> from fractions import Fraction
    >>> poly_text((3, 2)), poly_text((Fraction(1, 2), Fraction(-1, 2)))
    ('2*k + 3', '1/2 - k/2')
    """
    return poly_str(coeffs, "k")


def _poly_expr(coeffs):
    return sum((Rational(c.numerator, c.denominator) * _K**i for i, c in enumerate(coeffs)),
               Rational(0))


def _signs_text(signs) -> str:
    return "".join("+" if s > 0 else "-" for s in signs)


def _quotients_latex(prefix, polys, cap: int = 8) -> str:
    r"""The quotients briefly: the prefix, then the residue polynomials under a bar (repeated
    for ``k = 0, 1, 2, ...``), each list cut after ``cap`` entries.

    >>> from fractions import Fraction as F
    >>> _quotients_latex((3,), ((F(3), F(2)), (F(2),)))
    '3, \\overline{2 k + 3, 2}'
    """
    def cut(items):
        items = list(items)
        return items[:cap] + [r"\dots"] if len(items) > cap else items

    pre = cut(str(int(a)) for a in prefix)
    per = cut(latex(_poly_expr(p)) for p in polys)
    return ", ".join(pre + [r"\overline{" + ", ".join(per) + "}"])


def _rates(c) -> tuple:
    """``(rate, simple rate)`` of a conjecture, ``None`` where not available (cheap: integer
    arithmetic on the certified terms; the simple quotients of the constant are cached)."""
    try:
        r = c.rate()
    except Exception:  # noqa: BLE001 - a representation must not fail
        r = None
    try:
        s = c.simple_rate()
    except Exception:  # noqa: BLE001
        s = None
    return tuple(x if x is not None and math.isfinite(x) else None for x in (r, s))


def _rate_cells(r, s) -> tuple:
    """``('1.195', '0.598 (2.0x)')``: digits per term, and those of the simple continued
    fraction with the ratio."""
    rt = "n/a" if r is None else f"{r:.3f}"
    st = "n/a" if s is None else f"{s:.3f}"
    if r is not None and s:
        st += f" ({r / s:.1f}×)"
    return rt, st


@dataclass(eq=False)
class Conjecture:
    """``lhs = SCF(quotients, signs)``, found and approved by ESMA.

    Attributes
    ==========

    constant : Expr
        The constant ``c``.
    lhs : LHS
        ``P(c)/Q(c)`` (see :attr:`lhs_expr` for the SymPy expression).
    signs : tuple
        The sign pattern ``sigma`` (anchored at index 0).
    prefix : tuple of int
        The irregular quotients ``a_0, ..., a_{n0-1}``.
    polys : tuple of tuples of Fraction
        ``P_r`` as coefficient tuples in ``k`` (low degree first), ``a(n0 + T k + r) = P_r(k)``.
    charpoly : tuple of int
        The characteristic polynomial of the minimal recurrence (low degree first, monic).
    first_terms : tuple of int
        The certified quotients ``a_0, ..., a_{3 depth - 1}`` of the LHS.
    found_on, predicted : int
        Terms the recurrence was found on, and further terms it predicted exactly.
    digits : int
        Decimal digits of agreement between the LHS and the infinite SCF, proven by an error
        bound (theory T5.3).
    family : int
        The number of its family in its :class:`SearchResult` (conjectures whose quotients
        share a tail), ``-1`` until the result's :attr:`~SearchResult.families` are first
        asked for (the command ``esma search`` always asks).
    proof_status, closed_form :
        ``ProofStatus.CONJECTURED`` (equal to the string ``"conjectured"``) and ``None`` until
        :func:`esma_sympy.prove` or ``prove_all`` fills them with the proof's
        :class:`~esma_sympy.verdict.ProofStatus` and closed form.

    The fold into a polynomial continued fraction is :attr:`pcf` (a
    :class:`~esma_sympy.transforms.Fold`: ``c.pcf.pcf`` is the PCF, ``c.pcf.mobius`` the map
    from its value to the LHS).

    Examples
    ========

    >>> from sympy import E
    >>> from esma_sympy import esma_search
    >>> c = esma_search(E, coeff_limit=1, max_period=2).find(E, signs=(-1, 1))[0]
    >>> c
    Conjecture(E, signs=(-+), prefix=[3], P=[2*k + 3, 2], digits=707)
    >>> c.scf.terms(6), c.complexity, c.latex().startswith('e = 3 -')
    ([3, 3, 2, 5, 2, 7], 5, True)
    """

    constant: object
    lhs: object
    signs: tuple
    prefix: tuple
    polys: tuple
    charpoly: tuple
    first_terms: tuple
    found_on: int
    predicted: int
    digits: int
    family: int = -1
    proof_status: ProofStatus = ProofStatus.CONJECTURED
    closed_form: object = None
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def _record(cls, constant, lhs, signs, prefix, polys, charpoly, a0, row, found_on,
                predicted, digits) -> "Conjecture":
        """The search's constructor: the same object as ``Conjecture(...)`` with these fields
        and the defaults, built without the dataclass ``__init__`` (thousands per search).
        ``first_terms`` is ``(a0,) + tuple(row[1:])``, built on first access from ``row`` (a
        NumPy row shared by a translation class); ``prefix`` may be given as its length ``n0``,
        and is then ``first_terms[:n0]``, built on first access.

        >>> import numpy as np
        >>> from esma_sympy.search.lhs import LHS
        >>> a = Conjecture._record(1, LHS((0, 1), (1,)), (1,), (), ((1,),), (-1, 1), 5,
        ...                        np.array([0, 1, 1]), 2, 4, 9)
        >>> b = Conjecture(1, LHS((0, 1), (1,)), (1,), (), ((1,),), (-1, 1), (5, 1, 1), 2, 4, 9)
        >>> a.first_terms, a._cache, vars(a) == vars(b)
        ((5, 1, 1), {}, True)
        >>> Conjecture._record(1, LHS((0, 1), (1,)), (1,), 2, ((1,),), (-1, 1), 5,
        ...                    np.array([0, 1, 1]), 2, 4, 9).prefix
        (5, 1)
        """
        obj = object.__new__(cls)
        if prefix.__class__ is int:
            obj.__dict__ = {"constant": constant, "lhs": lhs, "signs": signs, "_n0": prefix,
                            "polys": polys, "charpoly": charpoly, "found_on": found_on,
                            "predicted": predicted, "digits": digits, "family": -1,
                            "proof_status": ProofStatus.CONJECTURED, "closed_form": None,
                            "_a0": a0, "_row": row}
        else:
            obj.__dict__ = {"constant": constant, "lhs": lhs, "signs": signs, "prefix": prefix,
                            "polys": polys, "charpoly": charpoly, "found_on": found_on,
                            "predicted": predicted, "digits": digits, "family": -1,
                            "proof_status": ProofStatus.CONJECTURED, "closed_form": None,
                            "_a0": a0, "_row": row}
        return obj

    def __getattr__(self, name):
        # only reached for attributes not in the instance dict: a record of the search builds
        # its first_terms (and its cache) here, once
        d = self.__dict__
        if name == "prefix" and "_n0" in d:
            n0 = d["_n0"]
            if not n0:
                prefix = ()
            elif "_row" in d:
                prefix = (d["_a0"],) + tuple(d["_row"][1:n0].tolist())
            else:
                prefix = d["first_terms"][:n0]
            d["prefix"] = prefix
            del d["_n0"]
            return prefix
        if name == "first_terms" and "_row" in d:
            terms = d["first_terms"] = (d.pop("_a0"),) + tuple(d.pop("_row")[1:].tolist())
            return terms
        if name == "_cache" and "constant" in d:
            cache = d["_cache"] = {}
            return cache
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getstate__(self):
        self.prefix                          # noqa: B018 - a pickle carries plain fields
        self.first_terms                     # noqa: B018
        self._cache                          # noqa: B018
        return self.__dict__

    # -- SymPy views (built on demand) ---------------------------------------------------------
    @property
    def period(self) -> int:
        return len(self.polys)

    @property
    def complexity(self) -> int:
        """The linear complexity (order of the minimal recurrence)."""
        return len(self.charpoly) - 1

    @cached_property
    def lhs_expr(self):
        """``P(c)/Q(c)`` as a SymPy expression."""
        return self.lhs.expr(self.constant)

    @cached_property
    def lhs_text(self) -> str:
        """The LHS as text in the constant's own notation, e.g. ``E/(E - 1)`` (parseable by
        ``esma_sympy.numeric.parse.parse_constant``)."""
        name = _constant_text(self.constant)
        if _TEXT_MEMO:                  # records of one LHS share its text (constant_texts_memo)
            memo, key = _TEXT_MEMO[-1], ("lhs", id(self.lhs), name)
            got = memo.get(key)
            if got is not None and got[0] is self.lhs:
                return got[1]
            text = self.lhs.text(name)
            memo[key] = (self.lhs, text)
            return text
        return self.lhs.text(name)

    @cached_property
    def quotients(self):
        """The partial quotients as a :class:`~esma_sympy.QuasiPolynomial`."""
        from ..cf import QuasiPolynomial

        return QuasiPolynomial(list(self.prefix), [_poly_expr(p) for p in self.polys], _K)

    @cached_property
    def scf(self):
        """The right-hand side as an :class:`~esma_sympy.SCF`."""
        from ..cf import SCF

        return SCF(self.quotients, self.signs)

    @cached_property
    def recurrence(self):
        """The minimal recurrence of the quotients as a ``LinearRecurrence``."""
        from ..recurrence import LinearRecurrence

        L = len(self.charpoly) - 1
        coeffs = [-self.charpoly[L - i] for i in range(1, L + 1)]
        return LinearRecurrence(coeffs, list(self.first_terms[:L]))

    @cached_property
    def pcf(self):
        """The SCF folded into a polynomial continued fraction, or ``None`` when folding is not
        available."""
        try:
            from ..transforms import fold
        except ImportError:
            return None
        return fold(self)

    def rate(self, n: int = 100, *, depth=None) -> float:
        """Convergence rate of the SCF in digits per term (as ``self.scf.convergence_rate(n)``,
        computed on machine integers, without building the SymPy objects; ``depth=`` is the
        old name of ``n``, deprecated)."""
        depth = n if depth is None else renamed_keyword("rate", "depth", depth, "n", n,
                                                        default=100)
        key = ("rate", depth)
        if key not in self._cache:
            row = self.__dict__.get("_row")
            if row is not None and len(row) > 2 * depth:
                # the rate depends on a_1, a_2, ... and the signs only: one per class row
                rates = _row_rates(row)
                r = rates.get((self.signs, depth), False)
                if r is False:
                    r = rates[self.signs, depth] = fast_rate(row, self.signs, depth)
                if r is not None:
                    self._cache[key] = r
                    return r
            terms = self.first_terms
            if len(terms) <= 2 * depth:
                terms = self._terms(2 * depth + 1)
            r = fast_rate(terms, self.signs, depth)
            if r is None:
                from ..errors import DivergenceError

                raise DivergenceError(f"zero denominator at depth {depth} or {2 * depth}")
            self._cache[key] = r
        return self._cache[key]

    def _terms(self, count: int) -> list:
        """``a_0, ..., a_{count-1}`` from the prefix and the residue polynomials."""
        n0, T = len(self.prefix), len(self.polys)
        out = [int(x) for x in self.prefix[:count]]
        i = len(out)
        while i < count:
            k, r = divmod(i - n0, T)
            v = sum(c * k**j for j, c in enumerate(self.polys[r]))
            out.append(int(v))
            i += 1
        return out

    def simple_rate(self, n: int = 100, *, depth=None) -> float:
        """Convergence rate of the simple continued fraction of the same LHS (digits per term,
        at ``n`` as :meth:`rate`; ``depth=`` is the old name of ``n``, deprecated)."""
        depth = n if depth is None else renamed_keyword("simple_rate", "depth", depth, "n", n,
                                                        default=100)
        got = self._cache.get(("simple_rate", depth))      # from prime_simple_rates
        return _simple_rate_of(self.lhs, self.constant, depth) if got is None else got

    @cached_property
    def lhs_latex(self) -> str:
        r"""The LHS in LaTeX in natural order, as :attr:`lhs_text` (``\frac{e}{e - 1}``).

        ``P(c)/Q(c)`` is printed as a polynomial in a symbol that prints as the constant
        (bracketed when the constant is a product or sum), so the terms come in descending
        degree; ``lhs_expr`` would be ordered as a number, ``-1 + e``.
        """
        from sympy import Dummy
        from sympy.printing.precedence import PRECEDENCE, precedence_traditional

        c, name = Dummy("c"), latex(self.constant)
        if precedence_traditional(self.constant) < PRECEDENCE["Pow"] or name[:1].isdigit():
            name = rf"\left({name}\right)"
        return latex(self.lhs.expr(c), symbol_names={c: name})

    def latex(self) -> str:
        r"""The identity ``LHS = SCF`` in LaTeX.

        >>> from sympy import E
        >>> from esma_sympy import esma_search
        >>> c = esma_search(E, lhs=["E/(E - 1)"], max_period=2).find(signs=(1, -1))[0]
        >>> print(c.latex())
        \frac{e}{e - 1} = 1 + \cfrac{1}{2 - \cfrac{1}{3 + \cfrac{1}{2 - \cfrac{1}{5 + \dotsb}}}}
        """
        return f"{self.lhs_latex} = {self.scf.to_latex()}"

    def to_dict(self, terms: int = 30, *, fold: bool = True) -> dict:
        """A JSON-ready dictionary (fields of ``esma search --json``).

        ``fold=False`` leaves ``pcf`` as ``None`` without computing it (folding is symbolic and
        costs about 0.1-0.5 s per conjecture).
        """
        fold = self.pcf if fold else None
        pcf, mob = None, None
        if fold is not None:
            pcf = str(getattr(fold, "pcf", fold))
            G = getattr(fold, "mobius", None)
            if G is not None and not getattr(fold, "is_exact_value", True):
                mob = [[str(G[0, 0]), str(G[0, 1])], [str(G[1, 0]), str(G[1, 1])]]
        rate = self.rate()                   # before first_terms: a record's class row is shared
        d = self.__dict__
        if "_row" in d:
            head = [d["_a0"]] + d["_row"][1:terms].tolist() if terms > 0 else []
        else:
            head = list(self.first_terms[:terms])
        return {
            "constant": _constant_text(self.constant),
            "lhs": self.lhs_text,
            "signs": list(self.signs),
            "terms": head,
            "prefix": list(self.prefix),
            "period": self.period,
            "quotients": list(_polys_text(self.polys)),
            "complexity": self.complexity,
            "found_on": self.found_on,
            "predicted": self.predicted,
            "digits": self.digits,
            "rate": round(rate, 6),
            "simple_rate": round(self.simple_rate(), 6),
            "pcf": pcf,
            "pcf_mobius": mob,
            "closed_form": None if self.closed_form is None else str(self.closed_form),
            "proof_status": str(self.proof_status),
            "family": self.family,
        }

    def __repr__(self) -> str:
        qs = ", ".join(poly_text(p) for p in self.polys)
        pre = ", ".join(map(str, self.prefix))
        sg = "".join("+" if s > 0 else "-" for s in self.signs)
        return f"Conjecture({self.lhs_text}, signs=({sg}), prefix=[{pre}], P=[{qs}], digits={self.digits})"

    def _repr_latex_(self) -> str:
        r"""The identity in a notebook: ``$\displaystyle LHS = SCF$`` (:meth:`latex`).

        >>> from sympy import E
        >>> from esma_sympy import esma_search
        >>> c = esma_search(E, lhs=["E/(E - 1)"], max_period=2).find(signs=(1, -1))[0]
        >>> c._repr_latex_()[:37]
        '$\\displaystyle \\frac{e}{e - 1} = 1 + '
        """
        return f"$\\displaystyle {self.latex()}$"

    def _repr_html_(self) -> str:
        r"""The identity in a notebook: the formula (typeset by MathJax) and a small table of
        facts: sign pattern, quotients and their recurrence, verified digits, digits per term
        against the simple continued fraction, proof status (and closed form, family when
        known).  Built from the stored fields; nothing is folded or proven.

        >>> from sympy import E
        >>> from esma_sympy import esma_search
        >>> c = esma_search(E, lhs=["E/(E - 1)"], max_period=2).find(signs=(1, -1))[0]
        >>> h = c._repr_html_()
        >>> h.startswith('<div class="esma-conjecture">'), h.count("<tr>"), "conjectured" in h
        (True, 6, True)
        """
        from .._notebook import esc, math_html, status_html

        r, s = _rates(self)
        rt, st = _rate_cells(r, s)
        rows = [("signs", f"<code>({esc(_signs_text(self.signs))})</code>, period {len(self.signs)}"),
                ("quotients", math_html(_quotients_latex(self.prefix, self.polys))
                 + f", a recurrence of order {self.complexity}"),
                ("verified digits", f"{self.digits} (recurrence found on {self.found_on} terms, "
                                    f"{self.predicted} more predicted)"),
                ("digits per term", f"{esc(rt)}; simple continued fraction: {esc(st)}"),
                ("status", status_html(self.proof_status))]
        if self.closed_form is not None:
            rows.append(("closed form", math_html(latex(self.closed_form))))
        if self.family >= 0:
            rows.append(("family", str(self.family)))
        rows.insert(0, ("constant", math_html(latex(self.constant))))
        body = "".join(f'<tr><th style="text-align:left">{esc(k)}</th><td style="text-align:left">'
                       f"{v}</td></tr>" for k, v in rows)
        return (f'<div class="esma-conjecture">{math_html(self.latex(), display=True)}'
                f"<table>{body}</table></div>")


@dataclass
class SearchStats:
    """Counts and times of one search (``SearchResult.stats``).

    >>> from sympy import E
    >>> from esma_sympy import esma_search
    >>> st = esma_search(E, coeff_limit=1, max_period=2).stats
    >>> st.lhs, st.patterns, st.pairs, st.conjectures
    (24, 4, 96, 72)
    """

    lhs: int = 0
    patterns: int = 0
    pairs: int = 0
    classes: int = 0
    expanded_terms: int = 0
    survivors_filter: int = 0
    rejected_prediction: int = 0
    rejected_not_quasi_polynomial: int = 0
    rejected_digits: int = 0
    short_expansions: int = 0
    conjectures: int = 0
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)

    #: The counters that add up over work units.
    COUNTERS = ("classes", "expanded_terms", "survivors_filter", "rejected_prediction",
                "rejected_not_quasi_polynomial", "rejected_digits", "short_expansions")

    def add(self, counters: dict, timings: dict) -> None:
        """Add one work unit's counters and phase timings (missing keys count as 0).

        >>> st = SearchStats()
        >>> st.add({"classes": 3}, {"expand": 0.5}); st.add({"classes": 2}, {"expand": 0.25})
        >>> st.classes, st.timings
        (5, {'expand': 0.75})
        """
        for f in self.COUNTERS:
            setattr(self, f, getattr(self, f) + counters.get(f, 0))
        for k, v in timings.items():
            self.timings[k] = self.timings.get(k, 0.0) + v

    @property
    def pairs_per_second(self) -> float:
        return self.pairs / self.seconds if self.seconds else float("inf")


@dataclass
class SearchResult:
    """The conjectures of a search (in a deterministic order), its parameters and statistics.

    >>> from sympy import E
    >>> from esma_sympy import esma_search
    >>> res = esma_search(E, coeff_limit=1, max_period=2)
    >>> len(res), len(res.families), len(res.find(E)), res.params["depth"]
    (72, 5, 3, 100)
    >>> res                                 # a summary, not 72 records
    SearchResult(E: 72 conjectures from 96 (LHS, pattern) pairs; lhs_degree=1, coeff_limit=1, periods 1-2, depth=100)
    >>> res[0]
    Conjecture(-E - 1, signs=(+), prefix=[-4, 3], P=[1, 1, 2*k + 4], digits=438)
    """

    constant: object
    params: dict
    conjectures: list
    stats: SearchStats

    def __len__(self) -> int:
        return len(self.conjectures)

    def __iter__(self):
        return iter(self.conjectures)

    def __getitem__(self, i):
        return self.conjectures[i]

    def __repr__(self) -> str:
        p, n = self.params, len(self.conjectures)
        return (f"SearchResult({self.constant}: {n} conjecture{'' if n == 1 else 's'} from "
                f"{self.stats.pairs} (LHS, pattern) pairs; lhs_degree={p.get('lhs_degree')}, "
                f"coeff_limit={p.get('coeff_limit')}, periods {p.get('min_period')}-"
                f"{p.get('max_period')}, depth={p.get('depth')})")

    # -- notebook representations ---------------------------------------------------------------
    def _family_rows(self, limit: int):
        """``(rows, families, proven)``: the first ``limit`` families as ``(id,
        representative, members, statuses)``, the number of families and of proven
        conjectures.  The representative is the family's simplest member (lowest recurrence
        order, then shortest sign pattern, then first found), as in the reports."""
        from collections import Counter

        fams = self.families
        rows = []
        for fid, members in enumerate(fams[:limit]):
            rep = min(enumerate(members), key=lambda im: (im[1].complexity, len(im[1].signs), im[0]))[1]
            rows.append((fid, rep, members, Counter(str(c.proof_status) for c in members)))
        proven = sum(1 for c in self.conjectures if c.proof_status == ProofStatus.PROVEN)
        return rows, len(fams), proven

    def _summary(self, n_fams: int, proven: int) -> tuple:
        """``(counts, parameters)``: two lines of text heading the representations."""
        p, n = self.params, len(self.conjectures)
        return (f"{n} conjecture{'' if n == 1 else 's'} in {n_fams} "
                f"famil{'y' if n_fams == 1 else 'ies'}, {proven} proven",
                f"{self.stats.pairs} (LHS, pattern) pairs, lhs_degree={p.get('lhs_degree')}, "
                f"coeff_limit={p.get('coeff_limit')}, periods {p.get('min_period')}-"
                f"{p.get('max_period')}, depth={p.get('depth')}")

    def _repr_html_(self) -> str:
        r"""The result in a notebook: a header with the counts and a table with one row per
        family (conjectures sharing a tail): its simplest member's LHS (typeset by MathJax),
        sign pattern, number of members, quotients (the prefix, then the residue polynomials
        under a bar) and recurrence order, digits per term against the simple continued
        fraction of the same LHS, and the proof statuses.  At most 20 families are listed,
        then "… and N more".

        >>> from sympy import E
        >>> from esma_sympy import esma_search
        >>> res = esma_search(E, coeff_limit=1, max_period=2)
        >>> h = res._repr_html_()
        >>> h.startswith('<div class="esma-search-result">'), h.count('<tr class="esma-family">')
        (True, 5)
        >>> "72 conjectures in 5 families" in h
        True
        """
        from .._notebook import MAX_ROWS, esc, math_html

        rows, n_fams, proven = self._family_rows(MAX_ROWS)
        head = ("<tr><th>family</th><th>LHS</th><th>signs</th><th>members</th>"
                "<th>quotients</th><th>order</th><th>digits per term</th>"
                "<th>simple CF</th><th>status</th></tr>")
        body = []
        for fid, rep, members, statuses in rows:
            rt, st = _rate_cells(*_rates(rep))
            status = ", ".join(f"{k} {v}" if len(statuses) > 1 else k for k, v in statuses.items())
            body.append(f'<tr class="esma-family"><td>{fid}</td><td>{math_html(rep.lhs_latex)}</td>'
                        f"<td><code>{esc(_signs_text(rep.signs))}</code></td><td>{len(members)}</td>"
                        f"<td>{math_html(_quotients_latex(rep.prefix, rep.polys))}</td>"
                        f"<td>{rep.complexity}</td><td>{esc(rt)}</td><td>{esc(st)}</td>"
                        f"<td>{esc(status)}</td></tr>")
        if n_fams > len(rows):
            rest = len(self.conjectures) - sum(len(r[2]) for r in rows)
            body.append(f'<tr><td colspan="9">… and {n_fams - len(rows)} more families '
                        f"({rest} conjectures)</td></tr>")
        note = ("" if not rows else
                "<p><small>One row per family, shown by its simplest member; quotients "
                "\\(a_0, a_1, \\dots\\): the barred residues repeat for k = 0, 1, 2, …; "
                "order: of the quotients' minimal recurrence; digits per term at n = 100.</small></p>")
        counts, params = self._summary(n_fams, proven)
        return (f'<div class="esma-search-result"><p><b>SearchResult</b> for '
                f"{math_html(latex(self.constant))}: {esc(counts)}<br>"
                f"<small>{esc(params)}</small></p>"
                f'<table><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>{note}</div>')

    def _repr_latex_(self) -> str:
        r"""The result in a notebook as a LaTeX array ``$$\begin{array}...$$``: the counts,
        then one row per family (LHS, signs, members, digits per term and those of the simple
        continued fraction), at most 20 families, then "… and N more".

        >>> from sympy import E
        >>> from esma_sympy import esma_search
        >>> t = esma_search(E, coeff_limit=1, max_period=2)._repr_latex_()
        >>> t.startswith("$$") and t.endswith("$$"), t.count(r"\\" + "\n")   # 2 heading lines, titles, 5 families
        (True, 8)
        """
        from .._notebook import MAX_ROWS, tex_text

        rows, n_fams, proven = self._family_rows(MAX_ROWS)
        lines = [" & ".join(tex_text(t) for t in ("family", "LHS", "signs", "members",
                                                   "digits per term", "simple CF")) + " \\\\\n\\hline"]
        for fid, rep, members, _ in rows:
            rt, st = _rate_cells(*_rates(rep))
            sg = "".join("{" + ch + "}" for ch in _signs_text(rep.signs))
            st = st.replace("×", r"\times").replace(" (", r"\ (")       # digits, parentheses
            lines.append(f"{fid} & {rep.lhs_latex} & {sg} & {len(members)} & {rt} & {st} \\\\")
        counts, params = self._summary(n_fams, proven)
        out = [tex_text("SearchResult for ") + latex(self.constant) + tex_text(": " + counts),
               tex_text(params),
               "\\begin{array}{rlcrrl}\n" + "\n".join(lines) + "\n\\end{array}"]
        if n_fams > len(rows):
            out.append(tex_text(f"… and {n_fams - len(rows)} more families"))
        return "$$\\begin{array}{l}\n" + " \\\\\n".join(out) + "\n\\end{array}$$"

    def find(self, lhs=None, signs=None) -> list:
        """Conjectures with the given LHS and/or sign pattern.

        ``lhs`` is an expression in the constant (or an ``LHS``); it is matched by value, like
        the enumeration (``(tP)/(tQ)`` finds ``P/Q``; ``-v`` is another value, theory T5.6).
        """
        from .lhs import LHS, lhs_from_expr

        target = None
        if lhs is not None:
            target = (lhs if isinstance(lhs, LHS) else lhs_from_expr(lhs, self.constant)).canonical()
        sg = None if signs is None else tuple(signs)
        return [c for c in self.conjectures
                if (sg is None or sg == tuple(c.signs)) and (target is None or target == c.lhs.canonical())]

    @cached_property
    def by_value(self) -> dict:
        """Conjectures grouped by equal value: ``{LHS: [conjectures]}`` (one LHS, many patterns)."""
        groups: dict = {}
        for c in self.conjectures:
            groups.setdefault(c.lhs, []).append(c)
        return groups

    @cached_property
    def families(self) -> list:
        """Conjectures grouped by Möbius relation: members share a tail of quotients and signs,
        so each LHS is an integer Möbius image of the others' (theory T5.4)."""
        return _families(self.conjectures)


_ITEM = array("q").itemsize


def fastest(conjectures, n: int = 100, *, depth=None):
    """The conjecture of largest :meth:`Conjecture.rate` (the first one among equals), or
    ``None`` for an empty list.

    Exact rates are computed only for the conjectures that can win: float bounds of every
    rate come first, from ``q_n`` and the tail ``x_{n+1} in (1, a_{n+1} + 1)`` of a
    semi-regular fraction, ``-log10|x - p_n/q_n| in [log10(q_n |q_n + s_n q_{n-1}|),
    log10(q_n (q_n (a_{n+1} + 1) + q_{n-1}))]``, widened by a margin; a conjecture whose upper
    bound is below the best lower bound is not the fastest.

    >>> from sympy import E
    >>> from esma_sympy import esma_search
    >>> res = esma_search(E, coeff_limit=1, max_period=2)
    >>> best = fastest(res.conjectures)
    >>> best.rate() == max(c.rate() for c in res.conjectures)
    True
    """
    depth = n if depth is None else renamed_keyword("fastest", "depth", depth, "n", n,
                                                    default=100)
    conjs = list(conjectures)
    if not conjs:
        return None
    lo = np.full(len(conjs), -np.inf)
    hi = np.full(len(conjs), np.inf)
    idx, rows, signs, at = [], [], [], []
    same: dict = {}                     # records sharing a class row and signs share bounds
    for i, c in enumerate(conjs):
        d = c.__dict__
        row = d.get("_row")             # a search record: its class row (a_0 is not needed)
        if row is not None:
            if len(row) > 2 * depth + 1:
                idx.append(i)
                key = (id(row), c.signs)
                k = same.get(key)
                if k is None:
                    k = same[key] = len(rows)
                    rows.append(row[1: depth + 2])
                    signs.append(c.signs)
                at.append(k)
        elif len(c.first_terms) > 2 * depth + 1:
            idx.append(i)
            at.append(len(rows))
            rows.append(c.first_terms[1: depth + 2])
            signs.append(c.signs)
    if idx:
        # one row per quotient (contiguous), one column per distinct sequence
        A = np.array(rows, dtype=np.float64).T
        S = np.ascontiguousarray(
            (1.0 - 2.0 * np.array([_sign_bits(tuple(sg), depth + 1) for sg in signs],
                                  dtype=np.float64)).T)
        with np.errstate(all="ignore"):
            r = A[0].copy()                         # r_k = q_k / q_{k-1}
            lq = np.log10(np.abs(r))
            for k in range(1, depth):
                r = A[k] + S[k] / r
                lq = lq + np.log10(np.abs(r))
            a_next, s_n = A[depth], S[depth]
            low = (2 * lq + np.log10(np.abs(1 + s_n / r))) / depth
            up = (2 * lq + np.log10(np.abs(a_next) + 1 + 1 / np.abs(r))) / depth
        margin = 0.05
        ok = np.isfinite(low) & np.isfinite(up) & (r > 0)
        at = np.array(at, dtype=np.int64)
        lo[idx] = np.where(ok, low - margin, -np.inf)[at]
        hi[idx] = np.where(np.isfinite(up), up + margin, np.inf)[at]
    cut = lo.max()
    best = None
    for i, c in enumerate(conjs):
        if hi[i] >= cut and (best is None or c.rate(depth) > best.rate(depth)):
            best = c
    return best


_SIGN_BIT_OK = 1 << 61
_BITS: dict = {}


def _sign_bits(signs: tuple, n: int):
    key = (signs, n)
    b = _BITS.get(key)
    if b is None:
        if len(_BITS) > 4096:
            _BITS.clear()
        b = _BITS[key] = np.array([1 if signs[j % len(signs)] < 0 else 0 for j in range(n)],
                                  dtype=np.int64)
    return b


def _pair_code(c, ids: dict):
    """``(bytes, n)``: the (quotient, sign) sequence of ``c``'s certified terms as int64 codes
    (``2 a + [s < 0]``, an injective code while ``|a| < 2^61``; the dictionary ``ids`` numbers
    the pairs otherwise, in a separate, negative range), without building ``first_terms``
    when the record still holds its NumPy row."""
    d = c.__dict__
    if "_row" in d:
        terms = d["_row"].astype(np.int64, copy=True)
        terms[0] = d["_a0"]
    else:
        try:
            terms = np.array(c.first_terms, dtype=np.int64)
        except OverflowError:
            terms = None
    n = len(terms) if terms is not None else len(c.first_terms)
    p = len(c.signs)
    if terms is not None and abs(int(terms[0])) < _SIGN_BIT_OK and \
            (np.abs(terms) < _SIGN_BIT_OK).all():
        return (2 * terms + _sign_bits(tuple(c.signs), n)).tobytes(), n
    return array("q", [-1 - ids.setdefault((a, c.signs[j % p]), len(ids))
                       for j, a in enumerate(c.first_terms)]).tobytes(), n


def _families(conjs: list) -> list:
    """Union of conjectures whose (quotient, sign) sequences agree beyond some index, up to an
    index shift.  Detected on the certified terms: a window of the later part of one sequence
    found in another (both are quasi-polynomial, so agreement on a window longer than the
    combined period times (degree + 1) proves agreement of the tails).

    Conjecture ``i`` looks up its windows from ``start_i`` on, in order, among the windows that
    the conjectures before it registered (``4 x period`` each from their ``start``), and joins
    the first conjecture that registered the first window found."""
    parent = list(range(len(conjs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hits = _window_hits_hashed(conjs)
    if hits is None:               # a hash collision, or codes beyond int64: the exact path
        hits = _window_hits(*_window_plan(conjs))
    for i, hit in enumerate(hits):
        if hit >= 0:
            parent[find(i)] = find(hit)
    groups: dict = {}
    for i in range(len(conjs)):
        groups.setdefault(find(i), []).append(conjs[i])
    fams = list(groups.values())         # in order of their first members (i ascending)
    for f_id, members in enumerate(fams):
        for c in members:
            c.family = f_id
    return fams


def _window_plan(conjs: list):
    """Per conjecture: its (quotient, sign) codes (``int64`` bytes), window width, first window,
    end of the lookups and end of the registered windows."""
    codes, W, S, L, R = [], [], [], [], []
    ids: dict = {}                 # (quotient, sign) -> a small integer beyond int64 codes
    for c in conjs:
        code, n = _pair_code(c, ids)
        w, start, stop, reg_stop = _window_geometry(c, n)
        codes.append(code)
        W.append(w)
        S.append(start)
        L.append(stop)
        R.append(reg_stop)
    return codes, W, S, L, R


def _prefix_len(c) -> int:
    """``len(c.prefix)``, without building the prefix of a search record (``Conjecture.
    __getattr__`` builds it from ``_n0`` on first access)."""
    d = c.__dict__
    if "_n0" not in d:
        return len(c.prefix)
    n0 = d["_n0"]
    if not n0:
        return 0
    return 1 + len(d["_row"][1:n0]) if "_row" in d else len(d["first_terms"][:n0])


def _window_geometry(c, n: int):
    """``(width, start, lookup stop, registration stop)`` of the windows of a conjecture with
    ``n`` certified terms."""
    polys = c.polys
    per = max(len(polys) * len(c.signs), 1)
    deg = max(map(len, polys)) if polys else 1
    w = per * (deg + 1) + 2
    start = max(_prefix_len(c) + 1, n // 2)
    stop = n - w + 1
    return w, start, stop, min(stop, start + per * 4)


#: conjectures hashed at a time (about 2.5 KB of arrays per conjecture of 300 terms)
_HASH_ROWS = 4096
_HASH_BASE = 0x9E3779B97F4A7C15            # odd: invertible modulo 2**64
_HASH_WIDTH = np.uint64(0xC2B2AE3D27D4EB4F)


def _code_matrix(conjs: list):
    """``(C, n)``: the (quotient, sign) codes of :func:`_pair_code` as rows of an ``int64``
    matrix (padded with zeros) and each row's length, or ``None`` when a code would leave
    the injective range (quotients from ``2^61`` on)."""
    rows, a0_at, a0 = [], [], []
    for i, c in enumerate(conjs):
        d = c.__dict__
        r = d.get("_row")
        if r is not None and r.dtype == np.int64:
            rows.append(r)
            a0_at.append(i)
            a0.append(d["_a0"])
        else:
            try:
                rows.append(np.array(c.first_terms, dtype=np.int64))
            except OverflowError:
                return None
    lens = [len(r) for r in rows]
    if not lens or min(lens) == 0:
        return None
    n = max(lens)
    if min(lens) == n:
        T = np.array(rows, dtype=np.int64)
    else:
        T = np.zeros((len(rows), n), dtype=np.int64)
        for i, r in enumerate(rows):
            T[i, :len(r)] = r
    if a0_at:
        if max(abs(x) for x in a0) >= _SIGN_BIT_OK:
            return None
        T[a0_at, 0] = a0
    if T.size and (T.max() >= _SIGN_BIT_OK or T.min() <= -_SIGN_BIT_OK):
        return None
    C = 2 * T + np.array([_sign_bits(tuple(c.signs), n) for c in conjs], dtype=np.int64)
    return C, lens


def _window_hashes(C: np.ndarray, W, c0: int = 0) -> np.ndarray:
    """``H[i, j - c0]``: a hash of the window ``C[i, j : j + W[i]]`` and its width
    (polynomial, modulo ``2**64``, from prefix sums of ``C[i, t] * B**-t``), for ``j >= c0``;
    entries whose window runs past the row are meaningless."""
    C = C[:, c0:]
    m, n = C.shape
    with np.errstate(over="ignore"):
        B = np.uint64(_HASH_BASE)
        Binv = np.uint64(pow(_HASH_BASE, -1, 1 << 64))
        pw = np.cumprod(np.full(n + 1, B, dtype=np.uint64)) * Binv               # B^k
        ipw = np.cumprod(np.full(n, Binv, dtype=np.uint64)) * B                  # B^-k
        P = np.zeros((m, n + 1), dtype=np.uint64)
        np.cumsum(C.view(np.uint64) * ipw[None, :], axis=1, out=P[:, 1:])
        Wa = np.asarray(W, dtype=np.int64)
        end = np.minimum(np.arange(n)[None, :] + Wa[:, None], n)
        H = (np.take_along_axis(P, end, axis=1) - P[:, :n]) * pw[end - 1]
        H ^= Wa.astype(np.uint64)[:, None] * _HASH_WIDTH
    return H


def _window_hits_hashed(conjs: list):
    """:func:`_window_hits` with the windows hashed in bulk (:func:`_window_hashes`): one
    dictionary from each registered hash to its least registrant, and each hit checked
    against the bytes of that registrant's window.  ``None`` when a check fails (a hash
    collision) or the codes leave ``int64``, for the caller to take the exact path.

    Why the same hits: equal windows hash equally, so the least registrant of a window's
    hash comes no later than the least registrant of the window.  A lookup whose hash has
    no registrant before ``i`` misses nothing; one whose hash has is a hit exactly when that
    registrant's window has the same bytes (checked), and then it is the least registrant
    of the bytes too.

    Members of one translation class under one pattern share the search's class row (their
    quotients differ in ``a_0`` only, which no window holds): a later member registers
    nothing new and hits, at its first window, the least registrant of its first member's
    first window; so only first members are hashed."""
    m = len(conjs)
    if m == 0:
        return []
    geo: list = []
    first_of = [-1] * m                    # an earlier member with the same windows
    seen: dict = {}
    for i, c in enumerate(conjs):
        row = c.__dict__.get("_row")
        g = _window_geometry(c, len(row) if row is not None else len(c.first_terms))
        geo.append(g)
        if row is not None and g[3] > g[1]:              # it registers its first window
            k = seen.setdefault((id(row), tuple(c.signs), g), i)
            if k != i:
                first_of[i] = k
    own = [i for i in range(m) if first_of[i] < 0]
    needed = {k for k in first_of if k >= 0}
    chunks = [own[lo: lo + _HASH_ROWS] for lo in range(0, len(own), _HASH_ROWS)]
    reg: dict = {}                         # hash -> (least registrant, its window's bytes)
    kept = None
    for idx in chunks:
        got = _code_matrix([conjs[i] for i in idx])
        if got is None:
            return None
        C, lens = got
        g = [geo[i] for i in idx]
        W = [x[0] for x in g]
        c0 = min(x[1] for x in g)
        H = _window_hashes(C, W, c0)
        J = np.arange(c0, C.shape[1])[None, :]
        S = np.array([x[1] for x in g], dtype=np.int64)[:, None]
        R = np.array([x[3] for x in g], dtype=np.int64)[:, None]
        ri, rj = np.nonzero((J >= S) & (J < R))           # row-major: i ascending
        mv, ncol = memoryview(C).cast("B"), C.shape[1]
        # reversed, so that the least registrant of a hash is written last
        least = dict(zip(H[ri, rj][::-1].tolist(), range(ri.size - 1, -1, -1)))
        for h, f in least.items():
            if h not in reg:                               # earlier chunks come first
                r, j = int(ri[f]), int(rj[f]) + c0
                at = (r * ncol + j) * _ITEM
                reg[h] = (idx[r], bytes(mv[at: at + W[r] * _ITEM]))
        if len(chunks) == 1:
            kept = (C, H, c0)
    hits = [-1] * m
    first_hit: dict = {}
    for idx in chunks:
        if kept is not None:
            C, H, c0 = kept
        else:
            C, _ = _code_matrix([conjs[i] for i in idx])
            c0 = min(geo[i][1] for i in idx)
            H = _window_hashes(C, [geo[i][0] for i in idx], c0)
        mv, ncol = memoryview(C).cast("B"), C.shape[1]
        item, get = H.item, reg.get
        for r, i in enumerate(idx):
            w, start, stop, _ = geo[i]
            if i in needed:                                # its later members' hit
                e = reg[item(r, start - c0)]
                at = (r * ncol + start) * _ITEM
                if mv[at: at + w * _ITEM] != e[1]:
                    return None                            # a collision
                first_hit[i] = e[0]
            for j in range(start, stop):                   # stop at the first hit
                e = get(item(r, j - c0))
                if e is not None and e[0] < i:
                    at = (r * ncol + j) * _ITEM
                    if mv[at: at + w * _ITEM] != e[1]:
                        return None                        # a collision
                    hits[i] = e[0]
                    break
    for i, k in enumerate(first_of):
        if k >= 0:
            hits[i] = first_hit[k]
    return hits


def _window_hits(codes, W, S, L, R) -> list:
    """The first conjecture hit by each conjecture's windows (``-1``: none).

    Conjecture ``i`` finds a window exactly when a conjecture before it registered the same
    bytes, and then joins the least such one: so one dictionary of every registered window
    with its least registrant (filled from the last conjecture back, a bulk update each)
    answers every lookup, a registrant ``>= i`` counting as absent."""
    index: dict = {}
    for i in range(len(codes) - 1, -1, -1):
        raw, w = codes[i], W[i]
        index.update(zip([raw[j * _ITEM:(j + w) * _ITEM] for j in range(S[i], R[i])],
                         itertools.repeat(i)))
    hits = []
    get = index.get
    for i, raw in enumerate(codes):
        w, hit = W[i], -1
        for j in range(S[i], L[i]):           # windows cut lazily: stop at the first hit
            h = get(raw[j * _ITEM:(j + w) * _ITEM], i)
            if h < i:
                hit = h
                break
        hits.append(hit)
    return hits


