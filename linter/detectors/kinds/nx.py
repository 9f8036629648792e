"""Nx workspaces: which of a workspace's projects are deployed applications.

An Nx ``project.json`` (nx.dev, "Project Configuration") names the project, its
``projectType`` (``application`` or ``library``) and its ``targets``, each run by an
``executor`` (``@nx/angular:application``, ``@nx/js:node``...). Libraries are parts of the
workspace's applications (a publishable one has its own ``package.json``, read elsewhere), so
only applications are signals: a server (a Node executor runs it, or its bundle targets Node)
is a service, a mobile application (Expo, React Native) a tool, and any other application a
browser build, a website. End-to-end test projects (``<app>-e2e``, Nx's generators' name for
them, or a Cypress or Playwright executor) say nothing. Older workspaces spell the executors
``@nrwl/...``; both are read.
"""

from __future__ import annotations

from typing import Any, Iterable

from linter.detectors.kinds.packages import line_of_text
from linter.detectors.kinds.signals import DEPLOY, PUBLISH, Signal
from linter.repo.workspace import Workspace

NODE_EXECUTORS = frozenset({"js:node", "node:execute", "node:node"})
MOBILE_PLUGINS = frozenset({"expo", "react-native"})
TEST_PLUGINS = frozenset({"cypress", "playwright"})
MAX_TARGETS = 200


def _executors(targets: Any) -> list[tuple[str, dict[Any, Any]]]:
    """(executor without its ``@nx/``/``@nrwl/`` scope, options) of each target."""
    found: list[tuple[str, dict[Any, Any]]] = []
    if not isinstance(targets, dict):
        return found
    for target in list(targets.values())[:MAX_TARGETS]:
        if isinstance(target, dict) and isinstance(target.get("executor"), str):
            executor = target["executor"]
            for scope in ("@nx/", "@nrwl/"):
                executor = executor.removeprefix(scope)
            options = target.get("options")
            found.append((executor, options if isinstance(options, dict) else {}))
    return found


def signals(ws: Workspace, paths: Iterable[str]) -> list[Signal]:
    found: list[Signal] = []
    for path in paths:
        if path.rsplit("/", 1)[-1] != "project.json":
            continue
        data = ws.read_json(path, lenient=True)
        if not isinstance(data, dict) or data.get("projectType") != "application":
            continue
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        name = data.get("name") if isinstance(data.get("name"), str) else folder.rsplit("/", 1)[-1]
        executors = _executors(data.get("targets"))
        plugins = {e.split(":", 1)[0] for e, _ in executors}
        if str(name).endswith("-e2e") or folder.endswith("-e2e") or plugins & TEST_PLUGINS:
            continue
        line = line_of_text(ws.read_text(path), '"projectType"')
        label = str(name)[:60]
        if plugins & MOBILE_PLUGINS:
            found.append(Signal(path, line, "tool", PUBLISH, f"the Nx application {label} is a mobile application"))
        elif any(e in NODE_EXECUTORS or options.get("target") == "node" or options.get("platform") == "node"
                 for e, options in executors):
            found.append(Signal(path, line, "service", DEPLOY, f"the Nx application {label} is a Node server"))
        else:
            found.append(Signal(path, line, "website", DEPLOY,
                                f"the Nx application {label} is built for the browser"))
    return found
