"""Polynomial continued fractions as SymPy expressions.

Convention (pinned, never changed silently): ``PCF(a, b, n)`` is

    a(0) + b(1)/(a(1) + b(2)/(a(2) + b(3)/(a(3) + ...)))

so ``a`` is evaluated at ``n = 0, 1, 2, ...`` and ``b`` at ``n = 1, 2, 3, ...``: ``b(n)`` is the
numerator that sits *above* ``a(n)``.  Convergents ``p_n/q_n`` obey
``p_n = a(n) p_{n-1} + b(n) p_{n-2}`` with ``p_{-1} = 1, q_{-1} = 0, p_0 = a(0), q_0 = 1``.
"""

from __future__ import annotations

from functools import lru_cache

from flint import fmpq, fmpq_mat, fmpq_poly
from sympy import Expr, Float, Integer, Poly, Symbol, sympify, together
from sympy.printing.pretty.stringpict import prettyForm, stringPict

from .._args import check_int, renamed_keyword
from .. import limits
from ..numeric.parse import sympify_safe
from ..numeric.polyineq import first_index_from_which
from ..numeric.walk import poly_values
from .base import ContinuedFraction, _register_evalf
from .quasipolynomial import _check_real_rational, _sympify_index, _to_fmpq

from ..numeric.parse import as_expr

__all__ = ["PCF"]

_N = Symbol("n")


