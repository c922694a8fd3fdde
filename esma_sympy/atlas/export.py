"""The atlas as data: one JSON object per family (JSON lines).

Each line: the constant (as stored and in plain text), the family's number on its page,
``classical`` (it holds the simple continued fraction of one of its LHS) or new, its members
and how many of them are proven, its simplest and its fastest member (LHS in text and LaTeX,
signs, SCF in LaTeX, digits per term and the simple continued fraction's), the PCF of the
simplest member (text and LaTeX, with the Möbius map to the LHS), the closed form and the
proof status.  The records come from the page model (:func:`~esma_sympy.report.model.build_page`)
with the stored proof statuses, so they are what the pages show.
"""

from __future__ import annotations

import json
import os

__all__ = ["family_records", "write_families"]


def _member(m, scf_tex) -> dict:
    return {"id": m.id, "lhs": m.lhs_text, "lhs_latex": m.lhs_tex,
            "signs": m.signs.replace("−", "-"), "scf_latex": scf_tex, "digits": m.digits,
            "rate": m.rate, "simple_rate": m.simple_rate, "proof_status": m.status}


def family_records(store, constants=None):
    """The family records of ``constants`` (default: every stored constant), page by page.

    >>> import os, tempfile
    >>> from esma_sympy.atlas import CatalogueEntry, run_atlas
    >>> from esma_sympy.store import Store
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Store(os.path.join(tmp, "s.sqlite")) as store:
    ...         _ = run_atlas([CatalogueEntry("exp(1/2)", max_period=1)], store)
    ...         recs = list(family_records(store))
    >>> sorted(recs[0])[:6]
    ['best', 'canonical_pcf_latex', 'classical', 'closed_form', 'closed_form_latex', 'constant']
    >>> {r["proof_status"] for r in recs}, all(r["proven_members"] == r["members"] for r in recs)
    ({'proven'}, True)
    """
    from ..report.model import build_page
    from ..report.pages import _slug

    for const in (store.constants() if constants is None else constants):
        page = build_page(store, const, _slug(const), prove=False)
        for f in page.families:
            yield {
                "constant": const, "name": page.title_text, "family": f.number,
                "classical": f.classical, "members": len(f.members),
                "proven_members": sum(m.status == "proven" for m in f.members),
                "tail_families": f.tail_families,
                "simplest": _member(f.simplest, f.scf_tex),
                "best": _member(f.best, f.best_scf_tex or f.scf_tex),
                "pcf": f.pcf_text, "pcf_latex": f.pcf_tex,
                "pcf_mobius": f.mobius, "canonical_pcf_latex": f.canonical_tex,
                "closed_form": f.closed_text, "closed_form_latex": f.closed_tex,
                "proof_status": f.status,
            }


def write_families(store, path, constants=None) -> int:
    """Write :func:`family_records` to ``path`` as JSON lines (a new file beside it, renamed
    into place); returns the number of families written."""
    path = os.fspath(path)
    tmp = path + ".part"
    n = 0
    with open(tmp, "w", encoding="utf-8") as f:
        for rec in family_records(store, constants):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    os.replace(tmp, path)
    return n
