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


def _search_job(plan) -> tuple:
    """The work of one constant's search on a worker: every unit's rows (in unit order) and
    the CPU seconds."""
    from ..store.rows import describe_unit

    t0 = time.process_time()
    out = [describe_unit(plan, u) for u in plan.units()]
    return out, time.process_time() - t0


def _settle_job(packed: bytes) -> tuple:
    """:func:`settle_rows` of pickled rows (bytes: Dask does not walk them as it would a list
    of dictionaries, which cost the driver a second per 20 constants)."""
    import pickle

    t0 = time.process_time()
    updates, stats = settle_rows(pickle.loads(packed))
    return updates, stats, time.process_time() - t0


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
    ahead = 2 * max(1, getattr(executor, "workers", 2) if submit else 1)
    searches: dict = {}
    settles: dict = {}
    out: list = []

    def need_search(i) -> bool:
        old = store.find_run(plans[i].key)
        return old is None or old["status"] != "done"

    def launch(upto):
        if submit is None:
            return
        for k in range(len(searches), min(upto, n)):
            searches[k] = submit(_search_job, plans[k]) if need_search(k) else None

    results = [AtlasConstant(e.expr, e.name or e.expr, e.kind, 0) for e in entries]
    pending_settle: list = []

    def finish(i):
        res = results[i]
        if i in settles:
            updates, stats, cpu = settles.pop(i).result()
            store.set_proofs(updates)
            res.proven, res.transferred, res.reasons = (stats["proven"], stats["transferred"],
                                                        stats["reasons"])
            res.seconds["prove"] = cpu
        out.append(res)
        if on_constant is not None:
            on_constant(i, n, res)

    for i, (e, plan) in enumerate(zip(entries, plans)):
        launch(i + ahead)

        def unit_progress(done, total, i=i, e=e):
            if progress is not None:
                progress(i, n, e, done, total)

        t0 = time.process_time()
        job = searches.get(i)
        if job is not None:
            rows, cpu = job.result()
            run_id = run_search(plan, store, progress=unit_progress, executor=_Given(rows))
            results[i].seconds["search"] = cpu
        else:
            run_id = run_search(plan, store, progress=unit_progress)
            results[i].seconds["search"] = time.process_time() - t0
        res = results[i]
        res.run_id = run_id
        rows = store.rows(run_id=run_id)
        res.conjectures = len(rows)
        res.tail_families = len({r["family"] for r in rows})
        if settle and rows:
            if submit is not None:
                import pickle

                settles[i] = submit(_settle_job, pickle.dumps([dict(r) for r in rows]))
                pending_settle.append(i)
            else:
                t0 = time.process_time()
                s_ = settle_run(store, run_id)
                res.seconds["prove"] = time.process_time() - t0
                res.proven, res.transferred, res.reasons = (s_["proven"], s_["transferred"],
                                                            s_["reasons"])
        if submit is None or not (settle and rows):
            # in order: earlier constants whose proofs are still out come first
            while pending_settle:
                finish(pending_settle.pop(0))
            finish(i)
        # collect proofs that are ready, in order
        while pending_settle and settles[pending_settle[0]].done():
            finish(pending_settle.pop(0))
    while pending_settle:
        finish(pending_settle.pop(0))
    out.sort(key=lambda r: entries.index(next(e for e in entries if e.expr == r.expr)))
    return out
