r"""Quadratic irrationals and eventually periodic continued fractions, both ways (theory T6.12).

Conventions: ``ARCHITECTURE.md`` (``x = a_0 + s_0/(a_1 + s_1/(a_2 + ...))``, the sign ``s_i``
following ``a_i``, patterns anchored at index 0) and theory T1.1 (walk matrices
``W_n = [[a_0, 1], [1, 0]] M_1 ... M_n``, ``M_i = [[a_i, 1], [b_i, 0]]``, ``b_i = s_{i-1}`` for
an SCF; the convergent is ``x_n = W_n(oo)``).

* :func:`periodic_expansion` -- a real quadratic irrational (or a rational) to its exact ESMA
  expansion under a periodic sign pattern: an eventually periodic :class:`~esma_sympy.SCF`,
  computed in ``Q(sqrt(D))`` by the complete-quotient recurrence
  (:mod:`esma_sympy.numeric.quadratic`), never numerically.
* :func:`identify_periodic` -- the reverse: an SCF whose quotients are eventually constant in
  every residue, or a PCF with constant ``a`` and ``b``, to its value in radicals, with a
  :class:`PeriodicIdentification` whose :meth:`~PeriodicIdentification.check` re-derives the
  period matrix, its fixed points and the choice of the limit exactly -- or the proof that the
  fraction has no finite value.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import gcd, isqrt

from sympy import Expr, Integer, Pow, Rational, S, Symbol, sqrt

from ..verdict import Certificate, ProofStatus

__all__ = ["periodic_expansion", "identify_periodic", "PeriodicIdentification"]

_K = Symbol("k")


# ---------------------------------------------------------------------------------------------
# quadratic irrational -> eventually periodic SCF
# ---------------------------------------------------------------------------------------------


def periodic_expansion(x, signs=(1,)):
    r"""The exact ESMA expansion of a real quadratic irrational: an eventually periodic SCF.

    Explanation
    ===========

    ``x`` is written exactly as ``(P + sqrt(D))/Q`` (from its minimal polynomial over ``Q``) and
    the ESMA rule -- ``a_i = floor(x_i)`` when ``s_i = +1``, ``ceil(x_i)`` when ``s_i = -1``,
    ``x_{i+1} = s_i/(x_i - a_i)`` -- is run on ``(P_i, Q_i)`` with exact integer floors until
    the state ``(P_i, Q_i, i mod p)`` repeats, which it does for every periodic pattern (theory
    T6.12).  The result is ``SCF(QuasiPolynomial(preperiod, period, k), signs)`` with the
    shortest preperiod and period; for the pattern ``(1,)`` these are the lists of SymPy's
    :func:`~sympy.ntheory.continued_fraction.continued_fraction_periodic`.  An exact rational
    (``(1 + sqrt(2))*(1 - sqrt(2))`` included) gives its finite ESMA expansion.  Its first
    quotients are those of :func:`esma_sympy.expand`; :func:`identify_periodic` maps the result
    back to ``x``.

    Examples
    ========

    >>> from sympy import sqrt, GoldenRatio
    >>> periodic_expansion(sqrt(2))
    SCF(QuasiPolynomial((1,), (2,), k), (1,), True)
    >>> periodic_expansion(sqrt(2), (-1,))                # sqrt(2) = 2 - 1/(2 - 1/(4 - ...))
    SCF(QuasiPolynomial((2,), (2, 4), k), (-1,), True)
    >>> periodic_expansion(GoldenRatio, (-1,))           # 2 - 1/(3 - 1/(3 - ...))
    SCF(QuasiPolynomial((2,), (3,), k), (-1,), True)
    >>> q = periodic_expansion((sqrt(3) + 2)/7).quotients
    >>> q.prefix, q.polys                                 # [0; 1, 1, 7, 24, 8, 24, 8, ...]
    ((0, 1, 1, 7), (24, 8))
    >>> periodic_expansion((1 + sqrt(2))*(1 - sqrt(2)), (-1,))
    SCF((-1,), (-1,), True)
    >>> identify_periodic(periodic_expansion(1/(3 - sqrt(5)), (1, -1, -1))).closed_form
    sqrt(5)/4 + 3/4

    Parameters
    ==========

    x : SymPy expression, str, int, Rational, fmpq or Fraction
        A real quadratic irrational or a rational, built from rationals (and ``GoldenRatio``)
        by field operations and radicals; a string is read by the whitelist parser.
    signs : tuple of +1/-1
        The periodic sign pattern (default ``(1,)``, the simple continued fraction).

    Returns
    =======

    SCF
        Infinite (``QuasiPolynomial`` quotients, constant in every residue) for a quadratic
        irrational; finite for a rational.

    Raises
    ======

    ValueError
        ``x`` is not a rational or a real quadratic irrational (e.g. ``2**(1/3)``, ``E``), or
        ``signs`` is not a pattern of +1/-1.
    TypeError
        ``x`` is a float, a ball or not a number; ``signs`` is not a tuple.

    See Also
    ========

    identify_periodic, esma_sympy.expand, sympy.ntheory.continued_fraction.continued_fraction_periodic
    """
    from .. import limits
    from ..cf import SCF, QuasiPolynomial
    from ..numeric.expand import _check_sign, _classify
    from ..numeric.quadratic import algebraic_parts, periodic_quotients
    from ..numeric.rational import _rational_expansion

    if isinstance(signs, (str, bytes)) or not isinstance(signs, (tuple, list)):
        raise TypeError(f"signs must be a periodic pattern (a tuple of +1/-1), got {signs!r}")
    pattern = tuple(_check_sign(s, f"signs[{i}]") for i, s in enumerate(signs))
    if not pattern:
        raise ValueError("signs must not be empty: give a pattern such as (1,) or (-1, 1)")
    kind, val = _classify(x)
    if kind == "interval":
        raise TypeError(f"x must be an exact number, not a ball or an interval, got {x!r}")
    parts = ("rational", *val) if kind == "exact" else algebraic_parts(val)
    if parts is None:
        raise ValueError(f"x must be a rational or a real quadratic irrational built from radicals, "
                         f"got x = {val} (its minimal polynomial over Q is not of degree <= 2 "
                         "with real roots, or it is not algebraic)")
    if parts[0] == "rational":
        qs, _ = _rational_expansion(parts[1], parts[2], pattern, limits.MAX_TERMS)
        return SCF._from_ints(qs, pattern)
    pre, per = periodic_quotients(*parts[1:], pattern)
    return SCF(QuasiPolynomial(pre, per, _K), pattern)


# ---------------------------------------------------------------------------------------------
# exact arithmetic in Q(sqrt(d)): u + v sqrt(d), u and v Fractions
# ---------------------------------------------------------------------------------------------


class _QD:
    """``u + v sqrt(d)`` with rational ``u``, ``v`` and a fixed positive non-square ``d`` (or
    ``d = None``: a plain rational, ``v = 0``)."""

    __slots__ = ("u", "v", "d")

    def __init__(self, u, v=0, d=None):
        self.u, self.v, self.d = Fraction(u), Fraction(v), d

    def _lift(self, o):
        return o if isinstance(o, _QD) else _QD(o, 0, self.d)

    def __add__(self, o):
        o = self._lift(o)
        return _QD(self.u + o.u, self.v + o.v, self.d or o.d)

    __radd__ = __add__

    def __neg__(self):
        return _QD(-self.u, -self.v, self.d)

    def __sub__(self, o):
        return self + (-self._lift(o))

    def __rsub__(self, o):
        return self._lift(o) - self

    def __mul__(self, o):
        o = self._lift(o)
        d = self.d or o.d
        return _QD(self.u * o.u + (self.v * o.v * d if d else 0), self.u * o.v + self.v * o.u, d)

    __rmul__ = __mul__

    def is_zero(self) -> bool:
        return self.u == 0 and self.v == 0

    def sign(self) -> int:
        """The exact sign (``d`` is not a square, so ``u + v sqrt(d) = 0`` only for ``u = v = 0``)."""
        su = (self.u > 0) - (self.u < 0)
        sv = (self.v > 0) - (self.v < 0)
        if sv == 0 or su == sv:
            return su or sv
        if su == 0:
            return sv
        return su if self.u * self.u > self.v * self.v * self.d else sv


def _sqrt_qd(d: int) -> _QD:
    r = isqrt(d)
    return _QD(r) if r * r == d else _QD(0, 1, d)


def _same_point(p, q) -> bool:
    """Projective equality of ``(num, den)`` pairs in ``Q(sqrt(d))``."""
    return (p[0] * q[1] - p[1] * q[0]).is_zero()


def _apply(F, p):
    return (F[0][0] * p[0] + F[0][1] * p[1], F[1][0] * p[0] + F[1][1] * p[1])


def _eigenpoint(F, lam: _QD):
    """The fixed point of ``F`` for the eigenvalue ``lam`` (``F`` not scalar), as ``(num, den)``."""
    (a, b), (c, d) = F
    p = (_QD(b), lam - a)
    if p[0].is_zero() and p[1].is_zero():
        p = (lam - d, _QD(c))
    return p


def _point_str(p) -> str:
    if p[1].is_zero():
        return "oo"
    return str(_qd_expr(_div(p[0], p[1])))


def _div(x: _QD, y: _QD) -> _QD:
    """``x / y`` (``y != 0``): multiply by the conjugate."""
    conj = _QD(y.u, -y.v, y.d)
    n = (y * conj).u                      # a nonzero rational
    z = x * conj
    return _QD(z.u / n, z.v / n, z.d)


# ---------------------------------------------------------------------------------------------
# eventually periodic fraction -> its value
# ---------------------------------------------------------------------------------------------


def _steps_of(x):
    """The :class:`~esma_sympy.theory._walks.Steps` of ``x`` when its steps are eventually
    constant in every residue (``None`` otherwise); ``TypeError`` for a non-fraction."""
    from ..cf import PCF, SCF
    from ..cf.quasipolynomial import QuasiPolynomial
    from ._walks import pcf_steps, scf_steps

    if isinstance(x, SCF):
        if not isinstance(x.quotients, QuasiPolynomial) or not x.is_periodic:
            return None
        try:
            st = scf_steps(x)
        except ValueError:
            return None
    elif isinstance(x, PCF):
        a, b = x.a, x.b
        if not (a.is_Rational and b.is_Rational) or b == 0:
            return None          # not constant (PCF refuses b = 0 itself)
        st = pcf_steps(x)
    else:
        raise TypeError(f"x must be an SCF or a PCF, got {x!r} of type {type(x).__name__}")
    if any(p.degree() > 0 for p in st.polys_a + st.polys_b):
        return None
    return st


def _primitive_ints(entries) -> list:
    """Rationals scaled to coprime integers, projectively (a common positive factor)."""
    fr = [Fraction(e) for e in entries]
    den = 1
    for f in fr:
        den = den * f.denominator // gcd(den, f.denominator)
    ints = [int(f * den) for f in fr]
    g = 0
    for v in ints:
        g = gcd(g, v)
    return [v // g for v in ints] if g else ints


def _analyse(x):
    """Everything :class:`PeriodicIdentification` claims about ``x``, derived exactly; ``None``
    when ``x`` is not eventually periodic with constant coefficients."""
    from ._walks import adj, mul

    st = _steps_of(x)
    if st is None:
        return None
    m, L = st.first - 1, st.period
    B = ((1, 0), (0, 1))
    for i in range(m + 1, m + L + 1):
        B = mul(B, st.step(i))
    W = st.walk(m)
    f = _primitive_ints([e for r in mul(mul(W, B), adj(W)) for e in r])
    if next(v for v in f if v) < 0:
        f = [-v for v in f]                 # first nonzero entry positive: one representative
    F = ((f[0], f[1]), (f[2], f[3]))
    cs = []
    for j in range(L):
        Wj = st.walk(m + j)
        p, q = _primitive_ints([Wj[0][0], Wj[1][0]])
        cs.append((p, q))
    return _classify_limit(F, cs, m, L)


def _classify_limit(F, cs, m, L):
    """The limit of ``F^k(c_j)`` for each ``j`` and the verdict (theory T6.12)."""
    (a, b), (c, d) = F
    tr, det = a + d, a * d - b * c
    disc = tr * tr - 4 * det
    pts = [(_QD(p), _QD(q)) for p, q in cs]
    rep = None
    if disc < 0:
        kind, limits = "elliptic", [None] * L
    elif disc > 0 and tr != 0:
        kind = "hyperbolic"
        e = 1 if tr > 0 else -1
        r = _sqrt_qd(disc)
        lam1 = (_QD(tr) + r * e) * Fraction(1, 2)
        lam2 = (_QD(tr) - r * e) * Fraction(1, 2)
        attr, rep = _eigenpoint(F, lam1), _eigenpoint(F, lam2)
        limits = [rep if _same_point(p, rep) else attr for p in pts]
    elif disc > 0:
        kind = "involution"
        limits = [p if _same_point(_apply(F, p), p) else None for p in pts]
    elif b == 0 and c == 0 and a == d:
        kind, limits = "identity", list(pts)
    else:
        kind = "parabolic"
        fixed = _eigenpoint(F, _QD(Fraction(tr, 2)))
        limits = [fixed] * L
    out = {"F": F, "n": m, "length": L, "kind": kind, "points": tuple(cs)}
    if any(p is None for p in limits):
        j = limits.index(None)
        what = {"elliptic": "elliptic", "involution": "an involution"}[kind]
        out["reason"] = (f"the period matrix F = {F} is {what} (trace^2 - 4 det = {disc}) and "
                         f"F^k(x_{m + j}) has no limit: F has no real fixed point fixing "
                         f"x_{m + j} = {_point_str(pts[j])}")
        return out
    if not all(_same_point(p, limits[0]) for p in limits):
        j = next(j for j, p in enumerate(limits) if not _same_point(p, limits[0]))
        out["reason"] = (f"the convergents x_(m + j + kL) tend to different limits for j = 0 and "
                         f"j = {j}: {_point_str(limits[0])} and {_point_str(limits[j])}")
        return out
    num, den = limits[0]
    if den.is_zero():
        out["reason"] = f"the convergents tend to infinity (the fixed point oo of F = {F})"
        return out
    y = _div(num, den)
    out["value"] = y
    out["closed_form"], out["polynomial"] = _closed_form(y)
    return out


def _closed_form(y: _QD):
    """``(expr, (A, B, C))``: ``y`` as ``-B/(2A) +- sqrt(B^2 - 4AC)/(2A)`` with ``A y^2 + B y + C``
    its primitive minimal polynomial (``(q, -p)`` for a rational ``p/q``)."""
    if y.v == 0:
        return Rational(y.u.numerator, y.u.denominator), (y.u.denominator, -y.u.numerator)
    # (y - u)^2 = v^2 d
    A, B, C = _primitive_ints([1, -2 * y.u, y.u * y.u - y.v * y.v * y.d])
    disc = B * B - 4 * A * C
    e = 1 if y.v > 0 else -1
    return Rational(-B, 2 * A) + e * sqrt(Integer(disc)) / (2 * A), (A, B, C)


def _qd_expr(y: _QD):
    return _closed_form(y)[0]


def _parse_qd(expr):
    """``expr`` (an expression ``u + v sqrt(k)``) as a :class:`_QD`, or ``None``; exact and
    structural (SymPy's automatic evaluation only)."""
    from sympy import Add, sympify

    try:
        e = sympify(expr).expand()
    except Exception:  # noqa: BLE001
        return None
    u, v, k = Fraction(0), Fraction(0), None
    for t in Add.make_args(e):
        coeff, rest = t.as_coeff_Mul()
        if not coeff.is_Rational:
            return None
        cf = Fraction(int(coeff.p), int(coeff.q))
        if rest == S.One:
            u += cf
        elif (isinstance(rest, Pow) and rest.exp == S.Half and rest.base.is_Integer
              and rest.base > 0 and (k is None or rest.base == k)):
            k = int(rest.base)
            v += cf
        else:
            return None
    if k is None or v == 0:
        return _QD(u)
    return _QD(u, v, k)


def _equal_qd(x: _QD, y: _QD) -> bool:
    """Exact equality of elements of possibly different presentations of ``Q(sqrt(D))``."""
    if x.u != y.u:
        return False
    if x.v == 0 or y.v == 0:
        return x.v == y.v
    return (x.v > 0) == (y.v > 0) and x.v * x.v * x.d == y.v * y.v * y.d


@dataclass(frozen=True)
class PeriodicIdentification(Certificate):
    r"""The value of an eventually periodic continued fraction, proven (theory T6.12).

    Explanation
    ===========

    From index ``n + 1`` on the steps of ``x`` (an SCF with quotients constant in every residue,
    or a PCF with constant ``a``, ``b``) repeat with period ``length``, so the convergents are
    ``x_{n + j + k length} = F^k(x_{n + j})`` with ``F = W_n B W_n^{-1}`` (``B`` the product of
    one period of steps, ``W_n`` the walk; ``F`` is stored as a primitive integer matrix).
    ``kind`` is the type of the Möbius map ``F``: ``'hyperbolic'`` (real eigenvalues of
    different moduli: ``F^k(z)`` tends to the *attracting* fixed point, the eigenvector of the
    eigenvalue of larger modulus, for every ``z`` but the repelling one), ``'parabolic'`` (one
    fixed point, the limit of every orbit), ``'identity'``, ``'involution'`` (``F^2`` scalar)
    or ``'elliptic'`` (no real fixed point: no orbit converges).

    ``status`` is ``'proven'`` with the value ``closed_form`` (in radicals; a ``Rational`` when
    the fixed point is rational) and its primitive minimal polynomial ``polynomial``
    ``(A, B, C)`` (``A y^2 + B y + C``; ``(q, -p)`` for a rational ``p/q``), or ``'disproven'``
    -- the fraction has no finite value -- with the ``reason``; then the object is falsy and
    ``closed_form`` is ``None``.  :meth:`check` re-derives the period matrix, its fixed points
    and the limit of every residue class exactly, and checks ``closed_form`` against them in
    ``Q(sqrt(D))``.

    Examples
    ========

    >>> from esma_sympy import PCF
    >>> r = identify_periodic(PCF(1, 1))
    >>> r.closed_form, r.status, r.kind, r.check()
    (1/2 + sqrt(5)/2, 'proven', 'hyperbolic', True)
    >>> r.relation
    'value(x) = 1/2 + sqrt(5)/2'
    >>> d = identify_periodic(PCF(1, -1))                 # 1 - 1/(1 - 1/(1 - ...)): rotates
    >>> bool(d), d.status, d.kind, d.check(), d.truth
    (False, 'disproven', 'elliptic', True, False)
    """

    x: object
    status: ProofStatus
    closed_form: Expr
    polynomial: tuple
    kind: str
    F: tuple
    n: int
    length: int
    points: tuple
    reason: str = ""

    @property
    def truth(self):
        """``True`` when the value is proven, ``False`` when the fraction provably has no
        finite value (SymPy's fuzzy logic)."""
        return ProofStatus.coerce(self.status).truth

    @property
    def relation(self) -> str:
        """``'value(x) = closed_form'``, or ``'x has no finite value'``."""
        if self.status == ProofStatus.PROVEN:
            return f"value(x) = {self.closed_form}"
        return "x has no finite value: the convergents have no finite limit"

    def __bool__(self) -> bool:
        return self.status == ProofStatus.PROVEN

    def steps(self) -> list:
        """The proof (theory T6.12) as ``(title, text)`` pairs."""
        (a, b), (c, d) = self.F
        disc = (a + d) ** 2 - 4 * (a * d - b * c)
        m, L = self.n, self.length
        pts = ", ".join(("oo" if q == 0 else str(Rational(p, q))) for p, q in self.points)
        out = [("Claim", f"{self.relation} for x = {self.x}"),
               ("Period (T6.12)", f"from index {m + 1} on the steps repeat with period {L}, so "
                                  f"x_({m} + j + {L} k) = F^k(x_({m} + j)) with F = W_{m} B "
                                  f"W_{m}^-1 ~ {self.F}; x_{m}..x_{m + L - 1} = {pts}"),
               ("Fixed points", f"trace^2 - 4 det = {disc}: F is {self.kind}")]
        if self.status == ProofStatus.PROVEN:
            out.append(("Limit", f"every F^k(x_({m} + j)) tends to the same fixed point "
                                 f"y = {self.closed_form}, a root of {self.polynomial[0]} y^2 + "
                                 f"{self.polynomial[1]} y + {self.polynomial[2]}"
                        if len(self.polynomial) == 3 else
                        f"every F^k(x_({m} + j)) tends to the same fixed point y = {self.closed_form}"))
            out.append(("Value", f"value(x) = {self.closed_form}"))
        else:
            out.append(("No value", self.reason))
        return out

    def check(self) -> bool:
        """Re-derive everything from ``x`` exactly and compare: the period, the matrix ``F``, its
        type, the limits of the residue classes, and ``closed_form`` (a fixed point of ``F``,
        the attracting one for a hyperbolic ``F``) -- or, when disproven, that there is no
        finite limit."""
        try:
            got = _analyse(self.x)
        except (TypeError, ValueError):
            return False
        if got is None:
            return False
        if (got["F"], got["n"], got["length"], got["kind"], got["points"]) != \
                (self.F, self.n, self.length, self.kind, self.points):
            return False
        if self.status == ProofStatus.DISPROVEN:
            return "value" not in got and self.closed_form is None
        if self.status != ProofStatus.PROVEN or "value" not in got:
            return False
        if tuple(self.polynomial) != got["polynomial"]:
            return False
        y = _parse_qd(self.closed_form)
        if y is None or not _equal_qd(y, got["value"]):
            return False
        # independently of how the limit was chosen: y is a fixed point of F ...
        (a, b), (c, d) = self.F
        if not (y * y * c + y * (d - a) - b).is_zero():
            return False
        # ... and the root of the minimal polynomial claimed
        A, B, C = self.polynomial if len(self.polynomial) == 3 else (0, *self.polynomial)
        if not (y * y * A + y * B + C).is_zero():
            return False
        if self.kind == "hyperbolic":
            # attracting: y is the eigenvector of the eigenvalue of larger modulus, i.e.
            # c y + d = lam1 with sign(2 lam1 - tr) = sign(tr); for c = 0 (F(oo) = oo) the
            # finite fixed point attracts iff |d| > |a|
            tr = a + d
            if c != 0:
                return (2 * (y * c + d) - tr).sign() == (1 if tr > 0 else -1)
            return abs(d) > abs(a)
        return True


def identify_periodic(x):
    r"""The value of an eventually periodic continued fraction, in radicals and proven, or
    ``None`` (theory T6.12).

    Explanation
    ===========

    ``x`` is an :class:`~esma_sympy.SCF` whose quotients are a ``QuasiPolynomial`` constant in
    every residue class (with a periodic sign pattern), or a :class:`~esma_sympy.PCF` with
    constant ``a`` and ``b``.  Its value is the limit of ``F^k`` on the
    convergents of one period (:class:`PeriodicIdentification`), a fixed point of ``F`` and
    hence a quadratic irrational or a rational.  For ``PCF(a, b)``: the root of
    ``y^2 - a y - b`` of larger modulus when ``a^2 + 4b > 0`` and ``a != 0``; ``a/2`` when
    ``a^2 + 4b = 0``; no value (``'disproven'``, falsy) when ``a^2 + 4b < 0`` or ``a = 0``.

    Examples
    ========

    >>> from sympy import Symbol
    >>> from esma_sympy import PCF, SCF, QuasiPolynomial
    >>> k = Symbol('k')
    >>> identify_periodic(SCF(QuasiPolynomial([1], [2], k))).closed_form
    sqrt(2)
    >>> identify_periodic(SCF(QuasiPolynomial([2], [2, 4], k), (-1,))).closed_form
    sqrt(2)
    >>> identify_periodic(PCF(1, 2)).closed_form, identify_periodic(PCF(2, -1)).closed_form
    (2, 1)
    >>> identify_periodic(PCF(0, 2)).reason                 # 0 + 2/(0 + 2/(0 + ...))
    'the period matrix F = ((0, 2), (1, 0)) is an involution (trace^2 - 4 det = 8) and F^k(x_0) has no limit: F has no real fixed point fixing x_0 = 0'
    >>> identify_periodic(SCF(QuasiPolynomial([], [k + 1], k))) is None
    True

    Parameters
    ==========

    x : SCF or PCF

    Returns
    =======

    PeriodicIdentification or None
        ``None`` when ``x`` is not eventually periodic with constant coefficients (a finite
        SCF, non-constant quotients, a PCF with non-constant ``a`` or ``b``).

    Raises
    ======

    TypeError
        ``x`` is not an SCF or a PCF.

    See Also
    ========

    periodic_expansion, esma_sympy.theory.identify, esma_sympy.theory.find_periodic_certificate
    """
    got = _analyse(x)
    if got is None:
        return None
    common = dict(x=x, kind=got["kind"], F=got["F"], n=got["n"], length=got["length"],
                  points=got["points"])
    if "value" in got:
        return PeriodicIdentification(status=ProofStatus.PROVEN, closed_form=got["closed_form"],
                                      polynomial=got["polynomial"], **common)
    return PeriodicIdentification(status=ProofStatus.DISPROVEN, closed_form=None, polynomial=(),
                                  reason=got["reason"], **common)
