r"""What a report page shows, computed once for every format (HTML, MyST, LaTeX).

A *family* is a set of stored conjectures that are proven to be the same formula up to an
exact Möbius map of the LHS:

* the search's families: conjectures whose SCFs share a tail (theory T5.4), and
* tail families whose simplest members fold (exactly, T4.4) into the same canonical PCF
  (:func:`~esma_sympy.transforms.canonical`, T4.10): ``LHS_1 = M_1(y)`` and
  ``LHS_2 = M_2(y)`` for one value ``y``.

Each family shows its *simplest member* (lowest recurrence order, then shortest sign
pattern, then first found) in full -- ``LHS = SCF``, the canonical PCF, the closed form with the
proof's steps (:func:`~esma_sympy.theory.prove`, about 10 ms), digits per term against the
simple continued fraction of the same LHS -- and the digits curves when the two rates differ
(otherwise the plot would show two coinciding curves).  Other members are listed briefly.

Only the simplest member of each tail family is folded and proven, so a report costs about
the same for 100 or 3000 conjectures; folds and proofs are cached in the store.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

__all__ = ["Member", "Family", "ConstantPage", "build_page", "plain_name", "RATE_DIFFERS"]

#: the members a page lists per family (all of them are in ``esma export``)
MAX_SHOWN = 24

#: two rates differ (a plot is drawn) when their ratio is outside [1/1.05, 1.05]
RATE_DIFFERS = 1.05


@dataclass
class Member:
    """One stored conjecture, as a row of its family's table."""

    id: int
    lhs_text: str
    lhs_tex: str
    signs: str
    digits: int
    rate: float | None
    simple_rate: float | None
    status: str
    simple_cf: bool = False


@dataclass
class Family:
    """Conjectures proven to be one formula up to Möbius maps of the LHS (module docstring)."""

    number: int
    members: list
    tail_families: list
    scf_tex: str
    #: the simplest member's SCF: ``a_0 .. a_L`` and ``s_0 .. s_L`` for the ``L`` levels that
    #: ``scf_tex`` shows (for formats that print the fraction in their own notation)
    scf_quotients: tuple = ()
    scf_signs: tuple = ()
    pcf_text: str | None = None
    pcf_tex: str | None = None
    mobius: list | None = None
    canonical_tex: str | None = None
    canonical_parts: tuple | None = None
    pcf_parts: dict | None = None
    quotients_tex: str = ""
    best_scf_tex: str | None = None
    best_scf_quotients: tuple = ()
    best_scf_signs: tuple = ()
    best_quotients_tex: str | None = None
    closed_tex: str | None = None
    closed_text: str | None = None
    status: str = "conjectured"
    steps: list = field(default_factory=list)
    reason: str = ""
    curves: tuple | None = None

    @property
    def simplest(self) -> Member:
        return self.members[0]

    @property
    def rate(self):
        return self.simplest.rate

    @property
    def best(self) -> Member:
        """The member with the largest gain over the simple continued fraction of its own LHS
        (the ratio of digits per term at depth 100)."""
        return max(self.members, key=lambda m: (_advantage(m), m.rate or 0.0, -m.id))

    @property
    def gainer(self):
        """:attr:`best` when it is another member than the simplest and gains more (by more
        than 1%), else ``None``."""
        b = self.best
        if b.id != self.simplest.id and _advantage(b) > 1.01 * _advantage(self.simplest):
            return b
        return None

    @property
    def n_proven(self) -> int:
        return sum(m.status == "proven" for m in self.members)

    @property
    def proven(self) -> bool:
        return self.status == "proven"

    @property
    def classical(self) -> bool:
        """The family holds the simple continued fraction of one of its LHS (all signs ``+``,
        every quotient after ``a_0`` positive): a classical formula, not a new one."""
        return any(m.simple_cf for m in self.members)


@dataclass
class ConstantPage:
    """Everything one constant's page shows."""

    constant: str
    slug: str
    title_tex: str
    title_text: str
    n_conjectures: int
    n_tail_families: int
    families: list
    n_proven: int
    #: the letter that stands for the constant in the LHS (``None``: the constant itself)
    symbol: str | None = None

    @property
    def new_families(self) -> int:
        """The families that are not classical (:attr:`Family.classical`)."""
        return sum(not f.classical for f in self.families)

    @property
    def best(self):
        """``(family, member)`` of the formula that converges fastest against the simple
        continued fraction of its own LHS (the largest ratio of digits per term; ``None``
        without families)."""
        if not self.families:
            return None
        f = max(self.families, key=lambda f: (_advantage(f.best), f.best.rate or 0.0, -f.number))
        return f, f.best


