"""Small readers of a command's words and a step's inputs, shared by the tool tables' judges.

A judge asks questions such as "is the first non-option word ``audit``?" or "what value
does ``--exit-code`` take?"; these helpers answer them the same way for every table.
"""

from __future__ import annotations

from typing import Callable, Mapping

from linter.detectors.ci.model import text_of
from linter.detectors.ci.tables.shapes import ArgvJudge, ReferenceJudge, ToolMatch

#: Package-manager options that take a separate value (``npm --prefix web audit``).
PM_VALUE_OPTIONS = frozenset({"--prefix", "-C", "--cwd", "--dir", "--filter", "-w", "--workspace",
                              "--registry", "--audit-level", "--level", "--groups"})
#: Words that only probe a tool (installing it, printing its version or help).
META = frozenset({"--version", "--help", "-h", "version", "help"})


def arg(args: Mapping[str, object], *names: str) -> str:
    """First present input among ``names`` as lower-case text (inputs are case-insensitive)."""
    lowered = {str(k).lower(): v for k, v in args.items()}
    for name in names:
        if name.lower() in lowered:
            return text_of(lowered[name.lower()]).strip().lower()
    return ""


def short(words: tuple[str, ...], limit: int = 90) -> str:
    """The command as one line, cut at ``limit`` characters for messages."""
    text = " ".join(words)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def always(detail: str) -> ReferenceJudge:
    """A reference judge for a step that is always the tool."""
    return lambda args, reference="": (detail, True)


def verbs(argv: tuple[str, ...], value_options: frozenset[str] = PM_VALUE_OPTIONS) -> list[str]:
    """Non-option words after the program, skipping the values of known options."""
    words: list[str] = []
    skip = False
    for word in argv[1:]:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in value_options
            continue
        words.append(word)
    return words


def option_value(argv: tuple[str, ...], *names: str) -> str | None:
    """Value of ``--name value`` / ``--name=value`` (``""`` if the flag has no value)."""
    for index, word in enumerate(argv):
        for name in names:
            if word == name:
                return argv[index + 1] if index + 1 < len(argv) else ""
            if word.startswith(name + "="):
                return word.split("=", 1)[1]
    return None


def plain(argv: tuple[str, ...]) -> ToolMatch:
    """Every call of the program counts."""
    return (short(argv), True)


def first_verb_is(*wanted: str) -> ArgvJudge:
    """The first non-option word (package-manager options skipped) is one of ``wanted``."""
    def judge(argv: tuple[str, ...]) -> ToolMatch:
        words = verbs(argv)
        return (short(argv), True) if words and words[0] in wanted else None
    return judge


def is_meta(argv: tuple[str, ...]) -> bool:
    """``tool --version`` / ``tool help``: installing or probing, not running."""
    return len(argv) >= 2 and argv[1] in META or len(argv) == 2 and argv[1] == "-V"


def any_run(note_if: Callable[[tuple[str, ...]], str] | None = None) -> ArgvJudge:
    """Every call counts except version/help probes; ``note_if`` names a non-blocking flag."""
    def judge(argv: tuple[str, ...]) -> ToolMatch:
        if is_meta(argv):
            return None
        note = note_if(argv) if note_if else ""
        return (short(argv) + (f" ({note}: reports only)" if note else ""), not note)
    return judge


def verb(*wanted: str, value_options: frozenset[str] = frozenset(),
         note_if: Callable[[tuple[str, ...]], str] | None = None) -> ArgvJudge:
    """First non-option word is one of ``wanted`` (``a b`` matches two words)."""
    sequences = [tuple(v.split()) for v in wanted]

    def judge(argv: tuple[str, ...]) -> ToolMatch:
        words = tuple(verbs(argv, value_options)) if value_options else tuple(verbs(argv))
        if not any(words[: len(w)] == w for w in sequences):
            return None
        note = note_if(argv) if note_if else ""
        return (short(argv) + (f" ({note}: reports only)" if note else ""), not note)
    return judge


def flag(*flags: str) -> Callable[[tuple[str, ...]], str]:
    """The first of ``flags`` the command carries (``--flag`` or ``--flag=value``), else ``""``."""
    return lambda argv: next((f for f in flags if f in argv or any(a.startswith(f + "=") for a in argv)), "")
