"""Worker of ``acceptance_proofs.py --families``: search, prove and check, print JSON.

Run with the Python of the checkout to measure (the current tree or a ``--baseline``
checkout); it imports ``esma_sympy`` from that interpreter's environment and uses only APIs
that both the current and the baseline code have (``esma_search(c)`` with defaults,
``prove(x, dps=...)``, ``Proof.check()``, ``Proof.status``)::

    python benchmarks/_proof_worker.py [--max-conjectures N] [--dps D] CONSTANT...

For each constant (a SymPy expression string), the conjectures of the default search are
sampled deterministically (``N`` evenly spaced indices of the search's order; all when there
are at most ``N``), each one is proven and its proof re-checked.  The output is one JSON
object per line: ``constant``, ``conjectures`` (found), ``attempted``, ``proven`` (status
'proven' and ``check()`` passes), ``check_failed``, ``statuses``, ``search_s``,
``prove_s`` (seconds of ``prove`` + ``check`` over the attempted conjectures) and ``module``
(the ``esma_sympy`` imported).  Before the first constant, e is searched and three of its
conjectures proven, untimed (a warm-up).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter


def sample(seq, k):
    """``k`` evenly spaced elements of ``seq`` (all of it when ``k`` is falsy or large)."""
    n = len(seq)
    if not k or n <= k:
        return list(seq)
    return [seq[i * n // k] for i in range(k)]


def run(constant: str, max_conjectures: int, dps: int) -> dict:
    from sympy import sympify

    import esma_sympy
    from esma_sympy import esma_search
    from esma_sympy.theory import prove

    c = sympify(constant)
    t0 = time.perf_counter()
    res = esma_search(c)
    t1 = time.perf_counter()
    todo = sample(list(res.conjectures), max_conjectures)
    status, proven, failed = Counter(), 0, 0
    for x in todo:
        p = prove(x, dps=dps)
        ok = p.check()
        st = str(p.status)
        status[st] += 1
        if not ok:
            failed += 1
        elif st == "proven":
            proven += 1
    t2 = time.perf_counter()
    return {"constant": constant, "conjectures": len(res.conjectures), "attempted": len(todo),
            "proven": proven, "check_failed": failed, "statuses": dict(status),
            "search_s": t1 - t0, "prove_s": t2 - t1, "module": esma_sympy.__file__}


def warm_up(dps: int) -> None:
    """Search and prove once for e (untimed, not reported): the lazy imports and first-call
    costs are not charged to the first constant."""
    from sympy import E

    from esma_sympy import esma_search
    from esma_sympy.theory import prove

    res = esma_search(E)
    for x in sample(list(res.conjectures), 3):
        prove(x, dps=dps).check()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-conjectures", type=int, default=0, help="sample at most N per constant (0: all)")
    ap.add_argument("--dps", type=int, default=60, help="prove(x, dps=...)")
    ap.add_argument("constants", nargs="+")
    args = ap.parse_args(argv)
    warm_up(args.dps)
    for c in args.constants:
        print(json.dumps(run(c, args.max_conjectures, args.dps)), flush=True)


if __name__ == "__main__":
    sys.exit(main())
