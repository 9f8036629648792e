"""mise tasks: ``mise run test``, ``mise r lint ::: test``, ``mise test``, as mise documents them.

Tasks are read, never run, from:

* the config files of the folder the command runs in and of every folder above it (a task
  of a nearer folder wins), each folder's files in mise's order of precedence, highest first:
  ``mise.local.toml`` is left out (not committed); ``.mise.toml``, ``mise.toml``,
  ``mise/config.toml``, ``.mise/config.toml``, ``.config/mise.toml``,
  ``.config/mise/config.toml``. A ``[tasks.<name>]`` table (or ``<name> = "cmd"`` under
  ``[tasks]``) has ``run`` (a string, or a list of strings and ``{ task = ... }`` /
  ``{ tasks = [...] }``), ``depends`` and ``depends_post`` (task names, with arguments, or
  globs such as ``lint:*``), ``file`` (a script to run), ``dir`` and ``alias``; ``{{vars.x}}``
  reads ``[vars]``, other templates (``{{arg(name="x")}}``) stay unknown;
* file tasks: the files under ``mise-tasks/``, ``.mise-tasks/``, ``mise/tasks/``,
  ``.mise/tasks/`` and ``.config/mise/tasks/`` of those folders, named by their path there
  with ``:`` for ``/`` (``mise-tasks/test/unit`` is ``test:unit``; a ``_default`` file names
  its folder; the name without the file's extension is accepted too), their ``#MISE
  depends=[...]`` header read; a file whose ``#!`` line names a shell, or none, is read as
  shell text with the task's arguments as ``$1``...; other languages are not followed.
  Whether the file is executable is not checked; ``.toml`` task files there are not read.

A task hands on its ``depends`` first (as ``mise run <dep>``, so a dependency named for tests
counts by its name and the chain shows every hop), then its commands, then its
``depends_post``. ``--skip-deps`` skips dependencies; ``mise run`` alone runs ``default``.
``[task_config] includes`` and ``mise.<env>.toml`` files are not read. ``mise exec``/``mise x``
are wrappers (``linter.detectors.ci.wrappers``). Depth, cycles and file budgets are the
resolution layer's (``linter.detectors.ci.resolve``).
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
import shlex
import tomllib
from typing import Any

from linter.detectors.ci.runners import Context, Work, bounded_sub
from linter.detectors.ci.wrappers import program_name
from linter.fast_dataclass import dataclass, field

#: Config files of one folder, highest precedence first, with the folder they are rooted in
#: (how many levels above the file).
CONFIG_FILES = ((".mise.toml", 0), ("mise.toml", 0), ("mise/config.toml", 1), (".mise/config.toml", 1),
                (".config/mise.toml", 1), (".config/mise/config.toml", 2))
TASK_DIRS = ("mise-tasks", ".mise-tasks", "mise/tasks", ".mise/tasks", ".config/mise/tasks")
MAX_TASKS = 2_000
MAX_LINES = 500
MAX_FOLDERS = 40
MAX_FILE_TASKS = 2_000
#: mise's own subcommands (and their aliases): ``mise <word>`` names a task only otherwise.
SUBCOMMANDS = frozenset({
    "activate", "alias", "a", "backends", "b", "bin-paths", "cache", "completion", "config", "cfg", "deactivate",
    "doctor", "dr", "en", "env", "e", "exec", "x", "fmt", "generate", "g", "implode", "install", "i",
    "install-into", "latest", "link", "ln", "lock", "ls", "list", "ls-remote", "mcp", "outdated", "plugins", "p",
    "prune", "registry", "reshim", "run", "r", "search", "self-update", "set", "settings", "shell", "sh", "sync",
    "tasks", "t", "task", "test-tool", "tool", "tool-stub", "trust", "uninstall", "unset", "unuse", "rm", "remove",
    "upgrade", "up", "use", "u", "usage", "version", "v", "watch", "w", "where", "which", "edit", "help",
})
#: Global options, and ``mise run`` options, that take a value.
_VALUE_OPTIONS = frozenset({"-C", "--cd", "-E", "--env", "-j", "--jobs", "-t", "--tool", "-o", "--output",
                            "--timeout", "--log-level", "--shell", "-s"})
_MISE_HEADER = re.compile(r"^\s*(?:#|//)(?:MISE|\s*\[MISE\])\s+(.{1,2000})$")
_SHELL_SHEBANG = re.compile(r"#![^\n]{0,200}\b(?:ba|z|k|da|a)?sh\b")
#: ``{{ expression }}``, blanks included (the reader strips them): one possessive run, so a
#: ``{{`` before a long run of blanks is read once (``\s*`` on both sides of a lazy group
#: tried every split of the run).
_TEMPLATE = re.compile(r"\{\{([^{}]{1,1000}+)\}\}")


@dataclass
class Task:
    """One task: where it is written, what it waits for, what it runs and in which folder."""

    path: str
    line: int
    folder: str
    depends: list[str] = field(default_factory=list)
    #: Line of ``depends`` (and ``depends_post``), where the dependencies are handed on.
    depends_line: int = 0
    post: list[str] = field(default_factory=list)
    runs: list[tuple[int, str]] = field(default_factory=list)
    #: A file task's whole text (read as shell), or ``None``.
    script: str | None = None
    dialect: str = ""
    #: A file task not read yet: read when a command names it (reads count against the budget).
    unread: bool = False


@dataclass
class Tasks:
    """Every task reachable from one folder, by name and alias."""

    tasks: dict[str, Task] = field(default_factory=dict)

    def get(self, name: str) -> Task | None:
        return self.tasks.get(name)


# --------------------------------------------------------------------------- the command
def follow(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    """The work of ``mise run TASK...`` (``mise r``, ``mise tasks run``, ``mise TASK``)."""
    if program_name(words[0]) != "mise":
        return None
    index = _skip_options(words, 1)
    if index >= len(words):
        return None
    verb = words[index]
    if verb in ("tasks", "task", "t") and index + 1 < len(words) and words[index + 1] in ("run", "r"):
        index += 1
        verb = "run"
    folder = _folder(ctx, words, cwd)
    if folder is None:
        return []
    table = _table(ctx, folder)
    if verb in ("run", "r"):
        start = index + 1
    elif verb in SUBCOMMANDS or verb.startswith("-") or table.get(verb) is None:
        return None  # a mise command of its own (``mise install``, ``mise exec`` is a wrapper)
    else:
        start = index
    skip_deps = "--skip-deps" in words[index:]
    runs = _requested(words, start)
    if not runs:
        runs = [("default", ())]
    work: list[Work] = []
    for name, args in runs[:50]:
        work.extend(_task_work(ctx, table, name, args, skip_deps))
    return work


def task_names(words: tuple[str, ...]) -> list[str]:
    """The tasks a ``mise`` command names (``mise run a ::: b``, ``mise a``), whether or not
    they exist; ``[]`` for mise's own commands."""
    index = _skip_options(words, 1)
    if index >= len(words):
        return []
    if words[index] in ("tasks", "task", "t") and words[index + 1:index + 2] in (("run",), ("r",)):
        index += 1
    if words[index] in ("run", "r"):
        return [name for name, _ in _requested(words, index + 1)]
    if words[index] in SUBCOMMANDS or words[index].startswith("-"):
        return []
    return [name for name, _ in _requested(words, index)]


