"""Berlekamp–Massey over GF(p) and over QQ, offline and online.

Conventions: those of :mod:`esma_sympy.recurrence.linear_recurrence` (coefficients
``c_1..c_L`` of ``a(n) = c_1 a(n-1) + ... + c_L a(n-L)``; characteristic polynomial
``P(x) = x^L - c_1 x^(L-1) - ... - c_L``; connection polynomial ``C(x) = x^L P(1/x)``).
The *linear complexity* of a finite sequence is the least order ``L`` of a recurrence that
generates it.

Rule for "enough terms" (theory T3.2): a recurrence of order ``L`` is determined by its
sequence only from ``2L`` terms on (Massey: the shortest recurrence of ``N`` terms is unique
iff ``2L <= N``).  :func:`berlekamp_massey` raises ``ValueError`` when the complexity ``L`` of
the ``N`` given terms has ``2L > N``.  Uniqueness is not evidence: ``N`` random terms have
complexity about ``N/2``, so a caller that wants a *confirmed* recurrence should ask for
``2L`` well below ``N``.

Algorithms: over GF(p), FLINT's ``fmpz_mod_poly`` minimal polynomial (python-flint's
``fmpz_mod_poly_ctx(p).minpoly``), fed the input list as it is when it holds plain ints, with a
result whose SymPy arguments are built from FLINT's polynomial on first access (so the call
costs little more than FLINT's own); the online form :class:`OnlineBM` runs the classic update on
Python ints (cheaper per term than any FLINT call).  Over QQ: the integer sequence (scaled by
the common denominator, divided by its content) is reduced modulo 62-bit primes, the monic
minimal polynomials of the primes with the largest complexity are combined by CRT and rational
reconstruction, and a candidate is accepted only after it regenerates every given term exactly.
If the primes needed exceed a Hadamard-type height bound without success, an exact BM over
``fmpq`` finishes the job.
"""

from __future__ import annotations

import operator
from operator import countOf
from fractions import Fraction
from math import gcd, isqrt, lcm, log2
from operator import mul
from typing import Iterable

from flint import fmpq, fmpz, fmpz_poly
from sympy import Integer, Rational, prevprime, sympify

from .linear_recurrence import LinearRecurrence, _check_modulus, _mod_ctx

__all__ = ["berlekamp_massey", "OnlineBM", "DEFAULT_MODULUS"]

#: The default prime of :class:`OnlineBM`: the Mersenne prime ``2^61 - 1``.
DEFAULT_MODULUS = (1 << 61) - 1


# -- the Berlekamp–Massey step (one body for GF(p) and, with p = 0, for QQ) -----------------


def _bm_steps(s: list, start: int, C: list, B: list, L: int, m: int, binv, p: int, limit):
    """Run BM on ``s[start:]`` from the state ``(C, B, L, m, binv)``; return the new state.

    ``C`` is the connection polynomial (low degree first, length ``L + 1``), ``B`` the one
    before the last length change, ``m`` the steps since then and ``binv`` the inverse of the
    discrepancy at that change.  ``p = 0`` means exact field arithmetic (``fmpq`` entries).
    Stops right after the term at which ``L`` first exceeds ``limit`` (if given); the last
    returned item is the number of terms consumed.
    """
    n, N = start, len(s)
    while n < N:
        d = sum(map(mul, C, reversed(s[n - L:n + 1]))) if L else s[n]
        if p:
            d %= p
        if not d:
            m += 1
            n += 1
            continue
        coef = d * binv % p if p else d * binv
        k = len(B)
        if 2 * L <= n:  # the length changes: keep the old C as the next B
            T, new_L = C[:], n + 1 - L
        else:
            T, new_L = None, L
        if len(C) < m + k:
            C.extend([0] * (m + k - len(C)))
        if p:
            C[m:m + k] = [(c - coef * b) % p for c, b in zip(C[m:m + k], B)]
        else:
            C[m:m + k] = [c - coef * b for c, b in zip(C[m:m + k], B)]
        if len(C) > new_L + 1:
            del C[new_L + 1:]  # beyond the new length the entries vanish (Massey's lemma)
        elif len(C) < new_L + 1:
            C.extend([0] * (new_L + 1 - len(C)))
        if T is not None:
            B, L, m = T, new_L, 1
            binv = pow(d, -1, p) if p else 1 / d
        else:
            m += 1
        n += 1
        if limit is not None and L > limit:
            break
    return C, B, L, m, binv, n


