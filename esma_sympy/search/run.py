"""Running one work unit of an ESMA search (theory T5.1-T5.4).

1. ``c``'s simple continued fraction is expanded *certified* (``expand_quotients``).
2. Every LHS ``(a c + b)/(g c + d)`` is expanded under every sign pattern by homographic
   arithmetic from those terms, many images in lockstep (``expand_mobius_batch``).  LHS that
   differ by an integer (``v`` and ``v + m``) share all quotients but ``a_0``, so one
   representative per translation class is expanded.  LHS of higher degree (or given as
   expressions that are not Möbius images) go through the same batch: their class
   representative ``v - floor(v)`` gets its own certified simple terms (from arb balls of
   ``c``), and every pattern is expanded from them as the identity image.
3. Filter: Berlekamp–Massey modulo a prime on the first ``2 * complexity_limit + 8`` quotients
   of every pair in lockstep; complexity ``>= complexity_limit`` rejects (sound: the modular
   complexity never exceeds the rational one).  Irregular prefixes and ``a_0 = 0`` are kept.
4. Approval (:mod:`esma_sympy.search.approve`): survivors are expanded to ``3 * depth``
   certified quotients and judged by the rule of :mod:`esma_sympy.recurrence.approval`, with
   the digit bound of :mod:`esma_sympy.search.bounds`.
"""

from __future__ import annotations

import time
from fractions import Fraction
from math import lcm

import numpy as np

from .._flintctx import workprec
from .._messages import shown_repr
from ..errors import PrecisionExhausted
from ..numeric import _jit
from ..numeric.expand import expand_quotients
from ..numeric.homographic import expand_mobius_batch
from .conjecture import SearchResult, SearchStats
from .lhs import LHS
from .massey import P28, bm_batch, recurrence_holds_batch
from .approve import _approve_rows, _exact_holds_batch, _lift_batch, _mobius_classes, _no_gc
from .bounds import _digits_batch
from .plan import SearchPlan, UnitResult, WorkUnit, _named, sort_key

__all__ = ["run_unit", "merge_results"]


class _SimpleTerms:
    """Certified simple CF terms of ``c``, extended on demand (doubling the count)."""

    def __init__(self, c, count: int):
        self.c = c
        self.terms: list = []
        self.extend(count)

    def extend(self, count: int):
        if count <= len(self.terms):
            return
        qs, info = expand_quotients(self.c, (1,), terms=count)
        if info.status == "terminated":
            raise ValueError(f"constant = {_named(self.c)} is rational ({shown_repr(qs)}): "
                             "ESMA needs an irrational constant")
        if len(qs) < count:
            raise PrecisionExhausted(f"constant = {_named(self.c)}: could not certify {count} simple quotients: "
                                     f"{info.reason}",
                                     partial=qs)
        self.terms = qs


def merge_results(plan: SearchPlan, results: list, seconds: float | None = None) -> SearchResult:
    """Combine unit results (in any order) into the search result, in the global order.

    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> plan = plan_search(E, coeff_limit=1, max_period=2, lhs_chunk=5)
    >>> results = [run_unit(plan, u) for u in plan.units()]
    >>> len(results), len(merge_results(plan, results[::-1]))
    (5, 72)
    """
    stats = SearchStats(lhs=len(plan.lhs_list), patterns=plan.n_patterns, pairs=plan.n_pairs)
    conjs = []
    for r in sorted(results, key=lambda r: r.unit.index):
        conjs.extend(r.conjectures)
        stats.add(vars(r.stats), r.stats.timings)
    if len(results) > 1:               # one unit's conjectures are in order already
        conjs.sort(key=sort_key(plan))
    stats.conjectures = len(conjs)
    stats.seconds = seconds if seconds is not None else sum(stats.timings.values())
    return SearchResult(plan.constant, plan.params, conjs, stats)


_SIMPLE_CACHE: dict = {}


