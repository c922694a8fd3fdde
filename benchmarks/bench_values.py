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
Run: ``python benchmarks/bench_values.py`` (about 35 s; ramanujantools is optional).

Second section, "issue targets" (six proven digits in under 1 s), for ``2/(4-pi)`` and
``pi+3``, both slowly convergent: the wall time of SymPy's ``N(p, 6)`` on an esma_sympy ``PCF``
in a fresh process after the imports and a warm-up ``N`` on another fraction (``PCF(n+1, 1)``),
so the timed call does everything a first ``N`` of that fraction does; its digits are proven
when no ``PrecisionWarning`` is emitted, and checked against the closed form rounded to 6
digits.  Against it, ramanujantools ``limit(depth)`` at depths 16, 32, 64, ... until
``precision() >= 6``: the time is the *sum* over the doubling steps (a user does not know the
depth in advance; the final call alone is shown too), with ``as_float()`` and its correct
digits.  Then esma's ``evaluate(50)`` and ``evaluate(200)`` (each in its own processes) against
ramanujantools' claimed ``precision()`` at the depth esma used.

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

TARGETS = [  # the issue's targets: (name, a(n), b(n), closed form)
    ("2/(4-pi)", "2", "n**2", "2/(4 - pi)"),
    ("pi+3", "6", "(2*n - 1)**2", "pi + 3"),
]
TARGET_DIGITS = 6
TARGET_SECONDS = 1.0
TARGET_DPS = (50, 200)
RT_MAX_DEPTH = 2**20

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
    # issue targets: MODE 'N' times N(p, 6), MODE = an int times p.evaluate(MODE)
    "esma_targets": """
        t0 = time.perf_counter()
        import warnings
        from sympy import N, Symbol, sympify
        from esma_sympy import PCF, PrecisionWarning
        n = Symbol('n')
        t_import = time.perf_counter() - t0
        t0 = time.perf_counter()
        N(PCF(n + 1, 1, n), TARGET_DIGITS)                        # warm-up on another fraction
        t_warm = time.perf_counter() - t0
        out = []
        for name, a, b, _ref in TARGETS:
            p = PCF(sympify(a), sympify(b), n)
            if MODE == 'N':
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter('always')
                    t = time.perf_counter()
                    x = N(p, TARGET_DIGITS)
                    dt = time.perf_counter() - t
                warned = [str(w.message) for w in caught
                          if issubclass(w.category, PrecisionWarning)]
                depth = None
                try:                          # the depth N used: the cached value it evaluated
                    from esma_sympy.cf import base as _b
                    for want in range(TARGET_DIGITS, TARGET_DIGITS + 12):
                        hits = _b._cached_value.cache_info().hits
                        v = _b._cached_value(p, want)
                        if _b._cached_value.cache_info().hits > hits:
                            depth = v.depth
                            break
                except Exception:
                    pass
                out.append(dict(time=dt, value=str(x) if x.is_Float else None,
                                proven=bool(x.is_Float and not warned), warning='; '.join(warned),
                                depth=depth, t_import=t_import, t_warm=t_warm))
            else:
                t = time.perf_counter()
                v = p.evaluate(MODE)
                dt = time.perf_counter() - t
                mid = v.ball.mid().str(MODE + 40, radius=False) if v.ball is not None else None
                out.append(dict(time=dt, claimed=v.digits if v.certified else 0,
                                proven=bool(v.certified), depth=v.depth, value=mid,
                                note=v.method, reason=v.reason))
    """,
    # issue targets: doubling depth until precision() >= TARGET_DIGITS, then esma's depths
    "rt_targets": """
        import mpmath
        import sympy as sp
        from ramanujantools.pcf import PCF
        n = sp.Symbol('n')
        PCF(n + 4, -n).limit(500).as_float()                          # warm-up
        out = []
        for (name, a, b, _ref), depths in zip(TARGETS, DEPTHS):
            p = PCF(sp.sympify(a), sp.sympify(b))
            depth, total, steps = 16, 0.0, 0
            while True:
                t = time.perf_counter()
                L = p.limit(depth)
                digits = L.precision()
                dt = time.perf_counter() - t
                total, steps = total + dt, steps + 1
                if digits >= TARGET_DIGITS or depth >= RT_MAX_DEPTH:
                    break
                depth *= 2
            t = time.perf_counter()
            x = L.as_float()
            dx = time.perf_counter() - t
            at = []
            for d in depths:
                t = time.perf_counter()
                M = p.limit(d)
                c, y = M.precision(), M.as_float()
                at.append(dict(time=time.perf_counter() - t, depth=d, claimed=int(c),
                               value=mpmath.nstr(y, 20)))
            out.append(dict(time=total + dx, time_last=dt + dx, depth=depth, steps=steps,
                            claimed=int(digits), value=mpmath.nstr(x, 20), at=at))
    """,
}