def plain_name(expr) -> str:
    """A constant in plain Unicode, for page titles and sidebars where TeX does not render.

    >>> from sympy import E, exp, tan, besseli, pi, Rational, sqrt
    >>> [plain_name(x) for x in (E, exp(2), tan(1), besseli(1, 2)/besseli(0, 2), 2*E - 1)]
    ['e', 'e²', 'tan 1', 'I₁(2)/I₀(2)', '2e − 1']
    >>> plain_name(-tan(1)/(2*tan(1) + 1)), plain_name(-2*E/(E + 1))
    ('−tan(1)/(2tan(1) + 1)', '−2e/(e + 1)')
    >>> plain_name(exp(Rational(1, 3))), plain_name(sqrt(2) + pi), plain_name((2*E + 2)/(E - 1))
    ('e^(1/3)', 'π + √2', '(2e + 2)/(e − 1)')
    """
    from sympy import Function, Integer, Pow, Rational, S, Symbol, besseli, besselj, exp
    from sympy.printing.str import StrPrinter

    sup = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
    sub = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")

    class _P(StrPrinter):
        def _print_Exp1(self, e):
            return "e"

        def _print_Pi(self, e):
            return "π"

        def _print_EulerGamma(self, e):
            return "γ"

        def _print_GoldenRatio(self, e):
            return "φ"

        def _print_Pow(self, e, rational=False):
            b, x = e.as_base_exp()
            if x == Rational(1, 2):
                return "√" + (self._print(b) if b.is_Atom else f"({self._print(b)})")
            bs = "e" if b is S.Exp1 else self.parenthesize(b, 1000)
            if isinstance(x, Integer) and x >= 0:
                return bs + str(x).translate(sup)
            return super()._print_Pow(e, rational)

        def _print_exp(self, e):
            return self._print_Pow(Pow(exp(1), e.args[0], evaluate=False))

        def _print_Function(self, e):
            if isinstance(e, (besseli, besselj)):
                nu = self._print(e.args[0])
                s = nu.translate(sub) if nu.lstrip("-").isdigit() else f"_({nu})"
                return ("I" if isinstance(e, besseli) else "J") + s + f"({self._print(e.args[1])})"
            if (self._print_level == 1 and len(e.args) == 1
                    and (e.args[0].is_Integer or isinstance(e.args[0], Symbol))):
                return f"{e.func.__name__} {self._print(e.args[0])}"      # alone: tan 1
            return super()._print_Function(e)                             # inside: tan(1)

        def _print_Mul(self, e):
            out = super()._print_Mul(e).replace("*", "")
            return "−" + out[1:] if out.startswith("-") else out

        def _print_Add(self, e, order=None):
            # natural order: the terms with the constant first, the rational number last
            terms = sorted(e.args, key=lambda t: (bool(t.is_Rational), str(t)))
            out = ""
            for t in terms:
                neg = t.could_extract_minus_sign()
                s = self.parenthesize(-t if neg else t, 40)   # PRECEDENCE["Add"]
                out += (" − " if neg else " + ") + s if out else ("−" if neg else "") + s
            return out

    del Function
    return _P({"order": "lex"})._print(expr).replace("**", "^")


def _is_simple_cf(row) -> bool:
    """Whether a stored conjecture's SCF is a simple continued fraction: every sign ``+`` and
    every quotient after ``a_0`` positive.  The certified terms are checked, and each residue
    polynomial ``P_r(k)`` is positive for every later ``k``: its leading coefficient is
    positive and the certified blocks reach beyond Cauchy's bound on its real roots."""
    if any(int(x) < 0 for x in json.loads(row["signs"])):
        return False
    terms = json.loads(row["first_terms"])
    if any(int(t) <= 0 for t in terms[1:]):
        return False
    from fractions import Fraction

    polys = [[Fraction(c) for c in p] for p in json.loads(row["polys"])]
    blocks = (len(terms) - len(json.loads(row["prefix"]))) // max(len(polys), 1)
    for p in polys:
        while p and p[-1] == 0:
            p = p[:-1]
        if not p or p[-1] <= 0:
            return False
        bound = 1 + max((abs(c / p[-1]) for c in p[:-1]), default=0)
        if bound >= blocks:
            return False
    return True


def _advantage(m) -> float:
    return m.rate / m.simple_rate if m.rate and m.simple_rate else 0.0


def _simplicity(row) -> tuple:
    return (len(json.loads(row["charpoly"])), len(json.loads(row["signs"])), row["id"])


