r"""Exact ESMA expansion of a real quadratic irrational, computed in ``Q(sqrt(D))``.

Raw types only (ARCHITECTURE.md): the input may be a SymPy expression, the results are
Python ints.  A real quadratic irrational is held as

    x = (P + sqrt(D)) / Q,      D > 0 not a square,  Q != 0,  Q | D - P^2,

and the ESMA rule (theory T2.1: ``a_i = floor(x_i)`` for ``s_i = +1``, ``ceil(x_i)`` for
``s_i = -1``, ``x_{i+1} = s_i/(x_i - a_i)``, the sign following its quotient) is the
complete-quotient recurrence

    a = floor or ceil of (P + sqrt(D))/Q,   P' = a Q - P,   Q' = s (D - P'^2) / Q,

with exact integer division; the floor is decided exactly with ``r = isqrt(D)``:
``floor((P + sqrt(D))/Q) = (P + r) // Q`` for ``Q > 0`` and ``(P + r + 1) // Q`` for
``Q < 0`` (``sqrt(D)`` lies strictly between ``r`` and ``r + 1``), and the ceiling is the floor
plus one (``x_i`` is never an integer).  Nothing is evaluated numerically.

Under a periodic sign pattern the expansion is eventually periodic (theory T6.12): the state
``(P_i, Q_i, i mod p)`` eventually repeats, and :func:`periodic_quotients` returns the first
repetition as a preperiod and a (minimal) period of quotients.

:func:`algebraic_parts` decides, exactly, whether a SymPy constant built from rationals by
field operations and radicals is a rational or a real quadratic irrational (its minimal
polynomial over ``Q``); :mod:`esma_sympy.numeric.expand` uses it when a ball cannot decide a
quotient, so that ``(1 + sqrt(2))*(1 - sqrt(2))`` expands exactly as ``-1``.
"""

from __future__ import annotations

from math import gcd, isqrt

from .. import limits
from ..errors import ResourceLimitError

__all__ = ["algebraic_parts", "quadratic_quotients", "periodic_quotients"]


def _check_state(P: int, Q: int, D: int) -> tuple:
    """``(P, Q, D, isqrt(D))`` for the quadratic irrational ``(P + sqrt(D))/Q``, normalised so
    that ``Q | D - P^2`` (numerator and denominator multiplied by ``|Q|`` when needed)."""
    for v, name in ((P, "P"), (Q, "Q"), (D, "D")):
        if isinstance(v, bool) or not isinstance(v, int):
            raise TypeError(f"{name} must be an int, got {v!r}")
    if D <= 0:
        raise ValueError(f"D must be positive, got D = {D}")
    r = isqrt(D)
    if r * r == D:
        raise ValueError(f"D must not be a square, got D = {D} = {r}^2")
    if Q == 0:
        raise ValueError("Q must not be zero")
    if (D - P * P) % Q:
        P, D, Q = P * abs(Q), D * Q * Q, Q * abs(Q)
        r = isqrt(D)
    return P, Q, D, r


def _step(P: int, Q: int, D: int, r: int, s: int):
    """One ESMA step: ``(a, P', Q')``."""
    a = (P + r) // Q if Q > 0 else (P + r + 1) // Q      # floor, decided exactly
    if s < 0:
        a += 1                                            # ceil: x is never an integer
    P2 = a * Q - P
    return a, P2, s * (D - P2 * P2) // Q


def quadratic_quotients(P: int, Q: int, D: int, signs, n: int) -> list:
    """The first ``n`` ESMA quotients of ``(P + sqrt(D))/Q``, exactly.

    ``D > 0`` is not a square and ``Q != 0``; when ``Q`` does not divide ``D - P^2`` the
    fraction is first rewritten as ``(P|Q| + sqrt(D Q^2))/(Q|Q|)``.
    ``signs`` is a list of at least ``n`` signs, or an object with ``ensure(k)`` returning
    such a list (the sign sources of :mod:`esma_sympy.numeric.expand`).

    >>> quadratic_quotients(0, 1, 2, [1] * 6, 6)              # sqrt(2)
    [1, 2, 2, 2, 2, 2]
    >>> quadratic_quotients(1, 2, 5, [-1, 1] * 3, 6)          # the golden ratio, signs (-, +)
    [2, 2, 2, 2, 2, 2]
    """
    P, Q, D, r = _check_state(P, Q, D)
    sg = signs.ensure(n) if hasattr(signs, "ensure") else signs
    out = []
    for i in range(n):
        a, P, Q = _step(P, Q, D, r, sg[i])
        out.append(a)
    return out


