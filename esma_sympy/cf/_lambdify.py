"""Numeric code for ``lambdify``: a continued fraction becomes a call of :func:`cf_value`.

A PCF or SCF has no closed form a code printer could emit, so ``lambdify`` prints
``cf_value('<srepr>', '<module>', *params)``; the call evaluates the fraction (its parameters
replaced by the exact values of the arguments) with a certified error bound, as ``N`` does.
Only proven digits are kept; a fraction without a proven value gives ``nan``.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

__all__ = ["cf_value"]

_REGISTRY: dict = {}


def _register(cf) -> str:
    from sympy import srepr

    key = srepr(cf)
    _REGISTRY[key] = cf
    return key


@lru_cache(maxsize=256)
def _lookup(key: str):
    cf = _REGISTRY.get(key)
    if cf is None:  # a function made in another process: rebuild from the srepr
        from sympy import sympify

        import sympy

        from . import PCF, SCF, QuasiPolynomial

        ns = {name: getattr(sympy, name) for name in dir(sympy) if not name.startswith("_")}
        ns.update(PCF=PCF, SCF=SCF, QuasiPolynomial=QuasiPolynomial)
        cf = sympify(key, locals=ns)
    return cf


def _params(cf) -> list:
    return sorted(cf.free_symbols, key=lambda s: s.name)


def _scalar(cf, module: str, values):
    from sympy import Float, N

    from ..errors import PrecisionWarning

    if values:
        try:
            exact = [_exact(v) for v in values]
            cf = cf.func(*[a.xreplace(dict(zip(_params(cf), exact))) for a in cf.args])
        except (TypeError, ValueError) as err:     # nan, inf, or a degenerate member
            warnings.warn(f"{cf} has no value at {tuple(values)}: {err}", PrecisionWarning,
                          stacklevel=4)
            return _nan(module)
    if module == "mpmath":
        import mpmath

        dps = mpmath.mp.dps
    else:
        dps = 17
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PrecisionWarning)
        r = N(cf, dps)
    for w in caught:
        warnings.warn(str(w.message), PrecisionWarning, stacklevel=4)
    if not isinstance(r, Float):
        return _nan(module)
    if module == "mpmath":
        import mpmath

        return mpmath.mpf(str(r))        # the proven digits only
    return float(str(r))


def _nan(module: str):
    if module == "mpmath":
        import mpmath

        return mpmath.mpf("nan")
    return float("nan")


def cf_value(key: str, module: str, *values):
    """The certified value of the registered fraction ``key`` at the parameter ``values``.

    ``module`` is ``'numpy'`` (arrays broadcast, float results), ``'mpmath'`` (an ``mpf`` at
    ``mpmath.mp.dps``) or ``'math'``.

    >>> from sympy import lambdify, Symbol
    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> c = Symbol('c')
    >>> f = lambdify(c, PCF(n + c, c*n, n))
    >>> round(float(f(1)), 12)                   # PCF(n + 1, n) = 1/(e - 2)
    1.392211191177
    """
    cf = _lookup(key)
    if module == "numpy" and values:
        import numpy as np

        arrs = np.broadcast_arrays(*[np.asarray(v) for v in values])
        if arrs[0].ndim:
            out = np.empty(arrs[0].shape, dtype=float)
            for idx in np.ndindex(arrs[0].shape):
                out[idx] = _scalar(cf, module, [a[idx] for a in arrs])
            return out
        return _scalar(cf, module, [a[()] for a in arrs])
    return _scalar(cf, module, list(values))


def _exact(v):
    """An exact SymPy number for a Python/NumPy/mpmath argument (floats exactly)."""
    from sympy import Integer, Rational

    if isinstance(v, bool):
        raise TypeError(f"a parameter value must be a number, got {v!r}")
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, int):
        return Integer(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError(f"a parameter value must be finite, got {v!r}")
        return Rational(v)
    try:
        import mpmath

        if isinstance(v, mpmath.mpf):
            if not mpmath.isfinite(v):
                raise TypeError(f"a parameter value must be finite, got {v!r}")
            return Integer(int(v.man)) * Rational(2) ** int(v.exp)
    except ImportError:  # pragma: no cover
        pass
    from sympy import sympify

    r = sympify(v)
    if not r.is_Rational:
        raise TypeError(f"a parameter value must be a real rational or float, got {v!r}")
    return r


def lambdify_code(cf, printer, module: str) -> str:
    """The code ``cf_value('<srepr>', module, *params)`` for a code printer."""
    key = _register(cf)
    name = printer._module_format("esma_sympy.cf._lambdify.cf_value")
    args = ", ".join(printer._print(s) for s in _params(cf))
    return f"{name}({key!r}, {module!r}{', ' if args else ''}{args})"
