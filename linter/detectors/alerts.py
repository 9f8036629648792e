"""Alert definitions and on-call configuration (OPS001).

Alerts, each recognised by its real shape:

* Prometheus/Thanos/Mimir rule files and ``PrometheusRule`` resources: ``groups[].rules[]``
  items with an ``alert`` name (recording rules are not alerts);
* Grafana alert provisioning files: ``apiVersion: 1`` and ``groups[].rules[]`` with a
  ``condition`` and a ``title``;
* Sloth specs / ``PrometheusServiceLevel`` resources whose SLOs keep a page or ticket alert
  enabled, and Pyrra ``ServiceLevelObjective`` resources (Pyrra generates burn-rate alerts
  unless ``spec.alerting.disabled`` is true);
* Terraform monitors: ``datadog_monitor``, ``aws_cloudwatch_metric_alarm``,
  ``aws_cloudwatch_composite_alarm``, ``google_monitoring_alert_policy``,
  ``azurerm_monitor_metric_alert``, ``newrelic_nrql_alert_condition``, ``grafana_rule_group``;
  CloudFormation ``AWS::CloudWatch::Alarm`` / ``CompositeAlarm`` (YAML).

On-call configuration: PagerDuty and Opsgenie Terraform resources (services, schedules,
escalation policies) and Backstage ``pagerduty.com/*`` / ``opsgenie.com/*`` annotations.
A ``runbook_url`` annotation on an alert is kept too, so a check can say the runbook lives
behind a link. Comments and descriptions never count.
"""

from __future__ import annotations

from typing import Any

from linter.detectors import backstage
from linter.detectors.chaos import terraform_resources
from linter.detectors.slo_model import get_dict, get_list, get_str, metadata_service
from linter.detectors.slo_prometheus import is_prometheus_rule_crd, may_hold_rules
from linter.detectors.slo_sloth_pyrra import is_pyrra, is_sloth_crd, is_sloth_plain
from linter.detectors import hcl
from linter.fast_dataclass import dataclass
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

MAX_FILES = 5_000
#: YAML: each file is read once for every detector and only parsed when it has the
#: detector's marker, so the cap only guards against pathological trees.
MAX_YAML_FILES = 100_000
MAX_GROUPS = 500
MAX_RULES = 2_000
TF_ALERTS = {
    "datadog_monitor": "Datadog monitor", "aws_cloudwatch_metric_alarm": "CloudWatch alarm",
    "aws_cloudwatch_composite_alarm": "CloudWatch composite alarm",
    "google_monitoring_alert_policy": "Google Cloud alert policy", "azurerm_monitor_metric_alert": "Azure metric alert",
    "azurerm_monitor_scheduled_query_rules_alert_v2": "Azure log alert",
    "newrelic_nrql_alert_condition": "New Relic alert condition", "grafana_rule_group": "Grafana rule group",
}
TF_ONCALL = {
    "pagerduty_service": "PagerDuty service", "pagerduty_schedule": "PagerDuty schedule",
    "pagerduty_escalation_policy": "PagerDuty escalation policy", "opsgenie_team": "Opsgenie team",
    "opsgenie_schedule": "Opsgenie schedule", "opsgenie_escalation": "Opsgenie escalation",
    "opsgenie_service": "Opsgenie service",
}
CFN_ALERTS = {"aws::cloudwatch::alarm": "CloudWatch alarm", "aws::cloudwatch::compositealarm": "CloudWatch composite alarm"}
ONCALL_ANNOTATIONS = ("pagerduty.com/", "opsgenie.com/", "splunk.com/on-call", "firehydrant.com/", "incident.io/")
#: Lower-case text without which no document holds an alert this module reads: Sloth and
#: Pyrra SLOs, CloudFormation alarms; rule groups (``may_hold_rules``) need ``alert`` (or a
#: Grafana rule's ``condition``) as well.
YAML_MARKERS = ("prometheus/v1", "sloth.slok.dev", "pyrra.dev", "aws::cloudwatch::")


def _may_hold_alerts(lowered: str) -> bool:
    return any(m in lowered for m in YAML_MARKERS) or (
        ("alert" in lowered or "condition" in lowered) and may_hold_rules(lowered))


#: YAML that may hold alerting rules.
ALERT_YAML = Prefilter("alerts-yaml", lambda text: _may_hold_alerts(text.lower()))


@dataclass(frozen=True, order=True)
class Alert:
    path: str
    line: int
    kind: str
    name: str = ""
    service: str | None = None
    runbook_url: str = ""


@dataclass(frozen=True, order=True)
class OnCall:
    path: str
    line: int
    kind: str
    name: str = ""
    service: str | None = None


