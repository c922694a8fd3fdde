"""Acceptance benchmarks of the proofs: issue 7's table and issue 14 item 5.

Sections (any combination; with none of ``--acceptance``, ``--families``, ``--identify`` the
acceptance section runs, as before):

``--acceptance`` (issue 7)
    For e, e^2, tan 1 and I1(2)/I0(2): run ``esma_search`` with default parameters, call
    ``esma_sympy.theory.prove`` on every conjecture, re-verify every proof with
    ``Proof.check()`` and print one row per conjecture (``--summary`` prints only the totals
    and the open ones).  Then the reachability predictions (``predict_reachable``) are
    compared with the search (``--no-predict`` skips it) and the algorithmic-advantage table
    (theory T6.9) is printed.  About 2.5 minutes.

``--families`` (issue 14 item 5)
    Proven share and seconds per proof for ``FAMILY_CONSTANTS`` (e^{p/q}, tan, tanh, cot,
    coth of rationals, ratios I_{nu+1}(z)/I_nu(z) and J_{nu+1}(z)/J_nu(z); none of them is
    named by the tests), for the current tree and, in the same run, for a ``--baseline``
    checkout of an older implementation (e.g. ``git worktree add /tmp/old 3fce4fc`` and
    ``make .venv/.esma-installed`` there).  Each side runs ``benchmarks/_proof_worker.py``
    in a subprocess with its own checkout's ``.venv/bin/python`` (the current tree: this
    interpreter), one side after the other: ``esma_search(c)`` with defaults, then
    ``prove(x, dps=60)`` and ``Proof.check()`` on at most ``--max-conjectures`` conjectures
    per constant (default 400; evenly spaced in the search's order, the same sample on both
    sides; 0 takes all 50 303 conjectures, an estimated 12 minutes per side).  "proven" counts
    status 'proven' with a passing check; "s/proof" is the seconds of ``prove`` + ``check``
    per attempted conjecture (after an untimed warm-up on e); ratio = old / new (above 1: the
    current tree is faster).

``--identify`` (issue 14 item 5)
    ``esma_sympy.theory.identify`` on the degree (1, 1) and (1, 2) PCFs of ``IDENTIFY_PCFS``
    (the degrees ramanujantools' ``HypergeometricLimit`` accepts) against
    ``HypergeometricLimit(pcf).limit()`` of ramanujantools, when it is installed (it is not a
    dependency: ``.venv/bin/pip install ramanujantools``; otherwise "ramanujantools not
    installed" is printed and only identify runs).  Conventions: both libraries read
    ``PCF(a, b)`` as ``a(0) + b(1)/(a(1) + b(2)/(a(2) + ...))`` (checked on every row:
    ramanujantools' ``limit(6).as_rational()`` equals our ``convergent(6)``, at the
    ``PARAM_VALUES`` for a PCF with a parameter), so the PCFs are passed unchanged
    (``PCF.to_ramanujantools``).  Times are wall seconds of one call each, SymPy's cache
    cleared before each; identify's time includes ``r.check()``.  Agreement: with mpmath,
    closed forms at 50 digits and the PCF's certified value at 40, to 30 digits, against each
    other and against the PCF's value (for the PCFs with a parameter at the three values of
    ``PARAM_VALUES``, after ``simplify(a - b) == 0`` is tried).

Usage::

    .venv/bin/python benchmarks/acceptance_proofs.py [--summary] [--no-predict]
    .venv/bin/python benchmarks/acceptance_proofs.py --families --baseline /tmp/hb_old \\
        [--max-conjectures 400] --identify
    .venv/bin/python benchmarks/acceptance_proofs.py --acceptance --summary --families \\
        --baseline /tmp/hb_old --identify

Measured on a 2-core machine shared with other work (current tree b97a7a6, baseline
3fce4fc): the second command takes about 3.3 minutes (families at 400 conjectures per
constant: 97 s for the current tree, 85 s for the baseline; identify: 15 s), the third
5.7 minutes.  Timings of single identify calls vary by a factor of about 2 between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sympy import E, besseli, exp, tan

CONSTANTS = [E, exp(2), tan(1), besseli(1, 2) / besseli(0, 2)]

#: issue 14 item 5: e^{p/q}, tan, tanh, cot, coth of rationals, Bessel ratios (I and J), all
#: with conjectures under the default search and none named by the tests.
FAMILY_CONSTANTS = [
    "exp(1/2)", "exp(-1/4)", "exp(2/5)", "exp(1/6)",
    "tan(1/3)", "tan(1/4)", "tanh(1/4)",
    "cot(1/5)", "cot(1/3)", "coth(1/3)", "coth(1/4)",
    "besseli(1, 1/2)/besseli(0, 1/2)", "besseli(2, 2)/besseli(1, 2)",
    "besseli(3/2, 1)/besseli(1/2, 1)",
    "besselj(1, 2)/besselj(0, 2)", "besselj(2, 1)/besselj(1, 1)",
]

#: (a, b) of degree (1, 1) and (1, 2) in n; "z" and "c" (positive) are free parameters, checked
#: numerically at PARAM_VALUES (c = 1/k would make b vanish: a terminating fraction).
IDENTIFY_PCFS = [
    ("n + 1", "n + 1"), ("n + 3", "-n"), ("2*n + 3", "n + 5"), ("2*n + 1", "4*n + 3"),
    ("2*n + 1", "3*n + 1"), ("n + 2 - z", "z*(n + 1)"),
    ("2*n + 1", "n**2"), ("3*n + 1", "-2*n**2 + n"), ("5*n + 2", "3*n**2 + n"),
    ("10*n + 5", "1 - 9*n**2"), ("3*n + 2", "n**2 + 2*n"), ("n", "n**2 + n + 1"),
    ("(2*n + 1)*(c + 2)", "1 - c**2*n**2"),
]
PARAM_VALUES = {"z": ["1/3", "5/2", "-7/4"], "c": ["2", "3", "5/3"]}

HERE = Path(__file__).resolve().parent


# -- issue 7 -------------------------------------------------------------------------------------
def acceptance(args) -> None:
    from esma_sympy import esma_search
    from esma_sympy.search import algorithmic_advantage
    from esma_sympy.theory import predict_reachable, prove

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


# -- issue 14 item 5: families, current tree against a baseline checkout ---------------------------
def _worker(python: str, checkout: Path, constants, args) -> tuple[dict, float]:
    """Run ``_proof_worker.py`` with ``python`` importing the checkout's ``esma_sympy``."""
    env = dict(os.environ, PYTHONPATH=str(checkout), PYTHONWARNINGS="ignore")
    cmd = [python, str(HERE / "_proof_worker.py"), "--max-conjectures", str(args.max_conjectures),
           "--dps", str(args.dps), *constants]
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=str(checkout), capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        sys.exit(f"worker failed in {checkout} (rc {out.returncode}):\n{out.stderr[-3000:]}")
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    return {r["constant"]: r for r in rows}, wall


