"""Wrappers peeled off a command before it is judged: ``timeout 10m poetry run pytest`` runs
``pytest``.

A wrapper runs another program with the rest of its words: privilege and timing prefixes
(``sudo``, ``time``, ``timeout``, ``nice``, ``env``, ``xvfb-run``...), environment managers
(``poetry run``, ``uv run``, ``pipenv run``, ``hatch run``, ``pdm run``, ``conda run``,
``devbox run``, ``nix develop -c``, ``mise exec --``), package runners (``npx``, ``pnpm dlx``, ``bunx``,
``yarn dlx``), ``python -m``, ``coverage run``, JavaScript coverage and environment
wrappers (``nyc``, ``c8``, ``cross-env``, ``dotenv --``), ``bundle exec``, ``go run``,
``docker run IMAGE`` (the image's tool) and drop-in replacements (``richgo`` for ``go``,
``cross`` for ``cargo``). Each is described by the words it takes before the wrapped
command, so the tool tables only have to know the tool's own name.

``peel`` returns every stage (``hatch run test`` then ``test``): task-runner readers look
at the outer stages (``hatch run test`` names a hatch script), the judges at the last.
"""

from __future__ import annotations

import re

#: Words that may precede the real command without being it (shell keywords too).
_TRANSPARENT = frozenset({
    "time", "exec", "nohup", "then", "do", "else", "if", "elif", "while", "until", "!", "{", "}", "builtin",
    "call", "setsid", "chronic", "unbuffer", "catchsegv", "dbus-run-session", "eval",
})
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,100}=")
_PYTHON = re.compile(r"^(?:python|python3|python3\.\d{1,2}|py|pypy3?)$")