def _sympify_arg(value, name: str):
    # strings through the whitelist parser, never sympify (which runs Python)
    return as_expr(value, name)


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
        a, b = _sympify_arg(a, "a"), _sympify_arg(b, "b")
        n = _infer_index([a, b], n, "PCF")
        for name, e in (("a", a), ("b", b)):
            if not isinstance(e, Expr):
                raise TypeError(f"{name} must be an expression, got {e!r}")
            if e.has(Float):
                raise ValueError(f"{name} = {e} must have exact coefficients, not Floats")
            limits.check_degree(e, n, name)
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
        if n in sympify_safe(new).free_symbols:
            from sympy import Dummy

            d = Dummy(n.name)
            return PCF(self.a.xreplace({n: d}).subs(old, new), self.b.xreplace({n: d}).subs(old, new), d)
        return None

    def _degree(self) -> int:
        return max(max(limits._degree_bound(self.a, self.index)),
                   max(limits._degree_bound(self.b, self.index)))

    def degrees(self) -> tuple:
        """``(deg a, deg b)`` for polynomial ``a, b``.

        >>> from sympy.abc import n
        >>> PCF(34*n**3 + 51*n**2 + 27*n + 5, -n**6, n).degrees()
        (3, 6)
        """
        return (Poly(self.a, self.index).degree(), Poly(self.b, self.index).degree())

    def delta(self, n: int | None = None, *, depth=None, **kwargs) -> float:
        """The irrationality-measure estimate at the index ``n``: ``|L - p_n/q_n| =
        q_n^-(1+delta)`` (``depth=``, the old name of ``n``, is deprecated).

        See :func:`esma_sympy.cf.measures.irrationality_measure` (same keywords: ``value``,
        ``dps``, ``reference_n``, ``strict``) for which limit ``L`` is used.

        >>> round(PCF(1, 1).delta(200), 4)                  # golden ratio: delta -> 1
        1.0084
        """
        from .measures import irrationality_measure

        n = renamed_keyword("delta", "depth", depth, "n", n)
        if n is None:
            raise TypeError("delta() missing the index n")
        return irrationality_measure(self, n, **kwargs)

    def singular_points(self, n: int = 100, *, depth=None):
        """Integer zeros of ``b`` and the indices ``<= n`` where ``q_n = 0`` (a ``SingularPoints``;
        ``depth=``, the old name of ``n``, is deprecated).

        See :func:`esma_sympy.cf.measures.singular_points`.

        >>> from sympy.abc import n
        >>> PCF(n + 3, (n - 3)*(n - 5), n).singular_points().b_zeros
        (3, 5)
        """
        from .measures import singular_points

        return singular_points(self, renamed_keyword("singular_points", "depth", depth, "n", n,
                                                     default=100))

    def to_ramanujantools(self):
        """This fraction as a ``ramanujantools.pcf.PCF`` (same index convention; index ``n``).

        See :func:`esma_sympy.cf.measures.to_ramanujantools`; needs ramanujantools.

        >>> import pytest; rt = pytest.importorskip("ramanujantools")
        >>> from sympy.abc import k
        >>> PCF(k + 3, -k, k).to_ramanujantools()
        PCF(n + 3, -n)
        """
        from .measures import to_ramanujantools

        return to_ramanujantools(self)

    @classmethod
    def from_ramanujantools(cls, obj) -> PCF:
        """A ``PCF`` from a ``ramanujantools.pcf.PCF`` (index ``n``; needs ramanujantools).

        See :func:`esma_sympy.cf.measures.from_ramanujantools`.

        >>> import pytest; rt = pytest.importorskip("ramanujantools")
        >>> from ramanujantools.pcf import PCF as RTPCF
        >>> from sympy.abc import n
        >>> PCF.from_ramanujantools(RTPCF(2*n + 1, n**2))
        PCF(2*n + 1, n**2, n)
        """
        from .measures import from_ramanujantools

        return from_ramanujantools(obj)

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
        fa, fb = _pcf_fractions(self)
        if fa is not None and fb is not None:       # rational functions: exact, fast
            av, bv = [], []
            for k in range(start, stop):
                da, db = fa[1](k), fb[1](k)
                if da == 0 or db == 0:
                    raise ValueError(f"a or b is undefined at n = {k} (a division by zero)")
                av.append(fa[0](k) / da)
                bv.append(fb[0](k) / db)
            return av, bv
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
            best = _asymptotic_tail(self, depth)
            if best is not None:
                return best[0], best[1], "asymptotic tail"
            beta = b1 / a1
            # a > 0: tau in [0, b/a]; a < 0 (the sign-flipped positive fraction): [b/a, 0]
            return (fmpq(0), beta, "positive tail") if beta > 0 else (beta, fmpq(0), "positive tail")
        if w_start is not None and depth >= w_start and a1 != 0:
            beta = b1 / a1
            lo, hi = beta * fmpq(2, 3), beta * 2
            return (lo, hi, "Worpitzky") if lo <= hi else (hi, lo, "Worpitzky")
        return None

    def _no_limit_reason(self):
        return _limit_analysis(self)

    # -- printing -----------------------------------------------------------------------------
    # A PCF prints as the sum ``a(0) + K_{n=1}^oo b(n)/a(n)``, or as the K term alone when
    # a(0) = 0.  ``str`` is the constructor form, which is atomic, so no ``precedence`` is
    # declared (it would bracket ``2*PCF(...)`` in ``str`` too).  The pretty form carries its
    # binding (ADD for the sum; MUL for a lone K, as SymPy's ``Sum``).  SymPy's LaTeX printer
    # brackets a factor or a base by precedence, but the operand of a minus sign only when it is
    # an ``Add``; so inside a larger expression (print level > 1) the LaTeX brackets itself.
    def _latex(self, printer):
        n = self.index
        a0 = self.a.xreplace({n: 0})
        tex = (rf"\mathop{{\mathrm{{K}}}}_{{{printer._print(n)}=1}}^{{\infty}} "
               rf"\frac{{{printer._print(self.b)}}}{{{printer._print(self.a)}}}")
        if a0 != 0:
            tex = f"{printer._print(a0)} + {tex}"
        return rf"\left({tex}\right)" if printer._print_level > 1 else tex

    def _pretty(self, printer):
        n = self.index
        num, den = printer._print(self.b), printer._print(self.a)
        frac = prettyForm(*stringPict.stack(num, stringPict.LINE, den))
        frac.baseline = num.height()
        top = prettyForm("\N{INFINITY}" if printer._use_unicode else "oo")
        lim = prettyForm(*printer._print(n).right("=1"))
        k = prettyForm(*stringPict.stack(top, prettyForm("K"), lim))
        k.baseline = 1
        body = prettyForm(*k.right(" ", frac), binding=prettyForm.MUL)
        a0 = self.a.xreplace({n: 0})
        if a0 == 0:
            return body
        head = prettyForm(*printer._print(a0).right(" + "))
        return prettyForm(*head.right(body), binding=prettyForm.ADD)

    def to_latex(self, cfrac: int = 0) -> str:
        r"""LaTeX in Gauss' K-notation, or with ``cfrac > 0`` as the first ``cfrac`` levels of
        ``\cfrac``; ``a(0)`` is left out when it is zero.

        Inside a larger expression ``latex`` puts the K-notation in brackets:
        ``latex(2*p + 1)`` is ``2 \left(a(0) + K ...\right) + 1``.

        >>> from sympy import latex
        >>> from sympy.abc import c, n
        >>> print(PCF(n + 3, -n, n).to_latex(cfrac=2))      # e = 3 - 1/(4 - 2/(5 + ...))
        3 - \cfrac{1}{4 - \cfrac{2}{5 + \dotsb}}
        >>> print(PCF(n + c, c*n, n).to_latex())
        c + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{c n}{c + n}
        >>> print(PCF(n, -1, n).to_latex(cfrac=2))
        - \cfrac{1}{1 - \cfrac{1}{2 + \dotsb}}
        >>> print(latex(2*PCF(n + 3, -n, n)))
        2 \left(3 + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{- n}{n + 3}\right)
        """
        from sympy import latex

        cfrac = check_int(cfrac, "cfrac", 0)
        if not cfrac:
            return latex(self)
        n = self.index
        a0 = self.a.xreplace({n: 0})
        out = "" if a0 == 0 else latex(a0)
        closing = ""
        for k in range(1, cfrac + 1):
            bk = self.b.xreplace({n: Integer(k)})
            neg = bool(bk.is_number and bk.is_negative)
            op = ("- " if neg else "") if not out else (" - " if neg else " + ")
            ak = self.a.xreplace({n: Integer(k)})
            out += rf"{op}\cfrac{{{latex(-bk if neg else bk)}}}{{{latex(ak)}"
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


