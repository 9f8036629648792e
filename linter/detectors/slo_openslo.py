"""OpenSLO ``SLO`` and ``SLI`` documents (v1, v1alpha; v0.1.0-beta and v2alpha tolerated).

Shapes read, per the OpenSLO specification:

* v1: ``spec.indicator`` (an inline SLI: ``metadata`` + ``spec.{ratioMetric|thresholdMetric}``)
  or ``spec.indicatorRef`` naming a ``kind: SLI`` document in any file; objectives may carry
  their own ``indicator``/``indicatorRef`` (composite SLOs).
* v1alpha: ``spec.indicator.thresholdMetric`` and ``objectives[].ratioMetrics``.

Each objective is judged on its own: a ratio whose good/bad events are latency buckets is
a latency objective at ``target`` (or ``targetPercent``); a threshold on a quantile query is
one at that quantile; a threshold on a latency metric with ``op: lt|lte`` and a ``target``
("99% of requests under X", the occurrences shape) is one at ``target``.
"""

from __future__ import annotations

from typing import Any

from linter.detectors.slo_model import (
    AvailabilityObjective, Collector, LatencyObjective, clip, get_dict, get_list, get_str,
    key_line, percent_value, ratio_to_percent, strings_under,
)
from linter.detectors.slo_queries import classify, quantile_percentiles
from linter.fast_dataclass import dataclass
from linter.repo.workspace import Workspace

FORMAT = "OpenSLO"
API_PREFIXES = ("openslo/", "openslo.com/")
MAX_OBJECTIVES = 200


@dataclass(frozen=True)
class OpenSloDocument:
    path: str
    line: int
    data: dict[str, Any]


def is_openslo(data: Any) -> bool:
    api = data.get("apiVersion") if isinstance(data, dict) else None
    return isinstance(api, str) and api.strip().lower().startswith(API_PREFIXES)


def _kind(data: dict[str, Any]) -> str:
    kind = data.get("kind")
    return kind.strip().lower() if isinstance(kind, str) else ""


def index_slis(documents: list[OpenSloDocument]) -> dict[str, dict[str, Any]]:
    """``kind: SLI`` documents by ``metadata.name``; the first definition wins (sorted paths)."""
    slis: dict[str, dict[str, Any]] = {}
    for doc in documents:
        if _kind(doc.data) != "sli":
            continue
        name = get_str(get_dict(doc.data, "metadata"), "name")
        if name and name not in slis:
            slis[name] = doc.data
    return slis


def parse_documents(ws: Workspace, documents: list[OpenSloDocument], out: Collector) -> None:
    slis = index_slis(documents)
    for doc in documents:
        out.recognise(doc.path, FORMAT)
        if _kind(doc.data) == "slo":
            _parse_slo(ws, doc, slis, out)


def _sli_body(indicator: Any) -> dict[str, Any]:
    """The part of an SLI holding ``ratioMetric``/``thresholdMetric`` (v1 nests it in spec)."""
    if not isinstance(indicator, dict):
        return {}
    spec = indicator.get("spec")
    if isinstance(spec, dict) and ("ratioMetric" in spec or "thresholdMetric" in spec):
        return spec
    return indicator


def _sli_names(indicator: Any) -> str:
    """The SLI's own name, display name and description: a fallback when its query is opaque."""
    metadata = get_dict(indicator, "metadata")
    parts = [get_str(metadata, "name"), get_str(metadata, "displayName"),
             get_str(get_dict(indicator, "spec"), "description"), get_str(indicator, "description")]
    return "\n".join(p for p in parts if p)


