"""The algebra engine: one exact representation for every transform (theory T4.12).

A fraction's coefficients live in the ring ``Q[params][n]``, represented as python-flint
``fmpq_mpoly`` in the generators ``(n, p_1, ..., p_m)`` (``n`` the fraction's bound index,
``p_i`` its free parameters, in a fixed order).  Rational functions are pairs of such
polynomials with a gcd-free, normalised denominator (:class:`RF`).  Every transform (inflation,
deflation, contraction, fold, Möbius maps, coboundaries) is arithmetic in this ring; SymPy
expressions are built only by :meth:`Ring.expr`, when a result is handed back to the user.

Which symbol is the index is never guessed here: a :class:`Ring` is made from the fraction's
bound index and the sorted free symbols of its coefficients.
"""

from __future__ import annotations

from math import gcd as _igcd

from flint import fmpq, fmpq_mpoly, fmpq_mpoly_ctx, fmpz
from sympy import Poly, QQ, Rational, S, Symbol, together
from sympy.polys.polyerrors import CoercionFailed, GeneratorsNeeded, PolynomialError

__all__: list = []


class Ring:
    """``Q[params][n]``: ``fmpq_mpoly`` in the generators ``(n, *params)`` (lex order, ``n`` first).

    >>> from sympy import Symbol
    >>> n, c = Symbol('n'), Symbol('c')
    >>> R = Ring(n, (c,))
    >>> P = R.poly(n**2 + c*n, 'a')
    >>> R.expr(R.shift(P, 1))
    c*n + c + n**2 + 2*n + 1
    """

    __slots__ = ("index", "params", "symbols", "ctx", "gens", "n", "one", "zero", "_shift_cache")

    _cache: dict = {}

    def __new__(cls, index: Symbol, params: tuple = ()):
        key = (index, tuple(params))
        r = cls._cache.get(key)
        if r is not None:
            return r
        self = object.__new__(cls)
        self.index = index
        self.params = tuple(params)
        self.symbols = (index,) + self.params
        names = tuple(f"x{i}" for i in range(len(self.symbols)))
        self.ctx = fmpq_mpoly_ctx.get(names, "lex")
        self.gens = self.ctx.gens()
        self.n = self.gens[0]
        self.one = self.ctx.from_dict({(0,) * len(names): 1})
        self.zero = self.ctx.from_dict({})
        self._shift_cache = {}
        if len(cls._cache) > 256:
            cls._cache.clear()
        cls._cache[key] = self
        return self

    @classmethod
    def of(cls, index: Symbol, *exprs) -> "Ring":
        """The ring of ``exprs`` with bound index ``index`` (parameters: the other symbols, sorted)."""
        syms = set()
        for e in exprs:
            syms |= getattr(e, "free_symbols", set())
        syms.discard(index)
        return cls(index, tuple(sorted(syms, key=lambda s: (s.name, str(s.assumptions0)))))

    @property
    def has_params(self) -> bool:
        return bool(self.params)

    def const(self, v) -> fmpq_mpoly:
        return self.one * v

    # -- conversion at the boundary -------------------------------------------------------
    def poly(self, e, name: str) -> fmpq_mpoly:
        """A polynomial expression as an element of the ring (``ValueError`` naming ``name``)."""
        num, den = self.ratfunc(e, name)
        if not den.is_constant():
            raise ValueError(f"{name} = {e} must be a polynomial in {self.index}, got a rational function")
        return num / den

    def ratfunc(self, e, name: str) -> tuple:
        """``(num, den)`` in the ring with ``e = num/den`` (coprime, ``den`` normalised)."""
        if isinstance(e, (int, Rational)) or getattr(e, "is_Rational", False):
            r = Rational(e)
            return self.const(fmpq(int(r.p), int(r.q))), self.one
        try:
            try:  # a polynomial (the common case) converts without `together`
                return self._from_poly(e), self.one
            except (PolynomialError, CoercionFailed, GeneratorsNeeded):
                pass
            num, den = together(e).as_numer_denom()
            P = self._from_poly(num)
            Q = self._from_poly(den)
        except (PolynomialError, CoercionFailed, GeneratorsNeeded, TypeError) as exc:
            raise ValueError(
                f"{name} = {e} must be a polynomial (or rational function) in {self.index} with "
                f"rational coefficients"
                + (f" and the parameters {', '.join(map(str, self.params))}" if self.params else "")
                + f" ({type(exc).__name__})"
            ) from None
        if Q.is_zero():
            raise ValueError(f"{name} = {e} has a zero denominator")
        return rf_reduce(P, Q)

    def _from_poly(self, e) -> fmpq_mpoly:
        P = Poly(e, *self.symbols, domain=QQ)
        d = {}
        for m, c in P.terms():
            c = QQ.to_sympy(c) if not isinstance(c, Rational) else c
            c = Rational(c)
            d[m] = fmpq(int(c.p), int(c.q))
        return self.ctx.from_dict(d)

    def expr(self, P: fmpq_mpoly):
        """The SymPy expression of a ring element."""
        d = P.to_dict()
        if not d:
            return S.Zero
        syms = self.symbols
        terms = []
        for m, c in d.items():
            t = Rational(int(c.p), int(c.q))
            for s, e in zip(syms, m):
                if e:
                    t = t * s**e
            terms.append(t)
        from sympy import Add

        return Add(*terms)

    def rf_expr(self, num: fmpq_mpoly, den: fmpq_mpoly):
        if den.is_one():
            return self.expr(num)
        return self.expr(num) / self.expr(den)

    # -- index operations -----------------------------------------------------------------
    def shift(self, P: fmpq_mpoly, k: int) -> fmpq_mpoly:
        """``P(n + k)``."""
        if k == 0 or P.is_constant():
            return P
        if P.degrees()[0] == 0:
            return P
        return P.compose(self.n + k, *self.gens[1:])

    def affine(self, P: fmpq_mpoly, mul: int, add: int) -> fmpq_mpoly:
        """``P(mul*n + add)``."""
        if P.is_constant() or P.degrees()[0] == 0:
            return P
        return P.compose(self.n * mul + add, *self.gens[1:])

    def at(self, P: fmpq_mpoly, v) -> fmpq_mpoly:
        """``P(n = v)``: an element without ``n`` (a polynomial in the parameters)."""
        if P.is_constant() or P.degrees()[0] == 0:
            return P
        return P.compose(self.const(v), *self.gens[1:])

    def deg(self, P: fmpq_mpoly) -> int:
        """Degree in ``n`` (``-1`` for zero)."""
        if P.is_zero():
            return -1
        return P.degrees()[0]

    def is_numeric(self, P: fmpq_mpoly) -> bool:
        """Whether ``P`` involves no parameter."""
        return not self.params or all(d == 0 for d in P.degrees()[1:])

    def constant_value(self, P: fmpq_mpoly) -> fmpq:
        """The value of a constant element."""
        d = P.to_dict()
        return next(iter(d.values())) if d else fmpq(0)


