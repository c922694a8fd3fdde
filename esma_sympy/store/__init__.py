"""The conjecture store (SQLite, standard library) and the search driver that fills it.

See :mod:`esma_sympy.store.store` for the safety rules and :mod:`esma_sympy.store.schema` for
the tables.
"""

from __future__ import annotations

from .driver import run_search, stored_result
from .rows import conjecture_key, conjecture_row, row_conjecture
from .schema import SCHEMA_VERSION
from .store import Store, StoreError, default_path, open_store

__all__ = ["Store", "StoreError", "open_store", "default_path", "run_search", "stored_result",
           "conjecture_key", "conjecture_row", "row_conjecture", "SCHEMA_VERSION"]
