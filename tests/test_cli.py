import json
import os
import subprocess
import sys

import pytest

from esma_sympy.cli import main
from esma_sympy.store.export import FIELDS as EXPORT_FIELDS

FIELDS = {"constant", "lhs", "signs", "terms", "prefix", "period", "quotients", "digits", "rate",
          "simple_rate", "pcf", "closed_form"}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """Every test runs in an empty directory with no ``ESMA_DB``: the default store is
    ``./esma.sqlite`` and nothing is left in the repository."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ESMA_DB", raising=False)


def test_search_json(capsys, tmp_path, monkeypatch):
    rc = main(["search", "E", "--coeff-limit", "1", "--max-period", "2", "--json", "--quiet"])
    assert rc == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all(FIELDS <= set(r) for r in rows)
    hit = [r for r in rows if r["lhs"] == "E" and r["signs"] == [-1, 1]]
    assert hit and hit[0]["terms"][:8] == [3, 3, 2, 5, 2, 7, 2, 9] and len(hit[0]["terms"]) == 30
    assert hit[0]["prefix"] == [3] and hit[0]["period"] == 2
    assert hit[0]["quotients"] == ["2*k + 3", "2"] and hit[0]["digits"] >= 100
    assert hit[0]["rate"] > hit[0]["simple_rate"] > 0
    # the same search again: the stored records (PCFs cached), identical to the --no-db output
    rc = main(["search", "E", "--coeff-limit", "1", "--max-period", "2", "--json", "--quiet"])
    again = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    rc = main(["search", "E", "--coeff-limit", "1", "--max-period", "2", "--json", "--quiet",
               "--no-db", "--limit", "5"])
    plain = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert again == rows and len(plain) == 5
    for a, b in zip(plain, again):
        assert {k: v for k, v in b.items() if k in a} == a


def test_search_table(capsys):
    assert main(["search", "exp(2)", "--coeff-limit", "1", "--max-period", "4", "--quiet",
                 "--no-db"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("exp(2): ") and "conjectures in" in lines[0]
    assert "(LHS, pattern) pairs in" in lines[0]
    assert "3*k + 2, 2, 3*k + 4, 12*k + 18" in out or "showing 20 of" in out
    assert "fastest: " in out and "digits per quotient" in out
    # the table stays aligned: every row has the digits column at the same place
    head = lines[1]
    col = head.index("digits")
    rows = [line for line in lines[3:] if line.strip() and line.lstrip()[0].isdigit()]
    assert rows and all(line[col:col + 6].strip().isdigit() for line in rows)
    assert main(["search", "exp(2)", "--coeff-limit", "1", "--max-period", "4", "--quiet",
                 "--no-db", "--limit", "0"]) == 0
    out = capsys.readouterr().out
    assert "3*k + 2, 2, 3*k + 4, 12*k + 18" in out and "showing" not in out


def test_table_aligned_at_period_8_with_five_digit_ids_and_families(capsys):
    """Every row as wide as the header, and every column where the header puts it, when the
    signs have 8 characters and ids and family numbers 5 digits."""
    assert main(["search", "E", "--max-period", "8", "--quiet", "--no-db", "--limit", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    head, rows = lines[1], [x for x in lines[3:] if x[:1] == " " or x[:1].isdigit()]
    rows = [x for x in rows if x.strip()]
    assert len(rows) > 40000
    assert max(len(str(x.split()[1])) for x in rows) >= 5           # five-digit families
    assert max(len(x.split()[3]) for x in rows) == 8                # period-8 sign patterns
    assert {len(x) for x in rows} == {len(head)}
    for name in ("signs", "prefix"):                               # left-aligned columns
        col = head.index(name)
        assert all(x[col - 1] == " " and (x[col] != " " or name == "prefix") for x in rows), name
    for name in ("fam", "digits"):                                 # right-aligned numbers
        end = head.index(name) + len(name) - 1
        assert all(x[end].isdigit() and x[end + 1:end + 2] in (" ", "") for x in rows), name


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


SMALL = ["search", "E", "--coeff-limit", "1", "--max-period", "2", "--depth", "40", "--quiet"]


@pytest.fixture
def store(tmp_path, capsys):
    assert main(SMALL + ["--db", "s.sqlite"]) == 0
    capsys.readouterr()
    return tmp_path / "s.sqlite"


def test_search_stores_in_default_env_and_option_paths(tmp_path, monkeypatch, capsys):
    assert main(SMALL) == 0
    assert (tmp_path / "esma.sqlite").exists()
    monkeypatch.setenv("ESMA_DB", str(tmp_path / "env.sqlite"))
    assert main(SMALL) == 0
    assert (tmp_path / "env.sqlite").exists()
    assert main(SMALL + ["--db", "opt.sqlite"]) == 0
    assert (tmp_path / "opt.sqlite").exists()
    capsys.readouterr()
    assert main(["list", "--runs", "--db", "opt.sqlite"]) == 0
    out = capsys.readouterr().out
    assert "done" in out and '"coeff_limit": 1' in out
    # --no-db with --db is a contradiction (issue 21): refused, nothing written
    assert main(SMALL + ["--no-db", "--db", "none.sqlite"]) == 2
    assert "contradict" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite").exists()


def test_search_again_resumes_and_prints_the_same_table(store, capsys):
    assert main(SMALL + ["--db", str(store)]) == 0
    first = capsys.readouterr().out
    assert main(SMALL + ["--db", str(store), "--pattern-chunk", "1"]) == 0   # same plan key
    again = capsys.readouterr().out
    assert first.split("\n")[1:24] == again.split("\n")[1:24]      # the same rows and ids
    assert "72 conjectures in 5 families" in again
    # the fixture ran this search already: both say the rows were read back, not recomputed
    for out in (first, again):
        assert "read from the store" in out.split("\n")[0] and "nothing recomputed" in out
    assert main(["list", "--runs", "--db", str(store)]) == 0
    assert capsys.readouterr().out.count("done") == 1


@pytest.mark.parametrize("argv", [
    ["search", "3/4", "--db", "x.sqlite"],
    ["search", "E", "--max-period", "0", "--db", "x.sqlite"],
    ["search", "E", "--lhs", "E**E", "--db", "x.sqlite"],
    ["list", "--db", "x.sqlite"],
    ["show", "1", "--db", "x.sqlite"],
    ["export", "--db", "x.sqlite"],
    ["report", "--out", "rep", "--db", "x.sqlite"],
])
def test_bad_input_or_missing_store_creates_nothing(argv, tmp_path, capsys):
    with pytest.raises(SystemExit) if "--max-period" in argv else _nullcontext():
        assert main(argv) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_search_refuses_a_foreign_file_and_leaves_it(tmp_path, capsys):
    f = tmp_path / "thesis.tex"
    f.write_text("\\documentclass{article}\n")
    before = f.read_bytes()
    assert main(SMALL + ["--db", str(f)]) == 2
    err = capsys.readouterr().err
    assert "not an esma store" in err and "Traceback" not in err
    assert f.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["thesis.tex"]


def test_list(store, capsys):
    assert main(["list", "--db", str(store)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "72 stored conjectures"
    assert out[1].split()[:4] == ["id", "constant", "fam", "LHS"]
    rows = [line.split() for line in out[3:]]
    assert len(rows) == 72
    assert sorted(int(r[0]) for r in rows) == list(range(1, 73))
    # the constant however typed
    for typed in ("E", "e", "exp(1)"):
        assert main(["list", "--db", str(store), "--limit", "3", "--constant", typed]) == 0
        out = capsys.readouterr().out.splitlines()
        assert out[0] == "72 stored conjectures of E, showing 3" and len(out) == 6
    assert main(["list", "--db", str(store), "--constant", "pi"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "0 stored conjectures of pi" and out[1] == "stored constants: E"
    assert main(["list", "--db", str(store), "--constant", "foo(1)"]) == 2
    assert "--constant" in capsys.readouterr().err


def test_show(store, capsys):
    assert main(["export", "--db", str(store)]) == 0
    rows = json.loads(capsys.readouterr().out)
    cid = next(r["id"] for r in rows if r["lhs"] == "E" and r["signs"] == [-1, 1])
    assert main(["show", str(cid), "--db", str(store)]) == 0
    out = capsys.readouterr().out
    assert "3, 3, 2, 5, 2, 7, 2, 9" in out and "2*k + 3" in out and "PCF(" in out
    assert main(["show", str(cid), "--db", str(store), "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["terms"][:4] == [3, 3, 2, 5] and rec["pcf"].startswith("PCF(")
    assert main(["show", "999", "--db", str(store)]) == 2
    assert "id = 999" in capsys.readouterr().err


def test_export_json_has_the_fields_of_to_dict(store, capsys):
    from sympy import E

    from esma_sympy.search import esma_search

    assert main(["export", "--db", str(store), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    res = esma_search(E, coeff_limit=1, max_period=2, depth=40)
    res.families
    ref = res.conjectures
    assert len(rows) == len(ref) == 72
    assert all(FIELDS <= set(r) and set(EXPORT_FIELDS) == set(r) for r in rows)
    d = ref[7].to_dict()
    r = rows[7]
    for k in d:
        if k in ("pcf", "pcf_mobius"):
            assert r[k] is None               # not folded yet
        else:
            assert r[k] == d[k], k
    assert main(["export", "--db", str(store), "--fold", "--out", "all.json"]) == 0
    rows = json.loads(open("all.json").read())
    assert rows[7]["pcf"] == d["pcf"] and rows[7]["pcf_mobius"] == d["pcf_mobius"]


def test_export_csv(store, capsys):
    import csv
    import io

    assert main(["export", "--db", str(store), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 72 and list(rows[0]) == EXPORT_FIELDS
    e = next(r for r in rows if r["lhs"] == "E" and r["signs"] == "[-1, 1]")
    assert json.loads(e["quotients"]) == ["2*k + 3", "2"] and int(e["digits"]) >= 100
    assert e["closed_form"] == "" and e["proof_status"] == "conjectured"


def test_bad_scheduler_address_writes_nothing(tmp_path, capsys):
    pytest.importorskip("esma_sympy.distributed")
    assert main(SMALL + ["--scheduler", "not an address", "--db", "x.sqlite"]) == 2
    assert "scheduler" in capsys.readouterr().err
    assert main(SMALL + ["--scheduler", "tcp://127.0.0.1:1", "--workers", "2",
                         "--db", "x.sqlite"]) == 2
    assert "not both" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


@pytest.mark.slow
def test_search_on_two_local_workers_stores_the_same(tmp_path, capsys):
    pytest.importorskip("distributed")
    assert main(SMALL + ["--db", "one.sqlite", "--pattern-chunk", "1"]) == 0
    assert main(SMALL + ["--db", "two.sqlite", "--pattern-chunk", "1", "--workers", "2"]) == 0
    capsys.readouterr()
    outs = []
    for db in ("one.sqlite", "two.sqlite"):
        assert main(["export", "--db", db]) == 0
        outs.append(json.loads(capsys.readouterr().out))
    assert outs[0] == outs[1] and len(outs[0]) == 72


def test_search_prove_records_status_in_the_store(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["search", "E", "--coeff-limit", "1", "--max-period", "2", "--prove", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "proven with a checked certificate" in out
    assert main(["show", "1", "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["proof_status"] == "proven" and rec["closed_form"] is not None


def test_fastest_line_names_a_conjecture_of_largest_rate(capsys):
    # exp(2), the default domain: the fastest formula (exp(2)/2 - 1/2, signs +, 3.84 digits
    # per quotient) is not its family's first member; the line must still name it
    from sympy import exp

    from esma_sympy import esma_search

    assert main(["search", "exp(2)", "--quiet", "--no-db"]) == 0
    line = [x for x in capsys.readouterr().out.splitlines() if x.startswith("fastest: ")][0]
    res = esma_search(exp(2))
    best = max(c.rate() for c in res.conjectures)
    top = {(c.lhs_text, "".join("+" if s > 0 else "-" for s in c.signs))
           for c in res.conjectures if c.rate() == best}
    assert any(line.startswith(f"fastest: {t} with signs {s} ") for t, s in top), line
    assert f"({best:.2f} digits per quotient)" in line
