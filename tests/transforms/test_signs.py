"""Singularisation and insertion (theory T4.8): exact convergent maps and inverse pairs."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, strategies as st
from sympy import Symbol, exp

from esma_sympy import SCF, QuasiPolynomial
from esma_sympy.transforms import insert, singularize, singularize_periodic

k = Symbol("k")


@st.composite
def finite_scfs_with_one(draw):
    """Finite SCFs with a_{i+1} = 1 and s_i = s_{i+1} = +1 at a drawn position i."""
    N = draw(st.integers(3, 9))
    a = draw(st.lists(st.integers(-3, 6), min_size=N + 1, max_size=N + 1))
    s = draw(st.lists(st.sampled_from([1, -1]), min_size=N, max_size=N))
    i = draw(st.integers(0, N - 2))
    a[i + 1] = 1
    s[i] = s[i + 1] = 1
    return SCF(a, s, periodic=False), i


def _same(xs, ys):
    return xs == ys


@given(finite_scfs_with_one())
def test_singularize_removes_exactly_x_i(data):
    """T4.8: x'_j = x_j (j < i), x'_j = x_{j+1} (j >= i), as exact rationals."""
    x, i = data
    L = x._length()
    xs = x.convergents(L)
    # compare where the old convergents are defined; singularisation never creates a
    # zero denominator where the old fraction had none (same p, q up to sign)
    y = singularize(x, i)
    ys = y.convergents(L - 1)
    assert ys[:i] == xs[:i]
    assert ys[i:] == xs[i + 1:]


@given(finite_scfs_with_one())
def test_insert_inverts_singularize(data):
    x, i = data
    assert insert(singularize(x, i), i) == x


@given(finite_scfs_with_one())
def test_singularize_inverts_insert(data):
    x, i = data
    y = singularize(x, i)
    assert singularize(insert(y, i), i) == y


def test_e2_simple_to_signed():
    """The e^2 simple expansion singularised along its period is the (+,+,-,+) expansion of
    the reference table, and its convergents are those of the simple one minus one per period."""
    simple = SCF(QuasiPolynomial([7], [3 * k + 2, 1, 1, 3 * k + 3, 12 * k + 18], k), (1,))
    signed = SCF(QuasiPolynomial([7], [3 * k + 2, 2, 3 * k + 4, 12 * k + 18], k), (1, 1, -1, 1))
    y = singularize_periodic(simple, 1)
    assert y.terms(40) == signed.terms(40) and y.signs(40) == signed.signs(40)
    xs, ys = simple.convergents(50), y.convergents(40)
    removed = {1 + 1 + 5 * m for m in range(10)}   # i = n0 + r + L m with n0 = 1, r = 1
    kept = [x for j, x in enumerate(xs) if j not in removed]
    assert ys == kept[:41]
    assert y.evaluate(60).contains(exp(2))


def test_periodic_singularize_e_needs_anchored_pattern():
    """e = [2; 1, 2, 1, 1, 4, ...] with prefix (2, 1, 2) and period (1, 1, 2k+4): singularising
    at residue 0 gives signs +, +, + then (-, +) repeated, which no pattern anchored at index 0
    describes, so the move is refused rather than approximated."""
    e = SCF(QuasiPolynomial([2, 1, 2], [1, 1, 2 * k + 4], k), (1,))
    with pytest.raises(ValueError, match="not a periodic pattern"):
        singularize_periodic(e, 0)


@given(st.integers(0, 3), st.integers(2, 5))
def test_periodic_singularize_random(c0, c1):
    """A period (c1 + k, 1, c0 + 2 + k, 3) with signs (+) and an even-length prefix-free start:
    the convergent map of T4.8 holds exactly."""
    x = SCF(QuasiPolynomial([], [c1 + k, 1, c0 + 2 + k, 3], k), (1, 1, 1, 1, 1, 1, 1, -1))
    try:
        y = singularize_periodic(x, 0)
    except ValueError as exc:
        assume("periodic pattern" not in str(exc))
        raise
    xs, ys = x.convergents(48), y.convergents(30)
    removed = {8 * m for m in range(10)}   # i = n0 + r + L m with n0 = 0, r = 0, L = 8
    assert ys == [v for j, v in enumerate(xs) if j not in removed][:31]


def test_errors():
    with pytest.raises(ValueError, match="a_1 = 1"):
        singularize(SCF([1, 2, 3]), 0)
    with pytest.raises(ValueError, match="s_0 = -1"):
        insert(SCF([1, 2, 3]), 0)
    with pytest.raises(ValueError, match="finite SCF"):
        singularize(SCF(QuasiPolynomial([], [1], k)), 0)
