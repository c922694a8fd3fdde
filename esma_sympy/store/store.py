"""The conjecture store: an SQLite database (standard library ``sqlite3``) in WAL mode.

Safety rules (theory of operation)
==================================

* Opening never damages a file.  A path that exists is first checked without writing anything
  (:func:`~esma_sympy.store.integrity.check_file`: not a regular file, empty, not SQLite,
  truncated, a garbage write-ahead log, another application's database, a newer schema, a
  failing ``PRAGMA quick_check``, a missing table or column): such a file raises
  :class:`StoreError` (:class:`StoreDamaged` for damage) with one line naming it, and is left
  byte for byte unchanged, side files included.  An older esma store is upgraded by
  :data:`~esma_sympy.store.schema.MIGRATIONS` in one transaction.
* A new store is built complete in a temporary file next to ``path`` and then hard-linked to
  ``path``, which fails when another process made one first (that one is used): a path never
  holds a half-made store, and concurrent first runs do not race on the schema.
* Every write is one ``BEGIN IMMEDIATE`` transaction.  Several processes may write one store:
  each waits for the write lock (SQLite's busy timeout, which backs off from 1 to 100 ms, inside
  a retry loop with jittered exponential backoff) for at most ``lock_timeout`` seconds
  (``$ESMA_LOCK_TIMEOUT``, default 60), then raises :class:`StoreBusy`, having written nothing
  of that transaction.
* :meth:`Store.commit_unit` writes the conjectures of one work unit and its completion row in
  ONE transaction; a conjecture already in the store (same :func:`conjecture_key`) is never
  inserted again.  A unit that another writer completed meanwhile is skipped as a whole.
* Opening and reading write nothing (no upgrade, no switch to WAL).  Before its first write
  a :class:`Store` checks every row (:meth:`Store.check_rows`), then upgrades an old store and
  switches one in rollback-journal mode to WAL: a store with a bad row is refused by every
  command that would write, before anything is written.
* A row read back is checked (:func:`~esma_sympy.store.integrity.check_row`, the JSON columns
  in SQL): a bad one raises :class:`StoreRowError` naming the table, the id and the column.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import random
import secrets
import sqlite3
import sys
import time
from contextlib import contextmanager

from .integrity import (APPLICATION_NAME, connect_file, StoreBusy, StoreDamaged, StoreError, StoreRowError,
                        _is_busy, check_file, check_row, json_check_sql, text_factory)
from .rows import conjecture_key, row_conjecture
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

__all__ = ["Store", "StoreError", "StoreDamaged", "StoreBusy", "StoreRowError", "open_store",
           "default_path", "lock_timeout"]

#: seconds a writer waits for the write lock when neither the caller nor $ESMA_LOCK_TIMEOUT says
DEFAULT_LOCK_TIMEOUT = 60.0

_COLUMNS = ("key", "constant", "lhs", "lhs_num", "lhs_den", "signs", "prefix", "polys",
            "quotients", "charpoly", "first_terms", "found_on", "predicted", "digits", "rate",
            "simple_rate", "pcf", "pcf_mobius", "pcf_latex", "closed_form", "proof_status")


def default_path() -> str:
    """The store path: ``$ESMA_DB`` when set, else ``esma.sqlite`` in the working directory
    (``ValueError`` when ``ESMA_DB`` is set to an empty string).

    >>> import os
    >>> old = os.environ.pop("ESMA_DB", None)
    >>> default_path()
    'esma.sqlite'
    >>> if old is not None: os.environ["ESMA_DB"] = old
    """
    path = os.environ.get("ESMA_DB")
    if path is None:
        return "esma.sqlite"
    if not path.strip():
        raise ValueError(f"ESMA_DB = {path!r} is set but empty: unset it (for esma.sqlite in "
                         "the working directory) or give a path")
    return path


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


def lock_timeout(value=None) -> float:
    """The write-lock timeout in seconds: ``value``, else ``$ESMA_LOCK_TIMEOUT``, else 60.

    >>> import os
    >>> old = os.environ.pop("ESMA_LOCK_TIMEOUT", None)
    >>> lock_timeout(), lock_timeout(2.5)
    (60.0, 2.5)
    >>> os.environ["ESMA_LOCK_TIMEOUT"] = "soon"
    >>> lock_timeout()
    Traceback (most recent call last):
    ...
    ValueError: ESMA_LOCK_TIMEOUT must be a positive number of seconds, got 'soon'
    >>> del os.environ["ESMA_LOCK_TIMEOUT"]
    >>> if old is not None: os.environ["ESMA_LOCK_TIMEOUT"] = old
    """
    name = "lock_timeout"
    if value is None:
        value = os.environ.get("ESMA_LOCK_TIMEOUT")
        name = "ESMA_LOCK_TIMEOUT"
        if value is None or value == "":
            return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = float("nan")
    if not seconds > 0 or seconds == float("inf"):
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    return seconds


_lock_timeout = lock_timeout      # Store's keyword argument has the same name


def _unlink_quietly(*paths) -> None:
    for p in paths:
        try:
            os.unlink(p)
        except FileNotFoundError:
            pass


def _apply_migrations(con, current: int, target: int) -> None:
    """Run migrations ``current + 1 .. target`` and stamp the header and ``meta`` (inside the
    caller's transaction)."""
    for v in range(current + 1, target + 1):
        for stmt in _statements(MIGRATIONS[v]):
            con.execute(stmt)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute(f"PRAGMA user_version = {target}")
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('application', ?)",
                (APPLICATION_NAME,))
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(target),))