def _skip_options(words: tuple[str, ...], index: int) -> int:
    while index < len(words) and words[index].startswith("-") and words[index] != "--":
        index += 2 if words[index] in _VALUE_OPTIONS else 1
    return index


def _folder(ctx: Context, words: tuple[str, ...], cwd: str) -> str | None:
    """The folder tasks are looked up from: ``cwd``, or the ``-C``/``--cd`` one."""
    for index, word in enumerate(words[:-1]):
        if word in ("-C", "--cd"):
            target = words[index + 1]
            if "$" in target or target.startswith(("/", "~")):
                return None
            joined = posixpath.normpath(posixpath.join(cwd or ".", target))
            return None if joined.startswith("..") else ("" if joined == "." else joined)
    return cwd


def _requested(words: tuple[str, ...], start: int) -> list[tuple[str, tuple[str, ...]]]:
    """``[task [args...]] [::: task [args...]]...`` after the run options."""
    out: list[tuple[str, tuple[str, ...]]] = []
    index = _skip_options(words, start)
    current: list[str] = []
    for word in words[index:]:
        if word == ":::":
            if current:
                out.append((current[0], tuple(a for a in current[1:] if a != "--")))
            current = []
            continue
        if not current and word.startswith("-"):
            continue
        current.append(word)
    if current:
        out.append((current[0], tuple(a for a in current[1:] if a != "--")))
    return out


