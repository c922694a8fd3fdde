"""The exact polynomial inequalities behind the convergence tests of ``PCF`` values."""
import time

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


def test_no_positive_root_is_decided_without_root_isolation():
    """Kioustelidis' bound (only coefficients of the other sign count): (n + 10**400)**2 - 4
    has no positive root, decided at once; N(PCF(n + 10**400, 1, n)) took 74 s before."""
    from sympy import N

    from esma_sympy import PCF

    a = 10 ** 400
    p = fmpq_poly([a * a - 4, 2 * a, 1])
    t = time.process_time()
    assert _cauchy_bound(p) == 0 and first_index_from_which(p) == 0
    n = Symbol("n")
    assert str(N(PCF(n + 10**400, 1, n), 10)) == "1.000000000e+400"
    assert time.process_time() - t < 5
