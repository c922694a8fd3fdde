"""esma report: pages per constant in three formats, PNG plots of proven digits, PCF cache,
and the digits computation against an independent mpmath oracle."""

import os
import re
from html.parser import HTMLParser

import mpmath
import pytest
from sympy import E, tan

from esma_sympy.cli import main
from esma_sympy.report import convergents, correct_digits, digits_curves, write_report
from esma_sympy.search import esma_search, plan_search
from esma_sympy.store import Store, run_search

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("rep") / "s.sqlite"
    with Store(path) as s:
        run_search(plan_search(E, lhs=["E", "E/(E - 1)", "1/E"], max_period=2, depth=40), s)
        run_search(plan_search(tan(1), lhs=["tan(1)"], max_period=1, depth=40), s)
    return path


def test_convergents_and_digits_against_mpmath():
    c = esma_search(E, lhs=["E"], max_period=2, depth=40).find(E, signs=(-1, 1))[0]
    cv = convergents(c.first_terms, c.signs, 30)
    from sympy import Rational
    for n in (5, 17, 30):                      # exact convergents of the SCF object
        assert Rational(*cv[n]) == c.scf.convergent(n)
    ns, d_scf, d_simple = digits_curves(c, 30)
    with mpmath.workdps(200):
        for n in (3, 12, 30):
            p, q = cv[n]
            ref = -mpmath.log10(abs(mpmath.e - mpmath.mpf(p) / q))
            assert d_scf[n] <= ref < d_scf[n] + 1e-6          # a lower bound, and tight
        simple = convergents([2, 1, 2, 1, 1, 4, 1, 1, 6, 1, 1, 8], (1,), 11)
        for n in (4, 11):
            ref = -mpmath.log10(abs(mpmath.e - mpmath.mpf(simple[n][0]) / simple[n][1]))
            assert d_simple[n] <= ref < d_simple[n] + 1e-6
    assert d_scf[30] > d_simple[30]             # the (-,+) SCF of e beats the simple CF


def test_correct_digits_is_a_lower_bound_even_for_wide_balls():
    from flint import arb, fmpq
    assert correct_digits(arb(1, 1), 1, 1) == 0.0
    assert correct_digits(arb(fmpq(1, 4)), 1, 4) == float("inf")
    assert correct_digits(arb(1), 1, 0) != correct_digits(arb(1), 1, 0)      # nan
    wide = correct_digits(arb(fmpq(1, 3), fmpq(1, 10**6)), 333333, 10**6)
    assert 5.6 < wide < 6.0              # the radius 1e-6 dominates the true 3.3e-7


