"""Desktop applications packaged for people to install: Electron applications built by
electron-builder or Electron Forge, and Tauri applications. A tool, like a Flatpak or an
Android application: each user runs it on their own machine, and its ``package.json``
``main`` is Electron's entry point, not a package other code imports.

Each packager's configuration is read as documented:

* electron-builder (electron.build, "Common Configuration"): the ``build`` key of
  ``package.json``, or ``electron-builder.yml`` (the default ``--config``), ``.yaml``,
  ``.json`` or ``.toml``, holding its options (``appId``, ``productName``, the ``mac``,
  ``win`` and ``linux`` targets...). A ``build`` key counts only in a package that depends on
  ``electron`` or ``electron-builder`` (other tools use that key too). The ``.js``/``.ts``
  forms are code and are not read.
* Electron Forge (electronforge.io, "Configuration"): ``config.forge`` in ``package.json``.
* Tauri (tauri.app, "Configuration"): ``tauri.conf.json`` or ``Tauri.toml`` with the
  application's ``identifier`` (Tauri 2), or ``tauri.bundle.identifier`` (Tauri 1).
"""

from __future__ import annotations

from typing import Any, Iterable

from linter.detectors.kinds.packages import as_dict, first_document, line_of_text
from linter.detectors.kinds.signals import INSTALLED, Signal
from linter.repo.workspace import Workspace

ELECTRON_BUILDER_FILES = frozenset({"electron-builder.yml", "electron-builder.yaml", "electron-builder.json",
                                    "electron-builder.toml"})
#: Options of electron-builder's configuration (electron.build "Common Configuration" and the
#: platform sections); a file holding none of them is not its configuration.
ELECTRON_BUILDER_KEYS = frozenset({"appId", "productName", "directories", "mac", "win", "linux", "nsis", "dmg",
                                   "appx", "snap", "asar", "extraResources", "extraFiles", "electronVersion",
                                   "artifactName", "mas", "pkg", "portable"})
ELECTRON_PACKAGES = ("electron", "electron-builder")
TAURI_FILES = frozenset({"tauri.conf.json", "Tauri.toml"})
DESKTOP_FILES = ELECTRON_BUILDER_FILES | TAURI_FILES | {"package.json"}


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _label(config: dict[Any, Any], fallback: str) -> str:
    for key in ("productName", "appId", "identifier"):
        if isinstance(config.get(key), str) and config[key]:
            return str(config[key])[:60]
    return fallback[:60]


def _electron_builder_config(ws: Workspace, path: str) -> dict[Any, Any] | None:
    if path.endswith(".toml"):
        loaded = ws.read_toml(path)
        data: Any = loaded[0] if loaded else None
    elif path.endswith(".json"):
        data = ws.read_json(path, lenient=True)
    else:
        data = first_document(ws, path)
    if isinstance(data, dict) and ELECTRON_BUILDER_KEYS & {k for k in data if isinstance(k, str)}:
        return data
    return None


def _package_json(ws: Workspace, path: str) -> list[Signal]:
    data = ws.read_json(path)
    if not isinstance(data, dict):
        return []
    name = str(data.get("name") or "the application")
    forge = as_dict(data.get("config")).get("forge")
    if isinstance(forge, (dict, str)) and forge:
        return [Signal(path, line_of_text(ws.read_text(path), '"forge"'), "tool", INSTALLED,
                       f"an Electron desktop application ({name[:60]}) packaged by Electron Forge (config.forge)")]
    build = data.get("build")
    depends = {**as_dict(data.get("dependencies")), **as_dict(data.get("devDependencies"))}
    if isinstance(build, dict) and ELECTRON_BUILDER_KEYS & {k for k in build if isinstance(k, str)} \
            and any(package in depends for package in ELECTRON_PACKAGES):
        return [Signal(path, line_of_text(ws.read_text(path), '"build"'), "tool", INSTALLED,
                       f"an Electron desktop application ({_label(build, name)}) packaged by electron-builder")]
    return []


def _tauri(ws: Workspace, path: str) -> list[Signal]:
    if path.endswith(".toml"):
        loaded = ws.read_toml(path)
        data: Any = loaded[0] if loaded else None
    else:
        data = ws.read_json(path, lenient=True)
    if not isinstance(data, dict):
        return []
    identifier = data.get("identifier")
    if not isinstance(identifier, str):  # Tauri 1: tauri.bundle.identifier
        identifier = as_dict(as_dict(data.get("tauri")).get("bundle")).get("identifier")
    if not isinstance(identifier, str) or not identifier:
        return []
    return [Signal(path, line_of_text(ws.read_text(path), "identifier"), "tool", INSTALLED,
                   f"a Tauri desktop application ({_label(data, identifier)})")]


def signals(ws: Workspace, paths: Iterable[str]) -> list[Signal]:
    """One signal per packaged desktop application, ranked ``INSTALLED``: what such a
    repository ships is the application, over the ``package.json`` or crate it is built from."""
    found: list[Signal] = []
    for path in paths:
        name = _name(path)
        if name in ELECTRON_BUILDER_FILES:
            config = _electron_builder_config(ws, path)
            if config is not None:
                found.append(Signal(path, 1, "tool", INSTALLED,
                                    f"an Electron desktop application ({_label(config, name)}) packaged by "
                                    "electron-builder"))
        elif name in TAURI_FILES:
            found.extend(_tauri(ws, path))
        elif name == "package.json":
            found.extend(_package_json(ws, path))
    return found
