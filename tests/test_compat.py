"""The old spellings of issue 17 work for one release and warn ``DeprecationWarning``."""
import inspect
import warnings

import pytest
from sympy import E

import esma_sympy
from esma_sympy.search import esma_search as search_esma_search

SMALL = dict(coeff_limit=1, max_period=2, depth=40)


def test_prove_true_warns_and_proves():
    with pytest.warns(DeprecationWarning, match=r"prove_all"):
        res = esma_sympy.esma_search(E, prove=True, **SMALL)
    assert res.conjectures and {c.proof_status for c in res.conjectures} == {"proven"}
    assert all(c.closed_form is not None for c in res.conjectures)


def test_prove_false_warns_and_does_not_prove():
    with pytest.warns(DeprecationWarning):
        res = esma_sympy.esma_search(E, prove=False, **SMALL)
    assert {c.proof_status for c in res.conjectures} == {"conjectured"}


def test_without_prove_no_warning_and_same_result_as_the_search():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = esma_sympy.esma_search(E, **SMALL)
    ref = search_esma_search(E, **SMALL)
    assert [(c.lhs, c.signs, c.first_terms) for c in res.conjectures] == [
        (c.lhs, c.signs, c.first_terms) for c in ref.conjectures]


def test_the_search_itself_has_no_prove():
    assert "prove" not in inspect.signature(search_esma_search).parameters
    with pytest.raises(TypeError, match="prove"):
        search_esma_search(E, prove=True, **SMALL)
    # the public function still documents and shows it, until it goes
    assert "prove" in inspect.signature(esma_sympy.esma_search).parameters
    assert "Deprecated" in esma_sympy.esma_search.__doc__


def test_the_wrapper_has_the_search_parameters():
    # the wrapper spells the search's keywords out (no inspect at import): they must not drift
    ours = dict(inspect.signature(esma_sympy.esma_search).parameters)
    ours.pop("prove")
    theirs = inspect.signature(search_esma_search).parameters
    assert [(p.name, p.kind, p.default) for p in ours.values()] == [
        (p.name, p.kind, p.default) for p in theirs.values()]
