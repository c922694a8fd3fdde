"""Linear recurrences with constant coefficients over QQ or GF(p), as SymPy objects.

Conventions (pinned here, used throughout ``esma_sympy.recurrence``)
=====================================================================

A ``LinearRecurrence`` of order ``L`` with coefficients ``(c_1, ..., c_L)`` and initial values
``(a_0, ..., a_{L-1})`` is the sequence, indexed from ``n = 0``, with

    a(n) = c_1 a(n-1) + c_2 a(n-2) + ... + c_L a(n-L)        for n >= L.

This is the coefficient order of SymPy's ``find_linear_recurrence`` and
``sympy.discrete.recurrences.linrec``.  Two polynomials describe it (the galois library uses the
same two names):

* the **characteristic polynomial** ``P(x) = x^L - c_1 x^(L-1) - ... - c_L``, monic of degree
  exactly ``L``; the sequence is annihilated by ``P(E)`` where ``E`` is the shift
  ``(E a)(n) = a(n+1)``.  The multiplicity ``n0`` of the root ``0`` (the number of trailing
  zero coefficients ``c_L = ... = c_{L-n0+1} = 0``) is the length of the irregular prefix:
  ``a(n0), a(n0+1), ...`` satisfies the recurrence ``P(x)/x^n0``.
* the **connection polynomial** ``C(x) = 1 - c_1 x - ... - c_L x^L = x^L P(1/x)``, the one
  Berlekamp–Massey updates; its degree is ``L - n0``, which is *smaller* than the order when
  ``0`` is a characteristic root, so the order is stored, not read off ``C``.  The generating
  function of the sequence is ``R(x)/C(x)`` with ``deg R < L``.

``modulus = 0`` means the field QQ (coefficients and values are rationals); a prime
``modulus = p`` means GF(p), with coefficients and values integers in ``range(p)``.
"""

from __future__ import annotations

from functools import lru_cache
from math import lcm
from operator import mul
from typing import Iterable

from flint import fmpq, fmpq_poly, fmpz_mod_poly_ctx, fmpz_poly
from sympy import (
    Basic,
    CRootOf,
    Eq,
    Integer,
    Matrix,
    Piecewise,
    Poly,
    Rational,
    S,
    Symbol,
    Tuple,
    factor_list,
    isprime,
    radsimp,
    roots,
    sympify,
)

from ..numeric.parse import sympify_safe
from ..cf.quasipolynomial import QuasiPolynomial, _as_index
from .approval import cyclotomic_structure

__all__ = ["LinearRecurrence"]

_X = Symbol("x")
_BASIC_ARGS = Basic.__dict__["_args"]  # the slot descriptor behind ``Basic.args``


def _check_modulus(modulus) -> int:
    """``modulus`` as a Python int, checked to be a prime; ``TypeError``/``ValueError`` if not."""
    if isinstance(modulus, bool) or isinstance(modulus, float) or getattr(modulus, "is_Float", False):
        raise TypeError(f"modulus must be a prime integer, got {modulus!r}")
    try:
        hash(modulus)
    except TypeError:
        raise TypeError(f"modulus must be a prime integer, got {modulus!r}") from None
    return _check_modulus_cached(modulus)


@lru_cache(maxsize=64)
def _check_modulus_cached(modulus) -> int:
    try:
        p = int(modulus)
    except (TypeError, ValueError):
        raise TypeError(f"modulus must be a prime integer, got {modulus!r}") from None
    if p != modulus:
        raise TypeError(f"modulus must be a prime integer, got {modulus!r}")
    if not isprime(p):
        raise ValueError(f"modulus must be a prime, got {p}")
    return p


@lru_cache(maxsize=64)
def _mod_ctx(p: int) -> fmpz_mod_poly_ctx:
    return fmpz_mod_poly_ctx(p)


def _rational(v, what: str) -> Rational:
    v = Integer(v) if type(v) is int else sympify_safe(v)
    if not isinstance(v, Rational):
        raise TypeError(f"{what} must be a rational number, got {v!r}")
    return v


def _residue(v, p: int, what: str) -> Integer:
    v = Integer(v) if type(v) is int else sympify_safe(v)
    if not isinstance(v, Integer):
        raise TypeError(f"{what} must be an integer when modulus={p}, got {v!r}")
    if not 0 <= v < p:
        raise ValueError(f"{what} must lie in range({p}) when modulus={p}, got {v}")
    return v


