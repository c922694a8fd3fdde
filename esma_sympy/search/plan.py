"""The plan of an ESMA search: the constant checked, the parameters validated, the LHS list,
the pattern space and the work units (pieces of LHS x patterns in a fixed order), and the
order of the conjectures (theory T5.5, T7.1).

A plan is pure data: :func:`esma_sympy.search.run.run_unit` runs a unit of it anywhere (a
process pool, a Dask worker), and the store keys a run by :attr:`SearchPlan.key`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property

from sympy import Expr, sympify

from .._args import check_int
from .._messages import shown
from .. import limits
from ..errors import ResourceLimitError
from ..numeric.expand import DEFAULT_MAX_DPS
from .conjecture import SearchStats
from .lhs import LHS, count_patterns, enumerate_lhs, lhs_from_expr
from .patterns import PeriodicPatterns

__all__ = ["prepare_constant", "plan_search", "SearchPlan", "WorkUnit", "UnitResult", "sort_key", "ENGINE_VERSION"]


#: Bumped whenever a change of the engine could change which conjectures a unit yields; it is
#: part of ``SearchPlan.params`` (and so of the plan key), so a stored run is never resumed by
#: a different engine.
ENGINE_VERSION = 2          # 2: v and -v are distinct LHS (theory T5.6)


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


@dataclass(frozen=True)
class WorkUnit:
    """A deterministic piece of a search: LHS ``lhs[start:stop]`` (indices into
    ``SearchPlan.lhs_list``) x the sign patterns of ``segments``, a chunk of the plan's
    pattern space (:meth:`esma_sympy.search.patterns.PatternSpace.chunks`; for periodic
    patterns, ``(period, code_start, code_stop)`` triples).

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

    @cached_property
    def patterns(self) -> PeriodicPatterns:
        """The pattern space (:mod:`esma_sympy.search.patterns`): the work units hold its
        chunks and the conjectures are ordered by its keys."""
        return PeriodicPatterns(self.params["min_period"], self.params["max_period"])

    @property
    def n_patterns(self) -> int:
        return self.patterns.count()

    @property
    def n_pairs(self) -> int:
        return len(self.lhs_list) * self.n_patterns

    @property
    def key(self) -> str:
        """A canonical string of the parameters (identifies the search in a store)."""
        return json.dumps(self.params, sort_keys=True)

    def pattern_chunks(self):
        """The chunks of the pattern space, each covering about ``pattern_chunk`` codes."""
        return self.patterns.chunks(self.pattern_chunk)

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
        return -(-len(self.lhs_list) // self.lhs_chunk) * self.patterns.n_chunks(self.pattern_chunk)

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
    key = plan.patterns.key
    return lambda c: (order[c.lhs], *key(c.signs))


def _parse(text: str):
    from ..numeric.parse import parse_constant

    return parse_constant(text)
