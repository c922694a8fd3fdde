"""Golden tests: the LHS of a conjecture prints in natural order (``E - 1``, not ``-1 + E``)
in text (``LHS.text``, stored as the ``lhs`` column) and in LaTeX (``Conjecture.lhs_latex``).

The LaTeX strings were compiled with pdflatex and looked at.
"""

import pytest
from sympy import E, exp, pi, sqrt, zeta

from esma_sympy import esma_search
from esma_sympy.search.conjecture import Conjecture
from esma_sympy.search.lhs import LHS

CASES = [  # (num, den), text in E, LaTeX in e
    (((-1, 1), (1,)), "E - 1", r"e - 1"),
    (((0, 1), (-1, 1)), "E/(E - 1)", r"\frac{e}{e - 1}"),
    (((1, 2), (-1, 1)), "(2*E + 1)/(E - 1)", r"\frac{2 e + 1}{e - 1}"),
    (((1, 0, 1), (1,)), "E**2 + 1", r"e^{2} + 1"),
    (((-2, 0, -3), (0, 1)), "(-3*E**2 - 2)/E", r"\frac{- 3 e^{2} - 2}{e}"),
    (((1, 1), (0, 2)), "(E + 1)/(2*E)", r"\frac{e + 1}{2 e}"),
    (((1,), (0, 1)), "1/E", r"\frac{1}{e}"),
]


def _record(constant, v):
    """A conjecture record with only the fields the LHS printing reads."""
    return Conjecture(constant, v, (1,), (), (), (), (), 0, 0, 0)


@pytest.mark.parametrize("nd, text, tex", CASES, ids=[c[1] for c in CASES])
def test_natural_order(nd, text, tex):
    v = LHS(*nd)
    assert v.text("E") == text
    assert _record(E, v).lhs_text == text
    assert _record(E, v).lhs_latex == tex


@pytest.mark.parametrize("constant, tex", [
    (pi, r"\frac{2 \pi + 1}{\pi - 1}"),
    (zeta(3), r"\frac{2 \zeta\left(3\right) + 1}{\zeta\left(3\right) - 1}"),
    (sqrt(2), r"\frac{2 \sqrt{2} + 1}{\sqrt{2} - 1}"),
    (exp(2), r"\frac{2 e^{2} + 1}{e^{2} - 1}"),
    (2 * pi, r"\frac{2 \left(2 \pi\right) + 1}{\left(2 \pi\right) - 1}"),   # a product: bracketed
])
def test_other_constants(constant, tex):
    assert _record(constant, LHS((1, 2), (-1, 1))).lhs_latex == tex


def test_powers_of_a_power_are_bracketed():
    assert _record(exp(2), LHS((1, 0, 1), (1,))).lhs_latex == r"\left(e^{2}\right)^{2} + 1"


def test_conjecture_latex():
    c = esma_search(E, lhs=["E - 1"], max_period=2).find(signs=(-1, 1))[0]
    assert c.lhs_text == "E - 1"
    assert c.latex().startswith(r"e - 1 = 2 - \cfrac{1}{3 + \cfrac{1}{2 - ")
