"""Latency statistics of alert and dashboard queries."""

from __future__ import annotations

import json

import pytest

from linter.detectors import dashboards
from linter.repo.workspace import Workspace


@pytest.mark.parametrize(("expr", "stat"), [
    ("histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5", "tail"),
    ("histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))", "median"),
    ("histogram_quantile(0.75, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))", "lower"),
    ("histogram_quantile(0.1, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))", "lower"),
    ("histogram_quantile(0.99, sum by (le) (rate(queue_wait_seconds_bucket[5m])))", "tail"),  # any histogram of time
    ("rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m]) > 0.3", "average"),
    ("avg(rpc_latency_seconds) > 1", "average"),
    ('http_request_duration_seconds{quantile="0.99"} > 1', "tail"),
    ('sum(rate(http_request_duration_seconds_bucket{le="0.3"}[5m])) / sum(rate(http_request_duration_seconds_count[5m])) < 0.99', "tail"),
    ("job:request_latency_seconds:p99 > 0.5", "tail"),
    ("max(request_latency_seconds) > 2", "other"),
])
def test_statistic_of_latency_queries(expr: str, stat: str) -> None:
    assert dashboards.statistic(expr) == stat


@pytest.mark.parametrize("expr", [
    "sum(rate(http_requests_total{code=~'5..'}[5m])) > 1", "up == 0", "avg(request_size_bytes) > 100",
    # time left, not time taken: kube-prometheus's KubeClientCertificateExpiration
    "histogram_quantile(0.05, sum without (namespace) (rate(apiserver_client_certificate_expiration_seconds_bucket"
    "[5m]))) < 86400",
    "histogram_quantile(0.9, sum by (le) (rate(grpc_response_size_bucket[5m]))) > 1e6",
])
def test_queries_not_about_latency(expr: str) -> None:
    assert dashboards.statistic(expr) is None


RULES = """\
groups:
  - name: latency
    rules:
      - record: job:latency:avg
        expr: avg(request_latency_seconds)
      - alert: SlowAverage
        expr: rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m]) > 0.4
      # - alert: Commented
      #   expr: histogram_quantile(0.99, rate(x_duration_seconds_bucket[5m])) > 1
"""

DASHBOARD = {"dashboard": {"title": "API", "panels": [
    {"type": "row", "title": "Latency", "collapsed": True, "panels": [
        {"title": "p99", "targets": [{"expr": "histogram_quantile(0.99, rate(api_duration_seconds_bucket[5m]))"}]}]},
    {"title": "Requests", "targets": [{"expr": "sum(rate(api_requests_total[5m]))"}, "junk", {"expr": 3}]},
]}}


def test_detect_alerts_and_nested_panels(make_repo) -> None:
    root = make_repo({"monitoring/rules.yaml": RULES, "grafana/api.json": json.dumps(DASHBOARD, indent=2),
                      "grafana/broken.json": '{"panels": [', "grafana/list.json": '["panels"]'})
    facts = Workspace(root).facts(dashboards.detect)
    summary = [(q.path, q.line, q.source, q.name, q.statistic) for q in facts.queries]
    assert summary == [("grafana/api.json", 14, "panel", "p99", "tail"),
                       ("monitoring/rules.yaml", 7, "alert", "SlowAverage", "average")]
