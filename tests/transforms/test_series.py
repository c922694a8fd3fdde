"""Euler's series -> continued fraction (theory T4.11): exact partial sums."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st
from sympy import E, Rational, Symbol

from esma_sympy.transforms import euler_cf

k = Symbol("k")


@given(st.integers(1, 4), st.integers(0, 4), st.integers(1, 4), st.integers(1, 4),
       st.sampled_from([1, -1]), st.integers(1, 5))
def test_partial_sums_exact(al, be, ga, de, sign, t0):
    """S_{N+1} = G(y_N) for r(k) = ±(al k + be)/(ga k + de) and t0, exactly."""
    r = sign * (al * k + be) / (ga * k + de)
    f = euler_cf(r, k, t0)
    terms = [Rational(t0)]
    for j in range(1, 12):
        terms.append(terms[-1] * r.subs(k, j))
    G = f.mobius
    for N in range(10):
        W = f.pcf.walk_matrix(N)  # projective: G (P_N, Q_N) is a nonzero multiple of (S, 1)
        P, Q = Rational(str(W[0, 0])), Rational(str(W[1, 0]))
        u, v = G[0, 0] * P + G[0, 1] * Q, G[1, 0] * P + G[1, 1] * Q
        assert v != 0 and u / v == sum(terms[: N + 2])


def test_sqrt_e():
    """sqrt(e) = Σ (1/2)^k/k!: r(k) = 1/(2k); the PCF's certified value maps to sqrt(e)."""
    f = euler_cf(1 / (2 * k), k)
    G = f.mobius
    y = f.pcf.evaluate(40)
    x = E ** Rational(1, 2)
    assert y.certified
    # x = (g11 y + g12)/(g21 y + g22)  <=>  y = (g22 x - g12)/(g11 - g21 x)
    assert y.contains((G[1, 1] * x - G[0, 1]) / (G[0, 0] - G[1, 0] * x))


def test_errors():
    with pytest.raises(ValueError, match="finite and nonzero"):
        euler_cf((k - 2) / k, k)
    with pytest.raises(ValueError, match="t0"):
        euler_cf(1 / k, k, 0)