def _as_int(v, what: str) -> int:
    if type(v) is int:
        return v
    if isinstance(v, bool):
        raise TypeError(f"{what} must be an integer, got {v!r}")
    try:
        return operator.index(v)
    except TypeError:
        pass
    if isinstance(v, fmpz):
        return int(v)
    w = sympify(v, strict=True) if not isinstance(v, (Fraction, fmpq)) else v
    if isinstance(w, Integer):
        return int(w)
    raise TypeError(f"{what} must be an integer, got {v!r}")


def _as_fraction(v, what: str) -> tuple:
    """``(numerator, denominator)`` of an exact rational; floats and symbols are rejected."""
    if type(v) is int:
        return v, 1
    if isinstance(v, bool):
        raise TypeError(f"{what} must be a rational number, got {v!r}")
    if isinstance(v, Fraction):
        return v.numerator, v.denominator
    if isinstance(v, fmpq):
        return int(v.p), int(v.q)
    if isinstance(v, fmpz):
        return int(v), 1
    try:
        return operator.index(v), 1
    except TypeError:
        pass
    if isinstance(v, float):
        raise TypeError(f"{what} must be an exact rational number, got the float {v!r}")
    try:
        w = sympify(v, strict=True)
    except Exception:
        raise TypeError(f"{what} must be a rational number, got {v!r}") from None
    if isinstance(w, Rational):
        return int(w.p), int(w.q)
    raise TypeError(f"{what} must be an exact rational number, got {v!r}")


def _too_few(L: int, N: int) -> ValueError:
    return ValueError(
        f"too few terms: seq has {N} terms and linear complexity at least {L}, but a "
        f"recurrence of order {L} is determined only by 2*{L} = {2 * L} terms (theory T3.2); "
        f"give at least {2 * L} terms"
    )


# -- online form ---------------------------------------------------------------------------


class OnlineBM:
    """Berlekamp–Massey fed one term at a time, modulo a prime (theory T3.2).

    Explanation
    ===========

    ``push(term)`` updates the connection polynomial and returns the current linear complexity
    of the terms pushed so far, modulo ``modulus`` (default ``2^61 - 1``).  The cost of a push
    is ``O(L)`` Python-int operations.  The complexity modulo ``p`` never exceeds the
    complexity over QQ when ``p`` divides no denominator of the rational minimal polynomial --
    for *every* ``p`` when that polynomial is integral, as for all quasi-polynomial integer
    sequences (theory T3.1, T3.2).  So ``complexity > limit`` soundly rejects: no such sequence
    with a recurrence of order ``<= limit`` is lost.  (The complexity can also *drop* modulo
    the finitely many unlucky primes; confirm survivors with :func:`berlekamp_massey`.)

    Not a SymPy object: it is mutable working state.

    Examples
    ========

    >>> bm = OnlineBM()
    >>> [bm.push(a) for a in [2, 1, 2, 1, 1, 4, 1, 1, 6, 1, 1, 8, 1, 1]]
    [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7]
    >>> bm.complexity, bm.length
    (7, 14)
    >>> bm.recurrence().characteristic_poly().as_expr()
    x**7 - 2*x**4 + x

    Early reject: stop as soon as the complexity passes a limit.

    >>> bm = OnlineBM(modulus=101)
    >>> bm.extend([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9], limit=3)
    4
    >>> bm.length      # terms consumed before the limit was passed
    7

    Parameters
    ==========

    modulus : int, optional
        A prime (checked); default :data:`DEFAULT_MODULUS` ``= 2^61 - 1``.
    """

    __slots__ = ("_p", "_s", "_C", "_B", "_L", "_m", "_binv")

    def __init__(self, modulus: int | None = None):
        self._p = DEFAULT_MODULUS if modulus is None else _check_modulus(modulus)
        self.reset()

    def reset(self) -> None:
        """Forget every term (reuse the object for a new sequence)."""
        self._s, self._C, self._B = [], [1], [1]
        self._L, self._m, self._binv = 0, 1, 1

    @property
    def modulus(self) -> int:
        """The prime ``p``."""
        return self._p

    @property
    def complexity(self) -> int:
        """The linear complexity modulo ``p`` of the terms pushed so far."""
        return self._L

    @property
    def length(self) -> int:
        """The number of terms pushed so far."""
        return len(self._s)

    def push(self, term) -> int:
        """Append one integer term; return the new complexity."""
        p = self._p
        s = self._s
        s.append(term % p if type(term) is int else _as_int(term, "term") % p)
        self._C, self._B, self._L, self._m, self._binv, _ = _bm_steps(
            s, len(s) - 1, self._C, self._B, self._L, self._m, self._binv, p, None
        )
        return self._L

    def extend(self, terms: Iterable, limit: int | None = None) -> int:
        """Push ``terms`` in order, stopping right after the complexity first exceeds ``limit``.

        Returns the complexity; :attr:`length` tells how many terms were consumed.
        """
        p = self._p
        s = self._s
        start = len(s)
        terms = terms if isinstance(terms, (list, tuple)) else list(terms)
        if all(type(t) is int for t in terms):
            s.extend([t % p for t in terms])
        else:
            s.extend([_as_int(t, f"terms[{i}]") % p for i, t in enumerate(terms)])
        if limit is not None and self._L > limit:
            del s[start:]
            return self._L
        self._C, self._B, self._L, self._m, self._binv, stop = _bm_steps(
            s, start, self._C, self._B, self._L, self._m, self._binv, p, limit
        )
        del s[stop:]
        return self._L

    def recurrence(self) -> LinearRecurrence:
        """A shortest recurrence over GF(p) of the terms pushed so far.

        Unique only when ``2 * complexity <= length`` (theory T3.2).
        """
        L = self._L
        C = self._C + [0] * (L + 1 - len(self._C))
        p = self._p
        return LinearRecurrence._from_residues([(-C[i]) % p for i in range(1, L + 1)],
                                               self._s[:L], p)

    def __repr__(self) -> str:
        return f"OnlineBM(modulus={self._p}) <length={self.length}, complexity={self._L}>"


