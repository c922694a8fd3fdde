"""The conjecture store: contents equal to the in-memory search, resumption, no duplicates,
refusal of foreign and newer files (unchanged byte for byte), migrations."""

import hashlib
import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
from sympy import E, tan

from esma_sympy.search import esma_search, plan_search
from esma_sympy.store import SCHEMA_VERSION, Store, StoreError, run_search, stored_result
from esma_sympy.store import schema as schema_mod
from esma_sympy.store import store as store_mod
from esma_sympy.store.rows import conjecture_row, describe_unit, fast_rate, row_conjecture

PARAMS = dict(coeff_limit=1, max_period=2, depth=40)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _dump(store) -> list:
    """Everything that identifies the stored contents (ids included)."""
    return [(r["id"], r["key"], r["first_terms"], r["polys"], r["digits"], r["rate"], r["family"])
            for r in store.rows()]


@pytest.fixture(scope="module")
def reference():
    res = esma_search(E, **PARAMS)
    res.families
    return res


def test_store_equals_search(tmp_path, reference):
    plan = plan_search(E, **PARAMS, pattern_chunk=1, lhs_chunk=3)
    with Store(tmp_path / "s.sqlite") as store:
        run = run_search(plan, store)
        rows = store.rows(run_id=run)
        assert [json.loads(r["key"]) for r in rows] == [
            ["E", list(c.lhs.num), list(c.lhs.den), list(c.signs)] for c in reference]
        assert [r["family"] for r in rows] == [c.family for c in reference]
        back = [row_conjecture(r) for r in rows]
        for a, b in zip(back, reference):
            assert (a.lhs, a.signs, a.prefix, a.polys, a.charpoly, a.first_terms, a.digits) == \
                (b.lhs, b.signs, b.prefix, b.polys, b.charpoly, b.first_terms, b.digits)
        # stored rates are the SCF's convergence rate (computed the fast way)
        for r, c in list(zip(rows, reference))[:5]:
            assert r["rate"] == round(c.rate(), 6)
            assert r["simple_rate"] == round(c.simple_rate(), 6)
        res = stored_result(plan, store, run)
        assert len(res.families) == len(reference.families)
        assert store.run(run)["status"] == "done"
        assert len(store.completed_units(run)) == plan.n_units()
        assert store.schema_version == SCHEMA_VERSION


def test_fast_rate_matches_scf(reference):
    for c in reference.conjectures[::5]:
        assert round(fast_rate(c.first_terms, c.signs, 40), 6) == round(c.scf.convergence_rate(40), 6)
    assert fast_rate([1, 2, 3], (1,), 40) is None


def test_executor_gives_the_same_store(tmp_path):
    plan = plan_search(E, **PARAMS, pattern_chunk=1)
    with Store(tmp_path / "a.sqlite") as a, Store(tmp_path / "b.sqlite") as b, \
            ThreadPoolExecutor(3) as pool:
        run_search(plan, a)
        run_search(plan, b, executor=pool)
        assert _dump(a) == _dump(b)


class _Stop(Exception):
    pass


def test_interrupted_search_resumes_without_duplicates(tmp_path):
    plan = plan_search(E, **PARAMS, pattern_chunk=1, lhs_chunk=2)
    n = plan.n_units()
    assert n > 10

    def stop_after(k):
        def progress(done, total):
            if done == k:
                raise _Stop
        return progress

    with Store(tmp_path / "full.sqlite") as full:
        run_search(plan, full)
        ref = _dump(full)
    path = tmp_path / "cut.sqlite"
    for k in (3, 7):                      # interrupted twice, at different places
        with Store(path) as cut, pytest.raises(_Stop):
            run_search(plan, cut, progress=stop_after(k))
        with Store(path) as cut:
            assert len(cut.completed_units(1)) == k
            assert cut.run(1)["status"] == "failed"     # the exception is recorded
    seen = []
    with Store(path) as cut:
        run_search(plan, cut, progress=lambda d, t: seen.append(d))
        assert seen[0] == 7 and seen[-1] == n
        assert _dump(cut) == ref
        assert cut.run(1)["resumes"] == 2 and len(cut.runs()) == 1
        # a finished run: running it again computes nothing and changes nothing
        seen.clear()
        run_search(plan, cut, progress=lambda d, t: seen.append(d))
        assert seen == [n] and _dump(cut) == ref


