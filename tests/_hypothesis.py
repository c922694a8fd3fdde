"""Example budgets relative to the loaded Hypothesis profile (``tests/conftest.py``).

A test whose single example is expensive takes a fraction of the profile's ``max_examples``
instead of a fixed number, so ``HYPOTHESIS_PROFILE=ci`` still raises its budget; each use
states why the test needs it.
"""

from hypothesis import settings


def budget(fraction: float) -> settings:
    """``settings`` with ``max_examples`` the given fraction of the profile's (at least 1).

    >>> settings.default.max_examples in (40, 150)      # the dev or ci profile is loaded
    True
    >>> budget(0.1).max_examples == max(1, round(settings.default.max_examples / 10))
    True
    """
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction!r}")
    return settings(max_examples=max(1, round(settings.default.max_examples * fraction)))
