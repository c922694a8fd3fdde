"""Benchmark: values of 10 PCFs from the literature, proven digits against unproven peers.

For each fraction, measured side by side in one run:

- esma_sympy ``PCF.evaluate(DPS, max_depth=MAX_DEPTH)``: ``digits`` counts only digits an
  error bound proves (0 when ``certified`` is false);
- ramanujantools ``PCF.limit(depth)`` then ``as_float()`` and ``precision()`` (its digit
  estimate from consecutive convergents: not a proof), at esma's depth when esma found one,
  else at the mpmath loop's final depth;
- a plain mpmath loop: forward recurrence at ``DPS + 10`` digits, checked every ``STEP``
  levels, until two checks agree to ``DPS`` digits or ``MAX_DEPTH`` levels (not a proof).

``correct`` is the number of digits that really agree with the closed form (an arb ball of
the reference constant, computed after the timed runs); it also re-verifies each formula.
``digits/s`` credits ``min(claimed, correct)`` digits, so no tool gains from wrong digits; the
ratio column is esma's proven digits/s over the peer's.  Each tool runs in one fresh
subprocess (imports and a warm-up on another fraction first, then one timed call per
fraction, so no memoised walk is reused); the median of ``REPEATS`` processes is reported.
Run: ``python benchmarks/bench_values.py`` (about 20 s; ramanujantools is optional).

Fractions (value; source):
  e = PCF(n+3, -n)                       Euler
  4/pi = PCF(2n+1, n^2)                  Euler's form of Brouncker's fraction
  pi+3 = PCF(6, (2n-1)^2)                Lange (1999), slowly convergent
  2/(4-pi) = PCF(2, n^2)                 Ramanujan Machine (2021), slowly convergent
  golden ratio = PCF(1, 1), 1+sqrt2 = PCF(2, 1)
  6/zeta(3) = PCF(34n^3+51n^2+27n+5, -n^6)   Apery (1979)
  5/zeta(2) = PCF(11n^2+11n+3, n^4)          Apery (1979)
  1/(2G) = PCF(3n^2+3n+1, -2n^4)              Ramanujan Machine (2021), Catalan's G
  I0(2)/I1(2) = PCF(n+1, 1)                   Bessel ratio (Euler, Gauss)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import textwrap

REPEATS = 3
DPS = 2000
MAX_DEPTH = 20_000
STEP = 50

CASES = [  # (name, a(n), b(n), closed form); a, b are valid Python and SymPy
    ("e", "n + 3", "-n", "E"),
    ("4/pi", "2*n + 1", "n**2", "4/pi"),
    ("pi+3", "6", "(2*n - 1)**2", "pi + 3"),
    ("2/(4-pi)", "2", "n**2", "2/(4 - pi)"),
    ("golden", "1", "1", "GoldenRatio"),
    ("1+sqrt2", "2", "1", "1 + sqrt(2)"),
    ("6/zeta3", "34*n**3 + 51*n**2 + 27*n + 5", "-n**6", "6/zeta(3)"),
    ("5/zeta2", "11*n**2 + 11*n + 3", "n**4", "5/zeta(2)"),
    ("1/(2G)", "3*n**2 + 3*n + 1", "-2*n**4", "1/(2*Catalan)"),
    ("I0/I1", "n + 1", "1", "besseli(0, 2)/besseli(1, 2)"),
]

SNIPPETS = {
    "esma": """
        from sympy import Symbol, sympify
        from esma_sympy import PCF
        n = Symbol('n')
        PCF(n + 4, -n, n).evaluate(DPS)                          # warm-up on another fraction
        out = []
        for name, a, b, _ref in CASES:
            p = PCF(sympify(a), sympify(b), n)
            t = time.perf_counter()
            v = p.evaluate(DPS, max_depth=MAX_DEPTH)
            dt = time.perf_counter() - t
            mid = v.ball.mid().str(DPS + 5, radius=False) if v.ball is not None else None
            out.append(dict(time=dt, claimed=v.digits if v.certified else 0, proven=bool(v.certified),
                            depth=v.depth, value=mid, note=v.method, reason=v.reason))
    """,
    "mpmath": """
        import mpmath
        def run(a, b):
            ctx = mpmath.MPContext()
            ctx.dps = DPS + 10
            p1, p2, q1, q2 = ctx.mpf(a(0)), ctx.mpf(1), ctx.mpf(1), ctx.mpf(0)
            eps = ctx.mpf(10) ** (-DPS)
            prev, k, x, diff = None, 0, None, None
            while k < MAX_DEPTH:
                for _ in range(STEP):
                    k += 1
                    A, B = a(k), b(k)
                    p1, p2, q1, q2 = A*p1 + B*p2, p1, A*q1 + B*q2, q1
                x = p1 / q1
                if prev is not None:
                    diff = abs(x - prev)
                    if diff <= eps * abs(x):
                        break
                prev = x
            digits = DPS if diff == 0 else min(DPS, max(0, int(-ctx.log10(diff / abs(x)))))
            return ctx.nstr(x, DPS + 5), k, digits
        run(lambda n: n + 4, lambda n: -n)                          # warm-up
        out = []
        for name, a, b, _ref in CASES:
            fa, fb = eval('lambda n: ' + a), eval('lambda n: ' + b)
            t = time.perf_counter()
            x, k, digits = run(fa, fb)
            dt = time.perf_counter() - t
            out.append(dict(time=dt, claimed=digits, proven=False, depth=k, value=x, note=''))
    """,
    "ramanujantools": """
        import sympy as sp
        from ramanujantools.pcf import PCF
        n = sp.Symbol('n')
        PCF(n + 4, -n).limit(500).as_float()                          # warm-up
        out = []
        for (name, a, b, _ref), depth in zip(CASES, DEPTHS):
            p = PCF(sp.sympify(a), sp.sympify(b))
            t = time.perf_counter()
            L = p.limit(depth)
            x = L.as_float()
            digits = L.precision()
            dt = time.perf_counter() - t
            out.append(dict(time=dt, claimed=min(int(digits), DPS), proven=False, depth=depth,
                            value=str(x), note=''))
    """,
}


def measure(name: str, extra: dict) -> list | str:
    """Median over ``REPEATS`` fresh processes of each case's time; the rest from the last."""
    body = textwrap.dedent(SNIPPETS[name])
    prelude = (f"import time, json\nDPS = {DPS}\nMAX_DEPTH = {MAX_DEPTH}\nSTEP = {STEP}\n"
               f"CASES = {CASES!r}\n" + "".join(f"{k} = {v!r}\n" for k, v in extra.items()))
    code = prelude + body + "\nprint(json.dumps(out))\n"
    runs = []
    for _ in range(REPEATS):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if out.returncode != 0:
            return out.stderr.strip().splitlines()[-1]
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    rows = runs[-1]
    for i, row in enumerate(rows):
        row["time"] = statistics.median(r[i]["time"] for r in runs)
    return rows


