"""Service level objectives in every format teams commit: which are latency, at which percentile.

``detect(ws)`` reads each candidate file once and returns ``SloFacts``. Formats and their
semantics live in one module each (``slo_openslo``, ``slo_sloth_pyrra``,
``slo_prometheus``, ``slo_google``, ``slo_datadog``); the latency/availability decision is
made from the SLI's queries in ``slo_queries``, never from an SLO's name.

Only YAML files whose text mentions a marker of a known format are parsed, and only
``.tf`` files naming the Datadog SLO resource are read for HCL. Markdown and comments are
never read as evidence. Every parser is shape-tolerant; an unexpected error in one
document becomes a note, never a traceback.
"""

from __future__ import annotations

from typing import Any

from linter.detectors import hcl, slo_datadog, slo_google, slo_openslo, slo_prometheus, slo_sloth_pyrra
from linter.detectors.slo_model import (
    AvailabilityObjective, Collector, LatencyObjective, RecognisedFile, SloFacts, format_percentile,
)
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace

__all__ = [
    "AvailabilityObjective", "LatencyObjective", "RecognisedFile", "SloFacts", "detect",
    "format_percentile", "FORMATS_READ",
]

#: Substrings (lower case), one of which a YAML file must contain to be parsed at all.
#: Lower-case text without which no document of a YAML file is one the parsers read
#: (``_dispatch``): OpenSLO, Sloth (plain and CRD), Pyrra, slo-generator v2 and v1; rule files
#: and ``PrometheusRule`` resources are found by ``slo_prometheus.may_hold_rules``.
YAML_MARKERS = ("openslo", "prometheus/v1", "sloth.slok.dev", "pyrra.dev", "sre.google.com", "slo_target")
#: Upper bounds: a monorepo with more SLO candidates than this is read partially (noted).
MAX_YAML_CANDIDATES = 5_000
MAX_TF_FILES = 5_000
MAX_DOCUMENTS_PER_FILE = 500
MAX_LIST_ITEMS = 500

FORMATS_READ = ("OpenSLO", "Sloth", "Pyrra", "Prometheus rules", "slo-generator", "Datadog SLOs in Terraform")


def detect(ws: Workspace) -> SloFacts:
    out = Collector()
    openslo_docs: list[slo_openslo.OpenSloDocument] = []
    for path in _yaml_candidates(ws):
        for line, data in _documents(ws, path):
            if slo_openslo.is_openslo(data):
                openslo_docs.append(slo_openslo.OpenSloDocument(path, line, data))
            else:
                _guarded(ws, path, line, lambda: _dispatch(ws, path, line, data, out))
    _guarded(ws, ".", 0, lambda: slo_openslo.parse_documents(ws, openslo_docs, out))
    for path in ws.bounded(hcl.terraform_files(ws), MAX_TF_FILES, "Terraform files"):
        text = ws.read_text(path)
        if text and slo_datadog.RESOURCE in text:
            _guarded(ws, path, 0, lambda: slo_datadog.parse(path, text, out, hcl.parsed(ws, path)))
    return SloFacts(
        latency=tuple(sorted(set(out.latency))),
        availability=tuple(sorted(set(out.availability))),
        files=tuple(sorted(out.files)),
    )


def _may_hold_slos(lowered: str) -> bool:
    return any(marker in lowered for marker in YAML_MARKERS) or slo_prometheus.may_hold_rules(lowered)


#: YAML that may hold SLO specs or recording rules.
SLO_YAML = Prefilter("slo-yaml", lambda text: _may_hold_slos(text.lower()))


def _yaml_candidates(ws: Workspace) -> list[str]:
    candidates: list[str] = []
    for path, _ in ws.passing(ws.yaml_files, SLO_YAML):
        candidates.append(path)
        if len(candidates) >= MAX_YAML_CANDIDATES:
            ws.note(path, f"more than {MAX_YAML_CANDIDATES} candidate SLO/rule files; the rest were not read")
            break
    return candidates


def _documents(ws: Workspace, path: str) -> list[tuple[int, dict[str, Any]]]:
    """Mapping documents of a file; a top-level list of objects (seen in OpenSLO examples) is unrolled."""
    parsed = ws.read_yaml(path)
    if parsed is None:
        return []
    found: list[tuple[int, dict[str, Any]]] = []
    for doc in parsed.documents[:MAX_DOCUMENTS_PER_FILE]:
        if isinstance(doc.data, dict):
            found.append((doc.line, doc.data))
        elif isinstance(doc.data, list):
            for index, item in enumerate(doc.data[:MAX_LIST_ITEMS]):
                if isinstance(item, dict) and isinstance(item.get("apiVersion"), str):
                    found.append((doc.data.line_of(index) if hasattr(doc.data, "line_of") else doc.line, item))
    return found


def _dispatch(ws: Workspace, path: str, line: int, data: dict[str, Any], out: Collector) -> None:
    if slo_sloth_pyrra.is_sloth_plain(data) or slo_sloth_pyrra.is_sloth_crd(data):
        slo_sloth_pyrra.parse_sloth(ws, path, line, data, out)
    elif slo_sloth_pyrra.is_pyrra(data):
        slo_sloth_pyrra.parse_pyrra(ws, path, line, data, out)
    elif slo_google.is_v2(data) or slo_google.is_v1(data):
        slo_google.parse(ws, path, line, data, out)
    elif slo_prometheus.is_prometheus_rule_crd(data) or slo_prometheus.looks_like_rule_file(data):
        slo_prometheus.parse_rules(path, line, data, out)


def _guarded(ws: Workspace, path: str, line: int, action: Any) -> None:
    """Run one parser; a bug on an unforeseen shape costs that document, not the run."""
    try:
        action()
    except (RecursionError, ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        where = f" (line {line})" if line else ""
        ws.note(path, f"SLO detector could not read this document{where}: {type(exc).__name__}")
