"""Sloth specs (plain ``prometheus/v1`` and the ``PrometheusServiceLevel`` CRD) and Pyrra SLOs.

Sloth states ``objective`` as a percentage and the SLI as an error query over a total
query; the SLI is a latency one when it counts requests outside a histogram bucket
(``..._count - ..._bucket{le="0.4"}``), an availability one when it filters status codes.
Pyrra names its indicator explicitly: ``latency``/``latencyNative`` are latency, ``ratio``
and ``bool_gauge`` are not.
"""

from __future__ import annotations

from typing import Any

from linter.detectors.slo_model import (
    AvailabilityObjective, Collector, LatencyObjective, clip, get_dict, get_list, get_str,
    key_line, metadata_service, percent_value, strings_under,
)
from linter.detectors.slo_queries import classify
from linter.repo.workspace import Workspace

SLOTH = "Sloth"
PYRRA = "Pyrra"
MAX_SLOS = 500


def is_sloth_plain(data: Any) -> bool:
    version = data.get("version") if isinstance(data, dict) else None
    return isinstance(version, str) and version.strip().lower().startswith("prometheus/v1") and "slos" in data


def is_sloth_crd(data: Any) -> bool:
    """A ``PrometheusServiceLevel`` (Sloth's SLO resource); other ``sloth.slok.dev`` kinds,
    such as ``AlertWindows`` (burn-rate window settings), hold no SLO."""
    api = data.get("apiVersion") if isinstance(data, dict) else None
    kind = data.get("kind") if isinstance(data, dict) else None
    return (isinstance(api, str) and api.strip().lower().startswith("sloth.slok.dev/")
            and isinstance(kind, str) and kind.strip().lower() == "prometheusservicelevel")


def is_pyrra(data: Any) -> bool:
    api = data.get("apiVersion") if isinstance(data, dict) else None
    return isinstance(api, str) and api.strip().lower().startswith("pyrra.dev/")


def parse_sloth(ws: Workspace, path: str, line: int, data: dict[str, Any], out: Collector) -> None:
    """Both Sloth shapes: plain (snake_case keys) and CRD (``spec``, camelCase keys)."""
    crd = is_sloth_crd(data)
    body = get_dict(data, "spec") if crd else data
    out.recognise(path, SLOTH)
    service = get_str(body, "service") or (metadata_service(data) if crd else None)
    kind = "Sloth PrometheusServiceLevel" if crd else "Sloth"
    slos = get_list(body, "slos")
    for index, slo in enumerate(slos[:MAX_SLOS]):
        if not isinstance(slo, dict):
            continue
        slo_line = key_line(slos, index, line)
        objective = percent_value(slo.get("objective"))
        if objective is None:
            if "objective" in slo:
                ws.note(path, f"Sloth SLO at line {slo_line} has an objective that is not a percentage; ignored")
            continue
        verdict = _sloth_sli_kind(get_dict(slo, "sli"))
        name = get_str(slo, "name") or "unnamed SLO"
        description = clip(f"{name}: {get_str(slo, 'description')}" if get_str(slo, "description") else name)
        if verdict == "latency":
            out.latency.append(LatencyObjective(path, slo_line, objective, kind, service, description))
        elif verdict == "availability":
            out.availability.append(AvailabilityObjective(path, slo_line, objective, kind, service, description))


def _sloth_sli_kind(sli: dict[str, Any]) -> str:
    """Classify on the error side first; the total query only breaks a tie."""
    events = get_dict(sli, "events")
    raw = get_dict(sli, "raw")
    plugin = get_dict(sli, "plugin")
    error_side = [events.get("error_query"), events.get("errorQuery"),
                  raw.get("error_ratio_query"), raw.get("errorRatioQuery"), plugin]
    verdict = classify(strings_under(error_side))
    if verdict == "unknown":
        verdict = classify(strings_under(sli))
    return verdict


def parse_pyrra(ws: Workspace, path: str, line: int, data: dict[str, Any], out: Collector) -> None:
    if str(data.get("kind", "")).strip().lower() != "servicelevelobjective":
        return
    out.recognise(path, PYRRA)
    spec = get_dict(data, "spec")
    indicator = get_dict(spec, "indicator")
    target_line = key_line(spec, "target", line)
    target = percent_value(spec.get("target"))
    if target is None:
        ws.note(path, f"Pyrra SLO at line {target_line} has no usable target percentage; ignored")
        return
    metadata = get_dict(data, "metadata")
    description = clip(get_str(spec, "description") or get_str(metadata, "name") or "unnamed SLO")
    service = metadata_service(data)
    if "latency" in indicator or "latencyNative" in indicator:
        shape = "latency" if "latency" in indicator else "latencyNative"
        out.latency.append(LatencyObjective(path, target_line, target, f"Pyrra {shape}", service, description))
    elif "ratio" in indicator or "bool_gauge" in indicator or "boolGauge" in indicator:
        shape = "ratio" if "ratio" in indicator else "bool_gauge"
        out.availability.append(AvailabilityObjective(path, target_line, target, f"Pyrra {shape}", service,
                                                      description))
