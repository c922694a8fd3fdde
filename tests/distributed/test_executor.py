"""Executors without a process cluster: the in-process backend, plan specs, argument errors,
pickling of unit results, and the Dask submission loop on an in-process (threaded) cluster:
bounded in-flight submission, ordered/completion order, resubmission of lost units."""

import gc
import pickle
import sys
from types import SimpleNamespace

import cloudpickle
import distributed
import pytest
from sympy import E, pi

from esma_sympy.distributed import (DaskExecutor, InProcessExecutor, check_scheduler,
                                    make_executor, plan_fingerprint, plan_from_spec, plan_spec,
                                    run_search_distributed, run_unit_task)
from esma_sympy.distributed import executor as executor_module
from esma_sympy.distributed.spec import PlanSpec
from esma_sympy.search import esma_search, merge_results, plan_search, run_unit


def small_plan(**kw):
    """16 units of a few milliseconds each (E, LHS coefficients in [-1, 1], periods 1..4)."""
    args = dict(coeff_limit=1, max_period=4, depth=40, lhs_chunk=6, pattern_chunk=8)
    args.update(kw)
    return plan_search(E, **args)


async def _loop_turn():
    """Nothing: awaited on the client's loop to let the callbacks queued before it run."""


def conj_key(c):
    """A conjecture by the fields that define it (``Conjecture`` compares by identity)."""
    return (c.lhs, tuple(c.signs), c.prefix, c.polys, c.charpoly, c.first_terms, c.found_on,
            c.predicted, c.digits)


def result_key(res):
    """Everything of a SearchResult but timings: conjectures in order and the counters."""
    st = res.stats
    counts = (st.lhs, st.patterns, st.pairs, st.classes, st.expanded_terms, st.survivors_filter,
              st.rejected_prediction, st.rejected_not_quasi_polynomial, st.rejected_digits,
              st.short_expansions, st.conjectures)
    return [conj_key(c) for c in res.conjectures], counts, res.params


@pytest.fixture(scope="module")
def plan():
    return small_plan()


def conjectures_key(res):
    return [conj_key(c) for c in res.conjectures]


@pytest.fixture(scope="module")
def reference(plan):
    """The in-process run of the same plan (same units, so the same counters too)."""
    return run_search_distributed(plan)


# -- in process ----------------------------------------------------------------------------------


def test_in_process_matches_esma_search(plan, reference):
    # esma_search splits the domain into other units: the conjectures and their order agree,
    # the per-unit counters (translation classes, expanded terms) need not
    assert plan.n_units() == 16
    direct = esma_search(E, coeff_limit=1, max_period=4, depth=40)
    assert len(reference) > 50
    assert conjectures_key(reference) == conjectures_key(direct)


def test_in_process_progress_counts_every_unit(plan):
    calls = []
    run_search_distributed(plan, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(k, 16) for k in range(17)]


def test_in_process_executor_follows_the_given_units(plan):
    units = list(plan.units())[::-3]
    got = [r.unit for r in InProcessExecutor().map_units(plan, units, ordered=True)]
    assert got == units


# -- arguments -----------------------------------------------------------------------------------


@pytest.mark.parametrize("workers, exc", [(0, ValueError), (-2, ValueError), ("2", TypeError),
                                          (2.0, TypeError), (True, TypeError)])
def test_bad_workers_name_the_argument(workers, exc, plan):
    with pytest.raises(exc, match="workers"):
        run_search_distributed(plan, workers=workers)
    with pytest.raises(exc, match="workers"):
        DaskExecutor(workers)


@pytest.mark.parametrize("address", ["localhost:8786", "tcp://", "tcp://host", "tcp://host:port",
                                     "http://127.0.0.1:8786", "tcp://127.0.0.1:99999",
                                     "tcp://a b:1", ""])
def test_bad_scheduler_addresses_name_the_argument(address, plan):
    with pytest.raises(ValueError, match="scheduler"):
        check_scheduler(address)
    with pytest.raises(ValueError, match="scheduler"):
        run_search_distributed(plan, scheduler=address)


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "tls://sched.example.org:8786",
                                     "tcp://[::1]:8786", "ucx://10.0.0.1:13337"])
def test_good_scheduler_addresses(address):
    assert check_scheduler(address) == address


def test_scheduler_must_be_a_string():
    with pytest.raises(TypeError, match="scheduler"):
        make_executor(scheduler=8786)


