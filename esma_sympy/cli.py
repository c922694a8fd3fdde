"""The ``esma`` command.

``esma search EXPR [options]`` runs the ESMA search on a constant (parsed by the whitelist
parser, never evaluated as Python) into the conjecture store (``--db PATH``, else ``$ESMA_DB``,
else ``esma.sqlite`` in the working directory; ``--no-db`` keeps nothing), shows a progress bar
on stderr and prints a table (or, with ``--json``, one JSON object per conjecture) on stdout.
An interrupted search resumes where it stopped when run again with the same parameters.
Bad input prints a message naming the argument to stderr and exits with status 2; nothing is
written (the arguments are validated before the store is opened).

``esma list``, ``esma show ID``, ``esma export --format json|csv`` read the store;
``esma report --out DIR`` writes the identity pages (see :mod:`esma_sympy.report`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

__all__ = ["main", "build_parser"]


class _Progress:
    """A one-line progress bar on stderr (redrawn in place on a terminal)."""

    def __init__(self, label: str, stream=None, enabled: bool = True):
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.t0 = time.perf_counter()
        self.last = -1.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        frac = done / total if total else 1.0
        now = time.perf_counter()
        if frac < 1.0 and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        bar = "#" * int(width * frac) + "-" * (width - int(width * frac))
        line = f"{self.label} [{bar}] {done}/{total} units {now - self.t0:6.2f}s"
        if not self.tty:
            # a log, not a terminal: one line when the work is done
            if frac >= 1.0 and not getattr(self, "_closed", False):
                self._closed = True
                print(line, file=self.stream, flush=True)
            return
        print(line, end="\r" if frac < 1.0 else "\n", file=self.stream, flush=True)


def _positive(name, minimum: int = 1):
    """An argparse type: an integer ``>= minimum`` (1: "positive", 0: "non-negative")."""
    what = "a positive" if minimum == 1 else "a non-negative" if minimum == 0 else f">= {minimum} as an"

    def conv(text):
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be an integer, got {text!r}") from None
        if v < minimum:
            raise argparse.ArgumentTypeError(f"{name} must be {what} integer, got {v}")
        return v
    return conv


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``esma`` (sub-commands register themselves here).

    >>> build_parser().parse_args(["search", "E", "--max-period", "2"]).max_period
    2
    """
    parser = argparse.ArgumentParser(prog="esma", description="ESMA: signed continued fraction "
                                     "conjectures for mathematical constants.")
    sub = parser.add_subparsers(dest="command", required=True)

    s = sub.add_parser("search", help="search for conjectures on a constant")
    s.add_argument("constant", help="the constant, e.g. E, 'exp(2)', 'besseli(1,2)/besseli(0,2)'")
    s.add_argument("--lhs-degree", type=_positive("--lhs-degree"), default=1)
    s.add_argument("--coeff-limit", type=_positive("--coeff-limit"), default=2)
    s.add_argument("--min-period", type=_positive("--min-period"), default=1)
    s.add_argument("--max-period", type=_positive("--max-period"), default=4)
    s.add_argument("--depth", type=_positive("--depth"), default=100)
    s.add_argument("--complexity-limit", type=_positive("--complexity-limit"), default=None)
    s.add_argument("--verify-digits", type=_positive("--verify-digits"), default=100)
    s.add_argument("--lhs", action="append", default=None,
                   help="an explicit left-hand side (repeatable), e.g. --lhs 'E/(E-1)'")
    s.add_argument("--json", action="store_true", help="one JSON object per conjecture")
    s.add_argument("--limit", type=_positive("--limit"), default=None,
                   help="print at most this many conjectures")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    _db_option(s)
    s.add_argument("--no-db", action="store_true", help="do not store the conjectures")
    s.add_argument("--prove", action="store_true",
                   help="prove each conjecture (closed form + checked certificate, theory/06)")
    s.add_argument("--fold", action="store_true",
                   help="fold every conjecture into a PCF while searching (slower; otherwise "
                        "PCFs are computed when shown, exported or reported)")
    s.add_argument("--lhs-chunk", type=_positive("--lhs-chunk"), default=256,
                   help="LHS per work unit (a unit is the grain of resumption)")
    s.add_argument("--pattern-chunk", type=_positive("--pattern-chunk"), default=64,
                   help="sign patterns per work unit")
    s.add_argument("--workers", type=_positive("--workers"), default=None,
                   help="run the units on a local Dask cluster of this many processes "
                        "(extra 'dask')")
    s.add_argument("--scheduler", default=None,
                   help="run the units on the Dask cluster at this address (tcp://host:port)")
    s.set_defaults(func=_cmd_search)

    ls = sub.add_parser("list", help="list the stored conjectures")
    _db_option(ls)
    ls.add_argument("--constant", default=None, help="only this constant (as stored, e.g. 'exp(2)')")
    ls.add_argument("--run", type=_positive("--run"), default=None, help="only this run")
    ls.add_argument("--runs", action="store_true", help="list the runs instead")
    ls.add_argument("--limit", type=_positive("--limit"), default=None)
    ls.set_defaults(func=_cmd_list)

    sh = sub.add_parser("show", help="show one stored conjecture")
    sh.add_argument("id", type=_positive("id"), help="the conjecture id (see `esma list`)")
    _db_option(sh)
    sh.add_argument("--json", action="store_true", help="the export record as JSON")
    sh.set_defaults(func=_cmd_show)

    ex = sub.add_parser("export", help="export the stored conjectures")
    _db_option(ex)
    ex.add_argument("--format", choices=["json", "csv"], default="json",
                    help="json: one JSON array; csv: one row per conjecture")
    ex.add_argument("--constant", default=None, help="only this constant")
    ex.add_argument("--fold", action="store_true",
                    help="fold conjectures without a stored PCF (slow) and store the PCF")
    ex.add_argument("--out", default=None, help="write to this file instead of stdout")
    ex.set_defaults(func=_cmd_export)

    rp = sub.add_parser("report", help="write identity pages with LaTeX and convergence plots")
    _db_option(rp)
    rp.add_argument("--out", required=True, help="the output directory")
    rp.add_argument("--format", choices=["myst", "latex", "html"], default="myst")
    rp.add_argument("--constant", action="append", default=None,
                    help="only this constant (repeatable)")
    rp.add_argument("--max-plots", type=_positive("--max-plots", 0), default=None,
                    help="at most this many plots per constant (default: one per family)")
    rp.add_argument("--all-pcf", action="store_true",
                    help="fold every conjecture (default: family representatives only)")
    rp.add_argument("--jobs", type=_positive("--jobs"), default=1,
                    help="fold in this many processes (default 1)")
    rp.set_defaults(func=_cmd_report)
    return parser


