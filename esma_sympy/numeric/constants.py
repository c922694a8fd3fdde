"""SymPy constant expressions -> ``arb`` balls at a requested precision.

Every node is evaluated with python-flint's ball arithmetic, so the ball returned by
:func:`to_arb` provably contains the exact value of the expression.  Precision is counted in
*bits* (``prec``), as everywhere inside esma_sympy.

Supported nodes
===============

* numbers: ``Integer``, ``Rational``, ``Float`` (taken as the exact binary fraction it stores);
* constants: ``E``, ``pi``, ``EulerGamma``, ``Catalan``, ``GoldenRatio``, ``TribonacciConstant``;
* arithmetic: ``Add``, ``Mul``, ``Pow`` (integer powers of any base; rational and real powers
  of a positive base, so ``sqrt``, ``cbrt`` and ``root`` are covered);
* ``exp``, ``log``, ``sin``, ``cos``, ``tan``, ``cot``, ``sec``, ``csc`` and their inverses
  ``asin`` ... ``acsc``, ``atan2``; ``sinh`` ... ``csch`` and their inverses;
* ``besseli``, ``besselj``, ``besselk``, ``bessely`` (order, argument);
* ``zeta`` (Riemann and Hurwitz), ``gamma``, ``loggamma``, ``polygamma``/``digamma``,
  ``erf``, ``erfc``, ``LambertW`` (principal branch), ``Abs``;
* ``lowergamma``, ``uppergamma`` (any real ``s``, argument ``x > 0``);
* ``hyper`` for 0F1, 1F1 and 2F1 (real parameters; 2F1 at ``z < 1``).

Any other node raises :class:`~esma_sympy.errors.UnsupportedConstant` naming it.  Evaluation is
*real throughout*: a node whose value is certainly not a real number (``I``, the logarithm of
a negative number, ``asin(2)``, a negative base to a fractional power -- SymPy's principal
branch makes ``(-8)**(1/3)`` complex) raises ``ValueError`` naming the node, even when the
whole expression would be real.

Precision
=========

``to_arb(expr, prec)`` first evaluates with a few guard bits and, when cancellation leaves the
ball with less than ``prec`` bits of relative accuracy, repeats at doubled working precision
up to ``4*prec + 256`` bits.  A value that is exactly zero but not recognised as such by SymPy
(``log(6) - log(2) - log(3)``) therefore costs a few re-evaluations and comes back as a tiny
ball around zero.  A ball that is still not finite then (a pole that cannot be separated from
the argument, such as ``1/(pi - pi)`` written without SymPy noticing) raises
:class:`~esma_sympy.errors.PrecisionExhausted`.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import sympy
from flint import acb, arb, fmpq, fmpz
from sympy import Basic, Float, Integer, Rational

from .._args import check_int
from .._flintctx import workprec
from ..errors import PrecisionExhausted, UnsupportedConstant

__all__ = ["to_arb", "SUPPORTED_FUNCTIONS", "SUPPORTED_CONSTANTS"]


class _Indeterminate(Exception):
    """Internal: a domain question could not be decided at this working precision."""


def _nonreal(node, why: str):
    return ValueError(f"the node {node} is not a finite real number: {why}")


def _tribonacci() -> arb:
    r = arb(33).sqrt()
    return (1 + (19 + 3 * r).root(3) + (19 - 3 * r).root(3)) / 3


_CONSTS = {
    sympy.E: lambda: arb(1).exp(),
    sympy.pi: arb.pi,
    sympy.EulerGamma: arb.const_euler,
    sympy.Catalan: arb.const_catalan,
    sympy.GoldenRatio: lambda: (1 + arb(5).sqrt()) / 2,
    sympy.TribonacciConstant: _tribonacci,
}

#: The SymPy number symbols :func:`to_arb` evaluates.
SUPPORTED_CONSTANTS = tuple(_CONSTS)


# -- one-argument functions with their real domains ---------------------------------------------
# Each checker gets the argument ball and the node; it raises ValueError when the argument is
# certainly outside the real domain and _Indeterminate when the ball straddles its boundary.


def _domain(inside: bool, outside: bool, node, why: str) -> None:
    """Accept when ``inside`` is certain, raise ``ValueError`` when ``outside`` is certain."""
    if inside:
        return
    if outside:
        raise _nonreal(node, why)
    raise _Indeterminate


def _check_positive(x: arb, node):
    _domain(x > 0, x <= 0, node, "the argument is not positive")


def _check_nonzero(x: arb, node):
    _domain(not x.contains(0), x.is_zero(), node, "the argument is zero (a pole)")


def _check_unit_closed(x: arb, node):
    _domain(abs(x) <= 1, abs(x) > 1, node, "the argument lies outside [-1, 1]")


def _check_unit_open(x: arb, node):
    _domain(abs(x) < 1, abs(x) >= 1, node, "the argument lies outside (-1, 1)")


def _check_outside_unit_closed(x: arb, node):
    _domain(abs(x) >= 1, abs(x) < 1, node, "the argument lies inside (-1, 1)")


def _check_outside_unit_open(x: arb, node):
    _domain(abs(x) > 1, abs(x) <= 1, node, "the argument lies in [-1, 1]")


def _check_ge_one(x: arb, node):
    _domain(x >= 1, x < 1, node, "the argument is less than 1")


def _check_asech(x: arb, node):
    _domain(x > 0 and x <= 1, x <= 0 or x > 1, node, "the argument lies outside (0, 1]")


def _check_lambertw(x: arb, node):
    bound = -(arb(-1).exp())
    _domain(x >= bound, x < bound, node, "the argument is less than -1/e")


def _check_gamma(x: arb, node):
    if x.is_exact() and x.is_integer() and x <= 0:
        raise _nonreal(node, "the argument is a pole (a nonpositive integer)")


def _acot(x: arb) -> arb:
    if x.is_zero():
        return arb.pi() / 2
    return (1 / x).atan()


_FUNCS1 = {
    sympy.exp: (None, arb.exp),
    sympy.log: (_check_positive, arb.log),
    sympy.sin: (None, arb.sin),
    sympy.cos: (None, arb.cos),
    sympy.tan: (None, arb.tan),
    sympy.cot: (None, arb.cot),
    sympy.sec: (None, arb.sec),
    sympy.csc: (None, arb.csc),
    sympy.asin: (_check_unit_closed, arb.asin),
    sympy.acos: (_check_unit_closed, arb.acos),
    sympy.atan: (None, arb.atan),
    sympy.acot: (None, _acot),
    sympy.asec: (_check_outside_unit_closed, lambda x: (1 / x).acos()),
    sympy.acsc: (_check_outside_unit_closed, lambda x: (1 / x).asin()),
    sympy.sinh: (None, arb.sinh),
    sympy.cosh: (None, arb.cosh),
    sympy.tanh: (None, arb.tanh),
    sympy.coth: (_check_nonzero, arb.coth),
    sympy.sech: (None, arb.sech),
    sympy.csch: (_check_nonzero, arb.csch),
    sympy.asinh: (None, arb.asinh),
    sympy.acosh: (_check_ge_one, arb.acosh),
    sympy.atanh: (_check_unit_open, arb.atanh),
    sympy.acoth: (_check_outside_unit_open, lambda x: (1 / x).atanh()),
    sympy.asech: (_check_asech, lambda x: (1 / x).acosh()),
    sympy.acsch: (_check_nonzero, lambda x: (1 / x).asinh()),
    sympy.gamma: (_check_gamma, arb.gamma),
    sympy.loggamma: (_check_positive, arb.lgamma),
    sympy.erf: (None, arb.erf),
    sympy.erfc: (None, arb.erfc),
    sympy.LambertW: (_check_lambertw, arb.lambertw),
    sympy.Abs: (None, abs),
}

_BESSEL = {
    sympy.besseli: arb.bessel_i,
    sympy.besselj: arb.bessel_j,
    sympy.besselk: arb.bessel_k,
    sympy.bessely: arb.bessel_y,
}

#: The SymPy function classes :func:`to_arb` evaluates (besides ``Add``, ``Mul``, ``Pow``).
SUPPORTED_FUNCTIONS = tuple(_FUNCS1) + tuple(_BESSEL) + (sympy.zeta, sympy.polygamma, sympy.atan2,
                                                          sympy.lowergamma, sympy.uppergamma, sympy.hyper)


def _eval(e) -> arb:
    """Evaluate the node ``e`` at the current ``flint.ctx.prec``."""
    if e.is_Integer:
        return arb(fmpz(int(e)))
    if e.is_Rational:
        return arb(fmpq(int(e.p), int(e.q)))
    if isinstance(e, Float):
        if not e.is_finite:
            raise _nonreal(e, "it is not finite")
        sign, man, exp, _ = e._mpf_
        man, exp = int(man), int(exp)
        v = fmpq(-man if sign else man) * (fmpq(2**exp) if exp >= 0 else fmpq(1, 2**-exp))
        return arb(v)
    c = _CONSTS.get(e)
    if c is not None:
        return c()
    if e is sympy.I or isinstance(e, sympy.core.numbers.ImaginaryUnit):
        raise _nonreal(e, "it is the imaginary unit")
    if e in (sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
        raise _nonreal(e, "it is not finite")
    if e.is_Add:
        out = arb(0)
        for t in e.args:
            out += _eval(t)
        return out
    if e.is_Mul:
        out = arb(1)
        for t in e.args:
            out *= _eval(t)
        return out
    if e.is_Pow:
        return _eval_pow(e)
    f = e.func
    entry = _FUNCS1.get(f)
    if entry is not None and len(e.args) == 1:
        check, fn = entry
        x = _eval(e.args[0])
        if check is not None:
            check(x, e)
        return fn(x)
    if f in _BESSEL and len(e.args) == 2:
        nu_e, z_e = e.args
        nu, z = _eval(nu_e), _eval(z_e)
        if f in (sympy.besselk, sympy.bessely):
            _check_positive(z, e)
        elif not nu_e.is_Integer:
            if z < 0:
                raise _nonreal(e, "a non-integer order at a negative argument")
            if not z >= 0:
                raise _Indeterminate
        return _BESSEL[f](z, nu)
    if f is sympy.hyper and len(e.args) == 3:
        ap, bq, z_e = e.args
        if len(ap) > 2 or len(bq) > 1 or len(ap) + 1 < len(bq) + 1 - 1:
            raise UnsupportedConstant(f"cannot evaluate the node {e}: only 0F1, 1F1, 2F1 (and 1F0) "
                                      "are supported")
        a = [_eval(x) for x in ap]
        b = [_eval(x) for x in bq]
        z = _eval(z_e)
        if any(x.is_exact() and x <= 0 and x.unique_fmpz() is not None for x in b):
            raise _nonreal(e, "a lower parameter is a nonpositive integer")
        if len(ap) == 2:
            if not z < 1:
                raise _nonreal(e, "2F1 at z >= 1 (the branch cut)") if z >= 1 else _Indeterminate
            return z.hypgeom_2f1(a[0], a[1], b[0])
        if len(ap) == 1 and len(bq) == 1:
            return z.hypgeom_1f1(a[0], b[0])
        if len(ap) == 0 and len(bq) == 1:
            return z.hypgeom_0f1(b[0])
        raise UnsupportedConstant(f"cannot evaluate the node {e}: only 0F1, 1F1, 2F1 are supported")
    if f in (sympy.lowergamma, sympy.uppergamma) and len(e.args) == 2:
        s_, x = _eval(e.args[0]), _eval(e.args[1])
        _check_positive(x, e)             # the incomplete gammas at x > 0 (real, any real s)
        return x.gamma_lower(s_) if f is sympy.lowergamma else x.gamma_upper(s_)
    if f is sympy.zeta and len(e.args) in (1, 2):
        s = _eval(e.args[0])
        if s.is_exact() and s == 1:
            raise _nonreal(e, "s = 1 is the pole of zeta")
        if len(e.args) == 1:
            return s.zeta()
        a = _eval(e.args[1])
        _check_positive(a, e)
        return s.zeta(a)
    if f is sympy.polygamma and len(e.args) == 2:
        n_e, x_e = e.args
        if not (n_e.is_Integer and n_e >= 0):
            raise UnsupportedConstant(
                f"cannot evaluate the node {e}: polygamma needs a nonnegative integer order"
            )
        x = _eval(x_e)
        _check_gamma(x, e)
        if int(n_e) == 0:
            return x.digamma()
        v = acb(x).polygamma(acb(int(n_e)))
        if not v.imag.contains(0):
            raise _nonreal(e, "a complex value")
        return v.real
    if f is sympy.atan2 and len(e.args) == 2:
        y, x = (_eval(a) for a in e.args)
        if x.is_zero() and y.is_zero():
            raise _nonreal(e, "atan2(0, 0) is undefined")
        if x.contains(0) and y.contains(0):
            raise _Indeterminate
        return y.atan2(x)
    raise UnsupportedConstant(
        f"cannot evaluate the node {e} (of type {type(e).__name__}); supported are integers, "
        "rationals, E, pi, EulerGamma, Catalan, GoldenRatio, TribonacciConstant, + - * / **, "
        "and the functions in esma_sympy.numeric.constants.SUPPORTED_FUNCTIONS"
    )


def _eval_pow(e) -> arb:
    base_e, ex_e = e.args
    if base_e is sympy.E:
        return _eval(ex_e).exp()
    b = _eval(base_e)
    if ex_e.is_Integer:
        n = int(ex_e)
        if n < 0:
            _check_nonzero(b, e)
        return b ** n
    if ex_e.is_Rational:
        p, q = int(ex_e.p), int(ex_e.q)
        if b.is_zero():
            if p > 0:
                return arb(0)
            raise _nonreal(e, "a negative power of zero")
        if b < 0:
            raise _nonreal(e, "a negative base to a fractional power (principal branch)")
        if not b > 0:
            raise _Indeterminate
        r = b.sqrt() if q == 2 else b.root(q)
        return r ** p
    x = _eval(ex_e)
    if b.is_zero():
        if x > 0:
            return arb(0)
        if x <= 0:
            raise _nonreal(e, "zero to a nonpositive power")
        raise _Indeterminate
    if b < 0:
        raise _nonreal(e, "a negative base to a non-integer power")
    if not b > 0:
        raise _Indeterminate
    return (x * b.log()).exp()


def _as_constant(expr):
    """Turn the argument of :func:`to_arb` into a SymPy constant (never ``eval`` a string)."""
    if isinstance(expr, str):
        from .parse import parse_constant

        return parse_constant(expr)
    if isinstance(expr, bool):
        raise TypeError(f"expr must be a real constant, got the bool {expr!r}")
    if isinstance(expr, (int, fmpz)):
        return Integer(int(expr))
    if isinstance(expr, fmpq):
        return Rational(int(expr.p), int(expr.q))
    if isinstance(expr, Fraction):
        return Rational(expr.numerator, expr.denominator)
    if isinstance(expr, float):
        return Float(expr)
    if not isinstance(expr, Basic):
        raise TypeError(
            f"expr must be a SymPy expression, a number or a string, got {type(expr).__name__} "
            f"{expr!r}"
        )
    if expr.free_symbols:
        raise ValueError(
            f"expr must be a constant, got {expr} with free symbols "
            f"{sorted(map(str, expr.free_symbols))}"
        )
    return expr


def _check_prec(prec) -> int:
    prec = check_int(prec, "prec (bits)", 2)
    from .. import limits

    if prec > 4 * limits.MAX_DPS:          # about 3.32 bits a digit
        raise limits.ResourceLimitError(
            f"prec = {prec} bits is above 4 * esma_sympy.limits.MAX_DPS = {4 * limits.MAX_DPS}; "
            "set esma_sympy.limits.MAX_DPS higher to go on")
    return prec


@lru_cache(maxsize=256)
def _to_arb_cached(expr, prec: int) -> arb:
    wp = prec + 24
    max_wp = 4 * prec + 256
    v = None
    while True:
        with workprec(wp):
            try:
                v = _eval(expr)
            except _Indeterminate:
                v = arb.nan()
        if v.is_finite() and (v.is_exact() or v.rel_accuracy_bits() >= prec):
            return v
        if wp >= max_wp:
            break
        wp = min(2 * wp, max_wp)
    if v.is_finite():
        return v
    raise PrecisionExhausted(
        f"could not evaluate {expr} to a finite ball with {max_wp} working bits (prec = {prec}); "
        "an argument cannot be separated from a pole or from the boundary of a domain"
    )


def to_arb(expr, prec: int) -> arb:
    """An ``arb`` ball that contains the real constant ``expr``, computed at ``prec`` bits.

    Explanation
    ===========

    The expression is walked node by node with python-flint's ball arithmetic, so the ball is
    guaranteed to contain the exact value.  When cancellation costs accuracy the working
    precision is raised (up to ``4*prec + 256`` bits) until the ball has about ``prec`` bits
    of relative accuracy; the result may be narrower than asked, never wider unless the
    value is zero or lies so close to zero that this budget cannot separate it.  The
    global ``flint.ctx.prec`` is restored afterwards.  Results are memoised per
    ``(expr, prec)``.

    Examples
    ========

    >>> from flint import arb
    >>> from sympy import E, pi, sqrt, besseli, zeta, Rational
    >>> print(to_arb(E + pi, 64).str(15))
    [5.85987448204884 +/- ...]
    >>> print(to_arb(besseli(0, 2) / besseli(1, 2), 60).str(12))
    [1.43312742672 +/- ...]
    >>> print(to_arb(zeta(3), 100).str(25))
    [1.202056903159594285399738 +/- ...]
    >>> to_arb(Rational(1, 4), 30)
    0.250000000000000
    >>> to_arb("sqrt(2) - 1", 53).overlaps(arb(2).sqrt() - 1)
    True
    >>> to_arb(sqrt(-2), 53)
    Traceback (most recent call last):
    ...
    ValueError: the node I is not a finite real number: it is the imaginary unit

    Parameters
    ==========

    expr : SymPy expression, int, fmpq, Fraction or str
        A real constant.  A string is read by the whitelist parser
        :func:`esma_sympy.numeric.parse.parse_constant`, never by ``sympify``.
    prec : int
        Bits of relative accuracy wanted.

    Returns
    =======

    arb

    Raises
    ======

    UnsupportedConstant
        The expression contains a node that cannot be evaluated (the message names it).
    ValueError
        A node is certainly not real (or is infinite), or ``expr`` has free symbols.
    PrecisionExhausted
        The value could not be made finite within the precision budget.

    See Also
    ========

    esma_sympy.numeric.parse.parse_constant, esma_sympy.expand
    """
    prec = _check_prec(prec)
    return _to_arb_cached(_as_constant(expr), prec)
