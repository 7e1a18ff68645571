"""Hypothesis profiles of this module's property tests.

- ``ci`` (the default): derandomized, so every run tries the same examples and a failure is
  reproducible; no example database is written into the tree.
- ``large``: random and ten times as many examples, to run by hand:
  ``HYPOTHESIS_PROFILE=large .venv/bin/python -m pytest addons/recurring_billing/tests/core``.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "large",
    database=None,
    deadline=None,
    max_examples=3000,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)

# examples of the properties run through the ORM and PostgreSQL (seconds each)
ODOO_MAX_EXAMPLES = 10 if PROFILE == "ci" else 100
