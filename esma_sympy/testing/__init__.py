"""Hypothesis strategies for esma_sympy objects (public: use them in your own tests).

The strategies follow Hypothesis' API style guide: each is a function returning a strategy,
named as the plural of what it generates; every bound is a keyword argument; the same
names mean the same thing everywhere:

``min_value``, ``max_value``
    the range of every integer drawn: a coefficient of a polynomial, a quotient, a prefix
    term.  ``min_value=None`` (the default) means ``-max_value``.
``lower_bound``
    ``P(k) >= lower_bound`` for every integer ``k >= 0`` (the non-constant coefficients are
    then drawn from ``[0, max_value]`` and the constant term from
    ``[lower_bound, lower_bound + max_value]``).
``min_degree``, ``max_degree``; ``min_period``, ``max_period``; ``max_prefix``; ``max_length``
    the sizes of the parts.

Bad arguments raise ``hypothesis.errors.InvalidArgument`` when the strategy is built.  Every
strategy shrinks towards small, simple objects (short prefixes, period 1, constant
polynomials, small coefficients).

Examples
========

>>> from hypothesis import given
>>> from esma_sympy.testing import scfs
>>> @given(scfs(finite=False))
... def test_convergent_is_rational(x):
...     assert x.convergent(3).is_Rational
>>> test_convergent_is_rational()
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from sympy import Integer, Poly, Symbol, sqrt

from ..cf import PCF, SCF, QuasiPolynomial

__all__ = ["integer_polynomials", "nonvanishing_polynomials", "quasi_polynomials",
           "sign_patterns", "scfs", "pcfs", "quadratic_irrationals"]

_K = Symbol("k")
_N = Symbol("n")


def _check_int(value, name: str, minimum: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise InvalidArgument(f"{name} must be at least {minimum}, got {value}")


def _check_range(lo, hi, lo_name: str, hi_name: str, minimum: int | None = None) -> None:
    _check_int(lo, lo_name, minimum)
    _check_int(hi, hi_name, minimum)
    if lo > hi:
        raise InvalidArgument(f"{lo_name} = {lo} is above {hi_name} = {hi}")


def _value_range(min_value, max_value) -> tuple:
    """The checked ``(min_value, max_value)``, ``None`` for ``min_value`` meaning ``-max_value``."""
    _check_int(max_value, "max_value")
    lo = -max_value if min_value is None else min_value
    _check_range(lo, max_value, "min_value", "max_value")
    return lo, max_value


def integer_polynomials(*, var: Symbol = _N, min_degree: int = 0, max_degree: int = 2,
                        min_value: int | None = None, max_value: int = 6,
                        lower_bound: int | None = None, nonzero: bool = False):
    """Polynomials in ``var`` with integer coefficients in ``[min_value, max_value]``.

    The degree is at most ``max_degree`` (a leading coefficient may be 0) and at least
    ``min_degree`` terms are drawn.  With ``lower_bound`` every value ``P(k)``, ``k >= 0``,
    is at least ``lower_bound``; with ``nonzero=True`` the zero polynomial is excluded.

    >>> from hypothesis import find
    >>> find(integer_polynomials(var=_K, lower_bound=2), lambda p: p.has(_K))
    k + 2
    >>> integer_polynomials(max_degree=-1)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: max_degree must be at least 0, got -1
    """
    _check_range(min_degree, max_degree, "min_degree", "max_degree", minimum=0)
    lo, hi = _value_range(min_value, max_value)
    if lower_bound is not None:
        _check_int(lower_bound, "lower_bound")
        if hi < 0:
            raise InvalidArgument(f"lower_bound needs max_value >= 0, got max_value = {hi}")
        if nonzero and lower_bound <= 0 and hi == 0:
            raise InvalidArgument("nonzero=True with lower_bound <= 0 and max_value = 0 leaves "
                                  "only the zero polynomial")
        const = st.integers(lower_bound, lower_bound + hi)
        coeff = st.integers(0, hi)
    else:
        if nonzero and lo == hi == 0:
            raise InvalidArgument("nonzero=True with min_value = max_value = 0 leaves only the "
                                  "zero polynomial")
        const = coeff = st.integers(lo, hi)

    @st.composite
    def build(draw):
        deg = draw(st.integers(min_degree, max_degree))
        c0 = draw(const)
        cs = [draw(coeff) for _ in range(deg)]
        return Integer(c0) + sum((c * var ** (i + 1) for i, c in enumerate(cs)), Integer(0))

    return build().filter(lambda p: p != 0) if nonzero else build()


def nonvanishing_polynomials(*, var: Symbol = _N, max_degree: int = 2,
                             min_value: int | None = None, max_value: int = 5):
    """Integer polynomials (coefficients in ``[min_value, max_value]``) with no root at any
    integer ``n >= 0``.

    >>> from hypothesis import find
    >>> find(nonvanishing_polynomials(), lambda p: p.has(_N))
    n + 1
    """

    def no_root(p) -> bool:
        if p == 0:
            return False
        for f, _m in Poly(p, var).factor_list()[1]:
            if f.degree() == 1:
                c1, c0 = f.all_coeffs()
                r = -c0 / c1
                if r.is_integer and r >= 0:
                    return False
        return True

    return integer_polynomials(var=var, max_degree=max_degree, min_value=min_value,
                               max_value=max_value).filter(no_root)


def quasi_polynomials(*, var: Symbol = _K, max_prefix: int = 3, min_period: int = 1,
                      max_period: int = 3, max_degree: int = 1, min_value: int | None = None,
                      max_value: int = 6, lower_bound: int | None = None):
    """Integer :class:`QuasiPolynomial` sequences: a prefix of at most ``max_prefix`` terms,
    then a period of ``min_period..max_period`` polynomials of degree ``<= max_degree``.

    Terms and coefficients lie in ``[min_value, max_value]``; with ``lower_bound`` every term
    of the sequence is at least ``lower_bound``.

    >>> from hypothesis import find
    >>> find(quasi_polynomials(max_period=2), lambda q: q.period == 2)
    QuasiPolynomial((), (0, 0), k)
    """
    _check_int(max_prefix, "max_prefix", minimum=0)
    _check_range(min_period, max_period, "min_period", "max_period", minimum=1)
    lo, hi = _value_range(min_value, max_value)
    polys = integer_polynomials(var=var, max_degree=max_degree, min_value=lo, max_value=hi,
                                lower_bound=lower_bound)
    terms = st.integers(lo, hi) if lower_bound is None else st.integers(lower_bound,
                                                                        lower_bound + hi)

    @st.composite
    def build(draw):
        prefix = draw(st.lists(terms, max_size=max_prefix))
        period = draw(st.lists(polys, min_size=min_period, max_size=max_period))
        return QuasiPolynomial(prefix, period, var)

    return build()


def sign_patterns(*, min_period: int = 1, max_period: int = 4):
    """Sign patterns: tuples of ``+1``/``-1`` of length (period) ``min_period..max_period``,
    shrinking towards ``(1,)``.

    >>> from hypothesis import find
    >>> find(sign_patterns(max_period=3), lambda s: -1 in s)
    (-1,)
    """
    _check_range(min_period, max_period, "min_period", "max_period", minimum=1)
    return st.lists(st.sampled_from([1, -1]), min_size=min_period, max_size=max_period).map(tuple)


def scfs(*, finite: bool | None = None, semiregular: bool = True, max_prefix: int = 2,
         max_period: int = 3, max_sign_period: int = 3, max_degree: int = 1,
         max_value: int = 6, max_length: int = 12):
    """:class:`SCF` objects: ``a_0`` in ``[-max_value, max_value]``, a sign pattern of period
    at most ``max_sign_period``, and either (``finite=True``) at most ``max_length`` further
    quotients or (``finite=False``) a quasi-polynomial (prefix of at most ``max_prefix`` terms,
    ``a_0`` included, then at most ``max_period`` polynomials of degree ``<= max_degree``).
    ``finite=None`` draws both kinds.

    With ``semiregular=True`` every quotient after ``a_0`` is at least 2, so every tail
    exceeds 1 and an infinite fraction converges with a certified value (theory T1.1);
    with ``semiregular=False`` the quotients and coefficients are any integers in
    ``[-max_value, max_value]`` (zero denominators included).

    >>> from hypothesis import find
    >>> x = find(scfs(finite=False), lambda x: x.sign_pattern == (-1,))
    >>> x, x.evaluate(20).certified
    (SCF(QuasiPolynomial((), (2,), k), (-1,), True), True)
    """
    if finite is not None and not isinstance(finite, bool):
        raise InvalidArgument(f"finite must be True, False or None, got {finite!r}")
    for value, name in ((max_prefix, "max_prefix"), (max_degree, "max_degree"),
                        (max_value, "max_value"), (max_length, "max_length")):
        _check_int(value, name, minimum=0)
    _check_int(max_period, "max_period", minimum=1)
    signs = sign_patterns(max_period=max_sign_period)
    a0 = st.integers(-max_value, max_value)
    rest = (st.integers(2, 2 + max_value) if semiregular
            else st.integers(-max_value, max_value))
    polys = integer_polynomials(var=_K, max_degree=max_degree, max_value=max_value,
                                lower_bound=2 if semiregular else None)

    @st.composite
    def build(draw):
        pattern = draw(signs)
        is_finite = draw(st.booleans()) if finite is None else finite
        if is_finite:
            return SCF([draw(a0), *draw(st.lists(rest, max_size=max_length))], pattern)
        n0 = draw(st.integers(0, max_prefix))
        prefix = [draw(a0), *draw(st.lists(rest, min_size=n0 - 1, max_size=n0 - 1))] if n0 else []
        period = draw(st.lists(polys, min_size=1, max_size=max_period))
        return SCF(QuasiPolynomial(prefix, period, _K), pattern)

    return build()


def pcfs(*, max_degree: int = 2, min_value: int | None = None, max_value: int = 6,
         positive: bool = False, allow_zero_a: bool = True):
    """:class:`PCF` objects ``PCF(a, b, n)`` with integer polynomials of degree
    ``<= max_degree`` and coefficients in ``[min_value, max_value]``, ``b`` not zero (and
    ``a`` not zero either with ``allow_zero_a=False``).

    With ``positive=True`` both polynomials are at least 1 for ``n >= 0`` (coefficients in
    ``[0, max_value]``, constant terms in ``[1, 1 + max_value]``; ``min_value`` is ignored)
    and ``deg b <= 2 deg a`` (so the value is certified by the positive-tail bound).

    >>> from hypothesis import find
    >>> p = find(pcfs(positive=True), lambda p: True)
    >>> p, p.evaluate(10).certified
    (PCF(1, 1, n), True)
    >>> find(pcfs(allow_zero_a=False), lambda p: True)
    PCF(1, 1, n)
    """
    _check_int(max_degree, "max_degree", minimum=0)
    if positive:
        _check_int(max_value, "max_value")
        if max_value < 0:
            raise InvalidArgument(f"positive=True needs max_value >= 0, got {max_value}")
        hi = max_value
        a_polys = integer_polynomials(max_degree=max_degree, max_value=hi, lower_bound=1)
    else:
        lo, hi = _value_range(min_value, max_value)
        a_polys = integer_polynomials(max_degree=max_degree, min_value=lo, max_value=hi,
                                      nonzero=not allow_zero_a)

    @st.composite
    def build(draw):
        a = draw(a_polys)
        if positive:
            da = Poly(a, _N).degree()
            b = draw(integer_polynomials(max_degree=min(2 * da, max_degree), max_value=hi,
                                         lower_bound=1))
        else:
            b = draw(integer_polynomials(max_degree=max_degree, min_value=lo, max_value=hi,
                                         nonzero=True))
        return PCF(a, b, _N)

    return build()


def quadratic_irrationals(*, max_value: int = 20, max_radicand: int = 60):
    """Real quadratic irrationals ``(p + sqrt(d))/q`` as SymPy expressions, with ``p`` in
    ``[-max_value, max_value]``, ``q`` nonzero in the same range and ``d`` in
    ``[2, max_radicand]`` not a square (``q`` need not divide ``d - p^2``).  Shrinks towards
    ``sqrt(2)``.

    >>> from hypothesis import find
    >>> find(quadratic_irrationals(), lambda x: True)
    sqrt(2)
    >>> x = find(quadratic_irrationals(), lambda x: x < 0)   # the shrunk example may vary
    >>> bool(x < 0), x.is_rational
    (True, False)
    """
    _check_int(max_value, "max_value", minimum=1)
    _check_int(max_radicand, "max_radicand", minimum=2)
    radicands = st.integers(2, max_radicand).filter(lambda d: int(d ** 0.5 + 0.5) ** 2 != d)

    @st.composite
    def build(draw):
        p = draw(st.integers(-max_value, max_value))
        q = draw(st.integers(1, max_value)) * (-1 if draw(st.booleans()) else 1)
        d = draw(radicands)
        return (Integer(p) + sqrt(d)) / q if q != 1 else Integer(p) + sqrt(d)

    return build()
