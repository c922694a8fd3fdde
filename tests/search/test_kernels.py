"""The search kernels against independent oracles: homographic expansion vs the certified
ball expansion, batched Massey vs OnlineBM, the float digit bound vs exact convergents."""

import contextlib
import math

import numpy as np
import pytest
from hypothesis import assume, given, strategies as st
from sympy import E, sqrt

from esma_sympy import SCF
from esma_sympy.numeric.expand import expand_quotients
from esma_sympy.numeric.homographic import expand_mobius, expand_mobius_batch
from esma_sympy.recurrence import OnlineBM
from esma_sympy.recurrence.approval import cyclotomic_structure
from esma_sympy.search.engine import _digits_batch, _exact_holds_batch, _lift_batch
from esma_sympy.search.lhs import enumerate_lhs, sign_patterns
from esma_sympy.search.massey import P28, bm_batch, recurrence_holds_batch
from esma_sympy.testing import sign_patterns as sign_pattern_strategy

E_TERMS, _ = expand_quotients(E, (1,), terms=401)
SQRT2_TERMS, _ = expand_quotients(sqrt(2), (1,), terms=401)

coeff = st.integers(-3, 3)


@given(coeff, coeff, coeff, coeff, sign_pattern_strategy(max_period=4), st.sampled_from(["e", "sqrt2"]))
def test_homographic_matches_ball_expansion(a, b, g, d, signs, which):
    assume(a * d - b * g != 0)
    c, terms = (E, E_TERMS) if which == "e" else (sqrt(2), SQRT2_TERMS)
    got, _ = expand_mobius((a, b, g, d), signs, 40, terms)
    value = (a * c + b) / (g * c + d)
    want, info = expand_quotients(value, signs, terms=40)
    assert got == want[: len(got)] and len(got) == 40


@given(st.lists(st.tuples(coeff, coeff, coeff, coeff, sign_pattern_strategy(max_period=4)),
                min_size=1, max_size=12))
def test_batch_equals_scalar(rows):
    rows = [r for r in rows if r[0] * r[3] - r[1] * r[2] != 0]
    assume(rows)
    Ms = np.array([r[:4] for r in rows])
    pats = np.array([list(r[4]) + [1] * (4 - len(r[4])) for r in rows])
    pers = np.array([len(r[4]) for r in rows])
    Q, cnt = expand_mobius_batch(Ms, pats, pers, 60, E_TERMS)
    for j, r in enumerate(rows):
        want, _ = expand_mobius(r[:4], r[4], 60, E_TERMS)
        assert Q[j, : cnt[j]].tolist() == want


@contextlib.contextmanager
def _tail_rows(k):
    """Run the NumPy lockstep down to ``k`` rows, the rest in the Python loop."""
    from esma_sympy.numeric import homographic

    old, homographic._TAIL_ROWS = homographic._TAIL_ROWS, k
    try:
        yield
    finally:
        homographic._TAIL_ROWS = old


@pytest.mark.parametrize("tail", [0, 12, 10**6])
@given(st.lists(st.tuples(coeff, coeff, coeff, coeff, sign_pattern_strategy(max_period=4)),
                min_size=1, max_size=40), st.integers(1, 120), st.sampled_from([2, 5, 17, 60, 400]))
def test_batch_with_more_terms_equals_scalar_on_all_terms(tail, rows, depth, start):
    # rows that run out of the first ``start`` terms go on with longer lists (at most four
    # doublings): each row equals the scalar expansion on the longest list fetched
    rows = [r for r in rows if r[0] * r[3] - r[1] * r[2] != 0]
    assume(rows)
    Ms, pats, pers = _rows(rows)
    fetched = [E_TERMS[:start]]

    def more():
        fetched.append(E_TERMS[: 2 * len(fetched[-1])])
        return fetched[-1]

    with _tail_rows(tail):
        Q, cnt = expand_mobius_batch(Ms, pats, pers, depth, fetched[0], use_jit=False, more=more)
    assert len(fetched) <= 5
    for j, r in enumerate(rows):
        want, _ = expand_mobius(r[:4], r[4], depth, fetched[-1])
        assert Q[j, : cnt[j]].tolist() == want
        assert not Q[j, cnt[j]:].any()
    if len(fetched) < 5 and len(fetched[-1]) < len(E_TERMS):
        assert (cnt == depth).all()          # no further list was fetched: none was needed


