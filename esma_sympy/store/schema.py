"""The versioned SQLite schema of the conjecture store and its migrations.

An esma store is an SQLite database whose header carries ``PRAGMA application_id =
0x45534D41`` ("ESMA") and whose ``PRAGMA user_version`` is the schema version; the ``meta``
table repeats both (``application``, ``schema_version``) for humans.  :data:`MIGRATIONS` maps
each version ``v`` to the SQL that upgrades a version ``v - 1`` store (version 0 is the empty
file); :func:`migrate` applies the missing steps in one transaction.

Tables (version 4)
==================

``runs``
    One row per search plan (``plan_key`` is unique, so re-running the same search resumes
    it): constant, parameters (JSON), package versions (JSON), unit count, start/finish times,
    number of resumes, status (``running``/``done``, and since version 4 ``failed`` or
    ``interrupted``: such a run resumes when run again), and (since version 3) the unit split
    ``chunks`` (LHS and pattern chunk sizes) that gives the unit indices their meaning.
``units``
    The completed work units ``(run_id, unit_index)`` with their statistics.
``conjectures``
    One row per conjecture, unique by ``key`` (constant, LHS numerator/denominator, signs):
    the data to rebuild a :class:`~esma_sympy.search.Conjecture`, derived columns (quotients,
    rate, simple rate, the PCF once folded, as text and (since version 2) LaTeX), closed form and proof status, and the run and unit
    that first found it.
``found``
    Which run found which conjecture, with the position keys of the global search order
    (LHS index, period, pattern code) and the family number within that run.
"""

from __future__ import annotations

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "MIGRATIONS"]

APPLICATION_ID = 0x45534D41          # "ESMA"

_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE runs (
    id        INTEGER PRIMARY KEY,
    plan_key  TEXT NOT NULL UNIQUE,
    constant  TEXT NOT NULL,
    params    TEXT NOT NULL,
    versions  TEXT NOT NULL,
    n_units   INTEGER NOT NULL,
    started   TEXT NOT NULL,
    finished  TEXT,
    resumes   INTEGER NOT NULL DEFAULT 0,
    status    TEXT NOT NULL CHECK (status IN ('running', 'done'))
);
CREATE TABLE units (
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    unit_index  INTEGER NOT NULL,
    conjectures INTEGER NOT NULL,
    stats       TEXT NOT NULL,
    PRIMARY KEY (run_id, unit_index)
);
CREATE TABLE conjectures (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    constant     TEXT NOT NULL,
    lhs          TEXT NOT NULL,
    lhs_num      TEXT NOT NULL,
    lhs_den      TEXT NOT NULL,
    signs        TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    polys        TEXT NOT NULL,
    quotients    TEXT NOT NULL,
    charpoly     TEXT NOT NULL,
    first_terms  TEXT NOT NULL,
    found_on     INTEGER NOT NULL,
    predicted    INTEGER NOT NULL,
    digits       INTEGER NOT NULL,
    rate         REAL,
    simple_rate  REAL,
    pcf          TEXT,
    pcf_mobius   TEXT,
    closed_form  TEXT,
    proof_status TEXT NOT NULL,
    family       INTEGER NOT NULL DEFAULT -1,
    run_id       INTEGER NOT NULL REFERENCES runs(id),
    unit_index   INTEGER NOT NULL
);
CREATE TABLE found (
    run_id         INTEGER NOT NULL REFERENCES runs(id),
    conjecture_id  INTEGER NOT NULL REFERENCES conjectures(id),
    unit_index     INTEGER NOT NULL,
    lhs_index      INTEGER NOT NULL,
    period         INTEGER NOT NULL,
    pattern_code   INTEGER NOT NULL,
    family         INTEGER NOT NULL DEFAULT -1,
    PRIMARY KEY (run_id, conjecture_id)
);
CREATE INDEX found_order ON found (run_id, lhs_index, period, pattern_code);
CREATE INDEX conjectures_constant ON conjectures (constant);
"""

# version 2: the folded PCF's LaTeX (``LHS = ...``) is cached next to its text
_V2 = """
ALTER TABLE conjectures ADD COLUMN pcf_latex TEXT
"""

# version 3: the unit split of a run (``{"lhs_chunk": .., "pattern_chunk": ..}``), so a resumed
# run keeps the unit indices it was started with whatever chunk sizes are asked for later
_V3 = """
ALTER TABLE runs ADD COLUMN chunks TEXT
"""

# version 4: a run that fails or is interrupted says so (status ``failed``/``interrupted``; it
# resumes like a ``running`` one).  SQLite cannot change a CHECK in place: the table is rebuilt
# (the store runs migrations with foreign keys off and checks them before committing).
_V4 = """
CREATE TABLE runs_v4 (
    id        INTEGER PRIMARY KEY,
    plan_key  TEXT NOT NULL UNIQUE,
    constant  TEXT NOT NULL,
    params    TEXT NOT NULL,
    versions  TEXT NOT NULL,
    n_units   INTEGER NOT NULL,
    started   TEXT NOT NULL,
    finished  TEXT,
    resumes   INTEGER NOT NULL DEFAULT 0,
    status    TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
    chunks    TEXT
);
INSERT INTO runs_v4 (id, plan_key, constant, params, versions, n_units, started, finished,
                     resumes, status, chunks)
    SELECT id, plan_key, constant, params, versions, n_units, started, finished, resumes,
           status, chunks FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v4 RENAME TO runs
"""

#: ``{version: SQL script upgrading version - 1 to version}``
MIGRATIONS: dict = {1: _V1, 2: _V2, 3: _V3, 4: _V4}

SCHEMA_VERSION = max(MIGRATIONS)