def _simple_terms(c, count: int) -> "_SimpleTerms":
    st = _SIMPLE_CACHE.get(c)
    if st is None:
        st = _SIMPLE_CACHE[c] = _SimpleTerms(c, count)
        if len(_SIMPLE_CACHE) > 16:
            _SIMPLE_CACHE.pop(next(iter(_SIMPLE_CACHE)))
    st.extend(count)
    return st


#: below this many (pair x quotient) steps in a whole plan (``_plan_work``), a process that has
#: not loaded the compiled kernels yet runs the NumPy path: loading numba and its cached kernels
#: (about 0.3 s) costs more than the kernels save.  Measured: the NumPy path costs about 36 us a
#: Möbius pair and 80 us a degree-2 pair at depth 100, the kernels about 5 us; the default search
#: for E (4928 pairs, work 0.49M) takes 0.18 s on the NumPy path
_JIT_MIN_WORK = 1_000_000


def _plan_work(plan: SearchPlan) -> int:
    """(pair x quotient) steps of a plan, a pair of an LHS that is not a Möbius image weighted
    2.2 (its NumPy path costs about 2.2 times a Möbius pair's, measured)."""
    general = sum(1 for v in plan.lhs_list if v.degree > 1)
    return int((len(plan.lhs_list) + 1.2 * general) * plan.n_patterns * plan.params["depth"])


def run_unit(plan: SearchPlan, unit: WorkUnit) -> UnitResult:
    """Run one work unit of a plan (pure: the same unit gives the same result anywhere).

    Small plans in a process without compiled kernels use the NumPy path (same results, the
    kernels are tested against it); see ``_JIT_MIN_WORK``.

    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> plan = plan_search(E, coeff_limit=1, max_period=2)
    >>> r = run_unit(plan, next(plan.units()))
    >>> len(r.conjectures), r.stats.pairs
    (72, 96)
    """
    if _jit.preferred() is not None:                 # the caller chose
        return _run_unit(plan, unit)
    small = _plan_work(plan) < _JIT_MIN_WORK
    with _jit.preference(False if small and not _jit.loaded() else None):
        return _run_unit(plan, unit)


