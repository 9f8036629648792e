"""Meson projects: a library or a program, from the build functions the project calls.

A Meson project is a root ``meson.build`` that calls ``project(...)``; its build is that file
and every ``meson.build`` below it (``subdir()`` reaches them), except ``subprojects/``
(other projects Meson may fetch) and folders with a ``project()`` of their own. Meson's
reference manual lists the build functions: ``library()``, ``shared_library()``,
``static_library()`` and ``both_libraries()`` build libraries, ``executable()`` a program
(``shared_module()`` builds plugins loaded at run time and says nothing here). A project
that builds libraries and no program is a library; programs and no library, a tool; both,
it does not say (a desktop application with its own helper library, a daemon with its
client library), and something else must.

Call names come from a tokenizer that skips Meson's strings (``'...'``, ``'''...'''``, with
the ``f`` prefix) and ``#`` comments, so a comment or a string never counts; method calls
(``cc.find_library()``) are not build functions. Nothing runs; each file is read up to
``MAX_TEXT`` characters and at most ``MAX_FILES`` files per project.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from linter.detectors.kinds.signals import PUBLISH, Signal
from linter.repo.workspace import Workspace

MAX_TEXT = 300_000
MAX_FILES = 400
LIBRARY_FUNCTIONS = frozenset({"library", "shared_library", "static_library", "both_libraries"})
PROGRAM_FUNCTIONS = frozenset({"executable"})

_TOKEN = re.compile(r"'|#|[A-Za-z_][A-Za-z0-9_]*")
#: Possessive: a group repeated per character keeps a backtracking entry per character
#: (hundreds of bytes each) unless it may not give any back.
_REST_OF_STRING = re.compile(r"(?:[^'\\\n]++|\\.)*+'?")
_BLANK = " \t\r\n"


def calls(text: str) -> Iterator[tuple[str, int]]:
    """``(name, line)`` of every function call (not method call) in Meson source, outside
    strings and comments. Linear: every construct is skipped with one ``find`` or match."""
    text = text[:MAX_TEXT]
    position = counted = 0
    line = 1
    while True:
        match = _TOKEN.search(text, position)
        if match is None:
            return
        token, start = match.group(), match.start()
        if token == "#":
            end = text.find("\n", start)
            position = len(text) if end < 0 else end
        elif token == "'":
            if text.startswith("'''", start):
                end = text.find("'''", start + 3)
                position = len(text) if end < 0 else end + 3
            else:
                position = _REST_OF_STRING.match(text, start + 1).end()
        else:
            position = match.end()
            after = position
            while after < len(text) and text[after] in _BLANK:
                after += 1
            before = start - 1
            while before >= 0 and text[before] in _BLANK:
                before -= 1
            if after < len(text) and text[after] == "(" and not (before >= 0 and text[before] == "."):
                line += text.count("\n", counted, start)
                counted = start
                yield token, line


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def signals(ws: Workspace, paths: Iterable[str]) -> list[Signal]:
    builds = sorted(p for p in paths if p.rsplit("/", 1)[-1] == "meson.build")
    called: dict[str, list[tuple[str, int]]] = {}
    for path in builds[: MAX_FILES * 4]:
        called[path] = list(calls(ws.read_text(path) or ""))
    projects = [p for p, names in called.items() if any(name == "project" for name, _ in names)]
    found: list[Signal] = []
    for root in projects:
        folder = _folder(root)
        prefix = f"{folder}/" if folder else ""
        if "subprojects" in folder.split("/"):
            continue  # another project Meson may fetch or build, not this repository's
        nested = tuple(_folder(p) + "/" for p in projects if p != root and p.startswith(prefix))
        members = [p for p in called if p.startswith(prefix) and "subprojects" not in p[len(prefix):].split("/")
                   and not (nested and p.startswith(nested))][:MAX_FILES]
        libraries = [(p, line) for p in members for name, line in called[p] if name in LIBRARY_FUNCTIONS]
        programs = [(p, line) for p in members for name, line in called[p] if name in PROGRAM_FUNCTIONS]
        if libraries and not programs:
            where, line = libraries[0]
            found.append(Signal(root, 1, "library", PUBLISH,
                                f"the Meson project builds libraries and no program ({where}:{line})"))
        elif programs and not libraries:
            where, line = programs[0]
            found.append(Signal(root, 1, "tool", PUBLISH,
                                f"the Meson project builds programs and no library ({where}:{line})"))
    return found
