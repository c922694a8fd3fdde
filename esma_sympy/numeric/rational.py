"""Exact ESMA expansion of a rational number: the simple continued fraction, then any signs.

For an exact rational ``x = p/q`` the ESMA rule (theory T2.1) is a Euclid-like recursion on
integers, and every sign pattern is a cheap rewriting of the simple continued fraction (SCF):

1. The SCF ``[c_0; c_1, ..., c_K]`` (canonical: ``c_K >= 2`` when ``K >= 1``) is computed by
   FLINT's subquadratic ``fmpq_get_cfrac`` (half-gcd), called through ``ctypes`` in the
   ``libflint`` that python-flint ships, when that library can be found and passes a self-test
   on first use; otherwise by a Lehmer-style Euclid in pure Python (:func:`_scf_python`).
   Set the environment variable ``ESMA_NO_FLINT_CFRAC`` to force the pure-Python path.
2. The signed quotients are read off the SCF tail by a linear-time rewriting
   (:func:`_signed_from_scf`).  Write the tail as ``x_i = [h; c, d, ...]``.  Sign ``+1``:
   ``a_i = h`` and ``x_(i+1) = [c; d, ...]``.  Sign ``-1`` (``x_i`` not an integer):
   ``a_i = h + 1`` and ``x_(i+1) = 1/(1 - [0; c, d, ...])``, which is ``[1; c - 1, d, ...]`` when
   ``c > 1`` (``[2]`` when that is ``[1; 1]``) and ``[d + 1; ...]`` when ``c = 1``.  An integer
   tail ``x_i = h`` ends the expansion with ``a_i = h`` for either sign.

Both steps give exactly the quotients of the ESMA rule ``a_i = floor(x_i)`` (sign ``+1``) or
``ceil(x_i)`` (sign ``-1``), ``x_(i+1) = s_i/(x_i - a_i)``, stopping when ``x_i`` is an integer;
``tests/numeric/test_rational.py`` compares them with a one-step ``Fraction`` loop of the rule.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
import sys
from fractions import Fraction
from itertools import cycle, islice

from flint import fmpq, fmpz

from flint import fmpq, fmpz

from .._args import check_int
__all__ = ["rational_quotients"]

_COEFF_MAX = (1 << 62) - 1  # fmpz values above this are pointers to GMP integers


# ---------------------------------------------------------------------------------------------
# the simple continued fraction: FLINT through ctypes
# ---------------------------------------------------------------------------------------------


class _FlintCfrac:
    """``fmpq_get_cfrac`` of a ``libflint`` shared library, on plain Python ints."""

    def __init__(self, lib):
        i64, vp = ctypes.c_int64, ctypes.c_void_p
        self.get_cfrac = lib.fmpq_get_cfrac
        self.get_cfrac.restype, self.get_cfrac.argtypes = i64, [vp, vp, vp, i64]
        self.bound = lib.fmpq_cfrac_bound
        self.bound.restype, self.bound.argtypes = i64, [vp]
        self.set_ui_array = lib.fmpz_set_ui_array
        self.set_ui_array.restype, self.set_ui_array.argtypes = None, [vp, vp, i64]
        self.get_ui_array = lib.fmpz_get_ui_array
        self.get_ui_array.restype, self.get_ui_array.argtypes = None, [vp, i64, vp]
        self.size = lib.fmpz_size
        self.size.restype, self.size.argtypes = ctypes.c_size_t, [vp]
        self.clear = lib.fmpz_clear
        self.clear.restype, self.clear.argtypes = None, [vp]
        self.max_bits = lib._fmpz_vec_max_bits
        self.max_bits.restype, self.max_bits.argtypes = i64, [vp, i64]

    def _set(self, x, i: int, v: int) -> None:
        """``fmpz`` number ``i`` of the ctypes array ``x`` := the Python int ``v >= 0``."""
        nl = (v.bit_length() + 63) >> 6
        self.set_ui_array(ctypes.byref(x, 8 * i), v.to_bytes(8 * nl, "little"), nl)

    def _get(self, x, i: int) -> int:
        """The value of ``fmpz`` number ``i`` of ``x`` (a small one is read directly)."""
        v = x[i]
        if v <= _COEFF_MAX:
            return v
        ptr = ctypes.byref(x, 8 * i)
        nl = self.size(ptr)
        buf = ctypes.create_string_buffer(8 * nl)
        self.get_ui_array(buf, nl, ptr)
        return int.from_bytes(buf.raw, "little")

    def __call__(self, p: int, q: int, n: int):
        """Up to ``n >= 1`` SCF quotients of ``p/q`` (``p > q > 0``) and whether they are all."""
        x = (ctypes.c_int64 * 2)()
        rem = (ctypes.c_int64 * 2)(0, 1)
        try:
            self._set(x, 0, p)
            self._set(x, 1, q)
            m = max(1, min(n, self.bound(x)))
            c = (ctypes.c_int64 * m)()
            k = self.get_cfrac(c, rem, x, m)
            complete = k < m or rem[0] == 0
            if abs(self.max_bits(c, k)) <= 62:
                out = c[:k]
            else:  # a quotient above 2^62 is held by GMP: read it, then free it
                out = [self._get(c, i) for i in range(k)]
                for i in range(k):
                    if c[i] > _COEFF_MAX:
                        self.clear(ctypes.byref(c, 8 * i))
        finally:
            for arr in (x, rem):
                for i in (0, 1):
                    if arr[i] > _COEFF_MAX:
                        self.clear(ctypes.byref(arr, 8 * i))
        return out, complete


def _flint_library_paths() -> list:
    """Candidate ``libflint`` files: the one loaded by python-flint first."""
    import flint

    paths = []
    try:
        with open("/proc/self/maps") as fh:
            for line in fh:
                path = line.split(None, 5)[-1].strip()
                if "libflint" in os.path.basename(path) and path not in paths:
                    paths.append(path)
    except OSError:
        pass
    here = os.path.dirname(os.path.abspath(flint.__file__))
    for pattern in ("../python_flint.libs/libflint*", ".dylibs/libflint*",
                    "../flint.libs/libflint*", "libflint*"):
        for path in sorted(glob.glob(os.path.join(here, pattern))):
            if path not in paths:
                paths.append(path)
    found = ctypes.util.find_library("flint")
    if found:
        paths.append(found)
    return paths


def _load_flint_cfrac():
    """A checked :class:`_FlintCfrac`, or ``None`` (no usable library, or disabled)."""
    if os.environ.get("ESMA_NO_FLINT_CFRAC"):
        return None
    if sys.byteorder != "little" or ctypes.sizeof(ctypes.c_void_p) != 8:
        return None  # fmpz limbs are read as little-endian 64-bit words
    for path in _flint_library_paths():
        try:
            # PyDLL keeps the GIL during the calls: FLINT may allocate through an allocator
            # that needs it (python-flint could switch to CPython's)
            fn = _FlintCfrac(ctypes.PyDLL(path))
            if all(fn(p, q, 1 << 20) == (_euclid(p, q), True) for p, q in _SELF_TEST):
                return fn
        except (OSError, AttributeError, ValueError, TypeError):  # pragma: no cover
            continue
    return None  # pragma: no cover - python-flint always ships or links a libflint


#: Self-test of the FLINT path: small, large, and quotients beyond 2^62 and 2^64.
_SELF_TEST = [
    (355, 113),
    (7 * 2**100 + 1, 7),
    (3**200 + 2**64 + 1, 2**150 + 3**50),
    ((2**300 + 1) * (5**40 + 7) + 1, 2**300 + 1),
]

_FLINT: list = []  # [_FlintCfrac or None], filled on first use


def _flint_cfrac():
    if not _FLINT:
        _FLINT.append(_load_flint_cfrac())
    return _FLINT[0]


# ---------------------------------------------------------------------------------------------
# the simple continued fraction: pure Python
# ---------------------------------------------------------------------------------------------


def _euclid(p: int, q: int) -> list:
    """All SCF quotients of ``p/q`` (``q > 0``) by plain Euclid (reference, small inputs)."""
    out = []
    while q:
        a, r = divmod(p, q)
        out.append(a)
        p, q = q, r
    return out


_WORD = 240  # bits of the leading parts in a Lehmer step (tuned: 62 is 20% slower)


def _lehmer_block(x: int, y: int, append):
    """Lehmer's inner loop on leading parts ``x > y > 0``: the certified quotients.

    Appends them and returns ``(j, u_j, u_(j+1), v_j, v_(j+1))``: their number and the
    cosequences (absolute values), which give the new pair as ``R_j = (-1)^j (u_j p - v_j q)``.

    One division per quotient with Jebelean's test.  With ``x = p >> k``, ``y = q >> k`` (so
    ``p = 2^k x + p'``, ``0 <= p' < 2^k``, likewise ``q``), let ``r_j`` be the remainder
    sequence of ``x, y`` and ``u_j, v_j >= 0`` its cosequences,
    ``r_j = (-1)^j (u_j x - v_j y)``.  The big remainders are ``R_j = 2^k r_j + e_j`` with
    ``e_j = (-1)^j (u_j p' - v_j q')``, so ``e_j > -2^k v_j`` for even ``j`` and
    ``e_j > -2^k u_j`` for odd ``j`` (likewise for ``e_j - e_(j+1)``).  Hence the quotient
    ``floor(r_(j-1)/r_j)`` is the true one, ``0 <= R_(j+1) < R_j``, when

    * ``j + 1`` even: ``r_(j+1) >= v_(j+1)`` and ``r_j - r_(j+1) >= u_j + u_(j+1)``;
    * ``j + 1`` odd: ``r_(j+1) >= u_(j+1)`` and ``r_j - r_(j+1) >= v_j + v_(j+1)``.

    Since ``x > y`` gives ``u_j <= v_j`` (same recursion, ``u_1 = 0 < v_1``, ``u_2 = 1 <=
    v_2``), the loop tests the stronger ``r_(j+1) >= v_(j+1)`` and
    ``r_j - r_(j+1) >= v_j + v_(j+1)`` and tracks ``v`` only; ``u`` is recovered at the end
    from ``u_j x = (-1)^j r_j + v_j y`` (exact divisions).
    """
    X, Y = x, y
    v0, v1 = 0, 1  # v_j, v_(j+1) with j = 0
    j = 0
    while True:
        a, r = divmod(x, y)
        v2 = v0 + a * v1
        if r < v2 or y - r < v1 + v2:
            break
        append(a)
        x, y, v0, v1 = y, r, v1, v2
        j += 1
    if j & 1:
        return j, (v0 * Y - x) // X, (v1 * Y + y) // X, v0, v1
    return j, (v0 * Y + x) // X, (v1 * Y - y) // X, v0, v1


def _scf_python(p: int, q: int, n: int):
    """Up to ``n`` SCF quotients of ``p/q`` (``p > q > 0``) and whether they are all.

    Lehmer's algorithm: the quotients of the leading ``_WORD`` bits that
    :func:`_lehmer_block` certifies, then their 2x2 matrix applied to ``p, q`` at once.
    (A half-gcd recursion was tried: with CPython's Karatsuba products it does not beat this
    below some 10^5 bits, the per-quotient Python work dominating.)
    """
    out: list = []
    append = out.append
    while q:
        nq = q.bit_length()
        if n - len(out) < 2 * _WORD or p.bit_length() - nq > _WORD // 2 or nq <= _WORD:
            # near the limit, a long quotient, or small numbers: one exact step
            if len(out) >= n:
                break
            a, r = divmod(p, q)
            append(a)
            p, q = q, r
            continue
        k = p.bit_length() - _WORD
        j, u0, u1, v0, v1 = _lehmer_block(p >> k, q >> k, append)
        if j == 0:  # nothing certified from the leading parts: one exact step
            a, r = divmod(p, q)
            append(a)
            p, q = q, r
        elif j & 1:  # (R_j, R_(j+1)) with R_j = (-1)^j (u_j p - v_j q)
            p, q = v0 * q - u0 * p, u1 * p - v1 * q
        else:
            p, q = u0 * p - v0 * q, v1 * q - u1 * p
    return out, not q


def _scf(p: int, q: int, n: int):
    """Up to ``n >= 1`` SCF quotients of ``p/q`` (``q > 0``, any sign) and whether complete."""
    a0, r = divmod(p, q)
    if not r:
        return [a0], True
    if n == 1:
        return [a0], False
    # a few quotients, or small numbers: Python is quicker than the ctypes round trip
    fn = _flint_cfrac() if n > 16 and r.bit_length() > 64 else None
    tail, complete = fn(q, r, n - 1) if fn is not None else _scf_python(q, r, n - 1)
    tail.insert(0, a0)
    return tail, complete


# ---------------------------------------------------------------------------------------------
# from the simple continued fraction to any sign sequence
# ---------------------------------------------------------------------------------------------


def _signed_from_scf(c: list, complete: bool, signs, n: int):
    """ESMA quotients for ``signs`` (an iterable) from the SCF ``c``; returns ``(qs, ended)``.

    ``c`` is modified.  When ``complete`` is false it must hold at least ``2 n + 1`` quotients
    (a step moves at most two places along it and looks at most two places ahead); when it is
    true, ``n = None`` runs to the end.
    """
    out: list = []
    append = out.append
    end = len(c) - 1 if complete else len(c) + 2 * n + 8  # index of the last SCF quotient
    i = 0
    for s in islice(signs, n):
        h = c[i]
        if i == end:  # an integer tail: it is its own floor and ceiling
            append(h)
            return out, True
        if s > 0:
            append(h)
            i += 1
            continue
        append(h + 1)
        b = c[i + 1]
        if b > 1:
            if b == 2 and i + 1 == end:  # [1; 1] = 2
                c[i] = 2
                end = i
            else:
                c[i] = 1
                c[i + 1] = b - 1
        else:  # b == 1 and not the last one (the SCF is canonical)
            i += 2
            c[i] += 1
    return out, False


def _rational_expansion(p: int, q: int, signs, n: int):
    """ESMA quotients of ``p/q`` (``q > 0``): ``(at most n quotients, whether it ended)``.

    ``signs`` is a tuple (a periodic pattern anchored at 0) or a list of at least ``n`` signs.
    """
    if isinstance(signs, tuple):
        if all(s > 0 for s in signs):
            c, complete = _scf(p, q, n)
            return c[:n], complete and len(c) <= n
        c, complete = _scf(p, q, 2 * n + 2)
        return _signed_from_scf(c, complete, cycle(signs), n)
    k = min(n, len(signs))
    if all(s > 0 for s in signs[:k]):
        c, complete = _scf(p, q, k)
        return c[:k], complete and len(c) <= k
    c, complete = _scf(p, q, 2 * k + 2)
    return _signed_from_scf(c, complete, signs, k)


def _as_exact(x):
    if isinstance(x, bool):
        raise TypeError(f"x must be an exact rational, got the bool {x!r}")
    if isinstance(x, (int, fmpz)):
        return int(x), 1
    if isinstance(x, fmpq):
        return int(x.p), int(x.q)
    if isinstance(x, Fraction):
        return x.numerator, x.denominator
    if getattr(x, "is_Rational", False):
        return int(x.p), int(x.q)
    raise TypeError(f"x must be an exact rational (int, Fraction, fmpq, SymPy Rational), "
                    f"got {type(x).__name__} {x!r}")


#: the most quotients ``rational_quotients`` materialises without a ``limit``
_MAX_UNLIMITED = 10**7


def rational_quotients(x, signs=(1,), limit: int | None = None) -> list:
    """All ESMA partial quotients of an exact rational ``x``, as Python ints (theory T2.1).

    Explanation
    ===========

    ``a_i = floor(x_i)`` for ``s_i = +1`` and ``ceil(x_i)`` for ``s_i = -1``,
    ``x_(i+1) = s_i/(x_i - a_i)``, until ``x_i`` is an integer (it always is, eventually).
    ``signs`` is a periodic pattern anchored at index 0, as in :func:`esma_sympy.expand`;
    ``limit`` caps the number of quotients returned (with ceilings, a quotient ``c`` of the
    simple continued fraction becomes up to ``c - 1`` quotients 2, so a rational with a huge
    quotient has a very long expansion for ``signs = (-1,)``).  Computed from the simple continued
    fraction (FLINT's half-gcd, see the module docstring) in time quasi-linear in the size of
    ``x`` plus linear in the number of quotients; :func:`esma_sympy.expand` and
    ``expand_quotients`` use the same path for an exact rational.

    Examples
    ========

    >>> from fractions import Fraction
    >>> rational_quotients(Fraction(355, 113))
    [3, 7, 16]
    >>> rational_quotients(Fraction(7, 3), (-1,))        # 7/3 = 3 - 1/(2 - 1/2)
    [3, 2, 2]
    >>> rational_quotients(Fraction(-10, 7), (1, -1))
    [-2, 2, 4]
    >>> rational_quotients(2**100 + Fraction(1, 3), limit=1)
    [1267650600228229401496703205376]

    Parameters
    ==========

    x : int, Fraction, fmpq or SymPy Rational
    signs : tuple of +1/-1
        The periodic sign pattern (default ``(1,)``: the simple continued fraction).
    limit : int, optional
        At most this many quotients (``>= 1``).  Without it, a signed pattern whose expansion
        could exceed ``10^7`` quotients raises ``ValueError`` (the bound is the sum of the
        simple quotients).

    See Also
    ========

    esma_sympy.numeric.expand.expand_quotients
    """
    p, q = _as_exact(x)
    if isinstance(signs, (str, bytes)) or not hasattr(signs, "__iter__"):
        raise TypeError(f"signs must be a tuple of +1/-1, got {signs!r}")
    pat = tuple(signs)
    if not pat or any(isinstance(s, bool) or s not in (1, -1) for s in pat):
        raise ValueError(f"signs must be a nonempty pattern of +1/-1, got {signs!r}")
    pat = tuple(int(s) for s in pat)
    if limit is None:  # everything: the SCF has at most log_phi(q) + 2 quotients
        c, complete = _scf(p, q, 2 * q.bit_length() + 4)
        assert complete
        if all(s > 0 for s in pat):
            return c
        # with ceilings a simple quotient a becomes up to a quotients: refuse to materialise
        # an astronomically long expansion (e.g. 1/10^30 under (-1,): 10^30 quotients 2)
        bound = sum(abs(a) for a in c)
        if bound > _MAX_UNLIMITED:
            raise ValueError(f"the expansion of {x} under signs {pat} may have up to {bound} "
                             f"quotients (more than {_MAX_UNLIMITED}); pass limit=N")
        return _signed_from_scf(c, True, cycle(pat), None)[0]
    limit = check_int(limit, "limit", 1)
    return _rational_expansion(p, q, pat, limit)[0]
