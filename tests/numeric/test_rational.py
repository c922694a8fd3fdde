"""Exact ESMA expansion of rationals (theory T2.1): the SCF paths and the sign rewriting.

Oracle: :func:`esma_rule`, the ESMA rule run one step at a time on a ``Fraction``.  Every
fast path (FLINT's ``fmpq_get_cfrac`` through ctypes, the pure-Python Lehmer, the rewriting of
the SCF for a sign pattern, the interval kernel, ``expand``/``expand_quotients``) must give
exactly its quotients.
"""

from __future__ import annotations

import random
import sys
from contextlib import contextmanager
from fractions import Fraction
from math import ceil, floor

import pytest
from flint import fmpq
from hypothesis import example, given
from hypothesis import strategies as st
from sympy import Rational

import esma_sympy.numeric.rational as rat
from esma_sympy.cf.scf import SCF
from esma_sympy.cf.expansion import expand
from esma_sympy.numeric.expand import SignSequence, _kernel, expand_quotients
from esma_sympy.numeric.rational import (
    _euclid,
    _load_flint_cfrac,
    _rational_expansion,
    _scf_python,
    rational_quotients,
)

# -- the oracle ----------------------------------------------------------------------------


def esma_rule(x: Fraction, signs, n: int | None):
    """The first ``n`` (all, for None) ESMA quotients of ``x`` and whether the expansion ended.

    ``signs`` is a tuple (periodic pattern) or a list (explicit signs).
    """
    out = []
    i = 0
    while n is None or i < n:
        s = signs[i % len(signs)] if isinstance(signs, tuple) else signs[i]
        a = floor(x) if s > 0 else ceil(x)
        out.append(a)
        if x == a:
            return out, True
        x = s / (x - a)
        i += 1
    return out, False


def from_quotients(cs) -> Fraction:
    """``[c_0; c_1, ..., c_k]`` as a Fraction."""
    x = Fraction(cs[-1])
    for c in reversed(cs[:-1]):
        x = c + 1 / x
    return x


PATHS = ["flint", "python"]


@contextmanager
def scf_path(path: str):
    """Compute simple continued fractions with FLINT (``'flint'``) or pure Python."""
    if path == "flint":
        fn = _load_flint_cfrac()
        if fn is None:  # pragma: no cover - no libflint found on this platform
            pytest.skip("no usable libflint for fmpq_get_cfrac")
    else:
        fn = None
    saved = list(rat._FLINT)
    rat._FLINT[:] = [fn]
    try:
        yield
    finally:
        rat._FLINT[:] = saved


# big partial quotients (beyond 2^62 and 2^64: GMP-held fmpz in FLINT) inside long expansions
quotient = st.one_of(st.integers(1, 4), st.integers(1, 2**70), st.integers(2**62, 2**130))
patterns = st.lists(st.sampled_from([1, -1]), min_size=1, max_size=4).map(tuple)


@st.composite
def rationals(draw):
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return Fraction(draw(st.integers(-10**40, 10**40)), draw(st.integers(1, 10**40)))
    if kind == 1:
        return Fraction(draw(st.integers(-2**900, 2**900)), draw(st.integers(1, 2**800)))
    cs = [draw(st.integers(-2**70, 2**70))] + draw(st.lists(quotient, min_size=0, max_size=60))
    if len(cs) > 1 and cs[-1] == 1:
        cs[-1] = 2
    return from_quotients(cs)


# -- the simple continued fraction ---------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
@given(rationals(), st.integers(1, 500))
@example(Fraction(355, 113), 10)
@example(Fraction(7 * 2**100 + 1, 7), 10)   # a quotient 2^100
@example(Fraction(5, 1), 1)
@example(Fraction(-1, 2), 1)
def test_scf_paths_agree_with_the_rule(path, x, n):
    with scf_path(path):
        p, q = x.numerator, x.denominator
        assert rat._scf(p, q, n) == esma_rule(x, (1,), n)


