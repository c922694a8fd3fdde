"""Theory, executable: closed forms, proofs and reachability of ESMA conjectures.

The statements are numbered T6.x in ``theory/06_reachability.md``; every function here cites
the statement it realises.  Conventions: ``ARCHITECTURE.md`` (signed continued fractions, the
sign following its quotient) and theory T1.1 (walk matrices).
"""
from __future__ import annotations

from .certificate import WalkCertificate, find_walk_certificate
from .classical import BaseRelation, ReferenceFraction, find_base_relation, reference_fractions
from .proof import PeriodicCertificate, Proof, find_periodic_certificate, prove, prove_all

__all__ = ["ReferenceFraction", "BaseRelation", "reference_fractions", "find_base_relation",
           "WalkCertificate", "find_walk_certificate", "Proof", "prove", "prove_all",
           "PeriodicCertificate", "find_periodic_certificate"]

from .identify import Identification, Unidentified, identify
from .reachability import Prediction, predict_reachable, signed_expansion

__all__ += ["Identification", "Unidentified", "identify", "Prediction", "predict_reachable",
            "signed_expansion"]

from .quadratic import PeriodicIdentification, identify_periodic, periodic_expansion

__all__ += ["PeriodicIdentification", "identify_periodic", "periodic_expansion"]

from .transfer import TailTransfer, find_tail_transfer  # noqa: E402

__all__ += ["TailTransfer", "find_tail_transfer"]


def __getattr__(name):
    # algorithmic_advantage runs searches, so it moved to esma_sympy.search (ARCHITECTURE.md:
    # theory/ never runs a search itself); the old path works for one release.
    if name == "algorithmic_advantage":
        import warnings

        from ..search import advantage

        warnings.warn("esma_sympy.theory.algorithmic_advantage is deprecated and will be removed "
                      "in the next release; use esma_sympy.search.algorithmic_advantage",
                      DeprecationWarning, stacklevel=2)
        return advantage.algorithmic_advantage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
