"""Latency alerts and dashboard panels, and which statistic of latency each one watches.

Sources:

* Prometheus/Thanos/Mimir rule files and ``PrometheusRule`` resources: ``groups[].rules[]``
  items with an ``alert`` name (recording rules are not alerts), and Grafana-managed alert
  provisioning (``data[].model.expr``); parsed with the SLO detector's helpers;
* Grafana dashboard JSON (plain or wrapped in ``{"dashboard": ...}``): ``panels[]`` with
  nested ``panels`` (collapsed rows) and legacy ``rows[].panels``, reading ``targets[].expr``.

A query is about latency when it names a latency/duration metric (``*_duration_seconds``,
``latency``...) or takes a quantile of a histogram that is not of sizes or of time left
(certificate expiry, TTLs). Its statistic is:

* ``tail`` - a quantile at or above the threshold (default p90) or a bucket bound
  (``le="0.3"``: the share of requests slower than a limit, which sees the tail);
* ``median`` - only p50; ``lower`` - other quantiles below the threshold;
* ``average`` - ``rate(x_sum) / rate(x_count)``, ``avg(...)``/``avg_over_time`` or a
  recording rule named ``...:avg``/``mean``;
* ``other`` - anything else (``max``, counts), never judged.
"""

from __future__ import annotations

import json
import re
from typing import Any

from linter.detectors.slo_model import MAX_QUERY_CHARS
from linter.detectors.slo_prometheus import is_prometheus_rule_crd, may_hold_rules
from linter.detectors.slo_queries import (
    has_bucket_bound, looks_like_size, looks_like_time_left, mentions_latency, quantile_percentiles,
)
from linter.fast_dataclass import dataclass
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

MAX_FILES = 5_000
#: YAML and JSON: each file is read once for every detector and only parsed when it has the
#: detector's marker, so the cap only guards against pathological trees.
MAX_YAML_FILES = 100_000
MAX_PANELS = 2_000
MAX_DEPTH = 6
TAIL_PERCENTILE = 90.0

_SUM_OVER_COUNT = re.compile(r"_sum\b[^/]{0,400}/[^/]{0,400}_count\b", re.S)
_AVG = re.compile(r"\b(?:avg|avg_over_time)\s*(?:by\s*\([^)]{0,200}\)\s*)?\(|[:_](?:avg|mean)\b|\bmean[:_]", re.I)
_NAMED_TAIL = re.compile(r"[:_]p(?:9\d(?:_?\d)?)\b|quantile_?0?\.?9\d|[:_]p99", re.I)
_HISTOGRAM = re.compile(r"\bhistogram_quantile\s*\(")



@dataclass(frozen=True, order=True)
class LatencyQuery:
    path: str
    line: int
    source: str  # "alert" | "panel"
    name: str
    statistic: str  # tail | median | average | other
    expr: str


@dataclass(frozen=True)
class DashboardFacts:
    queries: tuple[LatencyQuery, ...] = ()
    files: tuple[str, ...] = ()


def statistic(expr: str, tail_percentile: float = TAIL_PERCENTILE) -> str | None:
    """The latency statistic ``expr`` watches, or ``None`` when it is not about latency."""
    text = expr[:MAX_QUERY_CHARS]
    percentiles = quantile_percentiles(text)
    if not (mentions_latency(text) or (_HISTOGRAM.search(text) and not looks_like_size(text)
                                       and not looks_like_time_left(text))):
        return None
    if any(p >= tail_percentile for p in percentiles) or has_bucket_bound(text) or _NAMED_TAIL.search(text):
        return "tail"
    if percentiles and all(p == 50 for p in percentiles):
        return "median"
    if percentiles:
        return "lower"
    if _SUM_OVER_COUNT.search(text) or _AVG.search(text):
        return "average"
    return "other"


#: YAML that may hold Prometheus alerting rules.
ALERT_RULE_TEXT = Prefilter("dashboards-alert-rules",
                        lambda text: "alert" in text and "expr" in text and may_hold_rules(text.lower()))
#: JSON that may be a Grafana dashboard (panels, or the older rows of panels with queries).
DASHBOARD_TEXT = Prefilter("dashboards-grafana",
                       lambda text: '"panels"' in text or '"rows"' in text and '"expr"' in text)


