"""Execution backends for ESMA work units: in-process, a local Dask cluster, a remote cluster.

Explanation
===========

A search is a :class:`~esma_sympy.search.SearchPlan` split into work units; each unit is run by
the pure function :func:`~esma_sympy.search.run_unit` and the unit results are merged by
:func:`~esma_sympy.search.merge_results` into one deterministic order.  An *executor* runs the
units somewhere and hands the results back to the driver:

- :class:`InProcessExecutor` runs them one after another in this process (the default);
- :class:`DaskExecutor` runs them on a Dask cluster: a ``LocalCluster`` of ``workers``
  processes (one thread each, on 127.0.0.1) or an existing cluster at ``scheduler``.

Both have ``map_units(plan, units=None, *, ordered=False, progress=None)``, an iterator of
:class:`~esma_sympy.search.UnitResult` that yields every unit exactly once, and ``close()``.
Units are enumerated lazily and at most ``in_flight`` of them are submitted at a time
(default: three per worker thread), so a period-16 search never holds millions of futures.

Faults: a unit whose worker dies is recomputed by the Dask scheduler; when the scheduler gives
up on it (``KilledWorker``) or it is lost (cancelled), the executor resubmits it under a new key,
up to ``resubmits`` times.  Results are yielded only from finished futures, each unit once, so
nothing is lost or duplicated (theory T7.1).  The driver stays the only writer: workers return
results and never touch a store.

Workers rebuild the plan from a small spec and cache it (see :mod:`esma_sympy.distributed.spec`);
on a remote cluster every worker needs the same esma_sympy version as the driver.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import os
import re
import signal
import threading
import time
import uuid
from collections.abc import Iterable, Iterator

from .._args import check_int
from .spec import plan_spec, run_unit_task

__all__ = ["InProcessExecutor", "DaskExecutor", "make_executor", "run_search_distributed",
           "local_cluster", "check_workers", "check_scheduler"]

_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
_ADDRESS = re.compile(r"^(?P<scheme>[a-z]+)://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.\-]+)"
                      r":(?P<port>[0-9]{1,5})/?$")


#: The most local worker processes ``DaskExecutor(workers=...)`` starts (4 per CPU).
MAX_LOCAL_WORKERS = 4 * (os.cpu_count() or 1)


def check_workers(workers) -> int:
    """``workers`` as a positive ``int``, or ``TypeError``/``ValueError`` naming it.

    >>> check_workers(2)
    2
    >>> check_workers(0)
    Traceback (most recent call last):
    ...
    ValueError: workers must be a positive integer, got 0
    >>> check_workers("2")
    Traceback (most recent call last):
    ...
    TypeError: workers must be a positive integer, got '2'
    """
    workers = check_int(workers, "workers", 1)
    top = MAX_LOCAL_WORKERS
    if workers > top:
        raise ValueError(f"workers must be <= {top} local processes (4 per CPU of this "
                         f"machine), got {workers}; use --scheduler for a larger cluster")
    return workers


def check_scheduler(scheduler) -> str:
    """A Dask scheduler address ``scheme://host:port`` (scheme ``tcp``, ``tls``, ``ws``,
    ``wss`` or ``ucx``), or ``TypeError``/``ValueError`` naming ``scheduler``.

    >>> check_scheduler("tcp://127.0.0.1:8786")
    'tcp://127.0.0.1:8786'
    >>> check_scheduler("localhost:8786")
    Traceback (most recent call last):
    ...
    ValueError: scheduler must be an address like 'tcp://host:8786', got 'localhost:8786'
    """
    if not isinstance(scheduler, str):
        raise TypeError(f"scheduler must be an address string like 'tcp://host:8786', "
                        f"got {scheduler!r}")
    m = _ADDRESS.match(scheduler.strip())
    if m is None:
        raise ValueError(f"scheduler must be an address like 'tcp://host:8786', got {scheduler!r}")
    if m["scheme"] not in _SCHEMES:
        raise ValueError(f"scheduler address scheme must be one of {', '.join(_SCHEMES)}, "
                         f"got {scheduler!r}")
    if not 1 <= int(m["port"]) <= 65535:
        raise ValueError(f"scheduler port must be in 1..65535, got {scheduler!r}")
    return scheduler.strip()


def _probe_address(scheduler: str, timeout: float) -> None:
    """A plain TCP connection first: a refused connection or an unknown host is named at once
    (Dask's client retried them until its timeout: 11 s for ``tcp://127.0.0.1:1``)."""
    import socket

    m = _ADDRESS.match(scheduler)
    if m is None or m["scheme"] == "ucx":
        return
    host, port = m["host"].strip("[]"), int(m["port"])
    try:
        socket.create_connection((host, port), timeout=min(timeout, 5)).close()
    except ConnectionRefusedError:
        raise ConnectionError(f"scheduler = {scheduler!r}: no Dask scheduler answered: the "
                              f"connection was refused (nothing listens at {host}:{port})") from None
    except socket.gaierror as err:
        raise ConnectionError(f"scheduler = {scheduler!r}: no Dask scheduler answered: the host "
                              f"{host!r} is unknown ({err.strerror})") from None
    except OSError:           # unreachable or slow: the full attempt says so within its timeout
        return


def _connect(Client, scheduler: str, timeout: float):
    """``Client(scheduler)``, or ``ConnectionError`` naming ``scheduler`` when nothing answers
    within ``timeout`` seconds or what answers is not a Dask scheduler (a web server's reply
    read as a frame header asks for exabytes; a silent listener never finishes the
    handshake): the connection is made in a daemon thread with a hard deadline."""
    import threading

    _probe_address(scheduler, timeout)
    box: dict = {}

    async def identity():
        from distributed.comm import connect

        comm = await connect(scheduler, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    def attempt():
        import asyncio

        try:            # a bare request first: no Client is left behind by a wrong answer
            reply = asyncio.run(asyncio.wait_for(identity(), timeout))
            if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
                raise ValueError("not a scheduler's identity")
            box["client"] = Client(scheduler, timeout=timeout, set_as_default=False)
        except asyncio.TimeoutError:
            box["error"] = TimeoutError("timed out")
        except BaseException as err:  # noqa: BLE001 - reported below, in the caller's thread
            box["error"] = err
        if "error" in box:
            box["error"].__traceback__ = None

    t = threading.Thread(target=attempt, name="esma-dask-connect", daemon=True)
    t.start()
    t.join(timeout + 5)
    if "client" in box:
        return box["client"]
    err = box.get("error")
    if err is None:
        why = f"no Dask scheduler answered within {timeout:g} s (something accepted the connection)"
    elif isinstance(err, OSError):   # refused, unreachable, timed out
        why = f"no Dask scheduler answered within {timeout:g} s ({err})"
    else:
        why = f"what answered is not a Dask scheduler ({type(err).__name__})"
    raise ConnectionError(f"scheduler = {scheduler!r}: {why}") from None


def _distributed():
    """The ``distributed`` package, or an ImportError that says how to install it."""
    try:
        import distributed
    except ImportError as e:
        raise ImportError("running on Dask needs dask and distributed: "
                          "pip install 'esma_sympy[dask]'") from e
    return distributed


def local_cluster(workers: int):
    """A Dask ``LocalCluster`` of ``workers`` processes with one thread each, as
    ``DaskExecutor(workers=...)`` starts it: everything on 127.0.0.1 with free ports (the
    scheduler's HTTP endpoint too), no dashboard, only critical errors logged (a worker whose scheduler went away at
    Ctrl-C logged a heartbeat error with a traceback).  Close it when done.

    >>> local_cluster(0)          # validated before anything starts
    Traceback (most recent call last):
    ...
    ValueError: workers must be a positive integer, got 0
    """
    workers = check_workers(workers)
    return _distributed().LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                        host="127.0.0.1", scheduler_port=0, dashboard_address=None,
                        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                        silence_logs=logging.CRITICAL)


@contextlib.contextmanager
def _sigint_blocked():
    """Block Ctrl-C in this thread while a local cluster starts or stops, then deliver it.

    The threads and worker processes started meanwhile inherit the blocked mask, so a Ctrl-C
    at the terminal (sent to the whole process group) reaches only this process, which closes
    the cluster; measured without: each worker process printed a ``KeyboardInterrupt``
    traceback (three to five per Ctrl-C with two workers).  A Ctrl-C that comes while the
    mask is held stays pending and is raised when it is lifted.  multiprocessing's resource
    tracker is started first: starting it later, from Dask's loop thread, would unblock the
    signal in that thread (``resource_tracker.py`` blocks and then unblocks it around its
    own start) and so in every worker spawned from there.
    """
    if (not hasattr(signal, "pthread_sigmask")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _total(plan, units):
    if units is None:
        return plan.n_units()
    try:
        return len(units)
    except TypeError:
        return None


class InProcessExecutor:
    """Runs work units one after another in this process (no Dask needed).

    ``map_units`` yields the results in the order of ``units`` (so ``ordered`` is always
    satisfied).

    Examples
    ========

    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> plan = plan_search(E, coeff_limit=1, max_period=3, depth=40, lhs_chunk=4)
    >>> seen = []
    >>> with InProcessExecutor() as ex:
    ...     results = list(ex.map_units(plan, progress=lambda done, total: seen.append(done)))
    >>> [r.unit.index for r in results], seen
    ([0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5, 6])
    """

    workers = 1

    def map_units(self, plan, units: Iterable | None = None, *, ordered: bool = False,
                  progress=None) -> Iterator:
        """Yield ``run_unit(plan, u)`` for every unit (default: all units of ``plan``)."""
        from ..search import run_unit

        total = _total(plan, units)
        if progress:
            progress(0, total)
        for done, unit in enumerate(plan.units() if units is None else units, start=1):
            result = run_unit(plan, unit)
            if progress:
                progress(done, total)
            yield result

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self) -> str:
        return "InProcessExecutor()"


class DaskExecutor:
    """Runs work units on a Dask cluster: ``workers`` local processes, or the cluster at
    ``scheduler``, or the cluster of an existing ``client``.

    Explanation
    ===========

    ``DaskExecutor(workers=N)`` starts a ``LocalCluster`` of ``N`` worker processes with one
    thread each, bound to 127.0.0.1 and without a dashboard, and shuts it down on
    :meth:`close`.  ``DaskExecutor(scheduler="tcp://host:8786")`` connects to a running cluster
    (whose workers must have the same esma_sympy installed) and leaves it running on close.
    ``DaskExecutor(client=c)`` uses a ``distributed.Client`` you manage yourself.

    :meth:`map_units` enumerates the units lazily and keeps at most ``in_flight`` of them
    submitted (default three per worker thread, counted when the iteration starts).  With
    ``ordered=False`` results come in completion order; with ``ordered=True`` in the order of
    ``units``, holding at most ``in_flight`` finished results back.  Either way each unit is
    yielded exactly once and :func:`~esma_sympy.search.merge_results` gives the same result.

    Parameters
    ==========

    workers : int, optional
        Number of local worker processes.
    scheduler : str, optional
        Address ``tcp://host:port`` of a running Dask scheduler.
    client : distributed.Client, optional
        An existing client (not closed by :meth:`close`).
    in_flight : int, optional
        Maximum number of units submitted and not yet yielded.
    retries : int
        Dask ``retries`` of a unit whose task raised an exception.
    resubmits : int
        How often a unit is resubmitted after its worker died too often (``KilledWorker``) or
        it was lost; then the error is raised.
    connect_timeout : float
        Seconds to wait for the scheduler at ``scheduler``; then ``ConnectionError`` naming it.

    Examples
    ========

    No cluster is started here; see :func:`run_search_distributed` for an in-process run.

    >>> DaskExecutor(workers=0)
    Traceback (most recent call last):
    ...
    ValueError: workers must be a positive integer, got 0
    >>> DaskExecutor(workers=2, scheduler="tcp://127.0.0.1:8786")
    Traceback (most recent call last):
    ...
    ValueError: give workers or scheduler (or client), not more than one: workers=2, scheduler='tcp://127.0.0.1:8786'
    """

    def __init__(self, workers: int | None = None, *, scheduler: str | None = None, client=None,
                 in_flight: int | None = None, retries: int = 2, resubmits: int = 3,
                 connect_timeout: float = 10.0):
        given = [x is not None for x in (workers, scheduler, client)]
        if sum(given) > 1:
            raise ValueError("give workers or scheduler (or client), not more than one: "
                             f"workers={workers!r}, scheduler={scheduler!r}")
        if workers is not None:
            workers = check_workers(workers)
        if scheduler is not None:
            scheduler = check_scheduler(scheduler)
        if not any(given):
            raise ValueError("DaskExecutor needs workers, scheduler or client "
                             "(use InProcessExecutor to run in this process)")
        if in_flight is not None:
            in_flight = check_int(in_flight, "in_flight", 1)
        retries = check_int(retries, "retries", 0)
        resubmits = check_int(resubmits, "resubmits", 0)
        Client = _distributed().Client

        self.in_flight = in_flight
        self.retries = retries
        self.resubmits = resubmits
        self.resubmitted = 0
        self._cluster = None
        self._owns_client = client is None
        if client is not None:
            self.client = client
        elif scheduler is not None:
            self.client = _connect(Client, scheduler, connect_timeout)
        else:
            self.client = None
            with _sigint_blocked():
                self._cluster = local_cluster(workers)
                try:
                    self.client = Client(self._cluster, set_as_default=False)
                    self.client.wait_for_workers(workers)
                except BaseException:
                    self._cluster.close()
                    raise

    @property
    def workers(self) -> int:
        """The number of worker threads now connected (all workers, all machines)."""
        return sum(self.client.nthreads().values())

    def map_units(self, plan, units: Iterable | None = None, *, ordered: bool = False,
                  progress=None) -> Iterator:
        """Run the units of ``plan`` (default: all, lazily) on the cluster; yield their
        :class:`~esma_sympy.search.UnitResult`.

        ``progress(done, total)`` is called with ``done = 0`` first, then whenever a unit
        finishes on any worker (``total`` is ``None`` when ``units`` has no length).
        Outstanding units are cancelled if the iteration stops early.
        """
        as_completed = _distributed().as_completed

        spec = plan_spec(plan)
        # keys are unique per call: a key still held by an earlier (say, failed) call on the
        # same cluster would hand back that call's outcome
        call = uuid.uuid4().hex[:12]
        client = self.client
        total = _total(plan, units)
        window = self.in_flight or max(2, 3 * self.workers)
        source = iter(plan.units() if units is None else units)
        meta: dict = {}          # future key -> (position, unit, attempt)
        futures: dict = {}       # future key -> future
        buffer: dict = {}        # position -> result (ordered mode)
        state = {"next_pos": 0, "next_out": 0, "done": 0, "exhausted": False}
        ac = as_completed(loop=client.loop)

        def submit(pos, unit, attempt):
            key = f"esma-unit-{spec.token}-{call}-{unit.index}-{attempt}"
            fut = client.submit(run_unit_task, spec, unit, True, key=key, retries=self.retries,
                                pure=False)
            meta[fut.key] = (pos, unit, attempt)
            futures[fut.key] = fut
            ac.add(fut)

        def top_up():
            while not state["exhausted"] and len(futures) + len(buffer) < window:
                if ordered and state["next_pos"] >= state["next_out"] + window:
                    break
                unit = next(source, None)
                if unit is None:
                    state["exhausted"] = True
                    break
                submit(state["next_pos"], unit, 0)
                state["next_pos"] += 1

        if progress:
            progress(0, total)
        try:
            top_up()
            for fut in ac:
                pos, unit, attempt = meta.pop(fut.key)
                del futures[fut.key]
                if fut.status != "finished":
                    exc = _exception(fut)
                    if _is_lost(exc) and attempt < self.resubmits:
                        self.resubmitted += 1
                        submit(pos, unit, attempt + 1)
                        continue
                    raise exc
                result = fut.result()
                fut.release()
                if isinstance(result, bytes):                 # packed by run_unit_task
                    result = pickle.loads(result)
                if result.unit != unit:
                    raise RuntimeError(f"unit {unit.index} came back as unit {result.unit.index}")
                state["done"] += 1
                if progress:
                    progress(state["done"], total)
                if not ordered:
                    top_up()
                    yield result
                    continue
                buffer[pos] = result
                while state["next_out"] in buffer:
                    out = buffer.pop(state["next_out"])
                    state["next_out"] += 1
                    top_up()
                    yield out
                top_up()
        finally:
            if futures and client.status == "running":
                with contextlib.suppress(RuntimeError):   # the loop closed meanwhile
                    client.cancel(list(futures.values()))

    def close(self) -> None:
        """Close the client (if created here) and the local cluster (if started here)."""
        with _sigint_blocked() if self._cluster is not None else contextlib.nullcontext():
            if self._owns_client and self.client is not None:
                self.client.close()
            if self._cluster is not None:
                self._cluster.close()
            self.client = None
            self._cluster = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self) -> str:
        where = "closed" if self.client is None else self.client.scheduler.address
        return f"DaskExecutor({where})"


