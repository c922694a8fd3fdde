"""Linear recurrences: Berlekamp–Massey over GF(p) and QQ, and quasi-polynomial closed forms.

Conventions are pinned in :mod:`esma_sympy.recurrence.linear_recurrence`; the theory behind
them is in ``theory/03_recurrences.md`` (T3.1–T3.3).

>>> from esma_sympy.recurrence import berlekamp_massey
>>> berlekamp_massey([1, 2, 4, 1, 6, 8, 1, 10, 12, 1, 14, 16]).quasi_polynomial()
QuasiPolynomial((), (1, 4*k + 2, 4*k + 4), k)
"""

from __future__ import annotations

from .berlekamp_massey import DEFAULT_MODULUS, OnlineBM, berlekamp_massey
from .linear_recurrence import LinearRecurrence

__all__ = ["berlekamp_massey", "OnlineBM", "LinearRecurrence", "DEFAULT_MODULUS"]
