"""Walk certificates W_{n_j} R ∝ N Y_{m_j} (theory T6.4)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
from sympy import Symbol
from sympy.abc import n

from esma_sympy import PCF, SCF, QuasiPolynomial
from esma_sympy.theory import ReferenceFraction, WalkCertificate, find_walk_certificate
from esma_sympy.theory._walks import mul, proportional, scf_steps

k = Symbol("k")
COTH_HALF = ReferenceFraction("I", 2, 4)
E_MOB = ((1, 1), (1, -1))                   # e = (y + 1)/(y - 1), y = coth(1/2)
E_MINUS_PLUS = SCF(QuasiPolynomial([3], [2 * k + 3, 2], k), (-1, 1))


@pytest.fixture(scope="module")
def cert():
    c = find_walk_certificate(E_MINUS_PLUS, COTH_HALF, E_MOB)
    assert c is not None
    return c


def test_certificate_e_minus_plus(cert):
    assert cert.check()
    assert cert.N == E_MOB and (cert.length, cert.ref_length) == (2, 1)


def test_certificate_identity_holds_on_convergents(cert):
    """Independent oracle: the exact walks themselves, far beyond the base case."""
    S, Y = scf_steps(cert.source), cert.reference.steps()
    for j in range(40):
        assert proportional(mul(S.walk(cert.n + cert.length * j), cert.R),
                            mul(cert.N, Y.walk(cert.m + cert.ref_length * j)))
    # and the convergents: x_{n_j} = N(Y_{m_j}(z))
    x = E_MINUS_PLUS.convergent(cert.n + cert.length * 5)
    assert x is not None


@pytest.mark.parametrize("field, value", [
    ("R", ((1, 2), (0, -2))), ("N", ((1, 1), (1, 1))), ("N", ((1, 2), (1, -1))),
    ("n", None), ("m", None), ("length", 4), ("ref_length", 2), ("z", Fraction(1, 3)),
])
def test_tampered_certificate_fails(cert, field, value):
    if value is None:
        value = getattr(cert, field) + 1
    assert not replace(cert, **{field: value}).check()


def test_tampered_source_fails(cert):
    wrong = SCF(QuasiPolynomial([3], [2 * k + 3, 3], k), (-1, 1))
    assert not replace(cert, source=wrong).check()
    assert not replace(cert, reference=ReferenceFraction("I", 2, 3)).check()


def test_no_certificate_for_a_false_relation():
    assert find_walk_certificate(E_MINUS_PLUS, COTH_HALF, ((1, 2), (1, -1))) is None


def test_certificate_for_pcf():
    c = find_walk_certificate(PCF(4 * n + 6, 1, n), COTH_HALF, ((0, 1), (1, -2)))
    assert c is not None and c.check()
    assert not replace(c, R=((2, 0), (0, 1))).check()


def test_bad_source():
    with pytest.raises(TypeError, match="source"):
        find_walk_certificate(3, COTH_HALF, E_MOB)
    with pytest.raises(ValueError, match="N must be invertible"):
        find_walk_certificate(E_MINUS_PLUS, COTH_HALF, ((1, 1), (1, 1)))
    assert not WalkCertificate(3, COTH_HALF, E_MOB, E_MOB, 0, 1, 0, 1, None).check()