def _db_option(p) -> None:
    p.add_argument("--db", default=None,
                   help="the store (default: $ESMA_DB, else esma.sqlite in the working directory)")


def _table(result, limit=None, out=None) -> None:
    out = out or sys.stdout
    rows = result.conjectures[:limit] if limit else result.conjectures
    proved = any(c.proof_status != "conjectured" for c in result.conjectures)
    head = f"{'#':>4}  {'fam':>4}  {'LHS':28s} {'signs':7s} {'prefix':14s} {'quotients P_r(k)':38s} {'digits':>6}"
    if proved:
        head += f"  {'status':22s} closed form"
    print(head, file=out)
    print("-" * len(head), file=out)
    for i, c in enumerate(rows):
        sg = "".join("+" if s > 0 else "-" for s in c.signs)
        qs = ", ".join(str(x) for x in c.quotients.polys)
        pre = ", ".join(map(str, c.prefix))
        line = f"{i:>4}  {c.family:>4}  {c.lhs_text:28s} {sg:7s} {pre:14s} {qs:38s} {c.digits:>6}"
        if proved:
            line += f"  {c.proof_status:22s} {'' if c.closed_form is None else c.closed_form}"
        print(line, file=out)
    st = result.stats
    tail = ""
    if proved:
        n = sum(c.proof_status == "proven" for c in result.conjectures)
        tail = f" {n} of {len(result.conjectures)} proven with a checked certificate."
    print(f"\n{len(result.conjectures)} conjectures in {len(result.families)} families; "
          f"{st.pairs} (LHS, pattern) pairs in {st.seconds:.2f}s "
          f"({st.pairs_per_second:,.0f} pairs/s); each recurrence predicted "
          f"{2 * result.params['depth']} further quotients exactly.{tail}", file=out)