def _rev(checkout: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except Exception:  # noqa: BLE001 - not a git checkout
        return "?"


def _short(st: dict) -> str:
    rest = {k: v for k, v in st.items() if k != "proven"}
    return ", ".join(f"{v} {k}" for k, v in rest.items()) or "-"


def families(args) -> None:
    root = HERE.parent
    cap = args.max_conjectures
    print("\n## Families of issue 14 item 5: proven share and seconds per proof\n")
    new, wall_new = _worker(sys.executable, root, FAMILY_CONSTANTS, args)
    print(f"current tree {root} ({_rev(root)}): {sys.executable}, imports "
          f"{next(iter(new.values()))['module']}")
    old, wall_old = None, 0.0
    if args.baseline:
        base = Path(args.baseline).resolve()
        py = base / ".venv" / "bin" / "python"
        if not py.exists():
            sys.exit(f"--baseline {base}: no {py} (run `make .venv/.esma-installed` there)")
        old, wall_old = _worker(str(py), base, FAMILY_CONSTANTS, args)
        print(f"baseline {base} ({_rev(base)}): {py}, imports {next(iter(old.values()))['module']}")
    print(f"esma_search(c) with defaults; prove(x, dps={args.dps}) + check() on "
          + (f"at most {cap} conjectures per constant (evenly spaced in the search's order, the "
             f"same sample on both sides)" if cap else "every conjecture")
          + "; s/proof = seconds of prove + check per attempted conjecture; ratio = old/new.\n")
    print("| constant | conjectures | attempted | proven new | proven old | s/proof new | s/proof old "
          "| ratio | not proven (new / old) |")
    print("|---|---|---|---|---|---|---|---|---|")
    tot = Counter()
    for c in FAMILY_CONSTANTS:
        r = new[c]
        o = old.get(c) if old else None
        a = r["attempted"]
        spn = r["prove_s"] / a if a else float("nan")
        tot.update(conj=r["conjectures"], att=a, pn=r["proven"], tn=r["prove_s"])
        cells = [c, str(r["conjectures"]), str(a), f"{r['proven']} ({r['proven'] / a:.0%})", "", f"{spn:.4f}", "", "", ""]
        if o is not None:
            if o["conjectures"] != r["conjectures"]:
                cells[1] += f" (old: {o['conjectures']})"
            spo = o["prove_s"] / o["attempted"] if o["attempted"] else float("nan")
            tot.update(ao=o["attempted"], po=o["proven"], to=o["prove_s"])
            cells[4] = f"{o['proven']} ({o['proven'] / o['attempted']:.0%})"
            cells[6] = f"{spo:.4f}"
            cells[7] = f"{spo / spn:.2f}"
        cells[8] = _short(r["statuses"]) + (f" / {_short(o['statuses'])}" if o is not None else "")
        if r["check_failed"] or (o is not None and o["check_failed"]):
            cells[8] += f" (CHECK FAILED: {r['check_failed']} / {o['check_failed'] if o else '-'})"
        print("| " + " | ".join(cells) + " |")
    spn = tot["tn"] / tot["att"]
    line = [f"all {len(FAMILY_CONSTANTS)}", str(tot["conj"]), str(tot["att"]),
            f"{tot['pn']} ({tot['pn'] / tot['att']:.1%})", "", f"{spn:.4f}", "", "", ""]
    if old:
        spo = tot["to"] / tot["ao"]
        line[4], line[6], line[7] = f"{tot['po']} ({tot['po'] / tot['ao']:.1%})", f"{spo:.4f}", f"{spo / spn:.2f}"
    print("| " + " | ".join(line) + " |")
    print(f"\nwall time of the worker: new {wall_new:.1f} s" + (f", old {wall_old:.1f} s" if old else
                                                                 " (no --baseline: old side skipped)"))


# -- issue 14 item 5: identify against ramanujantools' HypergeometricLimit --------------------------
def _mp(e, dps=50):
    """``e`` as an mpmath complex at ``dps`` digits (SymPy's evalf, parts read as decimals)."""
    import mpmath
    from sympy import N

    v = N(e, dps)
    re, im = v.as_real_imag()
    with mpmath.workdps(dps):
        return mpmath.mpc(mpmath.mpf(str(N(re, dps))), mpmath.mpf(str(N(im, dps))))


def _agree(x, y, digits=30) -> bool | None:
    """``|x - y| <= 10^-digits max(1, |y|)`` with mpmath at 50 digits; ``None`` when ``x`` or
    ``y`` cannot be evaluated."""
    import mpmath

    try:
        with mpmath.workdps(50):
            u, v = _mp(x), _mp(y)
            return bool(abs(u - v) <= mpmath.mpf(10) ** (-digits) * max(1, abs(v)))
    except Exception:  # noqa: BLE001 - not evaluable
        return None


def identify_table(args) -> None:
    from sympy import N, Symbol, simplify, sympify
    from sympy.core.cache import clear_cache

    from esma_sympy import PCF
    from esma_sympy.theory import identify

    print("\n## identify against ramanujantools' HypergeometricLimit (degrees (1, 1) and (1, 2))\n")
    try:
        import ramanujantools
        from ramanujantools.pcf import HypergeometricLimit
    except ImportError:
        ramanujantools = HypergeometricLimit = None
        print("ramanujantools not installed (only identify runs)\n")
    if ramanujantools is not None:
        try:
            from importlib.metadata import version
            ver = version("ramanujantools")
        except Exception:  # noqa: BLE001 - not installed as a distribution
            ver = getattr(ramanujantools, "__version__", "?")
        print(f"ramanujantools {ver}: HypergeometricLimit(PCF(a, b)).limit() (sympy hyperexpand + "
              "simplify). Same PCF convention a(0) + b(1)/(a(1) + ...), checked per row: rt "
              "limit(6) == our convergent(6).\n")
    n = Symbol("n")
    loc = {"n": n, "z": Symbol("z"), "c": Symbol("c", positive=True)}
    print("| PCF | identify: closed form | status, check() | t identify (s) | ramanujantools: limit() "
          "| t rt (s) | agree (30 digits) | t identify / t rt |")
    print("|---|---|---|---|---|---|---|---|")
    tot_e = tot_r = 0.0
    for a_s, b_s in IDENTIFY_PCFS:
        a, b = sympify(a_s, locals=loc), sympify(b_s, locals=loc)
        pcf = PCF(a, b, n)
        clear_cache()
        t0 = time.perf_counter()
        r = identify(pcf)
        ok = r.check() if r else False
        te = time.perf_counter() - t0
        cf = r.closed_form
        st = f"{r.status}, {ok}" if r else f"unidentified: {r.reason}"
        lim, tr, conv = None, None, ""
        if HypergeometricLimit is not None:
            rp = pcf.to_ramanujantools()
            # the convention, on numeric instances (ramanujantools' flint walk needs plain symbols)
            inst = [pcf] if not pcf.free_symbols else [
                pcf.subs(s, sympify(v)) for s in pcf.free_symbols for v in PARAM_VALUES[str(s)]]
            same = all(q.to_ramanujantools().limit(6).as_rational() == q.convergent(6) for q in inst)
            conv = "" if same else " (CONVENTION MISMATCH)"
            clear_cache()
            t0 = time.perf_counter()
            try:
                lim = HypergeometricLimit(rp).limit()
            except Exception as e:  # noqa: BLE001
                lim = f"error: {type(e).__name__}: {e}"
            tr = time.perf_counter() - t0
        # agreement
        if cf is None and lim is None:
            agree = "-"
        elif pcf.free_symbols:
            parts = []
            if cf is not None and lim is not None and not isinstance(lim, str):
                parts.append("simplify(a - b) == 0" if simplify(cf - lim) == 0 else "simplify: not 0")
            (sym,) = pcf.free_symbols
            vals = PARAM_VALUES[str(sym)]
            checks = []
            for sv in vals:
                sv = sympify(sv)
                v = N(pcf.subs(sym, sv), 40)
                checks.append((None if cf is None else _agree(cf.subs(sym, sv), v),
                               None if lim is None or isinstance(lim, str) else _agree(lim.subs(sym, sv), v)))
            ce = all(c[0] is True for c in checks) if cf is not None else None
            cr = all(c[1] is True for c in checks) if lim is not None and not isinstance(lim, str) else None
            parts.append(f"value at {sym} = {', '.join(vals)}: esma {ce}, rt {cr}")
            agree = "; ".join(parts)
        else:
            v = N(pcf, 40)
            ce = _agree(cf, v) if cf is not None else None
            cr = _agree(lim, v) if lim is not None and not isinstance(lim, str) else None
            ab = _agree(cf, lim) if cf is not None and cr is not None else None
            agree = f"{ab if ab is not None else 'n/a'} (value {str(v)[:14]}: esma {ce}, rt {cr})"
        tot_e += te
        tot_r += tr or 0.0
        ratio = f"{te / tr:.2f}" if tr else ""
        print(f"| PCF({a}, {b}){conv} | {cf} | {st} | {te:.3f} | {lim if lim is not None else 'n/a'} | "
              f"{'' if tr is None else f'{tr:.3f}'} | {agree} | {ratio} |")
    print(f"\ntotal: identify {tot_e:.2f} s" + (f", ramanujantools {tot_r:.2f} s, ratio {tot_e / tot_r:.2f}"
                                                if HypergeometricLimit is not None else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--acceptance", action="store_true", help="issue 7's tables (the default when no section is named)")
    ap.add_argument("--summary", action="store_true", help="acceptance: print totals and open conjectures only")
    ap.add_argument("--no-predict", action="store_true", help="acceptance: skip the prediction comparison")
    ap.add_argument("--families", action="store_true", help="issue 14 item 5: proofs for FAMILY_CONSTANTS")
    ap.add_argument("--baseline", metavar="PATH", help="families: a checkout of the old code with its own .venv")
    ap.add_argument("--max-conjectures", type=int, default=400, metavar="N",
                    help="families: at most N conjectures per constant, evenly spaced (0: all; default 400)")
    ap.add_argument("--dps", type=int, default=60, help="families: prove(x, dps=...) (default 60)")
    ap.add_argument("--identify", action="store_true", help="issue 14 item 5: identify against ramanujantools")
    args = ap.parse_args()
    if not (args.acceptance or args.families or args.identify):
        args.acceptance = True
    t0 = time.perf_counter()
    if args.acceptance:
        acceptance(args)
    if args.families:
        families(args)
    if args.identify:
        identify_table(args)
    print(f"\n(total {time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
