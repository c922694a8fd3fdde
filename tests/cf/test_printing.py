"""Golden tests for printing PCF and SCF inside SymPy expressions (str, pretty, LaTeX).

A continued fraction prints as a sum, ``a(0) + K_{n=1}^oo b(n)/a(n)`` or
``a_0 + s_0/(a_1 + ...)`` (the fraction alone when ``a_0 = 0``), so inside a product, a power or
after a minus sign it must be bracketed like an ``Add``.  ``str`` is the constructor form, which
is atomic and eval-able.  SymPy's LaTeX printer brackets the operand of a minus sign only when it
is an ``Add``, so the LaTeX of a nested continued fraction brackets itself (also where no bracket
is needed, e.g. ``e = (3 + K ...)``); the pretty printer is told by the binding of the form.

The expected strings were read by eye; the LaTeX ones were compiled with pdflatex (amsmath) and
the rendered page looked at.  Pretty output is compared line by line without trailing blanks.
"""

from textwrap import dedent

import pytest
from hypothesis import assume, given, strategies as st
from sympy import E, Eq, Rational, Symbol, latex, pretty, sympify

from esma_sympy import PCF, SCF, QuasiPolynomial
from esma_sympy.errors import DivergenceError
from esma_sympy.testing import pcfs, scfs

n, c, k = Symbol("n"), Symbol("c"), Symbol("k")
P = PCF(n + 3, -n, n)                                        # e = 3 - 1/(4 - 2/(5 - ...))
S = SCF([1, 2, 3], (1, -1))                                  # 1 + 1/(2 - 1/3) = 8/5
SI = SCF(QuasiPolynomial([3], [2*k + 3, 2], k), (-1, 1))     # e = 3 - 1/(3 + 1/(2 - ...))
PC = PCF(n + c, c*n, n)                                      # a symbolic parameter
P0 = PCF(n, 1, n)                                            # a(0) = 0: the K term alone
S0 = SCF([0, 2, 3], (-1,))                                   # a_0 = 0: -1/(2 - 1/3)
NAMES = dict(P=P, S=S, SI=SI, PC=PC, P0=P0, S0=S0, E=E, Eq=Eq)

