"""The documentation: the getting-started walk-through is a doctest, and the Sphinx project
builds with warnings as errors (slow: it runs the gallery searches and the report); the built
pages load nothing from the network, and in headless Chromium their math is typeset with no
raw TeX left (skipped only where Chromium is not installed)."""

import doctest
import glob
import os
import re
import shutil
import subprocess
import sys

import pytest

from ._chromium import CHROMIUM, NO_CHROMIUM, dump_dom, math_elements, typeset_errors, \
    typeset_math, visible_raw_tex

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs")


def test_getting_started_is_a_doctest():
    res = doctest.testfile(os.path.join(DOCS, "getting_started.md"), module_relative=False,
                           optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                           report=True)
    assert res.failed == 0 and res.attempted >= 15


def test_every_docs_page_is_in_the_toctree():
    index = open(os.path.join(DOCS, "index.md"), encoding="utf-8").read()
    for page in glob.glob(os.path.join(DOCS, "*.md")):
        name = os.path.splitext(os.path.basename(page))[0]
        assert name == "index" or f"\n{name}\n" in index, name


@pytest.fixture(scope="module")
def built_docs(tmp_path_factory):
    """The HTML of a build of a copy of the docs (``-W``), shared by the slow tests."""
    for mod in ("sphinx", "myst_parser", "furo", "matplotlib"):
        pytest.importorskip(mod, reason="the docs extra is not installed")
    tmp_path = tmp_path_factory.mktemp("docs")
    # build a copy, so the generated gallery, theory pages and MathJax copy never land in the
    # repository (and are generated afresh here)
    src = tmp_path / "docs"
    shutil.copytree(DOCS, src, ignore=shutil.ignore_patterns("_build", "gallery", "atlas", "notes",
                                                             "tex-svg-full.js"))
    shutil.copytree(os.path.join(ROOT, "theory"), tmp_path / "theory")
    out = tmp_path / "html"
    env = dict(os.environ, ESMA_DOCS_GALLERY="1")
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b",
                           "html", str(src), str(out)], capture_output=True, text=True,
                          env=env, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-5000:]
    return out


@pytest.mark.slow
def test_sphinx_build_with_warnings_as_errors(built_docs):
    out = built_docs
    for page in ("index", "getting_started", "cli", "api", "theory/index", "gallery/index", "atlas/index",
                 "gallery/e", "gallery/exp_2", "gallery/tan_1",
                 "gallery/besseli_1_2_besseli_0_2"):
        assert (out / f"{page}.html").exists(), page
    notes = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "theory", "*.md")))
    built = sorted(p.name.replace(".html", ".md") for p in (out / "theory" / "notes").iterdir())
    assert built == notes
    api = (out / "api.html").read_text(encoding="utf-8")
    for name in ("esma_search", "SCF", "PCF", "Store", "write_report"):
        assert f'id="esma_sympy.{name}"' in api or f'id="esma_sympy.store.{name}"' in api or \
            f'id="esma_sympy.report.{name}"' in api, name
    gallery = (out / "gallery" / "e.html").read_text(encoding="utf-8")
    assert "cfrac" in gallery and ".svg" in gallery
    # every gallery constant has a plot (a family whose rate differs from the simple CF's)
    for stem in ("e", "exp_2", "tan_1", "besseli_1_2_besseli_0_2"):
        assert list((out / "_images").glob(f"{stem}_*.svg")), stem
        # ... and every family of it is proven
        page = (out / "gallery" / f"{stem}.html").read_text(encoding="utf-8")
        assert page.count("<strong>proven</strong>") >= page.count("Proof that") > 0
        assert "<strong>open</strong>" not in page and "<strong>conjectured</strong>" not in page
    # the atlas of a small catalogue: its index, a page per constant with conjectures, the
    # constants searched with nothing found, and the families as JSON lines
    atlas = (out / "atlas" / "index.html").read_text(encoding="utf-8")
    for page in ("exp_1_2", "tanh_1_2", "besselj_1_1_besselj_0_1", "goldenratio"):
        assert (out / "atlas" / f"{page}.html").exists(), page
    assert "Searched, no conjecture found" in atlas and r"\zeta" in atlas
    (jsonl,) = (out / "_downloads").glob("*/families.jsonl")
    import json
    recs = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert recs and {r["proof_status"] for r in recs} == {"proven"}
    assert all(r["proven_members"] == r["members"] for r in recs)


@pytest.mark.slow
def test_docs_load_nothing_from_the_network(built_docs):
    """MathJax is the copy of the dependency django-static-mathjax in _static/, on every page;
    no page has a script, stylesheet or image from another host."""
    from esma_sympy.report.mathjax import mathjax_source

    mathjax = built_docs / "_static" / "tex-svg-full.js"
    assert mathjax.stat().st_size == os.path.getsize(mathjax_source())
    pages = sorted(built_docs.rglob("*.html"))
    assert len(pages) > 20
    remote = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[\"'](?:https?:)?//", re.I)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not remote.findall(text), (page, remote.findall(text)[:3])
        assert "cdn." not in "".join(re.findall(r"<script\b[^>]*>", text)), page
        assert "tex-svg-full.js" in text, page


@pytest.mark.slow
def test_page_titles_and_api_are_clean(built_docs):
    """<title> is plain text (no TeX); the API page shows no SymPy docstring (free_symbols
    with SymPy's Integral examples) and no parameter text twice in one list."""
    for page in built_docs.rglob("*.html"):
        title = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)[1]
        assert "\\" not in title and "$" not in title, (page, title)
    e = (built_docs / "gallery" / "e.html").read_text(encoding="utf-8")
    assert "<title>Identities for e - " in e
    api = (built_docs / "api.html").read_text(encoding="utf-8")
    assert "free_symbols\"" not in api and "Integral(" not in api and "Bases:" not in api
    assert ">Type<" not in api
    for params in re.findall(r">Parameters<.*?</dd>", api, re.S):
        texts = [re.sub(r"<[^>]+>", "", item).split(" – ", 1)[-1]
                 for item in re.findall(r"<li><p>(.*?)</p></li>", params, re.S)]
        assert len(texts) == len(set(texts)), texts


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
@pytest.mark.parametrize("page", ["getting_started", "theory/notes/01_continued_fractions",
                                  "theory/notes/06_reachability", "gallery/index",
                                  "gallery/e", "atlas/index", "atlas/besselj_1_1_besselj_0_1"])
def test_math_is_typeset_in_chromium(built_docs, page):
    """In headless Chromium with no network every formula of the page is typeset by MathJax
    (an <mjx-container> per formula, no TeX error) and no raw TeX shows as text, in the
    headings and the sidebar (which lists the gallery's titles with math) included."""
    path = built_docs / f"{page}.html"
    formulas = math_elements(path.read_text(encoding="utf-8"))
    dom = dump_dom(path)
    assert formulas > 0 and typeset_math(dom) >= formulas, (formulas, typeset_math(dom))
    assert not typeset_errors(dom)
    assert not visible_raw_tex(dom)
