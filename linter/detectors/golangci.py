"""golangci-lint configuration: whether the linters it runs include gosec, Go's SAST analyser.

golangci-lint reads ``.golangci.yml``, ``.golangci.yaml``, ``.golangci.toml`` or
``.golangci.json`` (in that order) from the folder it runs in, then from its parents. Which
linters run depends on the file's format version
(https://golangci-lint.run/usage/configuration/):

* version 2 (``version: "2"``): ``linters.default`` is ``standard`` (errcheck, govet,
  ineffassign, staticcheck, unused), ``all``, ``none`` or ``fast``; ``linters.enable`` adds to
  it and ``linters.disable`` takes away;
* version 1 (no ``version``): the default set (without gosec), ``linters.enable-all``,
  ``linters.disable-all``, ``linters.presets`` (gosec is in the ``bugs`` preset), then
  ``enable`` and ``disable``.

So gosec runs when enabled by name, or by ``default: all`` / ``enable-all`` / the ``bugs``
preset without being disabled. Names are compared case-insensitively, as golangci-lint does.
Comments are never data: the file is parsed, not searched.

Which file a run uses: the one its command line names (``-c``/``--config``, relative to the
folder it runs in; the action's ``args`` input, relative to its ``working-directory``), else
the nearest by name from that folder up. So the files CI names explicitly are read too, in
the format their extension says (golangci-lint's own rule), as long as they are inside the
repository.
"""

from __future__ import annotations

import posixpath
from typing import Any

from linter.detectors import ci
from linter.detectors.ci.model import ResolvedCommand, as_dict, as_list, first_mapping, text_of
from linter.detectors.ci.tables.security import golangci_config
from linter.fast_dataclass import dataclass
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

#: The names golangci-lint looks for, in its order of preference within one folder.
CONFIG_NAMES = (".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json")
MAX_NAMES = 500
#: The extensions golangci-lint reads a configuration file by (any other is refused).
EXTENSIONS = (".yml", ".yaml", ".toml", ".json")
#: The action whose ``args`` and ``working-directory`` inputs say how golangci-lint runs.
ACTION = "golangci/golangci-lint-action"


@dataclass(frozen=True, order=True)
class GolangciConfig:
    """One configuration file: whether it turns gosec on, and the line that says so."""

    path: str
    line: int
    gosec: bool
    how: str  # "linters.enable", "linters.default: all", "presets: bugs"..., or why not


@dataclass(frozen=True)
class GolangciFacts:
    configs: tuple[GolangciConfig, ...] = ()

    def for_run(self, folder: str, explicit: str | None) -> GolangciConfig | None:
        """The configuration of a run in ``folder`` given the file ``explicit`` (already
        relative to the root: ``config_path``), or the nearest by name when none is given."""
        if explicit is not None:
            return next((c for c in self.configs if c.path == explicit), None)
        return self.for_folder(folder)

    def for_folder(self, folder: str) -> GolangciConfig | None:
        """The configuration golangci-lint run in ``folder`` (``""`` = the root) uses: the first
        name found there, else in the nearest parent folder."""
        by_path = {c.path: c for c in self.configs}
        current = folder.strip("/")
        while True:
            for name in CONFIG_NAMES:
                found = by_path.get(f"{current}/{name}" if current else name)
                if found is not None:
                    return found
            if not current:
                return None
            current = current.rpartition("/")[0]


def detect(ws: Workspace) -> GolangciFacts:
    """Every golangci-lint configuration in the repository, by name or named by a CI run,
    sorted (unreadable ones noted)."""
    paths = set(ws.by_name(*CONFIG_NAMES)) | _named_by_ci(ws)
    configs: list[GolangciConfig] = []
    for path in sorted(paths):
        data: Any
        if path.endswith(".toml"):
            loaded = ws.read_toml(path)
            data = loaded[0] if loaded else None
        else:
            data = first_mapping(ws, path)  # YAML, and JSON as YAML
        if not isinstance(data, dict):
            ws.note(path, "golangci-lint configuration could not be read")
            continue
        configs.append(judge_config(path, data))
    return GolangciFacts(tuple(sorted(configs)))


