"""The compliance record every report carries: as of when, of what, under which rules.

An auditor reading a report asks first when it was made, of which commit of which
repository, by which version of the tool, under which configuration and with which
exceptions. ``Report`` already holds the commit, the tool version and the waivers; this
module adds the rest (``Record``), computed once per run by the engine, so every reporter
shows the same values.

* **When**: the run's clock (the same ``now`` the time-based rules use), in UTC to the
  second, with where it came from: ``PRACTICELINT_NOW`` (pinned, reproducible),
  ``system clock``, or ``set by the caller`` (a program that called the engine with a time of
  its own, such as an audit that judges every repository as of its start).
* **Where from**: the repository's remote URL, read from ``.git/config`` (``origin``, else the
  only remote) with credentials and secret query parameters removed
  (``linter.audit.inputs.redact``); ``None`` outside git or without a remote.
* **Under which rules**: ``sha256:`` of the *effective* configuration (every setting after
  merging ``extends:`` parents, the repository's file and the command line, defaults
  included) written as canonical JSON (``canonical_config``), and the files it was read
  from. Two runs with the same digest applied the same settings, whatever the files looked
  like (comments, key order, kebab or snake case); a rule pack's content is not part of it,
  only its path.

A pinned clock keeps the record deterministic: same input, same ``PRACTICELINT_NOW``, same
bytes in every format.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from linter.errors import ConfigError
from linter.fast_dataclass import dataclass

if TYPE_CHECKING:
    from linter.config import Config

NOW_ENV = "PRACTICELINT_NOW"
CLOCK_PINNED = NOW_ENV
CLOCK_SYSTEM = "system clock"
CLOCK_CALLER = "set by the caller"
#: ``docs-url`` placeholders: the rule id, its name, and its heading anchor in docs/rules.md.
DOCS_PLACEHOLDERS = ("{rule}", "{name}", "{anchor}")
_DOCS_URL = re.compile(r"^https?://[^\s\"'<>\\^`{|}\x00-\x1f\x7f]+$")


@dataclass(frozen=True)
class Record:
    """What a report was made under (see the module docstring)."""

    generated_at: datetime  # aware, UTC, whole seconds
    clock: str  # CLOCK_PINNED | CLOCK_SYSTEM | CLOCK_CALLER
    remote: str | None  # credentials removed
    config_digest: str  # "sha256:<hex>"
    config_files: tuple[str, ...] = ()  # parents first; presets as practicelint:<name>
    baseline: str | None = None  # the baseline file in use, as given
    docs_url: str | None = None  # the configured documentation URL template, if any

    @property
    def remote_uri(self) -> str | None:
        """The remote as an absolute URI (SARIF's ``repositoryUri``), or ``None``."""
        from linter.repo.remotes import repository_uri

        return repository_uri(self.remote) if self.remote else None

    @property
    def generated_iso(self) -> str:
        """``2026-12-01T00:00:00Z``: for machines (JSON, SARIF, JUnit)."""
        return self.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def generated_text(self) -> str:
        """``2026-12-01 00:00:00 UTC``: for people (text, Markdown, HTML)."""
        return self.generated_at.strftime("%Y-%m-%d %H:%M:%S UTC")

    @property
    def digest_short(self) -> str:
        """``sha256:0123456789ab``: enough to compare two reports by eye."""
        return self.config_digest[:19]


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC to the second (a naive time is taken as UTC, as ``PRACTICELINT_NOW`` is)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(timezone.utc).replace(microsecond=0)


def clock_source(given: datetime | None) -> str:
    """Where the run's time came from: ``given`` (a time the caller passed) counts as the pinned
    clock when it is exactly the time ``PRACTICELINT_NOW`` pins (an audit passes the time it
    read from that clock)."""
    pinned = os.environ.get(NOW_ENV)
    if given is None:
        return CLOCK_PINNED if pinned else CLOCK_SYSTEM
    try:
        if pinned and utc(datetime.fromisoformat(pinned)) == utc(given):
            return CLOCK_PINNED
    except ValueError:
        pass
    return CLOCK_CALLER


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def canonical_config(config: Config) -> str:
    """The effective configuration as canonical JSON: every setting by its Python name
    (``fail_on``), keys sorted, no spaces, dates as ISO text, UTF-8 as is."""
    data = dataclasses.asdict(config)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain)


def _sha256(data: bytes) -> str:
    """The sha256 of ``data`` from the interpreter's built-in implementation when there is one
    (the same digest): ``hashlib`` loads OpenSSL, which a plain check otherwise never needs."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # CPython 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found,no-redef]  # CPython 3.12+
        except ImportError:
            from hashlib import sha256  # type: ignore[assignment]
    return sha256(data).hexdigest()  # type: ignore[no-any-return]


def config_digest(config: Config) -> str:
    return "sha256:" + _sha256(canonical_config(config).encode("utf-8", "surrogatepass"))


def check_docs_url(template: str | None, source: str = "configuration") -> str | None:
    """``docs-url`` validated: an http(s) URL without spaces or quotes (it becomes a link in
    every report); ``ConfigError`` otherwise."""
    if template is None:
        return None
    if not _DOCS_URL.match(template.replace("{rule}", "x").replace("{name}", "x").replace("{anchor}", "x")):
        raise ConfigError(f"{source}: docs-url: expected an http(s) URL with optional {{rule}}, {{name}} or "
                          f"{{anchor}} placeholders, got {template[:200]!r}")
    return template


def docs_link(template: str | None, rule_id: str, name: str) -> str | None:
    """The configured documentation URL of a rule, or ``None`` when none is configured (a
    report then links to the explanation it embeds, never to a page that may not exist)."""
    if not template:
        return None
    from linter.reporters.sarif import rule_anchor

    values = {"{rule}": rule_id, "{name}": name, "{anchor}": rule_anchor(rule_id, name)}
    out = template
    for placeholder, value in values.items():
        out = out.replace(placeholder, quote(value, safe="-._~"))
    return out


def build(config: Config, layers: list[str], now: datetime, clock: str, remote: str | None,
          baseline: str | None) -> Record:
    return Record(generated_at=utc(now), clock=clock, remote=remote, config_digest=config_digest(config),
                  config_files=tuple(layers), baseline=baseline,
                  docs_url=config.docs_url)
