"""SymPy constant expressions -> ``arb`` balls at a requested precision.

Every node is evaluated by python-flint's ball arithmetic, so the result provably contains the
exact value.  Unsupported nodes raise ``UnsupportedConstant`` naming the node.
"""

from __future__ import annotations

from flint import arb, fmpq
from sympy import (
    Abs,
    Add,
    Catalan,
    E,
    EulerGamma,
    GoldenRatio,
    Integer,
    Mul,
    Pow,
    Rational,
    besseli,
    besselj,
    cos,
    cosh,
    cot,
    coth,
    exp,
    gamma,
    log,
    pi,
    sin,
    sinh,
    sympify,
    tan,
    tanh,
    zeta,
)

from .._flintctx import workprec
from ..errors import UnsupportedConstant

__all__ = ["to_arb"]

_CONSTS = {
    E: lambda: arb(1).exp(),
    pi: arb.pi,
    EulerGamma: arb.const_euler,
    Catalan: arb.const_catalan,
    GoldenRatio: lambda: (1 + arb(5).sqrt()) / 2,
}

_FUNCS = {
    exp: lambda x: x.exp(),
    log: lambda x: x.log(),
    sin: lambda x: x.sin(),
    cos: lambda x: x.cos(),
    tan: lambda x: x.tan(),
    cot: lambda x: x.cot(),
    sinh: lambda x: x.sinh(),
    cosh: lambda x: x.cosh(),
    tanh: lambda x: x.tanh(),
    coth: lambda x: x.coth(),
    Abs: lambda x: abs(x),
    gamma: lambda x: x.gamma(),
    zeta: lambda x: x.zeta(),
}


def _eval(e) -> arb:
    if isinstance(e, Rational):
        return arb(fmpq(int(e.p), int(e.q)))
    if e in _CONSTS:
        return _CONSTS[e]()
    if isinstance(e, Add):
        out = arb(0)
        for t in e.args:
            out += _eval(t)
        return out
    if isinstance(e, Mul):
        out = arb(1)
        for t in e.args:
            out *= _eval(t)
        return out
    if isinstance(e, Pow):
        base, ex = e.args
        if isinstance(ex, Integer):
            return _eval(base) ** int(ex)
        return _eval(base) ** _eval(ex)
    if isinstance(e, (besseli, besselj)):
        nu, z = (_eval(a) for a in e.args)
        return z.bessel_i(nu) if isinstance(e, besseli) else z.bessel_j(nu)
    f = _FUNCS.get(type(e))
    if f is not None and len(e.args) == 1:
        return f(_eval(e.args[0]))
    raise UnsupportedConstant(f"cannot evaluate the node {e} (of type {type(e).__name__})")


def to_arb(expr, prec: int) -> arb:
    """An ``arb`` ball containing the real constant ``expr``, computed at ``prec`` bits.

    >>> from sympy import E, pi
    >>> to_arb(E + pi, 64).contains(arb(5.859874482048838))
    True
    """
    expr = sympify(expr)
    if expr.free_symbols:
        raise ValueError(f"expr must be a constant, got {expr} with free symbols {expr.free_symbols}")
    with workprec(prec):
        v = _eval(expr)
    if not v.is_finite():
        raise ValueError(f"expr = {expr} is not a finite real number")
    return v
