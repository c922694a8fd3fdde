"""Notebook representations of proofs and certificates (issue 15, item 4).

Every :class:`~esma_sympy.verdict.Certificate` gets ``_repr_html_``/``_repr_latex_`` from the
base class (class, status, relation, steps), a class with LaTeX steps overrides which steps
are shown; the status is always visible, texts are escaped, and nothing is re-checked.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
import pytest
from sympy import E, Symbol
from sympy.abc import n

from esma_sympy import PCF, SCF, QuasiPolynomial
from esma_sympy._notebook import balanced, math_html, tex_text
from esma_sympy.theory import prove
from esma_sympy.transforms import NotEquivalent, find_coboundary, is_equivalent
from esma_sympy.verdict import Certificate, ProofStatus

from .test_verdict import EXAMPLES

k = Symbol("k")


def _latex_looks_valid(t: str) -> None:
    assert t.startswith("$") and t.endswith("$"), t[:40]
    assert balanced(t), t
    assert t.count(r"\begin{array}") == t.count(r"\end{array}")


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_certificate_has_reprs(name):
    cert, _ = EXAMPLES[name]()
    h, t = cert._repr_html_(), cert._repr_latex_()
    status = str(cert._repr_status())
    assert f">{status}</span>" in h and rf"\textbf{{{status}}}" in t.replace(r"}\textbf{", "")
    assert f"<b>{name}</b>" in h and "<li>" in h and "check()" in h
    _latex_looks_valid(t)
    assert h.count(r"\(") == h.count(r"\)")


def test_statuses_are_visible():
    e = SCF(QuasiPolynomial([], [2 * k + 1, 2], k), (1, -1))
    proven = prove(e, lhs=E / (E - 1), constant=E)
    wrong = prove(e, lhs=E / (E - 2), constant=E, dps=50)
    assert proven.status == "proven" and wrong.status != "proven"
    assert ">proven</span>" in proven._repr_html_()
    assert f">{wrong.status}</span>" in wrong._repr_html_()
    assert rf"\textbf{{{wrong.status}}}" in wrong._repr_latex_().replace(r"}\textbf{", "")
    open_ = replace(proven, status=ProofStatus.OPEN, certificate=None, reason="no walk_certificate <found>")
    h, t = open_._repr_html_(), open_._repr_latex_()
    assert ">open</span>" in h and "<found>" not in h and r"\text{found}&gt;" in h
    assert r"\textbf{open}" in t and r"\text{no walk}\_\text{certificate }<" in t
    yes = find_coboundary(PCF(n + 3, -n, n), PCF(2 * n + 6, -4 * n, n))
    no = is_equivalent(PCF(1, 1), PCF(2, 1))
    assert ">equivalent</span>" in yes._repr_html_() and ">disproven</span>" in no._repr_html_()
    unknown = NotEquivalent("unknown", "undecided")
    assert ">unknown</span>" in unknown._repr_html_() and r"\textbf{unknown}" in unknown._repr_latex_()
    for x in (proven, wrong, open_, yes, no, unknown):
        _latex_looks_valid(x._repr_latex_())


def test_answers_that_are_not_certificates():
    from esma_sympy.theory import identify
    from esma_sympy.theory.identify import Unidentified

    u = Unidentified("no fraction with d <= 8 & c_1")
    h, t = u._repr_html_(), u._repr_latex_()
    assert ">unknown</span>" in h and "d &lt;= 8 &amp; c_1" in h
    _latex_looks_valid(t)
    assert r"\textbf{unknown}" in t and r"\_" in t
    r = identify(PCF(n + 3, -n, n))                      # a hypergeometric identification
    h = r._repr_html_()
    assert ">proven</span>" in h and math_html(r.certificate.latex_steps()[1][1]) in h


def test_proof_reprs_typeset_its_latex_steps():
    p = prove(SCF(QuasiPolynomial([], [2 * k + 1, 2], k), (1, -1)), lhs=E / (E - 1), constant=E)
    h = p._repr_html_()
    for _title, body in p.steps():                   # every LaTeX step, escaped, as math
        assert math_html(body) in h
    t = p._repr_latex_()
    assert r"\begin{description}" not in t and r"\blacksquare" in t
    assert p.to_latex().startswith(r"\begin{description}")          # the document form stays


def test_text_is_escaped():
    ne = NotEquivalent("disproven", "<script>alert(1)</script> & 50% of {x_1}")
    h = ne._repr_html_()
    assert "<script>" not in h and "&lt;script&gt;" in h and "&amp; 50%" in h
    t = ne._repr_latex_()
    _latex_looks_valid(t)
    assert r"\%" in t and r"\{" in t and r"\_" in t and "<script>" not in t.replace(r"\text{", "")

    class Demo(Certificate):
        relation = "value(p) = 1 < 2 & 3"

        def check(self):
            return True

        def steps(self):
            return [("<i>Claim</i>", "a < b")]

    h = Demo()._repr_html_()
    assert "1 &lt; 2 &amp; 3" in h and "&lt;i&gt;Claim&lt;/i&gt;" in h and "a &lt; b" in h
    _latex_looks_valid(Demo()._repr_latex_())


def test_reprs_never_raise_or_recheck(monkeypatch):
    cert, _ = EXAMPLES["EquivalenceCertificate"]()

    def boom(self):
        raise AssertionError("a representation re-checked the hypotheses")

    monkeypatch.setattr(type(cert), "hypotheses", boom)
    assert "Coboundary (T4.9)" in cert._repr_html_() and "Hypotheses" in cert._repr_latex_()
    # a part that cannot be built is left out: the representation itself does not raise
    monkeypatch.setattr(type(cert), "relation", property(lambda self: 1 / 0))
    h = cert._repr_html_()
    assert "<b>EquivalenceCertificate</b>" in h and "relation:" not in h
    _latex_looks_valid(cert._repr_latex_())


def test_tex_text_is_math_mode_safe():
    t = tex_text(r"G_n = F^k(x), 50% {a} ~ \ <>|" + " ∝ λ ≥ ×")
    assert balanced(t) and r"\text{" in t and "∝" not in t and r"\propto" in t
    assert r"\text{G}\_\text{n = F}\hat{}\text{k(x), 50}\%" in t


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_certificate_latex_compiles(tmp_path):
    bodies = [EXAMPLES[name]()[0]._repr_latex_() for name in sorted(EXAMPLES)]
    bodies.append(NotEquivalent("disproven", "<x> & 50% of {x_1} ~ y^2")._repr_latex_())
    doc = ("\\documentclass{article}\\usepackage{amsmath,amssymb}\\usepackage[margin=5mm,"
           "a3paper,landscape]{geometry}\\begin{document}\n" + "\n\n".join(bodies)
           + "\n\\end{document}\n")
    (tmp_path / "c.tex").write_text(doc)
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "c.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]
