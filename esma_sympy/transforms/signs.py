"""Sign-pattern moves on signed continued fractions: singularisation and insertion.

Convention (ESMA): ``x = a_0 + s_0/(a_1 + s_1/(a_2 + ...))``, the sign ``s_i`` follows ``a_i``.

* Singularisation at ``i`` (needs ``a_{i+1} = 1``, ``s_i = s_{i+1} = +1``):
  ``a_i + 1/(1 + 1/y) = (a_i + 1) - 1/(y + 1)``: drop ``a_{i+1}``, add 1 to ``a_i`` and to
  ``a_{i+2}``, and set the sign after ``a_i`` to ``-1``.
* Insertion at ``i`` (needs ``s_i = -1``): ``a_i - 1/x = (a_i - 1) + 1/(1 + 1/(x - 1))``, the
  inverse move.

Convergents (theory T4.8): singularisation at ``i`` removes exactly the convergent ``x_i``;
insertion adds one.
"""

from __future__ import annotations

from math import gcd

from sympy import expand

from ..cf.quasipolynomial import QuasiPolynomial
from ..cf.scf import SCF

__all__ = ["singularize", "insert", "singularize_periodic"]


def _finite(scf, name: str):
    if not isinstance(scf, SCF):
        raise TypeError(f"scf must be an SCF, got {scf!r} of type {type(scf).__name__}")
    if not scf.is_finite_fraction:
        raise ValueError(f"{name} at a single position needs a finite SCF; use singularize_periodic "
                         f"for an infinite one, got {scf}")
    L = scf._length()
    return [int(a) for a in scf.terms(L + 1)], scf.signs(L), L


def singularize(scf: SCF, i: int) -> SCF:
    r"""Singularise a finite SCF at position ``i`` (theory T4.8).

    Explanation
    ===========

    Needs ``a_{i+1} = 1`` and ``s_i = s_{i+1} = +1`` (and ``i + 2 <= N`` for ``N + 1``
    quotients).  The result has one quotient fewer, explicit signs, and convergents
    ``x'_j = x_j`` for ``j < i`` and ``x'_j = x_{j+1}`` for ``j >= i``.

    Examples
    ========

    >>> from esma_sympy import SCF
    >>> x = SCF([2, 1, 2, 1, 1, 4])             # e's simple expansion, truncated
    >>> y = singularize(x, 0)
    >>> y.terms(5), y.signs(4)
    ([3, 3, 1, 1, 4], [-1, 1, 1, 1])
    >>> y.convergents(4) == x.convergents(5)[1:]
    True

    Parameters
    ==========

    scf : SCF
        A finite SCF.
    i : int
        The position of the quotient before the removed 1.

    Returns
    =======

    SCF
        With ``periodic=False`` signs.

    See Also
    ========

    insert, singularize_periodic
    """
    a, s, L = _finite(scf, "singularize")
    if not isinstance(i, int) or not 0 <= i <= L - 2:
        raise ValueError(f"i must be an integer in [0, {L - 2}] for this SCF with {L + 1} quotients, got {i}")
    if a[i + 1] != 1 or s[i] != 1 or s[i + 1] != 1:
        raise ValueError(f"singularize needs a_{i + 1} = 1 and s_{i} = s_{i + 1} = +1, got "
                         f"a_{i + 1} = {a[i + 1]}, s_{i} = {s[i]}, s_{i + 1} = {s[i + 1]}")
    na = a[:i] + [a[i] + 1, a[i + 2] + 1] + a[i + 3:]
    ns = s[:i] + [-1] + s[i + 2:]
    return SCF(na, ns, periodic=False)


def insert(scf: SCF, i: int) -> SCF:
    r"""Insert a quotient 1 after position ``i`` of a finite SCF (the inverse of singularise,
    theory T4.8).

    Explanation
    ===========

    Needs ``s_i = -1`` and ``i <= N - 1``: ``a_i - 1/x = (a_i - 1) + 1/(1 + 1/(x - 1))`` with
    ``x = a_{i+1} + ...``.  Convergents: ``x'_j = x_j`` for ``j < i``, ``x'_{j+1} = x_j`` for
    ``j >= i``, and ``x'_i = a_0 + ... + s_{i-1}/(a_i - 1)`` is new.

    Examples
    ========

    >>> from esma_sympy import SCF
    >>> y = SCF([3, 3, 1, 1, 4], [-1, 1, 1, 1], periodic=False)
    >>> insert(y, 0).terms(6)
    [2, 1, 2, 1, 1, 4]
    >>> singularize(insert(y, 0), 0) == y
    True

    Parameters
    ==========

    scf : SCF
        A finite SCF.
    i : int
        The position of the quotient followed by the sign ``-1``.

    Returns
    =======

    SCF

    See Also
    ========

    singularize
    """
    a, s, L = _finite(scf, "insert")
    if not isinstance(i, int) or not 0 <= i <= L - 1:
        raise ValueError(f"i must be an integer in [0, {L - 1}] for this SCF with {L + 1} quotients, got {i}")
    if s[i] != -1:
        raise ValueError(f"insert needs s_{i} = -1, got s_{i} = {s[i]}")
    na = a[:i] + [a[i] - 1, 1, a[i + 1] - 1] + a[i + 2:]
    ns = s[:i] + [1, 1] + s[i + 1:]
    return SCF(na, ns, periodic=False)


