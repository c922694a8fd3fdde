"""The bulk paths of the CLI's search against their one-by-one originals: the same numbers.

- the lockstep expansion ingesting up to three terms a step vs one term a step;
- Berlekamp-Massey with float-quotient reductions vs exact ``%`` (``massey._mod``);
- the block-matrix rates (``_fast_rates``, ``prime_rates``) vs ``fast_rate``;
- ``prime_simple_rates`` vs the lazy ``simple_rate``.
"""

import random

import numpy as np
import pytest
from hypothesis import given, strategies as st
from sympy import E, exp, tan

from esma_sympy.numeric import homographic
from esma_sympy.numeric.homographic import expand_mobius_batch
from esma_sympy.search import conjecture as cj
from esma_sympy.search import esma_search
from esma_sympy.search.massey import P28, _mod, bm_batch

E_TERMS = [2] + sum(([1, 2 * k + 2, 1] for k in range(400)), [])


def _random_batch(rng, n):
    Ms, pats, pers = [], [], []
    while len(Ms) < n:
        M = [rng.randint(-6, 6) for _ in range(4)]
        if M[0] * M[3] - M[1] * M[2]:
            Ms.append(M)
    for _ in range(n):
        p = rng.randint(1, 4)
        sg = [rng.choice([1, -1]) for _ in range(p)]
        pats.append(sg + [sg[0]] * (4 - p))
        pers.append(p)
    return np.array(Ms), np.array(pats), np.array(pers)


@pytest.mark.parametrize("seed", range(6))
def test_lockstep_blocks_change_nothing(seed, monkeypatch):
    """Ingesting several terms a step (and one where that leaves the safe range) emits the same
    quotients and counts as one term a step, also when the terms run out or grow."""
    rng = random.Random(seed)
    terms = [E_TERMS,
             [rng.choice([1, 1, 2, 3, 14, 300]) for _ in range(1200)],
             [rng.choice([1, 2, 10**5, 10**7]) for _ in range(1200)],
             [2] * 1200][seed % 4]
    Ms, pats, pers = _random_batch(rng, rng.choice([30, 120]))
    depth, start, more_times = rng.choice([58, 200]), rng.choice([40, 150]), rng.choice([0, 2, 4])
    out = []
    for k in (1, homographic._BLOCK_TERMS):
        monkeypatch.setattr(homographic, "_BLOCK_TERMS", k)
        monkeypatch.setattr(homographic._ingest_blocks, "__defaults__", (k,))
        got = {"n": start}

        def more():
            got["n"] *= 2
            return terms[: got["n"]]

        out.append(expand_mobius_batch(Ms, pats, pers, depth, terms[:start], use_jit=False,
                                       more=more, max_more=more_times))
    (Q1, c1), (Q3, c3) = out
    assert c1.tolist() == c3.tolist()
    assert np.asarray(Q1, dtype=object).tolist() == np.asarray(Q3, dtype=object).tolist()


@given(st.lists(st.integers(-(2**62) + 1, 2**62 - 1), min_size=1, max_size=50))
def test_float_quotient_residues(xs):
    x = np.array(xs, dtype=np.int64)
    x = x // (2**62 // (64 * P28 * P28) + 1)         # |x| <= 64 p^2, as in bm_batch
    r = _mod(x, P28)
    assert ((r - x) % P28 == 0).all() and (np.abs(r) < P28).all()
    assert ((r == 0) == (x % P28 == 0)).all()


def test_bm_batch_residues_are_canonical():
    rng = np.random.default_rng(3)
    S = rng.integers(-10**6, 10**6, (200, 40))
    fib = [1, 1]
    while len(fib) < 40:
        fib.append(fib[-1] + fib[-2])
    S[:50] = np.array(fib) % P28                               # complexity 2
    L, C = bm_batch(S, 20, use_jit=False)
    assert (C >= 0).all() and (C < P28).all()
    assert (L[:50] == 2).all() and (L[50:] >= 20).all()       # random rows: rejected
    for j in range(50):                                         # x^2 - x - 1, up to a scalar
        c = C[j, :3].tolist()
        assert (c[1] + c[0]) % P28 == 0 and (c[2] + c[0]) % P28 == 0


def test_fast_rates_equal_fast_rate():
    rng = random.Random(5)
    rows = [np.array([rng.choice([0, 1, 2, 3, -1, -2, 7, 100, 10**6, 2**40])
                      for _ in range(230)], dtype=np.int64) for _ in range(120)]
    rows += [[2] + [1, 2, 1, 1, 4] * 60, [1] * 201, [3, 10**15] * 101, [1] * 50]
    signs = [tuple(rng.choice([1, -1]) for _ in range(rng.randint(1, 5))) for _ in rows]
    for n in (1, 2, 7, 16, 100):
        assert cj._fast_rates(rows, signs, n) == [cj.fast_rate(r, s, n) for r, s in zip(rows, signs)]


@pytest.mark.parametrize("constant", [E, exp(2), tan(1)])
def test_primed_rates_equal_lazy_rates(constant):
    """The bulk rates the CLI's --json computes are the numbers rate() and simple_rate() give
    one by one (on a search without the bulk passes)."""
    res = esma_search(constant, max_period=3)
    lazy = [(c.rate(), c.simple_rate()) for c in res]
    res2 = esma_search(constant, max_period=3)
    cj._MOBIUS_RATES.clear()
    cj._simple_rate_of.cache_clear()
    cj.prime_rates(res2.conjectures)
    cj.prime_simple_rates(res2.conjectures)
    primed = [(c.rate(), c.simple_rate()) for c in res2]
    assert [tuple(map(repr, x)) for x in lazy] == [tuple(map(repr, x)) for x in primed]
