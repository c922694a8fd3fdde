"""``esma doctor``: what is wrong with a store, and a new file holding its intact rows.

Explanation
===========

:func:`diagnose` never lets SQLite open the file it examines.  It copies the file (and its
write-ahead log, unless the log's header is garbage) into a private temporary directory and
works on the copy, so the damaged file and its side files stay byte for byte as they were.  It
reports

* the refusal every other sub-command prints
  (:func:`~esma_sympy.store.integrity.check_file`), and a garbage write-ahead log;
* ``PRAGMA integrity_check`` (at most 20 messages);
* per table, the rows read, the stretches of damaged pages skipped, and every row that fails
  :func:`~esma_sympy.store.integrity.check_row`.

With ``out`` it writes the intact rows into a new store at ``out`` (never over an existing
file; the file appears complete or not at all).  When nothing is wrong that is a ``VACUUM
INTO`` copy.  Otherwise the tables are copied row by row, in the way SQLite's ``.recover``
goes about it but through SQL: rows are read in rowid order, and past a damaged page the
reader probes forward (doubling, then bisecting) for the next rowid it can read.  Rows keep
their ids.  A row that fails its checks, or whose run or conjecture was not recovered, is
left out.  A unit whose conjectures were not all recovered is dropped, and a ``done`` run that
lost units is marked ``failed``: ``esma search`` with that run's arguments then recomputes
exactly the lost units, without storing anything twice.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field

from .integrity import (APPLICATION_ID, StoreError, check_not_side_file, StoreRowError, _columns, _Undecodable,
                        _WalMismatch,
                        _wal_header_ok, check_file, check_row, text_factory)
from .rows import RowDecodeError, row_conjecture
from .schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["Diagnosis", "diagnose"]

_TABLES = ("runs", "units", "conjectures", "found")     # in the order references need
_MAX_ROWID = 2 ** 63 - 1
_MIN_ROWID = -(2 ** 63)


@dataclass
class Diagnosis:
    """What :func:`diagnose` found: ``problems`` (empty when the store is intact), ``notes``
    (facts about the file) and ``recovered`` (what was written to ``out``, if anything).

    >>> d = Diagnosis("s.sqlite", problems=["is damaged: the table 'found' is missing"])
    >>> d.ok, d.lines()[0]
    (False, "db = 's.sqlite' is damaged: the table 'found' is missing")
    """

    path: str
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    recovered: str | None = None
    recoverable: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list:
        """The report, one finding per line (the first names the file and the verdict)."""
        if self.ok:
            out = [f"db = {self.path!r}: no damage found"]
        else:
            out = [f"db = {self.path!r} {self.problems[0]}"]
            out += [f"  also: {p}" for p in self.problems[1:]]
        out += [f"  {n}" for n in self.notes]
        if self.recovered:
            out.append(f"  {self.recovered}")
        elif not self.ok:
            out.append(f"  next: `esma doctor --db {self.path} --out NEW.sqlite` copies the intact "
                       "rows into a new store" if self.recoverable else
                       "  nothing here that SQLite can recover")
        return out


def diagnose(path, *, out=None) -> Diagnosis:
    """Examine the store at ``path`` without modifying it; with ``out``, copy its intact rows
    into a new store there (see the module docstring).

    Parameters
    ==========

    path : str or os.PathLike
        The store to examine.
    out : str or os.PathLike, optional
        A new file for the recovered store (refused when something is there).

    Examples
    ========

    >>> import os, sqlite3, tempfile
    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> from esma_sympy.store import Store, run_search
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "s.sqlite")
    ...     with Store(path) as store:
    ...         _ = run_search(plan_search(E, lhs=["E"], max_period=2, depth=40), store)
    ...     print(diagnose(path).lines()[0].split(": ", 1)[1])
    ...     con = sqlite3.connect(path)
    ...     _ = con.execute("UPDATE conjectures SET first_terms = '[1, 2,' WHERE id = 2")
    ...     con.commit(); con.close()
    ...     d = diagnose(path, out=os.path.join(tmp, "new.sqlite"))
    ...     print(d.ok, d.problems[0])
    ...     with Store(os.path.join(tmp, "new.sqlite")) as new:
    ...         print([r["id"] for r in new.rows()], new.runs()[0]["status"])
    no damage found
    False is damaged: 1 bad row (conjectures id 2 is damaged (first_terms is not valid JSON))
    [1, 3] failed
    """
    path = os.fspath(path)
    if not os.path.lexists(path):
        raise ValueError(f"db = {path!r}: no such file")
    if out is not None:
        out = os.fspath(out)
        if os.path.lexists(out):
            raise ValueError(f"--out = {out!r} exists; the doctor only writes a new file")
        if out.endswith((os.sep, "/")):
            raise ValueError(f"--out = {out!r} names a directory (it ends with a slash); give "
                             "the new store's file name")
        check_not_side_file(out)
        parent = os.path.dirname(os.path.abspath(out))
        if not os.path.isdir(parent):
            raise ValueError(f"--out = {out!r}: the directory {parent!r} does not exist")
        _probe_writable(out, parent)
    d = Diagnosis(path)
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        try:
            check_file(path)              # only looks at the directory entry
        except StoreError as err:
            d.problems.append(err.problem)
        return d
    with tempfile.TemporaryDirectory(prefix="esma-doctor-") as tmp:
        copy = os.path.join(tmp, "copy.sqlite")
        _copy(path, copy, d)
        try:
            check_file(copy, name=path)
        except _WalMismatch as err:
            d.problems.append(err.problem)
            for side in (copy + "-wal", copy + "-shm"):
                if os.path.exists(side):
                    os.unlink(side)
            d.notes.append("write-ahead log: ignored (it does not fit the main file): the rows "
                           "below are those of the main file")
        except StoreError as err:
            d.problems.append(err.problem)
        with open(copy, "rb") as f:
            if not f.read(16).startswith(b"SQLite format 3"):
                return d
        _repair_schema(copy, d)
        _examine(copy, d, out)
    return d


def _connect(copy: str):
    """A connection to the private copy that reads what it can: ``writable_schema`` makes
    SQLite use a file shorter than its header says and skip schema text it cannot parse."""
    from .integrity import connect_file

    con = connect_file(copy, isolation_level=None)
    con.text_factory = text_factory
    con.execute("PRAGMA writable_schema=ON")
    return con


def _parses(sql) -> bool:
    if not isinstance(sql, str) or isinstance(sql, _Undecodable):
        return False
    con = sqlite3.connect(":memory:")
    try:
        con.execute("EXPLAIN " + sql)
        return True
    except sqlite3.Error:
        return False
    finally:
        con.close()


def _repair_schema(copy: str, d: Diagnosis) -> None:
    """On the copy only: put back the expected ``CREATE`` text of esma tables and indexes
    whose stored text was garbled (the b-trees it points to are then readable again)."""
    try:
        con = _connect(copy)
    except sqlite3.Error:
        return
    try:
        ver = con.execute("PRAGMA user_version").fetchone()[0]
        ver = ver if 1 <= ver <= SCHEMA_VERSION else SCHEMA_VERSION
        mem = sqlite3.connect(":memory:")
        for v in range(1, ver + 1):
            mem.executescript(MIGRATIONS[v])
        want = dict(mem.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))
        kinds = dict(mem.execute("SELECT name, type FROM sqlite_master"))
        mem.close()
        fixed = []
        for rowid, name, sql in con.execute("SELECT rowid, name, sql FROM sqlite_master").fetchall():
            if name in want and sql != want[name] and (kinds[name] == "index" or not _parses(sql)):
                con.execute("UPDATE sqlite_master SET sql = ? WHERE rowid = ?", (want[name], rowid))
                fixed.append(name)
        if fixed:
            d.notes.append("garbled schema text of " + ", ".join(map(repr, fixed)) + " replaced "
                           "by the expected one (in the private copy)")
    except sqlite3.Error:
        pass
    finally:
        con.close()


def _copy(path: str, copy: str, d: Diagnosis) -> None:
    """Copy the store and a valid write-ahead log; a garbage log is reported, not copied."""
    shutil.copyfile(path, copy)
    size = os.path.getsize(copy)
    d.notes.append(f"file: {size} bytes")
    wal = os.path.realpath(path) + "-wal"
    if not os.path.exists(wal) or os.path.getsize(wal) == 0:
        return
    with open(copy, "rb") as f:
        head = f.read(100)
    page_size = int.from_bytes(head[16:18], "big") if len(head) >= 18 else 0
    page_size = 65536 if page_size == 1 else page_size
    with open(wal, "rb") as f:
        start = f.read(32)
    if len(start) < 32 or _wal_header_ok(start, page_size):
        shutil.copyfile(wal, copy + "-wal")
        d.notes.append(f"write-ahead log: {os.path.getsize(wal)} bytes, header valid (replayed "
                       "into the copy)")
    else:
        d.problems.append(f"is damaged: its write-ahead log {path + '-wal'!r} "
                          f"({os.path.getsize(wal)} bytes) is not a valid SQLite WAL (stale or "
                          "garbage; ignored: the rows below are those of the main file)")


def _examine(copy: str, d: Diagnosis, out) -> None:
    con = _connect(copy)
    try:
        try:
            app = con.execute("PRAGMA application_id").fetchone()[0]
            ver = con.execute("PRAGMA user_version").fetchone()[0]
            tables = _columns(con)
        except sqlite3.DatabaseError as err:
            d.notes.append(f"the schema cannot be read ({err})")
            return
        try:
            found = [r[0] for r in con.execute("PRAGMA integrity_check(20)")]
        except sqlite3.DatabaseError as err:
            found = [str(err)]
        if found != ["ok"]:
            lines = [x.strip() for m in found for x in str(m).splitlines() if x.strip()
                     and not x.startswith("*** in database")]
            d.notes.append(f"integrity_check: {len(lines)}{'+' if len(found) == 20 else ''} "
                           f"problem{'s' if len(lines) != 1 else ''}"
                           + (" (the first 8)" if len(lines) > 8 else "") + ":")
            d.notes.extend("  " + line for line in lines[:8])
        else:
            d.notes.append("integrity_check: ok")
        ours = app == APPLICATION_ID or (app == 0 and "conjectures" in tables)
        d.notes.append(f"application_id {app:#x}{' (esma)' if app == APPLICATION_ID else ''}, "
                       f"user_version {ver}, tables: {', '.join(sorted(tables)) or 'none'}")
        if not ours or ver > SCHEMA_VERSION:
            return
        data, clean = _read_all(con, tables, d)
        d.recoverable = any(data.values())
        if found != ["ok"] and not d.problems:
            first = [x for x in str(found[0]).splitlines() if not x.startswith("*** in database")]
            d.problems.append(f"is damaged: PRAGMA integrity_check failed: "
                              f"{(first or [''])[0].strip()}")
        if out is None or not d.recoverable:
            return
        if found == ["ok"] and clean and ver == SCHEMA_VERSION and app == APPLICATION_ID:
            _vacuum_into(con, out)             # the main file is intact: an exact copy
            d.recovered = f"wrote a copy of the intact store to {out!r} (VACUUM INTO)"
        else:
            d.recovered = _rebuild(data, out)
    finally:
        con.close()


def _read_all(con, tables: dict, d: Diagnosis) -> tuple:
    """The readable, valid rows of each esma table, and whether everything was."""
    data, clean, bad, lost = {}, True, [], set()
    for table in _TABLES:
        if table not in tables:
            d.notes.append(f"{table}: missing")
            clean = False
            data[table] = []
            continue
        rows, skipped = _read_rows(con, table, tables[table])
        good, n_bad = [], 0
        for r in rows:
            try:
                good.append(check_row(d.path, table, r))
                if table == "conjectures":
                    row_conjecture(r)          # the values make a Conjecture
            except StoreRowError as err:
                bad.append(err.problem)
                n_bad += 1
                if table == "runs" and type(r.get("id")) is int:
                    run, drop = _placeholder_run(d, r)
                    good.append(run)
                    if drop:
                        lost.add(r["id"])
            except RowDecodeError as err:
                good.pop()
                n_bad += 1
                bad.append(f"conjectures id {err.row_id} is damaged ({err.reason})")
        if table == "units" and lost:
            keep = [u for u in good if u.get("run_id") not in lost]
            if len(keep) < len(good):
                d.notes.append(f"{_n(len(good) - len(keep), 'unit')} of damaged run rows dropped")
            good = keep
        data[table] = good
        note = f"{table}: {len(good)} rows read"
        if skipped:
            note += f", {skipped} stretch{'es' if skipped > 1 else ''} of damaged pages skipped"
        if n_bad:
            note += f", {n_bad} bad"
        d.notes.append(note)
        clean = clean and not skipped and not n_bad     # a replaced run row is not clean
    if bad:
        d.problems.append(f"is damaged: {len(bad)} bad row{'s' if len(bad) > 1 else ''} ("
                          + "; ".join(bad[:5]) + ("; ..." if len(bad) > 5 else "") + ")")
    return data, clean


def _placeholder_run(d: Diagnosis, row: dict) -> tuple:
    """A damaged ``runs`` row made valid, so the conjectures of that run are kept, and whether
    its units must go.  A damaged ``params`` or ``constant`` is restored from a valid plan key
    (the plan key is the parameters as JSON); other damaged values are replaced (a damaged plan
    key by ``recovered:ID``, which no search resumes) and the run is marked ``failed``.  When
    ``n_units`` or ``chunks`` was damaged the unit indices mean nothing any more: the units
    are dropped, and the same search recomputes them (storing no conjecture twice)."""
    try:
        plan = json.loads(check_row(d.path, "runs", {"plan_key": row.get("plan_key")})["plan_key"])
    except (StoreRowError, ValueError):
        plan = None
    plan = plan if isinstance(plan, dict) else None
    fixed = {"plan_key": f"recovered:{row['id']}",
             "constant": str(plan.get("constant", "?")) if plan else "?",
             "params": row["plan_key"] if plan else "{}",
             "versions": "{}", "n_units": 0, "started": "", "finished": None, "resumes": 0,
             "chunks": None}
    out = dict(row, status="failed", finished=None)
    replaced = []
    for col, value in fixed.items():
        try:
            check_row(d.path, "runs", {col: row.get(col)})
            if col not in row:
                raise KeyError(col)
        except (StoreRowError, KeyError):
            out[col] = value
            replaced.append(col)
    drop_units = bool({"n_units", "chunks", "plan_key"} & set(replaced))
    d.notes.append(f"run {row['id']} is damaged: kept with its damaged values replaced ("
                   + ", ".join(f"{c} = {out[c]!r}" for c in replaced)
                   + ", status 'failed') so that its conjectures stay"
                   + ("; its units are dropped (their split is lost): the same search "
                      "recomputes them" if drop_units else
                      "; the same search resumes it"))
    return out, drop_units


def _read_rows(con, table: str, cols: list) -> tuple:
    """Every row of ``table`` that can be read, in rowid order, and how many damaged stretches
    were skipped."""
    sel = ", ".join(f'"{c}"' for c in cols)
    q = f'SELECT rowid, {sel} FROM "{table}" WHERE rowid >= ? ORDER BY rowid LIMIT ?'

    def read(start, n):
        try:
            return con.execute(q, (start, n)).fetchall()
        except sqlite3.DatabaseError:
            return None

    rows, skipped, start = [], 0, _MIN_ROWID
    while start is not None:
        batch = read(start, 256) or read(start, 1)
        if batch is None:                      # damaged here: find where reading works again
            skipped += 1
            start = _skip(read, start)
            continue
        if not batch:
            break
        rows.extend(dict(zip(cols, r[1:])) for r in batch)
        last = batch[-1][0]
        start = last + 1 if last < _MAX_ROWID else None
    return rows, skipped


def _skip(read, start: int):
    """The smallest rowid ``> start`` (as far as doubling then bisecting finds it) from which
    ``read`` works again, or ``None``."""
    lo, step = start, 1
    while True:
        hi = start + step
        if hi > _MAX_ROWID:
            return None
        if read(hi, 1) is not None:
            break
        lo, step = hi, 2 * step
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if read(mid, 1) is not None:
            hi = mid
        else:
            lo = mid
    return hi


def _probe_writable(out: str, parent: str) -> None:
    """Refuse (naming ``--out``) a directory where no file can be created, before any work."""
    from .store import _temp_name

    probe = _temp_name(out)
    try:
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as err:
        raise ValueError(f"--out = {out!r}: cannot create a file in {parent!r} "
                         f"({err.strerror or err})") from None
    os.unlink(probe)


def _vacuum_into(con, out: str) -> None:
    from .store import _publish, _temp_name, _unlink_quietly

    tmp = _temp_name(out)
    try:
        con.execute("VACUUM INTO ?", (tmp,))
    except BaseException:
        _unlink_quietly(tmp)
        raise
    if not _publish(tmp, out):
        raise ValueError(f"--out = {out!r} appeared meanwhile; nothing written")


def _rebuild(data: dict, out: str) -> str:
    """Write ``data`` into a new store at ``out``; a sentence saying what was written."""
    from .store import _build_file, _publish, _temp_name, _unlink_quietly

    tmp = _temp_name(out)
    dropped = {}
    try:
        _build_file(tmp, SCHEMA_VERSION)
        from .integrity import connect_file

        new = connect_file(tmp, isolation_level=None)
        try:
            new.execute("PRAGMA foreign_keys=ON")
            target = _columns(new)
            new.execute("BEGIN IMMEDIATE")
            kept = {}
            for table in _TABLES:
                cols = [c for c in target[table] if data[table] and c in data[table][0]]
                sql = (f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES '
                       f'({", ".join("?" for _ in cols)})')
                n = 0
                for r in data[table]:
                    try:
                        new.execute(sql, [r[c] for c in cols])
                        n += 1
                    except sqlite3.IntegrityError as err:
                        why = str(err).split(" constraint")[0].lower()
                        dropped.setdefault(table, {}).setdefault(why, 0)
                        dropped[table][why] += 1
                kept[table] = n
            # a unit counts as done only with every conjecture it found
            cur = new.execute(
                "DELETE FROM units WHERE conjectures != (SELECT COUNT(*) FROM found f WHERE "
                "f.run_id = units.run_id AND f.unit_index = units.unit_index)")
            lost_units = cur.rowcount
            demoted = [r[0] for r in new.execute(
                "SELECT id FROM runs WHERE status = 'done' AND n_units != (SELECT COUNT(*) FROM "
                "units u WHERE u.run_id = runs.id) ORDER BY id")]
            new.execute("UPDATE runs SET status = 'failed', finished = NULL WHERE status = 'done' "
                        "AND n_units != (SELECT COUNT(*) FROM units u WHERE u.run_id = runs.id)")
            unlisted = new.execute("SELECT COUNT(*) FROM conjectures c WHERE NOT EXISTS (SELECT "
                                   "1 FROM found f WHERE f.conjecture_id = c.id AND f.run_id = "
                                   "c.run_id)").fetchone()[0]
            new.execute("COMMIT")
            check = [r[0] for r in new.execute("PRAGMA integrity_check")]
            if check != ["ok"] or new.execute("PRAGMA foreign_key_check").fetchall():
                raise StoreError(f"--out = {out!r}: the rebuilt store failed its own checks "
                                 f"({check[0]}); nothing written")
        finally:
            new.close()
        if not _publish(tmp, out):
            raise ValueError(f"--out = {out!r} appeared meanwhile; nothing written")
    finally:
        _unlink_quietly(tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal")
    text = (f"recovered into {out!r}: {_n(kept['runs'], 'run')}, "
            f"{_n(kept['units'] - lost_units, 'unit')}, {_n(kept['conjectures'], 'conjecture')}, "
            f"{_n(kept['found'], 'found row')}")
    extra = [f"{_n(n, t + ' row')} dropped ({why})" for t, w in dropped.items()
             for why, n in w.items()]
    if lost_units:
        extra.append(f"{_n(lost_units, 'unit')} dropped (not all of "
                     f"{'its' if lost_units == 1 else 'their'} conjectures were recovered)")
    if unlisted:
        extra.append(f"{_n(unlisted, 'conjecture')} without a found row (kept; `esma show ID` "
                     "shows them, `esma list` once their run is resumed)")
    if demoted:
        extra.append(f"run{'s' if len(demoted) > 1 else ''} {', '.join(map(str, demoted))} "
                     "marked failed: `esma search` with the same arguments recomputes the lost "
                     "units")
    return text + ("; " + "; ".join(extra) if extra else "")


def _n(k: int, noun: str) -> str:
    return f"{k} {noun}{'' if k == 1 else 's'}"
