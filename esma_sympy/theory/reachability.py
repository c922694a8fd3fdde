r"""Which constants ESMA reaches (theory T6.5, T6.8).

For a constant ``c = K(y)`` with ``y`` a reference fraction of known value (Lehmer's or
Lambert's arithmetic-progression fraction), the signed expansion of every Möbius image
``v = M(c) = N(y)`` is computed *exactly* by a finite-state transducer fed with the reference's
quotients (Gosper's homographic algorithm with exact tail intervals, no numerics).  The
resulting quotients decide, by the same Berlekamp–Massey criterion as the search, whether ESMA
finds ``v`` with a given sign pattern, and with which prefix and period.
"""

from __future__ import annotations

from dataclasses import dataclass
from sympy import sympify

from ..numeric.parse import sympify_safe
from ..recurrence.approval import approve

from ._walks import mul, primitive
from .classical import ReferenceFraction, find_base_relation

__all__ = ["Prediction", "signed_expansion", "predict_reachable"]


def _floor_div(p: int, q: int) -> int:
    return p // q if q > 0 else (-p) // (-q)


def _emit(S, lo: tuple, hi: tuple, s: int):
    """The quotient ``rd_s`` of every point of ``S((lo, hi))``, or ``None`` when it is not
    constant there or the pole of ``S`` lies in ``[lo, hi]``; the endpoints are fractions
    ``(numerator, denominator > 0)`` (exact integer arithmetic)."""
    (a, b), (c, d) = S
    ln, ld = lo
    hn, hd = hi
    dl, dh = c * ln + d * ld, c * hn + d * hd
    if dl == 0 or dh == 0 or (dl > 0) != (dh > 0):
        return None
    nl, nh = a * ln + b * ld, a * hn + b * hd
    if dl < 0:
        nl, dl, nh, dh = -nl, -dl, -nh, -dh
    # order the image's endpoints u1 <= u2 (u = n/d with d > 0)
    if nl * dh <= nh * dl:
        n1, d1, n2, d2 = nl, dl, nh, dh
    else:
        n1, d1, n2, d2 = nh, dh, nl, dl
    f1 = n1 // d1
    if (f1 + 1) * d2 < n2:          # an integer strictly inside (u1, u2)
        return None
    return f1 if s == 1 else -((-n2) // d2)


def signed_expansion(N, reference: ReferenceFraction, signs, count: int) -> list:
    r"""The first ``count`` quotients of the signed expansion of ``N(y)`` (theory T6.5).

    Explanation
    ===========

    Exact: the state ``S`` maps the reference's current tail ``t`` to the current tail of
    ``N(y)``; with ``b, b'`` the next two reference quotients, ``t`` lies in the open interval
    ``(b, b + c/b')`` (kind ``'I'``: ``t = b + c/t'``, ``t' > b'``) or
    ``(b - c/(b' - 1), b - c/b')`` (kind ``'J'``: ``t = b - c/t'`` with ``t' in (b' - 1, b')``,
    valid once the quotients are ``>= c + 1``; before that the transducer only ingests; theory
    T1.3, T6.1(d)).  A quotient ``a_i = rd_{s_i}(x_i)`` is emitted when no integer lies strictly
    inside the image interval (ESMA rule, theory T2.1); otherwise a reference quotient is
    ingested.  Gauss' references (``c > 1``) are handled as well.

    Examples
    ========

    >>> y = ReferenceFraction('I', 2, 4)                 # coth(1/2); e = (y + 1)/(y - 1)
    >>> signed_expansion(((1, 1), (1, -1)), y, (1,), 10)
    [2, 1, 2, 1, 1, 4, 1, 1, 6, 1]
    >>> signed_expansion(((1, 1), (1, -1)), y, (-1, 1), 8)
    [3, 3, 2, 5, 2, 7, 2, 9]
    >>> signed_expansion(((1, 0), (0, 2)), ReferenceFraction('I', 1, 2, 4), (1,), 6)   # coth 2
    [1, 26, 1, 3, 1, 42]
    """
    from itertools import islice

    return list(islice(_signed_terms(N, reference, signs), count))


def _signed_terms(N, reference: ReferenceFraction, signs):
    """The quotients of :func:`signed_expansion`, one at a time (a generator)."""
    signs = tuple(signs)
    if not signs or any(s not in (1, -1) for s in signs):
        raise ValueError(f"signs must be a nonempty pattern of +1/-1, got {signs!r}")
    c, sr = reference.c, reference.sign
    S = mul(tuple(tuple(int(x) for x in r) for r in N), ((reference.a, sr * c), (1, 0)))
    m = 0
    i = 0
    guard = 0
    while True:
        b, b2 = reference.quotient(m + 1), reference.quotient(m + 2)
        a = None
        if sr == 1:
            lo, hi = (b, 1), (b * b2 + c, b2)
        elif b2 >= c + 1:
            lo, hi = (b * (b2 - 1) - c, b2 - 1), (b * b2 - c, b2)
        else:
            lo = None
        s = signs[i % len(signs)]
        if lo is not None:
            a = _emit(S, lo, hi, s)
        if a is not None:
            yield a
            i += 1
            S = mul(((0, s), (1, -a)), S)
            guard = 0
            continue
        S = mul(S, ((b, sr * c), (1, 0)))
        m += 1
        guard += 1
        if guard > 10_000:
            raise RuntimeError("internal error: the transducer ingests without emitting")


def _cylinder_digits(terms: list, signs) -> float:
    """``log10(|q_N| |q_N + s_N q_{N-1}|)`` for the SCF quotients ``terms`` (``N = len - 1``;
    exact integers, theory T5.3)."""
    import math

    p = len(signs)
    q2, q1 = 0, 1                       # q_{-1}, q_0
    for k in range(1, len(terms)):
        q2, q1 = q1, terms[k] * q1 + signs[(k - 1) % p] * q2
    N = len(terms) - 1
    a, b = abs(q1), abs(q1 + signs[N % p] * q2)
    if a == 0 or b == 0:
        return -math.inf
    return (math.log2(a) + math.log2(b)) / math.log2(10) if a.bit_length() < 1000 else \
        (a.bit_length() + b.bit_length()) * math.log10(2)


@dataclass(frozen=True)
class Prediction:
    """The predicted outcome of ESMA for one LHS and one sign pattern (theory T6.8).

    ``found`` is the prediction; ``complexity`` the linear complexity of the quotients;
    ``quotients`` the fitted :class:`~esma_sympy.QuasiPolynomial` (``None`` when the
    complexity exceeds the limit); ``reason`` explains a negative prediction.

    >>> from sympy import E
    >>> preds = predict_reachable(E, coeff_limit=1, max_period=1)
    >>> p = [x for x in preds if x.found][0]
    >>> p.signs, p.quotients.period
    ((1,), 3)
    """

    lhs: object
    signs: tuple
    found: bool
    complexity: int
    quotients: object
    reason: str = ""

    @property
    def prefix(self) -> int:
        return -1 if self.quotients is None else self.quotients.offset

    @property
    def period(self) -> int:
        return -1 if self.quotients is None else self.quotients.period


def _complexity(terms: list, depth: int, limit: int):
    """The search's criterion (theory T5.2, :func:`esma_sympy.recurrence.approval.approve`):
    ``(complexity, quasi-polynomial or None, reason)``."""
    verdict = approve(terms, depth, limit)
    return verdict.complexity, verdict.quasi_polynomial(), verdict.reason


def predict_reachable(expr, *, lhs_degree: int = 1, coeff_limit: int = 2, min_period: int = 1,
                      max_period: int = 4, depth: int = 100, complexity_limit: int | None = None,
                      lhs=None, verify_digits: int = 100) -> list:
    r"""Predict which (LHS, sign pattern) pairs ESMA finds for ``expr`` (theory T6.8).

    Explanation
    ===========

    ``expr`` must be an integer Möbius image of a reference fraction's value
    (:func:`find_base_relation`; e.g. ``e``, ``e**2``, ``tan(1)``, ``I1(2)/I0(2)``).  For every
    LHS ``M(c)`` of the search's enumeration (degree 1 only) and every sign pattern, the first
    ``3 depth`` quotients of the signed expansion of ``M(K(y))`` are computed exactly by
    :func:`signed_expansion`; ESMA's approval criterion (minimal recurrence of the first
    ``depth`` quotients of complexity below ``complexity_limit``, default ``depth // 4``,
    predicting the rest, quasi-polynomial) is then applied, and the search's digits test:
    the cylinder bound ``log10(|q_N| |q_N + s_N q_{N-1}|)`` of the ``N = 3 depth - 1``
    quotients, computed exactly here, must reach ``verify_digits`` (theory T5.3; it rejects
    expansions such as ``2 - 1/(2 - 1/(2 - ...))`` that only approximate a rational).  No
    numerical value of ``expr`` is used.

    Examples
    ========

    >>> from sympy import E
    >>> preds = predict_reachable(E, coeff_limit=1, max_period=2, depth=40)
    >>> hit = [p for p in preds if p.found and p.signs == (1, -1) and p.lhs.text('E') == 'E/(E - 1)']
    >>> hit[0].quotients
    QuasiPolynomial((), (2*k + 1, 2), k)

    Returns
    =======

    list of Prediction
        In the search's order: LHS, then sign pattern.
    """
    from itertools import islice

    from ..errors import UnsupportedConstant
    from ..search.lhs import enumerate_lhs, lhs_from_expr, sign_patterns

    c = sympify_safe(expr)
    base = find_base_relation(c)
    if base is None:
        raise UnsupportedConstant(f"expr = {expr} is not recognised as a Möbius image of a Lehmer or "
                                  "Lambert fraction, so no prediction can be made")
    if lhs_degree != 1:
        raise ValueError(f"lhs_degree must be 1 for predictions (Möbius images), got {lhs_degree!r}")
    lhss = enumerate_lhs(1, coeff_limit) if lhs is None else [lhs_from_expr(v, c) for v in lhs]
    pats = sign_patterns(min_period, max_period)
    limit = depth // 4 if complexity_limit is None else complexity_limit
    from ..recurrence.berlekamp_massey import _minpoly_mod, _prime

    p0 = _prime(0)
    out = []
    for v in lhss:
        mob = v.mobius
        N = primitive(mul(((mob[0], mob[1]), (mob[2], mob[3])), base.K))
        for sg in pats:
            gen = _signed_terms(N, base.reference, sg)
            terms = list(islice(gen, depth))
            Lp = len(_minpoly_mod(terms, p0)) - 1
            if Lp >= limit:   # the complexity over Q is at least the one mod p (a fast exact reject)
                out.append(Prediction(v, tuple(sg), False, Lp, None,
                                      f"complexity >= {Lp} (mod p) >= complexity_limit {limit}"))
                continue
            L, qp, why = _complexity(terms, depth, limit)
            if L < limit:     # the complexity test passed on the first depth terms: go on
                terms += list(islice(gen, 2 * depth))
                L, qp, why = _complexity(terms, depth, limit)
                if qp is not None:
                    got = _cylinder_digits(terms, sg)
                    if got < verify_digits:
                        qp, why = None, (f"the cylinder bound gives only {got:.1f} < verify_digits "
                                         f"{verify_digits} digits (theory T5.3)")
            out.append(Prediction(v, tuple(sg), qp is not None, L, qp, why))
    return out


def __getattr__(name):
    # algorithmic_advantage runs searches, so it moved to the search (ARCHITECTURE.md: theory/
    # never runs a search itself); the old path works for one release.
    if name == "algorithmic_advantage":
        import warnings

        from ..search import advantage

        warnings.warn(f"{__name__}.algorithmic_advantage is deprecated and will be removed in "
                      "the next release; use esma_sympy.search.algorithmic_advantage",
                      DeprecationWarning, stacklevel=2)
        return advantage.algorithmic_advantage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
