"""kill -9 a real ``esma search`` in the middle, restart it, and compare the store with an
uninterrupted run: the same conjectures in the same order with the same ids, no duplicates,
and an intact file.

The search to be killed runs ``esma_sympy.cli.main`` in a child whose ``Store.commit_unit``
also writes one line to a pipe once each unit's transaction has committed; the test blocks
on that pipe (no polling) and sends SIGKILL as soon as the wanted number of units is in."""

import os
import select
import signal
import subprocess
import sys

import pytest

from esma_sympy.store import Store

ESMA = os.path.join(os.path.dirname(sys.executable), "esma")
ARGS = ["search", "E", "--coeff-limit", "1", "--max-period", "3", "--lhs-chunk", "1",
        "--pattern-chunk", "1", "--quiet"]


# argv: the pipe's write end, then the esma arguments
CHILD = """
import os, sys
from esma_sympy import cli
from esma_sympy.store import Store

fd = int(sys.argv[1])
commit = Store.commit_unit

def commit_and_tell(self, *args, **kwargs):
    out = commit(self, *args, **kwargs)
    os.write(fd, b"committed\\n")
    return out

Store.commit_unit = commit_and_tell
sys.exit(cli.main(sys.argv[2:]))
"""


def _wait_for_commits(fd, count: int, proc, timeout: float = 300) -> int:
    """Block until the child has reported ``count`` committed units; return how many."""
    seen = 0
    while seen < count:
        ready, _, _ = select.select([fd], [], [], timeout)
        assert ready, f"no unit committed within {timeout} s"
        chunk = os.read(fd, 4096)
        assert chunk, f"the search ended (status {proc.wait()}) before it could be killed"
        seen += chunk.count(b"\n")
    return seen


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
    r, w = os.pipe()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(w), *ARGS, "--db", str(cut)],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    try:
        seen = _wait_for_commits(r, kill_at, proc)
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
