"""Honest numbers: ``N`` prints only proven digits, fractions without a limit get no value,
slowly convergent fractions are certified (theory T1.4, T1.7, T1.8)."""

from __future__ import annotations

import warnings
from math import floor, log10

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sympy import Catalan, E, Float, Integer, N, Rational, Symbol, exp, log, pi, sin, sqrt
from sympy.abc import n
from sympy.core.evalf import PrecisionExhausted as SymPyPrecisionExhausted

from esma_sympy import PCF, SCF, PrecisionWarning, QuasiPolynomial
from esma_sympy.errors import DivergenceError, PrecisionExhausted

from .._hypothesis import budget

k = Symbol("k")


def _printed_error_ok(f: Float, exact_lo, exact_hi) -> bool:
    """Whether every printed digit of ``f`` is right: the true value (somewhere in the exact
    rational interval ``[lo, hi]``) is within one unit of the last printed place."""
    text = str(f)
    mant = text.split("e")[0].lstrip("-")
    digits = len(mant.replace(".", "").lstrip("0"))
    value = Rational(text)
    e = floor(log10(abs(float(value)))) if value != 0 else 0
    ulp = Rational(10) ** (e + 1 - digits)
    return abs(value - exact_lo) < ulp and abs(value - exact_hi) < ulp


def _n(x, d, **kw):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = N(x, d, **kw)
    return r, [str(m.message) for m in w if issubclass(m.category, PrecisionWarning)]


# -- the examples of the issue ---------------------------------------------------------------

def test_parabolic_fraction_prints_only_proven_digits():
    # 2 - 1/(2 - 1/(2 - ...)) = 1, converging like 1/n: only a few digits are provable
    r, w = _n(PCF(2, -1, n), 20)
    assert isinstance(r, Float)
    assert r._prec < 70                       # fewer bits than the 20 digits asked for
    assert abs(r - 1) < Rational(10) ** (1 - len(str(r).replace(".", "")))  # each digit right
    assert w and "only 4 digits" in w[0] and "proven" in w[0]


def test_catalan_fraction_at_50_digits_has_no_wrong_digit():
    # Ramanujan's fraction: 1/(2 - 2G) = 8*0^2 + 7 - 16/(8*1 + 8 + 7 - 16*16/(...))
    p = PCF(8 * n**2 + 8 * n + 7, -16 * n**4, n)
    r, w = _n(p, 50)
    truth = N(1 / (2 - 2 * Catalan), 80)
    assert isinstance(r, Float) and w
    assert _printed_error_ok(r, Rational(str(truth)), Rational(str(truth)))
    # the old evalf printed 50 digits, 40 of them wrong
    assert len(str(r)) < 30


def test_strict_raises_precision_exhausted():
    with pytest.raises(PrecisionExhausted) as info:
        N(PCF(2, -1, n), 20, strict=True)
    assert isinstance(info.value, SymPyPrecisionExhausted)
    assert "digits" in str(info.value)
    # enough digits: strict is silent
    assert abs(N(PCF(n + 3, -n, n), 30, strict=True) - N(E, 30)) < Rational(10) ** -28


@pytest.mark.parametrize("frac, why", [
    (PCF(1, -1, n), "cycle with period 3"),
    (PCF(0, 1, n), "diverges"),
    (PCF(1, n**3, n), "Stern-Stolz"),
    (PCF(1, -2, n), "elliptic"),
    (PCF((3 - n) * (n + 3) / 3, -(3 - n) * (4 - n) * n / 9, n), "terminates: b(3) = 0"),
    (PCF(n + 1, n - 2, n), "terminates: b(2) = 0"),
    (SCF(QuasiPolynomial([], [1], k), (-1,)), "cycle with period 3"),
])
def test_fractions_without_limit(frac, why):
    r, w = _n(frac, 15)
    assert r == frac                            # left unevaluated
    assert len(w) == 1 and why in w[0]
    v = frac.evaluate(15)
    assert v.has_limit is False and v.ball is None and not v.certified and why in v.reason
    assert "no limit" in repr(v)
    with pytest.raises(DivergenceError, match="has no value"):
        frac.evaluate(15, strict=True)
    with pytest.raises(PrecisionExhausted):
        N(frac, 15, strict=True)


def test_unknown_convergence_is_left_unevaluated_not_guessed():
    # b grows like a(m-1)a(m) with negative sign and 4|b| > a a: no tail bound is known
    p = PCF(n + 1, -n**2, n)
    r, w = _n(p, 10)
    assert r == p and w and "not proven" in w[0]
    assert p.evaluate(10).has_limit is None


