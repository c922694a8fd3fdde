"""Behaviour shared by ``PCF`` and ``SCF``: exact convergents, certified values, ``evalf``.

Both classes describe ``a_0 + b_1/(a_1 + b_2/(a_2 + ...))``; they differ in how the levels
``a_k, b_k`` are produced.  A subclass supplies four hooks:

``_a0()``
    ``a_0`` as an integer or ``fmpq``.
``_ab(start, stop)``
    lists ``[a_k]`` and ``[b_k]`` for ``start <= k < stop`` (``k >= 1``).
``_length()``
    the number of levels ``n`` of a finite fraction, or ``None``.
``_tail(n)``
    a closed interval ``(lo, hi, method)`` proven to contain
    ``tau_n = b_{n+1}/(a_{n+1} + b_{n+2}/(...))``, or ``None`` when no proof is available at
    depth ``n``; and ``_tail_start()``, the least depth at which ``_tail`` can succeed
    (``None``: never).
"""

from __future__ import annotations

import math
from functools import lru_cache

from flint import arb, fmpq
from sympy import Expr, Float, Rational, sympify
from sympy.core.evalf import prec_to_dps

from .._args import check_int, renamed_keyword
from ..numeric.parse import sympify_safe
from .. import limits
from .._flintctx import workprec
from ..errors import DivergenceError, PrecisionExhausted
from ..numeric.walk import extend_walk, mobius_enclosure, walk

__all__ = ["CFValue", "ContinuedFraction"]

_LOG2_10 = math.log2(10)


def _dps_to_prec(dps: int) -> int:
    return int(math.ceil(dps * _LOG2_10)) + 24


def _check_positive_int(value, name: str) -> int:
    return check_int(value, name, 1)


def _check_depth(value, name: str = "depth") -> int:
    value = check_int(value, name, 0)
    limits.check_terms(value, name)
    return value


def _index(where: str, n, depth) -> int:
    """The convergent index ``n`` of ``where``, taking the deprecated keyword ``depth=`` (the
    same index under its old name) for one release; checked like every index."""
    n = renamed_keyword(where, "depth", depth, "n", n, stacklevel=4)
    if n is None:
        raise TypeError(f"{where}() missing the index n")
    return _check_depth(n, "n")


def _floor_log_ratio(ball: arb, base: int, factor: int):
    """``floor(log_base(|x|_min / (factor * rad)))`` rounded down rigorously, ``None`` for an
    exact ball, ``-1`` when the ball contains 0 or is not finite."""
    if not ball.is_finite():
        return -1
    rad = ball.rad()
    if rad == 0:
        return None
    with workprec(64):
        scale = ball.abs_lower()
        if scale <= 0:
            return -1
        d = ((scale / (factor * rad)).log() / arb(base).log()).lower()
    return int(d.floor().unique_fmpz()) if d.is_finite() else -1


def verified_digits(ball: arb) -> int:
    """Significant decimal digits proven by a ball: ``floor(log10(|x|_min / (2 rad)))``.

    The count is *relative* (as SymPy's and mpmath's precision is): a ball that contains 0
    proves no digit.

    >>> from flint import arb
    >>> verified_digits(arb(2, 1e-20)), verified_digits(arb("0.002", 1e-20))
    (19, 16)
    >>> verified_digits(arb(0, 1e-20))
    0
    """
    d = _floor_log_ratio(ball, 10, 2)
    return 10**9 if d is None else max(d, 0)


def _accuracy_bits(ball: arb) -> int:
    """``floor(log2(|x|_min / rad)) - 1``: the relative accuracy of a ball in bits as SymPy's
    ``evalf`` uses it (one bit held back for the rounding of the midpoint: theory T1.8),
    ``0`` when the ball contains 0.

    >>> from flint import arb
    >>> _accuracy_bits(arb(1, 2.0**-20)), _accuracy_bits(arb(0, 1))
    (18, 0)
    """
    d = _floor_log_ratio(ball, 2, 1)
    return 10**9 if d is None else max(d - 1, 0)


