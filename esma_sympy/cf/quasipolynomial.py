"""Quasi-polynomial sequences: an irregular prefix, then a period of polynomials.

Convention (pinned; see ARCHITECTURE.md): a ``QuasiPolynomial`` with prefix
``(c_0, ..., c_{n0-1})``, period ``T`` and polynomials ``P_0, ..., P_{T-1}`` in the bound index
``k`` is the sequence, indexed from ``n = 0``,

    a(n) = c_n                    for 0 <= n < n0,
    a(n0 + T*k + r) = P_r(k)      for k >= 0, 0 <= r < T.

Every integer sequence with a linear recurrence whose nonzero characteristic roots are roots of
unity has this form (theory T3.1); every ESMA hit seen in practice is quasi-*linear*.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Sequence

from flint import fmpq, fmpq_poly
from sympy import (
    Basic,
    Dummy,
    Eq,
    Float,
    Integer,
    Mod,
    Piecewise,
    Poly,
    Rational,
    S,
    Symbol,
    Tuple,
    sympify,
)

from .._args import check_int
from ..numeric.parse import sympify_safe
from .. import limits
from .._messages import shown
from ..numeric.parse import as_expr

__all__ = ["QuasiPolynomial"]

_K = Symbol("k")


def _check_real_rational(value, what: str):
    """Reject complex numbers, floats and other non-rational atoms in a coefficient."""
    if value.has(S.ImaginaryUnit):
        raise ValueError(f"{what} must be real, got {value}")
    for sym in value.free_symbols:
        if sym.is_real is False:
            raise ValueError(f"{what} must be real, got the non-real symbol {sym} in {value}")


def _sympify_index(k, name: str = "k") -> Symbol:
    k = as_expr(k, name)
    if not isinstance(k, Symbol):
        raise TypeError(f"{name} must be a Symbol, got {k!r} of type {type(k).__name__}")
    return k


class QuasiPolynomial(Basic):
    r"""An eventually quasi-polynomial sequence ``a(0), a(1), a(2), ...``.

    Explanation
    ===========

    ``QuasiPolynomial(prefix, polys, k)`` is the sequence whose first ``n0 = len(prefix)``
    terms are ``prefix`` and whose later terms are ``a(n0 + T*k + r) = polys[r](k)`` with
    period ``T = len(polys)``.  The index ``k`` is a bound symbol: it is not in
    ``free_symbols``, ``subs`` on it does nothing and ``as_dummy()`` identifies copies that
    differ only in its name.  ``==`` is structural (``2*k + 2`` and ``2*(k + 1)`` differ);
    compare values with :meth:`terms`.

    Examples
    ========

    The simple continued fraction of e is ``[2; 1, 2, 1, 1, 4, 1, 1, 6, ...]``: one prefix
    term, then period 3 with ``P_0 = 1``, ``P_1 = 2k + 2``, ``P_2 = 1``.

    >>> from sympy import Symbol
    >>> from esma_sympy import QuasiPolynomial
    >>> k = Symbol('k')
    >>> e = QuasiPolynomial([2], [1, 2*k + 2, 1], k)
    >>> e.terms(10)
    [2, 1, 2, 1, 1, 4, 1, 1, 6, 1]
    >>> e(8), e.period, e.offset
    (6, 3, 1)
    >>> QuasiPolynomial.from_terms(e.terms(30)) == e
    True
    >>> e.free_symbols
    set()

    Parameters
    ==========

    prefix : sequence of rationals
        The irregular terms ``a(0), ..., a(n0 - 1)``; may be empty.
    polys : non-empty sequence of polynomials in ``k``
        ``P_0, ..., P_{T-1}``; constants are allowed.  Coefficients must be real and rational
        (further free symbols are allowed as parameters).
    k : Symbol, optional
        The bound index of the polynomials.  Inferred when the polynomials have exactly one
        free symbol; ``Symbol('k')`` when they have none.

    See Also
    ========

    esma_sympy.SCF : signed continued fractions whose quotients may be a QuasiPolynomial.
    """

    def __new__(cls, prefix: Iterable = (), polys: Iterable = (1,), k=None):
        for what, items in (("prefix", prefix), ("polys", polys)):
            if isinstance(items, (str, bytes)) or not hasattr(items, "__iter__"):
                raise TypeError(f"{what} must be a sequence, got {type(items).__name__} "
                                f"{shown(items)}")
            if hasattr(items, "__len__") and len(items) > limits.MAX_TERMS:
                raise limits.ResourceLimitError(
                    f"{what} has {len(items)} entries, above esma_sympy.limits.MAX_TERMS = "
                    f"{limits.MAX_TERMS}")
        prefix = Tuple(*[as_expr(c, f"prefix[{i}]") for i, c in enumerate(prefix)])
        polys = Tuple(*[as_expr(p, f"polys[{i}]") for i, p in enumerate(polys)])
        for what, items in (("prefix", prefix), ("polys", polys)):
            for i, c in enumerate(items):
                if c.has(Float):
                    raise ValueError(f"{what}[{i}] = {c} must be exact, not a Float (write "
                                     f"Rational(1, 2) or '1/2' for 0.5)")
        if len(polys) == 0:
            raise ValueError("polys must contain at least one polynomial (the period is len(polys)), got ()")
        if k is None:
            syms = set().union(*[p.free_symbols for p in polys])
            if len(syms) > 1:
                raise ValueError(
                    f"k must be given when the polynomials have several free symbols {sorted(map(str, syms))}"
                )
            k = syms.pop() if syms else _K
        k = _sympify_index(k)
        for i, c in enumerate(prefix):
            if k in c.free_symbols:
                raise ValueError(f"prefix[{i}] = {c} must not depend on the index {k}")
            _check_real_rational(c, f"prefix[{i}]")
        for r, p in enumerate(polys):
            limits.check_degree(p, k, f"polys[{r}]")
            if not p.is_polynomial(k):
                raise ValueError(f"polys[{r}] = {p} is not a polynomial in {k}")
            _check_real_rational(p, f"polys[{r}]")
        return Basic.__new__(cls, prefix, polys, k)

    # -- structure -------------------------------------------------------------------------

    @property
    def prefix(self) -> tuple:
        """The irregular prefix ``(a(0), ..., a(n0 - 1))``."""
        return tuple(self.args[0])

    @property
    def polys(self) -> tuple:
        """The polynomials ``(P_0, ..., P_{T-1})`` in :attr:`index`."""
        return tuple(self.args[1])

    @property
    def index(self) -> Symbol:
        """The bound index symbol ``k`` of the polynomials."""
        return self.args[2]

    @property
    def period(self) -> int:
        """The period ``T``."""
        return len(self.args[1])

    @property
    def offset(self) -> int:
        """The length ``n0`` of the irregular prefix."""
        return len(self.args[0])

    @property
    def degree(self) -> int:
        """The largest degree of the polynomials (``0`` for constants)."""
        return max(Poly(p, self.index).degree() if p != 0 else 0 for p in self.polys)

    @property
    def bound_symbols(self):
        return [self.index]

    @property
    def free_symbols(self):
        syms = set()
        for c in self.args[0]:
            syms |= c.free_symbols
        for p in self.args[1]:
            syms |= p.free_symbols
        return syms - {self.index}

    def _eval_subs(self, old, new):
        k = self.index
        if old == k:
            return self
        if k in sympify_safe(new).free_symbols:
            # rename the bound index first so that it cannot capture the new value
            d = Dummy(k.name)
            return QuasiPolynomial(
                [c.subs(old, new) for c in self.prefix],
                [p.xreplace({k: d}).subs(old, new) for p in self.polys],
                d,
            )
        return None

    # -- values ----------------------------------------------------------------------------

    def __call__(self, n):
        """The term ``a(n)`` for an integer ``n >= 0`` (a SymPy number or expression)."""
        n = _as_index(n, "n")
        n0, T = self.offset, self.period
        if n < n0:
            return self.prefix[n]
        k, r = divmod(n - n0, T)
        return self.polys[r].xreplace({self.index: Integer(k)}).expand()

    def terms(self, N: int) -> list:
        """The first ``N`` terms ``[a(0), ..., a(N - 1)]`` as SymPy numbers.

        >>> from sympy.abc import k
        >>> QuasiPolynomial([0], [k + 1], k).terms(5)
        [0, 1, 2, 3, 4]
        """
        N = _as_index(N, "N")
        limits.check_terms(N, "N")
        if self.free_symbols:
            return [self(n) for n in range(N)]
        return [Rational(int(v.p), int(v.q)) for v in _fmpq_terms(self, 0, N)]

    def closed_form(self, n=None):
        """``a(n)`` as a SymPy expression in ``n`` (a ``Piecewise`` over residues mod ``T``).

        >>> from sympy.abc import k, n
        >>> QuasiPolynomial([], [2*k + 3, 2], k).closed_form(n)
        Piecewise((n + 3, Eq(Mod(n, 2), 0)), (2, Eq(Mod(n, 2), 1)))
        """
        if n is None:
            n = Symbol("n", integer=True, nonnegative=True)
        n = sympify_safe(n)
        n0, T = self.offset, self.period
        m = n - n0
        pieces = [(c, Eq(n, i)) for i, c in enumerate(self.prefix)]
        for r, p in enumerate(self.polys):
            kk = (m - r) / T
            pieces.append((p.xreplace({self.index: kk}).expand(), Eq(Mod(m, T), r)))
        if isinstance(n, Integer) or (n.is_number and n.is_integer):
            return self(int(n))
        return Piecewise(*pieces)

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def from_terms(
        cls,
        terms: Sequence,
        period: int | None = None,
        prefix: int | None = None,
        *,
        max_period: int = 8,
        max_prefix: int = 8,
        max_degree: int | None = None,
        k=None,
    ) -> "QuasiPolynomial":
        """Fit a quasi-polynomial to given terms, verified on every given term.

        Explanation
        ===========

        For each residue class the polynomial of least degree through its samples is found by
        divided differences (exact rationals).  With ``period`` and ``prefix`` given, the fit
        is accepted when every class has a polynomial of degree ``<= max_degree`` (default: no
        limit beyond the number of samples).  When ``period`` (or ``prefix``) is ``None`` the
        smallest ``T <= max_period`` (then the smallest ``n0 <= max_prefix``) is chosen for
        which every residue class is confirmed by at least two samples beyond those its
        polynomial interpolates; this makes the choice meaningful rather than an
        interpolation artefact.  ``ValueError`` if nothing fits.

        Examples
        ========

        >>> QuasiPolynomial.from_terms([1, 2, 4, 1, 6, 8, 1, 10, 12, 1, 14, 16])
        QuasiPolynomial((), (1, 4*k + 2, 4*k + 4), k)
        >>> QuasiPolynomial.from_terms([7, 2, 1, 1, 3, 18], period=5, prefix=1)
        QuasiPolynomial((7,), (2, 1, 1, 3, 18), k)
        """
        vals = [_to_fmpq(t, f"terms[{i}]") for i, t in enumerate(terms)]
        if not vals:
            raise ValueError("terms must not be empty")
        k = _K if k is None else _sympify_index(k)
        periods = [period] if period is not None else range(1, max_period + 1)
        for T in periods:
            T = _as_index(T, "period")
            if T < 1:
                raise ValueError(f"period must be >= 1, got {T}")
            prefixes = [prefix] if prefix is not None else range(0, max_prefix + 1)
            for n0 in prefixes:
                n0 = _as_index(n0, "prefix")
                if n0 > len(vals):
                    break
                strict = period is None or prefix is None
                fit = _fit_residues(vals, n0, T, max_degree, 2 if strict else 0)
                if fit is not None:
                    pre = [Rational(int(v.p), int(v.q)) for v in vals[:n0]]
                    return cls(pre, [_fmpq_poly_to_expr(p, k) for p in fit], k)
        raise ValueError(
            f"no quasi-polynomial fits the {len(vals)} given terms with period={period}, "
            f"prefix={prefix}, max_period={max_period}, max_prefix={max_prefix}, "
            f"max_degree={max_degree}"
        )


# -- helpers (module level: derived data is memoised outside the immutable instance) -------


def _as_index(n, name: str) -> int:
    return check_int(n, name, 0)


def _to_fmpq(v, what: str) -> fmpq:
    if isinstance(v, fmpq):
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return fmpq(v)
    v = sympify_safe(v)
    if not isinstance(v, Rational):
        raise TypeError(f"{what} must be a rational number, got {v!r}")
    return fmpq(int(v.p), int(v.q))


def _expr_to_fmpq_poly(expr, k) -> fmpq_poly:
    coeffs = Poly(expr, k).all_coeffs()[::-1]
    return fmpq_poly([_to_fmpq(c, f"coefficient of {expr}") for c in coeffs])


def _fmpq_poly_to_expr(p: fmpq_poly, k):
    return sum((Rational(int(c.p), int(c.q)) * k**i for i, c in enumerate(p.coeffs())), S.Zero)


@lru_cache(maxsize=1024)
def _flint_polys(qp: QuasiPolynomial) -> tuple:
    if qp.free_symbols:
        raise ValueError(f"{qp} has free parameters {sorted(map(str, qp.free_symbols))}; give them values first")
    pre = tuple(_to_fmpq(c, f"prefix[{i}]") for i, c in enumerate(qp.prefix))
    polys = tuple(_expr_to_fmpq_poly(p, qp.index) for p in qp.polys)
    return pre, polys


def _fmpq_terms(qp: QuasiPolynomial, start: int, stop: int) -> list:
    """Terms ``a(start), ..., a(stop - 1)`` as ``fmpq`` (fast path, no SymPy)."""
    pre, polys = _flint_polys(qp)
    n0, T = len(pre), len(polys)
    out = []
    n = start
    while n < min(stop, n0):
        out.append(pre[n])
        n += 1
    if n >= stop:
        return out
    # walk residue by residue: a(n0 + T*k + r)
    m = n - n0
    k, r = divmod(m, T)
    count = stop - n
    for _ in range(count):
        out.append(polys[r](k))
        r += 1
        if r == T:
            r = 0
            k += 1
    return out


def _divided_differences(xs: list, ys: list) -> list:
    """Newton coefficients of the interpolant through (xs, ys), exact."""
    coef = list(ys)
    n = len(xs)
    for j in range(1, n):
        for i in range(n - 1, j - 1, -1):
            coef[i] = (coef[i] - coef[i - 1]) / (xs[i] - xs[i - j])
    return coef


def _least_degree_poly(ys: list, max_degree, checks: int):
    """The polynomial P of least degree with P(k) = ys[k]; None when its degree is too high.

    ``checks`` extra samples beyond the interpolated ones are required.
    """
    xs = [fmpq(i) for i in range(len(ys))]
    coef = _divided_differences(xs, ys)
    deg = max((i for i, c in enumerate(coef) if c != 0), default=0)
    if max_degree is not None and deg > max_degree:
        return None
    if len(ys) < deg + 1 + checks:
        return None
    # convert Newton form to monomial form
    p = fmpq_poly([0])
    for i in range(deg, -1, -1):
        p = p * fmpq_poly([-xs[i], 1]) + coef[i]
    return p


def _fit_residues(vals: list, n0: int, T: int, max_degree, checks: int):
    body = vals[n0:]
    if len(body) < T:
        return None
    out = []
    for r in range(T):
        ys = body[r::T]
        p = _least_degree_poly(ys, max_degree, checks)
        if p is None:
            return None
        out.append(p)
    return out
