"""Exact convergents against an independent oracle: backward evaluation with Fractions."""

from fractions import Fraction

import pytest
from flint import fmpq
from hypothesis import given, strategies as st
from sympy import Rational, Symbol

from esma_sympy import PCF
from esma_sympy.errors import DivergenceError
from esma_sympy.testing import pcfs, scfs

n, k = Symbol("n"), Symbol("k")


def _backward(a, b):
    """a[0] + b[1]/(a[1] + b[2]/(... + b[d]/a[d])) with Fractions; None on a zero division."""
    try:
        x = Fraction(a[-1])
        for i in range(len(a) - 2, -1, -1):
            x = a[i] + Fraction(b[i + 1]) / x
        return x
    except ZeroDivisionError:
        return None


def _as_fraction(r):
    return Fraction(int(r.p), int(r.q))


@given(scfs(), st.integers(0, 40))
def test_scf_convergent_matches_backward_evaluation(x, depth):
    L = x._length()
    if L is not None:
        depth = min(depth, L)
    a = [int(v) for v in x.terms(depth + 1)]
    b = [None] + x.signs(depth)
    expect = _backward(a, b)
    if expect is None:
        return
    assert _as_fraction(x.convergent(depth)) == expect


@given(pcfs(positive=True), st.integers(0, 30))
def test_pcf_convergent_matches_backward_evaluation(p, depth):
    a = [int(p.a.subs(n, i)) for i in range(depth + 1)]
    b = [None] + [int(p.b.subs(n, i)) for i in range(1, depth + 1)]
    assert _as_fraction(p.convergent(depth)) == _backward(a, b)


@given(pcfs(), st.integers(1, 20))
def test_convergents_list_agrees_with_matrix_walk(p, depth):
    conv = p.convergents(depth)
    for d, c in enumerate(conv):
        if c is None:
            with pytest.raises(DivergenceError, match=f"q_{d} = 0"):
                p.convergent(d)
        else:
            assert p.convergent(d) == c


def _exact(x):
    """An arb midpoint or radius (a dyadic number) as an exact Fraction."""
    m, e = (int(t) for t in x.man_exp())
    return Fraction(m) * Fraction(2) ** e


def _ball_meets(ball, lo, hi):
    """Whether the arb ``ball`` meets the closed interval between the Fractions ``lo``, ``hi``
    (decided exactly, with no rounding of either side)."""
    lo, hi = min(lo, hi), max(lo, hi)
    mid, rad = _exact(ball.mid()), _exact(ball.rad())
    return mid - rad <= hi and mid + rad >= lo


@given(scfs(finite=False))
def test_certified_value_meets_an_independent_deep_enclosure(x):
    # Every tail of a semi-regular SCF is >= 1, so the limit lies between the two values at
    # depth D with tail 1 and tail infinity: a_0 + ... s_{D-1}/a_D and the same with a_D + s_D.
    # Computed here with Fractions, far deeper than the certified depth, independently of the
    # walk matrices and of the tail bound used by ``evaluate``; the certified ball must meet it.
    v = x.evaluate(30, max_depth=5000)
    assert v.certified
    # slow (algebraic) convergence, e.g. 0 - 1/(2 - 1/(2 - ...)), may stop short: it says so
    assert v.digits >= 30 or "max_depth" in v.reason
    D = 2 * v.depth + 40
    a = [int(t) for t in x.terms(D + 1)]
    b = [None] + x.signs(D + 1)
    lo = _backward(a, b)
    hi = _backward(a[:-1] + [a[-1] + b[-1]], b)
    assert _ball_meets(v.ball, lo, hi)


@given(pcfs(positive=True))
def test_positive_pcf_value_meets_consecutive_deep_convergents(p):
    # With a(n), b(n) > 0 for n >= 1 the value lies between any two consecutive convergents
    # (classical); both are computed here with Fractions at twice the certified depth.
    v = p.evaluate(20, max_depth=20000)
    assert v.certified
    D = 2 * v.depth + 10
    a = [int(p.a.subs(n, i)) for i in range(D + 2)]
    b = [None] + [int(p.b.subs(n, i)) for i in range(1, D + 2)]
    assert _ball_meets(v.ball, _backward(a[:-1], b[:-1]), _backward(a, b))


def test_deep_convergent_matches_recurrence_at_depth_5000():
    p = PCF(2 * n + 1, n**2, n)
    P = p.walk_matrix(5000)
    # forward recurrence on Python ints as the oracle
    p1, p2, q1, q2 = 1, 1, 1, 0
    for i in range(1, 5001):
        a, b = 2 * i + 1, i * i
        p1, p2, q1, q2 = a * p1 + b * p2, p1, a * q1 + b * q2, q1
    assert (int(P[0, 0]), int(P[1, 0]), int(P[0, 1]), int(P[1, 1])) == (p1, q1, p2, q2)


def test_symbolic_parameter_convergents():
    x = Symbol("x")
    p = PCF(x, 1, n)                      # x + 1/(x + 1/(x + ...))
    c2 = p.convergent(2)
    assert c2.free_symbols == {x}
    assert c2.subs(x, 1) == Rational(3, 2)
    assert c2.subs(x, 2) == Rational(12, 5)
    assert [c.subs(x, 1) for c in p.convergents(3)] == [1, 2, Rational(3, 2), Rational(5, 3)]
