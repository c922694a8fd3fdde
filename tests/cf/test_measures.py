"""Irrationality measure, singular points and the ramanujantools conversion (cf/measures.py).

Oracles: the delta values are recomputed from convergents built with ``fractions.Fraction``
(a separate loop) and limits from mpmath at 400+ digits; integer zeros of ``b`` are checked
against a plain scan of ``b(1..N)``; the ramanujantools index mapping against
ramanujantools' own ``limit(d)`` (those tests alone need it installed).
"""

import math
import sys
from fractions import Fraction

import mpmath
import pytest
from flint import fmpq
from hypothesis import given, strategies as st
from sympy import E, GoldenRatio, Rational, Symbol, pi, zeta

from esma_sympy import PCF, SingularPoints, irrationality_measure, singular_points
from esma_sympy.cf.base import CFValue
from esma_sympy.errors import DivergenceError, PrecisionExhausted
from esma_sympy.testing import pcfs

n, k, x = Symbol("n"), Symbol("k"), Symbol("x")


def _fraction_convergent(a, b, depth):
    """Forward recurrence on Fractions; returns the reduced p_n/q_n (Fraction reduces)."""
    p1, p2, q1, q2 = Fraction(a(0)), Fraction(1), Fraction(1), Fraction(0)
    for j in range(1, depth + 1):
        p1, p2 = a(j) * p1 + b(j) * p2, p1
        q1, q2 = a(j) * q1 + b(j) * q2, q1
    return p1 / q1


def _oracle_delta(r: Fraction, L) -> float:
    ctx = mpmath.MPContext()
    ctx.dps = 3 * len(str(r.denominator)) + 50
    if isinstance(L, Fraction):                 # exact difference first, then round
        err = abs(ctx.mpf((L - r).numerator) / (L - r).denominator)
    else:
        err = abs(ctx.mpf(L) - ctx.mpf(r.numerator) / r.denominator)
    return float(-1 - ctx.log(err) / ctx.log(r.denominator))


# -- irrationality_measure ----------------------------------------------------------------------

@pytest.mark.parametrize("depth", [5, 40, 200])
def test_golden_ratio_delta_matches_fibonacci_oracle(depth):
    r = _fraction_convergent(lambda j: 1, lambda j: 1, depth)      # F_{d+2}/F_{d+1}
    ctx = mpmath.MPContext()
    ctx.dps = 300
    expect = _oracle_delta(r, (1 + ctx.sqrt(5)) / 2)
    assert PCF(1, 1).delta(depth) == pytest.approx(expect, abs=1e-9)
    assert irrationality_measure(PCF(1, 1), depth, value=GoldenRatio) == pytest.approx(expect, abs=1e-9)


def test_golden_ratio_delta_tends_to_one():
    ds = [PCF(1, 1).delta(d) for d in (50, 100, 400)]
    assert ds[0] > ds[1] > ds[2] > 1 and ds[2] - 1 < 0.005


@pytest.mark.parametrize("pcf, a, b, const, ctxval", [
    (PCF(n + 3, -n, n), lambda j: j + 3, lambda j: -j, E, lambda c: c.e),
    (PCF(2*n + 1, n**2, n), lambda j: 2*j + 1, lambda j: j*j, 4/pi, lambda c: 4/c.pi),
    (PCF(34*n**3 + 51*n**2 + 27*n + 5, -n**6, n), lambda j: 34*j**3 + 51*j**2 + 27*j + 5,
     lambda j: -j**6, 6/zeta(3), lambda c: 6/c.zeta(3)),
])
def test_certified_delta_matches_oracle_with_reduced_q(pcf, a, b, const, ctxval):
    depth = 60
    r = _fraction_convergent(a, b, depth)
    ctx = mpmath.MPContext()
    ctx.dps = 3 * len(str(r.denominator)) + 50
    expect = _oracle_delta(r, ctxval(ctx))
    got = pcf.delta(depth)
    assert got == pytest.approx(expect, abs=1e-9)
    assert irrationality_measure(pcf, depth, value=const) == pytest.approx(expect, abs=1e-9)


