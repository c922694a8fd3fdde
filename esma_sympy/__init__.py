"""esma_sympy: signed and polynomial continued fractions for SymPy, and the ESMA search.

The public API (``__all__``) is safe for ``from esma_sympy import *`` next to
``from sympy import *``: nothing in it shadows a SymPy name.  The certified expansion
``esma_sympy.expand`` is importable by name but left out of ``__all__`` because it would shadow
``sympy.expand``; ``SCF.from_value`` is the same operation as a class constructor.
"""
from .cf import PCF, SCF, CFValue, QuasiPolynomial
from .cf import (
    SingularPoints, from_ramanujantools, irrationality_measure, singular_points, to_ramanujantools,
)
from .errors import DivergenceError, EsmaError, UnsupportedConstant
from .errors import PrecisionExhausted as PrecisionExhausted  # by name only (see above)
from .numeric.constants import to_arb
from .numeric.expand import (
    ExpansionInfo,
    PrecisionWarning,
    SignSequence,
    expand as expand,  # by name only: it would shadow sympy.expand
    expand_quotients,
    expand_report,
)
from .numeric.parse import parse_constant
from .recurrence import LinearRecurrence, OnlineBM, berlekamp_massey
from .transforms import (
    EquivalenceCertificate,
    Fold,
    NotEquivalent,
    as_matrix,
    canonical,
    contract,
    deflate,
    deflate_all,
    euler_cf,
    even_part,
    find_coboundary,
    fold,
    from_matrix,
    inflate,
    insert,
    is_equivalent,
    normalize,
    odd_part,
    shift,
    singularize,
    singularize_periodic,
    tail,
)

# The search (NumPy, the kernels), the theory and the Dask layer load on first use, so that
# ``import esma_sympy`` costs little more than ``import sympy`` (PEP 562).
_LAZY = {
    "Conjecture": "search", "SearchResult": "search", "esma_search": "search",
    "Proof": "theory", "identify": "theory", "predict_reachable": "theory", "prove": "theory",
    "prove_all": "theory", "run_search_distributed": "distributed",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("esma_sympy")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            value = "0+unknown"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | {"__version__"})

__all__ = [
    # objects
    "PCF", "SCF", "QuasiPolynomial", "CFValue", "LinearRecurrence",
    # numerics
    "to_arb", "parse_constant", "expand_report", "expand_quotients", "SignSequence",
    "ExpansionInfo", "PrecisionWarning",
    # recurrences
    "berlekamp_massey", "OnlineBM",
    # transforms
    "inflate", "deflate", "deflate_all", "normalize", "canonical", "fold", "Fold", "contract",
    "even_part", "odd_part", "tail", "shift", "as_matrix", "from_matrix", "singularize", "insert",
    "singularize_periodic", "is_equivalent", "find_coboundary", "EquivalenceCertificate",
    "NotEquivalent", "euler_cf",
    # search and theory
    "esma_search", "Conjecture", "SearchResult", "prove", "prove_all", "Proof", "identify",
    "predict_reachable", "run_search_distributed",
    # errors
    "EsmaError", "DivergenceError", "UnsupportedConstant",
    # measures and interop
    "irrationality_measure", "singular_points", "SingularPoints", "to_ramanujantools",
    "from_ramanujantools",
]
# ``PrecisionExhausted`` (a subclass of SymPy's) is importable by name but not star-exported,
# like ``expand``: neither shadows SymPy.
