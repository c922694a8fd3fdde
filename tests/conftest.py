"""Test configuration: Hypothesis profiles ``dev`` (fast, default) and ``ci`` (more examples,
derandomized), chosen by the ``HYPOTHESIS_PROFILE`` environment variable; CI=true selects
``ci``."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=40, deadline=None)
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
