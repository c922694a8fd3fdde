"""The atlas: catalogues (the default one and errors naming the entry), every conjecture
settled (tail transfers checked against proofs of their own), resumption, the command."""

import json
import os

import pytest
from sympy import E, sqrt

from esma_sympy.atlas import (CatalogueEntry, build_default, default_catalogue, load_catalogue,
                              parse_catalogue, run_atlas, settle_run, to_toml)
from esma_sympy.cli import main
from esma_sympy.search import esma_search, plan_search
from esma_sympy.store import Store, run_search
from esma_sympy.theory import find_tail_transfer, prove


def test_the_default_catalogue():
    es = default_catalogue()
    assert es == build_default() and len(es) >= 150
    kinds = {e.kind for e in es}
    assert {"exp", "tan", "tanh", "cot", "coth", "bessel_i", "bessel_j", "0F1", "quadratic",
            "control"} <= kinds
    controls = {e.expr for e in es if e.is_control}
    assert controls == {"pi", "zeta(3)", "log(2)", "Catalan", "2**(1/3)", "EulerGamma"}
    assert parse_catalogue(to_toml(es)) == es          # the file round-trips
    assert len({e.expr for e in es}) == len(es)


@pytest.mark.parametrize("text, message", [
    ("", "no [[constant]] tables"),
    ("[[constant]]\nname = 'x'\n", "constant #1: the key 'expr' is missing"),
    ("[[constant]]\nexpr = 'E'\n[[constant]]\nexpr = 'E'\n", "constant #2: expr = 'E' repeats constant #1"),
    ("[[constant]]\nexpr = 'E'\nmax_period = 0\n", "max_period must be an integer in [1, 12], got 0"),
    ("[[constant]]\nexpr = 'E'\nlhs_degree = true\n", "lhs_degree must be an integer"),
    ("[[constant]]\nexpr = 'nosuch(1)'\n", "expr = 'nosuch(1)': cannot parse"),
    ("[[constant]]\nexpr = 'E'\ncolour = 1\n", "unknown key 'colour'"),
    ("[constant]\nexpr = 'E'\n", "no [[constant]] tables"),
    ("x = = 1", "not valid TOML"),
    ("title = 'a'\n[[constant]]\nexpr = 'E'\n", "unknown top-level key 'title'"),
])
def test_catalogue_errors_name_the_entry_and_key(text, message):
    with pytest.raises(ValueError) as err:
        parse_catalogue(text)
    assert message in str(err.value)


def test_tail_transfers_agree_with_proofs_of_their_own():
    """A transferred proof is a real one: for members of E's families, the transfer's closed
    form is the member's LHS, its check passes, and prove() of the member agrees; a member of
    another family gets no transfer; a tampered matrix fails the check."""
    r = esma_search(E, max_period=2)
    fams = r.families
    checked = 0
    for fam in fams[:4]:
        p = prove(fam[0])
        for m in fam[1:4]:
            t = find_tail_transfer(p, fam[0], m)
            assert t is not None and t.check() and t.closed_form == m.lhs_expr
            assert str(prove(m).status) == "proven"
            checked += 1
        assert find_tail_transfer(p, fam[0], fams[-1][0]) is None
    assert checked >= 8
    import dataclasses
    t = find_tail_transfer(prove(fams[0][0]), fams[0][0], fams[0][1])
    bad = dataclasses.replace(t, H=(t.H[0] + 1, t.H[1], t.H[2], t.H[3]))
    assert not bad.check_transfer() and not bad.check()
    shifted = dataclasses.replace(t, i=t.i + 1)
    assert not shifted.check_transfer()


def test_quadratic_irrationals_transfer_modulo_the_minimal_polynomial():
    fam = esma_search(sqrt(2), max_period=2).families[0]
    p = prove(fam[0])
    ts = [find_tail_transfer(p, fam[0], m) for m in fam[1:]]
    assert ts and all(t is not None and t.check_transfer() for t in ts)


def test_settle_and_resume(tmp_path):
    es = [CatalogueEntry("exp(1/2)", max_period=2), CatalogueEntry("pi", kind="control"),
          CatalogueEntry("GoldenRatio", kind="quadratic", max_period=1)]
    seen = []

    class Stop(Exception):
        pass

    def stop_after_first(i, n, res):
        seen.append(res.expr)
        if i == 0:
            raise Stop

    with Store(tmp_path / "a.sqlite") as s:
        with pytest.raises(Stop):
            run_atlas(es, s, on_constant=stop_after_first)
        runs = len(s.runs())
        res = run_atlas(es, s)
        assert len(s.runs()) == runs + 2            # the first constant is not searched again
        rows = s.rows()
    assert [r.settled for r in res] == [True, True, True]
    assert res[1].conjectures == 0 and res[0].conjectures > 0 and res[2].conjectures > 0
    assert {r["proof_status"] for r in rows} == {"proven"}
    assert all(r["closed_form"] for r in rows)


def test_settle_run_records_every_status(tmp_path):
    with Store(tmp_path / "s.sqlite") as s:
        rid = run_search(plan_search(E, max_period=1), s)
        out = settle_run(s, rid)
        rows = s.rows(run_id=rid)
    assert out["proven"] == len(rows) and out["reasons"] == {}
    assert out["transferred"] == len(rows) - len({r["family"] for r in rows})


