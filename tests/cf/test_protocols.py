"""SymPy protocols of PCF/SCF: lambdify through the certified evaluator, doit/rewrite to a
proven closed form, _repr_latex_, assumptions."""

from __future__ import annotations

import math
import warnings

import mpmath
import numpy as np
import pytest
from sympy import E, Symbol, lambdify, latex, pi, tan
from sympy.abc import n

from esma_sympy import PCF, SCF, PrecisionWarning, QuasiPolynomial
from esma_sympy.cf import _lambdify

k = Symbol("k")
c = Symbol("c")
TAN1 = SCF(QuasiPolynomial([], [1, 4 * k + 2, 4 * k + 4], k), (1, -1, 1))


@pytest.mark.parametrize("module", ["numpy", "math", "mpmath"])
def test_lambdify_constant_fraction(module):
    f = lambdify([], PCF(n + 3, -n, n), module)
    assert float(f()) == pytest.approx(math.e, rel=1e-15)


def test_lambdify_mpmath_uses_working_precision():
    f = lambdify([], PCF(n + 3, -n, n), "mpmath")
    with mpmath.workdps(50):
        v = f()
        assert abs(v - mpmath.e) < mpmath.mpf(10) ** -48


def test_lambdify_parametric_family_broadcasts():
    f = lambdify(c, PCF(n + c, c * n, n))
    xs = np.array([1, 2, 3])
    out = f(xs)
    assert out.shape == (3,)
    # PCF(n + 1, n) = 1/(e - 2), checked against the fraction evaluated on its own
    assert out[0] == pytest.approx(1 / (math.e - 2), rel=1e-14)
    for x, y in zip(xs, out):
        assert y == pytest.approx(float(PCF(n + int(x), int(x) * n, n).evaluate(20).to_Float()))


def test_lambdify_float_parameter_is_taken_exactly():
    from sympy import Rational

    f = lambdify(c, PCF(n + c, c * n, n))
    want = float(PCF(n + Rational(1, 2), n / 2, n).evaluate(20).to_Float())
    assert f(0.5) == pytest.approx(want, rel=1e-15)


def test_lambdify_no_value_is_nan_with_warning():
    f = lambdify([], PCF(1, -1, n))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert math.isnan(f())
    assert any(issubclass(x.category, PrecisionWarning) and "cycle" in str(x.message) for x in w)


def test_lambdify_rebuilds_from_srepr_in_a_fresh_registry():
    p = PCF(2 * n + 1, n**2, n)
    f = lambdify([], p)
    key = next(iter(k for k, v in _lambdify._REGISTRY.items() if v == p))
    _lambdify._REGISTRY.pop(key)
    _lambdify._lookup.cache_clear()
    assert f() == pytest.approx(4 / math.pi, rel=1e-14)


def test_doit_and_rewrite_give_the_proven_closed_form():
    assert TAN1.doit() == tan(1)
    assert TAN1.rewrite(tan) == tan(1)
    assert TAN1.rewrite("closed_form") == tan(1)
    assert TAN1.closed_form() == tan(1)
    # derived from the coefficients (theory T6.11): Brouncker's fraction is 4/pi
    assert PCF(2 * n + 1, n**2, n).doit() == 4 / pi
    # nothing proven (Apery's fraction for 6/zeta(3) is outside the classes): unchanged
    p = PCF(34 * n**3 + 51 * n**2 + 27 * n + 5, -n**6, n)
    assert p.doit() == p and p.rewrite(tan) == p and p.closed_form() is None
    assert PCF(1, -1, n).doit() == PCF(1, -1, n)
    assert PCF(n + c, c * n, n).doit() == PCF(n + c, c * n, n)


def test_repr_latex_and_expression_contexts():
    p = PCF(n + 3, -n, n)
    assert p._repr_latex_() == "$\\displaystyle " + latex(p) + "$"
    assert (2 * p + 1).is_number and (E - p).is_real


def test_comparisons_decided_by_certified_values():
    p = PCF(n + 3, -n, n)                       # e
    assert bool(p > 2) and bool(p < 3) and bool(p >= E - 1)
    assert (p - 2).is_positive
    phi = PCF(1, 1, n)
    assert bool(phi > 1.618) and bool(phi < 1.6181)


def test_lambdify_array_with_degenerate_members_gives_nan_there():
    f = lambdify(c, PCF(n + c, c * n, n))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        out = f(np.array([0.0, 1.0, np.nan]))
    assert math.isnan(out[0]) and math.isnan(out[2])
    assert out[1] == pytest.approx(1 / (math.e - 2), rel=1e-14)