def singularize_periodic(scf: SCF, r: int) -> SCF:
    r"""Singularise an infinite SCF at every index ``i = n0 + r + L m`` (``m >= 0``), T4.8.

    Explanation
    ===========

    ``n0`` is the prefix length of the quotients and ``L = lcm(T, p)`` the combined period of
    quotients and signs.  Needs ``r + 2 < L``, the quotient class ``r + 1`` to be the constant
    1 and ``s_i = s_{i+1} = +1``; the new sign sequence must again be a periodic pattern anchored
    at 0 (else ``ValueError``).  The result has period ``L - 1``; its convergents are the old
    ones with ``x_{n0 + r + L m}`` removed for every ``m``.

    Examples
    ========

    e²'s simple expansion ``[7; 2, 1, 1, 3, 18, 5, 1, 1, 6, 30, ...]`` singularised at its second
    1 of each period gives the signed expansion with ``σ = (+, +, -, +)``:

    >>> from sympy import Symbol
    >>> from esma_sympy import SCF, QuasiPolynomial
    >>> k = Symbol('k')
    >>> simple = SCF(QuasiPolynomial([7], [3*k + 2, 1, 1, 3*k + 3, 12*k + 18], k), (1,))
    >>> y = singularize_periodic(simple, 1)
    >>> y.terms(9), y.sign_pattern
    ([7, 2, 2, 4, 18, 5, 2, 7, 30], (1, 1, -1, 1))

    Parameters
    ==========

    scf : SCF
        With :class:`QuasiPolynomial` quotients and a periodic sign pattern.
    r : int
        The residue (after the prefix) of the quotient before the removed 1.

    Returns
    =======

    SCF

    See Also
    ========

    singularize
    """
    if not isinstance(scf, SCF):
        raise TypeError(f"scf must be an SCF, got {scf!r} of type {type(scf).__name__}")
    q = scf.quotients
    if not isinstance(q, QuasiPolynomial) or not scf.is_periodic:
        raise ValueError(f"scf must be infinite with a periodic sign pattern, got {scf}")
    n0, T, p = q.offset, q.period, len(scf.sign_pattern)
    L = T * p // gcd(T, p)
    if not isinstance(r, int) or not 0 <= r or r + 2 >= L:
        raise ValueError(f"r must be an integer with 0 <= r and r + 2 < L = {L}, got {r!r}")
    k = q.index

    def old_poly(c):  # a_{n0 + c + L m} as a polynomial in m (0 <= c < L)
        k0, rr = divmod(c, T)
        return expand(q.polys[rr].xreplace({k: k0 + (L // T) * k}))

    if old_poly(r + 1) != 1:
        raise ValueError(f"singularize_periodic needs the quotients at n0 + {r + 1} + L m to be 1, "
                         f"got {old_poly(r + 1)}")
    if scf.sign(n0 + r) != 1 or scf.sign(n0 + r + 1) != 1:
        raise ValueError(f"singularize_periodic needs s_i = s_(i+1) = +1 at i = n0 + {r} + L m")
    polys = []
    for c in range(L):
        if c == r + 1:
            continue
        P = old_poly(c)
        if c in (r, r + 2):
            P = expand(P + 1)
        polys.append(P)
    # signs: prefix signs unchanged, then per new period of L - 1
    prefix_signs = [scf.sign(t) for t in range(n0)]
    body = [(-1 if c == r else scf.sign(n0 + c)) for c in range(L) if c != r + 1]
    M = L - 1

    def new_sign(j):  # the sign after new quotient j: prefix, then (L - 1)-periodic
        return prefix_signs[j] if j < n0 else body[(j - n0) % M]

    pattern = None
    for pp in range(1, n0 + M + 1):
        # both sequences are M-periodic beyond n0 + pp, so this window decides equality
        window = n0 + pp + 2 * (M * pp // gcd(M, pp))
        if all(new_sign(j) == new_sign(j % pp) for j in range(window)):
            pattern = tuple(new_sign(j) for j in range(pp))
            break
    if pattern is None:
        raise ValueError(f"the singularised signs {[new_sign(j) for j in range(n0 + M)]}... are not "
                         f"a periodic pattern anchored at index 0")
    return SCF(QuasiPolynomial(list(q.prefix), polys, k), pattern)
