"""The documentation: the getting-started walk-through is a doctest, and the Sphinx project
builds with warnings as errors (slow: it runs the gallery searches and the report)."""

import doctest
import glob
import os
import shutil
import subprocess
import sys

import pytest

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


@pytest.mark.slow
def test_sphinx_build_with_warnings_as_errors(tmp_path):
    for mod in ("sphinx", "myst_parser", "furo", "matplotlib"):
        pytest.importorskip(mod, reason="the docs extra is not installed")
    # build a copy, so the generated gallery and theory pages never land in the repository
    src = tmp_path / "docs"
    shutil.copytree(DOCS, src, ignore=shutil.ignore_patterns("_build", "gallery", "notes"))
    shutil.copytree(os.path.join(ROOT, "theory"), tmp_path / "theory")
    out = tmp_path / "html"
    env = dict(os.environ, ESMA_DOCS_GALLERY="1")
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b",
                           "html", str(src), str(out)], capture_output=True, text=True,
                          env=env, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-5000:]
    for page in ("index", "getting_started", "cli", "api", "theory/index", "gallery/index",
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
    assert "cfrac" in gallery and ".png" in gallery
    assert list((out / "_images").glob("exp_2_*.png"))
