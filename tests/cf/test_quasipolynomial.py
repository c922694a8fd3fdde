import pytest
from hypothesis import given
from sympy import Integer, Rational, Symbol

from esma_sympy import QuasiPolynomial
from esma_sympy.testing import quasi_polynomials

k, n = Symbol("k"), Symbol("n")


@given(quasi_polynomials(max_degree=2))
def test_terms_agree_with_call_and_closed_form(qp):
    ts = qp.terms(20)
    assert ts == [qp(i) for i in range(20)]
    cf = qp.closed_form(n)
    assert [cf.subs(n, i) for i in range(20)] == ts


@given(quasi_polynomials(max_prefix=3, max_period=3, max_degree=2))
def test_from_terms_explicit_round_trip(qp):
    ts = qp.terms(qp.offset + qp.period * 8)
    fit = QuasiPolynomial.from_terms(ts, period=qp.period, prefix=qp.offset)
    assert fit.terms(len(ts) + 10) == qp.terms(len(ts) + 10)


@given(quasi_polynomials(max_prefix=2, max_period=3, max_degree=1))
def test_from_terms_detected_fit_regenerates(qp):
    ts = qp.terms(qp.offset + qp.period * 10)
    fit = QuasiPolynomial.from_terms(ts)
    assert fit.terms(len(ts)) == ts
    assert fit.period <= qp.period


def test_from_terms_e_simple():
    e = [2, 1, 2, 1, 1, 4, 1, 1, 6, 1, 1, 8, 1, 1, 10, 1, 1, 12]
    qp = QuasiPolynomial.from_terms(e)
    assert (qp.offset, qp.period) == (1, 3)
    assert qp.polys == (Integer(1), 2 * k + 2, Integer(1))


def test_from_terms_rejects_random():
    with pytest.raises(ValueError, match="no quasi-polynomial fits"):
        QuasiPolynomial.from_terms([3, 7, 15, 1, 292, 1, 1, 1, 2, 1, 3, 1, 14, 2, 1, 1, 2, 2], max_period=4)


def test_from_terms_rejects_bad_terms():
    with pytest.raises(TypeError, match=r"terms\[1\] must be a rational"):
        QuasiPolynomial.from_terms([1, "x", 3])
    with pytest.raises(ValueError, match="terms must not be empty"):
        QuasiPolynomial.from_terms([])
    with pytest.raises(ValueError, match="period must be >= 1"):
        QuasiPolynomial.from_terms([1, 2, 3], period=0)


def test_rational_coefficients_and_call():
    qp = QuasiPolynomial([Rational(1, 2)], [k / 2 + 1], k)
    assert qp.terms(4) == [Rational(1, 2), 1, Rational(3, 2), 2]
    assert qp(3) == 2
    with pytest.raises(ValueError, match="n must be a nonnegative integer, got -1"):
        qp(-1)


def test_free_parameters_are_kept_symbolic():
    a = Symbol("a")
    qp = QuasiPolynomial([], [a * k + 1], k)
    assert qp.free_symbols == {a}
    assert qp.terms(3) == [1, a + 1, 2 * a + 1]
    assert qp.subs(a, 2).terms(3) == [1, 3, 5]
    assert qp.subs(a, k).free_symbols == {k}       # no capture of the bound index
    assert qp.subs(a, k).terms(3) == [1, k + 1, 2 * k + 1]


def test_degree_and_period():
    qp = QuasiPolynomial([7], [3 * k + 2, 2, 3 * k + 4, 12 * k + 18], k)
    assert (qp.degree, qp.period, qp.offset) == (1, 4, 1)
