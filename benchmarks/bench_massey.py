"""Benchmark: esma_sympy's berlekamp_massey over GF(p) cross-checked against galois'.

Run:  .venv/bin/python benchmarks/bench_massey.py [--count N] [--seed S]
      (galois comes with the ``bench`` extra: ``pip install -e '.[bench]'``)

For each prime and each kind of input, ``count`` random sequences go to both
implementations; the script prints, side by side, how often they agree and what each
took (the sum of the per-call wall times, measured here, in this run):

* ``recurrent``: terms of a random recurrence of order 1..8 over GF(p), 2L..2L+8 of them
  (the recurrence is determined, so both must find it);
* ``prefixed``: 1..3 arbitrary terms, then a recurrent sequence; the minimal polynomial has
  the factor x^k (as the ESMA hits have: e's quotients have x (x^3 - 1)^2), so the
  connection polynomial has degree below the complexity L;
* ``random``: 1..30 uniform residues (complexity about N/2; often undetermined).

Columns: ``undet.`` counts the sequences with ``2L > N``, where no recurrence is determined
(esma raises ``ValueError``; the connection polynomials are not compared there);
``C agrees`` the determined ones where both connection polynomials are equal; ``L agrees``
those (all of them) where galois' characteristic polynomial has degree L, esma's order (it
has not when the minimal polynomial has the factor x: galois drops it); ``regen`` how many
answers regenerate every term (esma: its recurrence of order L, from the online BM when
undetermined; galois: the recurrence of its characteristic polynomial, of its degree).
Disagreements on determined sequences are listed after the table.  No test needs galois;
this script is the only place it is used.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from esma_sympy.recurrence import OnlineBM, berlekamp_massey

PRIMES = [2, 3, 7, 101, 65537, 2**31 - 1, 2**61 - 1]
KINDS = ["recurrent", "prefixed", "random"]


def recurrent(rnd, p, prefix: int = 0) -> list:
    L = rnd.randint(1, 8)
    c = [rnd.randrange(p) for _ in range(L - 1)] + [rnd.randrange(1, p)]
    s = [rnd.randrange(p) for _ in range(L)]
    N = 2 * L + rnd.randint(0, 8)
    while len(s) < N:
        s.append(sum(ci * s[-1 - i] for i, ci in enumerate(c)) % p)
    return [rnd.randrange(p) for _ in range(prefix)] + s


def sequences(kind: str, rnd, p, count: int) -> list:
    if kind == "recurrent":
        return [recurrent(rnd, p) for _ in range(count)]
    if kind == "prefixed":
        return [recurrent(rnd, p, prefix=rnd.randint(1, 3)) for _ in range(count)]
    return [[rnd.randrange(p) for _ in range(rnd.randint(1, 30))] for _ in range(count)]


def regenerates(seq, char_high_first, p) -> bool:
    """Does x^d + a_1 x^(d-1) + ... + a_d give s(t) + a_1 s(t-1) + ... + a_d s(t-d) = 0
    for every d <= t < N?"""
    a = char_high_first[1:]
    d = len(a)
    return all((seq[t] + sum(ai * seq[t - 1 - i] for i, ai in enumerate(a))) % p == 0
               for t in range(d, len(seq)))


def ours(seq, p):
    """(connection poly low first, L, characteristic high first, seconds, determined)."""
    t0 = time.perf_counter()
    try:
        rec = berlekamp_massey(seq, modulus=p)
        determined = True
    except ValueError:
        determined = False
    dt = time.perf_counter() - t0
    if not determined:
        bm = OnlineBM(p)
        bm.extend(seq)
        rec = bm.recurrence()
    cs = [int(c) % p for c in rec.coeffs]
    conn = [1] + [(-c) % p for c in cs]
    while len(conn) > 1 and conn[-1] == 0:
        conn.pop()
    return conn, rec.order, [1] + [(-c) % p for c in cs], dt, determined


def theirs(GF, galois, seq):
    """(connection poly low first, characteristic high first, seconds)."""
    x = GF(seq)
    t0 = time.perf_counter()
    C = galois.berlekamp_massey(x, output="connection")
    dt = time.perf_counter() - t0
    conn = [int(c) for c in C.coeffs][::-1]
    char = [int(c) for c in galois.berlekamp_massey(x).coeffs]
    return conn, char, dt


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=200, help="sequences per prime and kind")
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args(argv)
    try:
        import galois
    except ImportError:
        print("galois is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 1
    rnd = random.Random(args.seed)
    print(f"esma_sympy berlekamp_massey(seq, modulus=p) vs galois {galois.__version__} "
          f"berlekamp_massey, {args.count} sequences per row, seed {args.seed}")
    head = (f"{'p':>20} {'kind':>9} {'undet.':>6} {'C agrees':>9} {'L agrees':>9} "
            f"{'esma regen':>10} {'galois regen':>12} {'esma ms':>8} {'galois ms':>9} "
            f"{'galois/esma':>11}")
    print(head)
    print("-" * len(head))
    bad = []
    totals = [0, 0, 0.0, 0.0]
    for p in PRIMES:
        GF = galois.GF(p)
        galois.berlekamp_massey(GF([v % p for v in (1, 2, 3, 5)]))   # JIT warm-up, not timed
        for kind in KINDS:
            seqs = sequences(kind, rnd, p, args.count)
            undet = c_ok = l_ok = our_regen = their_regen = 0
            t_ours = t_theirs = 0.0
            for s in seqs:
                conn, L, char, dt, determined = ours(s, p)
                g_conn, g_char, g_dt = theirs(GF, galois, s)
                t_ours += dt
                t_theirs += g_dt
                undet += not determined
                if determined:
                    c_ok += conn == g_conn
                    if conn != g_conn:
                        bad.append((p, kind, s, conn, g_conn))
                l_ok += len(g_char) - 1 == L
                our_regen += regenerates(s, char, p)
                their_regen += regenerates(s, g_char, p)
            totals[0] += len(seqs) - undet
            totals[1] += c_ok
            totals[2] += t_ours
            totals[3] += t_theirs
            ratio = t_theirs / t_ours if t_ours else float("inf")
            c_text = f"{c_ok}/{len(seqs) - undet}"
            print(f"{p:>20} {kind:>9} {undet:>6} {c_text:>9} {l_ok:>9} {our_regen:>10} "
                  f"{their_regen:>12} {1e3 * t_ours:>8.1f} {1e3 * t_theirs:>9.1f} {ratio:>10.1f}x")
    print("-" * len(head))
    print(f"connection polynomials agree on {totals[1]} of {totals[0]} determined sequences; "
          f"time esma {totals[2]:.3f} s, galois {totals[3]:.3f} s")
    for p, kind, s, conn, g_conn in bad[:10]:
        print(f"  disagree: p = {p}, {kind}, seq = {s}: esma C = {conn}, galois C = {g_conn}")
    if len(bad) > 10:
        print(f"  ... and {len(bad) - 10} more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
