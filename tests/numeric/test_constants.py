"""Tests of ``to_arb``: balls contain independent mpmath values; domains, poles, bad nodes."""

from __future__ import annotations

import flint
import mpmath
import pytest
import sympy
from flint import arb
from sympy import (
    Catalan, E, EulerGamma, GoldenRatio, I, Rational, S, Symbol, TribonacciConstant, pi, sqrt,
)

from esma_sympy.errors import PrecisionExhausted, UnsupportedConstant
from esma_sympy.numeric.constants import to_arb

_MP = mpmath.MPContext()  # a private context: never touch mpmath.mp globals
_MP.dps = 140

# (SymPy expression, mpmath reference computed independently in the private context)
CASES = [
    (S(3), lambda m: m.mpf(3)),
    (Rational(-22, 7), lambda m: m.mpf(-22) / 7),
    (E, lambda m: m.e),
    (pi, lambda m: m.pi),
    (EulerGamma, lambda m: m.euler),
    (Catalan, lambda m: m.catalan),
    (GoldenRatio, lambda m: m.phi),
    (TribonacciConstant, lambda m: m.findroot(lambda t: t**3 - t**2 - t - 1, 1.8)),
    (sqrt(2) + 3 ** Rational(2, 5), lambda m: m.sqrt(2) + m.mpf(3) ** (m.mpf(2) / 5)),
    (2 ** pi, lambda m: m.mpf(2) ** m.pi),
    (pi ** -3, lambda m: m.pi ** -3),
    (sympy.exp(sqrt(3)), lambda m: m.exp(m.sqrt(3))),
    (sympy.log(7), lambda m: m.log(7)),
    (sympy.sin(1) + sympy.cos(2) + sympy.tan(3), lambda m: m.sin(1) + m.cos(2) + m.tan(3)),
    (sympy.cot(1) + sympy.sec(2) + sympy.csc(3), lambda m: m.cot(1) + m.sec(2) + m.csc(3)),
    (sympy.asin(Rational(1, 3)) + sympy.acos(Rational(-1, 5)),
     lambda m: m.asin(m.mpf(1) / 3) + m.acos(m.mpf(-1) / 5)),
    (sympy.atan(5) + sympy.acot(-3), lambda m: m.atan(5) + m.atan(m.mpf(-1) / 3)),
    (sympy.asec(3) + sympy.acsc(-4), lambda m: m.asec(3) + m.acsc(-4)),
    (sympy.atan2(-2, -3), lambda m: m.atan2(-2, -3)),
    (sympy.sinh(1) + sympy.cosh(2) + sympy.tanh(3), lambda m: m.sinh(1) + m.cosh(2) + m.tanh(3)),
    (sympy.coth(2) + sympy.sech(1) + sympy.csch(3), lambda m: m.coth(2) + m.sech(1) + m.csch(3)),
    (sympy.asinh(2) + sympy.acosh(3) + sympy.atanh(Rational(1, 2)),
     lambda m: m.asinh(2) + m.acosh(3) + m.atanh(m.mpf(1) / 2)),
    (sympy.acoth(3) + sympy.asech(Rational(1, 3)) + sympy.acsch(2),
     lambda m: m.acoth(3) + m.asech(m.mpf(1) / 3) + m.acsch(2)),
    (sympy.besseli(0, 2) / sympy.besseli(1, 2), lambda m: m.besseli(0, 2) / m.besseli(1, 2)),
    (sympy.besselj(Rational(1, 3), 5), lambda m: m.besselj(m.mpf(1) / 3, 5)),
    (sympy.besselj(2, -5), lambda m: m.besselj(2, -5)),
    (sympy.besselk(1, 2) + sympy.bessely(0, 3), lambda m: m.besselk(1, 2) + m.bessely(0, 3)),
    (sympy.zeta(3), lambda m: m.zeta(3)),
    (sympy.zeta(Rational(1, 2)), lambda m: m.zeta(m.mpf(1) / 2)),
    (sympy.zeta(3, Rational(1, 3)), lambda m: m.zeta(3, m.mpf(1) / 3)),
    (sympy.gamma(Rational(1, 3)), lambda m: m.gamma(m.mpf(1) / 3)),
    (sympy.gamma(-Rational(5, 2)), lambda m: m.gamma(m.mpf(-5) / 2)),
    (sympy.loggamma(pi), lambda m: m.loggamma(m.pi)),
    (sympy.polygamma(0, pi) + sympy.polygamma(2, E),
     lambda m: m.psi(0, m.pi) + m.psi(2, m.e)),
    (sympy.erf(Rational(1, 2)) + sympy.erfc(2), lambda m: m.erf(0.5) + m.erfc(2)),
    (sympy.LambertW(1), lambda m: m.lambertw(1).real),
    (sympy.Abs(sympy.cos(3)), lambda m: abs(m.cos(3))),
    (sympy.Float("0.1"), lambda m: m.mpf(mpmath.mpf("0.1"))),  # the exact binary value
    (E / (E - 1) + pi * EulerGamma - Catalan**2, lambda m: m.e / (m.e - 1) + m.pi * m.euler
     - m.catalan**2),
]