def test_batch_without_more_terms_stops_short():
    Q, cnt = expand_mobius_batch(np.array([[1, 0, 0, 1]] * 20), np.array([[1]] * 20),
                                 np.array([1] * 20), 30, E_TERMS[:10])
    want, _ = expand_mobius((1, 0, 0, 1), (1,), 30, E_TERMS[:10])
    assert len(want) == 8                    # the last quotient needs the term after it
    assert (cnt == 8).all() and Q[0, :8].tolist() == want and not Q[:, 8:].any()


@pytest.mark.parametrize("tail", [0, 10**6])
def test_a_huge_term_in_longer_terms_moves_the_rows_to_the_exact_path(tail):
    terms = E_TERMS[:30] + [10**40] + E_TERMS[31:200]
    fetched = [terms[:20]]

    def more():
        fetched.append(terms[: 2 * len(fetched[-1])])
        return fetched[-1]

    Ms = np.array([[1, 0, 0, 1], [2, 1, 1, 1], [1, 2, 3, 4]] * 10)
    pats, pers = np.array([[1, -1]] * 30), np.array([1, 2, 2] * 10)
    with _tail_rows(tail):
        Q, cnt = expand_mobius_batch(Ms, pats, pers, 60, fetched[0], use_jit=False, more=more)
    assert Q.dtype == object                 # the quotient 10**40 is a Python integer
    for j in range(30):
        want, _ = expand_mobius(Ms[j].tolist(), pats[j, :pers[j]].tolist(), 60, fetched[-1])
        assert [int(x) for x in Q[j, : cnt[j]]] == want and len(want) == 60


def test_batch_falls_back_to_exact_path_on_large_states():
    # a huge input quotient forces the exact path for every row
    terms = [1, 10**40, 3, 5, 7, 9, 11, 13, 15, 17]
    Q, cnt = expand_mobius_batch(np.array([[1, 0, 0, 1], [2, 1, 1, 1]]), np.array([[1], [-1]]),
                                 np.array([1, 1]), 5, terms)
    for j, (M, s) in enumerate([((1, 0, 0, 1), (1,)), ((2, 1, 1, 1), (-1,))]):
        want, _ = expand_mobius(M, s, 5, terms)
        assert [int(x) for x in Q[j, : cnt[j]]] == want or cnt[j] == 0


@given(st.lists(st.lists(st.integers(-5, 5), min_size=30, max_size=30), min_size=1, max_size=8),
       st.integers(1, 20))
def test_bm_batch_matches_online_bm(seqs, limit):
    L, C = bm_batch(np.array(seqs), limit)
    for j, s in enumerate(seqs):
        bm = OnlineBM(P28)
        ref = bm.extend(s)
        assert min(int(L[j]), limit) == min(ref, limit)
        if ref < limit and 2 * ref <= len(s):
            ok = recurrence_holds_batch(np.array([s]), C[j:j + 1], L[j:j + 1], np.array([0]), np.array([30]))
            assert ok[0]


@given(st.lists(st.integers(1, 9), min_size=1, max_size=4), st.integers(0, 3), st.integers(0, 6))
def test_quasi_polynomial_sequences_are_found_and_lifted_exactly(slopes, n0, start):
    T = len(slopes)
    seq = [start + 1] * n0 + [slopes[r] * kk + start + r for kk in range(40) for r in range(T)]
    seq = seq[:100]
    S = np.array([seq])
    L, C = bm_batch(S, 30)
    assert L[0] <= n0 + 2 * T
    Cl = _lift_batch(C, P28)
    assert _exact_holds_batch(S, Cl, L)[0]
    charpoly = tuple(int(Cl[0, int(L[0]) - i]) for i in range(int(L[0]) + 1))
    n0_, T_, d_ = cyclotomic_structure(tuple(charpoly))
    assert T % T_ == 0 or T_ == 1 and d_ <= 1


@given(coeff, coeff, coeff, coeff, sign_pattern_strategy(max_period=4))
def test_digit_bound_is_a_lower_bound_of_the_exact_value(a, b, g, d, signs):
    assume(a * d - b * g != 0)
    q, _ = expand_mobius((a, b, g, d), signs, 120, E_TERMS)
    N = len(q) - 1
    sign_tab = np.array([[signs[i % len(signs)] for i in range(len(q))]])
    bound = _digits_batch(np.array([q]), sign_tab, N)[0]
    P = SCF(q, signs).walk_matrix(N)
    qN, qN1 = int(P[1, 0]), int(P[1, 1])
    sN = signs[N % len(signs)]
    exact = math.log10(abs(qN)) + math.log10(abs(qN + sN * qN1))
    assert bound <= exact + 1e-9
    assert bound >= exact - 1e-6          # and it is not loose


