"""Several writers on one store: every conjecture of every run is stored exactly once, and a
writer that cannot get the write lock within its bound exits with status 2, one line naming
the store, and leaves its run resumable.

Issue 20: "The conjecture store under faults: concurrent writers and damaged files".
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from esma_sympy.cli import main
from esma_sympy.store import Store, StoreBusy
from esma_sympy.store.integrity import check_file

from ._commits import start_telling, wait_for_commits

ESMA = os.path.join(os.path.dirname(sys.executable), "esma")
CONSTANTS = ["E", "exp(2)", "tan(1)"]
# 14 units per run, so the three writers take turns at the lock
ARGS = ["--max-period", "3", "--lhs-chunk", "16", "--quiet", "--yes"]


def _start(constant, db, env=None):
    return subprocess.Popen([ESMA, "search", constant, *ARGS, "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, **(env or {})))


def _finish(procs) -> list:
    out = []
    for p in procs:
        _, err = p.communicate(timeout=600)
        out.append((p.returncode, err))
    return out


def _runs(db) -> dict:
    """``{constant: (status, units, n_units, [(key, first_terms, polys, digits, family)])}``."""
    with Store(db, create=False) as s:
        con = s._con
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        out = {}
        for r in s.runs():
            rows = s.rows(run_id=r["id"])
            out[r["constant"]] = (r["status"], len(s.completed_units(r["id"])), r["n_units"],
                                  [(x["key"], x["first_terms"], x["polys"], x["digits"],
                                    x["family"]) for x in rows])
        keys = [k for (k,) in con.execute("SELECT key FROM conjectures")]
        assert len(keys) == len(set(keys))
        found = con.execute("SELECT COUNT(*), COUNT(DISTINCT conjecture_id) FROM found").fetchone()
        assert found[0] == found[1] == len(keys)   # one found row per conjecture, none twice
    return out


@pytest.mark.slow
def test_three_writers_on_one_store_store_every_conjecture_once(tmp_path):
    refs = [tmp_path / f"ref{i}.sqlite" for i in range(3)]
    for rc, err in _finish([_start(c, db) for c, db in zip(CONSTANTS, refs)]):
        assert rc == 0, err
    want = {}
    for db in refs:
        want.update(_runs(db))
    assert sorted(want) == sorted(CONSTANTS) and all(len(w[3]) > 100 for w in want.values())

    shared = tmp_path / "shared.sqlite"               # made by whichever writer is first
    t0 = time.perf_counter()
    results = _finish([_start(c, shared) for c in CONSTANTS])
    seconds = time.perf_counter() - t0
    for rc, err in results:
        assert rc == 0 and err == "", err
    got = _runs(shared)
    assert sorted(got) == sorted(CONSTANTS)
    for c in CONSTANTS:
        status, units, n_units, rows = got[c]
        assert status == "done" and units == n_units == want[c][2] == 14
        assert rows == want[c][3], c                     # same conjectures, order, families
    with Store(shared, create=False) as s:
        assert s.count() == sum(len(w[3]) for w in want.values())
        spans = sorted((min(ids), max(ids)) for ids in (
            [r["id"] for r in s.rows(run_id=run["id"])] for run in s.runs()))
    # the writers really took turns: their units interleave in the store
    assert any(a[1] > b[0] for a, b in zip(spans, spans[1:])), spans
    print(f"3 writers: {', '.join(f'{c} {len(want[c][3])}' for c in CONSTANTS)} conjectures, "
          f"{seconds:.1f} s")


@pytest.mark.slow
def test_a_writer_that_cannot_get_the_lock_exits_2_and_resumes(tmp_path):
    ref = tmp_path / "ref.sqlite"
    ref_proc = _start("E", ref)
    db = tmp_path / "s.sqlite"
    proc, r = start_telling(["search", "E", *ARGS, "--db", str(db)],
                            {"ESMA_LOCK_TIMEOUT": "1"}, stderr=subprocess.PIPE)
    try:
        wait_for_commits(r, 3, proc, timeout=120)
        lock = sqlite3.connect(db, isolation_level=None, timeout=30)
        lock.execute("BEGIN IMMEDIATE")              # another writer that keeps the lock
        try:
            _, err = proc.communicate(timeout=120)
        finally:
            lock.execute("ROLLBACK")
            lock.close()
    finally:
        proc.kill()                                  # no-op once it has exited
        proc.wait()
        os.close(r)
    assert proc.returncode == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"esma: error: db = {str(db)!r} is locked by another process")
    assert "ESMA_LOCK_TIMEOUT" in lines[0] and "run the same command again" in lines[0]
    with Store(db, create=False) as s:
        run = s.runs()[0]
        done = len(s.completed_units(run["id"]))
        assert run["status"] == "running" and 3 <= done < run["n_units"]
    p = subprocess.run([ESMA, "search", "E", *ARGS, "--db", str(db)], capture_output=True,
                       text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    assert _finish([ref_proc])[0][0] == 0
    assert _runs(db) == _runs(ref)
    with Store(db, create=False) as s:
        assert s.runs()[0]["resumes"] == 1


def test_a_locked_store_refuses_a_search_in_one_line(tmp_path, monkeypatch, capsys):
    db = tmp_path / "s.sqlite"
    Store(db).close()
    before = db.read_bytes()
    monkeypatch.setenv("ESMA_LOCK_TIMEOUT", "0.3")
    lock = sqlite3.connect(db, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    try:
        rc = main(["search", "E", "--max-period", "1", "--quiet", "--db", str(db)])
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "is locked by another process" in err[0]
    assert str(db) in err[0]
    assert db.read_bytes() == before
    with Store(db, create=False) as s:
        assert s.runs() == []                        # nothing was started


def test_lock_timeout_is_validated(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ESMA_LOCK_TIMEOUT", "-1")
    assert main(["search", "E", "--max-period", "1", "--quiet", "--db",
                 str(tmp_path / "s.sqlite")]) == 2
    assert "ESMA_LOCK_TIMEOUT must be a positive number" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []
    monkeypatch.delenv("ESMA_LOCK_TIMEOUT")
    with pytest.raises(StoreBusy):
        db = tmp_path / "t.sqlite"
        Store(db).close()
        lock = sqlite3.connect(db, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        try:
            with Store(db, lock_timeout=0.05) as s:
                s.set_pcf(1, None, None, None)
        finally:
            lock.close()


def test_concurrent_first_opens_make_one_complete_store(tmp_path):
    """Eight openers of a path that does not exist yet: one builds the store, the others use
    it; nobody sees a half-made file and no temporary file is left."""
    db = tmp_path / "new.sqlite"
    errors, go = [], threading.Barrier(8)

    def opener():
        try:
            go.wait()
            with Store(db) as s:
                s.count()
        except Exception as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=opener) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert check_file(db).version >= 1
    assert sorted(os.listdir(tmp_path)) == ["new.sqlite"]