def _run_unit(plan: SearchPlan, unit: WorkUnit) -> UnitResult:
    c = plan.constant
    prm = plan.params
    depth, complexity_limit, verify_digits = prm["depth"], prm["complexity_limit"], prm["verify_digits"]
    lhs_list = plan.lhs_list[unit.lhs[0]: unit.lhs[1]]
    patterns = plan.patterns.patterns(unit.segments)
    stats = SearchStats(lhs=len(lhs_list), patterns=len(patterns), pairs=len(lhs_list) * len(patterns))
    timings = stats.timings
    if not patterns or not lhs_list:
        return UnitResult(unit, [], stats)

    N_total = 3 * depth
    N1 = min(depth, 2 * complexity_limit + 8)
    t0 = time.perf_counter()
    simple = _simple_terms(c, N_total + 64)
    timings["constant"] = time.perf_counter() - t0

    # translation classes (theory T5.4): a key -> [(member lhs, shift)], and the source of
    # the class's expansions: Möbius classes are images (rep matrix) of c's simple terms;
    # any other LHS (degree >= 2) is expanded, as the identity image, from the certified
    # simple terms of its own class representative v - floor(v)
    t0 = time.perf_counter()
    classes, source_of, general = _mobius_classes(tuple(lhs_list))
    classes = dict(classes)
    source_of = dict(source_of)
    sources = [simple]
    if general:
        # translation classes, then one source of terms per plane span{P, Q}: the class
        # representatives in a plane are integer Möbius images of its first one (theory T5.4(c))
        bases: dict = {}
        for v, rep, m in _general_classes(c, general):
            key = ("general", rep)
            if key not in classes:
                plane = _plane(rep)
                if plane not in bases:
                    sources.append(_ImageTerms(c, rep, N1 + 32))
                    bases[plane] = (rep, len(sources) - 1)
                base, k = bases[plane]
                source_of[key] = (_mobius_between(base, rep), k)
            classes.setdefault(key, []).append((v, m))
    timings["general"] = time.perf_counter() - t0
    reps = list(classes)
    stats.classes = len(reps)

    P = max(len(p) for p in patterns)
    pat_arr = np.array([list(p) + [p[0]] * (P - len(p)) for p in patterns], dtype=np.int64)
    per_arr = np.array([len(p) for p in patterns], dtype=np.int64)
    rows_M = np.repeat(np.array([source_of[r][0] for r in reps], dtype=np.int64).reshape(-1, 4),
                       len(patterns), axis=0)
    rows_src = np.repeat(np.array([source_of[r][1] for r in reps], dtype=np.int64), len(patterns))
    rows_cls = np.repeat(np.arange(len(reps)), len(patterns))
    rows_pat = np.tile(np.arange(len(patterns)), len(reps))

    # phases 1 and 2: the Massey filter and the batch part of the approval, in one fused
    # compiled kernel per source of terms when the kernels are in use (rows that run out of
    # terms get more and run again); the rows the kernel hands back (state beyond int64 safety,
    # a modular-only prediction test), and every row without the kernels, take the phased path
    parts = []
    rest = np.arange(len(rows_M))
    if _jit.enabled():
        t0 = time.perf_counter()
        handed_back = []
        for k, source in enumerate(sources):
            sel = np.nonzero(rows_src == k)[0]
            for _attempt in range(5):
                if not sel.size:
                    break
                if _max_term(source) >= _SAFE_TERMS:
                    handed_back.append(sel)
                    break
                status, cnt1, Lf, Clf, exf, digf, Qf, where = _jit.core_rows(
                    np.ascontiguousarray(rows_M[sel]), np.ascontiguousarray(pat_arr[rows_pat[sel]]),
                    np.ascontiguousarray(per_arr[rows_pat[sel]]),
                    np.asarray(source.terms, dtype=np.int64), N1, depth, complexity_limit, P28,
                    _SAFE_STATE)
                cand = np.nonzero(status == 1)[0]
                stats.expanded_terms += int(cnt1[status < 2].sum()) + N_total * len(cand)
                stats.survivors_filter += len(cand)
                stats.rejected_prediction += int((~exf[cand]).sum())
                keep = where                       # the exact candidates, Qf compacted
                if keep.size:
                    parts.append((Qf, Clf[keep], Lf[keep], np.ones(len(keep), dtype=bool),
                                  np.ones(len(keep), dtype=bool), digf[keep], rows_pat[sel[keep]],
                                  rows_cls[sel[keep]]))
                handed_back.append(sel[status == 2])
                sel = sel[status == 3]              # out of terms: more terms, then again
                if sel.size:
                    source.extend(max(2 * len(source.terms), N_total + 64))
            else:
                handed_back.append(sel)
        rest = np.sort(np.concatenate(handed_back)) if handed_back else np.zeros(0, dtype=np.int64)
        timings["fused"] = time.perf_counter() - t0
    if rest.size:
        parts.append(_phased(rows_M[rest], rows_pat[rest], rows_src[rest], rows_cls[rest],
                             pat_arr, per_arr, patterns, sources, N1, depth, complexity_limit,
                             stats))
    if parts:
        Q2, Cl, L2, exact_ok, okp, digits_lb, pat2, cls2 = _concat_parts(parts, N_total)
    else:
        Q2 = np.zeros((0, N_total), dtype=np.int64)
        Cl = np.zeros((0, complexity_limit + 3), dtype=np.int64)
        L2 = pat2 = cls2 = np.zeros(0, dtype=np.int64)
        exact_ok = okp = np.zeros(0, dtype=bool)
        digits_lb = np.zeros(0)

    # phase 3: exact recurrences, structure, conjectures (per surviving class x pattern)
    t0 = time.perf_counter()
    with _no_gc():
        found = _approve_rows(c, plan, lhs_list, patterns, classes, reps, Q2, Cl, L2, exact_ok,
                              okp, digits_lb, pat2, cls2, stats)
    timings["approve_exact"] = time.perf_counter() - t0

    keys, found = found
    order = np.argsort(np.asarray(keys, dtype=np.int64), kind="stable") if keys else []
    conjs = [found[i] for i in order.tolist()] if keys else []
    stats.conjectures = len(conjs)
    return UnitResult(unit, conjs, stats)


