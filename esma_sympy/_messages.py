"""How a user's value appears in an error message (no SymPy import: the command's argument
checks use it before anything heavy is loaded)."""


def shown(value, limit: int = 60) -> str:
    """``repr`` of ``value`` (as text) for a message, cut after ``limit`` characters with the
    full length said, so a pasted 10,000-character input gives a one-line error.

    >>> shown("E + 1")
    "'E + 1'"
    >>> shown("x" * 5000, 8)
    "'xxxxxxxx'… (5,000 characters)"
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def shown_repr(value, limit: int = 60) -> str:
    """``repr(value)`` for a message, cut after ``limit`` characters with its length said.

    >>> shown_repr(2.0), shown_repr(10**100, 10)
    ('2.0', '1000000000… (101 characters)')
    """
    try:
        text = repr(value)
    except ValueError:                       # an int beyond Python's int-to-str limit
        return f"an integer of {value.bit_length():,} bits"
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"
