"""Coverage of issue 14, item 4: the proof status of every conjecture of the default search for
e^{p/q}, tan, tanh, cot, coth of p/q (|p|, q <= 8) and Bessel ratios I_{nu+1}(z)/I_nu(z),
J_{nu+1}(z)/J_nu(z) at rational nu, z.

For each constant: ``esma_search(c)`` with default parameters, ``prove`` on every conjecture
and ``Proof.check()`` on every proof.  One JSON object per constant is appended to ``--out``
(so an interrupted run resumes where it stopped); the summary prints the proven share, the
constants with conjectures that are not all proven, and the reasons.

Usage::

    .venv/bin/python benchmarks/coverage_closed_forms.py [--out FILE] [--workers N] [--only REGEX] [--predict]

With ``--predict``, ``predict_reachable`` (theory T6.8) is compared with each search as well.

About 50 minutes of CPU on the development machine (most constants have no conjecture; those
with p in {1, 2} have 1500-4000 each).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

R_FUNCS = ("exp", "tan", "tanh", "cot", "coth")
NUS = ("0", "1/3", "1/2", "2/3", "1", "3/2", "2")
ZS = ("1/2", "1", "3/2", "2", "3")


def constants() -> list:
    out = []
    for f in R_FUNCS:
        for q in range(1, 9):
            for p in range(1, 9):
                if math.gcd(p, q) == 1:
                    for sg in ("", "-"):
                        out.append(f"{f}({sg}{p}/{q})" if q > 1 else f"{f}({sg}{p})")
    for F in ("besseli", "besselj"):
        for nu in NUS:
            for z in ZS:
                out.append(f"{F}({nu} + 1, {z})/{F}({nu}, {z})")
    return out


def run_one(text: str, predict: bool = False) -> dict:
    from sympy import sympify

    from esma_sympy import esma_search
    from esma_sympy.theory import predict_reachable, prove

    c = sympify(text)
    t0 = time.perf_counter()
    res = esma_search(c)
    t1 = time.perf_counter()
    search_s = t1 - t0
    extra = {}
    if predict:
        found = {(x.lhs, tuple(x.signs)) for x in res.conjectures}
        try:
            pred = {(p.lhs, p.signs) for p in predict_reachable(c) if p.found}
            extra = {"predicted": len(pred), "predicted_not_found": len(pred - found),
                     "found_not_predicted": len(found - pred)}
        except Exception as exc:  # noqa: BLE001 - recorded, not hidden
            extra = {"predict_error": f"{type(exc).__name__}: {exc}"}
        extra["predict_s"] = round(time.perf_counter() - t1, 3)
        t1 = time.perf_counter()
    status, reasons, failed = Counter(), Counter(), 0
    for x in res.conjectures:
        p = prove(x, dps=60)
        ok = p.check()
        failed += not ok
        st = str(p.status) if ok else f"{p.status} (check failed)"
        status[st] += 1
        if st != "proven":
            reasons[p.reason[:120]] += 1
    return {"constant": text, "conjectures": len(res), "status": dict(status), "check_failed": failed,
            "reasons": dict(reasons), "search_s": round(search_s, 3),
            "prove_s": round(time.perf_counter() - t1, 3), **extra}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="coverage_closed_forms.jsonl", help="JSON lines, appended")
    ap.add_argument("--workers", type=int, default=1, help="processes")
    ap.add_argument("--only", default=None, help="regular expression on the constant's text")
    ap.add_argument("--predict", action="store_true",
                    help="also compare predict_reachable with the search (theory T6.8)")
    args = ap.parse_args()
    todo = [c for c in constants() if args.only is None or re.search(args.only, c)]
    done = {}
    if os.path.exists(args.out):
        with open(args.out) as fh:
            for line in fh:
                r = json.loads(line)
                done[r["constant"]] = r
    rest = [c for c in todo if c not in done]
    with open(args.out, "a") as fh, ProcessPoolExecutor(args.workers) as ex:
        for r in ex.map(run_one, rest, [args.predict] * len(rest)):
            fh.write(json.dumps(r) + "\n")
            fh.flush()
            done[r["constant"]] = r
            print(f"{r['constant']}: {r['conjectures']} conjectures {r['status']} "
                  f"({r['search_s']} s search, {r['prove_s']} s proofs)", flush=True)
    rows = [done[c] for c in todo]
    N = sum(r["conjectures"] for r in rows)
    P = sum(r["status"].get("proven", 0) for r in rows)
    with_conj = [r for r in rows if r["conjectures"]]
    print(f"\n{len(rows)} constants, {len(with_conj)} with conjectures; {N} conjectures, {P} proven "
          f"({P / max(N, 1):.2%}); check() failed on {sum(r['check_failed'] for r in rows)}; "
          f"seconds: search {sum(r['search_s'] for r in rows):.0f}, prove + check "
          f"{sum(r['prove_s'] for r in rows):.0f}")
    for r in with_conj:
        if r["status"].get("proven", 0) != r["conjectures"]:
            print(f"  not all proven: {r['constant']} {r['status']} {r['reasons']}")
    if args.predict:
        pr = [r for r in rows if "predict_s" in r]
        off = [r for r in pr if r.get("predict_error") or r.get("predicted_not_found") or r.get("found_not_predicted")]
        print(f"predictions: {len(pr)} constants compared, {len(pr) - len(off)} agree exactly with the "
              f"search; CPU {sum(r['predict_s'] for r in pr):.0f} s")
        for r in off:
            print(f"  differs: {r['constant']} predicted {r.get('predicted')} found {r['conjectures']} "
                  f"(predicted not found {r.get('predicted_not_found')}, found not predicted "
                  f"{r.get('found_not_predicted')}) {r.get('predict_error', '')}")


if __name__ == "__main__":
    main()
