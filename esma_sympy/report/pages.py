"""Identity pages: one page per constant, in MyST Markdown, LaTeX or HTML.

A page lists the stored conjectures of one constant grouped by family (conjectures whose
signed continued fractions share a tail, so their LHS are integer Möbius images of each other;
theory T5.4).  The simplest member of a family (lowest recurrence order, then shortest sign pattern), its
*representative*, is shown in full:

* ``LHS = SCF`` and ``LHS = PCF`` (the SCF folded into a polynomial continued fraction, with
  the exact Möbius map when the PCF's value is an image of the LHS; theory T4.4),
* the closed form and the proof status (filled in by ``esma_sympy.theory``),
* the verified digits (proven by an error bound, theory T5.3) and the convergence rate in
  digits per term next to that of the simple continued fraction of the same LHS,
* a PNG plot of proven correct digits against depth for both continued fractions.

Other members get ``LHS = SCF``, digits and rates (``all_pcf=True`` folds them too).  Folding
is a SymPy computation (about 0.4 s per conjecture); folded PCFs are cached in the store, so a
second report is fast.
"""

from __future__ import annotations

import html
import json
import os
import re
import time

from .._args import check_int
from ..store.rows import row_conjecture

__all__ = ["write_report", "FORMATS"]

FORMATS = ("myst", "latex", "html")
_EXT = {"myst": ".md", "latex": ".tex", "html": ".html"}


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


def _constant_latex(text: str) -> str:
    from sympy import latex

    from ..numeric.parse import parse_constant

    return latex(parse_constant(text))


def _closed_latex(text):
    if text is None:
        return None
    from sympy import latex

    from ..numeric.parse import parse_constant

    try:
        return latex(parse_constant(text))
    except (ValueError, TypeError, SyntaxError):
        return r"\text{" + text.replace("\\", "").replace("{", "").replace("}", "") + "}"


def _entry(row, *, full: bool, fold: bool, plot_path, plot_depth: int) -> dict:
    c = row_conjecture(row)
    e = {
        "id": row["id"],
        "lhs_text": row["lhs"],
        "signs": "".join("+" if s > 0 else "-" for s in c.signs),
        "lhs": c.lhs_latex,  # natural order: e - 1, not -1 + e
        "scf": c.scf.to_latex(),
        "pcf": row.get("pcf_latex") if fold else None,
        "closed": _closed_latex(row["closed_form"]),
        "status": row["proof_status"],
        "digits": row["digits"],
        "rate": row["rate"],
        "simple_rate": row["simple_rate"],
        "quotients": ", ".join(json.loads(row["quotients"])),
        "prefix": ", ".join(map(str, json.loads(row["prefix"]))),
        "full": full,
        "plot": None,
    }
    if plot_path is not None:
        from .plots import plot_digits

        plot_digits(c, plot_path, depth=plot_depth,
                    title=f"{row['lhs']}, signs ({e['signs']})")
        e["plot"] = os.path.basename(plot_path)
    return e


def _rate_text(e) -> str:
    r, s = e["rate"], e["simple_rate"]
    rt = "n/a" if r is None else f"{r:.4f}"
    st = "n/a" if s is None else f"{s:.4f}"
    ratio = f" ({r / s:.2f} times)" if r and s else ""
    return f"{rt} digits per term; simple continued fraction: {st}{ratio}"


# -- renderers ------------------------------------------------------------------------------------

def _myst(title_tex, const_text, families, stats) -> str:
    out = [f"# Identities for {{math}}`{title_tex}`", "",
           f"{stats['n']} conjectures on `{const_text}` in {len(families)} families "
           f"(from the store; ids as in `esma list`).", ""]
    for fid, members in families:
        rep = members[0]
        out += [f"## Family {fid}: `{rep['lhs_text']}`", ""]
        for e in members:
            if e["full"]:
                out += [f"**#{e['id']}**, signs `({e['signs']})`, quotients: prefix "
                        f"`[{e['prefix']}]`, `P_r(k)` = `{e['quotients']}`", "",
                        "```{math}", f"{e['lhs']} = {e['scf']}", "```", ""]
                if e["pcf"]:
                    out += ["Folded into a polynomial continued fraction:", "", "```{math}",
                            f"{e['lhs']} = {e['pcf']}", "```", ""]
                if e["closed"]:
                    out += ["Closed form:", "", "```{math}", e["closed"], "```", ""]
                out += [f"- proof status: {e['status']}",
                        f"- verified digits: {e['digits']}",
                        f"- convergence rate: {_rate_text(e)}", ""]
                if e["plot"]:
                    out += [f"![correct digits against depth, #{e['id']}]({e['plot']})", ""]
        rest = [e for e in members if not e["full"]]
        if rest:
            out += ["Other members of the family:", ""]
            for e in rest:
                out += [f"- **#{e['id']}** `{e['lhs_text']}`, signs `({e['signs']})`, "
                        f"{e['digits']} digits, rate {_rate_text(e)}", "", "  ```{math}",
                        f"  {e['lhs']} = {e['scf']}", "  ```", ""]
    return "\n".join(out).rstrip() + "\n"


