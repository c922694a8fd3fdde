"""Benchmark: esma_sympy's equivalence prover against ramanujantools' CoboundarySolver on π PCFs.

Run:  .venv/bin/python benchmarks/bench_equivalence.py [--pairs N] [--timeout S] [--max-degree D]

For every pair ``i < j`` of the π formulas (``esma_sympy.testing.literature.PI_FORMULAS`` when
that module exists, else a built-in list of 10 numerically checked π PCFs), or a random sample
of ``--pairs`` of them, both tools look for a polynomial coboundary with the same degree bound
``deg U <= D`` on every entry of ``U``:

* esma_sympy: ``is_equivalent(p, q, same_value=False, max_degree=D)``, i.e. search
  ``M_p(n) U(n+1) = λ(n) U(n) M_q(n)`` with ``M(n) = [[a(n), 1], [b(n), 0]]`` and a rational
  ``λ`` (found when the answer is truthy);
* ramanujantools: ``CoboundarySolver.find_coboundary(P.M(), Q.M(), D, n)`` on
  ``ramanujantools.pcf.PCF``, whose step matrix is ``[[0, b(n)], [1, a(n)]] = J M(n) J``
  (``J = [[0, 1], [1, 0]]``); it solves ``m1(n) m(n+1) = m(n) m2(n)`` (λ = 1 only) and returns
  the whole solution space (a matrix linear in free symbols).  Found means a solution with
  ``det m ≢ 0``; ``U = J m J`` is then a coboundary in esma_sympy's convention with λ = 1.

Each tool runs in its own persistent worker process (imports and a warm-up call are not timed);
a call that takes more than ``--timeout`` seconds is killed and counted as a timeout (the
worker is restarted).  Times are the wall time of the call inside the worker.  Every certificate
found is cross-checked outside the timing: the identity exactly, and its Möbius map ``K`` against
the numerical limits (``x_p = K(x_q)``).

Timings never appear in tests; this script is the only place they live.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import multiprocessing as mp
import random
import statistics
import sys
import time
from dataclasses import dataclass

# ----------------------------------------------------------------------------------------------
# The π formulas
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PiFormula:
    """A built-in record with the interface of ``esma_sympy.testing.literature`` records."""

    name: str
    a: str
    b: str
    value: str

    def pcf(self):
        from sympy import Symbol, sympify

        from esma_sympy import PCF

        n = Symbol("n")
        return PCF(sympify(self.a, locals={"n": n}), sympify(self.b, locals={"n": n}), n)

    def limit(self):
        from sympy import sympify

        return sympify(self.value)


# Each value was checked numerically (forward recurrence with mpmath at 30 digits, 80000 terms,
# the mean of two consecutive convergents for the slowly converging constant-a fractions):
# agreement to 1e-20 or better, except 2 + 9/(2 + 25/...) and 1 + 2/(1 + 6/...) (5e-11, 6e-10),
# which converge like 1/N.
BUILTIN_PI_FORMULAS = (
    _PiFormula("Euler/Gauss 4/pi", "2*n + 1", "n**2", "4/pi"),
    _PiFormula("tail of 4/pi", "2*n + 3", "(n + 1)**2", "pi/(4 - pi)"),
    _PiFormula("4/pi inflated by 2", "4*n + 2", "4*n**2", "8/pi"),
    _PiFormula("4/pi inflated by n+1", "(n + 1)*(2*n + 1)", "n**3*(n + 1)", "4/pi"),
    _PiFormula("Ramanujan Machine 2/pi", "3*n + 1", "-n*(2*n - 1)", "2/pi"),
    _PiFormula("Ramanujan Machine 2/(4-pi)", "3*n + 3", "-n*(2*n + 1)", "2/(4 - pi)"),
    _PiFormula("Nilakantha-type pi+3", "6", "(2*n - 1)**2", "pi + 3"),
    _PiFormula("Brouncker 1+4/pi", "2", "(2*n - 1)**2", "1 + 4/pi"),
    _PiFormula("Euler 2/(pi-2)", "1", "n*(n + 1)", "2/(pi - 2)"),
    _PiFormula("constant-a 2/(4-pi)", "2", "n**2", "2/(4 - pi)"),
)


def load_formulas():
    """``(source, records)``: the literature π set when importable, else the built-in list."""
    if importlib.util.find_spec("esma_sympy.testing.literature") is not None:
        try:
            from esma_sympy.testing.literature import PI_FORMULAS

            return "esma_sympy.testing.literature.PI_FORMULAS", tuple(PI_FORMULAS)
        except Exception as exc:  # noqa: BLE001 - a half-written module must not stop the bench
            print(f"warning: esma_sympy.testing.literature failed to import ({exc!r}); "
                  "using the built-in π list", file=sys.stderr)
    return "built-in list (esma_sympy.testing.literature not found)", BUILTIN_PI_FORMULAS


def _record_name(rec, i: int) -> str:
    name = getattr(rec, "name", None)
    return str(name() if callable(name) else name) if name is not None else f"#{i}"


def prepare(records):
    """``[(name, a_str, b_str, limit_str | None)]`` in the index ``n``, plus skipped names.

    Fractions with parameters or with non-polynomial ``a, b`` are skipped (neither tool takes
    them).  Expressions travel to the workers as ``srepr`` strings.
    """
    from sympy import Poly, Symbol, srepr, sympify

    n = Symbol("n")
    out, skipped = [], []
    for i, rec in enumerate(records):
        name = _record_name(rec, i)
        try:
            p = rec.pcf() if callable(getattr(rec, "pcf", None)) else rec.pcf
            a, b = (sympify(e).xreplace({p.index: n}) for e in (p.a, p.b))
            if (a.free_symbols | b.free_symbols) - {n} or b == 0:
                raise ValueError("has parameters or b = 0")
            Poly(a, n), Poly(b, n)
            if not all(c.is_Rational for c in Poly(a, n).coeffs() + Poly(b, n).coeffs()):
                raise ValueError("non-rational coefficients")
        except Exception as exc:  # noqa: BLE001
            skipped.append(f"{name} ({exc})")
            continue
        try:
            lim = getattr(rec, "limit", None)
            lim = lim() if callable(lim) else lim
            lim = None if lim is None else srepr(sympify(lim))
        except Exception:  # noqa: BLE001 - the limit is only used for the Möbius cross-check
            lim = None
        out.append((name, srepr(a), srepr(b), lim))
    return out, skipped


# ----------------------------------------------------------------------------------------------
# Workers (one persistent process per tool)
# ----------------------------------------------------------------------------------------------


def _mobius_ok(K, lim_p, lim_q):
    """``True`` if ``x_p = K(x_q)`` numerically (30 digits), ``None`` if it cannot be decided."""
    from sympy import N, sympify

    if lim_p is None or lim_q is None:
        return None
    try:
        xp, xq = (N(sympify(s), 40) for s in (lim_p, lim_q))
        num, den = N(K[0, 0] * xq + K[0, 1], 40), N(K[1, 0] * xq + K[1, 1], 40)
        if den == 0:
            return None
        return bool(abs(num / den - xp) <= 1e-25 * max(1, abs(xp)))
    except Exception:  # noqa: BLE001
        return None


def _esma_setup(max_degree: int):
    from sympy import Symbol, sympify

    from esma_sympy import PCF
    from esma_sympy.transforms import is_equivalent

    n = Symbol("n")
    params = inspect.signature(is_equivalent).parameters
    accepts = "max_degree" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
    kwargs = {"max_degree": max_degree} if accepts else {}

    def run(task):
        (a1, b1, l1), (a2, b2, l2) = task
        p = PCF(sympify(a1), sympify(b1), n)
        q = PCF(sympify(a2), sympify(b2), n)
        t0 = time.perf_counter()
        res = is_equivalent(p, q, same_value=False, **kwargs)
        t = time.perf_counter() - t0
        out = {"time": t, "found": bool(res)}
        if res:
            out["verdict"] = "relation"
            try:
                out["check"] = bool(res.check())
            except Exception as exc:  # noqa: BLE001
                out["check"] = f"check() failed: {exc!r}"
            out["U"] = str(getattr(res, "U", "?")).replace("Matrix", "")
            out["lam"] = str(getattr(res, "lam", "?"))
            try:
                out["mobius_ok"] = _mobius_ok(res.mobius, l1, l2)
            except Exception:  # noqa: BLE001 - the certificate API may change
                out["mobius_ok"] = None
        else:
            out["verdict"] = str(getattr(res, "status", type(res).__name__))
        return out

    return run, {"max_degree passed": accepts}


def _rt_setup(max_degree: int):
    import sympy as sp
    from ramanujantools import Matrix as RTMatrix
    from ramanujantools.pcf import PCF as RTPCF
    from ramanujantools.solvers import CoboundarySolver
    from sympy.abc import n  # ramanujantools' PCF index is sympy.abc.n

    J = sp.Matrix([[0, 1], [1, 0]])

    def run(task):
        (a1, b1, l1), (a2, b2, l2) = task
        P, Q = RTPCF(sp.sympify(a1), sp.sympify(b1)), RTPCF(sp.sympify(a2), sp.sympify(b2))
        m1, m2 = P.M(), Q.M()  # [[0, b(n)], [1, a(n)]]
        t0 = time.perf_counter()
        res = CoboundarySolver.find_coboundary(m1, m2, max_degree, n)
        # the solution space always contains m = 0: a relation needs det m ≢ 0 (m is linear in
        # the free symbols, so det m is a polynomial in n and them)
        found = res is not None and bool(res[1]) and sp.expand(sp.Matrix(res[0]).det()) != 0
        t = time.perf_counter() - t0
        out = {"time": t, "found": found, "verdict": "relation" if found else "none"}
        if found:
            m, free = sp.Matrix(res[0]), res[1]
            out["dim"] = len(free)
            rnd = random.Random(1)
            for _ in range(20):  # a concrete member with det ≢ 0
                vals = {v: (1 if len(free) == 1 else rnd.randint(-5, 5)) for v in free}
                mm = m.subs(vals).applyfunc(sp.expand)
                if sp.expand(mm.det()) != 0:
                    break
            U = J * mm * J  # esma_sympy convention, λ = 1
            Mp = sp.Matrix([[sp.sympify(a1), 1], [sp.sympify(b1), 0]])
            Mq = sp.Matrix([[sp.sympify(a2), 1], [sp.sympify(b2), 0]])
            out["check"] = all(sp.cancel(e) == 0 for e in Mp * U.subs(n, n + 1) - U * Mq)
            out["U"] = str(U.tolist())
            out["lam"] = "1"
            # ramanujantools' walk is A M(1) M(2)... with A = [[1, a(0)], [0, 1]] and the value is
            # the ratio of the last column, so x_P = K(x_Q) with K = A_P m(1) A_Q^{-1}
            A1, A2 = RTMatrix(P.A()), RTMatrix(Q.A())
            K = sp.Matrix(A1) * mm.subs(n, 1) * sp.Matrix(A2).inv()
            out["mobius_ok"] = _mobius_ok(K, l1, l2)
        return out

    return run, {}


def _worker(tool: str, max_degree: int, conn) -> None:
    try:
        run, info = (_esma_setup if tool == "esma" else _rt_setup)(max_degree)
    except Exception as exc:  # noqa: BLE001
        conn.send({"setup_error": repr(exc)})
        return
    conn.send({"ready": True, **info})
    while True:
        task = conn.recv()
        if task is None:
            return
        try:
            out = run(task)
        except Exception as exc:  # noqa: BLE001 - an error on one pair is a result, not a crash
            out = {"time": None, "found": False, "verdict": "error",
                   "error": f"{type(exc).__name__}: {exc}"[:200]}
        conn.send(out)


class Worker:
    """A persistent subprocess running one tool; ``call`` kills and restarts it on timeout."""

    def __init__(self, tool: str, max_degree: int, timeout: float, warm_up=None):
        self.tool, self.max_degree, self.timeout, self.warm_up = tool, max_degree, timeout, warm_up
        self.ctx = mp.get_context("spawn")
        self.info = {}
        self._start()

    def _start(self):
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_worker, args=(self.tool, self.max_degree, child),
                                     daemon=True)
        self.proc.start()
        child.close()
        if not self.conn.poll(120):
            raise RuntimeError(f"{self.tool} worker did not start")
        msg = self.conn.recv()
        if "setup_error" in msg:
            raise RuntimeError(f"{self.tool} worker: {msg['setup_error']}")
        self.info = msg
        if self.warm_up is not None:  # sympy caches, lazy imports: not timed
            self.conn.send(self.warm_up)
            if not self.conn.poll(max(60.0, self.timeout)):
                raise RuntimeError(f"{self.tool} worker: the warm-up call did not finish")
            self.conn.recv()

    def call(self, task):
        self.conn.send(task)
        if self.conn.poll(self.timeout):
            return self.conn.recv()
        self.proc.kill()
        self.proc.join()
        self._start()
        return {"time": None, "found": False, "verdict": "timeout"}

    def close(self):
        try:
            self.conn.send(None)
            self.proc.join(5)
        finally:
            if self.proc.is_alive():
                self.proc.kill()
                self.proc.join()


# ----------------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------------


def fmt(t) -> str:
    if t is None:
        return "-"
    if t < 1:
        return f"{t * 1e3:.1f} ms"
    return f"{t:.2f} s"


def _stats(rows, key):
    ts = [r[key]["time"] for r in rows]
    return (statistics.median(ts), sum(ts)) if ts else (None, None)


def _summary(rows, wall: float) -> None:
    def count(tool, pred):
        return sum(1 for row in rows if pred(row[tool]))

    def finished(x):
        return x["verdict"] not in ("timeout", "error")

    print()
    print(f"{'':34} {'esma_sympy':>12} {'ramanujantools':>15}")
    for label, pred in (
        ("relation found", lambda x: x["found"]),
        ("  certificate checks exactly", lambda x: x["found"] and x.get("check") is True),
        ("  Möbius map matches the limits", lambda x: x["found"] and x.get("mobius_ok") is True),
        ("no relation", lambda x: not x["found"] and finished(x)),
        ("timeout", lambda x: x["verdict"] == "timeout"),
        ("error", lambda x: x["verdict"] == "error"),
    ):
        print(f"{label:34} {count('esma', pred):>12} {count('rt', pred):>15}")
    for tool, label in (("esma", "esma_sympy"), ("rt", "ramanujantools")):
        by = {}
        for row in rows:
            if row[tool]["time"] is not None:
                by.setdefault(row[tool]["verdict"], []).append(row[tool]["time"])
        ts = [t for v in by.values() for t in v]
        if not ts:
            continue
        print(f"{label} on its finished pairs: median {fmt(statistics.median(ts))}, "
              f"total {fmt(sum(ts))}")
        for v, t in sorted(by.items()):
            print(f"  {v:>10}: {len(t):>3} pairs, median {fmt(statistics.median(t))}, "
                  f"total {fmt(sum(t))}")
    if any(row["esma"]["verdict"] == "disproven" for row in rows):
        print("  (esma 'disproven' with same_value=False: certified values differ, which does not "
              "exclude a Möbius relation)")

    handled = [row for row in rows if row["esma"]["time"] is not None
               and row["rt"]["time"] is not None]
    both = [row for row in handled if row["esma"]["found"] and row["rt"]["found"]]
    print()
    print(f"pairs tried: {len(rows)} (wall {fmt(wall)})")
    print(f"pairs where both found a relation: {len(both)}")
    for label, sub in (("both handled (finished, no error)", handled),
                       ("both found a relation", both)):
        if not sub:
            print(f"{label}: none")
            continue
        (me, se), (mr, sr) = _stats(sub, "esma"), _stats(sub, "rt")
        ratios = [row["rt"]["time"] / row["esma"]["time"] for row in sub if row["esma"]["time"] > 0]
        print(f"{label}: {len(sub)} pairs")
        print(f"  median time per pair: esma {fmt(me)}, rt {fmt(mr)}")
        print(f"  total time:           esma {fmt(se)}, rt {fmt(sr)}")
        if se > 0 and ratios:
            print(f"  speed ratio rt/esma:  {sr / se:.2f}x on the totals, "
                  f"{statistics.median(ratios):.2f}x median per pair")
    only_e = [row for row in rows if row["esma"]["found"] and not row["rt"]["found"]]
    only_r = [row for row in rows if row["rt"]["found"] and not row["esma"]["found"]]
    print(f"found by esma_sympy only: {len(only_e)}")
    for row in only_e:
        print(f"  ({row['i']}, {row['j']})  rt: {row['rt']['verdict']}, "
              f"esma λ = {row['esma']['lam']}")
    print(f"found by ramanujantools only: {len(only_r)}")
    for row in only_r:
        print(f"  ({row['i']}, {row['j']})  esma: {row['esma']['verdict']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=None,
                    help="a random sample of N pairs (default: all pairs)")
    ap.add_argument("--timeout", type=float, default=10.0,
                    help="per-pair time limit in seconds (default 10)")
    ap.add_argument("--esma-timeout", type=float, default=None,
                    help="per-pair time limit for esma_sympy (default: --timeout)")
    ap.add_argument("--max-degree", type=int, default=3,
                    help="bound on the degree of every entry of U, for both tools (default 3, as is_equivalent)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the --pairs sample")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the certificates found")
    args = ap.parse_args(argv)

    if importlib.util.find_spec("ramanujantools") is None:
        print("ramanujantools is not installed: nothing to compare against "
              "(pip install ramanujantools).  Skipping the equivalence benchmark.")
        return 0
    try:
        from ramanujantools.solvers import CoboundarySolver  # noqa: F401
    except Exception as exc:  # noqa: BLE001
        print(f"ramanujantools is installed but CoboundarySolver cannot be imported ({exc!r}). "
              "Skipping the equivalence benchmark.")
        return 0
    from importlib.metadata import PackageNotFoundError, version

    from sympy import sympify

    try:
        rt_version = version("ramanujantools")
    except PackageNotFoundError:
        rt_version = "?"

    source, records = load_formulas()
    formulas, skipped = prepare(records)
    if len(formulas) < 2:
        print(f"fewer than two usable π formulas from {source} (skipped: {skipped}); "
              "nothing to compare.")
        return 0
    pairs = [(i, j) for i in range(len(formulas)) for j in range(i + 1, len(formulas))]
    total_pairs = len(pairs)
    if args.pairs is not None and args.pairs < len(pairs):
        pairs = sorted(random.Random(args.seed).sample(pairs, max(args.pairs, 0)))
    D = args.max_degree
    esma_timeout = args.esma_timeout if args.esma_timeout is not None else args.timeout

    print(f"python {sys.version.split()[0]}, ramanujantools {rt_version}")
    print(f"π formulas: {len(formulas)} from {source}")
    if skipped:
        print(f"  skipped {len(skipped)}: {skipped}")
    for k, (name, a, b, lim) in enumerate(formulas):
        limit = sympify(lim) if lim else "?"
        print(f"  [{k}] PCF({sympify(a)}, {sympify(b)}) = {limit}   {name}")
    sample = f" (random sample, seed {args.seed})" if len(pairs) < total_pairs else ""
    print(f"pairs: {len(pairs)} of {total_pairs}{sample}")
    print(f"degree bound: every entry of U has degree <= {D}, for both tools")
    print(f"  esma_sympy:     is_equivalent(p, q, same_value=False, max_degree={D})")
    print("                  M_p(n) U(n+1) = λ(n) U(n) M_q(n), λ rational (its own λ search)")
    print(f"  ramanujantools: CoboundarySolver.find_coboundary(P.M(), Q.M(), {D}, n)")
    print("                  m1(n) m(n+1) = m(n) m2(n), λ = 1 only; U = J m J")
    print(f"time limit per pair: ramanujantools {args.timeout:g} s, esma_sympy {esma_timeout:g} s")

    warm = (formulas[0][1:], formulas[0][1:])  # a self-pair, run at every worker start
    esma = Worker("esma", D, esma_timeout, warm)
    if not esma.info.get("max degree passed", True):
        print("  warning: is_equivalent takes no max_degree: esma runs with its default bound")
    rt = Worker("rt", D, args.timeout, warm)

    print()
    print(f"{'i':>3} {'j':>3}  {'esma':>10} {'time':>10}  {'rt':>10} {'time':>10}")
    rows = []
    t_start = time.perf_counter()
    try:
        for i, j in pairs:
            task = (formulas[i][1:], formulas[j][1:])
            e, r = esma.call(task), rt.call(task)
            rows.append({"i": i, "j": j, "esma": e, "rt": r})
            print(f"{i:>3} {j:>3}  {e['verdict']:>10} {fmt(e['time']):>10}  "
                  f"{r['verdict']:>10} {fmt(r['time']):>10}", flush=True)
            for tool, res in (("esma", e), ("rt", r)):
                if "error" in res:
                    print(f"          {tool} error: {res['error']}")
                bad = res.get("check") is not True or res.get("mobius_ok") is False
                if res.get("found") and bad:
                    print(f"          {tool} certificate suspicious: check={res.get('check')}, "
                          f"Möbius map vs limits={res.get('mobius_ok')}")
                if args.verbose and res.get("found"):
                    dim = f", solution space dim {res['dim']}" if "dim" in res else ""
                    print(f"          {tool}: U = {res['U']}, λ = {res['lam']}{dim}")
    finally:
        esma.close()
        rt.close()
    _summary(rows, time.perf_counter() - t_start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
