"""Identity pages: one page per constant (and an index), in HTML, MyST Markdown or LaTeX.

What a page shows is computed once by :func:`~esma_sympy.report.model.build_page`: the
stored conjectures of the constant grouped into *families* (proven to be one formula up to a
Möbius map of the LHS: a shared SCF tail, T5.4, or the same canonical PCF, T4.10), each with its
simplest member in full (``LHS = SCF``, the canonical PCF, the closed form and the proof's
steps, digits per term against the simple continued fraction of the same LHS) and a plot of
proven correct digits only where the two rates differ.  The index lists every constant by
its LaTeX name with the counts of conjectures, families and proven families and the
formula with the largest gain over the simple continued fraction of its LHS.

HTML pages load MathJax from the report's own ``_static/`` directory
(:mod:`esma_sympy.report.mathjax`), so they typeset offline.  Folds and proofs are cached in
the store, so a second report is faster still.
"""

from __future__ import annotations

import html
import json
import os
import re
import time

from .._args import check_int
from . import FORMATS             # defined in the package, where the CLI parser reads it
from ..store.rows import row_conjecture

__all__ = ["write_report", "FORMATS"]

_EXT = {"myst": ".md", "latex": ".tex", "html": ".html", "pdf": ".tex"}
_PLOT_EXT = {"myst": ".svg", "html": ".svg", "latex": ".pdf", "pdf": ".pdf"}
from .model import MAX_SHOWN as MAX_MEMBERS  # noqa: E402  (members listed per family)


def _slug(text: str) -> str:
    """A file-name stem for a constant: short enough for any file system (a long one is cut
    and keeps a digest of the whole text, so two constants never share a page).

    >>> _slug("exp(2)"), len(_slug(str(10**400) + " + E"))
    ('exp_2', 71)
    """
    s = re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()
    if len(s) > 80:
        import hashlib

        s = s[:60] + "_" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:10]
    return s or "constant"


def _plain_lhs(text: str) -> str:
    """A stored LHS in plain Unicode (``2e − 2``, not ``2*E - 2``), for plot titles."""
    from ..numeric.parse import parse_constant
    from .model import plain_name

    try:
        return plain_name(parse_constant(text))
    except (ValueError, TypeError, SyntaxError):
        return text


def _rate(r) -> str:
    return "n/a" if r is None else f"{r:.3f}"


def _ratio(m) -> str:
    r, s = m.rate, m.simple_rate
    return f"{r / s:.2f}×" if r and s else "n/a"


def _rate_text(m) -> str:
    return (f"{_rate(m.rate)} digits per term; the simple continued fraction of the same LHS: "
            f"{_rate(m.simple_rate)} ({_ratio(m)})")