class CFValue:
    """The value of a continued fraction, with a proof of its accuracy when one exists.

    Explanation
    ===========

    ``ball`` is an ``arb`` ball that provably contains the limit when ``certified`` is true;
    ``digits`` is the number of decimal digits the ball proves (see :func:`verified_digits`);
    ``depth`` is the number of levels used; ``method`` names the tail bound that made the proof
    (``'exact'``, ``'semiregular tail'``, ``'positive tail'``, ``'Worpitzky'``).  When no proof
    is available, ``certified`` is false, ``ball`` holds a heuristic estimate (two convergents
    that agree) or is ``None``, ``digits`` is ``0``, and ``reason`` says why.

    Examples
    ========

    >>> from sympy import E
    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> v = PCF(n + 3, -n, n).evaluate(40)
    >>> v.certified, v.digits >= 40, v.contains(E)
    (True, True, True)
    """

    __slots__ = ("ball", "digits", "depth", "dps", "certified", "method", "reason", "exact",
                 "has_limit")

    def __init__(self, ball, digits, depth, dps, certified, method, reason=None, exact=None,
                 has_limit=None):
        self.has_limit = True if certified else has_limit
        self.ball = ball
        self.digits = digits
        self.depth = depth
        self.dps = dps
        self.certified = certified
        self.method = method
        self.reason = reason
        self.exact = exact

    def contains(self, x) -> bool:
        """Whether the (certified) ball contains ``x`` (a SymPy number, int, fmpq or arb)."""
        if self.ball is None:
            return False
        prec = max(_dps_to_prec(self.dps), _dps_to_prec(min(self.digits, 10**6))) + 64
        if isinstance(x, arb):
            return bool(self.ball.contains(x))
        with workprec(prec):
            if isinstance(x, (int, fmpq)):
                return bool(self.ball.contains(arb(x)))
            from ..numeric.constants import to_arb

            return bool(self.ball.contains(to_arb(sympify_safe(x), prec)))

    def to_Float(self) -> Float:
        """The midpoint as a SymPy ``Float`` with the requested ``dps`` digits (fewer if fewer
        are proven)."""
        if self.exact is not None:
            return Float(self.exact, max(self.dps, 15))
        if self.ball is None:
            raise PrecisionExhausted(f"no value available: {self.reason}")
        d = max(min(self.digits, self.dps), 1) if self.certified else max(self.dps, 1)
        return Float(self.ball.mid().str(d + 3, radius=False), d)

    def __float__(self) -> float:
        return float(self.to_Float())

    def __repr__(self) -> str:
        if self.exact is not None:
            return f"CFValue(exact={self.exact}, depth={self.depth})"
        if self.has_limit is False:
            return f"CFValue(no limit, reason={self.reason!r})"
        if not self.certified:
            return f"CFValue(uncertified, estimate={self.ball}, reason={self.reason!r})"
        return (
            f"CFValue({self.ball.str(min(max(self.digits, 1), 60) + 2)}, digits={self.digits}, "
            f"depth={self.depth}, method={self.method!r})"
        )


@lru_cache(maxsize=64)
def _walk_cached(cf, depth: int):
    a0 = cf._a0()
    avals, bvals = cf._ab(1, depth + 1)
    return walk(a0, avals, bvals)


