"""Classical continued fractions from ../shared/reference/classical_cfs.md: exact convergents
and certified values to >= 60 digits (an arb ball that must contain the reference)."""

import pytest
from flint import arb
from sympy import E, I, Rational, Symbol, besseli, coth, cot, exp, pi, sqrt, tan, tanh, zeta, GoldenRatio

from esma_sympy import PCF, SCF, QuasiPolynomial
from esma_sympy.numeric.constants import to_arb

k, n = Symbol("k"), Symbol("n")
QP = QuasiPolynomial
DPS = 60

SIMPLE = [
    ("golden ratio", QP([], [1], k), GoldenRatio),
    ("sqrt 2", QP([1], [2], k), sqrt(2)),
    ("e", QP([2], [1, 2 * k + 2, 1], k), E),
    ("e^2", QP([7], [3 * k + 2, 1, 1, 3 * k + 3, 12 * k + 18], k), exp(2)),
    ("tan 1", QP([1], [2 * k + 1, 1], k), tan(1)),
    ("tanh 1", QP([0], [2 * k + 1], k), tanh(1)),
    ("coth 1/2", QP([2], [4 * k + 6], k), coth(Rational(1, 2))),
    ("I0(2)/I1(2)", QP([1], [k + 2], k), besseli(0, 2) / besseli(1, 2)),
    ("I1(2)/I0(2)", QP([], [k], k), besseli(1, 2) / besseli(0, 2)),
]

SIGNED = [
    ("e (-,+)", QP([3], [2 * k + 3, 2], k), (-1, 1), E),
    ("e (+,-)", QP([2, 2, 1, 2], [2, 2 * k + 5], k), (1, -1), E),
    ("e/(e-1) (+,-)", QP([1], [2, 2 * k + 3], k), (1, -1), E / (E - 1)),
    ("e^2 (+,+,-,+)", QP([7], [3 * k + 2, 2, 3 * k + 4, 12 * k + 18], k), (1, 1, -1, 1), exp(2)),
    ("tan 1 (+,-,+)", QP([], [1, 4 * k + 2, 4 * k + 4], k), (1, -1, 1), tan(1)),
    ("cot 1 (-)", QP([], [2 * k + 1], k), (-1,), cot(1)),
]

PCFS = [
    ("e", PCF(n + 3, -n, n), E),
    ("e/(e-2)", PCF(n + 4, -n, n), E / (E - 2)),
    ("4/pi (Brouncker)", PCF(2 * n + 1, n**2, n), 4 / pi),
    ("6/zeta(3) (Apery)", PCF(34 * n**3 + 51 * n**2 + 27 * n + 5, -n**6, n), 6 / zeta(3)),
]


def _check(x, ref):
    v = x.evaluate(DPS)
    assert v.certified, v.reason
    assert v.digits >= DPS
    assert v.ball.contains(to_arb(ref, 400)), (v, ref)
    # the ball is tight: it excludes a value 10^-(DPS-5) away
    assert not v.ball.contains(to_arb(ref, 400) + arb(10) ** (-(DPS - 5)))
    return v


@pytest.mark.parametrize("name,qp,ref", SIMPLE, ids=[s[0] for s in SIMPLE])
def test_simple_cf_values(name, qp, ref):
    _check(SCF(qp, (1,)), ref)


@pytest.mark.parametrize("name,qp,signs,ref", SIGNED, ids=[s[0] for s in SIGNED])
def test_signed_cf_values(name, qp, signs, ref):
    v = _check(SCF(qp, signs), ref)
    assert v.method == "semiregular tail"


@pytest.mark.parametrize("name,pcf,ref", PCFS, ids=[s[0] for s in PCFS])
def test_pcf_values(name, pcf, ref):
    _check(pcf, ref)


def test_simple_cf_of_e_terms_match_reference():
    e = SCF(QP([2], [1, 2 * k + 2, 1], k))
    assert e.terms(9) == [2, 1, 2, 1, 1, 4, 1, 1, 6]


def test_signed_terms_match_reference():
    assert SCF(QP([3], [2 * k + 3, 2], k), (-1, 1)).terms(8) == [3, 3, 2, 5, 2, 7, 2, 9]
    assert SCF(QP([], [1, 4 * k + 2, 4 * k + 4], k), (1, -1, 1)).terms(9) == [1, 2, 4, 1, 6, 8, 1, 10, 12]
    e2 = SCF(QP([7], [3 * k + 2, 1, 1, 3 * k + 3, 12 * k + 18], k))
    assert e2.terms(16) == [7, 2, 1, 1, 3, 18, 5, 1, 1, 6, 30, 8, 1, 1, 9, 42]


def test_exact_convergents_golden_and_brouncker():
    fib = [1, 1]
    for _ in range(30):
        fib.append(fib[-1] + fib[-2])
    phi = PCF(1, 1)
    for d in range(25):
        assert phi.convergent(d) == Rational(fib[d + 1], fib[d])
    # 4/pi: 1 + 1/(3 + 4/(5 + 9/7)) computed by hand
    assert PCF(2 * n + 1, n**2, n).convergent(3) == 1 + 1 / (3 + Rational(4) / (5 + Rational(9, 7)))


def test_e_pcf_and_e_scf_agree_to_200_digits():
    e_pcf = PCF(n + 3, -n, n)
    e_scf = SCF(QP([3], [2 * k + 3, 2], k), (-1, 1))
    a, b = e_pcf.evaluate(200), e_scf.evaluate(200)
    assert a.ball.overlaps(b.ball)


def test_convergence_rates_are_ordered():
    e_signed = SCF(QP([3], [2 * k + 3, 2], k), (-1, 1)).convergence_rate(60)
    e_simple = SCF(QP([2], [1, 2 * k + 2, 1], k)).convergence_rate(90)
    phi = PCF(1, 1).convergence_rate(100)
    assert phi == pytest.approx(0.41797, abs=1e-3)      # 2 log10 phi
    assert e_signed > phi and e_simple > phi


def test_nonreal_constant_reference_is_rejected():
    with pytest.raises(ValueError):
        to_arb(I, 64)
