"""Checks: one small module per rule, named ``<id>_<name>.py``.

Each module exposes ``check(ctx) -> Finding``. The registry below is explicit on purpose:
a test asserts it matches ``rules/*.yaml`` one to one, so a rule can neither be catalogued
without a check nor checked without being catalogued.
"""

from __future__ import annotations

from linter.checks import (
    org001_team_size,
    perf001_tail_latency_slo,
    prod001_prfaq_for_new_services,
    prod002_prfaq_complete,
    sec001_dependency_scanning_in_ci,
)
from linter.checks.base import Check, CheckContext

CHECKS: dict[str, Check] = {
    "ORG001": org001_team_size.check,
    "PERF001": perf001_tail_latency_slo.check,
    "PROD001": prod001_prfaq_for_new_services.check,
    "PROD002": prod002_prfaq_complete.check,
    "SEC001": sec001_dependency_scanning_in_ci.check,
}

__all__ = ["CHECKS", "Check", "CheckContext"]
