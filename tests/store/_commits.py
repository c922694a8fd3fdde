"""A child ``esma`` that tells its parent, through a pipe, each time a unit has committed, so
tests can act at a chosen point of a search without polling the store or sleeping."""

import os
import select
import subprocess
import sys

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


def start_telling(argv: list, env=None, stderr=subprocess.DEVNULL):
    """``(process, read end)``: ``esma *argv`` in a child that writes a line to the pipe after
    each committed unit."""
    r, w = os.pipe()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(w), *argv], pass_fds=(w,),
                            stdout=subprocess.DEVNULL, stderr=stderr, text=True,
                            env=None if env is None else dict(os.environ, **env))
    os.close(w)
    return proc, r


def wait_for_commits(fd, count: int, proc, timeout: float = 300) -> int:
    """Block until the child has reported ``count`` committed units; return how many."""
    seen = 0
    while seen < count:
        ready, _, _ = select.select([fd], [], [], timeout)
        assert ready, f"no unit committed within {timeout} s"
        chunk = os.read(fd, 4096)
        assert chunk, f"the search ended (status {proc.wait()}) before it could be stopped"
        seen += chunk.count(b"\n")
    return seen
