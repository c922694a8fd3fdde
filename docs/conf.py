"""Sphinx configuration of the esma_sympy documentation (MyST Markdown).

Two parts of the source tree are generated here at build time (and ignored by git):

* ``theory/notes/*.md``: one page per ``theory/*.md`` note of the repository, each a MyST
  ``{include}`` of the note itself (no copies, no symlinks);
* ``gallery/``: the identity pages that ``esma report`` writes from small searches over e, e^2,
  tan 1 and I1(2)/I0(2) into a temporary store (:data:`GALLERY`).  Set ``ESMA_DOCS_GALLERY=0``
  to build without re-running the searches when a gallery is already present;
* ``_static/tex-svg-full.js``: MathJax 3 from the dependency ``django-static-mathjax``
  (:mod:`esma_sympy.report.mathjax`), so that every page typesets its math with no network
  (``mathjax_path`` points at this copy; no page loads anything from a CDN).

Build: ``python -m sphinx -W -b html docs docs/_build/html``.
"""

from __future__ import annotations

import glob
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

import esma_sympy  # noqa: E402

project = "esma_sympy"
author = "esma_sympy developers"
copyright = "esma_sympy developers"
release = esma_sympy.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
html_theme = "furo"
html_title = f"esma_sympy {release}"

autodoc_member_order = "bysource"
autodoc_typehints = "none"
# (a flag is on when its key is present, whatever its value: no "show-inheritance" key, so no
# "Bases: object" lines)
autodoc_default_options = {"members": True}
# the class docstring documents the constructor's parameters (no __init__/__new__ docstring
# repeats them); members come only from esma_sympy (see _skip_foreign below)
autoclass_content = "class"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
# "a, b : expressions" stays one entry, rather than two entries repeating one text
napoleon_use_param = False
napoleon_custom_sections = [("Explanation", "notes_style"), ("Attributes", "params_style"),
                            ("Conventions", "notes_style")]
suppress_warnings = ["myst.header", "ref.citation"]

# MathJax 3 shipped with the package, copied into the build's _static/ (see _mathjax below):
# TeX input with every extension bundled, SVG output (no web fonts), no menu (opening it would
# fetch more components).  The script is loaded on every page (setup: assets policy "always"),
# because the sidebar of every page lists the gallery's titles, which contain math.
html_static_path = ["_static"]
mathjax_path = "tex-svg-full.js"
mathjax3_config = {
    "tex": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]]},
    "options": {"enableMenu": False},
    "svg": {"fontCache": "global"},
}

#: (constant, search parameters) of the gallery
GALLERY = [
    ("E", dict(coeff_limit=1, max_period=2, depth=60)),
    ("exp(2)", dict(coeff_limit=1, max_period=4)),
    ("tan(1)", dict(coeff_limit=1, max_period=2, depth=60)),
    ("besseli(1,2)/besseli(0,2)", dict(coeff_limit=1, max_period=2, depth=60)),
]


def _write_if_changed(path: str, text: str) -> None:
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def _theory_pages() -> None:
    out = os.path.join(HERE, "theory", "notes")
    os.makedirs(out, exist_ok=True)
    notes = sorted(glob.glob(os.path.join(ROOT, "theory", "*.md")))
    names = set()
    for note in notes:
        name = os.path.basename(note)
        names.add(name)
        rel = os.path.relpath(note, out).replace(os.sep, "/")
        _write_if_changed(os.path.join(out, name), f"```{{include}} {rel}\n```\n")
    for old in glob.glob(os.path.join(out, "*.md")):
        if os.path.basename(old) not in names:
            os.remove(old)


