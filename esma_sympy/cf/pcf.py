"""Polynomial continued fractions as SymPy expressions.

Convention (pinned, never changed silently): ``PCF(a, b, n)`` is

    a(0) + b(1)/(a(1) + b(2)/(a(2) + b(3)/(a(3) + ...)))

so ``a`` is evaluated at ``n = 0, 1, 2, ...`` and ``b`` at ``n = 1, 2, 3, ...``: ``b(n)`` is the
numerator that sits *above* ``a(n)``.  Convergents ``p_n/q_n`` obey
``p_n = a(n) p_{n-1} + b(n) p_{n-2}`` with ``p_{-1} = 1, q_{-1} = 0, p_0 = a(0), q_0 = 1``.
"""

from __future__ import annotations

from functools import lru_cache

from flint import fmpq, fmpq_poly
from sympy import Expr, Float, Poly, Symbol, sympify, together
from sympy.printing.pretty.stringpict import prettyForm, stringPict

from ..numeric.polyineq import first_index_from_which
from ..numeric.walk import poly_values
from .base import ContinuedFraction
from .quasipolynomial import _check_real_rational, _sympify_index, _to_fmpq

__all__ = ["PCF"]

_N = Symbol("n")


def _infer_index(exprs, n, who: str):
    if n is not None:
        return _sympify_index(n, "n")
    syms = set().union(*[e.free_symbols for e in exprs])
    if len(syms) > 1:
        raise ValueError(
            f"{who}: the index n must be given when a and b have several free symbols "
            f"{sorted(map(str, syms))}"
        )
    return syms.pop() if syms else _N