def _differs(a, b) -> bool:
    if not a or not b:
        return False
    return abs(math.log(a / b)) > math.log(RATE_DIFFERS)


def _closed_latex(text, constant):
    if text is None:
        return None
    from ..numeric.parse import parse_constant

    try:
        return natural_latex(parse_constant(text), constant)
    except (ValueError, TypeError, SyntaxError):
        return None


def _parse_pcf(text: str):
    """The PCF of a stored text ``PCF(a, b, n)`` (parsed without evaluating Python).

    >>> _parse_pcf("PCF(4*n + 6, 1, n)")
    PCF(4*n + 6, 1, n)
    """
    import re

    from sympy import Symbol

    from ..cf import PCF
    from ..numeric.parse import parse_expression

    m = re.fullmatch(r"PCF\((.*), (.*), ([A-Za-z]\w*)\)", text.strip())
    if m is None:
        raise ValueError(f"not a stored PCF: {text!r}")
    return PCF(parse_expression(m[1]), parse_expression(m[2]), Symbol(m[3]))


#: the levels of ``\\cfrac`` shown of an SCF (its general term is shown by :func:`quotients_latex`)
SCF_LEVELS = 7


def quotients_latex(row) -> str:
    r"""The partial quotients of a stored conjecture in LaTeX: the prefix, then the block of
    quasi-polynomials ``P_r(k)`` repeated for ``k = 0, 1, 2, ...``.

    >>> quotients_latex({"prefix": "[7, 2]", "quotients": '["k + 2", "8"]'})
    'a_0, a_1, \\ldots = 7, 2,\\ \\underbrace{k + 2, 8}_{k = 0, 1, 2, \\ldots}'
    """
    from sympy import latex

    from ..numeric.parse import parse_expression

    pre = ", ".join(map(str, json.loads(row["prefix"])))
    block = ", ".join(latex(parse_expression(q)) for q in json.loads(row["quotients"]))
    head = f"{pre},\\ " if pre else ""
    return rf"a_0, a_1, \ldots = {head}\underbrace{{{block}}}_{{k = 0, 1, 2, \ldots}}"


#: a PCF whose LaTeX is longer than this is shown by its degrees and first terms
LONG_PCF = 160


def pcf_parts(P) -> dict:
    r"""The pieces a page shows of a PCF ``b_0 + K a_n/b_n``: the polynomials in LaTeX, their
    degrees, the first terms as an explicit continued fraction, and whether the polynomials
    are too long to print inline (:data:`LONG_PCF` characters).

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> d = pcf_parts(PCF(4*n + 6, 1, n))
    >>> d["a"], d["b"], d["degrees"], d["long"]
    ('4 n + 6', '1', (1, 0), False)
    >>> d["first"]
    '6 + \\cfrac{1}{10 + \\cfrac{1}{14 + \\cfrac{1}{18 + \\dotsb}}}'
    """
    from sympy import Poly, latex

    n = P.index
    a, b = P.a, P.b
    da, db = Poly(a, n).degree(), Poly(b, n).degree()
    ta, tb = latex(a), latex(b)
    # y = a(0) + b(1)/(a(1) + b(2)/(a(2) + b(3)/(a(3) + ...))), a negative b(k) as "- |b(k)|/..."
    def level(k, inner):
        bk = b.subs(n, k)
        sign, mag = ("-", -bk) if bk.is_number and bk < 0 else ("+", bk)
        return rf" {sign} \cfrac{{{latex(mag)}}}{{{inner}}}"

    tail = rf"{latex(a.subs(n, 3))} + \dotsb"
    for k in (2, 1):
        tail = latex(a.subs(n, k)) + level(k + 1, tail)
    first = latex(a.subs(n, 0)) + level(1, tail)
    return {"a": ta, "b": tb, "degrees": (da, db), "first": first,
            "long": len(ta) + len(tb) > LONG_PCF}


def natural_latex(expr, constant) -> str:
    r"""``expr`` in LaTeX in natural order when it is a rational function of ``constant``
    (``\frac{2 e + 2}{e - 1}``, not ``\frac{2 + 2 e}{-1 + e}``), else SymPy's LaTeX.

    >>> from sympy import E, coth, Rational
    >>> natural_latex((2*E + 2)/(E - 1), E), natural_latex(coth(Rational(1, 2)), E)
    ('\\frac{2 e + 2}{e - 1}', '\\coth{\\left(\\frac{1}{2} \\right)}')
    """
    from sympy import latex

    from ..theory.proof import _lhs_latex

    try:
        return _lhs_latex(expr, constant)
    except (ValueError, TypeError, ArithmeticError, AttributeError):
        return latex(expr)


