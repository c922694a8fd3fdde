r"""Catalogues of constants for the atlas: a TOML file with an array of tables ``[[constant]]``.

Each table has ``expr`` (a string of the constant parser, required) and optional ``name``
(plain text for pages), ``lhs_degree``, ``coeff_limit``, ``max_period`` (the search
parameters, defaults 1, 2 and 4) and ``kind`` (a free label: ``exp``, ``tan``, ``bessel_i``,
``quadratic``, ``control``...).  Unknown keys, a missing ``expr``, a constant the parser
refuses or a parameter out of range are errors naming the entry and the key.

The default catalogue (:func:`default_catalogue`, the file ``default.toml`` shipped with the
package and written by :func:`build_default`) holds e^{p/q}, tan, tanh, cot and coth of p/q,
Bessel ratios I_{ν+1}(z)/I_ν(z) and J_{ν+1}(z)/J_ν(z), Gauss ₀F₁ ratios (written through
I_ν), quadratic irrationals and negative controls (π, ζ(3), log 2, Catalan's constant,
2^{1/3}, Euler's γ).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["CatalogueEntry", "load_catalogue", "parse_catalogue", "default_catalogue",
           "build_default", "DEFAULT_PATH", "to_toml"]

#: the default catalogue shipped with the package
DEFAULT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "default.toml")

_KEYS = {"expr", "name", "lhs_degree", "coeff_limit", "max_period", "kind"}
_LIMITS = {"lhs_degree": (1, 3), "coeff_limit": (1, 10), "max_period": (1, 12)}


@dataclass(frozen=True)
class CatalogueEntry:
    """One constant of a catalogue and its search parameters.

    >>> CatalogueEntry("exp(1/2)").search_params()
    {'lhs_degree': 1, 'coeff_limit': 2, 'max_period': 4}
    """

    expr: str
    name: str = ""
    lhs_degree: int = 1
    coeff_limit: int = 2
    max_period: int = 4
    kind: str = ""

    def search_params(self) -> dict:
        return {"lhs_degree": self.lhs_degree, "coeff_limit": self.coeff_limit,
                "max_period": self.max_period}

    @property
    def is_control(self) -> bool:
        """A negative control: a constant the search should find nothing for."""
        return self.kind == "control"

    @property
    def is_quadratic(self) -> bool:
        """A quadratic irrational: every expansion is eventually periodic (trivially found)."""
        return self.kind == "quadratic"


def _check_entry(i: int, table, where: str) -> CatalogueEntry:
    from ..numeric.parse import parse_constant

    at = f"{where}: constant #{i + 1}"
    if not isinstance(table, dict):
        raise ValueError(f"{at} must be a table [[constant]], got {type(table).__name__}")
    extra = sorted(set(table) - _KEYS)
    if extra:
        raise ValueError(f"{at}: unknown key {extra[0]!r} (keys: {', '.join(sorted(_KEYS))})")
    if "expr" not in table:
        raise ValueError(f"{at}: the key 'expr' is missing")
    expr = table["expr"]
    if not isinstance(expr, str) or not expr.strip():
        raise ValueError(f"{at}: expr must be a non-empty string, got {expr!r}")
    try:
        parse_constant(expr)
    except (ValueError, TypeError, SyntaxError) as err:
        raise ValueError(f"{at}: expr = {expr!r}: {err}") from None
    kw = {"expr": expr}
    for key in ("name", "kind"):
        if key in table:
            if not isinstance(table[key], str):
                raise ValueError(f"{at}: {key} must be a string, got {table[key]!r}")
            kw[key] = table[key]
    for key, (lo, hi) in _LIMITS.items():
        if key in table:
            v = table[key]
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ValueError(f"{at} ({expr}): {key} must be an integer in [{lo}, {hi}], "
                                 f"got {v!r}")
            kw[key] = v
    return CatalogueEntry(**kw)


def parse_catalogue(text: str, where: str = "catalogue") -> list:
    """The entries of a catalogue given as TOML text.

    >>> es = parse_catalogue('[[constant]]\\nexpr = "exp(1/2)"\\nmax_period = 3\\n')
    >>> es[0].expr, es[0].max_period
    ('exp(1/2)', 3)
    >>> parse_catalogue('[[constant]]\\nexpr = "E"\\ncolour = 1\\n')
    Traceback (most recent call last):
    ...
    ValueError: catalogue: constant #1: unknown key 'colour' (keys: coeff_limit, expr, kind, lhs_degree, max_period, name)
    """
    try:
        import tomllib
    except ModuleNotFoundError:          # Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{where}: not valid TOML: {err}") from None
    extra = sorted(set(data) - {"constant"})
    if extra:
        raise ValueError(f"{where}: unknown top-level key {extra[0]!r} (a catalogue is an "
                         "array of tables [[constant]])")
    tables = data.get("constant")
    if not isinstance(tables, list) or not tables:
        raise ValueError(f"{where}: no [[constant]] tables")
    entries = [_check_entry(i, t, where) for i, t in enumerate(tables)]
    seen: dict = {}
    for i, e in enumerate(entries):
        if e.expr in seen:
            raise ValueError(f"{where}: constant #{i + 1}: expr = {e.expr!r} repeats "
                             f"constant #{seen[e.expr] + 1}")
        seen[e.expr] = i
    return entries


def load_catalogue(path) -> list:
    """The entries of the catalogue file at ``path`` (errors name the file).

    >>> len(load_catalogue(DEFAULT_PATH)) >= 150
    True
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as err:
        raise ValueError(f"catalogue = {path!r}: {err.strerror or err}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"catalogue = {path!r} is not UTF-8 text") from None
    return parse_catalogue(text, where=f"catalogue {path!r}")


def default_catalogue() -> list:
    """The default catalogue shipped with the package (:data:`DEFAULT_PATH`)."""
    return load_catalogue(DEFAULT_PATH)


# -- the default catalogue ------------------------------------------------------------------------

def _q(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def _farey(max_den: int, lo: Fraction, hi: Fraction) -> list:
    out = {Fraction(p, q) for q in range(1, max_den + 1)
           for p in range(int(lo * q) - 1, int(hi * q) + 2)}
    return sorted(x for x in out if lo <= x <= hi and x != 0)


def build_default() -> list:
    """The entries of the default catalogue (what ``default.toml`` holds).

    >>> es = build_default()
    >>> len(es) >= 150, sum(e.is_control for e in es), sum(e.is_quadratic for e in es)
    (True, 6, 8)
    """
    E = []
    # e^{p/q}: the Farey fractions of order 4 in [-3, 3]
    for x in _farey(4, Fraction(-3), Fraction(3)):
        E.append(CatalogueEntry(f"exp({_q(x)})" if x != 1 else "E",
                                name=f"e^({_q(x)})" if x != 1 else "e", kind="exp"))
    # tan, tanh, cot, coth at the Farey fractions of order 5 in [1/5, 2]
    for fn in ("tan", "tanh", "cot", "coth"):
        for x in _farey(5, Fraction(1, 5), Fraction(2)):
            E.append(CatalogueEntry(f"{fn}({_q(x)})", name=f"{fn} {_q(x)}", kind=fn))
    # Bessel ratios I_{nu+1}(z)/I_nu(z) and J_{nu+1}(z)/J_nu(z)
    for nu in (Fraction(0), Fraction(1, 2), Fraction(1), Fraction(3, 2), Fraction(2),
               Fraction(1, 3), Fraction(-1, 3), Fraction(1, 4)):
        for z in (Fraction(1), Fraction(2), Fraction(1, 2)):
            E.append(CatalogueEntry(f"besseli({_q(nu + 1)},{_q(z)})/besseli({_q(nu)},{_q(z)})",
                                    name=f"I_{_q(nu + 1)}({_q(z)})/I_{_q(nu)}({_q(z)})",
                                    kind="bessel_i"))
    for nu in (Fraction(0), Fraction(1, 2), Fraction(1), Fraction(2), Fraction(1, 3)):
        for z in (Fraction(1), Fraction(1, 2)):
            E.append(CatalogueEntry(f"besselj({_q(nu + 1)},{_q(z)})/besselj({_q(nu)},{_q(z)})",
                                    name=f"J_{_q(nu + 1)}({_q(z)})/J_{_q(nu)}({_q(z)})",
                                    kind="bessel_j"))
    # Gauss 0F1 ratios 0F1(;b+1;z)/0F1(;b;z) = (b/sqrt z) I_b(2 sqrt z)/I_{b-1}(2 sqrt z), at
    # square z so that the ratio is one of Bessel functions at a rational argument
    for b in (Fraction(4, 3), Fraction(5, 3), Fraction(5, 4), Fraction(7, 4)):
        for r in (Fraction(1, 2), Fraction(1)):
            z = r * r
            E.append(CatalogueEntry(
                f"{_q(b / r)}*besseli({_q(b)},{_q(2 * r)})/besseli({_q(b - 1)},{_q(2 * r)})",
                name=f"0F1(;{_q(b + 1)};{_q(z)})/0F1(;{_q(b)};{_q(z)})", kind="0F1"))
    for expr, name in (("sqrt(2)", "√2"), ("sqrt(3)", "√3"), ("sqrt(5)", "√5"),
                       ("sqrt(7)", "√7"), ("GoldenRatio", "φ"), ("(1+sqrt(3))/2", "(1+√3)/2"),
                       ("sqrt(6)/2", "√6/2"), ("1+sqrt(2)", "1+√2")):
        E.append(CatalogueEntry(expr, name=name, kind="quadratic"))
    for expr, name in (("pi", "π"), ("zeta(3)", "ζ(3)"), ("log(2)", "log 2"),
                       ("Catalan", "Catalan's constant"), ("2**(1/3)", "2^(1/3)"),
                       ("EulerGamma", "γ")):
        E.append(CatalogueEntry(expr, name=name, kind="control"))
    return E


def to_toml(entries) -> str:
    """A catalogue as TOML text (what :func:`parse_catalogue` reads back).

    >>> print(to_toml([CatalogueEntry("E", name="e", kind="exp", max_period=3)]), end="")
    [[constant]]
    expr = "E"
    name = "e"
    kind = "exp"
    max_period = 3
    """
    import json

    out = []
    for e in entries:
        out.append("[[constant]]")
        out.append(f"expr = {json.dumps(e.expr, ensure_ascii=False)}")
        if e.name:
            out.append(f"name = {json.dumps(e.name, ensure_ascii=False)}")
        if e.kind:
            out.append(f"kind = {json.dumps(e.kind)}")
        for key, default in (("lhs_degree", 1), ("coeff_limit", 2), ("max_period", 4)):
            if getattr(e, key) != default:
                out.append(f"{key} = {getattr(e, key)}")
        out.append("")
    return "\n".join(out[:-1]) + "\n"


if __name__ == "__main__":                 # python -m esma_sympy.atlas.catalogue > default.toml
    import sys

    sys.stdout.write("# The default catalogue of `esma atlas` (written by\n"
                     "# `python -m esma_sympy.atlas.catalogue`; see esma_sympy/atlas/catalogue.py)\n\n")
    sys.stdout.write(to_toml(build_default()))