class PCF(ContinuedFraction):
    r"""A polynomial continued fraction ``a(0) + b(1)/(a(1) + b(2)/(a(2) + ...))``.

    Explanation
    ===========

    ``a`` and ``b`` are polynomials (or rational functions) in the bound index ``n`` with real
    rational coefficients; other symbols are parameters.  The index is bound: ``free_symbols``
    excludes it, ``subs`` on it does nothing and ``as_dummy()`` identifies renamed copies.
    ``==`` is structural; mathematical equivalence is a separate question.  The constructor only
    validates: it never simplifies or evaluates.

    Examples
    ========

    The golden ratio and Brouncker's formula pin the index convention: ``b(n)`` sits above
    ``a(n)``.

    >>> from sympy import N, pi, GoldenRatio
    >>> from sympy.abc import n, k
    >>> from esma_sympy import PCF
    >>> phi = PCF(1, 1)                         # 1 + 1/(1 + 1/(1 + ...))
    >>> phi.convergents(5)
    [1, 2, 3/2, 5/3, 8/5, 13/8]
    >>> brouncker = PCF(2*n + 1, n**2, n)       # 1 + 1/(3 + 4/(5 + 9/(7 + ...))) = 4/pi
    >>> brouncker.convergent(2)                  # 1 + 1/(3 + 4/5)
    24/19
    >>> N(PCF(n + 3, -n, n), 30)                 # e = 3 - 1/(4 - 2/(5 - 3/(6 - ...)))
    2.71828182845904523536028747135
    >>> PCF(k**2, k, k) == PCF(n**2, n, n), PCF(k**2, k, k).as_dummy() == PCF(n**2, n, n).as_dummy()
    (False, True)
    >>> PCF(2*n + 1, n**2, n).free_symbols
    set()

    Parameters
    ==========

    a, b : expressions
        The partial denominators ``a(n)`` (``n >= 0``) and numerators ``b(n)`` (``n >= 1``).
    n : Symbol, optional
        The index; inferred when ``a`` and ``b`` have one free symbol between them.

    See Also
    ========

    esma_sympy.SCF
    """

    def __new__(cls, a, b, n=None):
        a, b = sympify(a), sympify(b)
        n = _infer_index([a, b], n, "PCF")
        for name, e in (("a", a), ("b", b)):
            if not isinstance(e, Expr):
                raise TypeError(f"{name} must be an expression, got {e!r}")
            if e.has(Float):
                raise ValueError(f"{name} = {e} must have exact coefficients, not Floats")
            if not e.is_rational_function(n):
                raise ValueError(f"{name} = {e} must be a polynomial or rational function of {n}")
            _check_real_rational(e, name)
        if together(b).as_numer_denom()[0].expand() == 0:
            raise ValueError(f"b = {b} is identically zero: the continued fraction would stop at a(0)")
        return Expr.__new__(cls, a, b, n)

    @property
    def a(self) -> Expr:
        """The partial denominator ``a(n)``."""
        return self.args[0]

    @property
    def b(self) -> Expr:
        """The partial numerator ``b(n)``."""
        return self.args[1]

    @property
    def index(self) -> Symbol:
        """The bound index ``n``."""
        return self.args[2]

    @property
    def bound_symbols(self):
        return [self.index]

    @property
    def free_symbols(self):
        return (self.a.free_symbols | self.b.free_symbols) - {self.index}

    def _eval_subs(self, old, new):
        n = self.index
        if old == n:
            return self
        if n in sympify(new).free_symbols:
            from sympy import Dummy

            d = Dummy(n.name)
            return PCF(self.a.xreplace({n: d}).subs(old, new), self.b.xreplace({n: d}).subs(old, new), d)
        return None

    def degrees(self) -> tuple:
        """``(deg a, deg b)`` for polynomial ``a, b``.

        >>> from sympy.abc import n
        >>> PCF(34*n**3 + 51*n**2 + 27*n + 5, -n**6, n).degrees()
        (3, 6)
        """
        return (Poly(self.a, self.index).degree(), Poly(self.b, self.index).degree())

    def as_matrix(self):
        """The step matrix ``M(n)`` of the walk (see :func:`esma_sympy.as_matrix`, theory T4.6).

        >>> from sympy.abc import n
        >>> PCF(2*n + 1, n**2, n).as_matrix()
        Matrix([
        [2*n + 1, 1],
        [   n**2, 0]])
        """
        from ..transforms import as_matrix

        return as_matrix(self)

    # -- hooks for ContinuedFraction ------------------------------------------------------------
    def _sym_a(self, k):
        return self.a.xreplace({self.index: k})

    def _sym_b(self, k):
        return self.b.xreplace({self.index: k})

    def _a0(self):
        polys = _pcf_polys(self)
        if polys[0] is not None:
            v = polys[0](0)
        else:
            v = _to_fmpq(self.a.xreplace({self.index: 0}), "a(0)")
        return int(v) if v.q == 1 else v

    def _ab(self, start: int, stop: int):
        count = stop - start
        pa, pb = _pcf_polys(self)
        if pa is not None and pb is not None:
            return poly_values(pa, start, count), poly_values(pb, start, count)
        av, bv = [], []
        for k in range(start, stop):
            x = self.a.xreplace({self.index: k})
            y = self.b.xreplace({self.index: k})
            try:
                av.append(_to_fmpq(x, f"a({k})"))
                bv.append(_to_fmpq(y, f"b({k})"))
            except TypeError:
                raise ValueError(f"a or b is undefined at n = {k} (a({k}) = {x}, b({k}) = {y})") from None
        return av, bv

    def _tail_start(self):
        return _tail_analysis(self)[0]

    def _no_tail_reason(self):
        return _tail_analysis(self)[1]

    def _tail(self, depth: int):
        start, _reason, pos_start, w_start = _tail_analysis(self)
        if start is None or depth < start:
            return None
        pa, pb = _pcf_polys(self)
        a1, b1 = pa(depth + 1), pb(depth + 1)
        if pos_start is not None and depth >= pos_start:
            return fmpq(0), b1 / a1, "positive tail"
        if w_start is not None and depth >= w_start and a1 != 0:
            beta = b1 / a1
            lo, hi = beta * fmpq(2, 3), beta * 2
            return (lo, hi, "Worpitzky") if lo <= hi else (hi, lo, "Worpitzky")
        return None

    # -- printing -----------------------------------------------------------------------------
    def _latex(self, printer):
        n = self.index
        a0 = printer._print(self.a.xreplace({n: 0}))
        return (rf"{a0} + \mathop{{\mathrm{{K}}}}_{{{printer._print(n)}=1}}^{{\infty}} "
                rf"\frac{{{printer._print(self.b)}}}{{{printer._print(self.a)}}}")

    def _pretty(self, printer):
        n = self.index
        num, den = printer._print(self.b), printer._print(self.a)
        frac = prettyForm(*stringPict.stack(num, stringPict.LINE, den))
        frac.baseline = num.height()
        lim = prettyForm(f"{n}=1")
        k = prettyForm(*stringPict.stack(prettyForm("oo" if not printer._use_unicode else "\N{INFINITY}"),
                                         prettyForm("K"), lim))
        k.baseline = 1
        body = prettyForm(*k.right(" ", frac))
        body.baseline = max(k.baseline, frac.baseline)
        a0 = printer._print(self.a.xreplace({n: 0}))
        return prettyForm(*prettyForm(*a0.right(" + ")).right(body))

    def to_latex(self, cfrac: int = 0) -> str:
        r"""LaTeX in Gauss' K-notation, or with ``cfrac > 0`` as ``\cfrac`` levels.

        >>> from sympy.abc import n
        >>> print(PCF(n + 3, -n, n).to_latex(cfrac=2))
        3 - \cfrac{1}{4 - \cfrac{2}{5 + \dotsb}}
        """
        from sympy import latex

        if not cfrac:
            return latex(self)
        n = self.index
        out = latex(self.a.xreplace({n: 0}))
        closing = ""
        for k in range(1, cfrac + 1):
            bk = self.b.xreplace({n: k})
            ak = self.a.xreplace({n: k})
            neg = bk.is_number and bk.is_negative
            op = "-" if neg else "+"
            out += rf" {op} \cfrac{{{latex(-bk if neg else bk)}}}{{{latex(ak)}"
            closing += "}"
        return out + r" + \dotsb" + closing