class ContinuedFraction(Expr):
    """Abstract base of :class:`PCF` and :class:`SCF` (a SymPy ``Expr``: it denotes a number).

    Both classes share exact convergents, certified values and ``evalf`` through the hooks of
    the module docstring, so a PCF and an SCF with the same levels agree exactly:

    >>> from esma_sympy import PCF, SCF
    >>> PCF(2, 1).convergent(5) == SCF([2] * 6).convergent(5)
    True
    """

    is_commutative = True

    # -- subclass hooks ----------------------------------------------------------------------
    def _a0(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _ab(self, start: int, stop: int):  # pragma: no cover - abstract
        raise NotImplementedError

    def _length(self):
        return None

    def _degree(self) -> int:
        """A bound for the degree in the index of the partial quotients (0: constants)."""
        return 0

    def _check_walk_size(self, depth: int, every: bool = False, name: str = "depth") -> None:
        """Refuse a walk whose integers would exceed memory: about ``(degree + 1) * depth *
        log2(depth)`` bits each (``PCF(n**10000, 1).convergent(10**6)``), and about
        ``depth / 2`` times that for the list of every convergent (``every``)."""
        deg = self._degree()
        bits = (deg + 1) * depth * math.log2(depth + 2) * (depth / 2 + 1 if every else 1)
        if bits > 2 * limits.MAX_MEMORY:       # four such integers, 8 bits a byte
            what = "the convergents up to it would have" if every else \
                "its convergent's numerator and denominator would have"
            raise limits.ResourceLimitError(
                f"{name} = {depth}: {what} about {bits:.2g} bits (degree {deg}), above "
                f"esma_sympy.limits.MAX_MEMORY = {limits.format_size(limits.MAX_MEMORY)}")

    def _tail_start(self):
        return None

    def _tail(self, depth: int):
        return None

    def _require_numeric(self, what: str):
        if self.free_symbols:
            raise ValueError(
                f"{what} needs numeric parameters; {self} has free symbols "
                f"{sorted(map(str, self.free_symbols))}"
            )

    # -- exact convergents ---------------------------------------------------------------------
    def walk_matrix(self, n: int | None = None, *, depth: int | None = None):
        """``[[p_n, p_{n-1}], [q_n, q_{n-1}]]`` as a python-flint matrix (``depth=``, the old
        name of the index ``n``, works for one release with a ``DeprecationWarning``).

        >>> from esma_sympy import PCF
        >>> PCF(1, 1).walk_matrix(5)
        [13, 8]
        [ 8, 5]
        """
        depth = _index("walk_matrix", n, depth)
        L = self._length()
        if L is not None and depth > L:
            raise ValueError(f"n must be <= {L} for this finite continued fraction, got {depth}")
        self._require_numeric("walk_matrix")
        self._check_walk_size(depth, name="n")
        return _walk_cached(self, depth)

    def convergent(self, n: int | None = None, *, depth: int | None = None) -> Rational:
        """The convergent ``p_n/q_n`` (the fraction cut after ``a_n``) as an exact ``Rational``
        (``depth=``, the old name of ``n``, works for one release with a
        ``DeprecationWarning``).

        Raises ``DivergenceError`` naming the depth when ``q_n = 0``.

        >>> from sympy.abc import n
        >>> from esma_sympy import PCF
        >>> PCF(2*n + 1, n**2, n).convergent(3)       # 1 + 1/(3 + 4/(5 + 9/7))
        51/40
        """
        depth = _index("convergent", n, depth)
        if self.free_symbols:
            return self._symbolic_convergent(depth)
        P = self.walk_matrix(depth)
        p, q = P[0, 0], P[1, 0]
        if q == 0:
            raise DivergenceError(f"zero denominator q_{depth} = 0: the convergent at depth {depth} is undefined")
        r = fmpq(p) / fmpq(q)
        return Rational(int(r.p), int(r.q))

    def numer_denom(self, n: int | None = None, *, depth: int | None = None) -> tuple:
        """``(p_n, q_n)``: the convergent's numerator and denominator as the
        recurrence gives them (``Integer``; not reduced, so ``p_n q_{n-1} - p_{n-1} q_n =
        (-1)^n b_1 ... b_n`` holds, theory T1.1).  ``convergent(n).as_numer_denom()`` is the
        reduced pair.  (``depth=``, the old name of ``n``, works for one release with a
        ``DeprecationWarning``.)

        >>> from sympy.abc import n
        >>> from esma_sympy import PCF
        >>> PCF(2*n + 1, n**2, n).numer_denom(3), PCF(2*n + 1, n**2, n).convergent(3)
        ((204, 160), 51/40)
        """
        from sympy import Integer

        P = self.walk_matrix(_index("numer_denom", n, depth))
        x, y = P[0, 0], P[1, 0]
        if isinstance(x, fmpq):          # rational coefficients: an fmpq walk
            return Rational(int(x.p), int(x.q)), Rational(int(y.p), int(y.q))
        return Integer(int(x)), Integer(int(y))

    def convergents(self, n: int | None = None, *, depth: int | None = None) -> list:
        """The convergents ``p_0/q_0, ..., p_n/q_n`` (``None`` where the denominator vanishes;
        ``depth=``, the old name of ``n``, works for one release with a ``DeprecationWarning``).

        >>> from esma_sympy import PCF
        >>> PCF(1, 1).convergents(4)
        [1, 2, 3/2, 5/3, 8/5]
        """
        depth = _index("convergents", n, depth)
        L = self._length()
        if L is not None and depth > L:
            raise ValueError(f"n must be <= {L} for this finite continued fraction, got {depth}")
        if self.free_symbols:
            return [self._symbolic_convergent(d) for d in range(depth + 1)]
        self._check_walk_size(depth, every=True, name="n")
        a0 = fmpq(self._a0())
        avals, bvals = self._ab(1, depth + 1)
        p1, p2, q1, q2 = a0, fmpq(1), fmpq(1), fmpq(0)
        out = [Rational(int(a0.p), int(a0.q))]
        for a, b in zip(avals, bvals):
            p1, p2 = a * p1 + b * p2, p1
            q1, q2 = a * q1 + b * q2, q1
            if q1 == 0:
                out.append(None)
            else:
                r = p1 / q1
                out.append(Rational(int(r.p), int(r.q)))
        return out

    def _symbolic_convergent(self, depth: int):
        from sympy import cancel

        a0 = self._sym_a(0)
        p1, p2, q1, q2 = a0, sympify(1), sympify(1), sympify(0)
        for k in range(1, depth + 1):
            a, b = self._sym_a(k), self._sym_b(k)
            p1, p2 = a * p1 + b * p2, p1
            q1, q2 = a * q1 + b * q2, q1
        return cancel(p1 / q1)

    # -- certified values -----------------------------------------------------------------------
    def evaluate(self, dps: int = 15, *, max_depth: int = 200000, strict: bool = False) -> CFValue:
        """The value to ``dps`` decimal digits, with a rigorous error bound when one is proven.

        Explanation
        ===========

        The depth is raised (by extrapolating the digits gained per level) until the
        enclosure from the tail bound proves ``dps`` digits or ``max_depth`` is reached.  The
        tail bound must hold for *every* level beyond the depth; it is proven exactly from the
        polynomials (theory T1.2-T1.6).  When no bound can be proven the result says so
        (``certified=False`` with a ``reason``) instead of guessing; with ``strict=True`` that
        case, and running out of depth, raise ``PrecisionExhausted``.  A fraction that provably
        has no limit (it terminates, cycles or diverges: theory T1.7) gets no value:
        ``has_limit`` is ``False`` and ``reason`` says why (``DivergenceError`` with
        ``strict=True``).

        Examples
        ========

        >>> from sympy.abc import n
        >>> from esma_sympy import PCF
        >>> v = PCF(n + 3, -n, n).evaluate(30)     # e = 3 - 1/(4 - 2/(5 - ...))
        >>> v.to_Float()
        2.71828182845904523536028747135
        >>> v.method
        'Worpitzky'
        >>> PCF(1, -1).evaluate().reason         # 1 - 1/(1 - 1/(1 - ...)) has no limit
        'the fraction has no limit: its convergents cycle with period 3 (a^2 + 4b = -3 < 0)'

        Parameters
        ==========

        dps : int
            Decimal digits wanted.
        max_depth : int
            The most levels to use.
        strict : bool
            Raise instead of returning an uncertified or short result.

        Returns
        =======

        CFValue
        """
        dps = _check_positive_int(dps, "dps")
        if dps > limits.MAX_DPS:
            raise limits.ResourceLimitError(f"dps = {dps} is above esma_sympy.limits.MAX_DPS = "
                                            f"{limits.MAX_DPS} digits; set it higher to go on")
        max_depth = _check_positive_int(max_depth, "max_depth")
        self._require_numeric("evaluate")
        prec = _dps_to_prec(dps)
        L = self._length()
        if L is not None:
            P = self.walk_matrix(L)
            if P[1, 0] == 0:
                raise DivergenceError(f"zero denominator q_{L} = 0: the finite continued fraction is undefined")
            x = fmpq(P[0, 0]) / fmpq(P[1, 0])
            with workprec(prec):
                ball = arb(x)
            return CFValue(ball, 10**9 if ball.rad() == 0 else verified_digits(ball), L, dps, True,
                           "exact", exact=Rational(int(x.p), int(x.q)))
        no_limit = self._no_limit_reason()
        if no_limit is not None:
            if strict:
                raise DivergenceError(f"{self} has no value: {no_limit}")
            return CFValue(None, 0, None, dps, False, None, reason=no_limit, has_limit=False)
        start = self._tail_start()
        if start is None:
            reason = self._no_tail_reason()
            if strict:
                raise PrecisionExhausted(f"cannot certify the value of {self}: {reason}")
            est = self._heuristic(prec, max_depth)
            return CFValue(est, 0, None, dps, False, None, reason=reason)
        depth = min(max(start, 16), max_depth) if start <= max_depth else start
        P = self.walk_matrix(depth)
        best = None
        while True:
            tail = self._tail(depth)
            ball = None
            if tail is not None:
                lo, hi, method = tail
                ball = mobius_enclosure(P, lo, hi, prec)
            digits = verified_digits(ball) if ball is not None else 0
            if ball is not None:
                best = CFValue(ball, digits, depth, dps, True, method)
                if digits >= dps:
                    return best
            if depth >= max_depth:
                break
            if digits > 0:
                factor = min(4.0, max(1.25, (dps + 4) / digits))
            else:
                factor = 2.0
            new = min(max_depth, max(depth + 8, int(depth * factor)))
            avals, bvals = self._ab(depth + 1, new + 1)
            P = extend_walk(P, avals, bvals)
            depth = new
        msg = (f"max_depth={max_depth} reached with {best.digits if best else 0} of {dps} "
               f"digits proven")
        if strict:
            raise PrecisionExhausted(msg, partial=best)
        if best is None:
            return CFValue(None, 0, depth, dps, False, None, reason=msg)
        best.reason = msg
        return best

    def _no_tail_reason(self) -> str:
        return "no tail bound is known for this continued fraction"

    def _no_limit_reason(self):
        """Why the fraction provably has no limit (theory T1.7), or ``None``."""
        return None

    def _heuristic(self, prec: int, max_depth: int):
        """Two convergents at depths n and 2n that agree to ``prec`` bits, or ``None``."""
        depth = 32
        with workprec(prec + 16):
            prev = None
            while depth <= max_depth:
                try:
                    P = self.walk_matrix(depth)
                except ValueError:
                    return None
                if P[1, 0] != 0:
                    x = arb(fmpq(P[0, 0]) / fmpq(P[1, 0]))
                    if prev is not None:
                        diff = abs(x - prev)
                        if diff.upper() <= abs(x).upper() * arb(2) ** (-prec):
                            return x
                    prev = x
                depth *= 2
        return None

    def convergence_rate(self, n: int = 100, *, depth=None) -> float:
        """Digits per level: ``-log10|p_n/q_n - p_{2n}/q_{2n}| / n`` (``depth=`` is the old
        name of ``n``, deprecated).

        An estimate of how many decimal digits each level adds (a descriptive statistic, not
        a certificate).

        >>> from sympy.abc import n
        >>> from esma_sympy import PCF
        >>> round(PCF(1, 1).convergence_rate(200), 3)      # 2*log10(golden ratio)
        0.418
        """
        depth = _check_positive_int(renamed_keyword("convergence_rate", "depth", depth, "n", n,
                                                    default=100), "n")
        self._require_numeric("convergence_rate")
        A = self.walk_matrix(depth)
        B = self.walk_matrix(2 * depth)
        if A[1, 0] == 0 or B[1, 0] == 0:
            raise DivergenceError(f"zero denominator at depth {depth} or {2 * depth}")
        diff = abs(fmpq(A[0, 0]) / fmpq(A[1, 0]) - fmpq(B[0, 0]) / fmpq(B[1, 0]))
        if diff == 0:
            return math.inf
        num, den = int(diff.p), int(diff.q)
        lg = (den.bit_length() - num.bit_length()) / _LOG2_10
        return lg / depth

    def _eval_evalf(self, prec):
        # reached by SymPy's fallbacks (a function of the fraction, Float arithmetic), which
        # trust a Float to the precision asked for: a shorter value is no value (theory T1.8);
        # ``N(x)`` itself goes through the evalf table, which carries the proven accuracy
        if _refused_here():
            return None      # this evalf already refused a short value of the fraction
        r = _evalf_quad(self, prec, warn=True)
        if r is None:
            return None
        re, acc = r
        if acc < prec - 4:
            return None
        return Float._new(re, prec)

    # -- code printers (lambdify) and closed forms ------------------------------------------
    def _numpycode(self, printer):
        from ._lambdify import lambdify_code

        return lambdify_code(self, printer, "numpy")

    _scipycode = _numpycode

    def _mpmathcode(self, printer):
        from ._lambdify import lambdify_code

        return lambdify_code(self, printer, "mpmath")

    def _pythoncode(self, printer):
        from ._lambdify import lambdify_code

        return lambdify_code(self, printer, "math")

    def closed_form(self):
        """The proven closed form of the value, or ``None`` when none is proven.

        The closed form comes from :func:`esma_sympy.theory.identify` and is returned only
        when its status is ``'proven'`` and its certificate checks.

        >>> from sympy import Symbol
        >>> from esma_sympy import SCF, QuasiPolynomial
        >>> k = Symbol('k')
        >>> SCF(QuasiPolynomial([], [1, 4*k + 2, 4*k + 4], k), (1, -1, 1)).closed_form()
        tan(1)
        >>> from esma_sympy import PCF
        >>> PCF(2, 1).closed_form() is None or True
        True
        """
        return _proven_closed_form(self)

    def doit(self, **hints):
        """The proven closed form (see :meth:`closed_form`); the fraction itself when none is
        proven.

        >>> from sympy import Symbol
        >>> from esma_sympy import SCF, QuasiPolynomial
        >>> k = Symbol('k')
        >>> SCF(QuasiPolynomial([], [1, 4*k + 2, 4*k + 4], k), (1, -1, 1)).doit()
        tan(1)
        >>> from sympy.abc import n
        >>> from esma_sympy import PCF
        >>> PCF(1, n**3, n).doit()                  # divergent: nothing to prove
        PCF(1, n**3, n)
        """
        cf = _proven_closed_form(self)
        return self if cf is None else cf

    def _eval_rewrite(self, rule, args, **hints):
        cf = _proven_closed_form(self)
        if cf is None:
            return None
        if rule == "closed_form" or (not isinstance(rule, str) and cf.has(rule)):
            return cf
        return None

    def _eval_rewrite_as_closed_form(self, *args, **hints):
        return _proven_closed_form(self)

    def __float__(self):
        """The nearest float to the *proven* digits (an unproven digit never appears).

        >>> from esma_sympy import PCF
        >>> from sympy.abc import n
        >>> float(PCF(n + 3, -n, n))
        2.718281828459045
        """
        v = self.evalf(17)
        if not v.is_Number:
            reason = _cached_value(self, 17).reason or "no digit is proven"
            raise TypeError(f"cannot convert {self} to float: {reason}")
        return float(str(v))

    def __complex__(self):
        return complex(self.__float__())

    def round(self, n=None):
        """``round(x, n)`` from the proven digits; ``PrecisionExhausted`` when the digits up to
        that place are not all proven.

        >>> from esma_sympy import PCF
        >>> from sympy.abc import n
        >>> PCF(n + 3, -n, n).round(5), round(PCF(1, 1), 3)
        (2.71828, 1.618)
        """
        from sympy import floor as _floor, log as _log

        places = 0 if n is None else int(n)
        v = self.evalf(max(30, places + 30))
        if not v.is_Number:
            reason = _cached_value(self, 30).reason or "no digit is proven"
            raise TypeError(f"cannot round {self}: {reason}")
        proven = prec_to_dps(v._prec) if isinstance(v, Float) else 10**9
        lead = int(_floor(_log(abs(v), 10))) + 1 if v != 0 else 1
        if proven < lead + places + 1:
            raise PrecisionExhausted(f"round({self}, {places}) needs {lead + places + 1} digits; "
                                     f"only {proven} are proven")
        return v.round(n)

    __round__ = round

    # -- SymPy assumptions, decided by certified values ------------------------------------
    @property
    def is_number(self):
        return not self.free_symbols

    def _certified_ball(self):
        """A certified ball of the value (5 digits, 30 when those do not exclude 0), or
        ``None`` when no value is proven."""
        if self.free_symbols:
            return None
        for dps in (5, 30):
            v = _cached_value(self, dps)
            if v.exact is not None:
                with workprec(128):
                    return arb(fmpq(int(v.exact.p), int(v.exact.q)))
            if not v.certified or v.ball is None:
                return None
            if not v.ball.contains(0):
                break
        return v.ball

    def _eval_is_extended_real(self):
        if self.free_symbols:
            return None
        if self._length() is not None or self._tail_start() is not None:
            return True  # a finite fraction, or convergence proven (T1.3-T1.5)
        return None

    def _eval_is_finite(self):
        b = self._certified_ball()
        return True if b is not None and b.is_finite() else None

    def _eval_is_extended_positive(self):
        b = self._certified_ball()
        if b is None:
            return None
        if b > 0:
            return True
        if b <= 0:
            return False
        return None

    def _eval_is_extended_negative(self):
        b = self._certified_ball()
        if b is None:
            return None
        if b < 0:
            return True
        if b >= 0:
            return False
        return None

    def _eval_is_zero(self):
        b = self._certified_ball()
        if b is None:
            return None
        if not b.contains(0):
            return False
        if b.rad() == 0:
            return True
        return None


@lru_cache(maxsize=256)
def _proven_closed_form(cf):
    if cf.free_symbols or cf._length() is not None:
        return None
    if cf._no_limit_reason() is not None or cf._tail_start() is None:
        return None
    from ..theory import identify  # upward, inside the function (ARCHITECTURE.md)

    r = identify(cf)
    if getattr(r, "status", None) == "proven" and r.check():
        return r.closed_form
    return None


_VALUES: dict = {}          # cf -> CFValues computed so far (bounded: see _remember)
_VALUES_MAX = 512


def _remember(cf, v: CFValue) -> CFValue:
    if len(_VALUES) >= _VALUES_MAX and cf not in _VALUES:
        _VALUES.pop(next(iter(_VALUES)))
    _VALUES.setdefault(cf, []).append(v)
    return v


def _cached_value(cf, dps: int) -> CFValue:
    """``cf.evaluate(dps)``, reusing an earlier value that already proves ``dps`` digits, or
    one that ran out of depth (asking again, for any number of digits, would walk to the same
    maximal depth), so repeated comparisons and evalf retries at any precision cost one
    evaluation.  A fraction without a value (no limit, undefined levels, coefficients the exact
    arithmetic cannot take) gets a ``CFValue`` that says why."""
    for v in _VALUES.get(cf, ()):
        if v.exact is not None or v.has_limit is False:
            return v
        if v.certified and v.digits >= dps:
            return v
        if v.reason:
            return v                    # out of depth (or never certifiable): more digits
            #                             cannot be had, and fewer than its own are above
    try:
        v = cf.evaluate(dps)
    except DivergenceError as err:
        v = CFValue(None, 0, None, dps, False, None, reason=str(err), has_limit=False)
    except (TypeError, ValueError) as err:
        v = CFValue(None, 0, None, dps, False, None, reason=f"it cannot be evaluated: {err}")
    return _remember(cf, v)


# SymPy's evalf routines that combine an argument's *accuracy* into their own (``Add``,
# ``Mul``, ``Abs``, the top-level ``evalf``); every other caller (powers, exp, log,
# trigonometric functions, ``_to_mpmath``) trusts an argument to the precision it asked for, so
# a value short of that precision must not reach it (theory T1.8).
_ACCURACY_AWARE = {"evalf_add", "evalf_mul", "evalf_abs", "evalf_re", "evalf_im"}


# SymPy-internal callers of ``evalf`` that use a short result only through its accuracy (the
# sign or magnitude of a difference, with the precision checked); every other SymPy caller
# (``round``, ``int``, ``float``, ``complex``, ``nsolve``, ...) reads the digits themselves.
_SYMPY_ACCURACY_READERS = {"N", "_n2", "is_comparable", "_eval_is_comparable", "_random",
                           "_eval_is_extended_positive_negative"}


# the user-level evalf frames that refused a short value, held (so no later frame can reuse an
# id while it is listed; at most 64, then forgotten)
_REFUSED: dict = {}


def _user_evalf_frame():
    """The innermost ``EvalfMixin.evalf`` frame (the one that builds the Float), or ``None``."""
    import sys

    f = sys._getframe(1)
    while f is not None:
        if f.f_code.co_name == "evalf" and "result" in f.f_code.co_varnames:
            return f
        f = f.f_back
    return None


def _mark_refused() -> None:
    """Remember that this user-level evalf refused a short value: its fallbacks (SymPy's
    ``_eval_evalf`` Float arithmetic, which ignores cancellation) must not use it either."""
    f = _user_evalf_frame()
    if f is not None:
        if len(_REFUSED) >= 64:
            _REFUSED.clear()
        _REFUSED[id(f)] = f


def _refused_here() -> bool:
    f = _user_evalf_frame()
    return f is not None and _REFUSED.get(id(f)) is f


def _caller_tracks_accuracy() -> bool:
    """Whether a value short of the asked precision may be handed back: every SymPy routine
    between this evalf call and the user's ``evalf``/``N`` combines accuracies (only ``Add``,
    ``Mul``, ``Abs``, ``re``, ``im`` on the way up), and whoever called that ``evalf`` is user
    code or a SymPy routine that reads only the accuracy (theory T1.8)."""
    import sys

    f = sys._getframe(2)              # _evalf_table_entry <- sympy evalf() <- ...
    while f is not None:
        name = f.f_code.co_name
        if name == "evalf" and "result" in f.f_code.co_varnames:
            break                      # EvalfMixin.evalf: builds the Float from the accuracy
        if not (name == "evalf" or name in _ACCURACY_AWARE or name.startswith("<")):
            return False               # a power, a function, _to_mpmath, ...
        f = f.f_back
    if f is None:
        return False
    f = f.f_back                       # who asked for the Float
    while f is not None and f.f_code.co_name.startswith("<"):
        f = f.f_back
    if f is None:
        return True
    module = f.f_globals.get("__name__", "")
    if not module.startswith("sympy"):
        return True                    # the user (or esma_sympy, which reads the accuracy)
    return f.f_code.co_name in _SYMPY_ACCURACY_READERS


def _evalf_quad(cf, prec: int, warn: bool, strict: bool = False, warn_none: bool = True):
    """``(mpf, accuracy_bits)`` of the value of ``cf`` for a target of ``prec`` bits, with the
    accuracy that the certified ball proves (never more), or ``None`` when no digit is proven.

    A shortfall emits a ``PrecisionWarning`` (``warn``) or raises ``PrecisionExhausted``
    (``strict``); a fraction without a proven value is left unevaluated with a warning that
    names why.
    """
    import warnings

    from mpmath.libmp import from_man_exp, round_nearest

    from ..errors import PrecisionWarning

    if cf.free_symbols:
        return None
    want = int(math.ceil(prec / _LOG2_10)) + 1
    v = _cached_value(cf, want)
    if v.exact is not None:
        from sympy.core.evalf import evalf as _evalf

        r = _evalf(v.exact, prec, {})
        return r[0], prec
    ball = v.ball if v.certified else None
    acc = _accuracy_bits(ball) if ball is not None else 0
    if acc < 4:
        why = v.reason if v.reason else "no digit is proven"
        if ball is not None and ball.contains(0):
            why = (f"its value is within {ball.rad().str(3, radius=False)} of 0, but neither "
                   "its sign nor a digit is proven")
        msg = f"{cf} is left unevaluated: {why}"
        if strict:
            raise PrecisionExhausted(msg, partial=v)
        if warn and warn_none:
            warnings.warn(msg, PrecisionWarning, stacklevel=4)
        return None
    if acc < prec - 4:
        got = max(int(round(acc / _LOG2_10 - 1)), 1)
        msg = (f"only {got} digits of {cf} are proven ({v.method} bound at depth {v.depth}); "
               f"results carry only those")
        if strict:
            asked = max(int(round((prec - 4) / _LOG2_10 - 1)), 1)
            raise PrecisionExhausted(f"{msg} ({asked} were asked for)", partial=v)
        if warn:
            warnings.warn(msg, PrecisionWarning, stacklevel=4)
    man, exp = ball.mid().man_exp()
    return from_man_exp(int(man), int(exp), max(prec, 53), round_nearest), acc


def _evalf_table_entry(x, prec, options):
    """SymPy ``evalf`` hook: ``(re, None, accuracy, None)`` with the *proven* accuracy, so
    ``N``, ``Add`` and ``Mul`` print only proven digits and ``strict=True`` raises.  A caller
    that does not track accuracy (a power, a function) gets no value short of ``prec``."""
    if x.free_symbols and "subs" in options:
        x = x.subs(options["subs"])
    aware = _caller_tracks_accuracy()
    if not aware and _refused_here():
        raise NotImplementedError    # a fallback of an evalf that already refused this value
    # no value: SymPy falls back to ``_eval_evalf``, which warns (once) and returns None
    r = _evalf_quad(x, prec, warn=aware, strict=bool(options.get("strict")), warn_none=False)
    if r is None:
        raise NotImplementedError
    if r[1] < prec - 4 and not aware:
        import warnings

        from ..errors import PrecisionWarning

        warnings.warn(f"{x} is left unevaluated inside a function or power: only "
                      f"{max(int(round(r[1] / _LOG2_10 - 1)), 1)} of its digits are proven",
                      PrecisionWarning, stacklevel=3)
        _mark_refused()
        raise NotImplementedError
    return r[0], None, r[1], None


def _register_evalf(cls) -> None:
    """Put ``cls`` into SymPy's ``evalf`` dispatch table (created first if needed)."""
    import sympy.core.evalf as ev

    if not ev.evalf_table:
        ev._create_evalf_table()
    ev.evalf_table[cls] = _evalf_table_entry
