"""The space of sign patterns a search runs over, behind a small interface.

A :class:`PatternSpace` is a finite, ordered set of sign patterns, laid out as *blocks* of
integer *codes* (for periodic patterns: a block per period ``p``, codes ``0 .. 2**p - 1``,
of which the primitive ones are patterns).  The search needs five things of it, and nothing
else: enumerate the patterns (:meth:`~PatternSpace.__iter__`), count them
(:meth:`~PatternSpace.count`), cut the codes into chunks of about equal size for the work
units (:meth:`~PatternSpace.chunks`, :meth:`~PatternSpace.n_chunks`), list the patterns of a
chunk (:meth:`~PatternSpace.patterns`), and give each pattern a sortable key
(:meth:`~PatternSpace.key`), which fixes the order of the conjectures and is all the store
keeps of a pattern besides its signs.  A chunk and a key are opaque to the callers.

As SymPy's ``SeqBase`` family (``sympy/series/sequences.py``), a subclass implements a few
hooks and inherits the rest: ``_blocks`` (the blocks and their numbers of codes, in order),
``_pattern`` (the pattern of a code, or ``None`` for a code that is not one), ``_count`` and
``_key``.

>>> space = PeriodicPatterns(1, 3)
>>> space.count(), list(space)[:4]
(10, [(1,), (-1,), (1, -1), (-1, 1)])
>>> [space.patterns(ch) for ch in space.chunks(4)][:2]     # 4 codes a chunk: (1, 1) is none
[[(1,), (-1,), (1, -1)], [(-1, 1), (1, 1, -1)]]
>>> space.key((-1, 1))
(2, 2)
"""

from __future__ import annotations

from typing import Iterator

from .lhs import _check_periods, _is_primitive, _pattern, count_patterns, pattern_code, patterns_in_range

__all__ = ["PatternSpace", "PeriodicPatterns"]


class PatternSpace:
    """Base of the pattern spaces: the public interface over four hooks (see the module)."""

    # -- hooks -------------------------------------------------------------------------------

    def _blocks(self):
        """``(block, number of codes)`` in the space's order."""
        raise NotImplementedError

    def _pattern(self, block, code: int):
        """The pattern of ``code`` in ``block``, or ``None`` when the code is not one."""
        raise NotImplementedError

    def _count(self) -> int:
        """The number of patterns (without enumerating them where possible)."""
        return sum(1 for _ in self)

    def _key(self, pattern) -> tuple:
        """``(block, code)`` of a pattern of the space."""
        raise NotImplementedError

    # -- the interface -----------------------------------------------------------------------

    def __iter__(self) -> Iterator[tuple]:
        for block, size in self._blocks():
            for code in range(size):
                pat = self._pattern(block, code)
                if pat is not None:
                    yield pat

    def count(self) -> int:
        """The number of patterns."""
        return self._count()

    def codes(self) -> int:
        """The number of codes (patterns and not), the measure of the chunks."""
        return sum(size for _, size in self._blocks())

    def chunks(self, size: int):
        """Chunks of about ``size`` codes each, in order (every one but the last exactly
        ``size``); a chunk is a tuple of ``(block, code_start, code_stop)`` segments."""
        chunk, filled = [], 0
        for block, n in self._blocks():
            code = 0
            while code < n:
                take = min(n - code, size - filled)
                chunk.append((block, code, code + take))
                filled += take
                code += take
                if filled >= size:
                    yield tuple(chunk)
                    chunk, filled = [], 0
        if chunk:
            yield tuple(chunk)

    def n_chunks(self, size: int) -> int:
        """The number of :meth:`chunks` of ``size``, counted without making them."""
        return -(-self.codes() // size)

    def patterns(self, chunk) -> list:
        """The patterns of a chunk, in order."""
        out = []
        for block, start, stop in chunk:
            for code in range(start, stop):
                pat = self._pattern(block, code)
                if pat is not None:
                    out.append(pat)
        return out

    def key(self, pattern) -> tuple:
        """A sortable key of ``pattern``: the space's order."""
        return self._key(tuple(pattern))


class PeriodicPatterns(PatternSpace):
    """The primitive periodic sign patterns with period in ``[min_period, max_period]``
    (ESMA's patterns, theory T5.6): a block per period ``p`` of ``2**p`` codes, bit ``p-1-i``
    of a code set meaning ``s_i = -1``; codes of repetitions of a shorter pattern are not
    patterns.

    >>> PeriodicPatterns(16, 16).count(), PeriodicPatterns(1, 40).n_chunks(4096)
    (65280, 536870912)
    """

    def __init__(self, min_period: int = 1, max_period: int = 4):
        _check_periods(min_period, max_period)
        self.min_period, self.max_period = min_period, max_period

    def __repr__(self) -> str:
        return f"PeriodicPatterns({self.min_period}, {self.max_period})"

    def __eq__(self, other) -> bool:
        return isinstance(other, PeriodicPatterns) and \
            (self.min_period, self.max_period) == (other.min_period, other.max_period)

    def __hash__(self) -> int:
        return hash((PeriodicPatterns, self.min_period, self.max_period))

    def _blocks(self):
        return ((p, 2**p) for p in range(self.min_period, self.max_period + 1))

    def _pattern(self, block, code):
        bits = _pattern(block, code)
        return bits if _is_primitive(bits) else None

    def _count(self) -> int:
        return count_patterns(self.min_period, self.max_period)

    def codes(self) -> int:
        return 2 ** (self.max_period + 1) - 2 ** self.min_period

    def _key(self, pattern) -> tuple:
        return len(pattern), pattern_code(pattern)

    def patterns(self, chunk) -> list:
        return [pat for seg in chunk for pat in patterns_in_range(*seg)]
