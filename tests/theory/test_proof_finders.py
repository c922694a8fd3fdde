"""prove() walks a registry of proof finders (issue 17, item 4).

The expected statuses and reasons below were recorded with the implementation before the
registry (commit 15346b1, where prove() chained the finders by hand); the registry must give the
same proofs.  A wider comparison (264 claims: samples of ``esma_search(c, max_period=2)`` for e,
tan 1, e^2, e^(1/3), sqrt 2, with and without the numerical fallback) was run once against the
old module and found every proof identical, field by field.
"""

from __future__ import annotations

import pytest
from sympy import E, Rational, Symbol, cosh, exp, pi, sinh

from esma_sympy import SCF, QuasiPolynomial, esma_search
from esma_sympy.theory import Proof, prove
from esma_sympy.theory.proof import PROOF_FINDERS, ProofAttempt, proof_finder
from esma_sympy.verdict import ProofStatus

k = Symbol("k")
E_SCF = SCF(QuasiPolynomial([3], [2 * k + 3, 2], k), (-1, 1))          # = e
NO_REF = "no walk certificate to the reference ReferenceFraction(kind='I', a=2, d=4) " \
         "(no periodic synchronised state found)"

# (scf, lhs, constant, options) -> (status, reason, has a base relation): recorded before the registry
DIS = "; the certified value (46 digits) excludes the LHS: the claim is false"

# (scf, lhs, constant, options) -> (status, reason, has a base relation): recorded before the
# registry; since then a false claim whose certified value excludes the LHS is 'disproven'
# (it was 'open' with "numerical agreement only 0 digits"), and the hypergeometric finder says
# what the fraction's value is
RECORDED = [
    ((E_SCF, E + 1, E, {"dps": 30}), ("disproven", NO_REF + DIS, True)),
    ((E_SCF, E + 1, E, {"numeric_fallback": False}), ("open", NO_REF, True)),
    ((E_SCF, E**2, E, {"dps": 30}), ("disproven", "the LHS is not a Möbius image of the constant" + DIS, True)),
    ((E_SCF, E**2, E, {"numeric_fallback": False}), ("open", "the LHS is not a Möbius image of the constant", True)),
    ((SCF(QuasiPolynomial([], [k + 1], k)), pi, pi, {"dps": 30}),
     ("disproven", "the derived closed form besseli(0, 2)/besseli(1, 2) (T6.11) is not proven equal to "
                   "the LHS; no reference fraction found for the constant pi" + DIS, False)),
    ((E_SCF, E, E, {}), ("proven", "", True)),
]


def test_registry_order():
    assert [f.__name__ for f in PROOF_FINDERS] == ["periodic_finder", "hypergeometric_finder", "classical_finder",
                                                   "numeric_finder"]


@pytest.mark.parametrize("claim, expected", RECORDED, ids=[f"{c[1]}-{sorted(c[3])}" for c, _ in RECORDED])
def test_same_results_as_before_the_registry(claim, expected):
    scf, lhs, constant, options = claim
    p = prove(scf, lhs=lhs, constant=constant, **options)
    assert (p.status, p.reason, p.base is not None) == expected
    assert isinstance(p.status, ProofStatus)


def test_numeric_status_as_before():
    """exp(1/3) written as cosh + sinh is not a form the reference is read off (T6.3), and the
    PSLQ table (d <= 8) lacks coth(1/6): numerically confirmed, with the reason."""
    c = esma_search(cosh(Rational(1, 3)) + sinh(Rational(1, 3)), max_period=2).conjectures[0]
    p = prove(c)
    assert (p.status, p.reason, p.certificate) == (
        ProofStatus.NUMERIC, "no reference fraction found for the constant sinh(1/3) + cosh(1/3)", None)
    assert p.digits >= 1000
    assert p.truth is None and p.check()
    q = prove(esma_search(exp(Rational(1, 3)), max_period=2).conjectures[0])   # derived: proven
    assert q.status == ProofStatus.PROVEN and q.check() and q.base.reference.d == 12


def test_a_registered_finder_is_walked_in_order():
    seen = []

    def spy(att: ProofAttempt):
        seen.append((att.lhs, att.M, att.base))
        return None

    def always(att: ProofAttempt):
        return att.proof(ProofStatus.OPEN, reason="stopped by a test finder")

    proof_finder(spy, before=PROOF_FINDERS[1])                  # between periodic and classical
    try:
        p = prove(E_SCF, lhs=E + 1, constant=E, dps=30)
        assert seen == [(E + 1, ((1, 1), (0, 1)), None)]      # before the classical finder ran
        assert p.reason == NO_REF + DIS and p.status == "disproven" and p.truth is False and p.check()
        proof_finder(always, before=PROOF_FINDERS[0])
        p = prove(E_SCF, lhs=E, constant=E)                  # would be proven; stopped first
        assert isinstance(p, Proof) and p.reason == "stopped by a test finder"
        with pytest.raises(ValueError, match="registered already"):
            proof_finder(always)
    finally:
        for f in (spy, always):
            if f in PROOF_FINDERS:
                PROOF_FINDERS.remove(f)
    assert [f.__name__ for f in PROOF_FINDERS] == ["periodic_finder", "hypergeometric_finder", "classical_finder",
                                                   "numeric_finder"]
    assert prove(E_SCF, lhs=E, constant=E).status == "proven"


def test_proof_check_dispatches_on_the_certificate_kind():
    """Proof.check()/steps() look the certificate's kind up in PROOF_KINDS: a certificate of
    another kind (here an equivalence certificate) fails the check instead of raising."""
    from dataclasses import replace

    from sympy.abc import n

    from esma_sympy import PCF, find_coboundary
    from esma_sympy.theory.certificate import WalkCertificate
    from esma_sympy.theory.hypergeometric import HypergeometricCertificate
    from esma_sympy.theory.proof import PROOF_KINDS, PeriodicCertificate
    from esma_sympy.theory.quadratic import PeriodicIdentification

    assert set(PROOF_KINDS) == {PeriodicCertificate, WalkCertificate, HypergeometricCertificate,
                                PeriodicIdentification}
    p = prove(E_SCF, lhs=E, constant=E)
    assert isinstance(p.certificate, WalkCertificate) and p.check()
    other = replace(p, certificate=find_coboundary(PCF(n + 3, -n, n), PCF(2 * n + 6, -4 * n, n)))
    assert other.check() is False
    assert other.steps()[-1] == ("Status", r"\text{no certificate of a known kind}")
