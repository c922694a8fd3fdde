"""Headless Chromium for the tests that look at built pages (Sphinx docs, HTML reports).

A page is loaded from disk with no network, its scripts run under a virtual time budget (so
MathJax finishes typesetting before the DOM is dumped), and the tests inspect the resulting
DOM: typeset math is ``<mjx-container>`` elements (MathJax 3), raw TeX is whatever still shows
a TeX delimiter or control word as text once scripts, styles, typeset math and code are
removed.

Use::

    from tests._chromium import CHROMIUM, dump_dom, visible_raw_tex, typeset_math

    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    dom = dump_dom(path)
    assert typeset_math(dom) and not visible_raw_tex(dom)
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile

__all__ = ["CHROMIUM", "NO_CHROMIUM", "chromium_command", "dump_dom", "screenshot",
           "visible_text", "visible_raw_tex", "typeset_math", "typeset_errors", "math_elements"]

#: the Chromium executable (Debian package ``chromium``), or None when it is not installed
CHROMIUM = shutil.which("chromium")

#: the reason a test gives when it skips for want of Chromium
NO_CHROMIUM = ("headless Chromium is not installed (no 'chromium' on PATH; Debian: "
               "apt-get install chromium): the rendered pages cannot be checked")

#: flags of a headless run that touches no network and no profile of the user
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-extensions", "--hide-scrollbars", "--mute-audio")


def chromium_command(profile: str, *args: str) -> list:
    """The command line of a headless Chromium run with a fresh profile directory.

    >>> cmd = chromium_command("/tmp/p", "--dump-dom", "file:///x.html")
    >>> cmd[1:3], "--user-data-dir=/tmp/p" in cmd, cmd[-2:]
    (['--headless', '--no-sandbox'], True, ['--dump-dom', 'file:///x.html'])
    """
    return [CHROMIUM or "chromium", *_FLAGS, f"--user-data-dir={profile}", *args]


def _url(path) -> str:
    path = os.fspath(path)
    if "://" in path:
        return path
    return "file://" + os.path.abspath(path)


def _run(args, timeout: float) -> subprocess.CompletedProcess:
    if CHROMIUM is None:
        raise RuntimeError(NO_CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="esma-chromium-") as profile:
        proc = subprocess.run(chromium_command(profile, *args), capture_output=True,
                              text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"chromium exited with {proc.returncode}: {proc.stderr[-2000:]}")
    return proc


def dump_dom(path, *, budget_ms: int = 15000, timeout: float = 120) -> str:
    """The DOM of the page at ``path`` (a file or a URL) after its scripts ran for
    ``budget_ms`` of virtual time (MathJax has typeset the page by then).

    >>> import pathlib, tempfile
    >>> page = pathlib.Path(tempfile.mkdtemp()) / "page.html"
    >>> _ = page.write_text("<html><body><p id='x'></p><script>"
    ...                     "document.getElementById('x').textContent = 'ran';</script>")
    >>> CHROMIUM is None or '<p id="x">ran</p>' in dump_dom(page)
    True
    """
    proc = _run(["--dump-dom", f"--virtual-time-budget={budget_ms}", _url(path)], timeout)
    if "<html" not in proc.stdout.lower():
        raise RuntimeError(f"chromium dumped no DOM for {path}: {proc.stderr[-2000:]}")
    return proc.stdout


def screenshot(path, png, *, size=(1200, 1600), budget_ms: int = 15000,
               timeout: float = 120) -> str:
    """Save a PNG of the page at ``path`` as it shows after ``budget_ms`` of virtual time;
    returns the PNG's path.

    >>> import pathlib, tempfile
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (tmp / "page.html").write_text("<html><body><h1>Title</h1></body></html>")
    >>> CHROMIUM is None or open(screenshot(tmp / "page.html", tmp / "page.png",
    ...                                     size=(200, 100)), "rb").read(4) == b"\\x89PNG"
    True
    """
    png = os.path.abspath(os.fspath(png))
    _run([f"--screenshot={png}", f"--window-size={size[0]},{size[1]}",
          f"--virtual-time-budget={budget_ms}", _url(path)], timeout)
    if not os.path.isfile(png):
        raise RuntimeError(f"chromium wrote no screenshot of {path}")
    return png


# elements whose content is not prose: removed with their content (non-greedy, and the same
# element does not nest in these; <pre> before <code>, which it may contain)
_HIDDEN = [re.compile(rf"<{tag}\b[^>]*>.*?</{tag}\s*>", re.S | re.I)
           for tag in ("script", "style", "noscript", "template", "textarea", "mjx-container",
                       "pre", "code", "kbd", "samp")]
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]*>")


def visible_text(dom: str) -> str:
    r"""The text of ``dom`` a reader sees as prose (the ``<title>`` included): without scripts,
    styles, typeset math (``<mjx-container>``), code (``<pre>``, ``<code>``), comments and
    tags, with entities decoded.

    >>> visible_text(r'<title>T</title><p>a <code>\frac</code> <b>b</b> &lt;c&gt;</p>'
    ...              r'<script>var x = "\(";</script>')
    'T a  b <c>'
    """
    for pattern in (_COMMENT, *_HIDDEN):
        dom = pattern.sub(" ", dom)
    text = html.unescape(_TAG.sub(" ", dom))
    return re.sub(r"\s+", " ", text).strip()


# a TeX delimiter, or a control word that a page shows only when math was not typeset
_RAW_TEX = re.compile(r"\\[()\[\]]|\\(?:[dtc]?frac|cfrac|left|right|sqrt|mathbb|mathrm|mathop"
                      r"|operatorname|dotsb|cdots|ldots|binom|sum|prod|int|begin|end|quad)"
                      r"(?![A-Za-z])|\$\$")


def visible_raw_tex(dom: str, context: int = 30) -> list:
    r"""The places where ``dom`` shows raw TeX as text (``\(``, ``\[``, ``$$``, ``\frac``,
    ``\cfrac``, ...), each with ``context`` characters either side; empty when all math is
    typeset (or inside code, where TeX is meant literally).

    >>> visible_raw_tex(r'<p>x <mjx-container><svg/></mjx-container> y</p><pre>\(a\)</pre>')
    []
    >>> for hit in visible_raw_tex(r'<title>Identities for \(e^{2}\)</title>', context=4):
    ...     print(hit)
    for \(e^{2
    ^{2}\)
    """
    text = visible_text(dom)
    return [text[max(0, m.start() - context):m.end() + context]
            for m in _RAW_TEX.finditer(text)]


def typeset_math(dom: str) -> int:
    """The number of formulas MathJax 3 typeset in ``dom`` (its ``<mjx-container>``
    elements).

    >>> typeset_math('<p><mjx-container class="MathJax" jax="SVG"><svg/></mjx-container></p>')
    1
    """
    return len(re.findall(r"<mjx-container\b", dom, re.I))


def typeset_errors(dom: str) -> list:
    r"""The messages of the formulas MathJax could not typeset (a TeX error such as an
    undefined control sequence shows in red in the page).

    >>> typeset_errors('<g data-mml-node="merror" data-mjx-error="Undefined control sequence '
    ...                r'\foo" title="x">')
    ['Undefined control sequence \\foo']
    """
    return [html.unescape(m) for m in re.findall(r'data-mjx-error="([^"]*)"', dom)]


def math_elements(page: str) -> int:
    r"""The number of formulas a Sphinx page (its HTML as built, before any script ran) holds
    for MathJax: ``<span class="math ...">`` and ``<div class="math ...">``.

    >>> math_elements(r'<span class="math notranslate nohighlight">\(x\)</span>'
    ...               r'<div class="math notranslate nohighlight">\[y\]</div>')
    2
    """
    return len(re.findall(r'<(?:span|div)\b[^>]*\bclass="math[\s"]', page))
