"""Property tests for inflate / deflate / deflate_all / normalize (theory T4.1-T4.3)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from sympy import Poly, Rational, expand
from sympy.abc import n

from esma_sympy import PCF
from esma_sympy.testing import nonvanishing_polynomials, pcfs
from esma_sympy.transforms import (
    common_factor,
    deflate,
    deflate_all,
    inflate,
    normalize,
    normalizing_constant,
)

DEPTH = 8


def _scaled(xs, c):
    return [None if x is None else c * x for x in xs]


@given(pcfs(allow_zero_a=False), nonvanishing_polynomials())
@example(PCF(n + 3, -n, n), n + 1)
def test_inflate_scales_every_convergent_by_c0(p, c):
    """T4.1: x'_N = c(0) x_N exactly for every N (None where q_N = 0)."""
    q = inflate(p, c)
    c0 = c.subs(n, 0)
    assert q.convergents(DEPTH) == _scaled(p.convergents(DEPTH), c0)


@given(pcfs(allow_zero_a=False), nonvanishing_polynomials(), nonvanishing_polynomials())
def test_inflate_composes_multiplicatively(p, c, d):
    lhs = inflate(inflate(p, c), d)
    rhs = inflate(p, expand(c * d))
    assert expand(lhs.a - rhs.a) == 0 and expand(lhs.b - rhs.b) == 0


@given(pcfs(allow_zero_a=False), nonvanishing_polynomials())
def test_deflate_inverts_inflate(p, c):
    q = deflate(inflate(p, c), c)
    assert expand(q.a - p.a) == 0 and expand(q.b - p.b) == 0


@given(pcfs(allow_zero_a=False), nonvanishing_polynomials(max_degree=2))
@example(PCF(n**2, -n**2 + n, n), 1)         # a common factor g = n that vanishes at n = 0
def test_deflate_all_is_maximal_and_recovers_factor(p, c):
    """T4.2: common_factor(inflate(p, c)) is divisible by c, deflate_all leaves no factor,
    and p == inflate(deflate_all(p), common_factor(p))."""
    q = inflate(p, c)
    g = common_factor(q)
    assert Poly(g, n).rem(Poly(c, n)).is_zero
    r = deflate_all(q)
    assert common_factor(r) == 1
    # q = PCF(g(n) r.a, g(n) g(n-1) r.b) as polynomials (inflate itself refuses a g that
    # vanishes at an index >= 0, e.g. g = n for PCF(n**2, n - n**2))
    assert expand(g * r.a - q.a) == 0
    assert expand(g * g.subs(n, n - 1) * r.b - q.b) == 0
    g0 = g.subs(n, 0)
    if g0 != 0:
        assert q.convergents(DEPTH) == _scaled(r.convergents(DEPTH), g0)


@given(pcfs(max_value=9, allow_zero_a=False))
def test_normalize(p):
    """T4.3: integer, primitive, lc(a) > 0, idempotent, value times the constant."""
    c = normalizing_constant(p)
    q = normalize(p)
    A, B = Poly(q.a, n), Poly(q.b, n)
    assert all(x.is_integer for x in A.all_coeffs() + B.all_coeffs())
    assert A.LC() > 0
    assert normalizing_constant(q) == 1
    assert q.convergents(DEPTH) == _scaled(p.convergents(DEPTH), c)


def test_normalize_rational_coefficients():
    p = PCF(n / 3 + Rational(1, 2), n**2 / 12, n)
    q = normalize(p)
    assert q == PCF(2 * n + 3, 3 * n**2, n)
    assert q.convergents(5) == _scaled(p.convergents(5), 6)


def test_errors_name_argument():
    with pytest.raises(ValueError, match="c = 0"):
        inflate(PCF(n, 1, n), 0)
    with pytest.raises(TypeError, match="pcf must be a PCF"):
        inflate(3, n)
    with pytest.raises(ValueError, match="does not divide a"):
        deflate(PCF(n + 3, -n, n), n + 2)