def test_cli(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["atlas", "--list-default"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [e.expr for e in default_catalogue()]
    cat = tmp_path / "c.toml"
    cat.write_text('[[constant]]\nexpr = "tanh(1/2)"\nmax_period = 2\n\n'
                   '[[constant]]\nexpr = "zeta(3)"\nkind = "control"\nmax_period = 2\n')
    assert main(["atlas", str(cat), "--db", "a.sqlite", "--quiet", "--export", "f.jsonl"]) == 0
    out = capsys.readouterr().out
    assert "1/2  tanh(1/2)" in out and "a negative control: nothing found, as expected" in out
    assert "2 constants, 1 with conjectures" in out
    recs = [json.loads(line) for line in open("f.jsonl", encoding="utf-8")]
    assert recs and {r["constant"] for r in recs} == {"tanh(1/2)"}
    assert all(r["proof_status"] == "proven" and r["proven_members"] == r["members"] for r in recs)
    assert main(["export", "--db", "a.sqlite"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert {e["proof_status"] for e in exported} == {"proven"}
    # errors: one line, exit 2
    for argv, want in ((["atlas", "nosuch.toml", "--db", "a.sqlite"], "catalogue = 'nosuch.toml'"),
                       (["atlas", str(cat), "--list-default"], "--list-default"),
                       (["atlas", str(cat), "--db", "a.sqlite", "--export", "f.jsonl"],
                        "--export = 'f.jsonl' exists"),
                       (["atlas", str(cat), "--workers", "2", "--scheduler", "tcp://x:1"],
                        "not both")):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert want in err and "Traceback" not in err and len(err.splitlines()) == 1, err


def test_the_store_does_not_depend_on_the_executor(tmp_path):
    """Theory T8.2: with a pool (searches and proofs of several constants at once) the rows,
    their order, families, statuses and closed forms are those of the serial run."""
    from concurrent.futures import ThreadPoolExecutor

    es = [CatalogueEntry("tanh(1/2)", max_period=2), CatalogueEntry("log(2)", kind="control"),
          CatalogueEntry("exp(1/3)", max_period=2), CatalogueEntry("sqrt(5)", kind="quadratic",
                                                                    max_period=1)]
    cols = ("key", "family", "proof_status", "closed_form", "run_id")
    with Store(tmp_path / "a.sqlite") as a:
        ra = run_atlas(es, a)
        rows_a = [tuple(r[c] for c in cols) for r in a.rows()]
    with Store(tmp_path / "b.sqlite") as b, ThreadPoolExecutor(2) as pool:
        rb = run_atlas(es, b, executor=pool)
        rows_b = [tuple(r[c] for c in cols) for r in b.rows()]
    assert rows_a == rows_b and len(rows_a) > 500
    assert [(r.expr, r.conjectures, r.proven) for r in ra] == \
        [(r.expr, r.conjectures, r.proven) for r in rb]


@pytest.mark.slow
def test_predictions_agree_with_the_search_on_catalogue_constants():
    """Theory T8.3 on a sample of the default catalogue (each kind with a base relation, and
    two without): predict_reachable gives exactly the search's pairs; no prediction is made
    for a negative control or a quadratic irrational, and the control has no hit."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "atlas_predictions", os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks",
                                          "atlas_predictions.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for expr, kind in (("exp(1/2)", "exp"), ("tan(1/3)", "tan"), ("coth(1/2)", "coth"),
                       ("besselj(1,1)/besselj(0,1)", "bessel_j"), ("cot(4/3)", "cot"),
                       ("zeta(3)", "control"), ("GoldenRatio", "quadratic")):
        rec = mod.run_one(dict(expr=expr, kind=kind, lhs_degree=1, coeff_limit=2, max_period=2))
        if kind in ("control", "quadratic"):
            assert "no_prediction" in rec, rec
            assert (rec["found"] == 0) == (kind == "control"), rec
        else:
            assert rec["predicted_not_found"] == rec["found_not_predicted"] == 0, rec
            assert rec["predicted"] == rec["found"], rec


@pytest.mark.slow
def test_the_store_on_dask_equals_the_serial_one(tmp_path):
    """Theory T8.2 on a real cluster: on two Dask workers the search of a constant and the
    proofs of its families run as separate tasks (the proofs read the search's result on the
    workers); the store is the serial one, row for row."""
    pytest.importorskip("distributed")
    from esma_sympy.distributed import DaskExecutor

    es = [CatalogueEntry("tanh(1/2)", max_period=2), CatalogueEntry("log(2)", kind="control"),
          CatalogueEntry("exp(1/3)", max_period=2)]
    cols = ("key", "family", "proof_status", "closed_form", "run_id")
    with Store(tmp_path / "a.sqlite") as a:
        run_atlas(es, a)
        rows_a = [tuple(r[c] for c in cols) for r in a.rows()]
    ex = DaskExecutor(workers=2)
    try:
        with Store(tmp_path / "b.sqlite") as b:
            res = run_atlas(es, b, executor=ex)
            rows_b = [tuple(r[c] for c in cols) for r in b.rows()]
    finally:
        ex.close()
    assert rows_a == rows_b and len(rows_a) > 500
    assert [r.settled for r in res] == [True, True, True]
