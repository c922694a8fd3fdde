"""The algorithmic-advantage table of theory T6.9 (``esma_sympy.search.algorithmic_advantage``)."""
import pytest
from sympy import E, tan

from esma_sympy.search import algorithmic_advantage


def test_algorithmic_advantage_table():
    rows = algorithmic_advantage([E, tan(1)])
    assert [r["esma_candidates"] for r in rows] == [4928, 4928]
    assert rows[0]["patterns_found"] == 21 and rows[0]["exhaustive"] > rows[0]["esma_candidates"]
    for r in rows:
        assert r["exhaustive"] >= (2 * r["bound"] + 1) ** 3


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
