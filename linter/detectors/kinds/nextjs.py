"""Next.js applications run by their own server: a ``package.json`` whose ``npm start`` is
``next start`` (Next.js' CLI: "starts the application in production mode", the server its
build is deployed with) and that depends on ``next``. Deployed pages: a website; with its
own database, declared by a Prisma schema (``datasource`` block, Prisma's schema reference;
``prisma/schema.prisma`` or the ``prisma.schema`` path of ``package.json``), an application
that keeps data for its users: a service.

A Next.js site in a subfolder (a library's documentation site) ranks below publishing, as
every website in a subfolder does (``decide``); ``next dev`` or ``next build`` alone says
nothing (the result may be exported as static files anywhere).
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from linter.detectors.kinds.packages import as_dict, line_of_text
from linter.detectors.kinds.signals import DEPLOY, Signal
from linter.repo.workspace import Workspace

DEFAULT_SCHEMA = "prisma/schema.prisma"
MAX_SCHEMA_CHARS = 500_000
_DATASOURCE = re.compile(r"^[ \t]*datasource[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*\{", re.M)


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _starts_next(scripts: dict[Any, Any]) -> bool:
    command = scripts.get("start")
    if not isinstance(command, str):
        return False
    words = command[:2000].replace("&&", " ").replace(";", " ").split()
    return any(word == "next" and following == "start" for word, following in zip(words, words[1:]))


def _without_comments(text: str) -> str:
    """Prisma's ``//`` and ``///`` comments removed (outside strings), line by line."""
    out = []
    for line in text.splitlines():
        quoted = False
        for index, char in enumerate(line):
            if char == '"' and (index == 0 or line[index - 1] != "\\"):
                quoted = not quoted
            elif not quoted and line.startswith("//", index):
                line = line[:index]
                break
        out.append(line)
    return "\n".join(out)


def _schema(ws: Workspace, folder: str, data: dict[Any, Any]) -> str | None:
    """The Prisma schema of the package in ``folder`` that declares a datasource, if any."""
    declared = as_dict(data.get("prisma")).get("schema")
    candidates = [DEFAULT_SCHEMA]
    if isinstance(declared, str) and declared.endswith(".prisma") and ".." not in declared.split("/"):
        candidates.insert(0, declared.removeprefix("./"))
    for relative in candidates:
        path = f"{folder}/{relative}" if folder else relative
        text = ws.read_text(path) if ws.exists(path) else None
        if text is not None and _DATASOURCE.search(_without_comments(text[:MAX_SCHEMA_CHARS])):
            return path
    return None


def signals(ws: Workspace, paths: Iterable[str]) -> list[Signal]:
    found: list[Signal] = []
    for path in paths:
        if path.rsplit("/", 1)[-1] != "package.json":
            continue
        data = ws.read_json(path)
        if not isinstance(data, dict) or not _starts_next(as_dict(data.get("scripts"))):
            continue
        if "next" not in {**as_dict(data.get("devDependencies")), **as_dict(data.get("dependencies"))}:
            continue
        line = line_of_text(ws.read_text(path), '"start"')
        schema = _schema(ws, _folder(path), data)
        if schema:
            found.append(Signal(path, line, "service", DEPLOY,
                                f"a Next.js application started with `next start` with its own database ({schema})"))
        else:
            found.append(Signal(path, line, "website", DEPLOY, "a Next.js application started with `next start`"))
    return found