def _pcf_display(f, lhs: str | None = None) -> list:
    """``[(label, LaTeX)]`` of a family's PCF: ``lhs`` (the simplest member's LHS by default)
    as a Möbius image of the PCF's value ``z``, the PCF (in full, or by its first terms when
    its polynomials are long) and its canonical form when that differs."""
    if f.pcf_parts is None:
        return []
    lhs = f.simplest.lhs_tex if lhs is None else lhs
    d = f.pcf_parts
    out = []
    if f.mobius is not None:
        G = f.mobius
        from sympy import Symbol, latex, sympify

        z = Symbol("z")
        g = latex((sympify(G[0][0]) * z + sympify(G[0][1])) / (sympify(G[1][0]) * z + sympify(G[1][1])))
        out.append(("a Möbius image of the value z of a PCF", rf"{lhs} = {g}"))
        lhs = "z"
    K = r"\mathop{\mathrm{K}}_{n=1}^{\infty}"
    if d["long"]:
        out.append(("PCF, first terms", rf"{lhs} = {d['first']}"))
        out.append(("", rf"{lhs} = a(0) + {K} \frac{{b(n)}}{{a(n)}},\quad "
                        rf"\deg a = {d['degrees'][0]},\ \deg b = {d['degrees'][1]}"))
    else:
        out.append(("PCF", rf"{lhs} = {d['first']} = a(0) + {K} \frac{{b(n)}}{{a(n)}}"))
        out.append(("", rf"a(n) = {d['a']},\quad b(n) = {d['b']}"))
    if f.canonical_tex:
        out.append(("canonical form (T4.10; the value changes by a constant factor)",
                    f.canonical_tex))
    return out


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
body{font-family:Georgia,'DejaVu Serif',serif;max-width:62em;margin:2em auto;padding:0 1em;
line-height:1.45;color:#222}
h1,h2,h3{font-weight:normal}h2{border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;margin:1em 0}td,th{padding:.25em .6em;border-bottom:1px solid #e4e4e4;
text-align:left;vertical-align:middle}th{background:#f6f6f6}
.num{text-align:right;font-variant-numeric:tabular-nums}.nw,td.num{white-space:nowrap}
.status{display:inline-block;padding:0 .5em;border-radius:.6em;font-size:90%}
.proven{background:#d9f2d9}.new{background:#d9e6f2}.classical{background:#eee}.open,.conjectured{background:#f2ecd9}.disproven{background:#f2d9d9}
.math{overflow-x:auto;overflow-y:hidden;margin:.4em 0}
mjx-container[display="true"]{margin:.3em 0!important}
figure{margin:1em 0}figcaption{font-size:90%;color:#555}
nav{font-size:90%}details{margin:1em 0}code{font-size:90%}
ol.steps li{margin:.4em 0}.label{color:#555;font-size:90%}
"""


def _head(title_text: str, mathjax: str) -> list:
    from .mathjax import mathjax_script

    h = html.escape
    return ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{h(title_text)}</title>", f"<style>{_CSS}</style>",
            mathjax_script(mathjax), "</head><body>"]


def _m(tex: str) -> str:
    """Inline math (the LaTeX escaped for HTML)."""
    return "\\(" + html.escape(tex) + "\\)"


def _dm(tex: str) -> str:
    return '<div class="math">\\[' + html.escape(tex) + "\\]</div>"


def _status(s: str) -> str:
    cls = re.sub(r"[^a-z]", "", s.split()[0].lower()) if s else "open"
    return f'<span class="status {cls}">{html.escape(s)}</span>'


def _plural(n: int, word: str, plural: str | None = None) -> str:
    """``'1 family'``, ``'2 families'``.

    >>> _plural(1, "family", "families"), _plural(3, "conjecture")
    ('1 family', '3 conjectures')
    """
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _summary(page) -> str:
    """The first paragraph of a constant's page (shared by HTML and MyST: plain text)."""
    nf = len(page.families)
    proven = sum(f.proven for f in page.families)
    return (f"{_plural(page.n_conjectures, 'conjecture')} of the ESMA search, in "
            f"{_plural(page.n_tail_families, 'search family', 'search families')} (conjectures "
            f"whose SCFs share a tail; numbered as in the fam column of esma list), merged into "
            f"{_plural(nf, 'family', 'families')} of formulas proven equivalent (the same PCF "
            f"up to a Möbius map of the LHS); {proven} of {nf} proven (closed form and checked "
            f"certificate of the simplest member), {page.n_proven} of {page.n_conjectures} "
            "conjectures proven (stored, or carried along the shared tail to the members listed "
            "here; `esma atlas` settles them all).  Digits per term are proven correct digits "
            "per partial quotient at depth 100.")


def _html(page, plots: dict, mathjax: str) -> str:
    h = html.escape
    out = _head(f"Identities for {page.title_text}", mathjax)
    out += ['<nav><a href="index.html">← all constants</a></nav>',
            f"<h1>Identities for {_m(page.title_tex)}</h1>",
            f"<p>{h(_summary(page)).replace('esma list', '<code>esma list</code>').replace('`esma atlas`', '<code>esma atlas</code>')}</p>"]
    if page.symbol:
        out.append(f"<p>In the left-hand sides, {_m(page.symbol + ' = ' + page.title_tex)}.</p>")
    best = page.best
    if best:
        f, m = best
        out.append(f"<p>Largest gain over the simple continued fraction of the same LHS: "
                   f"{_m(m.lhs_tex)}, signs ({h(m.signs)}), {_rate(m.rate)} digits per term "
                   f"against {_rate(m.simple_rate)}, {_ratio(m)} "
                   f'(family <a href="#family-{f.number}">{f.number}</a>).</p>')
    out += ["<table><tr><th>family</th><th>simplest member</th><th>signs</th>"
            "<th class=num>members</th><th class=num>digits/term</th><th class=num>simple CF"
            "</th><th>largest gain</th><th>PCF degrees</th><th>proof</th><th>kind</th></tr>"]
    for f in page.families:
        m = f.simplest
        g = f.gainer
        gain = _ratio(m) if g is None else f'{_ratio(g)} (<a href="#family-{f.number}">#{g.id}</a>)'
        deg = "" if f.pcf_parts is None else "(%d, %d)" % f.pcf_parts["degrees"]
        kind = "classical" if f.classical else "new"
        out.append(f'<tr><td><a href="#family-{f.number}">{f.number}</a></td>'
                   f"<td>{_m(m.lhs_tex)}</td><td class=nw>{h(m.signs)}</td>"
                   f"<td class=num>{len(f.members)}</td><td class=num>{_rate(m.rate)}</td>"
                   f"<td class=num>{_rate(m.simple_rate)}</td><td>{gain}</td>"
                   f"<td>{deg}</td><td>{_status(f.status)}</td>"
                   f'<td><span class="status {kind}">{kind}</span></td></tr>')
    out.append("</table>")
    for f in page.families:
        m = f.simplest
        kind = "classical" if f.classical else "new"
        out.append(f'<h2 id="family-{f.number}">Family {f.number}: {_m(m.lhs_tex)} '
                   f'<span class="status {kind}">{kind}</span></h2>')
        out.append(f"<p>{_plural(len(f.members), 'conjecture')}, {f.n_proven} proven (search "
                   f"famil{'y' if len(f.tail_families) == 1 else 'ies'} "
                   f"{', '.join(map(str, f.tail_families))}). Simplest member #{m.id}, signs "
                   f"({h(m.signs)}); let {_m('x')} be its value:</p>")
        out.append(_dm(f"x = {f.scf_tex}"))
        out.append(_dm(f.quotients_tex + rf",\quad \text{{signs }} ({m.signs.replace('−', '-')})"
                       r"\text{ repeated}"))
        for label, tex in _pcf_display(f, "x"):
            if label:
                out.append(f'<p class="label">{h(label)}:</p>')
            out.append(_dm(tex))
        if f.pcf_parts is not None and f.pcf_parts["long"]:
            out.append("<details><summary>the polynomials a(n), b(n)</summary>"
                       + _dm(_broken("a(n)", f.pcf_parts["a"]))
                       + _dm(_broken("b(n)", f.pcf_parts["b"])) + "</details>")
        out.append(f"<p>Proof that {_m('x = ' + m.lhs_tex)}: {_status(f.status)}"
                   + (f" — {h(f.reason)}" if f.reason else "") + "</p>")
        if f.closed_tex and not f.steps:
            out.append('<p class="label">closed form (stored):</p>' + _dm(f"x = {f.closed_tex}"))
        if f.steps:
            out.append('<ol class="steps">')
            for title, tex in f.steps[1:]:
                out.append(f"<li><b>{h(title)}.</b> {_dm(tex)}</li>")
            out.append("</ol>")
        out.append(f"<p>Convergence: {h(_rate_text(m))}; {m.digits} digits verified by an "
                   "error bound.</p>")
        g = f.gainer
        b = g or m
        if g is not None:
            out.append(f"<p>Member with the largest gain over the simple continued fraction of "
                       f"its LHS: #{g.id}, signs ({h(g.signs)}), {h(_rate_text(g))}:</p>")
            out.append(_dm(f"{g.lhs_tex} = {f.best_scf_tex}"))
            out.append(_dm(f.best_quotients_tex + rf",\quad \text{{signs }} "
                           f"({g.signs.replace('−', '-')})" + r"\text{ repeated}"))
        if f.number in plots:
            out.append(f'<figure><img src="{h(plots[f.number])}" width="560" alt="proven correct '
                       f'digits against depth, family {f.number}"><figcaption>Proven correct '
                       f"digits against depth: #{b.id} and the simple continued fraction of "
                       "the same LHS.</figcaption></figure>")
        shown = f.members[:MAX_MEMBERS]
        more = len(f.members) - len(shown)
        out.append(f"<details><summary>members ({len(f.members)})</summary><table><tr><th>id</th>"
                   "<th>LHS</th><th>signs</th><th class=num>digits/term</th><th class=num>vs "
                   "simple CF</th><th class=num>digits</th><th>status</th></tr>")
        for e in shown:
            out.append(f"<tr><td>#{e.id}</td><td>{_m(e.lhs_tex)}</td><td class=nw>{h(e.signs)}</td>"
                       f"<td class=num>{_rate(e.rate)}</td><td class=num>{_ratio(e)}</td>"
                       f"<td class=num>{e.digits}</td><td>{h(e.status)}</td></tr>")
        out.append("</table>" + (f"<p>… and {more} more (<code>esma export --constant "
                                 f"{h(page.constant)}</code> lists them all).</p>" if more else "")
                   + "</details>")
    if getattr(page, "searched_empty", None):
        pass
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _broken(lhs: str, poly_tex: str, width: int = 90) -> str:
    r"""``lhs = poly`` in an ``aligned`` block broken before a top-level ``+``/``-`` every
    ``width`` characters (MathJax 3 does not break lines itself).

    >>> print(_broken("a(n)", "n^{2} + 3 n - 4", width=12))
    \begin{aligned} a(n) = {} & n^{2} + 3 n \\ & - 4\end{aligned}
    """
    terms, depth, cur = [], 0, ""
    for ch in poly_tex:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if depth == 0 and ch in "+-" and cur.strip():
            terms.append(cur)
            cur = ""
        cur += ch
    terms.append(cur)
    lines, line = [], ""
    for t in terms:
        if line and len(line) + len(t) > width:
            lines.append(line.rstrip())
            line = ""
        line += t
    lines.append(line.rstrip())
    return (rf"\begin{{aligned}} {lhs} = {{}} & " + r" \\ & ".join(x.strip() for x in lines)
            + r"\end{aligned}")


def _empty_searches(store, constants) -> list:
    """``[(text, LaTeX)]`` of the constants searched (a finished run) with no conjecture, when
    the report covers the whole store (``constants`` is ``None``)."""
    if constants is not None:
        return []
    from sympy import latex

    from ..numeric.parse import parse_constant

    stored = set(store.constants())
    out = []
    for r in store.runs():
        c = r.get("constant")
        if r.get("status") != "done" or not c or c in stored or c in [x for x, _ in out]:
            continue
        try:
            out.append((c, latex(parse_constant(c))))
        except (ValueError, TypeError, SyntaxError):
            out.append((c, r"\text{" + re.sub(r"[\\{}$^_%&#]", "", c) + "}"))
    return out


def _share(p) -> str:
    """The share of a page's conjectures that are proven, as a percentage.

    >>> from types import SimpleNamespace as NS
    >>> _share(NS(n_proven=3, n_conjectures=4)), _share(NS(n_proven=0, n_conjectures=0))
    ('75%', '')
    """
    if not p.n_conjectures:
        return ""
    return f"{100 * p.n_proven / p.n_conjectures:.0f}%"


def _html_index(pages: list, mathjax: str, empty=()) -> str:
    h = html.escape
    out = _head("Identities found by the ESMA search", mathjax)
    out += ["<h1>Identities found by the ESMA search</h1>",
            f"<p>{len(pages)} constants, {sum(p.n_conjectures for p in pages)} conjectures. "
            "A family is a set of conjectures proven to be one formula up to a Möbius map of "
            "the LHS; a family is proven when its simplest member has a closed form and a "
            "checked certificate. A family is <i>classical</i> when it holds the simple "
            "continued fraction of one of its LHS, <i>new</i> otherwise. The largest gain is "
            "the largest ratio of digits per term to the simple continued fraction of the same "
            "LHS; where the constant is a ratio, c stands for it.</p>",
            "<table><tr><th>constant</th><th class=num>conjectures</th><th class=num>families"
            "</th><th class=num>new</th><th class=num>proven families</th><th class=num>proven "
            "conjectures</th><th>largest gain over the simple CF"
            "</th><th class=num>digits/term</th><th class=num>vs simple CF</th></tr>"]
    for p in pages:
        best = p.best
        proven = sum(f.proven for f in p.families)
        cell = ("" if best is None else
                f'{_m(best[1].lhs_tex)}, <span class=nw>signs ({h(best[1].signs)})</span>')
        out.append(f'<tr><td><a href="{h(p.slug)}.html">{_m(p.title_tex)}</a></td>'
                   f"<td class=num>{p.n_conjectures}</td><td class=num>{len(p.families)}</td>"
                   f"<td class=num>{p.new_families}</td>"
                   f"<td class=num>{proven}/{len(p.families)}</td>"
                   f"<td class=num>{_share(p)}</td><td>{cell}</td>"
                   f"<td class=num>{_rate(best[1].rate) if best else ''}</td>"
                   f"<td class=num>{_ratio(best[1]) if best else ''}</td></tr>")
    out.append("</table>")
    if empty:
        out.append("<p>Searched, no conjecture found: "
                   + ", ".join(_m(tex) for _, tex in empty) + ".</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# -- MyST (the Sphinx gallery) --------------------------------------------------------------------

def _mm(tex: str) -> str:
    return "{math}`" + tex.replace("`", "") + "`"


def _myst(page, plots: dict) -> str:
    out = [f"# Identities for {page.title_text}", "",
           f"Identities for {_mm(page.title_tex)}: " + _summary(page), ""]
    if page.symbol:
        out += [f"In the left-hand sides, {_mm(page.symbol + ' = ' + page.title_tex)}.", ""]
    best = page.best
    if best:
        f, m = best
        out += [f"Largest gain over the simple continued fraction of the same LHS: "
                f"{_mm(m.lhs_tex)}, signs ({m.signs}), {_rate(m.rate)} digits per term against "
                f"{_rate(m.simple_rate)}, {_ratio(m)} (family {f.number}).", ""]
    out += ["| family | simplest member | signs | members | digits/term | simple CF | "
            "largest gain | proof | kind |",
            "|---|---|---|--:|--:|--:|---|---|---|"]
    for f in page.families:
        m, g = f.simplest, f.gainer
        gain = _ratio(m) if g is None else f"{_ratio(g)} (#{g.id}, signs {g.signs})"
        out.append(f"| {f.number} | {_mm(m.lhs_tex)} | {m.signs} | {len(f.members)} | "
                   f"{_rate(m.rate)} | {_rate(m.simple_rate)} | {gain} | {f.status} | "
                   f"{'classical' if f.classical else 'new'} |")
    out.append("")
    for f in page.families:
        m = f.simplest
        out += [f"## Family {f.number} ({'classical' if f.classical else 'new'})", "",
                f"{_plural(len(f.members), 'conjecture')}, {f.n_proven} proven; simplest member "
                f"#{m.id}, signs ({m.signs}); let {_mm('x')} be its value:", "",
                "```{math}", f"x = {f.scf_tex}", "```", "",
                "```{math}", f.quotients_tex + rf",\quad \text{{signs }} "
                f"({m.signs.replace('−', '-')})" + r"\text{ repeated}", "```", ""]
        for label, tex in _pcf_display(f, "x"):
            if label:
                out += [f"{label[0].upper()}{label[1:]}:", ""]
            out += ["```{math}", tex, "```", ""]
        out += [f"Proof that {_mm('x = ' + m.lhs_tex)}: **{f.status}**"
                + (f" ({f.reason})" if f.reason else "") + ".", ""]
        if f.closed_tex and not f.steps:
            out += ["Closed form (stored):", "", "```{math}", f"x = {f.closed_tex}", "```", ""]
        for i, (title, tex) in enumerate(f.steps[1:], 1):
            out += [f"{i}. {title}:", "", "   ```{math}", f"   {tex}", "   ```", ""]
        out += [f"Convergence: {_rate_text(m)}; {m.digits} digits verified by an error bound.", ""]
        g = f.gainer
        if g is not None:
            out += [f"Member with the largest gain over the simple continued fraction of its "
                    f"LHS: #{g.id}, signs ({g.signs}), {_rate_text(g)}:", "", "```{math}",
                    f"{g.lhs_tex} = {f.best_scf_tex}", "```", ""]
        if f.number in plots:
            out += [f"![proven correct digits against depth, family {f.number}]"
                    f"({plots[f.number]})", ""]
    return "\n".join(out).rstrip() + "\n"


def _myst_index(pages: list, empty=()) -> str:
    lines = ["# Gallery of identities", "",
             "Pages written by `esma report` from small ESMA searches.", "",
             "| constant | conjectures | families | new | proven families | proven conjectures | "
             "largest gain over the simple CF |",
             "|---|--:|--:|--:|--:|--:|---|"]
    for p in pages:
        best = p.best
        proven = sum(f.proven for f in p.families)
        cell = "" if best is None else (f"{_ratio(best[1])}: {_mm(best[1].lhs_tex)}, signs "
                                        f"({best[1].signs}), {_rate(best[1].rate)} digits/term")
        lines.append(f"| [{p.title_text}]({p.slug}.md) | {p.n_conjectures} | {len(p.families)} "
                     f"| {p.new_families} | {proven}/{len(p.families)} | {_share(p)} | {cell} |")
    if empty:
        lines += ["", "Searched, no conjecture found: " + ", ".join(_mm(t) for _, t in empty) + "."]
    lines += ["", "```{toctree}", ":hidden:", ":maxdepth: 1", ""]
    lines += [p.slug for p in pages]
    return "\n".join(lines + ["```", ""])


def _fold_one(row: dict) -> tuple:
    from ..store.rows import fold_text

    return (row["id"],) + fold_text(row_conjecture(row))


def _fold_rows(store, rows: list, jobs: int) -> dict:
    """``{id: row with the PCF}`` for ``rows``: cached ones from the store, the others folded
    (in ``jobs`` processes when ``jobs > 1``) and written to the store by this process."""
    todo = [r for r in rows if r.get("pcf") is None or r.get("pcf_latex") is None]
    done = {r["id"]: r for r in rows if r not in todo}
    if jobs > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(min(jobs, len(todo))) as pool:
            results = list(pool.map(_fold_one, todo, chunksize=1))
    else:
        results = [_fold_one(r) for r in todo]
    for r, (cid, pcf, mob, tex) in zip(todo, results):
        if pcf is not None:
            store.set_pcf(cid, pcf, mob, tex)
        done[cid] = dict(r, pcf=pcf, pcf_mobius=mob, pcf_latex=tex)
    return done


def fresh_file(path) -> None:
    """Make way for a file the report writes at ``path``: a symbolic link there is removed
    (never followed: a link in an earlier report directory made ``esma report`` overwrite the
    file it pointed to), anything else that is not a regular file is refused."""
    import os

    if os.path.islink(path):
        os.unlink(path)
    elif os.path.lexists(path) and not os.path.isfile(path):
        raise ValueError(f"--out: {os.fspath(path)!r} is in the way of a report file "
                         "(not a regular file)")


#: the file that marks a directory as written by :func:`write_report`
REPORT_MARKER = ".esma-report"


def write_report(store, out, *, format: str = "html", constants=None, max_plots=None,
                 all_pcf: bool = False, plot_depth: int = 60, jobs: int = 1,
                 prove: bool = True, timings: dict | None = None) -> list:
    """Write a page per constant (and an index) of the stored identities into ``out``.

    Explanation
    ===========

    See the module docstring for what a page shows.  Plots are drawn for the families whose
    rate differs from the simple continued fraction's, at most ``max_plots`` per constant
    (default: all of them).  ``format='pdf'`` writes the LaTeX pages and compiles them with
    ``pdflatex`` (a clear error when no TeX installation is found).

    Examples
    ========

    >>> import os, tempfile
    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> from esma_sympy.store import Store, run_search
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     with Store(os.path.join(tmp, "s.sqlite")) as store:
    ...         _ = run_search(plan_search(E, lhs=["E"], max_period=2, depth=40), store)
    ...         pages = write_report(store, os.path.join(tmp, "out"))
    ...         files = sorted(os.listdir(os.path.join(tmp, "out")))
    >>> [os.path.basename(p) for p in pages], files[:4], files[-1]
    (['e.html', 'index.html'], ['.esma-report', '_static', 'e.html', 'e_1.svg'], 'index.html')

    Parameters
    ==========

    store : Store
    out : str or os.PathLike
        The output directory (created when missing); a file ``.esma-report`` marks it as a
        report, which ``esma report --out`` may write into again (another non-empty
        directory needs ``--force``).
    format : {'html', 'myst', 'latex', 'pdf'}
    constants : list of str, optional
        Only these constants (as stored, e.g. ``'exp(2)'``).
    max_plots : int, optional
        At most this many plots per constant.
    all_pcf : bool
        Fold every conjecture (and cache the PCFs in the store), not only the simplest member
        of each family.
    plot_depth : int
        The largest depth of the plots.
    jobs : int
        Fold in this many processes (the store is still written by this process only).
    prove : bool
        Prove the simplest member of each family (about 10 ms each); otherwise show the
        stored proof status.
    timings : dict, optional
        Filled with the seconds spent per phase (``fold``, ``prove``, ``plot``, ``render``).

    Returns
    =======

    list of str
        The pages written (the index last; for ``'pdf'`` the PDF files).
    """
    from .model import build_page

    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {format!r}")
    jobs = check_int(jobs, "jobs", 1)
    plot_depth = check_int(plot_depth, "plot_depth", 2)
    if max_plots is not None:
        max_plots = check_int(max_plots, "max_plots", 0)
    if format == "pdf":
        from .latex import find_pdflatex

        find_pdflatex()                     # a clear error before anything is written
    stored = store.constants()
    constants_given = constants
    if constants is None:
        constants = stored
    else:
        constants = list(dict.fromkeys(constants))
        for c in constants:
            if c not in stored:
                raise ValueError(f"constant = {c!r} has no conjectures in the store "
                                 f"(stored: {', '.join(stored) or 'none'})")
    out = os.fspath(out)
    os.makedirs(out, exist_ok=True)
    fresh_file(os.path.join(out, REPORT_MARKER))
    with open(os.path.join(out, REPORT_MARKER), "w", encoding="utf-8") as f:
        f.write("written by esma report: `esma report --out` may replace the files here\n")
    tm = timings if timings is not None else {}
    for k in ("fold", "prove", "plot", "render"):
        tm.setdefault(k, 0.0)
    ext = _EXT[format]
    mathjax = None
    if format == "html":
        from .mathjax import install_mathjax

        mathjax = install_mathjax(out)
    written, pages, used = [], [], {"index"}
    empty = _empty_searches(store, None if constants_given is None else constants_given)
    for const in constants:
        slug = _slug(const)
        while slug in used:
            slug += "_"
        used.add(slug)
        if all_pcf:
            t0 = time.perf_counter()
            _fold_rows(store, store.rows(constant=const), jobs)
            tm["fold"] += time.perf_counter() - t0
        page = build_page(store, const, slug, prove=prove, plot_depth=plot_depth, jobs=jobs,
                          timings=tm)
        t0 = time.perf_counter()
        plots = {}
        from .plots import plot_curves

        for f in page.families:
            if f.curves is None or (max_plots is not None and len(plots) >= max_plots):
                continue
            name = f"{slug}_{f.number}{_PLOT_EXT[format]}"
            b = f.gainer or f.simplest
            title = f"{_plain_lhs(b.lhs_text)}, signs ({b.signs})"
            path = os.path.join(out, name)
            if name.endswith(".svg"):           # HTML, MyST: drawn directly, ~1 ms
                from .plots import svg_curves

                fresh_file(path)
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(svg_curves(f.curves, signs=b.signs, title=title))
            else:                               # LaTeX: a vector PDF by matplotlib
                plot_curves(f.curves, path, signs=b.signs, title=title)
            plots[f.number] = name
        tm["plot"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        if format == "html":
            text = _html(page, plots, mathjax)
        elif format == "myst":
            text = _myst(page, plots)
        else:
            from .latex import render_page

            text = render_page(page, plots)
        path = os.path.join(out, slug + ext)
        fresh_file(path)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        tm["render"] += time.perf_counter() - t0
        written.append(path)
        pages.append(page)
    t0 = time.perf_counter()
    if format == "html":
        text = _html_index(pages, mathjax, empty)
    elif format == "myst":
        text = _myst_index(pages, empty)
    else:
        from .latex import render_index

        text = render_index(pages, empty)
    path = os.path.join(out, "index" + ext)
    fresh_file(path)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    written.append(path)
    tm["render"] += time.perf_counter() - t0
    if format == "pdf":
        from .latex import compile_pdf

        written = [compile_pdf(p) for p in written]
    return written