def _gallery() -> None:
    from esma_sympy.report import write_report
    from esma_sympy.search import plan_search
    from esma_sympy.store import Store, run_search

    out = os.path.join(HERE, "gallery")
    if os.environ.get("ESMA_DOCS_GALLERY") == "0" and os.path.exists(os.path.join(out, "index.md")):
        return
    with tempfile.TemporaryDirectory() as tmp:
        with Store(os.path.join(tmp, "gallery.sqlite")) as store:
            for constant, params in GALLERY:
                run_search(plan_search(constant, **params), store)
            new = os.path.join(tmp, "pages")
            write_report(store, new, format="myst")
        os.makedirs(out, exist_ok=True)
        for old in os.listdir(out):
            os.remove(os.path.join(out, old))
        for name in sorted(os.listdir(new)):
            shutil.move(os.path.join(new, name), os.path.join(out, name))


def _mathjax() -> None:
    """Copy MathJax into ``docs/_static/`` (git-ignored), where ``html_static_path`` takes it
    from into the build's ``_static/``."""
    from esma_sympy.report.mathjax import install_mathjax

    rel = install_mathjax(HERE)
    assert rel == "_static/" + mathjax_path, rel


#: the catalogue of the documentation's atlas (a small one: the full default catalogue is what
#: ``esma atlas`` runs)
ATLAS = """
[[constant]]
expr = "exp(1/2)"
max_period = 2

[[constant]]
expr = "tanh(1/2)"
max_period = 2

[[constant]]
expr = "besselj(1,1)/besselj(0,1)"
max_period = 2

[[constant]]
expr = "GoldenRatio"
kind = "quadratic"
max_period = 1

[[constant]]
expr = "pi"
kind = "control"
max_period = 2

[[constant]]
expr = "zeta(3)"
kind = "control"
max_period = 2
"""


def _atlas() -> None:
    """``atlas/``: the pages of an atlas of :data:`ATLAS` (every conjecture settled by
    ``esma_sympy.atlas.run_atlas``, published by ``write_report``) and its families as JSON
    lines; skipped like the gallery with ``ESMA_DOCS_GALLERY=0`` once present."""
    from esma_sympy.atlas import parse_catalogue, run_atlas, write_families
    from esma_sympy.report import write_report
    from esma_sympy.store import Store

    out = os.path.join(HERE, "atlas")
    if os.environ.get("ESMA_DOCS_GALLERY") == "0" and os.path.exists(os.path.join(out, "index.md")):
        return
    with tempfile.TemporaryDirectory() as tmp:
        new = os.path.join(tmp, "pages")
        with Store(os.path.join(tmp, "atlas.sqlite")) as store:
            run_atlas(parse_catalogue(ATLAS, "docs/conf.py ATLAS"), store)
            write_report(store, new, format="myst")
            write_families(store, os.path.join(new, "families.jsonl"))
        index = os.path.join(new, "index.md")
        with open(index, encoding="utf-8") as f:
            text = f.read()
        text = text.replace("# Gallery of identities", "# A small atlas", 1).replace(
            "Pages written by `esma report` from small ESMA searches.",
            "The atlas of a small catalogue, built with the documentation: every constant "
            "searched by `esma atlas`, every conjecture settled (proven, or the reason it is "
            "not), published by `esma report`; the families as JSON lines: "
            "{download}`families.jsonl`.", 1)
        with open(index, "w", encoding="utf-8") as f:
            f.write(text)
        os.makedirs(out, exist_ok=True)
        for old in os.listdir(out):
            os.remove(os.path.join(out, old))
        for name in sorted(os.listdir(new)):
            shutil.move(os.path.join(new, name), os.path.join(out, name))


_theory_pages()
_gallery()
_atlas()
_mathjax()


def _local_citations(app, what, name, obj, options, lines) -> None:
    """Numbered citations (``.. [1]``) of numpydoc *References* sections are global targets in
    Sphinx; make them local to their docstring so two docstrings may both cite ``[1]``."""
    import re

    prefix = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") + "-"
    for i, line in enumerate(lines):
        line = re.sub(r"^(\s*)\.\. \[(\d+)\]", lambda m: f"{m[1]}.. [{prefix}{m[2]}]", line)
        lines[i] = re.sub(r"\[(\d+)\]_", lambda m: f"[{prefix}{m[1]}]_", line)