def test_workers_and_scheduler_exclude_each_other():
    with pytest.raises(ValueError, match="workers or scheduler"):
        make_executor(workers=2, scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(ValueError, match="needs workers, scheduler or client"):
        DaskExecutor()
    with pytest.raises(ValueError, match="in_flight"):
        DaskExecutor(workers=1, in_flight=0)


# -- shipping plans and results -------------------------------------------------------------------


def test_spec_rebuilds_the_same_plan(plan):
    spec = plan_spec(plan)
    assert spec.plan is None                       # shipped by parameters, not whole
    assert len(pickle.dumps(spec)) < 2000
    rebuilt = plan_from_spec(pickle.loads(pickle.dumps(spec)))
    assert rebuilt.lhs_list == plan.lhs_list and rebuilt.params == plan.params
    assert list(rebuilt.units()) == list(plan.units())
    assert plan_from_spec(spec) is rebuilt         # cached per process


def test_spec_of_a_degree_two_plan_is_small():
    plan = plan_search(E, lhs_degree=2, coeff_limit=1, max_period=16, lhs_chunk=64)
    assert len(pickle.dumps(plan)) > 10 * len(pickle.dumps(plan_spec(plan)))
    assert plan_from_spec(plan_spec(plan)).lhs_list == plan.lhs_list


def test_spec_with_explicit_lhs_and_another_constant():
    plan = plan_search(pi, lhs=["pi/(pi - 3)", "(pi + 1)/pi", "pi"], max_period=2, depth=40)
    spec = plan_spec(plan)
    assert spec.plan is None
    assert plan_fingerprint(plan_from_spec(spec)) == plan_fingerprint(plan)


def test_spec_mismatch_and_version_mismatch_fail_loudly(plan):
    spec = plan_spec(plan)
    forged = PlanSpec(spec.params, spec.lhs_chunk + 1, spec.pattern_chunk, spec.version,
                      spec.fingerprint)
    with pytest.raises(RuntimeError, match="differs from the driver"):
        plan_from_spec(forged)
    old = PlanSpec(spec.params, spec.lhs_chunk, spec.pattern_chunk, "0.0.0", spec.fingerprint)
    with pytest.raises(RuntimeError, match="same version"):
        plan_from_spec(old)


def test_unparseable_plan_is_shipped_whole(plan):
    import copy

    odd = copy.copy(plan)
    odd.params = dict(plan.params, constant="not a constant")
    spec = plan_spec(odd)
    assert spec.plan is odd
    unit = next(odd.units())
    assert [conj_key(c) for c in run_unit_task(spec, unit).conjectures] == \
        [conj_key(c) for c in run_unit(plan, unit).conjectures]


@pytest.mark.parametrize("dumps, loads", [(pickle.dumps, pickle.loads),
                                          (cloudpickle.dumps, pickle.loads)])
def test_unit_results_survive_pickling(plan, reference, dumps, loads):
    results = [loads(dumps(run_unit(plan, u))) for u in plan.units()]
    assert sum(len(r.conjectures) for r in results) == len(reference)
    merged = merge_results(plan, results[::-1])
    assert result_key(merged) == result_key(reference)
    c = merged.conjectures[0]
    assert c.constant is E and c.scf is not None      # SymPy views still build after transport


_DEAD_WORKER = SimpleNamespace(address="tcp://127.0.0.1:1")    # what KilledWorker names


# -- the Dask submission loop, on an in-process threaded cluster ---------------------------------


@pytest.fixture(scope="module")
def threaded_client():
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=None, set_as_default=False) as client:
        yield client


def test_submission_is_bounded_and_lazy(plan, reference, threaded_client):
    pulled = []

    def units():
        for u in plan.units():
            pulled.append(u.index)
            yield u

    ex = DaskExecutor(client=threaded_client, in_flight=3)
    results = []
    for r in ex.map_units(plan, units()):
        results.append(r)
        # units taken from the source and not yet yielded: never more than in_flight (T7.2)
        assert len(pulled) - len(results) <= 3
    assert len(pulled) == 16
    assert sorted(r.unit.index for r in results) == list(range(16))
    assert result_key(merge_results(plan, results)) == result_key(reference)
    # a release reaches the client as a callback on its event loop: collect the futures no
    # longer referenced, then run one coroutine on the loop, which runs after every callback
    # scheduled before it (FIFO), so by its return each release has been handled
    gc.collect()
    threaded_client.sync(_loop_turn)
    assert not any(k.startswith("esma-unit") for k in threaded_client.futures)


