"""Benchmark: the atlas (issue 18, item 5), measured in one run.

1. **Per constant and per conjecture**, on the first ``--first`` constants of the default
   catalogue (default 20), in this process: CPU seconds of the search (``run_search`` into a
   fresh store), of settling (``settle_run``: proofs and tail transfers), of folding the
   simplest member of each family into a PCF and of grouping into families (the page model,
   ``build_page`` with ``prove=False``).
2. **1 against 2 Dask workers** on the same constants: wall-clock seconds of ``run_atlas``
   with ``DaskExecutor(workers=1)`` and ``workers=2`` (cluster start-up excluded), and the
   speed-up (target: at least 1.7x).
3. **Projections** from the measured per-conjecture and per-constant costs: the whole default
   catalogue at LHS degree 1, periods 1-4 on one core (target: under 30 minutes of CPU); and at
   LHS degree 2, periods up to 8 on 64 workers, scaling the search by the measured growth of
   the number of (LHS, pattern) pairs (``SearchPlan.n_pairs``) and the proofs by the number of
   conjectures found per pair on the sample.

Nothing is asserted: the machine is shared, so read the ratios.

Run: ``python benchmarks/bench_atlas.py [--first 20] [--skip-dask]`` (several minutes).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def measure(entries, tmp) -> list:
    from esma_sympy.atlas import settle_run
    from esma_sympy.report.model import build_page
    from esma_sympy.report.pages import _slug
    from esma_sympy.search import plan_search
    from esma_sympy.store import Store, run_search

    rows = []
    with Store(os.path.join(tmp, "serial.sqlite")) as store:
        for e in entries:
            plan = plan_search(e.expr, **e.search_params())
            t = time.process_time()
            rid = run_search(plan, store)
            search = time.process_time() - t
            n = len(store.rows(run_id=rid))
            t = time.process_time()
            settle_run(store, rid)
            prove = time.process_time() - t
            tm = {}
            t = time.process_time()
            if n:
                const = store.rows(run_id=rid)[0]["constant"]
                build_page(store, const, _slug(const), prove=False, timings=tm)
            page = time.process_time() - t
            rows.append({"expr": e.expr, "pairs": plan.n_pairs, "conjectures": n,
                         "search": search, "prove": prove, "fold": tm.get("fold", 0.0),
                         "group": page - tm.get("fold", 0.0)})
            print(f"  {e.expr:34s} {n:6d} conj  search {search:6.2f}  prove {prove:6.2f}  "
                  f"fold {rows[-1]['fold']:5.2f}  group {rows[-1]['group']:5.2f}", flush=True)
    return rows


def dask_wall(entries, tmp, workers: int) -> float:
    from esma_sympy.atlas import run_atlas
    from esma_sympy.distributed import DaskExecutor
    from esma_sympy.store import Store

    ex = DaskExecutor(workers=workers)
    try:
        with Store(os.path.join(tmp, f"dask{workers}.sqlite")) as store:
            t = time.perf_counter()
            run_atlas(entries, store, executor=ex)
            return time.perf_counter() - t
    finally:
        ex.close()


def main(argv=None) -> int:
    from esma_sympy.atlas import default_catalogue
    from esma_sympy.search import plan_search

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--first", type=int, default=20)
    ap.add_argument("--spread", action="store_true",
                    help="every k-th constant of the catalogue instead of the first ones")
    ap.add_argument("--skip-dask", action="store_true")
    args = ap.parse_args(argv)
    cat = default_catalogue()
    # the first constants, or a sample that spreads over the catalogue's kinds
    step = max(1, len(cat) // args.first) if args.spread else 1
    sample = cat[::step][: args.first]
    with tempfile.TemporaryDirectory() as tmp:
        which = f"every {step}th" if args.spread else "the first"
        print(f"1. per constant, {len(sample)} constants of the default catalogue ({which}), "
              "CPU seconds in this process:")
        rows = measure(sample, tmp)
        n_conj = sum(r["conjectures"] for r in rows)
        tot = {k: sum(r[k] for r in rows) for k in ("search", "prove", "fold", "group")}
        print(f"  total: {n_conj} conjectures; " + ", ".join(f"{k} {v:.1f} s" for k, v in tot.items()))
        per_const = sum(tot.values()) / len(rows)
        per_conj = (tot["prove"] + tot["fold"] + tot["group"]) / max(n_conj, 1)
        print(f"  per constant {per_const:.2f} s; per conjecture (prove + fold + group) "
              f"{1000 * per_conj:.2f} ms; search per constant {tot['search'] / len(rows):.2f} s")
        full = per_const * len(cat)
        print(f"3a. projection, the default catalogue ({len(cat)} constants, LHS degree 1, "
              f"periods 1-4) on one core: {full / 60:.1f} min of CPU (target: under 30 min)")
        # LHS degree 2, periods up to 8: the search grows with the pairs, the proofs with
        # the conjectures (taken proportional to the pairs, as measured per pair here)
        p1 = sum(r["pairs"] for r in rows)
        p2 = sum(plan_search(e.expr, lhs_degree=2, coeff_limit=e.coeff_limit,
                             max_period=8).n_pairs for e in sample)
        grow = p2 / p1
        cpu2 = (tot["search"] + tot["prove"] + tot["fold"] + tot["group"]) * grow * len(cat) / len(rows)
        print(f"3b. projection, LHS degree 2 and periods 1-8: {grow:.0f}x the pairs; "
              f"{cpu2 / 3600:.1f} h of CPU, {cpu2 / 64 / 60:.1f} min on 64 workers "
              "(if the work divides evenly)")
        if not args.skip_dask:
            w1 = dask_wall(sample, tmp, 1)
            w2 = dask_wall(sample, tmp, 2)
            print(f"2. run_atlas on Dask, wall seconds: 1 worker {w1:.1f}, 2 workers {w2:.1f}; "
                  f"speed-up {w1 / w2:.2f}x (target: at least 1.7x; {os.cpu_count()} cores here)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
