"""esma_sympy: signed and polynomial continued fractions for SymPy, and the ESMA search.

The public API (``__all__``) is safe for ``from esma_sympy import *`` next to
``from sympy import *``: nothing in it shadows a SymPy name.  The certified expansion
``esma_sympy.expand`` is importable by name but left out of ``__all__`` because it would shadow
``sympy.expand``; ``SCF.from_value`` is the same operation as a class constructor.
"""
# Every public name is imported on first use (PEP 562), so ``import esma_sympy`` and the
# ``esma`` command start without loading SymPy until they need it (the command's Ctrl-C
# handling then covers SymPy's import too).
_LAZY = {}
for _module, _names in {
    "cf": "PCF SCF CFValue QuasiPolynomial SingularPoints from_ramanujantools "
          "irrationality_measure singular_points to_ramanujantools",
    "errors": "DivergenceError EsmaError UnsupportedConstant PrecisionExhausted PrecisionWarning",
    "numeric.constants": "to_arb",
    "cf.expansion": "expand expand_report",
    "numeric.expand": "ExpansionInfo SignSequence expand_quotients",
    "numeric.parse": "parse_constant",
    "recurrence": "LinearRecurrence OnlineBM berlekamp_massey",
    "transforms": "EquivalenceCertificate Fold NotEquivalent as_matrix canonical contract deflate "
                  "deflate_all euler_cf even_part find_coboundary fold from_matrix inflate insert "
                  "is_equivalent normalize odd_part shift singularize singularize_periodic tail",
    "search.conjecture": "Conjecture SearchResult",
    "_compat": "esma_search",      # search.api's, plus the deprecated prove= (one release)
    "theory": "Proof identify predict_reachable prove prove_all",
    "distributed": "run_search_distributed",
    "verdict": "Certificate ProofStatus fuzzy_truth",
}.items():
    _LAZY.update(dict.fromkeys(_names.split(), _module))
_SUBMODULES = {"cf", "cli", "distributed", "errors", "limits", "numeric", "recurrence", "report",
               "search", "store", "testing", "theory", "transforms", "verdict"}


def __getattr__(name):
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
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
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES | {"__version__"})

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
    # verdicts
    "ProofStatus", "Certificate", "fuzzy_truth",
    # errors
    "EsmaError", "DivergenceError", "UnsupportedConstant",
    # measures and interop
    "irrationality_measure", "singular_points", "SingularPoints", "to_ramanujantools",
    "from_ramanujantools",
]
# ``PrecisionExhausted`` (a subclass of SymPy's) is importable by name but not star-exported,
# like ``expand``: neither shadows SymPy.
