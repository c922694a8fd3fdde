"""kill -9 a real ``esma search`` in the middle, restart it, and compare the store with an
uninterrupted run: the same conjectures in the same order with the same ids, no duplicates,
and an intact file.

The search to be killed runs ``esma_sympy.cli.main`` in a child whose ``Store.commit_unit``
also writes one line to a pipe once each unit's transaction has committed; the test blocks
on that pipe (no polling) and sends SIGKILL as soon as the wanted number of units is in."""

import os
import signal
import subprocess
import sys

import pytest

from esma_sympy.store import Store

from ._commits import start_telling, wait_for_commits

ESMA = os.path.join(os.path.dirname(sys.executable), "esma")
ARGS = ["search", "E", "--coeff-limit", "1", "--max-period", "3", "--lhs-chunk", "1",
        "--pattern-chunk", "1", "--quiet"]


def _dump(path) -> list:
    with Store(path, create=False) as s:
        return [(r["id"], r["key"], r["first_terms"], r["polys"], r["digits"], r["rate"],
                 r["family"], r["unit_index"]) for r in s.rows()], s.runs()


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", [5, 37])
def test_kill_9_and_resume_equals_uninterrupted(tmp_path, kill_at):
    ref = tmp_path / "ref.sqlite"
    cut = tmp_path / "cut.sqlite"
    out = subprocess.run([ESMA, *ARGS, "--db", str(ref)], capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    proc, r = start_telling([*ARGS, "--db", str(cut)])
    try:
        seen = wait_for_commits(r, kill_at, proc)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()  # no-op after the SIGKILL; ends the child if an assertion failed first
        proc.wait()
        os.close(r)
    assert proc.returncode == -signal.SIGKILL
    with Store(cut, create=False) as s:          # the killed store opens and is consistent
        con = s._con
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        done = len(s.completed_units(1))
        assert kill_at <= seen <= done < s.run(1)["n_units"] and s.run(1)["status"] == "running"
        # every committed unit has its conjectures, none of the others has any
        per_unit = dict(con.execute("SELECT unit_index, conjectures FROM units").fetchall())
        stored = dict(con.execute(
            "SELECT unit_index, COUNT(*) FROM found GROUP BY unit_index").fetchall())
        assert {u: n for u, n in per_unit.items() if n} == stored
    out = subprocess.run([ESMA, *ARGS, "--db", str(cut)], capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    rows_ref, runs_ref = _dump(ref)
    rows_cut, runs_cut = _dump(cut)
    assert rows_cut == rows_ref
    keys = [r[1] for r in rows_cut]
    assert len(keys) == len(set(keys)) and len(keys) > 50
    assert runs_cut[0]["status"] == "done" and runs_cut[0]["resumes"] == 1
    assert runs_cut[0]["plan_key"] == runs_ref[0]["plan_key"]