# -- offline: GF(p) --------------------------------------------------------------------------


def _minpoly_mod(ints: list, p: int) -> list:
    """The monic minimal polynomial of ``ints`` mod ``p`` (FLINT), low degree first, as ints."""
    return [int(c) for c in _mod_ctx(p).minpoly(ints).coeffs()] or [1]


def _bm_mod(vals: list, p: int) -> LinearRecurrence:
    """:func:`berlekamp_massey` over GF(p) of the nonempty list ``vals`` (the hot path).

    Plain Python ints go to FLINT as they are (``minpoly`` reduces them mod ``p`` in C), and
    the result keeps FLINT's polynomial until its SymPy arguments are asked for
    (``LinearRecurrence._from_residues``): the cost is FLINT's plus one type scan.
    """
    if countOf(map(type, vals), int) != len(vals):  # bool, fmpz, SymPy Integer, ...
        vals = [_as_int(v, f"seq[{i}]") for i, v in enumerate(vals)]
    P = _mod_ctx(p).minpoly(vals)
    L = P.degree()
    if L <= 0:
        return LinearRecurrence._from_residues([], [], p)  # P = 1: the zero sequence
    if 2 * L > len(vals):
        raise _too_few(L, len(vals))
    return LinearRecurrence._from_residues(P, vals[:L], p)


def _coeffs_from_charpoly(P: list) -> list:
    """``(c_1..c_L)`` from the characteristic polynomial (low degree first, monic)."""
    L = len(P) - 1
    return [-P[L - i] for i in range(1, L + 1)]


# -- offline: QQ -----------------------------------------------------------------------------

_PRIMES: list = []


def _prime(i: int) -> int:
    """The i-th prime below ``2^62`` (descending), deterministic."""
    while len(_PRIMES) <= i:
        _PRIMES.append(prevprime(_PRIMES[-1] if _PRIMES else 1 << 62))
    return _PRIMES[i]


def _crt(vectors: list, moduli: list) -> tuple:
    """Combine residue vectors by a balanced CRT tree; return ``(vector, product)``."""
    items = list(zip(vectors, moduli))
    while len(items) > 1:
        nxt = []
        for j in range(0, len(items) - 1, 2):
            (r1, m1), (r2, m2) = items[j], items[j + 1]
            inv = pow(m1, -1, m2)
            M = m1 * m2
            nxt.append(([(a + m1 * ((b - a) * inv % m2)) % M for a, b in zip(r1, r2)], M))
        if len(items) % 2:
            nxt.append(items[-1])
        items = nxt
    return items[0]


