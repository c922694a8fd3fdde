"""Benchmark: ESMA search throughput on Dask with 1 and 2 workers, and a 64-worker projection.

Run:  .venv/bin/python benchmarks/bench_dask.py [--periods 1-8,9-11] [--repeat 3]
                                                [--skip-projection]

What is measured (all in this run, on this machine):

1. Searches of ``E``, LHS degree 1 with coefficients in [-2, 2] (112 LHS), depth 100, for each
   period range of ``--periods``: periods 1..8 (472 patterns, 52,864 pairs) and 9..11 (3,540
   patterns, 396,480 pairs), each split into 28 units (16 LHS x a quarter of the pattern
   codes).
   Each is run in process, then on a ``LocalCluster`` of 1 and of 2 worker processes (one
   thread each, 127.0.0.1).  Cluster start-up and the per-worker warm-up (import, plan
   rebuild, the constant's certified continued fraction) are timed separately; the search
   time is the best of ``--repeat`` runs; units/s, pairs/s, the CPU seconds of the workers and
   of the driver (which also hosts the scheduler), and the ratio 2 workers / 1 worker (target
   >= 1.7 on 2 cores) are printed.  Results are checked identical to the in-process run.
   ``E`` is prolific (40% of the pairs of periods 1..8 are hits, 15% at 9..11): every unit
   ships hundreds of conjectures of 300 certified quotients to the driver, so these domains
   measure transport as much as computing.
2. The cost per (LHS, pattern) pair and the hit rate of *period-16* patterns, measured in
   process on units spread evenly over the period-16 domain, for LHS degree 1 and degree 2
   (coefficients in [-2, 2]), and the transport/scheduling overheads (CPU seconds per unit and
   per conjecture, fitted on the domains of 1.); from them, the time of the full period 1..16
   searches on 1 and on 64 workers, under the assumptions printed with the table.

The load average is printed before and after each domain: on a shared machine other load
takes cores from the 2-worker run, and the ratio drops accordingly.

Timings never appear in tests; this script is the only place they live.
"""

from __future__ import annotations

import argparse
import os
import time

from sympy import E

from esma_sympy.distributed import (DaskExecutor, local_cluster, plan_from_spec, plan_spec,
                                    run_search_distributed)
from esma_sympy.search import merge_results, plan_search, run_unit


def conj_key(c):
    return (c.lhs, tuple(c.signs), c.prefix, c.polys, c.first_terms, c.digits)


def _warm(spec):
    """Import, rebuild the plan and expand the constant on a worker (not part of the search)."""
    plan = plan_from_spec(spec)
    unit = next(plan.units())
    small = type(unit)(-1, (0, 1), ((1, 0, 1),))
    run_unit(plan, small)
    return True


def run_on_cluster(plan, workers: int, repeat: int):
    """(start-up s, warm-up s, (search s, worker CPU s, driver CPU s) of the fastest of
    ``repeat`` searches, SearchResult) on a new LocalCluster of ``workers`` processes."""
    from distributed import Client

    t0 = time.perf_counter()
    cluster = local_cluster(workers)
    client = Client(cluster, set_as_default=False)
    client.wait_for_workers(workers)
    t_start = time.perf_counter() - t0
    try:
        t0 = time.perf_counter()
        client.run(_warm, plan_spec(plan))
        t_warm = time.perf_counter() - t0
        best = (float("inf"), 0.0, 0.0)
        for _ in range(repeat):
            w0, d0 = sum(client.run(time.process_time).values()), time.process_time()
            t0 = time.perf_counter()
            results = list(DaskExecutor(client=client).map_units(plan))
            t = time.perf_counter() - t0
            w1, d1 = sum(client.run(time.process_time).values()), time.process_time()
            best = min(best, (t, w1 - w0, d1 - d0))
        res = merge_results(plan, results, best[0])
    finally:
        client.close()
        cluster.close()
    return t_start, t_warm, best, res


