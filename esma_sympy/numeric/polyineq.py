"""Exact checks that a polynomial is nonnegative (or positive) at every integer from a point on.

Used to prove the tail conditions behind certified enclosures (semi-regularity of an SCF,
Worpitzky's or the positivity condition for a PCF) for *all* indices beyond a depth, not only
the ones computed.
"""

from __future__ import annotations

from flint import fmpq, fmpq_poly, fmpz

__all__ = ["holds_from", "first_index_from_which"]

_MAX_SCAN = 20000
#: above this degree the real roots are not isolated (seconds to minutes at degree 300):
#: the integer bounds of Cauchy, Fujiwara and Kioustelidis decide, and the scan below them
_MAX_ROOTS_DEGREE = 60
#: nor above this many bits in a coefficient (measured on (n + 10**k)**2 - 4: 0.015 s at
#: 997 bits, 0.3 s at 1661, and N(PCF(n + 10**400, 1, n)) took 74 s)
_MAX_ROOTS_BITS = 1024


def _int_root_ceil(x: fmpq, i: int) -> int:
    """The least integer ``r >= 1`` with ``r**i >= x`` (exact: no float overflow)."""
    t = int(x.ceil())
    r = max(1, int(fmpz(t).root(i)))            # floor(t^(1/i))
    while r ** i < t:
        r += 1
    return r


def _cauchy_bound(p: fmpq_poly) -> int:
    """An integer ``B`` with every real root of ``p`` below ``B``.

    Cauchy's bound ``1 + max |c_i / c_d|`` first; when that is large, a rigorous bound from
    FLINT's certified complex root isolation (every root ball whose imaginary part may be 0
    contributes the upper end of its real part).
    """
    c = p.coeffs()
    lead = abs(c[-1])
    m = max((abs(x) / lead for x in c[:-1]), default=fmpq(0))
    bound = int((m + 1).ceil()) + 1
    if bound > 64:
        d = len(c) - 1
        # Fujiwara: every root has |z| < 2 max_i |c_{d-i}/c_d|^{1/i}; Kioustelidis: every
        # positive root is <= 2 max |c_{d-i}/c_d|^{1/i} over the coefficients whose sign
        # differs from the leading one (none: no positive root, Descartes)
        f = k = 0
        for i in range(1, d + 1):
            x = abs(c[d - i]) / lead
            if x == 0:
                continue
            f = max(f, _int_root_ceil(x / 2 if i == d else x, i))
            if (c[d - i] < 0) != (c[-1] < 0):
                k = max(k, _int_root_ceil(x, i))
        bound = min(bound, 2 * f + 1, 2 * k + 1 if k else (1 if c[0] == 0 else 0))
    big = max(abs(x.p).bit_length() + x.q.bit_length() for x in c) > _MAX_ROOTS_BITS
    if bound > 64 and p.degree() <= _MAX_ROOTS_DEGREE and not big:
        try:
            roots = p.numer().complex_roots()
        except Exception:  # pragma: no cover - isolation failed: keep Cauchy's bound
            return bound
        real_tops = [r.real.upper() for r, _mult in roots if r.imag.contains(0)]
        if not real_tops:
            return 0
        top = max(real_tops)
        bound = min(bound, int(top.ceil().unique_fmpz()) + 1)
    return bound


def holds_from(p: fmpq_poly, start: int, strict: bool = False):
    """Whether ``p(m) >= 0`` (``> 0`` when ``strict``) for every integer ``m >= start``.

    Returns ``True`` or ``False`` when decided exactly, ``None`` when deciding would need a
    scan of more than 20000 integers.

    >>> from flint import fmpq_poly
    >>> holds_from(fmpq_poly([-10, 1]), 10), holds_from(fmpq_poly([-10, 1]), 10, strict=True)
    (True, False)
    >>> holds_from(fmpq_poly([5, -1]), 0)
    False
    """
    if p.is_zero():
        return not strict
    if p.degree() == 0:
        c = p.coeffs()[0]
        return c > 0 if strict else c >= 0
    if p.coeffs()[-1] < 0:
        return False
    bound = _cauchy_bound(p)
    if bound - start > _MAX_SCAN:
        return None
    for m in range(start, max(start, bound) + 1):
        v = p(m)
        if v < 0 or (strict and v == 0):
            return False
    return True


def first_index_from_which(p: fmpq_poly, strict: bool = False):
    """The least ``m >= 0`` with ``p(j) >= 0`` (``> 0``) for all integers ``j >= m``.

    ``None`` if there is none (negative leading coefficient) or it lies beyond the scan limit.

    >>> from flint import fmpq_poly
    >>> first_index_from_which(fmpq_poly([-10, 1]))
    10
    """
    if p.is_zero():
        return None if strict else 0
    if p.degree() == 0:
        return 0 if holds_from(p, 0, strict) else None
    if p.coeffs()[-1] < 0:
        return None
    bound = _cauchy_bound(p)
    if bound > _MAX_SCAN:
        return None
    m = max(bound, 0) + 1
    while m > 0:
        v = p(m - 1)
        if v < 0 or (strict and v == 0):
            break
        m -= 1
    return m
