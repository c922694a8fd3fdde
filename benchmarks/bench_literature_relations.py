"""Benchmark: the coboundary relations among the π formulas of the literature set (theory T4.9).

For every pair ``i < j`` of ``esma_sympy.testing.literature.PI_FORMULAS`` it runs
``is_equivalent(p, q, same_value=False, max_degree=D)`` (default ``max_k``) and prints, per
``D``: the number of relations certified, the number of clusters they join the formulas into,
and the CPU time per pair (``time.process_time``; maximum, median, total).  That every
certificate maps the claimed closed forms onto each other exactly is checked by the slow test
``tests/transforms/test_literature.py::test_every_pi_pair_decided_without_a_wrong_claim``;
this script only counts and times.

Run:  .venv/bin/python benchmarks/bench_literature_relations.py [D ...]   (default: 3 2 4)
"""

from __future__ import annotations

import itertools
import statistics
import sys
import time

from esma_sympy.testing.literature import PI_FORMULAS
from esma_sympy.transforms import is_equivalent


def relations(max_degree: int) -> str:
    F = PI_FORMULAS
    parent = list(range(len(F)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    found, times = 0, []
    for i, j in itertools.combinations(range(len(F)), 2):
        t = time.process_time()
        r = is_equivalent(F[i].pcf(), F[j].pcf(), same_value=False, max_degree=max_degree)
        times.append(time.process_time() - t)
        if r:
            found += 1
            parent[root(i)] = root(j)
    clusters = len({root(i) for i in range(len(F))})
    return (f"max_degree={max_degree}: {len(F)} formulas, {len(times)} pairs, {found} relations, "
            f"{clusters} clusters, CPU per pair max {max(times):.2f} s, median "
            f"{statistics.median(times):.3f} s, total {sum(times):.1f} s")


def main() -> None:
    for d in [int(x) for x in sys.argv[1:]] or [3, 2, 4]:
        print(relations(d), flush=True)


if __name__ == "__main__":
    main()