def period16_cost(lhs_degree: int, lhs_chunk: int, pattern_chunk: int, samples: int):
    """(seconds per pair, pairs, units, conjectures per pair) of period-16 patterns: ``samples``
    units spread evenly over the period-16 domain, run in process after one warm-up unit."""
    plan = plan_search(E, lhs_degree=lhs_degree, coeff_limit=2, min_period=16, max_period=16,
                       lhs_chunk=lhs_chunk, pattern_chunk=pattern_chunk)
    n = plan.n_units()
    picks = {round(i * (n - 1) / max(samples - 1, 1)) for i in range(samples)}
    units = [u for u in plan.units() if u.index in picks]
    run_unit(plan, units[0])                     # warm-up: the constant's expansion
    pairs, seconds, hits = 0, 0.0, 0
    for u in units:
        t0 = time.perf_counter()
        r = run_unit(plan, u)
        seconds += time.perf_counter() - t0
        pairs += r.stats.pairs
        hits += len(r.conjectures)
    return seconds / pairs, pairs, len(units), hits / pairs


def fmt_time(s: float) -> str:
    if s < 120:
        return f"{s:.1f} s"
    if s < 7200:
        return f"{s / 60:.1f} min"
    if s < 2 * 86400:
        return f"{s / 3600:.1f} h"
    return f"{s / 86400:.1f} d"


def measure(min_period: int, max_period: int, repeat: int, constant=E) -> dict:
    """Run one domain in process and on 1 and 2 workers; print its table; return the figures."""
    codes = sum(2**p for p in range(min_period, max_period + 1))
    pattern_chunk = -(-codes // 4)             # 7 LHS chunks x 4 pattern chunks = 28 units
    plan = plan_search(constant, coeff_limit=2, min_period=min_period, max_period=max_period,
                       lhs_chunk=16, pattern_chunk=pattern_chunk)
    n_units, n_pairs = plan.n_units(), plan.n_pairs
    print(f"search: {constant}, LHS degree 1, coeff_limit 2, periods {min_period}..{max_period}, depth 100:"
          f" {len(plan.lhs_list)} LHS x {plan.n_patterns} patterns = {n_pairs} pairs, "
          f"{n_units} units of 16 LHS x {pattern_chunk} pattern codes")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores "
          "(the machine may be shared: other load lowers the 2-worker figure)")
    run_search_distributed(plan)                                  # warm-up
    t_in = (float("inf"), 0.0, 0.0)
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        ref = run_search_distributed(plan)
        t_in = min(t_in, (time.perf_counter() - t0, 0.0, time.process_time() - c0))
    rows = [("in process", 0.0, 0.0, t_in, ref)]
    for w in (1, 2):
        t_start, t_warm, t_search, res = run_on_cluster(plan, w, repeat)
        if [conj_key(c) for c in res] != [conj_key(c) for c in ref]:
            raise SystemExit(f"{w} workers found other conjectures than the in-process run")
        rows.append((f"{w} worker{'s' if w > 1 else ''}", t_start, t_warm, t_search, res))

    print(f"{'backend':<12} {'start-up':>9} {'warm-up':>8} {'search':>8} {'units/s':>8} "
          f"{'pairs/s':>9} {'worker CPU':>11} {'driver CPU':>11} {'conjectures':>11}")
    for name, t_start, t_warm, (t_search, cpu_w, cpu_d), res in rows:
        print(f"{name:<12} {t_start:>8.2f}s {t_warm:>7.2f}s {t_search:>7.2f}s "
              f"{n_units / t_search:>8.2f} {n_pairs / t_search:>9.0f} {cpu_w:>10.2f}s "
              f"{cpu_d:>10.2f}s {len(res):>11}")
    t_in, t1, t2 = rows[0][3][0], rows[1][3][0], rows[2][3][0]
    ratio = t1 / t2
    print(f"speed-up 2 workers / 1 worker: {ratio:.2f}x (target >= 1.7x; efficiency "
          f"{ratio / 2:.0%}); conjectures identical, in identical order: yes")
    print(f"cost per unit: {t_in / n_units:.3f} s computing, +{(t1 - t_in) / n_units:.3f} s on a "
          f"worker (transport, scheduling); {len(ref) / n_units:.0f} conjectures per unit")
    print(f"load average after: {os.getloadavg()[0]:.2f}\n")
    return dict(ratio=ratio, units=n_units, conjectures=len(ref),
                worker_extra=max(rows[1][3][1] - rows[0][3][2], 0.0), driver=rows[2][3][2])


