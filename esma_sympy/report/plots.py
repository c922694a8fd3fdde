"""Correct digits against depth, from exact convergents and certified values.

The convergents ``p_n/q_n`` are exact integers (``p_n = a_n p_{n-1} + s_{n-1} p_{n-2}``, the
SCF convention of the architecture notes); the reference value is an arb ball of the LHS
(:func:`~esma_sympy.numeric.constants.to_arb`) at a precision chosen above the largest digit
count that can occur, and the digits reported are the lower bound
``-log10(upper bound of |x - p_n/q_n|)``, so a plotted point never claims a digit that is not
proven.
"""

from __future__ import annotations

import os

__all__ = ["convergents", "correct_digits", "digits_curves", "plot_digits", "plot_curves",
           "svg_curves"]


def convergents(terms, signs, depth: int) -> list:
    """``[(p_0, q_0), ..., (p_depth, q_depth)]`` of the SCF with the given quotients and signs.

    >>> convergents([1, 1, 1, 1], (1,), 3)         # golden ratio
    [(1, 1), (2, 1), (3, 2), (5, 3)]
    >>> convergents([3, 3, 2, 5], (-1, 1), 3)      # e = 3 - 1/(3 + 1/(2 - 1/(5 + ...)))
    [(3, 1), (8, 3), (19, 7), (87, 32)]
    """
    if depth < 0 or depth >= len(terms):
        raise ValueError(f"depth must be in [0, {len(terms) - 1}], got {depth}")
    out = [(int(terms[0]), 1)]
    p1, p0, q1, q0 = 1, int(terms[0]), 0, 1
    P = len(signs)
    for n in range(1, depth + 1):
        s, a = int(signs[(n - 1) % P]), int(terms[n])
        p1, p0 = p0, a * p0 + s * p1
        q1, q0 = q0, a * q0 + s * q1
        out.append((p0, q0))
    return out


def correct_digits(x, p: int, q: int) -> float:
    """A proven lower bound of ``-log10|x - p/q|`` for an arb ball ``x`` (``0`` when the
    distance may be ``>= 1``, ``inf`` when ``x`` is exactly ``p/q``, ``nan`` when ``q = 0``).

    The bound uses the upper end of ``|x - p/q|``, so a wide ball gives a weak (still true)
    bound; callers choose the precision of ``x`` above the digits they measure.

    >>> from flint import arb, fmpq
    >>> round(correct_digits(arb(2).sqrt(), 99, 70), 2)       # |sqrt 2 - 99/70| = 7.2e-5
    4.14
    >>> correct_digits(arb(1, 1), 1, 1), correct_digits(arb(fmpq(1, 4)), 1, 4)
    (0.0, inf)
    """
    from flint import arb, fmpq

    if q == 0:
        return float("nan")
    err = abs(x - arb(fmpq(p, q))).upper()
    if err <= 0:
        return float("inf")
    lg = float((err.log() / arb(10).log()).upper())
    # float() rounds to nearest: step away from the bound by more than one rounding error
    return max(0.0, -lg - 1e-12 * (1.0 + abs(lg)))


def digits_curves(conj, depth: int = 60) -> tuple:
    """``(depths, digits of the conjecture's SCF, digits of the simple CF of the same LHS)``
    for ``n = 0..depth`` (the simple CF list may be shorter when its expansion stops).

    >>> from sympy import E
    >>> from esma_sympy.search import esma_search
    >>> c = esma_search(E, lhs=["E"], max_period=2, depth=40).find(E, signs=(-1, 1))[0]
    >>> ns, scf, simple = digits_curves(c, 20)
    >>> len(ns), scf[20] > simple[20] > 10
    (21, True)
    """
    import flint

    from ..numeric.constants import to_arb
    from ..numeric.expand import expand_quotients

    depth = min(int(depth), len(conj.first_terms) - 1)
    cv = convergents(conj.first_terms, conj.signs, depth)
    value = conj.lhs_expr
    simple_terms, _ = expand_quotients(value, (1,), terms=depth + 1)
    sd = min(depth, len(simple_terms) - 1)
    cs = convergents(simple_terms, (1,), sd)
    bits = max(cv[-1][1].bit_length(), cs[-1][1].bit_length() if cs else 1)
    prec = 2 * bits + 64                    # |x - p/q| >= ~1/q^2 is far above 2^-prec
    old = flint.ctx.prec
    try:
        flint.ctx.prec = prec
        x = to_arb(value, prec)
        d1 = [correct_digits(x, p, q) for p, q in cv]
        d2 = [correct_digits(x, p, q) for p, q in cs]
    finally:
        flint.ctx.prec = old
    return list(range(depth + 1)), d1, d2


