"""ESMA's approval rule (theory T5.2), stated once: when a sequence of integer quotients counts
as *found*.

A sequence ``a_0, ..., a_{N-1}`` of certified quotients is approved with search depth ``D`` and
complexity limit ``L_max`` when

1. the minimal linear recurrence of its first ``D`` terms (Berlekamp–Massey over QQ) has order
   ``L < L_max``;
2. that recurrence predicts every later certified term (all ``N`` of them);
3. its characteristic polynomial is ``x^n0`` times a product of cyclotomic polynomials (it has
   integer coefficients and every nonzero root is a root of unity), so the sequence is
   quasi-polynomial beyond ``n0`` with period ``T`` (the lcm of the orders) and degree ``d``
   (the largest multiplicity minus one) (T3.1).

:func:`approve` is the rule itself, on exact integers; the search (``esma_sympy.search``) runs
the same rule in bulk (modular Berlekamp–Massey in NumPy, then the exact checks of this
module: :func:`recurrence_holds`, :func:`cyclotomic_structure`, :func:`fit_residues`,
:func:`fit_regenerates`), and the reachability predictions (``esma_sympy.theory``) call
:func:`approve` on exact expansions.  ``tests/theory/test_reachability.py`` checks that the two
agree pair by pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import lcm

from flint import fmpz_poly

__all__ = ["Approval", "approve", "recurrence_holds", "charpoly_from_connection",
           "cyclotomic_structure", "fit_residues", "fit_regenerates", "predict_a0"]


@dataclass(frozen=True)
class Approval:
    """The verdict of :func:`approve` on one sequence.

    ``found`` is the verdict; ``complexity`` the order of the minimal recurrence of the first
    ``depth`` terms; ``recurrence`` that recurrence (a
    :class:`~esma_sympy.recurrence.LinearRecurrence`, ``None`` when there were too few terms);
    ``reason`` says which condition failed (empty when found).

    >>> a = approve([1, 2, 1, 3, 1, 4, 1, 5, 1, 6, 1, 7, 1, 8, 1, 9], 12, 6)
    >>> a.found, a.complexity, a.quasi_polynomial()
    (True, 4, QuasiPolynomial((), (1, k + 2), k))
    """

    found: bool
    complexity: int
    recurrence: object = None
    reason: str = ""

    def quasi_polynomial(self, k=None):
        """The approved sequence as a :class:`~esma_sympy.QuasiPolynomial` (``None`` when not
        found)."""
        return self.recurrence.quasi_polynomial(k) if self.found else None


def approve(seq, depth: int, limit: int) -> Approval:
    """ESMA's approval of the integer sequence ``seq`` (theory T5.2, conditions 1-3 of the
    module docstring): minimal recurrence of ``seq[:depth]`` of order below ``limit``,
    predicting all of ``seq``, quasi-polynomial.

    Examples
    ========

    >>> e_like = [2, 1, 2, 1, 1, 4, 1, 1, 6, 1, 1, 8, 1, 1, 10, 1, 1, 12, 1, 1, 14, 1, 1, 16]
    >>> approve(e_like, 18, 8).found
    True
    >>> approve([1, 2, 4, 8, 16, 32, 64, 128, 256, 512], 8, 3).reason
    'the recurrence is not quasi-polynomial'
    >>> approve(e_like, 18, 4).reason
    'complexity 7 >= complexity_limit 4'
    """
    from .berlekamp_massey import berlekamp_massey

    seq = [int(x) for x in seq]
    try:
        rec = berlekamp_massey(seq[:depth])
    except ValueError:
        return Approval(False, depth, None, "too few terms for the minimal recurrence")
    L = rec.order
    if L >= limit:
        return Approval(False, L, rec, f"complexity {L} >= complexity_limit {limit}")
    if rec.terms(len(seq)) != seq:
        return Approval(False, L, rec, "the recurrence does not predict the later quotients")
    if not rec.is_quasi_polynomial:
        return Approval(False, L, rec, "the recurrence is not quasi-polynomial")
    return Approval(True, L, rec, "")


def recurrence_holds(seq: list, C: list) -> bool:
    """``sum_i C[i] seq[k - i] == 0`` for every ``k >= deg C`` (exact Python integers; ``C``
    the connection polynomial, low degree first).

    >>> recurrence_holds([1, 1, 2, 3, 5, 8, 13], [1, -1, -1])
    True
    """
    L = len(C) - 1
    for k in range(L, len(seq)):
        s = 0
        for i in range(L + 1):
            s += C[i] * seq[k - i]
        if s:
            return False
    return True


def charpoly_from_connection(C: list, L: int) -> tuple:
    """``P(x) = x^L C(1/x)`` low degree first (monic when ``C_0 = 1``).

    >>> charpoly_from_connection([1, -1, -1], 2)
    (-1, -1, 1)
    """
    C = list(C) + [0] * (L + 1 - len(C))
    return tuple(C[L - i] for i in range(L + 1))


@lru_cache(maxsize=4096)
def cyclotomic_structure(charpoly_low: tuple):
    """``(n0, T, d)`` when the integer polynomial ``P`` (low degree first) is ``x^n0`` times a
    product of cyclotomic polynomials, with ``T`` the lcm of their orders and ``d + 1`` the
    largest multiplicity (``T = 1, d = -1`` for an empty product); ``None`` otherwise
    (theory T3.1).

    >>> cyclotomic_structure((0, 1, 0, -2, 0, 1))       # x (x^2 - 1)^2
    (1, 2, 1)
    >>> cyclotomic_structure((-1, -1, 1)) is None        # Fibonacci
    True
    """
    n0 = 0
    while n0 < len(charpoly_low) - 1 and charpoly_low[n0] == 0:
        n0 += 1
    R = fmpz_poly(list(charpoly_low[n0:]))
    if R.degree() == 0:
        return n0, 1, -1
    T, e = 1, 0
    _, factors = R.factor()
    for f, mult in factors:
        order = f.is_cyclotomic()
        if not order:
            return None
        T = lcm(T, int(order))
        e = max(e, int(mult))
    return n0, T, e - 1


def fit_residues(seq: list, n0: int, T: int, d: int) -> tuple:
    """Coefficients (low first; ints, or Fractions where needed) of ``P_r`` with
    ``seq[n0 + T k + r] = P_r(k)`` for ``r < T``, interpolated at ``k = 1, ..., d + 1``.

    The index ``k = 0`` is never used, so translated LHS that differ only in ``a_0`` share the
    fit; :func:`fit_regenerates` checks a fit against the terms.

    >>> fit_residues([2, 1, 2, 1, 1, 4, 1, 1, 6, 1, 1, 8], 1, 3, 1)
    ((1,), (2, 2), (1,))
    """
    polys = []
    for r in range(T):
        if d < 0:
            polys.append((0,))
            continue
        if d <= 1:
            # the common quasi-linear case in integers: P(k) = y1 + (y2 - y1)(k - 1)
            y1 = seq[n0 + r + T]
            slope = seq[n0 + r + 2 * T] - y1 if d == 1 else 0
            polys.append((y1 - slope, slope) if slope else (y1,))
            continue
        ys = seq[n0 + r + T::T][: d + 1]
        xs = list(range(1, d + 2))
        coef = [Fraction(y) for y in ys]
        m = len(coef)
        for j in range(1, m):
            for i in range(m - 1, j - 1, -1):
                coef[i] = (coef[i] - coef[i - 1]) / (xs[i] - xs[i - j])
        poly = [Fraction(0)] * m
        for i in range(m - 1, -1, -1):
            # poly = poly * (k - xs[i]) + coef[i]
            new = [Fraction(0)] * m
            for t, c in enumerate(poly):
                if c:
                    if t + 1 < m:
                        new[t + 1] += c
                    new[t] -= c * xs[i]
            new[0] += coef[i]
            poly = new
        while len(poly) > 1 and poly[-1] == 0:
            poly.pop()
        polys.append(tuple(int(c) if c.denominator == 1 else c for c in poly))
    return tuple(polys)


def fit_regenerates(seq: list, n0: int, polys: tuple) -> bool:
    """A spot check of a residue fit (:func:`fit_residues`) on ``a_{n0}`` and on the last
    period of ``seq``.

    >>> fit_regenerates([2, 1, 2, 1, 1, 4, 1, 1, 6, 1, 1, 8], 1, ((1,), (2, 2), (1,)))
    True
    """
    T = len(polys)
    for n in [n0] + list(range(max(n0, len(seq) - T), len(seq))):
        k, r = divmod(n - n0, T)
        val = sum(cf * k**i for i, cf in enumerate(polys[r]))
        if val != seq[n]:
            return False
    return True


def predict_a0(seq: list, R: list):
    """The ``a_0`` for which ``seq`` satisfies the recurrence with characteristic polynomial
    ``R`` (low degree first, ``R[0] != 0``) from index 0 on, or ``None``.

    >>> predict_a0([99, 1, 2, 3, 5, 8], [-1, -1, 1])    # Fibonacci: a_0 = a_2 - a_1
    1
    """
    L = len(R) - 1
    if L == 0 or L >= len(seq) or R[0] == 0:
        return None
    s = sum(R[i] * seq[i] for i in range(1, L + 1))
    if s % R[0]:
        return None
    return -s // R[0]
