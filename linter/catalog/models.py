"""Pydantic models that validate ``practices/*.yaml`` and ``rules/*.yaml`` (and packs, plugins).

The models are strict (unknown keys are errors) because the catalog is a public contract:
rule ids, names and option names are what users write in their configuration.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from linter.catalog.entries import CATEGORY_PREFIX, coerce_option

Category = Literal[
    "performance", "reliability", "cost", "architecture", "security",
    "delivery", "teams", "working-backwards", "narratives", "operations",
]

_KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class _Strict(BaseModel):
    # defer_build: a normal run builds linter.catalog.entries without pydantic, so the
    # validation schema is only built when something is validated.
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
        return coerce_option(self.type, value, self.minimum, self.maximum)


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

    def default_options(self) -> dict[str, Any]:
        return {name: spec.default for name, spec in self.options.items()}