#: Prefix programs with options before the wrapped command: program -> options taking a value.
#: ``timeout`` also takes a duration, ``flock`` a lock file, ``taskset`` a mask (one word each).
_PREFIXES: dict[str, frozenset[str]] = {
    "sudo": frozenset({"-u", "--user", "-g", "--group", "-C", "-h", "--host", "-p", "--prompt", "-U", "-r",
                       "-t", "-T", "-D", "--chdir"}),
    "env": frozenset({"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}),
    "nice": frozenset({"-n", "--adjustment"}),
    "ionice": frozenset({"-c", "--class", "-n", "--classdata", "-p", "-P", "-u"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
    "timeout": frozenset({"-s", "--signal", "-k", "--kill-after"}),
    "gtimeout": frozenset({"-s", "--signal", "-k", "--kill-after"}),
    "xvfb-run": frozenset({"-n", "--server-num", "-s", "--server-args", "-e", "--error-file", "-f",
                           "--auth-file", "-p", "--xauth-protocol", "-w", "--wait"}),
    "flock": frozenset({"-w", "--timeout", "-E", "--conflict-exit-code"}),
    "taskset": frozenset(),
    "cross-env": frozenset(),
    "nyc": frozenset({"--reporter", "-r", "--report-dir", "--temp-dir", "-t", "--include", "-n", "--exclude",
                      "-x", "--extension", "-e", "--require", "-i", "--cwd"}),
    "c8": frozenset({"--reporter", "-r", "--reports-dir", "-o", "--temp-directory", "--include", "-n",
                     "--exclude", "-x", "--src", "--extension"}),
    "dotenv": frozenset({"-e", "-v", "-c"}),
    "env-cmd": frozenset({"-f", "--file", "-e", "--environments", "-r", "--rc-file"}),
}
#: Prefix programs that take one positional word before the command (a duration, a lock file, a CPU mask).
_POSITIONAL_FIRST = {"timeout": 1, "gtimeout": 1, "flock": 1, "taskset": 1}

#: ``<runner> <verb>`` pairs that execute the following word as a program.
_RUNNER_VERBS = {
    "poetry": {"run"}, "pipx": {"run"}, "pdm": {"run"}, "hatch": {"run"}, "pipenv": {"run"},
    "uv": {"run", "tool"}, "bundle": {"exec"}, "bundler": {"exec"}, "pnpm": {"dlx", "exec"},
    "yarn": {"dlx", "exec"}, "rye": {"run"}, "conda": {"run"}, "mamba": {"run"}, "micromamba": {"run"},
    "pixi": {"run"}, "devbox": {"run"}, "bun": {"x"}, "opam": {"exec"}, "ddev": {"exec"},
}
#: Runners that execute the next word directly.
_RUNNERS = frozenset({"npx", "uvx", "bunx", "pnpx"})
#: Runners whose next word is a package to fetch and run (``npx netlify-cli@17 deploy``).
_PACKAGE_FETCHERS = frozenset({"npx", "bunx", "pnpx"})
#: npm packages whose binary has another name (the package's ``bin``), for ``npx <package>``.
PACKAGE_BINARIES = {
    "netlify-cli": "netlify", "@angular/cli": "ng", "aws-cdk": "cdk", "firebase-tools": "firebase",
    "@playwright/test": "playwright", "cdktf-cli": "cdktf", "@sentry/cli": "sentry-cli", "@vercel/cli": "vercel",
    "@backstage/cli": "backstage-cli", "@redocly/cli": "redocly", "@cyclonedx/cyclonedx-npm": "cyclonedx-npm",
    "@stoplight/spectral-cli": "spectral", "@lhci/cli": "lhci", "@nrwl/cli": "nx", "@nx/cli": "nx",
}
#: yarn, pnpm and bun commands of their own; another word names a package script or, when no
#: script has that name, a binary of the installed packages (``yarn jest``, ``pnpm vitest``).
YARN_BUILTINS = frozenset({
    "add", "audit", "autoclean", "bin", "cache", "check", "config", "constraints", "create", "dedupe", "dlx", "exec",
    "explain", "generate-lock-entry", "global", "help", "import", "info", "init", "install", "licenses", "link",
    "list", "login", "logout", "node", "npm", "outdated", "owner", "pack", "patch", "patch-commit", "plugin",
    "policy", "publish", "rebuild", "remove", "run", "search", "set", "stage", "tag", "team", "unlink", "unplug",
    "up", "upgrade", "upgrade-interactive", "version", "versions", "why", "workspace", "workspaces",
})
PNPM_BUILTINS = frozenset({
    "add", "install", "i", "update", "up", "remove", "rm", "link", "unlink", "import", "rebuild", "prune", "fetch",
    "patch", "audit", "list", "ls", "outdated", "why", "licenses", "exec", "dlx", "create", "store", "publish",
    "pack", "server", "root", "bin", "setup", "init", "deploy", "config", "env", "doctor", "dedupe", "run", "test",
    "start", "t", "tst",
})
BUN_BUILTINS = frozenset({"test", "install", "i", "add", "a", "remove", "rm", "update", "link", "unlink", "pm",
                          "build", "init", "create", "x", "upgrade", "repl", "outdated", "publish", "patch", "audit",
                          "run"})
_PACKAGE_RUNNERS = {"yarn": YARN_BUILTINS, "pnpm": PNPM_BUILTINS, "bun": BUN_BUILTINS}
#: Drop-in replacements: the same command line with another program's name.
_DROP_INS = {"richgo": "go", "cross": "cargo"}
#: Options of runners and ``docker run`` that take a separate value.
_VALUE_OPTIONS = frozenset({
    "-p", "--package", "--with", "--from", "--python", "--spec", "-n", "--name", "-e", "--env",
    "-v", "--volume", "-w", "--workdir", "--network", "--net", "-u", "--user",
    "--platform", "--env-file", "--mount", "--publish", "--pull", "--label", "-l", "--cpus",
    "--memory", "-m", "--add-host", "--cap-add", "--cap-drop", "--security-opt", "--tmpfs",
    "--device", "--ulimit", "--hostname", "-h", "--group", "--env-name", "-c", "--config",
    "--pip-args", "--prefix", "--environment", "--project", "--manifest-path",
})
MAX_STAGES = 8


def program_name(word: str) -> str:
    """``./bin/Dependency-Check.SH`` -> ``dependency-check.sh``; ``trivy.exe`` -> ``trivy``."""
    name = word.replace("\\", "/").rsplit("/", 1)[-1].lower()
    for suffix in (".exe", ".cmd", ".bat", ".ps1"):
        if name.endswith(suffix) and name != suffix:
            name = name[: -len(suffix)]
    return name


def peel(argv: tuple[str, ...] | list[str]) -> list[tuple[str, ...]]:
    """Every stage of ``argv`` as wrappers come off, outermost first; in each stage the first
    word is the normalised program name. Empty when nothing is left to run."""
    return [(program_name(stage[0]), *stage[1:]) for stage in peel_as_written(argv)]


def peel_as_written(argv: tuple[str, ...] | list[str]) -> list[tuple[str, ...]]:
    """``peel`` with every word as written (``./scripts/test.sh``, not ``test.sh``), for the
    readers that follow a path."""
    words = list(argv)
    stages: list[tuple[str, ...]] = []
    for _ in range(MAX_STAGES):
        words = _drop_prefix_words(words)
        if not words:
            break
        stages.append(tuple(words))
        peeled = _peel_runner(program_name(words[0]), words)
        if peeled is None:
            break
        words = peeled
    return stages


def effective_argv(argv: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The command once every wrapper is peeled off (``poetry run pip-audit`` -> ``pip-audit``)."""
    stages = peel(argv)
    return stages[-1] if stages else ()


def _drop_prefix_words(words: list[str]) -> list[str]:
    index = 0
    while index < len(words) and (words[index] in _TRANSPARENT or _ASSIGNMENT.match(words[index])):
        index += 1
    return words[index:]


def _skip_options(words: list[str], index: int, value_options: frozenset[str] = _VALUE_OPTIONS) -> int:
    """Index of the first word at or after ``index`` that is not an option or its value."""
    while index < len(words) and words[index].startswith("-"):
        option = words[index]
        if option == "--":
            return index + 1
        index += 2 if option in value_options else 1
    return index


def _rest(words: list[str], index: int) -> list[str] | None:
    return words[index:] if index < len(words) else None


def _peel_runner(head: str, words: list[str]) -> list[str] | None:
    """Words after a wrapper, or ``None`` when ``head`` is the real program."""
    if _PYTHON.match(head):
        for index, word in enumerate(words[1:6], start=1):
            if word == "-m" and index + 1 < len(words):
                return words[index + 1:]
            if not word.startswith("-"):
                break
        return None
    if head in _DROP_INS:
        return [_DROP_INS[head], *words[1:]]
    if head == "command":  # `command -v x` looks a program up; `command [-p] x` runs it
        if len(words) < 2 or words[1] in ("-v", "-V"):
            return None
        return _rest(words, 2 if words[1] == "-p" else 1)
    if head in _PREFIXES:
        index = _skip_options(words, 1, _PREFIXES[head])
        index = _skip_assignments(words, index)
        index += _POSITIONAL_FIRST.get(head, 0)
        return _rest(words, index)
    if head in _RUNNERS:
        rest = _rest(words, _skip_options(words, 1))
        if rest and head in _PACKAGE_FETCHERS:
            package = rest[0]
            if "@" in package[1:]:  # a version: netlify-cli@17, @angular/cli@18
                package = package[0] + package[1:].split("@", 1)[0]
            rest = [PACKAGE_BINARIES.get(package.lower(), package), *rest[1:]]
        return rest
    if head in _PACKAGE_RUNNERS and len(words) > 1 and not words[1].startswith("-") \
            and words[1] not in _PACKAGE_RUNNERS[head] and words[1] not in _RUNNER_VERBS.get(head, ()):
        return words[1:]  # a script or a package binary: the script reader looks first
    if head == "coverage" and len(words) > 1 and words[1] == "run":
        index = _skip_options(words, 2, frozenset({"--source", "--omit", "--include", "--rcfile", "--context",
                                                    "--data-file", "--concurrency"}))
        if index < len(words) and words[index - 1] == "-m":  # coverage run [opts] -m module
            return words[index:]
        return ["python", *words[index:]] if index < len(words) else None
    if head == "nix" and len(words) > 2 and words[1] in ("develop", "shell"):
        for index, word in enumerate(words[2:], start=2):
            if word in ("-c", "--command"):
                return _rest(words, index + 1)
        return None
    verbs = _RUNNER_VERBS.get(head)
    if verbs and len(words) > 1 and words[1] in verbs:
        start = 2
        if head == "uv" and words[1] == "tool" and len(words) > 2 and words[2] == "run":
            start = 3
        rest = _rest(words, _skip_options(words, start))
        if rest and head == "hatch" and ":" in rest[0]:  # hatch run ENV:command
            rest = [rest[0].split(":", 1)[1], *rest[1:]]
        return rest
    if head == "go" and len(words) > 2 and words[1] == "run":
        rest = _skip_options(words, 2)
        if rest < len(words):
            package = words[rest].split("@", 1)[0].rstrip("/")
            return [package.rsplit("/", 1)[-1], *words[rest + 1:]]
        return None
    if head == "mise" and len(words) > 2 and words[1] in ("exec", "x"):  # mise exec [tool@version...] -- cmd
        return _rest(words, words.index("--") + 1) if "--" in words else None
    if head == "ruby" and len(words) > 2 and words[1] == "-S":
        return words[2:]
    if head in ("docker", "podman", "nerdctl") and len(words) > 2 and words[1] in ("run", "container"):
        return _docker_run(words)
    if head in ("docker-compose", "podman-compose") or (head in ("docker", "podman") and words[1:2] == ["compose"]):
        return _compose_run(words[1:] if head.endswith("-compose") else words[2:])
    return None


_COMPOSE_VALUE_OPTIONS = frozenset({"-f", "--file", "-p", "--project-name", "--env-file", "--profile",
                                    "--project-directory", "-e", "--env", "-u", "--user", "-w", "--workdir",
                                    "-v", "--volume", "--name", "--entrypoint", "-l", "--label", "--index"})


def _compose_run(words: list[str]) -> list[str] | None:
    """``docker compose [options] run|exec [options] SERVICE COMMAND...``: the command, which
    runs in the service's container (a service's own entry point is added by the reader in
    ``linter.detectors.ci.runners.docker``)."""
    index = _skip_options(words, 0, _COMPOSE_VALUE_OPTIONS)
    if index >= len(words) or words[index] not in ("run", "exec"):
        return None
    index = _skip_options(words, index + 1, _COMPOSE_VALUE_OPTIONS)
    return _rest(words, index + 1)


def _skip_assignments(words: list[str], index: int) -> int:
    while index < len(words) and _ASSIGNMENT.match(words[index]):
        index += 1
    return index


def _docker_run(words: list[str]) -> list[str] | None:
    """``docker run [opts] IMAGE args``: the image's tool (``aquasec/trivy`` -> ``trivy``) with
    ``args``, or the ``--entrypoint`` program; images built in the repository are followed by
    ``linter.detectors.ci.runners.docker`` instead."""
    start = 3 if words[1] == "container" and len(words) > 2 and words[2] == "run" else 2
    entrypoint = ""
    index = start
    while index < len(words) and words[index].startswith("-"):
        option = words[index]
        if option == "--entrypoint" and index + 1 < len(words):
            entrypoint = words[index + 1]
        elif option.startswith("--entrypoint="):
            entrypoint = option.split("=", 1)[1]
        index += 2 if option in _VALUE_OPTIONS or option == "--entrypoint" else 1
    if index >= len(words):
        return None
    if entrypoint:
        return [entrypoint, *words[index + 1:]]
    image = words[index].split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0]
    return [image, *words[index + 1:]]
