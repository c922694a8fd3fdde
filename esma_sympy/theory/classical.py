r"""Classical continued fractions of known value, and constants as their Möbius images.

Conventions: ``ARCHITECTURE.md`` (signed continued fractions, sign following its quotient) and
theory T1.1 (walk matrices).  A *reference fraction* is an arithmetic-progression fraction

* kind ``'I'`` (Lehmer): ``[a; a+d, a+2d, ...] = I_{nu-1}(z)/I_nu(z)``,
* kind ``'J'`` (Lambert): ``a - 1/(a+d - 1/(a+2d - ...)) = J_{nu-1}(z)/J_nu(z)``,

with ``nu = a/d`` and ``z = 2/d`` (theory T6.1).  For half-integer ``nu`` the value is an
rational Möbius image of ``coth z`` resp. ``cot z``, hence of ``exp(2z)`` resp.
``tan z`` (theory T6.2).  A :class:`BaseRelation` writes a constant as ``K(y)`` for a reference
value ``y`` with an integer matrix ``K``, proven symbolically by SymPy or confirmed
numerically.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
import math
from math import isqrt

from flint import fmpq_poly
from sympy import (
    Expr,
    Rational,
    S,
    Symbol,
    besseli,
    besselj,
    cancel,
    exp,
    simplify,
    sqrt,
    sympify,
    tan,
)

from .._args import check_int, renamed_keyword
from ..numeric.parse import sympify_safe
from ..verdict import Certificate, ProofStatus

from ._walks import Steps, mul, primitive

__all__ = ["ReferenceFraction", "BaseRelation", "reference_fractions", "find_base_relation",
           "derive_base_relation"]


@dataclass(frozen=True, order=True)
class ReferenceFraction:
    r"""An arithmetic-progression continued fraction of known value (theory T6.1).

    ``kind='I'``: the simple continued fraction ``[a; a+d, a+2d, ...]``, whose value is
    ``I_{nu-1}(z)/I_nu(z)`` (Lehmer 1973; DLMF 10.33.1).  ``kind='J'``: the backward fraction
    ``a - 1/(a+d - 1/(a+2d - ...))`` with value ``J_{nu-1}(z)/J_nu(z)`` (Lambert; DLMF 10.10.1);
    ``nu = a/d``, ``z = 2/d``.  Integers ``a >= 1``, ``d >= 1`` (and ``a + d >= 2``).

    With ``c > 1`` the fraction is Gauss' ratio of 0F1 functions ``PCF(a + d n, ±c)`` with value
    ``sqrt(c) F_{nu-1}(z)/F_nu(z)``, ``z = 2 sqrt(c)/d`` (the same identity after the
    equivalence transformation by ``sqrt(c)``); for kind ``'J'`` with ``a + d < c + 1`` the
    denominator ``J_nu(z)`` is proven nonzero by an arb ball (else ``ValueError``).

    Examples
    ========

    >>> y = ReferenceFraction('I', 2, 4)          # coth(1/2) = [2; 6, 10, 14, ...]
    >>> y.value()
    besseli(-1/2, 1/2)/besseli(1/2, 1/2)
    >>> y.elementary()
    (1 + E)/(-1 + E)
    >>> ReferenceFraction('J', 1, 2).elementary()   # cot 1 = 1 - 1/(3 - 1/(5 - ...))
    1/tan(1)
    >>> [y.quotient(m) for m in range(4)], y.sign
    ([2, 6, 10, 14], 1)
    >>> g = ReferenceFraction('I', 1, 2, 4)        # PCF(2n + 1, 4) = 2 coth 2
    >>> g.pcf(), g.elementary()
    (PCF(2*n + 1, 4, n), (2 + 2*exp(4))/(-1 + exp(4)))
    """

    kind: str
    a: int
    d: int
    c: int = 1

    def __post_init__(self):
        if self.kind not in ("I", "J"):
            raise ValueError(f"kind must be 'I' or 'J', got {self.kind!r}")
        for name in ("a", "d", "c"):
            object.__setattr__(self, name, check_int(getattr(self, name), name, 1))
        if self.kind == "J" and self.a + self.d < self.c + 1 and not _j_denominator_nonzero(self):
            raise ValueError(f"J_nu(z) could not be proven nonzero for kind 'J', a = {self.a}, "
                             f"d = {self.d}, c = {self.c} (the fraction may have no finite value)")

    def __repr__(self) -> str:
        extra = "" if self.c == 1 else f", c={self.c}"
        return f"ReferenceFraction(kind={self.kind!r}, a={self.a}, d={self.d}{extra})"

    @property
    def sign(self) -> int:
        return 1 if self.kind == "I" else -1

    @property
    def order(self) -> Rational:
        """``nu = a/d``."""
        return Rational(self.a, self.d)

    @property
    def argument(self) -> Expr:
        """``z = 2 sqrt(c)/d``."""
        return 2 * sqrt(self.c) / self.d

    def quotient(self, m: int) -> int:
        return self.a + self.d * m

    def scf(self):
        """The fraction as an :class:`~esma_sympy.SCF` (``c = 1`` only)."""
        from ..cf import SCF, QuasiPolynomial

        if self.c != 1:
            raise ValueError(f"only c = 1 gives a signed continued fraction, got c = {self.c}; use pcf()")
        k = Symbol("k")
        return SCF(QuasiPolynomial([], [self.a + self.d * k], k), (self.sign,))

    def pcf(self):
        """The fraction as a :class:`~esma_sympy.PCF` ``PCF(a + d n, ±c)``."""
        from ..cf import PCF

        n = Symbol("n")
        return PCF(self.a + self.d * n, self.sign * self.c, n)

    def steps(self) -> Steps:
        return Steps(self.a, [], 1, [fmpq_poly([self.a + self.d, self.d])],
                     [fmpq_poly([self.sign * self.c])])

    def value(self) -> Expr:
        """The value ``sqrt(c) F_{nu-1}(z)/F_nu(z)`` (``F = I`` or ``J``; theory T6.1)."""
        f = besseli if self.kind == "I" else besselj
        nu, z = self.order, self.argument
        return sqrt(self.c) * f(nu - 1, z) / f(nu, z)

    @property
    def is_elementary(self) -> bool:
        """Whether ``nu`` is a half-integer and ``c`` a square (then the value is elementary,
        theory T6.2)."""
        return bool((self.order - S.Half).is_integer) and isqrt(self.c) ** 2 == self.c

    def base(self) -> tuple:
        """``(u, H)``: the value is the Möbius image ``H(u)`` with a rational matrix ``H``;
        ``u = exp(2z)`` (kind I) or ``tan z`` (kind J) for half-integer ``nu`` (theory T6.2),
        else ``u`` is the Bessel ratio itself and ``H`` the identity."""
        z = self.argument
        if not self.is_elementary:
            return self.value(), ((Fraction(1), Fraction(0)), (Fraction(0), Fraction(1)))
        if self.kind == "I":
            u, H = exp(2 * z), ((Fraction(1), Fraction(1)), (Fraction(1), Fraction(-1)))
        else:
            u, H = tan(z), ((Fraction(0), Fraction(1)), (Fraction(1), Fraction(0)))
        nu = Fraction(1, 2)
        zf = Fraction(int(z.p), int(z.q))
        while nu < Fraction(self.a, self.d):
            c = 2 * nu / zf
            # y_{nu+1} = 1/(y_nu - 2nu/z) (I) or 1/(2nu/z - y_nu) (J): DLMF 10.29.1, 10.6.1
            step = ((0, 1), (1, -c)) if self.kind == "I" else ((0, 1), (-1, c))
            H = mul(step, H)
            nu += 1
        return u, mul(((isqrt(self.c), 0), (0, 1)), H)

    def elementary(self) -> Expr:
        """The value as an elementary expression when ``nu`` is a half-integer, else
        :meth:`value`."""
        u, H = self.base()
        return _apply(H, u)

    def numeric(self, depth: int = 80) -> Fraction:
        """The convergent of depth ``depth`` (exact; error below ``1/q_depth^2``)."""
        W = self.steps().walk(depth)
        return Fraction(W[0][0], W[1][0])


def _j_denominator_nonzero(ref) -> bool:
    """Whether ``J_nu(z) != 0`` is proven by an arb ball excluding zero (theory T6.1(d))."""
    from flint import arb

    from .._flintctx import workprec

    with workprec(200):
        z = 2 * arb(ref.c).sqrt() / ref.d
        v = z.bessel_j(arb(ref.a) / ref.d)
        return not v.contains(0)


def _apply(H, u) -> Expr:
    def r(x):
        x = Fraction(x)
        return Rational(x.numerator, x.denominator)

    return cancel((r(H[0][0]) * u + r(H[0][1])) / (r(H[1][0]) * u + r(H[1][1])))


def reference_fractions(max_d: int = 8, max_c: int = 1) -> list:
    """The reference fractions with ``1 <= a <= d <= max_d`` (``nu = a/d`` in ``(0, 1]``; larger
    ``a`` in the same class mod ``d`` are tails of these, theory T6.1) and ``1 <= c <= max_c``
    (Gauss' ratios of 0F1 when ``c > 1``; the kind ``'J'`` needs ``a + d > c``), kinds ``'I'``
    then ``'J'``, elementary ones first.

    >>> reference_fractions(2)[:3]
    [ReferenceFraction(kind='I', a=1, d=2), ReferenceFraction(kind='J', a=1, d=2), ReferenceFraction(kind='I', a=1, d=1)]
    """
    out = []
    for c in range(1, max_c + 1):
        for d in range(1, max_d + 1):
            for a in range(1, d + 1):
                for kind in ("I", "J"):
                    if a + d >= (2 if kind == "I" else c + 1):
                        out.append(ReferenceFraction(kind, a, d, c))
    out.sort(key=lambda r: (not r.is_elementary, r.c, r.d, r.a, r.kind))
    return out


@dataclass(frozen=True)
class BaseRelation(Certificate):
    r"""``constant = K(y)`` for a reference value ``y`` and an integer matrix ``K``.

    ``status`` is ``'proven'`` when SymPy reduces ``constant - K(H(u))`` to zero (``y = H(u)``
    from :meth:`ReferenceFraction.base`), else ``'numerically confirmed'`` with ``digits``
    proven by arb balls.  A :class:`~esma_sympy.verdict.Certificate` of :attr:`relation`;
    ``truth`` is ``True`` only when proven.

    >>> from sympy import E
    >>> r = find_base_relation(E)              # e = (y + 1)/(y - 1), y = coth(1/2)
    >>> str(r.status), r.K, r.reference, r.relation
    ('proven', ((1, 1), (1, -1)), ReferenceFraction(kind='I', a=2, d=4), 'constant = K(value(reference)) with K = ((1, 1), (1, -1))')
    """

    constant: Expr
    reference: ReferenceFraction
    K: tuple
    status: ProofStatus
    digits: int = 0

    @property
    def truth(self):
        """``True`` when proven, else ``None`` (SymPy's fuzzy logic)."""
        return ProofStatus.coerce(self.status) == ProofStatus.PROVEN or None

    @property
    def relation(self) -> str:
        """``'constant = K(value(reference)) with K = ...'`` (theory T6.3)."""
        return f"constant = K(value(reference)) with K = {self.K}"

    def steps(self) -> list:
        """The relation as ``(title, text)`` pairs."""
        how = ("SymPy reduces constant - K(y) to zero (theory T6.2, T6.3)" if self.status == ProofStatus.PROVEN
               else f"{self.status}: {self.digits} digits proven by arb balls")
        return [("Claim", f"{self.constant} = K(y) with K = {self.K}, y the value of {self.reference} "
                          f"= {self.reference.elementary()}"),
                ("Check", how)]

    def check(self) -> bool:
        """Re-verify the relation (symbolically for ``'proven'``; by arb balls otherwise)."""
        if det2(self.K) == 0:
            return False
        if self.status == ProofStatus.PROVEN:
            return _symbolic_zero(self.constant, self.reference, self.K)
        return _numeric_digits(self.constant, self.reference, self.K, max(self.digits, 30)) >= self.digits

    @property
    def closed_form(self) -> Expr:
        """``K(y)`` with ``y`` in elementary form when possible."""
        return _apply(self.K, self.reference.elementary())


def det2(K) -> int:
    return K[0][0] * K[1][1] - K[0][1] * K[1][0]


@lru_cache(maxsize=256)
def _symbolic_zero(constant, ref: ReferenceFraction, K) -> bool:
    u, H = ref.base()
    expr = sympify_safe(constant) - _apply(mul(K, H), u)
    if expr == 0:
        return True
    if cancel(sympify_safe(constant) - _apply(K, ref.value())) == 0:
        return True                     # structurally: the constant is K of the Bessel ratio (T6.1)
    try:
        z = simplify(expr.rewrite(exp)) if ref.kind == "I" and ref.is_elementary else simplify(expr)
    except Exception:  # noqa: BLE001 - simplification failure leaves the relation unproven
        return False
    return z == 0


def _numeric_digits(constant, ref: ReferenceFraction, K, dps: int) -> int:
    """Digits of agreement between ``constant`` and ``K(y)`` proven by arb balls at ``dps``
    digits: ``floor(-log10 |c - K(y)|_upper)``, or ``0`` when the balls are disjoint."""
    from .._flintctx import workprec
    from ..numeric.constants import to_arb

    prec = int(dps * 3.33) + 64
    with workprec(prec):
        c = to_arb(sympify_safe(constant), prec)
        y = to_arb(ref.value(), prec)
        diff = c - (K[0][0] * y + K[0][1]) / (K[1][0] * y + K[1][1])
        if not diff.contains(0):
            return 0
        upper = abs(diff.mid()) + diff.rad()
        if upper == 0:
            return dps
        got = -(upper.log() / arb_log10())
        return max(0, min(dps, int(got.floor().mid().unique_fmpz())))


def arb_log10():
    from flint import arb

    return arb(10).log()


def _pslq_relation(c_mp, y_mp, ctx, maxcoeff: int):
    rel = ctx.pslq([c_mp * y_mp, c_mp, y_mp, ctx.mpf(1)], maxcoeff=maxcoeff, maxsteps=2000)
    if rel is None:
        return None
    al, be, ga, de = (int(x) for x in rel)
    K = ((-ga, -de), (al, be))
    if det2(K) == 0:
        return None
    return primitive(K)


def _relations(x_mp, ctx, max_d: int, maxcoeff: int, max_c: int = 1, extra=()):
    """Yield ``(reference, K)`` with ``x = K(y)`` found by PSLQ at ``ctx``'s precision, for the
    references ``extra`` first, then the table."""
    seen = set()
    for ref in list(extra) + reference_fractions(max_d, max_c):
        if ref in seen:
            continue
        seen.add(ref)
        yq = ref.numeric(60 + 10 * ref.d)
        K = _pslq_relation(x_mp, ctx.mpf(yq.numerator) / yq.denominator, ctx, maxcoeff)
        if K is not None:
            yield ref, K


def find_base_relation(constant, *, max_d: int = 8, coeff_limit: int = 1000, dps: int = 1000,
                       maxcoeff: int | None = None, digits: int | None = None):
    r"""Write ``constant`` as an integer Möbius image ``K(y)`` of a reference value (T6.3).

    Explanation
    ===========

    For each reference fraction (:func:`reference_fractions`) an integer relation
    ``alpha c y + beta c + gamma y + delta = 0`` is sought by PSLQ at 60 digits; a candidate is
    then *proven* by SymPy (``c - K(H(u))`` simplifies to zero, with the half-integer Bessel
    orders reduced to ``exp``/``tan``, theory T6.2) or, failing that, confirmed to ``dps``
    digits by arb balls.  Returns ``None`` when no reference fits.

    ``coeff_limit`` bounds the integers of the relation and ``dps`` is the number of digits a
    numerical confirmation asks for; the old spellings ``maxcoeff=`` and ``digits=`` work for
    one release with a ``DeprecationWarning``.

    Examples
    ========

    >>> from sympy import E, tan, besseli
    >>> r = find_base_relation(E)
    >>> r.reference, r.K, str(r.status)
    (ReferenceFraction(kind='I', a=2, d=4), ((1, 1), (1, -1)), 'proven')
    >>> find_base_relation(tan(1)).reference
    ReferenceFraction(kind='J', a=1, d=2)
    >>> find_base_relation(besseli(1, 2)/besseli(0, 2)).K
    ((0, 1), (1, 0))

    Returns
    =======

    BaseRelation or None
    """
    coeff_limit = renamed_keyword("find_base_relation", "maxcoeff", maxcoeff, "coeff_limit",
                                  coeff_limit, default=1000)
    dps = renamed_keyword("find_base_relation", "digits", digits, "dps", dps, default=1000)
    return _find_base_relation(sympify_safe(constant), max_d, coeff_limit, dps)


@lru_cache(maxsize=128)
def _find_base_relation(constant, max_d, maxcoeff, digits):
    import mpmath

    from ..numeric.constants import to_arb

    derived = derive_base_relation(constant)
    if derived is not None:
        return derived
    ctx = mpmath.MPContext()
    ctx.dps = 60
    c_mp = ctx.mpf(to_arb(constant, 260).mid().str(70, radius=False))
    numeric = None
    for ref, K in _relations(c_mp, ctx, max_d, maxcoeff):
        if _symbolic_zero(constant, ref, K):
            return BaseRelation(constant, ref, K, ProofStatus.PROVEN)
        if numeric is None:
            got = _numeric_digits(constant, ref, K, digits)
            if got >= digits:
                numeric = BaseRelation(constant, ref, K, ProofStatus.NUMERIC, got)
    return numeric


# -- derived references: the constant's own expression names its reference (theory T6.3) ----

def _half_integer_reference(kind: str, t: Fraction) -> tuple:
    """``(reference, s)`` with value ``s coth t`` (kind ``'I'``) or ``s cot t`` (kind ``'J'``)
    for a rational ``t > 0``: ``nu = 1/2``, ``z = t = 2 s/d``, ``c = s**2`` (theory T6.1(d))."""
    p, q = t.numerator, t.denominator
    g = math.gcd(p, 2 * q)
    s, d = p // g, 2 * q // g
    if d % 2:
        s, d = 2 * s, 2 * d
    return ReferenceFraction(kind, d // 2, d, s * s), s


def _bessel_reference(kind: str, nu: Fraction, t: Fraction):
    """``(reference, s)`` with value ``s F_{nu-1}(t)/F_nu(t)`` (``F = I`` or ``J``) for rational
    ``nu > 0``, ``t > 0``: ``d`` a multiple of the denominators of ``nu`` and ``2/t``."""
    p, q = t.numerator, t.denominator
    d = math.lcm(nu.denominator, 2 * q // math.gcd(p, 2 * q))
    a, s = int(nu * d), int(Fraction(p * d, 2 * q))
    if a + d < 2:
        a, d, s = 2 * a, 2 * d, 2 * s
    try:
        return ReferenceFraction(kind, a, d, s * s), s
    except ValueError:
        return None


def _rational(x):
    x = sympify(x)
    return Fraction(int(x.p), int(x.q)) if x.is_Rational else None


def _atom_relation(atom):
    """``(reference, K1)`` with ``atom = K1(y)``, ``y`` the reference's value, for an atom
    ``exp(r)``, ``coth``, ``tanh``, ``cot``, ``tan`` of a nonzero rational, or ``None``."""
    from sympy import cot, coth, tanh

    if atom == S.Exp1:
        atom = exp(1, evaluate=False)
    if not atom.args:
        return None
    r = _rational(atom.args[0])
    if r is None or r == 0:
        return None
    sg = 1 if r > 0 else -1
    f = atom.func
    if f == exp:                     # e^r = (C + 1)/(C - 1), C = coth(r/2) = y/s
        ref, s = _half_integer_reference("I", abs(r) / 2)
        return ref, ((1, sg * s), (1, -sg * s))
    kind = "I" if f in (coth, tanh) else "J" if f in (cot, tan) else None
    if kind is None:
        return None
    ref, s = _half_integer_reference(kind, abs(r))
    if f in (coth, cot):             # coth t = y/s, coth(-t) = -coth t
        return ref, ((sg, 0), (0, s))
    return ref, ((0, sg * s), (1, 0))   # tanh t = s/y


def _bessel_atoms(constant):
    """``(atom_num, atom_den, reference, s, inverted)`` for a ratio of two Bessel functions of
    one kind and argument whose orders differ by one, found among the constant's atoms."""
    fs = sorted(constant.atoms(besseli, besselj), key=str)
    for i, A in enumerate(fs):
        for B in fs[i + 1:]:
            if A.func != B.func or A.args[1] != B.args[1]:
                continue
            mA, mB, t = _rational(A.args[0]), _rational(B.args[0]), _rational(A.args[1])
            if None in (mA, mB, t) or abs(mA - mB) != 1 or t <= 0:
                continue
            lo, hi = (A, B) if mA < mB else (B, A)
            nu = max(mA, mB)
            if nu <= 0:
                continue
            got = _bessel_reference("I" if A.func == besseli else "J", nu, t)
            if got is not None:
                return lo, hi, got[0], got[1]
    return None


def _mobius_in(expr, u):
    """``K0`` (primitive integer matrix) with ``expr = K0(u)``, or ``None``."""
    from sympy import Poly, fraction, ilcm, igcd

    if expr.free_symbols - {u} or not expr.is_rational_function(u):
        return None
    num, den = fraction(cancel(expr))
    try:
        P, Q = Poly(num, u), Poly(den, u)
    except Exception:  # noqa: BLE001 - not a polynomial in u
        return None
    if P.degree() > 1 or Q.degree() > 1 or not all(c.is_Rational for c in P.all_coeffs() + Q.all_coeffs()):
        return None
    (p1, p0), (q1, q0) = ([P.nth(1), P.nth(0)], [Q.nth(1), Q.nth(0)])
    L = ilcm(*[sympify(x).q for x in (p1, p0, q1, q0)])
    K = tuple(tuple(int(x * L) for x in row) for row in ((p1, p0), (q1, q0)))
    if det2(K) == 0:
        return None
    return primitive(K)


def derive_base_relation(constant):
    r"""``constant = K(y)`` read off the constant's expression, without a table (theory T6.3).

    Explanation
    ===========

    A constant that is a rational Möbius image of ``exp(r)``, ``coth r``, ``tanh r``,
    ``cot r``, ``tan r`` (``r`` a nonzero rational) or of a ratio ``F_{nu-1}(t)/F_nu(t)`` of
    Bessel functions ``F = I`` or ``J`` (rational ``nu > 0`` and ``t > 0``) names its reference
    fraction: ``coth t = y/s`` for ``y = PCF(d/2 + d n, s**2)`` with ``t = 2 s/d`` (theory
    T6.1(d), T6.2), ``cot t`` likewise with kind ``'J'``, and ``F_{nu-1}(t)/F_nu(t) = y/s``
    with ``nu = a/d``.  Any ``d``, ``c`` are reached (no ``max_d`` bound).  The relation is then
    *proven* by the same symbolic step as :func:`find_base_relation`'s; ``None`` when the
    constant has no such form.

    Examples
    ========

    >>> from sympy import Rational, exp, coth, tan, besseli, besselj
    >>> r = derive_base_relation(exp(Rational(1, 3)))     # coth(1/6) = [6; 18, 30, ...]
    >>> r.reference, r.K, str(r.status)
    (ReferenceFraction(kind='I', a=6, d=12), ((1, 1), (1, -1)), 'proven')
    >>> derive_base_relation(2*coth(2)).reference         # 2 coth 2 = PCF(1 + 2n, 4)
    ReferenceFraction(kind='I', a=1, d=2, c=4)
    >>> derive_base_relation(tan(Rational(1, 2))).K       # tan(1/2) = 1/y, y = cot(1/2)
    ((0, 1), (1, 0))
    >>> derive_base_relation(besselj(Rational(4, 3), 1)/besselj(Rational(1, 3), 1)).reference
    ReferenceFraction(kind='J', a=8, d=6, c=9)
    >>> derive_base_relation(besseli(1, 2) / besseli(0, 2)).K
    ((0, 1), (1, 0))
    """
    from sympy import Dummy, cot, coth, tanh

    constant = sympify_safe(constant)
    u = Dummy("u")
    rel = None
    b = _bessel_atoms(constant)
    if b is not None:
        lo, hi, ref, s = b
        expr = cancel(constant.xreplace({lo: u * hi}))   # lo/hi = y/s, i.e. lo = u hi
        K0 = _mobius_in(expr, u) if not expr.has(hi) else None
        if K0 is not None:
            rel = ref, mul(K0, ((1, 0), (0, s)))
    else:
        atoms = {a for a in constant.atoms(exp, coth, tanh, cot, tan) if a.args}
        atoms |= constant.atoms(type(S.Exp1))
        if len(atoms) == 1:
            atom = atoms.pop()
            got = _atom_relation(atom)
            expr = constant.xreplace({atom: u})
            K0 = _mobius_in(expr, u) if got is not None else None
            if K0 is not None:
                rel = got[0], mul(K0, got[1])
    if rel is None:
        return None
    ref, K = rel[0], primitive(rel[1])
    if _symbolic_zero(constant, ref, K):
        return BaseRelation(constant, ref, K, ProofStatus.PROVEN)
    return None