def build_page(store, constant: str, slug: str, *, prove: bool = True, plot_depth: int = 60,
               jobs: int = 1, timings: dict | None = None) -> ConstantPage:
    """The :class:`ConstantPage` of ``constant`` from ``store`` (folding and proving the simplest
    member of each tail family, caching both in the store).

    >>> import os, tempfile
    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> from esma_sympy.store import Store, run_search
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Store(os.path.join(tmp, "s.sqlite")) as store:
    ...         _ = run_search(plan_search(E, lhs=["E", "E - 1"], max_period=2, depth=40), store)
    ...         page = build_page(store, "E", "e")
    >>> page.title_text, page.n_conjectures >= len(page.families) >= 1
    ('e', True)
    >>> f = page.families[0]; f.status, f.pcf_text is not None, f.steps[0][0]
    ('proven', True, 'Claim')
    """
    import time

    from sympy import latex

    from ..numeric.parse import parse_constant
    from ..store.rows import row_conjecture
    from ..transforms import canonical
    from .pages import _fold_rows

    tm = timings if timings is not None else {}
    for k in ("fold", "prove", "plot", "render"):
        tm.setdefault(k, 0.0)
    t0 = time.perf_counter()
    rows = store.rows(constant=constant)
    expr = parse_constant(constant)
    groups: dict = {}
    for r in rows:
        groups.setdefault((r["run_id"], r["family"]), []).append(r)
    ordered = [sorted(m, key=_simplicity) for m in groups.values()]
    tm["render"] += time.perf_counter() - t0

    t0 = time.perf_counter()
    folded = _fold_rows(store, [m[0] for m in ordered], jobs)
    tm["fold"] += time.perf_counter() - t0

    # merge tail families whose simplest members fold into the same canonical PCF
    t0 = time.perf_counter()
    canon, merged, key_of, pcf_of = {}, {}, {}, {}
    for i, m in enumerate(ordered):
        text = folded[m[0]["id"]].get("pcf")
        key = ("tail", i)
        if text is not None:
            try:
                P = pcf_of[m[0]["id"]] = _parse_pcf(text)
                C = canonical(P)
                key = ("pcf", str(C))
                canon.setdefault(key, C)
            except (ValueError, TypeError, ZeroDivisionError, ArithmeticError):
                pass
        key_of[i] = key
        merged.setdefault(key, []).append(i)
    tm["fold"] += time.perf_counter() - t0

    conj_cache: dict = {}

    def conj(r):
        c = conj_cache.get(r["id"])
        if c is None:
            c = conj_cache[r["id"]] = row_conjecture(r)
        return c

    lhs_tex: dict = {}
    # a ratio (Bessel, 0F1) is written c in the LHS, and the page says what c is
    from sympy import fraction

    abbrev = not fraction(expr)[1].is_number

    def member(r) -> Member:
        if r["lhs"] not in lhs_tex:
            if abbrev:
                from sympy import Dummy

                d = Dummy("c")
                lhs_tex[r["lhs"]] = latex(conj(r).lhs.expr(d), symbol_names={d: "c"})
            else:
                lhs_tex[r["lhs"]] = conj(r).lhs_latex
        signs = "".join("+" if s > 0 else "−" for s in json.loads(r["signs"]))
        return Member(r["id"], r["lhs"], lhs_tex[r["lhs"]], signs, r["digits"], r["rate"],
                      r["simple_rate"], r["proof_status"], _is_simple_cf(r))

    families = []
    for key, idx in merged.items():
        reps = [ordered[i][0] for i in idx]
        rep = min(reps, key=_simplicity)
        members = sorted((r for i in idx for r in ordered[i]), key=_simplicity)
        fr = folded.get(rep["id"], rep)
        scf = conj(rep).scf
        levels = min(scf._levels()[0], SCF_LEVELS)
        fam = Family(number=0, members=[member(r) for r in members],
                     tail_families=sorted(ordered[i][0]["family"] for i in idx),
                     scf_tex=scf.to_latex(cfrac=levels),
                     scf_quotients=tuple(int(q) for q in scf.terms(levels + 1)),
                     scf_signs=tuple(scf.signs(levels + 1)),
                     quotients_tex=quotients_latex(rep))
        if key[0] == "pcf":
            # the fold of the simplest member (its Möbius map refers to it), and its canonical
            # form when that differs (deflated and normalised: the value changes by a constant
            # factor, T4.10)
            C, P = canon[key], pcf_of[rep["id"]]
            fam.pcf_text = str(P)
            fam.mobius = json.loads(fr["pcf_mobius"]) if fr.get("pcf_mobius") else None
            fam.pcf_tex = fr.get("pcf_latex")
            fam.pcf_parts = pcf_parts(P)
            if str(C) != str(P):
                fam.canonical_tex = rf"a(n) = {latex(C.a)},\quad b(n) = {latex(C.b)}"
                fam.canonical_parts = (latex(C.a), latex(C.b))
        families.append((fam, rep))
    tm["render"] += time.perf_counter() - t0

    by_id = {r["id"]: r for r in rows}
    # the simplest member of each search family (a family number is per run)
    tail_rep = {(m[0]["run_id"], m[0]["family"]): m[0] for m in ordered}
    if prove:
        t0 = time.perf_counter()
        from ..theory import find_tail_transfer
        from ..theory import prove as _prove

        carried = []
        for fam, rep in families:
            try:
                p = _prove(conj(rep))
            except (ValueError, TypeError, ArithmeticError) as err:
                fam.status, fam.reason = "open", f"the proof failed: {err}"
                continue
            fam.status = str(p.status)
            fam.reason = p.reason
            fam.steps = p.steps()
            if p.closed_form is not None:
                fam.closed_tex = natural_latex(p.closed_form, expr)
                fam.closed_text = str(p.closed_form)
            if str(p.status) != rep["proof_status"] or (
                    p.closed_form is not None and rep["closed_form"] is None):
                store.set_proof(rep["id"], p.closed_form, str(p.status))
                for m in fam.members:
                    if m.id == rep["id"]:
                        m.status = str(p.status)
            if str(p.status) != "proven":
                continue
            # the members a page lists get the proof of the simplest member of their search
            # family carried along the shared tail (TailTransfer, exact; about 1 ms each);
            # the others keep their stored status
            sources = {(rep["run_id"], rep["family"]): p}
            for m in fam.members[:MAX_SHOWN]:
                if m.status == "proven":
                    continue
                row = by_id[m.id]
                key = (row["run_id"], row["family"])
                src = tail_rep[key]
                if key not in sources:
                    try:
                        sources[key] = _prove(conj(src))
                    except (ValueError, TypeError, ArithmeticError):
                        sources[key] = None
                q = sources[key]
                if q is None or str(q.status) != "proven":
                    continue
                if src["id"] == m.id:
                    m.status = "proven"
                    carried.append((m.id, str(q.closed_form), "proven"))
                    continue
                c = conj(row)
                if find_tail_transfer(q, conj(src), c) is not None:
                    m.status = "proven"
                    carried.append((m.id, row["lhs"], "proven"))
        if carried:
            store.set_proofs(carried)
        tm["prove"] += time.perf_counter() - t0
    else:
        for fam, rep in families:
            fam.status = rep["proof_status"]
            fam.closed_tex = _closed_latex(rep["closed_form"], expr)
            fam.closed_text = rep["closed_form"]

    t0 = time.perf_counter()
    from .plots import digits_curves

    for fam, rep in families:
        # the member with the largest gain over the simple CF of its LHS: shown too when it is
        # not the simplest and gains more, and plotted when its rate and the simple CF's differ
        g = fam.gainer
        b = by_id[g.id] if g is not None else rep
        if g is not None:
            scf = conj(b).scf
            levels = min(scf._levels()[0], SCF_LEVELS)
            fam.best_scf_tex = scf.to_latex(cfrac=levels)
            fam.best_scf_quotients = tuple(int(q) for q in scf.terms(levels + 1))
            fam.best_scf_signs = tuple(scf.signs(levels + 1))
            fam.best_quotients_tex = quotients_latex(b)
        if _differs(b["rate"], b["simple_rate"]):
            fam.curves = digits_curves(conj(b), plot_depth)
    tm["plot"] += time.perf_counter() - t0

    fams = [f for f, _ in families]
    fams.sort(key=lambda f: (-_advantage(f.best), -(f.best.rate or 0.0), _simplicity_of(f)))
    for i, f in enumerate(fams, 1):
        f.number = i
    n_proven = sum(f.n_proven for f in fams)
    return ConstantPage(constant=constant, slug=slug, title_tex=latex(expr),
                        title_text=plain_name(expr), n_conjectures=len(rows),
                        n_tail_families=len(ordered), families=fams, n_proven=n_proven,
                        symbol="c" if abbrev else None)


def _simplicity_of(f: Family) -> tuple:
    return (len(f.simplest.signs), f.simplest.id)
