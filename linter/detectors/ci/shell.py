"""A rough, safe reading of the shell scripts CI steps run.

Not a shell: enough to find which programs run at a *command position*, so that
``echo "npm audit"`` or ``# npm audit`` never counts while ``npm ci && npm audit`` does.
Scripts are split on newlines (honouring quotes and ``\\`` continuations), ``&&``, ``||``,
``;``, ``|``, ``&`` and parentheses; ``#`` starts a comment only at the start of a word;
here-documents are skipped. A command followed by ``|| <anything but exit 1>`` has its
failure swallowed, which later rules report as "does not gate the change".

Runner prefixes are peeled off (``python -m``, ``npx``, ``uvx``, ``poetry run``, ``pipx run``,
``bundle exec``, ``go run``, ``docker run IMAGE``...) so the table of scanners only has to
know the tool's own name. Work is linear in the script length, which is capped.
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
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,100}=")
_PYTHON = re.compile(r"^(?:python|python3|python3\.\d{1,2}|py|pypy3?)$")

#: Words that may precede the real command without being it.
_TRANSPARENT = frozenset({
    "sudo", "time", "exec", "command", "nohup", "then", "do", "else", "if", "elif", "while",
    "until", "!", "{", "}", "builtin", "stdbuf", "nice", "call", "env",
})
#: ``<runner> <verb>`` pairs that execute the following word as a program.
_RUNNER_VERBS = {
    "poetry": {"run"}, "pipx": {"run"}, "pdm": {"run"}, "hatch": {"run"}, "pipenv": {"run"},
    "uv": {"run", "tool"}, "bundle": {"exec"}, "bundler": {"exec"}, "pnpm": {"dlx", "exec"},
    "yarn": {"dlx", "exec"}, "rye": {"run"}, "conda": {"run"}, "mamba": {"run"}, "pixi": {"run"},
}
#: Runners that execute the next word directly.
_RUNNERS = frozenset({"npx", "uvx", "bunx", "pnpx"})
#: Options of runners and ``docker run`` that take a separate value.
_VALUE_OPTIONS = frozenset({
    "-p", "--package", "--with", "--from", "--python", "--spec", "-n", "--name", "-e", "--env",
    "-v", "--volume", "-w", "--workdir", "--entrypoint", "--network", "--net", "-u", "--user",
    "--platform", "--env-file", "--mount", "--publish", "--pull", "--label", "-l", "--cpus",
    "--memory", "-m", "--add-host", "--cap-add", "--cap-drop", "--security-opt", "--tmpfs",
    "--device", "--ulimit", "--hostname", "-h", "--group", "--env-name", "-c", "--config",
    "--pip-args",
})


@dataclass(frozen=True)
class Command:
    """One simple command: its words and the 0-based script line it starts on."""

    line_offset: int
    argv: tuple[str, ...]
    non_blocking: bool = False


def shell_commands(script: str, _depth: int = 0) -> list[Command]:
    """Simple commands of ``script`` in order, with ``|| true``-style failure swallowing marked.

    Each scanner table (dependency, static analysis, secrets, tests...) asks about every
    ``run`` step, so a script is tokenised once and the commands are shared.
    """
    return list(_shell_commands(script, _depth))


@lru_cache(maxsize=4096)
def _shell_commands(script: str, _depth: int) -> tuple[Command, ...]:
    raw = _split(script[:MAX_SCRIPT_CHARS])
    commands: list[Command] = []
    for index, (line_offset, argv, operator) in enumerate(raw):
        if not argv:
            continue
        swallowed = operator == "||" and not _reraises(raw, index + 1)
        nested = _inline_script(argv)
        if nested is not None and _depth < MAX_NESTING:
            for inner in _shell_commands(nested, _depth + 1):
                commands.append(Command(line_offset, inner.argv, inner.non_blocking or swallowed))
            continue
        commands.append(Command(line_offset, tuple(argv), swallowed))
    return tuple(commands)


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


def _split(script: str) -> list[tuple[int, list[str], str]]:
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
            elif ch == "\\" and quote == '"' and i + 1 < n:
                i += 1
                ch = script[i]
                word.append(ch)
            else:
                word.append(ch)
            if ch == "\n":
                line += 1
            i += 1
            continue
        if ch == "\\" and i + 1 < n:
            if script[i + 1] == "\n":  # line continuation
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


def program_name(word: str) -> str:
    """``./bin/Dependency-Check.SH`` -> ``dependency-check.sh``; ``trivy.exe`` -> ``trivy``."""
    name = word.replace("\\", "/").rsplit("/", 1)[-1].lower()
    for suffix in (".exe", ".cmd", ".bat", ".ps1"):
        if name.endswith(suffix) and name != suffix:
            name = name[: -len(suffix)]
    return name


def effective_argv(argv: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Peel wrappers off a command so ``poetry run pip-audit`` reads as ``pip-audit``.

    The first word is returned as a normalised program name; later words are untouched.
    """
    words = list(argv)
    for _ in range(8):
        words = _drop_prefix_words(words)
        if not words:
            return ()
        head = program_name(words[0])
        peeled = _peel_runner(head, words)
        if peeled is None:
            return (head, *words[1:])
        words = peeled
    return tuple(words)


def _drop_prefix_words(words: list[str]) -> list[str]:
    index = 0
    while index < len(words) and (words[index] in _TRANSPARENT or _ASSIGNMENT.match(words[index])):
        index += 1
    return words[index:]


def _skip_options(words: list[str], index: int) -> int:
    """Index of the first word at or after ``index`` that is not an option or its value."""
    while index < len(words) and words[index].startswith("-"):
        option = words[index]
        index += 2 if option in _VALUE_OPTIONS else 1
    return index


def _peel_runner(head: str, words: list[str]) -> list[str] | None:
    """Words after a runner prefix, or ``None`` when ``head`` is the real program."""
    if _PYTHON.match(head):
        for index, word in enumerate(words[1:6], start=1):
            if word == "-m" and index + 1 < len(words):
                return words[index + 1:]
            if not word.startswith("-"):
                break
        return None
    if head in _RUNNERS:
        rest = _skip_options(words, 1)
        return words[rest:] if rest < len(words) else None
    verbs = _RUNNER_VERBS.get(head)
    if verbs and len(words) > 1 and words[1] in verbs:
        start = 2
        if head == "uv" and words[1] == "tool" and len(words) > 2 and words[2] == "run":
            start = 3
        rest = _skip_options(words, start)
        return words[rest:] if rest < len(words) else None
    if head == "go" and len(words) > 2 and words[1] == "run":
        rest = _skip_options(words, 2)
        if rest < len(words):
            package = words[rest].split("@", 1)[0].rstrip("/")
            return [package.rsplit("/", 1)[-1], *words[rest + 1:]]
        return None
    if head in ("docker", "podman", "nerdctl") and len(words) > 2 and words[1] in ("run", "container"):
        start = 3 if words[1] == "container" and len(words) > 2 and words[2] == "run" else 2
        rest = _skip_options(words, start)
        if rest < len(words):
            image = words[rest].split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0]
            return [image, *words[rest + 1:]]
        return None
    return None
