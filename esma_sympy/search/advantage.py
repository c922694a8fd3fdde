r"""What the search saves: ESMA's candidates against an exhaustive PCF enumeration (theory
T6.9).

It runs searches, so it lives in the search layer, not in ``esma_sympy.theory`` (which never
runs a search itself, ARCHITECTURE.md); until the next release
``esma_sympy.theory.algorithmic_advantage`` still finds it, with a ``DeprecationWarning``.
"""

from __future__ import annotations

__all__ = ["algorithmic_advantage"]


def _exhaustive_count(f) -> tuple:
    """``(bound, count)`` for a :class:`~esma_sympy.transforms.Fold` ``f``: the PCF scaled to
    integer coefficients (a constant equivalence, theory T4.3), plus the four integer entries
    of its Möbius map when that is not the identity; ``count`` is the number of candidates with
    the same shape and every integer in ``[-bound, bound]``."""
    from sympy import Poly, ilcm

    pcf = f.pcf
    n = pcf.index
    A, B = Poly(pcf.a, n), Poly(pcf.b, n)
    den = ilcm(*[x.q for x in A.all_coeffs() + B.all_coeffs()], 1)
    ints = [int(x * den) for x in A.all_coeffs()] + [int(x * den * den) for x in B.all_coeffs()]
    if not f.is_exact_value:
        G = list(f.mobius)
        gden = ilcm(*[x.q for x in G], 1)
        ints += [int(x * gden) for x in G]
    bound = max(abs(x) for x in ints)
    return bound, (2 * bound + 1) ** len(ints)


def algorithmic_advantage(constants=None, *, coeff_limit: int = 2, max_period: int = 4,
                          max_block: int = 12) -> list:
    r"""The table of theory T6.9: ESMA's candidates against an exhaustive PCF enumeration.

    Explanation
    ===========

    For each constant, the target formulas are the conjectures of the default search whose
    LHS is the constant itself (quasi-period ``lcm(T, p) <= max_block``).  ESMA tries
    ``#LHS x #patterns`` candidates (each an expansion plus a Berlekamp–Massey filter) and finds
    all of them at once.  An exhaustive search must enumerate, for *one* such formula, every
    PCF ``(a(n), b(n))`` with the degrees of its fold (:func:`~esma_sympy.transforms.fold`) and
    integer coefficients up to the largest one — together with the Möbius map's four entries
    when the fold's value is a Möbius image of the SCF's: ``(2C + 1)^(#integers)`` candidates.
    The cheapest fold over the target formulas is reported (the most favourable case for the
    exhaustive search).  Rows are dictionaries with keys ``constant, patterns_found,
    esma_candidates, pcf, mobius, signs, bound, exhaustive, ratio``.

    Examples
    ========

    >>> from sympy import E
    >>> row = algorithmic_advantage([E])[0]
    >>> row['esma_candidates'], row['pcf'], row['mobius'], row['exhaustive']
    (4928, 'PCF(4*n + 6, 1, n)', [[3, 1], [1, 1]], 62748517)
    """
    from sympy import E, besseli, exp, tan

    from ..transforms import fold
    from .api import esma_search
    from .lhs import enumerate_lhs, lhs_from_expr, sign_patterns

    if constants is None:
        constants = [E, exp(2), tan(1), besseli(1, 2) / besseli(0, 2)]
    rows = []
    n_cand = len(enumerate_lhs(1, coeff_limit)) * len(sign_patterns(1, max_period))
    for c in constants:
        res = esma_search(c, coeff_limit=coeff_limit, max_period=max_period)
        target = lhs_from_expr(c, c)
        best = None
        hits = [x for x in res.conjectures if x.lhs == target]
        for x in hits:
            if len(x.polys) * len(x.signs) > max_block:
                continue
            try:
                f = fold(x.scf)
            except ValueError:
                continue
            bound, count = _exhaustive_count(f)
            if best is None or count < best[-1]:
                best = (x, f, bound, count)
        row = {"constant": str(c), "patterns_found": len(hits), "esma_candidates": n_cand,
               "pcf": None, "mobius": None, "signs": None, "bound": None, "exhaustive": None,
               "ratio": None}
        if best is not None:
            x, f, bound, count = best
            row.update(pcf=str(f.pcf), mobius=None if f.is_exact_value else f.mobius.tolist(),
                       signs=x.signs, bound=bound, exhaustive=count, ratio=count / n_cand)
        rows.append(row)
    return rows
