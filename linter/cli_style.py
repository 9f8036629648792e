"""How the command line looks: whole command descriptions in ``--help``, one shape for errors.

click, left alone, cuts each command's description in the command list at about 45
characters ("Audit many repositories: local paths, directories of...") and prints usage
errors in its own three-line shape (``Usage: ...``, ``Try ...``, ``Error: Invalid value...``)
beside our ``practicelint: error: ...`` lines. ``Group`` here lists each command's whole first
paragraph (wrapped at spaces, never inside a hyphenated name), and turns every click usage
error (a bad option value, a missing argument, an unknown option or command, a
``click.UsageError`` a command raises) into the one line ``linter.cli_output.fail`` prints,
followed by where to look:
``practicelint: error: invalid value for '--format': ... (see practicelint check --help)``.
Exit codes are click's (2 for usage errors).
"""

from __future__ import annotations

import inspect
import re
import textwrap
from typing import Any

import click

from linter.cli_output import say

#: Help text is wrapped to the terminal, but no wider than this (click's default is 80).
MAX_HELP_WIDTH = 100


def first_paragraph(text: str | None) -> str:
    """A command's description for the command list: its help's first paragraph, whole."""
    if not text:
        return ""
    paragraph = inspect.cleandoc(text).split("\n\n", 1)[0]
    return " ".join(paragraph.split())


def error_line(exc: click.ClickException) -> str:
    """``exc`` as the one line every exit 2 prints (without the ``practicelint: error:`` prefix)."""
    message = " ".join(exc.format_message().split())
    if message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]  # "Invalid value" -> "invalid value"; "PATH ..." stays
    if isinstance(exc, click.UsageError):
        message += f" (see {command_path(getattr(exc, 'ctx', None))} --help)"
    return message


def command_path(ctx: click.Context | None) -> str:
    """``practicelint report merge``: the command as a user types it, whatever name the program
    was started under (``python -m linter``, a test runner)."""
    names: list[str] = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["practicelint", *reversed([n for n in names if n])])


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Lines of at most ``width`` columns, never broken inside a word (nor at its hyphens:
    ``tail-latency-slo`` and ``yaml-language-server`` are names)."""
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False, break_long_words=False)


class HelpFormatter(click.HelpFormatter):
    """click's formatter, wrapping at spaces only (click also breaks after hyphens)."""

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = []
        for paragraph in re.split(r"\n[ \t]*\n", text.expandtabs()):
            lines = paragraph.splitlines()
            if lines and lines[0].strip() == "\b":  # click's mark for a paragraph kept as written
                paragraphs.append("\n".join(indent + line for line in lines[1:]))
            else:
                paragraphs.append("\n".join(_wrap(" ".join(paragraph.split()), self.width, indent)))
        self.write("\n\n".join(paragraphs) + "\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((len(first) for first, _ in rows), default=0), col_max) + col_spacing
        hanging = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write("\n" + hanging)
            lines = _wrap(second, max(self.width - first_col - 2, 10)) or [""]
            self.write(lines[0] + "\n" + "".join(f"{hanging}{line}\n" for line in lines[1:]))


class Context(click.Context):
    formatter_class = HelpFormatter


class Command(click.Command):
    """``click.Command`` whose help wraps as ``HelpFormatter`` does."""

    context_class = Context


class _Restyled(click.ClickException):
    """A click error already turned into our one line; click's standalone mode shows it."""

    def __init__(self, line: str, exit_code: int) -> None:
        super().__init__(line)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        say(f"practicelint: error: {self.message}", err=True)


#: A group run without a command (``practicelint``, ``practicelint report``): click prints the
#: group's help, which is the answer, not an error to squeeze into one line.
_HELP_INSTEAD = getattr(click.exceptions, "NoArgsIsHelpError", ())


def _restyle(exc: click.ClickException) -> click.ClickException:
    if isinstance(exc, _Restyled) or (_HELP_INSTEAD and isinstance(exc, _HELP_INSTEAD)):
        return exc
    return _Restyled(error_line(exc), exc.exit_code)


class Group(click.Group):
    """``click.Group`` with whole command descriptions and one-line errors (see the module)."""

    group_class = type  # subgroups (``config``, ``report``...) are of this class too
    command_class = Command
    context_class = Context

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            rows.append((name, " ".join(command.short_help.split()) if command.short_help
                         else first_paragraph(command.help)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.ClickException as exc:
            raise _restyle(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            raise _restyle(exc) from None