# -- slowly convergent fractions (T1.4, deg b = 2 deg a + 2) ------------------------------------

@pytest.mark.parametrize("frac, value", [
    (PCF(2, n**2, n), 2 / (4 - pi)),
    (PCF(6, (2 * n - 1) ** 2, n), pi + 3),
])
def test_slowly_convergent_pi_fractions(frac, value):
    v = frac.evaluate(6)
    assert v.certified and v.method == "asymptotic tail" and v.digits >= 6
    assert v.contains(value)
    r, w = _n(frac, 6)
    assert not w and abs(r - N(value, 20)) < Rational(10) ** -5
    assert str(r) == str(N(value, 6))


def test_negative_a_positive_tail():
    # -1 + 1/(-1 + 1/(-1 + ...)) = -golden ratio, proven through the sign-flipped positive tail
    v = PCF(-1, 1, n).evaluate(30)
    assert v.certified and v.method == "positive tail" and v.contains(-(1 + sqrt(5)) / 2)


# -- inside expressions: accuracy propagates --------------------------------------------------

def test_accuracy_propagates_through_arithmetic():
    p = PCF(2, -1, n)                           # = 1, few digits provable
    r, w = _n(2 * p + 1, 20)
    assert isinstance(r, Float) and r._prec < 70 and w
    assert abs(r - 3) < Rational(1, 100)
    e = PCF(n + 3, -n, n)
    r, w = _n(2 * e + 1, 40)
    assert not w and abs(r - N(2 * E + 1, 45)) < Rational(10) ** -38


def test_finite_fraction_is_exact():
    s = SCF([3, 2], [-1], periodic=False)       # 3 - 1/2
    assert N(s, 30) == Float("2.5", 30)


# -- every printed digit is proven (hypothesis) -----------------------------------------------

@st.composite
def positive_pcfs(draw, slow: bool = False):
    """Positive PCFs: ``deg b <= 2 deg a + 1`` (geometric or factorial convergence), or with
    ``slow=True`` the borderline ``deg b = 2 deg a + 2`` (power-law convergence)."""
    da = draw(st.integers(0, 2))
    a = [draw(st.integers(1, 5)) for _ in range(da + 1)]
    db = 2 * da + 2 if slow else draw(st.integers(0, 2 * da + 1))
    b = [draw(st.integers(1, 5)) for _ in range(db + 1)]
    if slow:
        b[-1] = draw(st.sampled_from([1, 4, 9]))   # a square: the asymptotic tail applies
    A = sum(c * n**i for i, c in enumerate(a))
    B = sum(c * n**i for i, c in enumerate(b))
    return PCF(A, B, n)


def _check_printed_digits(p, d, max_depth, depth=64):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        r = N(p, d)
    assume(isinstance(r, Float))
    text = str(r).split("e")[0].lstrip("-")
    text_digits = len(text.replace(".", "").lstrip("0"))
    assert text_digits <= d + 1
    ulp = Rational(10) ** (floor(log10(abs(float(r)))) + 1 - text_digits)
    # the reference: a positive fraction lies between consecutive exact convergents (T1.4),
    # both read off one walk matrix, walked deep enough to be far below the last printed place
    while True:
        P = p.walk_matrix(depth)
        lo, hi = sorted([Rational(int(P[0, 0]), int(P[1, 0])), Rational(int(P[0, 1]), int(P[1, 1]))])
        if hi - lo < ulp / 10 or depth >= max_depth:
            break
        depth *= 4
    assume(hi - lo < ulp / 10)
    assert _printed_error_ok(r, lo, hi)


@given(positive_pcfs(), st.integers(3, 25))
def test_printed_digits_are_proven(p, d):
    _check_printed_digits(p, d, 4096)


@pytest.mark.slow
@budget(0.1)  # walks to depth 16384 for the reference, about 1 s an example (ci: 15 examples)
@given(positive_pcfs(slow=True), st.integers(3, 6))
def test_printed_digits_are_proven_slow_fractions(p, d):
    # the reference converges like depth^-2 (T1.4), the printed value uses the asymptotic tail
    _check_printed_digits(p, d, 16384, depth=2048)


