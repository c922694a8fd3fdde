"""The verdict protocol (issue 17, item 4): the status enum, the Certificate base that every
certificate class of the package derives from (and whose check() fails when a certificate of
each kind is tampered with), and the three-valued answers of is_equivalent."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pathlib
import sqlite3
from dataclasses import replace

import pytest
from sympy import E, ImmutableMatrix, Symbol, sqrt
from sympy.abc import n
from sympy.core.logic import fuzzy_and, fuzzy_not, fuzzy_or

import esma_sympy
from esma_sympy import PCF, SCF, QuasiPolynomial
from esma_sympy.verdict import Certificate, ProofStatus, fuzzy_truth

k = Symbol("k")
ROOT = pathlib.Path(esma_sympy.__file__).resolve().parent
OLD_STRINGS = ["conjectured", "proven", "numerically confirmed", "open", "equivalent", "disproven", "unknown"]


# -- the status enum ---------------------------------------------------------------------------

def test_status_values_are_the_old_strings():
    assert [s.value for s in ProofStatus] == OLD_STRINGS
    for s in ProofStatus:
        assert s == s.value and hash(s) == hash(s.value) and ProofStatus(s.value) is s
        assert str(s) == s.value and f"{s}" == s.value and f"{s:>25}" == f"{s.value:>25}"
        assert json.loads(json.dumps({"s": s})) == {"s": s.value}
    assert {ProofStatus.PROVEN, "proven"} == {"proven"}


def test_status_round_trips_through_sqlite():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (s TEXT)")
    db.execute("INSERT INTO t VALUES (?)", (ProofStatus.NUMERIC,))
    (got,) = db.execute("SELECT s FROM t").fetchone()
    assert type(got) is str and got == "numerically confirmed"
    assert ProofStatus.coerce(got) is ProofStatus.NUMERIC
    assert ProofStatus.coerce("text of an older store") == "text of an older store"


def test_status_truth_is_fuzzy():
    truth = {s: s.truth for s in ProofStatus}
    assert truth == {ProofStatus.CONJECTURED: None, ProofStatus.PROVEN: True, ProofStatus.NUMERIC: None,
                     ProofStatus.OPEN: None, ProofStatus.EQUIVALENT: True, ProofStatus.DISPROVEN: False,
                     ProofStatus.UNKNOWN: None}
    assert fuzzy_truth("proven") is True and fuzzy_truth("disproven") is False
    assert fuzzy_truth("numerically confirmed") is None and fuzzy_truth("bogus") is None
    with pytest.raises(TypeError, match="answer"):
        fuzzy_truth(3)


# -- three-valued answers of is_equivalent -----------------------------------------------------

def test_is_equivalent_three_valued():
    from esma_sympy.transforms import EquivalenceCertificate, NotEquivalent, inflate, is_equivalent

    e = PCF(n + 3, -n, n)
    yes = is_equivalent(e, inflate(e, n + 1))
    no = is_equivalent(e, PCF(2 * n + 1, n**2, n))                       # e vs 4/pi: disjoint values
    t = PCF((3 - n) * (n + 3) / 3, -(3 - n) * (4 - n) * n / 9, n)       # terminates: undecided
    unknown = is_equivalent(e, t)
    assert isinstance(yes, EquivalenceCertificate) and isinstance(no, NotEquivalent)
    assert isinstance(unknown, NotEquivalent)
    # the old contract: a certificate is truthy, both negative answers are falsy
    assert bool(yes) and not bool(no) and not bool(unknown)
    # the new one: True / False / None, distinguishable, and composable with SymPy's fuzzy logic
    assert (yes.truth, no.truth, unknown.truth) == (True, False, None)
    assert [fuzzy_truth(x) for x in (yes, no, unknown)] == [True, False, None]
    assert no.is_disproven and not no.is_unknown and no.reason
    assert unknown.is_unknown and not unknown.is_disproven and "terminates" in unknown.reason
    assert (yes.status, no.status, unknown.status) == ("equivalent", "disproven", "unknown")
    assert no.status is ProofStatus.DISPROVEN and unknown.status is ProofStatus.UNKNOWN
    assert fuzzy_not(no.truth) is True and fuzzy_not(unknown.truth) is None
    assert fuzzy_and([yes.truth, unknown.truth]) is None and fuzzy_or([yes.truth, no.truth]) is True


def test_not_equivalent_built_from_strings_still_works():
    from esma_sympy.transforms import NotEquivalent

    ne = NotEquivalent("disproven", "a reason")
    assert ne.status is ProofStatus.DISPROVEN and ne.truth is False and not ne
    assert NotEquivalent("unknown", "").truth is None


# -- every certificate class implements the protocol; tampering is caught --------------------

def _classes_with_check():
    """``(module, class name)`` of every class of the package that defines ``check`` or whose
    name ends in ``Certificate`` (found by parsing, so a new one cannot hide)."""
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text())
        rel = path.relative_to(ROOT.parent).with_suffix("")
        mod = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                defines = {f.name for f in node.body if isinstance(f, ast.FunctionDef)}
                if "check" in defines or node.name.endswith("Certificate"):
                    out.append((mod, node.name))
    return out


def _equivalence():
    from esma_sympy.transforms import find_coboundary

    cert = find_coboundary(PCF(n + 3, -n, n), PCF(2 * n + 6, -4 * n, n))
    return cert, [replace(cert, lam=2 * cert.lam), replace(cert, U=ImmutableMatrix([[1, 1], [0, 1]])),
                  replace(cert, q=PCF(2 * n + 6, -4 * n - 1, n))]


def _walk():
    from esma_sympy.theory.certificate import find_walk_certificate
    from esma_sympy.theory.classical import ReferenceFraction

    e = SCF(QuasiPolynomial([3], [2 * k + 3, 2], k), (-1, 1))
    cert = find_walk_certificate(e, ReferenceFraction("I", 2, 4), ((1, 1), (1, -1)))
    return cert, [replace(cert, N=((1, 2), (1, -1))), replace(cert, R=((1, 0), (0, 1))),
                  replace(cert, reference=ReferenceFraction("I", 1, 2))]


def _periodic():
    from esma_sympy.theory.proof import find_periodic_certificate

    cert = find_periodic_certificate(SCF(QuasiPolynomial([1], [2], k)), sqrt(2))
    return cert, [replace(cert, value=sqrt(3)), replace(cert, w=1 - sqrt(2)),
                  replace(cert, scf=SCF(QuasiPolynomial([1], [3], k)))]


def _proof():
    from esma_sympy.theory import prove

    p = prove(SCF(QuasiPolynomial([], [2 * k + 1, 2], k), (1, -1)), lhs=E / (E - 1), constant=E)
    return p, [replace(p, lhs=E / (E - 2)), replace(p, M=((1, 1), (1, -1))),
               replace(p, certificate=None)]


def _identification():
    from esma_sympy.theory import identify

    r = identify(SCF(QuasiPolynomial([3], [2 * k + 3, 2], k), (-1, 1)))
    return r, [replace(r, N=((1, 2), (1, -1))), replace(r, x=SCF(QuasiPolynomial([1], [2], k))),
               replace(r, status=ProofStatus.NUMERIC, digits=0)]


def _periodic_identification():
    from esma_sympy.theory import identify_periodic

    r = identify_periodic(SCF(QuasiPolynomial([1], [2], k)))
    return r, [replace(r, closed_form=-sqrt(2)), replace(r, x=SCF(QuasiPolynomial([1], [3], k))),
               replace(r, kind="parabolic")]


def _hypergeometric():
    from esma_sympy.theory.hypergeometric import hypergeometric_certificate

    cert = hypergeometric_certificate(PCF(n + 3, -n, n))                 # Euler: e
    return cert, [replace(cert, z=cert.z + 1), replace(cert, closed_form=E + 1),
                  replace(cert, pcf=PCF(n + 3, -n - 1, n)), replace(cert, lower=0),
                  replace(cert, family="2F1")]


def _base_relation():
    from esma_sympy.theory.classical import find_base_relation

    r = find_base_relation(E)
    return r, [replace(r, K=((1, 2), (1, -1))), replace(r, constant=E + 1), replace(r, K=((1, 1), (1, 1)))]


# every Certificate subclass must appear here (a new one fails test_every_certificate_is_covered)
def _tail_transfer():
    from esma_sympy import esma_search
    from esma_sympy.theory import find_tail_transfer, prove

    fams = esma_search(E, max_period=2).families
    fam = fams[0]
    t = find_tail_transfer(prove(fam[0]), fam[0], fam[1])
    H = t.H
    return t, [replace(t, H=(H[0] + 1, H[1], H[2], H[3])), replace(t, i=t.i + 1),
               replace(t, member=fams[1][0]), replace(t, source=fams[1][0])]


EXAMPLES = {
    "TailTransfer": _tail_transfer,
    "EquivalenceCertificate": _equivalence,
    "WalkCertificate": _walk,
    "PeriodicCertificate": _periodic,
    "Proof": _proof,
    "Identification": _identification,
    "BaseRelation": _base_relation,
    "PeriodicIdentification": _periodic_identification,
    "HypergeometricCertificate": _hypergeometric,
}


def _subclasses(cls):
    out = set()
    for sub in cls.__subclasses__():
        out |= {sub} | _subclasses(sub)
    return out


def test_every_class_with_check_is_a_certificate():
    found = _classes_with_check()
    assert len(found) >= len(EXAMPLES)
    for mod, name in found:
        cls = getattr(importlib.import_module(mod), name)
        if cls is Certificate:
            continue
        assert issubclass(cls, Certificate), f"{mod}.{name} defines check() but is not a Certificate"
        assert not inspect.isabstract(cls), f"{mod}.{name} leaves {cls.__abstractmethods__} abstract"


def test_every_certificate_is_covered():
    for mod, name in _classes_with_check():
        importlib.import_module(mod)
    names = {c.__name__ for c in _subclasses(Certificate) if c.__module__.startswith("esma_sympy.")}
    assert names == set(EXAMPLES), f"certificate classes without a tampering example: {names - set(EXAMPLES)}"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_certificate_protocol_and_tampering(name):
    cert, tampered = EXAMPLES[name]()
    assert type(cert).__name__ == name and isinstance(cert, Certificate)
    assert cert.check() is True and cert.truth is True
    steps = cert.steps()
    assert steps and all(isinstance(t, str) and isinstance(s, str) and s for t, s in steps)
    assert isinstance(cert.relation, str) and "=" in cert.relation
    for bad in tampered:
        assert bad.check() is False, f"tampered {name} passes check(): {bad}"
