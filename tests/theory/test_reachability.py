"""Reachability predictions and the algorithmic-advantage table (theory T6.5, T6.8, T6.9)."""

from __future__ import annotations

import pytest
from sympy import E, Rational, besseli, besselj, cot, coth, exp, pi, tan

from esma_sympy import esma_search
from esma_sympy.errors import UnsupportedConstant
from esma_sympy.numeric.expand import expand_quotients
from esma_sympy.search.lhs import enumerate_lhs, sign_patterns
from esma_sympy.theory import find_base_relation, predict_reachable, signed_expansion
from esma_sympy.theory._walks import mul, primitive


@pytest.mark.parametrize("c", [E, exp(2), tan(1), besseli(1, 2) / besseli(0, 2),
                               # Gauss' references (c > 1), of both kinds, from derived relations
                               2 * coth(2), tan(8), cot(Rational(2, 3)),
                               besselj(Rational(4, 3), 1) / besselj(Rational(1, 3), 1)], ids=str)
def test_signed_expansion_matches_certified_numeric(c):
    """T6.5: the exact transducer agrees with the certified numerical expansion (oracle)."""
    base = find_base_relation(c)
    for v in enumerate_lhs(1, 1)[::3]:
        mob = v.mobius
        N = primitive(mul(((mob[0], mob[1]), (mob[2], mob[3])), base.K))
        for sg in sign_patterns(1, 3)[::2]:
            want, _ = expand_quotients(v.expr(c), sg, terms=61)
            assert signed_expansion(N, base.reference, sg, 60) == list(want[:60])


@pytest.mark.parametrize("c, kw", [
    (E, dict(coeff_limit=1, max_period=2, depth=40)),
    (tan(1), dict(coeff_limit=1, max_period=3, depth=60)),
    (exp(2), dict(coeff_limit=1, max_period=3, depth=60)),
], ids=["e", "tan1", "e2"])
def test_predictions_match_search(c, kw):
    preds = predict_reachable(c, **kw)
    res = esma_search(c, **kw)
    predicted = {(p.lhs, p.signs) for p in preds if p.found}
    found = {(x.lhs, tuple(x.signs)) for x in res.conjectures}
    assert predicted == found and len(found) > 10
    by = {(p.lhs, p.signs): p for p in preds}
    for x in res.conjectures:
        p = by[(x.lhs, tuple(x.signs))]
        assert p.quotients.terms(3 * kw["depth"]) == list(x.first_terms)
    assert any(not p.found and "complexity" in p.reason for p in preds)


@pytest.mark.slow
@pytest.mark.parametrize("c", [E, exp(2)], ids=str)
def test_predictions_match_default_search(c):
    """The full default grid (the other constants agree too: benchmarks/acceptance_proofs.py)."""
    predicted = {(p.lhs, p.signs) for p in predict_reachable(c) if p.found}
    found = {(x.lhs, tuple(x.signs)) for x in esma_search(c).conjectures}
    assert predicted == found


def test_predict_unsupported_constant():
    with pytest.raises(UnsupportedConstant, match="not recognised"):
        predict_reachable(pi, coeff_limit=1, max_period=1, depth=20)
    with pytest.raises(ValueError, match="lhs_degree"):
        predict_reachable(E, lhs_degree=2)
    with pytest.raises(ValueError, match="signs"):
        signed_expansion(((1, 0), (0, 1)), find_base_relation(E).reference, (2,), 3)


def test_complexity_criterion_rejects_a_recurrence_that_is_not_quasi_polynomial():
    """2**n has complexity 1 and is predicted exactly, but is no quasi-polynomial: a negative
    prediction with its reason, not an exception from quasi_polynomial()."""
    from esma_sympy.theory.reachability import _complexity

    assert _complexity([2**i for i in range(40)], 20, 10) == (
        1, None, "the recurrence is not quasi-polynomial")
    L, qp, why = _complexity([1, 2] * 20, 20, 10)
    assert (L, why) == (2, "") and qp.period == 2
