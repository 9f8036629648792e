"""google/slo-generator configs: v2 (``apiVersion: sre.google.com/v2``) and the legacy v1 shape.

v2 keeps the SLI in ``spec.service_level_indicator`` with ``spec.method`` and
``spec.goal`` (0-1); v1 keeps it in ``backend.measurement`` with ``backend.method`` and
``slo_target``. ``distribution_cut`` (a ``threshold_bucket`` on a distribution) and the
``basic`` method's ``latency.threshold`` are latency SLIs; ``query_sli`` and
``good_bad_ratio`` are judged on their queries and filters.
"""

from __future__ import annotations

from typing import Any

from linter.detectors.slo_model import (
    AvailabilityObjective, Collector, LatencyObjective, clip, get_dict, get_str, key_line,
    ratio_to_percent, strings_under,
)
from linter.detectors.slo_queries import classify, looks_like_size
from linter.repo.workspace import Workspace

FORMAT = "slo-generator"


def is_v2(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    api, kind = data.get("apiVersion"), data.get("kind")
    return (isinstance(api, str) and api.strip().lower().startswith("sre.google.com/")
            and isinstance(kind, str) and kind.strip().lower() == "servicelevelobjective")


def is_v1(data: Any) -> bool:
    return isinstance(data, dict) and "slo_target" in data and isinstance(data.get("backend"), dict)


def parse(ws: Workspace, path: str, line: int, data: dict[str, Any], out: Collector) -> None:
    if is_v2(data):
        spec = get_dict(data, "spec")
        metadata = get_dict(data, "metadata")
        labels = get_dict(metadata, "labels")
        service = get_str(labels, "service_name")
        description = get_str(spec, "description") or get_str(metadata, "name") or "unnamed SLO"
        _judge(ws, path, key_line(spec, "goal", line), spec.get("goal"), get_str(spec, "method"),
               spec.get("service_level_indicator"), service, description, out)
    elif is_v1(data):
        backend = get_dict(data, "backend")
        description = get_str(data, "slo_description") or get_str(data, "slo_name") or "unnamed SLO"
        _judge(ws, path, key_line(data, "slo_target", line), data.get("slo_target"),
               get_str(backend, "method"), backend.get("measurement"), get_str(data, "service_name"),
               description, out)


def _judge(ws: Workspace, path: str, line: int, goal: Any, method: str | None, sli: Any,
           service: str | None, description: str, out: Collector) -> None:
    out.recognise(path, FORMAT)
    target = ratio_to_percent(goal)
    if target is None:
        ws.note(path, f"slo-generator SLO at line {line} has no usable goal between 0 and 1; ignored")
        return
    verdict = _sli_kind((method or "").lower(), sli)
    kind = f"slo-generator {method}" if method else "slo-generator"
    if verdict == "latency":
        out.latency.append(LatencyObjective(path, line, target, kind, service, clip(description)))
    elif verdict == "availability":
        out.availability.append(AvailabilityObjective(path, line, target, kind, service, clip(description)))


def _sli_kind(method: str, sli: Any) -> str:
    text = strings_under(sli)
    if method == "distribution_cut":
        return "unknown" if looks_like_size(text) else "latency"
    if method == "basic":
        if isinstance(get_dict(sli, "latency").get("threshold"), (int, float, str)):
            return "latency"
        if "availability" in (sli if isinstance(sli, dict) else {}):
            return "availability"
    return classify(text)