def measure(name: str, extra: dict) -> list | str:
    """Median over ``REPEATS`` fresh processes of each case's times (every key starting with
    ``time``, also in the rows of a row's ``at`` list); the rest from the last process."""
    body = textwrap.dedent(SNIPPETS[name])
    consts = dict(DPS=DPS, MAX_DEPTH=MAX_DEPTH, STEP=STEP, CASES=CASES, TARGETS=TARGETS,
                  TARGET_DIGITS=TARGET_DIGITS, RT_MAX_DEPTH=RT_MAX_DEPTH, **extra)
    code = ("import time, json\n" + "".join(f"{k} = {v!r}\n" for k, v in consts.items())
            + body + "\nprint(json.dumps(out))\n")
    runs = []
    for _ in range(REPEATS):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        lines = out.stdout.strip().splitlines()
        if out.returncode != 0 or not lines:
            err = out.stderr.strip().splitlines()
            return err[-1] if err else f"exit status {out.returncode} and no output"
        runs.append(json.loads(lines[-1]))

    def med(rows):  # rows[0], from the last process, takes the medians
        for key in [k for k in rows[0] if k.startswith("time")]:
            rows[0][key] = statistics.median(r[key] for r in rows)
        for j in range(len(rows[0].get("at", []))):
            med([r["at"][j] for r in rows])

    for i in range(len(runs[-1])):
        med([r[i] for r in reversed(runs)])
    return runs[-1]


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


def _has_rt() -> bool:
    try:
        import ramanujantools  # noqa: F401
    except ImportError:
        return False
    return True


RT_MISSING = "ramanujantools is not installed (pip install ramanujantools): its columns are skipped"


def values_table() -> None:
    from sympy import sympify

    from esma_sympy import to_arb

    print(f"{len(CASES)} PCFs to {DPS} digits (max depth {MAX_DEPTH}); median time of {REPEATS} "
          f"fresh processes\n")
    esma = measure("esma", {})
    if isinstance(esma, str):
        raise SystemExit(f"esma_sympy failed: {esma}")
    mp = measure("mpmath", {})
    if isinstance(mp, str):
        print(f"the mpmath loop failed: {mp}")
        mp = [dict(time=0.0, claimed=0, proven=False, depth=0, value=None, note="")
              for _ in CASES]
    depths = [e["depth"] or m["depth"] or MAX_DEPTH for e, m in zip(esma, mp)]
    rt = measure("ramanujantools", {"DEPTHS": depths}) if _has_rt() else RT_MISSING
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


def _rounded(ref, digits: int) -> str:
    """The closed form rounded to ``digits`` significant digits, printed as SymPy's ``N``."""
    from sympy import N

    return str(N(ref, digits))


def _within_ulp(value: str, ref, digits: int) -> bool:
    """``|value - ref|`` at most one unit in the ``digits``-th significant digit (faithful)."""
    from flint import arb

    from esma_sympy._flintctx import workprec

    with workprec(200):
        x = arb(value)
        e = int((abs(ref).log() / arb(10).log()).mid().floor().unique_fmpz())
        return bool((abs(x - ref) - arb(10) ** (e - digits + 1)).upper() <= 0)


