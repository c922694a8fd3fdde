"""Benchmark: exact deep convergents and certified high-precision values of PCFs.

Measured side by side in one run (issue 2):

A. the exact convergent of PCF(2n+1, n^2) at depth 10^4, as a SymPy ``Rational``
   - esma_sympy ``PCF.convergent``
   - ramanujantools ``PCF.limit(depth).as_rational()`` (the peer)
   - a bare python-flint 2x2 product tree (fmpz_mat leaves, balanced tree; no SymPy result)
   - a forward recurrence on Python ints
B. the value of e = PCF(n+3, -n) to 10^4 digits
   - esma_sympy ``PCF.evaluate(10000)`` (certified: an arb ball with a proven bound)
   - a plain mpmath loop (forward recurrence at 10^4 digits until two convergents agree:
     not certified)
   - ramanujantools at the depth esma_sympy found sufficient (given for free)

Each measurement runs in a fresh subprocess (imports and a different warm-up walk done
first, then one timed call), because esma_sympy and ramanujantools both memoise walks; the
median of ``REPEATS`` subprocesses is reported.  Run: ``python benchmarks/bench_convergents.py``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import textwrap

REPEATS = 5
DEPTH = 10_000
DIGITS = 10_000

SNIPPETS = {
    "esma convergent": """
        from sympy.abc import n
        from esma_sympy import PCF
        PCF(2*n + 3, n**2, n).convergent(DEPTH)           # warm-up on another fraction
        t = time.perf_counter()
        r = PCF(2*n + 1, n**2, n).convergent(DEPTH)
        dt = time.perf_counter() - t
        check = (r.q.bit_length(), r.p % 1000003)
    """,
    "ramanujantools convergent": """
        import sympy as sp
        from ramanujantools.pcf import PCF
        n = sp.Symbol('n')
        PCF(2*n + 3, n**2).limit(DEPTH).as_rational()
        t = time.perf_counter()
        r = PCF(2*n + 1, n**2).limit(DEPTH).as_rational()
        dt = time.perf_counter() - t
        check = (r.q.bit_length(), r.p % 1000003)
    """,
    "bare flint product tree": """
        from flint import fmpz_mat
        def tree(ms):
            while len(ms) > 1:
                nxt = [ms[i] * ms[i + 1] for i in range(0, len(ms) - 1, 2)]
                if len(ms) % 2:
                    nxt.append(ms[-1])
                ms = nxt
            return ms[0]
        tree([fmpz_mat([[2*k + 3, 1], [k*k, 0]]) for k in range(1, DEPTH + 1)])
        t = time.perf_counter()
        P = tree([fmpz_mat([[1, 1], [1, 0]])] + [fmpz_mat([[2*k + 1, 1], [k*k, 0]]) for k in range(1, DEPTH + 1)])
        dt = time.perf_counter() - t
        from math import gcd
        p, q = int(P[0, 0]), int(P[1, 0]); g = gcd(p, q); p //= g; q //= g
        check = (q.bit_length(), p % 1000003)
    """,
    "python-int recurrence": """
        def run(c):
            p1, p2, q1, q2 = 1, 1, 1, 0
            for k in range(1, DEPTH + 1):
                a, b = 2*k + c, k*k
                p1, p2, q1, q2 = a*p1 + b*p2, p1, a*q1 + b*q2, q1
            return p1, q1
        t = time.perf_counter()
        p, q = run(1)
        dt = time.perf_counter() - t
        from math import gcd
        g = gcd(p, q); p //= g; q //= g
        check = (q.bit_length(), p % 1000003)
    """,
    "esma evaluate": """
        from sympy.abc import n
        from esma_sympy import PCF
        PCF(n + 4, -n, n).evaluate(DIGITS)
        t = time.perf_counter()
        v = PCF(n + 3, -n, n).evaluate(DIGITS)
        dt = time.perf_counter() - t
        assert v.certified and v.digits >= DIGITS
        check = (v.depth, v.ball.mid().str(30, radius=False))
    """,
    "mpmath loop": """
        import mpmath
        def run(c):
            ctx = mpmath.MPContext()
            ctx.dps = DIGITS + 10
            p1, p2, q1, q2 = ctx.mpf(3), ctx.mpf(1), ctx.mpf(1), ctx.mpf(0)
            prev, k = None, 0
            eps = ctx.mpf(10) ** (-DIGITS - 2)
            while True:
                for _ in range(100):
                    k += 1
                    a, b = k + c, -k
                    p1, p2, q1, q2 = a*p1 + b*p2, p1, a*q1 + b*q2, q1
                x = p1 / q1
                if prev is not None and abs(x - prev) < eps * abs(x):
                    return x, k
                prev = x
        run(4)
        t = time.perf_counter()
        x, k = run(3)
        dt = time.perf_counter() - t
        check = (k, mpmath.nstr(x, 30))
    """,
    "ramanujantools value": """
        import sympy as sp, mpmath
        from ramanujantools.pcf import PCF
        n = sp.Symbol('n')
        PCF(n + 4, -n).limit(DEPTH_E).as_rational()
        t = time.perf_counter()
        r = PCF(n + 3, -n).limit(DEPTH_E).as_rational()
        x = sp.Float(r, DIGITS)
        dt = time.perf_counter() - t
        check = (DEPTH_E, str(x)[:31])
    """,
}


def measure(name: str, extra: dict) -> tuple[float, object]:
    body = textwrap.dedent(SNIPPETS[name])
    prelude = f"import time, json\nDEPTH = {DEPTH}\nDIGITS = {DIGITS}\n" + "".join(
        f"{k} = {v!r}\n" for k, v in extra.items())
    code = prelude + body + "\nprint(json.dumps([dt, repr(check)]))\n"
    times, check = [], None
    for _ in range(REPEATS):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if out.returncode != 0:
            return float("nan"), out.stderr.strip().splitlines()[-1]
        dt, check = json.loads(out.stdout.strip().splitlines()[-1])
        times.append(dt)
    return statistics.median(times), check


def main() -> None:
    print(f"median of {REPEATS} fresh processes; times in ms\n")
    print(f"A. exact convergent of PCF(2n+1, n^2) at depth {DEPTH}")
    rows = {name: measure(name, {}) for name in
            ["esma convergent", "ramanujantools convergent", "bare flint product tree", "python-int recurrence"]}
    base = rows["esma convergent"][0]
    for name, (t, check) in rows.items():
        print(f"  {name:28s} {t * 1e3:9.2f} ms   esma speed-up x{t / base:6.2f}   check={check}")
    print(f"  -> vs ramanujantools: {rows['ramanujantools convergent'][0] / base:.2f}x faster (target >= 3x)")
    print(f"  -> vs bare product tree: esma takes {base / rows['bare flint product tree'][0]:.2f}x its time "
          f"(target <= 1.5x)\n")

    print(f"B. e = PCF(n+3, -n) to {DIGITS} digits")
    t_esma, check = measure("esma evaluate", {})
    depth_e = eval(check)[0] if isinstance(check, str) and check.startswith("(") else 3500
    rowsb = {"esma evaluate (certified)": (t_esma, check),
             "mpmath loop (uncertified)": measure("mpmath loop", {}),
             "ramanujantools value": measure("ramanujantools value", {"DEPTH_E": depth_e})}
    for name, (t, check) in rowsb.items():
        print(f"  {name:28s} {t * 1e3:9.2f} ms   esma speed-up x{t / t_esma:6.2f}   check={check}")


if __name__ == "__main__":
    main()