def test_comparisons_and_assumptions_from_certified_values():
    e = PCF(n + 3, -n, n)
    assert e.is_number and e.is_real and e.is_positive and not e.is_negative
    assert e.is_zero is False
    assert (e > 2) is not None and bool(e > 2) and bool(e < 3)
    assert PCF(1, -1, n).is_real is None       # no limit: not a real number
    c = Symbol("c")
    assert PCF(n + c, c * n, n).is_number is False
    assert float(PCF(1, 1, n)) == pytest.approx(float((1 + sqrt(5)) / 2))
    assert PCF(-1, 1, n).is_negative
    assert Integer(2) < PCF(n + 3, -n, n)


# -- certified asymptotic tails (T1.9) ------------------------------------------------------

def _exact_tail(p, m, value, dps=120):
    """tau_m recovered from the known value x: tau = (x q_m - p_m)/(p_{m-1} - x q_{m-1})."""
    import mpmath

    P = p.walk_matrix(m)
    with mpmath.workdps(dps):
        x = mpmath.mpf(str(N(value, dps)))
        pm, pm1, qm, qm1 = (mpmath.mpf(int(P[i, j])) for i, j in ((0, 0), (0, 1), (1, 0), (1, 1)))
        return (x * qm - pm) / (pm1 - x * qm1)


@pytest.mark.parametrize("a, b, value", [
    (2, n**2, 2 / (4 - pi)),
    (6, (2 * n - 1) ** 2, pi + 3),
])
def test_asymptotic_tail_bounds_hold(a, b, value):
    import mpmath
    from flint import fmpq, fmpq_poly

    from esma_sympy.cf.pcf import _pcf_polys
    from esma_sympy.numeric.asymptotic_tail import certified_tail_bounds

    p = PCF(a, b, n)
    pa, pb = _pcf_polys(p)
    for K in (4, 8, 16):
        tb = certified_tail_bounds(pa, pb, K)
        assert tb is not None and tb.start < 50
        for m in (tb.start, 50, 200):
            lo, hi = tb(m)
            tau = _exact_tail(p, m, value)
            with mpmath.workdps(120):
                assert mpmath.mpf(int(lo.p)) / int(lo.q) <= tau <= mpmath.mpf(int(hi.p)) / int(hi.q)
    # the inequalities are the proof: without a margin they cannot hold
    assert certified_tail_bounds(pa, pb, 8, margin=fmpq(0)) is None
    # a fraction outside the slowly convergent class gets no expansion
    assert certified_tail_bounds(fmpq_poly([1, 2]), fmpq_poly([0, 0, 1]), 8) is None


@pytest.mark.parametrize("frac, value", [
    (PCF(2, n**2, n), 2 / (4 - pi)),
    (PCF(6, (2 * n - 1) ** 2, n), pi + 3),
    (PCF(-6, (2 * n - 1) ** 2, n), -pi - 3),   # PCF(-a, b) = -PCF(a, b)
])
def test_slowly_convergent_fractions_to_many_digits(frac, value):
    v = frac.evaluate(50)
    assert v.certified and v.digits >= 50 and v.method == "asymptotic tail"
    assert v.depth < 1000                       # T1.4 alone would need a depth of ~10^25
    assert v.contains(value)
    assert not v.contains(value + Rational(10) ** -48)
    assert abs(N(frac, 50) - N(value, 60)) < Rational(10) ** -49


# -- contexts that do not track accuracy (found by a fresh-eyes check) ------------------------