def _ref_ball(value) -> arb:
    """The mpmath value as a ball of radius 10^-120 relative (mpmath carries 140 digits)."""
    mid = arb(_MP.nstr(value, 135))
    return mid + arb(0, abs(mid).upper() * arb(10) ** -120)


@pytest.mark.parametrize("expr, ref", CASES, ids=[str(c[0])[:40] for c in CASES])
def test_ball_contains_mpmath_value(expr, ref):
    old = flint.ctx.prec
    flint.ctx.prec = 500
    try:
        ball = to_arb(expr, 400)
        r = _ref_ball(ref(_MP))
        assert ball.overlaps(r), (expr, ball, r)
        assert ball.rel_accuracy_bits() >= 390
    finally:
        flint.ctx.prec = old


def test_context_precision_is_restored():
    old = flint.ctx.prec
    to_arb(sympy.zeta(5) + pi, 1000)
    assert flint.ctx.prec == old


def test_accuracy_despite_cancellation():
    # exp(pi sqrt(163)) - 640320^3 - 744 = -7.4993e-13: 30 digits cancel
    x = sympy.exp(pi * sqrt(163)) - 640320**3 - 744
    ball = to_arb(x, 64)
    assert ball < 0
    assert ball.rel_accuracy_bits() >= 64
    assert ball.overlaps(arb("-7.49927402801814e-13", "1e-26"))


def test_unrecognised_zero_gives_small_ball_and_pole_raises():
    z = sympy.log(6) - sympy.log(2) - sympy.log(3)
    assert z != 0  # SymPy does not notice
    ball = to_arb(z, 100)
    assert ball.contains(0) and ball.rad() < arb(2) ** -100
    with pytest.raises(PrecisionExhausted, match="could not evaluate"):
        to_arb(1 / z, 100)


def test_exact_inputs():
    assert to_arb(7, 10) == arb(7)
    assert to_arb(flint.fmpq(1, 4), 10) == arb(flint.fmpq(1, 4))
    assert to_arb(10**400, 10).is_exact()


@pytest.mark.parametrize(
    "expr, node",
    [
        (sympy.floor(pi, evaluate=False), "floor"),
        (sympy.Function("f")(1), "f(1)"),
        (sympy.factorial(pi), "factorial"),
        (sympy.Max(pi, E, evaluate=False), "Max"),
        (sympy.polygamma(Rational(1, 2), 3), "polygamma"),
    ],
)
def test_unsupported_node_is_named(expr, node):
    with pytest.raises(UnsupportedConstant, match=node.replace("(", r"\(").replace(")", r"\)")):
        to_arb(expr, 53)


@pytest.mark.parametrize(
    "expr, node",
    [
        (I, "I"),
        (sqrt(-2), "I"),
        (sympy.log(-2, evaluate=False), "log"),
        (sympy.asin(2), "asin"),
        (sympy.acos(-3), "acos"),
        (sympy.acosh(Rational(1, 2), evaluate=False), "acosh"),
        (sympy.atanh(2, evaluate=False), "atanh"),
        (sympy.Pow(-8, Rational(1, 3), evaluate=False), "-8"),
        (sympy.Pow(-2, pi, evaluate=False), "-2"),
        (sympy.besselk(0, -1), "besselk"),
        (sympy.besselj(Rational(1, 2), -1, evaluate=False), "besselj"),
        (sympy.gamma(-1, evaluate=False), "gamma"),
        (sympy.zeta(1, evaluate=False), "zeta"),
        (sympy.LambertW(-1), "LambertW"),
        (sympy.oo, "oo"),
        (sympy.zoo, "zoo"),
    ],
)
def test_nonreal_raises_value_error_naming_node(expr, node):
    with pytest.raises(ValueError, match="not a finite real") as info:
        to_arb(expr, 53)
    assert node in str(info.value)
    assert not isinstance(info.value, UnsupportedConstant)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="free symbols"):
        to_arb(Symbol("x") + 1, 53)
    with pytest.raises(TypeError, match="prec"):
        to_arb(pi, 53.0)
    with pytest.raises(ValueError, match="prec"):
        to_arb(pi, 1)
    with pytest.raises(TypeError, match="expr"):
        to_arb([1, 2], 53)


def test_strings_go_through_the_whitelist_parser():
    assert to_arb("pi", 100).overlaps(arb.pi())
    with pytest.raises(UnsupportedConstant):
        to_arb("__import__('os').getcwd()", 53)
