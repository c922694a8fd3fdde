r"""The verdict protocol: proof statuses, three-valued truth, and the certificate base class.

Explanation
===========

Every answer of esma_sympy about a mathematical claim (``prove``, ``identify``,
``is_equivalent``, a conjecture's ``proof_status``) carries a :class:`ProofStatus`.  The
statuses are a ``str`` enum whose values are the strings used before (and kept in the store and
in JSON exports), so ``status == 'proven'``, ``json.dumps(status)`` and SQLite parameters work
unchanged.

A status has a truth value in the sense of SymPy's fuzzy logic (:mod:`sympy.core.logic`):
``True`` when the claim is proven, ``False`` when it is disproven, ``None`` when it is unknown
(numerically confirmed, open, conjectured).  Only ``True`` is a proof: a numerical
confirmation is evidence, and its truth value is ``None``.

A :class:`Certificate` is an object that proves a *value relation* between continued fractions
or constants (``value(p) = M(value(q))``).  It re-verifies every hypothesis on
:meth:`Certificate.check` (exactly, or by certified arb balls where a limit is involved; never
by floating point), explains itself by :meth:`Certificate.steps` and states what it proves by
:attr:`Certificate.relation`.  Every certificate class of the package derives from it
(``tests/test_verdict.py`` checks that, and that a tampered certificate of each kind fails
``check()``).

This module sits below every layer (like :mod:`esma_sympy.errors`): it imports nothing from the
package.

Examples
========

>>> from esma_sympy.verdict import ProofStatus
>>> ProofStatus.PROVEN == 'proven', str(ProofStatus.NUMERIC), ProofStatus('open')
(True, 'numerically confirmed', 'open')
>>> [s.truth for s in (ProofStatus.PROVEN, ProofStatus.DISPROVEN, ProofStatus.NUMERIC)]
[True, False, None]
>>> from sympy.core.logic import fuzzy_and
>>> fuzzy_and([ProofStatus.PROVEN.truth, ProofStatus.UNKNOWN.truth])     # proven and unknown
>>> import json; json.dumps({"status": ProofStatus.PROVEN})
'{"status": "proven"}'
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from enum import Enum

__all__ = ["ProofStatus", "Certificate", "fuzzy_truth"]


class ProofStatus(str, Enum):
    """The status of a claim (a conjecture, a proof, an identification, an equivalence).

    ===================  ============================  =====  ==========================================
    member               value                         truth  meaning
    ===================  ============================  =====  ==========================================
    ``CONJECTURED``      ``'conjectured'``             None   found by the search, not examined
    ``PROVEN``           ``'proven'``                  True   every step checked exactly
    ``NUMERIC``          ``'numerically confirmed'``   None   digits proven by arb balls only
    ``OPEN``             ``'open'``                    None   examined, neither proven nor confirmed
    ``EQUIVALENT``       ``'equivalent'``              True   an equivalence certificate checks
    ``DISPROVEN``        ``'disproven'``               False  a valid disproof (with a reason)
    ``UNKNOWN``          ``'unknown'``                 None   undecided (with a reason)
    ===================  ============================  =====  ==========================================

    A ``str`` subclass: members compare, hash, format, serialise and print (``repr``) as their
    values, so tables and stored data read as they did with plain strings.

    >>> ProofStatus('numerically confirmed') is ProofStatus.NUMERIC
    True
    >>> {ProofStatus.PROVEN} == {'proven'}, f"{ProofStatus.OPEN}", ProofStatus.EQUIVALENT.truth
    (True, 'open', True)
    >>> ProofStatus.coerce('proven'), ProofStatus.coerce('legacy text')
    ('proven', 'legacy text')
    """

    CONJECTURED = "conjectured"
    PROVEN = "proven"
    NUMERIC = "numerically confirmed"
    OPEN = "open"
    EQUIVALENT = "equivalent"
    DISPROVEN = "disproven"
    UNKNOWN = "unknown"

    def __repr__(self) -> str:
        return repr(self.value)

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @property
    def truth(self):
        """``True`` (proven), ``False`` (disproven) or ``None`` (unknown): SymPy's fuzzy value."""
        return _TRUTH[self]

    @classmethod
    def coerce(cls, value):
        """``value`` as a member when it is one of the values, else ``value`` unchanged (text
        read from an older store is kept as it is)."""
        try:
            return cls(value)
        except ValueError:
            return value


_TRUTH = {ProofStatus.PROVEN: True, ProofStatus.EQUIVALENT: True, ProofStatus.DISPROVEN: False}
_TRUTH.update({s: None for s in ProofStatus if s not in _TRUTH})


