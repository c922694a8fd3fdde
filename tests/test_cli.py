import json
import os
import subprocess
import sys

import pytest

from esma_sympy.cli import main

FIELDS = {"constant", "lhs", "signs", "terms", "prefix", "period", "quotients", "digits", "rate",
          "simple_rate", "pcf", "closed_form"}


def test_search_json(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rc = main(["search", "E", "--coeff-limit", "1", "--max-period", "2", "--json", "--quiet"])
    assert rc == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all(FIELDS <= set(r) for r in rows)
    hit = [r for r in rows if r["lhs"] == "E" and r["signs"] == [-1, 1]]
    assert hit and hit[0]["terms"][:8] == [3, 3, 2, 5, 2, 7, 2, 9] and len(hit[0]["terms"]) == 30
    assert hit[0]["prefix"] == [3] and hit[0]["period"] == 2
    assert hit[0]["quotients"] == ["2*k + 3", "2"] and hit[0]["digits"] >= 100
    assert hit[0]["rate"] > hit[0]["simple_rate"] > 0


def test_search_table(capsys):
    assert main(["search", "exp(2)", "--coeff-limit", "1", "--max-period", "4", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "exp(2)" in out and "3*k + 2, 2, 3*k + 4, 12*k + 18" in out
    assert "conjectures in" in out and "pairs/s" in out


@pytest.mark.parametrize("argv,msg", [
    (["search", "3/4"], "rational"),
    (["search", "I"], "real"),
    (["search", "__import__('os').system('true')"], "not allowed"),
    (["search", "E", "--min-period", "3", "--max-period", "2"], "period range is empty"),
    (["search", "E", "--depth", "8", "--complexity-limit", "4"], "too small"),
])
def test_bad_input_exits_nonzero_and_writes_nothing(argv, msg, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert msg in err and "Traceback" not in err
    assert os.listdir(tmp_path) == []


def test_bad_option_value_is_rejected_by_argparse(capsys):
    with pytest.raises(SystemExit) as ex:
        main(["search", "E", "--depth", "-3"])
    assert ex.value.code == 2
    assert "--depth must be a positive integer" in capsys.readouterr().err


def test_console_script_progress_bar_on_stderr(tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "esma")
    out = subprocess.run([exe, "search", "E", "--coeff-limit", "1", "--max-period", "1"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert out.returncode == 0
    assert "units" in out.stderr and "[" in out.stderr
    assert "conjectures in" in out.stdout