@lru_cache(maxsize=1024)
def _pcf_polys(pcf: PCF):
    """``(a, b)`` as ``fmpq_poly`` when both are polynomials with rational coefficients."""
    n = pcf.index
    out = []
    for e in (pcf.a, pcf.b):
        if e.free_symbols - {n} or not e.is_polynomial(n):
            out.append(None)
            continue
        coeffs = Poly(e, n).all_coeffs()[::-1]
        out.append(fmpq_poly([_to_fmpq(c, "coefficient") for c in coeffs]))
    return tuple(out)


@lru_cache(maxsize=1024)
def _tail_analysis(pcf: PCF):
    """``(start, reason, positive_start, worpitzky_start)`` of the certified tail bounds.

    positive tail (theory T1.4): a(m) > 0 and b(m) > 0 for m >= n+1 and deg b <= 2 deg a
    (then the tail converges by Seidel-Stern and tau lies in [0, b(n+1)/a(n+1)]).
    Worpitzky (theory T1.5): 4|b(m)| <= a(m-1) a(m) for m >= n+2 and a(n+1) != 0 (then the
    tail tau lies in b(n+1)/a(n+1) * [2/3, 2]).
    """
    pa, pb = _pcf_polys(pcf)
    if pa is None or pb is None:
        return None, "a and b must be polynomials with rational coefficients for a tail bound", None, None
    pos = None
    da, db = max(pa.degree(), 0), max(pb.degree(), 0)
    if db <= 2 * da:
        na = first_index_from_which(pa, strict=True)
        nb = first_index_from_which(pb, strict=True)
        if na is not None and nb is not None:
            pos = max(na, nb, 1) - 1
    w = None
    g = pa(fmpq_poly([-1, 1])) * pa
    n1 = first_index_from_which(g - 4 * pb)
    n2 = first_index_from_which(g + 4 * pb)
    n3 = first_index_from_which(g, strict=True)
    if None not in (n1, n2, n3):
        w = max(n1, n2, n3, 2) - 2
    cands = [s for s in (pos, w) if s is not None]
    if not cands:
        return (None, "neither the positive-tail (Seidel-Stern) nor Worpitzky's condition holds "
                "for all large n", None, None)
    return min(cands), None, pos, w
