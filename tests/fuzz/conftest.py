"""Hypothesis profiles for the fuzz suite.

``ci`` (the default) keeps the whole suite under a minute on two cores; ``deep`` is for a
longer hunt before a release: ``HYPOTHESIS_PROFILE=deep make test`` (or
``HYPOTHESIS_PROFILE=deep .venv/bin/python -m pytest tests/fuzz``). The deadline is off
because wall-clock time per example is noisy on shared CI machines; inputs are kept small
instead, and the hostile suite bounds time and memory separately.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                      HealthCheck.function_scoped_fixture], print_blob=True)
settings.register_profile("ci", max_examples=100, derandomize=True, **_COMMON)
settings.register_profile("deep", max_examples=2_000, **_COMMON)
settings.register_profile("dev", max_examples=10, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