def correct_digits(value: str | None, ref) -> int:
    """Decimal digits of ``value`` that agree with the ball ``ref`` (capped at ``DPS``)."""
    from flint import arb

    from esma_sympy._flintctx import workprec

    if value is None:
        return 0
    with workprec(int((DPS + 40) * 3.33)):
        err = abs(arb(value) - ref)
        if err.upper() == 0:
            return DPS
        d = (abs(ref) / err.upper()).log() / arb(10).log()
        return max(0, min(DPS, int(d.lower().floor().unique_fmpz())))


def main() -> None:
    from sympy import sympify

    from esma_sympy import to_arb

    print(f"{len(CASES)} PCFs to {DPS} digits (max depth {MAX_DEPTH}); median time of {REPEATS} "
          f"fresh processes\n")
    esma = measure("esma", {})
    if isinstance(esma, str):
        raise SystemExit(f"esma_sympy failed: {esma}")
    mp = measure("mpmath", {})
    depths = [e["depth"] or m["depth"] for e, m in zip(esma, mp)]
    try:
        import ramanujantools  # noqa: F401
        rt = measure("ramanujantools", {"DEPTHS": depths})
    except ImportError:
        rt = "ramanujantools is not installed (pip install ramanujantools): its columns are skipped"
    refs = [to_arb(sympify(ref), int((DPS + 40) * 3.33)) for _n, _a, _b, ref in CASES]

    tools = {"esma": esma, "rt": rt, "mpmath": mp}
    for tool, rows in tools.items():
        if isinstance(rows, list):
            for row, ref in zip(rows, refs):
                row["correct"] = correct_digits(row["value"], ref)
                row["rate"] = min(row["claimed"], row["correct"]) / max(row["time"], 1e-9)

    head = (f"{'fraction':9s} | {'esma proven':>11s} {'correct':>7s} {'depth':>6s} {'ms':>8s} "
            f"{'digits/s':>9s} | {'rt claimed':>10s} {'correct':>7s} {'ms':>8s} {'digits/s':>9s} "
            f"{'esma/rt':>7s} | {'mp claimed':>10s} {'correct':>7s} {'depth':>6s} {'ms':>8s} "
            f"{'digits/s':>9s} {'esma/mp':>7s}")
    print(head)
    print("-" * len(head))

    def ratio(e, peer):
        if not peer["rate"]:
            return "   inf" if e["rate"] else "     -"
        return f"{e['rate'] / peer['rate']:7.2f}"

    for i, (name, _a, _b, _ref) in enumerate(CASES):
        e, m = esma[i], mp[i]
        line = (f"{name:9s} | {e['claimed']:>11d} {e['correct']:>7d} {str(e['depth'] or '-'):>6s} "
                f"{e['time'] * 1e3:8.1f} {e['rate']:9.0f} | ")
        if isinstance(rt, list):
            r = rt[i]
            line += (f"{r['claimed']:>10d} {r['correct']:>7d} {r['time'] * 1e3:8.1f} {r['rate']:9.0f} "
                     f"{ratio(e, r)} | ")
        else:
            line += f"{'n/a':>10s} {'':7s} {'':8s} {'':9s} {'':7s} | "
        line += (f"{m['claimed']:>10d} {m['correct']:>7d} {m['depth']:>6d} {m['time'] * 1e3:8.1f} "
                 f"{m['rate']:9.0f} {ratio(e, m)}")
        print(line)
    print()
    print("proven digits: esma only where certified:",
          ", ".join(f"{name}={'yes (' + str(e['note']) + ')' if e['proven'] else 'no'}"
                    for (name, *_), e in zip(CASES, esma)))
    print("ramanujantools and mpmath digits are never proven (agreement of convergents).")
    if isinstance(rt, str):
        print(rt)
    for (name, *_), e in zip(CASES, esma):
        if e.get("reason"):
            print(f"  esma {name}: {e['reason']}")
    bad = [name for (name, *_), e in zip(CASES, esma) if min(e["claimed"], DPS) > e["correct"]]
    if bad:
        print(f"WARNING: esma proved more digits than are correct for {bad}: a bug")


if __name__ == "__main__":
    main()
