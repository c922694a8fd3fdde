"""The atlas: every identity the ESMA search reaches for a catalogue of constants, settled.

:func:`load_catalogue` / :func:`default_catalogue` read catalogues (TOML, see
:mod:`esma_sympy.atlas.catalogue`); :func:`run_atlas` searches each constant into a store and
settles every conjecture (:func:`settle_run`: a proof of the simplest member of each family,
carried along the shared tails to the others).  ``esma atlas`` is the command.
"""

from __future__ import annotations

from .catalogue import (DEFAULT_PATH, CatalogueEntry, build_default, default_catalogue,
                        load_catalogue, parse_catalogue, to_toml)
from .export import family_records, write_families
from .run import AtlasConstant, run_atlas, settle_run

__all__ = ["CatalogueEntry", "load_catalogue", "parse_catalogue", "default_catalogue",
           "build_default", "to_toml", "DEFAULT_PATH", "AtlasConstant", "run_atlas",
           "settle_run", "family_records", "write_families"]
