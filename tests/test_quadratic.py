"""Quadratic irrationals both ways (issue 14, item 2; theory T6.12): the exact periodic ESMA
expansion in Q(sqrt(D)) under any sign pattern, the value in radicals of an eventually
periodic SCF or a constant PCF with a re-checkable proof, and exact rationals given as
expressions in radicals expanding exactly."""

from __future__ import annotations

import warnings
from dataclasses import replace

import pytest
from flint import arb
from hypothesis import example, given, strategies as st
from sympy import E, GoldenRatio, Integer, N, Rational, Symbol, radsimp, sqrt
from sympy.ntheory.continued_fraction import continued_fraction, continued_fraction_periodic

from esma_sympy import PCF, SCF, QuasiPolynomial, expand, expand_report, to_arb
from esma_sympy.errors import PrecisionExhausted
from esma_sympy.numeric.expand import expand_quotients
from esma_sympy.numeric.quadratic import algebraic_parts, periodic_quotients, quadratic_quotients
from esma_sympy.testing import quadratic_irrationals, scfs, sign_patterns
from esma_sympy.theory import PeriodicIdentification, identify_periodic, periodic_expansion
from esma_sympy.verdict import Certificate, ProofStatus

from ._hypothesis import budget

k = Symbol("k")


def _parts(scf):
    """``(preperiod, period)`` of an eventually periodic SCF with constant residues."""
    q = scf.quotients
    return [int(a) for a in q.prefix], [int(a) for a in q.polys]


def _sympy_list(pre, per):
    return pre + [per] if per else pre


# -- quadratic irrational -> periodic SCF ------------------------------------------------------

@given(quadratic_irrationals())
@example(sqrt(2))
@example(GoldenRatio)
@example((sqrt(3) + 2) / 7)
@example(1 / (3 - sqrt(5)))
@example(-sqrt(2))
@example((1 - sqrt(13)) / 2)
def test_simple_expansion_matches_sympy(x):
    scf = periodic_expansion(x)
    assert scf.sign_pattern == (1,) and isinstance(scf.quotients, QuasiPolynomial)
    pre, per = _parts(scf)
    # SymPy's continued_fraction reads (a + b*sqrt(c))/d only: rationalise first
    assert _sympy_list(pre, per) == continued_fraction(radsimp(x.rewrite(sqrt)))


@given(st.integers(-30, 30), st.integers(-30, 30).filter(bool), st.integers(2, 200))
@example(3, 7, 3)
@example(0, -1, 2)
@example(-7, 2, 11)
def test_periodic_quotients_match_continued_fraction_periodic(p, q, d):
    if int(d ** 0.5 + 0.5) ** 2 == d:
        return                                   # rational: sympy's function gives a finite list
    pre, per = periodic_quotients(p, q, d, (1,))
    assert _sympy_list(pre, per) == continued_fraction_periodic(p, q, d)


@given(quadratic_irrationals(), sign_patterns(max_period=4))
@example(sqrt(2), (-1,))
@example(GoldenRatio, (-1, 1))
@example(sqrt(13), (1, -1, -1))
@example(-sqrt(2), (1,))
@example((1 - sqrt(5)) / -3, (-1, -1, 1))
def test_signed_expansion_agrees_with_certified_expansion(x, signs):
    """The exact quotients are the ones the certified (ball) expansion finds."""
    scf = periodic_expansion(x, signs)
    assert scf.sign_pattern == tuple(signs)
    numeric, info = expand_quotients(x, signs, terms=60, dps=200)
    assert info.status == "complete"
    assert [int(a) for a in scf.terms(60)] == numeric


@given(quadratic_irrationals(), sign_patterns(max_period=4))
@example(1 / (3 - sqrt(5)), (1, -1, -1))
@example(-sqrt(7), (-1,))
@example(-sqrt(2), (1,))
@budget(0.5)   # each example computes two minimal polynomials and a proof
def test_signed_expansion_round_trips_exactly(x, signs):
    """identify_periodic maps the expansion back to x, exactly (same minimal polynomial and
    root), with a proof that re-checks."""
    r = identify_periodic(periodic_expansion(x, signs))
    assert isinstance(r, PeriodicIdentification) and r.status == ProofStatus.PROVEN
    assert algebraic_parts(r.closed_form) == algebraic_parts(x)
    assert r.check() is True


