"""Theory meets data (issue 18, item 4): for every constant of the atlas catalogue, the hits of
the search against :func:`~esma_sympy.theory.predict_reachable` (theory T6.8).

For each entry: the search with the entry's parameters (``esma_search``), the set of its
(LHS, sign pattern) pairs, and the prediction's set; one JSON object per constant is appended
to ``--out`` (an interrupted run resumes).  A constant without a base relation (the negative
controls, the quadratic irrationals, whose expansions are periodic, T6.12) gets no prediction;
the summary says how many of those the search found nothing for.

Usage::

    .venv/bin/python benchmarks/atlas_predictions.py [CATALOGUE] [--out FILE] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def run_one(entry: dict) -> dict:
    from esma_sympy import esma_search
    from esma_sympy.errors import UnsupportedConstant
    from esma_sympy.search.plan import prepare_constant
    from esma_sympy.theory import predict_reachable

    c = prepare_constant(entry["expr"])
    params = {k: entry[k] for k in ("lhs_degree", "coeff_limit", "max_period")}
    t0 = time.process_time()
    r = esma_search(c, **params)
    found = {(x.lhs, x.signs) for x in r.conjectures}
    out = {"expr": entry["expr"], "kind": entry["kind"], "found": len(found),
           "search_s": round(time.process_time() - t0, 3)}
    t1 = time.process_time()
    try:
        pred = {(p.lhs, p.signs) for p in predict_reachable(c, **params) if p.found}
        out.update(predicted=len(pred), predicted_not_found=len(pred - found),
                   found_not_predicted=len(found - pred))
    except (UnsupportedConstant, ValueError) as exc:
        out["no_prediction"] = str(exc)
    out["predict_s"] = round(time.process_time() - t1, 3)
    return out


def main(argv=None) -> int:
    from esma_sympy.atlas import DEFAULT_PATH, load_catalogue

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("catalogue", nargs="?", default=DEFAULT_PATH)
    ap.add_argument("--out", default="atlas_predictions.jsonl")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)
    entries = [dict(expr=e.expr, kind=e.kind, **e.search_params())
               for e in load_catalogue(args.catalogue)]
    done = {}
    if os.path.exists(args.out):
        with open(args.out, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                done[rec["expr"]] = rec
    rest = [e for e in entries if e["expr"] not in done]
    with open(args.out, "a", encoding="utf-8") as f, \
            ProcessPoolExecutor(max(1, args.workers)) as ex:
        for rec in ex.map(run_one, rest):
            f.write(json.dumps(rec) + "\n")
            f.flush()
            done[rec["expr"]] = rec
            print(f"{rec['expr']:40s} found {rec['found']:5d} predicted "
                  f"{rec.get('predicted', '-')}", file=sys.stderr, flush=True)
    rows = [done[e["expr"]] for e in entries]
    pred = [r for r in rows if "predicted" in r]
    agree = [r for r in pred if not r["predicted_not_found"] and not r["found_not_predicted"]]
    nop = [r for r in rows if "no_prediction" in r]
    print(f"{len(rows)} constants: {len(pred)} with a prediction, {len(agree)} of them agree "
          f"exactly with the search ({sum(r['found'] for r in pred)} hits, "
          f"{sum(r['found'] > 0 for r in pred)} constants with hits)")
    for r in pred:
        if r not in agree:
            print(f"  differs: {r['expr']}: predicted {r['predicted']}, found {r['found']} "
                  f"(predicted not found {r['predicted_not_found']}, found not predicted "
                  f"{r['found_not_predicted']})")
    by_kind: dict = {}
    for r in nop:
        by_kind.setdefault(r["kind"], []).append(r)
    for kind, rs in sorted(by_kind.items()):
        print(f"  no prediction ({kind}): {len(rs)} constants, {sum(r['found'] == 0 for r in rs)} "
              f"with no hits; hits: " + ", ".join(f"{r['expr']} {r['found']}" for r in rs
                                                  if r["found"]))
    print(f"CPU: search {sum(r['search_s'] for r in rows):.0f} s, prediction "
          f"{sum(r['predict_s'] for r in rows):.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
