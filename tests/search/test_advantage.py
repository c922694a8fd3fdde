"""The algorithmic-advantage table of theory T6.9 (``esma_sympy.search.algorithmic_advantage``)."""
import pytest
from sympy import E, tan

from esma_sympy.search import algorithmic_advantage


def test_algorithmic_advantage_table():
    """The rows of theory T6.9's measured table for e and tan 1, figure by figure."""
    rows = algorithmic_advantage([E, tan(1)])
    assert [r["esma_candidates"] for r in rows] == [4928, 4928]
    assert [(r["patterns_found"], r["pcf"], r["mobius"], r["exhaustive"]) for r in rows] == [
        (21, "PCF(4*n + 6, 1, n)", [[3, 1], [1, 1]], 13 ** 7),
        (21, "PCF(2*n + 1, -1, n)", [[0, 1], [1, 0]], 5 ** 7)]
    for r in rows:
        assert r["exhaustive"] >= (2 * r["bound"] + 1) ** 3
        assert r["ratio"] == r["exhaustive"] / r["esma_candidates"]


@pytest.mark.parametrize("old", ["esma_sympy.theory", "esma_sympy.theory.reachability"])
def test_old_theory_path_is_deprecated(old):
    import importlib

    module = importlib.import_module(old)
    with pytest.warns(DeprecationWarning, match="esma_sympy.search.algorithmic_advantage"):
        f = module.algorithmic_advantage
    assert f is algorithmic_advantage
    assert "algorithmic_advantage" not in module.__all__
    with pytest.raises(AttributeError):
        module.no_such_name
