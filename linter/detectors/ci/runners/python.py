"""Python task runners: tox environments, nox sessions, and the scripts of hatch, pdm and
Poe the Poet written in ``pyproject.toml``.

* ``tox [-e a,b]`` (also ``tox run``/``r``/``p``) runs the named environments, else the
  ``envlist``/``env_list``, reading ``tox.ini``, ``setup.cfg`` (``[tox:tox]``), ``tox.toml``
  or ``pyproject.toml`` (``legacy_tox_ini``, or ``[tool.tox]`` in tox 4's TOML form); an
  environment without its own ``commands`` takes ``[testenv]``'s; factor-conditional lines
  (``django4: pytest``) count; ``{posargs:x}`` becomes ``x``, ``{envpython}`` ``python``.
* ``nox [-s a b]`` runs the named sessions, else ``nox.options.sessions``, else every
  session; ``noxfile.py`` is read as a syntax tree (never run): ``@nox.session`` functions,
  their ``session.run("pytest", ...)`` calls with literal words, ``session.notify("x")``.
* ``hatch run [env:]name`` runs ``[tool.hatch.envs.<env>.scripts]`` (or ``hatch.toml``);
  ``pdm run name`` runs ``[tool.pdm.scripts]`` (``cmd``, ``shell``, ``composite``, with
  ``pre_``/``post_`` scripts); ``poe name`` runs ``[tool.poe.tasks]`` (``cmd``, ``shell``,
  ``sequence``, ``ref``). A script that names another script runs it.
"""

from __future__ import annotations

import ast
import configparser
import re
import shlex
import tomllib
from typing import Any

from linter.detectors.ci.runners import Context, Work, folder_of
from linter.detectors.ci.wrappers import program_name

MAX_LINES = 500
MAX_NOXFILE_CHARS = 300_000


# --------------------------------------------------------------------------- tox
class ToxConfig:
    """Environments of a tox configuration: ``envlist`` and each env's command lines."""

    def __init__(self, path: str, envlist: list[str], commands: dict[str, list[tuple[int, str]]]) -> None:
        self.path = path
        self.envlist = envlist
        self.commands = commands  # "" = the [testenv] base

    def of(self, env: str) -> list[tuple[int, str]]:
        return self.commands.get(env) or self.commands.get("", [])


def parse_tox_ini(path: str, text: str, section_prefix: str = "") -> ToxConfig | None:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read_string(text[:MAX_NOXFILE_CHARS])
    main = "tox:tox" if section_prefix else "tox"
    envlist = _env_names(parser.get(main, "envlist", fallback="") or parser.get(main, "env_list", fallback=""))
    lines = _option_lines(text)
    commands: dict[str, list[tuple[int, str]]] = {}
    for section in parser.sections():
        if section == "testenv":
            name = ""
        elif section.startswith("testenv:"):
            name = section[len("testenv:"):].strip()
        else:
            continue
        value = parser.get(section, "commands", fallback=None)
        if value is None:
            continue
        start = lines.get((section, "commands"), 1)
        commands[name] = _command_lines(value, start)
    return ToxConfig(path, envlist, commands)


