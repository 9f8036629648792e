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
