"""Certified signed continued-fraction expansion (the ESMA rule) of reals, balls and rationals.

Raw types only (ARCHITECTURE.md): the quotients are Python ints and the shortfall an
:class:`ExpansionInfo`; :func:`expand_parts` also gives the signs and periodicity of the SCF
they describe, which ``esma_sympy.cf.expansion`` (:func:`esma_sympy.expand`,
:func:`esma_sympy.expand_report`) builds.

Convention (ARCHITECTURE.md, theory T2.1): ``x = a_0 + s_0/(a_1 + s_1/(a_2 + ...))``; the sign
``s_i`` follows ``a_i`` and decides how ``a_i`` is rounded,

    a_i = floor(x_i)  if s_i = +1,      a_i = ceil(x_i)  if s_i = -1,
    x_{i+1} = s_i / (x_i - a_i),

so that every tail ``x_i`` with ``i >= 1`` exceeds 1.  The expansion stops early exactly when
``x_i = a_i`` (an exact rational, theory T2.1(e)); for ``s_i = -1`` that includes an integer
``x_i``, whose ceiling is itself.

Certification (theory T2.2).  A real is held as an interval ``[lo, hi]`` of exact rationals
(the endpoints of an ``arb`` ball).  A quotient is emitted only when the floor (or ceiling) of
*both* endpoints agree and neither endpoint hits the integer exactly; both endpoints are then
mapped through ``x -> s/(x - a)``, which is monotone on the interval.  No quotient is ever
guessed: when the interval no longer decides the next quotient the precision is raised (a
SymPy expression or a string is re-evaluated) or the shortfall is reported.

Speed (theory T2.3).  Most steps are Lehmer steps: the endpoints are widened to an interval
with ``_LEHMER_BITS``-bit numerators and denominators, the ESMA rule runs on that small
interval while it decides the quotients, and the 2x2 integer matrix of those steps is applied
to the big endpoints once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable

from flint import arb, fmpq, fmpz
from sympy import Basic, Float

from .._args import check_int, is_integer, renamed_keyword
from .. import limits
from ..errors import PrecisionExhausted, PrecisionWarning, ResourceLimitError  # noqa: F401
from .rational import _rational_expansion

__all__ = [
    "expand_quotients",
    "expand_parts",
    "ExpansionInfo",
    "SignSequence",
    "PrecisionWarning",
]

_LEHMER_BITS = 192
_LOG2_10 = math.log2(10)
_DEFAULT_TERMS = 101     # the quotients a_0 .. a_100


class SignSequence:
    """An explicit, finite, non-periodic sign sequence ``s_0, s_1, ..., s_{L-1}``.

    Explanation
    ===========

    A plain tuple given as ``signs`` to :func:`esma_sympy.expand` is a *periodic pattern*
    anchored at index 0.  Wrap a sequence in ``SignSequence`` to mean "exactly these signs, once".  The
    sign ``s_i`` decides the rounding of ``a_i`` (floor for ``+1``, ceiling for ``-1``), so a
    sequence of length ``L`` decides at most ``L`` quotients ``a_0, ..., a_{L-1}``.

    Examples
    ========

    >>> s = SignSequence([1, -1, -1])
    >>> len(s), s[1], list(s)
    (3, -1, [1, -1, -1])
    >>> SignSequence([1, 0])
    Traceback (most recent call last):
    ...
    ValueError: signs must be +1 or -1, got signs[1] = 0

    Parameters
    ==========

    signs : iterable of +1/-1
        The signs, in order.
    """

    __slots__ = ("_signs",)

    def __init__(self, signs: Iterable):
        if isinstance(signs, (str, bytes)) or not hasattr(signs, "__iter__"):
            raise TypeError(f"signs must be an iterable of +1/-1, got {signs!r}")
        if hasattr(signs, "__len__"):
            limits.check_terms(len(signs), "len(signs)")
        out = tuple(_check_sign(s, f"signs[{i}]") for i, s in enumerate(signs))
        if not out:
            raise ValueError("signs must not be empty")
        self._signs = out

    def __len__(self) -> int:
        return len(self._signs)

    def __getitem__(self, i):
        return self._signs[i]

    def __iter__(self):
        return iter(self._signs)

    def __eq__(self, other) -> bool:
        return isinstance(other, SignSequence) and other._signs == self._signs

    def __hash__(self) -> int:
        return hash(("SignSequence", self._signs))

    def __repr__(self) -> str:
        return f"SignSequence({list(self._signs)})"


@dataclass(frozen=True)
class ExpansionInfo:
    """What an expansion delivered, as returned by :func:`expand_quotients` and
    :func:`esma_sympy.expand_report`.

    Attributes
    ==========

    requested : int
        Quotients asked for (``terms``).
    certified : int
        Quotients returned; each one is certified.
    status : str
        ``'complete'`` (all requested quotients), ``'terminated'`` (an exact rational whose
        expansion ended, ``x_i = a_i``, before ``terms`` quotients) or ``'exhausted'`` (precision ran
        out; see ``reason``).
    dps : int or None
        Decimal digits of the last ball used (``None`` for exact input).
    reason : str or None
        Why the expansion is short, when ``status == 'exhausted'``.

    Examples
    ========

    >>> from sympy import Rational
    >>> qs, info = expand_quotients(Rational(7, 3), terms=11)
    >>> info.status, info.certified, info.ok
    ('terminated', 2, True)
    """

    requested: int
    certified: int
    status: str
    dps: int | None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the expansion delivered everything it could (not ``'exhausted'``)."""
        return self.status != "exhausted"


