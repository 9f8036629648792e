"""The catalog as a run uses it: plain records, built without pydantic.

The packaged catalog is validated by the pydantic models in ``linter.catalog.models`` (in
the test suite, with ``PRACTICELINT_VALIDATE_CATALOG=1``, and for every rule pack and
plugin). A normal ``check`` only reads it, and importing pydantic plus building the models
cost about 40 ms of every run, so the loader builds these records straight from the YAML.
Rule packs and plugins keep their validated pydantic objects, which have the same
attributes; code that reads a catalog works with either.
"""

from __future__ import annotations

from typing import Any

from linter.records import dataclass, field
from linter.results_order import CATEGORIES

#: Rule id prefix for each category; ``PERF001`` is the first performance rule.
CATEGORY_PREFIX: dict[str, str] = {
    "performance": "PERF", "reliability": "REL", "cost": "COST", "architecture": "ARCH",
    "security": "SEC", "delivery": "DEL", "teams": "ORG", "working-backwards": "PROD",
    "narratives": "DOC", "operations": "OPS",
}
assert set(CATEGORY_PREFIX) == set(CATEGORIES)


def coerce_option(kind: str, value: Any, minimum: float | None = None, maximum: float | None = None) -> Any:
    """Check ``value`` against an option of type ``kind``; ``ValueError`` gives a plain reason."""
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an integer, got {value!r}")
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected a number, got {value!r}")
        value = float(value)
    elif kind == "str":
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {value!r}")
        return value
    elif kind == "list[str]":  # minimum and maximum bound the number of items
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError(f"expected a list of non-empty strings, got {value!r}")
        if minimum is not None and len(value) < minimum:
            raise ValueError(f"must list at least {minimum:g} item(s), got {len(value)}")
        if maximum is not None and len(value) > maximum:
            raise ValueError(f"must list at most {maximum:g} item(s), got {len(value)}")
        return list(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"must be at least {minimum:g}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"must be at most {maximum:g}, got {value}")
    return value


@dataclass(frozen=True)
class OptionEntry:
    """A rule option: type, default and limits (see ``models.OptionSpec``)."""

    type: str
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None

    def coerce(self, value: Any) -> Any:
        return coerce_option(self.type, value, self.minimum, self.maximum)


@dataclass(frozen=True)
class PracticeEntry:
    """A practice (see ``models.Practice``)."""

    id: str
    title: str
    category: str
    summary: str
    why: str
    digest_section: str
    checkable: bool = True
    not_checkable_reason: str | None = None


@dataclass(frozen=True)
class RuleEntry:
    """A rule (see ``models.RuleSpec``)."""

    id: str
    name: str
    practice: str
    category: str
    severity: str
    scope: str
    summary: str
    rationale: str
    evidence: str
    remediation: str
    example: str = ""
    options: dict[str, OptionEntry] = field(default_factory=dict, compare=False, hash=False)

    def default_options(self) -> dict[str, Any]:
        return {name: spec.default for name, spec in self.options.items()}


def practice_entry(data: dict[str, Any]) -> PracticeEntry:
    return PracticeEntry(**{key: data[key] for key in PRACTICE_KEYS if key in data})


def rule_entry(data: dict[str, Any]) -> RuleEntry:
    options = {name: OptionEntry(**{k: v for k, v in dict(spec).items() if k in OPTION_KEYS})
               for name, spec in (data.get("options") or {}).items()}
    return RuleEntry(**{key: data[key] for key in RULE_KEYS if key in data and key != "options"}, options=options)


PRACTICE_KEYS = ("id", "title", "category", "summary", "why", "digest_section", "checkable", "not_checkable_reason")
RULE_KEYS = ("id", "name", "practice", "category", "severity", "scope", "summary", "rationale", "evidence",
             "remediation", "example", "options")
OPTION_KEYS = ("type", "default", "description", "minimum", "maximum")