def _task_work(ctx: Context, table: Tasks, name: str, args: tuple[str, ...], skip_deps: bool) -> list[Work]:
    task = table.get(name)
    if task is None:
        return []
    if task.unread:
        task.unread = False
        text = ctx.read(task.path)
        if text is not None:
            _read_file_task(task, text)
    work: list[Work] = []
    if not skip_deps:
        work.extend(Work(task.path, task.depends_line or task.line, f"mise run {dep}", task.folder)
                    for dep in _names(table, task.depends))
    if task.script is not None:
        work.append(Work(task.path, 1, task.script, task.folder, args, task.dialect))
    work.extend(Work(task.path, line, text, task.folder) for line, text in task.runs)
    work.extend(Work(task.path, task.depends_line or task.line, f"mise run {dep}", task.folder)
                for dep in _names(table, task.post))
    return work


def _names(table: Tasks, entries: list[str]) -> list[str]:
    """Dependency entries with globs (``lint:*``) matched against the task names."""
    out: list[str] = []
    for entry in entries[:100]:
        head, _, rest = entry.partition(" ")
        if any(c in head for c in "*?["):
            out.extend(n for n in sorted(table.tasks)[:MAX_TASKS] if fnmatch.fnmatchcase(n, head[:200]))
        else:
            out.append(shlex.quote(head) + (f" {rest}" if rest else ""))
    return out[:200]


# --------------------------------------------------------------------------- the tasks of a folder
def _table(ctx: Context, folder: str) -> Tasks:
    key = ("mise-table", folder)
    if key not in ctx.parsed:
        table = Tasks()
        current = posixpath.normpath(folder) if folder else "."
        for _ in range(MAX_FOLDERS):
            base = "" if current in ("", ".") else current
            for name, levels in CONFIG_FILES:
                path = f"{base}/{name}" if base else name
                if ctx.ws.exists(path):
                    parsed = ctx.parse("mise", path, lambda p, t, up=levels: parse_config(p, t, up))
                    for task_name, task in (parsed or {}).items():
                        table.tasks.setdefault(task_name, task)
            for task_name, task in _file_tasks(ctx, base).items():
                table.tasks.setdefault(task_name, task)
            if current in ("", "."):
                break
            current = posixpath.dirname(current) or "."
        ctx.parsed[key] = table
    return ctx.parsed[key]  # type: ignore[no-any-return]