@dataclass(frozen=True)
class AlertFacts:
    alerts: tuple[Alert, ...]
    oncall: tuple[OnCall, ...]


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _rule_groups(path: str, data: Any, out: list[Alert]) -> None:
    """Prometheus alerting rules, PrometheusRule resources and Grafana provisioning files."""
    crd = is_prometheus_rule_crd(data)
    holder = get_dict(data, "spec") if crd else data
    groups = get_list(holder, "groups")
    grafana = not crd and isinstance(data, dict) and data.get("apiVersion") in (1, "1")
    service = metadata_service(data) if crd else None
    prefix = "PrometheusRule alert" if crd else "Grafana alert rule" if grafana else "Prometheus alert"
    for group in groups[:MAX_GROUPS]:
        rules = get_list(group, "rules")
        for index, rule in enumerate(rules[:MAX_RULES]):
            if not isinstance(rule, dict):
                continue
            name = _str(rule.get("alert"))
            if not name and grafana and _str(rule.get("condition")):
                name = _str(rule.get("title")) or _str(rule.get("uid"))
            if not name:
                continue
            annotations = get_dict(rule, "annotations")
            runbook = get_str(annotations, "runbook_url") or get_str(annotations, "runbook") or ""
            labels = get_dict(rule, "labels")
            rule_service = get_str(labels, "service") or service
            out.append(Alert(path, line_of(rules, index, 0), prefix, name, rule_service,
                             runbook if runbook.startswith(("http://", "https://", "/", ".")) else ""))


def _slo_alerts(path: str, line: int, data: Any, out: list[Alert]) -> None:
    if is_sloth_plain(data) or is_sloth_crd(data):
        holder = get_dict(data, "spec") if is_sloth_crd(data) else data
        service = get_str(holder, "service") or (metadata_service(data) if is_sloth_crd(data) else None)
        slos = get_list(holder, "slos")
        for index, slo in enumerate(slos[:MAX_RULES]):
            alerting = get_dict(slo, "alerting")
            pages = [get_dict(alerting, k) for k in ("page_alert", "pageAlert", "ticket_alert", "ticketAlert")]
            enabled = bool(alerting) and (not any(pages) or any(p.get("disable") is not True for p in pages if p))
            if enabled:
                out.append(Alert(path, line_of(slo, "alerting", line_of(slos, index, line)), "Sloth SLO alerting",
                                 _str(get_dict(slo, "alerting").get("name")) or _str(slo.get("name")), service))
    elif is_pyrra(data):
        if get_dict(get_dict(data, "spec"), "alerting").get("disabled") is not True:
            out.append(Alert(path, line, "Pyrra SLO burn-rate alerts", _str(get_dict(data, "metadata").get("name")),
                             metadata_service(data)))


def _cloudformation(path: str, line: int, data: Any, out: list[Alert]) -> None:
    resources = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(resources, dict):
        return
    for logical_id, resource in list(resources.items())[:MAX_RULES]:
        if isinstance(resource, dict):
            kind = CFN_ALERTS.get(_str(resource.get("Type")).lower())
            if kind:
                out.append(Alert(path, line_of(resources, logical_id, line), kind, str(logical_id)))


def _backstage_oncall(ws: Workspace, out: list[OnCall]) -> None:
    for entity in ws.facts(backstage.detect).entities:
        annotations = entity.metadata.get("annotations")
        if not isinstance(annotations, dict):
            continue
        for key, value in annotations.items():
            if isinstance(key, str) and key.lower().startswith(ONCALL_ANNOTATIONS) and _str(str(value)):
                service = entity.name if entity.kind == "component" else None
                out.append(OnCall(entity.path, line_of(annotations, key, entity.line), f"annotation {key}",
                                  entity.name, service))


def detect(ws: Workspace) -> AlertFacts:
    alerts: list[Alert] = []
    oncall: list[OnCall] = []
    for path, parsed in ws.yaml_passing(ws.bounded(list(ws.yaml_files), MAX_YAML_FILES, "YAML files"), ALERT_YAML):
        for doc in parsed.documents:
            _rule_groups(path, doc.data, alerts)
            _slo_alerts(path, doc.line, doc.data, alerts)
            _cloudformation(path, doc.line, doc.data, alerts)
    for path in ws.bounded(hcl.terraform_files(ws), MAX_FILES, "Terraform files"):
        for line, kind, name, _ in terraform_resources(ws, path, TF_ALERTS):
            alerts.append(Alert(path, line, kind, name))
        for line, kind, name, _ in terraform_resources(ws, path, TF_ONCALL):
            oncall.append(OnCall(path, line, kind, name))
    _backstage_oncall(ws, oncall)
    return AlertFacts(tuple(sorted(set(alerts))), tuple(sorted(set(oncall))))
