"""A rough, safe reading of the shell scripts CI steps run.

Not a shell: enough to find which programs run at a *command position*, so that
``echo "npm audit"`` or ``# npm audit`` never counts while ``npm ci && npm audit`` does.
Scripts are split on newlines (honouring quotes and ``\\`` continuations), ``&&``, ``||``,
``;``, ``|``, ``&`` and parentheses; ``#`` starts a comment only at the start of a word;
here-documents are skipped. A command followed by ``|| <anything but exit 1>`` has its
failure swallowed, which later rules report as "does not gate the change".

``case WORD in pattern) ... ;; esac`` is kept as structure: each command carries the case
branches it sits in, so a script run as ``./entrypoint.sh lint`` can be read for its ``lint)``
branch only. PowerShell (backtick) and ``cmd`` (caret) line continuations are joined when the
caller says which shell runs the text. Wrappers are peeled off elsewhere
(``linter.detectors.ci.wrappers``). Work is linear in the script length, which is capped.
"""

from __future__ import annotations

import re
from functools import lru_cache

from linter.detectors.ci.model import MAX_SCRIPT_CHARS
from linter.fast_dataclass import dataclass

MAX_NESTING = 3
_OPERATORS = ("&&", "||", ";;", "|&", ";", "|", "&", "(", ")")
_OPERATOR_STARTS = frozenset(op[0] for op in _OPERATORS)  # most characters start no operator
_HEREDOC = re.compile(r"<<-?[ \t]*(['\"]?)([A-Za-z_][A-Za-z0-9_]{0,40})\1")

#: Shells whose escape character (and so line continuation) is not a backslash: PowerShell's
#: backtick, cmd's caret; a backslash is a path separator there.
_CONTINUATIONS = {"pwsh": "`", "powershell": "`", "cmd": "^"}


@dataclass(frozen=True)
class Command:
    """One simple command: its words, the 0-based script line it starts on, and the
    ``case`` branches it sits in (``(subject, patterns)``, outermost first)."""

    line_offset: int
    argv: tuple[str, ...]
    non_blocking: bool = False
    cases: tuple[tuple[str, tuple[str, ...]], ...] = ()


def shell_commands(script: str, _depth: int = 0, dialect: str = "") -> list[Command]:
    """Simple commands of ``script`` in order, with ``|| true``-style failure swallowing marked.

    ``dialect`` names the shell when it is not a POSIX one (``pwsh``, ``cmd``): only its line
    continuation differs here. A script is tokenised once and the commands are shared by every
    rule that asks.
    """
    return list(_shell_commands(script, _depth, dialect))


@lru_cache(maxsize=4096)
def _shell_commands(script: str, _depth: int, dialect: str = "") -> tuple[Command, ...]:
    script = script[:MAX_SCRIPT_CHARS]
    raw = _split(script, _CONTINUATIONS.get(dialect, "\\"))
    commands: list[Command] = []
    frames: list[_CaseFrame] = []
    for index, (line_offset, argv, operator) in enumerate(raw):
        if _case_structure(frames, argv, operator):
            continue
        if not argv:
            continue
        cases = tuple((f.subject, f.patterns) for f in frames if f.patterns is not None)
        swallowed = operator == "||" and not _reraises(raw, index + 1)
        nested = _inline_script(argv)
        if nested is not None and _depth < MAX_NESTING:
            for inner in _shell_commands(nested, _depth + 1, dialect):
                commands.append(Command(line_offset, inner.argv, inner.non_blocking or swallowed,
                                        cases + inner.cases))
            if operator == ";;" and frames and frames[-1].patterns is not None:
                frames[-1].patterns = None
            continue
        commands.append(Command(line_offset, tuple(argv), swallowed, cases))
        if operator == ";;" and frames and frames[-1].patterns is not None:
            frames[-1].patterns = None  # the branch ended: the next words are a pattern
    return tuple(commands)


class _CaseFrame:
    """An open ``case``: its subject, and the patterns of the branch being read (``None``
    while the next pattern is awaited)."""

    __slots__ = ("subject", "patterns", "pending")

    def __init__(self, subject: str) -> None:
        self.subject = subject
        self.patterns: tuple[str, ...] | None = None
        self.pending: list[str] = []


#: ``case`` frames deeper than this are read as plain commands.
MAX_CASE_DEPTH = 8