# -- rational functions -------------------------------------------------------------------

def _normalise_den(P: fmpq_mpoly, Q: fmpq_mpoly) -> tuple:
    lc = Q.leading_coefficient()
    if lc != 1:
        P, Q = P / lc, Q / lc
    return P, Q


def rf_reduce(P: fmpq_mpoly, Q: fmpq_mpoly) -> tuple:
    """``P/Q`` in lowest terms with ``Q``'s leading coefficient 1."""
    if P.is_zero():
        return P, Q.context().from_dict({(0,) * Q.context().nvars(): 1})
    if not Q.is_constant():
        g = P.gcd(Q)
        if not g.is_one():
            P, Q = P / g, Q / g
    return _normalise_den(P, Q)


class RF:
    """An element of ``Q(params)(n)`` as a reduced pair of ring elements."""

    __slots__ = ("num", "den")

    def __init__(self, num: fmpq_mpoly, den: fmpq_mpoly | None = None, *, reduced: bool = False):
        if den is None:
            self.num, self.den = num, num.context().from_dict({(0,) * num.context().nvars(): 1})
        elif reduced:
            self.num, self.den = num, den
        else:
            self.num, self.den = rf_reduce(num, den)

    def is_zero(self) -> bool:
        return self.num.is_zero()

    def __add__(self, o: "RF") -> "RF":
        if self.den == o.den:
            return RF(self.num + o.num, self.den)
        return RF(self.num * o.den + o.num * self.den, self.den * o.den)

    def __sub__(self, o: "RF") -> "RF":
        if self.den == o.den:
            return RF(self.num - o.num, self.den)
        return RF(self.num * o.den - o.num * self.den, self.den * o.den)

    def __neg__(self) -> "RF":
        return RF(-self.num, self.den, reduced=True)

    def __mul__(self, o: "RF") -> "RF":
        return RF(self.num * o.num, self.den * o.den)

    def __truediv__(self, o: "RF") -> "RF":
        if o.num.is_zero():
            raise ZeroDivisionError("division by a zero rational function")
        return RF(self.num * o.den, self.den * o.num)

    def __eq__(self, o) -> bool:
        return isinstance(o, RF) and self.num * o.den == o.num * self.den

    def __hash__(self):  # pragma: no cover - RFs are not used as keys
        raise TypeError("RF is unhashable")

    def __repr__(self) -> str:
        return f"RF({self.num}, {self.den})"


# -- divisibility, factors, integer roots --------------------------------------------------

def divides(f: fmpq_mpoly, A: fmpq_mpoly) -> bool:
    """Whether ``f | A`` in the ring."""
    if A.is_zero():
        return True
    if f.is_constant():
        return not f.is_zero()
    return divmod(A, f)[1].is_zero()


def factors(P: fmpq_mpoly) -> list:
    """The irreducible non-constant factors of ``P`` with multiplicity."""
    if P.is_constant():
        return []
    return P.factor()[1]