def plot_digits(conj, path, *, depth: int = 60, title: str | None = None) -> str:
    """Write a PNG of correct digits against depth for ``conj``'s SCF and for the simple
    continued fraction of the same LHS; returns ``path``.  Uses matplotlib's Agg canvas (no
    display, no global pyplot state).

    >>> import os, tempfile
    >>> from sympy import E
    >>> from esma_sympy import esma_search
    >>> c = esma_search(E, lhs=["E"], max_period=2).conjectures[0]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = plot_digits(c, os.path.join(tmp, "e.png"), depth=30)
    ...     os.path.getsize(path) > 1000
    True
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    ns, d1, d2 = digits_curves(conj, depth)
    sg = "".join("+" if s > 0 else "-" for s in conj.signs)
    fig = Figure(figsize=(5.5, 3.4), dpi=90)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(ns, d1, marker=".", markersize=3, label=f"SCF, signs ({sg})")
    ax.plot(ns[: len(d2)], d2, marker=".", markersize=3, label="simple continued fraction")
    ax.set_xlabel("depth n")
    ax.set_ylabel("correct digits")
    ax.set_title(title or conj.lhs_text, fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    from .pages import fresh_file

    fresh_file(path)
    fig.savefig(path, format="png", metadata={"Software": None})
    return str(path)



def plot_curves(curves, path, *, signs: str = "", title: str | None = None) -> str:
    """Draw :func:`digits_curves` output ``(depths, SCF digits, simple CF digits)`` into
    ``path``: SVG, PDF or PNG by its extension (matplotlib's vector backends need no display).

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = plot_curves(([0, 1, 2], [0.5, 1.4, 2.6], [0.3, 0.9, 1.5]),
    ...                        os.path.join(tmp, "c.svg"), signs="+-")
    ...     open(path).read(5)
    '<?xml'
    """
    from matplotlib.figure import Figure

    ns, d1, d2 = curves
    fig = Figure(figsize=(5.6, 3.2), dpi=90)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(ns, d1, marker=".", markersize=3, label=f"SCF, signs ({signs})" if signs else "SCF")
    ax.plot(ns[: len(d2)], d2, marker=".", markersize=3, label="simple continued fraction")
    ax.set_xlabel("depth n")
    ax.set_ylabel("proven correct digits")
    if title:
        ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    from .pages import fresh_file

    fresh_file(path)
    fmt = os.path.splitext(os.fspath(path))[1].lstrip(".").lower() or "svg"
    meta = {"Date": None} if fmt in ("svg", "pdf") else {"Software": None}
    if fmt == "pdf":
        meta = {"CreationDate": None}
    fig.savefig(path, format=fmt, metadata=meta)
    return str(path)


def _nice_step(span: float, ticks: int = 5) -> float:
    """A tick step of 1, 2 or 5 times a power of ten giving about ``ticks`` ticks.

    >>> _nice_step(87), _nice_step(6), _nice_step(0)
    (20, 2, 1)
    """
    import math

    if span <= 0:
        return 1
    raw = span / ticks
    p = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * p:
            step = m * p
            return int(step) if step >= 1 else step
    return int(10 * p)


def svg_curves(curves, *, signs: str = "", title: str | None = None, width: int = 560,
               height: int = 320) -> str:
    """The plot of :func:`plot_curves` as a small self-contained SVG document, drawn
    directly (no matplotlib: about a millisecond): proven correct digits against depth for
    the SCF and for the simple continued fraction, with axes, ticks, a grid and a legend.

    >>> svg = svg_curves(([0, 1, 2], [0.5, 1.4, 2.6], [0.3, 0.9, 1.5]), signs="+-", title="e")
    >>> svg.startswith("<svg") and svg.count("<polyline") == 2 and "SCF, signs (+-)" in svg
    True
    """
    import html
    import math

    ns, d1, d2 = curves
    pts = [(n, y) for n, y in zip(ns, d1) if math.isfinite(y)]
    pts2 = [(n, y) for n, y in zip(ns[: len(d2)], d2) if math.isfinite(y)]
    xmax = max([n for n, _ in pts + pts2] + [1])
    ymax = max([y for _, y in pts + pts2] + [1.0])
    L, R, T, B = 56, 16, 30 if title else 12, 44
    pw, ph = width - L - R, height - T - B
    ys, xs = _nice_step(ymax), _nice_step(xmax)
    ytop = ys * math.ceil(ymax / ys)
    X = lambda n: L + pw * n / xmax          # noqa: E731
    Y = lambda y: T + ph * (1 - y / ytop)    # noqa: E731
    e = html.escape
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" '
           'font-size="11">', f'<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>']
    if title:
        out.append(f'<text x="{L + pw / 2:.1f}" y="18" text-anchor="middle" '
                   f'font-size="12">{e(title)}</text>')
    k = 0
    while k * ys <= ytop + 1e-9:
        y = Y(k * ys)
        out.append(f'<line x1="{L}" y1="{y:.1f}" x2="{L + pw}" y2="{y:.1f}" stroke="#e5e5e5"/>'
                   f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{k * ys:g}</text>')
        k += 1
    k = 0
    while k * xs <= xmax + 1e-9:
        x = X(k * xs)
        out.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{T + ph}" stroke="#e5e5e5"/>'
                   f'<text x="{x:.1f}" y="{T + ph + 16}" text-anchor="middle">{k * xs:g}</text>')
        k += 1
    out.append(f'<rect x="{L}" y="{T}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    out.append(f'<text x="{L + pw / 2:.1f}" y="{height - 8}" text-anchor="middle">depth n</text>')
    out.append(f'<text transform="translate(14,{T + ph / 2:.1f}) rotate(-90)" '
               'text-anchor="middle">proven correct digits</text>')
    for series, colour in ((pts, "#1f77b4"), (pts2, "#ff7f0e")):
        if series:
            path = " ".join(f"{X(n):.1f},{Y(y):.1f}" for n, y in series)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                       'stroke-width="1.6"/>')
    label = f"SCF, signs ({signs})" if signs else "SCF"
    for i, (text, colour) in enumerate(((label, "#1f77b4"),
                                        ("simple continued fraction", "#ff7f0e"))):
        y = T + 14 + 16 * i
        out.append(f'<line x1="{L + 10}" y1="{y - 4}" x2="{L + 34}" y2="{y - 4}" '
                   f'stroke="{colour}" stroke-width="2"/><text x="{L + 40}" y="{y}">'
                   f"{e(text)}</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
