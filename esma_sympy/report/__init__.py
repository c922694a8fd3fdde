"""Identity documentation: pages per constant (MyST, LaTeX, HTML, PDF) and convergence plots.

:func:`write_report` is what ``esma report`` runs; :mod:`esma_sympy.report.plots` draws the
correct-digits plots from exact convergents and certified values.

The functions are imported on first use, so ``esma``'s argument parser can read
:data:`FORMATS` without importing SymPy.
"""

from __future__ import annotations

#: the formats of :func:`write_report` (``esma report --format``); ``'pdf'`` is the LaTeX
#: compiled with ``pdflatex``
FORMATS = ("html", "myst", "latex", "pdf")

__all__ = ["write_report", "FORMATS", "convergents", "correct_digits", "digits_curves",
           "plot_digits"]

_WHERE = {"write_report": "pages", "convergents": "plots", "correct_digits": "plots",
          "digits_curves": "plots", "plot_digits": "plots"}


def __getattr__(name):
    import importlib

    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
