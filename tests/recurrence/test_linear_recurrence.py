"""LinearRecurrence: the Basic contract, conventions, values, quasi-polynomial forms (T3.1, T3.3)."""

from __future__ import annotations

import pickle

import pytest
from flint import arb, fmpq
from hypothesis import given
from hypothesis import strategies as st
from sympy import (
    Basic,
    Poly,
    Rational,
    Symbol,
    cyclotomic_poly,
    expand,
    simplify,
    srepr,
)
from sympy.abc import k

from esma_sympy._flintctx import workprec
from esma_sympy.cf.quasipolynomial import QuasiPolynomial
from esma_sympy.recurrence import LinearRecurrence, berlekamp_massey

from .test_berlekamp_massey import recurrences

x = Symbol("x")


# -- the Basic contract ----------------------------------------------------------------------


@given(st.one_of(recurrences(), recurrences(modulus=7), recurrences(modulus=2**61 - 1)))
def test_basic_contract(rec):
    assert all(isinstance(a, Basic) for a in rec.args)
    assert rec.func(*rec.args) == rec
    assert hash(rec.func(*rec.args)) == hash(rec)
    assert pickle.loads(pickle.dumps(rec)) == rec
    from sympy import Integer as _I, Rational as _R, Tuple as _T  # noqa: F401  (srepr namespace)

    assert eval(srepr(rec), {"LinearRecurrence": LinearRecurrence, "Integer": _I,
                             "Rational": _R, "Tuple": _T}) == rec
    assert rec.free_symbols == set()


def test_constructor_validates():
    with pytest.raises(ValueError, match="same length"):
        LinearRecurrence([1, 1], [0])
    with pytest.raises(ValueError, match=r"coeffs\[0\] must lie in range\(7\)"):
        LinearRecurrence([-1], [1], modulus=7)
    with pytest.raises(TypeError, match=r"initial\[0\] must be an integer when modulus=7"):
        LinearRecurrence([1], [Rational(1, 2)], modulus=7)
    with pytest.raises(TypeError, match=r"coeffs\[0\] must be a rational number"):
        LinearRecurrence([Symbol("t")], [1])
    with pytest.raises(ValueError, match="modulus must be a prime, got 6"):
        LinearRecurrence([1], [1], modulus=6)
    assert LinearRecurrence([1], [1], None) == LinearRecurrence([1], [1], 0)


# -- conventions -----------------------------------------------------------------------------


@given(st.one_of(recurrences(), recurrences(modulus=5)))
def test_characteristic_and_connection_conventions(rec):
    L = rec.order
    P, C = rec.characteristic_poly(x), rec.connection_poly(x)
    assert P.degree() == L and P.LC() == 1
    # C(x) = x^L P(1/x)
    assert expand(x**L * P.as_expr().subs(x, 1 / x)) == expand(C.as_expr()) or rec.modulus
    if rec.modulus:
        assert Poly(expand(x**L * P.as_expr().subs(x, 1 / x)), x, modulus=rec.modulus) == C
    assert C.eval(0) == 1
    assert C.degree() == L - rec.offset if L else C.degree() == 0
    # P(E) annihilates the sequence: sum_j P_j a(n + j) = 0
    terms = rec.terms(L + 6)
    Pc = P.all_coeffs()[::-1]
    for n in range(6):
        s = sum(int(Pc[j]) * terms[n + j] for j in range(L + 1)) if rec.modulus else sum(
            Pc[j] * terms[n + j] for j in range(L + 1))
        assert (s % rec.modulus if rec.modulus else s) == 0


@given(st.one_of(recurrences(), recurrences(modulus=11)), st.integers(0, 60))
def test_call_matches_terms(rec, n):
    assert rec(n) == rec.terms(n + 1)[n]