# (source, str, latex, pretty unicode, pretty ascii)
GOLDEN = [
    ("2*P + 1",
     "1 + 2*PCF(n + 3, -n, n)",
     r"1 + 2 \left(3 + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{- n}{n + 3}\right)",
     """
              ⎛     ∞   -n  ⎞
        1 + 2⋅⎜3 +  K  ─────⎟
              ⎝    n=1 n + 3⎠
        """,
     r"""
              /    oo   -n  \
        1 + 2*|3 +  K  -----|
              \    n=1 n + 3/
        """),
    ("-P",
     "-PCF(n + 3, -n, n)",
     r"- \left(3 + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{- n}{n + 3}\right)",
     """
         ⎛     ∞   -n  ⎞
        -⎜3 +  K  ─────⎟
         ⎝    n=1 n + 3⎠
        """,
     r"""
         /    oo   -n  \
        -|3 +  K  -----|
         \    n=1 n + 3/
        """),
    ("E - P",
     "E - PCF(n + 3, -n, n)",
     r"e - \left(3 + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{- n}{n + 3}\right)",
     """
            ⎛     ∞   -n  ⎞
        ℯ - ⎜3 +  K  ─────⎟
            ⎝    n=1 n + 3⎠
        """,
     r"""
            /    oo   -n  \
        e - |3 +  K  -----|
            \    n=1 n + 3/
        """),
    ("E*P",
     "E*PCF(n + 3, -n, n)",
     r"e \left(3 + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{- n}{n + 3}\right)",
     """
          ⎛     ∞   -n  ⎞
        ℯ⋅⎜3 +  K  ─────⎟
          ⎝    n=1 n + 3⎠
        """,
     r"""
          /    oo   -n  \
        e*|3 +  K  -----|
          \    n=1 n + 3/
        """),
    ("P**2",
     "PCF(n + 3, -n, n)**2",
     r"\left(3 + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{- n}{n + 3}\right)^{2}",
     """
                       2
        ⎛     ∞   -n  ⎞
        ⎜3 +  K  ─────⎟
        ⎝    n=1 n + 3⎠
        """,
     r"""
                       2
        /    oo   -n  \
        |3 +  K  -----|
        \    n=1 n + 3/
        """),
    ("Eq(E, P, evaluate=False)",
     "Eq(E, PCF(n + 3, -n, n))",
     r"e = \left(3 + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{- n}{n + 3}\right)",
     """
                 ∞   -n
        ℯ = 3 +  K  ─────
                n=1 n + 3
        """,
     """
                oo   -n
        e = 3 +  K  -----
                n=1 n + 3
        """),
    ("P/2",
     "PCF(n + 3, -n, n)/2",
     r"\frac{\left(3 + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{- n}{n + 3}\right)}{2}",
     """
             ∞   -n
        3 +  K  ─────
            n=1 n + 3
        ─────────────
              2
        """,
     """
            oo   -n
        3 +  K  -----
            n=1 n + 3
        -------------
              2
        """),
    ("1/P",
     "1/PCF(n + 3, -n, n)",
     r"\frac{1}{\left(3 + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{- n}{n + 3}\right)}",
     """
              1
        ─────────────
             ∞   -n
        3 +  K  ─────
            n=1 n + 3
        """,
     """
              1
        -------------
            oo   -n
        3 +  K  -----
            n=1 n + 3
        """),
    ("2*S + 1",
     "1 + 2*SCF((1, 2, 3), (1, -1), True)",
     r"1 + 2 \left(1 + \cfrac{1}{2 - \cfrac{1}{3}}\right)",
     """
        1 + 2⋅(1 + 1/(2 - 1/3))
        """,
     """
        1 + 2*(1 + 1/(2 - 1/3))
        """),
    ("-S",
     "-SCF((1, 2, 3), (1, -1), True)",
     r"- \left(1 + \cfrac{1}{2 - \cfrac{1}{3}}\right)",
     """
        -(1 + 1/(2 - 1/3))
        """,
     """
        -(1 + 1/(2 - 1/3))
        """),
    ("E - S",
     "E - SCF((1, 2, 3), (1, -1), True)",
     r"e - \left(1 + \cfrac{1}{2 - \cfrac{1}{3}}\right)",
     """
        ℯ - (1 + 1/(2 - 1/3))
        """,
     """
        e - (1 + 1/(2 - 1/3))
        """),
    ("E*S",
     "E*SCF((1, 2, 3), (1, -1), True)",
     r"e \left(1 + \cfrac{1}{2 - \cfrac{1}{3}}\right)",
     """
        ℯ⋅(1 + 1/(2 - 1/3))
        """,
     """
        e*(1 + 1/(2 - 1/3))
        """),
    ("S**2",
     "SCF((1, 2, 3), (1, -1), True)**2",
     r"\left(1 + \cfrac{1}{2 - \cfrac{1}{3}}\right)^{2}",
     """
                         2
        (1 + 1/(2 - 1/3))
        """,
     """
                         2
        (1 + 1/(2 - 1/3))
        """),
    ("Eq(E, S, evaluate=False)",
     "Eq(E, SCF((1, 2, 3), (1, -1), True))",
     r"e = \left(1 + \cfrac{1}{2 - \cfrac{1}{3}}\right)",
     """
        ℯ = 1 + 1/(2 - 1/3)
        """,
     """
        e = 1 + 1/(2 - 1/3)
        """),
    ("S/2",
     "SCF((1, 2, 3), (1, -1), True)/2",
     r"\frac{\left(1 + \cfrac{1}{2 - \cfrac{1}{3}}\right)}{2}",
     """
        1 + 1/(2 - 1/3)
        ───────────────
               2
        """,
     """
        1 + 1/(2 - 1/3)
        ---------------
               2
        """),
    ("1/S",
     "1/SCF((1, 2, 3), (1, -1), True)",
     r"\frac{1}{\left(1 + \cfrac{1}{2 - \cfrac{1}{3}}\right)}",
     """
               1
        ───────────────
        1 + 1/(2 - 1/3)
        """,
     """
               1
        ---------------
        1 + 1/(2 - 1/3)
        """),
    ("2*SI + 1",
     "1 + 2*SCF(QuasiPolynomial((3,), (2*k + 3, 2), k), (-1, 1), True)",
     r"1 + 2 \left(3 - \cfrac{1}{3 + \cfrac{1}{2 - \cfrac{1}{5 + \cfrac{1}{2 - \cfrac{1}{7 + \dotsb}}}}}\right)",
     """
        1 + 2⋅(3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...))))))
        """,
     """
        1 + 2*(3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...))))))
        """),
    ("-SI",
     "-SCF(QuasiPolynomial((3,), (2*k + 3, 2), k), (-1, 1), True)",
     r"- \left(3 - \cfrac{1}{3 + \cfrac{1}{2 - \cfrac{1}{5 + \cfrac{1}{2 - \cfrac{1}{7 + \dotsb}}}}}\right)",
     """
        -(3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...))))))
        """,
     """
        -(3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...))))))
        """),
    ("E - SI",
     "E - SCF(QuasiPolynomial((3,), (2*k + 3, 2), k), (-1, 1), True)",
     r"e - \left(3 - \cfrac{1}{3 + \cfrac{1}{2 - \cfrac{1}{5 + \cfrac{1}{2 - \cfrac{1}{7 + \dotsb}}}}}\right)",
     """
        ℯ - (3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...))))))
        """,
     """
        e - (3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...))))))
        """),
    ("E*SI",
     "E*SCF(QuasiPolynomial((3,), (2*k + 3, 2), k), (-1, 1), True)",
     r"e \left(3 - \cfrac{1}{3 + \cfrac{1}{2 - \cfrac{1}{5 + \cfrac{1}{2 - \cfrac{1}{7 + \dotsb}}}}}\right)",
     """
        ℯ⋅(3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...))))))
        """,
     """
        e*(3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...))))))
        """),
    ("SI**2",
     "SCF(QuasiPolynomial((3,), (2*k + 3, 2), k), (-1, 1), True)**2",
     r"\left(3 - \cfrac{1}{3 + \cfrac{1}{2 - \cfrac{1}{5 + \cfrac{1}{2 - \cfrac{1}{7 + \dotsb}}}}}\right)^{2}",
     """
                                                         2
        (3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...))))))
        """,
     """
                                                         2
        (3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...))))))
        """),
    ("Eq(E, SI, evaluate=False)",
     "Eq(E, SCF(QuasiPolynomial((3,), (2*k + 3, 2), k), (-1, 1), True))",
     r"e = \left(3 - \cfrac{1}{3 + \cfrac{1}{2 - \cfrac{1}{5 + \cfrac{1}{2 - \cfrac{1}{7 + \dotsb}}}}}\right)",
     """
        ℯ = 3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...)))))
        """,
     """
        e = 3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...)))))
        """),
    ("SI/2",
     "SCF(QuasiPolynomial((3,), (2*k + 3, 2), k), (-1, 1), True)/2",
     r"\frac{\left(3 - \cfrac{1}{3 + \cfrac{1}{2 - \cfrac{1}{5 + \cfrac{1}{2 - \cfrac{1}{7 + \dotsb}}}}}\right)}{2}",
     """
        3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...)))))
        ───────────────────────────────────────────────
                               2
        """,
     """
        3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...)))))
        -----------------------------------------------
                               2
        """),
    ("1/SI",
     "1/SCF(QuasiPolynomial((3,), (2*k + 3, 2), k), (-1, 1), True)",
     r"\frac{1}{\left(3 - \cfrac{1}{3 + \cfrac{1}{2 - \cfrac{1}{5 + \cfrac{1}{2 - \cfrac{1}{7 + \dotsb}}}}}\right)}",
     """
                               1
        ───────────────────────────────────────────────
        3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...)))))
        """,
     """
                               1
        -----------------------------------------------
        3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - 1/(7 + ...)))))
        """),
    ("PC",
     "PCF(c + n, c*n, n)",
     r"c + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{c n}{c + n}",
     """
             ∞   c⋅n
        c +  K  ─────
            n=1 c + n
        """,
     """
            oo   c*n
        c +  K  -----
            n=1 c + n
        """),
    ("2*PC",
     "2*PCF(c + n, c*n, n)",
     r"2 \left(c + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{c n}{c + n}\right)",
     """
          ⎛     ∞   c⋅n ⎞
        2⋅⎜c +  K  ─────⎟
          ⎝    n=1 c + n⎠
        """,
     r"""
          /    oo   c*n \
        2*|c +  K  -----|
          \    n=1 c + n/
        """),
    ("P0",
     "PCF(n, 1, n)",
     r"\mathop{\mathrm{K}}_{n=1}^{\infty} \frac{1}{n}",
     """
         ∞  1
         K  ─
        n=1 n
        """,
     """
        oo  1
         K  -
        n=1 n
        """),
    ("-P0",
     "-PCF(n, 1, n)",
     r"- \left(\mathop{\mathrm{K}}_{n=1}^{\infty} \frac{1}{n}\right)",
     """
          ∞  1
        - K  ─
         n=1 n
        """,
     """
         oo  1
        - K  -
         n=1 n
        """),
    ("2*P0",
     "2*PCF(n, 1, n)",
     r"2 \left(\mathop{\mathrm{K}}_{n=1}^{\infty} \frac{1}{n}\right)",
     """
           ∞  1
        2⋅ K  ─
          n=1 n
        """,
     """
          oo  1
        2* K  -
          n=1 n
        """),
    ("P0**2",
     "PCF(n, 1, n)**2",
     r"\left(\mathop{\mathrm{K}}_{n=1}^{\infty} \frac{1}{n}\right)^{2}",
     """
               2
        ⎛ ∞  1⎞
        ⎜ K  ─⎟
        ⎝n=1 n⎠
        """,
     r"""
               2
        /oo  1\
        | K  -|
        \n=1 n/
        """),
    ("S0",
     "SCF((0, 2, 3), (-1,), True)",
     r"- \cfrac{1}{2 - \cfrac{1}{3}}",
     """
        -1/(2 - 1/3)
        """,
     """
        -1/(2 - 1/3)
        """),
    ("-S0",
     "-SCF((0, 2, 3), (-1,), True)",
     r"- \left(- \cfrac{1}{2 - \cfrac{1}{3}}\right)",
     """
        -(-1/(2 - 1/3))
        """,
     """
        -(-1/(2 - 1/3))
        """),
    ("E*S0",
     "E*SCF((0, 2, 3), (-1,), True)",
     r"e \left(- \cfrac{1}{2 - \cfrac{1}{3}}\right)",
     """
        ℯ⋅(-1/(2 - 1/3))
        """,
     """
        e*(-1/(2 - 1/3))
        """),
    ("S0**2",
     "SCF((0, 2, 3), (-1,), True)**2",
     r"\left(- \cfrac{1}{2 - \cfrac{1}{3}}\right)^{2}",
     """
                      2
        (-1/(2 - 1/3))
        """,
     """
                      2
        (-1/(2 - 1/3))
        """),
    ("E - S0",
     "E - SCF((0, 2, 3), (-1,), True)",
     r"e - \left(- \cfrac{1}{2 - \cfrac{1}{3}}\right)",
     """
        ℯ - (-1/(2 - 1/3))
        """,
     """
        e - (-1/(2 - 1/3))
        """),
]


