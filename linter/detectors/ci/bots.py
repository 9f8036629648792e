"""Dependency update bots: Dependabot version updates and Renovate.

They open upgrade pull requests; they never stop a change that adds a vulnerable dependency,
which is why rules report them separately from scanners. Renovate accepts JSON5 files and a
``renovate`` key in ``package.json``; its presence is what matters, so JSON5 is read
leniently (comments and trailing commas stripped) and an unparsable file still counts.
"""

from __future__ import annotations

import re

from linter.detectors.ci.model import UpdateBot, as_dict, as_list, first_mapping, text_of
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

DEPENDABOT_FILES = (".github/dependabot.yml", ".github/dependabot.yaml")
RENOVATE_FILES = (
    "renovate.json", "renovate.json5", ".github/renovate.json", ".github/renovate.json5",
    ".gitlab/renovate.json", ".gitlab/renovate.json5", ".renovaterc", ".renovaterc.json",
    ".renovaterc.json5",
)


def detect(ws: Workspace) -> tuple[list[UpdateBot], list[str]]:
    bots: list[UpdateBot] = []
    read: list[str] = []
    for path in DEPENDABOT_FILES:
        if ws.exists(path):
            read.append(path)
            bot = _dependabot(ws, path)
            if bot is not None:
                bots.append(bot)
    for path in RENOVATE_FILES:
        if ws.exists(path) and ws.read_text(path) is not None:
            read.append(path)
            bots.append(UpdateBot("renovate", path, 1))
    for path in self_hosted_renovate_files(ws):
        if path not in read:
            read.append(path)
            bots.append(UpdateBot("renovate", path, 1))
    if ws.exists("package.json"):
        bot = _renovate_in_package_json(ws)
        if bot is not None:
            read.append("package.json")
            bots.append(bot)
    return sorted(bots), read


def _dependabot(ws: Workspace, path: str) -> UpdateBot | None:
    data = first_mapping(ws, path)
    if data is None:
        return None
    updates = data.get("updates")
    ecosystems = sorted({text_of(as_dict(u).get("package-ecosystem")) for u in as_list(updates)} - {""})
    if not ecosystems:
        ws.note(path, "dependabot config has no 'updates' with a package-ecosystem")
        return None
    return UpdateBot("dependabot", path, line_of(data, "updates", 1), tuple(ecosystems))


def _renovate_in_package_json(ws: Workspace) -> UpdateBot | None:
    text = ws.read_text("package.json")
    if not text or '"renovate"' not in text:
        return None
    data = ws.read_json("package.json", lenient=True)
    if not isinstance(data, dict) or "renovate" not in data:
        return None
    line = next((n for n, row in enumerate(text.splitlines(), 1) if re.match(r'\s*"renovate"\s*:', row)), 1)
    return UpdateBot("renovate", "package.json", line)


#: Self-hosted Renovate run by its GitHub Action, which reads the configuration file its
#: ``configurationFile`` input names (https://github.com/renovatebot/github-action#configurationfile).
_RENOVATE_ACTION = re.compile(r"renovatebot/github-action@", re.IGNORECASE)
MAX_WORKFLOWS = 200


def self_hosted_renovate_files(ws: Workspace) -> list[str]:
    """The JSON/JSON5 configuration files that workflow steps running ``renovatebot/github-action``
    pass as ``configurationFile``: repository paths only (no expression, no ``..``, present in
    the repository). A JavaScript configuration cannot be read without running it, and is left out."""
    found: list[str] = []
    workflows = [p for p in ws.yaml_files if p.startswith(".github/workflows/") and p.count("/") == 2]
    for path in workflows[:MAX_WORKFLOWS]:
        data = first_mapping(ws, path)
        for job in as_dict((data or {}).get("jobs")).values():
            for step in as_list(as_dict(job).get("steps")):
                step = as_dict(step)
                if not _RENOVATE_ACTION.match(text_of(step.get("uses")).strip()):
                    continue
                config = text_of(as_dict(step.get("with")).get("configurationFile")).strip().removeprefix("./")
                if (config and "${{" not in config and not config.startswith("/") and ".." not in config.split("/")
                        and config.endswith((".json", ".json5")) and ws.exists(config) and config not in found):
                    found.append(config)
    return found
