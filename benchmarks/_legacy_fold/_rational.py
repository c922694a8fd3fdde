"""Legacy baseline (commit e587b60): the helpers of ``esma_sympy/transforms/_rational.py``
used by the legacy fold.  Benchmark use only."""

from __future__ import annotations

from sympy import Expr, Poly, QQ, Symbol, cancel, sympify, together

from esma_sympy.cf.pcf import PCF

__all__: list = []


def _index_expr(c, n: Symbol, name: str, cn=None) -> Expr:
    """Sympify ``c`` and rewrite it in the index ``n`` (``cn``: the symbol used in ``c``)."""
    c = sympify(c)
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
    num, den = together(cancel(sympify(e))).as_numer_denom()
    P, Q = Poly(num, n, domain=QQ), Poly(den, n, domain=QQ)
    g = P.gcd(Q)
    if not g.is_one and not g.is_zero:
        P, Q = P.quo(g), Q.quo(g)
    lc = Q.LC()
    return P.quo_ground(lc), Q.quo_ground(lc)


def _poly(e: Expr, n: Symbol) -> Poly:
    P, Q = _numden(e, n)
    if Q.degree() != 0:
        raise ValueError(f"{e} is not a polynomial in {n}")
    return P


def _pcf_index(pcf) -> Symbol:
    if not isinstance(pcf, PCF):
        raise TypeError(f"pcf must be a PCF, got {pcf!r} of type {type(pcf).__name__}")
    return pcf.index
