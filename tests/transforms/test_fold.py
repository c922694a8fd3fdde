"""Fold SCF -> PCF (theory T4.4): exact index maps on random quasi-linear SCFs, pinned e, e^2."""

from __future__ import annotations

import pytest
from hypothesis import given
from sympy import E, Symbol, exp

from esma_sympy import PCF, SCF, QuasiPolynomial
from esma_sympy.testing import scfs
from esma_sympy.transforms import fold, fold_candidates

from ._helpers import assert_index_map

k = Symbol("k")
E_SCF = SCF(QuasiPolynomial([3], [2 * k + 3, 2], k), (-1, 1))
E2_SIGNED = SCF(QuasiPolynomial([7], [3 * k + 2, 2, 3 * k + 4, 12 * k + 18], k), (1, 1, -1, 1))
E2_SIMPLE = SCF(QuasiPolynomial([7], [3 * k + 2, 1, 1, 3 * k + 3, 12 * k + 18], k), (1,))


@given(scfs(finite=False, max_period=2, max_sign_period=2))
def test_fold_index_map_exact(scf):
    """T4.4 on random quasi-linear SCFs with prefixes; every candidate, both eliminations."""
    for f in fold_candidates(scf)[:4]:
        assert_index_map(scf, f)


@given(scfs(finite=False, max_period=3, max_sign_period=3, max_prefix=3))
def test_fold_index_map_exact_longer_periods(scf):
    assert_index_map(scf, fold(scf), count=6)


def test_fold_e_has_value_e():
    f = fold(E_SCF, exact_value=True)
    assert f.is_exact_value
    assert f.pcf.evaluate(100).contains(E)
    assert [f.pcf.convergent(N) for N in range(12)] == [E_SCF.convergent(f.index(N)) for N in range(12)]


def test_fold_e_low_degree_is_coth_half_mobius():
    """The low-degree fold of e is the AP fraction [6; 10, 14, ...] = the tail of coth(1/2),
    linked by the Möbius map (3y + 1)/(y + 1) (ALGORITHMS.md, worked fact)."""
    f = fold(E_SCF, exact_value=False)
    assert f.pcf == PCF(4 * Symbol("n") + 6, 1, Symbol("n"))
    assert_index_map(E_SCF, f, 20)
    y = f.pcf.evaluate(60)
    # y = (x - 1)/(3 - x) solves x = (3y + 1)/(y + 1) at x = e
    assert y.contains((E - 1) / (3 - E))
    assert not y.contains(E)


def test_fold_e2_both_patterns():
    """The e^2 SCFs with sigma = (+,+,-,+) and sigma = (+) fold to the same PCF with the same
    Möbius map (so to equivalent PCFs) and the fold's value maps to e^2."""
    f4, f5 = fold(E2_SIGNED), fold(E2_SIMPLE)
    assert_index_map(E2_SIGNED, f4)
    assert_index_map(E2_SIMPLE, f5)
    assert f4.pcf == f5.pcf and f4.mobius == f5.mobius
    G = f4.mobius
    y = f4.pcf.evaluate(80)
    # x = (g11 y + g12)/(g21 y + g22)  <=>  y = (g22 x - g12)/(g11 - g21 x)
    x = exp(2)
    assert y.contains((G[1, 1] * x - G[0, 1]) / (G[0, 0] - G[1, 0] * x))


def test_fold_errors():
    with pytest.raises(ValueError, match="finite quotients"):
        fold(SCF([1, 2, 3]))
    with pytest.raises(TypeError, match="scf must be an SCF"):
        fold(PCF(1, 1))
