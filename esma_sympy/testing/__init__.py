"""Hypothesis strategies for esma_sympy objects (public: use them in your own tests).

Every strategy takes keyword-only bounds and shrinks towards small, simple objects (short
prefixes, period 1, constant polynomials, small coefficients).

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
from sympy import Symbol, sympify

from ..cf import PCF, SCF, QuasiPolynomial

__all__ = ["integer_polynomials", "quasi_polynomials", "sign_patterns", "scfs", "pcfs"]

_K = Symbol("k")
_N = Symbol("n")


@st.composite
def integer_polynomials(draw, *, var=_K, max_degree: int = 2, max_coeff: int = 6, min_value=None):
    """Polynomials in ``var`` with integer coefficients in ``[-max_coeff, max_coeff]``.

    With ``min_value`` the non-constant coefficients are nonnegative and the constant term is
    at least ``min_value``, so ``P(k) >= min_value`` for every ``k >= 0``.

    >>> from hypothesis import find
    >>> find(integer_polynomials(min_value=2), lambda p: p.has(_K))     # shrinks to the simplest
    k + 2
    """
    deg = draw(st.integers(0, max_degree))
    lo = 0 if min_value is not None else -max_coeff
    coeffs = [draw(st.integers(lo, max_coeff)) for _ in range(deg)]
    c0 = draw(st.integers(min_value, min_value + max_coeff) if min_value is not None
              else st.integers(-max_coeff, max_coeff))
    return sympify(c0) + sum(c * var ** (i + 1) for i, c in enumerate(coeffs))


@st.composite
def quasi_polynomials(draw, *, max_prefix: int = 3, max_period: int = 3, max_degree: int = 1,
                      max_coeff: int = 6, min_value=None):
    """Integer :class:`QuasiPolynomial` sequences (prefix, period and degrees bounded).

    >>> from hypothesis import find
    >>> find(quasi_polynomials(max_period=2), lambda q: q.period == 2)
    QuasiPolynomial((), (0, 0), k)
    """
    n0 = draw(st.integers(0, max_prefix))
    T = draw(st.integers(1, max_period))
    lo = -max_coeff if min_value is None else min_value
    prefix = [draw(st.integers(lo, lo + 2 * max_coeff)) for _ in range(n0)]
    polys = [draw(integer_polynomials(max_degree=max_degree, max_coeff=max_coeff, min_value=min_value))
             for _ in range(T)]
    return QuasiPolynomial(prefix, polys, _K)


def sign_patterns(*, min_period: int = 1, max_period: int = 4):
    """Sign patterns: tuples of ``+1``/``-1`` (shrinking towards ``(1,)``).

    >>> from hypothesis import find
    >>> find(sign_patterns(max_period=3), lambda s: -1 in s)
    (-1,)
    """
    return st.lists(st.sampled_from([1, -1]), min_size=min_period, max_size=max_period).map(tuple)


@st.composite
def scfs(draw, *, finite: bool | None = None, max_period: int = 3, max_prefix: int = 2,
         max_degree: int = 1, max_coeff: int = 6, max_length: int = 12):
    """Semi-regular :class:`SCF` objects (every quotient after ``a_0`` is at least 2, so every
    tail exceeds 1 and the value is certified).  ``finite=None`` draws both kinds.

    >>> from hypothesis import find
    >>> x = find(scfs(finite=False), lambda x: x.sign_pattern == (-1,))
    >>> x, x.evaluate(20).certified
    (SCF(QuasiPolynomial((0,), (2,), k), (-1,), True), True)
    """
    signs = draw(sign_patterns(max_period=max_period))
    is_finite = draw(st.booleans()) if finite is None else finite
    a0 = draw(st.integers(-max_coeff, max_coeff))
    if is_finite:
        rest = draw(st.lists(st.integers(2, 2 + 2 * max_coeff), min_size=0, max_size=max_length))
        return SCF([a0, *rest], signs)
    qp = draw(quasi_polynomials(max_prefix=max_prefix, max_period=max_period, max_degree=max_degree,
                                max_coeff=max_coeff, min_value=2))
    qp = QuasiPolynomial([a0, *qp.prefix[1:]], qp.polys, _K) if qp.prefix else QuasiPolynomial(
        [a0], qp.polys, _K)
    return SCF(qp, signs)


@st.composite
def pcfs(draw, *, max_degree: int = 2, max_coeff: int = 6, positive: bool = False):
    """:class:`PCF` objects with integer polynomial ``a(n)``, ``b(n)`` (``b`` not zero).

    With ``positive=True`` both polynomials are positive for ``n >= 1`` and
    ``deg b <= 2 deg a`` (so the value is certified by the positive-tail bound).

    >>> from hypothesis import find
    >>> p = find(pcfs(positive=True), lambda p: True)
    >>> p, p.evaluate(10).certified
    (PCF(1, 1, n), True)
    """
    if positive:
        a = draw(integer_polynomials(var=_N, max_degree=max_degree, max_coeff=max_coeff, min_value=1))
        da = a.as_poly(_N).degree()
        b = draw(integer_polynomials(var=_N, max_degree=min(2 * da, max_degree), max_coeff=max_coeff,
                                     min_value=1))
    else:
        a = draw(integer_polynomials(var=_N, max_degree=max_degree, max_coeff=max_coeff))
        b = draw(integer_polynomials(var=_N, max_degree=max_degree, max_coeff=max_coeff)
                 .filter(lambda p: p != 0))
    return PCF(a, b, _N)