@pytest.mark.parametrize("in_flight", [1, 2, 5])
def test_ordered_mode_follows_the_given_units(plan, threaded_client, in_flight):
    units = list(plan.units())[::-1]
    pulled = []

    def source():
        for u in units:
            pulled.append(u)
            yield u

    ex = DaskExecutor(client=threaded_client, in_flight=in_flight)
    progress, got = [], []
    for r in ex.map_units(plan, source(), ordered=True,
                          progress=lambda d, t: progress.append((d, t))):
        got.append(r.unit)
        assert len(pulled) - len(got) <= in_flight         # held back: at most in_flight
    assert got == units
    assert progress == [(k, None) for k in range(17)]          # a generator has no length


_FAILED: set = set()     # module state: tasks are pickled by reference, so the worker sees it


def _flaky(spec, unit, packed=False):
    """Loses units 0, 5, 10, 15 once each, as if their worker had died too often."""
    if unit.index % 5 == 0 and unit.index not in _FAILED:
        _FAILED.add(unit.index)
        raise distributed.KilledWorker(f"esma-unit-{unit.index}", _DEAD_WORKER, 3)
    return run_unit_task(spec, unit, packed)


def test_lost_units_are_resubmitted_once_each(plan, reference, threaded_client, monkeypatch):
    _FAILED.clear()
    monkeypatch.setattr(executor_module, "run_unit_task", _flaky)
    ex = DaskExecutor(client=threaded_client, retries=0)
    res = run_search_distributed(plan, executor=ex)
    assert _FAILED == {0, 5, 10, 15} and ex.resubmitted == 4
    assert result_key(res) == result_key(reference)


def test_task_errors_are_raised_not_resubmitted(plan, threaded_client, monkeypatch):
    def broken(spec, unit, packed=False):
        raise ZeroDivisionError(f"unit {unit.index}")

    monkeypatch.setattr(executor_module, "run_unit_task", broken)
    ex = DaskExecutor(client=threaded_client, retries=1)
    with pytest.raises(ZeroDivisionError, match="unit"):
        list(ex.map_units(plan))
    assert ex.resubmitted == 0


def test_resubmits_are_bounded(plan, threaded_client, monkeypatch):
    def doomed(spec, unit, packed=False):
        raise distributed.KilledWorker(f"esma-unit-{unit.index}", _DEAD_WORKER, 3)

    monkeypatch.setattr(executor_module, "run_unit_task", doomed)
    ex = DaskExecutor(client=threaded_client, retries=0, resubmits=2, in_flight=1)
    with pytest.raises(distributed.KilledWorker):
        list(ex.map_units(plan))
    assert ex.resubmitted == 2


def test_a_failed_search_does_not_poison_the_next_one(plan, reference, threaded_client,
                                                      monkeypatch):
    # regression: task keys were the same for every call with the same plan, so a rerun
    # right after a failure could receive the failed call's errors from the scheduler
    def broken(spec, unit, packed=False):
        raise ZeroDivisionError(f"unit {unit.index}")

    monkeypatch.setattr(executor_module, "run_unit_task", broken)
    with pytest.raises(ZeroDivisionError):
        run_search_distributed(plan, executor=DaskExecutor(client=threaded_client, retries=0))
    monkeypatch.undo()
    res = run_search_distributed(plan, executor=DaskExecutor(client=threaded_client))
    assert result_key(res) == result_key(reference)


def test_missing_dask_is_explained(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)        # import distributed fails
    with pytest.raises(ImportError, match=r"pip install 'esma_sympy\[dask\]'"):
        make_executor(workers=1)
    assert isinstance(make_executor(), InProcessExecutor)         # in process needs no Dask


def test_the_store_driver_accepts_a_dask_executor(plan, threaded_client, tmp_path):
    # esma_sympy.store.run_search calls map_units(plan, pending_units, ordered=True) and is the
    # only writer: the stored rows are the same as with its in-process loop
    from esma_sympy.store import Store, run_search

    with Store(str(tmp_path / "a.sqlite")) as a, Store(str(tmp_path / "b.sqlite")) as b:
        ra = run_search(plan, a)
        rb = run_search(plan, b, executor=DaskExecutor(client=threaded_client, in_flight=2))
        rows_a, rows_b = list(a.rows(run_id=ra)), list(b.rows(run_id=rb))
    assert len(rows_a) > 50
    assert [r["key"] for r in rows_a] == [r["key"] for r in rows_b]
