"""A curated test set of polynomial continued fractions (PCFs) from the literature.

Every entry is a :class:`Formula`: integer polynomials ``a(n)``, ``b(n)`` (strings in ``n``),
the closed form of the limit of ``PCF(a, b, n)`` and a short citation.  The convention is the
project's (``esma_sympy.cf.pcf``):

    PCF(a, b, n) = a(0) + b(1)/(a(1) + b(2)/(a(2) + b(3)/(a(3) + ...)))

so a published formula written as ``b0/(a1 + b2/(a2 + ...))`` or with a shifted index has been
translated (``value`` is then a Möbius image of the published constant, e.g. Brouncker's
``4/pi = 1 + 1^2/(2 + 3^2/(2 + ...))`` is ``PCF(2, (2n-1)^2) = 1 + 4/pi`` because ``a(0)`` is
``a`` at ``n = 0``).  Every value was checked against a certified enclosure of at least
``digits`` decimal digits (30 unless a slowly convergent fraction certifies fewer in reasonable
time); ``tests/transforms/test_literature.py`` re-checks all of them.

The families are ``"pi"`` (Möbius images of pi over Q; ``gauss_arctan_sqrt3`` is over
Q(sqrt 3)), ``"zeta2"`` (pi^2), ``"e"``, ``"zeta3"`` and ``"catalan"``.  Several constants
appear in more than one guise (tail shifts, inflations ``PCF(c a, c(n-1) c(n) b)``, even/odd
contractions, different published forms), on purpose: the set is meant for proving relations
among the formulas.  Entries whose ``source`` says "(this project)" were derived here from the
cited formula by such a transformation, or found by a numerical search; their values are
verified, not taken from the literature.  A contraction written with polynomial coefficients
continues the polynomials to the first levels, which changes those levels, so its value is a
Möbius image of the original value rather than the value itself.

Examples
========

>>> from esma_sympy.testing.literature import ALL_FORMULAS, PI_FORMULAS, by_name
>>> f = by_name("brouncker")
>>> f.pcf(), f.limit()
(PCF(2, (2*n - 1)**2, n), 1 + 4/pi)
>>> v = f.pcf().evaluate(30)
>>> v.certified, v.contains(f.limit())
(True, True)
>>> by_name("apery_zeta3").pcf().convergent(2)          # 5 - 1/(117 - 64/535)
312120/62531
>>> len(PI_FORMULAS) >= 30, len({f.name for f in ALL_FORMULAS}) == len(ALL_FORMULAS)
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Expr, Symbol, sympify

from .._args import renamed_keyword
from ..cf.pcf import PCF

__all__ = [
    "Formula",
    "PI_FORMULAS",
    "ZETA2_FORMULAS",
    "E_FORMULAS",
    "ZETA3_FORMULAS",
    "CATALAN_FORMULAS",
    "ALL_FORMULAS",
    "by_name",
]

_N = Symbol("n")

_RM19 = "Ramanujan Machine (Raayoni et al., arXiv:1907.00205, 2019; Nature 590, 2021)"
_RM21 = "Ramanujan Machine (Raayoni et al., Nature 590, 2021; as cited in benchmarks/bench_values.py)"
_NATURE21 = (_RM19 + " p. 9 family PCF(3n+1, n(2z-2n+1)) = 2^(2z+1)/(pi binomial(2z, z)), "
             "as used in Raz et al. 2025 (From Euler to AI, RamanujanMachine/euler2ai)")
_BROUNCKER_S = ("Brouncker's b(s) = s + 1^2/(2s + 3^2/(2s + ...)), b(s) b(s+2) = (s+1)^2, "
                "b(1) = 4/pi (Wallis, Arithmetica Infinitorum 1656; see Dutka 1982, "
                "Arch. Hist. Exact Sci. 26); PCF(2s, (2n-1)^2) = s + b(s)")
_GAUSS = ("arctan continued fraction z/arctan(z) = 1 + z^2/(3 + 4z^2/(5 + 9z^2/(7 + ...))) "
          "(Euler; Gauss 1813, from his 2F1 continued fraction)")
_LANGE = "Lange (1999), Amer. Math. Monthly 106, 456-458: pi = 3 + 1^2/(6 + 3^2/(6 + 5^2/(6 + ...)))"
_NUMERIC = "verified numerically (this project)"
_ZETA3_FAMILY = ("Ramanujan Machine zeta(3) family a = n^3 + (n+1)^3 + 2c(c+1)(2n+1), b = -n^6 "
                 "(RamanujanMachine/RamanujanMachine scripts/zeta3_infinite_family.py; the "
                 "x-direction of the zeta(3) CMF, Elimelech et al., PNAS 2024); "
                 "value 1/(zeta(3) - sum_{k<=c} k^-3)")


@dataclass(frozen=True)
class Formula:
    """One literature formula: ``PCF(a, b, n)`` equals ``value``.

    ``a`` and ``b`` are integer polynomials in ``n`` (as strings), ``value`` a SymPy-parsable
    closed form of the limit, ``source`` a short citation, ``family`` the constant's family and
    ``digits`` the number of certified digits the value is checked to.

    >>> f = Formula("euler_arctan", "2*n + 1", "n**2", "4/pi", "Euler", "pi")
    >>> f.pcf().convergent(3), f.limit()
    (51/40, 4/pi)
    >>> f.verify()
    True
    """

    name: str
    a: str
    b: str
    value: str
    source: str
    family: str
    digits: int = 30

    def pcf(self) -> PCF:
        """The fraction ``PCF(a, b, n)`` with the index ``n = Symbol('n')``."""
        return PCF(sympify(self.a), sympify(self.b), _N)

    def limit(self) -> Expr:
        """The claimed value of the fraction as a SymPy expression."""
        return sympify(self.value)

    def verify(self, dps: int | None = None, *, digits: int | None = None) -> bool:
        """Whether a certified enclosure of ``dps`` (default ``self.digits``) digits of the
        fraction contains :meth:`limit` (``digits=``, the old name of ``dps``, works for one
        release with a ``DeprecationWarning``)."""
        dps = renamed_keyword("Formula.verify", "digits", digits, "dps", dps)
        v = self.pcf().evaluate(self.digits if dps is None else dps)
        return bool(v.certified and v.contains(self.limit()))


def _f(name, a, b, value, source, family, digits=30):
    return Formula(name, a, b, value, source, family, digits)


PI_FORMULAS = (
    # -- Brouncker and the Wallis-type b(s) values ------------------------------------------
    _f("brouncker", "2", "(2*n - 1)**2", "1 + 4/pi",
       "Brouncker (1655), in Wallis, Arithmetica Infinitorum (1656): "
       "4/pi = 1 + 1^2/(2 + 3^2/(2 + 5^2/(2 + ...)))", "pi"),
    _f("brouncker_tail", "2", "(2*n + 1)**2", "pi/(4 - pi)",
       "Brouncker (1655): the tail 2 + 3^2/(2 + 5^2/(2 + ...)) of his 4/pi fraction", "pi"),
    _f("brouncker_b5", "10", "(2*n - 1)**2", "5 + 16/pi", _BROUNCKER_S + ", s = 5", "pi"),
    _f("brouncker_b7", "14", "(2*n - 1)**2", "7 + 9*pi/4", _BROUNCKER_S + ", s = 7", "pi"),
    _f("brouncker_b9", "18", "(2*n - 1)**2", "9 + 256/(9*pi)", _BROUNCKER_S + ", s = 9", "pi"),
    _f("brouncker_b11", "22", "(2*n - 1)**2", "11 + 225*pi/64", _BROUNCKER_S + ", s = 11", "pi"),
    # -- Lange (= Brouncker's b(3)) -----------------------------------------------------------
    _f("lange", "6", "(2*n - 1)**2", "pi + 3", _LANGE, "pi"),
    _f("lange_tail", "6", "(2*n + 1)**2", "1/(pi - 3)", _LANGE + " (its tail)", "pi"),
    _f("lange_inflated", "12", "4*(2*n - 1)**2", "2*pi + 6",
       _LANGE + "; inflated by 2 (this project)", "pi"),
    _f("nilakantha", "12*n + 12", "4*n*(n + 1)*(2*n + 1)**2", "2/(pi - 3)",
       "Nilakantha's series pi = 3 + 4/(2*3*4) - 4/(4*5*6) + ... (Tantrasangraha, c. 1500) "
       "as the PCF of its partial-sum recurrence (this project)", "pi"),
    # -- Euler/Gauss arctan fraction and its guises -----------------------------------------
    _f("euler_arctan", "2*n + 1", "n**2", "4/pi",
       _GAUSS + " at z = 1: pi/4 = 1/(1 + 1^2/(3 + 2^2/(5 + ...)))", "pi"),
    _f("euler_arctan_tail", "2*n + 3", "(n + 1)**2", "pi/(4 - pi)",
       _GAUSS + " at z = 1, shifted by one level", "pi"),
    _f("gauss_arctan_sqrt3", "2*n + 1", "3*n**2", "3*sqrt(3)/pi",
       _GAUSS + " at z = sqrt(3), arctan(sqrt(3)) = pi/3", "pi"),
    _f("euler_arctan_inflated", "4*n + 2", "4*n**2", "8/pi",
       _GAUSS + " at z = 1; inflated by 2 (this project)", "pi"),
    _f("euler_arctan_inflated_linear", "(n + 1)*(2*n + 1)", "n**3*(n + 1)", "4/pi",
       _GAUSS + " at z = 1; inflated by c(n) = n + 1 (this project)", "pi"),
    _f("euler_arctan_inflated_quadratic", "(2*n + 1)*(n**2 + n + 1)",
       "n**2*(n**2 - n + 1)*(n**2 + n + 1)", "4/pi",
       _GAUSS + " at z = 1; inflated by c(n) = n^2 + n + 1 (this project)", "pi"),
    _f("euler_arctan_odd", "2*(4*n + 1)*(6*n**2 + 3*n - 1)",
       "-n**2*(2*n - 1)**2*(4*n - 5)*(4*n + 3)", "-6/pi",
       _GAUSS + " at z = 1; odd contraction, deflated by 2 (this project)", "pi"),
    _f("euler_arctan_even", "2*(4*n + 3)*(6*n**2 + 9*n + 2)",
       "-n**2*(2*n + 1)**2*(4*n - 3)*(4*n + 5)", "10/(4 - pi)",
       _GAUSS + " at z = 1; even contraction, deflated by 2 (this project)", "pi"),
    # -- Ramanujan Machine --------------------------------------------------------------------
    _f("rm_2_over_4_minus_pi", "2", "n**2", "2/(4 - pi)", _RM21, "pi"),
    _f("rm_2_over_4_minus_pi_inflated", "4", "4*n**2", "4/(4 - pi)",
       _RM21 + "; inflated by 2 (this project)", "pi"),
    _f("rm_4_over_pi_minus_2", "2*n + 3", "n*(n + 2)", "4/(pi - 2)",
       _RM19 + ", abstract (v1): 4/(pi - 2) = 3 + 1*3/(5 + 2*4/(7 + 3*5/(9 + ...)))", "pi"),
    _f("rm_4_over_pi_minus_2_odd", "3*(4*n + 3)*(4*n**2 + 6*n + 1)",
       "-n*(n + 1)*(2*n - 1)*(2*n + 1)*(4*n - 3)*(4*n + 5)", "10/(pi - 2)",
       _RM19 + ": 4/(pi - 2); odd contraction, deflated by 2 (this project)", "pi"),
    _f("rm_4_over_3pi_minus_8", "3*n + 3", "-n*(2*n - 1)", "4/(3*pi - 8)",
       _RM19 + ", abstract: 4/(3pi - 8) = 3 - 1*1/(6 - 2*3/(9 - 3*5/(12 - ...)))", "pi"),
    _f("rm_4_over_3pi_minus_8_even", "20*n**2 + 62*n + 45", "-2*n*(2*n + 3)*(4*n - 1)*(4*n + 1)",
       "12/(9*pi - 28)",
       _RM19 + ": 4/(3pi - 8); even contraction, deflated by 3 (this project)", "pi"),
    _f("nature21_z0", "3*n + 1", "-n*(2*n - 1)", "2/pi", _NATURE21 + ", z = 0", "pi"),
    _f("nature21_z1", "3*n + 1", "-n*(2*n - 3)", "4/pi", _NATURE21 + ", z = 1", "pi"),
    _f("nature21_z2", "3*n + 1", "-n*(2*n - 5)", "16/(3*pi)", _NATURE21 + ", z = 2", "pi"),
    _f("nature21_z3", "3*n + 1", "-n*(2*n - 7)", "32/(5*pi)", _NATURE21 + ", z = 3", "pi"),
    _f("nature21_z1_negated", "-3*n - 1", "-n*(2*n - 3)", "-4/pi",
       _NATURE21 + ", z = 1, with a -> -a (pi/(-4) = 1/(-1 + 1/(-4 - 2/(-7 - ...))))", "pi"),
    _f("nature21_z0_odd", "60*n**3 + 34*n**2 - 11*n - 3",
       "-2*n*(2*n - 1)*(3*n - 4)*(3*n + 2)*(4*n - 3)*(4*n - 1)", "-8/pi",
       _NATURE21 + ", z = 0; odd contraction, deflated by 2 (this project)", "pi"),
    _f("nature21_z0_even", "120*n**3 + 248*n**2 + 136*n + 15",
       "-2*n*(2*n + 1)*(4*n - 1)*(4*n + 1)*(6*n - 5)*(6*n + 7)", "14/(pi - 2)",
       _NATURE21 + ", z = 0; even contraction (this project)", "pi"),
    # -- found by a numerical search of the Ramanujan Machine's pi domain ---------------------
    _f("const_a_1_b_n_np1", "1", "n*(n + 1)", "2/(pi - 2)", _NUMERIC, "pi"),
    _f("const_a_2_b_4n_np1", "2", "4*n*(n + 1)", "4/(pi - 2)", _NUMERIC, "pi"),
    _f("const_a_2_b_n_np2", "2", "n*(n + 2)", "4/(3*pi - 8)", _NUMERIC, "pi"),
    _f("const_a_3_b_n_np1", "3", "n*(n + 1)", "2/(10 - 3*pi)", _NUMERIC, "pi"),
    _f("const_a_4_b_4n2_m1", "4", "(2*n - 1)*(2*n + 1)", "(pi + 2)/(pi - 2)", _NUMERIC, "pi"),
    _f("lin_3n_p2", "3*n + 2", "-n*(2*n - 1)", "2/(pi - 2)", _NUMERIC, "pi"),
    _f("lin_3n", "3*n", "-n*(2*n - 3)", "2/(pi + 2)", _NUMERIC, "pi"),
    _f("lin_3n_p3_b_m_n_2np1", "3*n + 3", "-n*(2*n + 1)", "2/(4 - pi)", _NUMERIC, "pi"),
    _f("lin_3n_p4", "3*n + 4", "-(n + 1)*(2*n + 1)", "pi/(pi - 2)", _NUMERIC, "pi"),
    _f("lin_3n_p5", "3*n + 5", "-(n + 2)*(2*n - 1)", "2 + 8/pi", _NUMERIC, "pi"),
)

ZETA2_FORMULAS = (
    _f("apery_zeta2", "11*n**2 + 11*n + 3", "n**4", "5/zeta(2)",
       "Apery (1979); van der Poorten, Math. Intelligencer 1 (1979): "
       "5/zeta(2) = 3 + 1^4/(25 + 2^4/(69 + ...))", "zeta2"),
    _f("rm_24_over_pi2", "7*n**2 + 7*n + 2", "8*n**4", "24/pi**2",
       _RM19 + ", abstract: 24/pi^2 = 2 + 8*1^4/(2 + 7*1*2 + 8*2^4/(2 + 7*2*3 + ...))", "zeta2"),
)

E_FORMULAS = (
    _f("rm_e", "n + 3", "-n", "E",
       _RM19 + ", abstract (v1): e = 3 - 1/(4 - 2/(5 - 3/(6 - ...)))", "e"),
    _f("rm_e_over_e_minus_2", "n + 4", "-n", "E/(E - 2)",
       _RM19 + ", abstract: e/(e - 2) = 4 - 1/(5 - 2/(6 - 3/(7 - ...)))", "e"),
    _f("rm_e_inflated", "2*n + 6", "-4*n", "2*E", _RM19 + ": e; inflated by 2 (this project)", "e"),
    _f("rm_e_odd", "4*n**3 + 14*n**2 + 19*n + 11", "-2*n**2*(n + 2)*(2*n - 1)", "4*E",
       _RM19 + ": e; odd contraction, deflated by 2 (this project)", "e"),
    _f("rm_hypotheses", "4*n**2 + 2*n - 2", "n*(n + 1)", "-(E + 3)/(E + 1)",
       "Ramanujan Machine repository (RamanujanMachine/RamanujanMachine, file 'Hypotheses'): "
       "(e + 3)/(-e - 1) = -2 + 2/(4 + 6/(18 + 12/(40 + ...)))", "e"),
    _f("euler_e", "n + 1", "n", "1/(E - 2)",
       "Euler (1737, De fractionibus continuis): e = 2 + 1/(1 + 1/(2 + 2/(3 + 3/(4 + ...))))",
       "e"),
    _f("euler_e_even", "4*n**2 + 14*n + 11", "-2*n*(2*n + 3)", "3/(3 - E)",
       "Euler (1737): e = 2 + 1/(1 + 1/(2 + 2/(3 + ...))); even contraction (this project)", "e"),
    _f("euler_coth_half", "4*n + 2", "1", "(E + 1)/(E - 1)",
       "Euler (1737): (e + 1)/(e - 1) = 2 + 1/(6 + 1/(10 + 1/(14 + ...)))", "e"),
    _f("e_minus_1", "n + 1", "n + 1", "E - 1",
       _NUMERIC + "; the z = 1 case of the 1F1 fraction PCF(n + 2 - z, z(n + 1)) in "
       "ramanujantools' tests", "e"),
    _f("e_1f1_z_minus_1", "n + 3", "-(n + 1)", "(E - 1)/(E - 2)",
       _NUMERIC + "; the z = -1 case of PCF(n + 2 - z, z(n + 1)) = "
       "z(e^z - 1)/((z - 1)e^z + 1)", "e"),
    _f("pcf_n_n", "n", "n", "1/(E - 1)", _NUMERIC, "e"),
    _f("pcf_np2_mn", "n + 2", "-n", "E/(E - 1)", _NUMERIC, "e"),
)

ZETA3_FORMULAS = (
    _f("apery_zeta3", "34*n**3 + 51*n**2 + 27*n + 5", "-n**6", "6/zeta(3)",
       "Apery (1979); van der Poorten, 'A proof that Euler missed', Math. Intelligencer 1 "
       "(1979): 6/zeta(3) = 5 - 1^6/(117 - 2^6/(535 - ...))", "zeta3"),
    _f("apery_zeta3_tail", "34*n**3 + 153*n**2 + 231*n + 117", "-(n + 1)**6",
       "zeta(3)/(5*zeta(3) - 6)", "Apery (1979): his 6/zeta(3) fraction shifted by one level "
       "(this project)", "zeta3"),
    _f("apery_zeta3_inflated", "2*(34*n**3 + 51*n**2 + 27*n + 5)", "-4*n**6", "12/zeta(3)",
       "Apery (1979); inflated by 2 (this project)", "zeta3"),
    _f("rm_8_over_7zeta3", "(2*n + 1)*(3*n**2 + 3*n + 1)", "-n**6", "8/(7*zeta(3))",
       _RM19 + ", abstract: 8/(7 zeta(3)) = 1 - 1^6/(3*7 - 2^6/(5*19 - 3^6/(7*37 - ...)))",
       "zeta3"),
    _f("rm_8_over_7zeta3_inflated", "2*(2*n + 1)*(3*n**2 + 3*n + 1)", "-4*n**6",
       "16/(7*zeta(3))", _RM19 + ": 8/(7 zeta(3)); inflated by 2 (this project)", "zeta3"),
    _f("euler_zeta3", "n**3 + (n + 1)**3", "-n**6", "1/zeta(3)",
       "Euler's continued fraction of zeta(3) = sum 1/k^3: 1/zeta(3) = 1 - 1^6/(1^3 + 2^3 - "
       "2^6/(2^3 + 3^3 - ...)); the c = 0 member of the " + _ZETA3_FAMILY.split(" (")[0],
       "zeta3", 10),
    _f("rm_zeta3_family_c1", "n**3 + (n + 1)**3 + 4*(2*n + 1)", "-n**6", "1/(zeta(3) - 1)",
       _ZETA3_FAMILY + ", c = 1", "zeta3"),
    _f("rm_zeta3_family_c2", "n**3 + (n + 1)**3 + 12*(2*n + 1)", "-n**6", "8/(8*zeta(3) - 9)",
       _ZETA3_FAMILY + ", c = 2", "zeta3"),
    _f("rm_zeta3_family_c3", "n**3 + (n + 1)**3 + 24*(2*n + 1)", "-n**6",
       "216/(216*zeta(3) - 251)", _ZETA3_FAMILY + ", c = 3", "zeta3"),
)

CATALAN_FORMULAS = (
    _f("rm_catalan", "3*n**2 + 3*n + 1", "-2*n**4", "1/(2*Catalan)", _RM21, "catalan"),
    _f("rm_catalan_inflated", "6*n**2 + 6*n + 2", "-8*n**4", "1/Catalan",
       _RM21 + "; inflated by 2 (this project)", "catalan"),
    _f("rm_catalan_odd", "(12*n**2 + 6*n + 1)*(80*n**4 + 80*n**3 - 12*n**2 - 16*n + 5)",
       "-64*n**4*(2*n - 1)**4*(12*n**2 - 30*n + 19)*(12*n**2 + 18*n + 7)", "7/(2*Catalan)",
       _RM21 + "; odd contraction (this project)", "catalan"),
    _f("euler_catalan", "8*n", "(2*n - 1)**4", "(1 - Catalan)/Catalan",
       "Euler's continued fraction formula applied to G = sum (-1)^k/(2k+1)^2: "
       "G = 1/(1 + 1^4/(8 + 3^4/(16 + 5^4/(24 + ...)))) (this project)", "catalan"),
    _f("euler_catalan_tail", "8*n + 8", "(2*n + 1)**4", "Catalan/(1 - Catalan)",
       "Euler's continued fraction formula applied to G = sum (-1)^k/(2k+1)^2, shifted by one "
       "level (this project)", "catalan"),
)

ALL_FORMULAS = PI_FORMULAS + ZETA2_FORMULAS + E_FORMULAS + ZETA3_FORMULAS + CATALAN_FORMULAS

_BY_NAME = {f.name: f for f in ALL_FORMULAS}


def by_name(name: str) -> Formula:
    """The formula called ``name`` (``KeyError`` when there is none).

    >>> by_name("lange").limit()
    3 + pi
    """
    return _BY_NAME[name]
