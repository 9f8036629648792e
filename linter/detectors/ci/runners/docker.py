"""Containers a job runs its commands in: ``docker compose run``/``exec`` of a service, and
``docker run`` of an image the same job built from a Dockerfile of the repository.

* ``docker compose run [options] SERVICE COMMAND...`` (also ``exec``, ``docker-compose``):
  the command runs in the service's container; the service's ``entrypoint:`` in the Compose
  file, when it has one, comes first.
* ``docker run [options] IMAGE ARGS...`` where an earlier ``docker build -t IMAGE [-f FILE]
  [--target STAGE] CONTEXT`` of the job built ``IMAGE``: as Docker runs it, the Dockerfile's
  ``ENTRYPOINT`` (of that stage) with ``ARGS``, or ``ARGS`` alone when there is no entry point.
  An entry point that is a script copied from the repository (``COPY docker/entrypoint.sh
  /entrypoint.sh``) is followed with ``ARGS`` as its parameters.

Images pulled from a registry are not read (the wrappers treat ``aquasec/trivy`` as the
``trivy`` it runs). Nothing is built or run.
"""

from __future__ import annotations

import json
import posixpath
import shlex
from typing import Any

from linter.detectors.ci.runners import Context, Work, folder_of
from linter.detectors.ci.wrappers import program_name
from linter.fast_dataclass import dataclass, field

_COMPOSE_VALUE_OPTIONS = frozenset({"-f", "--file", "-p", "--project-name", "--env-file", "--profile",
                                    "--project-directory", "-e", "--env", "-u", "--user", "-w", "--workdir",
                                    "-v", "--volume", "--name", "--entrypoint", "-l", "--label", "--index"})
_RUN_VALUE_OPTIONS = frozenset({"-e", "--env", "-v", "--volume", "-w", "--workdir", "--network", "--net", "-u",
                                "--user", "--name", "--platform", "--env-file", "--mount", "-p", "--publish",
                                "--label", "-l", "--cpus", "--memory", "-m", "--add-host", "--entrypoint"})


@dataclass
class Dockerfile:
    """Entry points per build stage (``""`` = the last stage) and COPY sources by destination."""

    path: str
    entrypoints: dict[str, tuple[int, tuple[str, ...]]] = field(default_factory=dict)
    copies: list[tuple[str, str]] = field(default_factory=list)  # (destination, repository source)
    workdirs: dict[str, str] = field(default_factory=dict)


def parse_dockerfile(path: str, text: str) -> Dockerfile:
    parsed = Dockerfile(path)
    folder = folder_of(path)
    stage = ""
    workdir = "/"
    for number, raw in enumerate(text.replace("\\\n", " ").split("\n")[:20_000], start=1):
        line = raw.strip()
        word, _, rest = line.partition(" ")
        word = word.upper()
        if word == "FROM":
            stage = _stage_name(rest)
            parsed.entrypoints.pop("", None)
        elif word == "ENTRYPOINT":
            argv = _exec_form(rest)
            parsed.entrypoints[stage] = (number, argv)
            parsed.entrypoints[""] = (number, argv)
        elif word == "WORKDIR":
            workdir = posixpath.join(workdir, rest.strip())
            parsed.workdirs[stage] = parsed.workdirs[""] = workdir
        elif word in ("COPY", "ADD"):
            words = [w for w in shlex.split(rest, posix=True) if not w.startswith("--")] if rest else []
            if len(words) >= 2:
                destination = posixpath.join(workdir, words[-1])
                for source in words[:-1]:
                    parsed.copies.append((destination, posixpath.normpath(posixpath.join(folder, source))))
    return parsed


def _stage_name(rest: str) -> str:
    """The stage a ``FROM image AS name`` line names (``""`` without one), read word by word
    (a pattern searched for ``\\s+AS`` rescanned a run of blanks from every position)."""
    words = rest.split()
    return next((words[i + 1].lower() for i in range(1, len(words) - 1) if words[i].upper() == "AS"), "")


def _exec_form(text: str) -> tuple[str, ...]:
    text = text.strip()
    if text.startswith("["):
        try:
            value: Any = json.loads(text)
        except ValueError:
            return ()
        return tuple(str(v) for v in value) if isinstance(value, list) else ()
    return ("sh", "-c", text) if text else ()


def repository_path(dockerfile: Dockerfile, container_path: str) -> str | None:
    """The repository file a container path was copied from (``COPY src dest``), if any."""
    for destination, source in reversed(dockerfile.copies):
        destination = destination.rstrip("/")
        if container_path == destination:
            return source
        if container_path.startswith(destination + "/"):
            return posixpath.normpath(posixpath.join(source, container_path[len(destination) + 1:]))
    return None


