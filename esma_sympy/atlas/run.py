r"""Running the atlas: the search over every constant of a catalogue, each conjecture settled.

For each constant, :func:`run_atlas` runs (or resumes) its search into the store
(:func:`~esma_sympy.store.run_search`; a killed atlas resumes where it stopped, and a finished
constant is read back, not searched again), then :func:`settle_run` settles every conjecture
of the run:

* the simplest member of each tail family is proven by :func:`~esma_sympy.theory.prove`
  (closed form and a checked certificate, theory T6);
* every other member gets the proof carried along the shared tail
  (:class:`~esma_sympy.theory.TailTransfer`, exact), or, when no transfer applies, a proof of
  its own;
* what is not proven keeps the status ``prove`` gave and its reason (the closed form is left
  empty).

Statuses and closed forms are written to the store in one transaction per constant, so
``esma export`` shows them (``proof_status``) and ``esma report`` publishes the pages.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

__all__ = ["AtlasConstant", "settle_run", "run_atlas"]


@dataclass
class AtlasConstant:
    """What the atlas did for one catalogue constant."""

    expr: str
    name: str
    kind: str
    run_id: int
    conjectures: int = 0
    tail_families: int = 0
    proven: int = 0
    transferred: int = 0
    reasons: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)

    @property
    def settled(self) -> bool:
        """Every conjecture is proven or carries the reason it is not."""
        return self.proven + sum(self.reasons.values()) == self.conjectures


def _simplicity(row) -> tuple:
    import json

    return (len(json.loads(row["charpoly"])), len(json.loads(row["signs"])), row["id"])


def settle_rows(rows) -> tuple:
    """The proofs of stored conjecture rows (one run): ``(updates, stats)`` with ``updates`` a
    list of ``(id, closed_form, status)`` for :meth:`~esma_sympy.store.Store.set_proofs` and
    ``stats = {"proven": n, "transferred": m, "reasons": {reason: count}}``.  A function of
    picklable data, so a worker can run it; only the driver writes."""
    from ..store.rows import row_conjecture
    from ..theory import find_tail_transfer, prove

    groups: dict = {}
    for r in rows:
        groups.setdefault(r["family"], []).append(r)
    updates, reasons = [], {}
    stats = {"proven": 0, "transferred": 0, "reasons": reasons}

    def own(conj, row):
        try:
            p = prove(conj)
        except (ValueError, TypeError, ArithmeticError) as err:
            why = f"the proof failed: {type(err).__name__}"
            reasons[why] = reasons.get(why, 0) + 1
            return None
        status = str(p.status)
        if status == "proven":
            stats["proven"] += 1
            updates.append((row["id"], str(p.closed_form), status))
        else:
            why = p.reason or status
            reasons[why] = reasons.get(why, 0) + 1
            updates.append((row["id"], None, status))
        return p

    for members in groups.values():
        members = sorted(members, key=_simplicity)
        rep_row = members[0]
        rep = row_conjecture(rep_row)
        p = own(rep, rep_row)
        ok = p is not None and str(p.status) == "proven"
        for row in members[1:]:
            c = row_conjecture(row)
            t = find_tail_transfer(p, rep, c) if ok else None
            if t is not None:
                stats["proven"] += 1
                stats["transferred"] += 1
                updates.append((row["id"], row["lhs"], "proven"))   # the stored LHS text
            else:
                own(c, row)
    return updates, stats


def settle_run(store, run_id: int, *, timings: dict | None = None) -> dict:
    """Prove every conjecture of run ``run_id`` (module docstring, :func:`settle_rows`) and
    record the statuses and closed forms in the store.  Returns ``{"proven": n,
    "transferred": m, "reasons": {reason: count}}``.

    >>> import os, tempfile
    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> from esma_sympy.store import Store, run_search
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Store(os.path.join(tmp, "s.sqlite")) as store:
    ...         rid = run_search(plan_search(E, max_period=2), store)
    ...         out = settle_run(store, rid)
    ...         statuses = {r["proof_status"] for r in store.rows(run_id=rid)}
    >>> out["proven"], out["transferred"], out["reasons"], statuses
    (494, 478, {}, {'proven'})
    """
    tm = timings if timings is not None else {}
    tm.setdefault("prove", 0.0)
    t0 = time.perf_counter()
    updates, stats = settle_rows(store.rows(run_id=run_id))
    store.set_proofs(updates)
    tm["prove"] += time.perf_counter() - t0
    return stats


def _constant_job(plan, settle: bool) -> tuple:
    """All the work of one constant on a worker: every unit's rows (in unit order), the family
    of each conjecture in search order (``merge_results`` of the same unit results, as
    ``run_search`` would compute them from the stored rows), and, with ``settle``, the proofs
    (:func:`settle_rows` of the same conjectures, indexed by their position in search order);
    the CPU seconds of each part."""
    from ..search import merge_results, run_unit
    from ..store.rows import conjecture_row, unit_rows

    t0 = time.process_time()
    results = [run_unit(plan, u) for u in plan.units()]
    rows = [unit_rows(plan, r, False) for r in results]
    merged = merge_results(plan, results)
    merged.families                       # assigns c.family
    families = [c.family for c in merged.conjectures]
    t1 = time.process_time()
    updates, stats = [], None
    if settle and merged.conjectures:
        flat = []
        for i, c in enumerate(merged.conjectures):
            row = conjecture_row(c)
            row.update(id=i, family=c.family, run_id=0)
            flat.append(row)
        updates, stats = settle_rows(flat)
    return rows, families, updates, stats, t1 - t0, time.process_time() - t1


def _search_part(plan) -> tuple:
    """The search half of :func:`_constant_job`: unit rows, families, the conjectures as rows
    for :func:`settle_rows` (in search order, ``id`` their position) and the CPU seconds."""
    from ..search import merge_results, run_unit
    from ..store.rows import conjecture_row, unit_rows

    t0 = time.process_time()
    results = [run_unit(plan, u) for u in plan.units()]
    rows = [unit_rows(plan, r, False) for r in results]
    merged = merge_results(plan, results)
    merged.families
    flat = []
    for i, c in enumerate(merged.conjectures):
        row = conjecture_row(c)
        row.update(id=i, family=c.family, run_id=0)
        flat.append(row)
    return rows, [c.family for c in merged.conjectures], flat, time.process_time() - t0


def _pick(x, k: int):
    return x[k]


def _settle_part(flat, k: int, parts: int) -> tuple:
    """:func:`settle_rows` of the families ``f`` with ``f % parts == k`` (a family's proofs
    depend on that family only)."""
    t0 = time.process_time()
    mine = [r for r in flat if r["family"] % parts == k]
    if not mine:
        return [], None, time.process_time() - t0
    updates, stats = settle_rows(mine)
    return updates, stats, time.process_time() - t0


class _SplitJob:
    """:func:`_constant_job` on a Dask cluster in pieces: the search on one worker, then the
    proofs of its families in ``parts`` tasks that read the search's result where it lies
    (worker to worker), so the proofs of one constant can run on several workers at once.
    ``result()`` gives what :func:`_constant_job` returns."""

    def __init__(self, client, plan, settle: bool, parts: int):
        self.client, self.settle = client, settle
        a = client.submit(_search_part, plan, pure=False)
        self.head = [client.submit(_pick, a, k, pure=False) for k in (0, 1, 3)]
        flat = client.submit(_pick, a, 2, pure=False)
        self.parts = ([client.submit(_settle_part, flat, k, parts, pure=False)
                       for k in range(parts)] if settle else [])

    def result(self):
        rows, families, cpu_search = self.client.gather(self.head)
        updates, stats, cpu = [], None, 0.0
        for u, st, c in self.client.gather(self.parts):
            updates += u
            cpu += c
            if st is not None:
                if stats is None:
                    stats = {"proven": 0, "transferred": 0, "reasons": {}}
                stats["proven"] += st["proven"]
                stats["transferred"] += st["transferred"]
                for why, n in st["reasons"].items():
                    stats["reasons"][why] = stats["reasons"].get(why, 0) + n
        if self.settle and families and stats is None:
            stats = {"proven": 0, "transferred": 0, "reasons": {}}
        return rows, families, updates, stats, cpu_search, cpu


class _Given:
    """An executor for :func:`~esma_sympy.store.run_search` that hands back unit rows computed
    beforehand (by :func:`_search_job` on a worker), in the order asked."""

    def __init__(self, results):
        self.by_index = {r.index: r for r in results}

    def map(self, func, units):
        return [self.by_index[u.index] for u in units]


def _submitter(executor):
    """``submit(func, *args) -> future`` of ``executor``: a Dask executor's client, or anything
    with ``submit`` (``concurrent.futures``); ``None`` to run in this process."""
    if executor is None:
        return None
    client = getattr(executor, "client", None)
    if client is not None:
        return lambda f, *a: client.submit(f, *a, pure=False)
    if hasattr(executor, "submit"):
        return executor.submit
    return None


def run_atlas(entries, store, *, executor=None, progress=None, on_constant=None,
              settle: bool = True) -> list:
    """Run the atlas of ``entries`` (:class:`~esma_sympy.atlas.CatalogueEntry`) into
    ``store``; returns an :class:`AtlasConstant` per entry, in catalogue order.

    With an ``executor`` (a Dask executor of :mod:`esma_sympy.distributed`, or a
    ``concurrent.futures`` pool), the searches and the proofs of several constants run on the
    workers at once (a few constants ahead of the one being stored); this process alone
    writes the store, constant by constant in catalogue order, so the store is the same
    whatever the number of workers.  A constant whose run is stored finished is read back,
    not searched again.

    ``progress(i, n, entry, done, total)`` is called after every committed unit of the
    ``i``-th of ``n`` constants; ``on_constant(i, n, result)`` after each constant.

    >>> import os, tempfile
    >>> from esma_sympy.atlas import CatalogueEntry
    >>> from esma_sympy.store import Store
    >>> es = [CatalogueEntry("exp(1/2)", max_period=1), CatalogueEntry("pi", kind="control",
    ...                                                                max_period=1)]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Store(os.path.join(tmp, "s.sqlite")) as store:
    ...         res = run_atlas(es, store)
    >>> [(r.expr, r.conjectures > 0, r.settled) for r in res]
    [('exp(1/2)', True, True), ('pi', False, True)]
    """
    from ..search import plan_search
    from ..store import run_search

    entries = list(entries)
    n = len(entries)
    plans = [plan_search(e.expr, **e.search_params()) for e in entries]   # all checked first
    submit = _submitter(executor)
    client = getattr(executor, "client", None)
    # constants submitted ahead of the one being stored: enough that no worker idles behind a
    # slow constant, few enough that the results waiting here stay small (a few MB each)
    ahead = 6 * max(1, getattr(executor, "workers", 2) if submit else 1)
    jobs: dict = {}
    out: list = []

    def state(i):
        old = store.find_run(plans[i].key)
        return None if old is None else old["status"]

    def launch(upto):
        if submit is None:
            return
        for k in range(len(jobs), min(upto, n)):
            if state(k) == "done":
                jobs[k] = None
            elif client is not None:       # Dask: the proofs of one constant on several workers
                jobs[k] = _SplitJob(client, plans[k], settle, 2)
            else:
                jobs[k] = submit(_constant_job, plans[k], settle)

    for i, (e, plan) in enumerate(zip(entries, plans)):
        launch(i + ahead)

        def unit_progress(done, total, i=i, e=e):
            if progress is not None:
                progress(i, n, e, done, total)

        res = AtlasConstant(e.expr, e.name or e.expr, e.kind, 0)
        t0 = time.process_time()
        job = jobs.get(i)
        was_done = state(i) == "done"
        if job is not None:
            rows, families, updates, stats, cpu_search, cpu_settle = job.result()
            run_id = run_search(plan, store, progress=unit_progress, executor=_Given(rows),
                                families=families)
            res.seconds["search"] = cpu_search
        else:
            run_id = run_search(plan, store, progress=unit_progress)
            res.seconds["search"] = time.process_time() - t0
            updates = stats = None
        res.run_id = run_id
        if job is not None:                          # counted from the job, not read back
            rows = None
            res.conjectures, res.tail_families = len(families), len(set(families))
        else:
            rows = store.rows(run_id=run_id)
            res.conjectures = len(rows)
            res.tail_families = len({r["family"] for r in rows})
        if settle and res.conjectures:
            if stats is not None:                    # settled on a worker: ids by position
                ids = store.run_ids(run_id)
                store.set_proofs([(ids[k], cf, st) for k, cf, st in updates])
                res.seconds["prove"] = cpu_settle
            elif was_done and all(r["proof_status"] != "conjectured" for r in rows):
                # read back: a finished constant settled before is not proven again
                stats = {"proven": sum(r["proof_status"] == "proven" for r in rows),
                         "transferred": 0, "reasons": {}}
                for r in rows:
                    if r["proof_status"] != "proven":
                        stats["reasons"][r["proof_status"]] = \
                            stats["reasons"].get(r["proof_status"], 0) + 1
            else:
                t0 = time.process_time()
                stats = settle_run(store, run_id)
                res.seconds["prove"] = time.process_time() - t0
            res.proven, res.transferred, res.reasons = (stats["proven"], stats["transferred"],
                                                        stats["reasons"])
        out.append(res)
        if on_constant is not None:
            on_constant(i, n, res)
    return out
