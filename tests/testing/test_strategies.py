"""The public strategies of esma_sympy.testing keep the promises of their docstrings."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st
from hypothesis.errors import InvalidArgument
from sympy import Poly, Symbol

from esma_sympy import PCF, SCF, QuasiPolynomial
from esma_sympy.testing import (integer_polynomials, nonvanishing_polynomials, pcfs,
                                quasi_polynomials, scfs, sign_patterns)

n, k = Symbol("n"), Symbol("k")


def _coeffs(p, var):
    return Poly(p, var).all_coeffs()


@given(st.data(), st.integers(-4, 4), st.integers(0, 4), st.integers(0, 3))
def test_integer_polynomial_coefficients_and_degree_in_range(data, lo, width, max_degree):
    p = data.draw(integer_polynomials(min_value=lo, max_value=lo + width, max_degree=max_degree))
    assert Poly(p, n).degree() <= max_degree
    assert p.free_symbols <= {n}
    cs = _coeffs(p, n)
    assert all(lo <= c <= lo + width for c in cs) or cs == [0]


@given(st.data(), st.integers(-3, 5), st.integers(0, 6))
def test_lower_bound_holds_at_every_natural(data, bound, max_value):
    p = data.draw(integer_polynomials(var=k, lower_bound=bound, max_value=max_value))
    assert all(p.subs(k, i) >= bound for i in range(30))


@given(nonvanishing_polynomials())
def test_nonvanishing_polynomials_have_no_natural_root(p):
    assert all(p.subs(n, i) != 0 for i in range(60))  # |roots| of these are below 60


@given(quasi_polynomials(max_prefix=2, max_period=3, lower_bound=2))
def test_quasi_polynomial_terms_respect_lower_bound(q):
    assert isinstance(q, QuasiPolynomial)
    assert len(q.prefix) <= 2 and 1 <= q.period <= 3
    assert all(t >= 2 for t in q.terms(20))


@given(sign_patterns(min_period=2, max_period=3))
def test_sign_pattern_lengths(s):
    assert 2 <= len(s) <= 3 and set(s) <= {1, -1}


@given(scfs(max_sign_period=2))
def test_semiregular_scfs_have_quotients_at_least_two(x):
    assert isinstance(x, SCF) and len(x.sign_pattern) <= 2
    L = x._length()
    terms = x.terms(20 if L is None else L + 1)
    assert all(a >= 2 for a in terms[1:])


@given(pcfs(positive=True))
def test_positive_pcfs_are_positive_and_deg_b_at_most_twice_deg_a(p):
    assert all(p.a.subs(n, i) >= 1 and p.b.subs(n, i) >= 1 for i in range(20))
    assert Poly(p.b, n).degree() <= 2 * Poly(p.a, n).degree()


@given(pcfs(allow_zero_a=False, max_value=3))
def test_pcfs_without_zero_a(p):
    assert isinstance(p, PCF) and p.a != 0 and p.b != 0
    assert all(abs(c) <= 3 for c in _coeffs(p.a, n) + _coeffs(p.b, n))


@pytest.mark.parametrize("build, message", [
    (lambda: integer_polynomials(max_degree=-1), "max_degree must be at least 0"),
    (lambda: integer_polynomials(min_degree=3, max_degree=2), "min_degree = 3 is above max_degree"),
    (lambda: integer_polynomials(min_value=5, max_value=4), "min_value = 5 is above max_value"),
    (lambda: integer_polynomials(max_value=1.5), "max_value must be an integer"),
    (lambda: integer_polynomials(min_value=0, max_value=0, nonzero=True), "only the zero"),
    (lambda: quasi_polynomials(min_period=0), "min_period must be at least 1"),
    (lambda: sign_patterns(min_period=3, max_period=2), "min_period = 3 is above max_period"),
    (lambda: scfs(finite="yes"), "finite must be True, False or None"),
    (lambda: scfs(max_period=0), "max_period must be at least 1"),
    (lambda: pcfs(positive=True, max_value=-1), "positive=True needs max_value >= 0"),
])
def test_bad_arguments_raise_invalid_argument(build, message):
    with pytest.raises(InvalidArgument, match=message):
        build()
