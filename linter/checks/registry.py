"""Every built-in rule's check module and needs, by rule id.

GENERATED from each module's ``RULE`` record by ``python3 dev.py docs``: do not edit by hand
(``linter/checks/registry_source.py`` writes it; a test fails when it is stale).
"""

from linter.checks.rule import Placement, Registered

REGISTRY: dict[str, Registered] = {
    "ARCH001": Registered("arch001_service_owns_its_data"),
    "ARCH002": Registered("arch002_api_contract"),
    "ARCH003": Registered("arch003_independent_scaling"),
    "ARCH004": Registered("arch004_managed_services_first"),
    "COST001": Registered("cost001_cost_allocation_tags"),
    "COST002": Registered("cost002_cost_visibility"),
    "DEL001": Registered("del001_continuous_deployment"),
    "DEL002": Registered("del002_small_changes", reads_history=True),
    "DEL003": Registered("del003_tests_on_every_change"),
    "DOC001": Registered("doc001_narratives_not_slides", placement=Placement.SECOND, early_facts=("docs.detect_files",)),
    "DOC002": Registered("doc002_six_page_narratives", placement=Placement.SECOND, early_facts=("docs.detect",)),
    "OPS001": Registered("ops001_operational_readiness", placement=Placement.SECOND, early_facts=("docs.detect",)),
    "ORG001": Registered("org001_team_size"),
    "ORG002": Registered("org002_codeowners_coverage", fix="plan_codeowners"),
    "ORG003": Registered("org003_single_owning_team"),
    "PERF001": Registered("perf001_tail_latency_slo", fix="plan_latency_slo"),
    "PERF002": Registered("perf002_tail_latency_alerting", placement=Placement.SECOND),
    "PERF003": Registered("perf003_load_tests"),
    "PROD001": Registered("prod001_prfaq_for_new_services", placement=Placement.SECOND, early_facts=("prfaq.detect",), dates_services=True, reads_history=True, fix="plan_prfaq"),
    "PROD002": Registered("prod002_prfaq_complete", placement=Placement.SECOND, early_facts=("prfaq.detect",), dates_services=True, reads_history=True),
    "PROD003": Registered("prod003_customer_docs", placement=Placement.SECOND, early_facts=("docs.detect", "docs.detect_files",)),
    "PROD004": Registered("prod004_scope_guard", placement=Placement.SECOND, early_facts=("docs.detect", "prfaq.detect",)),
    "REL001": Registered("rel001_game_days", placement=Placement.SECOND, early_facts=("docs.detect",), fix="plan_game_day"),
    "REL002": Registered("rel002_recovery_runbook", placement=Placement.SECOND, early_facts=("docs.detect",), fix="plan_runbook"),
    "REL003": Registered("rel003_redundant_deployment"),
    "SEC001": Registered("sec001_dependency_scanning_in_ci", fix="plan_dependency_scan"),
    "SEC002": Registered("sec002_dependency_update_automation", fix="plan_update_automation"),
    "SEC003": Registered("sec003_static_analysis_in_ci"),
    "SEC004": Registered("sec004_secret_scanning"),
    "SEC005": Registered("sec005_compliance_as_code"),
    "SEC006": Registered("sec006_security_policy", placement=Placement.SECOND, early_facts=("security_policy.detect",), fix="plan_security_policy"),
    "SEC007": Registered("sec007_threat_model", placement=Placement.SECOND, early_facts=("docs.detect", "docs.detect_files",)),
    "SEC008": Registered("sec008_data_classification", placement=Placement.SECOND_WHEN_SMALL),
}
