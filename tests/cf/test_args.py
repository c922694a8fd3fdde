"""SymPy's Basic contract for every Basic subclass of esma_sympy (in the spirit of
sympy/core/tests/test_args.py).  ``test_every_basic_subclass_is_covered`` fails when a new
Basic subclass is added to the package without an example here."""

import importlib
import inspect
import pickle
import pkgutil

import pytest
from hypothesis import given, strategies as st
from sympy import Basic, Dummy, Integer, Rational, Symbol, default_sort_key, srepr

import esma_sympy
from esma_sympy import PCF, SCF, QuasiPolynomial
from esma_sympy.errors import DivergenceError
from esma_sympy.testing import integer_polynomials

k, n = Symbol("k"), Symbol("n")


def _examples():
    """One or more instances per class, keyed by class name."""
    ex = {
        "QuasiPolynomial": [QuasiPolynomial([2], [1, 2 * k + 2, 1], k), QuasiPolynomial([], [k], k)],
        "PCF": [PCF(2 * n + 1, n**2, n), PCF(1, 1), PCF(n + Symbol("x"), -n, n)],
        "SCF": [SCF(QuasiPolynomial([3], [2 * k + 3, 2], k), (-1, 1)), SCF([1, 2, 3], (1,)),
                SCF([3, 2], [-1], periodic=False)],
    }
    # classes contributed by other parts of the package register examples here
    try:
        from esma_sympy.recurrence import berlekamp_massey

        ex["LinearRecurrence"] = [berlekamp_massey([1, 1, 2, 3, 5, 8, 13, 21])]
    except ImportError:
        pass
    return ex


def _package_basic_subclasses():
    found = {}
    for mod in pkgutil.walk_packages(esma_sympy.__path__, "esma_sympy."):
        if mod.name.startswith("esma_sympy.cli"):
            continue
        m = importlib.import_module(mod.name)
        for name, obj in vars(m).items():
            if (inspect.isclass(obj) and issubclass(obj, Basic) and obj.__module__.startswith("esma_sympy")
                    and not name.startswith("_") and not inspect.isabstract(obj)
                    and obj.__name__ != "ContinuedFraction"):
                found[obj.__name__] = obj
    return found


def test_every_basic_subclass_is_covered():
    missing = set(_package_basic_subclasses()) - set(_examples())
    assert not missing, f"Basic subclasses without a contract example in test_args.py: {missing}"


ALL = [(name, x) for name, xs in _examples().items() for x in xs]


@pytest.mark.parametrize("name,x", ALL, ids=[f"{nm}-{i}" for i, (nm, _) in enumerate(ALL)])
def test_basic_contract(name, x):
    assert type(x).__name__ == name
    assert all(isinstance(a, Basic) for a in x.args)
    assert x.func(*x.args) == x
    assert hash(x.func(*x.args)) == hash(x)
    assert pickle.loads(pickle.dumps(x)) == x
    ns = {}
    exec("from sympy import *", ns)
    ns.update({c: getattr(esma_sympy, c) for c in esma_sympy.__all__})
    ns.update({str(s): s for s in x.atoms(Symbol)})
    assert eval(srepr(x), ns) == x
    assert eval(str(x), ns) == x
    _check_substitution_is_structural(x)


def _check_substitution_is_structural(x):
    """Renaming any symbol, or replacing any integer, of ``x`` by a fresh atom gives another
    object of the same class that contains the new atom, not the old one, and differs from
    ``x``; replacing back gives ``x`` again (nothing outside ``args``, no normalisation in the
    constructor).  Values a class rejects (a sign must be +-1) are not tried; at least one
    substitution must be accepted for every example."""
    atoms = x.atoms(Symbol, Integer)
    accepted = 0
    for old in sorted(atoms, key=default_sort_key):
        new = Dummy("fresh") if old.is_Symbol else Integer(10 * max(abs(int(a)) for a in
                                                                    x.atoms(Integer)) + 7)
        try:
            y = x.xreplace({old: new})
        except (TypeError, ValueError):
            continue
        accepted += 1
        assert type(y) is type(x)
        assert y != x
        assert new in y.atoms(type(new)) and old not in y.atoms(type(old))
        assert y.func(*y.args) == y
        assert y.xreplace({new: old}) == x
    assert accepted, f"no substitution accepted by {x!r}"


@pytest.mark.parametrize("x", [PCF(2 * n + 1, n**2, n), QuasiPolynomial([1], [k + 1], k)])
def test_bound_index(x):
    idx = x.args[-1]
    assert idx not in x.free_symbols
    assert x.subs(idx, 7) == x
    assert idx in x.bound_symbols
    other = Symbol("m")
    renamed = x.xreplace({idx: other})
    assert renamed != x
    assert renamed.as_dummy() == x.as_dummy()


def test_subs_on_parameter_avoids_capture():
    x = Symbol("x")
    p = PCF(n + x, n**2, n)
    q = p.subs(x, n)   # the new n is free, the bound one must be renamed
    assert q.free_symbols == {n}
    assert q.subs(n, 1).convergent(1) == PCF(k + 1, k**2, k).convergent(1)


@given(integer_polynomials(var=n, max_degree=1),
       integer_polynomials(var=n, max_degree=1).filter(lambda c: c != 0),
       integer_polynomials(var=n, max_degree=1).filter(lambda b: b != 0),
       st.fractions(max_denominator=9).map(lambda f: Rational(f.numerator, f.denominator)),
       st.integers(0, 4))
def test_parameter_substitution_commutes_with_convergents(a, c, b, r, depth):
    """``xreplace`` of a free parameter gives the PCF built directly from the substituted
    polynomials, and its convergent is the symbolic convergent at that value (where the
    latter is defined)."""
    x = Symbol("x")
    p = PCF(a + x * c, b, n)
    q = p.xreplace({x: r})
    assert q == PCF(a + r * c, b, n)
    assert x not in q.free_symbols
    try:
        expect = q.convergent(depth)
    except DivergenceError:
        # the claim checked by the forward recurrence q_k = a(k) q_{k-1} + b(k) q_{k-2} at x = r
        q1, q2 = 1, 0
        for i in range(1, depth + 1):
            q1, q2 = (a + r * c).subs(n, i) * q1 + b.subs(n, i) * q2, q1
        assert q1 == 0
        return
    assert p.convergent(depth).subs(x, r) == expect
