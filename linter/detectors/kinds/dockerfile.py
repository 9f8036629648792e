"""Dockerfiles, read as Docker's reference describes them: what the final stage runs.

Only the final stage is the image that ships (``FROM`` starts a new stage). Its image serves
requests when it ``EXPOSE``s a port or its ``CMD``/``ENTRYPOINT`` starts a known server
(gunicorn, uvicorn, puma, ``rails server``, ``next start``...). A final stage built ``FROM``
nginx, httpd or caddy without a program of its own serves static files: a website. Lines
are joined at ``\\`` continuations and comments dropped; nothing in the file is run.
"""

from __future__ import annotations

import json

from linter.fast_dataclass import dataclass

#: Commands that start a server (the executable's base name).
SERVER_COMMANDS = frozenset({
    "gunicorn", "uvicorn", "hypercorn", "daphne", "waitress-serve", "granian", "uwsgi", "pserve",
    "puma", "unicorn", "thin", "passenger", "nginx", "httpd", "caddy", "php-fpm", "apache2-foreground",
    "catalina.sh", "traefik", "envoy",
})
#: Two-word commands that start a server: ``rails server``, ``next start``, ``npm start``...
SERVER_PAIRS = frozenset({
    ("rails", "server"), ("rails", "s"), ("next", "start"), ("nuxt", "start"), ("npm", "start"),
    ("yarn", "start"), ("pnpm", "start"), ("bun", "start"), ("flask", "run"), ("manage.py", "runserver"),
    ("remix-serve", "build"), ("bundle", "exec"),
})
STATIC_SERVERS = frozenset({"nginx", "httpd", "caddy", "nginxinc/nginx-unprivileged", "bitnami/nginx"})
#: Name parts of Dockerfiles for development, tests and CI, which say nothing of production.
NOT_SHIPPED_PARTS = frozenset({"dev", "devel", "development", "test", "tests", "ci", "local", "debug", "e2e"})
MAX_LINES = 5_000
#: Characters of an instruction's arguments kept (a CMD is a few dozen; the rest is padding).
MAX_INSTRUCTION = 4_096


@dataclass(frozen=True)
class FinalStage:
    base: str  # the final FROM's image, without tag or digest
    expose_line: int  # 0: no EXPOSE
    expose: str
    command_line: int  # the CMD/ENTRYPOINT that starts a server, 0 if none
    command: str


def is_dockerfile(path: str) -> bool:
    """``Dockerfile``, ``Dockerfile.api``, ``api.Dockerfile``, ``Containerfile``; not the
    development, test or CI variants (``Dockerfile.dev``, ``test.Dockerfile``)."""
    name = path.rsplit("/", 1)[-1]
    lower = name.lower()
    if lower in ("dockerfile", "containerfile"):
        return True
    if lower.startswith(("dockerfile.", "containerfile.")):
        part = lower.split(".", 1)[1]
    elif lower.endswith((".dockerfile", ".containerfile")):
        part = lower.rsplit(".", 1)[0]
    else:
        return False
    return not (set(part.replace("-", ".").replace("_", ".").split(".")) & NOT_SHIPPED_PARTS)


def _instructions(text: str) -> list[tuple[int, str, str]]:
    """(line, INSTRUCTION, arguments) with continuations joined and comments dropped."""
    out: list[tuple[int, str, str]] = []
    pending: list[str] = []  # the pieces of a continued instruction (joined once: linear)
    start = 0
    for number, raw in enumerate(text.splitlines()[:MAX_LINES], start=1):
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue  # a comment inside a continued instruction is dropped
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        whole = " ".join(pending).strip()
        pending = []
        word, _, rest = whole.partition(" ")
        out.append((start, word.upper(), rest.strip()[:MAX_INSTRUCTION]))
    return out


def _argv(arguments: str) -> list[str]:
    """The exec form (a JSON array) or the shell form split on blanks."""
    if arguments.startswith("["):
        try:
            value = json.loads(arguments)
        except ValueError:
            value = None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [v for v in value if v]
    return arguments.split()


def starts_server(argv: list[str]) -> bool:
    words = [w.rsplit("/", 1)[-1] for w in argv if w]
    if words[:2] in (["sh", "-c"], ["bash", "-c"], ["/bin/sh", "-c"]):
        words = " ".join(words[2:]).split()
    for index, word in enumerate(words[:8]):
        if word in SERVER_COMMANDS:
            return True
        if index + 1 < len(words) and (word, words[index + 1]) in SERVER_PAIRS:
            return word != "bundle" or (index + 2 < len(words) and words[index + 2] in ("puma", "unicorn", "rails"))
    return False


def final_stage(text: str) -> FinalStage | None:
    """The shipped stage's base image, exposed ports and server command; ``None`` with no FROM."""
    base = ""
    expose_line = command_line = 0
    expose = command = ""
    seen_from = False
    for line, word, rest in _instructions(text):
        if word == "FROM":
            seen_from = True
            image = next((w for w in rest.split() if not w.startswith("--")), "")
            image = image.split("@", 1)[0]
            base = image[:image.rfind(":")] if image.rfind(":") > image.rfind("/") else image
            expose_line = command_line = 0
            expose = command = ""
        elif word == "EXPOSE" and rest:
            expose_line, expose = line, rest
        elif word in ("CMD", "ENTRYPOINT") and starts_server(_argv(rest)):
            command_line, command = line, f"{word} {rest}"
    if not seen_from:
        return None
    return FinalStage(base.lower(), expose_line, expose, command_line, command)