#: the fused kernel's homographic state bound (as ``expand_mobius_batch``) and the largest
#: term of the constant it takes (larger terms go through the phased path)
_SAFE_STATE = 1 << 28


_SAFE_TERMS = 1 << 24


def _phased(rows_M, rows_pat, rows_src, rows_cls, pat_arr, per_arr, patterns, sources, N1,
            depth, complexity_limit, stats):
    """Phases 1 and 2 one after the other for the given rows (any source, any size of
    entries): the Massey filter on ``N1`` quotients, then for the survivors ``3 depth``
    quotients, the exact (or modular) prediction test and the digits bound.  Returns the
    survivors' ``(Q, lifted C, L, exact, passed, digits, pattern index, class index)``."""
    timings = stats.timings
    N_total = 3 * depth
    t0 = time.perf_counter()
    Q1, cnt1 = _expand_sources(rows_M, pat_arr[rows_pat], per_arr[rows_pat], rows_src, N1, sources)
    timings["expand_filter"] = timings.get("expand_filter", 0.0) + time.perf_counter() - t0
    t0 = time.perf_counter()
    L1, C1 = bm_batch(Q1, complexity_limit + 1, lengths=cnt1)
    timings["massey_filter"] = timings.get("massey_filter", 0.0) + time.perf_counter() - t0
    survive = np.nonzero(L1 < complexity_limit + 1)[0]
    stats.expanded_terms += int(cnt1.sum())
    stats.survivors_filter += len(survive)

    t0 = time.perf_counter()
    M2, pat2, src2, cls2 = rows_M[survive], rows_pat[survive], rows_src[survive], rows_cls[survive]
    Q2, cnt2 = _expand_sources(M2, pat_arr[pat2], per_arr[pat2], src2, N_total, sources)
    stats.expanded_terms += int(cnt2.sum())
    timings["expand_approve"] = timings.get("expand_approve", 0.0) + time.perf_counter() - t0
    t0 = time.perf_counter()
    full = cnt2 >= N_total
    stats.short_expansions += int((~full).sum())
    # The filter's recurrence first: if it annihilates all 3*depth terms over the integers it
    # is the minimal recurrence of the first depth terms too (their complexity lies between
    # the filter's and its order, and 2L < depth makes the minimal polynomial unique), so BM
    # is rerun only on the rows where it does not
    L2, C2 = L1[survive], C1[survive]
    Cl = _lift_batch(C2, P28)
    exact_ok = np.zeros(len(Q2), dtype=bool)
    if full.any():
        exact_ok[full] = _exact_holds_batch(Q2[full], Cl[full], L2[full])
    redo = np.nonzero(full & ~exact_ok)[0]
    if redo.size:
        Lr, Cr = bm_batch(np.ascontiguousarray(Q2[redo, :depth]), complexity_limit + 1)
        L2, C2, Cl = L2.copy(), C2.copy(), Cl.copy()
        L2[redo], C2[redo], Cl[redo] = Lr, Cr, _lift_batch(Cr, P28)
        ok_r = Lr < complexity_limit + 1
        if ok_r.any():
            exact_ok[redo[ok_r]] = _exact_holds_batch(Q2[redo[ok_r]], Cl[redo[ok_r]], Lr[ok_r])
    okp = full & (L2 < complexity_limit + 1)
    # the exact integer check over all 3*depth terms implies the prediction modulo p; only rows
    # it cannot settle (large entries, or a failed lift) need the modular prediction test
    rest = okp & ~exact_ok
    if rest.any():
        okp[rest] = recurrence_holds_batch(Q2[rest], C2[rest], L2[rest], np.full(int(rest.sum()), depth),
                                           np.full(int(rest.sum()), N_total))
    stats.rejected_prediction += int((full & ~okp).sum())
    sign_rows = pat_arr[np.arange(len(patterns))[:, None],
                        np.arange(N_total)[None, :] % per_arr[:, None]]
    digits_lb = _digits_batch(Q2, sign_rows[pat2], N_total - 1)
    timings["approve_batch"] = timings.get("approve_batch", 0.0) + time.perf_counter() - t0
    keep = np.nonzero(okp)[0]
    return (Q2[keep], Cl[keep], L2[keep], exact_ok[keep], okp[keep], digits_lb[keep], pat2[keep],
            cls2[keep])


