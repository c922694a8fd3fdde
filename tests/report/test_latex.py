"""esma report --format latex / pdf: one entry per family, pdflatex without overfull boxes,
and a clear one-line error when pdflatex is missing or fails."""

import os
import re
import shutil

import pytest
from sympy import E

from esma_sympy.cli import main
from esma_sympy.report import write_report
from esma_sympy.report.latex import _RERUN, compile_pdf, render_page
from esma_sympy.report.model import ConstantPage, Family, Member, build_page, pcf_parts
from esma_sympy.search import plan_search
from esma_sympy.store import Store, run_search

needs_pdflatex = pytest.mark.skipif(shutil.which("pdflatex") is None,
                                    reason="pdflatex is not installed")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("tex") / "s.sqlite"
    with Store(path) as s:
        run_search(plan_search(E, lhs=["E", "E/(E - 1)", "1/E"], max_period=2, depth=40), s)
    return path


def _braces(tex: str) -> int:
    """Unescaped ``{`` minus unescaped ``}``, never negative on the way (else -1)."""
    depth, i = 0, 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            i += 2
            continue
        if c == "%":                                   # a comment, to the end of the line
            i = tex.find("\n", i)
            i = len(tex) if i < 0 else i
            continue
        depth += (c == "{") - (c == "}")
        if depth < 0:
            return -1
        i += 1
    return depth


def _environments(tex: str) -> list:
    """The environments left open (``[]`` when every ``\\begin`` has its ``\\end``)."""
    stack = []
    for kind, name in re.findall(r"\\(begin|end)\{([^}]*)\}", tex):
        if kind == "begin":
            stack.append(name)
        else:
            assert stack and stack.pop() == name, name
    return stack


def test_structure(store_path, tmp_path):
    """Always runs: balanced braces and environments, one ``\\subsection*`` per family, each
    plot included exists, members capped, the index a table of the constants."""
    out = tmp_path / "tex"
    with Store(store_path) as s:
        written = write_report(s, out, format="latex")
        page = build_page(s, "E", "e")
    assert [os.path.basename(p) for p in written] == ["e.tex", "index.tex"]
    for path in written:
        tex = open(path, encoding="utf-8").read()
        assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
        assert _braces(tex) == 0 and _environments(tex) == []
    e = (out / "e.tex").read_text(encoding="utf-8")
    assert e.count(r"\subsection*{") == len(page.families) >= 2
    for f in page.families:
        assert rf"\hypertarget{{family-{f.number}}}" in e
    for name in re.findall(r"\\includegraphics\[[^]]*\]\{([^}]*)\}", e):
        assert (out / name).read_bytes()[:5] == b"%PDF-"
    # every row of a member table is a conjecture, at most MAX_MEMBERS per family
    from esma_sympy.report.pages import MAX_MEMBERS
    rows = re.findall(r"^\\#(\d+) & ", e, flags=re.M)
    assert len(rows) == sum(min(len(f.members), MAX_MEMBERS) for f in page.families)
    # LHS = SCF and the PCF in linear notation (the proof's steps may have a short \cfrac)
    shown = [line for line in e.splitlines() if line.startswith(r"\esmaeq{")]
    assert shown and not [line for line in shown if r"\cfrac" in line]
    index = (out / "index.tex").read_text(encoding="utf-8")
    row = rf"\href{{e.pdf}}{{\esmacell{{e}}}} & {page.n_conjectures} & {len(page.families)} & "
    assert row in index