def _option_lines(text: str) -> dict[tuple[str, str], int]:
    """Line of each ``option =`` in each ``[section]`` (configparser keeps no lines)."""
    found: dict[tuple[str, str], int] = {}
    section = ""
    for number, line in enumerate(text.split("\n")[:50_000], start=1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
        elif line[:1] not in (" ", "\t", "#", ";") and "=" in line:
            found.setdefault((section, line.split("=", 1)[0].strip()), number)
    return found


_FACTOR = re.compile(r"^[\w{},.!-]+:\s+")


def _command_lines(value: str, start: int) -> list[tuple[int, str]]:
    """Command lines of a tox ``commands`` value, one per line (continuations joined)."""
    out: list[tuple[int, str]] = []
    pending = ""
    for offset, raw in enumerate(value.split("\n")[:MAX_LINES]):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = _FACTOR.sub("", pending + line)  # a factor-conditional line counts
        pending = ""
        line = re.sub(r"\{posargs:?([^}]*)\}", r"\1", line)
        line = line.replace("{envpython}", "python").replace("{envbindir}/", "").replace("{toxinidir}", ".")
        out.append((start + offset, line.lstrip("- ").strip()))
    return out


def _env_names(value: str) -> list[str]:
    names: list[str] = []
    for part in re.split(r"[,\s]+", value):
        part = part.strip()
        if part:
            names.extend(_generative(part))
    return names[:200]


def _generative(name: str) -> list[str]:
    """``py{38,39}-lint`` -> ``py38-lint``, ``py39-lint``."""
    match = re.search(r"\{([^{}]*)\}", name)
    if not match:
        return [name]
    out: list[str] = []
    for choice in match.group(1).split(","):
        out.extend(_generative(name[: match.start()] + choice.strip() + name[match.end():]))
        if len(out) > 200:
            break
    return out


def parse_tox_toml(path: str, text: str) -> ToxConfig | None:
    data = tomllib.loads(text)
    tox = data.get("tool", {}).get("tox") if path.endswith("pyproject.toml") else data
    if not isinstance(tox, dict):
        return None
    legacy = tox.get("legacy_tox_ini")
    if isinstance(legacy, str):
        line = text[: text.find("legacy_tox_ini")].count("\n") + 1
        parsed = parse_tox_ini(path, legacy)
        if parsed is not None:
            parsed.commands = {k: [(n + line, c) for n, c in v] for k, v in parsed.commands.items()}
        return parsed
    envlist = [str(e) for e in tox.get("env_list", []) if isinstance(e, str)] if isinstance(tox.get("env_list"), list) \
        else []
    commands: dict[str, list[tuple[int, str]]] = {}
    line = _toml_line(text, "commands")
    base = tox.get("env_run_base")
    if isinstance(base, dict):
        commands[""] = _toml_commands(base.get("commands"), line)
    for name, env in (tox.get("env") or {}).items() if isinstance(tox.get("env"), dict) else ():
        if isinstance(env, dict) and "commands" in env:
            commands[str(name)] = _toml_commands(env.get("commands"), line)
    return ToxConfig(path, envlist, commands)


def _toml_line(text: str, key: str) -> int:
    index = text.find(key)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def _toml_commands(value: Any, line: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for command in value if isinstance(value, list) else []:
        if isinstance(command, list) and all(isinstance(w, str) for w in command):
            out.append((line, " ".join(shlex.quote(w) for w in command if w != "{posargs}")))
    return out[:MAX_LINES]


def _tox_config(ctx: Context, cwd: str, given: str | None) -> ToxConfig | None:
    folder = cwd
    if given:
        path = ctx.repo_path(cwd, given)
        return _tox_file(ctx, path) if path else None
    for name in ("tox.ini", "setup.cfg", "pyproject.toml", "tox.toml"):
        path = ctx.repo_path(folder, name)
        if path is None:
            continue
        found = _tox_file(ctx, path)
        if found is not None and (found.commands or found.envlist):
            return found
    return None


def _tox_file(ctx: Context, path: str) -> ToxConfig | None:
    if path.endswith("setup.cfg"):
        return ctx.parse("tox-cfg", path, lambda p, t: parse_tox_ini(p, t, "tox:") if "[tox:tox]" in t else None)
    if path.endswith(".toml"):
        return ctx.parse("tox-toml", path, parse_tox_toml)
    return ctx.parse("tox", path, parse_tox_ini)


def follow_tox(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    if program_name(words[0]) != "tox":
        return None
    rest = list(words[1:])
    if rest and rest[0] in ("run", "r", "run-parallel", "p", "exec", "e"):
        rest = rest[1:]
    envs: list[str] = []
    config_file: str | None = None
    index = 0
    while index < len(rest):
        word = rest[index]
        if word in ("-e", "--env", "--envlist") and index + 1 < len(rest):
            envs.extend(_env_names(rest[index + 1]))
            index += 2
            continue
        if word.startswith("-e") and len(word) > 2:
            envs.extend(_env_names(word[2:]))
        elif word in ("-c", "--conf") and index + 1 < len(rest):
            config_file = rest[index + 1]
            index += 2
            continue
        elif word == "--":
            break
        index += 1
    config = _tox_config(ctx, cwd, config_file)
    if config is None:
        return []
    names = envs or config.envlist or [""]
    work: list[Work] = []
    for env in names[:50]:
        for line, command in config.of(env):
            work.append(Work(config.path, line, command, folder_of(config.path)))
    return work


# --------------------------------------------------------------------------- nox
class NoxFile:
    """Sessions of a noxfile: name -> (line, commands, notified sessions); default sessions."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.sessions: dict[str, list[tuple[int, str]]] = {}
        self.notify: dict[str, list[str]] = {}
        self.defaults: list[str] = []
        self.no_default: set[str] = set()


def parse_noxfile(path: str, text: str) -> NoxFile:
    tree = ast.parse(text[:MAX_NOXFILE_CHARS])
    nox = NoxFile(path)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            decorator = next((d for d in node.decorator_list if _is_session(d)), None)
            if decorator is None:
                continue
            name = _session_name(decorator) or node.name
            if _keyword(decorator, "default") is False:
                nox.no_default.add(name)
            commands, notified = _session_calls(node)
            nox.sessions[name] = commands
            nox.notify[name] = notified
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and ast.unparse(node.targets[0]) == \
                "nox.options.sessions" and isinstance(node.value, (ast.List, ast.Tuple)):
            nox.defaults = [e.value for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return nox


def _is_session(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    return ast.unparse(target) in ("nox.session", "session", "nox_poetry.session")


def _session_name(node: ast.expr) -> str:
    value = _keyword(node, "name")
    return value if isinstance(value, str) else ""


def _keyword(node: ast.expr, name: str) -> Any:
    if isinstance(node, ast.Call):
        for keyword in node.keywords:
            if keyword.arg == name and isinstance(keyword.value, ast.Constant):
                return keyword.value.value
    return None


def _session_calls(function: ast.AST) -> tuple[list[tuple[int, str]], list[str]]:
    """``session.run(...)`` calls with literal words, and ``session.notify("x")`` targets."""
    commands: list[tuple[int, str]] = []
    notified: list[str] = []
    for node in ast.walk(function):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method = node.func.attr
        if method in ("run", "run_always") and node.args:
            words = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else "${ARG}"
                     for a in node.args if not isinstance(a, ast.Starred)]
            if words and words[0] != "${ARG}":
                commands.append((node.lineno, " ".join(shlex.quote(w) if w != "${ARG}" else w for w in words)))
        elif method == "notify" and node.args and isinstance(node.args[0], ast.Constant):
            notified.append(str(node.args[0].value))
        if len(commands) >= MAX_LINES:
            break
    return sorted(commands), notified


def follow_nox(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    if program_name(words[0]) != "nox":
        return None
    names: list[str] = []
    noxfile = "noxfile.py"
    index = 1
    while index < len(words):
        word = words[index]
        if word in ("-s", "--session", "--sessions", "-e"):
            index += 1
            while index < len(words) and not words[index].startswith("-"):
                names.append(words[index])
                index += 1
            continue
        if word in ("-f", "--noxfile") and index + 1 < len(words):
            noxfile = words[index + 1]
            index += 2
            continue
        if word == "--":
            break
        index += 1
    path = ctx.repo_path(cwd, noxfile)
    parsed = ctx.parse("nox", path, parse_noxfile) if path else None
    if parsed is None:
        return []
    chosen = names or parsed.defaults or [n for n in parsed.sessions if n not in parsed.no_default]
    work: list[Work] = []
    seen: set[str] = set()
    queue = list(chosen)
    while queue and len(seen) < 100:
        name = queue.pop(0)
        base = name.split("(", 1)[0].split("-", 1)[0] if name not in parsed.sessions else name
        if base in seen or base not in parsed.sessions:
            continue
        seen.add(base)
        work.extend(Work(parsed.path, line, command, folder_of(parsed.path)) for line, command in parsed.sessions[base])
        queue.extend(parsed.notify.get(base, []))
    return work


# --------------------------------------------------------------------------- pyproject scripts
def parse_toml(path: str, text: str) -> tuple[dict[str, Any], str]:
    return tomllib.loads(text), text


def _pyproject(ctx: Context, cwd: str, name: str = "pyproject.toml") -> tuple[str, dict[str, Any], str] | None:
    path = ctx.nearest(cwd, name)
    parsed = ctx.parse("toml", path, parse_toml) if path else None
    return (path, parsed[0], parsed[1]) if parsed else None  # type: ignore[return-value]


def _script_work(path: str, text: str, name: str, value: Any, runner: str) -> list[Work]:
    """Work of one script value: a command string, a list of commands, or a table."""
    line = _toml_key_line(text, name)
    folder = folder_of(path)
    if isinstance(value, str):
        return [Work(path, line, value, folder)]
    if isinstance(value, list):
        return [Work(path, line, f"{runner} {v}" if _bare_name(v) else v, folder)
                for v in value[:MAX_LINES] if isinstance(v, str)]
    if isinstance(value, dict):
        for key in ("cmd", "shell"):
            command = value.get(key)
            if isinstance(command, str):
                return [Work(path, line, command, folder)]
            if isinstance(command, list) and all(isinstance(w, str) for w in command):
                return [Work(path, line, " ".join(shlex.quote(w) for w in command), folder)]
        for key in ("composite", "sequence"):
            items = value.get(key)
            if isinstance(items, list):
                return [Work(path, line, f"{runner} {v}" if isinstance(v, str) and _bare_name(v) else v, folder)
                        for v in items[:MAX_LINES] if isinstance(v, str)]
        if isinstance(value.get("ref"), str):
            return [Work(path, line, f"{runner} {value['ref']}", folder)]
    return []


def _bare_name(text: str) -> bool:
    return bool(re.fullmatch(r"[\w:.-]+", text.strip()))


def _toml_key_line(text: str, name: str) -> int:
    match = re.search(rf"(?m)^[ \t]*\"?{re.escape(name)}\"?[ \t]*=", text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def follow_scripts(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    """``hatch run [env:]x``, ``pdm run x``, ``poe x`` naming a script of pyproject.toml."""
    head = program_name(words[0])
    if head in ("hatch", "pdm") and len(words) > 2 and words[1] == "run":
        name = next((w for w in words[2:] if not w.startswith("-")), "")
    elif head in ("poe", "poethepoet") and len(words) > 1:
        name = next((w for w in words[1:] if not w.startswith("-")), "")
        head = "poe"
    else:
        return None
    found = _pyproject(ctx, cwd)
    if found is None or not name:
        return None
    path, data, text = found
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    if head == "hatch":
        env, _, script = name.rpartition(":")
        scripts = (((tool.get("hatch") or {}).get("envs") or {}).get(env or "default") or {}).get("scripts")
        if isinstance(scripts, dict) and script in scripts:
            return _script_work(path, text, script, scripts[script], f"hatch run {env + ':' if env else ''}")
        return None
    if head == "pdm":
        scripts = (tool.get("pdm") or {}).get("scripts")
        if not isinstance(scripts, dict) or name not in scripts:
            return None
        work: list[Work] = []
        for each in (f"pre_{name}", name, f"post_{name}"):
            if each in scripts:
                work.extend(_script_work(path, text, each, scripts[each], "pdm run"))
        return work
    tasks = (tool.get("poe") or {}).get("tasks")
    if isinstance(tasks, dict) and name in tasks:
        return _script_work(path, text, name, tasks[name], "poe")
    return None