def test_rational_terms_and_call():
    rec = LinearRecurrence([Rational(1, 2), Rational(1, 3)], [1, Rational(2, 7)])
    t = rec.terms(30)
    a, b = Rational(1), Rational(2, 7)
    ref = [a, b]
    for _ in range(28):
        a, b = b, b / 2 + a / 3
        ref.append(b)
    assert t == ref
    assert rec(29) == ref[29]


# -- quasi-polynomial structure (T3.1, T3.3) -------------------------------------------------


@st.composite
def quasi_polynomials(draw, *, max_prefix=3, max_period=4, max_degree=2):
    n0 = draw(st.integers(0, max_prefix))
    T = draw(st.integers(1, max_period))
    d = draw(st.integers(0, max_degree))
    c = st.integers(-5, 5)
    polys = [sum(draw(c) * k**j for j in range(d + 1)) for _ in range(T)]
    return QuasiPolynomial(draw(st.lists(c, min_size=n0, max_size=n0)), polys, k)


@given(quasi_polynomials())
def test_quasi_polynomial_round_trip(qp):
    """T3.1 both ways: qp satisfies x^n0 (x^T - 1)^(d+1); BM recovers a minimal recurrence
    whose quasi-polynomial form has no larger period/prefix/degree and the same terms."""
    big = LinearRecurrence.from_quasi_polynomial(qp)
    assert big.terms(60) == qp.terms(60)
    assert big.is_quasi_polynomial
    assert big.characteristic_poly(x) == Poly(
        x**qp.offset * (x**qp.period - 1) ** (qp.degree + 1), x, domain="QQ")
    rec = berlekamp_massey(qp.terms(2 * big.order + 2))
    assert rec.order <= big.order
    assert big.characteristic_poly(x).rem(rec.characteristic_poly(x)).is_zero
    assert rec.is_quasi_polynomial
    found = rec.quasi_polynomial()
    assert found.terms(80) == qp.terms(80)
    assert found.offset == rec.offset <= qp.offset
    assert qp.period % found.period == 0
    assert found.degree <= qp.degree


def test_structure_read_off_minimal_polynomial():
    """T3.3 on a pinned case: (x^3 - 1)^2 x gives prefix 1, period 3, degree 1."""
    rec = berlekamp_massey([2, 1, 2, 1, 1, 4, 1, 1, 6, 1, 1, 8, 1, 1, 10, 1])
    assert rec.characteristic_poly(x) == Poly(x * (x**3 - 1) ** 2, x, domain="QQ")
    qp = rec.quasi_polynomial()
    assert (qp.offset, qp.period, qp.degree) == (1, 3, 1)
    # (-1)^n n: root -1 twice, period 2, degree 1; Phi_5 * Phi_3: period 15
    alt = berlekamp_massey([(-1) ** i * i for i in range(8)])
    assert (alt.quasi_polynomial().period, alt.quasi_polynomial().degree) == (2, 1)
    P = Poly(cyclotomic_poly(5, x) * cyclotomic_poly(3, x), x)
    rec15 = LinearRecurrence([-c for c in P.all_coeffs()[1:]], range(1, 7))
    assert rec15.quasi_polynomial().period == 15
    # a pure prefix: x^3, the sequence vanishes after 3 terms
    assert LinearRecurrence([0, 0, 0], [4, 5, 6]).quasi_polynomial() == QuasiPolynomial([4, 5, 6], [0], k)
    assert LinearRecurrence([], []).quasi_polynomial() == QuasiPolynomial([], [0], k)


@pytest.mark.parametrize(
    "coeffs, initial",
    [
        ([2], [1]),  # 2^n
        ([1, 1], [0, 1]),  # Fibonacci
        ([Rational(1, 2)], [1]),  # non-integral: roots are not algebraic integers
        ([0, 2], [1, 1]),  # x^2 - 2
        ([1, -1, 1], [1, 2, 3]),  # x^3 - x^2 + x - 1 = (x - 1)(x^2 + 1) -> cyclotomic: True
    ],
)
def test_is_quasi_polynomial_decisions(coeffs, initial):
    rec = LinearRecurrence(coeffs, initial)
    expected = coeffs == [1, -1, 1]
    assert rec.is_quasi_polynomial == expected and isinstance(rec.is_quasi_polynomial, int)
    if not expected:
        with pytest.raises(ValueError, match="not quasi-polynomial"):
            rec.quasi_polynomial()
    else:
        assert rec.quasi_polynomial().period == 4


