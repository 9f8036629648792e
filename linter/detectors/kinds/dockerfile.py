"""Dockerfiles, read as Docker's reference describes them: what the image serves.

``FROM`` starts a stage and any stage may be the one shipped (``docker build --target``), so
every stage is read: the image serves requests when a stage ``EXPOSE``s a port or its
``CMD``/``ENTRYPOINT`` starts a known server (gunicorn, uvicorn, puma, ``rails server``,
``next start``...). It is this repository's program only when a stage copies the
repository's own files (``COPY``/``ADD`` from the build context). An image built ``FROM``
nginx, httpd or caddy without a server command of its own serves static files: a website.
Lines are joined at ``\\`` continuations and comments dropped; nothing in the file is run.
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
class Image:
    """What a Dockerfile builds, over all its stages (any stage may be the one shipped:
    ``docker build --target release`` picks one that is not last)."""

    base: str  # the last FROM's image, without tag or digest
    expose_line: int  # the first EXPOSE of any stage, 0 if none
    expose: str
    command_line: int  # the first CMD/ENTRYPOINT of any stage that starts a server, 0 if none
    command: str
    copies_context: bool  # some stage COPYs or ADDs files of the repository (not --from, not a URL)

    @property
    def serves(self) -> bool:
        return bool(self.expose_line or self.command_line)


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


def read_image(text: str) -> Image | None:
    """The image's base, ports and server command over every stage, and whether it holds this
    repository's own files; ``None`` without a FROM. A repackaged third-party server (an image
    that only installs and configures someone else's program) copies nothing from the build
    context, so it is not this repository's program."""
    base = ""
    expose_line = command_line = 0
    expose = command = ""
    copies = seen_from = False
    for line, word, rest in _instructions(text):
        if word == "FROM":
            seen_from = True
            image = next((w for w in rest.split() if not w.startswith("--")), "")
            image = image.split("@", 1)[0]
            base = image[:image.rfind(":")] if image.rfind(":") > image.rfind("/") else image
        elif word == "EXPOSE" and rest and not expose_line:
            expose_line, expose = line, rest
        elif word in ("CMD", "ENTRYPOINT") and not command_line and starts_server(_argv(rest)):
            command_line, command = line, f"{word} {rest}"
        elif word in ("COPY", "ADD") and _from_context(rest):
            copies = True
    if not seen_from:
        return None
    return Image(base.lower(), expose_line, expose, command_line, command, copies)


def _from_context(arguments: str) -> bool:
    """A COPY/ADD whose sources are files of the build context (the repository)."""
    words = arguments.split()
    if any(w.startswith("--from") for w in words):
        return False
    sources = [w for w in words if not w.startswith("--")][:-1]
    return any(not w.startswith(("http://", "https://", "git@")) for w in sources)