@pytest.mark.parametrize("make", [
    lambda q: N(q**2, 20), lambda q: N(q**2 - 1, 10), lambda q: N(exp(q), 20),
    lambda q: N(log(q), 20), lambda q: N(sqrt(q), 20), lambda q: N(sin(q * 10**6), 20),
])
def test_functions_of_a_short_value_are_not_evaluated(make):
    # SymPy's powers and functions trust an argument to the precision they ask for, so a
    # fraction with 4 proven digits must not feed them (it used to print exp(q) = 2.71828862...)
    q = PCF(2, -1, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        r = make(q)
    assert not isinstance(r, Float) and r.has(PCF)


def test_functions_of_a_fully_proven_value_are_evaluated():
    e = PCF(n + 3, -n, n)
    assert abs(N(exp(e), 30) - N(exp(E), 30)) < Rational(10) ** -28
    assert abs(N(e**2, 30) - N(E**2, 30)) < Rational(10) ** -28
    assert abs(N(e + pi, 30) - N(E + pi, 30)) < Rational(10) ** -28


def test_sums_keep_the_proven_accuracy():
    c = PCF(8 * n**2 + 8 * n + 7, -16 * n**4, n)      # 1/(2 - 2G), about 10 proven digits
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        r = N(c + pi, 20)
    truth = N(1 / (2 - 2 * Catalan) + pi, 40)
    assert isinstance(r, Float) and _printed_error_ok(r, Rational(str(truth)), Rational(str(truth)))


def test_float_and_round_use_only_proven_digits():
    c = PCF(8 * n**2 + 8 * n + 7, -16 * n**4, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        f = float(c)
        assert abs(f - float(N(1 / (2 - 2 * Catalan), 20))) < 1e-9
        assert len(repr(f).replace(".", "")) <= 11          # no unproven digit in the repr
        assert c.round(5) == Float("5.94994", 6)
        with pytest.raises(PrecisionExhausted, match="proven"):
            c.round(12)
    with pytest.raises(TypeError, match="cycle"):
        float(PCF(1, -1, n))


def test_repeated_queries_reuse_the_deepest_evaluation(monkeypatch):
    from esma_sympy.cf import base
    from esma_sympy.cf.base import ContinuedFraction

    monkeypatch.setattr(base, "_VALUES", {})      # a fresh memo: earlier tests evaluated c too

    c = PCF(8 * n**2 + 8 * n + 7, -16 * n**4, n)
    calls = []
    real = ContinuedFraction.evaluate

    def counting(self, *args, **kwargs):
        calls.append(args)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ContinuedFraction, "evaluate", counting)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        N(c)                                     # walks to the maximal depth once
        for d in (60, 80, 120):
            N(c, d)
        assert bool(c > Rational(5949943896, 10**9)) and bool(c < 5.95)
        N(c + 1, 30)
    assert len(calls) == 1                       # every later query reused that walk


def test_uncomputable_coefficients_leave_the_fraction_unevaluated():
    for p, why in ((PCF(sqrt(2) * n, 1, n), "rational"), (PCF(1 / n, 1, n), "a(0)")):
        r, w = _n(p, 15)
        assert r == p and w and why in w[0]


@pytest.mark.parametrize("make", [
    lambda c: int(c * 10**12), lambda c: round(c, 12), lambda c: (c + pi).round(12),
    lambda c: float(c + pi), lambda c: float(c - Rational(5949943896, 10**9)),
    lambda c: round(-c, 12), lambda c: round(2 * c, 12),
])
def test_sympy_conversions_never_read_unproven_digits(make):
    # SymPy's round/int/float of an expression read the digits of an evalf result, not its
    # accuracy: a short value must make them fail, not return 5949943896309 for ...247
    c = PCF(8 * n**2 + 8 * n + 7, -16 * n**4, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        with pytest.raises((TypeError, PrecisionExhausted)):
            make(c)


def test_sympy_conversions_of_fully_proven_values_work():
    e = PCF(n + 3, -n, n)
    assert int(e * 10**40) == int(N(E * 10**40, 60))
    assert round(e, 10) == Float("2.7182818285", 11)
    assert float(e + pi) == pytest.approx(float(E + pi), rel=1e-15)
    assert complex(PCF(1, 1, n)) == pytest.approx(complex(float((1 + sqrt(5)) / 2)))
    c = PCF(8 * n**2 + 8 * n + 7, -16 * n**4, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        assert round(c, 5) == Float("5.94994", 6)            # enough proven digits
        assert bool(c > Rational(5949943896, 10**9))         # signs still decided


@pytest.mark.parametrize("make", [
    lambda q, c: N(1 / (c - Rational(59499438957, 10**10)), 5),   # used to print zoo
    lambda q, c: N(1 / (q - 1), 5),                               # used to print 5.2429E+5
    lambda q, c: N(log(q), 3),                                    # used to print 2.50e-6
    lambda q, c: N(sqrt(q - 1), 5),
    lambda q, c: N(1 / c - (2 - 2 * Catalan), 5),
])
def test_fallback_float_arithmetic_never_sees_a_refused_value(make):
    # once an evalf refused a short value, SymPy's fallback (_eval_evalf Float arithmetic,
    # blind to cancellation and conditioning) must not get it either: found by a tester
    q, c = PCF(2, -1, n), PCF(8 * n**2 + 8 * n + 7, -16 * n**4, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        r = make(q, c)
    assert r.has(PCF)


def test_equals_is_never_wrong():
    s, e = PCF(2, n**2, n), PCF(n + 3, -n, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        assert s.equals(2 / (4 - pi)) is not False        # true identity: True or unknown
        assert e.equals(E) is not False
        assert e.equals(3) is False and s.equals(2) is False