@given(quadratic_irrationals(max_value=8, max_radicand=30), sign_patterns(max_period=3))
def test_expansion_is_shortest(x, signs):
    """Neither the preperiod nor the period can be shortened: the quotients (with the signs)
    repeat with no smaller period, and the last preperiod quotient differs from the period's
    last one (or the sign pattern breaks the shift)."""
    scf = periodic_expansion(x, signs)
    pre, per = _parts(scf)
    T = len(per)
    for t in range(1, T):
        if T % t == 0:
            assert per[:t] * (T // t) != per
    if pre:
        n0, p = len(pre), len(signs)
        # an earlier start n0 - 1 would need a_{n0-1} = a_{n0-1+L} for L = lcm(T, p)
        from math import lcm

        L = lcm(T, p)
        assert scf.terms(n0 + L)[n0 - 1] != scf.terms(n0 + L)[n0 - 1 + L]


def test_pinned_expansions():
    assert periodic_expansion(sqrt(2), (-1,)) == SCF(QuasiPolynomial([2], [2, 4], k), (-1,))
    assert periodic_expansion(GoldenRatio, (-1,)) == SCF(QuasiPolynomial([2], [3], k), (-1,))
    assert periodic_expansion("(1 + sqrt(5))/2") == SCF(QuasiPolynomial([], [1], k), (1,))
    assert periodic_expansion(sqrt(7), (1, -1)).terms(12) == expand(sqrt(7), (1, -1), terms=12).terms(12)
    # the complete-quotient recurrence against the expression path
    assert quadratic_quotients(0, 1, 7, [1, -1] * 6, 12) == expand(sqrt(7), (1, -1), terms=12).terms(12)


def test_rational_gives_finite_expansion():
    assert periodic_expansion(Rational(7, 3), (-1,)) == SCF([3, 2, 2], (-1,))
    assert periodic_expansion(5) == SCF([5], (1,))
    assert periodic_expansion((1 + sqrt(2)) * (1 - sqrt(2)), (1, -1)) == SCF([-1], (1, -1))


def test_from_value_exact():
    assert SCF.from_value(sqrt(7), (-1,), exact=True) == SCF(QuasiPolynomial([3], [3, 6], k), (-1,))
    assert SCF.from_value(Rational(7, 3), (-1,), exact=True) == SCF([3, 2, 2], (-1,))
    with pytest.raises(TypeError, match="terms"):
        SCF.from_value(sqrt(7), exact=True, terms=5)
    with pytest.raises(TypeError, match="dps"):
        SCF.from_value(sqrt(7), exact=True, dps=50)
    with pytest.raises(TypeError, match="exact"):
        SCF.from_value(sqrt(7), exact="yes")


def test_periodic_expansion_bad_input():
    with pytest.raises(ValueError, match=r"x must be a rational or a real quadratic.*2\*\*\(1/3\)"):
        periodic_expansion(2 ** Rational(1, 3))
    with pytest.raises(ValueError, match="x must be a rational or a real quadratic"):
        periodic_expansion(E)
    with pytest.raises(ValueError, match="x must be a rational or a real quadratic"):
        periodic_expansion(sqrt(2) + sqrt(3))            # degree 4
    with pytest.raises(TypeError, match="float"):
        periodic_expansion(1.5)
    with pytest.raises(TypeError, match="x must be an exact number"):
        periodic_expansion(arb(2).sqrt())
    with pytest.raises(ValueError, match=r"signs\[1\] = 0"):
        periodic_expansion(sqrt(2), (1, 0))
    with pytest.raises(ValueError, match="signs must not be empty"):
        periodic_expansion(sqrt(2), ())
    with pytest.raises(TypeError, match="signs must be a periodic pattern"):
        periodic_expansion(sqrt(2), lambda i: 1)
    with pytest.raises(ValueError, match="free symbols"):
        periodic_expansion(sqrt(k))


def test_kernel_bad_input():
    with pytest.raises(ValueError, match="D must not be a square"):
        periodic_quotients(0, 1, 4, (1,))
    with pytest.raises(ValueError, match="Q must not be zero"):
        quadratic_quotients(0, 0, 2, [1], 1)
    with pytest.raises(ValueError, match="D must be positive"):
        periodic_quotients(0, 1, -3, (1,))
    with pytest.raises(ValueError, match="pattern"):
        periodic_quotients(0, 1, 2, (2,))


# -- algebraic_parts: exact classification -----------------------------------------------------

@given(st.integers(-9, 9), st.integers(-9, 9).filter(bool), st.integers(2, 40), st.integers(1, 9))
def test_algebraic_parts_of_conjugate_products_is_rational(a, b, d, c):
    x = (a + b * sqrt(d)) * (a - b * sqrt(d)) / c          # not expanded by SymPy
    assert algebraic_parts(x) == ("rational", *_pq(Rational(a * a - b * b * d, c)))


def _pq(r):
    return int(r.p), int(r.q)


@given(quadratic_irrationals())
def test_algebraic_parts_quadratic_is_the_number(x):
    kind, P, Q, D = algebraic_parts(x)
    assert kind == "quadratic" and (D - P * P) % Q == 0
    assert radsimp((Integer(P) + sqrt(D)) / Q - x).expand() == 0
    assert abs(N((Integer(P) + sqrt(D)) / Q - x, 50)) < 1e-40     # and numerically, independently


def test_algebraic_parts_refuses():
    assert algebraic_parts(E) is None and algebraic_parts(sqrt(2) + sqrt(3)) is None
    assert algebraic_parts(2 ** Rational(1, 3)) is None
    assert algebraic_parts(sqrt(2) * E) is None


# -- exact rationals given in radicals expand exactly (item 3) ----------------------------------

def test_conjugate_product_expands_exactly():
    x = (1 + sqrt(2)) * (1 - sqrt(2))
    assert SCF.from_value(x) == SCF([-1], (1,))
    assert expand(x, (-1,)) == SCF([-1], (-1,))
    scf, info = expand_report(x)
    assert scf == SCF([-1], (1,)) and info.status == "terminated" and info.dps is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert expand(x, strict=True) == SCF([-1], (1,))


@given(st.integers(-9, 9), st.integers(-9, 9).filter(bool), st.integers(2, 40), st.integers(1, 9),
       sign_patterns(max_period=3))
@budget(0.5)   # each example expands a few expressions with their minimal polynomials
def test_rational_in_radicals_expands_like_the_rational(a, b, d, c, signs):
    """An exact rational written with radicals has the expansion of the rational itself."""
    x = (a + b * sqrt(d)) * (a - b * sqrt(d)) / c + Rational(1, 7)
    r = Rational(a * a - b * b * d, c) + Rational(1, 7)
    assert expand(x, signs, strict=True) == expand(r, signs)


def test_rational_in_radicals_with_zero_value():
    x = (sqrt(2) + 1) ** 2 - 2 * sqrt(2) - 3               # 0, not simplified by SymPy
    assert expand(x, strict=True) == SCF([0], (1,))
    assert expand(x, (-1, 1), strict=True) == SCF([0], (-1, 1))


def test_transcendental_still_exhausts_honestly():
    """A transcendental constant whose ball cannot decide still reports the shortfall (the
    exact path applies to radicals only)."""
    with pytest.raises(PrecisionExhausted):
        expand(E, terms=200, dps=30, max_dps=30, strict=True)


def test_quadratic_expression_never_exhausts():
    """A quadratic irrational whose ball runs out is expanded exactly instead."""
    qs, info = expand_quotients(sqrt(2), (1, -1), terms=500, dps=30, max_dps=30)
    assert info.status == "complete" and qs == quadratic_quotients(0, 1, 2, [1, -1] * 250, 500)


# -- the reverse: value of an eventually periodic fraction -----------------------------------

@given(st.integers(-12, 12), st.integers(-12, 12).filter(bool))     # PCF refuses b = 0
@example(1, 1)
@example(1, 2)
@example(2, -1)
@example(0, 2)
@example(1, -1)
@example(4, -4)
def test_constant_pcf(a, b):
    r = identify_periodic(PCF(a, b))
    assert r.check() is True
    disc = a * a + 4 * b
    if disc < 0 or a == 0:
        assert r.status == ProofStatus.DISPROVEN and not r and r.closed_form is None and r.reason
        return
    y = r.closed_form
    assert r.status == ProofStatus.PROVEN and r
    assert (y * y - a * y - b).expand() == 0                        # a root of y^2 - a y - b
    if disc == 0:
        assert y == Rational(a, 2) and r.kind == "parabolic"
    else:                                                            # the root of larger modulus
        other = a - y
        assert abs(to_arb(y, 80)) > abs(to_arb(other, 80))
        assert r.kind == "hyperbolic"
    v = PCF(a, b).evaluate(20)
    if v.certified:
        assert v.contains(y)


@given(st.integers(-6, 6), st.integers(-6, 6).filter(bool))
def test_divergent_constant_pcf_convergents_do_not_settle(a, b):
    """The oracle for 'disproven': the convergents keep moving (no limit)."""
    if a * a + 4 * b >= 0 and a != 0:
        return
    cs = PCF(a, b).convergents(120)[60:]
    finite = [c for c in cs if c is not None]                      # None: q_n = 0
    assert len(finite) < len(cs) or max(finite) - min(finite) > Rational(1, 10)


@given(scfs(finite=False, max_degree=0, max_period=3, max_sign_period=3))
@example(SCF(QuasiPolynomial([1], [2], k)))
@example(SCF(QuasiPolynomial([3], [2, 6], k), (-1, 1)))
def test_semiregular_periodic_scf_value(x):
    r = identify_periodic(x)
    assert r.status == ProofStatus.PROVEN and r.check() is True
    v = x.evaluate(30)
    assert v.certified and v.contains(r.closed_form)


@given(scfs(finite=False, semiregular=False, max_degree=0, max_period=2, max_sign_period=2))
@budget(0.5)   # certified evaluation of fractions that may converge slowly
def test_any_periodic_scf_verdict_checks(x):
    """Quotients of any sign, zero included: the verdict re-checks, and a proven value is the
    value the certified evaluation finds when it finds one."""
    r = identify_periodic(x)
    assert r is not None and r.check() is True
    if r.status == ProofStatus.PROVEN:
        try:
            v = x.evaluate(20)
        except Exception:  # noqa: BLE001 - no certified value: nothing to compare
            return
        if v.certified:
            assert v.contains(r.closed_form)


def test_not_eventually_periodic_is_none():
    assert identify_periodic(SCF([1, 2, 3])) is None
    assert identify_periodic(SCF(QuasiPolynomial([], [k + 1], k))) is None
    n = Symbol("n")
    assert identify_periodic(PCF(2 * n + 1, n ** 2, n)) is None
    with pytest.raises(TypeError, match="x must be an SCF or a PCF"):
        identify_periodic(sqrt(2))


def test_periodic_identification_is_a_certificate():
    r = identify_periodic(SCF(QuasiPolynomial([2], [2, 4], k), (-1,)))
    assert isinstance(r, Certificate) and r.truth is True and r.closed_form == sqrt(2)
    assert r.relation == "value(x) = sqrt(2)" and r.kind == "hyperbolic"
    assert all(isinstance(t, str) and isinstance(s, str) and s for t, s in r.steps())
    d = identify_periodic(PCF(1, -1))
    assert d.truth is False and d.relation.startswith("x has no finite value")
    assert any(t == "No value" for t, _ in d.steps())


def test_tampered_periodic_identification_fails():
    r = identify_periodic(SCF(QuasiPolynomial([1], [2], k)))
    assert r.check() is True
    assert replace(r, closed_form=-sqrt(2)).check() is False           # the repelling root
    assert replace(r, closed_form=sqrt(3)).check() is False
    assert replace(r, closed_form=E).check() is False
    assert replace(r, x=SCF(QuasiPolynomial([1], [3], k))).check() is False
    assert replace(r, kind="parabolic").check() is False
    assert replace(r, polynomial=(1, 0, -3)).check() is False
    assert replace(r, F=((1, 0), (0, 1))).check() is False
    assert replace(r, x=PCF(1, 1)).check() is False
    d = identify_periodic(PCF(1, -1))
    assert replace(d, status=ProofStatus.PROVEN, closed_form=Integer(1)).check() is False
    p = identify_periodic(PCF(1, 1))
    assert replace(p, status=ProofStatus.DISPROVEN, closed_form=None).check() is False


def test_rational_value_when_discriminant_is_a_square():
    """a^2 + 4b a perfect square: the value is rational, still proven exactly."""
    r = identify_periodic(PCF(1, 2))                  # y^2 - y - 2 = (y - 2)(y + 1): value 2
    assert r.closed_form == 2 and r.polynomial == (1, -2) and r.check() is True
    assert isinstance(r.closed_form, Integer)


def test_algebraic_parts_skips_large_fields_at_once(monkeypatch):
    """A radical expression of large degree bound is refused structurally, before SymPy is
    asked for a minimal polynomial (which could take minutes)."""
    import sympy

    assert algebraic_parts((sqrt(2) + sqrt(3)) ** 2 - 2 * sqrt(6)) == ("rational", 5, 1)

    calls = []
    real = sympy.minimal_polynomial
    monkeypatch.setattr(sympy, "minimal_polynomial", lambda *a, **kw: calls.append(a) or real(*a, **kw))
    assert algebraic_parts(2 ** Rational(1, 64) * 2 ** Rational(63, 64)) == ("rational", 2, 1)
    assert len(calls) == 0          # SymPy multiplied these itself: 2
    assert algebraic_parts(sqrt(2) * 3 ** Rational(1, 32)) is None and len(calls) == 1   # 64: asked
    assert algebraic_parts((1 + 2 ** Rational(1, 100)) ** 50) is None
    assert algebraic_parts(sqrt(3) * 2 ** Rational(1, 64)) is None
    assert len(calls) == 1          # 100 and 128 > 64: refused before asking SymPy
