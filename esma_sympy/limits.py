"""Resource limits: what one call may cost before it refuses to start.

Every entry point that can be asked for unbounded work estimates it first — the constant's
magnitude (bits of its integer part and of its reciprocal), the precision that implies, the
number of (LHS, pattern) pairs and the depth — and raises
:class:`~esma_sympy.errors.ResourceLimitError` (a ``ValueError``) naming the argument, the
estimate and the limit, before anything is computed or written.  The limits are module
attributes (set them to go further) and, for the search, the argument ``max_memory``
(``esma search --max-memory``).

>>> from esma_sympy import limits
>>> limits.MAX_MEMORY >= 2**30, limits.parse_size("512M"), limits.format_size(3 * 2**30)
(True, 536870912, '3.0 GiB')
"""

from __future__ import annotations

import re

from ._messages import shown
from .errors import ResourceLimitError  # noqa: F401 - re-exported for callers

__all__ = ["MAX_MEMORY", "MAX_LHS_CANDIDATES", "MAX_LHS_DEGREE", "MAX_LHS_COEFF", "MAX_TERMS", "MAX_DPS",
           "parse_size", "format_size", "check_memory", "check_usage", "memory_in_use", "check_terms",
           "magnitude_bits", "MAX_DEGREE", "check_degree", "MAX_SEARCH_SECONDS"]

#: Estimated peak memory (bytes) above which a search refuses to start.
MAX_MEMORY = 2 * 2**30
#: Candidate ``(P, Q)`` pairs an LHS enumeration may walk through (``(2L+1)^(2(d+1))``).
MAX_LHS_CANDIDATES = 4_000_000
#: Highest degree in the constant of an explicit LHS.
MAX_LHS_DEGREE = 16
#: Largest ``|coefficient|`` of an LHS (the kernels' integer states start from them).
MAX_LHS_COEFF = 2**31
#: Most terms of an exact convergent or of a certified expansion in one call.
MAX_TERMS = 10**6
#: Estimated seconds above which ``esma_search`` refuses to start (the command asks instead).
MAX_SEARCH_SECONDS = 3600
#: Most decimal digits of working precision a caller may ask for.
MAX_DPS = 10**7
#: Largest ``k`` of a k-fold contraction in one call (its polynomials have degree about ``k``
#: times the fraction's; measured: k = 50 took 3.5 s, k = 1000 more than 30 s).
MAX_CONTRACTION = 64
#: Highest degree in the index of a PCF's or a quasi-polynomial's coefficients (a value at
#: n = 2 already has that many bits; expanding ``(n + 1)**d`` has ``d + 1`` terms).
MAX_DEGREE = 10_000

_UNITS = {"": 1, "B": 1, "K": 2**10, "KB": 2**10, "KIB": 2**10, "M": 2**20, "MB": 2**20,
          "MIB": 2**20, "G": 2**30, "GB": 2**30, "GIB": 2**30, "T": 2**40, "TB": 2**40,
          "TIB": 2**40}


def parse_size(text, name: str = "max_memory") -> int:
    """Bytes from ``'512M'``, ``'2G'``, ``'1.5GiB'`` or an integer; ``ValueError`` naming
    ``name`` otherwise.

    >>> parse_size("2G"), parse_size(1000), parse_size("1.5 GiB")
    (2147483648, 1000, 1610612736)
    >>> parse_size("lots")
    Traceback (most recent call last):
    ...
    ValueError: max_memory must be a size such as 512M or 4G, got 'lots'
    >>> parse_size("2.5")
    Traceback (most recent call last):
    ...
    ValueError: max_memory = '2.5' is a fraction of a byte: a size without a unit counts bytes (write 2.5G for gigabytes)
    """
    if isinstance(text, bool):
        raise TypeError(f"{name} must be a size such as 512M or 4G, got {shown(text, 40)}")
    if isinstance(text, int):
        value = text
    elif isinstance(text, str):
        m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", text)
        if not m or m.group(2).upper() not in _UNITS:
            raise ValueError(f"{name} must be a size such as 512M or 4G, got {shown(text, 40)}")
        if "." in m.group(1) and m.group(2).upper() in ("", "B"):
            raise ValueError(f"{name} = {shown(text, 40)} is a fraction of a byte: a size without a unit "
                             "counts bytes (write 2.5G for gigabytes)")
        value = int(float(m.group(1)) * _UNITS[m.group(2).upper()])
    else:
        raise TypeError(f"{name} must be a size such as 512M or 4G, got {shown(text, 40)}")
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {shown(text, 40)}")
    return value


def format_size(n: float) -> str:
    """``'3.0 GiB'``-style text for a number of bytes.

    >>> format_size(512), format_size(5 * 2**20), format_size(2.5e13)
    ('512 B', '5.0 MiB', '22.7 TiB')
    """
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} B"


def check_memory(estimate: float, what: str, max_memory=None) -> None:
    """Refuse an estimated peak of ``estimate`` bytes above ``max_memory`` (default
    :data:`MAX_MEMORY`); ``what`` names the argument and says where the estimate comes from.

    >>> check_memory(10**6, "depth = 10")
    >>> check_memory(10**12, "depth = 10**9: 3e9 quotients per row")
    Traceback (most recent call last):
    ...
    esma_sympy.errors.ResourceLimitError: depth = 10**9: 3e9 quotients per row; estimated memory 931.3 GiB, above max_memory = 2.0 GiB
    """
    limit = MAX_MEMORY if max_memory is None else parse_size(max_memory)
    if estimate > limit:
        raise ResourceLimitError(f"{what}; estimated memory {format_size(estimate)}, above "
                                 f"max_memory = {format_size(limit)}")


