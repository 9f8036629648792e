"""PERF002 verdicts: tail alerts pass, average/median alerts fail by name, dashboards of averages fail."""

from __future__ import annotations

from functools import partial

import json

from linter.checks.perf002_tail_latency_alerting import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="PERF002")  # contexts for PERF002, with its typed options

RULES = "groups:\n  - name: l\n    rules:\n      - alert: {name}\n        expr: {expr}\n"
P99 = "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5"
AVG = "rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m]) > 0.2"


def panel_file(*exprs: str) -> str:
    return json.dumps({"title": "d", "panels": [{"title": f"p{i}", "targets": [{"expr": e}]}
                                                 for i, e in enumerate(exprs)]}, indent=1)


def test_nothing_is_not_applicable(make_repo) -> None:
    assert check(make_context(make_repo({"a.txt": "x"}))).status is Status.NOT_APPLICABLE


def test_tail_alert_passes(make_repo) -> None:
    finding = check(make_context(make_repo({"alerts.yaml": RULES.format(name="P99", expr=P99)})))
    assert finding.status is Status.PASS and "alert 'P99' (alerts.yaml:5: tail)" in finding.message


def test_average_alert_fails_by_name_even_with_tail_panels(make_repo) -> None:
    root = make_repo({"alerts.yaml": RULES.format(name="SlowAvg", expr=AVG), "d.json": panel_file(P99)})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL and "'SlowAvg' (alerts.yaml:5: average)" in finding.message


def test_median_only_dashboard_fails_and_average_panel_beside_tail_passes(make_repo) -> None:
    median = P99.replace("0.99", "0.5")
    assert check(make_context(make_repo({"d.json": panel_file(median)}))).status is Status.FAIL
    finding = check(make_context(make_repo({"d.json": panel_file(P99, AVG)})))
    assert finding.status is Status.PASS and "only the average" in finding.message


def test_min_percentile_option(make_repo) -> None:
    root = make_repo({"alerts.yaml": RULES.format(name="P95", expr=P99.replace("0.99", "0.95"))})
    assert check(make_context(root, options={"min_percentile": 90})).status is Status.PASS
    assert check(make_context(root, options={"min_percentile": 99})).status is Status.FAIL