def _build_file(path: str, version: int) -> None:
    """Make an empty store of schema ``version`` in WAL mode at the (new, private) ``path``."""
    con = connect_file(path, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        _apply_migrations(con, 0, version)
        con.execute("COMMIT")
        con.execute("PRAGMA journal_mode=WAL")   # persistent, in the header
    finally:
        con.close()


def _temp_name(path: str) -> str:
    base = os.path.basename(path)[:100]     # within NAME_MAX however long the store's name
    return os.path.join(os.path.dirname(os.path.abspath(path)),
                        f".{base}.{os.getpid()}.{secrets.token_hex(4)}.new")


def _publish(tmp: str, path: str) -> bool:
    """Give the finished file ``tmp`` the name ``path`` unless something is there already
    (``False``); ``tmp`` is gone afterwards."""
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:              # a file system without hard links
            if os.path.lexists(path):
                return False
            os.replace(tmp, path)
        return True
    finally:
        _unlink_quietly(tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal")


def _create(path: str, version: int) -> bool:
    """Create a store at ``path`` atomically; ``False`` when another process was first."""
    if str(path).endswith((os.sep, "/")):
        raise StoreError(f"db = {path!r} names a directory (it ends with a slash); give the "
                         "store's file name", path=path, problem="names a directory")
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise StoreError(f"db = {path!r} cannot be created: the directory {parent!r} does not "
                         "exist", path=path, problem="its directory does not exist")
    tmp = _temp_name(path)
    try:
        _build_file(tmp, version)
        return _publish(tmp, path)
    except (sqlite3.Error, OSError) as err:
        _unlink_quietly(tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal")
        why = getattr(err, "strerror", None) or err
        raise StoreError(f"db = {path!r} cannot be created: {why}", path=path,
                         problem=f"cannot be created: {why}") from None


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
    lock_timeout : float, optional
        Seconds to wait for the write lock before :class:`StoreBusy` (default
        :func:`lock_timeout`: ``$ESMA_LOCK_TIMEOUT``, else 60).
    """

    def __init__(self, path, *, create: bool = True, lock_timeout: float | None = None,
                 _probe: bool = False):
        path = os.fspath(path)
        if not isinstance(path, str) or not path:
            raise ValueError(f"db must be a file path, got {path!r}")
        self.path = path
        self._con = None
        self._rows_ok = self._write_ready = False
        self.lock_timeout = _lock_timeout(lock_timeout)
        info = check_file(path, current=SCHEMA_VERSION, timeout=self.lock_timeout)
        if info is None:
            if not create:
                raise StoreError(f"db = {path!r}: no esma store there (run `esma search` first)",
                                 path=path, problem="is not there")
            if not _create(path, SCHEMA_VERSION):       # another process made it first
                info = check_file(path, current=SCHEMA_VERSION, timeout=self.lock_timeout)
        real = os.path.realpath(path)
        if (info is not None and not _probe and os.path.exists(real + "-wal")
                and not os.path.exists(real + "-shm")):
            self._check_rows_privately(real)
        self._con = self._connect()
        try:
            self._con.execute("PRAGMA synchronous=NORMAL")
            if info is None:
                self._write_ready = self._rows_ok = True      # made here, complete
            elif info.version < SCHEMA_VERSION or info.application_id != APPLICATION_ID:
                self._prepare_write()        # every row checked, then the upgrade
        except sqlite3.Error as err:
            self.close()
            raise self._translate(err, "opening it") from None
        except BaseException:
            self.close()
            raise

    def _check_rows_privately(self, real: str) -> None:
        """A write-ahead log without its ``-shm`` index (a killed writer's): connecting would
        create the index and closing would checkpoint the log into the file, so every row is
        checked first on a private copy of both (no live writer has such a log)."""
        from .integrity import _private_copy

        with _private_copy(real, wal=True) as copy:
            if copy is None:              # the log went away: a live connection closed
                return
            try:
                with Store(copy, create=False, lock_timeout=self.lock_timeout,
                           _probe=True) as probe:
                    probe.check_rows()
            except StoreRowError as err:
                raise StoreRowError(self.path, err.table, err.row_id, err.column,
                                    err.what) from None
            except StoreError as err:
                raise StoreDamaged(str(err).replace(repr(copy), repr(self.path)),
                                   path=self.path, problem=err.problem) from None
        self._rows_ok = True

    def _prepare_write(self) -> None:
        """Before the first write of this connection: check every row
        (:meth:`check_rows`; a bad one raises :class:`StoreRowError` and nothing is written),
        then upgrade an old store and switch a store in rollback-journal mode to WAL.  Opening
        and reading write nothing, so a refused file stays byte for byte as it was."""
        if self._write_ready:
            return
        if not self._rows_ok:
            self.check_rows()
        self._write_ready = True
        try:
            con = self._con
            app = con.execute("PRAGMA application_id").fetchone()[0]
            ver = con.execute("PRAGMA user_version").fetchone()[0]
            if app != APPLICATION_ID or ver < SCHEMA_VERSION:
                self._migrate()
            if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self._retry(lambda: con.execute("PRAGMA journal_mode=WAL"), "opening it")
        except BaseException:
            self._write_ready = False
            raise

    # -- connection, locking, errors --------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        try:
            con = connect_file(self.path, isolation_level=None, timeout=self.lock_timeout)
            con.execute("PRAGMA schema_version").fetchone()
        except sqlite3.Error as err:
            raise StoreError(f"db = {self.path!r} cannot be opened: {err}", path=self.path,
                             problem=f"cannot be opened: {err}") from None
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA foreign_keys=ON")
        try:
            con.execute("SELECT json_valid('[]')").fetchone()
            self._json_sql = True
        except sqlite3.OperationalError:          # an SQLite without JSON functions
            self._json_sql = False
        return con

    def _busy(self, err=None, what: str = "writing it") -> StoreBusy:
        search = what.startswith(("starting a run", "storing unit", "finishing run", "marking run"))
        tail = ("nothing of this transaction was written and every finished unit is kept: run "
                "the same command again to resume" if search else
                f"nothing was written ({what}): run the command again when the other process "
                "is done")
        return StoreBusy(f"db = {self.path!r} is locked by another process: no write lock within "
                         f"{self.lock_timeout:g} s (ESMA_LOCK_TIMEOUT); {tail}", path=self.path,
                         problem="is locked")

    def _translate(self, err, what: str):
        """The :class:`StoreError` for an ``sqlite3`` error (busy, damaged), else ``err``."""
        if isinstance(err, sqlite3.OperationalError) and _is_busy(err):
            return self._busy(err, what)
        if type(err) is sqlite3.DatabaseError:       # SQLITE_CORRUPT, SQLITE_NOTADB
            return StoreDamaged(f"db = {self.path!r} is damaged: {err} (met while {what}); "
                                f"`esma doctor --db {self.path}` reports the damage",
                                path=self.path, problem=f"is damaged: {err}")
        return err

    def _retry(self, step, what: str = "writing it"):
        """Run ``step()`` until it is not refused for a lock, with jittered exponential
        backoff, for at most ``lock_timeout`` seconds (SQLite's own busy timeout waits inside
        each attempt)."""
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.005
        while True:
            try:
                return step()
            except sqlite3.OperationalError as err:
                if not _is_busy(err):
                    raise
                left = deadline - time.monotonic()
                if left <= 0:
                    raise self._busy(err, what) from None
                time.sleep(min(left, delay * (0.5 + random.random())))
                delay = min(2 * delay, 0.5)

    @contextmanager
    def _transaction(self, what: str):
        """One write transaction (``BEGIN IMMEDIATE``, waiting for the lock as
        :meth:`_retry` does); the body may ``ROLLBACK`` itself to write nothing."""
        self._prepare_write()
        con = self._con
        self._retry(lambda: con.execute("BEGIN IMMEDIATE"), what)
        try:
            yield con
            if con.in_transaction:
                con.execute("COMMIT")
        except BaseException as err:
            if con.in_transaction:
                try:
                    con.execute("ROLLBACK")
                except sqlite3.Error:               # pragma: no cover - already rolled back
                    pass
            if isinstance(err, sqlite3.Error):
                new = self._translate(err, what)
                if new is not err:
                    raise new from None
            raise

    def _fetch(self, sql: str, args: tuple = (), what: str = "reading it") -> list:
        """``fetchall`` of a query; text that is not UTF-8 comes back marked (for
        :func:`~esma_sympy.store.integrity.check_row`) instead of failing the whole query."""
        con = self._con
        try:
            try:
                return con.execute(sql, args).fetchall()
            except sqlite3.OperationalError as err:
                if "decode" not in str(err):
                    raise
            con.text_factory = text_factory
            try:
                return con.execute(sql, args).fetchall()
            finally:
                con.text_factory = str
        except sqlite3.Error as err:
            raise self._translate(err, what) from None

    def _checked(self, table: str, rows) -> list:
        out = []
        parse_json = not (table == "conjectures" and self._json_sql)   # else checked in SQL
        for r in rows:
            d = dict(r)
            bad = d.pop("_bad", None)
            check_row(self.path, table, d, parse_json=parse_json)
            if bad is not None:
                column, what = bad.split(":", 1)
                raise StoreRowError(self.path, table, d.get("id"), column, what)
            out.append(d)
        return out

    def _json_flag(self, alias: str = "c") -> str:
        return json_check_sql(alias) if self._json_sql else "NULL"

    def _migrate(self) -> None:
        """Bring the store to :data:`SCHEMA_VERSION` (and write back a missing application id)
        in one transaction; the version is read again under the lock, so two processes
        opening an old store at once migrate it once."""
        con = self._con
        # a migration may rebuild a table (SQLite's documented procedure): foreign keys off
        # outside the transaction, checked before the commit, on again afterwards
        con.execute("PRAGMA foreign_keys=OFF")
        try:
            with self._transaction("upgrading it"):
                app = con.execute("PRAGMA application_id").fetchone()[0]
                ver = con.execute("PRAGMA user_version").fetchone()[0]
                if app != APPLICATION_ID and ver == 0:
                    ver = int(dict(con.execute("SELECT key, value FROM meta").fetchall())
                              ["schema_version"])
                if ver >= SCHEMA_VERSION and app == APPLICATION_ID:
                    return                         # another process was first
                _apply_migrations(con, ver, SCHEMA_VERSION)
                bad = con.execute("PRAGMA foreign_key_check").fetchall()
                if bad:
                    raise StoreError(f"db = {self.path!r}: the migration would break {len(bad)} "
                                     "foreign keys; the file is left unchanged")
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
        rows = self._checked("runs", self._fetch("SELECT * FROM runs WHERE plan_key = ?",
                                                 (plan_key,)))
        return rows[0] if rows else None

    def begin_run(self, plan) -> tuple:
        """``(run_id, completed unit indices)`` of ``plan``: a new run, or the run of the same
        plan key (resumed; its ``resumes`` count goes up when it was not finished).

        Unit indices only mean something for one unit split: resuming an unfinished run with
        other chunk sizes is refused (:func:`~esma_sympy.store.run_search` adopts the run's
        split instead)."""
        old = self.find_run(plan.key)
        if old is not None and old["status"] != "done" and self.completed_units(old["id"]):
            split = None if old["chunks"] is None else json.loads(old["chunks"])
            if (split is not None and split != _chunks(plan)) or old["n_units"] != plan.n_units():
                raise ValueError(f"plan has the unit split {_chunks(plan)} ({plan.n_units()} "
                                 f"units) but run {old['id']} was started with {split} "
                                 f"({old['n_units']} units); resume it with the same split")
        with self._transaction("starting a run") as con:
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
                    # the description follows from the plan (restores what `esma doctor`
                    # replaced in a damaged run row; a run without units adopts this split)
                    con.execute("UPDATE runs SET resumes = resumes + 1, status = 'running', "
                                "constant = ?, params = ?, n_units = ?, chunks = ? WHERE id = ?",
                                (str(plan.constant), json.dumps(plan.params, sort_keys=True),
                                 plan.n_units(), json.dumps(_chunks(plan), sort_keys=True),
                                 run_id))
        return run_id, self.completed_units(run_id)

    def completed_units(self, run_id: int) -> set:
        return {r[0] for r in self._fetch("SELECT unit_index FROM units WHERE run_id = ?",
                                          (run_id,))}

    def commit_unit(self, run_id: int, unit_index: int, rows: list, stats: dict) -> bool:
        """Store the conjectures of one unit and mark it complete, in ONE transaction.

        ``rows`` are :func:`~esma_sympy.store.rows.conjecture_row` dictionaries with the
        position keys ``_lhs_index``, ``_period``, ``_pattern_code``.  Returns ``False`` (and
        writes nothing) when the unit was already complete (another writer may have done it).
        """
        with self._transaction(f"storing unit {unit_index} of run {run_id}") as con:
            cur = con.execute("INSERT OR IGNORE INTO units (run_id, unit_index, conjectures, stats) "
                              "VALUES (?, ?, ?, ?)",
                              (run_id, unit_index, len(rows), json.dumps(stats, sort_keys=True)))
            if cur.rowcount == 0:
                con.execute("ROLLBACK")
                return False
            cols = ", ".join(_COLUMNS)
            marks = ", ".join("?" for _ in _COLUMNS)
            # in bulk: the rows (a key stored before keeps its row), then their ids by key,
            # then the run's findings -- the same statements as one row at a time
            con.executemany(f"INSERT OR IGNORE INTO conjectures ({cols}, run_id, unit_index) "
                            f"VALUES ({marks}, ?, ?)",
                            [tuple(r[c] for c in _COLUMNS) + (run_id, unit_index) for r in rows])
            ids: dict = {}
            keys = [r["key"] for r in rows]
            for k in range(0, len(keys), 500):
                part = keys[k:k + 500]
                q = ("SELECT key, id FROM conjectures WHERE key IN ("
                     + ", ".join("?" for _ in part) + ")")
                ids.update(con.execute(q, part).fetchall())
            con.executemany("INSERT OR IGNORE INTO found (run_id, conjecture_id, unit_index, "
                            "lhs_index, period, pattern_code) VALUES (?, ?, ?, ?, ?, ?)",
                            [(run_id, ids[r["key"]], unit_index, r["_lhs_index"], r["_period"],
                              r["_pattern_code"]) for r in rows])
        return True

    def run_ids(self, run_id: int) -> list:
        """The ids of the conjectures run ``run_id`` found, in search order (the order of
        :meth:`rows` with ``run_id``), without reading the rows."""
        got = self._fetch("SELECT conjecture_id FROM found WHERE run_id = ? "
                          "ORDER BY lhs_index, period, pattern_code", (run_id,),
                          f"reading the conjectures of run {run_id}")
        return [int(r[0]) for r in got]

    def finish_run(self, run_id: int, families: list) -> None:
        """Record the family numbers (``families[i]`` of the i-th conjecture of the run in
        search order) and mark the run done, in one transaction."""
        ids = self.run_ids(run_id)
        if len(ids) != len(families):
            raise ValueError(f"families must have {len(ids)} entries, got {len(families)}")
        with self._transaction(f"finishing run {run_id}") as con:
            for cid, fam in zip(ids, families):
                con.execute("UPDATE found SET family = ? WHERE run_id = ? AND conjecture_id = ?",
                            (fam, run_id, cid))
                con.execute("UPDATE conjectures SET family = ? WHERE id = ? AND run_id = ?",
                            (fam, cid, run_id))
            con.execute("UPDATE runs SET status = 'done', finished = ? WHERE id = ?",
                        (_now(), run_id))

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
        self._write1(f"marking run {run_id} {status}",
                     "UPDATE runs SET status = ? WHERE id = ? AND status != 'done'",
                     (status, run_id))

    def set_pcf(self, conjecture_id: int, pcf, pcf_mobius, pcf_latex) -> None:
        """Cache the folded PCF of a conjecture (derived, deterministic columns; see
        :func:`~esma_sympy.store.rows.fold_text`)."""
        self._write1(f"caching the PCF of conjecture {conjecture_id}",
                     "UPDATE conjectures SET pcf = ?, pcf_mobius = ?, pcf_latex = ? WHERE id = ?",
                     (pcf, pcf_mobius, pcf_latex, conjecture_id))

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
        self._write1(f"recording the proof of conjecture {conjecture_id}",
                     "UPDATE conjectures SET closed_form = ?, proof_status = ? WHERE id = ?",
                     (None if closed_form is None else str(closed_form), proof_status,
                      conjecture_id))

    def set_proofs(self, items) -> int:
        """:meth:`set_proof` for many conjectures in one transaction: ``items`` is an iterable
        of ``(id, closed_form, proof_status)``; returns how many were recorded.  Every id and
        status is checked before anything is written.

        >>> import os, tempfile
        >>> from sympy import E
        >>> from esma_sympy.search import plan_search
        >>> from esma_sympy.store import Store, run_search
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Store(os.path.join(tmp, "s.sqlite")) as store:
        ...         _ = run_search(plan_search(E, lhs=["E", "E - 1"], max_period=1, depth=40), store)
        ...         n = store.set_proofs([(1, E, "proven"), (2, E - 1, "proven")])
        ...         print(n, [r["proof_status"] for r in store.rows()])
        2 ['proven', 'proven']
        """
        rows = []
        for cid, closed_form, status in items:
            if not isinstance(status, str) or not status:
                raise ValueError(f"proof_status must be a non-empty string, got {status!r}")
            rows.append((None if closed_form is None else str(closed_form), status, int(cid)))
        if not rows:
            return 0
        known = {r[0] for r in self._fetch("SELECT id FROM conjectures")}
        for _, _, cid in rows:
            if cid not in known:
                raise ValueError(f"id = {cid} is not a conjecture of {self.path!r}")
        with self._transaction(f"recording the proofs of {len(rows)} conjectures") as con:
            con.executemany("UPDATE conjectures SET closed_form = ?, proof_status = ? "
                            "WHERE id = ?", rows)
        return len(rows)

    def _write1(self, what: str, sql: str, args: tuple) -> None:
        with self._transaction(what) as con:
            con.execute(sql, args)

    # -- reading --------------------------------------------------------------------------------
    def run(self, run_id: int) -> dict:
        rows = self._checked("runs", self._fetch("SELECT * FROM runs WHERE id = ?", (run_id,)))
        if not rows:
            raise ValueError(f"run = {run_id} is not in {self.path!r}")
        return rows[0]

    def runs(self) -> list:
        return self._checked("runs", self._fetch("SELECT * FROM runs ORDER BY id"))

    def unit_stats(self, run_id: int) -> list:
        rows = self._checked("units", self._fetch(
            "SELECT run_id, unit_index, stats FROM units WHERE run_id = ? ORDER BY unit_index",
            (run_id,)))
        return [json.loads(r["stats"]) for r in rows]

    def rows(self, *, run_id: int | None = None, constant: str | None = None) -> list:
        """Stored conjectures as dictionaries, in a deterministic order.

        With ``run_id``: the conjectures that run found (including those an earlier run
        stored first), in the search order (LHS, period, pattern), with that run's family
        numbers.  Otherwise every conjecture (of ``constant`` when given) by first run, then
        search order.  A damaged row raises :class:`StoreRowError` naming its id.
        """
        flag = self._json_flag("c")
        if run_id is not None:
            q = (f"SELECT c.*, f.family AS family, {flag} AS _bad FROM found f JOIN conjectures c "
                 "ON c.id = f.conjecture_id WHERE f.run_id = ?")
            args: tuple = (run_id,)
            if constant is not None:
                q += " AND c.constant = ?"
                args += (constant,)
            q += " ORDER BY f.lhs_index, f.period, f.pattern_code"
        else:
            q = (f"SELECT c.*, {flag} AS _bad FROM conjectures c JOIN found f ON "
                 "f.conjecture_id = c.id AND f.run_id = c.run_id")
            args = ()
            if constant is not None:
                q += " WHERE c.constant = ?"
                args = (constant,)
            q += " ORDER BY c.run_id, f.lhs_index, f.period, f.pattern_code"
        return self._checked("conjectures", self._fetch(q, args, "reading conjectures"))

    def row(self, conjecture_id: int) -> dict:
        """One stored conjecture by id (``ValueError`` naming the id when absent,
        :class:`StoreRowError` when it is damaged)."""
        r = self._checked("conjectures", self._fetch(
            f"SELECT *, {self._json_flag('conjectures')} AS _bad FROM conjectures WHERE id = ?",
            (conjecture_id,), f"reading conjecture {conjecture_id}"))
        if not r:
            raise ValueError(f"id = {conjecture_id} is not a conjecture in {self.path!r}")
        return r[0]

    def check_rows(self) -> int:
        """Read and check every row of every table (:func:`~esma_sympy.store.integrity.check_row`;
        :class:`StoreRowError` names the first bad one); the number of conjectures.

        The first write of a :class:`Store` (a search, caching a PCF, recording a proof, an
        upgrade) calls it first, so nothing is ever written into a store with a damaged row.

        >>> import os, tempfile
        >>> from sympy import E
        >>> from esma_sympy.search import plan_search
        >>> from esma_sympy.store import run_search
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with Store(os.path.join(tmp, "s.sqlite")) as store:
        ...         _ = run_search(plan_search(E, lhs=["E"], max_period=2, depth=40), store)
        ...         _ = store._con.execute("UPDATE conjectures SET signs = 'oops' WHERE id = 2")
        ...         try:
        ...             store.check_rows()
        ...         except StoreRowError as err:
        ...             print(err.problem)
        conjectures id 2 is damaged (signs is not valid JSON)
        """
        for table in ("meta", "runs", "units", "found"):
            self._checked(table, self._fetch(f"SELECT * FROM {table}", (), f"reading {table}"))
        n, last = 0, -(2 ** 63)
        flag = self._json_flag("conjectures")
        while True:                      # in slices, so memory stays small
            rows = self._checked("conjectures", self._fetch(
                f"SELECT *, {flag} AS _bad FROM conjectures WHERE id > ? ORDER BY id LIMIT 4096",
                (last,), "reading conjectures"))
            if not rows:
                self._rows_ok = True
                return n
            n += len(rows)
            last = rows[-1]["id"]

    def conjecture(self, conjecture_id: int):
        """The :class:`~esma_sympy.search.Conjecture` stored under ``conjecture_id``."""
        return row_conjecture(self.row(conjecture_id))

    def constants(self) -> list:
        rows = self._fetch("SELECT constant, MIN(id) AS id FROM conjectures GROUP BY constant "
                           "ORDER BY MIN(id)")
        return [r["constant"] for r in self._checked("conjectures", rows)]

    def count(self) -> int:
        return self._fetch("SELECT COUNT(*) FROM conjectures")[0][0]

    def has(self, constant: str, num, den, signs) -> bool:
        key = conjecture_key(constant, num, den, signs)
        return bool(self._fetch("SELECT 1 FROM conjectures WHERE key = ?", (key,)))


def _chunks(plan) -> dict:
    return {"lhs_chunk": plan.lhs_chunk, "pattern_chunk": plan.pattern_chunk}


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