def _long_page() -> ConstantPage:
    """A page with everything too wide for a line: a degree-9 PCF with 60-digit
    coefficients, a long LHS, an unbreakable proof step and a 70-digit closed form."""
    from sympy import Symbol

    from esma_sympy import PCF

    n = Symbol("n")
    big = 10**60 + 7
    P = PCF(sum((big + k) * n**k for k in range(10)), -sum((big - k) * n**k for k in range(9)), n)
    lhs = r"\frac{" + " + ".join(rf"{k} e^{{{k}}}" for k in range(1, 12)) + "}{e - 1}"
    m = Member(1, "E", lhs, "+−−+", 300, 2.5, 1.0, "proven")
    wide = r"\begin{pmatrix} %s \end{pmatrix}" % " & ".join(["1234567890" * 3] * 9)
    f = Family(1, [m] * 30, list(range(1, 80)), scf_tex="",
               scf_quotients=tuple(10**45 + k for k in range(11)), scf_signs=(1, -1, -1, 1) * 3,
               pcf_text=str(P), mobius=[[2 * big, -1], [1, big]], pcf_parts=pcf_parts(P),
               closed_tex="1" * 70, status="proven", reason="",
               steps=[("Claim", "x"), ("Walk certificate (T6.4)", wide)])
    return ConstantPage("E", "e", "e", "e", 30, 79, [f], 30)


@needs_pdflatex
def test_long_formulas_compile_without_overfull_boxes(tmp_path):
    tex = tmp_path / "long.tex"
    tex.write_text(render_page(_long_page(), {}), encoding="utf-8")
    pdf = compile_pdf(tex)
    log = (tmp_path / "long.log").read_text(encoding="utf-8", errors="replace")
    assert open(pdf, "rb").read(5) == b"%PDF-"
    assert "Overfull" not in log, re.findall(r"Overfull.*", log)
    assert "esma: display scaled" in log and "esma: cell scaled" in log    # the last resort


@pytest.mark.slow
@needs_pdflatex
def test_pdf_of_a_real_store_has_no_overfull_boxes(store_path, tmp_path, capsys):
    out = tmp_path / "pdf"
    assert main(["report", "--db", str(store_path), "--out", str(out), "--format", "pdf"]) == 0
    printed = capsys.readouterr().out.split()
    assert [os.path.basename(p) for p in printed] == ["e.pdf", "index.pdf"]
    for p in printed:
        assert open(p, "rb").read(5) == b"%PDF-"
        log = open(p[:-4] + ".log", encoding="utf-8", errors="replace").read()
        assert "Overfull" not in log, re.findall(r"Overfull.*", log)
        assert "scaled to" not in log and not _RERUN.search(log)    # the widths settled
        assert os.path.exists(p[:-4] + ".tex")           # the source stays beside the PDF


def test_pdf_without_pdflatex_is_one_line_and_exit_2(store_path, tmp_path, capsys,
                                                      monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert shutil.which("pdflatex") is None
    out = tmp_path / "out"
    assert main(["report", "--db", str(store_path), "--out", str(out), "--format", "pdf"]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert len(err.splitlines()) == 1 and "pdflatex" in err and "Traceback" not in err, err
    assert err.startswith("esma: error: --format pdf needs pdflatex") and captured.out == ""
    assert not out.exists()                               # nothing was written


@needs_pdflatex
def test_a_failed_compile_names_the_error_and_the_log(tmp_path):
    tex = tmp_path / "bad.tex"
    tex.write_text("\\documentclass{article}\\begin{document}\\nosuchmacro\\end{document}\n")
    with pytest.raises(ValueError) as err:
        compile_pdf(tex)
    msg = str(err.value)
    assert len(msg.splitlines()) == 1 and "Undefined control sequence" in msg
    assert msg.startswith(f"pdflatex failed on {tex}") and msg.endswith("bad.log")


@needs_pdflatex
def test_a_fold_other_than_its_canonical_form_is_shown_with_it(tmp_path):
    """The Möbius map is the fold's: the page prints the fold as the PCF, and when the
    canonical PCF differs (its value a constant multiple) that too, under its own name."""
    page = _long_page()
    f = page.families[0]
    f.canonical_parts = ("2 n + 3", "n^{2}")
    tex = render_page(page, {})
    assert r"\esmaeq{z = a(0) + " in tex and r"\esmafit{x = " in tex
    assert r"z'$ is a constant multiple of $z$" in tex and r"{a'(n) = 2 n + 3}" in tex
    (tmp_path / "c.tex").write_text(tex, encoding="utf-8")
    compile_pdf(tmp_path / "c.tex")
    assert "Overfull" not in (tmp_path / "c.log").read_text(errors="replace")
