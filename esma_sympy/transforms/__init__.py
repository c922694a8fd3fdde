"""Transforms of continued fractions: equivalence (inflate/deflate), fold SCF -> PCF, matrix
view, contraction/extension, tails, singularisation/insertion, equivalence certificates.

Every identity is stated and proved in ``theory/04_transforms.md`` (statements T4.n).
"""
from __future__ import annotations

from .certificates import EquivalenceCertificate, NotEquivalent, canonical, find_coboundary, is_equivalent
from .contraction import contract, contraction_candidates, even_part, odd_part
from .equivalence import common_factor, deflate, deflate_all, inflate, normalize, normalizing_constant
from .fold import Fold, fold, fold_candidates
from .matrix import as_matrix, from_matrix, mobius_transform, walk_start
from .series import euler_cf
from .signs import insert, singularize, singularize_periodic
from .tail import shift, tail

__all__ = [
    "inflate", "deflate", "deflate_all", "common_factor", "normalize", "normalizing_constant",
    "Fold", "fold", "fold_candidates",
    "contract", "contraction_candidates", "even_part", "odd_part",
    "as_matrix", "from_matrix", "walk_start", "mobius_transform",
    "shift", "tail",
    "singularize", "insert", "singularize_periodic",
    "EquivalenceCertificate", "NotEquivalent", "canonical", "find_coboundary", "is_equivalent",
    "euler_cf",
]
