"""A private precision context for python-flint.

python-flint keeps its working precision in the global ``flint.ctx``; code of esma_sympy never
leaves it changed.  ``workprec(bits)`` sets it for a ``with`` block and restores it afterwards.
"""

from __future__ import annotations

from contextlib import contextmanager

import flint


@contextmanager
def workprec(bits: int):
    """Run a block with ``flint.ctx.prec = bits`` and restore the old value afterwards.

    >>> import flint
    >>> old = flint.ctx.prec
    >>> with workprec(200):
    ...     flint.ctx.prec
    200
    >>> flint.ctx.prec == old
    True
    """
    old = flint.ctx.prec
    flint.ctx.prec = int(bits)
    try:
        yield
    finally:
        flint.ctx.prec = old
