"""Bad input gets a clear error that names the argument and the value."""

import pytest
from sympy import Float, I, Rational, Symbol, sqrt

from esma_sympy import PCF, SCF, QuasiPolynomial
from esma_sympy.errors import DivergenceError, PrecisionExhausted

n, k, x = Symbol("n"), Symbol("k"), Symbol("x")


@pytest.mark.parametrize("index", [2, n + 1, "n+1"])
def test_index_not_a_symbol(index):
    with pytest.raises(TypeError, match="n must be a Symbol"):
        PCF(n, 1, index)
    with pytest.raises(TypeError, match="k must be a Symbol"):
        QuasiPolynomial([], [k], index)


def test_index_required_when_ambiguous():
    with pytest.raises(ValueError, match="index n must be given"):
        PCF(n + x, 1)


@pytest.mark.parametrize("sign", [0, 2, -2, Rational(1, 2), x])
def test_sign_other_than_pm1(sign):
    with pytest.raises(ValueError, match=r"signs must be \+1 or -1, got signs\[1\]"):
        SCF([1, 2, 3], (1, sign))


def test_empty_sign_pattern():
    with pytest.raises(ValueError, match="signs must not be empty"):
        SCF([1, 2], ())


def test_explicit_signs_length():
    with pytest.raises(ValueError, match="expected 2 signs for 3 quotients, got 1"):
        SCF([1, 2, 3], (1,), periodic=False)
    with pytest.raises(ValueError, match="periodic=False needs finite quotients"):
        SCF(QuasiPolynomial([], [k + 2], k), (1,), periodic=False)


@pytest.mark.parametrize("b", [0, n - n, 0 * n**2])
def test_b_identically_zero(b):
    with pytest.raises(ValueError, match="is identically zero"):
        PCF(n + 1, b, n)


@pytest.mark.parametrize("q", [[1, Rational(1, 2)], [1, sqrt(2)], [1, x], [1, Float(2.0)]])
def test_non_integer_scf_quotients(q):
    with pytest.raises(ValueError, match=r"quotients must be integers, got quotients\[1\]"):
        SCF(q)


def test_non_integer_valued_quasi_polynomial_quotients():
    with pytest.raises(ValueError, match=r"polys\[0\] = k/2 is 1/2 at k = 1"):
        SCF(QuasiPolynomial([], [k / 2], k))


def test_empty_quotients():
    with pytest.raises(ValueError, match="quotients must not be empty"):
        SCF([])
    with pytest.raises(TypeError, match="quotients must be a sequence"):
        SCF(5)


def test_zero_denominator_names_the_depth():
    p = PCF(0, 1, n)           # 0 + 1/(0 + 1/(0 + ...)): q_1 = 0
    with pytest.raises(DivergenceError, match=r"q_1 = 0.*depth 1"):
        p.convergent(1)
    assert p.convergents(2)[1] is None
    assert p.convergent(2) == 0


@pytest.mark.parametrize("a,b", [(I * n, 1), (n, I), (n + sqrt(-2), 1), (n * Symbol("z", real=False), 1)])
def test_non_real_parameters(a, b):
    with pytest.raises(ValueError, match="must be real"):
        PCF(a, b, n)


def test_non_polynomial_and_float_coefficients():
    with pytest.raises(ValueError, match="polynomial or rational function"):
        PCF(2**n, 1, n)
    with pytest.raises(ValueError, match="exact coefficients"):
        PCF(n + 0.5, 1, n)
    with pytest.raises(ValueError, match=r"polys\[0\] = 2\*\*k is not a polynomial"):
        QuasiPolynomial([], [2**k], k)


@pytest.mark.parametrize("bad", [0, -3, 2.5, "10"])
def test_bad_dps_and_depth(bad):
    p = PCF(1, 1)
    with pytest.raises((TypeError, ValueError), match="dps must be a positive integer"):
        p.evaluate(bad)
    if bad != 0:
        with pytest.raises((TypeError, ValueError), match="n must be a nonnegative integer"):
            p.convergent(bad)


def test_free_parameters_cannot_be_evaluated():
    with pytest.raises(ValueError, match=r"free symbols \['x'\]"):
        PCF(n + x, 1, n).evaluate(10)


def test_uncertifiable_is_said_plainly():
    p = PCF(1, -n**2 - 1, n)             # b dominates a: neither tail bound applies
    v = p.evaluate(10, max_depth=2000)
    assert not v.certified and v.digits == 0
    assert "Worpitzky" in v.reason
    with pytest.raises(PrecisionExhausted, match="cannot certify"):
        p.evaluate(10, strict=True)


def test_depth_exhaustion_strict():
    slow = SCF(QuasiPolynomial([0], [2], k), (-1,))     # 0 - 1/(2 - 1/(2 - ...)) = -1, error ~ 1/n
    v = slow.evaluate(30, max_depth=1000)
    assert v.certified and v.digits < 30 and "max_depth=1000" in v.reason
    assert v.contains(-1)
    with pytest.raises(PrecisionExhausted) as err:
        slow.evaluate(30, max_depth=1000, strict=True)
    assert err.value.partial.contains(-1)


def test_finite_scf_depth_bound():
    with pytest.raises(ValueError, match="n must be <= 2"):
        SCF([1, 2, 3]).convergent(3)


def test_unparseable_coefficient_names_the_argument():
    from sympy.abc import n

    from esma_sympy import PCF

    # strings go through the whitelist parser: a syntax error is a ValueError naming the argument
    with pytest.raises(ValueError, match="a = 'foo\\(': cannot parse"):
        PCF("foo(", -n, n)
    with pytest.raises(ValueError, match="b = '1 \\+': cannot parse"):
        PCF(n, "1 +", n)
    with pytest.raises(TypeError, match="a must be an expression, got object"):
        PCF(object(), -n, n)
