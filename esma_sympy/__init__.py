"""esma_sympy: signed and polynomial continued fractions for SymPy, and the ESMA search."""
from importlib.metadata import PackageNotFoundError, version as _version

from .cf import PCF, SCF, QuasiPolynomial, CFValue
from .errors import DivergenceError, PrecisionExhausted, UnsupportedConstant

try:
    __version__ = _version("esma_sympy")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "PCF",
    "SCF",
    "QuasiPolynomial",
    "CFValue",
    "PrecisionExhausted",
    "DivergenceError",
    "UnsupportedConstant",
    "__version__",
]