def periodic_quotients(P: int, Q: int, D: int, pattern) -> tuple:
    """The eventually periodic ESMA expansion of ``(P + sqrt(D))/Q`` under a periodic sign
    pattern, as ``(preperiod, period)`` lists of quotients.

    Explanation
    ===========

    ``a_i = preperiod[i]`` for ``i < len(preperiod)`` and then the quotients repeat ``period``.
    The state ``(P_i, Q_i, i mod p)`` determines the rest of the expansion; it is recorded until
    it repeats (theory T6.12 proves that it does: from some index on ``0 < Q_i <= D``), so the
    preperiod is the shortest one and ``period`` the shortest period of the quotients.  Raises
    :class:`~esma_sympy.errors.ResourceLimitError` past :data:`esma_sympy.limits.MAX_TERMS`
    steps.

    >>> periodic_quotients(0, 1, 2, (1,))                     # sqrt(2) = [1; 2, 2, ...]
    ([1], [2])
    >>> periodic_quotients(0, 1, 2, (-1,))                    # sqrt(2) = 2 - 1/(2 - 1/(4 - ...))
    ([2], [2, 4])
    >>> periodic_quotients(1, 2, 5, (-1, 1))                  # 2 - 1/(2 + 1/(2 - ...))
    ([], [2])
    >>> periodic_quotients(3, 7, 3, (1,))                     # (3 + sqrt(3))/7
    ([0, 1, 2], [11, 1, 1, 3, 1, 1])
    """
    P, Q, D, r = _check_state(P, Q, D)
    pat = tuple(pattern)
    if not pat or any(s not in (1, -1) for s in pat):
        raise ValueError(f"pattern must be a non-empty tuple of +1/-1, got {pattern!r}")
    p = len(pat)
    seen: dict = {}
    qs: list = []
    i = 0
    while True:
        key = (P, Q, i % p)
        j = seen.get(key)
        if j is not None:
            return qs[:j], _shortest_period(qs[j:])
        if i >= limits.MAX_TERMS:
            raise ResourceLimitError(
                f"the expansion of (P + sqrt(D))/Q with P = {P}, Q = {Q}, D = {D} has no period "
                f"within esma_sympy.limits.MAX_TERMS = {limits.MAX_TERMS} quotients; set it "
                "higher to go on")
        seen[key] = i
        a, P, Q = _step(P, Q, D, r, pat[i % p])
        qs.append(a)
        i += 1


def _shortest_period(cycle: list) -> list:
    """The shortest ``T`` dividing ``len(cycle)`` such that ``cycle`` is ``T``-periodic."""
    L = len(cycle)
    for T in range(1, L + 1):
        if L % T == 0 and all(cycle[t] == cycle[t - T] for t in range(T, L)):
            return cycle[:T]
    return cycle  # pragma: no cover - T = L always qualifies


# ---------------------------------------------------------------------------------------------
# a SymPy constant as an exact rational or quadratic irrational
# ---------------------------------------------------------------------------------------------


#: The largest degree bound (product of the radicals' indices) for which
#: :func:`algebraic_parts` asks SymPy for a minimal polynomial (its cost grows fast with it).
_MAX_FIELD_DEGREE = 64


def _is_radical_expression(expr) -> bool:
    """Whether ``expr`` is built from rationals and the golden ratio by ``+``, ``*`` and
    rational powers only, in a field of degree at most ``_MAX_FIELD_DEGREE`` by the bound
    ``prod`` of the distinct radicals' indices (cheap, structural: ``E``, ``pi``, functions
    answer ``False`` at once)."""
    from sympy import Add, GoldenRatio, Mul, Pow, Rational

    stack = [expr]
    radicals: set = set()
    while stack:
        e = stack.pop()
        if isinstance(e, Rational):
            continue
        if e is GoldenRatio:
            radicals.add((e, 2))
        elif isinstance(e, Pow):
            if not isinstance(e.exp, Rational):
                return False
            if e.exp.q > 1:
                radicals.add((e.base, int(e.exp.q)))
            stack.append(e.base)
        elif isinstance(e, (Add, Mul)):
            stack.extend(e.args)
        else:
            return False
    bound = 1
    for _, q in radicals:
        bound *= q
        if bound > _MAX_FIELD_DEGREE:
            return False
    return True


