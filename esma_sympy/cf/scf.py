"""Signed continued fractions (the ESMA convention) as SymPy expressions.

Convention (pinned; ARCHITECTURE.md): ``x = a_0 + s_0/(a_1 + s_1/(a_2 + s_2/(a_3 + ...)))``
with integer partial quotients ``a_i`` and signs ``s_i`` in ``{+1, -1}``.  The sign ``s_i`` is
the numerator that *follows* ``a_i``.  A periodic sign pattern ``sigma`` is anchored at index 0:
``s_i = sigma[i mod p]``, so ``(+1, -1)`` and ``(-1, +1)`` are different patterns.  In the
PCF-style walk, level ``k`` has ``a_k`` and numerator ``b_k = s_{k-1}``.

The ESMA expansion of a real ``x`` takes ``a_i = floor(x_i)`` when ``s_i = +1`` and
``ceil(x_i)`` when ``s_i = -1``; then every tail exceeds 1 and the fraction is *semi-regular*:
``a_i >= 1`` and ``a_i + s_i >= 1`` for ``i >= 1`` (theory T2.1), so it converges and
every tail is at least 1 (theory T1.3).
"""

from __future__ import annotations

from functools import lru_cache
from math import gcd

from flint import fmpq
from sympy import Basic, Expr, Integer, S, Tuple, sympify
from sympy.logic.boolalg import BooleanAtom
from sympy.printing.pretty.stringpict import prettyForm

from .. import limits
from ..numeric.parse import sympify_safe
from ..numeric.parse import as_expr
from ..numeric.polyineq import first_index_from_which
from .base import ContinuedFraction, _register_evalf
from .quasipolynomial import QuasiPolynomial, _flint_polys, _fmpq_terms

__all__ = ["SCF"]


def _bounded(items, name: str) -> list:
    """``list(items)``, refused beyond :data:`esma_sympy.limits.MAX_TERMS` entries before they
    are converted one by one (a tuple of 10**7 signs)."""
    from itertools import islice

    n = len(items) if hasattr(items, "__len__") else None
    out = list(items) if n is not None and n <= limits.MAX_TERMS else \
        list(islice(iter(items), limits.MAX_TERMS + 1))
    if n is not None and n > limits.MAX_TERMS or len(out) > limits.MAX_TERMS:
        size = n if n is not None else f"more than {limits.MAX_TERMS}"
        raise limits.ResourceLimitError(
            f"{name} has {size} entries, above esma_sympy.limits.MAX_TERMS = {limits.MAX_TERMS} "
            "(an infinite fraction is given by a QuasiPolynomial and a periodic sign pattern)")
    return out


def _sympify_quotients(quotients):
    if isinstance(quotients, QuasiPolynomial):
        if quotients.free_symbols:
            raise ValueError(
                f"quotients must be integers, but {quotients} has free symbols "
                f"{sorted(map(str, quotients.free_symbols))}"
            )
        for i, c in enumerate(quotients.prefix):
            if not isinstance(c, Integer):
                raise ValueError(f"quotients must be integers, got prefix[{i}] = {c}")
        k = quotients.index
        for r, p in enumerate(quotients.polys):
            deg = quotients.degree
            for j in range(deg + 1):
                v = p.xreplace({k: Integer(j)})
                if not isinstance(v, Integer):
                    raise ValueError(
                        f"quotients must be integers, but polys[{r}] = {p} is {v} at {k} = {j}"
                    )
        return quotients
    if isinstance(quotients, (str, bytes)) or not hasattr(quotients, "__iter__"):
        raise TypeError(
            f"quotients must be a sequence of integers or a QuasiPolynomial, got {quotients!r}"
        )
    qs = [as_expr(a, f"quotients[{i}]") for i, a in enumerate(_bounded(quotients, "quotients"))]
    if not qs:
        raise ValueError("quotients must not be empty")
    for i, a in enumerate(qs):
        if not isinstance(a, Integer):
            raise ValueError(f"quotients must be integers, got quotients[{i}] = {a}")
    return Tuple(*qs)


