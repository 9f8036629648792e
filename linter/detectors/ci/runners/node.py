"""package.json scripts that a package manager runs: ``npm test``, ``npm run lint``,
``npm it``, ``yarn build``, ``pnpm test``, ``bun run check``, ``npm-run-all``/``run-s``.

How each package manager finds and runs a script (npm, yarn and pnpm documentation):

* npm runs ``test``/``start``/``stop``/``restart`` (``npm test``, ``npm t``...), any script
  with ``npm run``/``run-script`` (``npm it``/``install-test`` installs, then tests), each
  with its ``pre<name>`` and ``post<name>`` scripts; it looks for package.json from the
  current folder upwards (``--prefix``/``-C`` names another folder).
* yarn runs a script with ``yarn run <name>`` or ``yarn <name>``; when no script has that name,
  ``yarn <name>`` runs the package's binary of that name (``yarn wrangler deploy``). Yarn 1
  runs pre/post scripts; Yarn 2 and later (a ``.yarnrc.yml``, or ``packageManager: yarn@2+``)
  do not. ``--cwd DIR`` and ``yarn workspace NAME <script>`` name the package.
* pnpm runs ``pnpm run <name>``/``pnpm <name>`` (``-C``/``--dir DIR``), and pre/post scripts
  only with ``enable-pre-post-scripts=true`` in ``.npmrc``.
* bun runs ``bun run <name>`` and ``bun <name>`` (``bun test`` is bun's own test runner, not a
  script); pre/post scripts are not followed for bun.
* ``npm-run-all``/``run-s``/``run-p`` run the scripts they name (``test:*`` globs allowed).

A script is shell text run in the package's folder, and is read as commands in turn.
"""

from __future__ import annotations

import fnmatch
import json
import re
from typing import Any

from linter.detectors.ci.runners import Context, Work, folder_of
from linter.detectors.ci.wrappers import BUN_BUILTINS as _BUN_BUILTINS
from linter.detectors.ci.wrappers import PNPM_BUILTINS as _PNPM_BUILTINS
from linter.detectors.ci.wrappers import YARN_BUILTINS as _YARN_BUILTINS
from linter.detectors.ci.wrappers import program_name

MAX_SCRIPTS = 2_000
_NPM_RUN = frozenset({"run", "run-script", "rum", "urn"})
_NPM_LIFECYCLE = {"test": "test", "t": "test", "tst": "test", "start": "start", "stop": "stop", "restart": "restart",
                  "it": "test", "install-test": "test", "cit": "test", "clean-install-test": "test"}
_NPM_VALUE_OPTIONS = frozenset({"--prefix", "-C", "--workspace", "-w", "--loglevel", "--registry", "--userconfig"})
_OPTION_WITH_VALUE = re.compile(r"^--?[\w-]+=")


