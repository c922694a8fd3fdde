"""Benchmark: esma_sympy.recurrence against SymPy's find_linear_recurrence and galois.

Run:  .venv/bin/python benchmarks/bench_recurrence.py [--sympy-timeout SECONDS]

Every figure is measured in this run, side by side (best of several runs for the fast
methods; SymPy is run once per size and time-boxed in a subprocess, reported as "> X s" when
it does not finish).  Inputs:

* ``esma``: the partial quotients of e's simple continued fraction, the typical ESMA hit
  (minimal polynomial x (x^3 - 1)^2, order 7), at 60, 200 and 2000 terms;
* ``rec12``: a random integer recurrence of order 12 (coefficients in [-3, 3]), whose terms
  grow to hundreds of digits;
* ``random``: random integers in [1, 20] (complexity N/2): the worst case, modulo p only.

Timings never appear in tests; this script is the only place they live.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import sys
import time

from esma_sympy.recurrence import DEFAULT_MODULUS, LinearRecurrence, OnlineBM, berlekamp_massey


def e_quotients(N: int) -> list:
    out = [2]
    k = 0
    while len(out) < N:
        out += [1, 2 * k + 2, 1]
        k += 1
    return out[:N]


def rec12_terms(N: int) -> list:
    rnd = random.Random(12)
    coeffs = [rnd.randint(-3, 3) for _ in range(11)] + [1]
    initial = [rnd.randint(-9, 9) for _ in range(12)]
    return [int(t) for t in LinearRecurrence(coeffs, initial).terms(N)]


def random_terms(N: int) -> list:
    rnd = random.Random(N)
    return [rnd.randint(1, 20) for _ in range(N)]


def best_of(fn, repeat: int = 5, min_time: float = 0.2) -> float:
    """Best time per call over ``repeat`` batches of calls lasting ``min_time`` each."""
    best = float("inf")
    for _ in range(repeat):
        calls, t0 = 0, time.perf_counter()
        while True:
            fn()
            calls += 1
            t = time.perf_counter() - t0
            if t >= min_time:
                break
        best = min(best, t / calls)
    return best


def _sympy_worker(terms, queue):
    from sympy import Eq, Piecewise, sequence
    from sympy.abc import n

    expr = Piecewise(*[(t, Eq(n, i)) for i, t in enumerate(terms)], (0, True))
    seq = sequence(expr, (n, 0, len(terms) - 1))
    # pre-compute the terms so that only the recurrence search is timed
    from sympy import Integer

    cache = [Integer(t) for t in terms]
    seq.__class__ = type("_ListSeq", (seq.__class__,), {"_eval_coeff": lambda self, pt: cache[pt]})
    t0 = time.perf_counter()
    r = seq.find_linear_recurrence(len(terms))
    queue.put((time.perf_counter() - t0, len(r)))


def time_sympy(terms, timeout: float):
    """One run of SymPy's find_linear_recurrence in a subprocess; None if it timed out."""
    queue = mp.Queue()
    proc = mp.Process(target=_sympy_worker, args=(terms, queue))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None
    return queue.get()


def time_galois(terms):
    try:
        import galois
        import numpy as np
    except ImportError:
        return None
    GF = galois.GF(DEFAULT_MODULUS)
    x = GF(np.array([t % DEFAULT_MODULUS for t in terms], dtype=np.int64))
    galois.berlekamp_massey(x)  # JIT warm-up
    return best_of(lambda: galois.berlekamp_massey(x), repeat=3)


def fmt(t) -> str:
    if t is None:
        return "n/a"
    if t < 1e-3:
        return f"{t * 1e6:8.1f} us"
    if t < 1:
        return f"{t * 1e3:8.2f} ms"
    return f"{t:8.2f} s "


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sympy-timeout", type=float, default=120.0)
    args = ap.parse_args(argv)
    print(f"python {sys.version.split()[0]}")
    print()
    print("exact minimal recurrence over QQ: esma berlekamp_massey(seq) vs SymPy find_linear_recurrence")
    print(f"{'input':>8} {'N':>5} {'L':>4} {'esma QQ':>11} {'SymPy':>12} {'ratio':>10}")
    for name, gen in (("esma", e_quotients), ("rec12", rec12_terms)):
        for N in (60, 200, 2000):
            terms = gen(N)
            L = berlekamp_massey(terms).order
            ours = best_of(lambda: berlekamp_massey(terms))
            res = time_sympy(terms, args.sympy_timeout)
            if res is None:
                theirs, ratio = f"> {args.sympy_timeout:.0f} s", f"> {args.sympy_timeout / ours:,.0f}x"
            else:
                theirs, ratio = fmt(res[0]), f"{res[0] / ours:,.0f}x"
                assert res[1] >= L, "SymPy found a shorter recurrence?"
            print(f"{name:>8} {N:>5} {L:>4} {fmt(ours):>11} {theirs:>12} {ratio:>10}", flush=True)
    print()
    print("GF(p), p = 2^61 - 1: esma (FLINT minpoly), esma OnlineBM (pure Python), galois")
    print(f"{'input':>8} {'N':>5} {'L':>4} {'esma GF(p)':>11} {'OnlineBM':>11} {'galois':>11} {'galois/esma':>12}")
    for name, gen in (("esma", e_quotients), ("random", random_terms)):
        for N in (60, 200, 2000):
            terms = gen(N)
            L = berlekamp_massey(terms, modulus=DEFAULT_MODULUS).order
            ours = best_of(lambda: berlekamp_massey(terms, modulus=DEFAULT_MODULUS))
            online = best_of(lambda: OnlineBM().extend(terms), repeat=3)
            gal = time_galois(terms)
            ratio = f"{gal / ours:,.1f}x" if gal else "n/a"
            print(f"{name:>8} {N:>5} {L:>4} {fmt(ours):>11} {fmt(online):>11} {fmt(gal):>11} {ratio:>12}",
                  flush=True)
    print()
    print("ESMA early reject: OnlineBM().extend(seq, limit=12) on 100 random quotients in [1, 20]")
    rnd = random.Random(0)
    seqs = [[rnd.randint(1, 20) for _ in range(100)] for _ in range(2000)]
    bm = OnlineBM()

    def reject_all():
        for s in seqs:
            bm.reset()
            bm.extend(s, limit=12)

    t = best_of(reject_all, repeat=3) / len(seqs)
    hit = e_quotients(100)
    t_hit = best_of(lambda: OnlineBM().extend(hit, limit=12))
    t_bm = best_of(lambda: berlekamp_massey(seqs[0], modulus=DEFAULT_MODULUS))
    from flint import fmpz_mod_poly_ctx

    ctx = fmpz_mod_poly_ctx(DEFAULT_MODULUS)
    t_flint = best_of(lambda: ctx.minpoly(seqs[0]))
    print(f"  OnlineBM per random sequence (rejected after ~26 terms): {fmt(t)}")
    print(f"  OnlineBM per ESMA hit (all 100 terms, L = 7):            {fmt(t_hit)}")
    print(f"  raw FLINT minpoly on all 100 random terms:               {fmt(t_flint)}")
    print(f"  berlekamp_massey(seq, modulus=p) on them (FLINT + LinearRecurrence): {fmt(t_bm)}")


if __name__ == "__main__":
    main()