def _case_structure(frames: list[_CaseFrame], argv: list[str], operator: str) -> bool:
    """Follow ``case ... in``, ``pattern)`` and ``esac``; True when the words were structure
    (a pattern, ``esac``, a lone ``;;``) rather than a command. After a branch's ``;;`` (the
    caller notes it) the next words are a pattern again, as the shell reads them."""
    frame = frames[-1] if frames else None
    if frame is not None and frame.patterns is None:  # awaiting a pattern (or esac)
        if argv[:1] == ["esac"]:
            frames.pop()
            return True
        if operator in ("|", ")"):
            frame.pending.extend(w for w in argv if w != "(")
            if operator == ")":
                frame.patterns = tuple(frame.pending)
                frame.pending = []
            return True
        if not argv:
            return True
    if argv[:1] == ["esac"] and frames:
        frames.pop()
        return True
    if len(argv) >= 3 and argv[0] == "case" and argv[2] == "in" and len(frames) < MAX_CASE_DEPTH:
        frame = _CaseFrame(argv[1])
        frames.append(frame)
        first = [w for w in argv[3:] if w != "("]
        if first and operator in ("|", ")"):
            frame.pending.extend(first)
            if operator == ")":
                frame.patterns, frame.pending = tuple(frame.pending), []
        return True
    if operator == ";;" and not argv and frame is not None and frame.patterns is not None:
        frame.patterns = None  # ";;" on a line of its own
        return True
    return False


def program_name(word: str) -> str:
    """See ``linter.detectors.ci.wrappers.program_name`` (kept here for callers of the tokenizer)."""
    from linter.detectors.ci.wrappers import program_name as name

    return name(word)


def effective_argv(argv: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """See ``linter.detectors.ci.wrappers.effective_argv``."""
    from linter.detectors.ci.wrappers import effective_argv as effective

    return effective(argv)


def _reraises(raw: list[tuple[int, list[str], str]], index: int) -> bool:
    """True when the command after ``||`` fails again (``exit 1``, ``false``)."""
    if index >= len(raw):
        return False
    argv = raw[index][1]
    if not argv:
        return False
    if argv[0] == "false":
        return True
    if argv[0] in ("exit", "return"):
        return len(argv) < 2 or argv[1] not in ("0",)
    return False


def _inline_script(argv: list[str]) -> str | None:
    """The script of ``sh -c '...'`` / ``bash -c '...'`` / ``pwsh -Command '...'``."""
    head = argv[0].rsplit("/", 1)[-1]
    if head in ("sh", "bash", "zsh", "dash", "ash") and len(argv) >= 3 and argv[1] in ("-c", "-ec", "-ce", "-exc"):
        return argv[2]
    if head in ("pwsh", "powershell") and len(argv) >= 3 and argv[1].lower() in ("-command", "-c"):
        return " ".join(argv[2:])
    return None


def _split(script: str, escape: str = "\\") -> list[tuple[int, list[str], str]]:
    """Words of each simple command with its line and the operator that ended it."""
    out: list[tuple[int, list[str], str]] = []
    words: list[str] = []
    word: list[str] = []
    in_word = False
    quote = ""
    line = 0
    start_line = 0
    heredocs: list[str] = []
    i, n = 0, len(script)

    def end_word() -> None:
        nonlocal in_word
        if in_word:
            words.append("".join(word))
            word.clear()
            in_word = False

    def end_command(operator: str) -> None:
        nonlocal words, start_line
        end_word()
        out.append((start_line, words, operator))
        words = []
        start_line = line

    while i < n:
        ch = script[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == escape and quote == '"' and i + 1 < n:
                i += 1
                ch = script[i]
                word.append(ch)
            else:
                word.append(ch)
            if ch == "\n":
                line += 1
            i += 1
            continue
        if ch == escape and i + 1 < n:
            if script[i + 1] == "\n" or script.startswith("\r\n", i + 1):  # line continuation
                i += 1 if script[i + 1] == "\r" else 0
                line += 1
                i += 2
                continue
            word.append(script[i + 1])
            in_word = True
            i += 2
            continue
        if ch in ("'", '"'):
            quote = ch
            in_word = True
            i += 1
            continue
        if ch == "#" and not in_word:
            while i < n and script[i] != "\n":
                i += 1
            continue
        if ch == "\n":
            current_line_start = script.rfind("\n", 0, i) + 1
            heredocs.extend(m.group(2) for m in _HEREDOC.finditer(script, current_line_start, i))
            end_command("\n")
            line += 1
            start_line = line
            i += 1
            if heredocs:
                i, skipped = _skip_heredocs(script, i, heredocs)
                line += skipped
                start_line = line
                heredocs.clear()
            continue
        if ch in " \t":
            end_word()
            i += 1
            continue
        operator = next((op for op in _OPERATORS if script.startswith(op, i)), "") if ch in _OPERATOR_STARTS else ""
        if operator:
            if operator == "&" and (word[-1:] in ([">"], ["<"]) or script.startswith("&>", i)):
                word.append(ch)  # redirections like 2>&1 and &>/dev/null
                in_word = True
                i += 1
                continue
            end_command(operator)
            i += len(operator)
            continue
        word.append(ch)
        in_word = True
        i += 1
    end_command("")
    return out


def _skip_heredocs(script: str, i: int, delimiters: list[str]) -> tuple[int, int]:
    """Skip here-document bodies that start at ``i``; return new index and lines skipped."""
    skipped = 0
    n = len(script)
    for delimiter in delimiters:
        while i < n:
            end = script.find("\n", i)
            end = n if end == -1 else end
            text = script[i:end].strip()
            i = end + 1
            skipped += 1
            if text == delimiter:
                break
    return min(i, n), skipped


