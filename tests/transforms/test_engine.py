"""The exact engine with free parameters: the index is the bound variable, transforms commute
with ``subs`` (theory T4.12, T4.1–T4.5)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, strategies as st
from sympy import Rational, Symbol, expand, symbols
from sympy.abc import n

from esma_sympy import PCF, SCF, QuasiPolynomial
from esma_sympy.testing import integer_polynomials
from esma_sympy.transforms import (
    canonical,
    common_factor,
    contract,
    deflate,
    deflate_all,
    find_coboundary,
    fold,
    inflate,
    normalize,
)

c, d = symbols("c d")
k = Symbol("k")


def test_inflate_by_a_parameter_keeps_the_index():
    """inflate(p, c) with a constant symbol c: c is a parameter, never taken for the index."""
    p = PCF(n + c, c * n, n)
    q = inflate(p, c)
    assert q == PCF(c**2 + c * n, c**3 * n, n)
    assert q.index == n and q.free_symbols == {c}
    assert inflate(PCF(n + 3, -n, n), c) == PCF(c * n + 3 * c, -c**2 * n, n)


def test_deflate_and_deflate_all_remove_parametric_content():
    assert deflate(PCF(c * (n + 4), c**2 * n**2, n), c) == PCF(n + 4, n**2, n)
    p = inflate(PCF(n + c, c * n, n), (n + d) * c)
    assert expand(common_factor(p) - c * (n + d)) == 0
    assert deflate_all(p) == PCF(n + c, c * n, n)
    assert canonical(PCF(c * (n + 4), c**2 * n**2, n)) == PCF(n + 4, n**2, n)
    with pytest.raises(ValueError, match="does not divide"):
        deflate(PCF(n + 4, n**2, n), c)


def test_inflation_by_n_plus_d():
    p = PCF(n + c, c * n, n)
    q = inflate(p, n + d)
    assert expand(q.a - (n + d) * (n + c)) == 0
    assert expand(q.b - (n + d) * (n - 1 + d) * c * n) == 0


def test_explicit_index_name_and_bad_input():
    p = PCF(n + 3, -n, n)
    m = Symbol("m")
    assert inflate(p, m + 1, m) == inflate(p, n + 1)
    with pytest.raises(ValueError, match="both n = m and the PCF's index n"):
        inflate(p, m + n, m)
    with pytest.raises(ValueError, match="parameter"):
        inflate(PCF(n + c, n, n), c + 1, c)
    with pytest.raises(ValueError, match="c = 0 is identically zero"):
        inflate(p, 0)
    with pytest.raises(ValueError, match="has a pole at an index n >= 0"):
        inflate(p, 1 / n)
    with pytest.raises(ValueError, match="vanishes at an index n >= 0"):
        inflate(p, n - 3)
    with pytest.raises(ValueError, match="rational coefficients"):
        inflate(p, Symbol("x") ** Rational(1, 2))


values = st.integers(-4, 4).filter(lambda v: v != 0)


def _same(p, q):
    return expand(p.a - q.a) == 0 and expand(p.b - q.b) == 0


@given(integer_polynomials(max_degree=1, max_value=4, nonzero=True),
       integer_polynomials(max_degree=2, max_value=4, nonzero=True), values)
def test_subs_commutes_with_inflate_deflate_canonical(a, b, v):
    """transform(p).subs(c, v) equals transform(p.subs(c, v)) (with the transform's argument
    specialised too): exactly for inflate and deflate, up to the canonical form for
    deflate_all and canonical (a specialisation can create new common factors)."""
    p = PCF(a + c + 2 * n + 7, c * b, n)
    pv = p.subs(c, v)
    assume(expand(pv.a) != 0)
    for C in (c * (n + 1), n + c, c, n + 2):
        if any(C.subs({c: v, n: j}) == 0 for j in range(8)):
            continue  # inflation by a factor vanishing at an index >= 0 is refused (T4.1)
        assert _same(inflate(p, C).subs(c, v), inflate(pv, C.subs(c, v)))
        q = inflate(p, C)
        assert _same(deflate(q, C).subs(c, v), deflate(q.subs(c, v), C.subs(c, v)))
        # equal up to the non-uniqueness of canonical forms (T4.10): related by an inflation
        for r in (canonical(q).subs(c, v), deflate_all(q).subs(c, v)):
            x, y = canonical(r), canonical(q.subs(c, v))
            assert x == y or find_coboundary(x, y, max_degree=2) is not None


@given(integer_polynomials(max_degree=1, max_value=3, nonzero=True), st.integers(1, 3), st.integers(1, 4))
def test_subs_commutes_with_contraction(a, b0, v):
    """A contraction of PCF(n + c + a, c n + b0) specialised at c = v is a contraction of the
    specialised fraction: its index map holds exactly on the convergents."""
    p = PCF(n + c + a + 5, c * n + b0, n)
    try:
        f = contract(p, 2, 1, exact_value=False)
    except ValueError:
        return
    pv = p.subs(c, v)
    g, G = f.pcf.subs(c, v), f.mobius.subs(c, v)
    if G.det() == 0 or any(x.subs({c: v, n: j}) == 0 for x in f.conditions for j in range(12)):
        return  # a side condition of the theorem fails at c = v (Fold.conditions)
    for N in range(5):  # projectively, so that a vanishing denominator is no exception
        Y, X = g.walk_matrix(N), pv.walk_matrix(f.index(N))
        P, Q = Rational(str(Y[0, 0])), Rational(str(Y[1, 0]))
        u, w = G[0, 0] * P + G[0, 1] * Q, G[1, 0] * P + G[1, 1] * Q
        assert u * Rational(str(X[1, 0])) - w * Rational(str(X[0, 0])) == 0
        assert (u, w) != (0, 0)


def test_parametric_contraction_and_conditions():
    f = contract(PCF(n + c, c * n, n), 2, 0, exact_value=False)
    assert f.pcf.free_symbols == {c}
    assert c in f.conditions            # the theorem needs c != 0
    g = contract(PCF(n + 2, 2 * n, n), 2, 0, exact_value=False)
    assert canonical(f.pcf.subs(c, 2)) == canonical(g.pcf)


def test_normalize_parametric():
    assert normalize(PCF(2 * c * n + 2, 4 * n, n)) == PCF(c * n + 1, n, n)


def test_fold_a_finite_list_that_fits():
    e = SCF(QuasiPolynomial([3], [2 * k + 3, 2], k), (-1, 1))
    finite = SCF(e.terms(30), (-1, 1))
    with pytest.warns(UserWarning, match="quasi-polynomial continuation"):
        assert fold(finite).pcf == fold(e).pcf
    with pytest.raises(ValueError, match="no quasi-polynomial fits"):
        fold(SCF([1, 5, 2, 9, 4, 1, 7, 3], (1,)))


def test_fold_of_conjecture_equals_fold_of_its_scf():
    from sympy import E

    from esma_sympy.search import esma_search

    res = esma_search(E, max_period=2, depth=60)
    for cj in list(res)[:25]:
        f, g = fold(cj), fold(cj.scf)
        assert (f.pcf, f.mobius, f.start, f.step) == (g.pcf, g.mobius, g.start, g.step)
        for N in range(6):
            assert f.map_value(f.pcf.convergent(N)) == cj.scf.convergent(f.index(N))


def test_tail_and_from_matrix_of_a_parametric_fraction():
    from esma_sympy.transforms import as_matrix, from_matrix, tail, walk_start

    q = PCF(n + c, c * n, n)
    f = tail(q, 2)
    assert f.pcf == PCF(c + n + 2, c * n + 2 * c, n)
    for v in (1, 3, 5):
        g, G = f.pcf.subs(c, v), f.mobius.subs(c, v)
        y = g.convergent(4)
        assert (G[0, 0] * y + G[0, 1]) / (G[1, 0] * y + G[1, 1]) == q.subs(c, v).convergent(6)
    h = from_matrix(as_matrix(q), n, walk_start(q))
    assert h.pcf.free_symbols == {c}
    y = h.pcf.subs(c, 2).convergent(3)
    G = h.mobius.subs(c, 2)
    assert (G[0, 0] * y + G[0, 1]) / (G[1, 0] * y + G[1, 1]) == q.subs(c, 2).convergent(h.index(3))


def test_mobius_transform_relates_convergents_exactly():
    from sympy import Matrix

    from esma_sympy.transforms import mobius_transform

    p = PCF(n + 3, -n, n)
    G = Matrix([[2, -1], [1, 3]])
    f = mobius_transform(p, G)
    for N in range(6):
        x = p.convergent(f.index(N))
        assert f.map_value(f.pcf.convergent(N)) == (2 * x - 1) / (x + 3)
    q = PCF(n + c, c * n, n)
    g = mobius_transform(q, Matrix([[1, c], [0, 1]]))
    assert g.pcf.free_symbols <= {c}
    import pytest

    with pytest.raises(ValueError, match="singular"):
        mobius_transform(p, Matrix([[1, 2], [2, 4]]))
