"""Checks: one small module per rule, named ``<id>_<name>.py``.

Each module exposes ``check(ctx) -> Finding``. The registry below is explicit on purpose
(no registration by import side effect): a test asserts that it matches ``rules/*.yaml``
one to one, so a rule can neither be catalogued without a check nor checked without being
catalogued. Modules are imported on first use, so a run that selects two rules imports two.
"""

from __future__ import annotations

from importlib import import_module

from linter.checks.base import Check, CheckContext

#: rule id -> module under ``linter.checks``
CHECK_MODULES: dict[str, str] = {
    "ARCH001": "arch001_service_owns_its_data",
    "ARCH002": "arch002_api_contract",
    "ARCH003": "arch003_independent_scaling",
    "ARCH004": "arch004_managed_services_first",
    "COST001": "cost001_cost_allocation_tags",
    "COST002": "cost002_cost_visibility",
    "DEL001": "del001_continuous_deployment",
    "DEL002": "del002_small_changes",
    "DEL003": "del003_tests_on_every_change",
    "DOC001": "doc001_narratives_not_slides",
    "DOC002": "doc002_six_page_narratives",
    "OPS001": "ops001_operational_readiness",
    "ORG001": "org001_team_size",
    "ORG002": "org002_codeowners_coverage",
    "ORG003": "org003_single_owning_team",
    "PERF001": "perf001_tail_latency_slo",
    "PERF002": "perf002_tail_latency_alerting",
    "PERF003": "perf003_load_tests",
    "PROD001": "prod001_prfaq_for_new_services",
    "PROD002": "prod002_prfaq_complete",
    "PROD003": "prod003_customer_docs",
    "PROD004": "prod004_scope_guard",
    "REL001": "rel001_game_days",
    "REL002": "rel002_recovery_runbook",
    "REL003": "rel003_redundant_deployment",
    "SEC001": "sec001_dependency_scanning_in_ci",
    "SEC002": "sec002_dependency_update_automation",
    "SEC003": "sec003_static_analysis_in_ci",
    "SEC004": "sec004_secret_scanning",
    "SEC005": "sec005_compliance_as_code",
    "SEC006": "sec006_security_policy",
    "SEC007": "sec007_threat_model",
    "SEC008": "sec008_data_classification",
}


def get_check(rule_id: str) -> Check:
    """The ``check`` function of a rule (``KeyError`` for an unknown id)."""
    return import_module(f"linter.checks.{CHECK_MODULES[rule_id]}").check  # type: ignore[no-any-return]


__all__ = ["CHECK_MODULES", "Check", "CheckContext", "get_check"]
