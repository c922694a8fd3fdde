"""The HTML report as a reader sees it: rendered in headless Chromium with no network, every
formula is typeset by the MathJax the report ships, none shows as raw TeX, none is a TeX error."""

import pytest
from sympy import E, tan

from esma_sympy.report import write_report
from esma_sympy.search import plan_search
from esma_sympy.store import Store, run_search
from tests._chromium import (CHROMIUM, NO_CHROMIUM, dump_dom, typeset_errors, typeset_math,
                             visible_raw_tex)


@pytest.mark.slow
def test_report_pages_typeset_offline(tmp_path):
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    with Store(tmp_path / "s.sqlite") as s:
        run_search(plan_search(E, lhs=["E", "E/(E - 1)", "1/E"], max_period=2, depth=40), s)
        run_search(plan_search(tan(1), lhs=["tan(1)"], max_period=1, depth=40), s)
        write_report(s, tmp_path / "html", format="html")
    for name in ("e.html", "tan_1.html", "index.html"):
        page = (tmp_path / "html" / name).read_text().split("<body>", 1)[1]
        # every formula of the page: inline \( \) and display \[ \]
        formulas = page.count("\\(") + page.count("\\[")
        dom = dump_dom(tmp_path / "html" / name)
        assert typeset_math(dom) == formulas > 0, name
        assert visible_raw_tex(dom) == [], name
        assert typeset_errors(dom) == [], name
