"""Damaged and foreign stores, generated here, through every sub-command that takes ``--db``:
each is refused with exit status 2 and one line naming the file and what is wrong (``esma
doctor``: status 1 and a report whose first line does), never a traceback, and the file, its
side files and its directory are left exactly as they were (sha256 before and after).

Issue 20: "The conjecture store under faults: concurrent writers and damaged files".
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys

import pytest

from esma_sympy.cli import main
from esma_sympy.store import SCHEMA_VERSION, Store
from esma_sympy.store.doctor import diagnose
from esma_sympy.store.integrity import StoreDamaged, check_file

SEARCH = ["search", "E", "--coeff-limit", "1", "--max-period", "2", "--depth", "60", "--quiet"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A small intact store (one run of E, 72 conjectures, about 40 pages of 4 KiB)."""
    path = tmp_path_factory.mktemp("ref") / "ref.sqlite"
    assert main(SEARCH + ["--db", str(path)]) == 0
    with Store(path, create=False) as s:
        assert s.count() > 50
    assert not os.path.exists(str(path) + "-wal")
    return path


# -- the damage, each made from a copy of the reference -------------------------------------------
def _sql(path, *statements) -> None:
    con = sqlite3.connect(path)
    for st in statements:
        con.execute(st)
    con.commit()
    con.close()


def _truncated(ref, path):
    data = ref.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flipped_middle(ref, path):
    data = bytearray(ref.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    mid = (len(data) // page // 2) * page          # the header of the middle page
    for i in range(mid, mid + 16):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def _flipped_random(ref, path):
    data = bytearray(ref.read_bytes())
    rng = random.Random(20)
    for _ in range(200):                           # past the 100-byte SQLite header
        data[rng.randrange(100, len(data))] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))


def _empty_file(ref, path):
    path.write_bytes(b"")


def _empty_sqlite(ref, path):
    _sql(path, "PRAGMA user_version = 0")          # writes the header page, no table


def _dropped_table(ref, path):
    shutil.copyfile(ref, path)
    _sql(path, "DROP TABLE found")


def _bad_json(ref, path):
    shutil.copyfile(ref, path)
    _sql(path, "UPDATE conjectures SET polys = '[[1, 2' WHERE id = 1")


def _bad_utf8(ref, path):
    shutil.copyfile(ref, path)
    _sql(path, "UPDATE conjectures SET first_terms = CAST(x'5b312c20ff5d' AS TEXT) WHERE id = 1")


def _devnull(ref, path):
    os.symlink(os.devnull, path)


def _stale_wal(ref, path):
    shutil.copyfile(ref, path)
    rng = random.Random(3)
    (path.parent / (path.name + "-wal")).write_bytes(bytes(rng.randrange(256) for _ in range(4128)))


def _foreign(ref, path):
    _sql(path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)",
         "INSERT INTO notes (text) VALUES ('my thesis')")


def _foreign_app(ref, path):
    _sql(path, "CREATE TABLE conjectures (x)", "PRAGMA application_id = 1234")


# (name, builder, fragment of the refusal, doctor can recover rows)
CASES = [
    ("truncated", _truncated, "is damaged: truncated: the header says", True),
    ("flipped-middle", _flipped_middle, "is damaged: ", True),
    ("flipped-random", _flipped_random, "is damaged: ", True),
    ("empty-file", _empty_file, "is an empty file (0 bytes)", False),
    ("empty-sqlite", _empty_sqlite, "is an empty SQLite database (no tables)", False),
    ("dropped-table", _dropped_table, "is damaged: the table 'found' is missing", True),
    ("bad-json", _bad_json, "conjectures id 1 is damaged (polys is not valid JSON)", True),
    ("bad-utf8", _bad_utf8, "conjectures id 1 is damaged (first_terms is not valid UTF-8)", True),
    ("devnull", _devnull, "is a character device (a symlink to '/dev/null')", False),
    ("stale-wal", _stale_wal, "write-ahead log", True),
    ("foreign", _foreign, "is an SQLite database but not an esma store (application_id 0, "
     "tables 'notes')", False),
    ("foreign-app-id", _foreign_app, "not an esma store (application_id 0x4d2)", False),
]