def _exception(fut):
    if fut.status in ("cancelled", "lost"):
        from concurrent.futures import CancelledError

        return CancelledError(f"unit future {fut.key} is {fut.status} (lost by the cluster)")
    return fut.exception()


def _is_lost(exc) -> bool:
    """Whether a unit failed because of the cluster (its worker died, it was lost), not because
    its task raised."""
    from concurrent.futures import CancelledError

    from distributed import KilledWorker

    return isinstance(exc, (KilledWorker, CancelledError))


def make_executor(workers: int | None = None, scheduler: str | None = None, **kwargs):
    """The executor for ``workers``/``scheduler`` (what ``esma search --workers/--scheduler``
    use): in-process when both are ``None``, else a :class:`DaskExecutor`.

    >>> make_executor()
    InProcessExecutor()
    >>> make_executor(workers=-1)
    Traceback (most recent call last):
    ...
    ValueError: workers must be a positive integer, got -1
    """
    if workers is None and scheduler is None:
        return InProcessExecutor()
    if workers is not None:
        check_workers(workers)
    if scheduler is not None:
        check_scheduler(scheduler)
    return DaskExecutor(workers, scheduler=scheduler, **kwargs)


def run_search_distributed(plan, *, workers: int | None = None, scheduler: str | None = None,
                           progress=None, executor=None):
    r"""Run every unit of ``plan`` (in process, on local processes or on a cluster) and merge.

    Explanation
    ===========

    The in-memory counterpart of the store's driver: the units of ``plan`` are run by
    ``executor`` (default: :func:`make_executor` of ``workers`` and ``scheduler``, closed
    afterwards) and merged by :func:`~esma_sympy.search.merge_results`, so the conjectures and
    their order are the same for any number of workers (theory T7.1).

    Examples
    ========

    >>> from sympy import E
    >>> from esma_sympy.search import esma_search, plan_search
    >>> plan = plan_search(E, coeff_limit=1, max_period=2, depth=40, lhs_chunk=5)
    >>> res = run_search_distributed(plan)          # in process; workers=2 starts 2 processes
    >>> ref = esma_search(E, coeff_limit=1, max_period=2, depth=40)
    >>> [(c.lhs, c.signs) for c in res] == [(c.lhs, c.signs) for c in ref]
    True

    Parameters
    ==========

    plan : SearchPlan
        From :func:`~esma_sympy.search.plan_search`.
    workers : int, optional
        Run on a local Dask cluster of this many processes.
    scheduler : str, optional
        Run on the Dask cluster at this address (``tcp://host:port``).
    progress : callable, optional
        ``progress(done, total)``, called as units complete on any worker.
    executor : optional
        An executor to use (and not close) instead of ``workers``/``scheduler``.

    Returns
    =======

    SearchResult
    """
    from ..search import merge_results

    t0 = time.perf_counter()
    own = executor is None
    if own:
        executor = make_executor(workers, scheduler)
    elif workers is not None or scheduler is not None:
        raise ValueError("give executor or workers/scheduler, not both")
    try:
        results = list(executor.map_units(plan, progress=progress))
    finally:
        if own:
            executor.close()
    return merge_results(plan, results, time.perf_counter() - t0)