def run_settings(command: ResolvedCommand) -> tuple[str | None, str | None] | None:
    """For a golangci-lint command or action step: the folder it runs in (relative to the root,
    ``""`` for the root, ``None`` when unknown) and the configuration file it is given
    (relative to the root; ``None`` when none is named, or when it is named from a folder
    that is not known; ``..`` when it is outside the repository, and so never read).
    ``None`` for any other command."""
    if command.is_reference:
        if not command.step.text.lower().startswith(ACTION):
            return None
        args = command.step.with_args
        folder: str | None = _relative("", text_of(args.get("working-directory")) or ".")
        explicit = golangci_config(tuple(text_of(args.get("args")).split()))
    elif command.argv[:1] == ("golangci-lint",):
        folder = None if command.cwd is None else _relative("", command.cwd or ".")
        explicit = golangci_config(command.argv[1:])
    else:
        return None
    if folder == "..":
        folder = None  # run outside the repository: where it looks is not known
    if explicit is None:
        return folder, None
    if folder is None:
        return None, None  # a file named from a folder that is not known: as if none were named
    return folder, _relative(folder, explicit)


def _relative(folder: str, path: str) -> str:
    """``path`` from ``folder``, relative to the root (``""`` for the root); ``..`` when it
    leaves the repository (or is absolute: a file on the runner, not in the repository)."""
    path = path.replace("\\", "/")  # a Windows runner's separators
    if path.startswith("/") or path[1:2] == ":":
        return ".."
    joined = posixpath.normpath(posixpath.join(folder or ".", path))
    if joined == ".." or joined.startswith("../"):
        return ".."
    return "" if joined == "." else joined


def _named_by_ci(ws: Workspace) -> set[str]:
    """Configuration files CI runs name on their command line, inside the repository."""
    named: set[str] = set()
    for _, job in ws.facts(ci.detect).jobs():
        for command in job.commands:
            settings = run_settings(command)
            path = settings[1] if settings is not None else None
            if path and path != ".." and path.lower().endswith(EXTENSIONS) and ws.exists(path):
                named.add(path)
    return named


def judge_config(path: str, data: dict[Any, Any]) -> GolangciConfig:
    """Whether the configuration ``data`` (one file, parsed) runs gosec, and why."""
    linters = data.get("linters")
    node = as_dict(linters)
    enable = _names(node.get("enable"))
    disable = _names(node.get("disable"))
    line = line_of(data, "linters", 1) if isinstance(linters, dict) else 1
    if "gosec" in enable:
        return GolangciConfig(path, _line_of_name(node, "enable", line), True, "linters.enable lists gosec")
    if "gosec" in disable:
        return GolangciConfig(path, _line_of_name(node, "disable", line), False, "linters.disable lists gosec")
    if text_of(data.get("version")).strip().strip("'\"") == "2":
        default = text_of(node.get("default")).strip().lower() or "standard"
        if default == "all":
            return GolangciConfig(path, line_of(node, "default", line), True, "linters.default: all")
        return GolangciConfig(path, line, False, f"linters.default: {default[:40]} (without gosec)")
    if node.get("enable-all") is True:
        return GolangciConfig(path, line_of(node, "enable-all", line), True, "linters.enable-all")
    if "bugs" in _names(node.get("presets")) and node.get("disable-all") is not True:
        return GolangciConfig(path, line_of(node, "presets", line), True, "linters.presets: bugs")
    return GolangciConfig(path, line, False, "gosec is not enabled")


def _names(value: Any) -> set[str]:
    return {text_of(item).strip().lower() for item in as_list(value)[:MAX_NAMES]}


def _line_of_name(node: dict[Any, Any], key: str, default: int) -> int:
    items = node.get(key)
    for index, item in enumerate(as_list(items)[:MAX_NAMES]):
        if text_of(item).strip().lower() == "gosec":
            return line_of(items, index, line_of(node, key, default))
    return line_of(node, key, default)
