"""Prometheus rule files and ``PrometheusRule`` resources: percentiles in rule expressions.

An alert on ``histogram_quantile(0.99, ...) > 0.5`` is a p99 latency objective expressed
as a threshold; a recording rule computing ``histogram_quantile(0.99, ...)`` (or labelled
``quantile: "0.99"``) shows the team tracks that percentile. Summary quantiles
(``{quantile="0.99"}``) count when the metric is a latency/duration one. Grafana-managed
alert provisioning files (``groups[].rules[].data[].model.expr``) are read the same way.
Only ``expr`` is read: annotations, descriptions and comments never count.
"""

from __future__ import annotations

import re

from typing import Any

from linter.detectors.slo_model import (
    Collector, LatencyObjective, clip, get_dict, get_list, get_str, key_line, metadata_service,
)
from linter.detectors.slo_queries import (
    has_bucket_bound, label_quantile, looks_like_size, mentions_latency, quantile_percentiles,
)

FORMAT = "Prometheus rules"
MAX_GROUPS = 500
MAX_RULES_PER_GROUP = 2_000
MAX_GRAFANA_QUERIES = 20


def is_prometheus_rule_crd(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    api, kind = data.get("apiVersion"), data.get("kind")
    return (isinstance(api, str) and api.strip().lower().startswith("monitoring.coreos.com/")
            and isinstance(kind, str) and kind.strip().lower() == "prometheusrule")


#: What may stand before a top-level ``groups`` key on its line: a document marker, the brace
#: opening a flow mapping, a quote. A nested one (RBAC ``apiGroups:``, ``supplementalGroups:``,
#: CRD schema properties) has indentation or a longer name: matching those made every
#: Kubernetes role and CRD a candidate to parse.
_KEY_LEAD = re.compile(r"""(?:---[ \t]*)?(?:\{[ \t]*)?["']?""")
_KEY_COLON = re.compile(r"""["']?[ \t]*:""")


def may_hold_rules(lowered: str) -> bool:
    """Cheap test of a lower-cased YAML text: can it be a rule file (``looks_like_rule_file``)
    or a ``PrometheusRule``? Never false for one that is (tested against the parsers).

    Substring searches, then a look at the few places found: a multi-line regular expression
    over a 300 KB CRD tries every position and cost ~20 ns a character. Only the first
    ``groups`` of a line can follow a lead, so the search moves on to the next line after
    it: each line is looked back over once, never once per occurrence (a line of a hundred
    thousand ``groups`` would otherwise cost quadratic time)."""
    if "prometheusrule" in lowered:
        return True
    flow = None
    at = lowered.find("groups")
    while at != -1:
        line_start = lowered.rfind("\n", 0, at) + 1
        if _KEY_LEAD.fullmatch(lowered, line_start, at) and _KEY_COLON.match(lowered, at + 6):
            return True
        if flow is None:
            flow = _flow_document(lowered)
        if flow:  # a JSON-style document: its keys may sit anywhere
            return True
        at = lowered.find("groups", _next_line(lowered, at))
    return False


def _next_line(text: str, at: int) -> int:
    """Where the line after the one holding ``at`` starts (``len(text)`` on the last line)."""
    end = text.find("\n", at)
    return len(text) if end == -1 else end + 1


def _flow_document(lowered: str) -> bool:
    """Whether some document is one flow mapping: a line that opens with ``{`` (after
    spaces or ``---``). Only a line's first ``{`` can, so the search moves on to the next line."""
    at = lowered.find("{")
    while at != -1:
        line_start = lowered.rfind("\n", 0, at) + 1
        if not lowered[line_start:at].strip(" \t-"):
            return True
        at = lowered.find("{", _next_line(lowered, at))
    return False


def looks_like_rule_file(data: Any) -> bool:
    """``groups:`` whose items hold a ``rules`` list: Prometheus, Thanos, Mimir, Grafana."""
    groups = get_list(data, "groups")
    return any(isinstance(g, dict) and isinstance(g.get("rules"), list) for g in groups[:MAX_GROUPS])


def parse_rules(path: str, line: int, data: dict[str, Any], out: Collector) -> None:
    crd = is_prometheus_rule_crd(data)
    holder = get_dict(data, "spec") if crd else data
    groups = get_list(holder, "groups")
    if not any(isinstance(g, dict) and isinstance(g.get("rules"), list) for g in groups[:MAX_GROUPS]):
        return
    out.recognise(path, FORMAT)
    default_service = metadata_service(data) if crd else None
    prefix = "PrometheusRule" if crd else "Prometheus"
    for group in groups[:MAX_GROUPS]:
        rules = get_list(group, "rules")
        for index, rule in enumerate(rules[:MAX_RULES_PER_GROUP]):
            if isinstance(rule, dict):
                _judge_rule(path, key_line(rules, index, line), rule, prefix, default_service, out)


def _expressions(rule: dict[str, Any]) -> list[str]:
    """The PromQL of a rule: ``expr``, or Grafana's ``data[].model.expr``."""
    found = [rule["expr"]] if isinstance(rule.get("expr"), str) else []
    for query in get_list(rule, "data")[:MAX_GRAFANA_QUERIES]:
        expr = get_dict(query, "model").get("expr")
        if isinstance(expr, str):
            found.append(expr)
    return found


def _judge_rule(path: str, line: int, rule: dict[str, Any], prefix: str,
                default_service: str | None, out: Collector) -> None:
    expressions = _expressions(rule)
    if not expressions:
        return
    text = "\n".join(expressions)
    labels = get_dict(rule, "labels")
    percentiles = [p for p in quantile_percentiles(text) if _about_latency(text, rule)]
    labelled = label_quantile(labels.get("quantile"))
    if labelled is not None and _about_latency(text, rule):
        percentiles.append(labelled)
    if not percentiles:
        return
    name = get_str(rule, "alert") or get_str(rule, "record") or get_str(rule, "title") or "unnamed rule"
    is_alert = "alert" in rule or "title" in rule or "condition" in rule
    kind = f"{prefix} alert" if is_alert else f"{prefix} recording rule"
    service = get_str(labels, "service") or default_service
    out.latency.append(LatencyObjective(path, line, max(percentiles), kind, service, clip(name)))


def _about_latency(text: str, rule: dict[str, Any]) -> bool:
    """A quantile of time, not of sizes; a summary quantile needs a latency metric name."""
    if looks_like_size(text):
        return False
    if "histogram_quantile" in text or has_bucket_bound(text):
        return True
    name = " ".join(v for v in (rule.get("record"), rule.get("alert")) if isinstance(v, str))
    return mentions_latency(text + "\n" + name)
