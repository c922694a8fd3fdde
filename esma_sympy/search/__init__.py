"""ESMA: Enumerated Signed-continued-fraction Massey Approve (Razon et al., ICML 2023)."""
from .conjecture import Conjecture, SearchResult, SearchStats
from .engine import esma_search, prepare_constant
from .lhs import LHS, enumerate_lhs, lhs_from_expr, sign_patterns

__all__ = ["esma_search", "prepare_constant", "Conjecture", "SearchResult", "SearchStats", "LHS",
           "enumerate_lhs", "lhs_from_expr", "sign_patterns"]
