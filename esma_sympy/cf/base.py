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

from .._flintctx import workprec
from ..errors import DivergenceError, PrecisionExhausted
from ..numeric.walk import extend_walk, mobius_enclosure, walk

__all__ = ["CFValue", "ContinuedFraction"]

_LOG2_10 = math.log2(10)


def _dps_to_prec(dps: int) -> int:
    return int(math.ceil(dps * _LOG2_10)) + 24


def _check_positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int,)) and not (
        hasattr(value, "is_Integer") and value.is_Integer
    ):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    value = int(value)
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return value


def _check_depth(value, name: str = "depth") -> int:
    if isinstance(value, bool) or not isinstance(value, int) and not (
        hasattr(value, "is_Integer") and value.is_Integer
    ):
        raise TypeError(f"{name} must be a nonnegative integer, got {value!r}")
    value = int(value)
    if value < 0:
        raise ValueError(f"{name} must be a nonnegative integer, got {value}")
    return value


def verified_digits(ball: arb) -> int:
    """Decimal digits proven by a ball: ``floor(log10(max(1, |x|) / width))``.

    >>> from flint import arb
    >>> verified_digits(arb(2, 1e-20))
    19
    """
    if not ball.is_finite():
        return 0
    rad = ball.rad()
    if rad == 0:
        return 10**9
    with workprec(64):
        scale = ball.abs_lower()
        if scale < 1:
            scale = arb(1)
        d = ((scale / (2 * rad)).log() / arb(10).log()).lower()
    return max(int(d.floor().unique_fmpz()), 0) if d.is_finite() else 0


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

    __slots__ = ("ball", "digits", "depth", "dps", "certified", "method", "reason", "exact")

    def __init__(self, ball, digits, depth, dps, certified, method, reason=None, exact=None):
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

            return bool(self.ball.contains(to_arb(sympify(x), prec)))

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
    def walk_matrix(self, depth: int):
        """``[[p_n, p_{n-1}], [q_n, q_{n-1}]]`` at ``n = depth`` as a python-flint matrix.

        >>> from esma_sympy import PCF
        >>> PCF(1, 1).walk_matrix(5)
        [13, 8]
        [ 8, 5]
        """
        depth = _check_depth(depth)
        L = self._length()
        if L is not None and depth > L:
            raise ValueError(f"depth must be <= {L} for this finite continued fraction, got {depth}")
        self._require_numeric("walk_matrix")
        return _walk_cached(self, depth)

    def convergent(self, depth: int) -> Rational:
        """The convergent ``p_n/q_n`` at ``n = depth`` as an exact ``Rational``.

        Raises ``DivergenceError`` naming the depth when ``q_n = 0``.

        >>> from sympy.abc import n
        >>> from esma_sympy import PCF
        >>> PCF(2*n + 1, n**2, n).convergent(3)       # 1 + 1/(3 + 4/(5 + 9/7))
        51/40
        """
        depth = _check_depth(depth)
        if self.free_symbols:
            return self._symbolic_convergent(depth)
        P = self.walk_matrix(depth)
        p, q = P[0, 0], P[1, 0]
        if q == 0:
            raise DivergenceError(f"zero denominator q_{depth} = 0: the convergent at depth {depth} is undefined")
        r = fmpq(p) / fmpq(q)
        return Rational(int(r.p), int(r.q))

    def convergents(self, depth: int) -> list:
        """The convergents at depths ``0..depth`` (``None`` where the denominator vanishes).

        >>> from esma_sympy import PCF
        >>> PCF(1, 1).convergents(4)
        [1, 2, 3/2, 5/3, 8/5]
        """
        depth = _check_depth(depth)
        L = self._length()
        if L is not None and depth > L:
            raise ValueError(f"depth must be <= {L} for this finite continued fraction, got {depth}")
        if self.free_symbols:
            return [self._symbolic_convergent(d) for d in range(depth + 1)]
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
        case, and running out of depth, raise ``PrecisionExhausted``.

        Examples
        ========

        >>> from sympy.abc import n
        >>> from esma_sympy import PCF
        >>> v = PCF(n + 3, -n, n).evaluate(30)     # e = 3 - 1/(4 - 2/(5 - ...))
        >>> v.to_Float()
        2.71828182845904523536028747135
        >>> v.method
        'Worpitzky'

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

    def convergence_rate(self, depth: int = 100) -> float:
        """Digits per level: ``-log10|p_n/q_n - p_{2n}/q_{2n}| / n`` at ``n = depth``.

        An estimate of how many decimal digits each level adds (a descriptive statistic, not
        a certificate).

        >>> from sympy.abc import n
        >>> from esma_sympy import PCF
        >>> round(PCF(1, 1).convergence_rate(200), 3)      # 2*log10(golden ratio)
        0.418
        """
        depth = _check_positive_int(depth, "depth")
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
        if self.free_symbols:
            return None
        dps = prec_to_dps(prec)
        try:
            v = self.evaluate(dps + 2)
        except (DivergenceError, ValueError):
            return None
        if v.exact is not None:
            return Float(v.exact, dps)
        if v.ball is None:
            return None
        return Float(v.ball.mid().str(dps + 3, radius=False), dps)
