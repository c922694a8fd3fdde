"""Plain text of short TeX formulas, for the places of a page that MathJax cannot typeset.

An HTML ``<title>`` (the browser tab, bookmarks, search results) holds text only, so a page
titled with math (``Identities for $e^{2}$``) would show its raw TeX there.  :func:`tex_to_text`
writes such a formula in Unicode (``e²``, ``tan(1)``, ``I₁(2)/I₀(2)``); it covers what
SymPy's ``latex`` prints for constants (fractions, powers, indices, roots, functions, Greek
letters, ``\\left``/``\\right``), not TeX at large: an unknown command is written as its name.
"""

from __future__ import annotations

import re

__all__ = ["tex_to_text"]

_SUP = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")

_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma "
          "tau upsilon phi chi psi omega").split()
_SYMBOLS = dict(zip(_GREEK, "αβγδεζηθικλμνξπρστυφχψω"))
_SYMBOLS.update(zip((name.capitalize() for name in _GREEK), "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΠΡΣΤΥΦΧΨΩ"))
_SYMBOLS.update(varepsilon="ε", varphi="φ", vartheta="θ", cdot="·", times="×", infty="∞",
                le="≤", leq="≤", ge="≥", geq="≥", ne="≠", neq="≠", pm="±", mp="∓", approx="≈",
                cdots="⋯", ldots="…", dots="…", dotsb="⋯", to="→", colon=":", mid="|", lbrace="{",
                rbrace="}", langle="⟨", rangle="⟩", quad=" ", qquad=" ")
# commands that only set their argument's style, or size a delimiter: dropped
_STYLE = {"mathrm", "mathit", "mathbf", "mathsf", "mathtt", "mathop", "operatorname", "text",
          "textrm", "textit", "mbox", "displaystyle", "textstyle", "limits", "nolimits"}
_SIZE = {"left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
         "biggl", "biggr", "Biggl", "Biggr"}
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|(.)", re.S)


def _tokens(tex: str) -> list:
    return [m[1] and "\\" + m[1] or m[2] for m in _TOKEN.finditer(tex)]


def _argument(tokens: list, i: int):
    """The text of the argument starting at ``tokens[i]`` (a braced group or one token) and
    the index after it."""
    while i < len(tokens) and tokens[i].isspace():
        i += 1
    if i >= len(tokens):
        return "", i
    if tokens[i] != "{":
        return _convert(tokens[i:i + 1]), i + 1
    depth, j = 0, i
    for j in range(i, len(tokens)):
        depth += {"{": 1, "}": -1}.get(tokens[j], 0)
        if depth == 0:
            break
    return _convert(tokens[i + 1:j]), j + 1


def _atom(text: str) -> str:
    """``text`` as an operand of ``/``, ``^`` or a root: parenthesised unless it is one
    symbol, a number or a function applied to parentheses."""
    if re.fullmatch(r"[\w.′]+|[\w.]*\((?:[^()]|\([^()]*\))*\)[⁰-⁹₀-₉ⁿⁱ]*", text):
        return text
    return f"({text})"


def _script(text: str, table: dict, mark: str) -> str:
    small = text.translate(table)
    if all(c != t for c, t in zip(text, small)):
        return small
    return mark + _atom(text)


def _convert(tokens: list) -> str:
    out, i = [], 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok in ("{", "}"):
            continue
        if tok in ("^", "_"):
            arg, i = _argument(tokens, i)
            out.append(_script(arg, _SUP, "^") if tok == "^" else _script(arg, _SUB, "_"))
            continue
        if not tok.startswith("\\"):
            out.append(tok)
            continue
        name = tok[1:]
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            num, i = _argument(tokens, i)
            den, i = _argument(tokens, i)
            out.append(f"{_atom(num)}/{_atom(den)}")
        elif name == "sqrt":
            if i < len(tokens) and tokens[i] == "[":
                j = tokens.index("]", i)
                index = _convert(tokens[i + 1:j]).translate(_SUP)
                i = j + 1
            else:
                index = ""
            arg, i = _argument(tokens, i)
            out.append(index + "√" + _atom(arg))
        elif name in _STYLE:
            continue
        elif name in _SIZE:
            if i < len(tokens) and tokens[i] == ".":
                i += 1
        elif name in _SYMBOLS:
            out.append(_SYMBOLS[name])
        elif name in (",", ";", ":", " ", "!"):
            out.append(" " if name != "!" else "")
        elif len(name) == 1:            # \{ \} \% \$ \& \# \_
            out.append(name)
        else:                           # \tan, \log, \exp, ... and unknown commands
            out.append(name)
            if i < len(tokens) and tokens[i].isalnum():
                out.append(" ")
    return "".join(out)


def tex_to_text(tex: str) -> str:
    r"""The Unicode text of the TeX formula ``tex`` (without delimiters), as a browser can show
    it where no markup is allowed.

    >>> tex_to_text(r"e^{2}"), tex_to_text(r"\tan{\left(1 \right)}")
    ('e²', 'tan(1)')
    >>> tex_to_text(r"\frac{I_{1}\left(2\right)}{I_{0}\left(2\right)}")
    'I₁(2)/I₀(2)'
    >>> tex_to_text(r"\frac{1 + e}{-1 + e}"), tex_to_text(r"\sqrt{2} + \pi^{n + 1}")
    ('(1 + e)/(-1 + e)', '√2 + π^(n + 1)')
    >>> tex_to_text(r"\frac{4}{\pi}"), tex_to_text(r"\zeta\left(3\right)"), tex_to_text("e^{x}")
    ('4/π', 'ζ(3)', 'e^x')
    """
    text = _convert(_tokens(tex))
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"([(\[])\s+|\s+([)\]])", lambda m: m[1] or m[2], text)
    return text.strip()