def _cmd_search(args) -> int:
    from .search import plan_search
    from .search.engine import prepare_constant

    constant = prepare_constant(args.constant)
    lhs = None
    if args.lhs:
        from .numeric.parse import parse_constant

        lhs = [parse_constant(t) for t in args.lhs]
    # validate everything before anything is written
    plan = plan_search(constant, lhs_degree=args.lhs_degree, coeff_limit=args.coeff_limit,
                       min_period=args.min_period, max_period=args.max_period, depth=args.depth,
                       complexity_limit=args.complexity_limit, verify_digits=args.verify_digits,
                       lhs=lhs, lhs_chunk=args.lhs_chunk, pattern_chunk=args.pattern_chunk)
    if args.workers is not None or args.scheduler is not None:
        from .distributed import check_scheduler

        if args.workers is not None and args.scheduler is not None:
            raise ValueError("give --workers or --scheduler, not both")
        if args.scheduler is not None:
            check_scheduler(args.scheduler)
    progress = _Progress(f"esma search {args.constant}", enabled=not args.quiet)
    t0 = time.perf_counter()
    if args.no_db:
        result = _search_with(args, plan, progress, t0, None)
        if args.prove:
            _prove(result, None, None)
        if args.json:
            rows = result.conjectures[: args.limit] if args.limit else result.conjectures
            for c in rows:
                print(json.dumps(c.to_dict()))
            return 0
    else:
        from .store import Store, default_path

        with Store(args.db or default_path()) as store:    # refuses a foreign file first
            result = _search_with(args, plan, progress, t0, store)
            if args.prove:
                _prove(result, store, store.find_run(plan.key)["id"])
            if args.json:
                # the export records (a superset of Conjecture.to_dict()); the folded PCFs
                # are cached in the store, so printing the same search again is fast
                from .store.export import export_record

                run = store.find_run(plan.key)["id"]
                rows = store.rows(run_id=run)
                for row in rows[: args.limit] if args.limit else rows:
                    print(json.dumps(export_record(store, row, fold=True)))
                return 0
    _table(result, args.limit)
    return 0


def _prove(result, store, run_id) -> None:
    """Fill ``closed_form``/``proof_status`` of every conjecture (and record them in the store:
    stored rows of a run are in the order of the result's conjectures)."""
    from .theory import prove_all

    prove_all(result)
    if store is not None:
        for row, c in zip(store.rows(run_id=run_id), result.conjectures):
            store.set_proof(row["id"], c.closed_form, c.proof_status)


def _executor(args):
    """The executor of ``--workers``/``--scheduler`` (``None``: in this process)."""
    if args.workers is None and args.scheduler is None:
        return None
    from .distributed import make_executor

    try:
        return make_executor(args.workers, args.scheduler)
    except ImportError as err:
        opt = "--workers" if args.workers is not None else "--scheduler"
        raise ValueError(f"{opt} needs Dask (pip install 'esma_sympy[dask]'): {err}") from None


def _search_with(args, plan, progress, t0, store):
    """Run the plan (into ``store`` unless it is ``None``); the ``SearchResult``."""
    executor = _executor(args)
    try:
        return _run(args, plan, progress, t0, store, executor)
    finally:
        if executor is not None:
            executor.close()


