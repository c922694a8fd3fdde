"""Benchmark: certified ESMA expansion of a 10^4-digit constant vs SymPy.

Run:  .venv/bin/python benchmarks/bench_expand.py [--digits 10000] [--repeat 5]

The constant is ``c = e^2/3 + pi`` as an ``arb`` ball with 10^4 correct digits.  Measured
(partial quotients per second, median of ``--repeat`` runs):

* ``expand_quotients(ball, (1,))``      -- simple expansion of the ball (certified quotients);
* ``expand_quotients(ball, (1, -1))``   -- a signed expansion of the ball;
* ``expand(ball, ...)``                 -- the same, returning an ``SCF`` (SymPy objects);
* ``expand_quotients(r, (1,))``         -- exact expansion of the midpoint rational ``r``;
* SymPy ``continued_fraction_iterator(r)`` on the same rational ``r``, all quotients.

SymPy has no ball arithmetic, so it gets the ball's midpoint as an exact ``Rational`` and
expands it to the end (about twice as many quotients as the ball certifies); the fair
comparison is the rate.  The ratio column is our rate divided by SymPy's.
"""

from __future__ import annotations

import argparse
import statistics
import time

from sympy import E, Rational, pi
from sympy.ntheory.continued_fraction import continued_fraction_iterator

from esma_sympy.numeric.constants import to_arb
from esma_sympy.numeric.expand import _ball_pairs, expand, expand_quotients


def _median_time(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--digits", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    prec = int(args.digits * 3.3219280948873626) + 16
    ball = to_arb(E**2 / 3 + pi, prec)
    m1, q1, m2, q2 = _ball_pairs(ball.mid())
    r = Rational(m1, q1)
    terms = 10**6 + 1  # more than the ball can decide: the expansion runs until precision ends

    rows = []

    def ours(label, fn):
        t, (qs, info) = _median_time(fn, args.repeat)
        rows.append((label, len(qs), t))

    ours("ours  simple (1,)   ball", lambda: expand_quotients(ball, (1,), terms=terms))
    ours("ours  signed (1,-1) ball", lambda: expand_quotients(ball, (1, -1), terms=terms))
    ours("ours  signed (-1,)  ball", lambda: expand_quotients(ball, (-1,), terms=terms))

    def as_scf(signs):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = expand(ball, signs, terms=terms)
        return s.terms(terms), None

    ours("ours  simple -> SCF     ", lambda: as_scf((1,)))
    ours("ours  signed -> SCF     ", lambda: as_scf((1, -1)))
    ours("ours  simple exact r    ", lambda: expand_quotients(r, (1,), terms=terms))

    t_sym, cf = _median_time(lambda: list(continued_fraction_iterator(r)), max(1, args.repeat // 2))
    sym_rate = len(cf) / t_sym

    print(f"constant e^2/3 + pi, {args.digits} digits ({prec} bits); "
          f"median of {args.repeat} runs\n")
    print(f"{'method':28s} {'quotients':>10s} {'seconds':>10s} {'quot/s':>12s} {'vs SymPy':>9s}")
    for label, n, t in rows:
        rate = n / t
        print(f"{label:28s} {n:10d} {t:10.4f} {rate:12.0f} {rate / sym_rate:8.1f}x")
    print(f"{'SymPy continued_fraction_iterator(r)':28s}\n{'':28s} {len(cf):10d} {t_sym:10.4f} "
          f"{sym_rate:12.0f} {1.0:8.1f}x")
    simple = rows[0]
    print(f"\nratio (simple expansion of the ball vs SymPy on the midpoint rational): "
          f"{simple[1] / simple[2] / sym_rate:.1f}x faster")


if __name__ == "__main__":
    main()
