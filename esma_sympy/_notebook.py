r"""Building blocks of the notebook representations (``_repr_html_``, ``_repr_latex_``).

Jupyter shows an object by its richest representation: ``_repr_html_`` (an HTML fragment,
in which the notebook typesets ``\(...\)`` and ``\[...\]`` with MathJax) or ``_repr_latex_``
(a math-mode string, ``$...$`` or ``$$...$$``).  The objects of esma_sympy build theirs from
these helpers, from what they store: a representation never folds, proves or re-checks.

Every text is HTML-escaped (:func:`esc`); LaTeX goes into HTML through :func:`math_html`
(escaped too: the browser decodes the entities before MathJax reads the formula), and plain
text goes into LaTeX through :func:`tex_text`.  Like :mod:`esma_sympy.verdict`, this module
imports nothing from the package.

>>> print(math_html(r"a < \frac{1}{2}"))
<span class="esma-math">\(a &lt; \frac{1}{2}\)</span>
>>> tex_text("x_1 < 50%")
'\\text{x}\\_\\text{1 }<\\text{ 50}\\%'
"""

from __future__ import annotations

import html

__all__ = ["esc", "math_html", "tex_text", "status_html", "status_tex", "steps_html",
           "steps_latex", "balanced", "certificate_html", "certificate_latex", "answer_html",
           "answer_latex"]

#: the representations list at most this many rows (families, proof steps)
MAX_ROWS = 20


def esc(text) -> str:
    """``str(text)`` with ``& < > " '`` escaped for HTML."""
    return html.escape(str(text), quote=True)


def math_html(tex: str, display: bool = False) -> str:
    r"""``tex`` as MathJax input in HTML: ``\(tex\)`` (``\[tex\]`` for ``display``),
    HTML-escaped, in a ``<span class="esma-math">`` (a ``<div>`` for ``display``)."""
    if display:
        return f'<div class="esma-math">\\[{esc(tex)}\\]</div>'
    return f'<span class="esma-math">\\({esc(tex)}\\)</span>'


# characters that are special in LaTeX (or print wrongly in text mode): written in math mode,
# outside ``\text{}`` (MathJax, unlike LaTeX, reads ``\text{}`` literally, so escapes inside it
# would show); a few Unicode symbols of the package's texts as their macros
_TEX_SPECIAL = {"_": r"\_", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
                "$": r"\$", "^": r"\hat{}", "~": r"\sim", "\\": r"\backslash", "<": "<",
                ">": ">", "|": r"\vert", "∝": r"\propto", "λ": r"\lambda", "≥": r"\ge",
                "≤": r"\le", "≠": r"\ne", "∘": r"\circ", "∞": r"\infty", "·": r"\cdot",
                "−": "-", "…": r"\dots", "×": r"\times", "σ": r"\sigma", "→": r"\to"}


def tex_text(text) -> str:
    r"""Plain text as math-mode LaTeX: runs of ordinary characters in ``\text{...}``, the
    special ones (``_ { } % & # $ ^ ~ \ < > |`` and a few Unicode symbols) as math.

    >>> tex_text("M = [[1, 0], [0, 2]]")
    '\\text{M = [[1, 0], [0, 2]]}'
    >>> tex_text("a{b}") == r"\text{a}\{\text{b}\}", tex_text("")
    (True, '')
    """
    out, run = [], []
    for ch in str(text):
        sub = _TEX_SPECIAL.get(ch)
        if sub is None:
            run.append(ch)
            continue
        if run:
            out.append(r"\text{" + "".join(run) + "}")
            run = []
        out.append(sub)
    if run:
        out.append(r"\text{" + "".join(run) + "}")
    return "".join(out)


_STATUS_COLOUR = {"proven": "#1a7f37", "equivalent": "#1a7f37", "disproven": "#cf222e"}


def status_html(status) -> str:
    """The status as a coloured, bold ``<span class="esma-status">`` (green when proven or
    equivalent, red when disproven, grey otherwise).

    >>> status_html("proven")
    '<span class="esma-status" style="color:#1a7f37;font-weight:bold">proven</span>'
    """
    s = str(status)
    colour = _STATUS_COLOUR.get(s, "#57606a")
    return f'<span class="esma-status" style="color:{colour};font-weight:bold">{esc(s)}</span>'


