"""The search driver: runs the work units of a plan and is the only writer of the store.

:func:`run_search` skips the units a previous (interrupted) run of the same plan key already
committed, hands the others to an executor (or runs them in-process), and commits each unit's
conjectures together with its completion row in one transaction, **in unit order**, so the
store's contents and ids are the same whether or not the search was interrupted and whatever
the executor.  Several drivers may write one store at once (each waits for the write lock,
see :mod:`esma_sympy.store.store`); one that gives up leaves its run resumable.  It checks
every stored row first (:meth:`~esma_sympy.store.Store.check_rows`), so it never writes into
a store with a damaged row.  An unfinished run is resumed with the unit split (chunk sizes)
it was started with, whatever the chunk sizes of ``plan``.  When every unit is complete it assigns the family numbers of the whole run (the
same as :attr:`~esma_sympy.search.SearchResult.families` of an uninterrupted ``esma_search``)
and marks the run done.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import replace
from functools import partial

from .. import limits
from .integrity import StoreError
from .rows import describe_unit, row_conjecture, unit_rows

__all__ = ["run_search", "stored_result"]


def run_search(plan, store, progress=None, executor=None, *, fold: bool = False,
               families=None) -> int:
    """Run (or resume) ``plan`` into ``store``; returns the run id.

    Parameters
    ==========

    plan : SearchPlan
        A validated plan (:func:`~esma_sympy.search.plan_search`).
    store : Store
        The conjecture store (:class:`~esma_sympy.store.Store`).
    progress : callable, optional
        ``progress(done, total)`` after every committed unit (``done`` counts the units
        committed earlier too).
    executor : optional
        Either an executor of :mod:`esma_sympy.distributed` (anything with
        ``map_units(plan, units, ordered=True)`` yielding
        :class:`~esma_sympy.search.UnitResult` in the order of ``units``: in process, a local
        Dask cluster, a remote one), or anything with ``map(func, iterable)`` returning results
        in the order of the iterable (``concurrent.futures`` executors), which then runs a
        picklable :func:`functools.partial` of :func:`~esma_sympy.store.rows.describe_unit`.
        Results come back here and only this function writes.  Default: run the units in this
        process, lazily.
    fold : bool
        Also fold every conjecture into a PCF (a SymPy computation per conjecture, done by the
        workers) instead of leaving the ``pcf`` column to be filled on demand.
    families : list of int, optional
        The family of each conjecture of the run in search order, when whoever ran the units
        computed them from the same conjectures (the atlas's workers: ``merge_results`` of the
        unit results); otherwise they are computed here from the stored rows.

    Examples
    ========

    >>> import os, tempfile
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> from esma_sympy.store import Store
    >>> plan = plan_search(E, coeff_limit=1, max_period=2, depth=40, pattern_chunk=2)
    >>> with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(2) as pool:
    ...     with Store(os.path.join(tmp, "a.sqlite")) as a, Store(os.path.join(tmp, "b.sqlite")) as b:
    ...         ra, rb = run_search(plan, a), run_search(plan, b, executor=pool)
    ...         [r["key"] for r in a.rows(run_id=ra)] == [r["key"] for r in b.rows(run_id=rb)]
    True
    """
    if not store._rows_ok:         # a damaged row refuses the search before anything is written
        store.check_rows()         # (once per connection: the rows it wrote since are its own)
    old = store.find_run(plan.key)
    if old is not None and old["status"] != "done" and old["chunks"] is not None:
        split = json.loads(old["chunks"])          # resume with the split the run started with
        plan = replace(plan, lhs_chunk=split["lhs_chunk"], pattern_chunk=split["pattern_chunk"])
    run_id, completed = store.begin_run(plan)
    try:
        _run_units(plan, store, run_id, completed, progress, executor, fold, families)
    except KeyboardInterrupt:
        _mark(store, run_id, "interrupted")
        raise
    except StoreError:
        raise             # locked or damaged: the run stays "running" (it resumes all the same)
    except BaseException:
        _mark(store, run_id, "failed")             # never left "running"; it resumes
        raise
    return run_id


def _mark(store, run_id: int, status: str) -> None:
    """Record why a run stopped, best effort: the exception being raised is the news."""
    try:
        store.set_run_status(run_id, status)
    except (StoreError, sqlite3.Error):
        pass


def _run_units(plan, store, run_id, completed, progress, executor, fold, families=None) -> None:
    total = plan.n_units()
    done = len(completed)
    if progress:
        progress(done, total)
    pending = (u for u in plan.units() if u.index not in completed)
    work = partial(describe_unit, plan, fold=fold)
    if executor is None:
        results = map(work, pending)
    elif hasattr(executor, "map_units"):
        results = (unit_rows(plan, r, fold)
                   for r in executor.map_units(plan, pending, ordered=True))
    elif hasattr(executor, "map"):
        results = executor.map(work, list(pending))
    else:
        raise TypeError(f"executor must have a map_units or map method, got {executor!r}")
    expected = (u.index for u in plan.units() if u.index not in completed)
    for res in results:
        want = next(expected, None)
        if res.index != want:          # checked before writing: the stored order stays fixed
            raise RuntimeError(f"executor returned unit {res.index} where unit {want} was due: "
                               "results must come in unit order")
        store.commit_unit(run_id, res.index, res.rows, res.stats)
        done += 1
        plan.check_memory(done, total)
        if progress:
            progress(done, total)
    if store.run(run_id)["status"] != "done":
        missing = total - len(store.completed_units(run_id))
        if missing:
            raise RuntimeError(f"run {run_id}: {missing} units were not completed")
        if families is not None:
            store.finish_run(run_id, list(families))     # its length is checked there
            return
        conjs = [row_conjecture(r) for r in store.rows(run_id=run_id)]
        # the whole run is in memory here, once (E at period 10: the process grew to 1.59 GB
        # here, after 277 MB during the units)
        what = f"after all {total} work units, grouping the {len(conjs):,} conjectures"
        limits.check_usage(what, plan.max_memory)
        _assign_families(plan, conjs)
        limits.check_usage(what, plan.max_memory)
        store.finish_run(run_id, [c.family for c in conjs])


def _assign_families(plan, conjs: list) -> None:
    from ..search import SearchResult, SearchStats

    SearchResult(plan.constant, plan.params, conjs, SearchStats()).families


def stored_result(plan, store, run_id: int, seconds: float | None = None):
    """The :class:`~esma_sympy.search.SearchResult` of a stored run (conjectures rebuilt from
    the store in search order, statistics summed over the units).

    >>> import os, tempfile
    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> from esma_sympy.store import Store, run_search
    >>> plan = plan_search(E, coeff_limit=1, max_period=2)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Store(os.path.join(tmp, "s.sqlite")) as store:
    ...         res = stored_result(plan, store, run_search(plan, store))
    >>> len(res), len(res.families)
    (72, 5)
    """
    from ..search import SearchResult, SearchStats

    t0 = time.perf_counter()
    conjs = [row_conjecture(r) for r in store.rows(run_id=run_id)]
    stats = SearchStats(lhs=len(plan.lhs_list), patterns=plan.n_patterns, pairs=plan.n_pairs)
    for st in store.unit_stats(run_id):
        stats.add(st, st.get("timings", {}))
    stats.conjectures = len(conjs)
    stats.seconds = seconds if seconds is not None else time.perf_counter() - t0
    res = SearchResult(plan.constant, plan.params, conjs, stats)
    res.__dict__["families"] = _families_from(conjs)
    return res


def _families_from(conjs: list) -> list:
    groups: dict = {}
    for c in conjs:
        groups.setdefault(c.family, []).append(c)
    return [groups[k] for k in sorted(groups)]
