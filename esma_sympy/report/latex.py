r"""LaTeX pages of a report, and their PDF.

One entry per family (its simplest member ``LHS = SCF``, the PCF by its first terms when the
polynomials are long, the closed form and the proof's steps, the digits per term, the plot
where the rates differ), written to compile with ``pdflatex``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

__all__ = ["render_page", "render_index", "find_pdflatex", "compile_pdf"]


def _esc(t) -> str:
    r"""Plain text made safe for LaTeX.

    >>> _esc("a_b 50% #1")
    'a\\_b 50\\% \\#1'
    """
    t = re.sub(r"([#$%&_{}])", r"\\\1", str(t)).replace("^", r"\^{}")
    return t.replace("−", "-").replace("×", r"$\times$")


_PREAMBLE = [r"\documentclass[11pt]{article}", r"\usepackage[T1]{fontenc}",
             r"\usepackage[utf8]{inputenc}", r"\usepackage{amsmath,amssymb,graphicx}",
             r"\usepackage[margin=2cm]{geometry}", r"\allowdisplaybreaks",
             r"\setlength{\emergencystretch}{3em}"]


def render_page(page, plots: dict) -> str:
    """The LaTeX document of one constant's page (a :class:`~esma_sympy.report.model.ConstantPage`)."""
    from .pages import _pcf_display, _rate_text

    nf = len(page.families)
    proven = sum(f.proven for f in page.families)
    out = _PREAMBLE + [r"\begin{document}", rf"\section*{{Identities for ${page.title_tex}$}}",
                       f"{page.n_conjectures} conjectures in {page.n_tail_families} families of "
                       f"shared tails, merged into {nf} families of formulas proven "
                       f"equivalent; {proven} of {nf} proven.", ""]
    for f in page.families:
        m = f.simplest
        out += [rf"\subsection*{{Family {f.number}: ${m.lhs_tex}$}}",
                f"{len(f.members)} conjectures; simplest member \\#{m.id}, signs "
                f"$({_esc(m.signs)})$:", r"\[", f"{m.lhs_tex} = {f.scf_tex}", r"\]"]
        for label, tex in _pcf_display(f):
            if label:
                out.append(_esc(label) + ":")
            out += [r"\[", tex, r"\]"]
        out.append(f"Proof: \\textbf{{{_esc(f.status)}}}" + (f" ({_esc(f.reason)})" if f.reason else "") + ".")
        if f.closed_tex:
            out += [r"\[", rf"\text{{value}} = {f.closed_tex}", r"\]"]
        if f.steps:
            out.append(r"\begin{enumerate}")
            for title, tex in f.steps[1:]:
                out += [rf"\item {_esc(title)}: \[ {tex} \]"]
            out.append(r"\end{enumerate}")
        out.append(f"Convergence: {_esc(_rate_text(m))}; {m.digits} digits verified.")
        if f.number in plots:
            out += [r"\begin{center}", rf"\includegraphics[width=0.7\textwidth]{{{plots[f.number]}}}",
                    r"\end{center}"]
        out.append("")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def render_index(pages: list) -> str:
    """The LaTeX index of a report: one line per constant."""
    items = "\n".join(rf"\item ${p.title_tex}$: {p.n_conjectures} conjectures, "
                      f"{len(p.families)} families (\\texttt{{{_esc(p.slug)}.tex}})" for p in pages)
    return "\n".join(_PREAMBLE + [r"\begin{document}", r"\section*{Identities found by the ESMA search}",
                                  r"\begin{itemize}", items, r"\end{itemize}", r"\end{document}"]) + "\n"


def find_pdflatex() -> str:
    """The path of ``pdflatex``; a ``ValueError`` that says what to install when it is missing."""
    path = shutil.which("pdflatex")
    if path is None:
        raise ValueError("--format pdf needs pdflatex, which was not found on PATH: install a "
                         "TeX distribution (e.g. Debian's texlive-latex-extra) or use "
                         "--format latex and compile the .tex files elsewhere")
    return path


def compile_pdf(tex_path) -> str:
    """Compile ``tex_path`` with ``pdflatex`` in its directory; the path of the PDF."""
    tex_path = os.fspath(tex_path)
    d, name = os.path.split(tex_path)
    res = subprocess.run([find_pdflatex(), "-interaction=nonstopmode", "-halt-on-error", name],
                         cwd=d or ".", capture_output=True, text=True, timeout=600)
    pdf = os.path.splitext(tex_path)[0] + ".pdf"
    if res.returncode != 0 or not os.path.exists(pdf):
        tail = "\n".join(res.stdout.splitlines()[-15:])
        raise ValueError(f"pdflatex failed on {tex_path}:\n{tail}")
    return pdf
