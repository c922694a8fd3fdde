"""SymPy types for continued fractions: ``PCF``, ``SCF`` and ``QuasiPolynomial``."""
from .quasipolynomial import QuasiPolynomial
from .base import CFValue
from .pcf import PCF
from .scf import SCF

__all__ = ["QuasiPolynomial", "PCF", "SCF", "CFValue"]