def nonvanishing(R: Ring, P: fmpq_mpoly, start: int) -> tuple:
    """``(ok, conditions)``: ``ok`` is False when ``P`` vanishes identically or has an integer
    root ``n >= start`` for every value of the parameters; ``conditions`` are the factors
    involving parameters, which must be nonzero at every ``n >= start`` (a generic condition)."""
    if P.is_zero():
        return False, ()
    conds = []
    for f, _m in factors(P):
        if R.is_numeric(f):
            if f.degrees()[0] == 1:
                d = f.to_dict()
                c1 = d.get((1,) + (0,) * (len(R.symbols) - 1), fmpq(0))
                c0 = d.get((0,) * len(R.symbols), fmpq(0))
                r = -c0 / c1
                if r.q == 1 and int(r.p) >= start:
                    return False, ()
        else:
            conds.append(f)
    return True, tuple(conds)


def common_factor(R: Ring, A: fmpq_mpoly, B: fmpq_mpoly) -> fmpq_mpoly:
    """The greedy maximal admissible factor ``c`` (``c | A``, ``c(n) c(n-1) | B``, and ``c(n)``
    nonzero at every index ``n >= 0`` as T4.1 needs; theory T4.2), over every irreducible factor
    of ``A`` of positive degree in ``n`` *or* in the parameters; normalised with leading
    coefficient 1.  (``PCF(n**2, n - n**2)`` has ``n | a`` and ``n (n - 1) | b``, but ``n``
    vanishes at ``n = 0``: no factor.)"""
    c = R.one
    if A.is_zero() or B.is_constant():
        return c
    # an admissible f divides gcd(A, B): nothing to do when that gcd is a constant
    if A.gcd(B).is_constant():
        return c
    cand = []
    for f, m in factors(A):
        if R.is_numeric(f) and not nonvanishing(R, f, 0)[0]:
            continue                     # a zero at an index: not an equivalence (T4.1)
        lc = f.leading_coefficient()
        if lc != 1:
            f = f / lc
        cand.append([f, m, f * R.shift(f, -1)])
    changed = True
    while changed:
        changed = False
        for entry in cand:
            f, m, ff = entry
            if m > 0 and divides(ff, B):
                B, c = B / ff, c * f
                entry[1] = m - 1
                changed = True
    return c


def _content(P: fmpq_mpoly) -> tuple:
    """``(lcm of denominators, gcd of numerators)`` of ``P``'s coefficients."""
    L, G = 1, 0
    for c in P.to_dict().values():
        q = int(c.q)
        L = L * q // _igcd(L, q)
    for c in P.to_dict().values():
        G = _igcd(G, int(c.p) * (L // int(c.q)))
    return L, G


def _vp(x: int, p: int) -> int:
    e = 0
    while x % p == 0:
        x //= p
        e += 1
    return e


def _largest_admissible_integer(g_a: int, g_b: int) -> int:
    """The largest ``d`` with ``d | g_a`` and ``d² | g_b`` (``g_a = 0``: only ``d² | g_b``)."""
    if g_b == 0:
        return abs(g_a) or 1
    base = _igcd(g_a, g_b) if g_a else g_b
    d = 1
    for p, _e in fmpz(abs(base)).factor():
        p = int(p)
        e = _vp(g_b, p) // 2
        if g_a:
            e = min(e, _vp(g_a, p))
        d *= p ** e
    return d


def normalizing_constant(R: Ring, A: fmpq_mpoly, B: fmpq_mpoly) -> fmpq:
    """The rational ``κ`` making ``(κ A, κ² B)`` integral, primitive (no ``d > 1`` with ``d | A``
    and ``d² | B``) with a positive leading coefficient of ``A`` (theory T4.3)."""
    la, ga = _content(A) if not A.is_zero() else (1, 0)
    lb, _gb = _content(B)
    L = la
    while (L * L) % lb:
        L += la
    # contents after scaling by L
    ia = [c * L for c in A.to_dict().values()]
    ib = [c * L * L for c in B.to_dict().values()]
    g_a = 0
    for c in ia:
        g_a = _igcd(g_a, int(c.p))
    g_b = 0
    for c in ib:
        g_b = _igcd(g_b, int(c.p))
    d = _largest_admissible_integer(g_a, g_b)
    k = fmpq(L, d)
    lead = A.leading_coefficient() if not A.is_zero() else fmpq(1)
    if lead < 0:
        k = -k
    return k


# -- 2x2 matrices over the ring -----------------------------------------------------------

def mat_mul(X, Y):
    return ((X[0][0] * Y[0][0] + X[0][1] * Y[1][0], X[0][0] * Y[0][1] + X[0][1] * Y[1][1]),
            (X[1][0] * Y[0][0] + X[1][1] * Y[1][0], X[1][0] * Y[0][1] + X[1][1] * Y[1][1]))


def mat_det(X):
    return X[0][0] * X[1][1] - X[0][1] * X[1][0]