def issue_targets() -> None:
    from sympy import sympify

    from esma_sympy import to_arb

    D = TARGET_DIGITS
    print(f"\nIssue targets: {D} proven digits in under {TARGET_SECONDS:g} s.  esma: N(p, {D}) in a "
          f"fresh process after imports and a warm-up N on PCF(n+1, 1); ramanujantools: "
          f"limit(depth) for depth = 16, 32, ... until precision() >= {D} (ms = sum over the "
          f"steps; last = the final limit() alone), then as_float(); median of {REPEATS} "
          f"processes\n")
    esma = measure("esma_targets", {"MODE": "N"})
    if isinstance(esma, str):
        raise SystemExit(f"esma_sympy failed: {esma}")
    ev = {dps: measure("esma_targets", {"MODE": dps}) for dps in TARGET_DPS}
    for dps, rows in ev.items():
        if isinstance(rows, str):
            raise SystemExit(f"esma_sympy evaluate({dps}) failed: {rows}")
    depths = [[ev[dps][i]["depth"] or MAX_DEPTH for dps in TARGET_DPS] for i in range(len(TARGETS))]
    rt = measure("rt_targets", {"DEPTHS": depths}) if _has_rt() else RT_MISSING
    refs = [sympify(ref) for *_x, ref in TARGETS]
    balls = [to_arb(r, int((DPS + 40) * 3.33)) for r in refs]

    for e, ref, ball in zip(esma, refs, balls):
        e["rounded"] = _rounded(ref, D)
        e["exact"] = e["value"] == e["rounded"]
        e["ok"] = e["value"] is not None and (e["exact"] or _within_ulp(e["value"], ball, D))
        e["rate"] = (D if e["proven"] and e["ok"] else 0) / max(e["time"], 1e-9)
    if isinstance(rt, list):
        for r, ball in zip(rt, balls):
            r["correct"] = correct_digits(r["value"], ball)
            r["rate"] = min(r["claimed"], r["correct"]) / max(r["time"], 1e-9)
            for a in r["at"]:
                a["correct"] = correct_digits(a["value"], ball)

    head = (f"{'fraction':9s} | {'esma N(p,6)':>11s} {'proven':>6s} {'correct':>7s} {'depth':>6s} "
            f"{'ms':>7s} {'digits/s':>9s} | {'rt depth':>8s} {'claimed':>7s} {'as_float()':>22s} "
            f"{'correct':>7s} {'ms':>7s} {'last ms':>7s} {'digits/s':>9s} | {'esma/rt time':>12s}")
    print(head)
    print("-" * len(head))
    for i, (name, *_x) in enumerate(TARGETS):
        e = esma[i]
        ok = ("yes" if e["exact"] else "1 ulp") if e["ok"] else f"NO ({e['rounded']})"
        line = (f"{name:9s} | {str(e['value']):>11s} {'yes' if e['proven'] else 'NO':>6s} {ok:>7s} "
                f"{str(e['depth'] or '?'):>6s} {e['time'] * 1e3:7.1f} {e['rate']:9.0f} | ")
        if isinstance(rt, list):
            r = rt[i]
            line += (f"{r['depth']:>8d} {r['claimed']:>7d} {r['value']:>22s} {r['correct']:>7d} "
                     f"{r['time'] * 1e3:7.1f} {r['time_last'] * 1e3:7.1f} {r['rate']:9.0f} | "
                     f"{e['time'] / max(r['time'], 1e-9):12.2f}")
        else:
            line += "n/a"
        print(line)
    print(f"  esma process: imports {esma[0]['t_import']:.2f} s, warm-up N "
          f"{esma[0]['t_warm']:.2f} s (not in the timed call)")
    for (name, *_x), e in zip(TARGETS, esma):
        if e["warning"]:
            print(f"  esma {name}: PrecisionWarning: {e['warning']}")

    print()
    head = (f"{'fraction':9s} {'dps':>4s} | {'esma proven':>11s} {'correct':>7s} {'depth':>6s} "
            f"{'ms':>8s} {'digits/s':>9s} | {'rt claimed at that depth':>24s} {'correct':>7s} "
            f"{'ms':>7s}")
    print(head)
    print("-" * len(head))
    for i, (name, *_x) in enumerate(TARGETS):
        for j, dps in enumerate(TARGET_DPS):
            v = ev[dps][i]
            corr = correct_digits(v["value"], balls[i])
            rate = min(v["claimed"], corr) / max(v["time"], 1e-9)
            line = (f"{name:9s} {dps:>4d} | {v['claimed']:>11d} {corr:>7d} "
                    f"{str(v['depth'] or '-'):>6s} {v['time'] * 1e3:8.1f} {rate:9.0f} | ")
            if isinstance(rt, list):
                a = rt[i]["at"][j]
                line += f"{a['claimed']:>24d} {a['correct']:>7d} {a['time'] * 1e3:7.1f}"
            else:
                line += "n/a"
            print(line)
            if v.get("reason"):
                print(f"  esma {name} evaluate({dps}): {v['reason']}")
            if v["claimed"] > corr:
                print(f"  WARNING: esma proved more digits than are correct for {name}: a bug")
    if isinstance(rt, str):
        print(rt)

    print()
    verdicts = []
    for (name, *_x), e in zip(TARGETS, esma):
        good = e["proven"] and e["ok"] and e["time"] < TARGET_SECONDS
        verdicts.append(good)
        why = [] if good else (["not proven"] * (not e["proven"]) + ["wrong digits"] * (not e["ok"])
                               + [f"{e['time']:.2f} s"] * (e["time"] >= TARGET_SECONDS))
        print(f"target '{D} proven digits in under {TARGET_SECONDS:g} s' for {name}: "
              f"{'PASS' if good else 'FAIL'} ({e['time'] * 1e3:.1f} ms, "
              f"{'proven' if e['proven'] else 'unproven'}, {e['value']} vs {e['rounded']})"
              + (f": {', '.join(why)}" if why else ""))
    print(f"issue target overall: {'PASS' if all(verdicts) else 'FAIL'}")


def main() -> None:
    values_table()
    issue_targets()


if __name__ == "__main__":
    main()
