"""One vocabulary (docs/conventions.md): every deprecated keyword warns, naming the new one, and
gives the same result as the new one; nothing inside esma_sympy uses an old spelling; the
domain errors live in esma_sympy.errors and the old import paths give the same classes."""

import doctest
import importlib
import os
import pkgutil
import warnings

import pytest
from sympy import E, Rational, Symbol, tan
from sympy.abc import n

from esma_sympy import PCF, SCF, QuasiPolynomial, SignSequence, errors, expand, expand_report
from esma_sympy.numeric.expand import expand_parts, expand_quotients

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: the start of every esma_sympy deprecation message (esma_sympy._args.renamed_keyword and the
#: module-level __getattr__ of the moved names)
OURS = r".*deprecated and will be removed in the next release"


def _old_and_new(call_old, call_new, old, new):
    """Both results, after checking that only the old call warns, once, naming both keywords
    and pointing at this file (the caller), not at esma_sympy."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got_old = call_old()
    ours = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(ours) == 1, [str(w.message) for w in caught]
    msg = str(ours[0].message)
    assert f"({old}=...)" in msg and f"use {new}" in msg, msg
    assert os.path.abspath(ours[0].filename) == os.path.abspath(__file__), ours[0].filename
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        got_new = call_new()
    return got_old, got_new


# -- depth (an index) -> terms (a count) in the expansion functions ------------------------------

@pytest.mark.parametrize("x, signs, depth", [
    (E, (-1, 1), 7), (E, (1,), 0), (tan(1), (1, -1, 1), 30), (Rational(7, 3), (-1,), 10),
    (Rational(7, 3), SignSequence([1, -1, 1, 1]), 3), ("(1 + sqrt(5))/2", lambda i: (-1) ** i, 5),
])
@pytest.mark.parametrize("func", [expand, expand_report, expand_quotients, expand_parts,
                                  SCF.from_value], ids=lambda f: f.__qualname__)
def test_depth_index_is_terms_count_minus_one(func, x, signs, depth):
    old, new = _old_and_new(lambda: func(x, signs, depth=depth),
                            lambda: func(x, signs, terms=depth + 1), "depth", "terms")
    assert old == new
    # the third positional argument is still the deprecated index
    with pytest.warns(DeprecationWarning, match="terms=depth"):
        assert func(x, signs, depth) == new


def test_depth_values_are_checked_as_before():
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="depth must be a nonnegative"):
        expand(E, depth=-1)
    with pytest.warns(DeprecationWarning), pytest.raises(TypeError, match="depth must be"):
        expand(E, depth=2.0)
    with pytest.raises(TypeError, match=r"got both depth= \(deprecated\) and terms="):
        expand(E, depth=3, terms=4)
    with pytest.raises(ValueError, match="terms must be a positive integer"):
        expand(E, terms=0)


def test_default_and_precision_warning_unchanged():
    # the default is still a_0 .. a_100, and a short expansion still warns with PrecisionWarning
    assert len(expand_quotients(E)[0]) == 101
    from flint import arb
    with pytest.warns(errors.PrecisionWarning):
        assert len(expand(arb(2).sqrt(), terms=41).terms(100)) == 20


# -- depth -> n, the index of a convergent ---------------------------------------------------

_FRACTIONS = {"pcf": PCF(2 * n + 1, n**2, n), "finite scf": SCF([1, 2, 3, 4, 5], (1, -1)),
              "symbolic": PCF(n + Symbol("x"), 1, n)}


@pytest.mark.parametrize("method, cf", [
    pytest.param(method, _FRACTIONS[name], id=f"{method}-{name}")
    for method in ["convergent", "numer_denom", "walk_matrix", "convergents"]
    for name in _FRACTIONS
    # walk_matrix and numer_denom are numeric: no symbolic family
    if not (method in ("walk_matrix", "numer_denom") and name == "symbolic")])
def test_convergent_depth_is_n(method, cf):
    old, new = _old_and_new(lambda: getattr(cf, method)(depth=3), lambda: getattr(cf, method)(n=3),
                            "depth", "n")
    assert old == new == getattr(cf, method)(3)
    with pytest.raises(TypeError, match="got both depth"):
        getattr(cf, method)(3, depth=3)
    with pytest.raises(TypeError, match="missing the index n"):
        getattr(cf, method)()


# -- maxcoeff -> coeff_limit, digits (requested) -> dps ---------------------------------------

def test_identify_maxcoeff_is_coeff_limit():
    from esma_sympy import identify
    k = Symbol("k")
    x = SCF(QuasiPolynomial([], [1, 4 * k + 2, 4 * k + 4], k), (1, -1, 1))
    old, new = _old_and_new(lambda: identify(x, maxcoeff=200), lambda: identify(x, coeff_limit=200),
                            "maxcoeff", "coeff_limit")
    assert (old.closed_form, old.status, old.N) == (new.closed_form, new.status, new.N) \
        == (tan(1), "proven", new.N)
    with pytest.raises(TypeError, match="got both maxcoeff"):
        identify(x, maxcoeff=200, coeff_limit=300)


def test_find_base_relation_maxcoeff_and_digits():
    from esma_sympy.theory.classical import find_base_relation
    old, new = _old_and_new(lambda: find_base_relation(E, maxcoeff=500),
                            lambda: find_base_relation(E, coeff_limit=500), "maxcoeff",
                            "coeff_limit")
    assert old == new and new.status == "proven"
    with pytest.warns(DeprecationWarning) as caught:
        old = find_base_relation(tan(1), maxcoeff=500, digits=60)
    assert sorted(str(w.message).split("(")[1].split("=")[0] for w in caught) == \
        ["digits", "maxcoeff"]
    assert old == find_base_relation(tan(1), coeff_limit=500, dps=60)


def test_formula_verify_digits_is_dps():
    from esma_sympy.testing.literature import PI_FORMULAS
    f = PI_FORMULAS[0]
    old, new = _old_and_new(lambda: f.verify(digits=12), lambda: f.verify(dps=12), "digits",
                            "dps")
    assert old is new is True


# -- errors --------------------------------------------------------------------------------------

def test_prove_digits_is_dps():
    from esma_sympy.theory import prove

    scf = SCF(QuasiPolynomial([], [1, 4 * Symbol("k") + 2, 4 * Symbol("k") + 4], Symbol("k")),
              (1, -1, 1))
    old, new = _old_and_new(lambda: prove(scf, lhs=tan(1), constant=tan(1), digits=40),
                            lambda: prove(scf, lhs=tan(1), constant=tan(1), dps=40), "digits", "dps")
    assert (old.status, old.closed_form) == (new.status, new.closed_form) == ("proven", tan(1))
    with pytest.raises(TypeError, match="got both digits"):
        prove(scf, lhs=tan(1), constant=tan(1), digits=40, dps=50)


def test_rate_depth_is_n():
    from esma_sympy import esma_search
    from esma_sympy.search.conjecture import fast_rate, fastest

    res = esma_search(E, coeff_limit=1, max_period=1)
    c = res.conjectures[0]
    for old_call, new_call in [
            (lambda: c.rate(depth=40), lambda: c.rate(n=40)),
            (lambda: c.simple_rate(depth=40), lambda: c.simple_rate(n=40)),
            (lambda: fastest(res.conjectures, depth=40), lambda: fastest(res.conjectures, n=40)),
            (lambda: fast_rate(c.first_terms, c.signs, depth=40),
             lambda: fast_rate(c.first_terms, c.signs, n=40)),
            (lambda: c.scf.convergence_rate(depth=40), lambda: c.scf.convergence_rate(n=40))]:
        old, new = _old_and_new(old_call, new_call, "depth", "n")
        assert old == new
    assert c.rate(40) == c.scf.convergence_rate(40)


def test_measures_depth_is_n():
    from esma_sympy.cf.measures import irrationality_measure, singular_points

    p, q = PCF(1, 1, n), PCF(n + 3, (n - 3) * (n - 5), n)
    for old_call, new_call in [
            (lambda: p.delta(depth=50), lambda: p.delta(n=50)),
            (lambda: irrationality_measure(p, depth=50), lambda: irrationality_measure(p, n=50)),
            (lambda: q.singular_points(depth=20), lambda: q.singular_points(n=20)),
            (lambda: singular_points(q, depth=20), lambda: singular_points(q, n=20))]:
        old, new = _old_and_new(old_call, new_call, "depth", "n")
        assert old == new
    old, new = _old_and_new(lambda: irrationality_measure(p, 20, reference_depth=90, strict=False),
                            lambda: irrationality_measure(p, 20, reference_n=90, strict=False),
                            "reference_depth", "reference_n")
    assert old == new
    assert p.delta(50) == irrationality_measure(p, 50) and q.singular_points(20).depth == 20
    with pytest.raises(TypeError, match="missing the index n"):
        p.delta()


def test_store_error_and_precision_warning_live_in_errors():
    import esma_sympy
    from esma_sympy import store
    from esma_sympy.numeric import expand as numeric_expand
    from esma_sympy.store import integrity

    assert store.StoreError is integrity.StoreError is errors.StoreError
    assert issubclass(store.StoreDamaged, errors.StoreError)
    assert issubclass(errors.StoreError, errors.EsmaError)
    assert numeric_expand.PrecisionWarning is esma_sympy.PrecisionWarning is errors.PrecisionWarning
    assert errors.StoreError.__module__ == errors.PrecisionWarning.__module__ == "esma_sympy.errors"
    for name in ("StoreError", "PrecisionWarning"):
        assert name in errors.__all__


def test_every_esma_exception_class_is_in_errors():
    """A public error or warning defined anywhere else must derive from one in errors.py
    (private ones, ``_Name``, are internal signals that never reach the user)."""
    import esma_sympy
    base = tuple(getattr(errors, name) for name in errors.__all__)
    stray = []
    for info in pkgutil.walk_packages(esma_sympy.__path__, "esma_sympy."):
        mod = importlib.import_module(info.name)
        for name, obj in vars(mod).items():
            if isinstance(obj, type) and issubclass(obj, (Exception, Warning)) \
                    and obj.__module__ == info.name and info.name != "esma_sympy.errors" \
                    and not name.startswith("_") and not issubclass(obj, base):
                stray.append(f"{info.name}.{name}")
    # RowDecodeError (a ValueError, store/rows.py) predates this rule: deriving it from
    # StoreError would change which `except` clauses of the store and the command catch it
    assert stray == ["esma_sympy.store.rows.RowDecodeError"], stray


# -- no internal use warns ------------------------------------------------------------------------

def test_a_small_search_uses_no_deprecated_keyword():
    from esma_sympy import esma_search
    from esma_sympy.search.conjecture import fastest
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=OURS, category=DeprecationWarning)
        res = esma_search(E, coeff_limit=1, max_period=2, depth=40)
        assert res.conjectures
        c = res.conjectures[0]
        c.rate(40), c.simple_rate(40), fastest(res.conjectures, 40)
        c.scf.fold()
        PCF(n + 3, -n, n).evaluate(30)


@pytest.mark.parametrize("package", ["esma_sympy.transforms", "esma_sympy.cf",
                                     "esma_sympy.numeric", "esma_sympy.errors",
                                     "esma_sympy._args"])
def test_doctests_use_no_deprecated_keyword(package):
    mod = importlib.import_module(package)
    names = [package] if not hasattr(mod, "__path__") else \
        [package] + [i.name for i in pkgutil.walk_packages(mod.__path__, package + ".")]
    failed = attempted = 0
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=OURS, category=DeprecationWarning)
        for name in names:
            res = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS,
                                  report=True)
            failed, attempted = failed + res.failed, attempted + res.attempted
    assert failed == 0 and attempted > 0


def test_conventions_page_is_a_doctest():
    res = doctest.testfile(os.path.join(ROOT, "docs", "conventions.md"), module_relative=False,
                           optionflags=doctest.ELLIPSIS, report=True)
    assert res.failed == 0 and res.attempted >= 5
