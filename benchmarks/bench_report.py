"""Benchmark: ``esma report`` on E's conjectures, against the report generation of an earlier
commit, measured side by side in one run.

Both sides start from a copy of one store written by ``esma search E`` (about 2900
conjectures, no PCF or proof cached: a *cold* report) and run in a fresh process, so imports
count; the figures are wall-clock and CPU seconds (user + system, ``RUSAGE_CHILDREN``) of
that process, the median of ``--repeats``.  The baseline is the package as it was at
``--baseline`` (default ``300e21f``, the last commit before the report was rebuilt on the page
model), extracted with ``git archive`` and put first on ``PYTHONPATH``.  A second, *warm* report
(PCFs and proofs cached in the store) is timed for the current code.

Target (issue 15): the HTML report of E at most 5 s cold.  Nothing is asserted: the machine is
shared, so read the ratios, not the absolute times.

Run: ``python benchmarks/bench_report.py [--format html] [--repeats 3]`` (about a minute).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = sys.executable

REPORT = """
import sys
from esma_sympy.store import Store
from esma_sympy.report import write_report
with Store(sys.argv[1]) as s:
    pages = write_report(s, sys.argv[2], format=sys.argv[3])
print(len(pages))
"""


def run(cmd: list, env=None, cwd=None) -> tuple:
    """(wall seconds, CPU seconds) of one fresh process running ``cmd`` (in ``cwd``: never the
    repository, whose ``esma_sympy`` would come before ``PYTHONPATH`` on ``sys.path``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd=cwd)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def extract(commit: str, into: str) -> str:
    """The package ``esma_sympy`` as it was at ``commit``, under ``into``."""
    os.makedirs(into, exist_ok=True)
    archive = os.path.join(into, "old.tar")
    with open(archive, "wb") as f:
        subprocess.run(["git", "-C", ROOT, "archive", commit, "esma_sympy"], check=True, stdout=f)
    with tarfile.open(archive) as t:
        t.extractall(into, filter="data") if hasattr(tarfile, "data_filter") else t.extractall(into)
    return into


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", default="300e21f", help="the commit to compare against")
    ap.add_argument("--format", default="html", choices=["html", "myst", "latex"])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--constant", default="E")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base.sqlite")
        esma = shutil.which("esma", path=os.path.dirname(PY)) or "esma"
        subprocess.run([esma, "search", args.constant, "--db", base, "--quiet"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        old = extract(args.baseline, os.path.join(tmp, "old"))
        envs = {"current": dict(os.environ),
                f"baseline {args.baseline}": dict(os.environ, PYTHONPATH=old)}
        for name, env in envs.items():          # each side imports its own package
            where = subprocess.run([PY, "-c", "import esma_sympy; print(esma_sympy.__file__)"],
                                   env=env, cwd=tmp, capture_output=True, text=True).stdout
            print(f"{name}: {where.strip()}")
        res = {}
        for name, env in envs.items():
            walls, cpus = [], []
            for i in range(args.repeats):
                db = os.path.join(tmp, f"{i}-{len(res)}.sqlite")
                shutil.copyfile(base, db)
                out = os.path.join(tmp, f"out-{i}-{len(res)}")
                w, c = run([PY, "-c", REPORT, db, out, args.format], env, tmp)
                walls.append(w)
                cpus.append(c)
                if name == "current" and i == 0:
                    w2, c2 = run([PY, "-c", REPORT, db, out + "-warm", args.format], env, tmp)
                    res["current, warm (cached)"] = (w2, c2)
            res[name] = (statistics.median(walls), statistics.median(cpus))
        import sqlite3

        n = sqlite3.connect(base).execute("SELECT COUNT(*) FROM conjectures").fetchone()[0]
    print(f"esma report --format {args.format} of {args.constant} ({n} conjectures), "
          f"fresh process, median of {args.repeats}")
    print(f"{'':32} {'wall s':>8} {'CPU s':>8}")
    for name, (w, c) in res.items():
        print(f"{name:32} {w:8.2f} {c:8.2f}")
    cur, bl = res["current"], res[f"baseline {args.baseline}"]
    print(f"speed-up, cold: {bl[0] / cur[0]:.1f}x wall, {bl[1] / cur[1]:.1f}x CPU; "
          f"target: current cold <= 5 s wall ({'met' if cur[0] <= 5 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
