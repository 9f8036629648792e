"""Google Cloud Build configurations (``cloudbuild.yaml``, ``.json``): the build's steps.

A build config is a top-level ``steps`` list; each step runs a builder image (``name``)
with ``args`` (after an optional ``entrypoint``) or a ``script``. Steps run in sequence as
one build, so a file becomes one job.

Which files: YAML or JSON files whose name or folder says ``cloudbuild`` (the default path a
trigger reads is ``cloudbuild.yaml``; projects keep several, such as
``.github/cloudbuild/ci-pr.yaml``) and that hold a ``steps`` list of mappings with a
``name``. Azure Pipelines also allows a top-level ``steps`` list, so the name decides.

When a build runs is set by its trigger, which lives in Google Cloud, not in the file. A
``google_cloudbuild_trigger`` in this repository's Terraform that names the file
(``filename``) says it: ``github.push`` / ``trigger_template`` / ``repository_event_config.push``
start it on pushes (to the branch a ``^main$`` filter names, else to any branch or tags), ``pull_request`` on pull requests, ``pubsub_config`` /
``webhook_config`` on other events, ``source_to_build`` only when run by hand. Without one,
a build config is taken to run on pushes and pull requests, as CI triggers usually do (as
for a Jenkins multibranch pipeline), or on pull requests only when its file name says so
(``ci-pr.yaml``, ``cloudbuild-presubmit.yaml``).

How a step's command is read: ``entrypoint`` + ``args``; ``bash -c 'script'`` as the script;
a ``gcr.io/cloud-builders/<tool>`` image runs ``<tool> args``, as do tool images whose entry
point is the tool (terraform, skaffold, trivy...); other images get ``args`` as the command.
``allowFailure: true`` makes a step non-blocking. The build's ``substitutions`` are read
where steps write ``$_NAME`` or ``${_NAME}`` (their defaults; a trigger may set others).
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from linter.detectors import hcl
from linter.detectors.ci.model import (
    MAX_STEPS_PER_JOB, Job, Pipeline, Step, Value, as_dict, as_list, content_line, is_true, text_of,
)
from linter.detectors.ci.refs import ANY_BRANCH, ANY_TAG
from linter.repo.workspace import Workspace
from linter.repo.folders import outside_docs_and_tests
from linter.repo.yamlio import line_of

SYSTEM = "cloud-build"
DEFAULT_TRIGGERS = frozenset({"push", "pull_request"})
#: Images whose entry point is the tool of the same name: ``args`` are its arguments.
TOOL_IMAGES = frozenset({"terraform", "skaffold", "trivy", "snyk", "semgrep", "gitleaks", "helm", "kubectl",
                         "gcloud", "cloud-sdk", "gke-deploy", "docker", "kaniko", "executor", "gsutil",
                         "firebase", "cloud-run-deploy"})
_SHELLS = frozenset({"bash", "sh", "/bin/bash", "/bin/sh"})
MAX_FILES = 200


def detect(ws: Workspace, asked: set[str] | None = None) -> tuple[list[Pipeline], list[str]]:
    """A pipeline per build config, and the configs read; every candidate joins ``asked``
    (one that cannot be read or parsed may well be a config)."""
    asked = set() if asked is None else asked
    candidates = [p for p in ws.paths_containing("cloudbuild")
                  if p.lower().endswith((".yaml", ".yml", ".json")) and "cloudbuild" in _name_and_folder(p)]
    candidates = ws.bounded(outside_docs_and_tests(candidates), MAX_FILES, "Cloud Build configurations")
    if not candidates:
        return [], []
    triggers, refs = _terraform_triggers(ws)
    pipelines: list[Pipeline] = []
    read: list[str] = []
    for path in candidates:
        asked.add(path)
        data = _config(ws, path)
        if data is None:
            continue
        read.append(path)
        steps = _steps(ws, path, data["steps"])
        name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        job = Job(name, path, line_of(data, "steps", 1), triggers.get(path, _by_name(path)), tuple(steps),
                  refs=refs.get(path, ()), bindings=_substitutions(data, path))
        pipelines.append(Pipeline(SYSTEM, path, (job,)))
    return pipelines, read


#: Words in a config's file name that say it is the pull-request build (``ci-pr.yaml``).
_PULL_REQUEST_WORDS = frozenset({"pr", "pull", "pullrequest", "presubmit", "premerge"})


def _by_name(path: str) -> frozenset[str]:
    """Events of a build no trigger in this repository describes: pull requests when its name
    says so (``ci-pr.yaml``, ``cloudbuild-presubmit.yaml``), else pushes and pull requests."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    words = set(stem.replace("_", "-").replace(".", "-").split("-"))
    return frozenset({"pull_request"}) if words & _PULL_REQUEST_WORDS else DEFAULT_TRIGGERS


def _name_and_folder(path: str) -> str:
    parts = path.lower().split("/")
    return "/".join(parts[-2:])


