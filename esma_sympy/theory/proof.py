r"""Proofs of ESMA conjectures ``LHS(c) = SCF`` through classical continued fractions.

The chain (theory T6.6; periodic quotients are handled by T6.10): the constant is an integer Möbius image ``c = K(y)`` of a reference
value ``y`` (Lehmer's or Lambert's arithmetic-progression fraction, proven symbolically,
:func:`~esma_sympy.theory.classical.find_base_relation`); the SCF's walk, cut into blocks of
one quasi-period (the blocks of the fold, theory T4.4), is an exact Möbius image of the
reference walk (:class:`~esma_sympy.theory.certificate.WalkCertificate`, theory T6.4), so its
value is ``N(y)``; and ``N`` equals ``M K`` projectively, where ``M`` is the LHS's integer
matrix — an exact comparison of 2x2 integer matrices.  A proof is ``'proven'`` only when every
step is checked exactly; otherwise ``'numerically confirmed'`` (digits proven by arb balls) or
``'open'``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sympy import Expr, Symbol, cancel, latex, radsimp, sympify

from .._args import check_int, renamed_keyword
from ..numeric.parse import sympify_safe
from ..verdict import Certificate, ProofStatus

from ._walks import mul, primitive, proportional, scf_steps
from .certificate import WalkCertificate, find_walk_certificate
from .classical import BaseRelation, _apply, find_base_relation

__all__ = ["Proof", "PeriodicCertificate", "ProofAttempt", "PROOF_FINDERS", "PROVE_OPTIONS",
           "find_periodic_certificate", "proof_finder", "prove", "prove_all"]

PROVEN = ProofStatus.PROVEN
NUMERIC = ProofStatus.NUMERIC
OPEN = ProofStatus.OPEN
DISPROVEN = ProofStatus.DISPROVEN


def _lhs_matches(lhs_expr, constant, M) -> bool:
    """``lhs_expr == (M00 c + M01)/(M10 c + M11)`` exactly: as rational functions of a symbol
    ``c`` after substitution, or else by ``cancel`` with the constant's own atoms as
    generators (both exact rational-function arithmetic)."""
    c = Symbol("_c_")
    lhs_expr, constant = sympify_safe(lhs_expr), sympify_safe(constant)
    mob = (M[0][0] * c + M[0][1]) / (M[1][0] * c + M[1][1])
    e = lhs_expr.subs(constant, c)
    if not e.has(constant) and not (e.free_symbols - {c}) and cancel(e - mob) == 0:
        return True
    return cancel(lhs_expr - mob.xreplace({c: constant})) == 0


def _converges(scf) -> bool:
    """An SCF: semi-regular from some index on (theory T1.3, decided exactly by T1.6); a PCF:
    its certified value rests on a proven tail bound (T1.4, T1.5)."""
    from ..cf import SCF
    from ..cf.scf import _semiregular_from

    if isinstance(scf, SCF):
        return _semiregular_from(scf) is not None
    try:
        return bool(scf.evaluate(30).certified)
    except Exception:  # noqa: BLE001 - no certified value: convergence not established
        return False


@dataclass(frozen=True)
class PeriodicCertificate(Certificate):
    r"""A purely periodic tail: ``x = W_n(w)`` with ``w = B(w)`` (theory T6.10).

    ``B`` is the (constant) product of the steps ``n+1 .. n+L``; ``w`` is the root of
    ``B10 w^2 + (B11 - B00) w - B01 = 0`` in the tail domain ``s_n (1, oo)`` (T1.3), the other
    root lying outside it; ``value`` is ``W_n(w)`` in radicals.

    >>> from sympy import sqrt, Symbol
    >>> from esma_sympy import SCF, QuasiPolynomial
    >>> k = Symbol('k')
    >>> cert = find_periodic_certificate(SCF(QuasiPolynomial([1], [2], k)), sqrt(2))
    >>> cert.value, cert.relation
    (sqrt(2), 'value(scf) = sqrt(2)')
    """

    scf: object
    n: int
    length: int
    w: Expr
    value: Expr

    def check(self) -> bool:
        """Exact re-verification: the block, the quadratic, the root selection, the value."""
        try:
            S = scf_steps(self.scf)
        except ValueError:
            return False
        if self.n + 1 < S.first or self.length % S.period or self.length < 1:
            return False
        B = S.block(self.n, self.length)
        if any(e.degree() > 0 for r in B for e in r):
            return False
        B = [[_fq(e) for e in r] for r in B]
        roots = _fixed_points(B)
        if roots is None or self.w not in roots:
            return False
        sn = self.scf.sign(self.n)
        inside = [r for r in roots if _in_tail_domain(r, sn)]
        if inside != [self.w]:
            return False
        W = S.walk(self.n)
        v = (W[0][0] * self.w + W[0][1]) / (W[1][0] * self.w + W[1][1])
        return _radical_zero(v - self.value)

    @property
    def relation(self) -> str:
        """``'value(scf) = value'`` (the value in radicals)."""
        return f"value(scf) = {self.value}"

    def steps(self) -> list:
        """The proof (theory T6.10) as ``(title, text)`` pairs."""
        return [("Claim", f"value({self.scf}) = {self.value}"),
                ("Periodic tail (T6.10)", f"the tail after index {self.n} repeats with period "
                                          f"{self.length}: w = B(w) with w = {self.w} in the tail domain"),
                ("Value", f"x = W_{self.n}(w) = {self.value}")]


def _radical_zero(e) -> bool:
    """Whether a real expression in radicals (and named constants such as ``GoldenRatio``) is
    zero: exact, by rationalising denominators in ``Q(sqrt(D))``."""
    from sympy import expand

    e = sympify_safe(e).expand(func=True)
    return expand(radsimp(e)) == 0


def _fq(e):
    from sympy import Rational

    c = e.coeffs()[0] if e.coeffs() else 0
    return Rational(int(c.p), int(c.q)) if c else Rational(0)


def _fixed_points(B):
    """The two fixed points of ``B`` as SymPy radicals, or ``None`` (rational or degenerate)."""
    from sympy import sqrt as _sqrt

    a, b, c, d = B[0][0], B[0][1], B[1][0], B[1][1]
    if c == 0:
        return None
    disc = (a - d) ** 2 + 4 * b * c
    if disc <= 0 or _sqrt(disc).is_rational:
        return None
    r = _sqrt(disc)
    return [radsimp((a - d + r) / (2 * c)), radsimp((a - d - r) / (2 * c))]


def _in_tail_domain(w, sn: int) -> bool:
    """``w`` in ``sn (1, oo)`` (decided exactly for a quadratic irrational)."""
    return bool((sn * w - 1).is_positive)


def find_periodic_certificate(scf, lhs_expr):
    """A :class:`PeriodicCertificate` for an SCF whose quotients are eventually constant in
    every residue (periodic), with value equal to ``lhs_expr``; ``None`` otherwise.

    >>> from sympy import sqrt, Symbol
    >>> from esma_sympy import SCF, QuasiPolynomial
    >>> k = Symbol('k')
    >>> cert = find_periodic_certificate(SCF(QuasiPolynomial([0], [2], k)), sqrt(2) - 1)
    >>> cert.w, cert.value
    (1 + sqrt(2), -1 + sqrt(2))
    """
    try:
        S = scf_steps(scf)
    except ValueError:
        return None
    if any(P.degree() > 0 for P in S.polys_a):
        return None
    n, L = S.first - 1, S.period
    B = [[_fq(e) for e in r] for r in S.block(n, L)]
    roots = _fixed_points(B)
    if roots is None:
        return None
    inside = [r for r in roots if _in_tail_domain(r, scf.sign(n))]
    if len(inside) != 1:
        return None
    W = S.walk(n)
    w = inside[0]
    v = radsimp((W[0][0] * w + W[0][1]) / (W[1][0] * w + W[1][1]))
    try:
        same = _radical_zero(v - sympify_safe(lhs_expr))
    except Exception:  # noqa: BLE001 - undecided: no certificate
        return None
    return PeriodicCertificate(scf, n, L, w, v) if same else None


@dataclass(frozen=True)
class Proof(Certificate):
    r"""A proof (or the honest status) of ``lhs = scf`` (theory T6.6).

    A :class:`~esma_sympy.verdict.Certificate` of the relation ``value(scf) = lhs``; ``truth``
    is the fuzzy value of its status (``True`` only for ``'proven'``).

    Attributes
    ==========

    scf : SCF
    constant, lhs : Expr
        The constant ``c`` and the left-hand side (an expression in ``c``).
    M : tuple or None
        The LHS as an integer matrix: ``lhs = (M00 c + M01)/(M10 c + M11)``.
    base : BaseRelation or None
        ``c = K(y)`` for a reference value ``y``.
    certificate : WalkCertificate or None
        The SCF's walk as a Möbius image ``N`` of the reference walk.
    status : ProofStatus
        ``'proven'``, ``'numerically confirmed'``, ``'open'`` or ``'disproven'`` (the certified
        value excludes the LHS) -- a ``str`` enum.
    closed_form : Expr or None
        The value of the SCF derived independently of the LHS (``N(y)`` in elementary form).
    digits : int
        For ``'numerically confirmed'``: digits of agreement proven by arb balls.
    reason : str
        Why the status is not ``'proven'`` (empty otherwise).

    Examples
    ========

    >>> from sympy import E, Symbol
    >>> from esma_sympy import SCF, QuasiPolynomial
    >>> k = Symbol('k')
    >>> p = prove(SCF(QuasiPolynomial([], [2*k + 1, 2], k), (1, -1)), lhs=E/(E - 1), constant=E)
    >>> p.status, p.closed_form, p.check(), p.truth
    ('proven', E/(-1 + E), True, True)
    >>> p.relation
    'value(scf) = E/(-1 + E)'
    """

    scf: object
    constant: Expr
    lhs: Expr
    M: tuple
    base: BaseRelation
    certificate: WalkCertificate
    status: ProofStatus
    closed_form: Expr
    digits: int = 0
    reason: str = ""

    @property
    def truth(self):
        """``True`` when proven, ``False`` when disproven, else ``None`` (SymPy's fuzzy logic)."""
        return ProofStatus.coerce(self.status).truth

    @property
    def relation(self) -> str:
        """``'value(scf) = lhs'``."""
        return f"value(scf) = {self.lhs}"

    def check(self) -> bool:
        """Re-verify every step of the claimed status exactly.

        ``'proven'``: the LHS matrix, the base relation (symbolically), the walk certificate
        (integer and polynomial identities), the convergence of the SCF, and ``N ∝ M K``; for
        every status with a ``closed_form``, that it is the value the certificate derives (a
        tampered closed form fails).
        ``'numerically confirmed'``: the arb enclosure is recomputed.  ``'open'`` claims
        nothing and checks as ``True``.
        """
        if self.status == OPEN:
            return True
        if self.status == DISPROVEN:
            v = _certified(self.scf, max(self.digits - 10, 10))
            return v is not None and not v.contains(self.lhs)
        if self.closed_form is not None and not _closed_form_derived(self):
            return False
        if self.status == NUMERIC:
            return _numeric_agreement(self.scf, self.lhs, self.digits) >= self.digits > 0
        if self.status != PROVEN:
            return False
        kind = _proof_kind(self.certificate)
        return kind is not None and kind[0](self)

    def steps(self) -> list:
        """The chain as ``(title, LaTeX)`` pairs."""
        lhs = _lhs_latex(self.lhs, self.constant)  # natural order: e - 1, not -1 + e
        out = [("Claim", rf"{lhs} = {self.scf.to_latex()}")]
        if self.status != PROVEN:
            from .._notebook import tex_text

            out.append(("Status", tex_text(self.status) + (rf"\ ({tex_text(self.reason)})" if self.reason else "")))
            return out
        kind = _proof_kind(self.certificate)
        if kind is None:
            out.append(("Status", r"\text{no certificate of a known kind}"))
            return out
        return out + kind[1](self, lhs)

    def to_latex(self) -> str:
        r"""The proof as a LaTeX ``description`` list."""
        items = "\n".join(rf"  \item[{t}] ${body}$" for t, body in self.steps())
        return "\\begin{description}\n" + items + "\n\\end{description}"

    def _repr_steps(self):
        r""":meth:`steps` (LaTeX) for the notebook representations (``_repr_html_`` and
        ``_repr_latex_``, inherited from :class:`~esma_sympy.verdict.Certificate`: MathJax
        typesets math, not a ``description`` list, so they do not use :meth:`to_latex`).

        >>> from sympy import E, Symbol
        >>> from esma_sympy import SCF, QuasiPolynomial
        >>> k = Symbol('k')
        >>> p = prove(SCF(QuasiPolynomial([], [2*k + 1, 2], k), (1, -1)), lhs=E/(E - 1), constant=E)
        >>> h, t = p._repr_html_(), p._repr_latex_()
        >>> ">proven</span>" in h, r"\frac{e}{e - 1}" in h, t.startswith("$$"), r"\textbf{proven}" in t
        (True, True, True, True)
        """
        return self.steps(), True


# -- how a proven Proof uses its certificate, by the certificate's class ----------------------

def _check_periodic(p) -> bool:
    c = p.certificate
    return c.scf == p.scf and _converges(p.scf) and c.check() and _radical_zero(c.value - p.lhs)


def _steps_periodic(p, lhs) -> list:
    c = p.certificate
    return [("Periodic tail (T6.10)", rf"w = B(w),\ w = {latex(c.w)}"),
            ("Value", rf"x = W_{{{c.n}}}(w) = {latex(c.value)} = {lhs}\quad\blacksquare")]


def _check_walk(p) -> bool:
    cert, base = p.certificate, p.base
    if base is None or p.M is None or base.status != PROVEN:
        return False
    if cert.source != p.scf or cert.reference != base.reference:
        return False
    return (_lhs_matches(p.lhs, p.constant, p.M)
            and base.check()
            and _converges(p.scf)
            and proportional(cert.N, mul(p.M, base.K))
            and cert.check())


def _affine(n: int, step: int) -> str:
    """``n + step j`` as an index: ``j``, ``2 j``, ``1 + j``, ``3 + 2 j``.

    >>> [_affine(0, 1), _affine(0, 2), _affine(1, 1), _affine(3, 2)]
    ['j', '2 j', '1 + j', '3 + 2 j']
    """
    sj = "j" if step == 1 else f"{step} j"
    return sj if n == 0 else f"{n} + {sj}"


def _steps_walk(p, lhs) -> list:
    ref, cert, base = p.base.reference, p.certificate, p.base
    out = []
    sg = "+" if ref.sign == 1 else "-"
    fn = "I" if ref.kind == "I" else "J"
    ratio = (rf"\frac{{{fn}_{{{latex(ref.order - 1)}}}({latex(ref.argument)})}}"
             rf"{{{fn}_{{{latex(ref.order)}}}({latex(ref.argument)})}}")
    elem = _lhs_latex(ref.elementary(), p.constant)
    out.append(("Reference (T6.1, T6.2)",
                rf"y = {ref.a} {sg} \cfrac{{1}}{{{ref.a + ref.d} {sg} \cfrac{{1}}{{{ref.a + 2 * ref.d} {sg} \dotsb}}}}"
                rf" = {ratio}" + ("" if elem.replace(" ", "") == ratio.replace(" ", "")
                                  else f" = {elem}")))
    out.append(("Constant (T6.3)", rf"{latex(p.constant)} = {_mat_latex(base.K)}(y)"))
    out.append(("Walk certificate (T6.4)",
                rf"W_{{{_affine(cert.n, cert.length)}}}\,{_mat_latex(cert.R)} \propto "
                rf"{_mat_latex(cert.N)}\,Y_{{{_affine(cert.m, cert.ref_length)}}}\quad(j \ge 0)"
                r",\ W_k, Y_k \text{ the walk matrices of } x, y"))
    out.append(("Value", rf"x = {_mat_latex(cert.N)}(y) = {_lhs_latex(p.closed_form, p.constant)}"))
    out.append(("LHS (T6.6)", rf"{_mat_latex(cert.N)} \propto {_mat_latex(p.M)}{_mat_latex(base.K)}"
                rf"\ \Rightarrow\ x = {lhs}\quad\blacksquare"))
    return out


def _check_hypergeometric(p) -> bool:
    c = p.certificate
    return c.pcf == _as_pcf_of(p.scf) and c.check() and _values_equal(c.closed_form, p.lhs)


def _steps_hypergeometric(p, lhs) -> list:
    closed = latex(p.certificate.closed_form)
    last = (rf"x = {lhs}" if closed.replace(" ", "") == lhs.replace(" ", "")
            else rf"x = {closed} = {lhs}")
    return p.certificate.latex_steps()[1:] + [("LHS", last + r"\quad\blacksquare")]


def _tex_text(body: str) -> str:
    r"""Plain text made safe inside ``\text{...}`` (LaTeX's special characters escaped).

    >>> _tex_text("G_n = F^k(x), 50% {a}")
    'G\\_n = F\\^{}k(x), 50\\% \\{a\\}'
    """
    out = []
    for ch in body:
        out.append({"_": r"\_", "^": r"\^{}", "%": r"\%", "&": r"\&", "#": r"\#", "{": r"\{",
                    "}": r"\}", "$": r"\$", "~": r"\textasciitilde{}", "\\": r"\textbackslash{}"}.get(ch, ch))
    return "".join(out)


def _as_pcf_of(x):
    from ..cf import PCF

    from .identify import _as_pcf

    return x if isinstance(x, PCF) else _as_pcf(x)


def _values_equal(a, b) -> bool:
    """Exact equality of two closed forms (rational-function arithmetic, then SymPy's
    simplification with exponentials, then radicals)."""
    from sympy import exp, simplify

    d = sympify_safe(a) - sympify_safe(b)
    if cancel(d) == 0:
        return True
    try:
        if simplify(d.rewrite(exp)) == 0:
            return True
        return _radical_zero(d)
    except Exception:  # noqa: BLE001 - undecided is not equal
        return False


def _closed_form_derived(p) -> bool:
    """Whether ``p.closed_form`` is the value its certificate derives (re-derived)."""
    c = p.certificate
    if isinstance(c, WalkCertificate):
        u, H = c.reference.base()
        return cancel(_apply(mul(c.N, H), u) - p.closed_form) == 0
    if isinstance(c, PeriodicCertificate):
        return _radical_zero(c.value - p.closed_form)
    from .hypergeometric import HypergeometricCertificate
    from .quadratic import PeriodicIdentification

    if isinstance(c, (HypergeometricCertificate, PeriodicIdentification)):
        return c.closed_form is not None and _radical_zero(c.closed_form - p.closed_form)
    return False


#: The kinds of certificate a proven :class:`Proof` may hold: ``{class: (check, steps)}``, where
#: ``check(proof)`` re-verifies the proof's use of the certificate and ``steps(proof, lhs_latex)``
#: renders it.  A new proof finder that returns a new kind of certificate registers it here.
PROOF_KINDS = {PeriodicCertificate: (_check_periodic, _steps_periodic),
               WalkCertificate: (_check_walk, _steps_walk)}


def _check_periodic_identification(p) -> bool:
    c = p.certificate
    return c.x == p.scf and c.status == PROVEN and c.check() and _values_equal(c.closed_form, p.lhs)


def _steps_periodic_identification(p, lhs) -> list:
    c = p.certificate
    from .._notebook import tex_text

    out = [(t, tex_text(body)) for t, body in c.steps()[1:]]
    return out + [("LHS", rf"x = {latex(c.closed_form)} = {lhs}\quad\blacksquare")]


def _register_hypergeometric():
    from .hypergeometric import HypergeometricCertificate
    from .quadratic import PeriodicIdentification

    PROOF_KINDS[HypergeometricCertificate] = (_check_hypergeometric, _steps_hypergeometric)
    PROOF_KINDS[PeriodicIdentification] = (_check_periodic_identification, _steps_periodic_identification)


_register_hypergeometric()


def _proof_kind(cert):
    for cls in type(cert).__mro__:
        if cls in PROOF_KINDS:
            return PROOF_KINDS[cls]
    return None


def _lhs_latex(lhs, constant) -> str:
    r"""``lhs`` in LaTeX in natural order (``\frac{e}{e - 1}``, not ``\frac{e}{-1 + e}``).

    A rational function of the constant is printed as one of a symbol that prints as the
    constant (bracketed when the constant is a sum or product), so terms come in descending
    degree, as ``Conjecture.lhs_latex`` does; anything else falls back to ``order='rev-lex'``.

    >>> from sympy import E, pi
    >>> _lhs_latex(E/(E - 1), E), _lhs_latex(E**2 - E + 1, E), _lhs_latex(3 + pi, pi)
    ('\\frac{e}{e - 1}', 'e^{2} - e + 1', '\\pi + 3')
    """
    from sympy import Dummy
    from sympy.printing.precedence import PRECEDENCE, precedence_traditional

    lhs, constant = sympify_safe(lhs), sympify_safe(constant)
    if constant is None or lhs == constant:
        return latex(lhs, order="rev-lex")
    c = Dummy("c")
    e = lhs.subs(constant, c)
    if e.has(constant) or e.free_symbols - {c} or not e.is_rational_function(c):
        return latex(lhs, order="rev-lex")
    name = latex(constant)
    if precedence_traditional(constant) < PRECEDENCE["Pow"] or name[:1].isdigit():
        name = rf"\left({name}\right)"
    return latex(e, symbol_names={c: name})


def _mat_latex(A) -> str:
    return rf"\begin{{pmatrix}} {A[0][0]} & {A[0][1]} \\ {A[1][0]} & {A[1][1]} \end{{pmatrix}}"


def _numeric_agreement(scf, lhs, digits: int) -> int:
    """Digits to which the SCF's certified ball (at ``digits + 10``) contains the LHS."""
    try:
        v = scf.evaluate(digits + 10)
    except Exception:  # noqa: BLE001 - a failed evaluation confirms nothing
        return 0
    if not v.certified or not v.contains(lhs):
        return 0
    return int(v.digits)


@dataclass
class ProofAttempt:
    """What a proof finder sees: the claim ``lhs = scf`` and what earlier finders learned.

    Attributes
    ==========

    scf : SCF
    constant, lhs : Expr
    M : tuple or None
        The LHS's integer matrix (``None`` when the LHS is not a Möbius image of the constant).
    digits : int
        Digits for a numerical confirmation.
    numeric_fallback : bool
    base : BaseRelation or None
        Set by the classical finder (kept in the proofs of later finders).
    reason : str
        Why the earlier finders failed (each appends its reason).
    options : dict
        The options given to :func:`prove` for the finders (``max_d``, ``coeff_limit``,
        ``blocks``, ``max_multiple``).
    """

    scf: object
    constant: Expr
    lhs: Expr
    M: tuple
    digits: int
    numeric_fallback: bool = True
    base: BaseRelation = None
    reason: str = ""
    options: dict = field(default_factory=dict)
    _converges: bool = field(default=None, repr=False)

    @property
    def converges(self) -> bool:
        """Whether the SCF is semi-regular from some index on (computed once)."""
        if self._converges is None:
            self._converges = _converges(self.scf)
        return self._converges

    def proof(self, status, certificate=None, closed_form=None, digits: int = 0, reason: str = "",
              base=None) -> "Proof":
        """A :class:`Proof` of this claim."""
        return Proof(self.scf, self.constant, self.lhs, self.M, base, certificate, ProofStatus(status),
                     closed_form, digits, reason)


#: The proof finders :func:`prove` tries, in order.  Each takes a :class:`ProofAttempt` and
#: returns a :class:`Proof` or ``None`` (recording why in ``attempt.reason``); the first proof
#: returned is the answer, and when every finder returns ``None`` the claim is ``'open'``.
PROOF_FINDERS: list = []


def proof_finder(func=None, *, before=None):
    """Register a proof finder (a decorator): appended to :data:`PROOF_FINDERS`, or inserted
    before the finder ``before``.

    >>> [f.__name__ for f in PROOF_FINDERS]
    ['periodic_finder', 'hypergeometric_finder', 'classical_finder', 'numeric_finder']
    """
    def register(f):
        if f in PROOF_FINDERS:
            raise ValueError(f"{f.__name__} is registered already")
        if before is None:
            PROOF_FINDERS.append(f)
        else:
            PROOF_FINDERS.insert(PROOF_FINDERS.index(before), f)
        return f

    return register if func is None else register(func)


@proof_finder
def periodic_finder(att: ProofAttempt):
    """Eventually periodic quotients: a :class:`PeriodicCertificate` (theory T6.10)."""
    from ..cf import SCF

    if _symbolic(att):
        return None
    if isinstance(att.scf, SCF) and att.converges:
        pc = find_periodic_certificate(att.scf, att.lhs)
        if pc is not None:
            return att.proof(PROVEN, pc, pc.value)
    elif not isinstance(att.scf, SCF) and not att.scf.free_symbols:
        from .quadratic import identify_periodic

        per = identify_periodic(att.scf)            # a PCF with constant a, b (T6.12)
        if per is not None and per.status == PROVEN and _values_equal(per.closed_form, att.lhs):
            return att.proof(PROVEN, per, per.closed_form)
        if per is not None:
            att.reason += (f"the fraction's value is {per.closed_form} (T6.12), not proven equal to "
                           "the LHS; " if per.status == PROVEN else f"{per.reason}; ")
    return None


@proof_finder
def hypergeometric_finder(att: ProofAttempt):
    """A PCF of degree ``(1, <= 2)`` (or an SCF that is one term by term): the closed form
    derived from the coefficients (theory T6.11), compared exactly with the LHS."""
    from .hypergeometric import hypergeometric_certificate

    pcf = _as_pcf_of(att.scf)
    if pcf is None:
        return None
    cert = hypergeometric_certificate(pcf)
    if cert is None:
        return None
    if _values_equal(cert.closed_form, att.lhs):
        return att.proof(PROVEN, cert, cert.closed_form, base=att.base)
    att.reason += (f"the derived closed form {cert.closed_form} (T6.11) is not proven equal to "
                   f"the LHS; ")
    return None


@proof_finder
def classical_finder(att: ProofAttempt):
    """``c = K(y)`` for a classical reference ``y`` and a :class:`WalkCertificate` with
    ``N = M K`` (theory T6.6); ``'numerically confirmed'`` when ``c = K(y)`` is only numeric."""
    opts = att.options
    if _symbolic(att):
        att.reason += "free parameters: only the closed forms of theory T6.11 apply; "
        return None
    base = att.base = find_base_relation(att.constant, max_d=opts.get("max_d", 8),
                                         coeff_limit=opts.get("coeff_limit", 1000))
    M = att.M
    if M is None:
        att.reason += "the LHS is not a Möbius image of the constant; "
    elif base is None:
        att.reason += f"no reference fraction found for the constant {att.constant}; "
    elif not att.converges:
        att.reason += "the SCF is not semi-regular from any index (convergence not established); "
    else:
        N = primitive(mul(M, base.K))
        reason = ""
        try:
            cert = find_walk_certificate(att.scf, base.reference, N,
                                         **{k: opts[k] for k in ("blocks", "max_multiple") if k in opts})
        except ValueError as exc:
            cert, reason = None, str(exc)
        if cert is not None:
            u, H = base.reference.base()
            closed = _apply(mul(N, H), u)
            if base.status == PROVEN:
                return att.proof(PROVEN, cert, closed, base=base)
            return att.proof(NUMERIC, cert, closed, base.digits,
                             "the constant's relation to the reference is only numerically confirmed",
                             base=base)
        att.reason += (reason or (f"no walk certificate to the reference {base.reference} "
                                  "(no periodic synchronised state found)")) + "; "
    return None


@proof_finder
def numeric_finder(att: ProofAttempt):
    """``'numerically confirmed'``: the SCF's certified ball at ``digits`` digits contains the
    LHS (only with ``numeric_fallback``)."""
    if not att.numeric_fallback:
        return None
    if _symbolic(att):
        att.reason += "no numerical check with free parameters; "
        return None
    v = _certified(att.scf, att.digits)
    if v is not None and not v.contains(att.lhs):
        # a certified ball that excludes the LHS is a proof that they differ
        return att.proof(DISPROVEN, None, None, int(v.digits),
                         att.reason + f"the certified value ({int(v.digits)} digits) excludes the LHS: "
                                      "the claim is false", base=att.base)
    got = _numeric_agreement(att.scf, att.lhs, att.digits)
    if got >= att.digits:
        return att.proof(NUMERIC, None, None, got, att.reason.strip().rstrip(";"), base=att.base)
    att.reason += ("no certified value of the fraction" if v is None else
                   f"numerical agreement only {got} digits")
    return None


def _certified(x, digits: int):
    """The certified ball of ``x`` at ``digits + 10`` digits, or ``None``."""
    try:
        v = x.evaluate(digits + 10)
    except Exception:  # noqa: BLE001 - no value, no verdict
        return None
    return v if v.certified else None


def _symbolic(att) -> bool:
    return bool(att.scf.free_symbols or sympify_safe(att.lhs).free_symbols)


#: Options of :func:`prove` that reach the finders (and where they go).
PROVE_OPTIONS = {"max_d": "find_base_relation (the PSLQ table's bound, after the derived reference)",
                 "coeff_limit": "find_base_relation (the PSLQ coefficient bound)",
                 "blocks": "find_walk_certificate (block boundaries examined)",
                 "max_multiple": "find_walk_certificate (largest block multiple)",
                 "finders": "names of the PROOF_FINDERS to try, in their registered order"}


def prove(obj, *, lhs=None, constant=None, dps: int = 1000, numeric_fallback: bool = True,
          digits=None, **options) -> Proof:
    r"""Prove ``lhs = x`` for a continued fraction ``x`` (theory T6.6, T6.10, T6.11).

    Explanation
    ===========

    ``obj`` is what a user has:

    * an ESMA :class:`~esma_sympy.search.Conjecture` (its ``scf``, ``constant`` and LHS);
    * an :class:`~esma_sympy.SCF` or a :class:`~esma_sympy.PCF` with ``lhs`` (the claimed
      value; ``constant`` defaults to ``lhs``, give it when ``lhs`` is a Möbius image of a
      constant, e.g. ``lhs=E/(E - 1), constant=E``);
    * a pair ``(fraction, claimed value)``;
    * a bare SCF or PCF: the claimed value is then :func:`~esma_sympy.theory.identify`'s
      closed form.

    The proof finders of :data:`PROOF_FINDERS` are tried in order on a :class:`ProofAttempt`:

    0. eventually periodic quotients (a quadratic irrational): the tail is a fixed point of
       the period's matrix, and the value in radicals is compared exactly with the LHS
       (:class:`PeriodicCertificate`, theory T6.10);
    1. a PCF of degree ``(1, <= 2)``: its closed form derived from the coefficients (a Gauss
       or Kummer ratio, :class:`~esma_sympy.theory.hypergeometric.HypergeometricCertificate`,
       theory T6.11), compared exactly with the LHS;
    2. ``c = K(y)`` with ``y`` Lehmer's or Lambert's fraction, read off the constant's
       expression or found by PSLQ, proven by SymPy (:func:`find_base_relation`), and a
       :class:`WalkCertificate` ``W_{n_j} R ∝ N Y_{m_j}`` with ``N = M K`` (``M`` the LHS's
       matrix) — exact polynomial identity in the block index; so ``x = N(y) = lhs``, with the
       closed form ``N(y)`` in elementary terms when the Bessel order is a half-integer;
    3. otherwise ``'numerically confirmed'`` (the certified ball at ``dps`` digits contains the
       LHS; never ``'proven'``) or ``'open'``, with the reason.

    A new finder is added with the :func:`proof_finder` decorator.  The status is a
    :class:`~esma_sympy.verdict.ProofStatus` (``'proven'``, ``'numerically confirmed'``,
    ``'open'``), and :meth:`Proof.check` re-verifies every step, ``closed_form`` included.

    Examples
    ========

    >>> from sympy import E, tan, pi
    >>> from sympy.abc import n
    >>> from esma_sympy import esma_search, PCF
    >>> c = esma_search(tan(1), coeff_limit=1, max_period=3, depth=40).conjectures[0]
    >>> p = prove(c)
    >>> p.status, p.check()
    ('proven', True)
    >>> prove(PCF(n + 3, -n, n), lhs=E).status                 # Euler's fraction
    'proven'
    >>> prove((PCF(2*n + 1, n**2, n), 4/pi)).status            # a pair (fraction, value)
    'proven'
    >>> prove(PCF(12*n + 6, 1, n)).closed_form                 # bare: identify's closed form
    coth(1/6)

    Parameters
    ==========

    obj : Conjecture, SCF, PCF or (fraction, value)
    lhs, constant : Expr, optional
        The claimed value, and the constant it is a Möbius image of.
    dps : int
        Digits requested of the numerical fallback (``digits=``, its old name, is deprecated).
    numeric_fallback : bool
        Whether to evaluate numerically when no exact proof is found.
    **options
        Reach the finders: ``max_d``, ``coeff_limit`` (the PSLQ table of
        :func:`find_base_relation`), ``blocks``, ``max_multiple``
        (:func:`find_walk_certificate`), ``finders`` (names of finders to try); see
        :data:`PROVE_OPTIONS`.

    Returns
    =======

    Proof
    """
    # inside the function: the conjecture's module loads NumPy, which the theory does not need
    from ..cf import PCF, SCF
    from ..search.conjecture import Conjecture

    for name, lo in (("max_d", 1), ("coeff_limit", 1), ("blocks", 1), ("max_multiple", 1)):
        if name in options:
            options[name] = check_int(options[name], name, lo)
    if "finders" in options and (isinstance(options["finders"], str)
                                 or not all(isinstance(f, str) for f in options["finders"])):
        raise TypeError(f"finders must be a list of finder names, got {options['finders']!r}")
    unknown = sorted(set(options) - set(PROVE_OPTIONS))
    if unknown:
        raise TypeError(f"prove() got unknown option(s) {', '.join(map(repr, unknown))}; "
                        f"known: {', '.join(PROVE_OPTIONS)}")
    if isinstance(obj, (tuple, list)):
        if len(obj) != 2 or not isinstance(obj[0], (SCF, PCF)):
            raise TypeError(f"obj as a pair must be (SCF or PCF, claimed value), got {obj!r}")
        if lhs is not None:
            raise TypeError("lhs is given twice: in the pair obj and as lhs=")
        obj, lhs = obj
    if isinstance(obj, (SCF, PCF)):
        if lhs is None:
            if constant is not None:
                raise ValueError("lhs is required when constant is given")
            from .identify import identify

            r = identify(obj)
            if not r or r.closed_form is None:
                raise ValueError(f"lhs was not given and identify found no closed form of obj "
                                 f"({getattr(r, 'reason', None) or r.status}); pass lhs= (the claimed value)")
            lhs = r.closed_form
        scf, lhs_expr = obj, sympify_safe(lhs)
        constant = lhs_expr if constant is None else sympify_safe(constant)
        M = _lhs_matrix(lhs_expr, constant)
    elif isinstance(obj, Conjecture):
        scf, constant, lhs_expr = obj.scf, sympify_safe(obj.constant), obj.lhs_expr
        mob = obj.lhs.mobius
        M = None if mob is None else ((mob[0], mob[1]), (mob[2], mob[3]))
    else:
        raise TypeError(f"obj must be a Conjecture, an SCF, a PCF or a pair (fraction, value), got "
                        f"{obj!r} of type {type(obj).__name__}")
    digits = check_int(renamed_keyword("prove", "digits", digits, "dps", dps, default=1000), "dps", 10)
    finders = PROOF_FINDERS
    if "finders" in options:
        names = list(options["finders"])
        known = {f.__name__: f for f in PROOF_FINDERS}
        bad = [x for x in names if x not in known]
        if bad:
            raise ValueError(f"finders: unknown finder(s) {bad}; registered: {list(known)}")
        finders = [f for f in PROOF_FINDERS if f.__name__ in names]

    att = ProofAttempt(scf, constant, lhs_expr, M, digits, numeric_fallback, options=options)
    for finder in finders:
        p = finder(att)
        if p is not None:
            return p
    return att.proof(OPEN, None, None, 0, att.reason.strip().rstrip(";"), base=att.base)


def _lhs_matrix(lhs_expr, constant):
    from ..search.lhs import lhs_from_expr

    try:
        v = lhs_from_expr(lhs_expr, constant)
    except ValueError:
        return None
    mob = v.mobius
    if mob is None:
        return None
    M = ((mob[0], mob[1]), (mob[2], mob[3]))
    # lhs_from_expr keeps the value; the check guards against a representation of another sign
    if not _lhs_matches(lhs_expr, constant, M):
        M = ((-M[0][0], -M[0][1]), (M[1][0], M[1][1]))
    return M if _lhs_matches(lhs_expr, constant, M) else None


def prove_all(result, **kwargs) -> list:
    """Prove every conjecture of a :class:`~esma_sympy.search.SearchResult` and fill its
    ``closed_form`` and ``proof_status`` fields; returns the proofs (in order).

    >>> from sympy import E
    >>> from esma_sympy import esma_search
    >>> res = esma_search(E, coeff_limit=1, max_period=2, depth=40)
    >>> proofs = prove_all(res)
    >>> {str(c.proof_status) for c in res.conjectures}
    {'proven'}
    """
    proofs = []
    for c in result.conjectures:
        p = prove(c, **kwargs)
        c.proof_status = p.status
        c.closed_form = p.closed_form
        proofs.append(p)
    return proofs