def _check_html(page: str) -> list:
    """Balanced tags; the image sources."""
    class Check(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.imgs = [], []

        def handle_starttag(self, tag, attrs):
            if tag == "img":
                self.imgs.append(dict(attrs)["src"])
            elif tag not in ("meta", "br"):
                self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack.pop() == tag

    ck = Check()
    ck.feed(page)
    assert ck.stack == []
    return ck.imgs


def test_html_pages(store_path, tmp_path):
    out = tmp_path / "html"
    tm = {}
    with Store(store_path) as s:
        pages = write_report(s, out, format="html", timings=tm)
        rows = s.rows()
    assert [os.path.basename(p) for p in pages] == ["e.html", "tan_1.html", "index.html"]
    assert set(tm) == {"fold", "prove", "plot", "render"}
    e = (out / "e.html").read_text()
    # offline math: the page loads MathJax from the report itself, never from a network
    assert '<script defer src="_static/tex-svg-full.js">' in e and "https://" not in e
    assert (out / "_static" / "tex-svg-full.js").stat().st_size > 10**6
    # the title is plain text, the heading is math
    assert "<title>Identities for e</title>" in e and "<h1>Identities for \\(e\\)</h1>" in e
    n_e = sum(r["constant"] == "E" for r in rows)
    tails = len({(r["run_id"], r["family"]) for r in rows if r["constant"] == "E"})
    families = e.count('<h2 id="family-')
    assert f"{n_e} conjectures of the ESMA search" in e and f"in {tails} search famil" in e
    assert 1 <= families <= tails and f"merged into {families} famil" in e
    # every member listed got its proof (the simplest one's, carried along the shared tail)
    listed = re.findall(r"<tr><td>#\d+</td>.*?<td>(\w[\w ]*)</td></tr>", e)
    assert listed and set(listed) == {"proven"}
    # every family of e is proven, with the steps of its proof
    assert e.count('<span class="status proven">proven</span>') >= 2 * families
    assert "Walk certificate (T6.4)" in e and r"\blacksquare" in e
    assert r"e = 3 - \cfrac{1}{3 + \cfrac{1}{2 - " in e or r"\cfrac" in e
    assert r"\mathop{\mathrm{K}}" in e and "digits per term" in e
    # a plot only where the rates differ: every family with a plot has two different rates
    imgs = _check_html(e)
    for src in imgs:
        assert src.endswith(".svg") and (out / src).read_text().startswith("<svg")
    fams = re.split(r'<h2 id="family-', e)[1:]
    for f in fams:
        # the plotted member: the fastest one, named when it is not the simplest
        rates = re.findall(r"([0-9.]+) digits per term; the simple continued fraction "
                           r"of the same LHS: ([0-9.]+)", f)
        r, sr = map(float, rates[-1])
        assert ("<img" in f) == (max(r, sr) / min(r, sr) > 1.05)
        assert len(rates) == 1 + ("Fastest member" in f)
    index = (out / "index.html").read_text()
    _check_html(index)
    assert 'href="e.html"' in index and 'href="tan_1.html"' in index
    assert index.count("<tr>") == 3 and f"<td class=num>{n_e}</td>" in index


def test_myst_pages(store_path, tmp_path):
    out = tmp_path / "myst"
    with Store(store_path) as s:
        pages = write_report(s, out, format="myst")
    assert [os.path.basename(p) for p in pages] == ["e.md", "tan_1.md", "index.md"]
    e = (out / "e.md").read_text()
    assert e.startswith("# Identities for e\n") and "{math}`e`" in e
    assert "```{math}" in e and "Proof that {math}`x = e`: **proven**" in e
    for svg in re.findall(r"\]\((e_\d+\.svg)\)", e):
        assert (out / svg).exists()
    index = (out / "index.md").read_text()
    assert "```{toctree}" in index and "\ne\n" in index and "\ntan_1\n" in index
    assert "[e](e.md)" in index and "[tan 1](tan_1.md)" in index


def test_folds_and_proofs_are_cached_in_the_store(store_path, tmp_path):
    with Store(store_path) as s:
        write_report(s, tmp_path / "a", max_plots=0)
        reps = [r for r in s.rows() if r["pcf_latex"] is not None]
        assert reps and all(r["pcf"].startswith("PCF(") for r in reps)
        # the simplest member of each family is proven (other folded rows stay conjectured)
        proven = [r for r in reps if r["proof_status"] == "proven"]
        assert proven and all(r["closed_form"] is not None for r in proven)
        tm = {}
        write_report(s, tmp_path / "b", max_plots=0, timings=tm)
    assert tm["fold"] < 0.5
    assert not [f for f in os.listdir(tmp_path / "b") if f.endswith(".svg")]
    assert (tmp_path / "a" / "e.html").read_text() == (tmp_path / "b" / "e.html").read_text()


def test_latex(store_path, tmp_path):
    with Store(store_path) as s:
        write_report(s, tmp_path / "tex", format="latex", max_plots=1, constants=["tan(1)"])
    tex = (tmp_path / "tex" / "tan_1.tex").read_text()
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert tex.count("{") == tex.count("}") and r"\tan{\left(1 \right)}" in tex
    # a plot only where the rates differ
    plots = sorted(p.name for p in (tmp_path / "tex").glob("tan_1_*.pdf"))
    assert (r"\includegraphics" in tex) == bool(plots)
    assert not (tmp_path / "tex" / "e.tex").exists()


def test_bad_arguments(store_path, tmp_path):
    with Store(store_path) as s:
        with pytest.raises(ValueError, match="format"):
            write_report(s, tmp_path, format="docx")
        with pytest.raises(ValueError, match="constant = 'pi'"):
            write_report(s, tmp_path, constants=["pi"])
        with pytest.raises(ValueError, match="max_plots"):
            write_report(s, tmp_path, max_plots=-1)


def test_cli_report(store_path, tmp_path, capsys):
    out = tmp_path / "cli"
    assert main(["report", "--db", str(store_path), "--out", str(out), "--format", "html",
                 "--max-plots", "0", "--constant", "E"]) == 0
    printed = capsys.readouterr().out.split()
    assert [os.path.basename(p) for p in printed] == ["e.html", "index.html"]
    with pytest.raises(SystemExit):
        main(["report", "--db", str(store_path), "--out", str(out), "--format", "docx"])
    assert main(["report", "--db", str(store_path), "--out", str(out), "--constant", "pi"]) == 2
    assert "constant = 'pi'" in capsys.readouterr().err


def test_parallel_folding_gives_the_same_pages(tmp_path):
    pages = []
    for jobs in (1, 2):
        with Store(tmp_path / f"s{jobs}.sqlite") as s:
            run_search(plan_search(E, lhs=["E", "1/E"], max_period=2, depth=40), s)
            write_report(s, tmp_path / f"out{jobs}", max_plots=0, jobs=jobs)
        pages.append((tmp_path / f"out{jobs}" / "e.html").read_text())
    assert pages[0] == pages[1] and "PCF" in pages[0]
    with Store(tmp_path / "s1.sqlite") as s, pytest.raises(ValueError, match="jobs"):
        write_report(s, tmp_path / "x", jobs=0)


def test_closed_form_and_proof_status_are_shown(tmp_path):
    from sympy import exp

    with Store(tmp_path / "s.sqlite") as s:
        run_search(plan_search(E, lhs=["E"], max_period=1, depth=40), s)
        cid = s.rows()[0]["id"]
        s.set_proof(cid, exp(1), "proved")
        with pytest.raises(ValueError, match="proof_status"):
            s.set_proof(cid, None, "")
        with pytest.raises(ValueError, match="id = 999"):
            s.set_proof(999, None, "proved")
        write_report(s, tmp_path / "out", max_plots=0, prove=False, format="myst")
    page = (tmp_path / "out" / "e.md").read_text()
    assert "```{math}\nx = e\n```" in page and ": **proved**" in page
