"""Text of the search's records from their integer coefficients, without SymPy.

The search prints and stores thousands of polynomials and LHS; building SymPy expressions only
to print them costs about a millisecond each.  These functions write the same strings as
SymPy's ``str`` of the corresponding expressions (``str(2*k + 3)``, ``str((2*x + 1)/(x - 1))``)
directly from coefficient tuples; ``tests/search/test_text.py`` compares them with SymPy on
whole enumerations and on random coefficients.  The SymPy objects themselves are built only
on access (``Conjecture.quotients``, ``Conjecture.lhs_expr``).
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["poly_str", "ratio_str"]


def _trim(t) -> tuple:
    t = list(t)
    while t and not t[-1]:
        t.pop()
    return tuple(t)


def _term(p: int, q: int, i: int, var: str) -> str:
    """SymPy's ``str`` of ``(p/q) var**i`` (``q > 0``, ``p != 0``)."""
    if i == 0:
        return str(p) if q == 1 else f"{p}/{q}"
    mono = var if i == 1 else f"{var}**{i}"
    a = -p if p < 0 else p
    s = mono if a == 1 else f"{a}*{mono}"
    if q != 1:
        s = f"{s}/{q}"
    return "-" + s if p < 0 else s


def poly_str(coeffs, var: str = "k") -> str:
    """``str`` of the polynomial with these coefficients (low degree first; integers or
    fractions) in the variable ``var``, as SymPy prints it: highest degree first, except that a
    positive constant goes first when the only other term is negative.

    >>> from fractions import Fraction
    >>> poly_str((3, 2)), poly_str((3, -1)), poly_str((-3, -1)), poly_str((Fraction(1, 2), Fraction(-3, 2)))
    ('2*k + 3', '3 - k', '-k - 3', '1/2 - 3*k/2')
    >>> poly_str((1, -1, 1), "x"), poly_str(())
    ('x**2 - x + 1', '0')
    """
    terms = []
    for i in range(len(coeffs) - 1, -1, -1):
        c = coeffs[i]
        if c:
            terms.append((i, c))
    if not terms:
        return "0"
    if len(terms) == 2 and terms[1][0] == 0 and terms[1][1] > 0 and terms[0][1] < 0:
        terms.reverse()
    out = []
    for i, c in terms:
        t = _term(c.numerator, c.denominator, i, var)
        if out:
            out.append(" - " + t[1:] if t[0] == "-" else " + " + t)
        else:
            out.append(t)
    return "".join(out)


def _over_monomial(num: tuple, d: int, var: str) -> str:
    """``str((p_1 x + p_0)/(d x))`` as SymPy prints it (``p_0 != 0``): a constant over the
    monomial is reduced (``-1/(2*E)``), a binomial is kept and the sign of ``d`` goes in front
    (``-(E + 1)/(3*E)``)."""
    if len(num) == 1:
        r = Fraction(num[0], d)
        den = var if r.denominator == 1 else f"({r.denominator}*{var})"
        return f"{r.numerator}/{den}"
    den = var if abs(d) == 1 else f"({abs(d)}*{var})"
    return f"{'-' if d < 0 else ''}({poly_str(num, var)})/{den}"


def ratio_str(num: tuple, den: tuple, var: str):
    """``str(P(x)/Q(x))`` for integer coefficient tuples (low degree first), as SymPy prints
    the unevaluated quotient ``P/Q`` in a symbol ``x`` written ``var``; ``None`` for the shapes
    left to SymPy (a denominator that is a single term of degree 2 or more, or ``d x`` under a
    numerator of degree 2 or without a constant term, ``P = Q``).

    >>> ratio_str((1, 2), (-1, 1), "E"), ratio_str((1, 1), (2,), "E"), ratio_str((0, -1), (1, -1), "E")
    ('(2*E + 1)/(E - 1)', 'E/2 + 1/2', '-E/(1 - E)')
    """
    dn = [(i, c) for i, c in enumerate(den) if c]
    if not dn:
        raise ZeroDivisionError("ratio_str: the denominator is zero")
    if _trim(num) == _trim(den):
        return None                     # SymPy cancels P/P
    if len(dn) == 1:
        i, d = dn[0]
        if i == 1 and len(_trim(num)) <= 2 and num and num[0]:
            return _over_monomial(_trim(num), d, var)
        if i:
            return None
        return poly_str([Fraction(c, d) for c in num], var)
    D = poly_str(den, var)
    nn = [(i, c) for i, c in enumerate(num) if c]
    if not nn:
        return "0"
    if len(nn) >= 2:
        return f"({poly_str(num, var)})/({D})"
    i, c = nn[0]
    a = -c if c < 0 else c
    if i == 0:
        t = str(a)
    else:
        mono = var if i == 1 else f"{var}**{i}"
        t = mono if a == 1 else f"{a}*{mono}"
    return f"{'-' if c < 0 else ''}{t}/({D})"
