"""Shell scripts of the repository that a command runs: ``./ci/test.sh``, ``bash x.sh args``,
``sh -e x``, ``source env.sh``, ``. ./lib.sh``, ``pwsh -File build.ps1``, ``.\\build.cmd``.

A script runs in the caller's folder (not its own), with the words after it as its
positional parameters (``$1``, ``"$@"``), which the resolution layer substitutes and uses to
pick the branch of a ``case "$1" in`` dispatch. Only shell scripts are followed: a file named
``.sh``/``.bash``/``.zsh``/``.ksh``, a PowerShell ``.ps1``, a ``cmd`` ``.bat``/``.cmd``, or a
file without those suffixes whose first line is a shell's ``#!`` line; a Python or Node
script is a program, not shell text.
"""

from __future__ import annotations

import re

from linter.detectors.ci.runners import Context, Work
from linter.detectors.ci.wrappers import program_name

_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash"})
_SOURCE = frozenset({"source", "."})
_POWERSHELL = frozenset({"pwsh", "powershell"})
#: Options of sh/bash that take a value (``-o pipefail``, ``--rcfile f``).
_SHELL_VALUE_OPTIONS = frozenset({"-o", "+o", "-O", "+O", "--rcfile", "--init-file"})
_SHEBANG = re.compile(r"#![^\n]{0,200}\b(?:ba|z|k|da|a)?sh\b")
_SUFFIX_DIALECTS = {".sh": "", ".bash": "", ".zsh": "", ".ksh": "", ".ps1": "pwsh", ".bat": "cmd", ".cmd": "cmd"}


def follow(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    """The script a command runs, as work with its arguments; ``None`` when it runs none."""
    head = program_name(words[0])
    if head in _SHELLS or head in _POWERSHELL:
        index = _script_index(words, head)
        if index is None:
            return None
        script, args = words[index], words[index + 1:]
    elif head in _SOURCE:
        if len(words) < 2:
            return None
        script, args = words[1], words[2:]
    elif "/" in words[0] or "\\" in words[0] or words[0].lower().endswith(tuple(_SUFFIX_DIALECTS)):
        script, args = words[0], words[1:]
    else:
        return None
    path = ctx.repo_path(cwd, script)
    if path is None:
        return None
    text = ctx.read(path)
    if text is None:
        return None
    dialect = _dialect(path, text, head)
    if dialect is None:
        return None
    return [Work(path, 1, text, cwd, tuple(args), dialect)]


def _script_index(words: tuple[str, ...], head: str) -> int | None:
    """Index of the script file in ``bash [options] file args`` (``None`` for ``bash -c``)."""
    index = 1
    while index < len(words):
        word = words[index]
        if head in _POWERSHELL and word.lower() in ("-file", "-f"):
            return index + 1 if index + 1 < len(words) else None
        if head in _POWERSHELL and word.lower() in ("-command", "-c", "-encodedcommand"):
            return None
        if not word.startswith(("-", "+")):
            return index
        if word in ("-c",) or (word.startswith("-") and not word.startswith("--") and "c" in word[1:]):
            return None  # an inline script, read by the tokenizer
        index += 2 if word in _SHELL_VALUE_OPTIONS else 1
    return None


def _dialect(path: str, text: str, head: str) -> str | None:
    """``""`` for a POSIX shell script, ``pwsh``/``cmd`` for those, ``None`` for other files."""
    lowered = path.lower()
    for suffix, dialect in _SUFFIX_DIALECTS.items():
        if lowered.endswith(suffix):
            return dialect
    first = text[:300].lstrip("\ufeff")
    if first.startswith("#!"):
        return "" if _SHEBANG.match(first) else None
    if "." in lowered.rsplit("/", 1)[-1]:
        return None  # a file of another kind (x.py, x.rb, x.js)
    return "" if head in _SHELLS or head in _SOURCE else None
