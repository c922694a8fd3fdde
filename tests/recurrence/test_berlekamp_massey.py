"""Berlekamp–Massey over GF(p) and QQ, offline and online (theory T3.2)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from flint import fmpq, fmpz
from hypothesis import example, given
from hypothesis import strategies as st
from sympy import Integer, Rational, nextprime, sequence
from sympy.abc import n as sym_n

from esma_sympy.recurrence import DEFAULT_MODULUS, LinearRecurrence, OnlineBM, berlekamp_massey
from esma_sympy.recurrence.berlekamp_massey import _bm_exact, _minpoly_mod

PRIMES = [2, 3, 5, 7, 101, 65537, DEFAULT_MODULUS, (1 << 89) - 1]


@st.composite
def recurrences(draw, *, modulus=None, max_order=6, max_value=9):
    """Random ``LinearRecurrence`` over QQ (integer data) or GF(modulus); shrinks to order 0."""
    L = draw(st.integers(0, max_order))
    if modulus:
        vals = st.integers(0, modulus - 1)
    else:
        vals = st.integers(-max_value, max_value)
    return LinearRecurrence(
        draw(st.lists(vals, min_size=L, max_size=L)),
        draw(st.lists(vals, min_size=L, max_size=L)),
        modulus or 0,
    )


# -- the oracle: least-order recurrences by exact linear algebra (no Berlekamp-Massey) ---------
#
# A recurrence of order L, s(n) = c_1 s(n-1) + ... + c_L s(n-L) for L <= n < N, is a solution
# of the linear system with rows (s(n-1), ..., s(n-L) | s(n)).  The linear complexity is the
# least L whose system is consistent (consistency is monotone in L: an order-L recurrence is
# also one of order L + 1, with c_{L+1} = 0), so a bisection over L finds it.  Gaussian
# elimination is written out here over QQ (fmpq) and GF(p) (Python ints); it shares nothing
# with esma_sympy.recurrence.


def _field(p):
    """(convert, inverse) for QQ (p = 0, fmpq entries) or GF(p) (ints in range(p))."""
    if p:
        return (lambda a: int(a) % p), (lambda a: pow(a, -1, p))
    return fmpq, (lambda a: 1 / a)


def _solve(seq, L, p=0):
    """A solution ``[c_1, ..., c_L]`` of the order-``L`` system (free unknowns set to 0) and
    the rank of its matrix, or ``(None, rank)`` when the system is inconsistent."""
    conv, inv = _field(p)
    s = [conv(a) for a in seq]
    rows = [[s[i - j] for j in range(1, L + 1)] + [s[i]] for i in range(L, len(s))]
    pivots, r = [], 0
    for col in range(L):
        k = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if k is None:
            continue
        rows[r], rows[k] = rows[k], rows[r]
        f = inv(rows[r][col])
        rows[r] = [conv(x * f) for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                g = rows[i][col]
                rows[i] = [conv(x - g * y) for x, y in zip(rows[i], rows[r])]
        pivots.append(col)
        r += 1
    if any(row[L] != 0 for row in rows[r:]):
        return None, r
    c = [conv(0)] * L
    for i, col in enumerate(pivots):
        c[col] = rows[i][L]
    return c, r


def _hankel_oracle(seq, p=0):
    """``(L, coeffs, unique)``: the linear complexity of ``seq`` over QQ (``p = 0``) or GF(p),
    one recurrence of that order, and whether it is the only one (full column rank)."""
    lo, hi = 0, len(seq)  # order len(seq) is always consistent (no equations)
    while lo < hi:
        mid = (lo + hi) // 2
        if _solve(seq, mid, p)[0] is None:
            lo = mid + 1
        else:
            hi = mid
    c, rank = _solve(seq, lo, p)
    return lo, c, rank == lo


def _exact_complexity(ints) -> int:
    """Linear complexity over QQ, with no 2L <= N requirement (the oracle above)."""
    return _hankel_oracle(ints)[0]


def _online_complexity(ints, p) -> int:
    bm = OnlineBM(p)
    return bm.extend(ints)


# -- round trips ---------------------------------------------------------------------------


@given(recurrences(), st.integers(0, 6))
@example(LinearRecurrence([0, 0, 2, 0, 0, -1, 0], [2, 1, 2, 1, 1, 4, 1]), 0)  # e's SCF
@example(LinearRecurrence([0, 0, 0], [0, 0, 1]), 0)  # pure prefix: P = x^3
def test_round_trip_over_QQ(rec, extra):
    N = 2 * rec.order + extra + 1
    terms = rec.terms(N)
    found = berlekamp_massey(terms)
    assert found.modulus is None
    assert found.order <= rec.order
    assert found.terms(N) == terms
    # minimality: no shorter recurrence exists (independent exact BM agrees)
    assert found.order == _exact_complexity([int(t) for t in terms])


@given(st.sampled_from(PRIMES).flatmap(lambda p: st.tuples(st.just(p), recurrences(modulus=p))),
       st.integers(0, 6))
def test_round_trip_over_GFp(p_rec, extra):
    p, rec = p_rec
    N = 2 * rec.order + extra
    if N == 0:
        N = 1
    terms = rec.terms(N)
    found = berlekamp_massey(terms, modulus=p)
    assert found.modulus == p
    assert found.order <= rec.order
    assert found.terms(N) == terms


@given(st.lists(st.integers(-5, 5), min_size=1, max_size=30), st.sampled_from(PRIMES))
def test_online_matches_flint_minpoly(seq, p):
    """The pure-Python online BM and FLINT's minpoly agree on the complexity, and on the
    recurrence itself whenever it is unique (2L <= N)."""
    ints = [a % p for a in seq]
    bm = OnlineBM(p)
    ls = [bm.push(a) for a in seq]
    P = _minpoly_mod(ints, p)
    assert ls[-1] == len(P) - 1
    assert ls == sorted(ls)  # complexity never decreases
    online = bm.recurrence()
    assert online.terms(len(seq)) == [Integer(a) for a in ints]
    if 2 * online.order <= len(seq):
        assert online == berlekamp_massey(seq, modulus=p)


def test_oracle_pinned_cases():
    """The oracle itself, on sequences whose recurrences are known by hand."""
    assert _hankel_oracle([0, 1, 1, 2, 3, 5, 8, 13]) == (2, [1, 1], True)
    # one equation, 4 = c_1 + c_2 + c_3: the first pivot takes it; 2L > N, so not unique
    assert _hankel_oracle([1, 1, 1, 4]) == (3, [4, 0, 0], False)
    assert _hankel_oracle([1, 1, 1, 4], 3) == (1, [1], True)
    assert _hankel_oracle([2, 1]) == (1, [fmpq(1, 2)], True)
    assert _hankel_oracle([2, 1], 2) == (2, [0, 0], False)
    assert _hankel_oracle([0, 0, 0]) == (0, [], True)
    assert _hankel_oracle([0, 0, 0, 1, 0, 0, 0, 0])[:2] == (4, [0, 0, 0, 0])


def _random_or_recurrent():
    """Integer sequences: random ones (complexity about N/2) and recurrent ones (low)."""
    rec_terms = st.tuples(recurrences(max_order=5), st.integers(0, 8)).map(
        lambda t: [int(a) for a in t[0].terms(2 * t[0].order + t[1] + 1)])
    return st.one_of(st.lists(st.integers(-30, 30), min_size=1, max_size=24), rec_terms)


@given(_random_or_recurrent())
@example([1, 1, 1, 4])
@example([0, 0, 0, 1, 0, 0, 0, 0])
def test_bm_over_QQ_matches_hankel_oracle(seq):
    """Multimodular BM against the oracle: the same complexity, the same (unique) recurrence,
    and ``ValueError`` exactly when ``2L > N``; the internal exact fallback agrees too."""
    L, coeffs, unique = _hankel_oracle(seq)
    if 2 * L > len(seq):
        with pytest.raises(ValueError, match="too few terms"):
            berlekamp_massey(seq)
        return
    assert unique  # Massey: 2L <= N makes the least-order recurrence unique
    rec = berlekamp_massey(seq)
    assert rec.order == L
    assert list(rec.coeffs) == [Rational(int(c.p), int(c.q)) for c in coeffs]
    P = _bm_exact(seq)
    assert [-c for c in rec.coeffs] == [Rational(c.numerator, c.denominator) for c in P[::-1][1:]]


@given(st.sampled_from(PRIMES), _random_or_recurrent())
@example(3, [1, 1, 1, 4])
@example(2, [2, 1])
def test_bm_over_GFp_matches_hankel_oracle(p, seq):
    """BM over GF(p) (FLINT) and the online BM against the oracle over GF(p)."""
    L, coeffs, unique = _hankel_oracle(seq, p)
    assert _online_complexity(seq, p) == L
    if 2 * L > len(seq):
        with pytest.raises(ValueError, match="too few terms"):
            berlekamp_massey(seq, modulus=p)
        return
    assert unique
    rec = berlekamp_massey(seq, modulus=p)
    assert rec.order == L
    assert [int(c) for c in rec.coeffs] == coeffs


def test_large_heights_use_several_primes():
    """Random integers of 60 digits: the minimal polynomial has huge coefficients, so one
    62-bit prime cannot reconstruct it; the CRT path must still give the exact answer."""
    import random

    rnd = random.Random(5)
    seq = [rnd.randrange(-10**60, 10**60) for _ in range(16)]
    rec = berlekamp_massey(seq)
    assert rec.order == 8
    assert rec.terms(16) == [Integer(a) for a in seq]
    P = _bm_exact(seq)
    assert [-c for c in rec.coeffs] == [Rational(c.numerator, c.denominator) for c in P[::-1][1:]]
    assert max(abs(c.q) for c in rec.coeffs) > 2**62


def test_rational_input_is_scaled_not_rounded():
    seq = [Fraction(1, 3) * Fraction(2, 5) ** i + 7 for i in range(10)]
    rec = berlekamp_massey(seq)
    assert rec.coeffs == (Rational(7, 5), Rational(-2, 5))
    assert rec.terms(10) == [Rational(v.numerator, v.denominator) for v in seq]
    mixed = [Integer(1), fmpq(1, 2), Fraction(1, 4), Rational(1, 8), fmpz(0) + fmpq(1, 16)]
    assert berlekamp_massey(mixed).coeffs == (Rational(1, 2),)


def test_zero_sequence_has_complexity_zero():
    rec = berlekamp_massey([0, 0, 0])
    assert rec.order == 0 and rec.terms(4) == [0, 0, 0, 0]
    assert berlekamp_massey([7, 14], modulus=7).order == 0


# -- modular versus rational complexity (theory T3.2) ----------------------------------------


def _denominators(ints) -> int:
    """lcm of the denominators of one least-order recurrence over QQ (the oracle's): for a
    prime p prime to it, the recurrence reduces mod p, so L_p <= L."""
    from math import lcm

    return lcm(*[int(c.q) for c in _hankel_oracle(ints)[1]])


@given(st.lists(st.integers(-20, 20), min_size=1, max_size=40), st.integers(2**60, 2**61))
@example([1, 1, 1, 4], 2**60)  # mod 3 the complexity drops from 3 to 1
def test_modular_complexity_at_most_rational(seq, r):
    """L_p <= L for every prime p that does not divide a denominator of the rational minimal
    polynomial (theory T3.2), and L_p == L for a large random prime."""
    L = _exact_complexity(seq)
    D = _denominators(seq)
    for p in (2, 3, 5, 7, 11):
        if D % p:
            assert _online_complexity(seq, p) <= L
    big = nextprime(r)  # a large "random" prime: equality
    assert _online_complexity(seq, big) == L


@given(recurrences(max_order=5), st.sampled_from([2, 3, 5, 7]))
def test_integral_recurrences_never_gain_complexity_mod_p(rec, p):
    """Integer sequences with an integral monic minimal polynomial (every quasi-polynomial
    sequence: theory T3.1) have L_p <= L for *every* prime: the early reject is sound."""
    terms = [int(t) for t in rec.terms(2 * rec.order + 4)]
    if all(c.q == 1 for c in berlekamp_massey(terms).coeffs):
        assert _online_complexity(terms, p) <= _exact_complexity(terms)


def test_unlucky_primes_pinned():
    seq = [1, 1, 1, 4]
    assert _exact_complexity(seq) == 3
    assert _online_complexity(seq, 3) == 1  # complexity drops mod 3
    assert _online_complexity(seq, 5) == 3
    # a denominator divisible by p can *raise* the complexity: 2, 1 is a(n) = a(n-1)/2
    assert _exact_complexity([2, 1]) == 1
    assert _online_complexity([2, 1], 2) == 2


# -- oracle: SymPy ---------------------------------------------------------------------------


def _sympy_recurrence(terms):
    from sympy import Piecewise, Eq

    expr = Piecewise(*[(t, Eq(sym_n, i)) for i, t in enumerate(terms)], (0, True))
    return sequence(expr, (sym_n, 0, len(terms) - 1)).find_linear_recurrence(len(terms))


@given(recurrences(max_order=3, max_value=4), st.integers(0, 3))
def test_oracle_sympy_find_linear_recurrence(rec, extra):
    N = 2 * rec.order + extra + 2
    terms = rec.terms(N)
    theirs = _sympy_recurrence(terms)
    if not any(terms):
        assert berlekamp_massey(terms).order == 0
        return
    try:
        ours = berlekamp_massey(terms)
    except ValueError:
        # SymPy only accepts an order-l answer after checking 2l terms too
        assert theirs == [] or 2 * len(theirs) > N
        return
    if theirs:
        # SymPy needs a nonsingular Hankel matrix, so it may miss the minimal order, never beat it
        assert ours.order <= len(theirs)
        if ours.order == len(theirs):
            assert list(ours.coeffs) == theirs


def test_oracle_sympy_pinned_cases():
    fib = [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
    assert list(berlekamp_massey(fib).coeffs) == _sympy_recurrence(fib) == [1, 1]
    cubes = [i**3 for i in range(10)]
    assert list(berlekamp_massey(cubes).coeffs) == _sympy_recurrence(cubes) == [4, -6, 4, -1]


# -- online form -----------------------------------------------------------------------------


def test_online_early_reject_and_resume():
    bm = OnlineBM(101)
    seq = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]
    assert bm.extend(seq, limit=3) == 4
    assert bm.length == 7  # stopped right after the term that pushed L past 3
    assert bm.extend(seq[7:]) == _online_complexity(seq, 101)
    assert bm.length == len(seq)
    assert bm.extend([1, 2], limit=2) == bm.complexity and bm.length == len(seq)
    bm.reset()
    assert (bm.length, bm.complexity) == (0, 0)


def test_online_accepts_sympy_and_flint_integers():
    bm = OnlineBM(7)
    assert [bm.push(a) for a in (Integer(1), fmpz(1), 2, -4)] == [1, 1, 2, 2]
    assert "complexity=2" in repr(bm)
    with pytest.raises(TypeError, match="term"):
        bm.push(Rational(1, 2))
    with pytest.raises(TypeError, match=r"terms\[1\]"):
        bm.extend([1, 0.5])


# -- bad input -------------------------------------------------------------------------------


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="seq must not be empty"):
        berlekamp_massey([])
    with pytest.raises(ValueError, match="seq must not be empty"):
        berlekamp_massey([], modulus=7)
    with pytest.raises(TypeError, match=r"seq\[1\] must be an integer"):
        berlekamp_massey([1, Rational(1, 2)], modulus=7)
    with pytest.raises(TypeError, match=r"seq\[0\] must be an exact rational number, got the float"):
        berlekamp_massey([0.5, 1])
    with pytest.raises(TypeError, match=r"seq\[2\]"):
        berlekamp_massey([1, 2, "x"])
    with pytest.raises(TypeError, match="seq must be an iterable"):
        berlekamp_massey("123")
    for bad in (4, 1, 0, -7, 2**61 + 1):
        with pytest.raises(ValueError, match=f"modulus must be a prime, got {bad}"):
            berlekamp_massey([1, 2], modulus=bad)
    for bad in (True, 7.5, "7"):
        with pytest.raises(TypeError, match="modulus must be a prime integer"):
            berlekamp_massey([1, 2], modulus=bad)
    with pytest.raises(ValueError, match="modulus must be a prime"):
        OnlineBM(9)


def test_too_few_terms_rule():
    """Complexity L needs 2L terms: 2^n needs 2 terms, a random-looking tail needs more."""
    assert berlekamp_massey([1, 2]).coeffs == (2,)
    with pytest.raises(ValueError, match=r"too few terms: seq has 1 terms and linear complexity at least 1"):
        berlekamp_massey([1])
    with pytest.raises(ValueError, match=r"complexity at least 4, .* give at least 8 terms"):
        berlekamp_massey([1, 2, 4, 8, 17])
    with pytest.raises(ValueError, match="too few terms"):
        berlekamp_massey([1, 2, 4, 8, 17], modulus=101)
    # exactly 2L terms is enough (unique, Massey); 2L - 1 is not
    seq = [1, 2, 4, 8, 15, 26]  # sum_{j<=3} C(n, j): P = (x - 1)^4, L = 4
    assert berlekamp_massey(seq + [42, 64]).order == 4
    with pytest.raises(ValueError, match="too few terms"):
        berlekamp_massey(seq + [42])