def memory_in_use() -> int:
    """The resident memory of this process in bytes (``/proc/self/statm`` on Linux; elsewhere
    the peak resident size from ``getrusage``, or 0 where neither exists).

    >>> memory_in_use() > 2**20
    True
    """
    try:
        with open("/proc/self/statm") as f:
            resident = int(f.read().split()[1])
        import os

        return resident * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import resource
        import sys

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024
    except (ImportError, OSError, AttributeError):  # pragma: no cover - no way to measure
        return 0


def check_usage(what: str, max_memory=None) -> None:
    """Stop a running search whose process memory (:func:`memory_in_use`) went above
    ``max_memory`` (default :data:`MAX_MEMORY`): the estimate before the search covers one
    work unit, this check the results it holds.  ``what`` says where the search is.

    >>> check_usage("after unit 1 of 2")
    >>> check_usage("after unit 1 of 2", max_memory="1M")
    Traceback (most recent call last):
    ...
    esma_sympy.errors.ResourceLimitError: after unit 1 of 2: the search uses ... of memory, above max_memory = 1.0 MiB; give a higher max_memory to go on
    """
    limit = MAX_MEMORY if max_memory is None else parse_size(max_memory)
    used = memory_in_use()
    if used > limit:
        raise ResourceLimitError(f"{what}: the search uses {format_size(used)} of memory, above "
                                 f"max_memory = {format_size(limit)}; give a higher max_memory to go on")


def check_terms(n: int, name: str) -> None:
    """Refuse more than :data:`MAX_TERMS` terms in one call (an exact convergent at depth
    ``10**6`` takes seconds and megabytes, and the cost grows faster than the depth).

    >>> check_terms(10**7, "depth")
    Traceback (most recent call last):
    ...
    esma_sympy.errors.ResourceLimitError: depth = 10000000 is above esma_sympy.limits.MAX_TERMS = 1000000 terms in one call; set esma_sympy.limits.MAX_TERMS higher to go on
    """
    if n > MAX_TERMS:
        raise ResourceLimitError(
            f"{name} = {n} is above esma_sympy.limits.MAX_TERMS = {MAX_TERMS} terms in one call; "
            f"set esma_sympy.limits.MAX_TERMS higher to go on")


def _degree_bound(expr, x) -> tuple:
    """Upper bounds ``(numerator, denominator)`` for the degrees in ``x`` of ``expr`` as one
    fraction, read off the expression tree without expanding anything (a node that is not a
    rational function of ``x`` counts 0: the caller's rational-function check names it)."""
    if not expr.has(x):
        return 0, 0
    if expr == x:
        return 1, 0
    if expr.is_Pow:
        base, e = expr.args
        if not e.is_Integer:
            return 0, 0
        nb, db = _degree_bound(base, x)
        k = int(e)
        return (k * nb, k * db) if k >= 0 else (-k * db, -k * nb)
    parts = [_degree_bound(t, x) for t in expr.args]
    if expr.is_Mul:
        return sum(p[0] for p in parts), sum(p[1] for p in parts)
    if expr.is_Add:
        den = sum(p[1] for p in parts)
        return max(p[0] + den - p[1] for p in parts), den
    return 0, 0


def check_degree(expr, x, name: str) -> None:
    """Refuse ``expr`` whose degree in ``x`` may exceed :data:`MAX_DEGREE`, from its tree
    (``(n + 1)**(10**9)`` is refused without being expanded).

    >>> from sympy.abc import n
    >>> check_degree((n + 1)**3 * n, n, "a")
    >>> check_degree((n + 1)**(10**9), n, "a")
    Traceback (most recent call last):
    ...
    esma_sympy.errors.ResourceLimitError: a = (n + 1)**1000000000 has degree up to 1000000000 in n, above esma_sympy.limits.MAX_DEGREE = 10000
    """
    d = max(_degree_bound(expr, x))
    if d > MAX_DEGREE:
        text = str(expr)
        text = text if len(text) <= 60 else text[:57] + "..."
        raise ResourceLimitError(f"{name} = {text} has degree up to {d} in {x}, above "
                                 f"esma_sympy.limits.MAX_DEGREE = {MAX_DEGREE}")


def magnitude_bits(ball) -> tuple:
    """``(bits of the integer part, bits of the reciprocal)`` of a nonzero ``arb`` ball, from
    its midpoint: about ``max(0, log2 |x|)`` and ``max(0, -log2 |x|)``.

    >>> from flint import arb
    >>> magnitude_bits(arb(2) ** 100), magnitude_bits(arb(2) ** -20)
    ((101, 0), (0, 20))
    """
    m = ball.mid()
    if m == 0:
        return 0, 0
    man, exp = m.man_exp()
    bits = int(abs(man)).bit_length() + int(exp)      # 2^(bits - 1) <= |m| < 2^bits
    return (bits if bits > 0 else 0), (1 - bits if bits <= 0 else 0)
