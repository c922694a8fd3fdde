"""Tests of the certified ESMA expansion (theory T2.1-T2.3).

Oracles: SymPy's ``continued_fraction`` / ``continued_fraction_periodic``, the reference table
../shared/reference/classical_cfs.md (each expected sequence below says which row it is), a
naive ``fmpq`` loop of the ESMA rule on both endpoints, and high-precision expansions.
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import pytest
import sympy
from flint import arb, fmpq
from hypothesis import example, given, strategies as st
from sympy import E, Rational, besseli, cot, pi, sqrt, tan, tanh
from sympy.ntheory.continued_fraction import continued_fraction, continued_fraction_periodic

from esma_sympy.cf.scf import SCF
from esma_sympy.errors import PrecisionExhausted
from esma_sympy.numeric.constants import to_arb
from esma_sympy.cf.expansion import expand, expand_report
from esma_sympy.numeric.expand import (
    ExpansionInfo,
    PrecisionWarning,
    SignSequence,
    _ball_pairs,
    _kernel,
    expand_parts,
    expand_quotients,
)

# -- oracles -------------------------------------------------------------------------------------


def naive_interval_expansion(lo: fmpq, hi: fmpq, signs, n):
    """The ESMA rule on both endpoints with fmpq, one step at a time (no Lehmer)."""
    out = []
    for i in range(n):
        s = signs[i]
        a_lo = lo.floor() if s > 0 else lo.ceil()
        a_hi = hi.floor() if s > 0 else hi.ceil()
        if a_lo != a_hi:
            return out, "undecided"
        a = int(a_lo)
        out.append(a)
        if lo == a and hi == a:
            return out, "terminated"
        if lo == a or hi == a:
            return out, "boundary"
        lo, hi = s / (lo - a), s / (hi - a)
    return out, "complete"


def cylinder(quotients, signs):
    """The closed interval of reals whose ESMA expansion starts with ``quotients``.

    With the last quotient ``a_n`` rounded by ``s_n``, ``x_n`` ranges over ``[a_n, a_n + 1]``
    (floor) or ``[a_n - 1, a_n]`` (ceil); ``x`` is the image under the first ``n`` steps.
    """
    quotients = [int(a) for a in quotients]
    n = len(quotients) - 1
    a_n, s_n = quotients[-1], signs[n]
    ends = [fmpq(a_n), fmpq(a_n + s_n)]
    vals = []
    for t in ends:
        for i in range(n - 1, -1, -1):
            t = quotients[i] + signs[i] / t
        vals.append(t)
    return min(vals), max(vals)


def ball_inside(ball: arb, lo: fmpq, hi: fmpq) -> bool:
    """Whether the exact endpoints of ``ball`` lie in ``[lo, hi]``."""
    p1, q1, p2, q2 = _ball_pairs(ball)
    return lo <= fmpq(p1, q1) and fmpq(p2, q2) <= hi


def signs_list(pattern, n):
    return [pattern[i % len(pattern)] for i in range(n)]


# -- simple expansions against SymPy -------------------------------------------------------------


@given(st.integers(-10**40, 10**40), st.integers(1, 10**40))
@example(0, 1)
@example(-7, 3)
@example(10**40, 1)
def test_rationals_agree_with_sympy(p, q):
    x = Rational(p, q)
    scf = expand(x, terms=10**4 + 1)
    assert scf.terms(10**4) == continued_fraction(x)
    assert scf.evaluate().exact == x


@pytest.mark.parametrize("p, q, d", [(0, 1, 2), (1, 2, 5), (3, 7, 13), (-5, 3, 19), (2, 1, 3),
                                     (17, 5, 67), (0, 1, 1000001)])
def test_quadratic_irrationals_agree_with_continued_fraction_periodic(p, q, d):
    cf = continued_fraction_periodic(p, q, d)
    pre, per = cf[:-1], cf[-1]
    expected = list(pre) + per * (80 // len(per) + 1)
    got = expand((p + sqrt(d)) / q, terms=61, strict=True).terms(61)
    assert got == expected[:61]


# -- the classical table (classical_cfs.md) ------------------------------------------------------


def e_simple(n):  # [2; 1, 2, 1, 1, 4, 1, 1, 6, ...]  (Euler; A003417)
    out = [2]
    k = 1
    while len(out) < n:
        out += [1, 2 * k, 1]
        k += 1
    return out[:n]


def e2_simple(n):  # A001204: a(5k+1)=3k+2, a(5k+2)=a(5k+3)=1, a(5k+4)=3k+3, a(5k+5)=12k+18
    out = [7]
    k = 0
    while len(out) < n:
        out += [3 * k + 2, 1, 1, 3 * k + 3, 12 * k + 18]
        k += 1
    return out[:n]


def tan1_simple(n):  # [1; 1, 1, 3, 1, 5, 1, 7, ...]  (Lambert; A093178)
    out = [1, 1]
    k = 1
    while len(out) < n:
        out += [1, 2 * k + 1]
        k += 1
    return out[:n]


def e_minus_plus(n):  # e, (-,+): 3; then a(2k+1) = 2k+3, a(2k+2) = 2
    return [3] + [2 * (i // 2) + 3 if i % 2 == 1 else 2 for i in range(1, n)]


def e_plus_minus(n):  # e, (+,-): 2; 2, 1, 2, 2, 5, 2, 7, 2, 9, ...
    out = [2, 2, 1, 2]
    k = 5
    while len(out) < n:
        out += [2, k]
        k += 2
    return out[:n]


def e_over_e1(n):  # e/(e-1), (+,-): 1; 2, 3, 2, 5, 2, 7, ...
    out = [1]
    k = 3
    while len(out) < n:
        out += [2, k]
        k += 2
    return out[:n]


def e2_signed(n):  # e^2, (+,+,-,+): 7; per period 3k+2, 2, 3k+4, 12k+18
    out = [7]
    k = 0
    while len(out) < n:
        out += [3 * k + 2, 2, 3 * k + 4, 12 * k + 18]
        k += 1
    return out[:n]


def tan1_signed(n):  # tan 1, (+,-,+): a(3k)=1, a(3k+1)=4k+2, a(3k+2)=4k+4
    return [[1, 4 * (i // 3) + 2, 4 * (i // 3) + 4][i % 3] for i in range(n)]


CLASSICAL = [
    # (constant, signs, expected generator or prefix, row of classical_cfs.md)
    (sympy.GoldenRatio, (1,), lambda n: [1] * n, "golden ratio"),
    (sqrt(2), (1,), lambda n: [1] + [2] * (n - 1), "sqrt 2"),
    (E, (1,), e_simple, "e simple"),
    (E**2, (1,), e2_simple, "e^2 simple"),
    (tan(1), (1,), tan1_simple, "tan 1 simple"),
    (tanh(1), (1,), lambda n: [0] + [2 * k + 1 for k in range(n - 1)], "tanh 1"),
    ((E + 1) / (E - 1), (1,), lambda n: [2 + 4 * k for k in range(n)], "coth(1/2)"),
    (besseli(0, 2) / besseli(1, 2), (1,), lambda n: list(range(1, n + 1)), "I0(2)/I1(2)"),
    (besseli(1, 2) / besseli(0, 2), (1,), lambda n: list(range(n)), "I1(2)/I0(2)"),
    (pi, (1,), [3, 7, 15, 1, 292, 1, 1, 1, 2, 1, 3], "pi (A001203)"),
    (E, (-1,), [3, 4, 3, 2, 2, 2, 3, 8, 3, 2, 2, 2, 2, 2, 2, 2, 3, 12], "e (-) A280136"),
    (E, (-1, 1), e_minus_plus, "e (-,+)"),
    (E, (1, -1), e_plus_minus, "e (+,-)"),
    (E / (E - 1), (1, -1), e_over_e1, "e/(e-1) (+,-)"),
    (E**2, (1, 1, -1, 1), e2_signed, "e^2 (+,+,-,+)"),
    (tan(1), (1, -1, 1), tan1_signed, "tan 1 (+,-,+)"),
    (cot(1), (-1,), lambda n: [2 * k + 1 for k in range(n)], "cot 1 (-)"),
]


@pytest.mark.parametrize("x, signs, expected, row", CLASSICAL, ids=[c[3] for c in CLASSICAL])
def test_classical_expansions_term_by_term(x, signs, expected, row):
    if callable(expected):
        depth = 60
        expected = expected(depth + 1)
    else:
        depth = len(expected) - 1
    # at least 100 digits, and strict: every quotient compared is certified
    scf = expand(x, signs, terms=depth + 1, dps=120, strict=True)
    assert scf == SCF(expected, signs)
    lo, hi = cylinder(expected, signs_list(signs, depth + 1))
    assert ball_inside(to_arb(x, 3000), lo, hi)  # the value lies in the prefix's cylinder


def test_callable_and_explicit_signs_give_the_same_quotients():
    ref = expand(E, (-1, 1), terms=21)
    by_call = expand(E, lambda i: -1 if i % 2 == 0 else 1, terms=21)
    by_seq = expand(E, SignSequence([-1, 1] * 10 + [-1]))
    assert by_call.terms(21) == by_seq.terms(21) == ref.terms(21)
    assert by_call == by_seq == SCF(ref.terms(21), [-1, 1] * 10, periodic=False)
    assert not by_call.is_periodic and ref.is_periodic


# -- certification -------------------------------------------------------------------------------

CONSTANTS = [E, pi, sqrt(2), sqrt(3) + 1, sympy.zeta(3), sympy.EulerGamma, sympy.log(2), tan(1),
             sympy.Catalan]


@st.composite
def mobius_constants(draw):
    c = draw(st.sampled_from(CONSTANTS))
    a, b, d = (draw(st.integers(-9, 9)) for _ in range(3))
    e = draw(st.integers(1, 9))
    if a * e - b * d == 0:  # keep the map invertible, so the value is irrational
        a, b = a + 1, b - 1 if d else b
        if a * e - b * d == 0:
            a, b, d = 1, 0, 0
    return (a * c + b) / (d * c + e) if d else (a * c + b) / e


sign_patterns = st.lists(st.sampled_from([1, -1]), min_size=1, max_size=5).map(tuple)


@given(mobius_constants(), sign_patterns, st.integers(5, 60))
@example(E, (-1,), 5)
def test_low_precision_never_contradicts_high_precision(x, signs, low_dps):
    low, info = expand_quotients(x, signs, terms=121, dps=low_dps, max_dps=low_dps)
    high, hinfo = expand_quotients(x, signs, terms=121, dps=400)
    assert hinfo.status == "complete"
    assert low == high[: len(low)]
    assert info.certified == len(low)
    assert info.status == ("complete" if len(low) == 121 else "exhausted")


@given(st.integers(-10**30, 10**30), st.integers(1, 10**30), st.integers(0, 200), sign_patterns)
@example(7, 3, 0, (-1,))
@example(5, 1, 3, (-1,))
def test_ball_expansion_is_a_prefix_of_every_point_in_it(p, q, radius_bits, signs):
    """Every quotient of a ball is the quotient of every rational in the ball (T2.2)."""
    x = fmpq(p, q)
    rad = fmpq(1, 2**radius_bits)
    lo, hi = x - rad, x + rad
    qs, info = expand_quotients((lo, hi), signs, terms=301)
    for point in (lo, hi, x, (lo + x) / 2):
        exact, _ = expand_quotients(point, signs, terms=301)
        assert qs == exact[: len(qs)]
    if qs:
        c_lo, c_hi = cylinder(qs, signs_list(signs, len(qs)))
        assert c_lo <= lo and hi <= c_hi


@given(st.integers(-10**60, 10**60), st.integers(1, 10**60), sign_patterns,
       st.integers(0, 120), st.sampled_from([1, 2, 8, 30, 64, 192]))
def test_lehmer_kernel_matches_naive_loop(p, q, signs, radius_bits, lehmer_bits):
    x = fmpq(p, q)
    rad = fmpq(1, 3**radius_bits)
    lo, hi = x - rad, x + rad
    sg = signs_list(signs, 500)
    naive, nst = naive_interval_expansion(lo, hi, sg, 500)
    got, gst = _kernel(int(lo.p), int(lo.q), int(hi.p), int(hi.q), sg, 500, lehmer_bits)
    assert got == naive
    assert gst == nst


def test_value_of_returned_scf():
    # exact input: the SCF's value is x itself
    for x in (Rational(355, 113), Rational(-17, 4), Rational(1, 1000)):
        for signs in [(1,), (-1,), (1, -1), (-1, -1, 1)]:
            assert expand(x, signs, terms=5001).evaluate().exact == x
    # a ball: it lies inside the cylinder of the returned prefix
    ball = to_arb(pi, 300)
    scf, info = expand_report(ball, (1, -1), terms=501)
    n = info.certified
    c_lo, c_hi = cylinder(scf.terms(n), signs_list((1, -1), n))
    assert ball_inside(ball, c_lo, c_hi)


# -- termination and edge cases (T2.1) -----------------------------------------------------------


def test_termination_rules():
    assert expand(5, (-1,)) == SCF([5], (-1,))            # ceil of an integer is itself
    assert expand(Rational(7, 2), (-1,)) == SCF([4, 2], (-1,))   # 4 - 1/2
    assert expand(Rational(7, 3), (-1,)) == SCF([3, 2, 2], (-1,))
    assert expand(Rational(-7, 3)) == SCF([-3, 1, 2], (1,))
    scf, info = expand_report(Rational(7, 3), terms=11)
    assert info == ExpansionInfo(11, 2, "terminated", None)
    # depth 0: only a_0
    assert expand(pi, terms=1) == SCF([3], (1,))
    assert expand(pi, (-1,), terms=1) == SCF([4], (-1,))


def test_semiregular_conditions_hold():
    for signs in [(1,), (-1,), (1, -1), (-1, -1, 1, 1)]:
        qs, _ = expand_quotients(sympy.zeta(3) - 7, signs, terms=301)
        sg = signs_list(signs, len(qs))
        assert all(a >= 1 for a in qs[1:])
        assert all(a >= 2 for a, s in zip(qs[1:], sg[1:]) if s == -1)


def test_ball_touching_an_integer_reports_the_boundary():
    qs, info = expand_quotients((3, Fraction(7, 2)), terms=6)
    assert qs == [3] and info.status == "exhausted" and "exactly" in info.reason


# -- precision raising, strictness, warnings ------------------------------------------------------


def test_precision_is_raised_automatically():
    scf, info = expand_report(E**2, (1, 1, -1, 1), terms=401, dps=20)
    assert info.status == "complete" and info.dps > 20
    assert scf.terms(401) == e2_signed(401)


def test_strict_raises_with_certified_partial():
    with pytest.raises(PrecisionExhausted) as exc:
        expand(pi, (1, -1), terms=1001, dps=30, max_dps=60, strict=True)
    partial = exc.value.partial
    assert isinstance(partial, SCF)
    n = len(partial.terms(2000))
    assert 10 < n < 1001
    assert partial.terms(n) == expand(pi, (1, -1), terms=n, dps=200).terms(n)
    assert "max_dps = 60" in str(exc.value)


@pytest.mark.parametrize("signs, terms", [((1, -1), 31), (SignSequence([1, -1, 1, 1, -1]), None),
                                          (lambda i: (-1) ** i, 7)])
def test_expand_parts_are_raw_and_describe_the_scf(signs, terms):
    # numeric/ returns no SymPy objects (ARCHITECTURE.md); cf/ builds the SCF they describe
    qs, sg, periodic, info = expand_parts(tan(1), signs, terms=terms)
    assert all(type(q) is int for q in qs) and all(type(s) is int for s in sg)
    assert type(periodic) is bool and isinstance(info, ExpansionInfo)
    scf, info2 = expand_report(tan(1), signs, terms=terms)
    assert scf == SCF(qs, sg, periodic) and info2 == info


def test_expand_parts_strict_partial_is_raw():
    with pytest.raises(PrecisionExhausted) as exc:
        expand_parts(pi, (1, -1), terms=1001, dps=30, max_dps=60, strict=True)
    qs, sg, periodic = exc.value.partial
    assert all(type(q) is int for q in qs) and sg == (1, -1) and periodic is True


@pytest.mark.parametrize("name", ["expand", "expand_report"])
def test_old_path_in_numeric_is_deprecated(name):
    import esma_sympy
    import esma_sympy.numeric.expand as old

    with pytest.warns(DeprecationWarning, match=f"esma_sympy.{name} "):
        f = getattr(old, name)
    assert f is getattr(esma_sympy, name)
    with pytest.raises(AttributeError):
        old.no_such_name


def test_short_expansion_warns_and_report_explains():
    with pytest.warns(PrecisionWarning, match="quotients certified"):
        scf = expand(pi, terms=1001, dps=30, max_dps=60)
    n = len(scf.terms(2000))
    assert n < 1001
    _, info = expand_report(pi, terms=1001, dps=30, max_dps=60)
    assert info.status == "exhausted" and not info.ok and info.certified == n
    assert info.dps == 60
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expand_report(pi, terms=1001, dps=30, max_dps=60)  # the report never warns


def test_fixed_ball_cannot_be_refined():
    scf, info = expand_report(arb(2).sqrt(), terms=101)
    assert info.status == "exhausted" and "fixed" in info.reason
    assert scf.terms(100) == [1] + [2] * (info.certified - 1)


def test_nothing_certified_raises_even_when_not_strict():
    zero = sympy.log(6) - sympy.log(2) - sympy.log(3)   # exactly 0, unnoticed by SymPy
    with pytest.raises(PrecisionExhausted, match="no quotient") as exc:
        expand(zero, terms=6, max_dps=40)
    assert exc.value.partial is None
    scf, info = expand_report(zero, terms=6, max_dps=40)
    assert scf is None and info.certified == 0


def test_string_input_uses_the_parser():
    assert expand("e/(e - 1)", (1, -1), terms=13) == expand(E / (E - 1), (1, -1), terms=13)
    assert expand("0.1") == SCF([0, 10], (1,))


# -- bad input names the argument ----------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(x=0.5), TypeError, r"x = 0\.5 is a binary float"),
        (dict(x=sympy.Float(2.5)), TypeError, "binary float"),
        (dict(x=sympy.Symbol("t") + 1), ValueError, "x must be a constant"),
        (dict(x=object()), TypeError, "x must be"),
        (dict(x=True), TypeError, "x must be a real number"),
        (dict(x=(1, 2, 3)), ValueError, r"pair \(lo, hi\)"),
        (dict(x=(2, 1)), ValueError, "lo <= hi"),
        (dict(x=(1.0, 2)), TypeError, "exact rationals"),
        (dict(x=arb.nan()), ValueError, "finite ball"),
        (dict(x=pi, terms=0), ValueError, "terms must be a positive integer"),
        (dict(x=pi, terms=2.0), TypeError, "terms must be"),
        (dict(x=pi, signs=(1, 2)), ValueError, r"signs\[1\] = 2"),
        (dict(x=pi, signs=()), ValueError, "signs must not be empty"),
        (dict(x=pi, signs="+-"), TypeError, "signs must be"),
        (dict(x=pi, signs=lambda i: 0), ValueError, r"signs\(0\) = 0"),
        (dict(x=pi, signs=SignSequence([1, 1]), terms=6), ValueError, "terms must be <= 2"),
        (dict(x=pi, dps=0), ValueError, "dps must be"),
        (dict(x=pi, dps=100, max_dps=50), ValueError, "dps must be <= max_dps"),
        (dict(x=pi, strict="yes"), TypeError, "strict must be"),
        (dict(x="__import__('os')"), ValueError, "__import__"),
    ],
)
def test_bad_input_names_the_argument(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        expand(**kwargs)


def test_sign_sequence_value_semantics():
    assert SignSequence([1, -1]) == SignSequence((1, -1))
    assert hash(SignSequence([1, -1])) == hash(SignSequence([1, -1]))
    assert SignSequence([1]) != (1,)
    with pytest.raises(ValueError, match="signs must not be empty"):
        SignSequence([])


# -- deep expansions -----------------------------------------------------------------------------


@pytest.mark.slow
def test_deep_expansions_follow_the_patterns():
    assert expand(E**2, (1, 1, -1, 1), terms=3001, strict=True).terms(3001) == e2_signed(3001)
    assert expand(tan(1), (1, -1, 1), terms=3001, strict=True).terms(3001) == tan1_signed(3001)
    assert expand(E, terms=3001, strict=True).terms(3001) == e_simple(3001)
    big = Rational(3**20000 + 1, 2**30000 + 7)
    assert expand(big, (1,), terms=10**6 + 1).terms(10**6) == continued_fraction(big)
