r"""Closed forms of continued fractions given without a left-hand side (theory T6.7, T6.11).

A PCF of degree ``(1, <= 2)`` gets its closed form from its coefficients
(:mod:`esma_sympy.theory.hypergeometric`, theory T6.11).  Otherwise:

A signed continued fraction with quasi-polynomial quotients, or a PCF, is identified as an
integer Möbius image ``N(y)`` of a reference value ``y`` (Lehmer's ``I_{nu-1}(z)/I_nu(z)`` or
Lambert's ``J_{nu-1}(z)/J_nu(z)``): ``N`` is guessed by an integer relation (PSLQ) between the
certified value and ``y``, then *proven* by a
:class:`~esma_sympy.theory.certificate.WalkCertificate`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Expr, cancel

from .._args import renamed_keyword
from ..verdict import Certificate, ProofStatus
from ._walks import mul
from .certificate import WalkCertificate, find_walk_certificate
from .classical import ReferenceFraction, _apply, _relations
from .hypergeometric import HypergeometricCertificate, hypergeometric_certificate

__all__ = ["Identification", "Unidentified", "identify"]


@dataclass(frozen=True)
class Identification(Certificate):
    r"""``value(x) = N(y)`` with ``y`` the value of ``reference`` (theory T6.7).

    ``status`` (a :class:`~esma_sympy.verdict.ProofStatus`) is ``'proven'`` when
    ``certificate`` checks and the fraction converges, else ``'numerically confirmed'`` (the
    PSLQ relation holds to ``digits`` digits).  Truthy; ``truth`` is ``True`` only when proven
    (``None`` otherwise).  A :class:`~esma_sympy.verdict.Certificate` of :attr:`relation`.

    >>> from sympy import Symbol
    >>> from esma_sympy import SCF, QuasiPolynomial
    >>> k = Symbol('k')
    >>> r = identify(SCF(QuasiPolynomial([3], [2*k + 3, 2], k), (-1, 1)))
    >>> r.closed_form, r.status, r.truth
    (E, 'proven', True)
    >>> r.relation
    'value(x) = N(value(reference)) = E with N = ((1, 1), (1, -1))'
    """

    x: object
    reference: ReferenceFraction
    N: tuple
    closed_form: Expr
    certificate: WalkCertificate
    status: ProofStatus
    digits: int = 0

    @property
    def truth(self):
        """``True`` when proven, else ``None`` (SymPy's fuzzy logic)."""
        return ProofStatus.coerce(self.status) == ProofStatus.PROVEN or None

    @property
    def relation(self) -> str:
        """``'value(x) = N(value(reference)) = closed_form with N = ...'`` (or the
        hypergeometric certificate's relation)."""
        if isinstance(self.certificate, HypergeometricCertificate):
            return self.certificate.relation
        return f"value(x) = N(value(reference)) = {self.closed_form} with N = {self.N}"

    def steps(self) -> list:
        """The identification as ``(title, text)`` pairs (the certificate's steps when
        proven)."""
        if isinstance(self.certificate, HypergeometricCertificate):
            return self.certificate.steps()
        out = [("Claim", f"value({self.x}) = N(y) = {self.closed_form} with N = {self.N}, "
                         f"y the value of {self.reference}")]
        if self.status != ProofStatus.PROVEN or self.certificate is None:
            return out + [("Status", f"{self.status} ({self.digits} digits)")]
        return out + self.certificate.steps()[1:]

    def check(self) -> bool:
        """Re-verify the certificate (``'proven'``) exactly, and that ``closed_form`` is the
        value it proves (re-derived, not remembered)."""
        c = self.certificate
        if isinstance(c, HypergeometricCertificate):
            return (self.status == ProofStatus.PROVEN and c.pcf == self.x and c.check()
                    and cancel(c.closed_form - self.closed_form) == 0)
        if self.reference is None or self.N is None:
            return False
        u, H = self.reference.base()
        if cancel(_apply(mul(self.N, H), u) - self.closed_form) != 0:
            return False
        if self.status != ProofStatus.PROVEN:
            return self.digits > 0
        return (c is not None and c.source == self.x and c.reference == self.reference
                and c.N == self.N and _converges(self.x) and c.check())

    def __bool__(self) -> bool:
        return True

    def _repr_steps(self):
        """The notebook representations' steps: the hypergeometric certificate's LaTeX steps
        when it is one, else :meth:`steps` (text)."""
        if isinstance(self.certificate, HypergeometricCertificate):
            return self.certificate.latex_steps(), True
        return self.steps(), False


@dataclass(frozen=True)
class Unidentified:
    """A failed identification with the reason.  Falsy.

    >>> u = Unidentified("no classical fraction fits")
    >>> bool(u), u.closed_form, u.reason, u.status
    (False, None, 'no classical fraction fits', 'unknown')
    """

    reason: str

    @property
    def closed_form(self):
        return None

    @property
    def status(self) -> ProofStatus:
        """``'unknown'``: nothing is claimed."""
        return ProofStatus.UNKNOWN

    @property
    def truth(self):
        return None

    def __bool__(self) -> bool:
        return False

    def _repr_html_(self) -> str:
        """The answer in a notebook: the status and the reason, as HTML.

        >>> h = Unidentified("a < b")._repr_html_()
        >>> ">unknown</span>" in h, "a &lt; b" in h
        (True, True)
        """
        from .._notebook import answer_html

        return answer_html("Unidentified", self.status, self.reason)

    def _repr_latex_(self) -> str:
        r"""The answer in a notebook as LaTeX (status and reason).

        >>> Unidentified("no fit")._repr_latex_()
        '$\\text{Unidentified:}\\ \\textbf{unknown}\\ (\\text{no fit})$'
        """
        from .._notebook import answer_latex

        return answer_latex("Unidentified", self.status, self.reason)


def _as_pcf(scf):
    """The SCF ``[q(0); q(1), ...]`` with one polynomial quotient ``q`` and one sign ``s`` as the
    PCF ``PCF(q(n), s)`` (the same fraction term by term), or ``None``."""
    from sympy import Symbol

    from ..cf import PCF

    from ..cf.quasipolynomial import QuasiPolynomial

    qp = scf.quotients
    if not isinstance(qp, QuasiPolynomial) or len(scf.sign_pattern) != 1 or qp.prefix or qp.period != 1:
        return None
    n = Symbol("n")
    pcf = PCF(qp.polys[0].xreplace({qp.index: n - qp.offset}), scf.sign_pattern[0], n)
    same = all(cancel(pcf.a.subs(n, i) - scf.quotient(i)) == 0 for i in range(4))
    return pcf if same else None


def _growth_references(x) -> list:
    r"""The reference fractions whose walk grows like the fraction's (derived, no table bound).

    If ``W_{n_j} R ∝ N Y_{m_j}`` (theory T6.4) with ``det W = ±1``, the block ``B(j)`` of ``L``
    steps and the reference's ``l`` steps grow alike: the coefficient of ``j^l`` in ``B(j)`` has
    trace ``G`` (a rank-one matrix: the linear quotients' slopes times the constant runs between
    them) and the reference block has ``(l d/sqrt c)^l``; so ``d/sqrt c = |G|^(1/l)/l``.  When that
    is a rational ``P/Q`` the candidates are ``(kind, a, d = P, c = Q^2)`` for ``1 <= a <= d`` and
    both kinds.  Only the candidates are derived; each is still proven by a walk certificate."""
    from fractions import Fraction

    from ..cf import SCF
    from ._walks import scf_steps

    if not isinstance(x, SCF):
        return []
    try:
        S = scf_steps(x)
        B = S.block(S.first - 1, S.period)
    except (ValueError, TypeError):
        return []
    ell = max(e.degree() for r in B for e in r)
    if ell < 1:
        return []
    lead = [[Fraction(int(e.coeffs()[ell].p), int(e.coeffs()[ell].q)) if e.degree() == ell else Fraction(0)
             for e in r] for r in B]
    G = abs(lead[0][0] + lead[1][1])
    if G == 0:
        return []
    P, Q = _exact_root(G.numerator, ell), _exact_root(G.denominator, ell)
    if P is None or Q is None:
        return []
    D = Fraction(P, Q) / ell
    d, c = D.numerator, D.denominator ** 2
    if d > 96 or c > 64:
        return []
    out = []
    for a in range(1, d + 1):
        for kind in ("I", "J"):
            try:
                out.append(ReferenceFraction(kind, a, d, c))
            except ValueError:
                continue
    return out


def _exact_root(m: int, k: int):
    """The integer ``r`` with ``r**k == m``, or ``None``."""
    r = round(m ** (1.0 / k)) if m < 2**1000 else None
    if r is None:
        return None
    for t in (r - 1, r, r + 1):
        if t >= 0 and t**k == m:
            return t
    return None


def _converges(x) -> bool:
    from ..cf import SCF
    from ..cf.scf import _semiregular_from

    if isinstance(x, SCF):
        return _semiregular_from(x) is not None
    try:  # a PCF: a certified evaluation rests on a proven tail bound (T1.4, T1.5)
        return bool(x.evaluate(30).certified)
    except Exception:  # noqa: BLE001
        return False


def identify(x, *, max_d: int = 8, max_c: int = 3, coeff_limit: int = 1000, dps: int = 60,
             maxcoeff: int | None = None):
    r"""A closed form of the value of ``x`` (an SCF or a PCF), with a proof (theory T6.7).

    Explanation
    ===========

    A PCF with ``deg a = 1`` and ``deg b <= 2`` (or an SCF that is one, term by term) has its
    closed form *derived from its coefficients*, free parameters allowed: a Gauss or Kummer
    ratio of hypergeometric functions, written with Bessel functions (elementary for
    half-integer orders) or by SymPy's ``hyperexpand``, proven by a
    :class:`~esma_sympy.theory.hypergeometric.HypergeometricCertificate` (theory T6.11).

    Otherwise the value of ``x`` is evaluated to ``dps`` certified digits; for each reference fraction
    (:func:`~esma_sympy.theory.classical.reference_fractions`, ``d <= max_d``; Lehmer's and
    Lambert's fractions, and Gauss' ratios of 0F1 ``PCF(a + d n, ±c)`` for ``c <= max_c``)
    PSLQ looks for
    ``alpha x y + beta x + gamma y + delta = 0`` with coefficients up to ``coeff_limit``, i.e.
    ``x = N(y)``.  The relation is then proven by a walk certificate (exact polynomial
    identity between the block walks, theory T6.4).  The closed form is ``N(y)`` with ``y`` in
    elementary terms when the Bessel order is a half-integer (theory T6.2).

    Examples
    ========

    >>> from sympy import Symbol
    >>> from sympy.abc import n
    >>> from esma_sympy import SCF, PCF, QuasiPolynomial
    >>> k = Symbol('k')
    >>> r = identify(SCF(QuasiPolynomial([], [1, 4*k + 2, 4*k + 4], k), (1, -1, 1)))
    >>> r.closed_form, str(r.status)
    (tan(1), 'proven')
    >>> identify(PCF(n + 3, -n, n)).closed_form                          # Euler: e
    E
    >>> identify(SCF(QuasiPolynomial([], [k + 1], k), (1,))).closed_form   # I0(2)/I1(2)
    besseli(0, 2)/besseli(1, 2)
    >>> identify(PCF(2, 1, n)).closed_form                                # periodic: radicals
    1 + sqrt(2)
    >>> identify(PCF(n + 1, 2, n)).closed_form                            # Gauss: a 0F1 ratio
    sqrt(2)*besseli(0, 2*sqrt(2))/besseli(1, 2*sqrt(2))
    >>> from sympy import symbols
    >>> a, d, c = symbols('a d c')
    >>> identify(PCF(a + d*n, c, n)).closed_form                         # any parameters
    sqrt(c)*besseli(a/d - 1, 2*sqrt(c)/d)/besseli(a/d, 2*sqrt(c)/d)
    >>> identify(PCF(2*n + 1, n**2, n)).closed_form                      # Brouncker: a 2F1 ratio
    4/pi
    >>> bool(identify(PCF(34*n**3 + 51*n**2 + 27*n + 5, -n**6, n)))       # Apery: not in the class
    False

    Parameters
    ==========

    x : SCF or PCF
    max_d, max_c, coeff_limit : int
        Bounds of the reference fractions and of the integer relation (``maxcoeff=``, the old
        name of ``coeff_limit``, works for one release with a ``DeprecationWarning``).
    dps : int
        Digits of the numerical value used to guess the relation.

    Returns
    =======

    Identification, PeriodicIdentification or Unidentified
        A :class:`~esma_sympy.theory.quadratic.PeriodicIdentification` for an eventually
        periodic SCF or a constant PCF (its value in radicals, or ``'disproven'`` when it has
        no finite value; theory T6.12).
    """
    import mpmath

    from ..cf import PCF, SCF

    coeff_limit = renamed_keyword("identify", "maxcoeff", maxcoeff, "coeff_limit", coeff_limit,
                                  default=1000)
    if not isinstance(x, (SCF, PCF)):
        raise TypeError(f"x must be an SCF or a PCF, got {x!r} of type {type(x).__name__}")
    from .quadratic import identify_periodic

    if not x.free_symbols:
        per = identify_periodic(x)        # eventually periodic: radicals or no value (T6.12)
        if per is not None:
            return per
    pcf = x if isinstance(x, PCF) else _as_pcf(x)
    if pcf is not None:
        cert = hypergeometric_certificate(pcf)
        if cert is not None and pcf is x:
            return Identification(x, None, None, cert.closed_form, cert, ProofStatus.PROVEN)
        if cert is not None:
            return Identification(pcf, None, None, cert.closed_form, cert, ProofStatus.PROVEN)
    if x.free_symbols:
        return Unidentified(f"x has free parameters {sorted(map(str, x.free_symbols))} and is not "
                            "a PCF of degree (1, <= 2) (theory T6.11)")
    if x._length() is not None:
        from sympy import Rational

        W = x.convergent(x._length()) if hasattr(x, "convergent") else None
        val = f": its value is the rational {W}" if isinstance(W, Rational) else ""
        return Unidentified(f"the fraction {x} is finite{val} (nothing to identify)")
    why = x._no_limit_reason()
    if why is not None:
        return Unidentified(f"the fraction {x} has no limit: {why}")
    try:
        v = x.evaluate(dps)
    except Exception as exc:  # noqa: BLE001
        return Unidentified(f"the fraction {x} could not be evaluated: {exc}")
    if not v.certified or v.digits < dps // 2:
        return Unidentified(f"only {v.digits} digits of the fraction {x} are certified")
    ctx = mpmath.MPContext()
    ctx.dps = min(int(v.digits), dps) - 5
    x_mp = ctx.mpf(v.ball.mid().str(ctx.dps + 10, radius=False))
    numeric = None
    for ref, N in _relations(x_mp, ctx, max_d, coeff_limit, max_c, _growth_references(x)):
        u, H = ref.base()
        closed = _apply(mul(N, H), u)
        try:
            cert = find_walk_certificate(x, ref, N)
        except ValueError:
            cert = None
        if cert is not None and _converges(x):
            return Identification(x, ref, N, closed, cert, ProofStatus.PROVEN)
        if numeric is None:
            numeric = Identification(x, ref, N, closed, None, ProofStatus.NUMERIC, ctx.dps)
    if numeric is not None:
        return numeric
    return Unidentified(f"no integer Möbius relation (coefficients <= {coeff_limit}) with a reference "
                        f"fraction of d <= {max_d} at {ctx.dps} digits")
