"""Left-hand sides ``P(c)/Q(c)`` of ESMA conjectures and sign patterns.

An :class:`LHS` is a pair of integer polynomials ``P, Q`` (coefficients low degree first).
Enumeration skips degenerate pairs (``Q = 0``) and those whose value does not depend on ``c``
(``P`` and ``Q`` proportional), and keeps one representative per *value*: ``P/Q`` and
``(tP)/(tQ)`` are one LHS, ``P/Q`` and ``-P/Q`` are two.  The expansion of ``-v`` under a
periodic pattern is that of ``v`` under the same pattern with only ``s_0`` flipped, which is
not periodic, so the two give different results (theory T5.6).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache, reduce
from math import gcd

from flint import fmpz_poly
from sympy import Expr, Integer, Poly, Pow, Symbol, cancel, sympify

from .._args import check_int
from ..numeric.parse import sympify_safe
from ..errors import ResourceLimitError

from .text import ratio_str

__all__ = ["LHS", "enumerate_lhs", "lhs_from_expr", "sign_patterns", "patterns_in_range",
           "count_patterns", "pattern_code"]


def _trim(c: tuple) -> tuple:
    c = list(c)
    while c and c[-1] == 0:
        c.pop()
    return tuple(c)


@dataclass(frozen=True, order=True)
class LHS:
    """``P(c)/Q(c)`` with integer coefficient tuples ``num = P``, ``den = Q`` (low degree first).

    >>> from sympy import E
    >>> v = LHS((0, 1), (-1, 1))          # c/(c - 1)
    >>> v.expr(E)
    E/(-1 + E)
    >>> v.mobius
    (1, 0, 1, -1)
    """

    num: tuple
    den: tuple

    @property
    def degree(self) -> int:
        return max(len(self.num), len(self.den)) - 1

    @property
    def mobius(self):
        """``(a, b, g, d)`` with ``P/Q = (a c + b)/(g c + d)``, or ``None`` above degree 1."""
        if self.degree > 1:
            return None
        p = list(self.num) + [0] * (2 - len(self.num))
        q = list(self.den) + [0] * (2 - len(self.den))
        return (p[1], p[0], q[1], q[0])

    def expr(self, c) -> Expr:
        """The SymPy expression ``P(c)/Q(c)`` (unevaluated arithmetic, no simplification)."""
        c = sympify_safe(c)
        P = sum((Integer(k) * c**i for i, k in enumerate(self.num)), Integer(0))
        Q = sum((Integer(k) * c**i for i, k in enumerate(self.den)), Integer(0))
        return P / Q

    def canonical(self) -> "LHS":
        """The enumeration's representative of this value: lowest terms, content 1, the
        denominator's leading coefficient positive (``-v`` is another LHS).

        >>> LHS((1, -1), (-2, 1)).canonical() == LHS((-1, 1), (2, -1)).canonical()
        True
        >>> LHS((1, -1), (-2, 1)).canonical() == LHS((-1, 1), (-2, 1)).canonical()
        False
        """
        v = _canonical_cached(self.num, self.den)
        return self if v is None else v

    def text(self, name: str = "c") -> str:
        """A compact human-readable form, e.g. ``(2*c + 1)/(c - 1)``; ``name`` stands for the
        constant (any text, e.g. ``'exp(2)'``).  The string SymPy prints for :meth:`expr` in a
        symbol, written from the integer coefficients (:mod:`esma_sympy.search.text`).

        >>> LHS((1, 2), (-1, 1)).text('E'), LHS((2, -1), (1,)).text('exp(2)')
        ('(2*E + 1)/(E - 1)', '2 - exp(2)')
        """
        return _lhs_text(self, name)

    def _text(self, name: str) -> str:
        """:meth:`text` through SymPy's printer (the shapes ``search.text`` leaves to SymPy).

        >>> LHS((1, 2), (-1, 1))._text('E')
        '(2*E + 1)/(E - 1)'
        """
        x = Symbol("_c_")
        return str(self.expr(x)).replace("_c_", name if name.isidentifier() else f"({name})"
                                         if any(ch in name for ch in "+-*/ ") else name)

    def shifted(self, m: int) -> "LHS":
        """``P/Q + m`` (the same expansion up to ``a_0``)."""
        n = max(len(self.num), len(self.den))
        p = list(self.num) + [0] * (n - len(self.num))
        q = list(self.den) + [0] * (n - len(self.den))
        return LHS(_trim(tuple(pi + m * qi for pi, qi in zip(p, q))), _trim(tuple(q)))


@lru_cache(maxsize=8192)
def _lhs_text(lhs: "LHS", name: str) -> str:
    # from the integer coefficients (SymPy's str, see search.text); SymPy for the rare rest
    var = name if name.isidentifier() else f"({name})" if any(ch in name for ch in "+-*/ ") \
        else name
    text = ratio_str(lhs.num, lhs.den, var)
    return lhs._text(name) if text is None else text


@lru_cache(maxsize=65536)
def _canonical_cached(num: tuple, den: tuple):
    return _canonical(num, den)


def _canonical(num: tuple, den: tuple):
    """The representative of ``{tP/tQ}`` (one value) or ``None`` when degenerate/constant."""
    num, den = _trim(num), _trim(den)
    if not den or not num:
        return None
    if len(num) <= 2 and len(den) <= 2:
        # degree <= 1, without polynomial arithmetic: P and Q have a common factor of
        # positive degree only when they are proportional, and then the value does not
        # depend on c
        if len(num) == len(den) and all(p * den[-1] == q * num[-1] for p, q in zip(num, den)):
            return None
    else:
        P, Q = fmpz_poly(list(num)), fmpz_poly(list(den))
        # value independent of c: P proportional to Q
        if P * Q.leading_coefficient() == Q * P.leading_coefficient() and \
                P.degree() == Q.degree():
            return None
        G = P.gcd(Q)
        if G.degree() > 0:     # lowest terms: the same value as the reduced pair
            P, Q = P // G, Q // G
            num, den = tuple(int(x) for x in P.coeffs()), tuple(int(x) for x in Q.coeffs())
    g = reduce(gcd, list(num) + list(den))
    num = tuple(x // g for x in num)
    den = tuple(x // g for x in den)
    if den[-1] < 0:            # (-P)/(-Q) = P/Q: the value, and so every expansion, is kept
        den = tuple(-x for x in den)
        num = tuple(-x for x in num)
    return LHS(num, den)


def enumerate_lhs(degree: int = 1, coeff_limit: int = 2) -> list:
    """All LHS ``P/Q`` with ``deg P, deg Q <= degree`` and coefficients in ``[-L, L]``, in a
    deterministic order (translation classes together, see :func:`class_key`), one per value
    (``v`` and ``-v`` are both kept: their expansions differ, theory T5.6).

    >>> len(enumerate_lhs(1, 1))       # +-c, +-c +- 1, +-1/c, +-1/(c +- 1), +-c/(c +- 1), ...
    24
    >>> enumerate_lhs(1, 1)[3:6]                 # c - 1, c, c + 1: one translation class
    [LHS(num=(-1, 1), den=(1,)), LHS(num=(0, 1), den=(1,)), LHS(num=(1, 1), den=(1,))]
    """
    degree = check_int(degree, "lhs_degree", 1)
    coeff_limit = check_int(coeff_limit, "coeff_limit", 1)
    return list(_enumerate(degree, coeff_limit))


@lru_cache(maxsize=32)
def _enumerate(degree: int, coeff_limit: int) -> tuple:
    R = range(-coeff_limit, coeff_limit + 1)
    found = set()
    for coeffs in itertools.product(R, repeat=2 * (degree + 1)):
        v = _canonical(coeffs[: degree + 1], coeffs[degree + 1:])
        if v is not None:
            found.add(v)
    return tuple(sorted(found, key=class_key))


def class_key(v: LHS) -> tuple:
    """Sort key that keeps each translation class ``{v + m}`` together (Möbius LHS first, by
    class representative, then by the shift ``m``), so a chunk of consecutive LHS shares its
    expansions (theory T5.4).

    >>> class_key(LHS((0, 1), (1,))) == class_key(LHS((1, 1), (1,)))[:2] + (0,)
    True
    """
    M = v.mobius
    if M is None:
        return (1, (v.den, v.num), 0)
    a, b, g, d = M
    m = a // g if g else b // d
    return (0, (g, d, a - m * g, b - m * d), m)


def _as_function_of(expr, constant, c):
    """``expr`` with ``constant`` replaced by the symbol ``c``, including the integer powers
    SymPy writes as ``exp`` (``E**2 -> exp(2)``, ``1/exp(2) -> exp(-2)``)."""
    from sympy import E, exp

    e = expr.xreplace({constant: c})
    if constant == E or isinstance(constant, exp):
        a = 1 if constant == E else constant.args[0]
        e = e.replace(lambda x: isinstance(x, exp) and (x.args[0] / a).is_Integer,
                      lambda x: c ** (x.args[0] / a))
        if constant == E:
            e = e.xreplace({E: c})
    return e


def lhs_from_expr(expr, constant) -> LHS:
    """Write an expression in ``constant`` as ``P(c)/Q(c)`` with integer coefficients.

    The value is kept exactly as typed (``-v`` stays ``-v``); common factors and content are
    removed, and the orientation of the denominator follows the expression's.

    >>> from sympy import E
    >>> lhs_from_expr(E/(E - 1), E)
    LHS(num=(0, 1), den=(-1, 1))
    >>> lhs_from_expr((E - 1)/(2 - E), E)
    LHS(num=(-1, 1), den=(2, -1))
    """
    from .. import limits

    expr, constant = sympify_safe(expr), sympify_safe(constant)
    c = Symbol("c")
    e = _as_function_of(expr, constant, c)
    for p in e.atoms(Pow):         # before any polynomial arithmetic: c**(10**6) is refused
        if p.base.has(c) and p.exp.is_Integer and abs(int(p.exp)) > limits.MAX_LHS_DEGREE:
            raise ResourceLimitError(
                f"lhs = {_clip(expr)} has degree {abs(int(p.exp))} in the constant {constant}, above "
                f"esma_sympy.limits.MAX_LHS_DEGREE = {limits.MAX_LHS_DEGREE}")
    e = cancel(e)
    if constant in e.atoms() or e.has(constant):
        raise ValueError(f"lhs = {expr} is not a rational function of the constant {constant}")
    num, den = e.as_numer_denom()
    try:
        P, Q = Poly(num, c), Poly(den, c)
    except Exception:
        raise ValueError(f"lhs = {expr} is not a rational function of the constant {constant}") from None
    if not (P.domain.is_ZZ or P.domain.is_QQ) or not (Q.domain.is_ZZ or Q.domain.is_QQ):
        raise ValueError(f"lhs = {expr} must have rational coefficients in {constant}")
    from sympy import ilcm

    L = ilcm(*[x.q for x in P.all_coeffs() + Q.all_coeffs()])
    if max(P.degree(), Q.degree()) > limits.MAX_LHS_DEGREE:
        raise ResourceLimitError(
            f"lhs = {_clip(expr)} has degree {max(P.degree(), Q.degree())} in the constant {constant}, "
            f"above esma_sympy.limits.MAX_LHS_DEGREE = {limits.MAX_LHS_DEGREE}")
    pn = tuple(int(x * L) for x in reversed(P.all_coeffs()))
    qn = tuple(int(x * L) for x in reversed(Q.all_coeffs()))
    big = max(abs(x) for x in pn + qn)
    if big > limits.MAX_LHS_COEFF:
        raise ResourceLimitError(
            f"lhs = {_clip(expr)} has a coefficient of about 10**{len(str(big)) - 1} in {constant}, above "
            f"esma_sympy.limits.MAX_LHS_COEFF = 2**31 (ESMA's LHS are small integer images of "
            f"the constant)")
    v = _canonical(pn, qn)
    if v is None:
        raise ValueError(f"lhs = {expr} does not depend on the constant {constant} (or is degenerate)")
    if _typed_den_negative(expr, constant, c):
        v = LHS(tuple(-x for x in v.num), tuple(-x for x in v.den))
    return v


def _clip(expr, width: int = 60) -> str:
    text = str(expr)
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _typed_den_negative(expr, constant, c) -> bool:
    """Whether the denominator as typed has a negative leading coefficient in ``c`` (only the
    presentation depends on it: both orientations have the same value)."""
    from sympy import together

    try:
        den = together(_as_function_of(expr, constant, c)).as_numer_denom()[1]
        lc = Poly(den, c).LC()
        return bool(lc.is_negative)
    except Exception:
        return False


def _check_periods(min_period, max_period):
    for name, v in (("min_period", min_period), ("max_period", max_period)):
        check_int(v, name, 1)
    if min_period > max_period:
        raise ValueError(f"the period range is empty: min_period={min_period} > max_period={max_period}")
    if max_period > 40:
        raise ValueError(f"max_period must be <= 40, got {max_period}")


def _pattern(period: int, code: int) -> tuple:
    """Code ``c`` in ``[0, 2^p)``: bit ``p-1-i`` of ``c`` set means ``s_i = -1``."""
    return tuple(-1 if (code >> (period - 1 - i)) & 1 else 1 for i in range(period))


def pattern_code(signs) -> int:
    """The code of a pattern (its position in the order of :func:`sign_patterns` within its
    period).

    >>> pattern_code((1, -1)), pattern_code((-1, 1))
    (1, 2)
    """
    code = 0
    for s in signs:
        code = 2 * code + (1 if s < 0 else 0)
    return code


def _is_primitive(bits: tuple) -> bool:
    p = len(bits)
    return not any(p % q == 0 and bits == bits[:q] * (p // q) for q in range(1, p))


def patterns_in_range(period: int, code_start: int, code_stop: int):
    """The primitive patterns of ``period`` whose codes lie in ``[code_start, code_stop)``,
    generated lazily in code order.

    >>> list(patterns_in_range(2, 0, 4))
    [(1, -1), (-1, 1)]
    """
    for code in range(code_start, code_stop):
        bits = _pattern(period, code)
        if _is_primitive(bits):
            yield bits


def count_patterns(min_period: int = 1, max_period: int = 4) -> int:
    """The number of primitive patterns with period in the range: ``sum_p sum_{d|p} mu(d)
    2^(p/d)``.

    >>> count_patterns(1, 4), count_patterns(16, 16)
    (22, 65280)
    """
    _check_periods(min_period, max_period)
    return _count_patterns(min_period, max_period)


@lru_cache(maxsize=64)
def _count_patterns(min_period: int, max_period: int) -> int:
    from sympy import divisors, mobius

    return sum(int(mobius(d)) * 2 ** (p // d) for p in range(min_period, max_period + 1)
               for d in divisors(p))


def sign_patterns(min_period: int = 1, max_period: int = 4) -> list:
    """Every primitive sign pattern (not a repetition of a shorter one) with period in
    ``[min_period, max_period]``, anchored at index 0: rotations are distinct patterns.
    Ordered by period, then by code (``+`` before ``-``, first sign most significant).

    >>> sign_patterns(1, 2)
    [(1,), (-1,), (1, -1), (-1, 1)]
    >>> len(sign_patterns(1, 4))
    22
    """
    _check_periods(min_period, max_period)
    return [pat for p in range(min_period, max_period + 1) for pat in patterns_in_range(p, 0, 2**p)]