def test_delta_uses_the_reduced_denominator():
    # Brouncker's p_n, q_n share a large factor; with the unreduced q_n delta would be lower.
    pcf = PCF(2*n + 1, n**2, n)
    P = pcf.walk_matrix(50)
    p, q = int(P[0, 0]), int(P[1, 0])
    assert math.gcd(p, q).bit_length() > 100
    ctx = mpmath.MPContext()
    ctx.dps = 200
    err = abs(4 / ctx.pi - ctx.mpf(p) / q)
    unreduced = float(-1 - ctx.log(err) / ctx.log(q))
    reduced = float(-1 - ctx.log(err) / ctx.log(q // math.gcd(p, q)))
    assert pcf.delta(50) == pytest.approx(reduced, abs=1e-9)
    assert abs(pcf.delta(50) - unreduced) > 0.3


def test_uncertified_value_falls_back_to_the_reference_convergent(monkeypatch):
    pcf = PCF(2, n**2, n)                       # = 2/(4 - pi), slowly convergent
    monkeypatch.setattr(PCF, "evaluate", lambda self, dps=15, **kw: CFValue(
        None, 0, None, dps, False, None, reason="no tail bound (test)"))
    a, b = (lambda j: 2), (lambda j: j * j)
    r, ref = _fraction_convergent(a, b, 30), _fraction_convergent(a, b, 120)
    assert pcf.delta(30) == pytest.approx(_oracle_delta(r, ref), abs=1e-12)
    ref2 = _fraction_convergent(a, b, 77)
    assert pcf.delta(30, reference_n=77) == pytest.approx(_oracle_delta(r, ref2), abs=1e-12)
    with pytest.raises(PrecisionExhausted, match="no tail bound"):
        pcf.delta(30, strict=True)
    with pytest.raises(ValueError, match="reference_n must exceed n = 30"):
        pcf.delta(30, reference_n=30)


def test_delta_with_an_exact_value():
    # b(4) = 0: the fraction stops, its value is the convergent at depth 3.
    pcf = PCF(n + 1, n - 4, n)
    L = pcf.convergent(3)
    assert irrationality_measure(pcf, 3, value=L) == math.inf
    r = _fraction_convergent(lambda j: j + 1, lambda j: j - 4, 2)
    assert r.denominator > 1
    expect = _oracle_delta(r, Fraction(int(L.p), int(L.q)))
    assert irrationality_measure(pcf, 2, value=L) == pytest.approx(expect, abs=1e-12)
    assert irrationality_measure(pcf, 2, value=fmpq(int(L.p), int(L.q))) == \
        irrationality_measure(pcf, 2, value=L)


def test_delta_bad_arguments():
    with pytest.raises(ValueError, match="n must be a positive integer"):
        PCF(1, 1).delta(0)
    with pytest.raises(ValueError, match="reduced denominator q_1 is 1"):
        PCF(1, 1).delta(1)
    with pytest.raises(ValueError, match="free symbols"):
        PCF(n + x, 1, n).delta(5)
    with pytest.raises(DivergenceError, match="q_3"):
        PCF(n - 2, 1, n).delta(3)


# -- singular_points ----------------------------------------------------------------------------

@pytest.mark.parametrize("b, expect", [
    ((n - 3) * (n - 5) * (2*n + 1) * (n + 7), (3, 5)),
    ((n - 1)**2 * (2*n - 3) * (n**2 - 2), (1,)),       # repeated root; a rational, an irrational
    (n * (n + 1), ()),                                  # roots 0 and -1 are not n >= 1
    (n**2 + 1, ()),
    ((n - 40) * (3*n - 120) * (n - 1000), (40, 1000)),  # beyond any scan depth: still found
])
def test_b_zeros_are_exact_and_complete(b, expect):
    sp = singular_points(PCF(n + 2, b, n), 10)
    assert sp.b_zeros == expect
    scan = tuple(j for j in range(1, 1001) if b.subs(n, j) == 0)
    assert sp.b_zeros == scan


def _q_zero_oracle(a, b, depth):
    q1, q2, out = Fraction(1), Fraction(0), []
    for j in range(1, depth + 1):
        q1, q2 = a(j) * q1 + b(j) * q2, q1
        if q1 == 0:
            out.append(j)
    return tuple(out)


@given(pcfs(max_degree=2, max_value=4), st.integers(0, 30))
def test_q_zeros_match_a_fraction_loop(pcf, depth):
    sp = pcf.singular_points(depth)
    a = lambda j: int(pcf.a.subs(n, j))     # noqa: E731
    b = lambda j: int(pcf.b.subs(n, j))     # noqa: E731
    assert sp.q_zeros == _q_zero_oracle(a, b, depth)
    assert sp.depth == depth and sp.poles == ()


def test_singular_points_examples_and_rational_functions():
    assert PCF(n - 2, 1, n).singular_points(6) == SingularPoints((), (3,), (), 6)
    sp = singular_points(PCF(n + 1, (n - 2) / (n - 4), n), 10)
    assert sp.b_zeros == (2,) and sp.poles == (4,)
    assert sp.q_zeros == _q_zero_oracle(lambda j: j + 1, lambda j: Fraction(j - 2, j - 4), 3)
    # a zero of the numerator cancelled by the denominator is no zero of b
    assert singular_points(PCF(1, (n - 2) * (n - 3) / (n - 3), n)).b_zeros == (2,)
    with pytest.raises(ValueError, match="free symbols"):
        singular_points(PCF(n + x, 1, n))


# -- ramanujantools -----------------------------------------------------------------------------

def test_missing_ramanujantools_gives_a_helpful_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "ramanujantools", None)
    monkeypatch.setitem(sys.modules, "ramanujantools.pcf", None)
    with pytest.raises(ImportError, match="pip install ramanujantools"):
        PCF(1, 1).to_ramanujantools()
    with pytest.raises(ImportError, match="pip install ramanujantools"):
        PCF.from_ramanujantools(object())


_ROUND_TRIP = [
    PCF(2*n + 1, n**2, n), PCF(n + 3, -n, n), PCF(1, 1, n), PCF(k**2 + 1, -k**3 + 2, k),
    PCF(Rational(1, 2) * n + 1, n**2 / 3, n), PCF(34*n**3 + 51*n**2 + 27*n + 5, -n**6, n),
]


@pytest.mark.parametrize("pcf", _ROUND_TRIP)
def test_ramanujantools_index_mapping_matches_convergents(pcf):
    pytest.importorskip("ramanujantools")
    r = pcf.to_ramanujantools()
    for d in range(1, 12):
        assert r.limit(d).as_rational() == pcf.convergent(d)
    back = PCF.from_ramanujantools(r)
    assert back.index == n
    assert back.as_dummy() == pcf.as_dummy() or (back.a - pcf.a.xreplace({pcf.index: n})).expand() == 0
    assert [back.convergent(d) for d in range(8)] == [pcf.convergent(d) for d in range(8)]


@pytest.mark.parametrize("pcf", [PCF(1, 1), PCF(n + 3, -n, n), PCF(2*n + 1, n**2, n)])
def test_delta_agrees_with_ramanujantools(pcf):
    pytest.importorskip("ramanujantools")
    r = pcf.to_ramanujantools()
    ref = r.limit(400).as_rational()
    with mpmath.workdps(600):
        theirs = float(r.delta(40, mpmath.mpf(ref.p) / mpmath.mpf(ref.q)))
    assert pcf.delta(40) == pytest.approx(theirs, abs=1e-9)


def test_ramanujantools_conversion_errors():
    pytest.importorskip("ramanujantools")
    with pytest.raises(ValueError, match="parameter named n"):
        PCF(k + n, 1, k).to_ramanujantools()
    with pytest.raises(TypeError, match="ramanujantools.pcf.PCF"):
        PCF.from_ramanujantools(PCF(1, 1))