def detect(ws: Workspace) -> DashboardFacts:
    queries: list[LatencyQuery] = []
    files: set[str] = set()
    for path, _ in ws.passing(ws.bounded(list(ws.yaml_files), MAX_YAML_FILES, "YAML files"), ALERT_RULE_TEXT):
        try:
            _rule_file(ws, path, queries, files)
        except Exception as exc:  # noqa: BLE001 - a detector never raises
            ws.note(path, f"alert rules could not be read: {type(exc).__name__}")
    json_files = ws.bounded(ws.with_suffix(".json"), MAX_YAML_FILES, "JSON files for Grafana dashboards")
    for path, text in ws.passing(json_files, DASHBOARD_TEXT):
        _dashboard(ws, path, text, queries, files)
    return DashboardFacts(tuple(sorted(set(queries))), tuple(sorted(files)))


# --------------------------------------------------------------------------- alert rules
def _rule_file(ws: Workspace, path: str, out: list[LatencyQuery], files: set[str]) -> None:
    parsed = ws.read_yaml(path)
    for doc in parsed.documents if parsed else ():
        data = doc.data
        holder = data.get("spec") if is_prometheus_rule_crd(data) else data
        groups = holder.get("groups") if isinstance(holder, dict) else None
        if not isinstance(groups, list):
            continue
        for group in groups[:500]:
            rules = group.get("rules") if isinstance(group, dict) else None
            if not isinstance(rules, list):
                continue
            for index, rule in enumerate(rules[:2_000]):
                if not isinstance(rule, dict) or not isinstance(rule.get("alert", rule.get("title")), str):
                    continue
                files.add(path)
                _judge_alert(path, line_of(rules, index, doc.line), rule, out)


def _alert_expressions(rule: dict[str, Any]) -> list[tuple[str, int]]:
    found = [(rule["expr"], line_of(rule, "expr", 0))] if isinstance(rule.get("expr"), str) else []
    data = rule.get("data")
    for item in (data if isinstance(data, list) else [])[:20]:
        model = item.get("model") if isinstance(item, dict) else None
        if isinstance(model, dict) and isinstance(model.get("expr"), str):
            found.append((model["expr"], line_of(model, "expr", 0)))
    return found


def _judge_alert(path: str, line: int, rule: dict[str, Any], out: list[LatencyQuery]) -> None:
    name = str(rule.get("alert") or rule.get("title"))
    expressions = _alert_expressions(rule)
    stats = [(statistic(expr), expr, expr_line) for expr, expr_line in expressions]
    stats = [s for s in stats if s[0] is not None]
    if not stats:
        return
    best = next((s for s in stats if s[0] == "tail"), stats[0])
    out.append(LatencyQuery(path, best[2] or line, "alert", name, str(best[0]), _one_line(best[1])))


# --------------------------------------------------------------------------- Grafana dashboards
def _dashboard(ws: Workspace, path: str, text: str, out: list[LatencyQuery], files: set[str]) -> None:
    data = ws.read_json(path)
    if isinstance(data, dict) and isinstance(data.get("dashboard"), dict):
        data = data["dashboard"]
    if not isinstance(data, dict) or not isinstance(data.get("panels", data.get("rows")), list):
        return
    panels: list[dict[str, Any]] = []
    _collect_panels(data, panels, 0)
    lines = text.split("\n")
    for panel in panels[:MAX_PANELS]:
        title = panel.get("title") if isinstance(panel.get("title"), str) else "(untitled panel)"
        for target in panel.get("targets") if isinstance(panel.get("targets"), list) else []:
            expr = target.get("expr") if isinstance(target, dict) else None
            if not isinstance(expr, str):
                continue
            files.add(path)
            stat = statistic(expr)
            if stat is not None:
                out.append(LatencyQuery(path, _json_line(lines, expr, title), "panel", title, stat, _one_line(expr)))


def _collect_panels(node: dict[str, Any], out: list[dict[str, Any]], depth: int) -> None:
    if depth > MAX_DEPTH or len(out) >= MAX_PANELS:
        return
    for key in ("panels", "rows"):
        children = node.get(key)
        for child in children if isinstance(children, list) else []:
            if isinstance(child, dict):
                out.append(child)
                _collect_panels(child, out, depth + 1)


def _json_line(lines: list[str], expr: str, title: str) -> int:
    """1-based line of the expression in the JSON text (else the panel title, else 0)."""
    for needle in (json.dumps(expr)[1:-1][:200], json.dumps(title)):
        for number, row in enumerate(lines, 1):
            if needle and needle in row:
                return number
    return 0


def _one_line(expr: str) -> str:
    text = " ".join(expr.split())
    return text if len(text) <= 120 else text[:119] + "…"