def _latex(title_tex, const_text, families, stats) -> str:
    def esc(t):
        return re.sub(r"([#$%&_{}])", r"\\\1", str(t)).replace("^", r"\^{}")

    out = [r"\documentclass[11pt]{article}", r"\usepackage{amsmath,amssymb,graphicx}",
           r"\usepackage[margin=2cm]{geometry}", r"\allowdisplaybreaks",
           r"\begin{document}", rf"\section*{{Identities for ${title_tex}$}}",
           f"{stats['n']} conjectures on \\texttt{{{esc(const_text)}}} in {len(families)} "
           "families.", ""]
    for fid, members in families:
        out += [rf"\subsection*{{Family {fid}}}"]
        for e in members:
            out += [rf"\paragraph{{\#{e['id']}}} signs $({e['signs']})$, "
                    f"{e['digits']} verified digits, rate {esc(_rate_text(e))}.",
                    r"\[", f"{e['lhs']} = {e['scf']}", r"\]"]
            if e["full"]:
                if e["pcf"]:
                    out += ["Folded:", r"\[", f"{e['lhs']} = {e['pcf']}", r"\]"]
                if e["closed"]:
                    out += ["Closed form:", r"\[", e["closed"], r"\]"]
                out += [f"Proof status: {esc(e['status'])}."]
                if e["plot"]:
                    out += [r"\begin{center}",
                            rf"\includegraphics[width=0.7\textwidth]{{{e['plot']}}}",
                            r"\end{center}"]
            out.append("")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


_MATHJAX = ('<script defer src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js">'
            "</script>")


def _html(title_tex, const_text, families, stats) -> str:
    h = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>Identities for {h(const_text)}</title>", _MATHJAX, "</head><body>",
           f"<h1>Identities for \\({h(title_tex)}\\)</h1>",
           f"<p>{stats['n']} conjectures on <code>{h(const_text)}</code> in {len(families)} "
           "families.</p>"]
    for fid, members in families:
        out.append(f"<h2>Family {fid}: <code>{h(members[0]['lhs_text'])}</code></h2>")
        for e in members:
            out.append(f"<h3>#{e['id']} <code>{h(e['lhs_text'])}</code>, signs "
                       f"({h(e['signs'])})</h3>")
            out.append(f"<p>\\[{h(e['lhs'])} = {h(e['scf'])}\\]</p>")
            if e["full"]:
                if e["pcf"]:
                    out.append(f"<p>Folded: \\[{h(e['lhs'])} = {h(e['pcf'])}\\]</p>")
                if e["closed"]:
                    out.append(f"<p>Closed form: \\[{h(e['closed'])}\\]</p>")
                out.append(f"<ul><li>proof status: {h(e['status'])}</li>")
            else:
                out.append("<ul>")
            out.append(f"<li>verified digits: {e['digits']}</li>"
                       f"<li>convergence rate: {h(_rate_text(e))}</li></ul>")
            if e["plot"]:
                out.append(f'<p><img src="{h(e["plot"])}" alt="correct digits against depth, '
                           f'#{e["id"]}"></p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


_RENDER = {"myst": _myst, "latex": _latex, "html": _html}


def _index(fmt: str, pages: list) -> str:
    if fmt == "myst":
        lines = ["# Gallery of identities", "",
                 "Pages generated by `esma report` from the conjecture store.", "",
                 "```{toctree}", ":maxdepth: 1", ""]
        lines += [os.path.splitext(name)[0] for name, _, _ in pages]
        return "\n".join(lines + ["```", ""])
    if fmt == "latex":
        items = "\n".join(rf"\item \texttt{{{name}}}: {n} conjectures ($\,{tex}\,$)"
                          for name, tex, n in pages)
        return ("\\documentclass{article}\n\\begin{document}\n\\section*{Gallery of identities}\n"
                f"\\begin{{itemize}}\n{items}\n\\end{{itemize}}\n\\end{{document}}\n")
    items = "\n".join(f'<li><a href="{html.escape(name)}">{html.escape(name)}</a>: {n} '
                      "conjectures</li>" for name, _, n in pages)
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Gallery of '
            f'identities</title></head><body><h1>Gallery of identities</h1><ul>\n{items}\n'
            "</ul></body></html>\n")


