"""ESMA: Enumerated Signed-continued-fraction Massey Approve (Razon et al., ICML 2023).

The names are imported on first use (PEP 562): ``esma_search`` without NumPy or the engine,
which load when it runs.
"""
import importlib as _importlib

_WHERE = {"esma_search": "api", "Conjecture": "conjecture", "SearchResult": "conjecture",
          "SearchStats": "conjecture", "LHS": "lhs", "enumerate_lhs": "lhs",
          "lhs_from_expr": "lhs", "sign_patterns": "lhs",
          "algorithmic_advantage": "advantage"}
_WHERE.update(dict.fromkeys(("SearchPlan", "UnitResult", "WorkUnit", "plan_search",
                             "prepare_constant"), "plan"))
_WHERE.update(dict.fromkeys(("merge_results", "run_unit"), "run"))

__all__ = ["esma_search", "prepare_constant", "plan_search", "run_unit", "merge_results", "SearchPlan",
           "WorkUnit", "UnitResult", "Conjecture", "SearchResult", "SearchStats", "LHS",
           "enumerate_lhs", "lhs_from_expr", "sign_patterns", "algorithmic_advantage"]


def __getattr__(name):
    if name in _WHERE:
        value = getattr(_importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
