"""SymPy types for continued fractions: ``PCF``, ``SCF`` and ``QuasiPolynomial``."""
from .quasipolynomial import QuasiPolynomial
from .base import CFValue
from .pcf import PCF
from .scf import SCF
from .measures import (
    SingularPoints,
    from_ramanujantools,
    irrationality_measure,
    singular_points,
    to_ramanujantools,
)

__all__ = ["QuasiPolynomial", "PCF", "SCF", "CFValue", "irrationality_measure", "singular_points",
           "SingularPoints", "to_ramanujantools", "from_ramanujantools"]
