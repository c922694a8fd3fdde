"""ESMA: Enumerated Signed-continued-fraction Massey Approve (Razon et al., ICML 2023)."""
from .conjecture import Conjecture, SearchResult, SearchStats
from .engine import (SearchPlan, UnitResult, WorkUnit, esma_search, merge_results, plan_search,
                     prepare_constant, run_unit)
from .lhs import LHS, enumerate_lhs, lhs_from_expr, sign_patterns

__all__ = ["esma_search", "prepare_constant", "plan_search", "run_unit", "merge_results", "SearchPlan",
           "WorkUnit", "UnitResult", "Conjecture", "SearchResult", "SearchStats", "LHS",
           "enumerate_lhs", "lhs_from_expr", "sign_patterns"]
