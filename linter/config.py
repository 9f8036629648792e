"""User configuration: ``.practicelint.yaml`` or ``[tool.practicelint]`` in ``pyproject.toml``.

Keys may be written kebab-case (``fail-on``) or snake_case (``fail_on``). Unknown keys,
wrong types, unknown rules and unknown rule options are errors that name the file, the
line where known, the field, and the closest valid spelling.
"""

from __future__ import annotations

import difflib
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from linter.catalog.loader import Catalog, CatalogError, format_validation_error
from linter.repo.yamlio import LineDict, load_yaml

CONFIG_FILE_NAMES = (".practicelint.yaml", ".practicelint.yml")


class ConfigError(CatalogError):
    """Invalid user configuration (exit code 2)."""


class WaiverConfig(BaseModel):
    """One entry of ``waivers:``: an owned, reasoned, expiring exception to a rule."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    rule: str = Field(min_length=1, description="Rule id or name.")
    scope: str | None = Field(default=None, description="Service folder the waiver covers (default: every scope).")
    paths: list[str] = Field(default_factory=list, description="Globs of scopes or evidence paths the waiver covers.")
    reason: str = Field(min_length=1, description="Why the rule does not apply or cannot be met yet.")
    owner: str = Field(min_length=1, description="Who answers for the waiver.")
    expires: date = Field(description="Last day the waiver applies (at most max-waiver-days ahead).")

    _source: str = PrivateAttr(default="")
    _line: int = PrivateAttr(default=0)


class Config(BaseModel):
    # defer_build: a repository without configuration never pays for building the schema
    model_config = ConfigDict(extra="forbid", defer_build=True)

    extends: str | list[str] | None = Field(default=None, description="Parent configurations: paths or presets (practicelint:strict, practicelint:recommended, practicelint:startup).")
    select: list[str] | None = Field(default=None, description="Rule ids, prefixes or names to run (default: all).")
    extend_select: list[str] = Field(default_factory=list, description="Rules to add to the selection inherited from parents.")
    per_path_ignores: dict[str, list[str]] = Field(default_factory=dict, description="Glob of service folders -> rules not run for those services.")
    waivers: list[WaiverConfig] = Field(default_factory=list, description="Owned, expiring exceptions; reported in every format.")
    max_waiver_days: int = Field(default=180, ge=1, description="How far ahead a waiver may expire.")
    rule_packs: list[str] = Field(default_factory=list, description="YAML files of custom rules (same schema as rules/, with declarative checks).")
    ignore: list[str] = Field(default_factory=list, description="Rule ids, prefixes or names to skip.")
    fail_on: Literal["error", "warning", "info"] = Field(default="error", description="Lowest severity whose failure makes the exit code 1.")
    max_file_size: int = Field(default=1024 * 1024, ge=1, le=64 * 1024 * 1024, description="Files larger than this many bytes are skipped with a note (at most 64 MiB, so a repository cannot make a run read huge files).")
    exclude: list[str] = Field(default_factory=list, description="Globs of paths never indexed.")
    untracked: Literal["auto", "all", "none"] = Field(default="auto", description="Untracked, not ignored files in a git work tree: all, none, or auto (listed unless the index holds more than 50,000 files, where walking the work tree would cost more than the checks).")
    skip_sample_dirs: bool = Field(default=True, description="Leave examples/, testdata/, fixtures/ and similar folders out: their files are samples, not this repository's own configuration.")
    services: list[str] = Field(default_factory=list, description="Globs of directories that are services.")
    teams: dict[str, list[str]] = Field(default_factory=dict, description="Team rosters: team name -> member list.")
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict, description="Per-rule options, keyed by rule id or name.")
    severity: dict[str, Literal["error", "warning", "info"]] = Field(default_factory=dict, description="Severity overrides, keyed by rule id or name.")

    _source: str | None = PrivateAttr(default=None)
    _lines: Any = PrivateAttr(default=None)

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


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def parse_config(data: Any, source: str) -> Config:
    """Validate one configuration mapping; raise ``ConfigError`` with file, line and field."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the configuration must be a mapping")
    data = _normalise_keys(data)
    known = list(Config.model_fields)
    for key in data:
        if key not in known:
            line = data.line_of(key) if isinstance(data, LineDict) else 0
            where = f"{source}:{line}" if line else source
            raise ConfigError(f"{where}: {key}: unknown setting{_suggest(str(key), known)}")
    try:
        config = Config.model_validate(dict(data))
    except ValidationError as exc:
        raise ConfigError(format_validation_error(source, data, exc)) from None
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


