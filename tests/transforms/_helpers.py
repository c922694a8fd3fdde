"""Exact checks shared by the transforms tests."""

from __future__ import annotations

from sympy import Matrix, Rational


def walk_column(cf, i):
    """``(p_i, q_i)`` of a PCF/SCF as Rationals (``(1, 0)`` at ``i = -1``)."""
    if i == -1:
        return Rational(1), Rational(0)
    W = cf.walk_matrix(i)
    return Rational(str(W[0, 0])), Rational(str(W[1, 0]))


def assert_index_map(source, f, count=10, target=None):
    """Projective and exact: ``G (P_N, Q_N)`` is a nonzero multiple of ``(p_i, q_i)`` with
    ``i = f.index(N)``, for ``N < count`` (``target``: the folded fraction, default f.pcf)."""
    target = f.pcf if target is None else target
    G = Matrix(f.mobius)
    for N in range(count):
        P, Q = walk_column(target, N)
        v = G * Matrix([P, Q])
        p, q = walk_column(source, f.index(N))
        assert v != Matrix([0, 0]), (N, f)
        assert v[0] * q - v[1] * p == 0, (N, f)