def status_tex(status) -> str:
    r"""The status in LaTeX, bold: ``\textbf{proven}``."""
    return tex_text(status).replace(r"\text{", r"\textbf{")


def steps_html(steps, latex: bool) -> str:
    r"""``(title, body)`` pairs as an HTML ordered list; bodies are LaTeX (typeset inline)
    when ``latex``, plain text (in ``<code>``) otherwise.

    >>> steps_html([("Claim", "x < 1")], latex=False)
    '<ol class="esma-steps"><li><b>Claim</b>: <code>x &lt; 1</code></li></ol>'
    """
    items = []
    for title, body in list(steps)[:MAX_ROWS]:
        shown = math_html(body) if latex else f"<code>{esc(body)}</code>"
        items.append(f"<li><b>{esc(title)}</b>: {shown}</li>")
    if len(steps) > MAX_ROWS:
        items.append(f"<li>… and {len(steps) - MAX_ROWS} more steps</li>")
    return '<ol class="esma-steps">' + "".join(items) + "</ol>"


def steps_latex(steps, latex: bool) -> list:
    r"""``(title, body)`` pairs as rows ``\text{title:} & body`` of a two-column array (bodies
    as LaTeX when ``latex``, else through :func:`tex_text`)."""
    rows = []
    for title, body in list(steps)[:MAX_ROWS]:
        rows.append(tex_text(f"{title}:") + " & " + (body if latex else tex_text(body)))
    if len(steps) > MAX_ROWS:
        rows.append(r"\vdots & " + tex_text(f"and {len(steps) - MAX_ROWS} more steps"))
    return rows


def balanced(tex: str) -> bool:
    r"""Whether the braces of ``tex`` balance (escaped ``\{``, ``\}`` aside).

    >>> balanced(r"\frac{1}{2}"), balanced(r"\{"), balanced("}{")
    (True, True, False)
    """
    depth, i = 0, 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
        i += 1
    return depth == 0


def certificate_html(kind: str, status, relation, steps, latex: bool) -> str:
    """The HTML block of a certificate or proof: its kind and status, the relation it proves
    (text, in ``<code>``; omitted when ``None``) and its steps."""
    rel = "" if relation is None else f"<p>relation: <code>{esc(relation)}</code></p>"
    return (f'<div class="esma-certificate"><p><b>{esc(kind)}</b>: {status_html(status)}</p>'
            f"{rel}{steps_html(steps, latex)}"
            "<p><small>Shown from the stored data; <code>check()</code> re-verifies every "
            "step.</small></p></div>")


def certificate_latex(kind: str, status, relation, steps, latex: bool) -> str:
    r"""The ``$$\begin{array}...$$`` of a certificate or proof (as :func:`certificate_html`)."""
    rows = [tex_text(f"{kind}:") + r" & " + status_tex(status)]
    if relation is not None:
        rows.append(tex_text("relation:") + " & " + tex_text(relation))
    rows += steps_latex(steps, latex)
    return "$$\\begin{array}{ll}\n" + " \\\\\n".join(rows) + "\n\\end{array}$$"


def answer_html(kind: str, status, reason: str) -> str:
    """The HTML block of an answer that is not a certificate (a failed equivalence or
    identification): its kind, status and reason.

    >>> answer_html("NotEquivalent", "unknown", "a < b").count("&lt;")
    1
    """
    return (f'<div class="esma-certificate"><p><b>{esc(kind)}</b>: {status_html(status)}</p>'
            f"<p>reason: {esc(reason)}</p></div>")


def answer_latex(kind: str, status, reason: str) -> str:
    r"""``$\text{kind:}\ \textbf{status}\ (\text{reason})$`` (as :func:`answer_html`)."""
    why = rf"\ ({tex_text(reason)})" if reason else ""
    return f"${tex_text(kind + ':')}\\ {status_tex(status)}{why}$"