def _sympify_signs(signs):
    if isinstance(signs, (str, bytes)) or not hasattr(signs, "__iter__"):
        raise TypeError(f"signs must be a sequence of +1/-1, got {signs!r}")
    ss = [as_expr(s, f"signs[{i}]") for i, s in enumerate(_bounded(signs, "signs"))]
    for i, s in enumerate(ss):
        if s not in (S.One, S.NegativeOne):
            raise ValueError(f"signs must be +1 or -1, got signs[{i}] = {s}")
    return Tuple(*ss)


class SCF(ContinuedFraction):
    r"""A signed continued fraction ``a_0 + s_0/(a_1 + s_1/(a_2 + ...))`` (ESMA convention).

    Explanation
    ===========

    ``SCF(quotients, signs=(1,), periodic=True)``.  ``quotients`` is a finite sequence of
    integers or a :class:`QuasiPolynomial` (an infinite fraction).  With ``periodic=True``
    (default) ``signs`` is a non-empty pattern repeated from index 0: ``s_i = signs[i % p]``.
    With ``periodic=False`` ``signs`` lists ``s_0, ..., s_{N-1}`` explicitly for a finite
    fraction with quotients ``a_0, ..., a_N``.  The sign *follows* its quotient.  ``==`` is
    structural.

    Examples
    ========

    e with the pattern ``(-, +)``:  ``e = 3 - 1/(3 + 1/(2 - 1/(5 + 1/(2 - ...))))``.

    >>> from sympy import N, Symbol
    >>> from esma_sympy import SCF, QuasiPolynomial
    >>> k = Symbol('k')
    >>> e = SCF(QuasiPolynomial([3], [2*k + 3, 2], k), (-1, 1))
    >>> e.terms(8), e.signs(8)
    ([3, 3, 2, 5, 2, 7, 2, 9], [-1, 1, -1, 1, -1, 1, -1, 1])
    >>> N(e, 30)
    2.71828182845904523536028747135
    >>> e.convergent(3)                  # 3 - 1/(3 + 1/(2 - 1/5))
    87/32
    >>> SCF([1, 2, 2], (-1,)).convergent(2), SCF([3, 2], [-1], periodic=False).evaluate().exact
    (1/3, 5/2)

    Parameters
    ==========

    quotients : sequence of integers or QuasiPolynomial
        ``a_0, a_1, ...``; ``a_0`` may be zero or negative.
    signs : sequence of +1/-1
        The periodic pattern (``periodic=True``) or the explicit finite signs.
    periodic : bool
        How ``signs`` is read.

    See Also
    ========

    esma_sympy.PCF, esma_sympy.QuasiPolynomial
    """

    def __new__(cls, quotients, signs=(1,), periodic=True):
        q = _sympify_quotients(quotients)
        s = _sympify_signs(signs)
        periodic = sympify_safe(periodic)
        if not isinstance(periodic, BooleanAtom):
            raise TypeError(f"periodic must be True or False, got {periodic!r}")
        if len(s) == 0:
            raise ValueError("signs must not be empty: give a pattern such as (1,) or (-1, 1)")
        if not periodic:
            if isinstance(q, QuasiPolynomial):
                raise ValueError(
                    "periodic=False needs finite quotients; an infinite SCF needs a periodic sign pattern"
                )
            if len(s) != len(q) - 1:
                raise ValueError(
                    f"signs must list one sign per quotient but the last: expected {len(q) - 1} "
                    f"signs for {len(q)} quotients, got {len(s)}"
                )
        return Expr.__new__(cls, q, s, periodic)

    @classmethod
    def _from_ints(cls, quotients: list, signs, periodic: bool = True) -> "SCF":
        """``SCF(quotients, signs, periodic)`` from trusted Python ints, without the checks.

        For the expansion code, whose quotients and signs are valid by construction (tens of
        thousands of quotients for a large rational): the same object, built without the
        per-item ``sympify``.

        >>> SCF._from_ints([3, 2, 2], (-1,)) == SCF([3, 2, 2], (-1,))
        True
        """
        return Expr.__new__(cls, Basic.__new__(Tuple, *map(Integer, quotients)),
                            Basic.__new__(Tuple, *map(Integer, signs)),
                            S.true if periodic else S.false)

    @classmethod
    def from_value(cls, x, signs=(1,), depth: int | None = None, *, terms: int | None = None,
                   exact: bool = False, **kwargs) -> "SCF":
        """The certified ESMA expansion of ``x``: its first ``terms`` quotients (see
        :func:`esma_sympy.expand`; ``depth=d``, the index of the last one, is deprecated and
        means ``terms=d + 1``).

        With ``exact=True`` the whole expansion of a rational or a real quadratic irrational
        under the periodic pattern ``signs``: finite, or infinite and eventually periodic
        (:func:`esma_sympy.theory.periodic_expansion`, theory T6.12; ``terms`` is not used).

        >>> from sympy import E, sqrt
        >>> SCF.from_value(E, (-1, 1), terms=8)
        SCF((3, 3, 2, 5, 2, 7, 2, 9), (-1, 1), True)
        >>> SCF.from_value((1 + sqrt(2))*(1 - sqrt(2)))
        SCF((-1,), (1,), True)
        >>> SCF.from_value(sqrt(7), (-1,), exact=True)
        SCF(QuasiPolynomial((3,), (3, 6), k), (-1,), True)
        """
        from ..numeric.expand import _resolve_terms
        from .expansion import expand

        if not isinstance(exact, bool):
            raise TypeError(f"exact must be True or False, got {exact!r}")
        if exact:
            from ..theory.quadratic import periodic_expansion

            extra = sorted(kwargs) + (["terms"] if terms is not None else []) + \
                (["depth"] if depth is not None else [])
            if extra:
                raise TypeError(f"exact=True expands completely and takes no {', '.join(extra)}")
            return periodic_expansion(x, signs)
        terms = _resolve_terms("SCF.from_value", depth, terms)
        return expand(x, signs, terms=terms, **kwargs)

    def fold(self, **kwargs):
        """Fold into a polynomial continued fraction (see :func:`esma_sympy.fold`, theory T4.4).

        >>> from sympy import Symbol
        >>> k = Symbol('k')
        >>> f = SCF(QuasiPolynomial([3], [2*k + 3, 2], k), (-1, 1)).fold()
        >>> f.pcf, f.is_exact_value
        (PCF(4*n + 6, 1, n), False)
        >>> SCF(QuasiPolynomial([3], [2*k + 3, 2], k), (-1, 1)).fold(exact_value=True).is_exact_value
        True
        """
        from ..transforms import fold

        return fold(self, **kwargs)

    # -- structure -------------------------------------------------------------------------------
    @property
    def quotients(self):
        """The quotients as given: a ``Tuple`` or a ``QuasiPolynomial``."""
        return self.args[0]

    @property
    def sign_pattern(self) -> tuple:
        """The sign pattern (periodic) or explicit signs, as Python ints."""
        return tuple(int(x) for x in self.args[1])

    @property
    def is_periodic(self) -> bool:
        """Whether :attr:`sign_pattern` is repeated periodically."""
        return bool(self.args[2])

    @property
    def is_finite_fraction(self) -> bool:
        """Whether the fraction has finitely many quotients."""
        return not isinstance(self.args[0], QuasiPolynomial)

    @property
    def free_symbols(self):
        return set()

    def sign(self, i: int) -> int:
        """The sign ``s_i`` that follows ``a_i``."""
        pat = self.args[1]
        if self.is_periodic:
            return int(pat[i % len(pat)])
        if not 0 <= i < len(pat):
            raise IndexError(f"i must be in [0, {len(pat)}) for these explicit signs, got {i}")
        return int(pat[i])

    def signs(self, N: int) -> list:
        """``[s_0, ..., s_{N-1}]``."""
        return [self.sign(i) for i in range(N)]

    def quotient(self, i: int):
        """``a_i`` as a SymPy ``Integer``."""
        q = self.args[0]
        if isinstance(q, QuasiPolynomial):
            return q(i)
        return q[i]

    def terms(self, N: int) -> list:
        """``[a_0, ..., a_{N-1}]`` (at most the number of quotients of a finite fraction)."""
        q = self.args[0]
        if isinstance(q, QuasiPolynomial):
            return q.terms(N)
        return list(q[:N])

    # -- hooks -------------------------------------------------------------------------------------
    def _qvals(self, start: int, stop: int) -> list:
        q = self.args[0]
        if isinstance(q, QuasiPolynomial):
            return [int(v) for v in _fmpq_terms(q, start, stop)]
        return [int(v) for v in q[start:stop]]

    def _sym_a(self, k):
        return self.quotient(k)

    def _sym_b(self, k):
        return Integer(self.sign(k - 1))

    def _a0(self):
        return self._qvals(0, 1)[0]

    def _ab(self, start: int, stop: int):
        avals = self._qvals(start, stop)
        pat = self.sign_pattern
        if self.is_periodic:
            p = len(pat)
            bvals = [pat[(k - 1) % p] for k in range(start, stop)]
        else:
            bvals = [pat[k - 1] for k in range(start, stop)]
        return avals, bvals

    def _degree(self) -> int:
        q = self.args[0]
        return q.degree if isinstance(q, QuasiPolynomial) else 0

    def _length(self):
        q = self.args[0]
        return None if isinstance(q, QuasiPolynomial) else len(q) - 1

    def _tail_start(self):
        return _semiregular_from(self)

    def _no_tail_reason(self):
        return ("the quotients are not semi-regular (a_i >= 1 and a_i + s_i >= 1) for all large i, "
                "so no tail bound is known")

    def _no_limit_reason(self):
        return _scf_limit_analysis(self)

    def _tail(self, depth: int):
        start = _semiregular_from(self)
        if start is None or depth < start:
            return None
        if self.sign(depth) == 1:
            return fmpq(0), fmpq(1), "semiregular tail"
        return fmpq(-1), fmpq(0), "semiregular tail"

    # -- printing ----------------------------------------------------------------------------------
    # An SCF prints as the sum ``a_0 + s_0/(a_1 + ...)``, or as the fraction alone when a_0 = 0
    # (and at least one level is shown).  ``str`` is the constructor form, which is atomic, so no
    # ``precedence`` is declared.  The pretty (linear) form carries its binding: ADD for a sum or
    # a leading minus, MUL for a lone ``1/(...)``.  SymPy's LaTeX printer brackets the operand of
    # a minus sign only when it is an ``Add``, so inside a larger expression the LaTeX brackets
    # itself (as PCF's does).
    def _levels(self):
        q = self.args[0]
        if isinstance(q, QuasiPolynomial):
            p = len(self.args[1])
            period = q.period * p // gcd(q.period, p)
            return min(max(4, q.offset + 2 * period), 10), True
        return len(q) - 1, False

    def _cfrac_tex(self, levels: int, tex) -> str:
        """The first ``levels`` levels as nested ``\\cfrac``, quotients printed by ``tex``."""
        full, infinite = self._levels()
        out = "" if self.quotient(0) == 0 and levels else tex(self.quotient(0))
        for k in range(1, levels + 1):
            neg = self.sign(k - 1) == -1
            op = ("- " if neg else "") if not out else (" - " if neg else " + ")
            out += rf"{op}\cfrac{{1}}{{{tex(self.quotient(k))}"
        if infinite or levels < full:
            out += rf" {'+' if self.sign(levels) == 1 else '-'} \dotsb"
        return out + "}" * levels

    def to_latex(self, cfrac: int | None = None) -> str:
        r"""LaTeX as nested ``\cfrac`` (the first ``cfrac`` levels; all of a finite fraction);
        ``a_0`` is left out when it is zero.

        Inside a larger expression ``latex`` puts the fraction in brackets.

        >>> from sympy import latex
        >>> from esma_sympy import SCF
        >>> print(SCF([3, 3, 2], (-1, 1)).to_latex())
        3 - \cfrac{1}{3 + \cfrac{1}{2}}
        >>> print(SCF([0, 2, 3], (-1,)).to_latex(cfrac=1))
        - \cfrac{1}{2 - \dotsb}
        >>> print(latex(2*SCF([3, 3, 2], (-1, 1))))
        2 \left(3 - \cfrac{1}{3 + \cfrac{1}{2}}\right)
        """
        from sympy import latex

        levels, infinite = self._levels()
        if cfrac is not None:
            if isinstance(cfrac, bool) or not isinstance(cfrac, int) or cfrac < 0:
                raise ValueError(f"cfrac must be a non-negative integer or None, got {cfrac!r}")
            levels = cfrac if infinite else min(cfrac, levels)
        return self._cfrac_tex(levels, latex)

    def _latex(self, printer):
        tex = self._cfrac_tex(self._levels()[0], printer._print)
        atom = self._levels() == (0, False) and self.quotient(0) >= 0     # SCF([a0]), a0 >= 0
        return rf"\left({tex}\right)" if printer._print_level > 1 and not atom else tex

    def _linear(self) -> str:
        levels, infinite = self._levels()
        out = "" if self.quotient(0) == 0 and levels else str(self.quotient(0))
        opened = 0
        for k in range(1, levels + 1):
            neg = self.sign(k - 1) == -1
            op = ("-" if neg else "") if not out else (" - " if neg else " + ")
            q = self.quotient(k)
            bare = k == levels and not infinite and q >= 0      # a last quotient needs no brackets
            out += f"{op}1/{q}" if bare else f"{op}1/({q}"
            opened += not bare
        tail = f" {'+' if self.sign(levels) == 1 else '-'} ..." if infinite else ""
        return out + tail + ")" * opened

    def _pretty(self, printer):
        text = self._linear()
        if self._levels() == (0, False):
            bind = prettyForm.ATOM if self.quotient(0) >= 0 else prettyForm.ADD
        else:
            lone = self.quotient(0) == 0
            bind = prettyForm.MUL if lone and text[0] != "-" else prettyForm.ADD
        return prettyForm(text, binding=bind)


