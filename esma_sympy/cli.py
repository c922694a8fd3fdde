"""The ``esma`` command.

``esma search EXPR [options]`` runs the ESMA search on a constant (parsed by the whitelist
parser, never evaluated as Python), shows a progress bar on stderr and prints a table (or, with
``--json``, one JSON object per conjecture) on stdout.  Bad input prints a message naming the
argument to stderr and exits with status 2; nothing is written.
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


def _positive(name):
    def conv(text):
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be an integer, got {text!r}") from None
        if v < 1:
            raise argparse.ArgumentTypeError(f"{name} must be a positive integer, got {v}")
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
    s.set_defaults(func=_cmd_search)
    return parser


def _table(result, limit=None, out=None) -> None:
    out = out or sys.stdout
    rows = result.conjectures[:limit] if limit else result.conjectures
    head = f"{'#':>4}  {'fam':>4}  {'LHS':28s} {'signs':7s} {'prefix':14s} {'quotients P_r(k)':38s} {'digits':>6}"
    print(head, file=out)
    print("-" * len(head), file=out)
    for i, c in enumerate(rows):
        sg = "".join("+" if s > 0 else "-" for s in c.signs)
        qs = ", ".join(str(x) for x in c.quotients.polys)
        pre = ", ".join(map(str, c.prefix))
        print(f"{i:>4}  {c.family:>4}  {c.lhs_text:28s} {sg:7s} {pre:14s} {qs:38s} {c.digits:>6}",
              file=out)
    st = result.stats
    print(f"\n{len(result.conjectures)} conjectures in {len(result.families)} families; "
          f"{st.pairs} (LHS, pattern) pairs in {st.seconds:.2f}s "
          f"({st.pairs_per_second:,.0f} pairs/s); each recurrence predicted "
          f"{2 * result.params['depth']} further quotients exactly.", file=out)


def _cmd_search(args) -> int:
    from .search import esma_search
    from .search.engine import prepare_constant

    constant = prepare_constant(args.constant)
    progress = _Progress(f"esma search {args.constant}", enabled=not args.quiet)
    lhs = None
    if args.lhs:
        from .numeric.parse import parse_constant

        lhs = [parse_constant(t) for t in args.lhs]
    result = esma_search(constant, lhs_degree=args.lhs_degree, coeff_limit=args.coeff_limit,
                         min_period=args.min_period, max_period=args.max_period, depth=args.depth,
                         complexity_limit=args.complexity_limit, verify_digits=args.verify_digits,
                         lhs=lhs, progress=progress)
    result.families  # assign family numbers
    if args.json:
        rows = result.conjectures[: args.limit] if args.limit else result.conjectures
        for c in rows:
            print(json.dumps(c.to_dict()))
    else:
        _table(result, args.limit)
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
    except BrokenPipeError:          # `esma search E | head`: the reader left, not an error
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
