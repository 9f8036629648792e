"""Alert definitions and on-call configuration."""

from __future__ import annotations

from linter.detectors import alerts
from linter.repo.workspace import Workspace

PROM = """\
groups:
  - name: checkout
    rules:
      - record: job:errors:rate5m
        expr: sum(rate(errors[5m]))
      - alert: CheckoutDown
        expr: up{job="checkout"} == 0
        labels: {service: checkout}
        annotations:
          runbook_url: https://wiki.example.com/checkout
"""
GRAFANA = """\
apiVersion: 1
groups:
  - orgId: 1
    name: checkout
    folder: services
    interval: 1m
    rules:
      - uid: abc
        title: Checkout error ratio
        condition: C
        data: []
      - uid: def
        title: not an alert rule without a condition
"""
SLOTH = """\
version: prometheus/v1
service: checkout
slos:
  - name: requests-availability
    objective: 99.9
    sli: {events: {error_query: a, total_query: b}}
    alerting:
      name: CheckoutAvailability
      page_alert: {labels: {severity: page}}
  - name: silent
    objective: 99
    sli: {events: {error_query: a, total_query: b}}
    alerting:
      page_alert: {disable: true}
      ticket_alert: {disable: true}
"""
TF = """\
resource "datadog_monitor" "latency" {
  name = "p99 latency"
}
resource "aws_cloudwatch_metric_alarm" "errors" {}
resource "pagerduty_service" "checkout" {}
# resource "opsgenie_team" "old" {}
"""
CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  annotations:
    pagerduty.com/service-id: PABC123
spec: {type: service}
"""


def test_alert_formats_and_oncall(make_repo) -> None:
    root = make_repo({
        "prom/rules.yaml": PROM, "grafana/alerts.yaml": GRAFANA, "slo/sloth.yaml": SLOTH, "tf/main.tf": TF,
        "catalog-info.yaml": CATALOG,
        "cfn.yaml": "Resources:\n  HighErrors:\n    Type: AWS::CloudWatch::Alarm\n",
        "pyrra.yaml": "apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: {name: p}\n"
                      "spec: {target: '99', indicator: {ratio: {errors: {metric: a}, total: {metric: b}}}}\n",
    })
    facts = alerts.detect(Workspace(root))
    found = {(a.path, a.line, a.kind, a.name) for a in facts.alerts}
    assert found == {
        ("prom/rules.yaml", 6, "Prometheus alert", "CheckoutDown"),
        ("grafana/alerts.yaml", 8, "Grafana alert rule", "Checkout error ratio"),
        ("slo/sloth.yaml", 7, "Sloth SLO alerting", "CheckoutAvailability"),
        ("tf/main.tf", 1, "Datadog monitor", "latency"),
        ("tf/main.tf", 4, "CloudWatch alarm", "errors"),
        ("cfn.yaml", 2, "CloudWatch alarm", "HighErrors"),
        ("pyrra.yaml", 1, "Pyrra SLO burn-rate alerts", "p"),
    }
    prom = next(a for a in facts.alerts if a.name == "CheckoutDown")
    assert prom.service == "checkout" and prom.runbook_url == "https://wiki.example.com/checkout"
    assert {(o.path, o.line, o.kind) for o in facts.oncall} == {
        ("tf/main.tf", 5, "PagerDuty service"), ("catalog-info.yaml", 6, "annotation pagerduty.com/service-id")}


def test_recording_rules_comments_and_hostile_shapes(make_repo) -> None:
    root = make_repo({
        "a.yaml": "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: x\n# - alert: Commented\n",
        "b.yaml": "groups: {alert: x}\n", "c.yaml": "groups:\n  - rules: alert\n", "d.yaml": "alert: [\n",
        "e.yaml": "groups:\n  - rules:\n      - alert: [not, a, name]\n",
        "f.yaml": "version: prometheus/v1\nslos: 3\n",
    })
    facts = alerts.detect(Workspace(root))
    assert facts.alerts == () and facts.oncall == ()
