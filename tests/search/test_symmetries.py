"""Symmetries of the LHS space (theory T5.6): which identifications preserve ESMA's results.

The search identifies two LHS only when they have the same value, and shares the expansion of
a translation class; ``v`` and ``-v`` are different LHS, because the expansion of ``-v`` under a
periodic pattern is that of ``v`` under a pattern that is periodic only from index 1.
"""

import pytest
from hypothesis import given, strategies as st
from sympy import E, Rational, exp, sympify, tan

from esma_sympy.numeric.expand import expand_quotients
from esma_sympy.search import esma_search, plan_search
from esma_sympy.search.lhs import LHS, enumerate_lhs, lhs_from_expr

coef = st.integers(-3, 3)
pattern = st.lists(st.sampled_from([1, -1]), min_size=1, max_size=4).map(tuple)


def _mobius(a, b, g, d, c=E):
    return (a * c + b) / (g * c + d)


def _quotients(x, signs, depth=30):
    qs, info = expand_quotients(x, signs, terms=depth + 1)
    assert info.status == "complete", info
    return qs


@st.composite
def nonconstant_mobius(draw):
    a, b, g, d = draw(coef), draw(coef), draw(coef), draw(coef)
    if a * d - b * g == 0:                 # constant or degenerate: not an LHS
        a, d = 1, 1 if b * g != 1 else 2
    return a, b, g, d


@given(nonconstant_mobius(), st.integers(-3, 3).filter(bool), pattern)
def test_scaling_keeps_every_expansion(m, t, signs):
    a, b, g, d = m
    v = _mobius(a, b, g, d)
    w = _mobius(t * a, t * b, t * g, t * d)
    assert _quotients(v, signs) == _quotients(w, signs)
    # and the enumeration's normal form identifies them
    P, Q = (b, a), (d, g)
    assert LHS(P, Q).canonical() == LHS(tuple(t * x for x in P), tuple(t * x for x in Q)).canonical()


@given(nonconstant_mobius(), st.integers(-5, 5), pattern)
def test_translation_changes_only_a0(m, shift, signs):
    v = _mobius(*m)
    q, r = _quotients(v, signs), _quotients(v + shift, signs)
    assert r[0] == q[0] + shift and r[1:] == q[1:]


@given(nonconstant_mobius(), pattern)
def test_negation_flips_only_the_first_sign(m, signs):
    """E_sigma(-v) = E_sigma'(v) with a_0 negated, sigma' = (-s_0, s_1, s_2, ...)."""
    v = _mobius(*m)
    p = len(signs)
    flipped = lambda i: -signs[0] if i == 0 else signs[i % p]     # noqa: E731
    q_neg = _quotients(-v, signs)
    q_flip = _quotients(v, flipped)
    assert q_neg[0] == -q_flip[0] and q_neg[1:] == q_flip[1:]


def test_negation_is_not_a_symmetry_of_the_results():
    """-v's expansion under a periodic pattern is in general not v's under any periodic
    pattern: e is found with signs (-, +) and prefix [3] (3; 3, 2, 5, 2, ...), -e's expansion
    under (-, +) is a different sequence."""
    q = _quotients(E, (-1, 1))
    qn = _quotients(-E, (-1, 1))
    assert q[:6] == [3, 3, 2, 5, 2, 7]
    assert qn[0] == -2 and qn[1:] != q[1:]


def _key(c):
    return (c.lhs.canonical(), tuple(c.signs), c.prefix, c.polys, c.first_terms, c.digits)


@pytest.fixture(scope="module")
def small():
    return esma_search(E, coeff_limit=1, max_period=3, depth=40)


def test_search_keeps_v_and_minus_v(small):
    lhs = {c.lhs for c in small.conjectures}
    assert LHS((0, 1), (1,)) in lhs and LHS((0, -1), (1,)) in lhs       # e and -e
    assert len(small.find(E)) > 0 and len(small.find(-E)) > 0
    assert {tuple(c.signs) for c in small.find(E)} != {tuple(c.signs) for c in small.find(-E)} or \
        [c.first_terms for c in small.find(E)] != [c.first_terms for c in small.find(-E)]