@lru_cache(maxsize=1024)
def _semiregular_from(scf: SCF):
    """The least depth ``n`` such that ``a_i >= 1`` and ``a_i + s_i >= 1`` for all ``i > n``
    (so every tail beyond ``n`` is at least 1: theory T1.3), or ``None``."""
    q = scf.args[0]
    if not isinstance(q, QuasiPolynomial):
        return None
    pre, polys = _flint_polys(q)
    n0, T = len(pre), len(polys)
    pat = scf.sign_pattern
    p = len(pat)
    worst = 1
    for r, P in enumerate(polys):
        needs_two = any(pat[(n0 + r + T * j) % p] == -1 for j in range(p))
        k0 = first_index_from_which(P - (2 if needs_two else 1))
        if k0 is None:
            return None
        worst = max(worst, n0 + r + T * k0)
    # the prefix indices below `worst` are irrelevant: the tail starts after depth worst - 1
    return worst - 1


@lru_cache(maxsize=1024)
def _scf_limit_analysis(scf: SCF):
    """Why an SCF with eventually periodic quotients provably has no limit, or ``None``.

    With periodic quotients (every residue polynomial constant) and the periodic signs, the
    levels ``(a_k, b_k)`` repeat with period ``L = lcm(T, p)`` from ``k0 = max(n0, 1)`` on, so
    the convergents at depths ``k0 - 1 + jL`` are ``P(B^j(0))`` for the block matrix ``B``.  If
    ``B`` is elliptic (``tr(B)^2 < 4 det(B)``) that orbit never settles (theory T1.7).
    """
    from flint import fmpz_mat

    q = scf.args[0]
    if not isinstance(q, QuasiPolynomial):
        return None
    pre, polys = _flint_polys(q)
    if any(P.degree() > 0 for P in polys):
        return None
    T, p = len(polys), len(scf.sign_pattern)
    L = T * p // gcd(T, p)
    k0 = max(len(pre), 1)
    avals, bvals = scf._ab(k0, k0 + L)
    B = fmpz_mat([[1, 0], [0, 1]])
    for a, b in zip(avals, bvals):
        B = B * fmpz_mat([[a, 1], [b, 0]])
    tr, det = B[0, 0] + B[1, 1], B.det()
    if tr * tr >= 4 * det:
        return None
    P = B
    for k in range(1, 13):
        if P[0, 1] == 0 and P[1, 0] == 0 and P[0, 0] == P[1, 1]:
            return (f"the fraction has no limit: its period block is elliptic (trace {tr}, "
                    f"determinant {det}) and its convergents cycle with period {k * L}")
        P = P * B
    return (f"the fraction has no limit: its period block is elliptic (trace {tr}, determinant "
            f"{det}), so the convergents rotate and never settle")


_register_evalf(SCF)
