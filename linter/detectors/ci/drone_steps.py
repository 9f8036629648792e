"""Woodpecker and Drone steps as jobs: what each step runs, and when (``drone_when``).

Both systems run a workflow's steps as containers, one after the other (or as ``depends_on``
orders them), each with its own ``when``: a step is a job here, as a Buildkite command step
is, so that a step only on tags and one on every pull request are told apart.

A step runs its ``commands`` (a list, or one string) in its ``image``; without commands it is
a plugin, an image whose entry point does the work, configured by ``settings`` (older
configurations wrote them on the step itself): recorded as a packaged step named by the
image (``docker.io/woodpeckerci/plugin-trivy:1.1.0`` is ``woodpeckerci/plugin-trivy@1.1.0``),
for the tool tables. ``environment`` values are the step's variables; ``failure: ignore``
and ``detach: true`` (a background step nobody waits for) make its failure not fail the
workflow. ``services`` are containers the steps talk to (a database), not work.
"""

from __future__ import annotations

from typing import Any

from linter.detectors.ci.drone_when import Condition, both, condition_of, triggers_and_refs
from linter.detectors.ci.matrix import MAX_COMBINATIONS, product_of, values_of
from linter.detectors.ci.model import (
    MAX_JOBS_PER_PIPELINE, MAX_STEPS_PER_JOB, Bindings, Job, Step, Value, as_dict, as_list, content_line, is_true,
    plain_args, text_of,
)
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

#: Step keys that are not a plugin's settings (older configurations wrote settings on the step).
_STEP_KEYS = frozenset({
    "name", "image", "pull", "commands", "command", "entrypoint", "environment", "secrets", "when", "failure",
    "detach", "depends_on", "group", "volumes", "privileged", "settings", "backend_options", "directory",
    "network_mode", "networks", "ports", "dns", "dns_search", "extra_hosts", "tmpfs", "devices", "shm_size",
    "cpu_quota", "cpu_shares", "cpu_set", "mem_limit", "memswap_limit", "user", "working_dir", "resources",
})
_SHELLS = frozenset({"sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/env"})


def step_jobs(ws: Workspace, path: str, prefix: str, steps: Any, outer: Condition, bindings: Bindings,
              variants: tuple[Bindings, ...] = (), default: str = "") -> list[Job]:
    """One job per step of a ``steps`` (or older ``pipeline``) mapping or list (``default``: the
    repository's default branch, for ``drone_when.condition_of``)."""
    if isinstance(steps, dict):
        entries = [(text_of(k), v, line_of(steps, k, 1)) for k, v in steps.items()]
    else:
        entries = [(text_of(as_dict(v).get("name")), v, line_of(steps, i, 1)) for i, v in enumerate(as_list(steps))]
    jobs: list[Job] = []
    for name, body, line in entries[:MAX_JOBS_PER_PIPELINE]:
        if isinstance(body, dict):
            jobs.append(_job(ws, path, prefix, name.strip(), body, line, outer, bindings, variants, default))
    return jobs


def _job(ws: Workspace, path: str, prefix: str, name: str, body: dict[Any, Any], line: int, outer: Condition,
         bindings: Bindings, variants: tuple[Bindings, ...], default: str) -> Job:
    when = both(outer, condition_of(body.get("when"), default)) if "when" in body else outer
    triggers, refs = triggers_and_refs(when)
    steps = _commands(ws, path, body, line)
    if not steps:
        steps = _plugin(path, body, line)
    non_blocking = text_of(body.get("failure")).strip().lower() == "ignore" or is_true(body.get("detach"))
    own = {**bindings, **values_of(body.get("environment"), path, "env.")}
    return Job(f"{prefix}{name or f'step@{line}'}", path, line, triggers, tuple(steps[:MAX_STEPS_PER_JOB]),
               non_blocking, refs=refs, bindings=own, variants=variants, title=name)


def _commands(ws: Workspace, path: str, body: dict[Any, Any], line: int) -> list[Step]:
    steps: list[Step] = []
    for key in ("commands", "command"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            steps.append(Step(path, content_line(ws, path, line_of(body, key, line)), "run", value))
        for index, command in enumerate(as_list(value)[:MAX_STEPS_PER_JOB]):
            if isinstance(command, (str, int, float)) and not isinstance(command, bool) and text_of(command).strip():
                steps.append(Step(path, content_line(ws, path, line_of(value, index, line)), "run", text_of(command)))
    if steps:
        return steps
    entrypoint = body.get("entrypoint")  # ``[sh, -c, "make test"]``: the script; another list: a command
    words = [text_of(w) for w in as_list(entrypoint)[:100] if text_of(w)]
    if len(words) >= 3 and words[0] in _SHELLS and words[1] == "-c":
        return [Step(path, line_of(body, "entrypoint", line), "run", words[2])]
    return []


def _plugin(path: str, body: dict[Any, Any], line: int) -> list[Step]:
    """A plugin step: the image as a reference, with its settings."""
    reference = image_reference(text_of(body.get("image")))
    if not reference:
        return []
    settings = body.get("settings")
    args = plain_args(settings) if isinstance(settings, dict) else {
        k: v for k, v in plain_args(body).items() if k not in _STEP_KEYS}
    return [Step(path, line_of(body, "image", line), "uses", reference, args)]


def image_reference(image: str) -> str:
    """``docker.io/woodpeckerci/plugin-trivy:1.1.0`` -> ``woodpeckerci/plugin-trivy@1.1.0``: a
    plugin image as a reference, its registry host dropped (a first part with ``.`` or ``:``,
    or ``localhost``), its tag or digest written after ``@``; ``""`` when there is none."""
    image = image.strip()
    if not image or len(image) > 300 or any(c.isspace() for c in image):
        return ""
    name, _, digest = image.partition("@")
    head, _, tail = name.rpartition("/")
    tag = ""
    if ":" in tail:
        tail, _, tag = tail.partition(":")
    parts = [p for p in (head.split("/") if head else []) if p] + [tail]
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    if parts[:1] == ["library"] and len(parts) > 1:
        parts = parts[1:]
    reference = "/".join(parts).lower()
    version = tag or digest
    return f"{reference}@{version}" if version and reference else reference


def matrix_variants(matrix: Any, path: str) -> tuple[Bindings, ...]:
    """A Woodpecker ``matrix``: the product of its axes, or its ``include`` list, as the
    variables each combination sets (``${GO_VERSION}``)."""
    node = as_dict(matrix)
    include = node.get("include")
    if isinstance(include, list):
        out: list[Bindings] = []
        for index, item in enumerate(include[:MAX_COMBINATIONS]):
            item_line = line_of(include, index, 0)
            found = {f"env.{k}": Value(text_of(v), path, line_of(item, k, item_line))
                     for k, v in as_dict(item).items() if isinstance(v, (str, int, float, bool))}
            if found:
                out.append(found)
        return tuple(out)
    axes = {str(k): (v if isinstance(v, list) else [v], line_of(node, k, 0)) for k, v in node.items()
            if isinstance(v, (list, str, int, float))}
    return tuple(product_of(axes, path, "env.")) if axes else ()


def repository_default_branch(ws: Workspace) -> str:
    """The default branch git names (``linter.detectors.ci.default_branch``): a pull request's
    ``branch`` is its target, so whether a filter lets in the pull requests into the default
    branch depends on its name (``develop`` in some repositories)."""
    from linter.detectors.ci import default_branch  # the package imports this module

    return default_branch(ws)