@pytest.mark.parametrize("path", PATHS)
def test_scf_python_and_flint_on_long_expansions(path):
    """Thousands of quotients: several Lehmer blocks, FLINT's half-gcd, a truncation in the
    middle of a block."""
    rng = random.Random(20240517)
    with scf_path(path):
        for bits in (100, 2000, 12000):
            p, q = rng.getrandbits(bits) | 1 << bits, rng.getrandbits(bits) | 1
            ref = _euclid(p, q)
            assert rat._scf(p, q, 10**9) == (ref, True)
            for n in (1, 2, 101, len(ref) // 3, len(ref) - 1, len(ref)):
                assert rat._scf(p, q, n) == (ref[:n], n >= len(ref))


def test_lehmer_test_at_the_edges_of_the_leading_parts():
    """The true ratio p/q lies anywhere in [x/(y+1), (x+1)/y] given the leading parts x, y:
    take the low parts at both extremes, where an unchecked leading-part quotient is wrong."""
    rng = random.Random(5)
    for _ in range(1500):
        k = rng.randint(1, 200)
        w = rat._WORD  # the leading parts are exactly x and y
        x = rng.getrandbits(w) | 1 << (w - 1)
        y = rng.randint(x >> 20, x)
        for lo_p, lo_q in [(0, (1 << k) - 1), ((1 << k) - 1, 0), (0, 0)]:
            p, q = (x << k) + lo_p, (y << k) + lo_q
            assert _scf_python(p, q, 10**9) == (_euclid(p, q), True), (x, y, k)


# -- signed expansions ---------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
@given(rationals(), patterns, st.integers(1, 300), st.booleans())
@example(Fraction(7, 3), (-1,), 10, False)             # 3 - 1/(2 - 1/2): the [1; 1] = 2 case
@example(Fraction(1, 2**70), (-1,), 50, False)         # a run of ceilings 2, 2, 2, ...
@example(Fraction(-10, 7), (1, -1), 10, True)
@example(Fraction(3), (-1,), 1, False)                 # an integer is its own ceiling
def test_signed_expansions_agree_with_the_rule(path, x, pattern, n, explicit):
    with scf_path(path):
        signs = [pattern[i % len(pattern)] for i in range(n)] if explicit else pattern
        assert _rational_expansion(x.numerator, x.denominator, signs, n) == esma_rule(x, signs, n)


@given(rationals(), patterns, st.integers(1, 60))
def test_interval_kernel_on_a_point_agrees(x, pattern, n):
    """The interval kernel (used for balls, and for callable signs) is the same rule."""
    p, q = x.numerator, x.denominator
    qs, status = _kernel(p, q, p, q, [pattern[i % len(pattern)] for i in range(n)], n)
    assert (qs, status == "terminated") == esma_rule(x, pattern, n)


@pytest.mark.parametrize("path", PATHS)
@given(st.integers(-10**30, 10**30), st.integers(1, 10**30), patterns)
def test_rational_quotients_without_limit_is_the_whole_expansion(path, p, q, pattern):
    with scf_path(path):
        x = Fraction(p, q)
        bound = sum(abs(a) for a in rational_quotients(x))
        if all(s > 0 for s in pattern) or bound <= 10**5:
            assert rational_quotients(x, pattern) == esma_rule(x, pattern, None)[0]
        elif bound > 10**7:    # a signed expansion that long is refused without a limit
            with pytest.raises(ValueError, match="limit"):
                rational_quotients(x, pattern)
        assert rational_quotients(Rational(p, q), pattern, limit=3) == esma_rule(x, pattern, 3)[0]
        assert rational_quotients(fmpq(p, q), pattern, limit=3) == esma_rule(x, pattern, 3)[0]


# -- through the public expansion functions ------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
@given(rationals(), patterns, st.integers(0, 200))
def test_expand_quotients_of_a_rational(path, x, pattern, depth):
    with scf_path(path):
        qs, info = expand_quotients(Rational(x.numerator, x.denominator), pattern, terms=depth + 1)
        ref, ended = esma_rule(x, pattern, depth + 1)
        assert qs == ref
        assert info.status == ("terminated" if ended else "complete")
        assert info.certified == len(ref) and info.requested == depth + 1


@pytest.mark.parametrize("path", PATHS)
@given(rationals(), st.lists(st.sampled_from([1, -1]), min_size=1, max_size=40))
def test_expand_with_explicit_and_callable_signs(path, x, signs):
    with scf_path(path):
        r = Rational(x.numerator, x.denominator)
        ref, ended = esma_rule(x, signs, len(signs))
        scf = expand(r, SignSequence(signs))
        assert scf.terms(len(ref)) == ref
        assert expand(r, lambda i: signs[i], terms=len(signs)) == scf
        if len(ref) > 1:
            assert scf == SCF(ref, signs[: len(ref) - 1], periodic=False)
        if ended:
            assert scf.evaluate().exact == r


@pytest.mark.parametrize("path", PATHS)
def test_expand_of_a_large_rational_is_exact(path):
    """About 2000 digits: every pattern gives the rule's quotients and the value comes back."""
    rng = random.Random(7)
    p, q = rng.getrandbits(6600), rng.getrandbits(6600) | 1
    x = Fraction(p, q)
    with scf_path(path):
        for pattern in [(1,), (1, -1), (-1, 1, 1)]:
            scf = expand(Rational(p, q), pattern, terms=10**5 + 1)
            ref, ended = esma_rule(x, pattern, None)
            assert scf.terms(10**5) == ref and ended
            assert scf == SCF(ref, pattern)
            assert scf.evaluate().exact == Rational(p, q)


def test_scf_from_ints_is_the_checked_constructor():
    for qs, signs, periodic in [([3, 2, 2], (-1,), True), ([1], (1,), True),
                                ([-4, 7, 1, 9], [1, -1, 1], False), ([0, 2], (1, -1), True)]:
        fast, slow = SCF._from_ints(qs, signs, periodic), SCF(qs, signs, periodic)
        assert fast == slow and hash(fast) == hash(slow) and fast.args == slow.args
        assert [type(a) for a in fast.args] == [type(a) for a in slow.args]


# -- the FLINT library ---------------------------------------------------------------------


@given(rationals(), st.integers(1, 300))
@example(Fraction(7 * 2**100 + 1, 7), 5)
@example(Fraction(2**64 + 1, 2**64), 3)
def test_flint_cfrac_called_directly(x, n):
    """The ctypes wrapper on its own (``_scf`` sends small inputs to Python instead)."""
    fn = _load_flint_cfrac()
    if fn is None:  # pragma: no cover - no libflint found on this platform
        pytest.skip("no usable libflint for fmpq_get_cfrac")
    a0 = floor(x)
    if x == a0:
        return
    y = 1 / (x - a0)
    assert fn(y.numerator, y.denominator, n) == esma_rule(y, (1,), n)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="library lookup via /proc")
def test_flint_path_is_found_on_linux():
    assert _load_flint_cfrac() is not None


def test_environment_variable_disables_the_flint_path(monkeypatch):
    monkeypatch.setenv("ESMA_NO_FLINT_CFRAC", "1")
    assert _load_flint_cfrac() is None


def test_bad_arguments():
    with pytest.raises(TypeError, match="exact rational"):
        rational_quotients(0.5)
    with pytest.raises(TypeError, match="bool"):
        rational_quotients(True)
    with pytest.raises(ValueError, match="pattern of"):
        rational_quotients(Fraction(1, 3), (1, 0))
    with pytest.raises(ValueError, match="limit"):
        rational_quotients(Fraction(1, 3), limit=0)


def test_unlimited_signed_expansion_of_a_huge_quotient_is_refused():
    """1/10^30 under (-1,) would be 10^30 quotients 2: without a limit it is refused with a
    message naming ``limit``; with one it is fine."""
    x = Fraction(1, 10**30)
    with pytest.raises(ValueError, match="limit"):
        rational_quotients(x, (-1,))
    assert rational_quotients(x, (-1,), limit=5) == [1, 2, 2, 2, 2]
