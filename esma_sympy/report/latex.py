r"""LaTeX pages of a report, and their PDF.

A page per constant: a summary table of its families, then one entry (``\subsection*``) per
family -- its simplest member ``LHS = SCF``, the Möbius image and the canonical PCF by its
first terms and its polynomials, the closed form and the proof's steps, the digits per term
against the simple continued fraction, the plot where the rates differ, and a table of the
members (at most :data:`~esma_sympy.report.pages.MAX_MEMBERS`).  The index is a table of the
constants.

Written to compile with ``pdflatex`` without overfull boxes:

* continued fractions are printed in the linear notation
  ``a_0 + \frac{b_1}{a_1 +}\,\frac{b_2}{a_2 +}\dotsb`` (Jones and Thron), which breaks between
  levels, instead of nested ``\cfrac`` whose width and height grow with the depth;
* a formula that does not fit the line is set as a ragged paragraph of inline math, which
  TeX breaks after its top-level ``+``, ``-`` and ``=`` (long polynomials ``a(n)``, ``b(n)``);
* a proof step that still does not fit (matrices cannot be broken) is scaled to the line
  width, and a formula in a table cell to a third of it; the log says so (``esma: display
  scaled``, ``esma: cell scaled``).

:func:`compile_pdf` runs ``pdflatex`` (twice or three times, until the table widths and
references settle) and raises a one-line ``ValueError`` when it is missing or fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

__all__ = ["render_page", "render_index", "find_pdflatex", "compile_pdf"]


def _esc(t) -> str:
    r"""Plain text made safe for LaTeX.

    >>> _esc("a_b 50% #1 ~x")
    'a\\_b 50\\% \\#1 \\textasciitilde{}x'
    """
    t = str(t).replace("\\", r"\textbackslash{}")
    t = re.sub(r"([#$%&_{}])", r"\\\1", t)
    t = re.sub(r"(?<!\\textbackslash)\{\}", "{}", t)
    t = t.replace("^", r"\^{}").replace("~", r"\textasciitilde{}")
    return t.replace("−", "-").replace("×", r"$\times$").replace("—", "---")


_PREAMBLE = r"""\documentclass[11pt,a4paper]{article}
\IfFileExists{lmodern.sty}{\usepackage[T1]{fontenc}\usepackage{lmodern}}{}
\usepackage[utf8]{inputenc}
\usepackage{amsmath,amssymb,graphicx,array,longtable,booktabs}
\usepackage[margin=2.2cm]{geometry}
\usepackage[hidelinks]{hyperref}
\allowdisplaybreaks
\setlength{\emergencystretch}{3em}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5ex plus 0.3ex}
\newsavebox{\esmabox}
% a formula on its own line: centred when it fits, else a ragged paragraph broken after
% its top-level + - = (continuation lines indented)
\newcommand{\esmaeq}[1]{\sbox{\esmabox}{$\displaystyle #1$}%
  \ifdim\wd\esmabox>\linewidth
    {\par\medskip\leftskip=3em\rightskip=0pt plus 1fil\parfillskip=0pt plus 1fil
     \noindent\hspace*{-1.5em}$\displaystyle #1$\par\medskip}%
  \else\[\usebox{\esmabox}\]\fi}
% two formulas: on one line when they fit, else one \esmaeq each
\newcommand{\esmaeqs}[2]{\sbox{\esmabox}{$\displaystyle #1,\quad #2$}%
  \ifdim\wd\esmabox>\linewidth\esmaeq{#1,}\esmaeq{#2}\else\[\usebox{\esmabox}\]\fi}
% a formula that cannot be broken (matrices): scaled to the line width when too wide
\newcommand{\esmafit}[1]{\sbox{\esmabox}{$\displaystyle #1$}%
  \ifdim\wd\esmabox>\linewidth
    \typeout{esma: display scaled to the line width}%
    \[\resizebox{\linewidth}{!}{\usebox{\esmabox}}\]%
  \else\[\usebox{\esmabox}\]\fi}
% tables: rows with room for fractions
\newenvironment{esmatable}[1]{\renewcommand{\arraystretch}{1.45}\setlength{\tabcolsep}{4pt}%
  \begin{longtable}{#1}}{\end{longtable}}
% a formula in a table cell (a p-column, whose \linewidth is the column's) or in a sentence
% (at most half the line): scaled down when wider
\newcommand{\esmacell}[2][\linewidth]{\sbox{\esmabox}{$#2$}%
  \ifdim\wd\esmabox>#1
    \typeout{esma: cell scaled to its width}\resizebox{#1}{!}{\usebox{\esmabox}}%
  \else\usebox{\esmabox}\fi}
\newcommand{\esmainline}[1]{\esmacell[0.5\linewidth]{#1}}
% a column of a given fraction of the line (for formulas)
\newcolumntype{F}[1]{>{\raggedright\arraybackslash}p{#1\linewidth}}
% a header of two lines
\newcommand{\esmahead}[2]{{\renewcommand{\arraystretch}{1}%
  \begin{tabular}[b]{@{}c@{}}#1\\#2\end{tabular}}}
"""

#: levels of a PCF shown by its first terms
_PCF_LEVELS = 4
_NOTATION = (r"Continued fractions are written in the linear notation",
             r"\[ a_0 + \frac{b_1}{a_1 +}"
             r"\,\frac{b_2}{a_2 +}\,\frac{b_3}{a_3 +}\dotsb = a_0 + \cfrac{b_1}{a_1 + "
             r"\cfrac{b_2}{a_2 + \cfrac{b_3}{a_3 + \dotsb}}} \]",
             r"and as $a(0) + \mathop{\mathrm{K}}_{n=1}^{\infty} \frac{b(n)}{a(n)}$ when "
             r"$a_n = a(n)$ and $b_n = b(n)$ are polynomials in $n$.")


def _digits(tex: str) -> str:
    r"""``tex`` with a break allowed every 30 digits of a run of more than 40 (a number
    wider than the line).

    >>> _digits("x = " + "1" * 45) == "x = " + "1" * 30 + r"\allowbreak " + "1" * 15
    True
    """
    return re.sub(r"\d{41,}", lambda m: r"\allowbreak ".join(
        m[0][i:i + 30] for i in range(0, len(m[0]), 30)), tex)


def _linear_cf(a: list, b: list) -> str:
    r"""``a_0 + \frac{b_1}{a_1 +}\,\frac{b_2}{a_2 +}\dotsb`` from the LaTeX of
    ``a = [a_0, ..., a_L]`` and ``b = [b_1, ..., b_{L+1}]`` (``b_{L+1}`` gives the operator
    before the dots); a negative ``b_k`` is printed as a minus before its level, a zero
    ``a_0`` is left out.

    >>> _linear_cf(["2", "1", "2"], ["1", "-1", "1"])
    '2 + \\frac{1}{1 -}\\,\\allowbreak\\frac{1}{2 +}\\,\\allowbreak\\dotsb'
    >>> _linear_cf(["0", "3"], ["-1", "-5"])
    '-\\frac{1}{3 -}\\,\\allowbreak\\dotsb'
    """
    def split(t):                       # (is negative, magnitude)
        t = t.strip()
        return (True, t[1:].strip()) if t.startswith("-") else (False, t)

    neg, num = split(b[0])
    if a[0].strip() == "0":
        out = "-" if neg else ""
    else:
        out = a[0] + (" - " if neg else " + ")
    for k in range(1, len(a)):
        nxt_neg, nxt = split(b[k])
        out += rf"\frac{{{num}}}{{{a[k]} {'-' if nxt_neg else '+'}}}\,\allowbreak"
        num = nxt
    return out + r"\dotsb"


def _scf_tex(f) -> str:
    r"""The simplest member's SCF of a family in linear notation (``scf_tex`` when the page
    model has no terms).

    >>> from types import SimpleNamespace as NS
    >>> print(_scf_tex(NS(scf_quotients=(2, 1, 2), scf_signs=(1, 1, 1), scf_tex="")))
    2 + \frac{1}{1 +}\,\allowbreak\frac{1}{2 +}\,\allowbreak\dotsb
    >>> print(_scf_tex(NS(scf_quotients=(3, 4, 5), scf_signs=(-1, 1, -1), scf_tex="")))
    3 - \frac{1}{4 +}\,\allowbreak\frac{1}{5 -}\,\allowbreak\dotsb
    """
    q, s = f.scf_quotients, f.scf_signs
    if not q:
        return f.scf_tex
    return _digits(_linear_cf([str(x) for x in q], ["-1" if x < 0 else "1" for x in s]))


def _scf_tex_of(quotients, signs) -> str:
    """:func:`_scf_tex` of given terms and signs."""
    from types import SimpleNamespace

    return _scf_tex(SimpleNamespace(scf_quotients=quotients, scf_signs=signs, scf_tex=""))


def _pcf_first(P, levels: int = _PCF_LEVELS) -> str:
    r"""The first ``levels`` levels of a PCF ``a(0) + b(1)/(a(1) + ...)`` in linear notation.

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> print(_pcf_first(PCF(n + 3, -n, n), 2))
    3 - \frac{1}{4 -}\,\allowbreak\frac{2}{5 -}\,\allowbreak\dotsb
    """
    from sympy import Integer, latex

    n = P.index
    a = [latex(P.a.xreplace({n: Integer(k)})) for k in range(levels + 1)]
    b = [latex(P.b.xreplace({n: Integer(k)})) for k in range(1, levels + 2)]
    return _digits(_linear_cf(a, b))


def _mobius_tex(f) -> str | None:
    """``x = (a z + b)/(c z + d)`` of a family whose PCF value ``z`` is a Möbius image of the
    simplest member's value ``x``."""
    if f.mobius is None:
        return None
    from sympy import Symbol, latex, sympify

    G = f.mobius
    z = Symbol("z")
    g = (sympify(G[0][0]) * z + sympify(G[0][1])) / (sympify(G[1][0]) * z + sympify(G[1][1]))
    return rf"x = {latex(g)}"


def _signs(s: str) -> str:
    r"""A sign pattern (``+−−``) in math, each sign an ordinary symbol.

    >>> _signs("+−-")
    '$({+}{-}{-})$'
    """
    return "$(" + "".join("{+}" if c == "+" else "{-}" for c in s if c in "+-−") + ")$"


def _status(s: str) -> str:
    return rf"\textbf{{{_esc(s)}}}" if s == "proven" else rf"\textit{{{_esc(s)}}}"


def _family(f, page, plots: dict) -> list:
    from sympy import latex

    from .model import _parse_pcf
    from .pages import MAX_MEMBERS, _rate, _rate_text, _ratio

    m = f.simplest
    tails = ", ".join(map(str, f.tail_families))
    out = [rf"\subsection*{{\hypertarget{{family-{f.number}}}{{Family {f.number}}}: "
           rf"\esmacell[0.8\linewidth]{{\displaystyle {m.lhs_tex}}}}}",
           f"A {'classical' if f.classical else 'new'} family: "
           f"{len(f.members)} conjecture{'s' if len(f.members) != 1 else ''}, {f.n_proven} "
           f"proven (search famil{'ies' if len(f.tail_families) != 1 else 'y'} {tails}). "
           f"Simplest member \\#{m.id}, signs {_signs(m.signs)}; let $x$ be its value:",
           rf"\esmaeq{{x = {_scf_tex(f)}}}",
           rf"\esmaeq{{{f.quotients_tex}}}" if f.quotients_tex else "",
           f"with the signs {_signs(m.signs)} repeated."]
    if f.pcf_text is not None:
        P = _parse_pcf(f.pcf_text)
        lhs = "x"
        mob = _mobius_tex(f)
        if mob is not None:
            out += ["A Möbius image of the value $z$ of a PCF:", rf"\esmafit{{{mob}}}"]
            lhs = "z"
        K = r"\mathop{\mathrm{K}}_{n=1}^{\infty}"
        da, db = f.pcf_parts["degrees"] if f.pcf_parts else (None, None)
        label = f"The PCF (degrees {da} and {db}):"
        out += [label,
                rf"\esmaeq{{{lhs} = a(0) + {K} \frac{{b(n)}}{{a(n)}} = {_pcf_first(P)}}}",
                "where", rf"\esmaeqs{{a(n) = {_digits(latex(P.a))}}}"
                         rf"{{b(n) = {_digits(latex(P.b))}.}}"]
        if f.canonical_parts is not None:
            # the Möbius map is the fold's; the canonical form's value is a constant multiple
            # of the fold's (T4.10)
            ca, cb = f.canonical_parts
            out += [f"Its canonical form (T4.10), whose value ${lhs}'$ is a constant multiple "
                    f"of ${lhs}$, has", rf"\esmaeqs{{a'(n) = {_digits(ca)}}}"
                                        rf"{{b'(n) = {_digits(cb)}.}}"]
    out.append(f"Proof that $x = {m.lhs_tex}$: {_status(f.status)}"
               + (f" ({_esc(f.reason)})" if f.reason else "") + ".")
    if f.closed_tex and not f.steps:
        out.append(rf"Closed form (stored): \esmaeq{{x = {_digits(f.closed_tex)}}}")
    if len(f.steps) > 1:
        out.append(r"\begin{enumerate}")
        for title, tex in f.steps[1:]:
            out += [rf"\item {_esc(title)}:", rf"\esmafit{{{tex}}}"]
        out.append(r"\end{enumerate}")
    out.append(f"Convergence: {_esc(_rate_text(m))}; {m.digits} digits verified by an error "
               "bound.")
    g = f.gainer
    b = g or m
    if g is not None:
        out += [f"Member with the largest gain over the simple continued fraction of its LHS: "
                f"\\#{g.id}, signs {_signs(g.signs)}, {_esc(_rate_text(g))}:",
                rf"\esmaeq{{{g.lhs_tex} = {_scf_tex_of(f.best_scf_quotients, f.best_scf_signs)}}}",
                rf"\esmaeq{{{f.best_quotients_tex}}}"]
    if f.number in plots:
        out += [r"\begin{center}\begin{minipage}{0.65\linewidth}\centering",
                rf"\includegraphics[width=\linewidth]{{{plots[f.number]}}}\\[0.5ex]",
                rf"\small Proven correct digits against depth: \#{b.id} and the "
                r"simple continued fraction of the same LHS.", r"\end{minipage}\end{center}"]
    shown = f.members[:MAX_MEMBERS]
    more = len(f.members) - len(shown)
    out += [r"\begin{esmatable}{@{}rF{0.3}lrrrl@{}}",
            r"\toprule id & LHS & signs & \esmahead{digits}{per term} & "
            r"\esmahead{vs simple}{CF} & digits & status \\ \midrule \endhead"]
    for e in shown:
        out.append(rf"\#{e.id} & \esmacell{{{e.lhs_tex}}} & {_signs(e.signs)} & {_rate(e.rate)} & "
                   rf"{_esc(_ratio(e))} & {e.digits} & {_esc(e.status)} \\")
    out.append(r"\bottomrule \end{esmatable}")
    if more:
        out.append(rf"\dots\ and {more} more (\texttt{{esma export --constant "
                   rf"{_esc(page.constant)}}} lists them all).")
    out.append("")
    return out


def render_page(page, plots: dict) -> str:
    r"""The LaTeX document of one constant's page (a
    :class:`~esma_sympy.report.model.ConstantPage`): a summary table, then one
    ``\subsection*`` per family; ``plots`` maps family numbers to graphics files.

    >>> from esma_sympy.report.model import ConstantPage, Family, Member
    >>> m = Member(7, "E", "e", "+", 150, 1.1, 1.0, "proven")
    >>> f = Family(1, [m], [1], scf_tex="", scf_quotients=(2, 1, 2, 1), scf_signs=(1,) * 4,
    ...            status="proven")
    >>> tex = render_page(ConstantPage("E", "e", "e", "e", 1, 1, [f], 1), {})
    >>> tex.startswith(r"\documentclass"), tex.count(r"\subsection*{")
    (True, 1)
    >>> r"\#7 & \esmacell{e} & $({+})$ & 1.100 & 1.10$\times$ & 150 & proven \\" in tex
    True
    """
    from .pages import _rate, _ratio, _summary

    nf = len(page.families)
    proven = sum(f.proven for f in page.families)
    out = [_PREAMBLE, r"\begin{document}", rf"\section*{{Identities for ${page.title_tex}$}}",
           _esc(_summary(page)).replace("the ESMA search", f"the ESMA search on ${page.title_tex}$"),
           "", *([f"In the left-hand sides, ${page.symbol} = {page.title_tex}$.", ""]
                 if page.symbol else []), *_NOTATION, ""]
    best = page.best
    if best:
        f, m = best
        # ragged: a long formula may leave most of a line empty before it
        out += [r"{\raggedright Largest gain over the simple continued fraction of the same "
                rf"LHS: \esmainline{{{m.lhs_tex}}}, signs {_signs(m.signs)}, "
                f"{_rate(m.rate)} digits per term against {_rate(m.simple_rate)}, "
                f"{_esc(_ratio(m))} "
                rf"(family \hyperlink{{family-{f.number}}}{{{f.number}}}).\par}}", ""]
    out += [r"\begin{esmatable}{@{}rF{0.2}lrrrll@{}}",
            r"\toprule family & simplest member & signs & members & \esmahead{digits}{per term} & "
            r"\esmahead{largest}{gain} & \esmahead{PCF}{degrees} & proof \\ \midrule \endhead"]
    for f in page.families:
        deg = "" if f.pcf_parts is None else "(%d, %d)" % f.pcf_parts["degrees"]
        g = f.gainer
        gain = _esc(_ratio(f.simplest)) if g is None else rf"{_esc(_ratio(g))} (\#{g.id})"
        out.append(rf"\hyperlink{{family-{f.number}}}{{{f.number}}} & "
                   rf"\esmacell{{{f.simplest.lhs_tex}}} & {_signs(f.simplest.signs)} & "
                   rf"{len(f.members)} & {_rate(f.simplest.rate)} & {gain} & "
                   rf"{deg} & {_status(f.status)} \\")
    out += [r"\bottomrule \end{esmatable}", ""]
    for f in page.families:
        out += _family(f, page, plots)
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def render_index(pages: list, empty=()) -> str:
    r"""The LaTeX index of a report: a table of the constants (LaTeX name, counts of
    conjectures and families, proven families, the formula of largest gain), each
    name a link to the constant's PDF.

    >>> from esma_sympy.report.model import ConstantPage, Family, Member
    >>> m = Member(7, "E", "e", "+−", 150, 1.5, 1.0, "proven")
    >>> f = Family(1, [m], [1], scf_tex="", status="proven")
    >>> tex = render_index([ConstantPage("E", "e", "e", "e", 3, 1, [f], 1)])
    >>> print(tex.splitlines()[-3])
    \href{e.pdf}{\esmacell{e}} & 3 & 1 & 1 & 1/1 & \esmacell{e}, $({+}{-})$ & 1.500 (1.50$\times$) \\
    """
    from .pages import _rate, _ratio

    n = sum(p.n_conjectures for p in pages)
    out = [_PREAMBLE, r"\begin{document}", r"\section*{Identities found by the ESMA search}",
           f"{len(pages)} constant{'s' if len(pages) != 1 else ''}, {n} conjectures.  A family "
           "is a set of conjectures proven to be one formula up to a Möbius map of the LHS; a "
           "family is proven when its simplest member has a closed form and a checked "
           "certificate.  The formula of largest gain is the one with the largest ratio of "
           "digits per term to the simple continued fraction of its own LHS.", "",
           r"\begin{esmatable}{@{}F{0.17}rrrrF{0.27}r@{}}",
           r"\toprule constant & conjectures & families & new & proven & \esmahead{largest gain}"
           r"{formula, signs} & \esmahead{digits per term}{(vs simple CF)} \\ \midrule \endhead"]
    for p in pages:
        best = p.best
        proven = sum(f.proven for f in p.families)
        cell = rate = ""
        if best is not None:
            m = best[1]
            cell = rf"\esmacell{{{m.lhs_tex}}}, {_signs(m.signs)}"
            rate = rf"{_rate(m.rate)} ({_esc(_ratio(m))})"
        # the name links to the constant's page (a PDF beside the index)
        out.append(rf"\href{{{p.slug}.pdf}}{{\esmacell{{{p.title_tex}}}}} & {p.n_conjectures} & "
                   rf"{len(p.families)} & {p.new_families} & {proven}/{len(p.families)} & {cell} & "
                   rf"{rate} \\")
    out += [r"\bottomrule \end{esmatable}"]
    if empty:
        out += ["", "Searched, no conjecture found: " + ", ".join(f"${t}$" for _, t in empty) + "."]
    out += [r"\end{document}"]
    return "\n".join(out) + "\n"


_MISSING = ("--format pdf needs pdflatex, which was not found on PATH: install a TeX "
            "distribution (e.g. Debian's texlive-latex-extra) or use --format latex and "
            "compile the .tex files elsewhere")


def find_pdflatex() -> str:
    """The path of ``pdflatex``; a one-line ``ValueError`` that says what to install when it
    is not on ``PATH``.

    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"PATH": ""}):
    ...     find_pdflatex()
    Traceback (most recent call last):
    ...
    ValueError: --format pdf needs pdflatex, which was not found on PATH: ...
    """
    path = shutil.which("pdflatex")
    if path is None:
        raise ValueError(_MISSING)
    return path


def _first_error(log: str) -> str:
    r"""The first TeX error of a log and its line, on one line.

    >>> _first_error("x\n! Undefined control sequence.\nl.12 \\foo\n")
    '! Undefined control sequence. (l.12 \\foo)'
    >>> _first_error("no error")
    'no error message in the log'
    """
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("!"):
            where = next((x.strip() for x in lines[i + 1:i + 12] if x.startswith("l.")), "")
            return line.strip() + (f" ({where})" if where else "")
    return "no error message in the log"


#: what LaTeX and its packages write when the document needs another run
_RERUN = re.compile(r"Rerun to get|Rerun LaTeX|Table widths have changed|"
                    r"Label\(s\) may have changed")


def compile_pdf(tex_path, *, runs: int = 3) -> str:
    """Compile ``tex_path`` with ``pdflatex`` in its directory (again while the log asks for
    a rerun, at most ``runs`` times, so the tables' widths and the links settle); the path of
    the PDF.  The ``.log`` and ``.aux`` files are kept beside it.

    A missing ``pdflatex`` or a failed run raises a one-line ``ValueError`` naming the file,
    the first TeX error and the log.

    >>> import os, shutil, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     tex = os.path.join(tmp, "t.tex")
    ...     with open(tex, "w") as fh:
    ...         _ = fh.write(r"\\documentclass{article}\\begin{document}$e$\\end{document}")
    ...     ok = shutil.which("pdflatex") is None or compile_pdf(tex) == tex[:-4] + ".pdf"
    >>> ok
    True
    """
    tex_path = os.fspath(tex_path)
    exe = find_pdflatex()
    d, name = os.path.split(os.path.abspath(tex_path))
    stem = os.path.splitext(name)[0]
    pdf = os.path.splitext(tex_path)[0] + ".pdf"
    for _ in range(max(1, runs)):
        try:
            res = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error",
                                  "-no-shell-escape", name], cwd=d, capture_output=True,
                                 stdin=subprocess.DEVNULL, timeout=600)
        except subprocess.TimeoutExpired:
            raise ValueError(f"pdflatex did not finish {tex_path} within 600 s") from None
        except OSError as err:
            raise ValueError(f"pdflatex could not be run on {tex_path}: {err}") from None
        log_path = os.path.join(d, stem + ".log")
        try:
            with open(log_path, encoding="utf-8", errors="replace") as fh:
                log = fh.read()
        except OSError:
            log = res.stdout.decode("utf-8", "replace")
        if res.returncode != 0 or not os.path.exists(pdf):
            if os.path.exists(log_path):
                raise ValueError(f"pdflatex failed on {tex_path}: {_first_error(log)}; see "
                                 f"{log_path}")
            said = " ".join((res.stdout + res.stderr).decode("utf-8", "replace").split())
            raise ValueError(f"pdflatex failed on {tex_path} (exit status {res.returncode}) "
                             f"and wrote no log; it said: {said[-300:] or 'nothing'}")
        if not _RERUN.search(log):
            break
    return pdf
