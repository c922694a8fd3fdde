r"""Proofs carried along a family: a conjecture whose SCF shares a tail with a proven one.

Let ``x = [a_0; s_0, a_1, s_1, ...]`` and ``x' = [a'_0; s'_0, ...]`` be signed continued
fractions whose tails agree: ``t = \text{tail}_i(x) = \text{tail}_j(x')`` (the quotients
``a_{i+t}`` and signs ``s_{i+t}``, ``t >= 0``, of ``x`` are those of ``x'`` from ``j``; the
sign ``s_{i-1}`` before the tail belongs to the walk).  With the walk matrices
``G_i = \begin{pmatrix} p_{i-1} & s_{i-1} p_{i-2} \\ q_{i-1} & s_{i-1} q_{i-2}\end{pmatrix}``
one has ``x = G_i(t)`` and ``x' = G'_j(t)`` (theory T4.7), so ``x = H(x')`` with
``H = G_i \operatorname{adj}(G'_j)``.  If ``x' = L'(c)`` is proven (a :class:`Proof`) and
``H(L'(c)) = L(c)`` holds as an identity of rational functions of the constant, then
``x = L(c)`` is proven (theory T5.4 and T6.6):

* the tails agree *exactly*: both sequences are quasi-polynomials, compared residue by residue
  of the common period as polynomials in the block index (not on finitely many terms);
* convergence: ``x'`` converges (its proof checks it), so its tail ``t`` converges (a
  continued fraction converges exactly when its tails do, Jones–Thron), to a finite value
  because ``x' = L'(c)`` is not the pole ``G'_j(\infty) = p'_{j-1}/q'_{j-1}`` (an arb ball
  shows it), and ``x = G_i(t)`` is finite because the denominator of ``H(L'(c))`` does not
  vanish at ``c`` (an arb ball again); ``\det H = \pm\det G_i \det G'_j \neq 0``;
* the identity ``(h_{00} P' + h_{01} Q') Q = (h_{10} P' + h_{11} Q') P`` of integer
  polynomials in ``c`` (``L = P/Q``, ``L' = P'/Q'``), or, for an algebraic constant
  (a quadratic irrational), the same modulo its minimal polynomial.

This costs integer and ``fmpq_poly`` arithmetic, no SymPy: the atlas settles the members of a
family this way from the proof of its simplest member.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd

from ..verdict import Certificate

__all__ = ["TailTransfer", "find_tail_transfer"]


def _lcm(a: int, b: int) -> int:
    return a // gcd(a, b) * b


def _walk(prefix, polys, signs, i: int) -> tuple:
    """``G_i`` of the SCF with these quotients (exact integers)."""
    p1, p0, q1, q0 = 0, 1, 1, 0          # p_{-2}, p_{-1}, q_{-2}, q_{-1}
    P = len(signs)
    for n in range(i):
        a = _term(prefix, polys, n)
        s = int(signs[(n - 1) % P]) if n > 0 else 1
        p1, p0 = p0, a * p0 + s * p1
        q1, q0 = q0, a * q0 + s * q1
    s = int(signs[(i - 1) % P]) if i > 0 else 1
    return (p0, s * p1, q0, s * q1)


def _term(prefix, polys, n: int) -> int:
    if n < len(prefix):
        return int(prefix[n])
    T = len(polys)
    r, k = (n - len(prefix)) % T, (n - len(prefix)) // T
    v = sum(c * k**e for e, c in enumerate(polys[r]))
    if getattr(v, "denominator", 1) != 1:
        raise ValueError(f"the quotient a_{n} = {v} is not an integer")
    return int(v)


def _block_poly(prefix, polys, start: int, residue: int, step: int):
    """The polynomial ``u -> a_{start + residue + step u}`` (``start >= len(prefix)``,
    ``step`` a multiple of the period) as an ``fmpq_poly``."""
    from flint import fmpq, fmpq_poly

    T = len(polys)
    m = start - len(prefix) + residue
    r, k0 = m % T, m // T
    p = fmpq_poly([fmpq(c.numerator, c.denominator) if hasattr(c, "numerator") else fmpq(c)
                   for c in polys[r]])
    return p(fmpq_poly([k0, step // T]))


def _tails_agree(x, i: int, y, j: int) -> bool:
    """Whether the quotients and signs of ``x`` from index ``i`` are those of ``y`` from
    ``j``, for every index (``x``, ``y``: ``(prefix, polys, signs)``)."""
    (px, Px, sx), (py, Py, sy) = x, y
    if i < len(px) or j < len(py):
        return False
    L = _lcm(len(Px), len(Py))
    S = _lcm(len(sx), len(sy))
    if any(sx[(i + t) % len(sx)] != sy[(j + t) % len(sy)] for t in range(S)):
        return False
    return all(_block_poly(px, Px, i, r, L) == _block_poly(py, Py, j, r, L) for r in range(L))


def _data(conj) -> tuple:
    return (tuple(int(a) for a in conj.prefix), tuple(tuple(p) for p in conj.polys),
            tuple(int(s) for s in conj.signs))


def _poly(coeffs):
    from flint import fmpz_poly

    return fmpz_poly([int(c) for c in coeffs])


@dataclass(frozen=True)
class TailTransfer(Certificate):
    r"""``x = H(x')`` for a member ``x`` of a family and its proven simplest member ``x'``
    (module docstring): ``member`` and ``source`` are the two conjectures, ``proof`` the
    :class:`~esma_sympy.theory.Proof` of ``source``, ``i`` and ``j`` the indices of the shared
    tail, ``H`` the integer matrix ``(h00, h01, h10, h11)``.

    >>> from sympy import E
    >>> from esma_sympy import esma_search
    >>> from esma_sympy.theory import prove
    >>> fam = esma_search(E, max_period=2).families[0]
    >>> p = prove(fam[0])
    >>> t = find_tail_transfer(p, fam[0], fam[1])
    >>> t.check(), t.closed_form == fam[1].lhs_expr, t.i, t.j
    (True, True, 2, 2)
    >>> t.relation
    'value(member) = H(value(source)) = -2*E - 1 with H = [[1, 1], [0, 1]]'
    >>> find_tail_transfer(p, fam[0], esma_search(E, max_period=2).families[1][0]) is None
    True
    """

    member: object
    source: object
    proof: object
    i: int
    j: int
    H: tuple

    @property
    def closed_form(self):
        """The member's LHS, which the certificate proves to be its value."""
        return self.member.lhs_expr

    @property
    def relation(self) -> str:
        h = self.H
        return (f"value(member) = H(value(source)) = {self.member.lhs_expr} with "
                f"H = [[{h[0]}, {h[1]}], [{h[2]}, {h[3]}]]")

    def check(self) -> bool:
        """The source's proof (re-checked), then :meth:`check_transfer`."""
        return (str(self.proof.status) == "proven" and self.proof.scf == self.source.scf
                and self.proof.check() and self.check_transfer())

    def check_transfer(self) -> bool:
        """Every hypothesis of the transfer, the source's proof taken as checked: the tails
        agree exactly, ``H = G_i adj(G'_j)``, the two non-poles (arb), the polynomial
        identity."""
        m, s = _data(self.member), _data(self.source)
        if self.member.constant != self.source.constant:
            return False
        if not _tails_agree(m, self.i, s, self.j):
            return False
        if self.H != _transfer_matrix(m, self.i, s, self.j):
            return False
        return _identity_and_poles(self.member, self.source, self.H, s, self.j)

    def steps(self) -> list:
        """``(title, LaTeX)`` pairs."""
        from .proof import _lhs_latex

        h = self.H
        lm = _lhs_latex(self.member.lhs_expr, self.member.constant)
        ls = _lhs_latex(self.source.lhs_expr, self.source.constant)
        H = rf"\begin{{pmatrix}} {h[0]} & {h[1]} \\ {h[2]} & {h[3]} \end{{pmatrix}}"
        return [("Claim", rf"x = {lm}"),
                ("Shared tail (T5.4)", rf"\operatorname{{tail}}_{{{self.i}}}(x) = "
                                       rf"\operatorname{{tail}}_{{{self.j}}}(x')"),
                ("Source (proven)", rf"x' = {ls}"),
                ("Walks (T4.7)", rf"x = {H}(x') = {lm}\quad\blacksquare")]


def _transfer_matrix(m, i, s, j) -> tuple:
    g = _walk(*m, i)
    h = _walk(*s, j)
    # adj(G') = [[h11, -h01], [-h10, h00]]
    a = (h[3], -h[1], -h[2], h[0])
    H = (g[0] * a[0] + g[1] * a[2], g[0] * a[1] + g[1] * a[3],
         g[2] * a[0] + g[3] * a[2], g[2] * a[1] + g[3] * a[3])
    d = 0
    for v in H:
        d = gcd(d, v)
    if d > 1:
        H = tuple(v // d for v in H)
    return H


_ARB: dict = {}


def _arb_of(constant):
    """A 128-bit arb ball of ``constant`` (cached: every member of a family asks for it)."""
    from ..numeric.constants import to_arb

    key = str(constant)
    if key not in _ARB:
        if len(_ARB) > 256:
            _ARB.clear()
        _ARB[key] = to_arb(constant, 128)
    return _ARB[key]


_MINPOLY: dict = {}


def _minpoly_of(constant):
    """The minimal polynomial of an algebraic ``constant`` over the integers (an
    ``fmpz_poly``), ``None`` for a constant not known to be algebraic (cached)."""
    key = str(constant)
    if key not in _MINPOLY:
        mp = None
        if getattr(constant, "is_algebraic", None) and getattr(constant, "is_rational", None) is False:
            from sympy import Poly, Symbol, minimal_polynomial

            x = Symbol("x")
            P = Poly(minimal_polynomial(constant, x), x)
            if all(c.is_Integer for c in P.all_coeffs()):
                mp = _poly(reversed(P.all_coeffs()))
        if len(_MINPOLY) > 256:
            _MINPOLY.clear()
        _MINPOLY[key] = mp
    return _MINPOLY[key]


def _identity_and_poles(member, source, H, s, j) -> bool:
    Pm, Qm = _poly(member.lhs.num), _poly(member.lhs.den)
    Ps, Qs = _poly(source.lhs.num), _poly(source.lhs.den)
    num = H[0] * Ps + H[1] * Qs
    den = H[2] * Ps + H[3] * Qs
    if den == 0 or H[0] * H[3] - H[1] * H[2] == 0:
        return False
    D = num * Qm - den * Pm
    if D != 0:
        # an identity of rational functions, or, for an algebraic constant, one modulo its
        # minimal polynomial (sqrt(2) + 1 = 1/(sqrt(2) - 1))
        mp = _minpoly_of(member.constant)
        from flint import fmpq_poly

        if mp is None or fmpq_poly(D) % fmpq_poly(mp) != 0:
            return False
    c = _arb_of(member.constant)
    x = Ps(c) / Qs(c) if not Qs(c).contains(0) else None
    if x is None or den(c).contains(0) or Qm(c).contains(0):
        return False
    g = _walk(*s, j)                       # x' is not the pole G'_j(oo) = p'_{j-1}/q'_{j-1}
    return not (g[2] * x - g[0]).contains(0)


def _windows(source, w: int) -> dict:
    """``{window of (quotient, sign) pairs: first index}`` of ``source``'s certified terms
    from its prefix on (cached on the conjecture, per width)."""
    cache = source._cache.setdefault("tail_windows", {})
    if w not in cache:
        ts, ss = list(source.first_terms), tuple(int(x) for x in source.signs)
        pairs = [(ts[j], ss[j % len(ss)]) for j in range(len(ts))]
        out: dict = {}
        for j in range(len(source.prefix), len(ts) - w):
            out.setdefault(tuple(pairs[j:j + w]), j)
        cache[w] = out
    return cache[w]


def find_tail_transfer(proof, source, member):
    """The :class:`TailTransfer` from ``proof`` (of the conjecture ``source``) to ``member``
    when their SCFs share a tail and the LHS identity holds; ``None`` otherwise.  The shared
    tail is located on the certified terms and then verified exactly (and the rest of
    :meth:`TailTransfer.check_transfer`); the source's proof is not re-checked here."""
    if proof is None or str(proof.status) != "proven" or member.constant != source.constant:
        return None
    m, s = _data(member), _data(source)
    per_m = _lcm(len(m[1]), len(m[2]))
    per_s = _lcm(len(s[1]), len(s[2]))
    w = 2 * _lcm(per_m, per_s) + 4
    code_s = _windows(source, w)
    tm, sm = list(member.first_terms), m[2]
    pairs = [(tm[i], sm[i % len(sm)]) for i in range(len(tm))]
    for i in range(len(m[0]), len(tm) - w):
        j = code_s.get(tuple(pairs[i:i + w]))
        if j is None or not _tails_agree(m, i, s, j):
            continue
        H = _transfer_matrix(m, i, s, j)
        if _identity_and_poles(member, source, H, s, j):
            return TailTransfer(member, source, proof, i, j, H)
        return None
    return None