def resolve_rule_settings(config: Config, catalog: Catalog) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Validate ``rules:`` options and ``severity:`` overrides against the catalog.

    Returns options and severities keyed by rule id. Raises ``ConfigError``.
    """
    source = config.source or "configuration"
    lines: Any = config._lines or {}
    rule_keys = sorted(list(catalog.rules) + [r.name for r in catalog.rules.values()])

    def where(*path: Any) -> str:
        """``file:line`` of the deepest part of ``path`` that the YAML source located."""
        line = 0
        node: Any = lines
        for part in path:
            if isinstance(node, LineDict) and part in node:
                line = node.line_of(part)
                node = node[part]
            else:
                break
        return f"{source}:{line}" if line else source

    options: dict[str, dict[str, Any]] = {}
    for key, values in config.rules.items():
        rule = catalog.rule(key)
        if rule is None:
            raise ConfigError(f"{where('rules', key)}: rules.{key}: unknown rule{_suggest(key, rule_keys)}")
        merged = rule.default_options()
        for opt, value in (values or {}).items():
            spec = rule.options.get(opt)
            if spec is None:
                hint = _suggest(str(opt), list(rule.options)) or (
                    f" ({rule.id} has no options)" if not rule.options else f" (options: {', '.join(rule.options)})")
                raise ConfigError(f"{where('rules', key, opt)}: rules.{key}.{opt}: unknown option{hint}")
            try:
                merged[opt] = spec.coerce(value)
            except ValueError as exc:
                raise ConfigError(f"{where('rules', key, opt)}: rules.{key}.{opt}: {exc}") from None
        options[rule.id] = merged
    severities: dict[str, str] = {}
    for key, level in config.severity.items():
        rule = catalog.rule(key)
        if rule is None:
            raise ConfigError(f"{where('severity', key)}: severity.{key}: unknown rule{_suggest(key, rule_keys)}")
        severities[rule.id] = level
    return options, severities


def rule_matches(catalog: Catalog, rule_id: str, token: str) -> bool:
    """A selector matches a rule by id prefix (``SEC``, ``PERF001``), by name, or ``ALL``."""
    token = token.strip()
    return token.upper() == "ALL" or rule_id.startswith(token.upper()) or catalog.rules[rule_id].name == token


def select_rules(catalog: Catalog, select: list[str] | None, ignore: list[str],
                 extend: list[str] | None = None) -> list[str]:
    """Rule ids chosen by ids, id prefixes (``SEC``, ``PERF0``) or names; ``ALL`` selects all.

    ``extend`` (``extend-select``) adds rules to what ``select`` chose; ``ignore`` wins over both.
    """

    def matches(rule_id: str, token: str) -> bool:
        return rule_matches(catalog, rule_id, token)

    def check_tokens(tokens: list[str], flag: str) -> None:
        for token in tokens:
            if not any(matches(rid, token) for rid in catalog.rules):
                choices = list(catalog.rules) + [r.name for r in catalog.rules.values()]
                raise ConfigError(f"{flag}: {token}: matches no rule{_suggest(token, choices)}")

    chosen = list(catalog.rules)
    if select:
        check_tokens(select, "select")
        extra = extend or []
        check_tokens(extra, "extend-select")
        chosen = [rid for rid in chosen if any(matches(rid, t) for t in [*select, *extra])]
    if ignore:
        check_tokens(ignore, "ignore")
        chosen = [rid for rid in chosen if not any(matches(rid, t) for t in ignore)]
    return chosen
