"""Searches on real Dask clusters of worker processes (LocalCluster on 127.0.0.1): the same
conjectures in the same order for 1 and 2 workers, an existing cluster and in process
(theory T7.1), and a search that survives one of its workers being killed."""

import os
import signal

import dask
import psutil
import pytest
from distributed import Client
from sympy import E

from esma_sympy.distributed import DaskExecutor, local_cluster, run_search_distributed
from esma_sympy.search import merge_results, plan_search

from .test_executor import result_key, small_plan

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def plan():
    return small_plan()


@pytest.fixture(scope="module")
def kill_plan():
    """14 units of about 0.25 s each: long enough to be killed while running."""
    return plan_search(E, coeff_limit=2, max_period=6, lhs_chunk=16, pattern_chunk=64)


@pytest.fixture(scope="module")
def kill_reference(kill_plan):
    return run_search_distributed(kill_plan)


def test_same_conjectures_for_any_number_of_workers(plan):
    in_process = run_search_distributed(plan)
    assert len(in_process) > 50
    one = run_search_distributed(plan, workers=1)
    two = run_search_distributed(plan, workers=2)
    assert result_key(one) == result_key(in_process)
    assert result_key(two) == result_key(in_process)


def test_existing_cluster_by_address(plan):
    calls = []
    with local_cluster(2) as cluster:
        res = run_search_distributed(plan, scheduler=cluster.scheduler_address,
                                     progress=lambda done, total: calls.append((done, total)))
        # the cluster outlives the search: only the client made for it was closed
        with Client(cluster.scheduler_address, set_as_default=False) as client:
            assert len(client.nthreads()) == 2
    assert result_key(res) == result_key(run_search_distributed(plan))
    assert calls == [(k, 16) for k in range(17)]


def _search_killing_one_worker(plan, client, **kw):
    """Run ``plan``; after the first result, SIGKILL a worker process that is running a unit."""
    ex = DaskExecutor(client=client, **kw)
    pids = client.run(os.getpid)
    assert len(pids) == 2
    results, killed = [], None
    for r in ex.map_units(plan):
        results.append(r)
        if killed is None:
            busy = [w for w, keys in client.processing().items() if keys and w in pids]
            killed = pids[busy[0] if busy else next(iter(pids))]
            os.kill(killed, signal.SIGKILL)
    return ex, results, killed


def _gone(pid):
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_a_killed_worker_loses_and_duplicates_nothing(kill_plan, kill_reference):
    with local_cluster(2) as cluster, Client(cluster, set_as_default=False) as client:
        ex, results, killed = _search_killing_one_worker(kill_plan, client)
    assert _gone(killed)
    indices = [r.unit.index for r in results]
    assert sorted(indices) == list(range(kill_plan.n_units()))        # each unit exactly once
    assert result_key(merge_results(kill_plan, results)) == result_key(kill_reference)


def test_units_the_scheduler_gives_up_on_are_resubmitted(kill_plan, kill_reference):
    # allowed-failures = 0: the scheduler declares a unit running on the killed worker lost
    # (KilledWorker) at once, and the executor must resubmit it itself
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with local_cluster(2) as cluster, Client(cluster, set_as_default=False) as client:
            ex, results, killed = _search_killing_one_worker(kill_plan, client)
    assert _gone(killed)
    assert ex.resubmitted >= 1
    assert sorted(r.unit.index for r in results) == list(range(kill_plan.n_units()))
    assert result_key(merge_results(kill_plan, results)) == result_key(kill_reference)
