"""Notebook representations of search results and conjectures (issue 15, item 4).

``_repr_html_`` is a compact table of families (capped), ``_repr_latex_`` a math-mode array;
both escape their texts, show the proof statuses and compute nothing heavy (no folding, no
proving: a representation reads what the objects store).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from sympy import E, Symbol
from sympy.abc import n

from esma_sympy import PCF, esma_search, prove_all
from esma_sympy._notebook import MAX_ROWS, balanced
from esma_sympy.search.conjecture import SearchResult, SearchStats

FAMILY_ROW = '<tr class="esma-family">'


@pytest.fixture(scope="module")
def big():
    return esma_search(E, max_period=3)           # 1317 conjectures in 35 families, ~0.3 s


@pytest.fixture(scope="module")
def small():
    return esma_search(E, coeff_limit=1, max_period=2)            # 72 conjectures, 5 families


def _latex_looks_valid(t: str) -> None:
    assert t.startswith("$") and t.endswith("$"), t[:40]
    assert balanced(t), t
    assert t.count(r"\begin{array}") == t.count(r"\end{array}")
    assert t.count(r"\left") == t.count(r"\right")


def test_big_result_is_capped(big):
    assert len(big) > 1000 and len(big.families) > MAX_ROWS
    h = big._repr_html_()
    assert h.count(FAMILY_ROW) == MAX_ROWS
    rest = len(big.families) - MAX_ROWS
    assert f"… and {rest} more families" in h
    assert f"{len(big)} conjectures in {len(big.families)} families" in h
    assert len(h) < 20_000                       # small, for 1317 conjectures
    t = big._repr_latex_()
    _latex_looks_valid(t)
    assert len(re.findall(r"^\d+ & ", t, flags=re.M)) == MAX_ROWS
    assert f"and {rest} more families" in t and len(t) < 5_000


def test_small_result_lists_every_family(small):
    h = small._repr_html_()
    assert h.count(FAMILY_ROW) == len(small.families) == 5 and "more families" not in h
    assert h.count(r"\(") == h.count(r"\)")
    # one row per family, by its simplest member: its LHS, signs and member count are there
    for members in small.families:
        rep = min(members, key=lambda c: (c.complexity, len(c.signs)))
        assert rep.lhs_latex.replace("<", "&lt;") in h
    assert f"<td>{len(small.families[0])}</td>" in h
    _latex_looks_valid(small._repr_latex_())
    # repr stays the one-line summary of the doctests
    assert repr(small).startswith("SearchResult(E: 72 conjectures from 96") and "\n" not in repr(small)


def test_reprs_do_not_fold_or_prove(small):
    c = small[0]
    c._repr_html_(), c._repr_latex_(), small._repr_html_(), small._repr_latex_()
    assert "pcf" not in c.__dict__                   # the fold (a cached property) was not built
    assert all(x.proof_status == "conjectured" and x.closed_form is None for x in small)


def test_status_is_shown_after_proving():
    res = esma_search(E, coeff_limit=1, max_period=2, depth=40)
    h0 = res._repr_html_()
    assert "0 proven" in h0 and "conjectured" in h0
    prove_all(res)
    h = res._repr_html_()
    n_proven = sum(c.proof_status == "proven" for c in res)
    assert n_proven > 0 and f"{n_proven} proven" in h and "<td>proven</td>" in h
    c = next(c for c in res if c.proof_status == "proven")
    ch = c._repr_html_()
    assert ">proven</span>" in ch and "closed form" in ch
    assert rf"{len(res)} conjectures in {len(res.families)} famil" in res._repr_latex_()


def test_html_is_escaped():
    # a constant whose name holds HTML: the table must not let it through
    res = SearchResult(Symbol("a<b&c"), {"depth": 10}, [], SearchStats())
    h = res._repr_html_()
    assert "a&lt;b&amp;c" in h and "a<b" not in h and "&c" not in h.replace("&amp;c", "")
    assert h.count(FAMILY_ROW) == 0 and "0 conjectures in 0 families" in h
    _latex_looks_valid(res._repr_latex_())


def test_conjecture_reprs(small):
    c = small.find(E / (E - 1), signs=(1, -1))[0]
    t = c._repr_latex_()
    _latex_looks_valid(t)
    assert t.startswith(r"$\displaystyle \frac{e}{e - 1} = ") and r"\cfrac" in t
    h = c._repr_html_()
    assert h.count(r"\[") == h.count(r"\]") == 1 and ">conjectured</span>" in h
    assert f"{c.digits} (recurrence found on" in h and "digits per term" in h
    assert "simple continued fraction" in h and f"family</th><td style=\"text-align:left\">{c.family}" in h
    assert re.search(r"\d\.\d{3}; simple continued fraction: \d\.\d{3} \(\d+\.\d×\)", h)


def test_sympy_objects_keep_their_latex_repr():
    c = Symbol("c")
    p = PCF(n + c, c * n, n)
    t = p._repr_latex_()
    assert t.startswith(r"$\displaystyle ") and r"\mathop{\mathrm{K}}" in t and balanced(t)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_latex_reprs_compile(small, tmp_path):
    """The LaTeX representations are real LaTeX too (nbconvert's PDF export): they compile with
    pdflatex and amsmath."""
    c = small.find(E / (E - 1), signs=(1, -1))[0]
    body = "\n\n".join([small._repr_latex_(), c._repr_latex_()])
    doc = ("\\documentclass{article}\\usepackage{amsmath,amssymb}\\usepackage[margin=1cm,"
           "landscape]{geometry}\\begin{document}\n" + body + "\n\\end{document}\n")
    (tmp_path / "r.tex").write_text(doc)
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "r.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]
