"""The conjecture store (SQLite, standard library) and the search driver that fills it.

See :mod:`esma_sympy.store.store` for the safety rules, :mod:`esma_sympy.store.schema` for
the tables, :mod:`esma_sympy.store.integrity` for the checks a file passes before it is used
and :mod:`esma_sympy.store.doctor` for ``esma doctor``.
"""

from __future__ import annotations

from .driver import run_search, stored_result
from .rows import conjecture_key, conjecture_row, row_conjecture
from .schema import SCHEMA_VERSION
from .store import (Store, StoreBusy, StoreDamaged, StoreError, StoreRowError, default_path,
                    lock_timeout, open_store)

__all__ = ["Store", "StoreError", "StoreDamaged", "StoreBusy", "StoreRowError", "open_store",
           "default_path", "lock_timeout", "run_search", "stored_result", "conjecture_key",
           "conjecture_row", "row_conjecture", "SCHEMA_VERSION"]
