"""User configuration: ``.practicelint.yaml`` or ``[tool.practicelint]`` in ``pyproject.toml``.

Keys may be written kebab-case (``fail-on``) or snake_case (``fail_on``). Unknown keys,
wrong types, unknown rules and unknown rule options are errors that name the file, the
line where known, the field, and the closest valid spelling.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from linter.catalog.model import Kind
from linter.errors import ConfigError
from linter.repo.yamlio import LineDict, load_yaml
from linter.selection import resolve_rule_settings, rule_matches, select_rules, suggest

if TYPE_CHECKING:  # imported by ``_constraints`` when pydantic reads the annotations
    from annotated_types import Ge, Gt, Le, MinLen

__all__ = ["CONFIG_FILE_NAMES", "Config", "ConfigError", "ServiceEntry", "WaiverConfig", "load_config_file", "parse_config",
           "parse_config_text", "resolve_rule_settings", "rule_matches", "select_rules"]

CONFIG_FILE_NAMES = (".practicelint.yaml", ".practicelint.yml")
#: Extra keys are errors when pydantic validates these classes.
_STRICT: dict[str, Any] = {"extra": "forbid"}


def _doc(text: str, **options: Any) -> Any:
    """A field with its description (shown by ``practicelint schema config``)."""
    return field(metadata={"description": text}, **options)


@dataclass
class WaiverConfig:
    """One entry of ``waivers:``: an owned, reasoned, expiring exception to a rule."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    rule: Annotated[str, MinLen(1)] = _doc("Rule id or name.")
    reason: Annotated[str, MinLen(1)] = _doc("Why the rule does not apply or cannot be met yet.")
    owner: Annotated[str, MinLen(1)] = _doc("Who answers for the waiver.")
    expires: date = _doc("Last day the waiver applies (at most max-waiver-days ahead).")
    scope: str | None = _doc("Service folder the waiver covers (default: every scope).", default=None)
    paths: list[str] = _doc("Globs of scopes or evidence paths the waiver covers.", default_factory=list)

    #: where it was written (set when read from a file)
    _source: ClassVar[str] = ""
    _line: ClassVar[int] = 0


@dataclass
class ServiceEntry:
    """One entry of ``services:`` written as a mapping: a glob and the kind of what it matches."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    path: Annotated[str, MinLen(1)] = _doc("Glob of directories, as in the plain form.")
    kind: Kind = _doc("What the matched directories are (default: service).", default="service")


@dataclass
class Config:
    """Every setting, with its default: ``Config()`` is the configuration of a repository that
    has none. Files and the command line are validated against this same class by pydantic
    (``parse_config``), imported only when there is something to validate."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _STRICT

    extends: str | list[str] | None = _doc("Parent configurations: paths or presets (practicelint:strict, practicelint:recommended, practicelint:startup).", default=None)
    select: list[str] | None = _doc("Rule ids, prefixes or names to run (default: all).", default=None)
    extend_select: list[str] = _doc("Rules to add to the selection inherited from parents.", default_factory=list)
    per_path_ignores: dict[str, list[str]] = _doc("Glob of service folders -> rules not run for those services.", default_factory=dict)
    waivers: list[WaiverConfig] = _doc("Owned, expiring exceptions; reported in every format.", default_factory=list)
    max_waiver_days: Annotated[int, Ge(1), Le(3650)] = _doc("How far ahead a waiver may expire (at most 3650 days).", default=180)
    rule_packs: list[str] = _doc("YAML files of custom rules (same schema as rules/, with declarative checks).", default_factory=list)
    ignore: list[str] = _doc("Rule ids, prefixes or names to skip.", default_factory=list)
    fail_on: Literal["error", "warning", "info"] = _doc("Lowest severity whose failure makes the exit code 1.", default="error")
    max_file_size: Annotated[int, Ge(1), Le(64 * 1024 * 1024)] = _doc("Files larger than this many bytes are skipped with a note (at most 64 MiB, so a repository cannot make a run read huge files).", default=1024 * 1024)
    exclude: list[str] = _doc("Globs of paths never indexed.", default_factory=list)
    untracked: Literal["auto", "all", "none"] = _doc("Untracked, not ignored files in a git work tree: all, none, or auto (listed unless the index holds more than 50,000 files, where walking the work tree would cost more than the checks).", default="auto")
    timeout: Annotated[float, Gt(0), Le(86_400)] | None = _doc("Seconds a run may take before it stops with exit code 2 (default 600, or PRACTICELINT_TIMEOUT). A repository's own configuration may only lower it; --config, --policy and --timeout may raise it.", default=None)
    history: Literal["optional", "required"] = _doc("Rules that read git history (DEL002, PROD001, PROD002) on a checkout without the whole history (a shallow clone, a grafted history, no git): optional reports them as skipped (not scored, never failing the run), required as errors (for audits that must judge every rule). `check --require-history` sets required.", default="optional")
    skip_sample_dirs: bool = _doc("Leave examples/, testdata/, fixtures/, mocks/ and similar folders out: their files are samples, not this repository's own configuration.", default=True)
    kind: Kind | None = _doc("What this repository is: service, website, library, tool, infrastructure or documentation (default: inferred from its files; see docs/kinds.md).", default=None)
    services: list[str | ServiceEntry] = _doc("Globs of directories judged as separate scopes: a glob (a service) or {path: glob, kind: library|tool|...}.", default_factory=list)
    teams: dict[str, list[str]] = _doc("Team rosters: team name -> member list.", default_factory=dict)
    rules: dict[str, dict[str, Any]] = _doc("Per-rule options, keyed by rule id or name.", default_factory=dict)
    severity: dict[str, Literal["error", "warning", "info"]] = _doc("Severity overrides, keyed by rule id or name.", default_factory=dict)
    docs_url: str | None = _doc("Where each rule's documentation lives, as an http(s) URL with {rule} (id), {name} or {anchor} (its heading anchor in docs/rules.md) placeholders, e.g. https://example.com/rules.md#{anchor}. SARIF gives it as helpUri; without it reports link to the explanation the HTML report embeds and SARIF has no helpUri.", default=None)

    #: where it was read from (``None`` for defaults and the command line), the line-aware
    #: mapping it came from, and which keys it set: plain attributes, set by ``parse_config``
    _source: ClassVar[str | None] = None
    _lines: ClassVar[Any] = None
    _set_keys: ClassVar[frozenset[str]] = frozenset()

    def teams_with_lines(self) -> dict[str, list[str]]:
        """``teams`` as validated, but as the line-aware mapping when read from YAML (for evidence)."""
        raw = self._lines.get("teams") if isinstance(self._lines, dict) else None
        if isinstance(raw, LineDict) and raw == self.teams:
            return raw
        return self.teams

    @property
    def source(self) -> str | None:
        """Where the configuration was read from (``None`` for defaults)."""
        return self._source

    @property
    def fields_set(self) -> frozenset[str]:
        """The settings this layer wrote (its other values are defaults)."""
        return self._set_keys