def test_sign_patterns_are_primitive_and_counted():
    pats = sign_patterns(1, 6)
    # primitive binary words of length p: sum_{d | p} mu(d) 2^(p/d)
    assert [sum(1 for s in pats if len(s) == p) for p in range(1, 7)] == [2, 2, 6, 12, 30, 54]
    assert len(set(pats)) == len(pats)


def test_lhs_enumeration_is_deduplicated_by_value_and_keeps_both_signs():
    """One LHS per value: distinct values (no two enclosures overlap), and every value's
    negative is enumerated too (theory T5.6: -v's expansions are not v's)."""
    from flint import arb
    vals = []
    for v in enumerate_lhs(1, 2):
        num = v.num + (0,) * (2 - len(v.num))
        den = v.den + (0,) * (2 - len(v.den))
        x = (num[0] + num[1] * arb(1).exp()) / (den[0] + den[1] * arb(1).exp())
        vals.append(x)
    vals.sort(key=lambda x: float(x.mid()))
    for x, y in zip(vals, vals[1:]):
        assert not x.overlaps(y)
    for x, y in zip(vals, reversed(vals)):
        assert (x + y).contains(0)


def test_lhs_degree_two_enumeration():
    lhs2 = enumerate_lhs(2, 1)
    assert all(v.degree <= 2 for v in lhs2) and any(v.degree == 2 for v in lhs2)
    assert len(set(lhs2)) == len(lhs2)


def _rows(draw_rows):
    Ms = np.array([r[:4] for r in draw_rows])
    pats = np.array([list(r[4]) + [1] * (4 - len(r[4])) for r in draw_rows])
    pers = np.array([len(r[4]) for r in draw_rows])
    return Ms, pats, pers


@given(st.lists(st.tuples(coeff, coeff, coeff, coeff, sign_pattern_strategy(max_period=4)),
                min_size=1, max_size=12), st.integers(1, 80))
def test_compiled_and_numpy_expansions_agree(rows, depth):
    from esma_sympy.numeric import _jit

    rows = [r for r in rows if r[0] * r[3] - r[1] * r[2] != 0]
    assume(rows)
    Ms, pats, pers = _rows(rows)
    Qn, cn = expand_mobius_batch(Ms, pats, pers, depth, E_TERMS, use_jit=False)
    Qj, cj = expand_mobius_batch(Ms, pats, pers, depth, E_TERMS, use_jit=True)
    Qp, cp, sp = _jit._expand_rows_py(Ms, pats, pers, depth, np.array(E_TERMS[:300], dtype=np.int64), 1 << 28)
    assert (cn == cj).all() and (cn == cp).all()
    for j in range(len(rows)):
        assert Qn[j, :cn[j]].tolist() == Qj[j, :cj[j]].tolist() == Qp[j, :cp[j]].tolist()


@given(st.lists(st.lists(st.integers(-5, 5), min_size=40, max_size=40), min_size=1, max_size=8),
       st.integers(1, 25))
def test_compiled_and_numpy_massey_agree(seqs, limit):
    S = np.array(seqs)
    Ln, Cn = bm_batch(S, limit, use_jit=False)
    Lj, Cj = bm_batch(S, limit, use_jit=True)
    assert (np.minimum(Ln, limit) == np.minimum(Lj, limit)).all()
    for j in range(len(seqs)):
        if Ln[j] < limit:
            # the same connection polynomial up to a nonzero scalar
            a = _lift_batch(Cn[j:j + 1], P28)[0]
            b = _lift_batch(Cj[j:j + 1], P28)[0]
            assert a.tolist() == b.tolist()


@given(st.lists(st.tuples(coeff, coeff, coeff, coeff, sign_pattern_strategy(max_period=4)),
                min_size=1, max_size=10))
def test_compiled_and_numpy_approval_kernels_agree(rows):
    rows = [r for r in rows if r[0] * r[3] - r[1] * r[2] != 0]
    assume(rows)
    Ms, pats, pers = _rows(rows)
    Q, cnt = expand_mobius_batch(Ms, pats, pers, 150, E_TERMS)
    sign_tab = np.array([[r[4][i % len(r[4])] for i in range(150)] for r in rows])
    a = _digits_batch(Q, sign_tab, 149, use_jit=False)
    b = _digits_batch(Q, sign_tab, 149, use_jit=True)
    assert np.allclose(a, b, rtol=1e-12, atol=1e-9) or (np.isinf(a) == np.isinf(b)).all()
    L, C = bm_batch(Q[:, :60], 25)
    Cl = _lift_batch(C, P28)
    assert (_exact_holds_batch(Q, Cl, L, use_jit=False) == _exact_holds_batch(Q, Cl, L, use_jit=True)).all()


