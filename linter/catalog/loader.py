"""Find, read and (on request) validate the packaged catalog.

In a wheel the catalog ships as ``linter/_catalog/{practices,rules}``; in a source checkout
(including editable installs) it is read from the repository's top-level folders. A run
builds the ``linter.catalog.model`` classes straight from the YAML; pydantic validates the
same classes only when asked (tests, ``PRACTICELINT_VALIDATE_CATALOG=1``).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import yaml

from linter.catalog.model import Practice, RuleSpec
from linter.catalog.model import validate as validate_model
from linter.errors import CatalogError
from linter.fast_dataclass import dataclass
from linter.repo.yamlio import LineDict, load_yaml
from linter.results_order import CATEGORIES

if TYPE_CHECKING:
    from pydantic import ValidationError

_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["Catalog", "CatalogError", "format_validation_error", "load_catalog", "load_catalog_from"]


def format_validation_error(path: str, data: object, exc: ValidationError) -> str:
    """Render a pydantic error as ``file:line: field: reason`` lines. A class's own check
    that names its field (``"name: rule names are kebab-case"``) is placed on that field."""
    lines = []
    for err in exc.errors():
        loc = [part for part in err["loc"] if part not in ("function-after",)]
        message = err["msg"]
        named = _NAMED_FIELD.match(message)
        if named and named.group(2) not in ("", None):
            loc = [*loc, named.group(2)]
            message = named.group(3)
        if err["type"] in ("unexpected_keyword_argument", "extra_forbidden"):
            message = "unknown key"
        line_no = _line_for(data, loc)
        field = ".".join(str(part) for part in loc) or "(document)"
        where = f"{path}:{line_no}" if line_no else path
        lines.append(f"{where}: {field}: {message}")
    return "\n".join(lines)


_NAMED_FIELD = re.compile(r"(Value error, )([a-z_]+): (.*)", re.S)


def _line_for(data: object, loc: list[object]) -> int:
    """Deepest known line for a pydantic error location in line-aware YAML data."""
    best = getattr(data, "line", 0)
    current = data
    for part in loc:
        if isinstance(current, LineDict) and part in current:
            best = current.line_of(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            best = current.line_of(part) if hasattr(current, "line_of") else best
            current = current[part]
        else:
            break
    return best


@dataclass(frozen=True)
class Catalog:
    """Practices and rules by id (rule packs' rules are ``RuleSpec`` subclasses)."""

    practices: dict[str, Practice]
    rules: dict[str, RuleSpec]

    def rule(self, key: str) -> RuleSpec | None:
        """Look a rule up by id or by name (case-insensitive id); ``None`` when unknown."""
        key_upper = key.upper()
        if key_upper in self.rules:
            return self.rules[key_upper]
        for rule in self.rules.values():
            if rule.name == key:
                return rule
        return None


def _load_dir(directory: Path, kind: str, build: Callable[[dict[str, Any]], Any], validate: bool) -> dict[str, Any]:
    items: dict[str, Any] = {}
    if not directory.is_dir():
        raise CatalogError(f"{directory}: {kind} catalog folder not found")
    for path in sorted(directory.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if validate:  # line-aware, so errors name the line
            parsed = load_yaml(text)
            if parsed.errors:
                raise CatalogError(f"{path}: {parsed.errors[0]}")
            if len(parsed.documents) != 1 or not isinstance(parsed.documents[0].data, dict):
                raise CatalogError(f"{path}: expected exactly one YAML mapping")
            item = _validated(kind, path, parsed.documents[0].data)
        else:  # the packaged, tested catalog: libyaml's plain loader is three times faster
            try:
                data = yaml.load(text, Loader=_FAST_LOADER)
            except yaml.YAMLError as exc:
                raise CatalogError(f"{path}: {exc}") from None
            if not isinstance(data, dict):
                raise CatalogError(f"{path}: expected exactly one YAML mapping")
            try:
                item = build(dict(data))
            except (TypeError, ValueError) as exc:
                raise CatalogError(f"{path}: {exc}") from None
        if item.id in items:
            raise CatalogError(f"{path}: duplicate {kind} id {item.id}")
        items[item.id] = item
    return items


def _validated(kind: str, path: Path, data: Any) -> Any:
    """``data`` validated by pydantic as a ``Practice`` or ``RuleSpec``."""
    from pydantic import ValidationError

    try:
        return validate_model(Practice if kind == "practice" else RuleSpec, data)
    except ValidationError as exc:
        raise CatalogError(format_validation_error(str(path), data, exc)) from None


def load_catalog_from(practices_dir: Path, rules_dir: Path, *, validate: bool = True) -> Catalog:
    """Load a catalog; ``validate=False`` trusts the files (the packaged catalog, validated by tests)."""
    practices = _load_dir(practices_dir, "practice", Practice.from_data, validate)
    rules = _load_dir(rules_dir, "rule", RuleSpec.from_data, validate)
    names: set[str] = set()
    for rule in rules.values():
        where = rules_dir / f"{rule.id}.yaml"
        practice = practices.get(rule.practice)
        if practice is None:
            raise CatalogError(f"{where}: practice: unknown practice {rule.practice!r}")
        if practice.category != rule.category:
            raise CatalogError(
                f"{where}: category: rule is {rule.category!r} but practice {practice.id} is {practice.category!r}"
            )
        if rule.name in names:
            raise CatalogError(f"{where}: name: duplicate rule name {rule.name!r}")
        names.add(rule.name)
    ordered = sorted(rules.items(), key=lambda kv: (CATEGORIES.index(kv[1].category), kv[0]))
    return Catalog(practices=dict(sorted(practices.items())), rules=dict(ordered))


def catalog_dirs() -> tuple[Path, Path]:
    """``(practices, rules)`` folders: packaged in the wheel, or the checkout's top level."""
    packaged = Path(__file__).resolve().parents[1] / "_catalog"
    if (packaged / "rules").is_dir():
        return packaged / "practices", packaged / "rules"
    source = Path(__file__).resolve().parents[2]
    return source / "practices", source / "rules"


VALIDATE_ENV = "PRACTICELINT_VALIDATE_CATALOG"


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The packaged catalog.

    Its files are validated by pydantic in the test suite (and whenever
    ``PRACTICELINT_VALIDATE_CATALOG=1``); a normal run builds the same classes directly, without
    pydantic, whose import costs more than a small repository's checks. Their own checks
    (ids, names, prefixes, option defaults) and the cross-references still run.
    """
    return load_catalog_from(*catalog_dirs(), validate=os.environ.get(VALIDATE_ENV) == "1")
