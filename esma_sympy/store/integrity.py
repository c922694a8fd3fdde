"""Is a file an intact esma store?  The checks made before a store is used, and of its rows.

Explanation
===========

:func:`check_file` inspects a path **without writing anything**: plain file reads for the
SQLite header and the write-ahead log, then a read-only SQLite connection, opened with
``immutable=1`` when the store has no ``-wal``/``-shm`` side file (so none is created) and with
``mode=ro`` otherwise.  In order it refuses

1. a path that is not a regular file (a directory, ``/dev/null``, a dangling symlink), an empty
   file and a file that is not an SQLite database;
2. a file shorter than its header says (truncated) and a write-ahead log (``-wal``) whose
   header is not a valid SQLite WAL header (stale or garbage; SQLite would silently drop it);
3. an SQLite database of another application (its ``PRAGMA application_id``), an empty SQLite
   database, a store of a newer schema;
4. a failing ``PRAGMA quick_check``, and a store that lacks a table or a column of its schema
   version (computed by running :data:`~esma_sympy.store.schema.MIGRATIONS` in memory).

Every refusal is a :class:`StoreError` whose message is one line naming the file and what is
wrong.  The application id ``0x45534D41`` has been in every store this package has written
(schema version 1 on).  A file that lacks it but whose ``meta`` table names the esma store and
whose tables and columns are complete -- what ``sqlite3 old.sqlite .dump | sqlite3 new.sqlite``
makes of a store -- is accepted (the version is read from ``meta`` when ``user_version`` is 0
too) and the id is written back by the next open, in the transaction that runs migrations.

Rows are checked when they are read (:func:`check_row`): text that is not UTF-8, JSON columns
that are not JSON arrays, a missing or mistyped value raise :class:`StoreRowError` naming the
table, the row id and the column.  Bad rows are refused, never skipped silently;
``esma doctor`` (:mod:`esma_sympy.store.doctor`) lists them all and copies the intact rows.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import struct
import time
from typing import NamedTuple
from urllib.parse import quote

from ..errors import EsmaError, StoreError  # noqa: F401  (StoreError: its old home)
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

__all__ = ["StoreError", "StoreDamaged", "StoreBusy", "StoreRowError", "StoreInfo",
           "check_file", "check_row", "row_label", "expected_columns", "json_check_sql",
           "text_factory", "APPLICATION_NAME", "JSON_COLUMNS"]

HEADER = b"SQLite format 3\x00"

#: the ``application`` value of the ``meta`` table of every esma store
APPLICATION_NAME = "esma_sympy conjecture store"

_WAL_MAGIC = (0x377F0682, 0x377F0683)
_WAL_VERSION = 3007000


class StoreDamaged(StoreError):
    """The store is damaged (truncated, malformed pages, a missing table, a garbage WAL, ...).

    >>> issubclass(StoreDamaged, StoreError)
    True
    """


class StoreRowError(StoreDamaged):
    """One row of the store cannot be read (bad JSON, text that is not UTF-8, a wrong type);
    ``table``, ``row_id`` and ``column`` name it.

    >>> err = StoreRowError("s.sqlite", "conjectures", 3, "first_terms", "is not valid JSON")
    >>> print(err)
    db = 's.sqlite': conjectures id 3 is damaged (first_terms is not valid JSON); refusing to read it (`esma doctor --db s.sqlite` lists the damaged rows and copies the intact ones to a new file)
    """

    def __init__(self, path: str, table: str, row_id, column: str | None, what: str):
        noun = "row" if table in ("units", "found", "meta") else "id"
        problem = f"{table} {noun} {row_id} is damaged ({what if column is None else column + ' ' + what})"
        super().__init__(f"db = {path!r}: {problem}; refusing to read it (`esma doctor --db "
                         f"{path}` lists the damaged rows and copies the intact ones to a new "
                         "file)", path=path, problem=problem)
        self.table, self.row_id, self.column, self.what = table, row_id, column, what


class StoreBusy(StoreError):
    """Another process held the write lock of the store for longer than the lock timeout.

    >>> issubclass(StoreBusy, StoreError)
    True
    """


class StoreInfo(NamedTuple):
    """What :func:`check_file` learnt: the schema ``version``, the ``application_id`` in the
    header (0 for a store that lost it, see the module docstring) and the page count.

    >>> StoreInfo(4, APPLICATION_ID, 15).version
    4
    """

    version: int
    application_id: int
    pages: int


def _refuse(cls, path: str, problem: str, advice: str | None = None):
    """A ``cls`` error ``db = PATH PROBLEM; refusing to use it (the file was not modified...)``."""
    if advice is None:
        advice = (f"; `esma doctor --db {path}` reports the damage" if issubclass(cls, StoreDamaged)
                  else "")
    return cls(f"db = {path!r} {problem}; refusing to use it (the file was not modified{advice})",
               path=path, problem=problem)


class _Undecodable(str):
    """A TEXT value that is not valid UTF-8 (its bytes in ``raw``), shown with escapes."""

    def __new__(cls, raw: bytes):
        self = super().__new__(cls, raw.decode("utf-8", "backslashreplace"))
        self.raw = raw
        return self


def text_factory(raw: bytes) -> str:
    """Decode an SQLite TEXT value; text that is not UTF-8 becomes a marked string that
    :func:`check_row` refuses (instead of an exception that loses the row id).

    >>> text_factory(b"E"), type(text_factory(b"\\xff")).__name__
    ('E', '_Undecodable')
    """
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _Undecodable(raw)


def expected_columns(version: int) -> dict:
    """``{table: [columns]}`` of an esma store of schema ``version`` (the migrations run in an
    in-memory database).

    >>> cols = expected_columns(4)
    >>> sorted(cols), "chunks" in cols["runs"], "chunks" in expected_columns(2)["runs"]
    (['conjectures', 'found', 'meta', 'runs', 'units'], True, False)
    """
    if version not in MIGRATIONS:
        raise ValueError(f"version must be a schema version 1..{max(MIGRATIONS)}, got {version!r}")
    con = sqlite3.connect(":memory:")
    try:
        for v in range(1, version + 1):
            con.executescript(MIGRATIONS[v])
        return _columns(con)
    finally:
        con.close()


def _columns(con) -> dict:
    names = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {t: [r[0] for r in con.execute("SELECT name FROM pragma_table_info(?)", (t,))]
            for t in names}


# -- the file, before SQLite sees it --------------------------------------------------------------
def _stat(path: str, shown: str):
    """``os.stat`` of a regular file, ``None`` when nothing is there; refuses anything else."""
    if not os.path.lexists(path):
        return None
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise _refuse(StoreError, shown, f"is a dangling symlink (to {os.readlink(path)!r})") from None
    except OSError as err:
        raise StoreError(f"db = {shown!r} cannot be opened: {err.strerror or err}",
                         path=shown, problem=f"cannot be opened: {err.strerror or err}") from None
    if stat.S_ISDIR(st.st_mode):
        raise _refuse(StoreError, shown, "is a directory, not an esma store", "")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a character device" if stat.S_ISCHR(st.st_mode) else "a block device"
                if stat.S_ISBLK(st.st_mode) else "a FIFO" if stat.S_ISFIFO(st.st_mode)
                else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        via = (f" (a symlink to {os.path.realpath(path)!r})" if os.path.islink(path) else "")
        raise _refuse(StoreError, shown, f"is {kind}{via}, not an esma store")
    return st


def _wal_header_ok(data: bytes, page_size: int) -> bool:
    """Whether ``data`` starts with a valid SQLite WAL header (magic, version, page size and
    the header checksum, as SQLite checks it)."""
    if len(data) < 32:
        return False
    magic, version, psize = struct.unpack(">3I", data[:12])
    if magic not in _WAL_MAGIC or version != _WAL_VERSION or psize != page_size:
        return False
    fmt = (">" if magic & 1 else "<") + "2I"
    s0 = s1 = 0
    for i in range(0, 24, 8):
        x0, x1 = struct.unpack(fmt, data[i:i + 8])
        s0 = (s0 + x0 + s1) & 0xFFFFFFFF
        s1 = (s1 + x1 + s0) & 0xFFFFFFFF
    return struct.unpack(">2I", data[24:32]) == (s0, s1)


def _read_head(path: str, n: int) -> bytes:
    with open(path, "rb") as f:
        return f.read(n)


def _header(path: str, shown: str, st) -> tuple:
    """``(page_size, pages)`` from the 100-byte SQLite header; refuses a non-SQLite file."""
    head = _read_head(path, 100)
    if not head.startswith(HEADER):
        raise _refuse(StoreError, shown, "is not an esma store (not an SQLite database)", "")
    if len(head) < 100:
        raise _refuse(StoreDamaged, shown, f"is damaged: truncated inside the SQLite header "
                      f"({len(head)} bytes)")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise _refuse(StoreDamaged, shown, f"is damaged: the SQLite header has an invalid page "
                      f"size ({page_size})")
    pages = int.from_bytes(head[28:32], "big")
    if head[24:28] != head[92:96]:      # the in-header size is not valid (SQLite < 3.7.0)
        pages = st.st_size // page_size
    return page_size, pages


def _check_wal(shown: str, real: str, page_size: int, label: str) -> bool:
    """Whether a write-ahead log with frames is there; refuses one whose header is garbage
    (re-read a few times: a live writer may be rewriting it)."""
    wal = real + "-wal"
    for attempt in range(4):
        try:
            data = _read_head(wal, 32)
        except FileNotFoundError:
            return False
        if len(data) < 32 or _wal_header_ok(data, page_size):
            return len(data) == 32 and os.path.getsize(wal) > 32
        time.sleep(0.02 * (attempt + 1))
    size = os.path.getsize(wal)
    raise _refuse(StoreDamaged, shown, f"is damaged: its write-ahead log {label!r} ({size} bytes) "
                  "is not a valid SQLite WAL (stale or garbage: SQLite would drop it, and "
                  "with it any transaction it holds)")


# -- SQLite's view ---------------------------------------------------------------------------------
def _connect_ro(real: str, side_files: bool, timeout: float):
    mode = "mode=ro" if side_files else "immutable=1"
    con = sqlite3.connect(f"file:{quote(real)}?{mode}", uri=True, timeout=timeout,
                          isolation_level=None)
    con.text_factory = text_factory
    return con


def _inspect(path: str, real: str, side_files: bool, current: int, timeout: float) -> StoreInfo:
    try:
        con = _connect_ro(real, side_files, timeout)
    except sqlite3.Error as err:
        raise _refuse(StoreError, path, f"cannot be opened: {err}", "") from None
    try:
        con.execute("BEGIN")                      # one snapshot for every check
        app = con.execute("PRAGMA application_id").fetchone()[0]
        ver = con.execute("PRAGMA user_version").fetchone()[0]
        if app not in (0, APPLICATION_ID):
            raise _refuse(StoreError, path, f"is an SQLite database but not an esma store "
                          f"(application_id {app:#x})", "")
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        bad = [r[0] for r in con.execute("PRAGMA quick_check(6)")]
        if bad != ["ok"]:
            lines = [x.strip() for m in bad for x in str(m).splitlines()
                     if x.strip() and not x.startswith("*** in database")]
            more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
            raise _refuse(StoreDamaged, path, f"is damaged: PRAGMA quick_check failed: "
                          f"{(lines or ['?'])[0]}{more}")
        tables = _columns(con)
        if app == 0:
            ver = _legacy_version(path, con, tables, ver)
        if ver > current:
            raise _refuse(StoreError, path, f"has schema version {ver}, newer than the "
                          f"{current} this esma_sympy understands; upgrade esma_sympy", "")
        if ver not in MIGRATIONS:
            raise _refuse(StoreDamaged, path, f"is damaged: schema version {ver} in an esma store")
        for table, cols in expected_columns(ver).items():
            if table not in tables:
                raise _refuse(StoreDamaged, path, f"is damaged: the table {table!r} is missing")
            missing = [c for c in cols if c not in tables[table]]
            if missing:
                raise _refuse(StoreDamaged, path, f"is damaged: the table {table!r} lacks the "
                              f"column{'s' if len(missing) > 1 else ''} "
                              f"{', '.join(map(repr, missing))}")
        return StoreInfo(ver, app, pages)
    except sqlite3.OperationalError as err:
        if _is_busy(err):
            raise StoreBusy(f"db = {path!r} is locked by another process (reading it: {err}); "
                            "try again later", path=path, problem="is locked") from None
        raise _refuse(StoreDamaged, path, f"is damaged: {err}") from None
    except sqlite3.DatabaseError as err:
        raise _refuse(StoreDamaged, path, f"is damaged: {err}") from None
    finally:
        con.close()


def _legacy_version(path: str, con, tables: dict, ver: int) -> int:
    """The schema version of a file without the esma application id, or a refusal."""
    if not tables:
        raise _refuse(StoreError, path, "is an empty SQLite database (no tables), not an esma "
                      "store", "; remove it to start a new store there")
    meta = {}
    if "meta" in tables:
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError:
            meta = {}
    if meta.get("application") != APPLICATION_NAME:
        names = ", ".join(map(repr, sorted(tables)))
        raise _refuse(StoreError, path, f"is an SQLite database but not an esma store "
                      f"(application_id 0, tables {names})", "")
    if ver == 0:
        try:
            ver = int(meta.get("schema_version"))
        except (TypeError, ValueError):
            raise _refuse(StoreDamaged, path, "is damaged: no schema version (user_version 0 "
                          f"and meta schema_version {meta.get('schema_version')!r})") from None
    return ver


def _is_busy(err) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


def check_file(path, *, current: int = SCHEMA_VERSION, timeout: float = 60.0,
               name: str | None = None):
    """Check that ``path`` is an intact esma store without writing anything (see the module
    docstring); ``None`` when nothing is there, else a :class:`StoreInfo`.

    Parameters
    ==========

    path : str or os.PathLike
        The file.
    current : int
        The newest schema version understood (a store of a newer one is refused).
    timeout : float
        Seconds to wait when another process holds a lock that blocks reading.
    name : str, optional
        The name of the file in messages (default ``path``).

    Examples
    ========

    >>> import os, tempfile
    >>> from esma_sympy.store import Store
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "s.sqlite")
    ...     print(check_file(path))
    ...     Store(path).close()
    ...     print(check_file(path).version)
    ...     with open(path, "r+b") as f:
    ...         _ = f.truncate(4096)
    ...     try:
    ...         check_file(path, name="s.sqlite")
    ...     except StoreDamaged as err:
    ...         print(err.problem)
    None
    4
    is damaged: truncated: the header says ... pages of 4096 bytes (... bytes), the file has 4096
    """
    path = os.fspath(path)
    return _check(path, path if name is None else name, current, timeout)


def _check(path: str, shown: str, current: int, timeout: float):
    st = _stat(path, shown)
    if st is None:
        return None
    if st.st_size == 0:
        raise _refuse(StoreError, shown, "is an empty file (0 bytes), not an esma store",
                      "; remove it to start a new store there")
    real = os.path.realpath(path)
    page_size, pages = _header(path, shown, st)
    plain = shown != path or real == os.path.abspath(path)     # not through a symlink
    frames = _check_wal(shown, real, page_size, shown + "-wal" if plain else real + "-wal")
    if not frames and st.st_size < pages * page_size:
        raise _refuse(StoreDamaged, shown, f"is damaged: truncated: the header says {pages} pages "
                      f"of {page_size} bytes ({pages * page_size} bytes), the file has "
                      f"{st.st_size}")
    # no side file: nothing may be created, read the file as immutable; a write-ahead log
    # without its -shm index (left by a killed process): SQLite would create the index, so
    # read a private copy of both; otherwise (a writer is there, or was killed) read-only
    # through the WAL, as SQLite would
    side = any(os.path.exists(real + ext) for ext in ("-wal", "-shm", "-journal"))
    try:
        try:
            if os.path.exists(real + "-wal") and not os.path.exists(real + "-shm"):
                with _private_copy(real, wal=True) as copy:
                    if copy is not None:
                        return _inspect(shown, copy, True, current, timeout)
            return _inspect(shown, real, side, current, timeout)
        except StoreDamaged:
            # an immutable read races with a writer that checkpoints meanwhile: look again,
            # the normal (read-only) way, when the file changed or a writer appeared
            now = os.stat(path)
            moved = (now.st_size, now.st_mtime_ns) != (st.st_size, st.st_mtime_ns)
            if side or not (moved or os.path.exists(real + "-wal")):
                raise
            return _inspect(shown, real, True, current, timeout)
    except StoreBusy:
        raise
    except StoreError as err:
        if not frames:
            raise
        _blame_wal(err, shown, real, plain, current, timeout)
        raise


#: the names SQLite gives the side files of a database ``x``: ``x-wal``, ``x-shm``, ``x-journal``
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def check_not_side_file(path: str, name: str = "--out") -> None:
    """Refuse an output file named like a side file of an SQLite database: SQLite would read
    it as the log of the database beside it (an export to ``w.sqlite-journal`` made ``w.sqlite``
    read-only everywhere; one to ``w.sqlite-wal`` was deleted when the store closed).

    >>> check_not_side_file("out.json")
    >>> check_not_side_file("s.sqlite-wal")
    Traceback (most recent call last):
    ...
    ValueError: --out = 's.sqlite-wal' is named like a side file of the database 's.sqlite' (SQLite reads x-wal, x-shm and x-journal as x's own); give another name
    """
    for suffix in SIDE_SUFFIXES:
        if path.endswith(suffix) and len(os.path.basename(path)) > len(suffix):
            raise ValueError(f"--out = {path!r} is named like a side file of the database "
                             f"{path[:-len(suffix)]!r} (SQLite reads x-wal, x-shm and x-journal "
                             "as x's own); give another name".replace("--out", name, 1))


def connect_file(path: str, **kwargs) -> sqlite3.Connection:
    """``sqlite3.connect`` on the file at ``path`` taken literally: a name such as
    ``file:x.sqlite`` or ``:memory:`` is a file name here, never a URI or an in-memory
    database (the system SQLite may read plain names as URIs: ``--db file:x.sqlite`` made
    one file and wrote into another)."""
    return sqlite3.connect(f"file:{quote(os.path.abspath(path))}", uri=True, **kwargs)


class _WalMismatch(StoreDamaged):
    """A valid write-ahead log that does not fit its intact main file (stale or foreign)."""


class _private_copy:
    """A temporary directory holding a copy of the store ``real`` (and its ``-wal`` when
    ``wal``); the path of the copy, or ``None`` when the ``-wal`` went away before it was
    copied (a live connection closed meanwhile: it removes its ``-shm``, then its ``-wal``;
    seen once in six runs of eight concurrent first openers)."""

    def __init__(self, real: str, wal: bool):
        self.real, self.wal = real, wal

    def __enter__(self) -> str:
        import shutil
        import tempfile

        self.tmp = tempfile.TemporaryDirectory(prefix="esma-check-")
        copy = os.path.join(self.tmp.name, "copy.sqlite")
        try:
            shutil.copyfile(self.real, copy)
            if self.wal:
                shutil.copyfile(self.real + "-wal", copy + "-wal")
        except FileNotFoundError:
            self.tmp.cleanup()
            if self.wal and os.path.exists(self.real):
                return None        # the log went away (and may be back): a live connection
            raise
        except BaseException:
            self.tmp.cleanup()
            raise
        return copy

    def __exit__(self, *exc) -> None:
        self.tmp.cleanup()


def _blame_wal(err: StoreError, shown: str, real: str, plain: bool, current: int,
               timeout: float) -> None:
    """Raise :class:`_WalMismatch` when the main file without its (valid) write-ahead log is
    an intact esma store: the log, not the file, is what is wrong."""
    try:
        with _private_copy(real, wal=False) as copy:
            _inspect(shown, copy, False, current, timeout)
    except (StoreError, OSError):
        return                                  # the main file is damaged by itself
    label = shown + "-wal" if plain else real + "-wal"
    raise _refuse(_WalMismatch, shown, f"is damaged: its write-ahead log {label!r} "
                  f"({os.path.getsize(real + '-wal')} bytes) does not fit the main file (read "
                  f"with it, the store {err.problem}; without it the main file is an intact "
                  "esma store): "
                  "probably left over from another database or an older copy of this one",
                  f"; `esma doctor --db {shown} --out NEW` copies the main file's rows") from None


# -- rows ------------------------------------------------------------------------------------------
# column kinds: int, text, json (a JSON array), real; a trailing ? allows NULL
_ROW_SPECS = {
    "conjectures": {
        "id": "int", "key": "text", "constant": "text", "lhs": "text", "lhs_num": "json",
        "lhs_den": "json", "signs": "json", "prefix": "json", "polys": "json",
        "quotients": "json", "charpoly": "json", "first_terms": "json", "found_on": "int",
        "predicted": "int", "digits": "int", "rate": "real?", "simple_rate": "real?",
        "pcf": "text?", "pcf_mobius": "json?", "pcf_latex": "text?", "closed_form": "text?",
        "proof_status": "text", "family": "int", "run_id": "int", "unit_index": "int"},
    "runs": {
        "id": "int", "plan_key": "text", "constant": "text", "params": "jsonobj",
        "versions": "jsonobj", "n_units": "int", "started": "text", "finished": "text?",
        "resumes": "int", "status": "text", "chunks": "jsonobj?"},
    "units": {"run_id": "int", "unit_index": "int", "conjectures": "int", "stats": "jsonobj"},
    "found": {"run_id": "int", "conjecture_id": "int", "unit_index": "int", "lhs_index": "int",
              "period": "int", "pattern_code": "int", "family": "int"},
    "meta": {"key": "text", "value": "text"},
}

_TYPES = {"int": (int,), "real": (int, float), "text": (str,), "json": (str,), "jsonobj": (str,)}


def _fast(parse_json: bool) -> dict:
    """Per table and column the exact types that need no further look (``str`` excludes the
    undecodable marker, a subclass; JSON text still needs parsing when ``parse_json``)."""
    out = {}
    for table, spec in _ROW_SPECS.items():
        cols = {}
        for col, kind in spec.items():
            base = kind.rstrip("?")
            if parse_json and base.startswith("json"):
                continue
            cols[col] = _TYPES[base] + ((type(None),) if kind.endswith("?") else ())
        out[table] = cols
    return out


_FAST, _FAST_JSON = _fast(False), _fast(True)

#: the JSON columns of ``conjectures``, checked in SQL by :func:`json_check_sql`
JSON_COLUMNS = [c for c, k in _ROW_SPECS["conjectures"].items() if k.startswith("json")]


def _value_problem(kind: str, v, parse_json: bool):
    if v is None:
        return None if kind.endswith("?") else "is missing (NULL)"
    kind = kind.rstrip("?")
    if isinstance(v, _Undecodable):
        return "is not valid UTF-8"
    if kind == "int":
        return None if type(v) is int else f"is not an integer ({type(v).__name__})"
    if kind == "real":
        return None if isinstance(v, (int, float)) else f"is not a number ({type(v).__name__})"
    if not isinstance(v, str):
        return f"is not text ({type(v).__name__})"
    if kind.startswith("json") and parse_json:
        try:
            x = json.loads(v)
        except ValueError:
            return "is not valid JSON"
        want = dict if kind == "jsonobj" else list
        if not isinstance(x, want):
            return f"is not a JSON {'object' if want is dict else 'array'}"
    return None


def check_row(path: str, table: str, row: dict, *, parse_json: bool = True) -> dict:
    """Return ``row`` (a mapping of column to value) when every column of ``table`` present in
    it has the right kind, else raise :class:`StoreRowError` naming the row and the column.

    ``parse_json=False`` skips parsing the JSON columns (the caller checked them in SQL).

    >>> check_row("s.sqlite", "units", {"run_id": 1, "unit_index": 0, "conjectures": 3,
    ...                                 "stats": "{}"})["conjectures"]
    3
    >>> check_row("s.sqlite", "units", {"run_id": 1, "unit_index": 0, "stats": "{"})
    Traceback (most recent call last):
    ...
    esma_sympy.store.integrity.StoreRowError: db = 's.sqlite': units row (1, 0) is damaged (stats is not valid JSON); refusing to read it (`esma doctor --db s.sqlite` lists the damaged rows and copies the intact ones to a new file)
    """
    spec = _ROW_SPECS.get(table, {})
    fast = (_FAST_JSON if parse_json else _FAST).get(table, {})
    for col, v in row.items():
        if type(v) in fast.get(col, ()):
            continue                            # the common case, without a function call
        kind = spec.get(col)
        if kind is None:
            if isinstance(v, _Undecodable):
                raise StoreRowError(path, table, row_label(table, row), col, "is not valid UTF-8")
            continue
        problem = _value_problem(kind, v, parse_json)
        if problem:
            raise StoreRowError(path, table, row_label(table, row), col, problem)
    return row


def row_label(table: str, row) -> str:
    """How a row is named in messages: its id, or its key columns.

    >>> row_label("found", {"run_id": 1, "conjecture_id": 7}), row_label("runs", {"id": 2})
    ('(1, 7)', '2')
    """
    keys = {"units": ("run_id", "unit_index"), "found": ("run_id", "conjecture_id"),
            "meta": ("key",)}.get(table, ("id",))
    vals = [row.get(k) if hasattr(row, "get") else row[k] for k in keys]
    return str(vals[0]) if len(vals) == 1 else "(" + ", ".join(map(str, vals)) + ")"


def json_check_sql(alias: str = "c") -> str:
    """An SQL expression ``'column:what is wrong'`` for the first JSON column of a
    ``conjectures`` row (table alias ``alias``) that is not a JSON array, else NULL (needs
    SQLite's JSON functions).

    >>> con = sqlite3.connect(":memory:")
    >>> sql = json_check_sql("c")
    >>> row = {c: "[1]" for c in JSON_COLUMNS} | {"first_terms": "[1, 2,"}
    >>> cols = ", ".join(f"? AS {c}" for c in JSON_COLUMNS)
    >>> con.execute(f"SELECT {sql} FROM (SELECT {cols}) c", [row[c] for c in JSON_COLUMNS]).fetchone()
    ('first_terms:is not valid JSON',)
    """
    parts = []
    for col in JSON_COLUMNS:
        c = f"{alias}.{col}"
        null_ok = _ROW_SPECS["conjectures"][col].endswith("?")
        guard = f"{c} IS NOT NULL AND " if null_ok else ""
        parts.append(f"WHEN {guard}typeof({c}) != 'text' THEN '{col}:is not text'")
        parts.append(f"WHEN {guard}NOT json_valid({c}) THEN '{col}:is not valid JSON'")
        parts.append(f"WHEN {guard}json_type({c}) != 'array' THEN '{col}:is not a JSON array'")
    return "CASE " + " ".join(parts) + " END"