def setting_names() -> list[str]:
    return [f.name for f in fields(Config)]


def validated(data: dict[str, Any], source: str) -> Config:
    """``data`` validated by pydantic as a ``Config``; ``ConfigError`` names file, line, field."""
    from pydantic import TypeAdapter, ValidationError

    from linter.catalog.loader import format_validation_error

    global _ADAPTER
    if _ADAPTER is None:
        _constraints()
        _ADAPTER = TypeAdapter(Config)
    try:
        config: Config = _ADAPTER.validate_python(dict(data))
    except ValidationError as exc:
        raise ConfigError(format_validation_error(source, data, exc)) from None
    config._set_keys = frozenset(data)
    return config


_ADAPTER: Any = None


def schema() -> dict[str, Any]:
    """The JSON Schema of ``Config`` (pydantic's, from the same class)."""
    from pydantic import TypeAdapter

    _constraints()
    return TypeAdapter(Config).json_schema()


def _constraints() -> None:
    """Put the constraint markers the annotations name (``Ge``, ``Le``...) in this module's
    namespace, where pydantic resolves the annotations (strings, ``from __future__ import
    annotations``). Imported only then: ``annotated_types`` pulls in ``typing_extensions``,
    which a run without a configuration file never needs."""
    import annotated_types

    globals().update(Ge=annotated_types.Ge, Gt=annotated_types.Gt, Le=annotated_types.Le,
                     MinLen=annotated_types.MinLen)


def _normalise_keys(data: Any) -> Any:
    """Top-level ``fail-on`` -> ``fail_on``, keeping line information."""
    if not isinstance(data, dict):
        return data
    out = LineDict()
    out.line = getattr(data, "line", 0)
    out.key_lines = {}
    for key, value in data.items():
        new_key = key.replace("-", "_") if isinstance(key, str) else key
        out[new_key] = value
        out.key_lines[new_key] = data.line_of(key) if isinstance(data, LineDict) else 0
    return out


def parse_config(data: Any, source: str) -> Config:
    """Validate one configuration mapping; raise ``ConfigError`` with file, line and field."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the configuration must be a mapping")
    data = _normalise_keys(data)
    known = setting_names()
    for key in data:
        if key not in known:
            line = data.line_of(key) if isinstance(data, LineDict) else 0
            where = f"{source}:{line}" if line else source
            raise ConfigError(f"{where}: {key}: unknown setting{suggest(str(key), known)}")
    config = validated(data, source)
    config._source = source
    config._lines = data
    raw_waivers = data.get("waivers")
    for index, waiver in enumerate(config.waivers):
        waiver._source = source
        if isinstance(raw_waivers, list) and hasattr(raw_waivers, "line_of"):
            waiver._line = raw_waivers.line_of(index)
    return config


def load_config_file(path: Path) -> Config:
    """Read a configuration file named on the command line (YAML or pyproject TOML)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    return parse_config_text(text, str(path), toml=path.name.endswith(".toml"))


def parse_config_text(text: str, source: str, *, toml: bool) -> Config:
    if toml:
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{source}: invalid TOML: {exc}") from None
        return parse_config(doc.get("tool", {}).get("practicelint", {}), source)
    parsed = load_yaml(text)
    if parsed.errors:
        raise ConfigError(f"{source}: {parsed.errors[0]}")
    if len(parsed.documents) > 1:
        raise ConfigError(f"{source}: expected one YAML document, found {len(parsed.documents)}")
    return parse_config(parsed.documents[0].data if parsed.documents else {}, source)
