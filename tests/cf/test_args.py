"""SymPy's Basic contract for every Basic subclass of esma_sympy (in the spirit of
sympy/core/tests/test_args.py).  ``test_every_basic_subclass_is_covered`` fails when a new
Basic subclass is added to the package without an example here."""

import importlib
import inspect
import pickle
import pkgutil

import pytest
from sympy import Basic, Symbol, srepr

import esma_sympy
from esma_sympy import PCF, SCF, QuasiPolynomial

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
    # rebuilding with args is structural: a copy with a changed arg differs
    assert x.xreplace({}) == x


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
