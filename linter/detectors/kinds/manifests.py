"""Manifests that say what a repository ships without being a package: Flatpak application
manifests (a desktop application: a tool people install), browser extensions (a tool people
install into their browser), Grafana plugins (a library: code a host application loads) and
helmfile state files (infrastructure: they deploy charts to clusters, as a Terraform root
configuration does).

A browser extension's ``manifest.json`` (MDN's WebExtensions reference, Chrome's manifest
file format) has the mandatory ``manifest_version`` (2 or 3), ``name`` and ``version``; a web
application's manifest (W3C Web App Manifest, often ``public/manifest.json``) has no
``manifest_version``. A Grafana plugin's ``plugin.json`` (Grafana's plugin.json reference)
has ``id``, ``name``, ``type`` (``app``, ``datasource``, ``panel``, ``renderer``,
``secretsmanager``) and an ``info`` object; other hosts' ``plugin.json`` files (Mattermost's
has ``server``/``webapp`` and no ``type``) say nothing. Neither kind of plugin runs as a
service of its maintainers: each user's browser or Grafana runs it.

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

from linter.detectors.kinds.packages import first_document, line_of_text
from linter.detectors.kinds.signals import INFRA, INSTALLED, PUBLISH, Signal
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


GRAFANA_PLUGIN_TYPES = frozenset({"app", "datasource", "panel", "renderer", "secretsmanager"})


def installed_signals(ws: Workspace, paths: Iterable[str]) -> list[Signal]:
    """Browser extensions (``manifest.json``) and Grafana plugins (``plugin.json``): packages
    for people to install into a browser or a Grafana, ranked ``INSTALLED``."""
    found: list[Signal] = []
    for path in paths:
        name = _name(path)
        if name not in ("manifest.json", "plugin.json"):
            continue
        data = ws.read_json(path, lenient=True)
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            continue
        label = data["name"][:60]
        if name == "manifest.json":
            version = data.get("manifest_version")
            if type(version) is int and version in (2, 3) and isinstance(data.get("version"), str):
                found.append(Signal(path, line_of_text(ws.read_text(path), '"manifest_version"'), "tool", INSTALLED,
                                    f"a browser extension ({label}; manifest_version {version})"))
        elif data.get("type") in GRAFANA_PLUGIN_TYPES and isinstance(data.get("id"), str) \
                and isinstance(data.get("info"), dict):
            found.append(Signal(path, line_of_text(ws.read_text(path), '"type"'), "library", INSTALLED,
                                f"a Grafana {data['type']} plugin ({str(data['id'])[:60]}) that each Grafana installs"))
    return found
