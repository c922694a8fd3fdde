"""The search's text from integer coefficients (``search.text``) is SymPy's ``str``, exactly.

Compared with the SymPy expressions the texts stand for: every polynomial of small degree and
coefficients, every quotient of such polynomials, every LHS of the enumerations the search
uses, and random rational coefficients (hypothesis)."""

import itertools
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st
from sympy import Integer, Rational, Symbol

from esma_sympy.search.conjecture import poly_text
from esma_sympy.search.lhs import LHS, enumerate_lhs
from esma_sympy.search.text import poly_str, ratio_str

X = Symbol("_c_")


def sympy_poly(coeffs):
    return sum((Rational(c.numerator, c.denominator) * X**i for i, c in enumerate(coeffs)),
               Rational(0))


def sympy_ratio(num, den):
    P = sum((Integer(k) * X**i for i, k in enumerate(num)), Integer(0))
    Q = sum((Integer(k) * X**i for i, k in enumerate(den)), Integer(0))
    return P / Q


def test_every_small_integer_polynomial():
    for deg in range(4):
        for cs in itertools.product(range(-3, 4), repeat=deg + 1):
            assert poly_str(cs, "_c_") == str(sympy_poly(cs)), cs


def test_every_small_quotient():
    checked = 0
    for num in itertools.product(range(-2, 3), repeat=3):
        for den in itertools.product(range(-2, 3), repeat=3):
            if not any(den):
                continue
            got = ratio_str(num, den, "_c_")
            if got is None:             # left to SymPy: a monomial denominator, or P = Q
                nz = [i for i, c in enumerate(den) if c]
                mono = len(nz) == 1 and nz[0] > 0
                over_x = mono and nz[0] == 1 and not num[2] and num[0]
                assert (mono and not over_x) or num[:len(den)] == den, (num, den)
                continue
            assert got == str(sympy_ratio(num, den)), (num, den)
            checked += 1
    assert checked > 10000


@given(st.lists(st.fractions(min_value=-50, max_value=50, max_denominator=12), min_size=1,
                max_size=5))
def test_rational_polynomials(coeffs):
    assert poly_str(coeffs, "_c_") == str(sympy_poly(coeffs))
    assert poly_text(tuple(coeffs)) == str(sympy_poly(coeffs)).replace("_c_", "k")


def test_lhs_text_matches_sympy_on_the_search_domains():
    names = ["E", "exp(2)", "tan(1)", "-1 + E", "sqrt(2)"]
    for v in enumerate_lhs(1, 2) + enumerate_lhs(2, 1):
        for name in names:
            assert v.text(name) == v._text(name), (v, name)


def test_shapes_left_to_sympy_still_print():
    # a monomial denominator of degree 2 goes through SymPy: the same text either way
    v = LHS((1, 1), (0, 0, 2))
    assert ratio_str(v.num, v.den, "E") is None
    assert v.text("E") == "(E + 1)/(2*E**2)"
    # d x under a constant or a binomial with a constant term is written directly
    assert ratio_str((1, 1), (0, 2), "E") == "(E + 1)/(2*E)" == LHS((1, 1), (0, 2))._text("E")
    assert ratio_str((-2,), (0, -3), "E") == "2/(3*E)" == LHS((-2,), (0, -3))._text("E")
    assert ratio_str((1, -1), (0, -3), "E") == "-(1 - E)/(3*E)" == LHS((1, -1), (0, -3))._text("E")
    assert ratio_str((1, 1), (1, 1), "E") is None
    assert ratio_str((0, 0), (1, 1), "E") == "0"
    assert poly_str((Fraction(0), Fraction(-1, 3))) == "-k/3"
