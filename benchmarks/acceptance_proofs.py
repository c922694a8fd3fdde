"""Acceptance table of issue 7: the proof status of every conjecture of the default search.

For e, e^2, tan 1 and I1(2)/I0(2): run ``esma_search`` with default parameters, call
``esma_sympy.theory.prove`` on every conjecture, re-verify every proof with ``Proof.check()``
and print one row per conjecture (``--summary`` prints only the totals and the open ones).
Then the reachability predictions (``predict_reachable``) are compared with the search and the
algorithmic-advantage table (theory T6.9) is printed.

Usage::

    .venv/bin/python benchmarks/acceptance_proofs.py [--summary] [--no-predict]

Takes about 3 minutes on the development machine.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from sympy import E, besseli, exp, tan

from esma_sympy import esma_search
from esma_sympy.search import algorithmic_advantage
from esma_sympy.theory import predict_reachable, prove

CONSTANTS = [E, exp(2), tan(1), besseli(1, 2) / besseli(0, 2)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--summary", action="store_true", help="print totals and open conjectures only")
    ap.add_argument("--no-predict", action="store_true", help="skip the prediction comparison")
    args = ap.parse_args()
    totals = []
    for c in CONSTANTS:
        t0 = time.perf_counter()
        res = esma_search(c)
        t1 = time.perf_counter()
        status, checked = Counter(), 0
        rows = []
        for x in res.conjectures:
            p = prove(x)
            ok = p.check()
            checked += ok
            status[p.status] += 1
            sg = "".join("+" if s > 0 else "-" for s in x.signs)
            rows.append((x.lhs_text, sg, p.status if ok else f"{p.status} (CHECK FAILED)",
                         "" if p.closed_form is None else str(p.closed_form), p.reason))
        t2 = time.perf_counter()
        print(f"\n## {c}: {len(res)} conjectures (search {t1 - t0:.1f} s, proofs + checks {t2 - t1:.1f} s)\n")
        print("| LHS | signs | status | closed form (derived) | reason |")
        print("|---|---|---|---|---|")
        for r in rows:
            if not args.summary or r[2] != "proven":
                print("| " + " | ".join(r) + " |")
        proven = status["proven"]
        totals.append((str(c), len(res), proven, checked, dict(status)))
    print("\n## Summary\n")
    print("| constant | conjectures | proven (checked) | fraction proven | statuses |")
    print("|---|---|---|---|---|")
    for name, n, proven, checked, st in totals:
        print(f"| {name} | {n} | {proven} ({checked} checks pass) | {proven / n:.1%} | {st} |")
    N = sum(t[1] for t in totals)
    P = sum(t[2] for t in totals)
    print(f"| all | {N} | {P} | {P / N:.1%} | |")
    if not args.no_predict:
        print("\n## Predictions (predict_reachable) against the default search\n")
        print("| constant | predicted | found | predicted but not found | found but not predicted |")
        print("|---|---|---|---|---|")
        for c in CONSTANTS:
            pred = {(p.lhs, p.signs) for p in predict_reachable(c) if p.found}
            found = {(x.lhs, tuple(x.signs)) for x in esma_search(c).conjectures}
            print(f"| {c} | {len(pred)} | {len(found)} | {len(pred - found)} | {len(found - pred)} |")
    print("\n## Algorithmic advantage (theory T6.9)\n")
    print("| constant | target formulas found | ESMA candidates | cheapest fold | Möbius | bound C "
          "| exhaustive (2C+1)^#coeffs | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for r in algorithmic_advantage():
        ex = r["exhaustive"]
        print(f"| {r['constant']} | {r['patterns_found']} | {r['esma_candidates']} | {r['pcf']} | "
              f"{r['mobius']} | {r['bound']} | {ex:.3g} | {r['ratio']:.3g} |")


if __name__ == "__main__":
    main()
