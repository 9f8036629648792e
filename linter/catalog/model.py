"""The catalog's one model: practices, rules and their options, as frozen dataclasses.

The catalog is a public contract (rule ids, names and option names are what users write in
their configuration), so every class is strict: unknown keys, wrong types and broken
cross-field rules are errors. There is one definition of each, used two ways:

* a run builds the packaged catalog straight from its YAML (``from_data``): the classes' own
  ``__post_init__`` checks run, pydantic is never imported (importing it costs more than a
  small repository's checks);
* data that comes from elsewhere (rule packs, plugins) and the packaged catalog in the tests
  (or with ``PRACTICELINT_VALIDATE_CATALOG=1``) is validated by pydantic against these same
  classes (``validate``), which adds type checks and line-numbered error messages.
"""

from __future__ import annotations

import re
from linter.fast_dataclass import dataclass, field
from typing import Any, ClassVar, Literal

Category = Literal[
    "performance", "reliability", "cost", "architecture", "security",
    "delivery", "teams", "working-backwards", "narratives", "operations",
]
#: Rule id prefix of each category; ``PERF001`` is the first performance rule.
CATEGORY_PREFIX: dict[str, str] = {
    "performance": "PERF", "reliability": "REL", "cost": "COST", "architecture": "ARCH",
    "security": "SEC", "delivery": "DEL", "teams": "ORG", "working-backwards": "PROD",
    "narratives": "DOC", "operations": "OPS",
}
Kind = Literal["service", "website", "library", "tool", "infrastructure", "documentation"]
#: Every kind of scope, in the order reports list them (``linter.kinds.KINDS``).
ALL_KINDS: tuple[Kind, ...] = ("service", "website", "library", "tool", "infrastructure", "documentation")
_KEBAB = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_PRACTICE_ID = re.compile(r"[a-z][a-z0-9-]*")
_RULE_ID = re.compile(r"[A-Z]{2,5}[0-9]{3}")
#: Extra keys are errors when pydantic validates one of these classes.
_STRICT: dict[str, Any] = {"extra": "forbid"}


def coerce_option(kind: str, value: Any, minimum: float | None = None, maximum: float | None = None) -> Any:
    """Check ``value`` against an option of type ``kind``; ``ValueError`` gives a plain reason.

    For ``list[str]``, ``minimum`` and ``maximum`` bound the number of items."""
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
class OptionSpec:
    """A rule option a user may set: its type, default (written only here) and limits.

    The classes' own checks (``__post_init__``) name the field they refuse as ``field:
    reason``, so a pydantic error puts them on the field's line (``format_validation_error``)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    type: Literal["int", "float", "str", "bool", "list[str]"]
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self) -> None:
        try:
            self.coerce(self.default)
        except ValueError as exc:
            raise ValueError(f"default: {exc}") from None

    def coerce(self, value: Any) -> Any:
        """Validate ``value`` against this option; raise ``ValueError`` with a plain reason."""
        return coerce_option(self.type, value, self.minimum, self.maximum)


@dataclass(frozen=True)
class Practice:
    """An engineering practice from the digest, paraphrased."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    id: str
    title: str
    category: Category
    summary: str
    why: str
    digest_section: str
    checkable: bool = True
    not_checkable_reason: str | None = None

    def __post_init__(self) -> None:
        if not _PRACTICE_ID.fullmatch(self.id):
            raise ValueError(f"id: practice ids are lower-case words joined by '-', got {self.id!r}")
        if not self.checkable and not self.not_checkable_reason:
            raise ValueError("not_checkable_reason: required when checkable is false")

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Practice:
        return cls(**data)


@dataclass(frozen=True)
class RuleSpec:
    """A rule: which practice it evidences, how severe a failure is, and how to fix it."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    id: str
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
    options: dict[str, OptionSpec] = field(default_factory=dict, compare=False, hash=False)
    #: The kinds of scope the rule judges (``linter.kinds``); elsewhere its result is
    #: ``not_applicable``. ``all`` in YAML (and the default) is every kind.
    applies_to: tuple[Kind, ...] | Literal["all"] = ALL_KINDS
    #: The maturity level the rule's pass is part of (``docs/levels.md``): 1 the basics every
    #: well-run project has, 2 automated supply-chain hygiene, 3 the digest's practices in full.
    level: Literal[1, 2, 3] = 3

    def __post_init__(self) -> None:
        if isinstance(self.applies_to, str):  # "all" (or one kind) as written in YAML
            object.__setattr__(self, "applies_to", ALL_KINDS if self.applies_to == "all" else (self.applies_to,))
        unknown = [k for k in self.applies_to if k not in ALL_KINDS]
        if unknown or not self.applies_to:
            raise ValueError(f"applies_to: kinds are 'all' or a list of {', '.join(ALL_KINDS)}; got {unknown or 'none'}")
        object.__setattr__(self, "applies_to", tuple(k for k in ALL_KINDS if k in self.applies_to))
        if not _RULE_ID.fullmatch(self.id):
            raise ValueError(f"id: rule ids are 2-5 capital letters and three digits, got {self.id!r}")
        if not _KEBAB.fullmatch(self.name):
            raise ValueError(f"name: rule names are kebab-case, got {self.name!r}")
        self._check_prefix()

    def _check_prefix(self) -> None:
        """A built-in rule's id starts with its category's prefix (rule packs use their own)."""
        prefix = CATEGORY_PREFIX[self.category]
        if not re.fullmatch(prefix + r"[0-9]{3}", self.id):
            raise ValueError(f"id: a {self.category} rule id starts with {prefix}, got {self.id}")

    def default_options(self) -> dict[str, Any]:
        return {name: spec.default for name, spec in self.options.items()}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> RuleSpec:
        """From trusted YAML (the packaged catalog): options become ``OptionSpec`` objects."""
        options = {name: OptionSpec(**spec) for name, spec in (data.get("options") or {}).items()}
        return cls(**{**data, "options": options})


@dataclass(frozen=True)
class ExtensionRule(RuleSpec):
    """A rule from a rule pack or a plugin: its id uses the extension's own prefix, which the
    loader checks against the built-in categories and the other extensions."""

    def _check_prefix(self) -> None:
        pass


def validate(model: type, data: Any) -> Any:
    """``data`` validated by pydantic as an instance of ``model`` (a class of this module, or a
    subclass such as a rule pack's rule); raises ``pydantic.ValidationError``."""
    from pydantic import TypeAdapter

    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS[model] = TypeAdapter(model)
    return adapter.validate_python(data)


_ADAPTERS: dict[type, Any] = {}