def test_modular_recurrences_have_no_rational_forms():
    rec = LinearRecurrence([1, 1], [0, 1], modulus=7)
    assert rec.is_quasi_polynomial == True  # eventually periodic  # noqa: E712
    with pytest.raises(ValueError, match="over QQ"):
        rec.quasi_polynomial()
    with pytest.raises(ValueError, match="over QQ"):
        rec.closed_form()


# -- closed forms ----------------------------------------------------------------------------


def test_closed_forms():
    n = Symbol("n", integer=True, nonnegative=True)
    fib = LinearRecurrence([1, 1], [0, 1])
    cf = fib.closed_form(n)
    assert [simplify(cf.subs(n, i)) for i in range(12)] == fib.terms(12)
    assert fib.closed_form(30) == 832040
    # 2^n + n with a one-term prefix: (x - 2)(x - 1)^2 x
    seq = [5] + [2**i + i for i in range(1, 12)]
    rec = berlekamp_massey(seq)
    assert rec.offset == 1
    cf = rec.closed_form(n)
    assert [simplify(cf.subs(n, i)) for i in range(12)] == seq
    # 2^n + F_n: a linear and a quadratic factor, no prefix
    rec = berlekamp_massey([2**i + t for i, t in enumerate(fib.terms(10))])
    assert rec.order == 3
    cf = rec.closed_form(n)
    assert [simplify(cf.subs(n, i)) for i in range(10)] == rec.terms(10)
    # quasi-polynomial: the Piecewise of QuasiPolynomial
    qp = LinearRecurrence([0, 1], [1, 2]).closed_form(n)
    assert [qp.subs(n, i) for i in range(4)] == [1, 2, 1, 2]


# -- classical continued fractions (../shared/reference/classical_cfs.md) --------------------


def _endpoints(ball: arb) -> tuple:
    m, e = ball.mid().man_exp()
    r, f = ball.rad().man_exp()
    mid = fmpq(int(m)) * fmpq(2) ** int(e) if e >= 0 else fmpq(int(m), 2 ** (-int(e)))
    rad = fmpq(int(r)) * fmpq(2) ** int(f) if f >= 0 else fmpq(int(r), 2 ** (-int(f)))
    return mid - rad, mid + rad


def _scf_quotients(value, signs, depth: int, prec: int = 3000) -> list:
    """Certified ESMA expansion: a_i = floor (sign +) or ceil (sign -), x_{i+1} = s/(x - a).

    ``value`` is a function of no arguments returning an arb at the current precision.
    Raises if the enclosure cannot decide ``depth`` quotients.
    """
    with workprec(prec):
        lo, hi = _endpoints(value())
    out = []
    for i in range(depth):
        s = signs[i % len(signs)]
        if s == 1:
            a, b = lo.floor(), hi.floor()
        else:
            a, b = lo.ceil(), hi.ceil()
        assert a == b, f"precision exhausted at quotient {i}"
        out.append(int(a))
        dl, dh = lo - a, hi - a
        assert dl != 0 and dh != 0, f"exact hit at quotient {i}"
        lo, hi = sorted((s / dl, s / dh))
    return out


def _e():
    return arb(1).exp()


