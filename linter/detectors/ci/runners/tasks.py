"""Task runners whose tasks are written in the repository: just, Task (``Taskfile.yml``),
Rake, Mage, psake and devbox scripts.

Each reader hands on a task's dependencies first, as a command of the runner naming the task
(``just build``, ``rake test``), so a dependency named for tests counts by its name and the
chain shows every hop, then the task's own command lines:

* just (``justfile``): recipes ``name args: deps`` with indented lines (``@``/``-`` prefixes
  dropped, ``{{var}}`` from ``name := "value"``); ``just`` alone runs the ``default`` recipe,
  else the first;
* Task (``Taskfile.yml``): ``tasks.<name>.cmds`` (strings, ``cmd:``, ``task:``) and ``deps``,
  ``dir``, ``{{.VAR}}`` from ``vars``; ``task`` alone runs ``default``;
* Rake (``Rakefile``): ``task name: [deps] do ... end`` (``sh``/``system``/``ruby`` lines,
  ``Rake::Task["x"].invoke``), namespaces, ``task default: :test``; ``Rake::TestTask`` and
  ``Minitest::TestTask`` tasks run ``rake_test_loader.rb`` over the test files, an
  ``RSpec::Core::RakeTask`` runs ``rspec``;
* Mage (``magefile.go``): exported functions as targets (``mage test`` runs ``Test``),
  ``mg.Deps(...)``, and ``sh.Run("go", "test", "./...")``-style calls with literal words;
* psake (``Invoke-psake build.ps1 [tasks]``): ``task Name -depends A,B { ... }``, the
  ``default`` task when none is named;
* devbox (``devbox run name``): ``shell.scripts`` of ``devbox.json``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from linter.detectors.ci.runners import Context, Work, bounded_sub, folder_of
from linter.detectors.ci.wrappers import program_name
from linter.fast_dataclass import dataclass, field

MAX_TASKS = 2_000
MAX_LINES = 500


@dataclass
class TaskFile:
    """Tasks of one runner file: name -> (line, dependencies, command lines (line, text))."""

    path: str
    tasks: dict[str, tuple[int, list[str], list[tuple[int, str]]]] = field(default_factory=dict)
    default: str = ""


def _work(parsed: TaskFile | None, names: list[str], runner: str, cwd: str | None = None) -> list[Work]:
    """Dependencies (as ``runner dep``) then command lines of the named tasks (or the default)."""
    if parsed is None:
        return []
    folder = folder_of(parsed.path) if cwd is None else cwd
    work: list[Work] = []
    for name in names or ([parsed.default] if parsed.default else []):
        task = parsed.tasks.get(name)
        if task is None:
            continue
        line, deps, lines = task
        work.extend(Work(parsed.path, line, f"{runner} {dep}", folder) for dep in deps if dep in parsed.tasks)
        work.extend(Work(parsed.path, number, text, folder) for number, text in lines)
    return work


def _targets(words: tuple[str, ...], value_options: frozenset[str] = frozenset()) -> list[str]:
    out: list[str] = []
    skip = False
    for word in words[1:]:
        if skip:
            skip = False
            continue
        if word == "--":
            break
        if word.startswith("-"):
            skip = word in value_options
            continue
        if "=" in word:
            continue
        out.append(word)
    return out


# --------------------------------------------------------------------------- just
#: ``name params: deps``: the parameters run to the first ``:`` or ``=`` in one possessive run
#: (a lazy run before ``\s*`` tried every split of a line of blanks: cubic).
_JUST_RECIPE = re.compile(r"^@?([A-Za-z_][\w-]*+)((?:\s[^:=]*+)?):(?!=)\s*(.*)$")
_JUST_ASSIGN = re.compile(r"^(?:export\s+)?([A-Za-z_][\w-]*)\s*:=\s*(.*)$")
_JUST_ALIAS = re.compile(r"^alias\s+([A-Za-z_][\w-]*)\s*:=\s*([A-Za-z_][\w-]*)")


def parse_justfile(path: str, text: str) -> TaskFile:
    parsed = TaskFile(path)
    variables: dict[str, str] = {}
    aliases: dict[str, str] = {}
    current: str | None = None
    for number, line in enumerate(text.split("\n")[:50_000], start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            if current and line.startswith(("#!", "  #!", "\t#!")):
                continue
            continue
        if line[:1] in (" ", "\t"):
            if current is not None and len(parsed.tasks[current][2]) < MAX_LINES:
                body = _just_interpolate(line.strip().lstrip("@-").strip(), variables)
                if body and not body.startswith("#!"):
                    parsed.tasks[current][2].append((number, body))
            continue
        current = None
        if line.startswith("["):
            continue
        alias = _JUST_ALIAS.match(line)
        assign = _JUST_ASSIGN.match(line)
        if alias:
            aliases[alias.group(1)] = alias.group(2)
        elif assign:
            variables[assign.group(1)] = assign.group(2).strip().strip("\"'")
        else:
            recipe = _JUST_RECIPE.match(line)
            if recipe and len(parsed.tasks) < MAX_TASKS:
                name = recipe.group(1)
                deps = [d.strip("()") for d in recipe.group(3).split("#", 1)[0].split() if d.strip("()")]
                parsed.tasks[name] = (number, [d.split("(")[0] for d in deps], [])
                parsed.default = parsed.default or name
                current = name
    if "default" in parsed.tasks:
        parsed.default = "default"
    for alias, target in aliases.items():
        if target in parsed.tasks and alias not in parsed.tasks:
            parsed.tasks[alias] = parsed.tasks[target]
    return parsed


_JUST_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][\w-]*)\s*\}\}")


def _just_interpolate(text: str, variables: dict[str, str]) -> str:
    return bounded_sub(_JUST_VARIABLE, lambda m: variables.get(m.group(1), "${" + m.group(1) + "}"), text)


def follow_just(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    if program_name(words[0]) != "just":
        return None
    names = _targets(words, frozenset({"-f", "--justfile", "-d", "--working-directory", "--set"}))
    path = next((p for n in ("justfile", "Justfile", ".justfile", "JUSTFILE") if (p := ctx.nearest(cwd, n))), None)
    if path is None:
        return []
    parsed = ctx.parse("just", path, parse_justfile)
    return _work(parsed, names[:1] if names and names[0] in (parsed.tasks if parsed else {}) else names, "just")


# --------------------------------------------------------------------------- Task
def parse_taskfile(path: str, text: str) -> TaskFile:
    from linter.repo.yamlio import line_of, load_yaml

    parsed = TaskFile(path)
    loaded = load_yaml(text)
    data = next((d.data for d in loaded.documents if isinstance(d.data, dict)), None) if loaded else None
    if not isinstance(data, dict):
        return parsed
    variables = {str(k): str(v) for k, v in (data.get("vars") or {}).items() if isinstance(v, (str, int, float))} \
        if isinstance(data.get("vars"), dict) else {}
    tasks = data.get("tasks")
    for name, body in list(tasks.items())[:MAX_TASKS] if isinstance(tasks, dict) else ():
        line = line_of(tasks, name, 1)
        if isinstance(body, str):
            body = {"cmds": [body]}
        elif isinstance(body, list):
            body = {"cmds": body}
        if not isinstance(body, dict):
            continue
        deps = [d if isinstance(d, str) else str(d.get("task", "")) for d in body.get("deps") or []
                if isinstance(d, (str, dict))] if isinstance(body.get("deps"), list) else []
        lines: list[tuple[int, str]] = []
        cmds = body.get("cmds") if isinstance(body.get("cmds"), list) else [body["cmd"]] if isinstance(body.get("cmd"), str) else []
        for index, cmd in enumerate(cmds[:MAX_LINES]):
            cmd_line = line_of(cmds, index, line) if isinstance(cmds, list) else line
            if isinstance(cmd, dict) and isinstance(cmd.get("task"), str):
                lines.append((cmd_line, f"task {cmd['task']}"))
                continue
            text_cmd = cmd.get("cmd") if isinstance(cmd, dict) else cmd
            if isinstance(text_cmd, str):
                lines.append((cmd_line, _go_template(text_cmd, variables)))
        parsed.tasks[str(name)] = (line, deps, lines)
    parsed.default = "default"
    return parsed


_GO_VARIABLE = re.compile(r"\{\{\s*\.([A-Za-z_]\w*)\s*\}\}")


def _go_template(text: str, variables: dict[str, str]) -> str:
    return bounded_sub(_GO_VARIABLE, lambda m: variables.get(m.group(1), "${" + m.group(1) + "}"), text)


def follow_task(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    if program_name(words[0]) not in ("task", "go-task"):
        return None
    names = _targets(words, frozenset({"-t", "--taskfile", "-d", "--dir", "-o", "--output"}))
    path = next((p for n in ("Taskfile.yml", "taskfile.yml", "Taskfile.yaml", "taskfile.yaml", "Taskfile.dist.yml")
                 if (p := ctx.nearest(cwd, n))), None)
    if path is None:
        return []
    return _work(ctx.parse("taskfile", path, parse_taskfile), names, "task")


# --------------------------------------------------------------------------- Rake
_RAKE_TASK = re.compile(  # possessive blanks: ``\s*\(?\s*`` tried every split of a run of blanks
    r"""^(\s*+)task\s*+\(?\s*+(?::([\w?!]+)|["']([^"']{1,100})["']|([\w?!]+):|["']([^"']{1,100})["']:)\s*(.*)$""")
_RAKE_NAMESPACE = re.compile(r"""^(\s*+)namespace\s*+\(?\s*+(?::([\w]+)|["']([^"']{1,100})["'])""")
_RAKE_TESTTASK = re.compile(
    r"""^(\s*)(Rake::TestTask|Minitest::TestTask|RSpec::Core::RakeTask)\.(?:new|create)\s*\(?\s*(?::([\w:]+)|["']([^"']{1,100})["'])?""")
_RAKE_SH = re.compile(r"""^\s*(sh|system|ruby)\b\s*\(?\s*(?:%[qQ]?[(\[{]([^)\]}]*)[)\]}]|"([^"]*)"|'([^']*)')""")
_RAKE_INVOKE = re.compile(r"""Rake::Task\[\s*["':]?([\w:]+)["']?\s*\]\.(?:invoke|execute)""")
_SYMBOLS = re.compile(r""":([\w?!:]+)|["']([^"']{1,100})["']|%w[\[(]([^\])]*)[\])]""")