def _simplicity(row) -> tuple:
    return (len(json.loads(row["charpoly"])), len(json.loads(row["signs"])), row["id"])


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


def write_report(store, out, *, format: str = "myst", constants=None, max_plots=None,
                 all_pcf: bool = False, plot_depth: int = 60, jobs: int = 1,
                 timings: dict | None = None) -> list:
    """Write a page per constant (and an index) of the stored identities into ``out``.

    Explanation
    ===========

    See the module docstring for what a page shows.  Plots are drawn for family
    representatives, at most ``max_plots`` per constant (default: every family); the PCF is
    computed for representatives (every conjecture with ``all_pcf=True``) and cached in the
    store.

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
    ...         print([os.path.basename(p) for p in pages], sorted(os.listdir(os.path.join(tmp, "out"))))
    ['e.md', 'index.md'] ['.esma-report', 'e.md', 'e_1.png', 'e_2.png', 'e_3.png', 'index.md']

    Parameters
    ==========

    store : Store
    out : str or os.PathLike
        The output directory (created when missing); a file ``.esma-report`` marks it as a
        report, which ``esma report --out`` may write into again (another non-empty
        directory needs ``--force``).
    format : {'myst', 'latex', 'html'}
    constants : list of str, optional
        Only these constants (as stored, e.g. ``'exp(2)'``).
    max_plots : int, optional
        At most this many plots per constant.
    all_pcf : bool
        Fold every conjecture, not only the family representatives.
    plot_depth : int
        The largest depth of the plots.
    jobs : int
        Fold in this many processes (the store is still written by this process only).
    timings : dict, optional
        Filled with the seconds spent per phase (``fold``, ``plot``, ``render``).

    Returns
    =======

    list of str
        The pages written (the index last).
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {format!r}")
    jobs = check_int(jobs, "jobs", 1)
    if max_plots is not None:
        max_plots = check_int(max_plots, "max_plots", 0)
    stored = store.constants()
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
    for k in ("fold", "plot", "render"):
        tm.setdefault(k, 0.0)
    ext = _EXT[format]
    written, index, used = [], [], {"index"}
    for const in constants:
        slug = _slug(const)
        while slug in used:
            slug += "_"
        used.add(slug)
        rows = store.rows(constant=const)
        groups: dict = {}
        for r in rows:
            groups.setdefault((r["run_id"], r["family"]), []).append(r)
        families, plots = [], 0
        # the representative of a family: its simplest identity (lowest recurrence order,
        # then shortest sign pattern, then first found)
        ordered = [sorted(m, key=_simplicity) for m in groups.values()]
        t0 = time.perf_counter()
        want = [m[0] for m in ordered] if not all_pcf else [r for m in ordered for r in m]
        folded = _fold_rows(store, want, jobs)
        tm["fold"] += time.perf_counter() - t0
        for fid, members in enumerate(ordered):
            entries = []
            for i, r in enumerate(members):
                full = i == 0
                plot = None
                if full and (max_plots is None or plots < max_plots):
                    plot = os.path.join(out, f"{slug}_{r['id']}.png")
                    plots += 1
                fold = full or all_pcf
                r = folded.get(r["id"], r)
                t0 = time.perf_counter()
                entries.append(_entry(r, full=full, fold=fold, plot_path=plot,
                                      plot_depth=plot_depth))
                tm["plot" if plot else "render"] += time.perf_counter() - t0
            families.append((fid, entries))
        t0 = time.perf_counter()
        tex = _constant_latex(const)
        text = _RENDER[format](tex, const, families, {"n": len(rows)})
        path = os.path.join(out, slug + ext)
        fresh_file(path)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        tm["render"] += time.perf_counter() - t0
        written.append(path)
        index.append((slug + ext, tex, len(rows)))
    path = os.path.join(out, "index" + ext)
    fresh_file(path)
    with open(path, "w", encoding="utf-8") as f:
        f.write(_index(format, index))
    written.append(path)
    return written
