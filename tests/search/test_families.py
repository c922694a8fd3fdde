"""Families (conjectures sharing a tail up to a shift): the bulk-hashed detection gives the
same windows hit as the exact dictionary of window bytes, on searches, in chunks, under
forced hash collisions and on quotients beyond ``int64`` codes; and the simple-fraction
rate of a Möbius LHS by homographic arithmetic against the ball expansion."""

import math

import pytest
from hypothesis import assume, given, settings, strategies as st
from sympy import E, exp, sqrt, tan

from esma_sympy.search import conjecture as cj
from esma_sympy.search import esma_search
from esma_sympy.search.lhs import LHS


def _exact(conjs):
    return cj._window_hits(*cj._window_plan(conjs))


@pytest.fixture(scope="module", params=[E, tan(1), sqrt(2), exp(2)], ids=str)
def conjs(request):
    return list(esma_search(request.param, max_period=3).conjectures)


def test_hashed_windows_hit_what_the_exact_dictionary_hits(conjs):
    want = _exact(conjs)
    assert cj._window_hits_hashed(conjs) == want
    assert 0 < sum(h >= 0 for h in want) < len(conjs)      # some join a family, some found one


@pytest.mark.parametrize("rows", [1, 7, 100])
def test_hashed_windows_in_chunks(conjs, rows, monkeypatch):
    monkeypatch.setattr(cj, "_HASH_ROWS", rows)
    assert cj._window_hits_hashed(conjs) == _exact(conjs)


def test_a_hash_collision_falls_back_to_the_exact_path(conjs, monkeypatch):
    real = cj._window_hashes
    # 16 hash values: distinct windows collide, and a checked hit must notice
    monkeypatch.setattr(cj, "_window_hashes", lambda C, W, c0=0: real(C, W, c0) & 15)
    assert cj._window_hits_hashed(conjs) is None
    fams = cj._families(conjs)
    monkeypatch.setattr(cj, "_window_hashes", real)
    assert [[id(c) for c in f] for f in fams] == [[id(c) for c in f] for f in cj._families(conjs)]


def test_codes_beyond_int64_take_the_exact_path():
    conjs = list(esma_search(E, max_period=2).conjectures)[:40]
    big = conjs[5]
    terms = list(big.first_terms)
    big.__dict__.pop("_row", None)
    big.__dict__.pop("_a0", None)
    big.__dict__["first_terms"] = (terms[0] + 2**62,) + tuple(terms[1:])
    assert cj._code_matrix(conjs) is None and cj._window_hits_hashed(conjs) is None
    assert sum(len(f) for f in cj._families(conjs)) == 40


@settings(deadline=None)
@given(st.integers(-6, 6), st.integers(-6, 6), st.integers(-6, 6), st.integers(-6, 6),
       st.sampled_from(["E", "tan(1)", "sqrt(2)"]))
def test_simple_rate_of_a_mobius_image_equals_the_ball_expansion(a, b, g, d, which):
    # the simple quotients of (a c + b)/(g c + d) by homographic arithmetic from those of c
    # against the certified ball expansion of the image itself
    assume(a * d - b * g != 0)
    c = {"E": E, "tan(1)": tan(1), "sqrt(2)": sqrt(2)}[which]
    lhs = LHS((b, a), (d, g))
    want = cj._simple_rate(lhs.expr(c), 40)
    got = cj._simple_rate_mobius(lhs.mobius, c, 40)
    assert got == want or (math.isnan(got) and math.isnan(want))