def fit_costs(figures: list, key: str):
    """``(per unit, per conjecture)`` seconds with ``figures[i][key] = a units + b conjectures``
    (least squares over the measured domains; one domain: all per unit)."""
    import numpy as np

    A = np.array([[f["units"], f["conjectures"]] for f in figures], dtype=float)
    y = np.array([f[key] for f in figures])
    if len(figures) < 2 or np.linalg.matrix_rank(A) < 2:
        return float(y.sum() / A[:, 0].sum()), 0.0
    (a, b), *_ = np.linalg.lstsq(A, y, rcond=None)
    if a < 0 or b < 0:                        # noise: fall back to one non-negative term
        return (0.0, float(y.sum() / A[:, 1].sum())) if a < 0 else (float(y.sum() / A[:, 0].sum()), 0.0)
    return float(a), float(b)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--periods", default="1-8,9-11",
                    help="comma-separated period ranges to measure (default: 1-8,9-11)")
    ap.add_argument("--repeat", type=int, default=3, help="best of REPEAT searches per backend")
    ap.add_argument("--skip-projection", action="store_true")
    ap.add_argument("--constant", default="E",
                    help="the constant (whitelist-parsed; default E, which is prolific: most pairs "
                         "are hits; pi is the typical case with almost none)")
    args = ap.parse_args(argv)
    from esma_sympy.numeric.parse import parse_constant

    constant = parse_constant(args.constant)

    print("(search: best of the repeats; CPU: seconds used by all worker processes, and by the "
          "driver process, which also hosts the scheduler)\n")
    figures = []
    for rng in args.periods.split(","):
        lo, hi = (int(x) for x in rng.split("-"))
        figures.append(measure(lo, hi, args.repeat, constant))
    if args.skip_projection:
        return

    print("period-16 cost per pair, measured in process on units spread over the domain:")
    costs, hit_rate = {}, {}
    for deg, lc, pc, samples in ((1, 16, 128, 8), (2, 2, 8, 12)):
        cpp, pairs, k, rate = period16_cost(deg, lc, pc, samples)
        costs[deg], hit_rate[deg] = cpp, rate
        print(f"  LHS degree {deg}: {cpp * 1e6:,.0f} us per pair, {rate:.2%} of pairs are hits "
              f"({k} units, {pairs} pairs)")
    wa, wb = fit_costs(figures, "worker_extra")
    da, db = fit_costs(figures, "driver")
    print(f"""
overheads fitted on the domains above (CPU seconds = per unit x units + per conjecture x
conjectures): workers {wa * 1e3:.1f} ms per unit + {wb * 1e6:.1f} us per conjecture beyond the
in-process computing; driver (2 workers) {da * 1e3:.1f} ms per unit + {db * 1e6:.1f} us per
conjecture.

projection: full searches of E, coefficients in [-2, 2], periods 1..16, depth 100, on 64
workers.  Assumptions: every pair costs what a period-16 pair costs and is a hit as often
(measured above); 64 idle cores like these (the overheads above are CPU time, so other load on
this machine does not enter); one driver process receives every result.
  compute bound = ceil(units / 64) * (s/unit + worker overhead per unit)
  driver bound  = units * driver per unit + conjectures * driver per conjecture
  64 workers    = the larger of the two
""")
    print(f"{'LHS degree':>10} {'pairs':>13} {'hits':>10} {'unit size':>10} {'units':>7} "
          f"{'s/unit':>7} {'1 worker':>9} {'compute':>9} {'driver':>9} {'64 workers':>10}")
    for deg, lhs_chunk, pattern_chunk in ((1, 256, 64), (1, 256, 512), (2, 256, 64),
                                          (2, 256, 16)):
        full = plan_search(E, lhs_degree=deg, coeff_limit=2, max_period=16,
                           lhs_chunk=lhs_chunk, pattern_chunk=pattern_chunk)
        pairs, units = full.n_pairs, full.n_units()
        hits = pairs * hit_rate[deg]
        t_one = pairs * costs[deg]
        per_unit = t_one / units
        compute = -(-units // 64) * (per_unit + wa + wb * hits / units)
        driver = units * da + hits * db
        size = f"{min(lhs_chunk, len(full.lhs_list))}x{pattern_chunk}"
        print(f"{deg:>10} {pairs:>13,} {hits:>10,.0f} {size:>10} {units:>7,} {per_unit:>7.2f} "
              f"{fmt_time(t_one):>9} {fmt_time(compute):>9} {fmt_time(driver):>9} "
              f"{fmt_time(max(compute, driver)):>10}")

if __name__ == "__main__":
    main()
