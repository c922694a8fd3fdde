"""The one integer-argument check of the public API (the command's values pass through it too).

Every public function that takes a count, a degree, a depth, a precision or a bound checks it
with :func:`check_int`, so the same values are accepted and refused everywhere: Python
``int``, SymPy ``Integer``, FLINT ``fmpz`` and NumPy integers are integers; ``bool``, floats
(even ``2.0``), strings, ``Rational`` and everything else are refused with a ``TypeError``
naming the argument, a value out of range with a ``ValueError`` naming it.
"""
from ._messages import shown_repr


def _what(minimum, maximum) -> str:
    if minimum == 1 and maximum is None:
        return "a positive integer"
    if minimum == 0 and maximum is None:
        return "a nonnegative integer"
    if minimum is not None and maximum is not None:
        return f"an integer in [{minimum}, {maximum}]"
    if minimum is not None:
        return f"an integer >= {minimum}"
    if maximum is not None:
        return f"an integer <= {maximum}"
    return "an integer"


def is_integer(value) -> bool:
    """Whether ``value`` is an integer of one of the accepted kinds (never a ``bool``).

    >>> from sympy import Integer, Rational
    >>> from flint import fmpz
    >>> [is_integer(v) for v in (3, Integer(3), fmpz(3), True, 3.0, "3", Rational(3, 2))]
    [True, True, True, False, False, False, False]
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    kind = type(value)
    module = kind.__module__ or ""
    if module.startswith("flint") and kind.__name__ == "fmpz":
        return True
    if module.startswith("sympy"):
        return bool(getattr(value, "is_Integer", False))
    if module.startswith("numpy"):
        return hasattr(value, "__index__") and not kind.__name__.startswith("bool")
    return False


def check_int(value, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as a Python ``int``, or ``TypeError``/``ValueError`` naming ``name``.

    >>> check_int(5, "depth", 0)
    5
    >>> check_int(2.0, "depth", 0)
    Traceback (most recent call last):
    ...
    TypeError: depth must be a nonnegative integer, got 2.0
    >>> check_int(0, "k", 1)
    Traceback (most recent call last):
    ...
    ValueError: k must be a positive integer, got 0
    >>> check_int(50, "max_period", 1, 40)
    Traceback (most recent call last):
    ...
    ValueError: max_period must be an integer in [1, 40], got 50
    """
    what = _what(minimum, maximum)
    if not is_integer(value):
        raise TypeError(f"{name} must be {what}, got {shown_repr(value)}")
    v = int(value)
    if (minimum is not None and v < minimum) or (maximum is not None and v > maximum):
        raise ValueError(f"{name} must be {what}, got {shown_repr(v)}")
    return v


def renamed_keyword(where: str, old: str, old_value, new: str, new_value, *, default=None,
                    convert=None, hint: str | None = None, stacklevel: int = 3):
    """The value of keyword ``new``, taking a deprecated ``old`` spelling for one release.

    ``old_value`` is ``None`` when the caller did not pass ``old``; then ``new_value`` is
    returned unchanged.  Otherwise a ``DeprecationWarning`` naming ``where``, ``old`` and
    ``new`` is issued (pointing at the caller of ``where``; add one to ``stacklevel`` per
    helper frame in between) and ``old_value`` (through
    ``convert`` if given, e.g. an index to a count) is returned; passing both spellings (``new``
    not at its ``default``) is a ``TypeError``.

    >>> import warnings
    >>> renamed_keyword("identify", "maxcoeff", None, "coeff_limit", 1000, default=1000)
    1000
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     renamed_keyword("identify", "maxcoeff", 50, "coeff_limit", 1000, default=1000)
    50
    >>> print(caught[0].category.__name__, caught[0].message)
    DeprecationWarning identify(maxcoeff=...) is deprecated and will be removed in the next release; use coeff_limit=... instead
    >>> renamed_keyword("identify", "maxcoeff", 50, "coeff_limit", 7, default=1000)
    Traceback (most recent call last):
    ...
    TypeError: identify() got both maxcoeff= (deprecated) and coeff_limit=; pass only coeff_limit
    """
    import warnings

    if old_value is None:
        return new_value
    if new_value is not None and new_value != default:
        raise TypeError(f"{where}() got both {old}= (deprecated) and {new}=; pass only {new}")
    warnings.warn(f"{where}({old}=...) is deprecated and will be removed in the next release; "
                  f"use {hint or new + '=...'} instead", DeprecationWarning, stacklevel=stacklevel)
    return convert(old_value) if convert is not None else old_value