def _plain_title(app, doctree) -> None:
    """A page whose title holds math (the gallery's ``Identities for $e^{2}$``) gets a plain
    text ``<title>`` (``Identities for e²``, :func:`esma_sympy.report.plaintext.tex_to_text`):
    the browser's tab cannot typeset math.  The sidebar and the heading keep the math, which
    MathJax typesets.  Runs before Sphinx's title collector (priority 400 < 500), which takes
    ``doctree['title']`` for the ``<title>`` of the page."""
    from docutils import nodes

    from esma_sympy.report.plaintext import tex_to_text

    def text(node) -> str:
        if isinstance(node, nodes.math):
            return tex_to_text(node.astext())
        if isinstance(node, nodes.Text):
            return str(node)
        return "".join(text(child) for child in node.children)

    if "title" in doctree:
        return
    for section in doctree.findall(nodes.section):
        title = section[0]
        if isinstance(title, nodes.title) and any(title.findall(nodes.math)):
            doctree["title"] = text(title)
        return


def _own_module(obj):
    """The module that defines ``obj`` (a function, property, classmethod, cached property,
    class), or None for plain data."""
    for attr in ("fget", "__func__", "func"):
        obj = getattr(obj, attr, obj)
    return getattr(obj, "__module__", None) if callable(obj) or isinstance(obj, type) else None


def _doc_owner(cls, name):
    """The first class of ``cls.__mro__`` whose own ``name`` has a docstring (autodoc shows
    that one when the member has none of its own), or None."""
    for klass in cls.__mro__:
        raw = klass.__dict__.get(name)
        if raw is None:
            continue
        for attr in ("fget", "__func__", "func"):
            raw = getattr(raw, attr, raw)
        if callable(raw) and getattr(raw, "__doc__", None):
            return klass
    return None


def _skip_foreign(app, what, name, obj, skip, options):
    """Document only what esma_sympy defines: a member whose code comes from another package
    (SymPy's ``Expr`` methods), or which esma_sympy overrides without a docstring so that
    autodoc would show the docstring of a SymPy base class (``free_symbols`` with SymPy's
    ``Integral`` examples), is skipped."""
    import inspect

    module = _own_module(obj)
    if module is not None and not module.startswith("esma_sympy"):
        return True
    if what != "class" or module is None:
        return None
    func = obj
    for attr in ("fget", "__func__", "func"):
        func = getattr(func, attr, func)
    owner = sys.modules.get(module)
    for part in getattr(func, "__qualname__", "").split(".")[:-1]:
        owner = getattr(owner, part, None)
    if inspect.isclass(owner) and not getattr(func, "__doc__", None):
        source = _doc_owner(owner, name)
        if source is not None and not source.__module__.startswith("esma_sympy"):
            return True
    return None


# Napoleon reads the first line of a property's or datum's docstring as "type: description";
# here those docstrings begin with a sentence ("The quotients as given: a Tuple or ..."), so
# the colon of that line is hidden from napoleon and put back after it.
_COLON = "\ue000"


def _hide_first_colon(app, what, name, obj, options, lines) -> None:
    if what in ("attribute", "data", "property") and lines and ":" in lines[0]:
        lines[0] = lines[0].replace(":", _COLON)


def _restore_colons(app, what, name, obj, options, lines) -> None:
    for i, line in enumerate(lines):
        if _COLON in line:
            lines[i] = line.replace(_COLON, ":")


def setup(app):
    app.set_html_assets_policy("always")
    app.connect("autodoc-skip-member", _skip_foreign)
    app.connect("autodoc-process-docstring", _hide_first_colon, priority=400)
    app.connect("autodoc-process-docstring", _restore_colons, priority=600)
    app.connect("doctree-read", _plain_title, priority=400)
    app.connect("autodoc-process-docstring", _local_citations)
