"""Conjectures as store rows, and back.

:func:`conjecture_row` turns a :class:`~esma_sympy.search.Conjecture` into the column values of
the ``conjectures`` table (plain JSON text and numbers); :func:`row_conjecture` rebuilds the
``Conjecture`` from a stored row.  Stored text is never evaluated: the constant and the closed
form go through the whitelist parser :func:`~esma_sympy.numeric.parse.parse_constant`, the LHS
and the quotients are integer and rational tuples in JSON.

:func:`describe_unit` is the work of one unit as a worker does it (``run_unit`` plus the rows),
so an executor can run it anywhere and hand the rows to the single writer.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, asdict
from fractions import Fraction
from functools import lru_cache

from ..search.conjecture import fast_rate  # one implementation (re-exported here)
from ..verdict import ProofStatus

__all__ = ["conjecture_key", "conjecture_row", "row_conjecture", "describe_unit", "unit_rows",
           "UnitRows", "fast_rate"]

def conjecture_key(constant: str, num, den, signs) -> str:
    """The canonical key of a conjecture: constant, LHS numerator and denominator, signs.

    >>> conjecture_key("E", (0, 1), (-1, 1), (1, -1))
    '["E", [0, 1], [-1, 1], [1, -1]]'
    """
    return json.dumps([str(constant), [int(x) for x in num], [int(x) for x in den],
                       [int(s) for s in signs]])


def _frac(x: Fraction) -> str:
    return str(Fraction(x))


def fold_text(c):
    r"""``(pcf, pcf_mobius, pcf_latex)`` of the folded PCF of ``c`` (``None`` when folding is
    not available): the texts of :meth:`~esma_sympy.search.Conjecture.to_dict` (the Möbius
    matrix as JSON, ``None`` when the PCF has the LHS's value) and the right-hand side
    ``LHS = ...`` in LaTeX (``mobius(y)`` with ``y`` the PCF when the map is not the identity).

    >>> from sympy import E
    >>> from esma_sympy.search import esma_search
    >>> c = esma_search(E, lhs=["E"], max_period=2, depth=40).find(E, signs=(-1, 1))[0]
    >>> pcf, mob, tex = fold_text(c)
    >>> pcf, mob, "mathrm{K}" in tex
    ('PCF(4*n + 6, 1, n)', '[["3", "1"], ["1", "1"]]', True)
    """
    from sympy import Symbol, latex

    d = c.pcf
    if d is None:
        return None, None, None
    P = getattr(d, "pcf", d)
    pcf = str(P)
    G = getattr(d, "mobius", None)
    mob = None
    tex = latex(P)
    if G is not None and not getattr(d, "is_exact_value", True):
        mob = json.dumps([[str(G[0, 0]), str(G[0, 1])], [str(G[1, 0]), str(G[1, 1])]])
        y = Symbol("y")
        tex = (f"{latex((G[0, 0] * y + G[0, 1]) / (G[1, 0] * y + G[1, 1]))}, \\quad "
               f"y = {tex}")
    return pcf, mob, tex


def conjecture_row(c, *, fold: bool = False) -> dict:
    """The ``conjectures`` columns of ``c`` (``fold=True`` also folds it into a PCF, which costs
    a SymPy computation per conjecture; otherwise ``pcf`` is left empty).

    >>> from sympy import E
    >>> from esma_sympy import esma_search
    >>> row = conjecture_row(esma_search(E, lhs=["E - 1"], max_period=1).conjectures[0])
    >>> row["lhs"], row["pcf"]
    ('E - 1', None)
    """
    from ..search.conjecture import poly_text

    rate = fast_rate(c.first_terms, c.signs, 100)
    if rate is None:
        rate = c.rate()
    try:
        simple = c.simple_rate()
    except Exception:               # noqa: BLE001 - a descriptive statistic, never fatal
        simple = None
    if simple is not None and not math.isfinite(simple):
        simple = None
    pcf, mob, tex = fold_text(c) if fold else (None, None, None)
    return {
        "key": conjecture_key(str(c.constant), c.lhs.num, c.lhs.den, c.signs),
        "constant": str(c.constant),
        "lhs": c.lhs_text,
        "lhs_num": json.dumps([int(x) for x in c.lhs.num]),
        "lhs_den": json.dumps([int(x) for x in c.lhs.den]),
        "signs": json.dumps([int(s) for s in c.signs]),
        "prefix": json.dumps([int(x) for x in c.prefix]),
        "polys": json.dumps([[_frac(x) for x in p] for p in c.polys]),
        "quotients": json.dumps([poly_text(p) for p in c.polys]),
        "charpoly": json.dumps([int(x) for x in c.charpoly]),
        "first_terms": json.dumps([int(x) for x in c.first_terms]),
        "found_on": int(c.found_on),
        "predicted": int(c.predicted),
        "digits": int(c.digits),
        "rate": None if rate is None or not math.isfinite(rate) else round(rate, 6),
        "simple_rate": None if simple is None else round(simple, 6),
        "pcf": pcf,
        "pcf_mobius": mob,
        "pcf_latex": tex,
        "closed_form": None if c.closed_form is None else str(c.closed_form),
        "proof_status": str(c.proof_status),
    }


@lru_cache(maxsize=64)
def _constant(text: str):
    from ..numeric.parse import parse_constant

    return parse_constant(text)


def row_conjecture(row):
    """Rebuild the :class:`~esma_sympy.search.Conjecture` of a stored row (a mapping).

    >>> from sympy import E
    >>> from esma_sympy.search import esma_search
    >>> c = esma_search(E, coeff_limit=1, max_period=2, depth=40).conjectures[0]
    >>> d = row_conjecture(conjecture_row(c))
    >>> (d.lhs, d.signs, d.polys, d.first_terms) == (c.lhs, c.signs, c.polys, c.first_terms)
    True
    """
    from ..search import LHS, Conjecture

    ident = row["id"] if "id" in row.keys() else None
    try:
        fields = _row_fields(row, LHS)
    except (ValueError, TypeError, KeyError, ZeroDivisionError) as err:
        if ident is None:
            raise
        raise RowDecodeError(ident, f"{type(err).__name__}: {err}") from None
    try:
        return Conjecture(**fields)
    except ValueError as err:           # the values are inconsistent with each other
        if ident is None:
            raise
        raise RowDecodeError(ident, f"{type(err).__name__}: {err}") from None


class RowDecodeError(ValueError):
    """A stored conjecture row whose values cannot make a ``Conjecture`` (``row_id``,
    ``reason``); ``esma`` prints it with the name of the store.

    >>> print(RowDecodeError(7, "ValueError: bad"))
    conjecture id 7 is damaged (ValueError: bad); `esma doctor` lists the damaged rows
    """

    def __init__(self, row_id, reason: str):
        super().__init__(f"conjecture id {row_id} is damaged ({reason}); `esma doctor` lists "
                         "the damaged rows")
        self.row_id, self.reason = row_id, reason


def _row_fields(row, LHS) -> dict:
    """The ``Conjecture`` arguments parsed from a stored row."""
    closed = row["closed_form"]
    if closed is not None:
        try:
            closed = _constant(closed)
        except (ValueError, TypeError, SyntaxError):
            pass                    # keep the text: stored strings are never evaluated
    family = row["family"] if "family" in row.keys() else -1
    return dict(
        constant=_constant(row["constant"]),
        lhs=LHS(tuple(json.loads(row["lhs_num"])), tuple(json.loads(row["lhs_den"]))),
        signs=tuple(json.loads(row["signs"])),
        prefix=tuple(json.loads(row["prefix"])),
        polys=tuple(tuple(Fraction(x) for x in p) for p in json.loads(row["polys"])),
        charpoly=tuple(json.loads(row["charpoly"])),
        first_terms=tuple(json.loads(row["first_terms"])),
        found_on=int(row["found_on"]),
        predicted=int(row["predicted"]),
        digits=int(row["digits"]),
        family=-1 if family is None else int(family),
        proof_status=ProofStatus.coerce(row["proof_status"]),
        closed_form=closed,
    )


@dataclass
class UnitRows:
    """What a worker returns for one unit: its index, the rows of its conjectures (in the
    unit's order) with their position keys, and its statistics (JSON-ready); see
    :func:`unit_rows`."""

    index: int
    rows: list
    stats: dict


def unit_rows(plan, result, fold: bool = False) -> UnitRows:
    """The :class:`UnitRows` of a :class:`~esma_sympy.search.UnitResult` of ``plan``.

    >>> from sympy import E
    >>> from esma_sympy.search import plan_search, run_unit
    >>> plan = plan_search(E, coeff_limit=1, max_period=2)
    >>> ur = unit_rows(plan, run_unit(plan, next(plan.units())))
    >>> ur.index, len(ur.rows), ur.rows[0]["lhs"]
    (0, 72, '-E - 1')
    """
    unit = result.unit
    order = {v: i for i, v in enumerate(plan.lhs_list[unit.lhs[0]: unit.lhs[1]], unit.lhs[0])}
    rows = []
    for c in result.conjectures:
        row = conjecture_row(c, fold=fold)
        row["_lhs_index"] = order[c.lhs]
        # the pattern space's key (the store keeps its two parts, opaque to it)
        row["_period"], row["_pattern_code"] = plan.patterns.key(c.signs)
        rows.append(row)
    return UnitRows(unit.index, rows, asdict(result.stats))


def describe_unit(plan, unit, fold: bool = False) -> UnitRows:
    """Run one unit (:func:`~esma_sympy.search.run_unit`) and turn its conjectures into rows.

    A module-level function of picklable arguments, so process pools can run it.

    >>> from sympy import E
    >>> from esma_sympy.search import plan_search
    >>> plan = plan_search(E, coeff_limit=1, max_period=2)
    >>> len(describe_unit(plan, next(plan.units())).rows)
    72
    """
    from ..search import run_unit

    return unit_rows(plan, run_unit(plan, unit), fold)
