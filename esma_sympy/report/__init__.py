"""Identity documentation: pages per constant (MyST, LaTeX, HTML) and convergence plots.

:func:`write_report` is what ``esma report`` runs; :mod:`esma_sympy.report.plots` draws the
correct-digits plots from exact convergents and certified values.
"""

from __future__ import annotations

from .pages import FORMATS, write_report
from .plots import convergents, correct_digits, digits_curves, plot_digits

__all__ = ["write_report", "FORMATS", "convergents", "correct_digits", "digits_curves",
           "plot_digits"]
