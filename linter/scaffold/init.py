"""``practicelint init``: a commented ``.practicelint.yaml`` from what the repository holds.

It detects services (Backstage components through ``discover_scopes``, plus the folders
where deployable units are, ``repo_facts.service_candidates``, written as ``services:``
globs) and package ecosystems (listed as comments: no setting takes them), and
writes a configuration that validates against ``linter.config``. An existing configuration
is never overwritten: the user edits or removes it.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from linter.config import CONFIG_FILE_NAMES, ConfigError, parse_config_text
from linter.detectors import kinds as kind_signals
from linter.detectors.services import ScopeSettings, discover_scopes
from linter.fast_dataclass import dataclass, field
from linter.repo.workspace import Workspace
from linter.results import Scope
from linter.scaffold import repo_facts
from linter.scaffold.repo_facts import Ecosystem, ServiceCandidate
from linter.scaffold.templating import render

SCHEMA_URL = "https://raw.githubusercontent.com/practicelint/practicelint/main/docs/config.schema.json"
CONFIG_NAME = ".practicelint.yaml"
#: The example waiver expires this many days after today (well within max-waiver-days).
EXAMPLE_WAIVER_DAYS = 90


class InitError(Exception):
    """``init`` cannot proceed (exit code 2): an existing configuration, an unusable path."""


@dataclass
class InitPlan:
    """What ``init`` found and the configuration text it would write."""

    path: Path
    backstage: list[Scope] = field(default_factory=list)
    candidates: list[ServiceCandidate] = field(default_factory=list)
    globs: list[str] = field(default_factory=list)
    #: folders a proposed ``parent/*`` glob matches that hold no deployable unit
    extra: list[str] = field(default_factory=list)
    ecosystems: list[Ecosystem] = field(default_factory=list)
    kind: kind_signals.KindDecision | None = None  # the repository's, when it is one scope
    text: str = ""

    def summary(self) -> list[str]:
        """Human lines: what was detected, for the terminal."""
        lines = []
        if self.backstage:
            lines.append("services from the Backstage catalog: "
                         + ", ".join(f"{s.name} ({s.path})" for s in self.backstage))
        if self.globs:
            lines.append("deployable units: "
                         + ", ".join(f"{c.path} ({c.marker})" for c in self.candidates)
                         + f" -> services: {', '.join(self.globs)}")
            if self.extra:
                lines.append("the globs also match folders without one (judged as services too): "
                             + ", ".join(self.extra))
        if not self.backstage and not self.globs:
            kind = self.kind.kind if self.kind else "unknown"
            lines.append(f"services: none found; the repository is judged as one scope of kind {kind}"
                         + (f" ({self.kind.reason})" if self.kind and self.kind.reason else ""))
        if self.ecosystems:
            lines.append("package ecosystems: " + "; ".join(
                f"{e.name} ({', '.join(e.directories)})" for e in self.ecosystems))
        else:
            lines.append("package ecosystems: none found")
        return lines


def existing_config(root: Path) -> Path | None:
    """The configuration ``check`` would read: a YAML file or ``[tool.practicelint]``."""
    for name in CONFIG_FILE_NAMES:
        if (root / name).is_file():
            return root / name
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            text = pyproject.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        if "[tool.practicelint" in text:
            return pyproject
    return None


def plan(root: Path, today: date) -> InitPlan:
    """Detect services and ecosystems under ``root`` and render the configuration."""
    if not root.is_dir():
        raise InitError(f"{root}: not a directory")
    found = existing_config(root)
    if found is not None:
        where = "[tool.practicelint] in " + found.name if found.name == "pyproject.toml" else found.name
        raise InitError(f"{root / found.name}: a configuration already exists ({where}); init never overwrites "
                        "it: edit it, or move it away and run init again")
    ws = Workspace(root)
    result = InitPlan(path=root / CONFIG_NAME)
    result.backstage = [s for s in discover_scopes(ws, ScopeSettings(), root.name) if s.source == "backstage"]
    covered = {s.path for s in result.backstage}
    result.candidates = [c for c in repo_facts.service_candidates(ws) if c.path not in covered]
    result.globs = repo_facts.service_globs(ws, result.candidates)
    result.extra = repo_facts.glob_extras(ws, result.candidates, result.globs)
    result.ecosystems = repo_facts.detect_ecosystems(ws)
    if not result.backstage and not result.globs:
        # one scope, the repository: say what it is (a monorepo's services are services)
        result.kind = kind_signals.decide(ws.facts(kind_signals.detect), ".", (),
                                          lambda: kind_signals.documents_in(ws, ".", ()))
    result.text = render(
        "practicelint.yaml.j2", schema_url=SCHEMA_URL, today=today.isoformat(), backstage=result.backstage,
        candidates=result.candidates, globs=result.globs, extra=result.extra, ecosystems=result.ecosystems,
        kind=result.kind,
        example_owner="platform-team", waiver_expiry=(today + timedelta(days=EXAMPLE_WAIVER_DAYS)).isoformat())
    validate(result.text, str(result.path))
    return result


def validate(text: str, source: str) -> None:
    """The written configuration must load: a template bug is an error, never a broken file."""
    try:
        parse_config_text(text, source, toml=False)
    except ConfigError as exc:
        raise InitError(f"internal error: the generated configuration does not validate: {exc}") from None


def write(result: InitPlan) -> None:
    """Create the file; ``x`` mode refuses a file that appeared since the plan was made."""
    try:
        with result.path.open("x", encoding="utf-8") as handle:
            handle.write(result.text)
    except FileExistsError:
        raise InitError(f"{result.path}: already exists; init never overwrites it") from None
    except OSError as exc:
        raise InitError(f"{result.path}: cannot write: {exc.strerror}") from None
