"""The ESMA search: Möbius images x sign patterns, a Massey filter, certified approval.

Pipeline for a constant ``c`` (theory T5.1-T5.4):

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
4. Approval: survivors are expanded to ``3 * depth`` certified quotients; the minimal recurrence
   of the first ``depth`` quotients (modulo p, then lifted to integers and verified exactly on
   all ``3 * depth``) must predict the ``2 * depth`` quotients beyond them, must be
   quasi-polynomial (cyclotomic roots), and the infinite SCF it generates must agree with the
   LHS to ``verify_digits`` digits *proven* by the cylinder bound of T5.3.
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
import time
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import repeat
from math import lcm

import numpy as np
from flint import fmpq, fmpq_poly
from sympy import Expr, sympify

from .._args import check_int
from .._flintctx import workprec
from .._messages import shown, shown_repr
from .. import limits
from ..errors import PrecisionExhausted, ResourceLimitError
from ..numeric import _jit
from ..numeric.expand import DEFAULT_MAX_DPS, expand_quotients
from ..numeric.homographic import expand_mobius_batch
from ..numeric.polyineq import holds_from
from ..recurrence.approval import (approve, charpoly_from_connection, cyclotomic_structure,
                                   fit_regenerates, fit_residues, predict_a0, recurrence_holds)
from .conjecture import Conjecture, SearchResult, SearchStats
from .lhs import LHS, count_patterns, enumerate_lhs, lhs_from_expr, pattern_code, patterns_in_range
from .massey import P28, bm_batch, recurrence_holds_batch

__all__ = ["esma_search", "prepare_constant", "plan_search", "run_unit", "merge_results",
           "SearchPlan", "WorkUnit", "UnitResult"]


#: Bumped whenever a change of the engine could change which conjectures a unit yields; it is
#: part of ``SearchPlan.params`` (and so of the plan key), so a stored run is never resumed by
#: a different engine.
ENGINE_VERSION = 2          # 2: v and -v are distinct LHS (theory T5.6)


# -- arguments --------------------------------------------------------------------------------


def _named(c, limit: int = 60) -> str:
    """The constant as a message names it: its text, cut after ``limit`` characters."""
    text = str(c)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def prepare_constant(constant) -> Expr:
    """A real irrational constant from a SymPy expression or a (whitelist-parsed) string.

    >>> prepare_constant("E**2")
    exp(2)
    >>> prepare_constant("3/4")
    Traceback (most recent call last):
    ...
    ValueError: constant = 3/4 is rational: its continued fractions terminate, ESMA needs an irrational constant
    """
    from ..numeric.constants import to_arb
    from ..numeric.parse import parse_constant

    from sympy import SympifyError

    if isinstance(constant, str):
        try:
            c = parse_constant(constant)
        except (ValueError, TypeError) as err:
            raise type(err)(f"constant = {shown(constant)}: {err}") from None
    else:
        try:
            c = sympify(constant, strict=True)
        except SympifyError:
            raise TypeError(f"constant must be a real number (a SymPy expression or a string), "
                            f"got {type(constant).__name__} {shown(constant)}") from None
    if not isinstance(c, Expr) or c.free_symbols:
        raise ValueError(f"constant must be a real number, got {constant!r}")
    if c.is_Rational:          # (no assumption query: polygamma(10**9, 1) took 20 s in one)
        raise ValueError(f"constant = {_named(c)} is rational: its continued fractions "
                         "terminate, ESMA needs an irrational constant")
    try:
        to_arb(c, 64)      # raises ValueError for a non-real value, UnsupportedConstant for others
    except (ValueError, ArithmeticError) as err:   # PrecisionExhausted: no finite ball
        raise type(err)(f"constant = {_named(c)}: {err}") from None
    return c


def _check_magnitude(c) -> None:
    """Refuse a constant whose integer part or reciprocal has more bits than the certified
    expansion's largest precision (``DEFAULT_MAX_DPS`` digits) can hold: its first quotients
    could never be certified, and the attempt would hold numbers of that size."""
    from ..numeric.constants import to_arb
    from ..numeric.expand import DEFAULT_MAX_DPS

    try:
        x = to_arb(c, 64)
    except (ValueError, ArithmeticError) as err:
        raise type(err)(f"constant = {_named(c)}: {err}") from None
    up, down = limits.magnitude_bits(x)
    bits = max(up, down)
    cap = int(DEFAULT_MAX_DPS * math.log2(10) * 0.9)
    if bits > cap:
        part = "integer part" if up >= down else "reciprocal"
        raise ResourceLimitError(
            f"constant = {_named(c)}: its {part} has about {bits:.2g} bits ({bits * math.log10(2):.2g} "
            f"digits), more than the {cap:,} bits a certified expansion works with (max_dps = "
            f"{DEFAULT_MAX_DPS} digits); its first quotients cannot be certified")
    # within 2^-cap of an integer: the second quotient has more than cap bits (zeta(10**9));
    # looked at for constants below 2^48, where the floor of the 64-bit ball's midpoint is exact
    if up > 48:
        return
    k = int(x.mid().floor().unique_fmpz())
    if not ((x - k).contains(0) or (x - (k + 1)).contains(0)):
        return
    try:
        y = to_arb(c, cap + 64)
    except (ValueError, ArithmeticError):
        return                           # the expansion says what it cannot certify
    for near in (k, k + 1):
        if (y - near).contains(0):
            raise ResourceLimitError(
                f"constant = {_named(c)}: it is within 2**-{cap:,} of the integer {near} (not separated "
                f"at {cap + 64:,} bits), so its second quotient has more than the {cap:,} bits a "
                f"certified expansion works with (max_dps = {DEFAULT_MAX_DPS} digits); it cannot "
                "be certified")


# -- the constant's simple continued fraction -----------------------------------------------


class _SimpleTerms:
    """Certified simple CF terms of ``c``, extended on demand (doubling the count)."""

    def __init__(self, c, count: int):
        self.c = c
        self.terms: list = []
        self.extend(count)

    def extend(self, count: int):
        if count <= len(self.terms):
            return
        qs, info = expand_quotients(self.c, (1,), depth=count - 1)
        if info.status == "terminated":
            raise ValueError(f"constant = {_named(self.c)} is rational ({shown_repr(qs)}): "
                             "ESMA needs an irrational constant")
        if len(qs) < count:
            raise PrecisionExhausted(f"constant = {_named(self.c)}: could not certify {count} simple quotients: "
                                     f"{info.reason}",
                                     partial=qs)
        self.terms = qs


# -- exact recurrences and quasi-polynomials ----------------------------------------------------


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
    Spad = np.concatenate([np.zeros((n, W - 1), dtype=np.int64), S], axis=1)
    ok = small.copy()
    for k in range(N):
        window = Spad[:, k: k + W][:, ::-1]
        r = (C * window).sum(axis=1)
        ok &= (k < L) | (r == 0)
    return ok


# -- the proven agreement (cylinder bound, theory T5.3) ----------------------------------------


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
    lo = A[:, 1].copy()
    hi = A[:, 1].copy()
    ok = lo > 0
    # log10 q_k = acc + log10(prod): the product of the lower bounds, rounded down at every
    # step, is folded into acc (minus a rounding margin) only when it leaves [1e-250, 1e250]
    acc = np.zeros(n)
    prod = np.where(ok, lo, 1.0)
    acc_prev, prod_prev = np.zeros(n), np.ones(n)
    for k in range(2, N + 1):
        s = sign_tab[:, k - 1]
        a = A[:, k]
        safe_lo = np.where(lo > 0, lo, 1.0)
        safe_hi = np.where(hi > 0, hi, 1.0)
        inv_lo = (1.0 / safe_hi) * down   # lower bound of 1/r
        inv_hi = (1.0 / safe_lo) * up     # upper bound of 1/r
        nlo = np.where(s > 0, a + inv_lo, a - inv_hi)
        nhi = np.where(s > 0, a + inv_hi, a - inv_lo)
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


# -- the search ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkUnit:
    """A deterministic piece of a search: LHS ``lhs[start:stop]`` (indices into
    ``SearchPlan.lhs_list``) x the sign patterns of ``segments`` (``(period, code_start,
    code_stop)``: the patterns of that period whose codes lie in the range; see
    :func:`~esma_sympy.search.lhs.patterns_in_range`).

    >>> u = WorkUnit(3, (0, 16), ((2, 0, 4),))
    >>> WorkUnit.from_json(u.to_json()) == u
    True
    """

    index: int
    lhs: tuple
    segments: tuple

    def to_json(self) -> str:
        return json.dumps({"index": self.index, "lhs": list(self.lhs),
                           "segments": [list(x) for x in self.segments]}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "WorkUnit":
        d = json.loads(text)
        return cls(d["index"], tuple(d["lhs"]), tuple(tuple(x) for x in d["segments"]))


@dataclass
class SearchPlan:
    """A validated search: the constant, the parameters, the LHS list and the work units.

    Units are enumerated lazily (:meth:`units`); the patterns of a unit are generated from its
    code ranges, so large period ranges never materialise the whole domain.

    >>> from sympy import E
    >>> plan = plan_search(E, max_period=16, lhs_chunk=64, pattern_chunk=4096)
    >>> plan.n_patterns, plan.n_units(), len(plan.lhs_list)
    (130486, 128, 224)
    """

    constant: object
    params: dict
    lhs_list: list
    lhs_chunk: int
    pattern_chunk: int
    #: the memory limit of the run (bytes; ``None``: :data:`esma_sympy.limits.MAX_MEMORY`),
    #: checked before the search and after every work unit (not part of :attr:`key`)
    max_memory: int | None = None

    @property
    def n_patterns(self) -> int:
        return count_patterns(self.params["min_period"], self.params["max_period"])

    @property
    def n_pairs(self) -> int:
        return len(self.lhs_list) * self.n_patterns

    @property
    def key(self) -> str:
        """A canonical string of the parameters (identifies the search in a store)."""
        return json.dumps(self.params, sort_keys=True)

    def pattern_chunks(self):
        """Lists of segments, each covering about ``pattern_chunk`` pattern codes."""
        lo, hi = self.params["min_period"], self.params["max_period"]
        chunk, size = [], 0
        for p in range(lo, hi + 1):
            code = 0
            while code < 2**p:
                take = min(2**p - code, self.pattern_chunk - size)
                chunk.append((p, code, code + take))
                size += take
                code += take
                if size >= self.pattern_chunk:
                    yield tuple(chunk)
                    chunk, size = [], 0
        if chunk:
            yield tuple(chunk)

    def units(self):
        """The work units in their fixed order (LHS chunks outer, pattern chunks inner)."""
        i = 0
        for start in range(0, len(self.lhs_list), self.lhs_chunk):
            stop = min(start + self.lhs_chunk, len(self.lhs_list))
            for seg in self.pattern_chunks():
                yield WorkUnit(i, (start, stop), seg)
                i += 1

    def n_units(self) -> int:
        """The number of work units, counted without enumerating them (every pattern chunk
        but the last holds exactly ``pattern_chunk`` pattern codes, ``2**p`` per period ``p``).

        >>> from sympy import E
        >>> p = plan_search(E, max_period=40)
        >>> q = plan_search(E, max_period=9, lhs_chunk=100, pattern_chunk=5)
        >>> q.n_units() == len(list(q.units())), p.n_units()
        (True, 34359738368)
        """
        lo, hi = self.params["min_period"], self.params["max_period"]
        codes = 2 ** (hi + 1) - 2 ** lo               # the pattern codes of periods lo..hi
        return -(-len(self.lhs_list) // self.lhs_chunk) * -(-codes // self.pattern_chunk)

    def estimated_seconds(self) -> float:
        """A rough estimate of the search's CPU seconds in one process, before it runs.

        The cost grows slower than the number of pairs (long patterns share their classes'
        work, and the approval follows the conjectures, which saturate), about as
        ``pairs**0.6`` plus a floor of a microsecond per pair, and as the square of the depth;
        each work unit about 15 ms (measured: 6720 units of one pair each, 106 s); an LHS of
        degree 2 or more adds about 0.5 ms (its own certified expansion; measured
        100 s for the 177,384 of ``lhs_degree=3``, within 5x high on smaller degree-2 and -3
        domains).
        Fitted on searches of E at periods 6 to 14 and depths 50 to 200, of tan 1 and of a
        degree-2 domain (measured within a factor of about 2 on the machine of the fit;
        ``tests/test_cli_limits.py`` checks it against a timed search, within 10x).

        >>> from sympy import E
        >>> 0.1 < plan_search(E).estimated_seconds() < 1
        True
        """
        pairs, scale = self.n_pairs, self.params["depth"] / 100
        general = sum(1 for v in self.lhs_list if v.degree > 1)
        return (1.5e-3 * pairs ** 0.6 * scale ** 2 + 1e-6 * pairs * scale
                + 5e-4 * general * scale + 0.015 * self.n_units())

    def check_memory(self, done: int, total: int) -> None:
        """Stop the search (:class:`~esma_sympy.errors.ResourceLimitError`) once this process
        uses more than :attr:`max_memory`; called after each of the ``total`` work units."""
        limits.check_usage(f"after {done} of {total} work units", self.max_memory)


def plan_search(constant, *, lhs_degree: int = 1, coeff_limit: int = 2, min_period: int = 1,
                max_period: int = 4, depth: int = 100, complexity_limit: int | None = None,
                verify_digits: int = 100, lhs=None, lhs_chunk: int = 256,
                pattern_chunk: int = 64, max_memory=None) -> SearchPlan:
    """Validate the arguments of a search and split its domain into work units.

    Raises ``ValueError``/``TypeError`` naming the argument for every bad input (nothing is
    computed or written before that), and :class:`~esma_sympy.errors.ResourceLimitError`
    naming the argument and the estimate when the search would need more than ``max_memory``
    (default :data:`esma_sympy.limits.MAX_MEMORY`) or walk more LHS candidates than
    :data:`~esma_sympy.limits.MAX_LHS_CANDIDATES`.  See :func:`esma_search` for the parameters.

    >>> from sympy import E
    >>> plan = plan_search(E, coeff_limit=1, max_period=3)
    >>> len(plan.lhs_list), plan.n_patterns, [u.segments for u in plan.units()]
    (24, 10, [((1, 0, 2), (2, 0, 4), (3, 0, 8))])
    """
    c = prepare_constant(constant)
    if max_memory is not None:
        max_memory = limits.parse_size(max_memory)
    _check_magnitude(c)
    depth = check_int(depth, "depth", 8)
    derived = complexity_limit is None
    if derived:
        complexity_limit = depth // 4
    complexity_limit = check_int(complexity_limit, "complexity_limit", 1)
    if complexity_limit > 61:      # the filter runs BM to complexity_limit + 1 <= 62 (massey)
        if derived:
            raise ValueError(f"depth = {depth}: its default complexity_limit = depth // 4 = "
                             f"{complexity_limit} is above 61, the kernels' limit; give depth <= "
                             f"247, or complexity_limit <= 61 with it")
        raise ValueError(f"complexity_limit must be <= 61, got {complexity_limit}")
    if depth < 2 * complexity_limit + 2:
        raise ValueError(
            f"depth = {depth} is too small for complexity_limit = {complexity_limit}: a recurrence "
            f"of order L is determined by 2L terms, so depth must be >= {2 * complexity_limit + 2}"
        )
    verify_digits = check_int(verify_digits, "verify_digits", 1)
    if verify_digits > DEFAULT_MAX_DPS:
        raise ValueError(f"verify_digits = {verify_digits} is above the {DEFAULT_MAX_DPS} digits "
                         "a certified expansion works with (max_dps): nothing could be proven")
    min_period = check_int(min_period, "min_period", 1)
    max_period = check_int(max_period, "max_period", 1)
    count_patterns(min_period, max_period)          # validates the period range
    lhs_chunk = check_int(lhs_chunk, "lhs_chunk", 1)
    pattern_chunk = check_int(pattern_chunk, "pattern_chunk", 1)
    if lhs is None:
        lhs_degree = check_int(lhs_degree, "lhs_degree", 1)
        coeff_limit = check_int(coeff_limit, "coeff_limit", 1)
        log_walk = 2 * (lhs_degree + 1) * math.log10(2 * coeff_limit + 1)
        if log_walk > math.log10(limits.MAX_LHS_CANDIDATES):
            raise ResourceLimitError(
                f"coeff_limit = {coeff_limit}, lhs_degree = {lhs_degree}: the enumeration walks "
                f"(2*{coeff_limit} + 1)**{2 * (lhs_degree + 1)} = 10**{log_walk:.3g} candidate LHS, above "
                f"esma_sympy.limits.MAX_LHS_CANDIDATES = {limits.MAX_LHS_CANDIDATES:,}; lower "
                f"coeff_limit or lhs_degree (or give explicit lhs=)")
        lhs_list = enumerate_lhs(lhs_degree, coeff_limit)
    else:
        if isinstance(lhs, (str, Expr)) or not hasattr(lhs, "__iter__"):
            raise TypeError(f"lhs must be a list of expressions, got {lhs!r}")
        lhs_list, seen = [], set()
        for e in lhs:
            v = e if isinstance(e, LHS) else lhs_from_expr(e if not isinstance(e, str) else _parse(e), c)
            if v.canonical() not in seen:          # one entry per value (-v is another value)
                seen.add(v.canonical())
                lhs_list.append(v)
        if not lhs_list:
            raise ValueError("lhs must not be empty")
    # the arrays of one work unit: the filter's quotients for every (LHS, pattern) row, and
    # 3 depth quotients for each row that passes it (at worst all: a quadratic irrational)
    rows = min(lhs_chunk, len(lhs_list)) * min(pattern_chunk, count_patterns(min_period, max_period))
    n1 = min(depth, 2 * complexity_limit + 8)
    limits.check_memory(rows * 8 * (n1 + 3 * depth),
                        f"depth = {depth}, lhs_chunk = {lhs_chunk}, pattern_chunk = {pattern_chunk}: "
                        f"up to {rows:,} (LHS, pattern) rows of {3 * depth:,} quotients in a work "
                        f"unit", max_memory)
    params = dict(engine=ENGINE_VERSION, constant=str(c), lhs_degree=lhs_degree, coeff_limit=coeff_limit,
                  min_period=min_period, max_period=max_period, depth=depth,
                  complexity_limit=complexity_limit, verify_digits=verify_digits,
                  lhs=None if lhs is None else [v.text(str(c)) for v in lhs_list])
    return SearchPlan(c, params, lhs_list, lhs_chunk, pattern_chunk, max_memory)


@dataclass
class UnitResult:
    """The conjectures of one work unit (sorted) and its statistics (see :func:`run_unit`)."""

    unit: WorkUnit
    conjectures: list
    stats: SearchStats


def sort_key(plan: SearchPlan):
    """The global order of conjectures: LHS order, then pattern (period, code)."""
    order = {v: i for i, v in enumerate(plan.lhs_list)}
    return lambda c: (order[c.lhs], len(c.signs), pattern_code(c.signs))


def merge_results(plan: SearchPlan, results: list, seconds: float | None = None) -> SearchResult:
    """Combine unit results (in any order) into the search result, in the global order.

    >>> from sympy import E
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
    patterns = [pat for seg in unit.segments for pat in patterns_in_range(*seg)]
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
                qs, info = expand_quotients(ball, (1,), depth=count - 1)
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


def _parse(text: str):
    from ..numeric.parse import parse_constant

    return parse_constant(text)


def _expand_rows(Ms, pats, pers, depth, simple: _SimpleTerms):
    """Batch expansion; rows that run out of input terms go on with more terms of c (the
    count doubled, at most four times)."""

    def more():
        simple.extend(2 * len(simple.terms))
        return simple.terms

    return expand_mobius_batch(Ms, pats, pers, depth, simple.terms, more=more)


def _approve(seq, C, exact_ok, L, depth, limit, pat, digits_lb, verify_digits, stats):
    """Exact part of the approval of one class representative x pattern (theory T5.2).

    ``C`` is the lifted connection polynomial (``C_0 = 1``) of the first ``depth`` terms and
    ``exact_ok`` whether it annihilates all certified terms over the integers.  Since the
    modular complexity never exceeds the rational one (T3.2), an integer recurrence of that
    order is the minimal rational one."""
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
