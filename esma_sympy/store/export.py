"""Export records of stored conjectures (the fields of ``Conjecture.to_dict()`` and more).

A record has every field of :meth:`~esma_sympy.search.Conjecture.to_dict` (``constant``,
``lhs``, ``signs``, ``terms`` (the first 30 quotients), ``prefix``, ``period``, ``quotients``,
``complexity``, ``found_on``, ``predicted``, ``digits``, ``rate``, ``simple_rate``, ``pcf``,
``pcf_mobius``, ``closed_form``, ``proof_status``, ``family``) plus the store's ``id``,
``key``, ``run_id``, ``lhs_num``, ``lhs_den`` and ``charpoly``.  ``pcf`` is ``None`` until the
conjecture has been folded (``fold=True`` folds it and caches the PCF in the store).
"""

from __future__ import annotations

import csv
import json

from .rows import fold_text, row_conjecture

__all__ = ["export_record", "export", "FIELDS"]

FIELDS = ["id", "constant", "lhs", "signs", "terms", "prefix", "period", "quotients",
          "complexity", "found_on", "predicted", "digits", "rate", "simple_rate", "pcf",
          "pcf_mobius", "closed_form", "proof_status", "family", "key", "run_id", "lhs_num",
          "lhs_den", "charpoly"]


def ensure_pcf(store, row: dict) -> dict:
    """Fold the conjecture of ``row`` when its PCF is not stored yet; cache it in the store."""
    if row.get("pcf") is None or row.get("pcf_latex") is None:
        pcf, mob, tex = fold_text(row_conjecture(row))
        if pcf is not None:
            store.set_pcf(row["id"], pcf, mob, tex)
            row = dict(row, pcf=pcf, pcf_mobius=mob, pcf_latex=tex)
    return row


def export_record(store, row: dict, *, fold: bool = False) -> dict:
    """The export record of a stored row (see the module docstring for the fields).

    >>> import os, tempfile
    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> from esma_sympy.store import Store, run_search
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Store(os.path.join(tmp, "s.sqlite")) as store:
    ...         run = run_search(plan_search(E, lhs=["E"], max_period=2, depth=40), store)
    ...         rec = export_record(store, store.rows(run_id=run)[0])
    >>> rec["lhs"], rec["signs"], rec["prefix"], rec["quotients"]
    ('E', [1], [2], ['1', '2*k + 2', '1'])
    """
    if fold:
        row = ensure_pcf(store, row)
    charpoly = json.loads(row["charpoly"])
    mob = row["pcf_mobius"]
    return {
        "id": row["id"],
        "constant": row["constant"],
        "lhs": row["lhs"],
        "signs": json.loads(row["signs"]),
        "terms": json.loads(row["first_terms"])[:30],
        "prefix": json.loads(row["prefix"]),
        "period": len(json.loads(row["polys"])),
        "quotients": json.loads(row["quotients"]),
        "complexity": len(charpoly) - 1,
        "found_on": row["found_on"],
        "predicted": row["predicted"],
        "digits": row["digits"],
        "rate": row["rate"],
        "simple_rate": row["simple_rate"],
        "pcf": row["pcf"],
        "pcf_mobius": None if mob is None else json.loads(mob),
        "closed_form": row["closed_form"],
        "proof_status": row["proof_status"],
        "family": row["family"],
        "key": row["key"],
        "run_id": row["run_id"],
        "lhs_num": json.loads(row["lhs_num"]),
        "lhs_den": json.loads(row["lhs_den"]),
        "charpoly": charpoly,
    }


def export(store, stream, *, format: str = "json", constant: str | None = None,
           fold: bool = False) -> int:
    """Write every stored conjecture (of ``constant``) to ``stream``; returns the count.

    ``format='json'``: one JSON array of records; ``format='csv'``: a header row of
    :data:`FIELDS`, list fields as JSON text.

    >>> import io, os, tempfile
    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> from esma_sympy.store import Store, run_search
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Store(os.path.join(tmp, "s.sqlite")) as store:
    ...         _ = run_search(plan_search(E, lhs=["E"], max_period=2, depth=40), store)
    ...         buf = io.StringIO()
    ...         export(store, buf, format="csv")
    ...         print(buf.getvalue().splitlines()[1][:40])
    3
    1,E,E,[1],"[2, 1, 2, 1, 1, 4, 1, 1, 6, 1
    """
    if format not in ("json", "csv"):
        raise ValueError(f"format must be 'json' or 'csv', got {format!r}")
    records = [export_record(store, r, fold=fold) for r in store.rows(constant=constant)]
    if format == "json":
        json.dump(records, stream, indent=1)
        stream.write("\n")
    else:
        w = csv.DictWriter(stream, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        for rec in records:
            w.writerow({k: json.dumps(v) if isinstance(v, (list, dict)) else
                        ("" if v is None else v) for k, v in rec.items()})
    return len(records)