def fuzzy_truth(answer):
    """The fuzzy truth value (``True``/``False``/``None``) of an answer of esma_sympy.

    ``answer`` is a :class:`ProofStatus` (or its string), an object with a ``truth``
    attribute (``is_equivalent``'s answers) or with a ``status`` (proofs, identifications), or
    ``True``/``False``/``None`` themselves.

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> from esma_sympy.transforms import is_equivalent
    >>> fuzzy_truth(is_equivalent(PCF(n + 3, -n, n), PCF(2*n + 1, n**2, n)))   # e vs 4/pi
    False
    >>> fuzzy_truth('numerically confirmed'), fuzzy_truth(None)
    (None, None)
    """
    if answer is None or isinstance(answer, bool):
        return answer
    if isinstance(answer, str):
        s = ProofStatus.coerce(answer)
        return s.truth if isinstance(s, ProofStatus) else None
    if hasattr(answer, "truth"):
        return answer.truth
    if hasattr(answer, "status"):
        return fuzzy_truth(answer.status)
    raise TypeError(f"answer must be a status or a verdict, got {answer!r} of type {type(answer).__name__}")


class Certificate(ABC):
    r"""A re-checkable proof of a value relation.

    Subclasses (frozen dataclasses in practice) implement

    * :meth:`check` -- re-verify every hypothesis, return ``True`` only when all hold;
    * :meth:`steps` -- the human-readable proof as ``(title, text)`` pairs;
    * :attr:`relation` -- the value relation proven, as text, e.g.
      ``'value(p) = M(value(q)) with M = [[1, 0], [0, 2]]'``.

    ``truth`` is the fuzzy value of the certificate's claim: ``True`` (a certificate is a proof
    once it checks; constructing one does not check it).

    >>> from sympy.abc import n
    >>> from esma_sympy import PCF
    >>> from esma_sympy.transforms import find_coboundary
    >>> cert = find_coboundary(PCF(n + 3, -n, n), PCF(2*n + 6, -4*n, n))
    >>> isinstance(cert, Certificate), cert.check(), cert.relation
    (True, True, 'value(p) = M(value(q)) with M = [[1, 0], [0, 2]]')
    """

    truth = True

    @abstractmethod
    def check(self) -> bool:
        """Whether every hypothesis of the certificate holds (re-verified, not remembered)."""

    @abstractmethod
    def steps(self) -> list:
        """The proof as a list of ``(title, text)`` pairs."""

    @property
    @abstractmethod
    def relation(self) -> str:
        """The value relation this certificate proves, as text."""

    # -- notebook representations (from stored data: nothing is re-checked) --------------------
    def _repr_status(self):
        """The status shown by the notebook representations: ``status`` when the class has one,
        else the status of ``truth`` (``'proven'`` for ``True``)."""
        s = getattr(self, "status", None)
        if s is None:
            s = {True: ProofStatus.PROVEN, False: ProofStatus.DISPROVEN}.get(self.truth,
                                                                            ProofStatus.UNKNOWN)
        return ProofStatus.coerce(s)

    def _repr_steps(self):
        """``(steps, latex)``: the steps the notebook representations show, and whether their
        texts are LaTeX (``steps()`` gives text; a class with LaTeX steps, or with steps that
        re-check something, overrides this)."""
        return self.steps(), False

    def _repr_parts(self):
        """``(kind, status, relation, steps, latex)`` for the representations; a part that
        cannot be built is left out rather than raising (a representation must not fail)."""
        try:
            relation = self.relation
        except Exception:  # noqa: BLE001 - e.g. a singular matrix of a tampered certificate
            relation = None
        try:
            steps, tex = self._repr_steps()
        except Exception as exc:  # noqa: BLE001
            steps, tex = [("Steps", f"not available ({type(exc).__name__}: {exc})")], False
        return type(self).__name__, self._repr_status(), relation, list(steps), tex

    def _repr_html_(self) -> str:
        """The certificate in a notebook: its class, status, relation and steps, as HTML
        (every text escaped; LaTeX steps typeset by MathJax).

        >>> class Demo(Certificate):
        ...     relation = "value(p) = 1 < 2"
        ...     def check(self): return True
        ...     def steps(self): return [("Claim", "1 < 2"), ("Check", "holds")]
        >>> h = Demo()._repr_html_()
        >>> "1 &lt; 2" in h, "1 < 2" in h, ">proven</span>" in h, h.count("<li>")
        (True, False, True, 2)
        """
        from ._notebook import certificate_html

        return certificate_html(*self._repr_parts())

    def _repr_latex_(self) -> str:
        r"""The certificate in a notebook as a LaTeX array ``$$\begin{array}{ll}...$$``: class and
        status, relation, one row per step.

        >>> class Demo(Certificate):
        ...     relation = "value(p) = 1"
        ...     def check(self): return True
        ...     def steps(self): return [("Claim", "x_1 = 1")]
        >>> t = Demo()._repr_latex_()
        >>> t.startswith("$$\\begin{array}"), t.endswith("$$"), r"\textbf{proven}" in t, r"x}\_" in t
        (True, True, True, True)
        """
        from ._notebook import certificate_latex

        return certificate_latex(*self._repr_parts())