@lru_cache(maxsize=256)
def _pcf_fractions(pcf: PCF):
    """``(a, b)`` as pairs ``(numerator, denominator)`` of ``fmpq_poly`` when both are rational
    functions of the index with rational coefficients (else ``None`` in that place): values
    by exact polynomial evaluation instead of ``xreplace`` (0.35 ms a term: N(PCF(1/(n + 1),
    1, n), 10) walked 262,000 of them in 97 s)."""
    from sympy import fraction, together

    n = pcf.index
    out = []
    for e in (pcf.a, pcf.b):
        if e.free_symbols - {n} or not e.is_rational_function(n):
            out.append(None)
            continue
        num, den = fraction(together(e))
        try:
            pair = tuple(fmpq_poly([_to_fmpq(c, "coefficient") for c in Poly(x, n).all_coeffs()[::-1]])
                         for x in (num, den))
        except (TypeError, ValueError):
            out.append(None)
            continue
        out.append(pair)
    return tuple(out)


def _degree(p) -> int:
    """The degree of an ``fmpq_poly``, ``-1`` for the zero polynomial."""
    return -1 if p.is_zero() else p.degree()


@lru_cache(maxsize=1024)
def _tail_analysis(pcf: PCF):
    """``(start, reason, positive_start, worpitzky_start)`` of the certified tail bounds.

    positive tail (theory T1.4): ``a(m) > 0`` (or ``a(m) < 0`` for all of them) and
    ``b(m) > 0`` for ``m >= n+1`` and ``deg b <= 2 deg a + 2`` (then the tail converges by
    Seidel-Stern and Gauss' test, and tau lies between 0 and ``b(n+1)/a(n+1)``).
    Worpitzky (theory T1.5): ``4|b(m)| <= a(m-1) a(m)`` for ``m >= n+2`` and ``a(n+1) != 0``
    (then the tail tau lies in ``b(n+1)/a(n+1) * [2/3, 2]``).
    """
    pa, pb = _pcf_polys(pcf)
    if pa is None or pb is None:
        return None, "a and b must be polynomials with rational coefficients for a tail bound", None, None
    if _limit_analysis(pcf) is not None:
        return None, _limit_analysis(pcf), None, None
    pos = None
    da, db = _degree(pa), _degree(pb)
    if da >= 0 and db <= 2 * da + 2:
        nb = first_index_from_which(pb, strict=True)
        na = first_index_from_which(pa, strict=True)
        if na is None:
            na = first_index_from_which(-pa, strict=True)
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
        return (None, "convergence is not proven: neither the positive-tail (Seidel-Stern) nor "
                "Worpitzky's condition holds for all large n", None, None)
    return min(cands), None, pos, w


# truncation orders of the asymptotic tail, by level; a deeper walk unlocks the next level
# (certifying order K costs about K^3: 45 ms up to 32, 0.15 s for 48-64, 1 s for 96-128)
_ASYMPTOTIC_ORDERS = ((4, 8, 12, 16, 24, 32), (48, 64), (96, 128))
_ASYMPTOTIC_LEVEL_DEPTHS = (0, 512, 4096)


