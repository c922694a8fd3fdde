"""Benchmark: two kernels against their peers, side by side in one run.

Run:  .venv/bin/python benchmarks/bench_kernels.py [--repeat N] [--min-time SECONDS]

1. Berlekamp-Massey over GF(p): ``esma_sympy.recurrence.berlekamp_massey(seq, modulus=p)``
   against python-flint's ``fmpz_mod_poly_ctx(p).minpoly(seq)`` called directly, at 200 and
   2000 terms of e's simple continued fraction ``[2, 1, 2, 1, 1, 4, ...]`` and of random
   integers in [1, 20], for ``p = 2^61 - 1`` and ``p = 101``.
2. The simple (signs ``+``) and a signed (pattern ``(+1, -1)``) ESMA expansion of an exact
   rational with 10^4 digits in numerator and denominator, by ``expand_quotients`` (Python
   ints) and ``expand`` (an ``SCF``), against PARI's ``contfrac`` (simple continued fraction;
   PARI has no signed expansion, so the signed rows are compared with the same simple one).
   PARI is called through cypari2 if it is installed, else through the ``gp`` binary with the
   timing taken inside gp (``getabstime()`` around a loop of ``contfrac``, so process start-up
   is excluded; a mean, not a best-of); else its column says the peer is unavailable.  The
   package's pure-Python fallback (no FLINT library) is shown for information.

Timing: best of ``--repeat`` batches, each batch repeating the call for ``--min-time``
seconds; the package and its peer are timed alternately, batch by batch.  Every result is
checked against the peer's once, outside the timing.  Timings never appear in tests.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

from flint import fmpz_mod_poly_ctx
from sympy import Rational

import esma_sympy.numeric.rational as rat
from esma_sympy.numeric.expand import expand, expand_quotients
from esma_sympy.recurrence import berlekamp_massey

DEPTH = 10**6  # more than the number of quotients: the expansion runs to its end


def e_quotients(N: int) -> list:
    out = [2]
    k = 1
    while len(out) < N:
        out += [1, 2 * k, 1]
        k += 1
    return out[:N]


def random_terms(N: int, primes) -> list:
    """Random integers in [1, 20]; the first seed whose linear complexity modulo every prime
    is at most N/2 (else ``berlekamp_massey`` rightly refuses: too few terms)."""
    for seed in range(N, N + 1000):
        rnd = random.Random(seed)
        seq = [rnd.randint(1, 20) for _ in range(N)]
        if all(2 * fmpz_mod_poly_ctx(p).minpoly(seq).degree() <= N for p in primes):
            return seq
    raise RuntimeError("no suitable random sequence")  # pragma: no cover


def side_by_side(f_pkg, f_peer, repeat: int, min_time: float):
    """Best time per call of each function, batches alternating between the two."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for j, fn in enumerate((f_pkg, f_peer)):
            if fn is None:
                continue
            calls, t0 = 0, time.perf_counter()
            while True:
                fn()
                calls += 1
                t = time.perf_counter() - t0
                if t >= min_time:
                    break
            best[j] = min(best[j], t / calls)
    return best


def fmt(t: float) -> str:
    if t == float("inf"):
        return "n/a"
    if t < 1e-3:
        return f"{t * 1e6:.1f} us"
    return f"{t * 1e3:.2f} ms"


# -- Berlekamp-Massey ----------------------------------------------------------------------


def bench_bm(repeat: int, min_time: float) -> None:
    print("Berlekamp-Massey over GF(p)")
    print("  package: berlekamp_massey(seq, modulus=p)  (a LinearRecurrence)")
    print("  peer:    python-flint fmpz_mod_poly_ctx(p).minpoly(seq), called directly")
    print(f"  {'terms':>5}  {'input':<8} {'p':<7} {'order':>5}  {'package':>10}  "
          f"{'FLINT':>10}  {'ratio':>5}")
    primes = (((1 << 61) - 1, "2^61-1"), (101, "101"))
    for N in (200, 2000):
        for name, seq in (("e-cf", e_quotients(N)),
                          ("random", random_terms(N, [p for p, _ in primes]))):
            for p, pname in primes:
                ctx = fmpz_mod_poly_ctx(p)
                rec = berlekamp_massey(seq, modulus=p)
                P = ctx.minpoly(seq)
                L = P.degree()
                assert rec.order == L
                assert [int(c) for c in rec.coeffs] == [(-int(P[L - i])) % p
                                                        for i in range(1, L + 1)]
                t_pkg, t_peer = side_by_side(lambda: berlekamp_massey(seq, modulus=p),
                                             lambda: ctx.minpoly(seq), repeat, min_time)
                print(f"  {N:>5}  {name:<8} {pname:<7} {L:>5}  {fmt(t_pkg):>10}  "
                      f"{fmt(t_peer):>10}  {t_pkg / t_peer:>5.2f}")
    print()


# -- continued fractions -------------------------------------------------------------------


class _Cypari:
    def __init__(self):
        import cypari2

        self.pari = cypari2.Pari()
        try:
            from importlib.metadata import version

            cy = f" {version('cypari2')}"
        except Exception:  # pragma: no cover
            cy = ""
        self.name = (f"PARI {'.'.join(map(str, self.pari.version()[:3]))} contfrac via "
                     f"cypari2{cy}")

    def prepare(self, p: int, q: int):
        x = self.pari(p) / self.pari(q)
        quotients = [int(a) for a in self.pari.contfrac(x)]
        return (lambda: self.pari.contfrac(x)), quotients