CLASSICAL = [
    # name, value, signs, (prefix, polys in k) as stated in classical_cfs.md, minimal offset
    ("e simple", _e, (1,), ([2], [1, 2 * k + 2, 1]), 1),
    ("e^2 simple", lambda: arb(2).exp(), (1,), ([7], [3 * k + 2, 1, 1, 3 * k + 3, 12 * k + 18]), 1),
    ("tan 1 simple", lambda: arb(1).tan(), (1,), ([], [1, 2 * k + 1]), 0),
    ("tanh 1 simple", lambda: arb(1).tanh(), (1,), ([0], [2 * k + 1]), 1),
    ("coth 1/2 simple", lambda: 1 / (arb(1) / 2).tanh(), (1,), ([], [4 * k + 2]), 0),
    ("sqrt 2 simple", lambda: arb(2).sqrt(), (1,), ([1], [2]), 1),
    ("golden simple", lambda: (1 + arb(5).sqrt()) / 2, (1,), ([], [1]), 0),
    ("e (-,+)", _e, (-1, 1), ([3], [2 * k + 3, 2]), 1),
    ("e (+,-)", _e, (1, -1), ([2, 2, 1, 2], [2, 2 * k + 5]), 4),
    ("e/(e-1) (+,-)", lambda: _e() / (_e() - 1), (1, -1), ([1], [2, 2 * k + 3]), 0),
    ("e^2 (+,+,-,+)", lambda: arb(2).exp(), (1, 1, -1, 1), ([7], [3 * k + 2, 2, 3 * k + 4, 12 * k + 18]), 1),
    ("tan 1 (+,-,+)", lambda: arb(1).tan(), (1, -1, 1), ([], [1, 4 * k + 2, 4 * k + 4]), 0),
    ("cot 1 (-)", lambda: 1 / arb(1).tan(), (-1,), ([], [2 * k + 1]), 0),
]


@pytest.mark.parametrize("name, value, signs, table, offset", CLASSICAL, ids=[c[0] for c in CLASSICAL])
def test_classical_quasi_polynomial_forms(name, value, signs, table, offset):
    """Expand the constant (certified, 3000 bits), run BM over QQ on 60 quotients, and compare
    the quasi-polynomial read off the minimal polynomial with the table of classical_cfs.md."""
    N = 60
    quotients = _scf_quotients(value, signs, N)
    expected = QuasiPolynomial(table[0], table[1], k)
    assert quotients == expected.terms(N), f"{name}: the table disagrees with the expansion"
    rec = berlekamp_massey(quotients)
    assert 2 * rec.order < N // 2, f"{name}: recurrence not confirmed by the terms"
    assert rec.is_quasi_polynomial
    qp = rec.quasi_polynomial()
    assert qp.offset == rec.offset == offset
    assert qp.period == expected.period or (name == "e/(e-1) (+,-)" and qp.period == 2)
    assert qp.degree == expected.degree
    assert qp.terms(300) == expected.terms(300)


def test_e_backward_fraction_is_not_a_recurrence():
    """e with sigma = (-) (OEIS A280136) has blocks of 2's of growing length: no short
    recurrence, and BM sees the complexity grow with the number of terms."""
    quotients = _scf_quotients(_e, (-1,), 80, prec=4000)
    assert quotients[:18] == [3, 4, 3, 2, 2, 2, 3, 8, 3, 2, 2, 2, 2, 2, 2, 2, 3, 12]
    from esma_sympy.recurrence import OnlineBM

    bm = OnlineBM()
    assert bm.extend(quotients) > 20



def test_is_quasi_polynomial_is_a_property_and_the_old_call_warns():
    rec = LinearRecurrence([0, 1], [1, 2])
    assert rec.is_quasi_polynomial and not LinearRecurrence([2], [1]).is_quasi_polynomial
    assert repr(rec.is_quasi_polynomial) == "True"
    with pytest.warns(DeprecationWarning, match="property"):
        assert rec.is_quasi_polynomial() is True
    with pytest.warns(DeprecationWarning):
        assert LinearRecurrence([2], [1]).is_quasi_polynomial() is False