class LinearRecurrence(Basic):
    r"""A sequence given by a linear recurrence with constant coefficients over QQ or GF(p).

    Explanation
    ===========

    ``LinearRecurrence(coeffs, initial, modulus=0)`` is the sequence with
    ``a(n) = c_1 a(n-1) + ... + c_L a(n-L)`` for ``n >= L`` and ``a(n) = initial[n]`` for
    ``n < L``, where ``coeffs = (c_1, ..., c_L)``.  The characteristic polynomial is
    ``P(x) = x^L - c_1 x^(L-1) - ... - c_L`` (monic, degree ``L``) and the connection polynomial
    is ``C(x) = 1 - c_1 x - ... - c_L x^L = x^L P(1/x)`` (see the module docstring; degree
    ``L - offset``).  ``modulus = 0`` is QQ, a prime ``p`` is GF(p) (entries in ``range(p)``).

    The object is a plain description: it need not be the *minimal* recurrence of its sequence
    (``berlekamp_massey`` returns minimal ones).  Every derived quantity (offset, period,
    quasi-polynomial form) is read off the stored characteristic polynomial (theory T3.3).

    Examples
    ========

    The simple continued fraction of e, ``[2; 1, 2, 1, 1, 4, 1, 1, 6, ...]``, has minimal
    polynomial ``x (x^3 - 1)^2``: one prefix term, period 3, linear polynomials.

    >>> from esma_sympy.recurrence import LinearRecurrence, berlekamp_massey
    >>> e = berlekamp_massey([2, 1, 2, 1, 1, 4, 1, 1, 6, 1, 1, 8, 1, 1, 10, 1])
    >>> e
    LinearRecurrence((0, 0, 2, 0, 0, -1, 0), (2, 1, 2, 1, 1, 4, 1), 0)
    >>> e.characteristic_poly().as_expr().factor()
    x*(x - 1)**2*(x**2 + x + 1)**2
    >>> e.connection_poly()
    Poly(x**6 - 2*x**3 + 1, x, domain='QQ')
    >>> e.order, e.offset, e.is_quasi_polynomial
    (7, 1, True)
    >>> e.quasi_polynomial()
    QuasiPolynomial((2,), (1, 2*k + 2, 1), k)
    >>> e.terms(12)
    [2, 1, 2, 1, 1, 4, 1, 1, 6, 1, 1, 8]
    >>> e(2999)
    2000

    Fibonacci numbers, and the same recurrence over GF(7):

    >>> fib = LinearRecurrence([1, 1], [0, 1])
    >>> fib.is_quasi_polynomial, fib(100)
    (False, 354224848179261915075)
    >>> LinearRecurrence([1, 1], [0, 1], modulus=7).terms(10)
    [0, 1, 1, 2, 3, 5, 1, 6, 0, 6]

    Parameters
    ==========

    coeffs : sequence of rationals (integers in ``range(p)`` over GF(p))
        ``(c_1, ..., c_L)``; may be empty (the zero sequence, ``P = 1``).
    initial : sequence of the same length
        ``(a_0, ..., a_{L-1})``.
    modulus : int, optional
        ``0`` (default, QQ) or a prime ``p`` (GF(p)).

    See Also
    ========

    esma_sympy.recurrence.berlekamp_massey : the minimal recurrence of given terms.
    esma_sympy.QuasiPolynomial : the closed form of quasi-polynomial recurrences.

    References
    ==========

    .. [1] J. L. Massey, "Shift-register synthesis and BCH decoding", IEEE Trans. Inf. Theory
       15 (1969) 122-127.
    .. [2] galois, ``berlekamp_massey``: https://mhostetter.github.io/galois/
    """

    def __new__(cls, coeffs: Iterable = (), initial: Iterable = (), modulus=0):
        if modulus is None:
            modulus = 0
        p = 0 if (not isinstance(modulus, bool) and modulus == 0) else _check_modulus(modulus)
        coeffs, initial = list(coeffs), list(initial)
        if len(coeffs) != len(initial):
            raise ValueError(
                f"coeffs and initial must have the same length (the order), got "
                f"{len(coeffs)} coefficients and {len(initial)} initial values"
            )
        if p:
            cs = [_residue(c, p, f"coeffs[{i}]") for i, c in enumerate(coeffs)]
            vs = [_residue(v, p, f"initial[{i}]") for i, v in enumerate(initial)]
        else:
            cs = [_rational(c, f"coeffs[{i}]") for i, c in enumerate(coeffs)]
            vs = [_rational(v, f"initial[{i}]") for i, v in enumerate(initial)]
        return Basic.__new__(cls, Tuple(*cs), Tuple(*vs), Integer(p))

    @classmethod
    def _from_residues(cls, coeffs, initial: list, p: int) -> "LinearRecurrence":
        """A recurrence over GF(p) from trusted data, unchecked; SymPy ``args`` built lazily.

        ``coeffs`` is a list of ints in ``range(p)`` or a monic ``fmpz_mod_poly`` over GF(p)
        (the characteristic polynomial ``P``, read as ``c_i = -P_(L-i)``); ``initial`` holds
        ``L`` Python ints, reduced mod ``p`` here.  The hot path of
        ``berlekamp_massey(..., modulus=p)``: nothing is converted until the SymPy arguments
        are first needed (see ``_args``); the object is equal, hash-equal and pickles the same
        as ``LinearRecurrence(coeffs, initial, p)``.

        >>> rec = LinearRecurrence._from_residues([1, 1], [0, 8], 7)
        >>> rec == LinearRecurrence([1, 1], [0, 1], 7), rec.terms(8)
        (True, [0, 1, 1, 2, 3, 5, 1, 6])
        """
        obj = object.__new__(cls)
        obj._assumptions = cls.default_assumptions
        obj._mhash = None
        obj._raw = (coeffs, initial, p)
        return obj

    # ``Basic`` keeps the arguments in its ``_args`` slot; this property fills the slot on the
    # first access from the raw data of :meth:`_from_residues`.  Every SymPy access to the
    # arguments (``args``, hashing, equality, ``func(*args)``, pickling) goes through it.
    @property
    def _args(self):
        try:
            return _BASIC_ARGS.__get__(self)
        except AttributeError:
            cs, vs, p = self.__dict__["_raw"]
            if not isinstance(cs, list):  # the characteristic polynomial, monic of degree L
                L = cs.degree()
                cs = [int(c) for c in (-cs).coeffs()[L - 1::-1]] if L > 0 else []
            args = (Basic.__new__(Tuple, *map(Integer, cs)),
                    Basic.__new__(Tuple, *[Integer(v % p) for v in vs]), Integer(p))
            _BASIC_ARGS.__set__(self, args)
            self.__dict__.pop("_raw", None)
            return args

    @_args.setter
    def _args(self, value):
        _BASIC_ARGS.__set__(self, value)

    # -- structure -------------------------------------------------------------------------

    @property
    def coeffs(self) -> tuple:
        """The coefficients ``(c_1, ..., c_L)`` of ``a(n) = c_1 a(n-1) + ... + c_L a(n-L)``."""
        return tuple(self.args[0])

    @property
    def initial(self) -> tuple:
        """The initial values ``(a_0, ..., a_{L-1})``."""
        return tuple(self.args[1])

    @property
    def modulus(self) -> int | None:
        """The prime ``p`` of GF(p), or ``None`` over QQ."""
        p = int(self.args[2])
        return p or None

    @property
    def order(self) -> int:
        """The order ``L`` (degree of the characteristic polynomial)."""
        return len(self.args[0])

    @property
    def offset(self) -> int:
        """The length ``n0`` of the irregular prefix: the multiplicity of the root ``0``.

        Equals ``quasi_polynomial().offset`` when the recurrence is minimal (theory T3.3).

        >>> LinearRecurrence([0, 0, 0], [5, 1, 1]).offset
        3
        """
        n0 = 0
        for c in reversed(self.args[0]):
            if c != 0:
                break
            n0 += 1
        return n0

    def characteristic_poly(self, x=None) -> Poly:
        """``P(x) = x^L - c_1 x^(L-1) - ... - c_L`` as a ``Poly`` over QQ or GF(p).

        >>> LinearRecurrence([1, 1], [0, 1]).characteristic_poly()
        Poly(x**2 - x - 1, x, domain='QQ')
        """
        x = _X if x is None else sympify_safe(x)
        coeffs = [S.One] + [-c for c in self.args[0]]
        return self._poly(coeffs, x)

    def connection_poly(self, x=None) -> Poly:
        """``C(x) = 1 - c_1 x - ... - c_L x^L = x^L P(1/x)`` as a ``Poly`` over QQ or GF(p).

        >>> LinearRecurrence([1, 1], [0, 1], modulus=5).connection_poly()
        Poly(-x**2 - x + 1, x, modulus=5)
        """
        x = _X if x is None else sympify_safe(x)
        coeffs = [S.One] + [-c for c in self.args[0]]
        return self._poly(coeffs[::-1], x)

    def _poly(self, coeffs_high_first: list, x) -> Poly:
        p = self.modulus
        if p:
            return Poly([int(c) % p for c in coeffs_high_first], x, modulus=p)
        return Poly(coeffs_high_first, x, domain="QQ")

    # -- values ----------------------------------------------------------------------------

    def terms(self, N: int) -> list:
        """The first ``N`` terms ``[a(0), ..., a(N-1)]`` as SymPy numbers.

        >>> LinearRecurrence([2, -1], [1, 3]).terms(6)
        [1, 3, 5, 7, 9, 11]
        """
        N = _as_index(N, "N")
        return [_to_sympy(v) for v in _raw_terms(self, N)]

    def __call__(self, n):
        """The term ``a(n)`` for an integer ``n >= 0``, via ``x^n mod P(x)`` (``O(L^2 log n)``).

        >>> LinearRecurrence([1, 1], [0, 1])(10)
        55
        """
        n = _as_index(n, "n")
        L = self.order
        if n < L:
            return self.initial[n]
        p = self.modulus
        if p:
            ctx = _mod_ctx(p)
            P = ctx(_char_low(self, p))
            r = ctx([0, 1]).pow_mod(n, P)
            vals = [int(v) for v in self.args[1]]
            return Integer(sum(int(c) * v for c, v in zip(r.coeffs(), vals)) % p)
        P = fmpq_poly(_char_low(self, 0))
        r, base = fmpq_poly([1]), fmpq_poly([0, 1]) % P
        while n:
            if n & 1:
                r = (r * base) % P
            base = (base * base) % P
            n >>= 1
        vals = _flint_initial(self)
        return _to_sympy(sum((c * v for c, v in zip(r.coeffs(), vals)), fmpq(0)))

    # -- quasi-polynomial structure ----------------------------------------------------------

    @property
    def is_quasi_polynomial(self) -> bool:
        """True when every nonzero characteristic root is a root of unity (theory T3.1).

        Explanation
        ===========

        Over QQ this is decided exactly: ``P(x) / x^offset`` must be monic with integer
        coefficients and every irreducible factor must be cyclotomic (FLINT's
        ``fmpz_poly.is_cyclotomic``), i.e. it divides a product of cyclotomic polynomials.
        Then the sequence is quasi-polynomial beyond its prefix.  Over GF(p) every nonzero root
        (in an extension field) is a root of unity and every sequence is eventually periodic, so
        the answer is ``True``; :meth:`quasi_polynomial` is nevertheless only offered over QQ.

        A property, as every other ``is_*``; until release 0.3 the value can also be called,
        ``rec.is_quasi_polynomial()``, the old spelling, with a ``DeprecationWarning``.

        Examples
        ========

        >>> LinearRecurrence([0, 1], [1, 2]).is_quasi_polynomial     # 1, 2, 1, 2, ...
        True
        >>> LinearRecurrence([2], [1]).is_quasi_polynomial           # 2**n
        False
        """
        if self.modulus:
            return _Decision(True)
        return _Decision(_cyclotomic_structure(self) is not None)

    def quasi_polynomial(self, k=None) -> QuasiPolynomial:
        """The sequence as a :class:`~esma_sympy.QuasiPolynomial` (theory T3.1, T3.3).

        Explanation
        ===========

        With ``P(x) = x^n0 * prod Phi_m(x)^(e_m)`` the prefix is ``n0 = offset``, the period is
        ``T = lcm(m)`` and the polynomials have degree ``<= max(e_m) - 1``.  Exactly enough
        terms are generated to interpolate each residue class (plus one check term per class)
        and fitted with ``QuasiPolynomial.from_terms(..., period=T, prefix=n0)``.  For a
        minimal recurrence, ``T`` and ``n0`` are the least period and prefix.
        ``ValueError`` when the recurrence is over GF(p) or is not quasi-polynomial.

        Examples
        ========

        >>> LinearRecurrence([0, 0, 1], [1, 2, 4]).quasi_polynomial()
        QuasiPolynomial((), (1, 2, 4), k)
        >>> LinearRecurrence([2, -1], [1, 3]).quasi_polynomial()
        QuasiPolynomial((), (2*k + 1,), k)
        """
        if self.modulus:
            raise ValueError(
                f"quasi_polynomial() needs a recurrence over QQ, got one over GF({self.modulus}); "
                "recover the rational recurrence with berlekamp_massey(terms) first"
            )
        struct = _cyclotomic_structure(self)
        if struct is None:
            raise ValueError(
                f"{self} is not quasi-polynomial: a nonzero root of "
                f"{self.characteristic_poly().as_expr()} is not a root of unity"
            )
        T, d = struct
        n0 = self.offset
        N = n0 + T * (d + 2)
        return QuasiPolynomial.from_terms(
            self.terms(N), period=T, prefix=n0, max_degree=max(d, 0), k=k
        )

    def closed_form(self, n=None):
        """``a(n)`` as a SymPy expression in ``n`` (QQ only).

        Explanation
        ===========

        Quasi-polynomial recurrences give the ``Piecewise`` over residues of
        :meth:`QuasiPolynomial.closed_form`.  Otherwise the answer is
        ``sum_r sum_j A_(r,j) n^j r^n`` over the nonzero roots ``r`` of ``P`` (radicals when
        SymPy finds them, ``CRootOf`` otherwise), with the prefix as ``Piecewise`` branches;
        the coefficients come from an exact linear solve on the terms beyond the prefix.
        An integer ``n`` returns the term itself.

        Examples
        ========

        >>> from sympy import Symbol, simplify
        >>> n = Symbol('n', integer=True, nonnegative=True)
        >>> LinearRecurrence([2], [3]).closed_form(n)
        3*2**n
        >>> fib = LinearRecurrence([1, 1], [0, 1]).closed_form(n)
        >>> [simplify(fib.subs(n, i)) for i in range(8)]
        [0, 1, 1, 2, 3, 5, 8, 13]
        """
        if self.modulus:
            raise ValueError(
                f"closed_form() needs a recurrence over QQ, got one over GF({self.modulus})"
            )
        if n is None:
            n = Symbol("n", integer=True, nonnegative=True)
        n = sympify_safe(n)
        if isinstance(n, Integer):
            return self(int(n))
        if self.is_quasi_polynomial:
            return self.quasi_polynomial().closed_form(n)
        return _exponential_closed_form(self, n)

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def from_quasi_polynomial(cls, qp: QuasiPolynomial) -> "LinearRecurrence":
        """The recurrence with ``P(x) = x^n0 (x^T - 1)^(d+1)`` satisfied by ``qp`` (theory T3.1).

        Explanation
        ===========

        A quasi-polynomial with prefix ``n0``, period ``T`` and degree ``d`` is annihilated by
        ``x^n0 (x^T - 1)^(d+1)``.  This recurrence of order ``n0 + T (d + 1)`` is usually not
        minimal; ``berlekamp_massey(rec.terms(2 * rec.order))`` gives the minimal one.

        Examples
        ========

        >>> from sympy.abc import k
        >>> rec = LinearRecurrence.from_quasi_polynomial(QuasiPolynomial([2], [1, 2*k + 2, 1], k))
        >>> rec.order, rec.characteristic_poly().as_expr()
        (7, x**7 - 2*x**4 + x)
        >>> rec.terms(9)
        [2, 1, 2, 1, 1, 4, 1, 1, 6]
        """
        if not isinstance(qp, QuasiPolynomial):
            raise TypeError(f"qp must be a QuasiPolynomial, got {qp!r}")
        n0, T, d = qp.offset, qp.period, qp.degree
        # (x^T - 1)^(d+1) = sum_j binom(d+1, j) (-1)^(d+1-j) x^(T j); times x^n0
        e = d + 1
        P = fmpz_poly([-1] + [0] * (T - 1) + [1]) ** e
        low = [0] * n0 + [int(c) for c in P.coeffs()]  # low degree first, monic
        L = len(low) - 1
        coeffs = [-low[L - i] for i in range(1, L + 1)]
        return cls(coeffs, qp.terms(L))


