"""Euler's transformation of a series into an equivalent continued fraction.

For a series ``S = t_0 + t_1 + t_2 + ...`` with term ratio ``r(k) = t_k/t_{k-1}`` (a rational
function of ``k``), Euler's identity (theory T4.11)

    1 + r_1 + r_1 r_2 + ... + r_1···r_M = 1/(1 − r_1/(1 + r_1 − r_2/(1 + r_2 − ··· − r_M/(1 + r_M))))

holds for every ``M``, so the partial sums are Möbius images of the convergents of the PCF
``T = PCF(1 + r(n+1), −r(n+1))``, cleared of denominators.
"""

from __future__ import annotations

from sympy import ImmutableMatrix, Matrix, Rational, Symbol, cancel, expand, sympify

from ..numeric.parse import sympify_safe
from ..cf.pcf import PCF
from ._rational import _integer_roots, _numden
from .fold import Fold

__all__ = ["euler_cf"]


def euler_cf(term_ratio, k: Symbol, t0=1) -> Fold:
    r"""Euler's continued fraction of the series with ``t_k/t_{k-1} = term_ratio(k)`` (T4.11).

    Explanation
    ===========

    Returns a :class:`Fold` ``f`` with ``f.start = 1``, ``f.step = 1``: for every ``N >= 0``
    the partial sum ``S_{N+1} = t_0 + ... + t_{N+1}`` equals
    ``f.map_value(f.pcf.convergent(N))`` exactly (projectively: ``G (p_N, q_N)`` is a nonzero
    multiple of ``(S_{N+1}, 1)`` even where ``q_N = 0``).  ``term_ratio`` must be finite and nonzero
    at every integer ``k >= 1``.

    Examples
    ========

    ``e = Σ 1/k!`` (``r(k) = 1/k``):

    >>> from sympy import E, Rational, factorial
    >>> from sympy.abc import k
    >>> f = euler_cf(1/k, k)
    >>> f.pcf, f.mobius.tolist()
    (PCF(n + 2, -n, n), [[1, 0], [1, -1]])
    >>> f.map_value(f.pcf.convergent(4)) == sum(Rational(1, factorial(j)) for j in range(6))
    True
    >>> y = f.pcf.evaluate(40)
    >>> y.contains(E / (E - 1))
    True

    Parameters
    ==========

    term_ratio : expression
        ``r(k)``, a rational function of ``k``.
    k : Symbol
        Its variable.
    t0 : rational
        The first term.

    Returns
    =======

    Fold

    See Also
    ========

    esma_sympy.transforms.fold
    """
    k = sympify_safe(k)
    if not isinstance(k, Symbol):
        raise TypeError(f"k must be a Symbol, got {k!r}")
    r = sympify_safe(term_ratio)
    if r.free_symbols - {k} or not r.is_rational_function(k):
        raise ValueError(f"term_ratio = {r} must be a rational function of {k} with numeric coefficients")
    t0 = sympify_safe(t0)
    if not t0.is_Rational or t0 == 0:
        raise ValueError(f"t0 must be a nonzero rational, got {t0}")
    P, Q = _numden(r, k)
    if P.is_zero or any(x >= 1 for x in _integer_roots(P)) or any(x >= 1 for x in _integer_roots(Q)):
        raise ValueError(f"term_ratio = {r} must be finite and nonzero at every integer {k} >= 1")
    n = Symbol("n")
    r1 = Rational(cancel(r.xreplace({k: 1})))
    # T = PCF(1 + r(n+1), -r(n+1)); inflate by v(n) (denominator of r(n+1)), nonzero at n >= 0
    u = P.as_expr().xreplace({k: n + 1})
    v = Q.as_expr().xreplace({k: n + 1})
    pcf = PCF(expand(u + v), expand(-u * v.xreplace({n: n - 1})), n)
    v0 = Rational(v.xreplace({n: 0}))
    # Σ_{N+1}/t0 = T_N/(T_N − r_1) with T_N = y_N / v0  (T4.1)
    G = Matrix([[t0, 0], [0, 1]]) * Matrix([[1, 0], [1, -r1]]) * Matrix([[1, 0], [0, v0]])
    return Fold._from_sympy(pcf, ImmutableMatrix(G), 1, 1, 0)
