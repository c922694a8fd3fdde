"""Transforms of continued fractions: equivalence (inflate/deflate), fold SCF -> PCF, matrix
view, contraction/extension, tails, singularisation/insertion, equivalence certificates.

Every identity is stated and proved in ``theory/04_transforms.md`` (statements T4.n).
"""
from __future__ import annotations

from .equivalence import common_factor, deflate, deflate_all, inflate, normalize, normalizing_constant

__all__ = ["inflate", "deflate", "deflate_all", "common_factor", "normalize", "normalizing_constant"]

from .fold import Fold, fold, fold_candidates

__all__ += ["Fold", "fold", "fold_candidates"]

from .contraction import contract, contraction_candidates, even_part, odd_part
from .matrix import as_matrix, from_matrix, walk_start

__all__ += ["contract", "contraction_candidates", "even_part", "odd_part",
            "as_matrix", "from_matrix", "walk_start"]

from .tail import shift, tail

__all__ += ["shift", "tail"]

from .signs import insert, singularize, singularize_periodic

__all__ += ["singularize", "insert", "singularize_periodic"]

from .certificates import EquivalenceCertificate, NotEquivalent, canonical, find_coboundary, is_equivalent

__all__ += ["EquivalenceCertificate", "NotEquivalent", "canonical", "find_coboundary", "is_equivalent"]

from .series import euler_cf

__all__ += ["euler_cf"]