def _ratrecon(a: int, M: int, bound: int):
    """``(n, d)`` with ``n/d = a mod M``, ``|n| <= bound``, ``0 < d <= bound``; else None."""
    r0, r1 = M, a % M
    t0, t1 = 0, 1
    while r1 > bound:
        q = r0 // r1
        r0, r1 = r1, r0 - q * r1
        t0, t1 = t1, t0 - q * t1
    if t1 == 0 or abs(t1) > bound or gcd(r1, abs(t1)) != 1:
        return None
    return (r1, t1) if t1 > 0 else (-r1, -t1)


def _reconstruct(residues: list, M: int):
    """Rational vector from residues mod ``M`` (a shared denominator is tried first)."""
    bound = isqrt(M // 2)
    D = 1
    out = []
    for r in residues:
        v = r * D % M
        if v > M // 2:
            v -= M
        if abs(v) <= bound:
            out.append((v, D))
            continue
        nd = _ratrecon(v, M, bound)
        if nd is None:
            return None
        D *= nd[1]
        out.append((nd[0], D))
    return [Fraction(a, b) for a, b in out]


def _generates(ints: list, P: list) -> bool:
    """Does the rational characteristic polynomial ``P`` (low first) generate ``ints``?"""
    L, N = len(P) - 1, len(ints)
    D = lcm(*[c.denominator for c in P])
    C = fmpz_poly([int(c * D) for c in reversed(P)])  # connection polynomial times D
    prod = fmpz_poly(ints).mul_low(C, N).coeffs()
    return all(c == 0 for c in prod[L:N])


def _height_bits(ints: list, L: int) -> float:
    """Bits of ``2 H^2`` with ``H = (sqrt(L) max|a|)^L`` (Hadamard bound on Hankel minors)."""
    A = max(abs(a) for a in ints) or 1
    return 2 * L * (log2(A) + 0.5 * log2(max(L, 1))) + 2


def _bm_rational(ints: list) -> list:
    """The monic minimal polynomial over QQ (low degree first, Fractions) of nonzero ``ints``."""
    N = len(ints)
    best_L, good_primes, good_res, too_few = -1, [], [], []
    attempt = 1
    i = 0
    while True:
        p = _prime(i)
        i += 1
        P = _minpoly_mod([a % p for a in ints], p)
        L = len(P) - 1
        if 2 * L > N:
            # L_QQ >= L_p unless p divides a denominator of the rational minimal polynomial;
            # two distinct 62-bit primes must agree before the terms are declared too few
            too_few.append(L)
            if len(too_few) == 2:
                raise _too_few(min(too_few), N)
            continue
        if L < best_L:
            continue  # an unlucky prime (theory T3.2): its complexity dropped
        if L > best_L:
            best_L, good_primes, good_res, attempt = L, [], [], 1
        good_primes.append(p)
        good_res.append(P[:-1])
        k = len(good_primes)
        bits = sum(log2(q) for q in good_primes)
        need = _height_bits(ints, L)
        if k == attempt or bits > need:
            attempt *= 2
            vec, M = _crt(good_res, good_primes)
            cand = _reconstruct(vec, M)
            if cand is not None:
                cand.append(Fraction(1))
                if _generates(ints, cand):
                    return cand
            if bits > need + 64:
                return _bm_exact(ints)


def _bm_exact(ints: list) -> list:
    """Exact BM over QQ with ``fmpq`` arithmetic (fallback); monic char poly as Fractions."""
    s = [fmpq(a) for a in ints]
    C, _, L, _, _, _ = _bm_steps(s, 0, [fmpq(1)], [fmpq(1)], 0, 1, fmpq(1), 0, None)
    if 2 * L > len(ints):
        raise _too_few(L, len(ints))
    C = C + [fmpq(0)] * (L + 1 - len(C))
    return [Fraction(int(fmpq(c).p), int(fmpq(c).q)) for c in reversed(C)]


# -- the public function --------------------------------------------------------------------


def berlekamp_massey(seq: Iterable, modulus: int | None = None) -> LinearRecurrence:
    r"""The minimal linear recurrence of a finite sequence, over QQ or GF(p) (theory T3.2).

    Explanation
    ===========

    Returns the :class:`LinearRecurrence` of least order ``L`` that generates every given
    term, with the first ``L`` terms as initial values.  Its characteristic polynomial
    ``P(x) = x^L - c_1 x^(L-1) - ... - c_L`` is the *minimal polynomial* of the sequence (FLINT's
    and galois' ``output="minimal"``); its connection polynomial is ``C(x) = x^L P(1/x)``, the
    polynomial Massey's algorithm updates (galois' ``output="connection"``).  Read the prefix,
    period and degree of a quasi-polynomial sequence off ``P`` (theory T3.3).

    * ``modulus`` a prime ``p``: integer terms are reduced mod ``p``; FLINT computes the
      minimal polynomial over GF(p).
    * ``modulus=None``: integer or rational terms, exact answer over QQ by multi-modular BM,
      CRT and rational reconstruction, checked on every term before it is returned.

    Too few terms: if the complexity ``L`` satisfies ``2L > N`` the recurrence is not
    determined by the ``N`` terms and ``ValueError`` is raised (over QQ this is decided when
    two distinct 62-bit primes both see ``2L > N``; theory T3.2).  ``N`` random terms have
    ``L`` about ``N/2``; demand ``2L`` well below ``N`` before trusting a pattern.

    Examples
    ========

    >>> from esma_sympy.recurrence import berlekamp_massey
    >>> fib = berlekamp_massey([0, 1, 1, 2, 3, 5, 8, 13])
    >>> fib.coeffs, fib.characteristic_poly().as_expr()
    ((1, 1), x**2 - x - 1)
    >>> from fractions import Fraction as F
    >>> berlekamp_massey([1, F(1, 2), F(1, 4), F(1, 8)]).coeffs
    (1/2,)
    >>> rec = berlekamp_massey([0, 1, 1, 2, 3, 5, 8, 13], modulus=7)
    >>> rec.coeffs, rec.connection_poly()
    ((1, 1), Poly(-x**2 - x + 1, x, modulus=7))

    The minimal polynomial of e's simple continued fraction (ALGORITHMS.md):

    >>> rec = berlekamp_massey([2, 1, 2, 1, 1, 4, 1, 1, 6, 1, 1, 8, 1, 1, 10, 1])
    >>> rec.characteristic_poly().as_expr().factor()
    x*(x - 1)**2*(x**2 + x + 1)**2

    >>> berlekamp_massey([1, 2, 4, 8, 16, 33])
    Traceback (most recent call last):
    ...
    ValueError: too few terms: seq has 6 terms and linear complexity at least 5, ...

    Parameters
    ==========

    seq : iterable of integers or rationals
        The terms ``a(0), ..., a(N-1)``; ``N >= 1``.  With ``modulus`` they must be integers.
        Floats are rejected.
    modulus : int, optional
        A prime ``p`` (any size) for GF(p); ``None`` (default) for QQ.

    Returns
    =======

    LinearRecurrence
        Over QQ (``modulus`` ``0``) or GF(p).

    Raises
    ======

    ValueError
        ``seq`` empty; ``modulus`` not a prime; too few terms (``2L > N``).
    TypeError
        A term that is not an exact integer (with ``modulus``) or rational (without).

    See Also
    ========

    OnlineBM : the online form for early rejection.
    LinearRecurrence : the result.

    References
    ==========

    .. [1] J. L. Massey, "Shift-register synthesis and BCH decoding", IEEE Trans. Inf. Theory
       15 (1969) 122-127.
    .. [2] galois, ``berlekamp_massey``: https://mhostetter.github.io/galois/
    """
    if isinstance(seq, (str, bytes)) or not hasattr(seq, "__iter__"):
        raise TypeError(f"seq must be an iterable of numbers, got {seq!r}")
    vals = seq if type(seq) is list else list(seq)  # read, never modified
    N = len(vals)
    if N == 0:
        raise ValueError("seq must not be empty")
    if modulus is not None:
        return _bm_mod(vals, _check_modulus(modulus))
    fracs = [_as_fraction(v, f"seq[{i}]") for i, v in enumerate(vals)]
    D = lcm(*[d for _, d in fracs])
    ints = [a * (D // d) for a, d in fracs]
    g = gcd(*ints)
    if g == 0:
        return LinearRecurrence((), (), 0)  # the zero sequence: P = 1
    ints = [a // g for a in ints]
    P = _bm_rational(ints)
    L = len(P) - 1
    initial = [Rational(a, d) for a, d in fracs[:L]]
    coeffs = [Rational(c.numerator, c.denominator) for c in _coeffs_from_charpoly(P)]
    return LinearRecurrence(coeffs, initial, 0)
