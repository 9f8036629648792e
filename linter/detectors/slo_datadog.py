"""Datadog SLOs declared in Terraform (``resource "datadog_service_level_objective"``).

* ``type = "metric"``: ``query { numerator, denominator }``; the numerator decides
  latency (a duration/latency metric or bucket) versus availability (status codes, errors),
  and ``thresholds { target = 99.9 }`` is the share of requests: a p99.9 objective.
* ``type = "time_slice"``: the metric query's percentile aggregator (``p99:...``) is the
  percentile; an average latency per slice is not a tail objective and is not counted.
* ``type = "monitor"``: monitors live elsewhere; the file is recognised, nothing counted.
"""

from __future__ import annotations

from typing import Any

from linter.detectors import hcl
from linter.detectors.slo_model import (
    AvailabilityObjective, Collector, LatencyObjective, clip, percent_value,
)
from linter.detectors.slo_queries import classify, quantile_percentiles

FORMAT = "Datadog (Terraform)"
RESOURCE = "datadog_service_level_objective"
MAX_NESTED_SCAN = 2_000


def parse(path: str, text: str, out: Collector, root: hcl.Block | None = None) -> None:
    """Judge the Datadog SLOs of one Terraform file (``root``: its shared parse, if known)."""
    if RESOURCE not in text:
        return
    root = root if root is not None else hcl.parse(text)
    for block in root.children("resource"):
        if block.labels[:1] == (RESOURCE,):
            out.recognise(path, FORMAT)
            _judge(path, block, out)


def _judge(path: str, block: hcl.Block, out: Collector) -> None:
    slo_type = str(block.attributes.get("type", "")).strip().lower()
    name = block.attributes.get("name")
    description = clip(name if isinstance(name, str) and name else " ".join(block.labels[1:2]) or "SLO")
    service = _service(block.attributes.get("tags"))
    target = _target(block)
    if slo_type == "metric":
        queries = [q for q in block.children("query")]
        numerator = " ".join(str(q.attributes.get("numerator", "")) for q in queries)
        verdict = classify(numerator)
        if verdict == "unknown":
            verdict = classify(" ".join(_strings(q) for q in queries))
        if verdict == "latency" and target is not None:
            out.latency.append(LatencyObjective(path, block.line, target, "Datadog metric SLO", service, description))
        elif verdict == "availability":
            out.availability.append(AvailabilityObjective(path, block.line, target, "Datadog metric SLO", service,
                                                          description))
    elif slo_type == "time_slice":
        percentiles = quantile_percentiles(" ".join(_strings(b) for b in block.children("sli_specification")))
        if percentiles:
            out.latency.append(LatencyObjective(path, block.line, max(percentiles), "Datadog time-slice SLO",
                                                service, description))


def _target(block: hcl.Block) -> float | None:
    """The strictest ``thresholds { target }`` (one block per timeframe), or ``target_threshold``."""
    targets = [percent_value(t.attributes.get("target")) for t in block.children("thresholds")]
    targets.append(percent_value(block.attributes.get("target_threshold")))
    usable = [t for t in targets if t is not None]
    return max(usable) if usable else None


def _service(tags: Any) -> str | None:
    if isinstance(tags, list):
        for tag in tags:
            if isinstance(tag, str) and tag.lower().startswith("service:") and tag[8:].strip():
                return tag[8:].strip()
    return None


def _strings(block: hcl.Block) -> str:
    """Every string attribute under ``block`` (bounded), for classifying nested queries."""
    parts: list[str] = []
    stack = [block]
    seen = 0
    while stack and seen < MAX_NESTED_SCAN:
        current = stack.pop()
        seen += 1
        parts.extend(v for v in current.attributes.values() if isinstance(v, str))
        stack.extend(current.blocks)
    return "\n".join(parts)
