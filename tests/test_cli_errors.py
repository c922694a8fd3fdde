"""Every sub-command of ``esma`` fed bad values: exit status 2, one line on stderr naming the
argument, never a traceback, and the store left as it was (issue: the CLI as a newcomer meets it).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest

from esma_sympy.cli import main

SMALL = ["search", "E", "--coeff-limit", "1", "--max-period", "2", "--depth", "60", "--quiet"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "s.sqlite"
    assert main(SMALL + ["--db", str(path)]) == 0
    return path


def _digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


BAD = [
    # (argv, fragment of the message)
    (["search", "3/4"], "constant"),
    (["search", "E**E**E**E**E**E**E**E**E**E"], ""),
    (["search", "foo(1)"], "foo"),
    (["search", "__import__('os')"], ""),
    (["search", "E", "--lhs", "pi"], "lhs"),
    (["search", "E", "--depth", "5", "--complexity-limit", "100"], ""),
    (["search", "E", "--min-period", "5", "--max-period", "2"], "period"),
    (["search", "E", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "--workers"),
    (["search", "E", "--lhs-degree", "3", "--no-db"], "--yes"),
    (["show", "999999"], "999999"),
    (["list", "--constant", "foo(1)"], "--constant"),
    (["export", "--out", "/nonexistent/dir/x.json"], "--out"),
    (["export", "--constant", "sqrt(-"], "--constant"),
    (["report", "--out", "FILE"], "--out"),
    (["report", "--out", "/nonexistent/dir/rep"], "--out"),
    (["report", "--out", "rep", "--constant", "pi"], "constant = 'pi'"),
    (["atlas", "/nonexistent/catalogue.toml"], "catalogue"),
    (["atlas", "FILE"], "not valid TOML"),
    (["atlas", "--export", "/nonexistent/dir/f.jsonl", "--first", "1"], "--export"),
    (["atlas", "FILE", "--list-default"], "--list-default"),
]


@pytest.mark.parametrize("argv, fragment", BAD)
def test_bad_values_exit_2_without_traceback(argv, fragment, store, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "FILE").write_text("not a directory")
    before = _digest(store)
    argv = [a if a != "FILE" else str(tmp_path / "FILE") for a in argv]
    if argv[0] != "search" or "--no-db" not in argv:
        argv = argv + ["--db", str(store)]
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2, err
    lines = err.strip().splitlines()
    assert "Traceback" not in err and lines[-1].startswith("esma: error: ")
    assert all(line.startswith("esma: ") for line in lines) and len(lines) <= 2
    assert fragment in lines[-1]
    assert _digest(store) == before                   # nothing written


@pytest.mark.parametrize("argv", [
    ["search", "E", "--max-period", "0"], ["search", "E", "--depth", "x"],
    ["show", "-3"], ["list", "--limit", "-1"], ["export", "--format", "xml"],
    ["report"], ["nosuchcommand"], ["atlas", "--first", "0"], ["atlas", "--first", "x"],
])
def test_argparse_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error:" in err


def test_huge_constants_do_not_crash(capsys):
    for c in ("exp(1000)", "exp(-1000)"):
        assert main(["search", c, "--coeff-limit", "1", "--max-period", "1", "--quiet",
                     "--no-db"]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"{c}: ")


def test_a_failed_search_is_marked_failed_and_resumes(tmp_path, monkeypatch, capsys):
    from esma_sympy.search import run as engine
    from esma_sympy.store import Store

    db = str(tmp_path / "f.sqlite")
    real = engine.run_unit

    def boom(plan, unit):
        raise MemoryError("simulated")

    monkeypatch.setattr("esma_sympy.store.rows.run_unit", boom, raising=False)
    monkeypatch.setattr(engine, "run_unit", boom)
    import esma_sympy.search as search_pkg

    monkeypatch.setattr(search_pkg, "run_unit", boom)
    rc = main(SMALL + ["--db", db])
    err = capsys.readouterr().err
    assert rc == 1 and "internal error" in err and "Traceback" not in err
    with Store(db) as s:
        assert s.runs()[0]["status"] == "failed"
    monkeypatch.setattr(engine, "run_unit", real)
    monkeypatch.setattr(search_pkg, "run_unit", real)
    monkeypatch.setattr("esma_sympy.store.rows.run_unit", real, raising=False)
    assert main(SMALL + ["--db", db]) == 0
    with Store(db) as s:
        assert s.runs()[0]["status"] == "done" and s.runs()[0]["resumes"] == 1


def test_version_and_help_show_defaults(capsys):
    from esma_sympy import __version__

    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"esma {__version__}"
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    out = capsys.readouterr().out
    out = out[out.index("options:"):]
    for opt in ("--lhs-degree", "--coeff-limit", "--min-period", "--max-period", "--depth",
                "--verify-digits", "--complexity-limit", "--lhs-chunk", "--pattern-chunk"):
        block = out[out.index(opt):]
        block = block[: block.index("\n  -", 3) if "\n  -" in block[3:] else len(block)]
        assert "(default:" in " ".join(block.split()), opt


def test_json_never_folds_without_fold(tmp_path, monkeypatch, capsys):
    from esma_sympy.search import conjecture

    def no_fold(self):
        raise AssertionError("folded without --fold")

    monkeypatch.setattr(conjecture.Conjecture, "pcf", property(no_fold))
    monkeypatch.setattr("esma_sympy.store.rows.fold_text",
                        lambda c: (_ for _ in ()).throw(AssertionError("folded")))
    for extra in (["--no-db"], ["--db", str(tmp_path / "j.sqlite")]):
        assert main(SMALL + ["--json"] + extra) == 0
        rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert rows and all(r["pcf"] is None for r in rows)


def test_console_script_errors_have_no_traceback(tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "esma")
    for argv in (["search", "3/4"], ["export", "--out", "/nonexistent/x.json",
                                      "--db", str(tmp_path / "none.sqlite")]):
        p = subprocess.run([exe] + argv, capture_output=True, text=True, cwd=tmp_path,
                           timeout=120)
        assert p.returncode == 2 and "Traceback" not in p.stderr and p.stderr.startswith("esma:")


def test_search_says_why_nothing_was_found(capsys):
    assert main(["search", "pi", "--coeff-limit", "1", "--max-period", "2", "--depth", "60",
                 "--quiet", "--no-db"]) == 0
    out = capsys.readouterr().out
    assert "no conjecture" in out and "try" in out


def test_quadratic_irrationals_are_flagged(capsys):
    assert main(["search", "sqrt(2)", "--coeff-limit", "1", "--max-period", "1", "--depth", "60",
                 "--quiet", "--no-db"]) == 0
    out = capsys.readouterr().out
    assert "quadratic irrational" in out and "trivial" in out


def test_a_ctrl_c_swallowed_by_a_callback_prints_no_traceback(capsys):
    """Dask's gc callback swallows a Ctrl-C raised while it runs: Python reports it through
    sys.unraisablehook ("Exception ignored in ... Traceback"); the command remembers the
    Ctrl-C instead (it is raised again at the next check) and prints nothing for it."""
    import sys

    from esma_sympy import cli

    seen = []
    outer = sys.unraisablehook
    sys.unraisablehook = lambda u: seen.append(u.exc_type)
    try:
        cli._UNRAISABLE[0] = sys.unraisablehook
        cli._SIGINTS[:] = [2]
        err = KeyboardInterrupt()
        cli._quiet_unraisable(type("U", (), {"exc_type": KeyboardInterrupt, "exc_value": err})())
        other = ValueError("x")
        cli._quiet_unraisable(type("U", (), {"exc_type": ValueError, "exc_value": other})())
    finally:
        cli._SIGINTS.clear()
        sys.unraisablehook = outer
    assert seen == [ValueError]          # the Ctrl-C was kept quiet, the other went through
    assert main(["search", "3/4"]) == 2
    assert sys.unraisablehook is outer   # main restores the hook it replaced
