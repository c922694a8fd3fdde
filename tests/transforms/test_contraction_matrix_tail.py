"""Contraction (T4.5), matrix view (T4.6) and tails (T4.7): exact index maps on random PCFs."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, strategies as st
from sympy import Matrix, Rational, expand
from sympy.abc import n

from esma_sympy import PCF
from esma_sympy.testing import integer_polynomials, nonvanishing_polynomials, scfs
from esma_sympy.transforms import (
    as_matrix,
    contract,
    even_part,
    from_matrix,
    odd_part,
    shift,
    tail,
    walk_start,
)

from ._helpers import assert_index_map


@st.composite
def regular_pcfs(draw):
    """Polynomial PCFs with b(n) != 0 for every n >= 0 (so no elimination pivot vanishes)."""
    return PCF(draw(integer_polynomials(max_degree=2, max_value=5, nonzero=True)), draw(nonvanishing_polynomials(max_degree=2)), n)


@given(regular_pcfs(), st.integers(2, 3), st.integers(0, 2))
def test_contract_index_map(p, k, offset):
    """T4.5: x_{start + k N} = G(y_N) exactly, start ≡ offset (mod k)."""
    try:
        f = contract(p, k, offset % k)
    except ValueError as exc:  # a pivot vanishes at some block for every start tried
        assume("pivot" not in str(exc))
        raise
    assert f.step == k and (f.start - offset) % k == 0
    assert_index_map(p, f, 8)


@given(regular_pcfs())
def test_even_odd_parts_cover_all_convergents(p):
    try:
        fe, fo = even_part(p), odd_part(p)
    except ValueError as exc:
        assume("pivot" not in str(exc))
        raise
    assert fe.start % 2 == 0 and fo.start % 2 == 1
    assert_index_map(p, fe, 6)
    assert_index_map(p, fo, 6)


def test_contraction_then_extension_identity_for_golden_ratio():
    """The 1-fold contraction is the identity transform (up to normalisation), the inverse
    direction of a contraction by 1."""
    f = contract(PCF(1, 1, n), 1, 0)
    assert f.pcf == PCF(1, 1, n) and f.is_exact_value and f.start == 0


@given(regular_pcfs())
def test_as_matrix_walk_is_the_pcf_walk(p):
    """T4.6: walk_start(p) * prod M(i) equals the exact walk matrix."""
    M = as_matrix(p)
    W = Matrix(walk_start(p))
    for i in range(1, 7):
        W = W * M.xreplace({n: i})
    Wf = p.walk_matrix(6)
    assert W == Matrix(2, 2, [Rational(str(Wf[r, c])) for r in range(2) for c in range(2)])


@given(regular_pcfs())
def test_from_matrix_round_trip(p):
    """T4.6: from_matrix(as_matrix(p), n, walk_start(p)) reproduces p's convergents exactly."""
    f = from_matrix(as_matrix(p), n, walk_start(p))
    assert_index_map(p, f, 8)


@given(st.lists(integer_polynomials(max_degree=1, max_value=4), min_size=4, max_size=4))
def test_from_matrix_general_walk(entries):
    """A general polynomial walk: first-column ratios of M(1)...M(j) = G(y_{j - start})."""
    M = Matrix(2, 2, entries)
    try:
        f = from_matrix(M, n)
    except ValueError:
        return  # a vanishing pivot or det == 0: no PCF is claimed
    W = Matrix.eye(2)
    cols = [W[:, 0]]
    for i in range(1, f.start + 8):
        W = W * M.xreplace({n: i})
        cols.append(W[:, 0])
    G = Matrix(f.mobius)
    for N in range(7):
        Wp = f.pcf.walk_matrix(N)
        v = G * Matrix([Rational(str(Wp[0, 0])), Rational(str(Wp[1, 0]))])
        c = cols[f.start + N]
        assert v[0] * c[1] - v[1] * c[0] == 0 and v != Matrix([0, 0])


@given(regular_pcfs(), st.integers(0, 5))
def test_tail_pcf(p, k):
    """T4.7: x_{k + N} = G(t_N) with G = W_{k-1} diag(1, b(k))."""
    f = tail(p, k)
    assert f.pcf == shift(p, k)
    assert_index_map(p, f, 8)


@given(scfs(finite=False, semiregular=False), st.integers(0, 7))
def test_tail_scf(scf, k):
    f = tail(scf, k)
    assert f.pcf.terms(12) == scf.terms(k + 12)[k:]
    assert f.pcf.signs(12) == scf.signs(k + 12)[k:]
    assert_index_map(scf, f, 8)


@given(integer_polynomials(nonzero=True), integer_polynomials(nonzero=True), st.integers(-4, 4), st.integers(-4, 4))
def test_shift_composes(a, b, j, k):
    p = PCF(a, b, n)
    lhs, rhs = shift(shift(p, j), k), shift(p, j + k)
    assert expand(lhs.a - rhs.a) == 0 and expand(lhs.b - rhs.b) == 0


def test_errors():
    with pytest.raises(ValueError, match="k must be >= 0"):
        tail(PCF(n, 1, n), -1)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        contract(PCF(n, 1, n), 0)
    with pytest.raises(ValueError, match="M must be a 2x2"):
        from_matrix(Matrix([[1]]), n)
