"""User configuration: ``.practicelint.yaml`` or ``[tool.practicelint]`` in ``pyproject.toml``.

Keys may be written kebab-case (``fail-on``) or snake_case (``fail_on``). Unknown keys,
wrong types, unknown rules and unknown rule options are errors that name the file, the
line where known, the field, and the closest valid spelling.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from linter.catalog.loader import format_validation_error
from linter.errors import ConfigError
from linter.repo.yamlio import LineDict, load_yaml
from linter.selection import resolve_rule_settings, rule_matches, select_rules, suggest
from linter.settings import CONFIG_FILE_NAMES

__all__ = ["CONFIG_FILE_NAMES", "Config", "ConfigError", "WaiverConfig", "load_config_file", "parse_config",
           "parse_config_text", "resolve_rule_settings", "rule_matches", "select_rules"]


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
    max_waiver_days: int = Field(default=180, ge=1, le=3650, description="How far ahead a waiver may expire (at most 3650 days).")
    rule_packs: list[str] = Field(default_factory=list, description="YAML files of custom rules (same schema as rules/, with declarative checks).")
    ignore: list[str] = Field(default_factory=list, description="Rule ids, prefixes or names to skip.")
    fail_on: Literal["error", "warning", "info"] = Field(default="error", description="Lowest severity whose failure makes the exit code 1.")
    max_file_size: int = Field(default=1024 * 1024, ge=1, le=64 * 1024 * 1024, description="Files larger than this many bytes are skipped with a note (at most 64 MiB, so a repository cannot make a run read huge files).")
    exclude: list[str] = Field(default_factory=list, description="Globs of paths never indexed.")
    untracked: Literal["auto", "all", "none"] = Field(default="auto", description="Untracked, not ignored files in a git work tree: all, none, or auto (listed unless the index holds more than 50,000 files, where walking the work tree would cost more than the checks).")
    timeout: float | None = Field(default=None, gt=0, le=86_400, description="Seconds a run may take before it stops with exit code 2 (default 600, or PRACTICELINT_TIMEOUT). A repository's own configuration may only lower it; --config, --policy and --timeout may raise it.")
    skip_sample_dirs: bool = Field(default=True, description="Leave examples/, testdata/, fixtures/, mocks/ and similar folders out: their files are samples, not this repository's own configuration.")
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
            raise ConfigError(f"{where}: {key}: unknown setting{suggest(str(key), known)}")
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
