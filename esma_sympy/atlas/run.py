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


def settle_run(store, run_id: int, *, timings: dict | None = None) -> dict:
    """Prove every conjecture of run ``run_id`` (module docstring); record the statuses and
    closed forms in the store.  Returns ``{"proven": n, "transferred": m, "reasons":
    {reason: count}}``.

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
    from ..store.rows import row_conjecture
    from ..theory import find_tail_transfer, prove

    tm = timings if timings is not None else {}
    tm.setdefault("prove", 0.0)
    rows = store.rows(run_id=run_id)
    groups: dict = {}
    for r in rows:
        groups.setdefault(r["family"], []).append(r)
    updates, proven, transferred, reasons = [], 0, 0, {}

    def own(conj, row):
        nonlocal proven
        try:
            p = prove(conj)
        except (ValueError, TypeError, ArithmeticError) as err:
            reasons[f"the proof failed: {type(err).__name__}"] = \
                reasons.get(f"the proof failed: {type(err).__name__}", 0) + 1
            return None
        status = str(p.status)
        if status == "proven":
            proven += 1
            updates.append((row["id"], p.closed_form, status))
        else:
            why = p.reason or status
            reasons[why] = reasons.get(why, 0) + 1
            updates.append((row["id"], None, status))
        return p

    t0 = time.perf_counter()
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
                proven += 1
                transferred += 1
                updates.append((row["id"], c.lhs_expr, "proven"))
            else:
                own(c, row)
    store.set_proofs(updates)
    tm["prove"] += time.perf_counter() - t0
    return {"proven": proven, "transferred": transferred, "reasons": reasons}


def run_atlas(entries, store, *, executor=None, progress=None, on_constant=None,
              settle: bool = True) -> list:
    """Run the atlas of ``entries`` (:class:`~esma_sympy.atlas.CatalogueEntry`) into
    ``store``; returns an :class:`AtlasConstant` per entry.

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
    out = []
    for i, e in enumerate(entries):
        t0 = time.process_time()
        plan = plan_search(e.expr, **e.search_params())

        def unit_progress(done, total, i=i, e=e):
            if progress is not None:
                progress(i, len(entries), e, done, total)

        run_id = run_search(plan, store, progress=unit_progress, executor=executor)
        res = AtlasConstant(e.expr, e.name or e.expr, e.kind, run_id)
        res.seconds["search"] = time.process_time() - t0
        rows = store.rows(run_id=run_id)
        res.conjectures = len(rows)
        res.tail_families = len({r["family"] for r in rows})
        if settle and rows:
            t0 = time.process_time()
            s = settle_run(store, run_id)
            res.seconds["prove"] = time.process_time() - t0
            res.proven, res.transferred, res.reasons = s["proven"], s["transferred"], s["reasons"]
        out.append(res)
        if on_constant is not None:
            on_constant(i, len(entries), res)
    return out