def _resolve(ws: Workspace, doc: OpenSloDocument, holder: dict[str, Any],
             slis: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The SLI of ``holder`` (an SLO spec or one objective): inline or by reference, whole."""
    for key in ("indicator", "sli"):
        if isinstance(holder.get(key), dict):
            return holder[key]
    for key in ("indicatorRef", "sliRef"):
        ref = get_str(holder, key)
        if ref:
            if ref in slis:
                return slis[ref]
            ws.note(doc.path, f"OpenSLO SLO at line {key_line(holder, key, doc.line)} refers to SLI "
                              f"{ref!r}, which no file defines; not counted")
            return {}
    return None


def _parse_slo(ws: Workspace, doc: OpenSloDocument, slis: dict[str, dict[str, Any]], out: Collector) -> None:
    spec = get_dict(doc.data, "spec")
    service = get_str(spec, "service")
    metadata = get_dict(doc.data, "metadata")
    name = get_str(metadata, "displayName") or get_str(metadata, "name") or "unnamed SLO"
    shared = _resolve(ws, doc, spec, slis) or {}
    objectives = get_list(spec, "objectives")
    for index, objective in enumerate(objectives[:MAX_OBJECTIVES]):
        if not isinstance(objective, dict):
            continue
        line = key_line(objectives, index, doc.line)
        own = _resolve(ws, doc, objective, slis)
        indicator = own if own is not None else shared
        label = get_str(objective, "displayName") or get_str(objective, "name")
        description = clip(f"{name}: {label}" if label else name)
        _judge_objective(doc.path, line, service, description, objective, indicator, out)


def _target_percent(objective: dict[str, Any], prefer_time_slice: bool) -> float | None:
    if prefer_time_slice and "timeSliceTarget" in objective:
        value = ratio_to_percent(objective.get("timeSliceTarget"))
        if value is not None:
            return value
    if "targetPercent" in objective:
        value = percent_value(objective.get("targetPercent"))
        if value is not None:
            return value
    return ratio_to_percent(objective.get("target"))


def _judge_objective(path: str, line: int, service: str | None, description: str,
                     objective: dict[str, Any], indicator: dict[str, Any], out: Collector) -> None:
    body = _sli_body(indicator)
    names = _sli_names(indicator)
    ratio = objective.get("ratioMetrics")  # v1alpha puts the ratio in the objective
    if not isinstance(ratio, dict):
        ratio = body.get("ratioMetric")
    if isinstance(ratio, dict):
        _judge_ratio(path, line, service, description, objective, ratio, names, out)
        return
    threshold = body.get("thresholdMetric")
    if isinstance(threshold, dict) or isinstance(threshold, str):
        _judge_threshold(path, line, service, description, objective, threshold, names, out)


def _kind_with_fallback(query_text: str, names: str, label: str) -> tuple[str, str]:
    """Classify on the query; only an opaque query falls back to the SLI's own name.

    The SLO's name is never used: "checkout-latency" over a 5xx ratio stays availability.
    """
    verdict = classify(query_text)
    if verdict == "unknown" and names:
        verdict = classify(names)
        if verdict != "unknown":
            return verdict, f"{label}, judged by the SLI's name"
    return verdict, label


def _judge_ratio(path: str, line: int, service: str | None, description: str,
                 objective: dict[str, Any], ratio: dict[str, Any], names: str, out: Collector) -> None:
    events = [ratio.get(key) for key in ("good", "bad", "raw") if key in ratio]
    kind, label = _kind_with_fallback(strings_under(events if events else ratio), names, "OpenSLO ratio")
    target = _target_percent(objective, prefer_time_slice=True)
    if kind == "latency" and target is not None:
        out.latency.append(LatencyObjective(path, line, target, label, service, description))
    elif kind == "availability":
        out.availability.append(AvailabilityObjective(path, line, target, label, service, description))


def _judge_threshold(path: str, line: int, service: str | None, description: str,
                     objective: dict[str, Any], threshold: Any, names: str, out: Collector) -> None:
    text = strings_under(threshold)
    quantiles = quantile_percentiles(text)
    if quantiles:
        out.latency.append(LatencyObjective(path, line, max(quantiles), "OpenSLO threshold on a quantile",
                                            service, description))
        return
    kind, label = _kind_with_fallback(text, names, "OpenSLO threshold")
    op = objective.get("op")
    op = op.strip().lower() if isinstance(op, str) else None
    target = _target_percent(objective, prefer_time_slice=False)
    if kind == "latency" and op in (None, "lt", "lte") and target is not None:
        out.latency.append(LatencyObjective(path, line, target, label, service, description))
    elif kind == "availability":
        out.availability.append(AvailabilityObjective(path, line, target, label, service, description))
