"""What the commands print besides reports: one place, so every line is inert.

Messages, progress, previews and catalog listings carry strings a repository or a
configuration file controls (a rule name in an error, a path in a preview). They go through
``linter.inert`` here, so none can drive a terminal or issue a CI log command; reports are made
inert by ``linter.reporters.render``.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from linter import inert


def say(text: str, *, err: bool = False) -> None:
    """One line (line breaks inside it become spaces)."""
    click.echo(inert.line(text), err=err)


def show(text: str, *, err: bool = False) -> None:
    """A block of lines as given (a preview, an explanation), each made inert."""
    click.echo(inert.block(text), nl=False, err=err)


def warn(message: str) -> None:
    say(f"practicelint: warning: {message}", err=True)


def fail(message: str) -> NoReturn:
    """The one shape of every exit 2: ``practicelint: error: <one line>`` on stderr."""
    say(f"practicelint: error: {message}", err=True)
    sys.exit(2)
