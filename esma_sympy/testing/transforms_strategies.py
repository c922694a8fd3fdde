"""Hypothesis strategies for the transforms tests: small PCFs, polynomials and SCFs.

Strategies shrink toward small, simple objects (degree 0, small coefficients).
"""

from __future__ import annotations

from hypothesis import assume, strategies as st
from sympy import Integer, Poly, Symbol

from ..cf.quasipolynomial import QuasiPolynomial
from ..cf.scf import SCF
from ..cf.pcf import PCF

__all__ = ["int_polys", "pcfs", "nonvanishing_polys", "quasi_linear_scfs"]

N = Symbol("n")
K = Symbol("k")


@st.composite
def int_polys(draw, *, max_degree: int = 2, max_value: int = 6, var: Symbol = N, nonzero: bool = True):
    """Integer polynomials in ``var`` of degree ``<= max_degree``.

    >>> from hypothesis import find
    >>> find(int_polys(), lambda p: p.has(N))
    n
    """
    d = draw(st.integers(0, max_degree))
    cs = draw(st.lists(st.integers(-max_value, max_value), min_size=d + 1, max_size=d + 1))
    p = sum((Integer(c) * var**i for i, c in enumerate(cs)), Integer(0))
    if nonzero:
        assume(p != 0)
    return p


@st.composite
def pcfs(draw, *, max_degree: int = 2, max_value: int = 6):
    """``PCF(a, b, n)`` with small integer polynomials, neither ``a`` nor ``b`` identically
    zero (unlike :func:`esma_sympy.testing.pcfs`, which allows ``a = 0``).

    >>> from hypothesis import find
    >>> find(pcfs(), lambda p: True)
    PCF(1, 1, n)
    """
    a = draw(int_polys(max_degree=max_degree, max_value=max_value))
    b = draw(int_polys(max_degree=max_degree, max_value=max_value))
    return PCF(a, b, N)


@st.composite
def nonvanishing_polys(draw, *, max_degree: int = 2, max_value: int = 5):
    """Integer polynomials with no root at any integer ``n >= 0``.

    >>> from hypothesis import find
    >>> find(nonvanishing_polys(), lambda p: p.has(N))
    n + 1
    """
    p = draw(int_polys(max_degree=max_degree, max_value=max_value))
    P = Poly(p, N)
    for f, _m in P.factor_list()[1]:
        if f.degree() == 1:
            c1, c0 = f.all_coeffs()
            r = -c0 / c1
            assume(not (r.is_integer and r >= 0))
    return p


@st.composite
def quasi_linear_scfs(draw, *, max_period: int = 3, max_prefix: int = 2, max_signs: int = 3,
                      max_value: int = 6, semiregular: bool = True):
    """Infinite SCFs with quasi-linear quotients, an optional prefix and a periodic sign pattern.

    With ``semiregular=True`` the quotients beyond the prefix are ``>= 2`` (so every tail
    exceeds 1 and the fraction converges, theory T1.1).

    >>> from hypothesis import find
    >>> find(quasi_linear_scfs(), lambda x: True)
    SCF(QuasiPolynomial((), (2,), k), (1,), True)
    """
    T = draw(st.integers(1, max_period))
    n0 = draw(st.integers(0, max_prefix))
    low = 2 if semiregular else -max_value
    polys = []
    for _ in range(T):
        c0 = draw(st.integers(low, max_value))
        c1 = draw(st.integers(0 if semiregular else -max_value, 4))
        polys.append(c1 * K + c0)
    prefix = draw(st.lists(st.integers(-max_value, max_value), min_size=n0, max_size=n0))
    p = draw(st.integers(1, max_signs))
    signs = draw(st.lists(st.sampled_from([1, -1]), min_size=p, max_size=p))
    return SCF(QuasiPolynomial(prefix, polys, K), tuple(signs))
