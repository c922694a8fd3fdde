"""The conjecture store: an SQLite database (standard library ``sqlite3``) in WAL mode.

Safety rules (theory of operation)
==================================

* Opening never damages a file.  A path that exists is first inspected read-only: a file that
  is not an SQLite database, an SQLite database of another application, or an esma store of a
  newer schema raises :class:`StoreError` and is left byte for byte unchanged.  An older esma
  store is upgraded by :data:`~esma_sympy.store.schema.MIGRATIONS` in one transaction.
* A new store is created with a rollback journal (so its header is in the main file at once)
  and then switched to WAL mode (``synchronous=NORMAL``: a committed transaction survives the
  death of the process; only the transaction in flight is lost).
* :meth:`Store.commit_unit` writes the conjectures of one work unit and its completion row in
  ONE transaction; a conjecture already in the store (same :func:`conjecture_key`) is never
  inserted again.  A unit that another writer completed meanwhile is skipped as a whole.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
import sys

from ..errors import EsmaError
from .rows import conjecture_key, row_conjecture
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

__all__ = ["Store", "StoreError", "open_store", "default_path"]

_HEADER = b"SQLite format 3\x00"

_COLUMNS = ("key", "constant", "lhs", "lhs_num", "lhs_den", "signs", "prefix", "polys",
            "quotients", "charpoly", "first_terms", "found_on", "predicted", "digits", "rate",
            "simple_rate", "pcf", "pcf_mobius", "pcf_latex", "closed_form", "proof_status")


class StoreError(EsmaError):
    """A file cannot be used as a conjecture store (not an esma store, a newer schema, ...).

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "notes.txt")
    ...     _ = open(path, "w").write("not a database")
    ...     try:
    ...         open_store(path)
    ...     except StoreError as err:
    ...         print("refused:", "not an esma store" in str(err), open(path).read())
    refused: True not a database
    """


def default_path() -> str:
    """The store path: ``$ESMA_DB`` when set, else ``esma.sqlite`` in the working directory.

    >>> import os
    >>> old = os.environ.pop("ESMA_DB", None)
    >>> default_path()
    'esma.sqlite'
    >>> if old is not None: os.environ["ESMA_DB"] = old
    """
    return os.environ.get("ESMA_DB") or "esma.sqlite"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version}
    for name in ("esma_sympy", "sympy", "python-flint", "mpmath", "numpy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:      # pragma: no cover
            out[name] = None
    return out


def _inspect(path: str):
    """``None`` for a missing or empty file, else ``(application_id, user_version, tables)``,
    read without writing anything.  Raises :class:`StoreError` for a non-SQLite file."""
    if not os.path.exists(path):
        return None
    if os.path.isdir(path):
        raise StoreError(f"db = {path!r} is a directory, not an esma store")
    if os.path.getsize(path) == 0:
        return None
    with open(path, "rb") as f:
        head = f.read(100)
    if not head.startswith(_HEADER):
        raise StoreError(f"db = {path!r} is not an esma store (not an SQLite database); "
                         "refusing to use it (the file was not modified)")
    try:
        con = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True)
        try:
            app = con.execute("PRAGMA application_id").fetchone()[0]
            ver = con.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.DatabaseError as err:
        raise StoreError(f"db = {path!r} is not a readable SQLite database ({err}); refusing to "
                         "use it (the file was not modified)") from None
    return app, ver, tables


class Store:
    """A conjecture store at ``path`` (see the module docstring for the safety rules).

    Examples
    ========

    >>> import os, tempfile
    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> from esma_sympy.store import Store, run_search
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Store(os.path.join(tmp, "esma.sqlite")) as store:
    ...         run = run_search(plan_search(E, coeff_limit=1, max_period=2, depth=40), store)
    ...         rows = store.rows(run_id=run)
    ...         print(len(rows), rows[0]["constant"], store.run(run)["status"], store.schema_version)
    72 E done 4

    Parameters
    ==========

    path : str or os.PathLike
        The database file.
    create : bool
        Create the store when ``path`` does not exist (otherwise raise :class:`StoreError`).
    """

    def __init__(self, path, *, create: bool = True):
        path = os.fspath(path)
        if not isinstance(path, str) or not path:
            raise ValueError(f"db must be a file path, got {path!r}")
        self.path = path
        info = _inspect(path)
        if info is None:
            if not create:
                raise StoreError(f"db = {path!r}: no esma store there (run `esma search` first)")
            self._con = self._connect()
            self._migrate(0)
        else:
            app, ver, tables = info
            if app != APPLICATION_ID:
                if not (app == 0 and not tables):
                    raise StoreError(f"db = {path!r} is an SQLite database but not an esma "
                                     f"store (application_id {app:#x}); refusing to use it (the "
                                     "file was not modified)")
                ver = 0                 # an empty SQLite database: make it a store
            if ver > SCHEMA_VERSION:
                raise StoreError(f"db = {path!r} has schema version {ver}, newer than the {SCHEMA_VERSION} "
                                 "this esma_sympy understands; upgrade esma_sympy (the file was "
                                 "not modified)")
            self._con = self._connect()
            if ver < SCHEMA_VERSION:
                self._migrate(ver)
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("PRAGMA synchronous=NORMAL")

    # -- connection and schema ------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
            con.execute("PRAGMA schema_version").fetchone()
        except sqlite3.Error as err:
            raise StoreError(f"db = {self.path!r} cannot be opened: {err}") from None
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA foreign_keys=ON")
        return con

    def _migrate(self, current: int) -> None:
        con = self._con
        # a migration may rebuild a table (SQLite's documented procedure): foreign keys off
        # outside the transaction, checked before the commit, on again afterwards
        con.execute("PRAGMA foreign_keys=OFF")
        con.execute("BEGIN IMMEDIATE")
        try:
            for v in range(current + 1, SCHEMA_VERSION + 1):
                for stmt in _statements(MIGRATIONS[v]):
                    con.execute(stmt)
            bad = con.execute("PRAGMA foreign_key_check").fetchall()
            if bad:
                raise StoreError(f"db = {self.path!r}: the migration would break {len(bad)} "
                                 "foreign keys; the file is left unchanged")
            con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('application', "
                        "'esma_sympy conjecture store')")
            con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                        (str(SCHEMA_VERSION),))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.execute("PRAGMA foreign_keys=ON")

    @property
    def schema_version(self) -> int:
        return self._con.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- runs and units (the writer side) --------------------------------------------------------
    def find_run(self, plan_key: str):
        """The run of ``plan_key`` as a dictionary, or ``None``."""
        row = self._con.execute("SELECT * FROM runs WHERE plan_key = ?", (plan_key,)).fetchone()
        return None if row is None else dict(row)

    def begin_run(self, plan) -> tuple:
        """``(run_id, completed unit indices)`` of ``plan``: a new run, or the run of the same
        plan key (resumed; its ``resumes`` count goes up when it was not finished).

        Unit indices only mean something for one unit split: resuming an unfinished run with
        other chunk sizes is refused (:func:`~esma_sympy.store.run_search` adopts the run's
        split instead)."""
        old = self.find_run(plan.key)
        if old is not None and old["status"] != "done":
            split = None if old["chunks"] is None else json.loads(old["chunks"])
            if (split is not None and split != _chunks(plan)) or old["n_units"] != plan.n_units():
                raise ValueError(f"plan has the unit split {_chunks(plan)} ({plan.n_units()} "
                                 f"units) but run {old['id']} was started with {split} "
                                 f"({old['n_units']} units); resume it with the same split")
        con = self._con
        con.execute("BEGIN IMMEDIATE")
        try:
            row = con.execute("SELECT id, status FROM runs WHERE plan_key = ?", (plan.key,)).fetchone()
            if row is None:
                cur = con.execute(
                    "INSERT INTO runs (plan_key, constant, params, versions, n_units, started, "
                    "status, chunks) VALUES (?, ?, ?, ?, ?, ?, 'running', ?)",
                    (plan.key, str(plan.constant), json.dumps(plan.params, sort_keys=True),
                     json.dumps(_versions(), sort_keys=True), plan.n_units(), _now(),
                     json.dumps(_chunks(plan), sort_keys=True)))
                run_id = cur.lastrowid
            else:
                run_id = row["id"]
                if row["status"] != "done":
                    con.execute("UPDATE runs SET resumes = resumes + 1, status = 'running' "
                                "WHERE id = ?", (run_id,))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return run_id, self.completed_units(run_id)

    def completed_units(self, run_id: int) -> set:
        return {r[0] for r in self._con.execute(
            "SELECT unit_index FROM units WHERE run_id = ?", (run_id,))}

    def commit_unit(self, run_id: int, unit_index: int, rows: list, stats: dict) -> bool:
        """Store the conjectures of one unit and mark it complete, in ONE transaction.

        ``rows`` are :func:`~esma_sympy.store.rows.conjecture_row` dictionaries with the
        position keys ``_lhs_index``, ``_period``, ``_pattern_code``.  Returns ``False`` (and
        writes nothing) when the unit was already complete.
        """
        con = self._con
        con.execute("BEGIN IMMEDIATE")
        try:
            cur = con.execute("INSERT OR IGNORE INTO units (run_id, unit_index, conjectures, stats) "
                              "VALUES (?, ?, ?, ?)",
                              (run_id, unit_index, len(rows), json.dumps(stats, sort_keys=True)))
            if cur.rowcount == 0:
                con.execute("ROLLBACK")
                return False
            cols = ", ".join(_COLUMNS)
            marks = ", ".join("?" for _ in _COLUMNS)
            for r in rows:
                con.execute(f"INSERT OR IGNORE INTO conjectures ({cols}, run_id, unit_index) "
                            f"VALUES ({marks}, ?, ?)",
                            tuple(r[c] for c in _COLUMNS) + (run_id, unit_index))
                cid = con.execute("SELECT id FROM conjectures WHERE key = ?", (r["key"],)).fetchone()[0]
                con.execute("INSERT OR IGNORE INTO found (run_id, conjecture_id, unit_index, "
                            "lhs_index, period, pattern_code) VALUES (?, ?, ?, ?, ?, ?)",
                            (run_id, cid, unit_index, r["_lhs_index"], r["_period"],
                             r["_pattern_code"]))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return True

    def finish_run(self, run_id: int, families: list) -> None:
        """Record the family numbers (``families[i]`` of the i-th conjecture of the run in
        search order) and mark the run done, in one transaction."""
        ids = [r["id"] for r in self.rows(run_id=run_id)]
        if len(ids) != len(families):
            raise ValueError(f"families must have {len(ids)} entries, got {len(families)}")
        con = self._con
        con.execute("BEGIN IMMEDIATE")
        try:
            for cid, fam in zip(ids, families):
                con.execute("UPDATE found SET family = ? WHERE run_id = ? AND conjecture_id = ?",
                            (fam, run_id, cid))
                con.execute("UPDATE conjectures SET family = ? WHERE id = ? AND run_id = ?",
                            (fam, cid, run_id))
            con.execute("UPDATE runs SET status = 'done', finished = ? WHERE id = ?",
                        (_now(), run_id))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def set_run_status(self, run_id: int, status: str) -> None:
        """Mark an unfinished run ``'failed'`` or ``'interrupted'`` (or ``'running'`` again when
        it resumes); a finished run keeps ``'done'``.  Either way it resumes when run again.

        >>> import os, tempfile
        >>> from sympy import E
        >>> from esma_sympy.search import plan_search
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Store(os.path.join(tmp, "s.sqlite")) as store:
        ...         run, _ = store.begin_run(plan_search(E, lhs=["E"], max_period=1))
        ...         store.set_run_status(run, "failed")
        ...         print(store.run(run)["status"])
        failed
        """
        if status not in ("running", "failed", "interrupted"):
            raise ValueError(f"status must be 'running', 'failed' or 'interrupted', got {status!r}")
        with_tx(self._con, "UPDATE runs SET status = ? WHERE id = ? AND status != 'done'",
                (status, run_id))

    def set_pcf(self, conjecture_id: int, pcf, pcf_mobius, pcf_latex) -> None:
        """Cache the folded PCF of a conjecture (derived, deterministic columns; see
        :func:`~esma_sympy.store.rows.fold_text`)."""
        with_tx(self._con, "UPDATE conjectures SET pcf = ?, pcf_mobius = ?, pcf_latex = ? "
                "WHERE id = ?", (pcf, pcf_mobius, pcf_latex, conjecture_id))

    def set_proof(self, conjecture_id: int, closed_form, proof_status: str) -> None:
        """Record what ``esma_sympy.theory`` found for a conjecture: its closed form (stored as
        text, read back through the whitelist parser) and its proof status.

        >>> import os, tempfile
        >>> from sympy import E, exp
        >>> from esma_sympy.search import plan_search
        >>> from esma_sympy.store import Store, run_search
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Store(os.path.join(tmp, "s.sqlite")) as store:
        ...         _ = run_search(plan_search(E, lhs=["E"], max_period=1, depth=40), store)
        ...         store.set_proof(1, exp(1), "proved")
        ...         c = store.conjecture(1)
        >>> c.closed_form, c.proof_status
        (E, 'proved')
        """
        if not isinstance(proof_status, str) or not proof_status:
            raise ValueError(f"proof_status must be a non-empty string, got {proof_status!r}")
        self.row(conjecture_id)                       # ValueError naming a missing id
        with_tx(self._con, "UPDATE conjectures SET closed_form = ?, proof_status = ? WHERE id = ?",
                (None if closed_form is None else str(closed_form), proof_status, conjecture_id))

    # -- reading --------------------------------------------------------------------------------
    def run(self, run_id: int) -> dict:
        row = self._con.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise ValueError(f"run = {run_id} is not in {self.path!r}")
        return dict(row)

    def runs(self) -> list:
        return [dict(r) for r in self._con.execute("SELECT * FROM runs ORDER BY id")]

    def unit_stats(self, run_id: int) -> list:
        return [json.loads(r[0]) for r in self._con.execute(
            "SELECT stats FROM units WHERE run_id = ? ORDER BY unit_index", (run_id,))]

    def rows(self, *, run_id: int | None = None, constant: str | None = None) -> list:
        """Stored conjectures as dictionaries, in a deterministic order.

        With ``run_id``: the conjectures that run found (including those an earlier run
        stored first), in the search order (LHS, period, pattern), with that run's family
        numbers.  Otherwise every conjecture (of ``constant`` when given) by first run, then
        search order.
        """
        if run_id is not None:
            q = ("SELECT c.*, f.family AS family FROM found f JOIN conjectures c "
                 "ON c.id = f.conjecture_id WHERE f.run_id = ?")
            args: tuple = (run_id,)
            if constant is not None:
                q += " AND c.constant = ?"
                args += (constant,)
            q += " ORDER BY f.lhs_index, f.period, f.pattern_code"
        else:
            q = ("SELECT c.* FROM conjectures c JOIN found f ON f.conjecture_id = c.id AND "
                 "f.run_id = c.run_id")
            args = ()
            if constant is not None:
                q += " WHERE c.constant = ?"
                args = (constant,)
            q += " ORDER BY c.run_id, f.lhs_index, f.period, f.pattern_code"
        return [dict(r) for r in self._con.execute(q, args)]

    def row(self, conjecture_id: int) -> dict:
        """One stored conjecture by id (``ValueError`` naming the id when absent)."""
        r = self._con.execute("SELECT * FROM conjectures WHERE id = ?", (conjecture_id,)).fetchone()
        if r is None:
            raise ValueError(f"id = {conjecture_id} is not a conjecture in {self.path!r}")
        return dict(r)

    def conjecture(self, conjecture_id: int):
        """The :class:`~esma_sympy.search.Conjecture` stored under ``conjecture_id``."""
        return row_conjecture(self.row(conjecture_id))

    def constants(self) -> list:
        return [r[0] for r in self._con.execute(
            "SELECT constant FROM conjectures GROUP BY constant ORDER BY MIN(id)")]

    def count(self) -> int:
        return self._con.execute("SELECT COUNT(*) FROM conjectures").fetchone()[0]

    def has(self, constant: str, num, den, signs) -> bool:
        key = conjecture_key(constant, num, den, signs)
        return self._con.execute("SELECT 1 FROM conjectures WHERE key = ?", (key,)).fetchone() is not None


def _chunks(plan) -> dict:
    return {"lhs_chunk": plan.lhs_chunk, "pattern_chunk": plan.pattern_chunk}


def with_tx(con, sql: str, args: tuple = ()) -> None:
    con.execute("BEGIN IMMEDIATE")
    try:
        con.execute(sql, args)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _statements(script: str):
    """Split a schema script into statements (the schema has no ``;`` inside literals)."""
    for stmt in script.split(";"):
        if stmt.strip():
            yield stmt.strip()


def open_store(path=None, *, create: bool = True) -> Store:
    """The store at ``path`` (default :func:`default_path`).

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with open_store(os.path.join(tmp, "s.sqlite")) as store:
    ...         print(store.count())
    0
    """
    return Store(default_path() if path is None else path, create=create)
