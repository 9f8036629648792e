"""Pydantic models for ``practices/*.yaml`` and ``rules/*.yaml``.

The models are strict (unknown keys are errors) because the catalog is a public contract:
rule ids, names and option names are what users write in their configuration.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from linter.results import CATEGORIES

Category = Literal[
    "performance", "reliability", "cost", "architecture", "security",
    "delivery", "teams", "working-backwards", "narratives", "operations",
]

#: Rule id prefix for each category; ``PERF001`` is the first performance rule.
CATEGORY_PREFIX: dict[str, str] = {
    "performance": "PERF", "reliability": "REL", "cost": "COST", "architecture": "ARCH",
    "security": "SEC", "delivery": "DEL", "teams": "ORG", "working-backwards": "PROD",
    "narratives": "DOC", "operations": "OPS",
}
assert set(CATEGORY_PREFIX) == set(CATEGORIES)

_KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class _Strict(BaseModel):
    # defer_build: the packaged catalog is built with model_construct on the hot path (it is
    # validated by the test suite), so the validation schema is only built when needed.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Practice(_Strict):
    """An engineering practice from the digest, paraphrased."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str
    category: Category
    summary: str
    why: str
    digest_section: str
    checkable: bool = True
    not_checkable_reason: str | None = None

    @model_validator(mode="after")
    def _reason_when_not_checkable(self) -> "Practice":
        if not self.checkable and not self.not_checkable_reason:
            raise ValueError("not_checkable_reason is required when checkable is false")
        return self


class OptionSpec(_Strict):
    """A rule option a user may set, with its type and default."""

    type: Literal["int", "float", "str", "bool", "list[str]"]
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None

    @model_validator(mode="after")
    def _default_matches_type(self) -> "OptionSpec":
        self.coerce(self.default)
        return self

    def coerce(self, value: Any) -> Any:
        """Validate ``value`` against this option; raise ``ValueError`` with a plain reason."""
        kind = self.type
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
        elif kind == "list[str]":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"expected a list of strings, got {value!r}")
            return list(value)
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"must be at least {self.minimum:g}, got {value}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"must be at most {self.maximum:g}, got {value}")
        return value


class RuleSpec(_Strict):
    """A rule: which practice it evidences, how severe a failure is, and how to fix it."""

    id: str = Field(pattern=r"^[A-Z]{2,5}[0-9]{3}$")
    name: str
    practice: str
    category: Category
    severity: Literal["error", "warning", "info"]
    scope: Literal["repo", "service"]
    summary: str
    rationale: str
    evidence: str
    remediation: str
    example: str = ""
    options: dict[str, OptionSpec] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not _KEBAB.match(value):
            raise ValueError(f"rule names are kebab-case, got {value!r}")
        return value

    @model_validator(mode="after")
    def _prefix_matches_category(self) -> "RuleSpec":
        prefix = CATEGORY_PREFIX[self.category]
        if not re.fullmatch(prefix + r"[0-9]{3}", self.id):
            raise ValueError(f"a {self.category} rule id starts with {prefix}, got {self.id}")
        return self

    @classmethod
    def construct_trusted(cls, data: dict[str, Any]) -> "RuleSpec":
        """Build from packaged, already-validated data without running validation."""
        options = {name: OptionSpec.model_construct(**spec) for name, spec in (data.get("options") or {}).items()}
        fields = {k: v for k, v in data.items() if k in cls.model_fields and k != "options"}
        defaults = {"example": "", "options": options}
        return cls.model_construct(**{**defaults, **fields, "options": options})

    def default_options(self) -> dict[str, Any]:
        return {name: spec.default for name, spec in self.options.items()}