def _concat_parts(parts, N_total):
    if len(parts) == 1:
        return parts[0]
    cols = list(zip(*parts))
    Qs = cols[0]
    if any(q.dtype == object for q in Qs):
        Qs = [q.astype(object) for q in Qs]
    W = max(c.shape[1] for c in cols[1])
    Cs = [np.pad(c, ((0, 0), (0, W - c.shape[1]))) for c in cols[1]]
    return (np.concatenate(Qs), np.concatenate(Cs), *(np.concatenate(c) for c in cols[2:]))


def _max_term(source) -> int:
    """The largest ``|term|`` of a source of simple terms (remembered per length)."""
    n = len(source.terms)
    got = getattr(source, "_max_term", None)
    if got is None or got[0] != n:
        got = (n, max(abs(int(t)) for t in source.terms))
        source._max_term = got
    return got[1]


def _general_classes(c, lhs_list):
    """``(v, rep, m)`` for LHS that are not Möbius images: ``rep = v - m`` with
    ``m = floor(v)`` (certified), in the enumeration's normal form, so translates share ``rep``."""
    from ..numeric.constants import to_arb

    out = []
    prec = 128
    while lhs_list:
        x = to_arb(c, prec)
        undecided = []
        for v in lhs_list:
            with workprec(prec):
                val = _horner(v.num, x) / _horner(v.den, x)
            lo, hi = val.lower().floor(), val.upper().floor()
            if not (val.is_finite() and lo == hi):
                undecided.append(v)
                continue
            m = int(lo.unique_fmpz())
            out.append((v, v.shifted(-m).canonical(), m))
        if prec > 1 << 16:
            raise PrecisionExhausted(f"could not decide floor(v) for {len(undecided)} LHS of {c}, "
                                     f"e.g. {undecided[0].text(str(c))}", partial=[])
        lhs_list, prec = undecided, 4 * prec
    return out


def _padded(v: LHS) -> tuple:
    n = max(len(v.num), len(v.den))
    return tuple(v.num) + (0,) * (n - len(v.num)), tuple(v.den) + (0,) * (n - len(v.den))


