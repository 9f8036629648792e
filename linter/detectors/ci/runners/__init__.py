"""Readers of the files a command hands its work to: scripts and task runners in the repository.

A CI step that runs ``./scripts/test.sh``, ``npm test``, ``make ci``, ``tox -e py312`` or
``bundle exec rake`` does its real work in another file of the repository. Each reader here
recognises one such command (on the stages ``linter.detectors.ci.wrappers.peel`` gives, so
``poetry run poe test`` reaches the Poe reader) and returns the ``Work`` it hands on: lines
of shell text, each with the file and line it was written on and the folder it runs in. The
resolution layer (``linter.detectors.ci.resolve``) reads that text as commands in turn, with
a hop for every file, so depth, cycles and size are bounded in one place.

Readers only ever read files of the repository, through the workspace; a path that leaves
the repository (``..``, absolute, or made of unresolved variables) is not followed, and a
command a reader does not know returns ``None`` so the next reader may try.
"""

from __future__ import annotations

import posixpath
import re
from functools import cache
from typing import Any, Callable

from linter.fast_dataclass import dataclass, field
from linter.repo.workspace import Workspace

#: Distinct files the readers open in one run; a note says when more were wanted.
MAX_FILES = 500
#: Characters a runner's variables may add to one line they are written into (``{{x}}`` of
#: just, ``{{.X}}`` of Task, ``{{vars.x}}`` of mise, ``$(X)`` of make): a 100 KB value written
#: 20,000 times on one line would otherwise make a 2 GB line (and make's variables holding
#: variables multiply at each level). Past it a reference stays as written: unknown.
MAX_GROWTH_CHARS = 100_000


def bounded_sub(pattern: re.Pattern[str], value: Callable[[re.Match[str]], str], text: str,
                limit: int = MAX_GROWTH_CHARS) -> str:
    """``pattern.sub(value, text)``, except that a replacement that would make the text grow
    by more than ``limit`` characters in all is not made (the reference stays as written)."""
    room = limit

    def one(match: re.Match[str]) -> str:
        nonlocal room
        new = value(match)
        growth = len(new) - (match.end() - match.start())
        if growth > room:
            return match.group(0)
        room -= growth
        return new

    return pattern.sub(one, text)


@dataclass(frozen=True)
class Work:
    """Shell text a command hands on: where it is written and how it runs."""

    path: str
    line: int
    text: str
    cwd: str = ""
    #: Positional parameters (``$1``...) when the text is a script run with arguments.
    args: tuple[str, ...] | None = None
    #: ``pwsh`` or ``cmd`` when the text is not for a POSIX shell.
    shell: str = ""
    #: Variables the runner sets for the text (``{{args}}``, ``PYTEST_SPLITS``...), by name.
    env: tuple[tuple[str, str], ...] = ()


@dataclass
class Context:
    """What readers share in one run: the workspace, parsed files, and the file budget."""

    ws: Workspace
    parsed: dict[tuple[str, str], Any] = field(default_factory=dict)
    opened: set[str] = field(default_factory=set)
    noted: bool = False
    #: Images this pipeline builds (``docker build -t TAG``): tag -> (Dockerfile, stage).
    images: dict[str, tuple[str, str]] = field(default_factory=dict)

    def read(self, path: str) -> str | None:
        """Text of a repository file, within the run's budget of followed files."""
        if path not in self.opened:
            if len(self.opened) >= MAX_FILES:
                if not self.noted:
                    self.noted = True
                    self.ws.note(".", f"CI commands hand work to more than {MAX_FILES} files; only the first "
                                      f"{MAX_FILES} were followed")
                return None
            self.opened.add(path)
        return self.ws.read_text(path)

    def parse(self, kind: str, path: str, parser: Callable[[str, str], Any]) -> Any:
        """``parser(path, text)`` once per file and kind; ``None`` when unreadable."""
        key = (kind, path)
        if key not in self.parsed:
            text = self.read(path)
            try:
                self.parsed[key] = parser(path, text) if text is not None else None
            except (Exception, RecursionError) as exc:  # noqa: BLE001 - a file a reader cannot parse is not followed
                self.parsed[key] = None
                self.ws.note(path, f"{kind} file could not be parsed ({type(exc).__name__}); the CI commands "
                                   "that hand work to it were not followed into it")
        return self.parsed[key]

    def repo_path(self, cwd: str, word: str) -> str | None:
        """Repository path of ``word`` relative to ``cwd``, when the file exists in the
        repository; ``None`` when it leaves it or holds an unresolved variable."""
        if not word or "$" in word or "{" in word or "%" in word:
            return None
        word = word.replace("\\", "/")
        if word.startswith("/"):
            return None
        path = posixpath.normpath(posixpath.join(cwd, word)) if cwd else posixpath.normpath(word)
        if path.startswith("../") or path == ".." or path == ".":
            return None
        return path if self.ws.exists(path) else None

    def nearest(self, cwd: str, name: str) -> str | None:
        """``name`` in ``cwd`` or the closest folder above it, as npm finds package.json."""
        folder = posixpath.normpath(cwd) if cwd else "."
        for _ in range(40):
            candidate = name if folder in ("", ".") else f"{folder}/{name}"
            if self.ws.exists(candidate):
                return candidate
            if folder in ("", "."):
                return None
            folder = posixpath.dirname(folder) or "."
        return None


def folder_of(path: str) -> str:
    """The folder of a repository path, ``""`` for the root."""
    return posixpath.dirname(path)


#: A reader: (context, a stage of the command's words as written, the folder it runs in) -> work
#: or None (the reader does not know the command).
Reader = Callable[[Context, tuple[str, ...], str], "list[Work] | None"]


@cache
def readers() -> tuple[Reader, ...]:
    """Every reader, in the order they are tried on each stage of a command (a constant,
    built on first use: the reader modules import this one)."""
    from linter.detectors.ci.runners import docker, make, mise, node, python, scripts, tasks

    return (scripts.follow, make.follow, node.follow, python.follow_tox, python.follow_nox, python.follow_scripts,
            tasks.follow_just, tasks.follow_task, tasks.follow_rake, tasks.follow_mage, tasks.follow_psake,
            tasks.follow_devbox, mise.follow, docker.follow)


def follow(ctx: Context, stages: list[tuple[str, ...]], cwd: str) -> list[Work]:
    """The work a command hands on: the first reader that knows a stage of it (outermost
    first: ``hatch run test`` names a hatch script before ``test`` names a program).
    ``stages`` come from ``linter.detectors.ci.wrappers.peel_as_written``."""
    for stage in stages:
        for reader in readers():
            found = reader(ctx, stage, cwd)
            if found is not None:
                return found
    return []