def _substitutions(data: dict[Any, Any], path: str) -> dict[str, Value]:
    """User-defined ``substitutions`` (``_NAME: default``), read by ``$_NAME``/``${_NAME}`` in
    steps; a trigger may override them, and built-in ones (``$PROJECT_ID``) stay unknown."""
    node = data.get("substitutions")
    out: dict[str, Value] = {}
    for key, value in as_dict(node).items():
        name = str(key)
        if name.startswith("_") and isinstance(value, (str, int, float, bool)):
            out[f"sub.{name}"] = Value(text_of(value), path, line_of(node, key, 0))
    return out


def _config(ws: Workspace, path: str) -> dict[Any, Any] | None:
    """The build config in ``path`` (YAML or JSON), or ``None`` when it is not one."""
    if path.lower().endswith(".json"):
        data: Any = ws.read_json(path)
    else:
        parsed = ws.read_yaml(path)
        data = next((d.data for d in parsed.documents if isinstance(d.data, dict)), None) if parsed else None
    steps = data.get("steps") if isinstance(data, dict) else None
    if not isinstance(steps, list) or not steps:
        return None
    if not all(isinstance(s, dict) and isinstance(s.get("name"), str) for s in steps[:MAX_STEPS_PER_JOB]):
        return None
    return data


def _steps(ws: Workspace, path: str, items: list[Any]) -> list[Step]:
    steps: list[Step] = []
    for index, item in enumerate(items[:MAX_STEPS_PER_JOB]):
        step = as_dict(item)
        line = line_of(items, index, 1)
        command = _command(step)
        if not command.strip():
            continue
        where = line_of(step, "script", line) if text_of(step.get("script")).strip() else line_of(step, "args", line)
        steps.append(Step(path, content_line(ws, path, where), "run", command,
                          {"image": text_of(step.get("name"))}, is_true(step.get("allowFailure"))))
    return steps


def _command(step: dict[Any, Any]) -> str:
    """The shell text a step runs (see the module docstring)."""
    script = text_of(step.get("script"))
    if script.strip():
        return script
    args = [text_of(a) for a in as_list(step.get("args")) if isinstance(a, (str, int, float))]
    entrypoint = text_of(step.get("entrypoint")).strip()
    if entrypoint in _SHELLS and len(args) >= 2 and args[0] == "-c":
        return args[1]
    image = text_of(step.get("name")).strip()
    tool = image.split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0]
    if entrypoint:
        argv = [entrypoint, *args]
    elif ("/cloud-builders/" in image or tool in TOOL_IMAGES) and (not args or args[0].rsplit("/", 1)[-1] != tool):
        argv = [tool, *args]  # the image's entry point is the tool (unless the args name it again)
    else:
        argv = args
    return " ".join(shlex.quote(a) for a in argv)


def _terraform_triggers(ws: Workspace) -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    """Build config path -> events, and -> the refs its push triggers run on, from
    ``google_cloudbuild_trigger`` resources."""
    events: dict[str, set[str]] = {}
    refs: dict[str, set[str]] = {}
    for path in hcl.terraform_files(ws):
        text = ws.read_text(path)
        if not text or "google_cloudbuild_trigger" not in text:
            continue
        root = hcl.parsed(ws, path)
        for block in root.children("resource") if root is not None else ():
            if block.labels[:1] != ("google_cloudbuild_trigger",):
                continue
            filename = block.attributes.get("filename")
            if not isinstance(filename, str) or not filename.strip():
                continue
            key = filename.strip().lstrip("./")
            found, pushed = _events(block)
            events.setdefault(key, set()).update(found)
            refs.setdefault(key, set()).update(pushed)
    return ({path: frozenset(found or {"other"}) for path, found in events.items()},
            {path: tuple(sorted(pushed)) for path, pushed in refs.items()})


def _events(block: hcl.Block) -> tuple[set[str], set[str]]:
    """A trigger's events, and the refs its pushes run on (``branch:main``, ``branch:*``, ``tag:*``)."""
    events: set[str] = set()
    refs: set[str] = set()
    for holder in (block.child("github"), block.child("repository_event_config"),
                   block.child("bitbucket_server_trigger_config")):
        if holder is None:
            continue
        push = holder.child("push")
        if push is not None:
            events.add("push")
            refs.add(_ref(push.attributes.get("branch"), push.attributes.get("tag")))
        if holder.child("pull_request") is not None:
            events.add("pull_request")
    template = block.child("trigger_template")
    if template is not None:
        events.add("push")
        refs.add(_ref(template.attributes.get("branch_name"), template.attributes.get("tag_name")))
    if block.child("pubsub_config") is not None or block.child("webhook_config") is not None:
        events.add("other")
    if not events and block.child("source_to_build") is not None:
        events.add("manual")
    return events, refs


def _ref(branch: Any, tag: Any) -> str:
    """A push filter (a regular expression in Cloud Build) as a ref: ``^main$`` is the branch
    ``main``; any other expression may match any branch."""
    if isinstance(tag, str) and tag.strip() and not (isinstance(branch, str) and branch.strip()):
        return ANY_TAG
    name = branch.strip() if isinstance(branch, str) else ""
    literal = name.removeprefix("^").removesuffix("$")
    if literal and _LITERAL_BRANCH.fullmatch(literal):
        return f"branch:{literal}"
    return ANY_BRANCH


_LITERAL_BRANCH = re.compile(r"[A-Za-z0-9_/-]{1,200}")
