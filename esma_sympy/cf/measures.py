"""Measures of a polynomial continued fraction, and conversion to and from ramanujantools.

Conventions
===========

``PCF(a, b, n)`` is ``a(0) + b(1)/(a(1) + b(2)/(a(2) + ...))`` (see :mod:`esma_sympy.cf.pcf`);
its convergents ``p_n/q_n`` obey ``p_n = a(n) p_{n-1} + b(n) p_{n-2}`` with ``p_{-1} = 1,
q_{-1} = 0, p_0 = a(0), q_0 = 1``.  The *reduced* convergent is ``p_n/q_n`` with
``gcd(p_n, q_n)`` removed and ``q_n > 0`` (a python-flint ``fmpq``).  All arithmetic here is
exact (``fmpz``/``fmpq``) or in ``arb`` balls; SymPy is used only to read ``a`` and ``b``.

ramanujantools' ``PCF(a_n, b_n)`` uses the same convention: its ``limit(d)`` is
``A * M(1) * ... * M(d)`` with ``A = [[1, a_0], [0, 1]]`` and ``M(n) = [[0, b_n], [1, a_n]]``,
which is ``a(0) + b(1)/(a(1) + ... + b(d)/a(d))``, our convergent at depth ``d``.  Its index is
the plain symbol ``n``; the conversions below rename the bound index to it and back.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flint import arb, fmpq, fmpq_poly
from sympy import Poly, Rational, Symbol, cancel, fraction, sympify

from ..numeric.parse import sympify_safe
from .._args import renamed_keyword
from .._flintctx import workprec
from ..errors import DivergenceError, PrecisionExhausted
from .base import _check_depth, _check_positive_int, _dps_to_prec
from .quasipolynomial import _to_fmpq

__all__ = [
    "irrationality_measure",
    "singular_points",
    "SingularPoints",
    "to_ramanujantools",
    "from_ramanujantools",
]

_LOG2_10 = math.log2(10)
_RT_N = Symbol("n")  # the index symbol ramanujantools works with


def _reduced_convergent(pcf, depth: int) -> fmpq:
    P = pcf.walk_matrix(depth)
    p, q = P[0, 0], P[1, 0]
    if q == 0:
        raise DivergenceError(f"zero denominator q_{depth} = 0: the convergent at depth {depth} is undefined")
    return fmpq(p) / fmpq(q)


def _delta_ball(r: fmpq, err: arb) -> arb:
    """``-1 - log(err)/log(q)`` for the reduced convergent ``r = p/q`` (``q >= 2``)."""
    return -1 - err.log() / arb(r.q).log()


def _delta_exact(r: fmpq, ref: fmpq) -> float:
    err = abs(ref - r)
    if err == 0:
        return math.inf
    with workprec(128):
        d = _delta_ball(r, arb(err))
    return float(d.mid())


def irrationality_measure(pcf, n: int | None = None, *, value=None, dps: int | None = None,
                          reference_n: int | None = None, strict: bool = False, depth=None,
                          reference_depth=None) -> float:
    r"""The irrationality-measure estimate ``delta`` of the convergent at the index ``n``.

    Explanation
    ===========

    With the reduced convergent ``p_n/q_n`` (``gcd(p_n, q_n)`` removed,
    ``q_n > 0``) and the limit ``L``, ``delta`` is defined by
    ``|L - p_n/q_n| = q_n^{-(1 + delta)}``, that is

        delta = -1 - log|L - p_n/q_n| / log q_n,

    the definition of the Ramanujan Machine literature (ramanujantools' ``PCF.delta``, which
    also reduces ``p_n/q_n``).  A sequence of rationals with ``delta > 0`` in the limit proves
    ``L`` irrational; ``delta -> 1`` for the simple continued fraction of a quadratic
    irrational.  The number returned is a float, a descriptive statistic like
    :meth:`~esma_sympy.cf.base.ContinuedFraction.convergence_rate`.

    Which ``L`` is used, in order:

    1. ``value`` when given (a SymPy constant, int, ``Rational``, ``fmpq`` or ``arb``);
    2. the certified ball of ``pcf.evaluate(dps)``, when it is certified and narrow enough to
       give ``delta`` to about ``1e-8`` (``dps`` defaults to about ``2.5 log10 q_n + 30``
       digits and is doubled twice if that is not enough);
    3. otherwise the exact convergent at ``reference_n`` (default ``4*n``): then
       ``delta`` is only as good as that convergent, and with ``strict=True``
       ``PrecisionExhausted`` is raised instead.

    ``math.inf`` is returned when ``p_n/q_n`` equals the (exact) ``L``.

    Examples
    ========

    The golden ratio ``PCF(1, 1)`` has ``delta -> 1``; ``e = PCF(n + 3, -n)`` has
    ``delta -> 0`` slowly (its reduced denominators grow like ``(n+1)!``, as fast as the error
    shrinks):

    >>> from sympy import GoldenRatio
    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> round(irrationality_measure(PCF(1, 1), 200), 4)
    1.0084
    >>> round(irrationality_measure(PCF(1, 1), 200, value=GoldenRatio), 4)
    1.0084
    >>> round(irrationality_measure(PCF(n + 3, -n, n), 100), 4)
    0.052

    Parameters
    ==========

    pcf : PCF
        A continued fraction without free parameters.
    n : int
        The convergent's index, ``n >= 1``; the reduced ``q_n`` must exceed 1 (``depth=``, its
        old name, is deprecated).
    value : optional
        The limit ``L``, when known.
    dps : int, optional
        Digits for ``pcf.evaluate``.
    reference_n : int, optional
        Index of the fallback reference convergent (``> n``; ``reference_depth=``, its old
        name, is deprecated).
    strict : bool
        Raise ``PrecisionExhausted`` rather than fall back to a reference convergent.

    Returns
    =======

    float

    See Also
    ========

    esma_sympy.PCF.delta, esma_sympy.PCF.evaluate
    """
    depth = renamed_keyword("irrationality_measure", "depth", depth, "n", n)
    if depth is None:
        raise TypeError("irrationality_measure() missing the index n")
    depth = _check_positive_int(depth, "n")
    reference_depth = renamed_keyword("irrationality_measure", "reference_depth", reference_depth,
                                      "reference_n", reference_n)
    pcf._require_numeric("irrationality_measure")
    r = _reduced_convergent(pcf, depth)
    if r.q == 1:
        raise ValueError(f"the reduced denominator q_{depth} is 1 at n = {depth}: log q_n = 0, "
                         f"delta is undefined; use a larger n")
    qbits = int(r.q.bit_length())
    if value is not None:
        return _delta_from_value(r, value, qbits)
    dps = _check_positive_int(dps, "dps") if dps is not None else int(2.5 * qbits / _LOG2_10) + 30
    for _ in range(3):
        v = pcf.evaluate(dps, max_depth=max(64 * depth, 4096))
        if not v.certified or v.ball is None:
            why = v.reason
            break
        if v.exact is not None:
            return _delta_exact(r, fmpq(int(v.exact.p), int(v.exact.q)))
        with workprec(_dps_to_prec(max(dps, v.digits)) + 64):
            d = _delta_ball(r, abs(v.ball - arb(r)))
            if d.is_finite() and d.rad() < 1e-8:
                return float(d.mid())
        if v.digits < dps:
            why = v.reason
            break
        dps *= 2
    else:
        why = f"evaluate({dps // 2}) does not resolve |L - p_n/q_n|"
    if strict:
        raise PrecisionExhausted(f"no certified limit of {pcf} resolves delta at n = {depth}: {why}")
    ref_depth = 4 * depth if reference_depth is None else _check_depth(reference_depth, "reference_n")
    if ref_depth <= depth:
        raise ValueError(f"reference_n must exceed n = {depth}, got {ref_depth}")
    return _delta_exact(r, _reduced_convergent(pcf, ref_depth))


def _delta_from_value(r: fmpq, value, qbits: int) -> float:
    if isinstance(value, arb):
        with workprec(max(int(3 * qbits) + 128, 128)):
            d = _delta_ball(r, abs(value - arb(r)))
        if not d.is_finite():
            raise PrecisionExhausted("the ball given as value is too wide to resolve |L - p_n/q_n|")
        return float(d.mid())
    if isinstance(value, int) or isinstance(value, fmpq):
        return _delta_exact(r, fmpq(value))
    value = sympify_safe(value)
    if isinstance(value, Rational):
        return _delta_exact(r, fmpq(int(value.p), int(value.q)))
    from ..numeric.constants import to_arb

    prec = max(int(2.5 * qbits) + 128, 128)
    for _ in range(3):
        with workprec(prec + 64):
            d = _delta_ball(r, abs(to_arb(value, prec) - arb(r)))
        if d.is_finite() and d.rad() < 1e-8:
            return float(d.mid())
        prec *= 2
    raise PrecisionExhausted(f"value = {value} cannot be computed precisely enough to resolve delta")


@dataclass(frozen=True)
class SingularPoints:
    """Where a PCF's levels or convergents break down (see :func:`singular_points`).

    ``b_zeros``: every integer ``n >= 1`` with ``b(n) = 0`` (the fraction terminates there:
    its value is the convergent at ``n - 1``); complete, found exactly.  ``q_zeros``: the
    depths ``1 <= k <= depth`` at which the recurrence's denominator ``q_k`` vanishes (the
    convergent is undefined there).  ``poles``: integers ``n >= 0`` at which ``a`` or ``b``
    is undefined (only for rational functions; the ``q`` scan stops before the first one).

    >>> SingularPoints(b_zeros=(3,), q_zeros=(), poles=(), depth=10).b_zeros
    (3,)
    """

    b_zeros: tuple
    q_zeros: tuple
    poles: tuple
    depth: int


def _integer_roots(poly: fmpq_poly, lowest: int) -> list:
    """The integer roots ``>= lowest`` of a nonzero ``fmpq_poly``, exactly (by factoring)."""
    if poly.degree() < 1:
        return []
    out = []
    for f, _mult in poly.factor()[1]:
        if f.degree() == 1:
            root = -fmpq(f[0]) / fmpq(f[1])
            if root.q == 1 and root >= lowest:
                out.append(int(root.p))
    return sorted(out)


def _numer_denom(e, n):
    """Numerator and denominator of a rational function of ``n`` as ``fmpq_poly``."""
    num, den = fraction(cancel(e))
    polys = []
    for part in (num, den):
        coeffs = Poly(part, n).all_coeffs()[::-1]
        polys.append(fmpq_poly([_to_fmpq(c, "coefficient") for c in coeffs]))
    return polys


def singular_points(pcf, n: int = 100, *, depth=None) -> SingularPoints:
    """The integer zeros of ``b`` and the depths where the denominator ``q_n`` vanishes.

    Explanation
    ===========

    The zeros of ``b`` at ``n >= 1`` are found exactly, by factoring ``b`` (its numerator for
    a rational function) over the rationals with python-flint, and are complete.  The zeros
    of ``q_n`` are found by running the exact recurrence ``q_n = a(n) q_{n-1} + b(n) q_{n-2}``
    for ``1 <= n <= depth`` (through any zero of ``b``).

    Examples
    ========

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> singular_points(PCF(n + 3, (n - 3)*(n - 5)*(2*n + 1), n))
    SingularPoints(b_zeros=(3, 5), q_zeros=(), poles=(), depth=100)
    >>> singular_points(PCF(n - 2, 1, n), 6)    # q_1 = -1, q_2 = 0*q_1 + 1, q_3 = 1*q_2 + q_1 = 0
    SingularPoints(b_zeros=(), q_zeros=(3,), poles=(), depth=6)

    Parameters
    ==========

    pcf : PCF
        A continued fraction without free parameters.
    n : int
        The last index at which ``q_n`` is checked (``depth=``, its old name, is deprecated;
        the result's ``depth`` field keeps it).

    Returns
    =======

    SingularPoints
    """
    depth = n if depth is None else renamed_keyword("singular_points", "depth", depth, "n", n,
                                                    default=100)
    depth = _check_depth(depth)
    pcf._require_numeric("singular_points")
    from .pcf import _pcf_polys

    n = pcf.index
    pa, pb = _pcf_polys(pcf)
    poles = set()
    if pb is not None:
        bnum = pb
    else:
        bnum, bden = _numer_denom(pcf.b, n)
        poles.update(_integer_roots(bden, 1))
    if pa is None:
        poles.update(_integer_roots(_numer_denom(pcf.a, n)[1], 0))
    b_zeros = tuple(x for x in _integer_roots(bnum, 1) if x not in poles)
    poles = tuple(sorted(poles))
    stop = min([depth] + [p - 1 for p in poles])
    q_zeros = []
    if stop >= 1:
        avals, bvals = pcf._ab(1, stop + 1)
        q1, q2 = fmpq(1), fmpq(0)
        for k, (ak, bk) in enumerate(zip(avals, bvals), start=1):
            q1, q2 = ak * q1 + bk * q2, q1
            if q1 == 0:
                q_zeros.append(k)
    return SingularPoints(b_zeros, tuple(q_zeros), poles, depth)


def _import_rt_pcf(who: str):
    try:
        from ramanujantools.pcf import PCF as RTPCF
    except ImportError as exc:
        raise ImportError(
            f"{who} needs the optional package ramanujantools; install it with "
            f"`pip install ramanujantools` or `pip install 'esma_sympy[bench]'`"
        ) from exc
    return RTPCF


def to_ramanujantools(pcf):
    """The same fraction as a ``ramanujantools.pcf.PCF`` (needs ramanujantools).

    Explanation
    ===========

    ``PCF(a, b, k)`` becomes ramanujantools' ``PCF(a(n), b(n))`` with the bound index renamed
    to ramanujantools' symbol ``n``.  Both libraries read ``a(0) + b(1)/(a(1) + b(2)/(...))``:
    ramanujantools' ``limit(d)`` equals our convergent at depth ``d`` (checked in
    ``tests/cf/test_measures.py``).  A parameter named ``n`` would clash and raises
    ``ValueError``.

    Examples
    ========

    >>> import pytest; rt = pytest.importorskip("ramanujantools")
    >>> from sympy.abc import k
    >>> from esma_sympy import PCF
    >>> r = to_ramanujantools(PCF(2*k + 1, k**2, k))
    >>> r
    PCF(2*n + 1, n**2)
    >>> r.limit(2).as_rational() == PCF(2*k + 1, k**2, k).convergent(2)
    True

    Parameters
    ==========

    pcf : PCF

    Returns
    =======

    ramanujantools.pcf.PCF

    See Also
    ========

    from_ramanujantools
    """
    RTPCF = _import_rt_pcf("to_ramanujantools")
    if _RT_N in pcf.free_symbols:
        raise ValueError(f"{pcf} has a parameter named n, which ramanujantools uses as its index")
    k = pcf.index
    return RTPCF(pcf.a.xreplace({k: _RT_N}), pcf.b.xreplace({k: _RT_N}))


def from_ramanujantools(obj):
    """A :class:`~esma_sympy.PCF` from a ``ramanujantools.pcf.PCF`` (needs ramanujantools).

    The inverse of :func:`to_ramanujantools`: ``PCF(obj.a_n, obj.b_n, n)`` with
    ramanujantools' index ``n``; the convergents agree exactly at every depth.

    Examples
    ========

    >>> import pytest; rt = pytest.importorskip("ramanujantools")
    >>> from ramanujantools.pcf import PCF as RTPCF
    >>> from sympy.abc import n
    >>> from_ramanujantools(RTPCF(n + 3, -n))
    PCF(n + 3, -n, n)

    Parameters
    ==========

    obj : ramanujantools.pcf.PCF

    Returns
    =======

    PCF
    """
    RTPCF = _import_rt_pcf("from_ramanujantools")
    if not isinstance(obj, RTPCF):
        raise TypeError(f"obj must be a ramanujantools.pcf.PCF, got {type(obj).__name__}: {obj!r}")
    from .pcf import PCF

    return PCF(sympify_safe(obj.a_n), sympify_safe(obj.b_n), _RT_N)