# -- helpers (module level: derived data is memoised outside the immutable instance) -------


def _to_sympy(v):
    if isinstance(v, int):
        return Integer(v)
    if isinstance(v, fmpq):
        return Rational(int(v.p), int(v.q))
    return Integer(int(v))


def _char_low(rec: LinearRecurrence, p: int) -> list:
    """Coefficients of ``P`` low degree first (Python ints mod p, or fmpq)."""
    cs = rec.args[0]
    if p:
        return [(-int(c)) % p for c in reversed(cs)] + [1]
    return [-fmpq(int(c.p), int(c.q)) for c in reversed(cs)] + [fmpq(1)]


@lru_cache(maxsize=1024)
def _flint_initial(rec: LinearRecurrence) -> tuple:
    return tuple(fmpq(int(v.p), int(v.q)) for v in rec.args[1])


def _raw_terms(rec: LinearRecurrence, N: int) -> list:
    """Terms as Python ints (GF(p), or integer data over QQ) or ``fmpq``."""
    L = rec.order
    p = rec.modulus
    if p:
        cs = [int(c) for c in rec.args[0]]
        out = [int(v) for v in rec.args[1]][:N]
    elif all(isinstance(v, Integer) for v in rec.args[0] + rec.args[1]):
        cs = [int(c) for c in rec.args[0]]
        out = [int(v) for v in rec.args[1]][:N]
    else:
        # clear the denominators of the coefficients: D a(n) = sum (D c_i) a(n-i)
        D = lcm(*[int(c.q) for c in rec.args[0]]) if L else 1
        cs = [int(c.p) * (D // int(c.q)) for c in rec.args[0]]
        out = list(_flint_initial(rec))[:N]
        for n in range(L, N):
            out.append(sum(map(mul, cs, reversed(out[n - L:n])), fmpq(0)) / D)
        return out
    if L == 0:
        return [0] * N
    for n in range(L, N):
        v = sum(map(mul, cs, reversed(out[n - L:n])))
        out.append(v % p if p else v)
    return out


@lru_cache(maxsize=1024)
def _cyclotomic_structure(rec: LinearRecurrence):
    """``(T, d)`` when ``P / x^offset`` is a product of cyclotomic polynomials, else None
    (:func:`esma_sympy.recurrence.approval.cyclotomic_structure` on the integer polynomial).

    ``T`` is the lcm of their orders (1 for an empty product), ``d`` the largest multiplicity
    minus one (``-1`` for an empty product: the sequence vanishes beyond its prefix).
    """
    low = [-c for c in reversed(rec.args[0])] + [S.One]  # P, low degree first
    if any(not isinstance(c, Integer) for c in low):
        return None  # the roots of a product of cyclotomics are algebraic integers
    got = cyclotomic_structure(tuple(int(c) for c in low))
    return None if got is None else got[1:]


class _Decision(int):
    """The value of :attr:`LinearRecurrence.is_quasi_polynomial`: a truth value that can also
    be called, for one release, as the method it was (``DeprecationWarning``)."""

    def __new__(cls, value: bool):
        return super().__new__(cls, bool(value))

    def __call__(self) -> bool:
        import warnings

        warnings.warn("LinearRecurrence.is_quasi_polynomial is a property now: drop the "
                      "parentheses (the call is removed in release 0.3)", DeprecationWarning,
                      stacklevel=2)
        return bool(self)

    def __repr__(self) -> str:
        return repr(bool(self))

    __str__ = __repr__


def _exponential_closed_form(rec: LinearRecurrence, n):
    """``sum A_(r,j) n^j r^n`` over the nonzero roots, prefix as ``Piecewise`` branches."""
    n0 = rec.offset
    x = Symbol("x")
    Q = Poly(rec.characteristic_poly(x).as_expr() / x**n0, x)
    basis = []
    _, facs = factor_list(Q.as_expr(), x)
    for f, e in facs:
        fp = Poly(f, x)
        rts = roots(fp, multiple=True)
        if len(rts) < fp.degree():
            rts = [CRootOf(fp, i) for i in range(fp.degree())]
        for r in rts:
            basis += [(j, r) for j in range(e)]
    vals = rec.terms(n0 + len(basis))[n0:]
    M = Matrix([[S(m) ** j * r**m for j, r in basis] for m in range(n0, n0 + len(basis))])
    A = M.LUsolve(Matrix(vals))
    expr = sum(
        (radsimp(A[i].expand()) * n**j * r**n for i, (j, r) in enumerate(basis)), S.Zero
    )
    if n0 == 0:
        return expr
    pieces = [(v, Eq(n, i)) for i, v in enumerate(rec.terms(n0))]
    return Piecewise(*pieces, (expr, True))