@lru_cache(maxsize=1024)
def _asymptotic_bounds(pcf: PCF, level: int = 0):
    """Proven rational tail bounds (theory T1.9) of a slowly convergent positive PCF
    (``deg b = 2 deg a + 2``): ``(sign of a, bounds)`` for the orders of ``level``, or ``()``."""
    from ..numeric.asymptotic_tail import certified_tail_bounds

    _start, _reason, pos, _w = _tail_analysis(pcf)
    pa, pb = _pcf_polys(pcf)
    if pos is None or _degree(pb) != 2 * _degree(pa) + 2:
        return ()
    sign = 1 if pa.coeffs()[-1] > 0 else -1
    out = []
    for K in _ASYMPTOTIC_ORDERS[level]:
        tb = certified_tail_bounds(sign * pa, pb, K)
        if tb is not None:
            out.append(tb)
    return sign, tuple(out)


def _asymptotic_tail(pcf: PCF, depth: int):
    """The narrowest proven interval ``(lo, hi)`` for ``tau_depth`` from
    :func:`_asymptotic_bounds`, or ``None``."""
    best, sign = None, 1
    for level, from_depth in enumerate(_ASYMPTOTIC_LEVEL_DEPTHS):
        if depth < from_depth:
            break
        r = _asymptotic_bounds(pcf, level)
        if not r:
            return None
        sign, bounds = r
        for tb in bounds:
            if depth >= tb.start:
                lo, hi = tb(depth)
                if best is None or hi - lo < best[1] - best[0]:
                    best = (lo, hi)
    if best is None:
        return None
    lo, hi = best
    # a < 0: tau is minus the tail of the positive fraction with partial denominators -a (T1.4)
    return (lo, hi) if sign > 0 else (-hi, -lo)


def _positive_integer_roots(p) -> list:
    """The integers ``m >= 1`` with ``p(m) = 0`` (``p`` a nonzero ``fmpq_poly``), exactly."""
    out = []
    for f, _e in p.numer().factor()[1]:
        if f.degree() == 1:
            c0, c1 = f.coeffs()
            if c0 % c1 == 0 and -c0 // c1 >= 1:
                out.append(int(-c0 // c1))
    return sorted(out)


@lru_cache(maxsize=1024)
def _limit_analysis(pcf: PCF):
    """Why the PCF provably has no limit, or ``None`` (it may or may not converge).

    Three proven cases (theory T1.7): ``b(m) = 0`` for an integer ``m >= 1`` (the fraction
    terminates: every convergent from depth ``m - 1`` on is the same rational, and the PCF
    does not denote an infinite continued fraction); ``deg b > 2 deg a + 2`` or ``a = 0``
    (Stern-Stolz: the even and odd convergents tend to different limits); constant ``a, b``
    with ``a^2 + 4b < 0`` (an elliptic Möbius map: the convergents cycle or wander forever).
    """
    pa, pb = _pcf_polys(pcf)
    if pa is None or pb is None:
        return None
    roots = _positive_integer_roots(pb)
    if roots:
        m = roots[0]
        return (f"the fraction terminates: b({m}) = 0, so every convergent from depth {m - 1} "
                f"on is the same rational and the PCF is not an infinite continued fraction")
    da, db = _degree(pa), _degree(pb)
    if da < 0:
        return "the fraction diverges: a = 0, so the convergents alternate with q_n = 0 (Stern-Stolz)"
    if db > 2 * da + 2:
        return (f"the fraction diverges: deg b = {db} > 2 deg a + 2 = {2 * da + 2}, so the even and "
                f"odd convergents tend to different limits (Stern-Stolz)")
    if da == 0 and db == 0:
        alpha, beta = pa.coeffs()[0], pb.coeffs()[0]
        if alpha * alpha + 4 * beta < 0:
            period = _elliptic_period(fmpq_mat(2, 2, [0, beta, 1, alpha]))
            if period is not None:
                return (f"the fraction has no limit: its convergents cycle with period {period} "
                        f"(a^2 + 4b = {alpha * alpha + 4 * beta} < 0)")
            return (f"the fraction has no limit: a^2 + 4b = {alpha * alpha + 4 * beta} < 0, so the "
                    f"convergents rotate under an elliptic Möbius map and never settle")
    return None


def _elliptic_period(M, max_period: int = 12):
    """The least ``k <= max_period`` with ``M^k`` scalar (``fmpq_mat``), or ``None``."""
    P = M
    for k in range(1, max_period + 1):
        if P[0, 1] == 0 and P[1, 0] == 0 and P[0, 0] == P[1, 1]:
            return k
        P = P * M
    return None


_register_evalf(PCF)