def parse_config(path: str, text: str, levels: int = 0) -> dict[str, Task]:
    """Tasks (and their aliases) of one mise config file."""
    data = tomllib.loads(text)
    folder = path
    for _ in range(levels + 1):
        folder = posixpath.dirname(folder)
    variables = {str(k): str(v) for k, v in data.get("vars", {}).items() if isinstance(v, (str, int, float))} \
        if isinstance(data.get("vars"), dict) else {}
    tasks = data.get("tasks")
    lines = _Lines(text.split("\n"))
    out: dict[str, Task] = {}
    for name, body in list(tasks.items())[:MAX_TASKS] if isinstance(tasks, dict) else ():
        name = str(name)
        if isinstance(body, (str, list)):
            body = {"run": body}
        if not isinstance(body, dict):
            continue
        line = lines.task(name)
        task = Task(path, line, _task_folder(folder, body.get("dir")), depends=_entries(body.get("depends")),
                    depends_line=lines.key(line, "depends"), post=_entries(body.get("depends_post")))
        run = body.get("run")
        run_line = lines.key(line, "run")
        for item in ([run] if isinstance(run, str) else run if isinstance(run, list) else [])[:MAX_LINES]:
            if isinstance(item, str):
                if _runs_shell(item):
                    task.runs.append((lines.text(run_line, item), _templated(item, variables)))
            elif isinstance(item, dict):
                called = [item["task"]] if isinstance(item.get("task"), str) else \
                    [t for t in item.get("tasks", []) if isinstance(t, str)] if isinstance(item.get("tasks"), list) else []
                task.runs.extend((run_line, f"mise run {shlex.quote(t)}") for t in called[:50])
        script = body.get("file")
        if isinstance(script, str) and script.strip() and "{{" not in script:
            word = script.strip()
            task.runs.append((lines.key(line, "file"), shlex.quote(word if "/" in word else f"./{word}")))
        out[name] = task
        alias = body.get("alias")
        for other in ([alias] if isinstance(alias, str) else alias if isinstance(alias, list) else [])[:20]:
            if isinstance(other, str) and other not in tasks:
                out.setdefault(other, task)
    return out


def _entries(value: Any) -> list[str]:
    """``depends`` as strings: ``"lint"``, ``["lint", "test --all"]``, ``[["build", "--release"]]``."""
    out: list[str] = []
    for item in ([value] if isinstance(value, str) else value if isinstance(value, list) else [])[:100]:
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
        elif isinstance(item, list) and item and all(isinstance(w, str) for w in item):
            out.append(" ".join(item))
        elif isinstance(item, dict) and isinstance(item.get("task"), str):
            out.append(item["task"])
    return out


def _task_folder(folder: str, given: Any) -> str:
    """Where a task runs: the config's project folder, or its literal relative ``dir``."""
    if isinstance(given, str) and given.strip() and "{{" not in given and not given.startswith(("/", "~", "$")):
        joined = posixpath.normpath(posixpath.join(folder or ".", given.strip()))
        if not joined.startswith(".."):
            return "" if joined == "." else joined
    return folder


def _runs_shell(text: str) -> bool:
    """A ``run`` script is shell text unless its ``#!`` line names another language."""
    first = text.lstrip()[:300]
    return not first.startswith("#!") or bool(_SHELL_SHEBANG.match(first))


