"""Facts and shared helpers for the SLO detectors (``linter.detectors.slo``).

Every SLO format ends up as the same three kinds of fact, so PERF001 (and any later rule
about objectives) can reason without knowing which tool wrote them:

* ``LatencyObjective``: "p99.9 of requests under 500 ms", whatever the syntax;
* ``AvailabilityObjective``: an error-rate / availability target, kept so messages can say
  what *was* found when no latency objective exists;
* ``RecognisedFile``: a file that held a format we read, to list what was looked at.
"""

from __future__ import annotations

import math
from typing import Any

from linter.fast_dataclass import dataclass, field
from linter.repo.yamlio import line_of

#: Cap on the text of one SLI we classify; real queries are far shorter.
MAX_QUERY_CHARS = 20_000


@dataclass(frozen=True, order=True)
class LatencyObjective:
    """A latency objective at ``percentile`` (99.9 for "99.9% of requests under X")."""

    path: str
    line: int
    percentile: float
    kind: str  # e.g. "OpenSLO ratio", "Prometheus alert"
    service: str | None = None
    description: str = ""

    @property
    def label(self) -> str:
        return format_percentile(self.percentile)

    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, order=True)
class AvailabilityObjective:
    """An availability or error-rate objective; ``target_percent`` may be unknown."""

    path: str
    line: int
    target_percent: float | None
    kind: str
    service: str | None = None
    description: str = ""

    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, order=True)
class RecognisedFile:
    """A file holding at least one document of an SLO or rule format we read."""

    path: str
    format: str  # "OpenSLO", "Sloth", "Pyrra", "Prometheus rules", "slo-generator", "Datadog"


@dataclass
class Collector:
    """Mutable accumulator the per-format parsers append to; frozen into ``SloFacts``."""

    latency: list[LatencyObjective] = field(default_factory=list)
    availability: list[AvailabilityObjective] = field(default_factory=list)
    files: set[RecognisedFile] = field(default_factory=set)

    def recognise(self, path: str, fmt: str) -> None:
        self.files.add(RecognisedFile(path, fmt))


@dataclass(frozen=True)
class SloFacts:
    latency: tuple[LatencyObjective, ...] = ()
    availability: tuple[AvailabilityObjective, ...] = ()
    files: tuple[RecognisedFile, ...] = ()


# --------------------------------------------------------------------------- numbers
def format_percentile(percentile: float) -> str:
    """99.0 -> ``p99``, 99.9 -> ``p99.9``, 50 -> ``p50``."""
    return "p" + f"{round(percentile, 4):g}"


def as_number(value: Any) -> float | None:
    """A finite number from a YAML scalar (``0.99``, ``"99.9"``, ``"99.9%"``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str) and len(value) <= 40:
        text = value.strip().rstrip("%").strip()
        try:
            number = float(text)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def ratio_to_percent(value: Any) -> float | None:
    """A 0-1 target (OpenSLO ``target``, slo-generator ``goal``) as a percentage.

    Values between 1 and 100 are read as percentages already, a common slip; anything
    else (negative, zero, over 100, not a number) is not a usable target.
    """
    number = as_number(value)
    if number is None or number <= 0:
        return None
    if number <= 1:
        return round(number * 100, 6)
    if number <= 100:
        return round(number, 6)
    return None


def percent_value(value: Any) -> float | None:
    """A 0-100 target (Sloth ``objective``, Pyrra ``target``, ``targetPercent``)."""
    number = as_number(value)
    if number is None or number <= 0 or number > 100:
        return None
    return round(number, 6)


# --------------------------------------------------------------------------- YAML access
def get_dict(container: Any, key: str) -> dict[str, Any]:
    """``container[key]`` when both are mappings, else an empty mapping."""
    if isinstance(container, dict):
        value = container.get(key)
        if isinstance(value, dict):
            return value
    return {}


def get_list(container: Any, key: str) -> list[Any]:
    if isinstance(container, dict):
        value = container.get(key)
        if isinstance(value, list):
            return value
    return []


def get_str(container: Any, key: str) -> str | None:
    if isinstance(container, dict):
        value = container.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def key_line(container: Any, key: Any, default: int) -> int:
    return line_of(container, key, default) or default


def strings_under(value: Any, limit: int = 2_000) -> str:
    """Every string scalar under ``value`` joined by newlines, bounded.

    Used to classify an SLI by its queries whatever backend-specific shape holds them
    (``query``, ``promql``, ``metricStat``...). Keys are left out: Sloth's ``error_query``
    key says nothing about what the query measures.
    """
    parts: list[str] = []
    stack: list[Any] = [value]
    seen = 0
    total = 0
    while stack and seen < limit and total < MAX_QUERY_CHARS:
        current = stack.pop()
        seen += 1
        if isinstance(current, str):
            parts.append(current)
            total += len(current)
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return "\n".join(parts)[:MAX_QUERY_CHARS]


def metadata_service(doc: dict[str, Any]) -> str | None:
    """A service name from Kubernetes-style metadata: common labels, then the namespace."""
    metadata = get_dict(doc, "metadata")
    labels = get_dict(metadata, "labels")
    for key in ("service", "service_name", "app.kubernetes.io/name", "app.kubernetes.io/part-of", "app"):
        name = get_str(labels, key)
        if name:
            return name
    return get_str(metadata, "namespace")


def clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