def _pretty_lines(expr, use_unicode):
    return "\n".join(line.rstrip() for line in pretty(expr, use_unicode=use_unicode).splitlines())


@pytest.mark.parametrize("src, s, tex, uni, asc", GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden(src, s, tex, uni, asc):
    expr = eval(src, NAMES)
    assert str(expr) == s
    assert latex(expr) == tex
    assert _pretty_lines(expr, True) == dedent(uni).strip("\n")
    assert _pretty_lines(expr, False) == dedent(asc).strip("\n")


@pytest.mark.parametrize("src", [g[0] for g in GOLDEN if not g[0].startswith("Eq")])
def test_str_round_trip(src):
    expr = eval(src, NAMES)
    names = {"PCF": PCF, "SCF": SCF, "QuasiPolynomial": QuasiPolynomial, "E": E,
             "n": n, "c": c, "k": k}
    assert eval(str(expr), names) == expr


def test_top_level_is_not_bracketed():
    assert latex(P) == r"3 + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{- n}{n + 3}" == P.to_latex()
    assert latex(SI) == SI.to_latex()
    assert latex(S) == r"1 + \cfrac{1}{2 - \cfrac{1}{3}}"
    assert str(P) == "PCF(n + 3, -n, n)"


def test_pcf_cfrac():
    assert P.to_latex(cfrac=3) == r"3 - \cfrac{1}{4 - \cfrac{2}{5 - \cfrac{3}{6 + \dotsb}}}"
    assert P.to_latex(cfrac=2) == r"3 - \cfrac{1}{4 - \cfrac{2}{5 + \dotsb}}"
    assert PC.to_latex(cfrac=2) == r"c + \cfrac{c}{c + 1 + \cfrac{2 c}{c + 2 + \dotsb}}"
    assert P0.to_latex(cfrac=2) == r"\cfrac{1}{1 + \cfrac{1}{2 + \dotsb}}"
    assert PCF(n, -1, n).to_latex(cfrac=1) == r"- \cfrac{1}{1 + \dotsb}"
    assert PCF(2*n + 1, n**2, n).to_latex(cfrac=0) == latex(PCF(2*n + 1, n**2, n))
    for bad, error in ((-1, ValueError), (1.5, TypeError), (True, TypeError)):
        with pytest.raises(error, match="cfrac must be a nonnegative integer"):
            P.to_latex(cfrac=bad)


def test_scf_cfrac():
    assert SI.to_latex(cfrac=3) == r"3 - \cfrac{1}{3 + \cfrac{1}{2 - \cfrac{1}{5 + \dotsb}}}"
    assert S.to_latex(cfrac=1) == r"1 + \cfrac{1}{2 - \dotsb}"
    assert S.to_latex(cfrac=5) == S.to_latex() == r"1 + \cfrac{1}{2 - \cfrac{1}{3}}"
    assert S0.to_latex() == r"- \cfrac{1}{2 - \cfrac{1}{3}}"
    assert SCF([0]).to_latex() == "0" and SCF([0, 2]).to_latex(cfrac=0) == r"0 + \dotsb"
    assert SCF([2, -3, 4]).to_latex() == r"2 + \cfrac{1}{-3 + \cfrac{1}{4}}"
    assert pretty(SCF([2, 3, -4])) == "2 + 1/(3 + 1/(-4))"
    with pytest.raises(ValueError, match="cfrac"):
        S.to_latex(cfrac=-1)


def test_single_quotient_prints_as_its_integer():
    five, minus_five = SCF([5]), SCF([-5])
    assert (latex(2*five), latex(five**2), latex(E - five)) == (r"2 \cdot 5", "5^{2}", "e - 5")
    assert (latex(2*minus_five), latex(E - minus_five)) == (r"2 \left(-5\right)", r"e - \left(-5\right)")
    assert [pretty(e, use_unicode=True) for e in (2*five, 2*minus_five, -minus_five)] == [
        "2⋅5", "2⋅(-5)", "-(-5)"]


def _group(s, i):
    assert s[i] == "{", s[i:]
    depth = 0
    for j in range(i, len(s)):
        depth += {"{": 1, "}": -1}.get(s[j], 0)
        if depth == 0:
            return s[i + 1:j], j + 1
    raise AssertionError(f"unbalanced braces in {s!r}")


def _untex(s):
    r"""``\cfrac{x}{y}`` -> ``((x)/(y))``, recursively: an independent reading of the LaTeX."""
    out, i = [], 0
    while i < len(s):
        if s.startswith(r"\cfrac", i):
            num, i = _group(s, i + len(r"\cfrac"))
            den, i = _group(s, i)
            out.append(f"(({_untex(num)})/({_untex(den)}))")
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def _tex_value(tex):
    """The value of a truncated ``\\cfrac`` text, the tail ``\\dotsb`` read as 0."""
    return sympify(_untex(tex.replace(r"\dotsb", "0")))


@given(pcfs(max_degree=2, max_value=4), st.integers(1, 6))
def test_pcf_cfrac_reads_as_the_convergent(p, depth):
    try:
        want = p.convergent(depth)
    except (DivergenceError, ZeroDivisionError):
        assume(False)
    got = _tex_value(p.to_latex(cfrac=depth))
    assume(got.is_finite)            # a zero denominator inside: the text is still literal
    assert got == want


@given(scfs(), st.integers(1, 6))
def test_scf_cfrac_reads_as_the_convergent(x, depth):
    levels, infinite = x._levels()
    depth = depth if infinite else min(depth, levels)
    assert _tex_value(x.to_latex(cfrac=depth)) == x.convergent(depth)


def test_untex_oracle():
    assert _tex_value(r"3 - \cfrac{1}{4 - \cfrac{2}{5 + \dotsb}}") == Rational(3) - 1 / (4 - Rational(2, 5))
