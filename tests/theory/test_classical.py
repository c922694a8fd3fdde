"""Reference fractions (Lehmer, Lambert) and base relations c = K(y) (theory T6.1-T6.3)."""

from __future__ import annotations

import pytest
from sympy import E, Rational, besseli, besselj, cot, coth, exp, pi, sqrt, tan, tanh

from esma_sympy.numeric.constants import to_arb
from esma_sympy._flintctx import workprec
from esma_sympy.theory import BaseRelation, ReferenceFraction, find_base_relation, reference_fractions
from esma_sympy.theory.classical import derive_base_relation

REFS = [ReferenceFraction("I", 2, 4), ReferenceFraction("I", 1, 2), ReferenceFraction("I", 1, 1),
        ReferenceFraction("I", 3, 5), ReferenceFraction("J", 1, 2), ReferenceFraction("J", 3, 2),
        ReferenceFraction("J", 2, 3), ReferenceFraction("I", 5, 2), ReferenceFraction("I", 1, 1, 2),
        ReferenceFraction("I", 1, 2, 4), ReferenceFraction("J", 2, 2, 3), ReferenceFraction("J", 1, 1),
        # kind J with a + d < c + 1: J_nu(z) is proven nonzero by an arb ball (T6.1(d))
        ReferenceFraction("J", 1, 2, 64), ReferenceFraction("J", 8, 6, 9), ReferenceFraction("J", 1, 2, 3)]


@pytest.mark.parametrize("ref", REFS, ids=str)
def test_reference_values_match_bessel(ref):
    """T6.1: a deep exact convergent lies within 1e-80 of the Bessel ratio (arb, 120 digits)."""
    q = ref.numeric(80)
    b = to_arb(ref.value(), 400)
    err = abs(b - to_arb(Rational(q.numerator, q.denominator), 400))
    assert err < to_arb(Rational(1, 10**80), 400)
    # and the convergent of a wrong fraction is far away (the test can fail)
    other = ReferenceFraction(ref.kind, ref.a + 1, ref.d).numeric(80)
    assert abs(b - to_arb(Rational(other.numerator, other.denominator), 400)) > to_arb(Rational(1, 10**5), 400)


@pytest.mark.parametrize("ref", [r for r in REFS if r.is_elementary], ids=str)
def test_elementary_reduction_matches_bessel(ref):
    """T6.2: the elementary form (Möbius image of exp(2z) or tan z) equals the Bessel ratio."""
    a, b = to_arb(ref.elementary(), 400), to_arb(ref.value(), 400)
    assert abs(a - b) < to_arb(Rational(1, 10**100), 400)
    u, H = ref.base()
    assert u in (exp(2 * ref.argument), tan(ref.argument))


def test_reference_fraction_validation():
    with pytest.raises(ValueError, match="kind"):
        ReferenceFraction("K", 1, 1)
    with pytest.raises(ValueError, match="a must be"):
        ReferenceFraction("I", 0, 1)
    with pytest.raises(ValueError, match="d must be"):
        ReferenceFraction("J", 1, 0)
    with pytest.raises(ValueError, match="c = 1"):
        ReferenceFraction("I", 1, 1, 2).scf()
    assert ReferenceFraction("I", 1, 1) in reference_fractions(1)


@pytest.mark.parametrize("c, ref, K", [
    (E, ReferenceFraction("I", 2, 4), ((1, 1), (1, -1))),
    (exp(2), ReferenceFraction("I", 1, 2), ((1, 1), (1, -1))),
    (tan(1), ReferenceFraction("J", 1, 2), ((0, 1), (1, 0))),
    (besseli(1, 2) / besseli(0, 2), ReferenceFraction("I", 1, 1), ((0, 1), (1, 0))),
])
def test_base_relations_of_the_four_constants(c, ref, K):
    r = find_base_relation(c)
    assert (r.reference, r.K, r.status) == (ref, K, "proven")
    assert r.check()


def test_tampered_base_relation_fails():
    r = find_base_relation(E)
    assert not BaseRelation(E, r.reference, ((1, 2), (1, -1)), "proven").check()
    assert not BaseRelation(E, ReferenceFraction("I", 1, 2), r.K, "proven").check()
    assert not BaseRelation(exp(2), r.reference, r.K, "proven").check()
    assert not BaseRelation(E, r.reference, ((1, 1), (1, 1)), "proven").check()   # singular


def test_no_base_relation_outside_the_class():
    assert find_base_relation(pi) is None
    assert find_base_relation(sqrt(2)) is None


R = Rational
DERIVED = [E, exp(2), exp(R(-1, 3)), exp(R(8, 3)), 1 / E, (E + 1) / (E - 1), 2 * coth(2), coth(R(1, 8)),
           tanh(R(1, 3)), -tanh(R(5, 7)), cot(R(2, 3)), tan(8), tan(R(-3, 7)), 3 * tan(R(1, 2)) + 1,
           besseli(2, 1) / besseli(1, 1), besseli(R(1, 3), 2) / besseli(R(4, 3), 2),
           besselj(R(4, 3), 1) / besselj(R(1, 3), 1), besselj(R(3, 2), R(1, 2)) / besselj(R(1, 2), R(1, 2))]


@pytest.mark.parametrize("c", DERIVED, ids=str)
def test_derived_base_relation(c):
    """T6.3: the reference is read off the constant (no d or c bound) and c = K(y) holds to 250
    digits in arb, as well as symbolically (check())."""
    r = derive_base_relation(c)
    assert r is not None and r.status == "proven" and r.check()
    with workprec(1000):
        y = to_arb(r.reference.value(), 1000)
        (k00, k01), (k10, k11) = r.K
        err = abs((k00 * y + k01) / (k10 * y + k11) - to_arb(c, 1000))
        assert err < to_arb(Rational(1, 10**250), 1000)
    assert find_base_relation(c) == r


@pytest.mark.parametrize("c", [pi, sqrt(2), E + pi, E + exp(2), exp(sqrt(2)), tan(E), besseli(0, 1) / besseli(2, 1),
                               besseli(1, 1) / besselj(0, 1), E**2 + E], ids=str)
def test_derived_base_relation_declines(c):
    """Outside the forms of T6.3 nothing is derived (the PSLQ table may still find one)."""
    assert derive_base_relation(c) is None
