"""Scope discovery: which folders service-scoped rules judge separately, and what each is.

A folder is a scope when it holds a Backstage ``Component`` or matches one of the
configuration's ``services:`` globs. Without either, the whole repository is one scope
(``.``).

Each scope's kind (``linter.kinds``) comes, in this order, from the configuration (a
``services:`` entry's ``kind``, a plain glob meaning ``service``; the top-level ``kind:`` for
the whole repository), from the Backstage Component's ``spec.type``, or from what the folder
holds (``linter.detectors.kinds``), always with the evidence that decided it.
"""

from __future__ import annotations

from typing import Any, Sequence

from linter.detectors import backstage, kinds as kind_signals
from linter.fast_dataclass import dataclass
from linter.kinds import BACKSTAGE_TYPES
from linter.repo.globs import matcher
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of
from linter.results import Evidence, Scope

#: Service scopes a run judges: every rule runs once per scope, so a `services: ["**"]` over
#: tens of thousands of folders (or as many Backstage components) must not make the run, and
#: its report, as large as a repository likes. Real monorepos have hundreds at most.
MAX_SCOPES = 2_000


@dataclass(frozen=True)
class ScopeSettings:
    """What the configuration says about scopes: its ``kind:``, its ``services:`` entries as
    (glob, kind, line) and the file they were read from (for evidence)."""

    kind: str | None = None
    kind_line: int = 0
    entries: tuple[tuple[str, str, int], ...] = ()  # kind "" for a plain glob
    source: str = ""

    @classmethod
    def of(cls, config: Any, source: str = "") -> ScopeSettings:
        lines = getattr(config, "_lines", None)
        raw = lines.get("services") if isinstance(lines, dict) else None
        entries: list[tuple[str, str, int]] = []
        for index, entry in enumerate(config.services):
            line = raw.line_of(index) if hasattr(raw, "line_of") else 0
            if isinstance(entry, str):
                entries.append((entry, "", line))  # a plain glob: a service, unless Backstage says otherwise
            else:
                entries.append((entry.path, entry.kind, line))
        kind_line = line_of(lines, "kind") if isinstance(lines, dict) else 0
        return cls(config.kind, kind_line, tuple(entries), source)


def discover_scopes(ws: Workspace, settings: ScopeSettings, repo_name: str) -> list[Scope]:
    found: dict[str, Scope] = {}
    for entity in ws.facts(backstage.detect).of_kind("component"):
        declared = entity.spec.get("type")
        display = entity.metadata.get("name")
        name = display if isinstance(display, str) else entity.name
        kind = BACKSTAGE_TYPES.get(declared.lower()) if isinstance(declared, str) else None
        scope = Scope(entity.directory, name, "backstage")
        if kind is not None:
            evidence = (Evidence(entity.path, entity.spec_line("type"), f"Backstage Component spec.type: {declared}"),)
            scope = Scope(entity.directory, name, "backstage", kind, "backstage", evidence)
        found.setdefault(entity.directory, scope)
    configured: dict[str, tuple[str, int]] = {}
    for glob, kind, line in settings.entries:
        regex = matcher([glob])
        for directory in ws.directories:
            if regex.match(directory) and directory not in configured:
                configured[directory] = (kind, line)
    for directory, (kind, line) in configured.items():
        known = found.get(directory)
        if known is not None and not kind:
            continue  # a plain glob over a Backstage Component: the catalog says what it is
        kind = kind or "service"
        name = known.name if known else directory.rsplit("/", 1)[-1]
        source = known.source if known else "config"
        evidence = (Evidence(settings.source, line, f"listed under services: (kind {kind})"),) if settings.source else ()
        found[directory] = Scope(directory, name, source, kind, "config", evidence)
    if not found:
        found["."] = Scope(".", repo_name, "default")
    root = found.get(".")
    if root is not None and settings.kind is not None:
        evidence = (Evidence(settings.source, settings.kind_line, f"kind: {settings.kind}"),) if settings.source else ()
        found["."] = Scope(".", root.name, root.source, settings.kind, "config", evidence)
    scopes = sorted(found.values(), key=lambda s: s.path)
    if len(scopes) > MAX_SCOPES:
        ws.note(".", f"more than {MAX_SCOPES} service scopes (Backstage components and services: entries); "
                     f"only the first {MAX_SCOPES} by path are judged")
        scopes = scopes[:MAX_SCOPES]
    return [_inferred(ws, scope, scopes) if scope.kind_source == "none" else scope for scope in scopes]


def _inferred(ws: Workspace, scope: Scope, scopes: Sequence[Scope]) -> Scope:
    nested = [s.path for s in scopes if s.path != scope.path and (scope.path == "." or s.path.startswith(scope.path + "/"))]
    decision = kind_signals.decide(ws.facts(kind_signals.detect), scope.path, nested,
                                   lambda: kind_signals.documents_in(ws, scope.path, nested))
    return Scope(scope.path, scope.name, scope.source, decision.kind, decision.source, decision.evidence)


def kind_reason(scope: Scope) -> str:
    """A clause saying why ``scope`` is of its kind, from its evidence."""
    return kind_signals.reason_for(scope.kind, scope.kind_source, scope.kind_evidence)