def parse_rakefile(path: str, text: str) -> TaskFile:
    parsed = TaskFile(path)
    namespaces: list[tuple[int, str]] = []
    current: tuple[str, int] | None = None  # task name, indentation of its `task` line
    for number, line in enumerate(text.split("\n")[:50_000], start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        while namespaces and indent <= namespaces[-1][0] and stripped == "end":
            namespaces.pop()
            break
        if current and indent <= current[1] and stripped == "end":
            current = None
            continue
        prefix = "".join(f"{n}:" for _, n in namespaces)
        space = _RAKE_NAMESPACE.match(line)
        if space:
            namespaces.append((indent, space.group(2) or space.group(3)))
            continue
        test_task = _RAKE_TESTTASK.match(line)
        if test_task and len(parsed.tasks) < MAX_TASKS:
            kind = test_task.group(2)
            name = prefix + (test_task.group(3) or test_task.group(4) or ("spec" if "RSpec" in kind else "test"))
            runs = "rspec" if "RSpec" in kind else "rake_test_loader.rb"
            parsed.tasks[name] = (number, [], [(number, runs)])
            continue
        task = _RAKE_TASK.match(line)
        if task and len(parsed.tasks) < MAX_TASKS:
            name = prefix + next(g for g in task.group(2, 3, 4, 5) if g)
            rest = task.group(6)
            deps_text = rest.split("=>", 1)[1] if "=>" in rest else rest if task.group(4) or task.group(5) else ""
            deps_text = deps_text.split(" do", 1)[0].split("{", 1)[0]
            deps = [d for m in _SYMBOLS.finditer(deps_text) for d in ((m.group(3) or "").split() or [m.group(1) or m.group(2)])]
            known = parsed.tasks.get(name)
            parsed.tasks[name] = (known[0] if known else number, (known[1] if known else []) + deps,
                                  known[2] if known else [])
            current = (name, indent) if re.search(r"\bdo\b(\s*\|[^|]*\|)?\s*$", rest) else None
            continue
        if current is not None:
            lines = parsed.tasks[current[0]][2]
            run = _RAKE_SH.match(line)
            invoke = _RAKE_INVOKE.search(line)
            if run and len(lines) < MAX_LINES:
                command = next(g for g in run.group(2, 3, 4) if g is not None)
                lines.append((number, f"ruby {command}" if run.group(1) == "ruby" else command))
            elif invoke:
                lines.append((number, f"rake {invoke.group(1)}"))
    parsed.default = "default"
    return parsed


def follow_rake(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    if program_name(words[0]) != "rake":
        return None
    names = [n.split("[", 1)[0] for n in _targets(words, frozenset({"-f", "--rakefile", "-C", "--directory", "-I"}))]
    path = next((p for n in ("Rakefile", "rakefile", "Rakefile.rb", "rakefile.rb") if (p := ctx.nearest(cwd, n))), None)
    if path is None:
        return []
    return _work(ctx.parse("rake", path, parse_rakefile), names, "rake")


# --------------------------------------------------------------------------- Mage
_GO_FUNC = re.compile(r"^func\s+(?:\(\s*(?:\w+\s+)?(\w+)\s*\)\s*)?([A-Z]\w*)\s*\(", re.M)
_MAGE_DEPS = re.compile(r"mg\.(?:Deps|SerialDeps|CtxDeps|SerialCtxDeps)\(([^)]*)\)")
_MAGE_SH = re.compile(r"sh\.(?:Run|RunV|RunWith|RunWithV|Exec|Output|OutputWith)\(([^)]*)\)")
_GO_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|`([^`]*)`')
_MAGE_DEFAULT = re.compile(r"^var\s+Default\s*=\s*(?:(\w+)\.)?(\w+)", re.M)


def parse_magefile(path: str, text: str) -> TaskFile:
    parsed = TaskFile(path)
    text = text[:300_000]
    functions = list(_GO_FUNC.finditer(text))
    for index, match in enumerate(functions[:MAX_TASKS]):
        end = functions[index + 1].start() if index + 1 < len(functions) else len(text)
        body = text[match.end():end]
        base = text.count("\n", 0, match.end()) + 1
        namespace, name = match.group(1), match.group(2)
        full = f"{namespace}:{name}".lower() if namespace else name.lower()
        deps = [d.strip().split(".")[-1].lower() for m in _MAGE_DEPS.finditer(body) for d in m.group(1).split(",")
                if d.strip()]
        lines: list[tuple[int, str]] = []
        for call in _MAGE_SH.finditer(body):
            words = [m.group(1) if m.group(1) is not None else m.group(2) for m in _GO_STRING.finditer(call.group(1))]
            if words:
                lines.append((base + body.count("\n", 0, call.start()), " ".join(words)))
        parsed.tasks[full] = (base, deps, lines[:MAX_LINES])
    default = _MAGE_DEFAULT.search(text)
    parsed.default = default.group(2).lower() if default else ""
    return parsed


def follow_mage(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    if program_name(words[0]) != "mage":
        return None
    names = [n.lower() for n in _targets(words, frozenset({"-d", "-w", "-t", "-compile"}))]
    path = ctx.nearest(cwd, "magefile.go")
    if path is None:
        folder = ctx.repo_path(cwd, "magefiles/magefile.go") or ctx.repo_path(cwd, "magefiles/mage.go")
        path = folder
    if path is None:
        return []
    return _work(ctx.parse("mage", path, parse_magefile), names[:1], "mage", cwd)


# --------------------------------------------------------------------------- psake
_PSAKE_TASK = re.compile(r"^\s*task\s+([\w.-]+)\s*(.*)$", re.I)
#: ``-depends A, B``: names separated by commas, each run read once (a lazy list before
#: ``\s+-\w`` rescanned a run of blanks from every position: quadratic).
_PSAKE_DEPENDS = re.compile(r"-depends\s++([\w.-]++(?:\s*+,\s*+[\w.-]++)*+)", re.I)
#: ``exec { command }``: up to the first ``}`` (the caller strips the blanks).
_PSAKE_EXEC = re.compile(r"exec\s*+\{([^}]*+)\}", re.I)


def parse_psake(path: str, text: str) -> TaskFile:
    parsed = TaskFile(path)
    current: str | None = None
    depth = 0
    for number, line in enumerate(text.split("\n")[:50_000], start=1):
        task = _PSAKE_TASK.match(line) if depth == 0 else None
        if task and len(parsed.tasks) < MAX_TASKS:
            rest = task.group(2)
            depends = _PSAKE_DEPENDS.search(rest)
            deps = [d.strip() for d in depends.group(1).split(",")] if depends else []
            current = task.group(1).lower()
            parsed.tasks[current] = (number, [d.lower() for d in deps if d.strip()], [])
            depth = rest.count("{") - rest.count("}")
            continue
        if current is not None and depth > 0:
            body = line.strip()
            exec_block = _PSAKE_EXEC.match(body)
            if exec_block:
                body = exec_block.group(1).strip()
            if body and body not in ("{", "}") and len(parsed.tasks[current][2]) < MAX_LINES:
                parsed.tasks[current][2].append((number, body))
            depth += line.count("{") - line.count("}")
            if depth <= 0:
                current = None
    parsed.default = "default"
    return parsed


def follow_psake(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    if program_name(words[0]) != "invoke-psake":
        return None
    positional = _targets(words, frozenset({"-properties", "-parameters", "-framework", "-nologo"}))
    script = positional[0] if positional else "psakefile.ps1"
    path = ctx.repo_path(cwd, script) or ctx.repo_path(cwd, "default.ps1")
    if path is None:
        return []
    names = [n.lower() for n in positional[1].split(",")] if len(positional) > 1 else []
    work = _work(ctx.parse("psake", path, parse_psake), names, "Invoke-psake " + path.rsplit("/", 1)[-1])
    return [Work(w.path, w.line, w.text, w.cwd, shell="pwsh") for w in work]


# --------------------------------------------------------------------------- devbox
def parse_devbox(path: str, text: str) -> TaskFile:
    parsed = TaskFile(path)
    data: Any = json.loads(text)
    scripts = ((data or {}).get("shell") or {}).get("scripts") if isinstance(data, dict) else None
    for name, value in list(scripts.items())[:MAX_TASKS] if isinstance(scripts, dict) else ():
        commands = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] \
            if isinstance(value, list) else []
        line = next((n for n, l in enumerate(text.split("\n"), start=1) if f'"{name}"' in l), 1)
        parsed.tasks[str(name)] = (line, [], [(line, c) for c in commands[:MAX_LINES]])
    return parsed


def follow_devbox(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    if program_name(words[0]) != "devbox" or len(words) < 3 or words[1] != "run":
        return None
    path = ctx.nearest(cwd, "devbox.json")
    parsed = ctx.parse("devbox", path, parse_devbox) if path else None
    name = next((w for w in words[2:] if not w.startswith("-")), "")
    if parsed is None or name not in parsed.tasks:
        return None  # a command, which the wrappers peel
    return _work(parsed, [name], "devbox run")
