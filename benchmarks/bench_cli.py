"""Benchmark: the ``esma`` command as a user meets it, measured side by side in one run.

Every figure is the CPU time (user + system) of a *fresh process*, taken from
``resource.getrusage(RUSAGE_CHILDREN)`` around one ``subprocess.run``, median of ``REPEATS``:

- ``import esma_sympy`` against ``import sympy`` (target: at most 1.3x; the package imports
  its names on first use, so the row after it, ``from esma_sympy import PCF, SCF,
  esma_search``, is the one that loads SymPy and the objects);
- ``esma search E --no-db --quiet`` (the whole process: imports, the search, the table) against
  ``python -c "import sympy, flint"`` plus the *warm* search (``esma_search(E)`` timed in-process
  after a first call, on its fastest path: the compiled kernels; target: at most 1.5x);
- ``esma search E --no-db --quiet --json`` against the same command printing the table
  (target: within 20%), and, for the record, the same with ``ESMA_NO_JIT=1`` (the NumPy path).

Run: ``python benchmarks/bench_cli.py`` (about 30 s).  Nothing here is asserted: the machine is
shared, so read the ratios, not the absolute times.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

REPEATS = 5
PY = sys.executable
ESMA = shutil.which("esma", path=os.path.dirname(PY)) or "esma"


def cpu_of(cmd: list, env=None) -> float:
    """CPU seconds (user + sys) of one fresh process running ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env, cwd=tempfile.gettempdir())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_cpu(cmd: list, env=None) -> float:
    return statistics.median(cpu_of(cmd, env) for _ in range(REPEATS))


# the warm search on its fastest path (compiled kernels forced on, compiled by the first call),
# so that a small plan's NumPy path does not make the peer slower than it can be
WARM = """
import time
from sympy import E
from esma_sympy import esma_search
from esma_sympy.numeric import _jit
with _jit.preference(True if _jit.AVAILABLE else None):
    esma_search(E)
    t = time.process_time()
    esma_search(E)
print(time.process_time() - t)
"""


def warm_search() -> float:
    runs = []
    for _ in range(REPEATS):
        out = subprocess.run([PY, "-c", WARM], check=True, capture_output=True, text=True)
        runs.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(runs)


def main() -> None:
    no_jit = dict(os.environ, ESMA_NO_JIT="1")
    rows = []
    imp_sympy = median_cpu([PY, "-c", "import sympy"])
    imp_esma = median_cpu([PY, "-c", "import esma_sympy"])
    rows.append(("import esma_sympy / import sympy", imp_esma, imp_sympy, 1.3))
    # names are imported on first use: the import that loads the objects, for the record
    imp_names = median_cpu([PY, "-c", "from esma_sympy import PCF, SCF, esma_search"])
    rows.append(("  from esma_sympy import PCF, SCF, esma_search / import sympy", imp_names,
                 imp_sympy, 1.3))
    base = median_cpu([PY, "-c", "import sympy, flint"])
    warm = warm_search()
    table = median_cpu([ESMA, "search", "E", "--no-db", "--quiet"])
    rows.append(("esma search E --no-db / (import sympy, flint + warm search)", table,
                 base + warm, 1.5))
    table_nojit = median_cpu([ESMA, "search", "E", "--no-db", "--quiet"], env=no_jit)
    rows.append(("  same, ESMA_NO_JIT=1 (NumPy path)", table_nojit, base + warm, 1.5))
    js = median_cpu([ESMA, "search", "E", "--no-db", "--quiet", "--json"])
    rows.append(("esma search E --no-db --json / the table", js, table, 1.2))
    print(f"CPU seconds of fresh processes, median of {REPEATS}; python {sys.version.split()[0]}")
    print(f"  import sympy, flint: {base:.3f} s; warm esma_search(E): {warm:.3f} s")
    print()
    print(f"{'measurement':62s} {'ours':>7s} {'peer':>7s} {'ratio':>6s} {'target':>7s}  met")
    for name, ours, peer, target in rows:
        ratio = ours / peer
        print(f"{name:62s} {ours:7.3f} {peer:7.3f} {ratio:6.2f} {target:>6.1f}x  "
              f"{'yes' if ratio <= target else 'NO'}")


if __name__ == "__main__":
    main()
