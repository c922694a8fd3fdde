"""Private helpers: rational functions of the index over QQ, integer roots, exact checks.

Everything here is exact (SymPy ``Poly`` over ``QQ``); nothing is evaluated numerically.
"""

from __future__ import annotations

from sympy import Expr, Poly, QQ, Rational, S, Symbol, cancel, sympify, together

from ..numeric.parse import sympify_safe
from ..cf.pcf import PCF

__all__: list = []


def _index_expr(c, n: Symbol, name: str, cn=None) -> Expr:
    """Sympify ``c`` and rewrite it in the index ``n`` (``cn``: the symbol used in ``c``)."""
    c = sympify_safe(c)
    if not isinstance(c, Expr):
        raise TypeError(f"{name} must be an expression, got {c!r}")
    syms = c.free_symbols
    if cn is not None:
        c = c.xreplace({cn: n})
    elif syms and syms != {n}:
        if len(syms) == 1:
            c = c.xreplace({next(iter(syms)): n})
        else:
            raise ValueError(
                f"{name} = {c} has several free symbols {sorted(map(str, syms))}; "
                f"write it in the index {n}"
            )
    if not c.is_rational_function(n):
        raise ValueError(f"{name} = {c} must be a polynomial or rational function of {n}")
    return c


def _numden(e: Expr, n: Symbol) -> tuple:
    """``(num, den)`` as ``Poly`` over QQ with ``e = num/den``, ``den`` monic, coprime."""
    num, den = together(cancel(sympify_safe(e))).as_numer_denom()
    P, Q = Poly(num, n, domain=QQ), Poly(den, n, domain=QQ)
    g = P.gcd(Q)
    if not g.is_one and not g.is_zero:
        P, Q = P.quo(g), Q.quo(g)
    lc = Q.LC()
    return P.quo_ground(lc), Q.quo_ground(lc)


def _is_poly(e: Expr, n: Symbol) -> bool:
    return _numden(e, n)[1].degree() == 0


def _poly(e: Expr, n: Symbol) -> Poly:
    P, Q = _numden(e, n)
    if Q.degree() != 0:
        raise ValueError(f"{e} is not a polynomial in {n}")
    return P


def _shift(P: Poly, n: Symbol, by: int) -> Poly:
    """``P(n + by)``."""
    return Poly(P.as_expr().xreplace({n: n + by}), n, domain=QQ)


def _integer_roots(P: Poly) -> list:
    """The integer roots of a nonzero polynomial over QQ (exact: rational root test)."""
    if P.is_zero:
        raise ValueError("the zero polynomial has every integer as a root")
    out = []
    for f, _m in P.factor_list()[1]:
        if f.degree() == 1:
            c1, c0 = f.all_coeffs()
            r = -c0 / c1
            if r.is_integer:
                out.append(int(r))
    return sorted(out)


def _nonvanishing_from(e: Expr, n: Symbol, start: int) -> bool:
    """Whether the rational function ``e`` is finite and nonzero at every integer ``>= start``."""
    P, Q = _numden(e, n)
    if P.is_zero:
        return False
    return all(r < start for r in _integer_roots(P)) and all(r < start for r in _integer_roots(Q))


def _expr(P: Poly) -> Expr:
    return P.as_expr()


def _pcf_index(pcf) -> Symbol:
    if not isinstance(pcf, PCF):
        raise TypeError(f"pcf must be a PCF, got {pcf!r} of type {type(pcf).__name__}")
    return pcf.index


def _ratval(e: Expr, n: Symbol, v: int) -> Rational:
    r = cancel(sympify_safe(e)).xreplace({n: S(v)})
    return sympify_safe(r)
