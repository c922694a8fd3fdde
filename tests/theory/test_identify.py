"""identify(x): closed forms of SCFs and PCFs without a left-hand side (theory T6.7)."""

from __future__ import annotations

import pytest
from dataclasses import replace

from sympy import E, Rational, Symbol, besseli, cancel, cos, cot, coth, exp, pi, sin, sqrt, symbols, tan
from sympy.abc import n

from esma_sympy import PCF, SCF, QuasiPolynomial
from esma_sympy.numeric.constants import to_arb
from esma_sympy.theory import identify
from esma_sympy.theory.hypergeometric import hypergeometric_certificate

k = Symbol("k")

# classical_cfs.md: signed continued fractions of known value
CASES = [
    (SCF(QuasiPolynomial([3], [2 * k + 3, 2], k), (-1, 1)), E),
    (SCF(QuasiPolynomial([], [2 * k + 1, 2], k), (1, -1)), E / (E - 1)),
    (SCF(QuasiPolynomial([7], [3 * k + 2, 2, 3 * k + 4, 12 * k + 18], k), (1, 1, -1, 1)), exp(2)),
    (SCF(QuasiPolynomial([], [1, 4 * k + 2, 4 * k + 4], k), (1, -1, 1)), tan(1)),
    (SCF(QuasiPolynomial([], [2 * k + 1], k), (-1,)), cos(1) / sin(1)),
    (SCF(QuasiPolynomial([], [k], k), (1,)), besseli(1, 2) / besseli(0, 2)),
    (PCF(4 * n + 6, 1, n), None),
]


@pytest.mark.parametrize("x, value", CASES, ids=lambda v: str(v)[:40])
def test_identify_classical_scfs(x, value):
    r = identify(x)
    assert r and r.status == "proven" and r.check()
    cf = to_arb(r.closed_form, 300)
    if value is not None:
        assert abs(cf - to_arb(value, 300)) < to_arb(10**-80, 300)
    assert x.evaluate(60).contains(r.closed_form)


@pytest.mark.parametrize("x", [PCF(n + 1, 2, n), PCF(2 * n + 1, 4, n), PCF(3 * n + 2, -2, n), PCF(12 * n + 6, 1, n),
                               PCF(5 * n + 3, -7, n)], ids=str)
def test_identify_gauss_0f1_ratios(x):
    """PCF(a + d n, c): Gauss' ratio of 0F1 functions derived from the coefficients (T6.11),
    with no bound on d or c."""
    r = identify(x)
    assert r and r.status == "proven" and r.check() and r.certificate.family == "0F1"
    assert x.evaluate(60).contains(r.closed_form)


@pytest.mark.parametrize("x, value, family", [
    (PCF(n + 3, -n, n), E, "1F1"),                      # Euler
    (PCF(n + 1, n + 1, n), E - 1, "1F1"),
    (PCF(2 * n + 1, n**2, n), 4 / pi, "2F1"),           # Brouncker
    (PCF(3 * n + 1, -2 * n**2 + n, n), 2 / pi, "2F1"),
    (PCF(12 * n + 6, 1, n), coth(Rational(1, 6)), "0F1"),
    (PCF(2 * n + 1, -4, n), 2 * cot(2), "0F1"),
], ids=str)
def test_identify_hypergeometric_closed_forms(x, value, family):
    """T6.11: degree (1, 1) and (1, 2) PCFs are Kummer and Gauss ratios; the closed form is the
    one a mathematician writes, and the certified value contains it."""
    r = identify(x)
    assert r.status == "proven" and r.check() and r.certificate.family == family
    assert r.closed_form == value
    assert x.evaluate(60).contains(r.closed_form)


def test_identify_symbolic_parameters():
    """PCF(a + d n, c) -> a Bessel ratio in a, d, c; specialising the parameters gives the
    closed form of the specialised PCF, which its certified value contains."""
    a, d, c, z = symbols("a d c z")
    r = identify(PCF(a + d * n, c, n))
    assert r.status == "proven" and r.check() and r.certificate.conditions
    assert r.closed_form == sqrt(c) * besseli(a / d - 1, 2 * sqrt(c) / d) / besseli(a / d, 2 * sqrt(c) / d)
    for vals in ({a: 3, d: 5, c: 7}, {a: 1, d: 2, c: 3}):
        assert PCF(a + d * n, c, n).subs(vals).evaluate(40).contains(r.closed_form.subs(vals))
    r = identify(PCF(n + 2 - z, z * (n + 1), n))          # ramanujantools' parametric 1F1 example
    assert r.check() and cancel(r.closed_form - z * (exp(z) - 1) / ((z - 1) * exp(z) + 1)) == 0


def test_tampered_closed_form_fails_check():
    """check() re-derives the closed form: closed_form + 1 fails, on both kinds of proof."""
    for x in (PCF(n + 3, -n, n), SCF(QuasiPolynomial([3], [2 * k + 3, 2], k), (-1, 1))):
        r = identify(x)
        assert r.check()
        assert not replace(r, closed_form=r.closed_form + 1).check()
    cert = identify(PCF(n + 3, -n, n)).certificate
    assert not replace(cert, z=cert.z + 1).check()
    assert not replace(cert, closed_form=cert.closed_form + 1).check()


def test_terminating_fraction_is_not_hypergeometric():
    """b(n) = -(n - 2)(n + 1) vanishes at n = 2: the fraction terminates, and the theorem's
    hypothesis b(n) != 0 fails, so no certificate is issued."""
    assert hypergeometric_certificate(PCF(2 * n + 1, -n**2 + n + 2, n)) is None
    assert hypergeometric_certificate(PCF(n, -n**2, n)) is None         # a1^2 + 4 b2 < 0


def test_identify_rejects_outside_the_class():
    r = identify(PCF(34 * n**3 + 51 * n**2 + 27 * n + 5, -n**6, n))   # Apery: 6/zeta(3)
    assert not r and "no integer Möbius relation" in r.reason and r.closed_form is None


def test_identify_bad_input():
    with pytest.raises(TypeError, match="x must be"):
        identify(3)


@pytest.mark.parametrize("c, d", [(exp(Rational(1, 3)), 12), (tan(Rational(1, 5)), 10), (exp(Rational(-1, 4)), 16)],
                         ids=str)
def test_identify_derives_the_reference_from_the_growth(c, d):
    """An ESMA SCF of a constant whose reference lies beyond the table (d > 8): d is derived
    from the growth of the SCF's block (theory T6.7), and the identification is proven."""
    from esma_sympy import esma_search
    from esma_sympy.theory.identify import _growth_references

    x = esma_search(c, max_period=2).conjectures[-1]
    assert {r.d for r in _growth_references(x.scf)} == {d}
    r = identify(x.scf)
    assert r.status == "proven" and r.check() and r.reference.d == d
    assert x.scf.evaluate(60).contains(r.closed_form)
    assert x.scf.evaluate(60).contains(x.lhs_expr)


def test_identify_says_why_not():
    """A finite fraction, a terminating PCF and a fraction with no limit get a reason that names
    the fraction, not a crash; an Unidentified has the status 'unknown'."""
    r = identify(SCF((1, 2, 3), (1,)))
    assert not r and "finite" in r.reason and "10/7" in r.reason and r.status == "unknown"
    r = identify(PCF(2 * n + 1, -n**2 + n + 2, n))
    assert not r and "terminates" in r.reason and r.truth is None
    r = identify(PCF(n, -n**2, n))
    assert not r and "PCF(n, -n**2, n)" in r.reason