def _run(args, plan, progress, t0, store, executor):
    from .search import merge_results, run_unit

    if store is None:
        total = plan.n_units()
        progress(0, total)
        if executor is not None:
            results = list(executor.map_units(plan))
        else:
            results = []
            for i, unit in enumerate(plan.units()):
                results.append(run_unit(plan, unit))
                progress(i + 1, total)
        progress(total, total)
        result = merge_results(plan, results, time.perf_counter() - t0)
        result.families  # assign family numbers
        return result
    from .store import run_search, stored_result

    run_id = run_search(plan, store, progress=progress, executor=executor, fold=args.fold)
    return stored_result(plan, store, run_id, time.perf_counter() - t0)


def _open(args):
    from .store import Store, default_path

    return Store(args.db or default_path(), create=False)


def _signs_text(signs) -> str:
    return "".join("+" if s > 0 else "-" for s in signs)


def _cmd_list(args) -> int:
    with _open(args) as store:
        if args.runs:
            print(f"{'run':>4}  {'status':8s} {'units':>6}  {'resumes':>7}  {'started':25s} params")
            for r in store.runs():
                print(f"{r['id']:>4}  {r['status']:8s} {r['n_units']:>6}  {r['resumes']:>7}  "
                      f"{r['started']:25s} {r['params']}")
            return 0
        rows = store.rows(run_id=args.run, constant=args.constant)
    if args.limit:
        rows = rows[: args.limit]
    head = (f"{'id':>5}  {'constant':12s} {'fam':>4}  {'LHS':28s} {'signs':7s} "
            f"{'quotients P_r(k)':38s} {'digits':>6}  {'status':12s}")
    print(head)
    print("-" * len(head))
    for r in rows:
        qs = ", ".join(json.loads(r["quotients"]))
        print(f"{r['id']:>5}  {r['constant']:12s} {r['family']:>4}  {r['lhs']:28s} "
              f"{_signs_text(json.loads(r['signs'])):7s} {qs:38s} {r['digits']:>6}  "
              f"{r['proof_status']:12s}")
    print(f"\n{len(rows)} conjectures")
    return 0


def _cmd_show(args) -> int:
    from .store.export import export_record

    with _open(args) as store:
        rec = export_record(store, store.row(args.id), fold=True)
    if args.json:
        print(json.dumps(rec, indent=2))
        return 0
    c = rec
    width = max(len(k) for k in c)
    for k, v in c.items():
        if isinstance(v, list) and k == "terms":
            v = ", ".join(map(str, v)) + ", ..."
        print(f"{k:>{width}}  {v}")
    return 0


def _cmd_export(args) -> int:
    from .store.export import export

    with _open(args) as store:
        if args.out:
            with open(args.out, "w", encoding="utf-8", newline="") as f:
                n = export(store, f, format=args.format, constant=args.constant, fold=args.fold)
            print(f"esma: exported {n} conjectures to {args.out}", file=sys.stderr)
        else:
            export(store, sys.stdout, format=args.format, constant=args.constant, fold=args.fold)
    return 0


def _cmd_report(args) -> int:
    from .report import write_report

    with _open(args) as store:
        pages = write_report(store, args.out, format=args.format, constants=args.constant,
                             max_plots=args.max_plots, all_pcf=args.all_pcf, jobs=args.jobs)
    for p in pages:
        print(p)
    return 0


def main(argv=None) -> int:
    """Entry point of the ``esma`` console script; returns the exit status.

    >>> main(["search", "3/4"])          # the message goes to stderr
    2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    from .errors import EsmaError

    try:
        return args.func(args)
    except (ValueError, TypeError, EsmaError) as err:
        print(f"esma: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("esma: interrupted (every finished work unit is stored; run the same command "
              "again to resume)" if args.command == "search" else "esma: interrupted",
              file=sys.stderr)
        return 130
    except BrokenPipeError:          # `esma search E | head`: the reader left, not an error
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