@given(st.lists(st.tuples(st.integers(1, 4), st.integers(0, 1), st.integers(0, 3),
                          sign_pattern_strategy(max_period=4), st.booleans()),
                min_size=1, max_size=12))
def test_compiled_and_numpy_residue_fits_agree(specs):
    """The approval's residue fits (prefix n0, period T, degree d) agree between the compiled
    kernel and its NumPy twin, on quasi-linear rows and on perturbed (failing) ones."""
    from esma_sympy.numeric import _jit
    from esma_sympy.search.engine import _fit_rows_numpy

    N = 60
    rows = []
    for T, d, n0, pat, noise in specs:
        seq = [7] * n0
        while len(seq) < N:
            k, r = divmod(len(seq) - n0, T)
            seq.append(2 + r + d * (r + 1) * k)
        if noise:
            seq[-1] += 1                          # breaks the last period
        rows.append(seq)
    Q = np.array(rows, dtype=np.int64)
    n = len(specs)
    idx = np.arange(n)
    n0s = np.array([s[2] for s in specs])
    Ts = np.array([s[0] for s in specs])
    ds = np.array([s[1] for s in specs])
    pats = np.array([list(s[3]) + [1] * (4 - len(s[3])) for s in specs], dtype=np.int64)
    pers = np.array([len(s[3]) for s in specs])
    a = _fit_rows_numpy(Q, idx, n0s, Ts, ds, pats, pers)
    b = _jit.fit_rows(Q, idx, n0s, Ts, ds, pats, pers)
    c = _jit._fit_rows_py(Q, idx, n0s, Ts, ds, pats, pers)
    assert (a[2] == b[2]).all() and (a[2] == c[2]).all()
    for t in np.nonzero(a[2])[0]:
        T = Ts[t]
        assert (a[0][t, :T] == b[0][t, :T]).all() and (a[1][t, :T] == b[1][t, :T]).all()
    assert a[2][[not s[4] for s in specs]].all()      # clean quasi-linear rows fit
    assert not a[2][[s[4] for s in specs]].any()      # a broken last period never does


def _search_key(res):
    return ([(c.lhs, c.signs, c.prefix, c.polys, c.charpoly, c.first_terms, c.digits)
             for c in res.conjectures],
            {k: v for k, v in vars(res.stats).items() if k not in ("timings", "seconds")})


@pytest.mark.parametrize("constant,kw", [
    (E, dict(coeff_limit=1, max_period=4, depth=60)),
    (sqrt(2) + 1, dict(coeff_limit=1, max_period=3, depth=100)),
    ("tan(1)", dict(coeff_limit=2, max_period=3, depth=60)),
    ("exp(2)", dict(lhs_degree=2, coeff_limit=1, max_period=2, depth=40)),
])
def test_fused_kernel_and_phased_numpy_path_give_identical_searches(constant, kw):
    """The compiled path (the fused filter + batch-approval kernel, the compiled fits) and
    the NumPy path give the same conjectures, in the same order, with the same statistics."""
    from esma_sympy import esma_search
    from esma_sympy.numeric import _jit

    with _jit.preference(True):
        a = esma_search(constant, **kw)
    with _jit.preference(False):
        b = esma_search(constant, **kw)
    assert len(a) > 0
    assert _search_key(a) == _search_key(b)


@given(st.lists(st.lists(st.integers(-40, 40), min_size=36, max_size=36), min_size=1, max_size=6),
       st.booleans())
def test_compiled_and_numpy_modular_prediction_agree(seqs, periodic):
    """The modular prediction test (for rows whose recurrence does not lift to the integers)
    gives the same answer compiled and in NumPy, on random and on recurrent rows."""
    from esma_sympy.numeric import _jit
    from esma_sympy.search.massey import recurrence_holds_batch

    S = np.array(seqs, dtype=np.int64)
    if periodic:
        S[:, 6:] = np.resize(S[:, :6], (len(seqs), 30))
    L, C = bm_batch(S[:, :16], 8)
    start, stop = np.full(len(seqs), 16), np.full(len(seqs), 36)
    with _jit.preference(True):
        a = recurrence_holds_batch(S, C, L, start, stop)
    with _jit.preference(False):
        b = recurrence_holds_batch(S, C, L, start, stop)
    assert (a == b).all()