def _templated(text: str, variables: dict[str, str]) -> str:
    """``{{vars.x}}`` from ``[vars]``, ``{{env.X}}`` as ``$X``; other templates unknown."""
    def replace(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        if expression.startswith("vars.") and expression[5:] in variables:
            return variables[expression[5:]]
        if re.fullmatch(r"env\.[A-Za-z_]\w{0,100}", expression):
            return "${" + expression[4:] + "}"
        if expression in ("config_root", "cwd"):
            return "."
        return "${MISE_TEMPLATE}"
    return bounded_sub(_TEMPLATE, replace, text)


#: A task name as a TOML key: quoted (``"lint:fix"``, ``'x'``) or bare.
_NAME = r"""(?:"([^"\n]{0,300})"|'([^'\n]{0,300})'|([^\s.=\[\]"']{1,300}))"""
_HEADER = re.compile(rf"^\s*\[\s*tasks\s*\.\s*{_NAME}\s*\]")
_DOTTED = re.compile(rf"^\s*tasks\s*\.\s*{_NAME}\s*[.=]")
_IN_TASKS = re.compile(rf"^\s*{_NAME}\s*[.=]")
#: Lines the key and command look-ups of one file may visit in all: each looks a short way
#: ahead of its table, but a file of thousands of tasks whose tables cannot be found would
#: otherwise make that tasks x lines. Past it a look-up answers the table's line.
LINE_BUDGET = 200_000


class _Lines:
    """Where things are written in one mise config file, for evidence lines.

    Task tables are found in one pass over the file (a search per task was tasks x lines:
    2,000 inline tasks over 50,000 comment lines took half a minute); the look-ups below a
    table share ``LINE_BUDGET``."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.budget = LINE_BUDGET
        self.tasks: dict[str, int] = {}
        section = ""
        for number, line in enumerate(lines[:50_000], start=1):
            match = _HEADER.match(line) or _DOTTED.match(line)
            if match is not None:
                self.tasks.setdefault(_name_of(match), number)
            stripped = line.strip()
            if stripped.startswith("["):
                section = stripped
            elif section.replace(" ", "") == "[tasks]":
                match = _IN_TASKS.match(line)
                if match is not None:
                    self.tasks.setdefault(_name_of(match), number)

    def task(self, name: str) -> int:
        """The line that starts task ``name``'s table (1 when it cannot be found: inline tables)."""
        return self.tasks.get(name, 1)

    def key(self, start: int, key: str) -> int:
        """Line of ``key = ...`` in the table that starts on ``start``, or ``start``."""
        lines = self.lines
        pattern = re.compile(rf"^\s*(?:[\w.\"'-]+\.)?{key}\s*=")
        for number in range(start, min(len(lines), start + 2_000)):
            if self._spent():
                break
            line = lines[number - 1] if number > start else lines[number - 1].split("]", 1)[-1]
            if number > start and line.lstrip().startswith("["):
                break
            if pattern.match(line) or (number == start and re.search(rf"\b{key}\s*=", line)):
                return number
        return start

    def text(self, start: int, command: str) -> int:
        """The line a command's first line is written on, at or after ``start``."""
        first = next((part.strip() for part in command.split("\n") if part.strip()), "")[:60]
        if not first:
            return start
        lines = self.lines
        for number in range(start, min(len(lines), start + MAX_LINES * 4) + 1):
            if self._spent():
                break
            if first in lines[number - 1]:
                return number
        return start

    def _spent(self) -> bool:
        self.budget -= 1
        return self.budget < 0


def _name_of(match: re.Match[str]) -> str:
    return next(g for g in match.groups() if g is not None)


# --------------------------------------------------------------------------- file tasks
def _file_tasks(ctx: Context, base: str) -> dict[str, Task]:
    """File tasks of one folder's task directories, by name."""
    key = ("mise-files", base)
    if key in ctx.parsed:
        return ctx.parsed[key]  # type: ignore[no-any-return]
    everything = ctx.parsed.get(("mise-files", "*"))
    if everything is None:
        everything = ctx.ws.paths_in_folder_named("mise-tasks", ".mise-tasks", "tasks")
        ctx.parsed[("mise-files", "*")] = everything
    out: dict[str, Task] = {}
    for directory in TASK_DIRS:
        prefix = f"{base}/{directory}/" if base else f"{directory}/"
        for path in [p for p in everything if p.startswith(prefix) and not p.endswith(".toml")][:MAX_FILE_TASKS]:
            relative = path[len(prefix):]
            names = [relative.replace("/", ":")]
            stem = names[0].rsplit(".", 1)[0] if "." in relative.rsplit("/", 1)[-1] else ""
            if stem:
                names.append(stem)
            if relative.rsplit("/", 1)[-1].split(".", 1)[0] == "_default":
                names.append(relative.rsplit("/", 1)[0].replace("/", ":") if "/" in relative else "default")
            task = Task(path, 1, base, unread=True)
            for name in names:
                out.setdefault(name, task)
    ctx.parsed[key] = out
    return out


def _read_file_task(task: Task, text: str) -> None:
    text = text[:200_000]
    for line in text.split("\n")[:100]:
        header = _MISE_HEADER.match(line.strip())
        if header is None:
            continue
        try:
            data = tomllib.loads(header.group(1))
        except (tomllib.TOMLDecodeError, ValueError, RecursionError):
            continue
        if "depends" in data:
            task.depends = _entries(data.get("depends"))
        if "depends_post" in data:
            task.post = _entries(data.get("depends_post"))
    first = text.lstrip("\ufeff")[:300]
    if task.path.lower().endswith(".ps1"):
        task.script, task.dialect = text, "pwsh"
    elif not first.startswith("#!") or _SHELL_SHEBANG.match(first):
        task.script = text