COMMANDS = {
    "search": SEARCH,
    "list": ["list"],
    "list-runs": ["list", "--runs"],
    "show": ["show", "1"],
    "export": ["export", "--format", "csv"],
    "report": ["report", "--out", "REPORT"],
    "doctor": ["doctor"],
}


def _snapshot(directory) -> dict:
    """Every entry of ``directory``: the sha256 of files, the target of symlinks."""
    out = {}
    for name in sorted(os.listdir(directory)):
        p = os.path.join(directory, name)
        if os.path.islink(p):
            out[name] = "-> " + os.readlink(p)
        elif os.path.isfile(p):
            out[name] = hashlib.sha256(open(p, "rb").read()).hexdigest()
        else:
            out[name] = "dir"
    return out


@pytest.fixture(scope="module")
def damaged(reference, tmp_path_factory):
    """``{case: path}``, each in a directory of its own (so side files are seen)."""
    out = {}
    for name, build, _, _ in CASES:
        d = tmp_path_factory.mktemp(name)
        build(reference, d / "s.sqlite")
        out[name] = d / "s.sqlite"
    return out


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case, fragment", [(c[0], c[2]) for c in CASES])
def test_damaged_store_is_refused_and_unchanged(case, fragment, command, damaged, capsys,
                                                tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = damaged[case]
    before = _snapshot(path.parent)
    argv = [a if a != "REPORT" else str(tmp_path / "report") for a in COMMANDS[command]]
    rc = main(argv + ["--db", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if command == "list-runs" and case in ("bad-json", "bad-utf8"):
        assert rc == 0 and err == ""                      # reads no conjecture: no bad row met
    elif command == "doctor":
        assert rc == 1 and err == ""
        first = out.splitlines()[0]
        assert first.startswith(f"db = {str(path)!r}") and fragment in first, out
    else:
        assert rc == 2, err
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("esma: error: db = ") and str(path) in lines[0], lines[0]
        assert fragment in lines[0], lines[0]
        assert out == ""
    assert _snapshot(path.parent) == before              # byte for byte, no side file made
    assert os.listdir(tmp_path) == []                     # no report directory either


def test_the_random_flips_really_damage_the_file(damaged):
    """The fixed-seed flips are detected on open: by SQLite's own quick_check or the header."""
    for case in ("flipped-middle", "flipped-random", "truncated"):
        with pytest.raises(StoreDamaged):
            check_file(damaged[case])


@pytest.mark.parametrize("case", [c[0] for c in CASES if c[3]])
def test_doctor_recovers_the_intact_rows_into_a_new_file(case, damaged, reference, tmp_path):
    path = damaged[case]
    before = _snapshot(path.parent)
    new = tmp_path / "new.sqlite"
    d = diagnose(path, out=new)
    assert not d.ok and d.recovered and str(new) in d.recovered, d.lines()
    assert _snapshot(path.parent) == before
    check_file(new)                                        # an intact esma store
    with Store(new, create=False) as s:
        assert 0 < s.check_rows() == s.count() <= 72
    keys, want = _keys(new), _keys(reference)
    if case != "flipped-random":       # random flips may change a value and keep it valid
        assert keys.items() <= want.items()
    with Store(new, create=False) as s:
        if case == "stale-wal":                              # nothing lost: an exact copy
            assert keys == want and s.runs()[0]["status"] == "done"
        if case in ("bad-json", "bad-utf8"):                 # one row lost, the run resumes
            assert len(keys) == len(want) - 1 and 1 not in {r["id"] for r in s.rows()}
            assert s.runs()[0]["status"] == "failed"
        if case == "dropped-table":                          # every conjecture kept
            assert keys == want and s.rows() == [] and s.runs()[0]["status"] == "failed"


def _keys(path) -> dict:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT key, first_terms FROM conjectures"))
    finally:
        con.close()


@pytest.mark.parametrize("case", ["bad-json", "truncated", "dropped-table"])
def test_a_recovered_store_resumes_to_the_full_run(case, damaged, reference, tmp_path, capsys):
    new = tmp_path / "new.sqlite"
    assert main(["doctor", "--db", str(damaged[case]), "--out", str(new)]) == 1
    assert main(SEARCH + ["--db", str(new)]) == 0        # recomputes only the lost units
    capsys.readouterr()
    with Store(new, create=False) as s, Store(reference, create=False) as ref:
        got = sorted((r["key"], r["first_terms"], r["family"]) for r in s.rows())
        assert got == sorted((r["key"], r["first_terms"], r["family"]) for r in ref.rows())
        assert s.runs()[0]["status"] == "done"


def test_doctor_on_an_intact_store(reference, tmp_path, capsys):
    before = _snapshot(reference.parent)
    assert main(["doctor", "--db", str(reference)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"db = {str(reference)!r}: no damage found")
    assert main(["doctor", "--db", str(reference), "--out", str(tmp_path / "copy.sqlite")]) == 0
    assert "VACUUM INTO" in capsys.readouterr().out
    with Store(tmp_path / "copy.sqlite", create=False) as a, Store(reference, create=False) as b:
        assert a.rows() == b.rows() and a.runs() == b.runs()
    assert _snapshot(reference.parent) == before


@pytest.mark.parametrize("argv, fragment", [
    (["doctor", "--db", "none.sqlite"], "no such file"),
    (["doctor", "--db", "REF", "--out", "REF"], "exists"),
    (["doctor", "--db", "REF", "--out", "/nonexistent/dir/new.sqlite"], "does not exist"),
])
def test_doctor_bad_arguments(argv, fragment, reference, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    before = _snapshot(reference.parent)
    assert main([a if a != "REF" else str(reference) for a in argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("esma: error: ") and fragment in err[0]
    assert _snapshot(reference.parent) == before and os.listdir(tmp_path) == []


def test_a_bad_row_in_another_run_stops_a_new_search_before_it_writes(damaged, tmp_path,
                                                                      capsys):
    path = tmp_path / "s.sqlite"
    shutil.copyfile(damaged["bad-utf8"], path)
    before = _snapshot(tmp_path)
    assert main(["search", "tan(1)", "--max-period", "1", "--quiet", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "conjectures id 1 is damaged (first_terms is not valid UTF-8)" in err
    assert _snapshot(tmp_path) == before


def test_a_store_that_lost_its_application_id_still_opens(reference, tmp_path, capsys):
    """What ``sqlite3 .dump`` makes of a store: no application id, user_version 0, the same
    tables and the meta row.  Reading works; the next open for writing stamps the id again."""
    path = tmp_path / "dumped.sqlite"
    src = sqlite3.connect(reference)
    dst = sqlite3.connect(path)
    dst.executescript("\n".join(src.iterdump()))
    src.close()
    dst.close()
    info = check_file(path)
    assert (info.version, info.application_id) == (SCHEMA_VERSION, 0)
    assert main(["list", "--db", str(path)]) == 0
    assert capsys.readouterr().out.startswith("72 stored conjectures")
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
    assert check_file(path).application_id == 0x45534D41


def test_a_meta_row_does_not_make_a_foreign_file_a_store(tmp_path):
    path = tmp_path / "x.sqlite"
    _sql(path, "CREATE TABLE meta (key TEXT, value TEXT)",
         "INSERT INTO meta VALUES ('application', 'esma_sympy conjecture store')",
         "INSERT INTO meta VALUES ('schema_version', '4')")
    before = path.read_bytes()
    with pytest.raises(StoreDamaged, match="the table '(runs|units)' is missing"):
        Store(path)
    assert path.read_bytes() == before


def test_a_newer_store_and_a_directory_are_refused_by_the_cli(reference, tmp_path, capsys):
    newer = tmp_path / "newer.sqlite"
    shutil.copyfile(reference, newer)
    _sql(newer, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = _snapshot(tmp_path)
    for db, fragment in ((newer, "newer"), (tmp_path, "is a directory")):
        assert main(["list", "--db", str(db)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and fragment in err[0] and str(db) in err[0]
    assert _snapshot(tmp_path) == before


@pytest.mark.slow
@pytest.mark.parametrize("case", ["flipped-random", "stale-wal", "bad-utf8"])
def test_console_script_refusals_have_no_traceback(case, damaged):
    """The installed ``esma`` process, not only ``main()``: one line on stderr, status 2."""
    exe = os.path.join(os.path.dirname(sys.executable), "esma")
    path = damaged[case]
    before = _snapshot(path.parent)
    for argv in (["list"], ["show", "1"]):
        p = subprocess.run([exe, *argv, "--db", str(path)], capture_output=True, text=True,
                           timeout=120)
        assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
        assert len(p.stderr.strip().splitlines()) == 1 and str(path) in p.stderr
    assert _snapshot(path.parent) == before


# -- the fresh-eyes findings: damaged run rows, a -wal that does not fit, rollback-journal
# stores, writes next to a bad row, messages --------------------------------------------------
def _copy_of(reference, tmp_path, name="s.sqlite"):
    d = tmp_path / name.replace(".", "-")
    d.mkdir()
    path = d / name
    shutil.copyfile(reference, path)
    return path


def _runs(path) -> list:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT plan_key, constant, params, n_units, chunks, status FROM runs "
                           "ORDER BY id").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("damage", ["params = '{broken'", "chunks = 'zz'",
                                    "n_units = 'x', constant = CAST(x'ff' AS TEXT)"])
def test_doctor_really_repairs_a_bad_run_row(damage, reference, tmp_path, capsys):
    path = _copy_of(reference, tmp_path)
    _sql(path, f"UPDATE runs SET {damage}")
    new = tmp_path / "new.sqlite"
    assert main(["doctor", "--db", str(path), "--out", str(new)]) == 1
    out = capsys.readouterr().out
    assert "runs id 1 is damaged" in out and "VACUUM INTO" not in out, out
    check_file(new)
    with Store(new, create=False) as s:                    # the copy holds the replaced values
        assert s.check_rows() == 72 and s.runs()[0]["status"] == "failed"
    assert main(["list", "--runs", "--db", str(new)]) == 0
    capsys.readouterr()
    assert main(SEARCH + ["--db", str(new)]) == 0          # resumes the run (or recomputes)
    capsys.readouterr()
    assert _runs(new) == _runs(reference)
    with Store(new, create=False) as s, Store(reference, create=False) as ref:
        got = [(r["key"], r["first_terms"], r["family"]) for r in s.rows()]
        assert got == [(r["key"], r["first_terms"], r["family"]) for r in ref.rows()]


def _grab_wal(db, statements, dest) -> None:
    """Write ``statements`` into ``db`` in WAL mode and copy its -wal before any checkpoint."""
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    for st in statements:
        con.execute(st)
    shutil.copyfile(str(db) + "-wal", dest)
    con.close()


def _foreign_wal(reference, tmp_path, path):
    _grab_wal(tmp_path / "other.sqlite", ["PRAGMA page_size=4096", "CREATE TABLE notes (t TEXT)",
                                          "INSERT INTO notes VALUES ('x')"], str(path) + "-wal")


def _older_wal(reference, tmp_path, path):
    """The -wal of a later state of the same store (a writer killed after it changed the
    layout), next to the older main file."""
    later = tmp_path / "later.sqlite"
    shutil.copyfile(reference, later)
    _sql(later, "DELETE FROM found")
    _sql(later, "VACUUM")
    _grab_wal(later, ["UPDATE conjectures SET found_on = found_on + 1",
                      "INSERT INTO found (run_id, conjecture_id, unit_index, lhs_index, period, "
                      "pattern_code, family) SELECT run_id, id, unit_index, 0, 1, id, 0 FROM "
                      "conjectures"], str(path) + "-wal")


@pytest.mark.parametrize("make_wal", [_foreign_wal, _older_wal])
def test_a_wal_that_does_not_fit_is_named_and_the_main_file_recovered(make_wal, reference,
                                                                       tmp_path, capsys):
    path = _copy_of(reference, tmp_path)
    make_wal(reference, tmp_path, path)
    assert not os.path.exists(str(path) + "-shm")
    before = _snapshot(path.parent)
    for argv in (["list"], ["show", "1"], SEARCH):
        assert main(argv + ["--db", str(path)]) == 2
        out, err = capsys.readouterr()
        lines = err.strip().splitlines()
        assert out == "" and len(lines) == 1 and f"write-ahead log {str(path) + '-wal'!r}" in err
        assert "does not fit the main file" in err, err
        assert _snapshot(path.parent) == before            # no -shm made, nothing changed
    new = tmp_path / "new.sqlite"
    assert main(["doctor", "--db", str(path), "--out", str(new)]) == 1
    out = capsys.readouterr().out
    assert "write-ahead log" in out.splitlines()[0] and "does not fit" in out.splitlines()[0]
    assert _snapshot(path.parent) == before
    assert _keys(new) == _keys(reference)                   # every row of the main file
    assert main(["list", "--runs", "--db", str(new)]) == 0


def test_a_valid_wal_without_shm_makes_no_side_file_when_refused(reference, tmp_path, capsys):
    """A killed writer's -wal (valid, fitting) without its -shm, and a bad row: refused by the
    commands that meet the row, no -shm created, nothing changed."""
    path = _copy_of(reference, tmp_path)
    _grab_wal(path, ["UPDATE conjectures SET polys = '[[1' WHERE id = 2"], str(path) + ".keep")
    os.replace(str(path) + ".keep", str(path) + "-wal")
    shutil.copyfile(reference, path)                       # the main file from before
    before = _snapshot(path.parent)
    assert sorted(before) == ["s.sqlite", "s.sqlite-wal"]
    for argv in (["show", "2"], SEARCH, ["report", "--out", str(tmp_path / "rep")]):
        assert main(argv + ["--db", str(path)]) == 2
        assert "conjectures id 2 is damaged (polys" in capsys.readouterr().err
        assert _snapshot(path.parent) == before and not (tmp_path / "rep").exists()


def _journal_delete(path) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()


@pytest.mark.parametrize("dumped", [False, True])
def test_a_rollback_journal_store_with_a_bad_row_is_not_touched(dumped, reference, tmp_path,
                                                                 capsys):
    path = _copy_of(reference, tmp_path)
    if dumped:                                             # what `.dump | sqlite3` makes
        path.unlink()
        src, dst = sqlite3.connect(reference), sqlite3.connect(path)
        dst.executescript("\n".join(src.iterdump()))
        src.close()
        dst.close()
    _journal_delete(path)
    _sql(path, "UPDATE conjectures SET signs = 'oops' WHERE id = 5")
    assert path.read_bytes()[18:20] == b"\x01\x01"
    before = _snapshot(path.parent)
    for argv in (["list"], ["show", "5"], ["show", "1"], SEARCH, ["export"],
                 ["report", "--out", str(tmp_path / "rep")]):
        assert main(argv + ["--db", str(path)]) == 2, argv
        assert "conjectures id 5 is damaged (signs" in capsys.readouterr().err
        assert _snapshot(path.parent) == before, argv       # header bytes 18/19 too


def test_commands_that_write_check_every_row_first(reference, tmp_path, capsys):
    path = _copy_of(reference, tmp_path)
    _sql(path, "UPDATE conjectures SET quotients = '[' WHERE id = 60")
    before = _snapshot(path.parent)
    assert main(["show", "1", "--db", str(path)]) == 2     # would cache the PCF of row 1
    assert "conjectures id 60 is damaged" in capsys.readouterr().err
    assert main(["export", "--fold", "--constant", "E", "--db", str(path)]) == 2
    assert main(["show", "1", "--no-fold", "--db", str(path)]) == 0    # reads, writes nothing
    capsys.readouterr()
    assert _snapshot(path.parent) == before

    path = _copy_of(reference, tmp_path, "r.sqlite")
    _sql(path, "UPDATE runs SET params = '{broken'")
    before = _snapshot(path.parent)
    for argv, rc in ((["show", "3"], 2), (["report", "--out", str(tmp_path / "rep")], 2),
                     (["list", "--runs"], 2), (SEARCH, 2), (["list"], 0), (["export"], 0),
                     (["show", "3", "--no-fold"], 0)):
        assert main(argv + ["--db", str(path)]) == rc, argv
        out, err = capsys.readouterr()
        if rc == 2:
            assert out == "" and "runs id 1 is damaged (params is not valid JSON)" in err, argv
    assert _snapshot(path.parent) == before and not (tmp_path / "rep").exists()


def test_the_lock_message_fits_the_command(reference, tmp_path, capsys, monkeypatch):
    path = _copy_of(reference, tmp_path)
    monkeypatch.setenv("ESMA_LOCK_TIMEOUT", "0.3")
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        assert main(["show", "3", "--db", str(path)]) == 2
    finally:
        other.close()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is locked by another process" in err[0]
    assert "resume" not in err[0] and "unit" not in err[0], err[0]
