"""The configuration a run uses when the repository has none: defaults without pydantic.

``linter.config.Config`` (pydantic) validates configuration files and the command line.
When there is neither, nothing needs validating, and importing pydantic alone cost about a
sixth of a small run, so ``linter.configload.merge`` returns a ``DefaultConfig`` instead: the
same attributes with the same defaults (a test compares it with ``Config()`` field by field).
"""

from __future__ import annotations

from typing import Any

from linter.records import dataclass, field

CONFIG_FILE_NAMES = (".practicelint.yaml", ".practicelint.yml")


@dataclass(frozen=True)
class DefaultConfig:
    """Every setting at its default (see ``linter.config.Config`` for what each one means)."""

    extends: str | list[str] | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    waivers: list[Any] = field(default_factory=list)
    max_waiver_days: int = 180
    rule_packs: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "error"
    max_file_size: int = 1024 * 1024
    exclude: list[str] = field(default_factory=list)
    untracked: str = "auto"
    timeout: float | None = None
    skip_sample_dirs: bool = True
    services: list[str] = field(default_factory=list)
    teams: dict[str, list[str]] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)

    _lines = None  # no file, so no line numbers
    source = None  # where the configuration was read from: nowhere

    def teams_with_lines(self) -> dict[str, list[str]]:
        return self.teams
