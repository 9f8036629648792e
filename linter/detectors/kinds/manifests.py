"""Manifests that say what a repository ships without being a package: Flatpak application
manifests (a desktop application: a tool people install) and helmfile state files
(infrastructure: they deploy charts to clusters, as a Terraform root configuration does).

Flatpak's manifest (flatpak-manifest(5)) is JSON or YAML with the application's ``app-id``
(``id`` in newer manifests), its ``runtime`` and the ``modules`` it builds; it is named
after the application's reverse-DNS id (``org.gnome.Calculator.json``), at the root or in
``build-aux/flatpak/``. A helmfile (helmfile.readthedocs.io) is YAML with ``releases``, each
a Helm ``chart`` to install, usually beside ``repositories``, ``helmDefaults`` or
``environments``; it is ``helmfile.yaml``, a file of ``helmfile.d/``, or any file passed
with ``helmfile -f`` (so the content decides, not the name). Helmfiles are often Go
templates: one that is not valid YAML says nothing.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from linter.detectors.kinds.packages import first_document
from linter.detectors.kinds.signals import INFRA, PUBLISH, Signal
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

#: ``org.gnome.Calculator.Devel.json``: a reverse-DNS application id (three parts or more)
_APP_ID_FILE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+){2,}\.(?:json|ya?ml)$")
HELMFILE_KEYS = frozenset({"repositories", "helmDefaults", "environments", "helmfiles", "bases"})
HELMFILE_FILES = Prefilter("helmfile-releases", lambda text: "releases:" in text)


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def flatpak_candidates(paths: Iterable[str]) -> list[str]:
    return [p for p in paths if _APP_ID_FILE.match(_name(p))]


def flatpak_signals(ws: Workspace, paths: Iterable[str]) -> list[Signal]:
    found: list[Signal] = []
    for path in flatpak_candidates(paths):
        data: Any = ws.read_json(path, lenient=True) if path.endswith(".json") else first_document(ws, path)
        if not isinstance(data, dict):
            continue
        app = data.get("app-id", data.get("id"))
        if isinstance(app, str) and app and isinstance(data.get("modules"), list) and isinstance(data.get("runtime"), str):
            found.append(Signal(path, 1, "tool", PUBLISH, f"a Flatpak application manifest ({app[:60]})"))
    return found


def _is_helmfile(path: str, data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    releases = data.get("releases")
    if not isinstance(releases, list) or not any(isinstance(r, dict) and isinstance(r.get("chart"), str)
                                                 for r in releases):
        return False
    named = _name(path).startswith("helmfile") or "/helmfile.d/" in f"/{path}"
    return named or bool(HELMFILE_KEYS & set(data))


def helmfile_signals(ws: Workspace, yaml_files: Iterable[str]) -> list[Signal]:
    """One signal per folder of helmfiles (a folder of cluster files is one deployment)."""
    found: list[Signal] = []
    seen: set[str] = set()
    for path, parsed in ws.yaml_passing(list(yaml_files), HELMFILE_FILES):
        folder = path.rsplit("/", 1)[0] if "/" in path else "."
        data = parsed.documents[0].data if parsed.documents else None
        if folder in seen or not _is_helmfile(path, data):
            continue
        seen.add(folder)
        found.append(Signal(path, line_of(data, "releases", 1), "infrastructure", INFRA,
                            "a helmfile (it deploys Helm releases to clusters)"))
    return found