def test_every_pair_gives_what_it_gives_alone(small):
    """Sharing work within translation classes and de-duplicating by value change nothing:
    the search's result for each LHS equals a search of that LHS alone, and a scaled copy of
    an LHS (typed as an explicit LHS) finds the same conjectures."""
    whole = {}
    for c in small.conjectures:
        whole.setdefault(c.lhs.canonical(), set()).add(_key(c))
    for v in enumerate_lhs(1, 1):
        alone = esma_search(E, lhs=[v.expr(E)], max_period=3, depth=40)
        assert {_key(c) for c in alone.conjectures} == whole.get(v, set()), v
    v = LHS((1, 1), (-1, 1))                                # (e + 1)/(e - 1)
    scaled = esma_search(E, lhs=[(3 * E + 3) / (3 * E - 3)], max_period=3, depth=40)
    assert {_key(c) for c in scaled.conjectures} == whole[v]


def test_translates_are_results_of_each_other(small):
    """T5.4(a) as used by the search: v + m under sigma is v's conjecture with a_0 + m
    whenever both are in the grid (here v = e - 1, e, e + 1)."""
    for sg in {tuple(c.signs) for c in small.find(E)}:
        base = small.find(E, signs=sg)
        for m in (-1, 1):
            other = small.find(E + m, signs=sg)
            assert len(base) == len(other) == 1
            assert other[0].first_terms[0] == base[0].first_terms[0] + m
            assert other[0].first_terms[1:] == base[0].first_terms[1:]


def test_tan1_result_of_the_reference_is_found():
    """(tan 1 - 1)/(2 - tan 1) = [1; 3, 1, 5, 1, 7, ...] with signs (+): a result of the
    reference implementation that engine version 1 missed (it expanded the negative
    representative (tan 1 - 1)/(tan 1 - 2) only)."""
    c = tan(1)
    target = (c - 1) / (2 - c)
    res = esma_search(c)
    hits = res.find(target, signs=(1,))
    assert len(hits) == 1
    assert hits[0].first_terms[:10] == (1, 3, 1, 5, 1, 7, 1, 9, 1, 11)
    assert hits[0].digits >= 100
    # the negative representative has its own (different) results
    neg = res.find(-target, signs=(1,))
    assert all(h.first_terms != hits[0].first_terms for h in neg)


def test_explicit_lhs_is_kept_as_typed():
    c = tan(1)
    plan = plan_search(c, lhs=["(tan(1)-1)/(2-tan(1))"])
    v = plan.lhs_list[0]
    assert v == LHS((-1, 1), (2, -1))                       # (c - 1)/(2 - c), as typed
    assert float(v.expr(c)) > 0
    res = esma_search(c, lhs=["(tan(1)-1)/(2-tan(1))"])
    assert res.find((c - 1) / (2 - c), signs=(1,))[0].first_terms[:4] == (1, 3, 1, 5)
    # -v typed explicitly is another LHS; the same value typed twice is one
    assert len(plan_search(c, lhs=["(tan(1)-1)/(2-tan(1))", "(1-tan(1))/(tan(1)-2)"]).lhs_list) == 1
    assert len(plan_search(c, lhs=["(tan(1)-1)/(2-tan(1))", "(tan(1)-1)/(tan(1)-2)"]).lhs_list) == 2


def test_lhs_from_expr_keeps_the_value():
    for e in [E / (E - 1), -E / (E - 1), (E - 1) / (2 - E), 1 / (1 - E), Rational(1, 2) - E,
              exp(2) / E, -(E + 1)]:
        v = lhs_from_expr(e, E)
        assert abs(float(v.expr(E)) - float(sympify(e))) < 1e-12, e


def test_explicit_lhs_may_be_lhs_objects():
    """``lhs=`` takes ``LHS`` objects as they are (no parsing): the same search as typing them."""
    typed = esma_search(E, lhs=[E, -E, E / (E - 1)], max_period=2, depth=40)
    objs = esma_search(E, lhs=[LHS((0, 1), (1,)), LHS((0, -1), (1,)), LHS((0, 1), (-1, 1))],
                       max_period=2, depth=40)
    assert [_key(c) for c in typed.conjectures] == [_key(c) for c in objs.conjectures]
    assert len(typed) > 0
