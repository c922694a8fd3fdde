"""The GF(p) hot path of ``berlekamp_massey``: FLINT straight on the input list, and a
``LinearRecurrence`` whose SymPy arguments are built on first access.  Its result must be the
object the checked, eager construction gives."""

from __future__ import annotations

import pickle

import pytest
from flint import fmpz
from hypothesis import example, given
from hypothesis import strategies as st
from sympy import Integer, Tuple

from esma_sympy.recurrence import DEFAULT_MODULUS, LinearRecurrence, OnlineBM, berlekamp_massey
from esma_sympy.recurrence.berlekamp_massey import _coeffs_from_charpoly, _minpoly_mod

PRIMES = [2, 3, 101, 65537, DEFAULT_MODULUS, (1 << 89) - 1]


def eager_reference(seq, p):
    """The GF(p) result built the checked way: reduce, FLINT minpoly, public constructor."""
    ints = [int(v) % p for v in seq]
    P = _minpoly_mod(ints, p)
    L = len(P) - 1
    if 2 * L > len(ints):
        return None
    return LinearRecurrence([c % p for c in _coeffs_from_charpoly(P)], ints[:L], p)


def same_object(a: LinearRecurrence, b: LinearRecurrence) -> bool:
    return (a == b and b == a and hash(a) == hash(b) and a.args == b.args
            and [type(x) for x in a.args] == [type(x) for x in b.args]
            and all(type(v) is Integer or v.is_Integer for t in a.args[:2] for v in t))


sequences = st.lists(st.integers(-10**30, 10**30), min_size=1, max_size=40)
e_cf = [2] + [t for k in range(1, 40) for t in (1, 2 * k, 1)]


@given(sequences, st.sampled_from(PRIMES))
@example(e_cf[:200], DEFAULT_MODULUS)
@example([0, 0, 0], 7)            # the zero sequence: P = 1, order 0
@example([5], 5)                  # zero mod p
@example([1, 2, 4, 8, 16, 32], 101)
def test_gfp_result_is_the_eager_object(seq, p):
    ref = eager_reference(seq, p)
    if ref is None:
        with pytest.raises(ValueError, match="too few terms"):
            berlekamp_massey(seq, modulus=p)
        return
    got = berlekamp_massey(seq, modulus=p)
    fresh = berlekamp_massey(seq, modulus=p)
    assert same_object(got, ref)
    # public accessors before the arguments were built, on a fresh result
    assert fresh.coeffs == ref.coeffs and fresh.initial == ref.initial
    assert fresh.order == ref.order and fresh.modulus == p
    assert berlekamp_massey(seq, modulus=p).terms(len(seq) + 3) == ref.terms(len(seq) + 3)
    assert berlekamp_massey(seq, modulus=p).characteristic_poly() == ref.characteristic_poly()
    assert {berlekamp_massey(seq, modulus=p): 1}[ref] == 1      # hashing builds the args
    assert pickle.loads(pickle.dumps(berlekamp_massey(seq, modulus=p))) == ref
    r = berlekamp_massey(seq, modulus=p)
    assert r.func(*r.args) == ref


@given(st.lists(st.integers(-50, 50), min_size=2, max_size=30), st.sampled_from(PRIMES))
def test_other_integer_types_take_the_checked_path(seq, p):
    ref = berlekamp_massey([v % p for v in seq] + [0] * len(seq), modulus=p)
    for conv in (fmpz, Integer, lambda v: v + 0):
        assert same_object(berlekamp_massey([conv(v) for v in seq] + [0] * len(seq), modulus=p),
                           ref)
    assert same_object(berlekamp_massey(tuple(seq) + (0,) * len(seq), modulus=p), ref)
    assert same_object(berlekamp_massey(iter(seq + [0] * len(seq)), modulus=p), ref)


def test_bad_terms_still_rejected():
    with pytest.raises(TypeError, match=r"seq\[1\] must be an integer, got True"):
        berlekamp_massey([1, True, 2, 3], modulus=7)
    with pytest.raises(TypeError, match=r"seq\[2\] must be an integer, got 2.5"):
        berlekamp_massey([1, 2, 2.5], modulus=7)


def test_input_list_is_not_kept():
    seq = [1, 1, 2, 3, 5, 8, 13, 21]
    rec = berlekamp_massey(seq, modulus=101)
    seq[:] = [0] * 8
    assert rec.initial == (1, 1) and rec.terms(8) == [1, 1, 2, 3, 5, 8, 13, 21]


def test_lazy_constructor_matches_the_checked_one():
    for cs, vs, p in [([1, 1], [0, 8], 7), ([], [], 5), ([0, 0, 3], [1, 2, 3], 101)]:
        lazy = LinearRecurrence._from_residues(cs, vs, p)
        eager = LinearRecurrence(cs, [v % p for v in vs], p)
        assert same_object(lazy, eager)
        assert isinstance(lazy.args[0], Tuple)


def test_online_bm_recurrence_is_the_eager_object():
    bm = OnlineBM(101)
    bm.extend([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4])
    rec = bm.recurrence()
    assert same_object(rec, LinearRecurrence(rec.coeffs, rec.initial, 101))
