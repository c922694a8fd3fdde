"""Math that renders offline: the MathJax 3 build of the PyPI package ``django-static-mathjax``.

Reports and the Sphinx documentation typeset their formulas with MathJax, and a page must
show typeset math with no network.  The renderer is therefore shipped as a dependency, never
loaded from a CDN: ``django-static-mathjax`` (maintained at MIT for PhysioNet, no
dependencies, the package ``mathjax`` is empty and needs no Django) holds the whole MathJax
3.2 distribution.  A report copies one self-contained file of it, ``es5/tex-svg-full.js``
(TeX input with every extension bundled, so nothing is fetched later; SVG output, so no web
fonts either) into its ``_static/`` directory, next to the pages that use it.
"""

from __future__ import annotations

import os
import shutil

__all__ = ["MATHJAX_FILE", "mathjax_source", "install_mathjax", "mathjax_script"]

#: the MathJax component the pages load (self-contained: TeX input, all extensions, SVG output)
MATHJAX_FILE = "tex-svg-full.js"

#: MathJax's configuration: ``\( \)`` and ``\[ \]`` delimiters, no menu (it would fetch more
#: components when opened), math inside ``<code>`` left alone
_CONFIG = ("window.MathJax = {tex: {inlineMath: [['\\\\(', '\\\\)']], "
           "displayMath: [['\\\\[', '\\\\]']]}, options: {enableMenu: false}, "
           "svg: {fontCache: 'global'}};")


def mathjax_source() -> str:
    """The path of the installed MathJax component (``tex-svg-full.js``).

    >>> os.path.basename(mathjax_source()), os.path.getsize(mathjax_source()) > 10**6
    ('tex-svg-full.js', True)
    """
    import importlib.util

    spec = importlib.util.find_spec("mathjax")
    roots = list(spec.submodule_search_locations or []) if spec else []
    for root in roots:
        path = os.path.join(root, "static", "mathjax", "es5", MATHJAX_FILE)
        if os.path.isfile(path):
            return path
    raise RuntimeError("the MathJax files are missing: install the dependency "
                       "'django-static-mathjax' (pip install django-static-mathjax)")


def install_mathjax(out_dir) -> str:
    """Copy MathJax into ``out_dir/_static/`` (unless an identical copy is there) and return
    the path relative to ``out_dir`` that a page's ``<script src>`` takes.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     rel = install_mathjax(tmp)
    ...     rel, os.path.getsize(os.path.join(tmp, rel)) == os.path.getsize(mathjax_source())
    ('_static/tex-svg-full.js', True)
    """
    src = mathjax_source()
    static = os.path.join(os.fspath(out_dir), "_static")
    os.makedirs(static, exist_ok=True)
    dst = os.path.join(static, MATHJAX_FILE)
    if os.path.islink(dst):
        os.unlink(dst)
    if not (os.path.isfile(dst) and os.path.getsize(dst) == os.path.getsize(src)):
        shutil.copyfile(src, dst)
    return "_static/" + MATHJAX_FILE


def mathjax_script(rel: str) -> str:
    """The ``<script>`` tags of a page that loads MathJax from ``rel`` (a relative URL).

    >>> print(mathjax_script("_static/tex-svg-full.js"))  # doctest: +ELLIPSIS
    <script>window.MathJax = {tex: ...</script>
    <script defer src="_static/tex-svg-full.js"></script>
    """
    import html

    return f'<script>{_CONFIG}</script>\n<script defer src="{html.escape(rel)}"></script>'