def algebraic_parts(expr, *, max_degree: int = 2):
    """``expr`` as an exact rational or a real quadratic irrational, or ``None``.

    Explanation
    ===========

    Returns ``('rational', p, q)`` (``q > 0``) or ``('quadratic', P, Q, D)`` with
    ``expr = (P + sqrt(D))/Q`` normalised as in :func:`quadratic_quotients` (``D`` is the
    discriminant of the primitive minimal polynomial, ``Q | D - P^2``), or ``None`` when
    ``expr`` is not built from rationals (and ``GoldenRatio``) by field operations and
    radicals (in a field of degree at most 64 by the product of the radicals' indices), or its
    minimal polynomial over ``Q`` has degree above ``max_degree`` (or 2) or complex roots.  Exact: the minimal polynomial is SymPy's; which of its two real roots is
    ``expr`` is decided by a certified ball (:func:`esma_sympy.numeric.constants.to_arb`) of
    ``expr``, whose precision is raised until it excludes one root.

    >>> from sympy import GoldenRatio, sqrt, Rational
    >>> algebraic_parts((1 + sqrt(2))*(1 - sqrt(2)))
    ('rational', -1, 1)
    >>> algebraic_parts(1/(3 - sqrt(5)))                      # (3 + sqrt(5))/4
    ('quadratic', 6, 8, 20)
    >>> algebraic_parts(GoldenRatio), algebraic_parts(-sqrt(2))
    (('quadratic', 1, 2, 5), ('quadratic', 0, -2, 8))
    >>> algebraic_parts(2**Rational(1, 3)) is None            # cubic
    True
    """
    from sympy import Poly, Symbol, minimal_polynomial, sympify

    expr = sympify(expr)
    if expr.is_Rational:
        return "rational", int(expr.p), int(expr.q)
    if not _is_radical_expression(expr):
        return None
    t = Symbol("t")
    try:
        mp = Poly(minimal_polynomial(expr, t), t)
    except Exception:  # noqa: BLE001 - SymPy could not decide: not handled exactly
        return None
    deg = mp.degree()
    if deg > max(1, min(max_degree, 2)):
        return None
    cs = mp.all_coeffs()
    den = 1
    for c in cs:
        den = den * int(c.q) // gcd(den, int(c.q))
    ints = [int(c * den) for c in cs]
    g = 0
    for c in ints:
        g = gcd(g, c)
    ints = [c // g for c in ints]
    if ints[0] < 0:
        ints = [-c for c in ints]
    if deg == 1:
        A, B = ints
        return "rational", -B, A
    A, B, C = ints
    D = B * B - 4 * A * C
    if D <= 0:   # complex roots (D = 0 cannot occur for an irreducible quadratic)
        return None
    # expr = (-B + e sqrt(D))/(2A) with e = sign(2 A expr + B), decided by a certified ball
    e = _sign_of(expr, 2 * A, B)
    if e is None:
        return None
    return ("quadratic", -B, 2 * A, D) if e > 0 else ("quadratic", B, -2 * A, D)


def _sign_of(expr, u: int, v: int):
    """The sign of ``u expr + v`` (known to be nonzero), from certified balls, or ``None``."""
    from ..errors import PrecisionExhausted, UnsupportedConstant
    from .constants import to_arb

    prec = 64
    while prec <= 1 << 16:
        try:
            b = to_arb(expr, prec) * u + v
        except (PrecisionExhausted, UnsupportedConstant, ValueError):
            return None
        if b > 0:
            return 1
        if b < 0:
            return -1
        prec *= 4
    return None  # pragma: no cover - the roots differ by sqrt(D)/A, far above 2**-65536
