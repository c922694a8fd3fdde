"""identify(x): closed forms of SCFs and PCFs without a left-hand side (theory T6.7)."""

from __future__ import annotations

import pytest
from sympy import E, Symbol, besseli, cos, exp, sin, tan
from sympy.abc import n

from esma_sympy import PCF, SCF, QuasiPolynomial
from esma_sympy.numeric.constants import to_arb
from esma_sympy.theory import identify

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


@pytest.mark.parametrize("x", [PCF(n + 1, 2, n), PCF(2 * n + 1, 4, n), PCF(3 * n + 2, -2, n)], ids=str)
def test_identify_gauss_0f1_ratios(x):
    """PCF(a + d n, c): Gauss' ratio of 0F1 functions, proven by a walk certificate."""
    r = identify(x, max_c=4)
    assert r and r.status == "proven" and r.check() and r.reference.c == abs(x.b)
    assert x.evaluate(60).contains(r.closed_form)


def test_identify_pcf_outside_constant_walks():
    """PCF(n + 3, -n) = e: found by PSLQ, but its walk is not a constant Möbius image of a
    reference walk (b(n) = -n), so it stays numerically confirmed (theory T6.7)."""
    r = identify(PCF(n + 3, -n, n))
    assert r.closed_form == E and r.status == "numerically confirmed" and r.certificate is None


def test_identify_rejects_outside_the_class():
    r = identify(PCF(2 * n + 1, n**2, n))                 # Brouncker: 4/pi
    assert not r and "no integer Möbius relation" in r.reason and r.closed_form is None


def test_identify_bad_input():
    with pytest.raises(TypeError, match="x must be"):
        identify(3)
