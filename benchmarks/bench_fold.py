"""Benchmark: folding every conjecture of the default search (SCF -> PCF), new engine vs legacy.

Measured side by side in one run:

* the default search ``esma_search(constant)`` (CPU ``time.process_time`` and wall), giving the
  conjectures ``cs`` (1470 for e);
* the new fold (``esma_sympy.transforms.fold``, exact python-flint engine) on every conjecture,
  passing the ``Conjecture`` objects directly (the fast path), after clearing the engine's
  elimination cache so the batch starts cold; a "per fold, cold" variant that clears the cache
  before each fold, on the legacy sample; and, separately, building the SymPy objects
  (``f.pcf``, ``f.mobius``) of all folds;
* the legacy fold (``benchmarks/_legacy_fold``: the SymPy-based fold of commit e587b60, kept
  only as this baseline) on a deterministic sample (every k-th conjecture, ``--sample`` of
  them), with its default ``exact_value=True`` and with ``exact_value=False``.

Also printed: the degrees and coefficient heights of the folds (legacy vs new), and an exact
check of the new folds' index maps on the sample,
``f.map_value(f.pcf.convergent(N)) == c.scf.convergent(f.index(N))`` for ``N < 8``.

Run:  .venv/bin/python benchmarks/bench_fold.py [--sample N] [--constant E]

Timings never appear in tests; this script is the only place they live.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sympy  # noqa: E402
from sympy import Poly, Rational  # noqa: E402

import _legacy_fold as legacy  # noqa: E402
import esma_sympy.transforms._eliminate as _elim  # noqa: E402
from esma_sympy.search import esma_search  # noqa: E402
from esma_sympy.transforms import fold  # noqa: E402

_CHECK = 8


def _ms(seconds: float) -> str:
    return f"{1e3 * seconds:9.3f} ms"


def _legacy_stats(pcf) -> tuple:
    """``(deg a, deg b, height)`` of a SymPy PCF."""
    n = pcf.index
    da, db = pcf.degrees()
    h = 0
    for e in (pcf.a, pcf.b):
        for c in Poly(e, n).all_coeffs():
            c = Rational(c)
            h = max(h, abs(int(c.p)), int(c.q))
    return da, db, h


def _new_stats(f) -> tuple:
    da, db = f.degrees()
    return int(da), int(db), int(f.height())


def _summ(stats: list) -> str:
    deg = max(max(a, b) for a, b, _h in stats)
    h = max(s[2] for s in stats)
    mean = statistics.fmean(a + b for a, b, _h in stats)
    return f"max degree {deg:2d}   max height {h:>12d}   mean deg a + deg b {mean:6.3f}"


def _compare(old: list, new: list) -> str:
    down = sum(1 for o, w in zip(old, new) if w[0] + w[1] < o[0] + o[1])
    up = sum(1 for o, w in zip(old, new) if w[0] + w[1] > o[0] + o[1])
    return f"deg a + deg b: down {down}, up {up}, same {len(old) - down - up}"


def _check(c, f) -> int:
    """Number of failures of the index map of the fold ``f`` of the conjecture ``c``."""
    scf, p = c.scf, f.pcf
    bad = 0
    for N in range(_CHECK):
        try:
            ok = f.map_value(p.convergent(N)) == scf.convergent(f.index(N))
        except Exception:  # noqa: BLE001 - a crash counts as a failure
            ok = False
        bad += not ok
    return bad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=60,
                    help="conjectures folded by the legacy fold (every k-th; default 60)")
    ap.add_argument("--constant", default="E", help="the search constant (SymPy name; default E)")
    args = ap.parse_args(argv)
    constant = sympy.sympify(args.constant)

    print(f"bench_fold: constant {constant}, legacy sample {args.sample}; python "
          f"{sys.version.split()[0]}, sympy {sympy.__version__}")
    print()

    # -- the search --------------------------------------------------------------------------
    t, w = time.process_time(), time.perf_counter()
    res = esma_search(constant)
    cs = list(res)
    search_cpu, search_wall = time.process_time() - t, time.perf_counter() - w
    t, w = time.process_time(), time.perf_counter()
    cs_warm = list(esma_search(constant))
    warm_cpu, warm_wall = time.process_time() - t, time.perf_counter() - w
    assert len(cs_warm) == len(cs)
    del cs_warm
    M = len(cs)
    print(f"search esma_search({constant}): {M} conjectures")
    print(f"  first call in the process  CPU {search_cpu:7.3f} s   wall {search_wall:7.3f} s")
    print(f"  second call (warm)         CPU {warm_cpu:7.3f} s   wall {warm_wall:7.3f} s")
    if not cs:
        print("no conjectures: nothing to fold")
        return 1

    k = max(1, M // max(1, args.sample))
    idx = list(range(0, M, k))[:args.sample]
    sample = [cs[i] for i in idx]
    S = len(sample)

    # -- the new fold: every conjecture, one cold batch --------------------------------------
    _elim._RAW_CACHE.clear()
    t = time.process_time()
    folds = [fold(c) for c in cs]
    new_total = time.process_time() - t
    new_per = new_total / M

    # -- the new fold: per fold, cold (cache cleared before each fold), on the sample --------
    cold = []
    for c in sample:
        _elim._RAW_CACHE.clear()
        t = time.process_time()
        fold(c)
        cold.append(time.process_time() - t)
    new_cold = statistics.fmean(cold)

    # -- SymPy objects of the new folds -------------------------------------------------------
    t = time.process_time()
    for f in folds:
        f.pcf
        f.mobius
    new_sympy = time.process_time() - t

    print()
    print(f"new fold (exact engine, default exact_value=False), all {M} conjectures:")
    print(f"  batch, cold cache          total {new_total:8.3f} s   per fold {_ms(new_per)}")
    print(f"  per fold, cold (sample {S}) mean {_ms(new_cold)}   median {_ms(statistics.median(cold))}"
          f"   max {_ms(max(cold))}")
    print(f"  SymPy objects (.pcf, .mobius) of all folds   total {new_sympy:8.3f} s   "
          f"per fold {_ms(new_sympy / M)}")

    # -- the legacy fold on the sample --------------------------------------------------------
    print()
    print(f"legacy fold (commit e587b60, SymPy), sample of {S} (every {k}-th conjecture):")
    legacy_res = {}
    legacy_t = {}
    for ev in (True, False):
        ts, fs = [], []
        for c in sample:
            scf = c.scf
            scf.quotients  # build the SCF outside the timing
            t = time.process_time()
            g = legacy.fold(scf, exact_value=ev)
            ts.append(time.process_time() - t)
            fs.append(g)
        legacy_res[ev], legacy_t[ev] = fs, ts
        tag = "exact_value=True (its default)" if ev else "exact_value=False            "
        print(f"  {tag}  total {sum(ts):7.3f} s   per fold mean {_ms(statistics.fmean(ts))}"
              f"   median {_ms(statistics.median(ts))}   max {_ms(max(ts))}")
    leg_per = statistics.fmean(legacy_t[True])
    leg_per_f = statistics.fmean(legacy_t[False])

    # -- ratios ----------------------------------------------------------------------------------
    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    print()
    print("ratios:")
    r_cpu, r_wall = new_total / search_cpu, new_total / search_wall
    print(f"  (all {M} new folds) / (search)   vs CPU {r_cpu:6.2f}x   vs wall {r_wall:6.2f}x"
          f"   (vs warm search: CPU {new_total / warm_cpu:.2f}x, wall {new_total / warm_wall:.2f}x)"
          f"   target < 5x: {verdict(max(r_cpu, r_wall) < 5)}")
    for name, lp in (("legacy default (exact_value=True)", leg_per),
                     ("legacy exact_value=False        ", leg_per_f)):
        rb, rc = lp / new_per, lp / new_cold
        print(f"  {name} / new per fold   batch {rb:8.1f}x   cold {rc:8.1f}x"
              f"   target >= 100x: {verdict(min(rb, rc) >= 100)}")

    # -- degrees and heights ----------------------------------------------------------------------
    new_all = [_new_stats(f) for f in folds]
    new_s = [new_all[i] for i in idx]
    leg_s = [_legacy_stats(g.pcf) for g in legacy_res[True]]
    leg_sf = [_legacy_stats(g.pcf) for g in legacy_res[False]]
    print()
    print("degrees (max of deg a, deg b) and coefficient heights (largest |numerator|, denominator):")
    print(f"  legacy exact_value=True,  sample {S:4d}: {_summ(leg_s)}")
    print(f"  legacy exact_value=False, sample {S:4d}: {_summ(leg_sf)}")
    print(f"  new (default),            sample {S:4d}: {_summ(new_s)}")
    print(f"  new (default),            all   {M:5d}: {_summ(new_all)}")
    print(f"  new vs legacy exact_value=True  (sample): {_compare(leg_s, new_s)}")
    print(f"  new vs legacy exact_value=False (sample): {_compare(leg_sf, new_s)}")
    same = sum(1 for i, g in zip(idx, legacy_res[False]) if folds[i].pcf == g.pcf)
    print(f"  new PCF identical to legacy exact_value=False: {same} of {S}")

    # -- correctness -------------------------------------------------------------------------------
    bad_new = sum(_check(c, folds[i]) for i, c in zip(idx, sample))
    bad_legacy = sum(_check(c, g) for c, g in zip(sample, legacy_res[True]))
    print()
    print(f"index map check on the sample ({S} conjectures x N in range({_CHECK})): "
          f"map_value(pcf.convergent(N)) == scf.convergent(index(N))")
    print(f"  new fold failures: {bad_new}  ({verdict(bad_new == 0)})   "
          f"legacy fold failures: {bad_legacy}")
    return 0 if bad_new == 0 else 1


if __name__ == "__main__":
    w0 = time.perf_counter()
    rc = main()
    print(f"\n(bench wall time {time.perf_counter() - w0:.1f} s)")
    sys.exit(rc)