class _GP:
    """PARI's ``gp`` binary; the time is measured inside gp, start-up excluded."""

    def __init__(self, gp: str):
        self.gp = gp
        out = subprocess.run([gp, "-q", "-f"], input="print(version())", text=True,
                             capture_output=True, timeout=60).stdout.strip()
        version = out.strip("[]").replace(" ", "").replace(",", ".")
        self.name = f"PARI {version} contfrac via the gp binary (in-gp timing, mean of a loop)"

    def run(self, p: int, q: int, calls: int):
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "x.gp")
            with open(src, "w") as fh:
                fh.write(f"x = {p}/{q};\n")
                fh.write("v = contfrac(x); print(#v); for(i = 1, #v, print(v[i]));\n")
                fh.write(f"t = getabstime(); for(i = 1, {calls}, contfrac(x)); "
                         f"print((getabstime() - t) / {calls}.);\n")
            out = subprocess.run([self.gp, "-q", "-f", "-s", "200000000", src], input="",
                                 text=True, capture_output=True, timeout=600).stdout.split()
        n = int(out[0])
        quotients = [int(a) for a in out[1:1 + n]]
        return float(out[1 + n]) / 1000, quotients  # getabstime() counts milliseconds


def make_peer():
    try:
        return _Cypari(), None
    except ImportError:
        pass
    gp = shutil.which("gp")
    if gp:
        try:
            return _GP(gp), None
        except (OSError, subprocess.SubprocessError):
            pass
    return None, "PARI unavailable (neither cypari2 nor the gp binary found): peer column n/a"


def bench_cf(repeat: int, min_time: float, digits: int) -> None:
    rnd = random.Random(10**4)
    p = rnd.randrange(10**(digits - 1), 10**digits)
    q = rnd.randrange(10**(digits - 1), 10**digits)
    x = Rational(p, q)
    flint_fn = rat._flint_cfrac()
    print(f"ESMA expansion of an exact rational p/q with {digits} digits in p and in q")
    print(f"  package SCF kernel: "
          f"{'FLINT fmpq_get_cfrac via ctypes' if flint_fn else 'pure Python (no libflint found)'}")
    peer, why = make_peer()
    print(f"  peer: {peer.name if peer else why}")

    peer_call, peer_time, ref = None, None, None
    if isinstance(peer, _Cypari):
        peer_call, ref = peer.prepare(p, q)
    elif isinstance(peer, _GP):
        peer_time, ref = peer.run(p, q, max(10, int(repeat * min_time / 0.005)))
    simple = expand_quotients(x, (1,), terms=DEPTH + 1)[0]
    if ref is not None:
        assert simple == ref, "the package's simple continued fraction differs from PARI's"
    print(f"  {len(simple)} quotients in the simple expansion"
          + (" (identical to PARI's)" if ref is not None else ""))
    print(f"  {'expansion':<14} {'package function':<34} {'package':>10}  {'PARI':>10}  "
          f"{'ratio':>5}")

    saved = list(rat._FLINT)
    rows = [("simple (+)", (1,), "expand_quotients", expand_quotients, None),
            ("signed (+,-)", (1, -1), "expand_quotients", expand_quotients, None),
            ("simple (+)", (1,), "expand (-> SCF)", expand, None),
            ("signed (+,-)", (1, -1), "expand (-> SCF)", expand, None)]
    if flint_fn is not None:
        rows += [("simple (+)", (1,), "expand_quotients, pure Python", expand_quotients, [None]),
                 ("signed (+,-)", (1, -1), "expand_quotients, pure Python", expand_quotients,
                  [None])]
    try:
        for label, signs, fname, fn, kernel in rows:
            if kernel is not None:
                rat._FLINT[:] = kernel
            got = fn(x, signs, depth=DEPTH)
            qs = got[0] if isinstance(got, tuple) else got.terms(DEPTH)
            if signs == (1,):
                assert qs == simple
            t_pkg, t_peer = side_by_side(lambda: fn(x, signs, depth=DEPTH), peer_call,
                                         repeat, min_time)
            if peer_time is not None:
                t_peer = peer_time
            ratio = f"{t_pkg / t_peer:>5.2f}" if t_peer != float("inf") else "  n/a"
            print(f"  {label:<14} {fname:<34} {fmt(t_pkg):>10}  {fmt(t_peer):>10}  {ratio}"
                  + (f"   ({len(qs)} quotients)" if signs != (1,) else ""))
            rat._FLINT[:] = saved
    finally:
        rat._FLINT[:] = saved
    print()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5, help="batches per measurement (best of)")
    ap.add_argument("--min-time", type=float, default=0.1, help="seconds per batch")
    ap.add_argument("--digits", type=int, default=10**4, help="digits of p and q")
    args = ap.parse_args(argv)
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)  # the gp peer reads p/q as decimal text
    import flint

    print(f"Python {sys.version.split()[0]}, python-flint {flint.__version__}, "
          f"best of {args.repeat} batches of >= {args.min_time} s\n")
    bench_bm(args.repeat, args.min_time)
    bench_cf(args.repeat, args.min_time, args.digits)
    return 0


if __name__ == "__main__":
    sys.exit(main())
