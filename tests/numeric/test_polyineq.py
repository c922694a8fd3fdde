"""The exact polynomial inequalities behind the convergence tests of ``PCF`` values."""

from flint import fmpq, fmpq_poly
from hypothesis import given, strategies as st
from sympy import Poly, Symbol, floor, real_roots

from esma_sympy.numeric.polyineq import _cauchy_bound, first_index_from_which, holds_from

x = Symbol("x")
coeffs = st.lists(st.integers(-10**6, 10**6), min_size=2, max_size=7).filter(lambda c: c[-1])
huge = st.lists(st.integers(-10**40, 10**40), min_size=2, max_size=5).filter(lambda c: c[-1])


def _poly(c):
    return fmpq_poly([fmpq(v) for v in c])


def _real_roots(c):
    return real_roots(Poly(list(reversed(c)), x))


@given(st.one_of(coeffs, huge))
def test_bound_is_above_every_real_root(c):
    """Against SymPy's exact real-root isolation: every real root is below the bound."""
    b = _cauchy_bound(_poly(c))
    assert all(r < b for r in _real_roots(c)), (c, b)


@given(coeffs, st.booleans())
def test_first_index_from_which_is_the_least_such_index(c, strict):
    """``m`` is least: ``p(m - 1)`` fails (or ``m = 0``); from ``m`` on ``p`` holds, at the
    next 50 integers and beside every real root at or above ``m`` (SymPy's exact roots)."""
    p = _poly(c)
    m = first_index_from_which(p, strict)
    if c[-1] < 0:
        assert m is None
        return
    if m is None:                   # beyond the scan: some real root is large
        assert max(_real_roots(c)) > 1000
        return
    ok = (lambda v: v > 0) if strict else (lambda v: v >= 0)
    assert m == 0 or not ok(p(m - 1))
    assert all(ok(p(j)) for j in range(m, m + 50))
    # at every integer next to a real root at or above m, too
    roots = [r for r in _real_roots(c) if r >= m]
    near = {int(floor(r)) + j for r in roots for j in (0, 1)}
    assert all(ok(p(j)) for j in near if j >= m)
    assert holds_from(p, m, strict) in (True, None)


def test_no_positive_root_is_decided_without_root_isolation(monkeypatch):
    """Kioustelidis' bound (only coefficients of the other sign count): (n + 10**400)**2 - 4
    has no positive root, decided from the coefficients alone; N(PCF(n + 10**400, 1, n)) took
    74 s before, in root isolation."""
    from sympy import N

    from esma_sympy import PCF
    from esma_sympy.numeric import polyineq

    monkeypatch.setattr(polyineq, "_MAX_ROOTS_DEGREE", -1)     # no root isolation at all
    a = 10 ** 400
    p = fmpq_poly([a * a - 4, 2 * a, 1])
    assert _cauchy_bound(p) == 0 and first_index_from_which(p) == 0
    q = fmpq_poly([a * a - 4, -2 * a, 1])                        # (n - 10**400)**2 - 4
    assert _cauchy_bound(q) > a                                  # a positive root: no shortcut
    n = Symbol("n")
    assert str(N(PCF(n + 10**400, 1, n), 10)) == "1.000000000e+400"


def _holds_from_oracle(c, start: int, strict: bool) -> bool:
    """``p(m) >= 0`` (``> 0``) for every integer ``m >= start``, decided from SymPy's exact
    real roots: ``p`` has one sign on each open interval between consecutive real roots, so
    one integer ``>= start`` inside each interval decides it, and with ``strict`` so does an
    integer root ``>= start``."""
    poly = Poly(list(reversed(c)), x)
    roots = sorted(set(_real_roots(c)))
    if strict and any(r.is_integer and r >= start for r in roots):
        return False
    cuts = [None, *roots, None]                 # None: -oo on the left, +oo on the right
    for lo, hi in zip(cuts, cuts[1:]):
        m = start if lo is None else max(start, int(floor(lo)) + 1)
        if hi is not None and not m < hi:
            continue                            # no integer >= start inside (lo, hi)
        v = poly.eval(m)
        if v < 0 or (strict and v == 0):
            return False
    return True


def _from_roots(roots, shift):
    """Coefficients (low first) of prod (x - r) + shift: sign changes at chosen places."""
    c = Poly(1, x)
    for r in roots:
        c = c * Poly(x - r, x)
    return [int(v) for v in reversed((c + shift).all_coeffs())]


rooted = st.builds(_from_roots, st.lists(st.integers(-10, 80), min_size=1, max_size=4),
                   st.integers(-3, 3))


@given(st.one_of(coeffs, rooted), st.integers(-20, 60), st.booleans())
def test_holds_from_matches_the_real_root_oracle(c, start, strict):
    """``holds_from`` is right whenever it decides, and undecided only beyond the scan."""
    got = holds_from(_poly(c), start, strict)
    if got is None:
        assert _cauchy_bound(_poly(c)) - start > 20000
        return
    assert got == _holds_from_oracle(c, start, strict)