def _plane(v: LHS) -> tuple:
    """The plane ``span{P, Q}`` over QQ as its reduced row echelon form (a hashable key)."""
    P, Q = _padded(v)
    rows = [[Fraction(x) for x in P], [Fraction(x) for x in Q]]
    lead = []
    r = 0
    for col in range(len(P)):
        piv = next((i for i in range(r, 2) if rows[i][col] != 0), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        rows[r] = [x / rows[r][col] for x in rows[r]]
        for i in range(2):
            if i != r and rows[i][col] != 0:
                f = rows[i][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        lead.append(col)
        r += 1
        if r == 2:
            break
    return (len(P),) + tuple(tuple(row) for row in rows)


def _mobius_between(base: LHS, v: LHS) -> tuple:
    """Integers ``(a, b, g, d)`` with ``v = (a base + b)/(g base + d)`` as rational functions of
    ``c`` (``P_v = a P_base + b Q_base`` and ``Q_v = g P_base + d Q_base`` up to one scalar), for
    two LHS in one plane."""
    Pb, Qb = _padded(base)
    Pv, Qv = _padded(v)
    n = max(len(Pb), len(Pv))
    Pb, Qb, Pv, Qv = (tuple(x) + (0,) * (n - len(x)) for x in (Pb, Qb, Pv, Qv))
    # two columns where (Pb, Qb) is invertible
    for i in range(n):
        for j in range(i + 1, n):
            det = Pb[i] * Qb[j] - Pb[j] * Qb[i]
            if det:
                def coords(X):
                    return (Fraction(X[i] * Qb[j] - X[j] * Qb[i], det),
                            Fraction(Pb[i] * X[j] - Pb[j] * X[i], det))
                (a, b), (g, d) = coords(Pv), coords(Qv)
                den = lcm(a.denominator, b.denominator, g.denominator, d.denominator)
                M = tuple(int(x * den) for x in (a, b, g, d))
                if any(aa * M[0] + bb * M[1] != den * xx for aa, bb, xx in zip(Pb, Qb, Pv)) or \
                        any(aa * M[2] + bb * M[3] != den * xx for aa, bb, xx in zip(Pb, Qb, Qv)):
                    raise ValueError(f"{v} is not in the plane of {base}")
                return M
    raise ValueError(f"{base} is degenerate")


def _horner(coeffs, x):
    acc = 0 * x
    for k in reversed(coeffs):
        acc = acc * x + k
    return acc


class _ImageTerms:
    """Certified simple CF terms of ``rep(c)`` for an LHS ``rep`` that is not a Möbius image,
    extended on demand; evaluated from arb balls of ``c`` (no SymPy on this path)."""

    def __init__(self, c, rep: LHS, count: int):
        self.c, self.rep = c, rep
        self.terms: list = []
        self.dps = None
        self.extend(count)

    def extend(self, count: int):
        from ..numeric.constants import to_arb
        from ..numeric.expand import _dps_to_prec, _initial_dps

        if count <= len(self.terms):
            return
        dps = max(self.dps or 0, _initial_dps(count))
        for _ in range(12):
            prec = _dps_to_prec(dps)
            x = to_arb(self.c, prec)
            with workprec(prec):
                ball = _horner(self.rep.num, x) / _horner(self.rep.den, x)
            if ball.is_finite():
                qs, info = expand_quotients(ball, (1,), terms=count)
                if info.status == "terminated":
                    raise ValueError(f"lhs = {self.rep.text(str(self.c))} is rational")
                if len(qs) > len(self.terms):
                    self.terms = qs
                if len(qs) >= count:
                    self.dps = dps
                    return
            dps *= 2
        raise PrecisionExhausted(f"lhs = {self.rep.text(str(self.c))}: could not certify {count} "
                                 "simple quotients", partial=self.terms)


def _expand_sources(Ms, pats, pers, srcs, depth, sources):
    """:func:`_expand_rows` for rows drawn from several sources (row ``j`` expands the image
    ``Ms[j]`` of ``sources[srcs[j]].terms``)."""
    if len(sources) == 1 or not len(Ms):
        return _expand_rows(Ms, pats, pers, depth, sources[0])
    n = len(Ms)
    Q = np.zeros((n, depth), dtype=np.int64)
    cnt = np.zeros(n, dtype=np.int64)
    order = np.argsort(srcs, kind="stable")
    bounds = np.searchsorted(srcs[order], np.arange(len(sources) + 1))
    for k in range(len(sources)):
        idx = order[bounds[k]: bounds[k + 1]]
        if not len(idx):
            continue
        Qk, ck = _expand_rows(Ms[idx], pats[idx], pers[idx], depth, sources[k])
        if Qk.dtype == object and Q.dtype != object:
            Q = Q.astype(object)
        Q[idx], cnt[idx] = Qk, ck
    return Q, cnt


def _expand_rows(Ms, pats, pers, depth, simple: _SimpleTerms):
    """Batch expansion; rows that run out of input terms go on with more terms of c (the
    count doubled, at most four times)."""

    def more():
        simple.extend(2 * len(simple.terms))
        return simple.terms

    return expand_mobius_batch(Ms, pats, pers, depth, simple.terms, more=more)