def follow(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    """Scripts a package-manager command runs, or ``None`` when it is not one."""
    head = program_name(words[0])
    if head == "npm":
        return _npm(ctx, words, cwd)
    if head == "yarn":
        return _yarn(ctx, words, cwd)
    if head == "pnpm":
        return _pnpm(ctx, words, cwd)
    if head == "bun":
        return _bun(ctx, words, cwd)
    if head in ("npm-run-all", "run-s", "run-p", "npm-run-all2"):
        return _run_all(ctx, words, cwd)
    return None


# --------------------------------------------------------------------------- package.json
class Package:
    """The scripts of one package.json, with the line each is written on."""

    def __init__(self, path: str, scripts: dict[str, str], lines: dict[str, int], manager: str) -> None:
        self.path = path
        self.scripts = scripts
        self.lines = lines
        self.manager = manager  # the packageManager field ("yarn@4.1.0"), or ""

    def work(self, name: str) -> Work | None:
        text = self.scripts.get(name)
        if text is None:
            return None
        return Work(self.path, self.lines.get(name, 1), text, folder_of(self.path))


def parse_package(path: str, text: str) -> Package | None:
    """Scripts of a package.json (``None`` when it is not valid JSON with an object)."""
    data: Any = json.loads(text)
    if not isinstance(data, dict):
        return None
    scripts_node = data.get("scripts")
    scripts = {str(k): v for k, v in list(scripts_node.items())[:MAX_SCRIPTS] if isinstance(v, str)} \
        if isinstance(scripts_node, dict) else {}
    manager = data.get("packageManager")
    return Package(path, scripts, _script_lines(text, scripts), manager if isinstance(manager, str) else "")


def _script_lines(text: str, scripts: dict[str, str]) -> dict[str, int]:
    """Line of each script's key, found after the ``"scripts"`` key (JSON keeps no lines)."""
    start = text.find('"scripts"')
    if start < 0 or not scripts:
        return {}
    lines: dict[str, int] = {}
    base = text.count("\n", 0, start) + 1
    offset = 0
    for number, line in enumerate(text[start:].split("\n"), start=base):
        stripped = line.strip()
        if stripped.startswith('"'):
            key = stripped[1:].split('"', 1)[0]
            if key in scripts and key not in lines:
                lines[key] = number
        offset += 1
        if len(lines) == len(scripts) or offset > 50_000:
            break
    return lines


def _package(ctx: Context, cwd: str) -> Package | None:
    path = ctx.nearest(cwd, "package.json")
    return ctx.parse("package.json", path, parse_package) if path else None


def _with_hooks(package: Package, name: str, hooks: bool) -> list[Work]:
    """``pre<name>``, ``<name>`` and ``post<name>`` (the hooks only when the manager runs them)."""
    names = [f"pre{name}", name, f"post{name}"] if hooks else [name]
    return [work for n in names if (work := package.work(n)) is not None]


def _positional(words: tuple[str, ...], value_options: frozenset[str]) -> tuple[list[str], dict[str, str]]:
    """Non-option words (up to ``--``) and the values of the options that take one."""
    found: list[str] = []
    options: dict[str, str] = {}
    index = 1
    while index < len(words):
        word = words[index]
        if word == "--":
            break
        if word.startswith("-"):
            if _OPTION_WITH_VALUE.match(word):
                key, _, value = word.partition("=")
                options[key] = value
            elif word in value_options and index + 1 < len(words):
                options[word] = words[index + 1]
                index += 1
            else:
                options[word] = ""
        else:
            found.append(word)
        index += 1
    return found, options


def _folder(cwd: str, options: dict[str, str], *names: str) -> str:
    for name in names:
        value = options.get(name)
        if value and "$" not in value and not value.startswith("/") and ".." not in value.split("/"):
            return f"{cwd}/{value}".strip("/") if cwd else value.strip("/").removeprefix("./")
    return cwd


# --------------------------------------------------------------------------- the managers
def _npm(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    found, options = _positional(words, _NPM_VALUE_OPTIONS)
    if not found or "--workspaces" in options or "-ws" in options or "--workspace" in options or "-w" in options:
        return None
    package = _package(ctx, _folder(cwd, options, "--prefix", "-C"))
    if package is None:
        return None
    verb = found[0]
    if verb in _NPM_RUN and len(found) > 1:
        return _with_hooks(package, found[1], True)
    if verb in _NPM_LIFECYCLE:
        return _with_hooks(package, _NPM_LIFECYCLE[verb], True)
    return None


def _yarn_berry(ctx: Context, package: Package) -> bool:
    manager = package.manager.lower()
    if manager.startswith("yarn@"):
        return not manager.startswith("yarn@1.")
    return ctx.ws.exists(".yarnrc.yml") or ctx.ws.exists(f"{folder_of(package.path)}/.yarnrc.yml".lstrip("/"))


def _yarn(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    found, options = _positional(words, frozenset({"--cwd"}))
    if not found:
        return None
    package = _package(ctx, _folder(cwd, options, "--cwd"))
    if package is None:
        return None
    if found[0] == "run" and len(found) > 1:
        name = found[1]
    elif found[0] in _YARN_BUILTINS:
        return None
    else:
        name = found[0]
    if name not in package.scripts:
        return None  # a binary of the package (yarn wrangler deploy), which the wrappers peel
    return _with_hooks(package, name, not _yarn_berry(ctx, package))


def _pnpm(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    found, options = _positional(words, frozenset({"-C", "--dir", "--filter", "-F"}))
    if not found or any(o in options for o in ("-r", "--recursive", "--filter", "-F")):
        return None
    package = _package(ctx, _folder(cwd, options, "-C", "--dir"))
    if package is None:
        return None
    if found[0] == "run" and len(found) > 1:
        name = found[1]
    elif found[0] in _PNPM_BUILTINS:
        return None
    else:
        name = found[0]
    hooks = "enable-pre-post-scripts=true" in (ctx.read(".npmrc") or "").replace(" ", "") if ctx.ws.exists(".npmrc") \
        else False
    return _with_hooks(package, name, hooks) if name in package.scripts else None


def _bun(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    found, options = _positional(words, frozenset({"--cwd"}))
    if not found:
        return None
    package = _package(ctx, _folder(cwd, options, "--cwd"))
    if package is None:
        return None
    if found[0] == "run" and len(found) > 1:
        name = found[1]
    elif found[0] in _BUN_BUILTINS:
        return None
    else:
        name = found[0]
    return _with_hooks(package, name, False) if name in package.scripts else None


def _run_all(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    package = _package(ctx, cwd)
    if package is None:
        return None
    names, _ = _positional(words, frozenset({"--max-parallel", "--npm-path", "-l", "--label"}))
    work: list[Work] = []
    for pattern in names:
        glob = pattern.replace(":*", ":*").replace("**", "*")
        for name in package.scripts:
            if name == pattern or ("*" in pattern and fnmatch.fnmatchcase(name, glob)):
                work.extend(_with_hooks(package, name, True))
    return work