def follow(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    head = program_name(words[0])
    if head == "docker-compose" or (head in ("docker", "podman") and words[1:2] == ("compose",)):
        return _compose(ctx, words[1:] if head == "docker-compose" else words[2:], cwd)
    if head in ("docker", "podman") and words[1:2] == ("run",):
        return _run(ctx, words[2:], cwd)
    return None


def _compose(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in _COMPOSE_VALUE_OPTIONS else 1
    if index >= len(words) or words[index] not in ("run", "exec"):
        return None
    index += 1
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in _COMPOSE_VALUE_OPTIONS else 1
    if index + 1 >= len(words):
        return None  # no command given: the service's own, not read
    service, command = words[index], words[index + 1:]
    path = _compose_file(ctx, cwd)
    entrypoint = _compose_entrypoint(ctx, path, service) if path else ()
    if not entrypoint:
        return None  # the command itself runs: the wrappers peel it
    return [Work(path, 1, " ".join(shlex.quote(w) for w in (*entrypoint, *command)), cwd)]  # type: ignore[arg-type]


def _compose_file(ctx: Context, cwd: str) -> str | None:
    return next((p for n in ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
                 if (p := ctx.nearest(cwd, n))), None)


def _compose_entrypoint(ctx: Context, path: str, service: str) -> tuple[str, ...]:
    parsed = ctx.ws.read_yaml(path)
    data = parsed.documents[0].data if parsed and parsed.documents else None
    services = data.get("services") if isinstance(data, dict) else None
    body = services.get(service) if isinstance(services, dict) else None
    entrypoint = body.get("entrypoint") if isinstance(body, dict) else None
    if isinstance(entrypoint, str):
        return tuple(shlex.split(entrypoint)) if entrypoint.strip() else ()
    if isinstance(entrypoint, list):
        return tuple(str(w) for w in entrypoint)
    return ()


def _run(ctx: Context, words: tuple[str, ...], cwd: str) -> list[Work] | None:
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in _RUN_VALUE_OPTIONS or words[index] == "--entrypoint" else 1
    if index >= len(words):
        return None
    image, args = words[index], words[index + 1:]
    built = ctx.images.get(image)
    if built is None:
        return None  # not built by this job: the wrappers read the image name as its tool
    dockerfile_path, target = built
    parsed = ctx.parse("dockerfile", dockerfile_path, parse_dockerfile)
    if parsed is None:
        return None
    line, entrypoint = parsed.entrypoints.get(target, (0, ()))
    if not entrypoint:
        return [Work(dockerfile_path, 1, " ".join(shlex.quote(a) for a in args), cwd)] if args else None
    workdir = parsed.workdirs.get(target, "/")
    script = entrypoint[-1] if entrypoint[0] in ("/bin/bash", "bash", "/bin/sh", "sh") else None
    for word in entrypoint:
        container = posixpath.join(workdir, word) if not word.startswith("/") else word
        source = repository_path(parsed, container)
        if source is not None and ctx.ws.exists(source):
            text = ctx.read(source)
            if text is not None and (script == word or word.endswith(".sh") or text.startswith("#!")):
                # the script runs in the container's working folder, mapped back to the repository
                folder = repository_path(parsed, workdir.rstrip("/")) or cwd
                return [Work(source, 1, text, folder, tuple(args))]
    return [Work(dockerfile_path, line, " ".join(shlex.quote(a) for a in (*entrypoint, *args)), cwd)]


def record_build(ctx: Context, words: tuple[str, ...], cwd: str) -> None:
    """Remember the image a ``docker build``/``docker buildx build`` command tags, and from
    which Dockerfile and stage, for a later ``docker run`` of it."""
    head = program_name(words[0]) if words else ""
    rest = list(words[1:])
    if head not in ("docker", "podman") or not rest:
        return
    if rest[0] == "buildx":
        rest = rest[1:]
    if not rest or rest[0] not in ("build", "image") or (rest[0] == "image" and rest[1:2] != ["build"]):
        return
    rest = rest[2:] if rest[0] == "image" else rest[1:]
    tags: list[str] = []
    dockerfile = ""
    target = ""
    positional: list[str] = []
    index = 0
    while index < len(rest):
        word = rest[index]
        value = rest[index + 1] if index + 1 < len(rest) else ""
        if word in ("-t", "--tag"):
            tags.append(value)
        elif word in ("-f", "--file"):
            dockerfile = value
        elif word == "--target":
            target = value
        elif word.startswith(("--tag=", "--file=", "--target=")):
            key, _, val = word.partition("=")
            if key == "--tag":
                tags.append(val)
            elif key == "--file":
                dockerfile = val
            else:
                target = val
            index += 1
            continue
        elif word.startswith("-"):
            index += 2 if word in ("--build-arg", "--label", "--platform", "--cache-from", "--cache-to", "--secret",
                                   "--network", "--progress", "--output", "-o") else 1
            continue
        else:
            positional.append(word)
            index += 1
            continue
        index += 2
    context = positional[-1] if positional else "."
    path = ctx.repo_path(cwd, dockerfile) if dockerfile else ctx.repo_path(cwd, posixpath.join(context, "Dockerfile"))
    if path is None:
        return
    for tag in tags[:20]:
        if tag:
            ctx.images[tag] = (path, target.lower())
