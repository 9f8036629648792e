"""Service discovery: which folders are the scopes that service-scoped rules judge.

A folder is a service when it holds a Backstage ``Component`` of type ``service`` or
``website``, or when it matches one of the configuration's ``services:`` globs. Without
either, the whole repository is one service (scope ``.``).
"""

from __future__ import annotations

from linter.detectors import backstage
from linter.repo.globs import matcher
from linter.repo.workspace import Workspace
from linter.results import Scope

SERVICE_COMPONENT_TYPES = frozenset({"service", "website"})


def discover_scopes(ws: Workspace, service_globs: list[str], repo_name: str) -> list[Scope]:
    found: dict[str, Scope] = {}
    for entity in ws.facts(backstage.detect).of_kind("component"):
        kind = entity.spec.get("type")
        if isinstance(kind, str) and kind.lower() in SERVICE_COMPONENT_TYPES:
            display = entity.metadata.get("name")
            name = display if isinstance(display, str) else entity.name
            found.setdefault(entity.directory, Scope(entity.directory, name, "backstage"))
    if service_globs:
        regex = matcher(service_globs)
        for directory in ws.directories:
            if regex.match(directory) and directory not in found:
                found[directory] = Scope(directory, directory.rsplit("/", 1)[-1], "config")
    if not found:
        return [Scope(".", repo_name, "default")]
    return sorted(found.values(), key=lambda s: s.path)