#: The most digits an expansion raises its precision to by default (``max_dps``).
DEFAULT_MAX_DPS = 20000


def _check_sign(s, name: str) -> int:
    if not is_integer(s):
        raise ValueError(f"signs must be +1 or -1, got {name} = {s!r}")
    try:
        v = int(s)
    except (TypeError, ValueError):
        raise ValueError(f"signs must be +1 or -1, got {name} = {s!r}") from None
    if v not in (1, -1) or v != s:
        raise ValueError(f"signs must be +1 or -1, got {name} = {s}")
    return v


def _check_int(value, name: str, minimum: int) -> int:
    return check_int(value, name, minimum)


# ---------------------------------------------------------------------------------------------
# the kernel: pure Python integers
# ---------------------------------------------------------------------------------------------


def _round(p: int, q: int, s: int) -> int:
    """floor(p/q) for s = +1, ceil(p/q) for s = -1 (q > 0)."""
    return p // q if s > 0 else -((-p) // q)


def _small_run(P1, Q1, P2, Q2, sg, i, limit):
    """ESMA steps on a small interval while they are decided; returns quotients, matrix, ends.

    The matrix ``(t00, t01, t10, t11)`` maps an endpoint ``(p, q)`` (value ``p/q``) before the
    run to ``(t00 p + t01 q, t10 p + t11 q)`` after it (theory T2.3).
    """
    t00, t01, t10, t11 = 1, 0, 0, 1
    qs = []
    stop = i + limit
    while i < stop:
        s = sg[i]
        if s > 0:
            a = P1 // Q1
            if a != P2 // Q2:
                break
            r1 = P1 - a * Q1
            r2 = P2 - a * Q2
            if not r1 or not r2:
                break
            P1, Q1, P2, Q2 = Q1, r1, Q2, r2
            t00, t01, t10, t11 = t10, t11, t00 - a * t10, t01 - a * t11
        else:
            a = -((-P1) // Q1)
            if a != -((-P2) // Q2):
                break
            r1 = P1 - a * Q1
            r2 = P2 - a * Q2
            if not r1 or not r2:
                break
            P1, Q1, P2, Q2 = Q1, -r1, Q2, -r2
            t00, t01, t10, t11 = t10, t11, a * t10 - t00, a * t11 - t01
        qs.append(a)
        i += 1
    return qs, (t00, t01, t10, t11), (P1, Q1, P2, Q2)


def _kernel(p1: int, q1: int, p2: int, q2: int, signs, n: int,
            lehmer_bits: int = _LEHMER_BITS):
    """Certified ESMA quotients of every real between ``p1/q1`` and ``p2/q2`` (``q1, q2 > 0``).

    Returns ``(quotients, status)`` with status ``'complete'`` (``n`` quotients),
    ``'terminated'`` (the interval is a point and its expansion ended), ``'undecided'`` (the
    endpoints round differently) or ``'boundary'`` (an endpoint equals the emitted quotient,
    so whether the expansion ends there is not decided).  ``signs`` is a list of at least
    ``n`` signs or a :class:`_Signs` source.
    """
    src = signs if isinstance(signs, _Signs) else None
    sg = signs
    out: list = []
    i = 0
    while i < n:
        if src is not None:
            sg = src.ensure(2 * i + 64)  # signs are asked for ahead of need, not all at once
        if i > 0:  # every tail exceeds 1 here: p > q > 0 at both endpoints
            k = min(q1, q2).bit_length() - lehmer_bits
            if k <= 0:
                qs, _, ends = _small_run(p1, q1, p2, q2, sg, i, min(n, len(sg)) - i)
                p1, q1, p2, q2 = ends
                if qs:
                    out.extend(qs)
                    i += len(qs)
                    continue
            else:
                a, b, c, d = p1 >> k, q1 >> k, p2 >> k, q2 >> k
                # widen: p/q lies in [(p>>k)/((q>>k)+1), ((p>>k)+1)/(q>>k)]
                lo = (a, b + 1) if a * (d + 1) <= c * (b + 1) else (c, d + 1)
                hi = (a + 1, b) if (a + 1) * d >= (c + 1) * b else (c + 1, d)
                qs, (t00, t01, t10, t11), _ = _small_run(lo[0], lo[1], hi[0], hi[1], sg, i,
                                                         min(n, len(sg)) - i)
                if qs:
                    p1, q1 = t00 * p1 + t01 * q1, t10 * p1 + t11 * q1
                    p2, q2 = t00 * p2 + t01 * q2, t10 * p2 + t11 * q2
                    out.extend(qs)
                    i += len(qs)
                    continue
        # one exact step on the full endpoints
        s = sg[i]
        a = _round(p1, q1, s)
        if a != _round(p2, q2, s):
            return out, "undecided"
        out.append(a)
        i += 1
        r1 = p1 - a * q1
        r2 = p2 - a * q2
        if not r1 and not r2:
            return out, "terminated"
        if not r1 or not r2:
            return out, "boundary"
        p1, q1, p2, q2 = q1, s * r1, q2, s * r2
    return out, "complete"


# ---------------------------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------------------------

def _as_pair(v, name: str):
    """An exact rational as ``(p, q)`` with ``q > 0``, or ``None`` if ``v`` is not one."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, fmpz)):
        return int(v), 1
    if isinstance(v, fmpq):
        return int(v.p), int(v.q)
    if isinstance(v, Fraction):
        return v.numerator, v.denominator
    if isinstance(v, Basic) and v.is_Rational:
        return int(v.p), int(v.q)
    return None


def _ball_pairs(b: arb):
    """The exact endpoints ``mid -/+ rad`` of a finite ball as ``(p1, q1, p2, q2)``."""
    if not b.is_finite():
        raise ValueError(f"x must be a finite ball, got {b}")
    m, e = (int(t) for t in b.mid().man_exp())
    r, f = (int(t) for t in b.rad().man_exp())
    g = min(e, f, 0)
    m <<= e - g
    r <<= f - g
    q = 1 << -g
    return m - r, q, m + r, q


def _reject_float(x):
    raise TypeError(
        f"x = {x!r} is a binary float, which is almost never the number meant: pass a string "
        f"such as '{x}' (read exactly as a decimal), a SymPy Rational or fmpq for the exact "
        "binary value, or an arb ball"
    )


def _classify(x):
    """('exact', (p, q)) | ('interval', (p1, q1, p2, q2)) | ('expr', sympy_expr)."""
    if isinstance(x, (float, Float)):
        _reject_float(x)
    if isinstance(x, str):
        from .parse import parse_constant

        x = parse_constant(x)
    pair = _as_pair(x, "x")
    if pair is not None:
        return "exact", pair
    if isinstance(x, bool):
        raise TypeError(f"x must be a real number, got the bool {x!r}")
    if isinstance(x, arb):
        return "interval", _ball_pairs(x)
    if isinstance(x, (tuple, list)):
        if len(x) != 2:
            raise ValueError(f"x given as an interval must be a pair (lo, hi), got {len(x)} items")
        lo, hi = _as_pair(x[0], "lo"), _as_pair(x[1], "hi")
        if lo is None or hi is None:
            raise TypeError(
                f"x given as an interval (lo, hi) needs exact rationals (int, fmpq, Fraction, "
                f"Rational), got ({x[0]!r}, {x[1]!r})"
            )
        if lo[0] * hi[1] > hi[0] * lo[1]:
            raise ValueError(f"x given as an interval (lo, hi) needs lo <= hi, got {x[0]} > {x[1]}")
        return "interval", lo + hi
    if isinstance(x, Basic):
        if x.free_symbols:
            raise ValueError(
                f"x must be a constant, got {x} with free symbols {sorted(map(str, x.free_symbols))}"
            )
        return "expr", x
    raise TypeError(
        f"x must be a SymPy constant, a string, an exact rational, an arb ball or a pair "
        f"(lo, hi), got {type(x).__name__} {x!r}"
    )


class _Signs:
    """Signs ``s_0, s_1, ...`` materialised on demand in ``self.list`` (``ensure(k)``)."""

    __slots__ = ("list", "_pattern", "_fn", "_n")

    def __init__(self, n, pattern=None, fn=None, explicit=None):
        self._n, self._pattern, self._fn = n, pattern, fn
        self.list = list(explicit[:n]) if explicit is not None else []

    def ensure(self, k: int) -> list:
        k = min(k, self._n)
        lst = self.list
        if len(lst) < k:
            if self._pattern is not None:
                pat, p = self._pattern, len(self._pattern)
                lst.extend(pat[i % p] for i in range(len(lst), k))
            else:
                fn = self._fn
                for i in range(len(lst), k):
                    lst.append(_check_sign(fn(i), f"signs({i})"))
        return lst


def _resolve_terms(where: str, depth, terms):
    """The count of quotients asked for: ``terms``, or ``depth + 1`` from the deprecated
    ``depth=`` (the index of the last quotient), with a ``DeprecationWarning``."""
    return renamed_keyword(where, "depth", depth, "terms", terms,
                           convert=lambda d: _check_int(d, "depth", 0) + 1,
                           hint="terms=depth + 1 (terms counts the quotients)", stacklevel=4)


def _sign_source(signs, terms):
    """Returns (_Signs, kind, pattern, terms) for the ``signs`` and ``terms`` arguments of
    :func:`esma_sympy.expand` (``terms``: the count of quotients asked for, or ``None``)."""
    if isinstance(signs, SignSequence):
        L = len(signs)
        if terms is None:
            terms = L
        terms = _check_int(terms, "terms", 1)
        if terms > L:
            raise ValueError(
                f"terms must be <= {L} for signs = {signs!r}: the sign s_i decides the "
                f"rounding of a_i, so {L} signs decide at most {L} quotients; got terms = {terms}"
            )
        return _Signs(terms, explicit=list(signs)), "explicit", None, terms
    if terms is None:
        terms = _DEFAULT_TERMS
    terms = _check_int(terms, "terms", 1)
    if terms > limits.MAX_TERMS + 1:       # the bound of the old depth = terms - 1, unchanged
        limits.check_terms(terms, "terms")
    if callable(signs) and not isinstance(signs, Basic):
        src = _Signs(terms, fn=signs)
        src.ensure(1)  # a broken callable fails here, before any work
        return src, "callable", None, terms
    if isinstance(signs, (str, bytes)) or not hasattr(signs, "__iter__"):
        raise TypeError(
            f"signs must be a periodic pattern (tuple of +1/-1), a SignSequence or a callable "
            f"i -> +1/-1, got {signs!r}"
        )
    if hasattr(signs, "__len__"):
        limits.check_terms(len(signs), "len(signs)")      # a period of 10**7 took 35 s
    pat = tuple(_check_sign(s, f"signs[{i}]") for i, s in enumerate(signs))
    if not pat:
        raise ValueError("signs must not be empty: give a pattern such as (1,) or (-1, 1)")
    return _Signs(terms, pattern=pat), "periodic", pat, terms


def _dps_to_prec(dps: int) -> int:
    return int(math.ceil(dps * _LOG2_10)) + 8


def _initial_dps(n: int) -> int:
    # a simple expansion uses about 1.03 digits per quotient on average (Levy); signed ones
    # and large quotients use more, and the loop below raises the precision when needed
    return max(30, int(1.25 * n) + 20)


# ---------------------------------------------------------------------------------------------
# public functions
# ---------------------------------------------------------------------------------------------


def expand_quotients(x, signs=(1,), depth: int | None = None, *, terms: int | None = None,
                     dps: int | None = None, max_dps: int | None = None,
                     strict: bool = False) -> tuple[list[int], ExpansionInfo]:
    """Certified ESMA partial quotients as Python ints, and an :class:`ExpansionInfo`.

    Explanation
    ===========

    The low-level form of :func:`esma_sympy.expand` for code that expands many values (the
    ESMA search): same arguments, but it returns ``(quotients, info)`` with ``quotients`` a list of Python
    ``int`` (possibly empty) and never warns.  With ``strict=True`` a short expansion raises
    ``PrecisionExhausted`` whose ``partial`` is the certified list.

    Examples
    ========

    >>> from sympy import E
    >>> expand_quotients(E, (-1, 1), terms=8)
    ([3, 3, 2, 5, 2, 7, 2, 9], ExpansionInfo(requested=8, certified=8, status='complete', dps=30, reason=None))
    >>> from flint import arb
    >>> expand_quotients(arb(2).sqrt(), terms=41)[1].status      # 53-bit ball: runs out
    'exhausted'

    Parameters
    ==========

    x, signs, terms, dps, max_dps, strict
        As for :func:`esma_sympy.expand` (``depth``, the index of the last quotient, is
        deprecated: ``depth=d`` is ``terms=d + 1``).

    Returns
    =======

    (list of int, ExpansionInfo)

    See Also
    ========

    esma_sympy.expand, esma_sympy.expand_report, expand_parts
    """
    terms = _resolve_terms("expand_quotients", depth, terms)
    src, _, _, terms = _sign_source(signs, terms)
    return _expand(x, src, terms, dps, max_dps, strict)


def _expand(x, sg, n, dps, max_dps, strict):
    kind, val = _classify(x)
    if dps is not None:
        dps = _check_int(dps, "dps", 1)
        if dps > limits.MAX_DPS:
            raise ResourceLimitError(f"dps = {dps} is above esma_sympy.limits.MAX_DPS = "
                                     f"{limits.MAX_DPS} digits; set it higher to go on")
    if max_dps is not None:
        max_dps = _check_int(max_dps, "max_dps", 1)
        if max_dps > limits.MAX_DPS:
            raise ResourceLimitError(f"max_dps = {max_dps} is above esma_sympy.limits.MAX_DPS = "
                                     f"{limits.MAX_DPS} digits; set it higher to go on")
    if not isinstance(strict, bool):
        raise TypeError(f"strict must be True or False, got {strict!r}")

    if kind == "exact":
        p, q = val
        qs, ended = _exact_quotients(p, q, sg, n)
        return qs, ExpansionInfo(n, len(qs), "terminated" if ended else "complete", None)
    if kind == "interval":
        p1, q1, p2, q2 = val
        qs, st = _kernel(p1, q1, p2, q2, sg, n)
        if st in ("complete", "terminated"):
            return qs, ExpansionInfo(n, len(qs), st, None)
        reason = _reason(st, len(qs), n) + "; the input ball is fixed (pass a SymPy " \
            "expression or a string to let expand raise the precision)"
        return _short(qs, n, None, reason, strict)

    from .constants import to_arb

    # a constant whose integer part or reciprocal cannot fit the precision budget is refused
    # before any ball of that size is built (gamma(10**9), exp(-10**9))
    try:
        up, down = limits.magnitude_bits(to_arb(val, 64))
    except PrecisionExhausted:               # not finite at 64 bits: the loop below decides
        up = down = 0
    cap = (max_dps if max_dps is not None else max(DEFAULT_MAX_DPS, 4 * (dps or 0))) * 3.33
    if max(up, down) > cap:
        raise ResourceLimitError(
            f"x = {str(val)[:60]}: its {'integer part' if up >= down else 'reciprocal'} has "
            f"about {max(up, down):.2g} bits, more than the {int(cap):,} bits of max_dps; its "
            "first quotients cannot be certified")
    cur = dps if dps is not None else _initial_dps(n)
    limit = max_dps if max_dps is not None else max(DEFAULT_MAX_DPS, 4 * cur)
    if cur > limit:
        raise ValueError(f"dps must be <= max_dps, got dps = {cur} > max_dps = {limit}")
    best: list = []
    exact_tried = False
    while True:
        try:
            ball = to_arb(val, _dps_to_prec(cur))
        except PrecisionExhausted:
            exact = None if exact_tried else _exact_algebraic(val, sg, n)
            if exact is None:
                raise
            return _exact_info(exact, best, val, n)
        p1, q1, p2, q2 = _ball_pairs(ball)
        qs, st = _kernel(p1, q1, p2, q2, sg, n)
        if qs[: len(best)] != best[: len(qs)]:  # pragma: no cover - would be a bug in T2.2
            raise RuntimeError(
                f"internal error: expansions of {val} at two precisions disagree: {best[:20]} "
                f"vs {qs[:20]}; please report"
            )
        if len(qs) > len(best):
            best = qs
        if st in ("complete", "terminated"):
            return qs, ExpansionInfo(n, len(qs), st, cur)
        if not exact_tried:
            # the ball does not decide a quotient: an exact rational (where x_i = a_i ends the
            # expansion, so no ball can decide it) or a quadratic irrational, built from
            # radicals, is expanded exactly instead; only here, so a constant whose ball
            # decides every quotient (every transcendental one, in practice) pays nothing
            exact_tried = True
            exact = _exact_algebraic(val, sg, n)
            if exact is not None:
                return _exact_info(exact, best, val, n)
        if cur >= limit:
            reason = _reason(st, len(best), n) + f" at max_dps = {limit} digits"
            return _short(best, n, cur, reason, strict)
        k = len(qs)
        new = 2 * cur if k == 0 else max(2 * cur, int(1.1 * cur * n / k) + 10)
        cur = min(new, limit)


def _exact_quotients(p: int, q: int, sg: "_Signs", n: int):
    """The first ``n`` ESMA quotients of ``p/q`` and whether the expansion ended there.

    A periodic or explicit sign sequence goes through the simple continued fraction
    (:mod:`esma_sympy.numeric.rational`: FLINT's half-gcd, then a linear rewriting for the
    signs); a callable, whose signs are asked for only as far as needed, through the kernel.
    """
    if sg._pattern is not None:
        return _rational_expansion(p, q, sg._pattern, n)
    if sg._fn is None:
        return _rational_expansion(p, q, sg.list, n)
    qs, st = _kernel(p, q, p, q, sg, n)
    return qs, st == "terminated"


def _exact_algebraic(val, sg: "_Signs", n: int):
    """``(quotients, ended)`` of a SymPy constant that is exactly a rational or a real quadratic
    irrational (decided by its minimal polynomial, :func:`~esma_sympy.numeric.quadratic.
    algebraic_parts`), expanded exactly; ``None`` for any other constant."""
    from .quadratic import algebraic_parts, quadratic_quotients

    parts = algebraic_parts(val)
    if parts is None:
        return None
    if parts[0] == "rational":
        return _exact_quotients(parts[1], parts[2], sg, n)
    _, P, Q, D = parts
    return quadratic_quotients(P, Q, D, sg, n), False


def _exact_info(exact, best: list, val, n: int):
    qs, ended = exact
    if qs[: len(best)] != best[: len(qs)]:  # pragma: no cover - would be a bug in T2.2
        raise RuntimeError(f"internal error: the exact and certified expansions of {val} "
                           f"disagree: {qs[:20]} vs {best[:20]}; please report")
    return qs, ExpansionInfo(n, len(qs), "terminated" if ended else "complete", None)


def _reason(status: str, k: int, n: int) -> str:
    if status == "boundary":
        return (f"{k} of {n} quotients certified: the ball contains x_{k - 1} = a_{k - 1} "
                "exactly, so it does not decide whether the expansion ends there")
    return f"{k} of {n} quotients certified: the ball does not decide a_{k}"


def _short(qs, n, dps, reason, strict):
    if strict:
        raise PrecisionExhausted(reason, partial=list(qs))
    return qs, ExpansionInfo(n, len(qs), "exhausted", dps, reason)


def _scf_shape(qs, sg, kind, pattern) -> tuple[tuple, bool]:
    """``(signs, periodic)`` of the SCF with the quotients ``qs``: the pattern for a periodic
    one; else the signs that follow ``a_0 .. a_{len(qs) - 2}`` (``(s_0,)`` for one quotient)."""
    if kind == "periodic":
        return tuple(pattern), True
    if len(qs) == 1:
        return (sg[0],), True
    return tuple(sg[: len(qs) - 1]), False


def expand_parts(x, signs=(1,), depth: int | None = None, *, terms: int | None = None,
                 dps: int | None = None, max_dps: int | None = None,
                 strict: bool = False) -> tuple[list[int], tuple, bool, ExpansionInfo]:
    """The certified expansion as raw parts: ``(quotients, scf_signs, periodic, info)``.

    Explanation
    ===========

    What :func:`esma_sympy.expand_report` returns, before it becomes an SCF:
    ``SCF(quotients, scf_signs, periodic)`` is the certified expansion (for a callable or a
    :class:`SignSequence` the signs are the ones that follow the quotients, see
    :func:`esma_sympy.expand`).  ``quotients`` is a list of Python ints, possibly empty; with
    ``strict=True`` a short expansion raises ``PrecisionExhausted`` whose ``partial`` is
    ``(quotients, scf_signs, periodic)`` (or ``None`` when nothing is certified).  Never warns.

    Examples
    ========

    >>> from sympy import E, Rational
    >>> expand_parts(E, (-1, 1), terms=5)[:3]
    ([3, 3, 2, 5, 2], (-1, 1), True)
    >>> expand_parts(Rational(7, 3), SignSequence([1, -1, 1, 1]))[:3]
    ([2, 3], (1,), False)

    Parameters
    ==========

    x, signs, terms, dps, max_dps, strict
        As for :func:`esma_sympy.expand` (``depth=d``, deprecated, is ``terms=d + 1``).

    Returns
    =======

    (list of int, tuple of int, bool, ExpansionInfo)

    See Also
    ========

    expand_quotients, esma_sympy.expand, esma_sympy.expand_report
    """
    terms = _resolve_terms("expand_parts", depth, terms)
    src, kind, pattern, terms = _sign_source(signs, terms)
    try:
        qs, info = _expand(x, src, terms, dps, max_dps, strict)
    except PrecisionExhausted as exc:
        if exc.partial:
            exc.partial = (exc.partial, *_scf_shape(exc.partial, src.list, kind, pattern))
        else:
            exc.partial = None
        raise
    sg, periodic = _scf_shape(qs, src.list, kind, pattern) if qs else ((), True)
    return qs, sg, periodic, info


def __getattr__(name):
    # ``expand`` and ``expand_report`` build SCFs, so they live in cf/ (ARCHITECTURE.md: numeric/
    # returns no SymPy objects); their old path here works for one release.
    if name in ("expand", "expand_report"):
        import warnings

        from ..cf import expansion

        warnings.warn(f"esma_sympy.numeric.expand.{name} is deprecated and will be removed in "
                       f"the next release; use esma_sympy.{name} (esma_sympy.cf.expansion.{name})",
                       DeprecationWarning, stacklevel=2)
        return getattr(expansion, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