def test_a_conjecture_is_never_stored_twice(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        r1 = run_search(plan_search(E, **PARAMS), store)
        count = store.count()
        # another plan that finds a subset of the same conjectures (and the keys are unique)
        r2 = run_search(plan_search(E, lhs=["E", "E/(E - 1)"], max_period=2, depth=40), store)
        assert r2 != r1 and store.count() == count
        rows2 = store.rows(run_id=r2)
        assert rows2 and all(r["run_id"] == r1 for r in rows2)
        keys = [r["key"] for r in store.rows()]
        assert len(keys) == len(set(keys)) == count
        # a unit committed twice is refused as a whole
        plan = plan_search(E, **PARAMS)
        u = next(plan.units())
        res = describe_unit(plan, u)
        assert store.commit_unit(r1, u.index, res.rows, res.stats) is False
        assert store.count() == count


def test_other_constants_are_kept_apart(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        run_search(plan_search(E, lhs=["E"], max_period=2, depth=40), store)
        run_search(plan_search(tan(1), lhs=["tan(1)"], max_period=1, depth=40), store)
        assert store.constants() == ["E", "tan(1)"]
        assert {r["constant"] for r in store.rows(constant="tan(1)")} == {"tan(1)"}


def test_not_an_esma_store_is_refused_and_unchanged(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_bytes(b"my precious notes\n" * 100)
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    con.close()
    for path, msg in ((text, "not an SQLite database"), (other, "not an esma store")):
        before = _digest(path)
        with pytest.raises(StoreError, match=msg) as ex:
            Store(path)
        assert str(path) in str(ex.value) and "not modified" in str(ex.value)
        assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "other.sqlite"]


def test_newer_schema_is_refused_and_unchanged(tmp_path):
    path = tmp_path / "new.sqlite"
    with Store(path) as store:
        run_search(plan_search(E, lhs=["E"], max_period=1, depth=40), store)
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    before = _digest(path)
    with pytest.raises(StoreError, match="newer"):
        Store(path)
    assert _digest(path) == before


def test_missing_store_is_not_created_when_reading(tmp_path):
    with pytest.raises(StoreError, match="no esma store"):
        Store(tmp_path / "none.sqlite", create=False)
    assert list(tmp_path.iterdir()) == []


def test_migration_upgrades_and_keeps_data(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    with Store(path) as store:
        run_search(plan_search(E, lhs=["E"], max_period=2, depth=40), store)
        before = _dump(store)
    v2 = SCHEMA_VERSION + 1
    monkeypatch.setitem(schema_mod.MIGRATIONS, v2, "ALTER TABLE conjectures ADD COLUMN note TEXT")
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", v2)
    with Store(path) as store:
        assert store.schema_version == v2
        assert _dump(store) == before
        cols = [r[1] for r in store._con.execute("PRAGMA table_info(conjectures)")]
        assert "note" in cols
        meta = dict(store._con.execute("SELECT key, value FROM meta").fetchall())
        assert meta["schema_version"] == str(v2)


def test_failed_migration_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    with Store(path) as store:
        run_search(plan_search(E, lhs=["E"], max_period=1, depth=40), store)
        before = _dump(store)
    v2 = SCHEMA_VERSION + 1
    monkeypatch.setitem(schema_mod.MIGRATIONS, v2, "ALTER TABLE nosuchtable ADD COLUMN x")
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", v2)
    with pytest.raises(sqlite3.OperationalError):
        Store(path)
    monkeypatch.undo()
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION and _dump(store) == before


def test_row_round_trip_keeps_closed_form_text_unevaluated():
    c = esma_search(E, lhs=["E"], max_period=1, depth=40).conjectures[0]
    row = dict(conjecture_row(c), family=0)
    row["closed_form"] = "__import__('os').system('false')"
    assert row_conjecture(row).closed_form == row["closed_form"]
    row["closed_form"] = "exp(1)"
    assert row_conjecture(row).closed_form == E


def test_distributed_executor_interface(tmp_path):
    dist = pytest.importorskip("esma_sympy.distributed")
    plan = plan_search(E, **PARAMS, pattern_chunk=1)
    with Store(tmp_path / "a.sqlite") as a, Store(tmp_path / "b.sqlite") as b:
        run_search(plan, a)
        with dist.InProcessExecutor() as ex:
            run_search(plan, b, executor=ex)
        assert _dump(a) == _dump(b)


def test_an_executor_out_of_order_is_refused(tmp_path):
    class Reversed:
        def map(self, func, units):
            return [func(u) for u in reversed(list(units))]

    plan = plan_search(E, **PARAMS, pattern_chunk=1)
    with Store(tmp_path / "a.sqlite") as a:
        with pytest.raises(RuntimeError, match="unit order"):
            run_search(plan, a, executor=Reversed())
        assert a.run(1)["status"] == "failed" and a.completed_units(1) == set()
        with pytest.raises(TypeError, match="executor"):
            run_search(plan, a, executor=object())


def test_unopenable_path_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="cannot be created: the directory .* does not exist"):
        Store(tmp_path / "no" / "such" / "dir.sqlite")
    with pytest.raises(StoreError, match="names a directory \\(it ends with a slash\\)"):
        Store(str(tmp_path / "nothere") + "/")
    assert not (tmp_path / "nothere").exists()
    with pytest.raises(StoreError, match="directory"):
        Store(tmp_path)
    with pytest.raises(ValueError, match="db must be a file path"):
        Store("")


def test_resume_keeps_the_unit_split_of_the_run(tmp_path):
    fine = plan_search(E, **PARAMS, pattern_chunk=1, lhs_chunk=1)
    coarse = plan_search(E, **PARAMS, pattern_chunk=3, lhs_chunk=5)
    assert fine.key == coarse.key and fine.n_units() != coarse.n_units()
    with Store(tmp_path / "full.sqlite") as full:
        run_search(fine, full)
        ref = _dump(full)
    with Store(tmp_path / "cut.sqlite") as cut:
        with pytest.raises(_Stop):
            def progress(done, total):
                if done == 9:
                    raise _Stop
            run_search(fine, cut, progress=progress)
        with pytest.raises(ValueError, match="resume it with the same split"):
            cut.begin_run(coarse)
        run_search(coarse, cut)            # adopts the run's split
        assert _dump(cut) == ref
        assert json.loads(cut.run(1)["chunks"]) == {"lhs_chunk": 1, "pattern_chunk": 1}


def test_a_version_1_store_is_upgraded_in_place(tmp_path):
    """A store written by the first schema (no pcf_latex, no chunks) opens, is upgraded to the
    current version and its conjectures read back unchanged."""
    c = esma_search(E, lhs=["E"], max_period=2, depth=40).conjectures[0]
    row = conjecture_row(c)
    path = tmp_path / "v1.sqlite"
    con = sqlite3.connect(path)
    con.executescript(schema_mod.MIGRATIONS[1])
    con.execute(f"PRAGMA application_id = {schema_mod.APPLICATION_ID}")
    con.execute("PRAGMA user_version = 1")
    con.execute("INSERT INTO runs (id, plan_key, constant, params, versions, n_units, started, "
                "status) VALUES (1, 'k', 'E', '{}', '{}', 1, 'then', 'done')")
    v1_cols = [k for k in row if k != "pcf_latex"]
    con.execute(f"INSERT INTO conjectures ({', '.join(v1_cols)}, run_id, unit_index) VALUES "
                f"({', '.join('?' for _ in v1_cols)}, 1, 0)", [row[k] for k in v1_cols])
    con.execute("INSERT INTO found (run_id, conjecture_id, unit_index, lhs_index, period, "
                "pattern_code) VALUES (1, 1, 0, 0, 1, 0)")
    con.commit()
    con.close()
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        back = store.conjecture(1)
        assert (back.lhs, back.signs, back.polys, back.first_terms) == \
            (c.lhs, c.signs, c.polys, c.first_terms)
        assert store.row(1)["pcf_latex"] is None and store.run(1)["chunks"] is None
