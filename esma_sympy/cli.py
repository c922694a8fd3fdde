"""The ``esma`` command.

``esma search EXPR [options]`` runs the ESMA search on a constant (parsed by the whitelist
parser, never evaluated as Python) into the conjecture store (``--db PATH``, else ``$ESMA_DB``,
else ``esma.sqlite`` in the working directory; ``--no-db`` keeps nothing), shows a progress bar
on stderr and prints a table (or, with ``--json``, one JSON object per conjecture) on stdout.
An interrupted search resumes where it stopped when run again with the same parameters.
Bad input prints one line naming the argument to stderr and exits with status 2, never a
traceback; nothing is written (the arguments are validated before the store is opened).  A
search that fails marks its run ``failed`` (``interrupted`` after Ctrl-C); it resumes when run
again.  Before a search the number of (LHS, pattern) pairs and an estimate of the time go to
stderr; a search estimated above ``--confirm-above`` seconds asks first on a terminal and needs
``--yes`` elsewhere.  The table starts with a one-line summary, shows ``--limit`` rows (default
20; 0 for all) and ends with what was found, or why nothing was.  ``--json`` prints one JSON
object per conjecture as soon as the search is done; ``pcf`` is filled only from the store's
cache or with ``--fold``.

``esma list``, ``esma show ID``, ``esma export --format json|csv`` read the store;
``esma report --out DIR`` writes the identity pages (see :mod:`esma_sympy.report`);
``esma doctor`` reports the damage of a store and, with ``--out NEW``, copies its intact rows
into a new one (see :mod:`esma_sympy.store.doctor`).  A store that is damaged, foreign or
locked by another writer for longer than ``$ESMA_LOCK_TIMEOUT`` seconds is refused by every
sub-command with one line naming it and exit status 2, before anything is written.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from ._messages import shown
from .verdict import ProofStatus

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
        _raise_if_interrupted()
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


def _positive(name, minimum: int = 1, maximum: int = 2**63 - 1):
    """An argparse type: an integer ``>= minimum`` (1: "positive", 0: "non-negative") and at
    most ``maximum`` (default: the largest SQLite integer)."""
    what = "a positive" if minimum == 1 else "a non-negative" if minimum == 0 else f">= {minimum} as an"

    def conv(text):
        try:
            v = int(text) if len(text) <= 40 and text.strip().isascii() else None
        except ValueError:
            v = None
        if v is None:
            raise argparse.ArgumentTypeError(f"{name} must be an integer, got {shown(text, 40)}")
        if v < minimum:
            raise argparse.ArgumentTypeError(f"{name} must be {what} integer, got {v}")
        if v > maximum:
            raise argparse.ArgumentTypeError(f"{name} must be <= {maximum}, got {v}")
        return v
    return conv


def _path(name):
    """An argparse type: a non-empty path."""
    def conv(text):
        if not text.strip():
            raise argparse.ArgumentTypeError(f"{name} must be a path, got an empty string")
        return text
    return conv


def _size(text):
    from .limits import parse_size

    try:
        return parse_size(text, "--max-memory")
    except (TypeError, ValueError) as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _dash_values(argv, parser):
    """``esma search -E``, ``--lhs -E``: arguments that start with ``-`` but are no option
    (negative constants) reach argparse as values: an option's value as ``--opt=VALUE``, the
    constant after ``--``.

    >>> _dash_values(["search", "-E", "--max-period", "2"], build_parser())
    ['search', '--max-period', '2', '--', '-E']
    """
    if not argv:
        return argv
    sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    if sub is None or argv[0] not in sub.choices:
        return argv
    sp = sub.choices[argv[0]]
    opts = sp._option_string_actions
    takes_positional = any(not a.option_strings for a in sp._actions)

    def option(tok):
        return tok in opts or tok.split("=", 1)[0] in opts or tok.startswith("--")

    out, tail, rest, i = [argv[0]], [], list(argv[1:]), 0
    while i < len(rest):
        tok = rest[i]
        if tok == "--":
            tail.extend(rest[i + 1:])
            break
        act = opts.get(tok)
        if act is not None and act.nargs != 0 and i + 1 < len(rest):
            val = rest[i + 1]
            out += [f"{tok}={val}"] if val.startswith("-") and not option(val) else [tok, val]
            i += 2
            continue
        if tok.startswith("-") and len(tok) > 1 and not option(tok) and takes_positional:
            tail.append(tok)
        else:
            out.append(tok)
        i += 1
    return out + (["--"] + tail if tail else [])


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: the usage block is what ``--help`` is for."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (`{self.prog} --help` lists the options)\n")


class _Formatter(argparse.ArgumentDefaultsHelpFormatter):
    """Help that shows every default (``%(default)s``), as pip and pytest do (once: a help
    text that already says its default keeps its own words)."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "(default:" in text or (action.required and action.default is None):
            return text                  # a required option has no default to show
        return super()._get_help_string(action)


def _version() -> str:
    from . import __version__

    return __version__


class _VersionAction(argparse.Action):
    """``--version``: the version is read from the package metadata only when asked for
    (``importlib.metadata`` costs 40 ms, a tenth of a search of ``E``)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS,
                 help="show program's version number and exit"):
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0,
                         help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        parser._print_message(f"esma {_version()}\n", sys.stdout)
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``esma`` (sub-commands register themselves here).

    >>> build_parser().parse_args(["search", "E", "--max-period", "2"]).max_period
    2
    """
    parser = _Parser(prog="esma", formatter_class=_Formatter,
                                     description="ESMA: signed continued fraction "
                                     "conjectures for mathematical constants.")
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", required=True)

    s = sub.add_parser("search", help="search for conjectures on a constant",
                       formatter_class=_Formatter)
    s.add_argument("constant", help="the constant, e.g. E, 'exp(2)', 'besseli(1,2)/besseli(0,2)'")
    s.add_argument("--lhs-degree", type=_positive("--lhs-degree"), default=1,
                   help="degree of P and Q in the left-hand sides P(c)/Q(c)")
    s.add_argument("--coeff-limit", type=_positive("--coeff-limit"), default=2,
                   help="largest |coefficient| of P and Q")
    s.add_argument("--min-period", type=_positive("--min-period"), default=1,
                   help="shortest sign-pattern period")
    s.add_argument("--max-period", type=_positive("--max-period"), default=4,
                   help="longest sign-pattern period")
    s.add_argument("--depth", type=_positive("--depth"), default=100,
                   help="partial quotients expanded per pair (the recurrence must predict "
                        "2*depth more)")
    s.add_argument("--complexity-limit", type=_positive("--complexity-limit"), default=None,
                   help="reject recurrences of this order or more (default: depth // 4)")
    s.add_argument("--verify-digits", type=_positive("--verify-digits"), default=100,
                   help="digits the cylinder bound must prove for a conjecture")
    s.add_argument("--lhs", action="append", default=None,
                   help="an explicit left-hand side (repeatable), e.g. --lhs 'E/(E-1)'")
    s.add_argument("--json", action="store_true",
                   help="one JSON object per conjecture (JSON lines; pcf only from the store's "
                        "cache or with --fold)")
    s.add_argument("--limit", type=_positive("--limit", 0), default=None,
                   help="print at most this many conjectures, 0 for all (default: 20 in the "
                        "table, all with --json)")
    s.add_argument("--quiet", action="store_true", help="no progress bar, estimate or summary "
                   "on stderr")
    s.add_argument("--yes", action="store_true",
                   help="do not ask before a search estimated to take long")
    s.add_argument("--confirm-above", type=_positive("--confirm-above"), default=60,
                   help="seconds of estimated search time above which to ask first")
    _db_option(s)
    s.add_argument("--no-db", action="store_true", help="do not store the conjectures")
    s.add_argument("--max-memory", type=_size, default=None,
                   help="memory limit, e.g. 512M or 8G: a search whose work unit is estimated "
                   "above it does not start, one whose process grows above it stops after "
                   "that unit (stored units are kept; default: esma_sympy.limits.MAX_MEMORY, 2G)")
    s.add_argument("--prove", action="store_true",
                   help="prove each conjecture (closed form + checked certificate, theory/06)")
    s.add_argument("--fold", action="store_true",
                   help="fold every conjecture into a PCF (slower; otherwise PCFs are computed "
                        "when shown, exported or reported)")
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

    ls = sub.add_parser("list", help="list the stored conjectures", formatter_class=_Formatter)
    _db_option(ls)
    ls.add_argument("--constant", default=None,
                    help="only this constant, however typed ('e', 'E' and 'exp(1)' agree)")
    ls.add_argument("--run", type=_positive("--run"), default=None, help="only this run")
    ls.add_argument("--runs", action="store_true", help="list the runs instead")
    ls.add_argument("--limit", type=_positive("--limit", 0), default=None,
                    help="print at most this many conjectures (0 or default: all)")
    ls.set_defaults(func=_cmd_list)

    sh = sub.add_parser("show", help="show one stored conjecture", formatter_class=_Formatter)
    sh.add_argument("id", type=_positive("id"), help="the conjecture id (the id column of "
                    "`esma search` and `esma list`)")
    _db_option(sh)
    sh.add_argument("--json", action="store_true", help="the export record as JSON")
    sh.add_argument("--no-fold", action="store_true",
                    help="do not fold the conjecture into a PCF when none is stored")
    sh.set_defaults(func=_cmd_show)

    ex = sub.add_parser("export", help="export the stored conjectures", formatter_class=_Formatter)
    _db_option(ex)
    ex.add_argument("--format", choices=["json", "csv"], default="json",
                    help="json: one JSON array; csv: one row per conjecture")
    ex.add_argument("--constant", default=None, help="only this constant, however typed")
    ex.add_argument("--fold", action="store_true",
                    help="fold conjectures without a stored PCF (slow) and store the PCF")
    ex.add_argument("--out", default=None, type=_path("--out"),
                    help="write to this new file instead of stdout")
    ex.add_argument("--force", action="store_true",
                    help="let --out replace an existing regular file (never a store, a device, "
                    "a pipe or a symbolic link)")
    ex.set_defaults(func=_cmd_export)

    rp = sub.add_parser("report", help="write identity pages with LaTeX and convergence plots",
                        formatter_class=_Formatter)
    _db_option(rp)
    rp.add_argument("--out", required=True, type=_path("--out"),
                    help="the output directory (created if missing)")
    from .report import FORMATS

    rp.add_argument("--format", choices=list(FORMATS), default="html",
                    help="page format (pdf: LaTeX compiled with pdflatex)")
    rp.add_argument("--constant", action="append", default=None,
                    help="only this constant (repeatable), however typed")
    rp.add_argument("--max-plots", type=_positive("--max-plots", 0), default=None,
                    help="at most this many plots per constant (default: one per family)")
    rp.add_argument("--all-pcf", action="store_true",
                    help="fold every conjecture (default: family representatives only)")
    rp.add_argument("--jobs", type=_positive("--jobs"), default=1,
                    help="fold in this many processes")
    rp.add_argument("--force", action="store_true",
                    help="write into a non-empty directory that is not an esma report")
    rp.set_defaults(func=_cmd_report)

    at = sub.add_parser("atlas", help="search every constant of a catalogue and settle each "
                        "conjecture (proven, or the reason it is not)", formatter_class=_Formatter)
    at.add_argument("catalogue", nargs="?", default=None, type=_path("catalogue"),
                    help="a TOML catalogue of [[constant]] tables (expr, and optional name, "
                         "lhs_degree, coeff_limit, max_period, kind); default: the catalogue "
                         "shipped with the package (esma atlas --list-default)")
    at.add_argument("--list-default", action="store_true",
                    help="print the default catalogue's expressions, one per line, and exit")
    _db_option(at)
    at.add_argument("--first", type=_positive("--first"), default=None,
                    help="only the first N constants of the catalogue (default: all)")
    at.add_argument("--quiet", action="store_true",
                    help="no progress bar on stderr (the per-constant lines still print)")
    at.add_argument("--workers", type=_positive("--workers"), default=None,
                    help="run the units on a local Dask cluster of this many processes "
                         "(extra 'dask')")
    at.add_argument("--scheduler", default=None,
                    help="run the units on the Dask cluster at this address (tcp://host:port)")
    at.add_argument("--export", default=None, type=_path("--export"),
                    help="also write the families as JSON lines to this file (LaTeX, PCF, "
                         "closed form, proof status)")
    at.add_argument("--force", action="store_true",
                    help="let --export replace an existing regular file")
    at.set_defaults(func=_cmd_atlas)

    dr = sub.add_parser("doctor", help="report the damage of a store; copy its intact rows into "
                        "a new file", formatter_class=_Formatter)
    _db_option(dr)
    dr.add_argument("--out", default=None, type=_path("--out"),
                    help="write the intact rows into this new store (never over a file)")
    dr.set_defaults(func=_cmd_doctor)
    return parser


def _db_option(p) -> None:
    p.add_argument("--db", default=None, type=_path("--db"),
                   help="the store (default: $ESMA_DB, else esma.sqlite in the working directory)")


_TABLE_ROWS = 20


def _cell(text, width: int) -> str:
    """``text`` padded to ``width``, or cut with an ellipsis so the columns stay aligned."""
    text = str(text)
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "\u2026"


def _signs_text(signs) -> str:
    return "".join("+" if s > 0 else "-" for s in signs)


def _summary(result, plan, store_note: str = "") -> str:
    """One line: what the search found (first line of the table, last line on stderr)."""
    n, fams = len(result.conjectures), len(result.families)
    line = (f"{result.constant}: {n} conjecture{'s' if n != 1 else ''} in {fams} "
            f"famil{'ies' if fams != 1 else 'y'} from {plan.n_pairs} (LHS, pattern) pairs")
    if not store_note.startswith(" (read"):
        line += f" in {result.stats.seconds:.2f}s"
    if any(c.proof_status != ProofStatus.CONJECTURED for c in result.conjectures):
        proven = sum(c.proof_status == ProofStatus.PROVEN for c in result.conjectures)
        line += f"; {proven} proven with a checked certificate"
    return line + store_note


def _explain(result, plan) -> list:
    """What to tell the user after the table: why nothing was found, or that the hits are
    trivially periodic (a quadratic irrational)."""
    p = result.params
    st = result.stats
    if not result.conjectures and st.rejected_digits:
        return [f"no conjecture: {st.rejected_digits} candidate expansions obey a linear "
                f"recurrence of order < {p['complexity_limit']}, but none could be proven to "
                f"--verify-digits {p['verify_digits']} digits at depth {p['depth']}.",
                "try a larger --depth (or lower --verify-digits), a longer period "
                "(--max-period 6) or larger coefficients (--coeff-limit 3)."]
    if not result.conjectures:
        return [f"no conjecture: none of the {plan.n_pairs} (LHS, pattern) pairs has partial "
                f"quotients obeying a linear recurrence of order < {p['complexity_limit']} "
                f"(sign-pattern periods {p['min_period']}..{p['max_period']}, depth "
                f"{p['depth']}).",
                "try a longer period (--max-period 6), larger coefficients (--coeff-limit 3), "
                "--lhs-degree 2, or a related constant (e.g. exp(2) instead of exp(1)**2)."]
    periodic = sum(all(len(q) <= 1 for q in c.polys) for c in result.conjectures)
    if periodic == len(result.conjectures):
        return [f"all {periodic} conjectures have periodic partial quotients: "
                f"{result.constant} is a quadratic irrational, and every expansion of a "
                "quadratic irrational is eventually periodic (Lagrange): these are trivial."]
    if periodic:
        return [f"{periodic} of the {len(result.conjectures)} conjectures have periodic "
                "partial quotients (trivial: a quadratic irrational left-hand side)."]
    return []


def _table(result, plan, limit=None, out=None, ids=None, store_note: str = "",
           run_id=None) -> None:
    """The search table: a summary line, ``limit`` rows (default 20, 0: all), then the
    fastest formula and how to see more.  ``ids`` are the store ids (``None``: ``#``, from 1)."""
    out = out or sys.stdout
    total = len(result.conjectures)
    shown = total if limit == 0 else min(total, _TABLE_ROWS if limit is None else limit)
    rows = result.conjectures[:shown]
    proved = any(c.proof_status != ProofStatus.CONJECTURED for c in result.conjectures)
    print(_summary(result, plan, store_note), file=out)
    if rows:
        from .search.conjecture import poly_text

        key = "id" if ids is not None else "#"
        # the widths of the numeric columns and of the signs from what is shown (a period-8
        # pattern, a five-digit family number), so every row has the width of the header
        wid = max(5, len(str(ids[shown - 1] if ids is not None else shown)),
                  *(len(str(i)) for i in (ids[:shown] if ids is not None else ())))
        wfam = max(4, *(len(str(c.family)) for c in rows))
        wsig = max(7, *(len(_signs_text(c.signs)) for c in rows))
        wsig = min(wsig, 16)
        head = (f"{key:>{wid}}  {'fam':>{wfam}}  {_cell('LHS', 24)} {_cell('signs', wsig)} "
                f"{_cell('prefix', 14)} {_cell('quotients P_r(k)', 36)} {'digits':>6}")
        if proved:
            head += f"  {_cell('status', 22)} closed form"
        print(head, file=out)
        print("-" * len(head), file=out)
        for i, c in enumerate(rows):
            qs = ", ".join(map(poly_text, c.polys))
            pre = ", ".join(map(str, c.prefix))
            ident = ids[i] if ids is not None else i + 1
            line = (f"{ident:>{wid}}  {c.family:>{wfam}}  {_cell(c.lhs_text, 24)} "
                    f"{_cell(_signs_text(c.signs), wsig)} {_cell(pre, 14)} {_cell(qs, 36)} "
                    f"{c.digits:>6}")
            if proved:
                cf = "" if c.closed_form is None else c.closed_form
                line += f"  {_cell(c.proof_status, 22)} {cf}"
            print(line, file=out)
        print(file=out)
    if shown < total:
        more = f"`esma list --run {run_id}` or --limit 0" if ids is not None else "--limit 0"
        print(f"showing {shown} of {total} conjectures; {more} for all.", file=out)
    if rows:
        # over every conjecture: members of a family share their tails, not their prefixes,
        # so their rates at a finite depth differ
        from .search.conjecture import fastest

        best = fastest(result.conjectures)
        print(f"fastest: {best.lhs_text} with signs {_signs_text(best.signs)} "
              f"({best.rate():.2f} digits per quotient); each recurrence predicted "
              f"{2 * result.params['depth']} further quotients exactly.", file=out)
    for line in _explain(result, plan):
        print(line, file=out)


# seconds a stored search adds per (LHS, pattern) pair: writing, grouping and reading back its
# conjectures (measured on E: 17 s at period 8, 69 s at period 10, over the --no-db time)
_STORE_SECONDS_PER_PAIR = 1.6e-4


def _estimate(plan, stored: bool = False) -> float:
    return plan.estimated_seconds() + (_STORE_SECONDS_PER_PAIR * plan.n_pairs if stored else 0)


def _duration(sec: float) -> str:
    if sec < 1:
        return "under a second"
    if sec < 120:
        return f"{sec:.0f} s"
    if sec < 7200:
        return f"{sec / 60:.0f} min"
    return f"{sec / 3600:.1f} h"


class _Declined(Exception):
    """The user answered no: nothing was done (exit status 1)."""


# CPU seconds of ``prove_all`` per conjecture: measured 3.7 to 11.8 ms (E at periods 3
# and 4, tan 1, exp(2), exp(1/3)); the high end, since the count is known only afterwards
_PROVE_SECONDS = 0.012


def _confirm(args, plan) -> None:
    """Say how big the search is; ask (terminal) or require ``--yes`` above the threshold."""
    est = _estimate(plan, stored=not args.no_db)
    if not args.quiet:
        then = (f", then about {1e3 * _PROVE_SECONDS:.0f} ms per conjecture found for --prove"
                if getattr(args, "prove", False) else "")
        print(f"esma: {plan.n_pairs:,} (LHS, pattern) pairs in {plan.n_units()} units; "
              f"estimated {_duration(est)}{then}", file=sys.stderr)
    _ask(args, est, "this search", "search not started",
         f"the search is estimated at {_duration(est)} (above --confirm-above "
         f"{args.confirm_above}): pass --yes to run it")


def _ask(args, est, what, declined, refused) -> None:
    if est <= args.confirm_above or args.yes:
        return
    if sys.stdin.isatty() and sys.stderr.isatty():
        print(f"esma: {what} may take {_duration(est)}. Continue? [y/N] ", end="",
              file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() in ("y", "yes"):
            return
        raise _Declined(declined)
    raise ValueError(refused)


def _confirm_prove(args, result, where: str) -> None:
    """The second estimate of ``--prove``, once the number of conjectures is known."""
    n = len(result.conjectures)
    est = n * _PROVE_SECONDS
    if not args.quiet and n:
        print(f"esma: proving {n:,} conjectures; estimated {_duration(est)}", file=sys.stderr)
    _ask(args, est, f"proving {n:,} conjectures", f"proofs not started ({where})",
         f"--prove: proving the {n:,} conjectures found is estimated at {_duration(est)} "
         f"(above --confirm-above {args.confirm_above}; {where}): pass --yes to prove them")


def _stderr_summary(args, result, plan, note: str = "") -> None:
    if not args.quiet:
        print(f"esma: {_summary(result, plan, note)}", file=sys.stderr)
        for line in _explain(result, plan):
            print(f"esma: {line}", file=sys.stderr)


def _cmd_search(args) -> int:
    from .search import plan_search
    from .search.plan import prepare_constant

    constant = prepare_constant(args.constant)
    lhs = None
    if args.lhs:
        from .numeric.parse import parse_constant

        lhs = []
        for t in args.lhs:
            try:
                lhs.append(parse_constant(t))
            except (ValueError, TypeError) as err:
                raise type(err)(f"--lhs = {shown(t)}: {err}") from None
    # validate everything before anything is written
    plan = plan_search(constant, lhs_degree=args.lhs_degree, coeff_limit=args.coeff_limit,
                       min_period=args.min_period, max_period=args.max_period, depth=args.depth,
                       complexity_limit=args.complexity_limit, verify_digits=args.verify_digits,
                       lhs=lhs, lhs_chunk=args.lhs_chunk, pattern_chunk=args.pattern_chunk,
                       max_memory=args.max_memory)
    if args.no_db and args.db is not None:
        raise ValueError(f"--no-db and --db {args.db!r} contradict each other: give one")
    if args.workers is not None or args.scheduler is not None:
        from .distributed import check_scheduler

        if args.workers is not None and args.scheduler is not None:
            raise ValueError("give --workers or --scheduler, not both")
        if args.scheduler is not None:
            check_scheduler(args.scheduler)
    from .search import run as _search_run  # noqa: F401 - the modules the search runs on

    _imports_done()
    progress = _Progress(f"esma search {args.constant}", enabled=not args.quiet)
    limit = None if args.limit == 0 else args.limit
    if args.no_db:
        _confirm(args, plan)
        t0 = time.perf_counter()
        result = _search_with(args, plan, progress, t0, None)
        if args.prove:
            _confirm_prove(args, result, "--no-db: the search was not kept")
            _prove(result, None, None)
        if args.json:
            from .search.conjecture import constant_texts_memo, prime_rates, prime_simple_rates

            shown_conjs = result.conjectures[:limit] if limit else result.conjectures
            # the rates of every record first, in bulk (the same numbers as one by one)
            prime_rates(shown_conjs)
            prime_simple_rates(shown_conjs)
            # json.dumps's output (the records are trees: no cycle to check for)
            encode, write = json.JSONEncoder(check_circular=False).encode, sys.stdout.write
            with constant_texts_memo():
                for c in shown_conjs:
                    write(encode(c.to_dict(fold=args.fold)) + "\n")
            _stderr_summary(args, result, plan)
        else:
            _table(result, plan, args.limit)
        return 0
    from .store import Store, default_path

    path = args.db or default_path()
    with Store(path) as store:    # refuses a foreign file first
        old = store.find_run(plan.key)
        cached = old is not None and old["status"] == "done"
        if not cached:
            _confirm(args, plan)
        t0 = time.perf_counter()
        result = _search_with(args, plan, progress, t0, store, cached=cached)
        run_id = store.find_run(plan.key)["id"]
        if args.prove:
            _confirm_prove(args, result, f"the search is stored in {path}, run {run_id}, and "
                                         "is not recomputed")
            _prove(result, store, run_id)
        rows = store.rows(run_id=run_id)
        note = (f" (read from the store {path}, run {run_id}, finished "
                f"{old['finished'] or 'earlier'}: nothing recomputed)" if cached else
                f"; stored in {path}, run {run_id}")
        if args.json:
            # the export records (a superset of Conjecture.to_dict()); the PCF only when the
            # store has it cached, or with --fold
            from .store.export import export_record

            for row in rows[:limit] if limit else rows:
                print(json.dumps(export_record(store, row, fold=args.fold)))
            _stderr_summary(args, result, plan, note)
            return 0
    _table(result, plan, args.limit, ids=[r["id"] for r in rows], store_note=note, run_id=run_id)
    if result.conjectures:
        print(f"next: `esma show {rows[0]['id']}`, `esma list --run {run_id}`, "
              "`esma report --out report/`")
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


def _search_with(args, plan, progress, t0, store, cached: bool = False):
    """Run the plan (into ``store`` unless it is ``None``); the ``SearchResult``.  A run the
    store holds finished (``cached``) starts no cluster: there is nothing to compute."""
    executor = None if cached else _executor(args)
    try:
        result = _run(args, plan, progress, t0, store, executor)
    finally:
        if executor is not None:
            executor.close()
    _raise_if_interrupted()
    return result


_SIGINTS: list = []
_INT_DIGITS = 25_000


def _on_sigint(signum, frame):
    """Ctrl-C: remembered, then raised.  Dask's garbage-collection callback swallows an
    exception raised while it runs ("Exception ignored in ... _gc_callback"), and the search
    then ran to its end (seen once in three with --workers 2); the remembered Ctrl-C is
    raised again at the next check (after each work unit and after the search)."""
    _SIGINTS.append(signum)
    raise KeyboardInterrupt


def _quiet_unraisable(unraisable) -> None:
    """``sys.unraisablehook`` while the command runs: a Ctrl-C raised inside a callback that
    swallows it (Dask's gc callback) is remembered by :func:`_on_sigint` and raised again at
    the next check, so Python's "Exception ignored in ... Traceback" is not printed for it
    (seen once in about 30 Ctrl-Cs with --workers 2); any other exception goes to the hook
    that was there."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and _SIGINTS:
        return
    _UNRAISABLE[0](unraisable)


_UNRAISABLE: list = [sys.unraisablehook]


def _raise_if_interrupted() -> None:
    if _SIGINTS:
        raise KeyboardInterrupt


def _run(args, plan, progress, t0, store, executor):
    from .search import merge_results, run_unit

    if store is None:
        total = plan.n_units()
        progress(0, total)
        done = (executor.map_units(plan) if executor is not None else
                (run_unit(plan, unit) for unit in plan.units()))
        results = []
        for i, res in enumerate(done):
            results.append(res)
            plan.check_memory(i + 1, total)
            progress(i + 1, total)
        progress(total, total)
        result = merge_results(plan, results, time.perf_counter() - t0)
        result.families  # assign family numbers
        return result
    from .store import run_search, stored_result

    run_id = run_search(plan, store, progress=progress, executor=executor, fold=args.fold)
    result = stored_result(plan, store, run_id, time.perf_counter() - t0)
    from .limits import check_usage

    check_usage(f"after reading the {len(result.conjectures):,} stored conjectures back",
                plan.max_memory)
    return result


def _open(args):
    from .store import Store, default_path

    return Store(args.db or default_path(), create=False)


def _match_constant(store, text):
    """The stored spelling of the constant ``text`` however it was typed (``e``, ``E`` and
    ``exp(1)`` are the same constant), or ``None`` for ``None``."""
    if text is None:
        return None
    from .numeric.parse import parse_constant

    stored = store.constants()
    if text in stored:
        return text
    try:
        want = parse_constant(text)
    except (ValueError, TypeError) as err:
        raise ValueError(f"--constant: {err}") from None
    for name in stored:
        try:
            if parse_constant(name) == want:
                return name
        except (ValueError, TypeError):
            continue
    return str(want)                   # a valid constant with nothing stored: no rows


def _cmd_list(args) -> int:
    with _open(args) as store:
        args.constant = _match_constant(store, args.constant)
        store_constants = store.constants()
        if args.runs:
            runs = store.runs()           # read (and checked) before anything is printed
            print(f"{'run':>4}  {'status':8s} {'units':>6}  {'resumes':>7}  {'started':25s} params")
            for r in runs:
                print(f"{r['id']:>4}  {r['status']:8s} {r['n_units']:>6}  {r['resumes']:>7}  "
                      f"{r['started']:25s} {r['params']}")
            return 0
        rows = store.rows(run_id=args.run, constant=args.constant)
    total = len(rows)
    if args.limit:
        rows = rows[: args.limit]
    what = f" of {args.constant}" if args.constant else ""
    print(f"{total} stored conjecture{'s' if total != 1 else ''}{what}"
          + (f", showing {len(rows)}" if len(rows) < total else ""))
    if not total:
        print(f"stored constants: {', '.join(store_constants) or 'none'}")
        return 0
    head = (f"{'id':>5}  {_cell('constant', 12)} {'fam':>4}  {_cell('LHS', 24)} "
            f"{_cell('signs', 7)} {_cell('quotients P_r(k)', 36)} {'digits':>6}  status")
    print(head)
    print("-" * len(head))
    for r in rows:
        qs = ", ".join(json.loads(r["quotients"]))
        print(f"{r['id']:>5}  {_cell(r['constant'], 12)} {r['family']:>4}  "
              f"{_cell(r['lhs'], 24)} {_cell(_signs_text(json.loads(r['signs'])), 7)} "
              f"{_cell(qs, 36)} {r['digits']:>6}  {r['proof_status']}")
    return 0


def _cmd_show(args) -> int:
    from .store.export import export_record

    with _open(args) as store:
        rec = export_record(store, store.row(args.id), fold=not args.no_fold)
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


def _check_out_file(path: str, db: str | None = None, force: bool = False) -> None:
    """``--out`` of ``export``: a new file, or with ``force`` an existing regular file, in an
    existing directory, that is neither the store (nor its ``-wal``/``-shm``) nor any other
    SQLite database (an export never overwrites a store), nor a device, pipe, socket or
    symbolic link (the export is renamed into place, which would replace them)."""
    import os

    if not path.strip():
        raise ValueError("--out must be a file name, got an empty string")
    if os.path.isdir(path) or path.endswith((os.sep, "/")):
        raise ValueError(f"--out = {path!r} is a directory; give a file name")
    from .store.integrity import check_not_side_file

    check_not_side_file(path)
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise ValueError(f"--out = {path!r}: the directory {parent!r} does not exist")
    # a device, pipe, socket or link first: opening a pipe to read its header would block
    if os.path.islink(path) or (os.path.lexists(path) and not os.path.isfile(path)):
        raise ValueError(f"--out = {path!r} is not a regular file (a device, pipe, socket or "
                         "symbolic link): an export writes a new file or replaces a regular one")
    if os.path.exists(path):
        if db is not None:
            for side in (db, db + "-wal", db + "-shm", db + "-journal"):
                if os.path.exists(side) and os.path.samefile(path, side):
                    raise ValueError(f"--out = {path!r} is the store {db!r} (or one of its "
                                     "files): an export never overwrites the store")
        try:
            with open(path, "rb") as f:
                head = f.read(16)
        except OSError:
            head = b""
        if head == b"SQLite format 3\x00":
            raise ValueError(f"--out = {path!r} is an SQLite database (a store?): an export "
                             "never overwrites one; give another file name")
    if os.path.exists(path) and not force:
        raise ValueError(f"--out = {path!r} exists: give --force to replace it, or another name")


def _check_out_dir(path: str, force: bool = False) -> None:
    import os

    from .report.pages import REPORT_MARKER

    if os.path.exists(path) and not os.path.isdir(path):
        raise ValueError(f"--out = {path!r} exists and is not a directory")
    if (os.path.isdir(path) and not force and os.listdir(path)
            and not os.path.isfile(os.path.join(path, REPORT_MARKER))):
        raise ValueError(f"--out = {path!r} is a directory with other files in it, not an esma "
                         "report: give a new or empty directory, or --force to write into it")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise ValueError(f"--out = {path!r}: the directory {parent!r} does not exist")
    if not os.path.exists(path):        # a probe: made and removed, the report makes it later
        try:
            os.mkdir(path)
        except OSError as err:
            raise ValueError(f"--out = {path!r}: cannot create the directory "
                             f"({err.strerror or err})") from None
        os.rmdir(path)


def _cmd_export(args) -> int:
    from .store.export import export

    if args.out:
        from .store import default_path

        _check_out_file(args.out, args.db or default_path(), force=args.force)
    with _open(args) as store:
        args.constant = _match_constant(store, args.constant)
        if args.out:
            import os

            # written beside the target and renamed into place: a failed export leaves the
            # target as it was
            tmp = f"{args.out}.{os.getpid()}.tmp"
            try:
                try:
                    f = open(tmp, "w", encoding="utf-8", newline="")
                except OSError as err:
                    raise ValueError(f"--out = {args.out!r}: cannot write a file in "
                                     f"{os.path.dirname(os.path.abspath(args.out))!r} "
                                     f"({err.strerror or err})") from None
                with f:
                    n = export(store, f, format=args.format, constant=args.constant,
                               fold=args.fold)
                try:
                    os.replace(tmp, args.out)
                except OSError as err:
                    raise ValueError(f"--out = {args.out!r}: cannot replace it "
                                     f"({err.strerror or err})") from None
            finally:
                if os.path.exists(tmp):
                    os.remove(tmp)
            print(f"esma: exported {n} conjectures to {args.out}", file=sys.stderr)
        else:
            export(store, sys.stdout, format=args.format, constant=args.constant, fold=args.fold)
    return 0


def _cmd_report(args) -> int:
    from .report import write_report

    _check_out_dir(args.out, force=args.force)
    with _open(args) as store:
        if args.constant:
            # one page per stored constant, however often and however it was typed
            args.constant = list(dict.fromkeys(_match_constant(store, c) for c in args.constant))
        # the report caches PCFs: check every row of the store first, so a damaged row
        # refuses the report before a directory is made or anything is written
        store.check_rows()
        pages = write_report(store, args.out, format=args.format, constants=args.constant,
                             max_plots=args.max_plots, all_pcf=args.all_pcf, jobs=args.jobs)
    for p in pages:
        print(p)
    return 0


def _cmd_atlas(args) -> int:
    from .atlas import default_catalogue, load_catalogue, run_atlas

    if args.list_default:
        if args.catalogue is not None:
            raise ValueError("--list-default prints the default catalogue: give no CATALOGUE")
        for e in default_catalogue():
            print(e.expr)
        return 0
    entries = default_catalogue() if args.catalogue is None else load_catalogue(args.catalogue)
    if args.first is not None:
        entries = entries[: args.first]
    if args.workers is not None or args.scheduler is not None:
        from .distributed import check_scheduler

        if args.workers is not None and args.scheduler is not None:
            raise ValueError("give --workers or --scheduler, not both")
        if args.scheduler is not None:
            check_scheduler(args.scheduler)
    from .store import Store, default_path

    path = args.db or default_path()
    if args.export is not None:
        try:
            _check_out_file(args.export, path, args.force)
        except ValueError as err:       # the checks speak of export's --out
            raise ValueError(str(err).replace("--out", "--export")) from None
    n = len(entries)
    bars: dict = {}

    def progress(i, n, e, done, total):
        bar = bars.get(i)
        if bar is None:
            bar = bars[i] = _Progress(f"esma atlas [{i + 1}/{n}] {e.expr}",
                                      enabled=not args.quiet)
        bar(done, total)

    totals = {"conjectures": 0, "proven": 0, "constants_with_hits": 0}

    def on_constant(i, n, r):
        totals["conjectures"] += r.conjectures
        totals["proven"] += r.proven
        totals["constants_with_hits"] += r.conjectures > 0
        note = ""
        if r.kind == "quadratic":
            note = "; a quadratic irrational: every expansion is eventually periodic"
        elif r.kind == "control" and r.conjectures == 0:
            note = "; a negative control: nothing found, as expected"
        elif r.kind == "control":
            note = "; a negative control, yet conjectures were found"
        why = "; ".join(f"{k} ({v})" for k, v in sorted(r.reasons.items()))
        print(f"{i + 1:>4}/{n}  {_cell(r.expr, 34)} {r.conjectures:>6} conjectures "
              f"{r.tail_families:>4} tail families {r.proven:>6} proven"
              + (f"; not proven: {why}" if why else "") + note, flush=True)

    with Store(path) as store:
        executor = _executor(args)
        try:
            results = run_atlas(entries, store, executor=executor, progress=progress,
                                on_constant=on_constant)
        finally:
            if executor is not None:
                executor.close()
        _raise_if_interrupted()
        if args.export is not None:
            from .atlas import write_families
            from .search.plan import prepare_constant

            consts = [str(prepare_constant(e.expr)) for e in entries]
            stored = set(store.constants())
            k = write_families(store, args.export, [c for c in consts if c in stored])
            print(f"esma: wrote {k} families to {args.export}", file=sys.stderr)
    settled = sum(r.settled for r in results)
    print(f"{n} constants, {totals['constants_with_hits']} with conjectures; "
          f"{totals['conjectures']} conjectures, {totals['proven']} proven; {settled} of {n} "
          f"constants fully settled; stored in {path}")
    print(f"next: `esma report --db {path} --out atlas/`, `esma export --db {path}`")
    return 0


def _cmd_doctor(args) -> int:
    """Exit status 0 when the store is intact, 1 when damage was found (and reported), 2 when
    ``--db`` names a directory (a file that is not a store may be a destroyed one: status 1)."""
    import os

    from .store import default_path
    from .store.doctor import diagnose

    db = args.db or default_path()
    if os.path.isdir(db):
        raise ValueError(f"db = {db!r} is a directory, not an esma store")
    report = diagnose(db, out=args.out)
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1


def main(argv=None) -> int:
    """Entry point of the ``esma`` console script; returns the exit status.

    Status 0 on success, 2 for a usage or input error (one line on stderr naming the argument)
    and for a store that is damaged, foreign or locked (one line naming the file), 1 for a
    declined confirmation, for damage found by ``esma doctor`` or an unexpected failure (one
    line too; ``ESMA_DEBUG=1`` shows the traceback), 130 after Ctrl-C.

    >>> main(["search", "3/4"])          # the message goes to stderr
    2
    """
    import signal
    import threading

    # the constants a search accepts have up to 59,794 bits (18,000 digits) in their first
    # quotient: Python's 4,300-digit guard on int <-> str made gamma(3000) + E fail after its
    # search, when the quotients were printed or stored
    limit = getattr(sys, "get_int_max_str_digits", lambda: 0)()
    if limit and limit < _INT_DIGITS:
        sys.set_int_max_str_digits(_INT_DIGITS)       # restored below
    old = None
    _SIGINTS.clear()
    if threading.current_thread() is threading.main_thread():
        old = signal.signal(signal.SIGINT, _on_sigint)
        _UNRAISABLE[0] = sys.unraisablehook
        sys.unraisablehook = _quiet_unraisable
    try:
        return _main(argv)
    except KeyboardInterrupt:            # while parsing or importing SymPy: nothing started
        print("esma: interrupted", file=sys.stderr)
        return 130
    finally:
        if old is not None:
            signal.signal(signal.SIGINT, old)
            sys.unraisablehook = _UNRAISABLE[0]
        if limit and limit < _INT_DIGITS:
            sys.set_int_max_str_digits(limit)


#: ``True`` while the console script (:mod:`esma_sympy._console`) keeps the cyclic garbage
#: collector paused for the imports; see :func:`_imports_done`
_GC_PAUSED = False


def _imports_done() -> None:
    """The command's modules are imported: if the console script paused the cyclic garbage
    collector for the imports, move every object they made to the permanent generation
    (``gc.freeze``: modules, classes and functions that live as long as the process, which the
    collector's passes would otherwise traverse again and again) and resume the collector.
    Nothing is done when :func:`main` is called in-process (the caller's collector is left
    alone).

    >>> _imports_done()             # in-process: nothing to do
    >>> _GC_PAUSED
    False
    """
    global _GC_PAUSED
    if _GC_PAUSED:
        import gc

        _GC_PAUSED = False
        gc.freeze()
        gc.enable()


def _env_db() -> str:
    """The default store's name in an error message (never raising, unlike default_path)."""
    import os

    return os.environ.get("ESMA_DB") or "esma.sqlite"


class _NotRaised(Exception):
    """Never raised: what :func:`_sqlite_error` gives before ``sqlite3`` is imported."""


def _sqlite_error():
    """``sqlite3.Error`` once ``sqlite3`` is imported (only then can one be raised), without
    importing it for the commands that never open a store (``search --no-db``).

    >>> issubclass(_sqlite_error(), Exception)
    True
    """
    mod = sys.modules.get("sqlite3")
    return _NotRaised if mod is None else mod.Error


def _main(argv) -> int:
    import errno
    import os

    parser = build_parser()
    args = parser.parse_args(_dash_values(sys.argv[1:] if argv is None else list(argv), parser))
    from .errors import EsmaError

    if args.command != "search":     # a search resumes the collector once its modules are in
        _imports_done()
    try:
        return args.func(args)
    except (ValueError, TypeError, EsmaError, OverflowError) as err:
        where = ""
        if hasattr(err, "row_id") and not getattr(err, "path", None):   # a damaged stored row
            where = f"db = {getattr(args, 'db', None) or _env_db()!r}: "
        print(f"esma: error: {where}{err}", file=sys.stderr)
        return 2
    except _Declined as err:
        print(f"esma: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        if isinstance(err, BrokenPipeError):   # `esma search E | head`: the reader left
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0
        if isinstance(err, ConnectionError):   # --scheduler: nobody answered
            print(f"esma: error: {err}", file=sys.stderr)
            return 2
        what = f" {err.filename!r}" if getattr(err, "filename", None) else ""
        if not what and err.errno in (errno.ENOSPC, errno.EIO, errno.EFBIG):
            what = " the output (stdout)"              # `esma list > /dev/full`
        print(f"esma: error: cannot use{what}: {err.strerror or err}", file=sys.stderr)
        return 2
    except _sqlite_error() as err:
        hint = (" (another esma process is writing the store; wait for it or use --db)"
                if "locked" in str(err) or "busy" in str(err) else "")
        db = getattr(args, "db", None)
        if db is None and not getattr(args, "no_db", False):
            db = _env_db()
        where = f" {db!r}" if db else ""
        print(f"esma: error: the store{where} failed: {' '.join(str(err).split())}{hint}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if args.command != "search":
            msg = "esma: interrupted"
        elif getattr(args, "no_db", False):
            msg = "esma: interrupted (--no-db: nothing was stored)"
        else:
            msg = ("esma: interrupted (every finished work unit is stored; run the same command "
                   "again to resume)")
        print(msg, file=sys.stderr)
        return 130
    except Exception as err:  # pragma: no cover - a bug: say so in one line
        if os.environ.get("ESMA_DEBUG"):
            raise
        print(f"esma: internal error: {type(err).__name__}: {err} (ESMA_DEBUG=1 shows the "
              "traceback; please report it)", file=sys.stderr)
        return 1
    finally:
        _imports_done()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
