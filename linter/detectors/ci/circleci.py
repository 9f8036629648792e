"""CircleCI ``.circleci/config.yml``: jobs, orb commands, ``run`` steps and workflows.

Jobs run only when a workflow lists them (2.1); a 2.0 config without ``workflows`` runs its
``build`` job on every push. A workflow with ``triggers: - schedule`` or a ``when`` that
requires ``scheduled_pipeline`` is periodic; a job that ``requires`` an approval job is manual.
Orb commands are steps named ``<orb alias>/<command>`` and are normalised to
``<orb name> <command>`` (``snyk/snyk scan``).
"""

from __future__ import annotations

from typing import Any

from linter.detectors.ci.model import (
    MAX_JOBS_PER_PIPELINE, MAX_STEPS_PER_JOB, Job, Pipeline, Step, as_dict, as_list, content_line, first_mapping,
    plain_args, text_of,
)
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of, walk_strings

SYSTEM = "circleci"
CONFIG = ".circleci/config.yml"
PER_CHANGE_TRIGGERS = frozenset({"push", "pull_request"})


def detect(ws: Workspace) -> tuple[list[Pipeline], list[str]]:
    paths = [p for p in (CONFIG, ".circleci/config.yaml") if ws.exists(p)]
    pipelines = []
    for path in paths:
        data = first_mapping(ws, path)
        if data is not None:
            pipelines.append(Pipeline(SYSTEM, path, tuple(sorted(_jobs(ws, path, data))[:MAX_JOBS_PER_PIPELINE])))
    return pipelines, paths


def _orbs(data: dict[Any, Any]) -> dict[str, str]:
    """Orb alias -> orb name without version (``snyk`` -> ``snyk/snyk``)."""
    return {str(alias): text_of(ref).split("@", 1)[0].strip().lower()
            for alias, ref in as_dict(data.get("orbs")).items() if text_of(ref)}


def _jobs(ws: Workspace, path: str, data: dict[Any, Any]) -> list[Job]:
    orbs = _orbs(data)
    definitions = as_dict(data.get("jobs"))
    runs = _job_triggers(data, definitions)
    jobs: list[Job] = []
    for name, (triggers, line) in runs.items():
        body = definitions.get(name)
        if isinstance(body, dict):
            steps = parse_steps(ws, path, body.get("steps"), orbs)
            line = line_of(definitions, name, line)
        elif "/" in name and name.split("/", 1)[0] in orbs:  # an orb job used directly
            alias, command = name.split("/", 1)
            steps = [Step(path, line, "orb", f"{orbs[alias]} {command}", {})]
        else:
            continue
        jobs.append(Job(name, path, line, triggers, tuple(steps[:MAX_STEPS_PER_JOB])))
    return jobs


def _job_triggers(data: dict[Any, Any], definitions: dict[Any, Any]) -> dict[str, tuple[frozenset[str], int]]:
    """Which jobs the workflows run, with the union of their triggers."""
    workflows = data.get("workflows")
    if not isinstance(workflows, dict):
        return {"build": (PER_CHANGE_TRIGGERS, 0)} if "build" in definitions else {}
    runs: dict[str, tuple[frozenset[str], int]] = {}
    for workflow_name, workflow in workflows.items():
        if not isinstance(workflow, dict):
            continue
        triggers = _workflow_triggers(workflow)
        entries = as_list(workflow.get("jobs"))
        approvals = {_entry_name(e) for e in entries if text_of(as_dict(_entry_body(e)).get("type")) == "approval"}
        for index, entry in enumerate(entries):
            name = _entry_name(entry)
            if not name or name in approvals:
                continue
            requires = {text_of(r) for r in as_list(as_dict(_entry_body(entry)).get("requires"))}
            job_triggers = frozenset({"manual"}) if requires & approvals else triggers
            previous, _ = runs.get(name, (frozenset(), 0))
            runs[name] = (previous | job_triggers, line_of(entries, index, 0))
    return runs


def _entry_name(entry: Any) -> str:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and len(entry) == 1:
        return str(next(iter(entry)))
    return ""


def _entry_body(entry: Any) -> Any:
    return next(iter(entry.values())) if isinstance(entry, dict) and len(entry) == 1 else None


def _workflow_triggers(workflow: dict[Any, Any]) -> frozenset[str]:
    if any(isinstance(t, dict) and "schedule" in t for t in as_list(workflow.get("triggers"))):
        return frozenset({"schedule"})
    when = workflow.get("when")
    if when is not None:
        words = " ".join(s for s, _ in walk_strings(when, 200))
        negated = isinstance(when, dict) and "not" in when
        if "scheduled_pipeline" in words and not negated:
            return frozenset({"schedule"})
        if "api" in words.split() and not negated:
            return frozenset({"other"})
    return PER_CHANGE_TRIGGERS


def parse_steps(ws: Workspace, path: str, steps: Any, orbs: dict[str, str]) -> list[Step]:
    found: list[Step] = []
    for index, item in enumerate(as_list(steps)[:MAX_STEPS_PER_JOB]):
        line = line_of(steps, index, 0)
        if isinstance(item, str):
            if "/" in item and item.split("/", 1)[0] in orbs:
                alias, command = item.split("/", 1)
                found.append(Step(path, line, "orb", f"{orbs[alias]} {command}", {}))
            continue
        if not isinstance(item, dict) or len(item) != 1:
            continue
        key, body = next(iter(item.items()))
        key = str(key)
        if key == "run":
            command = body if isinstance(body, str) else as_dict(body).get("command")
            if isinstance(command, str) and command.strip():
                container = item if isinstance(body, str) else body
                key_line = line_of(container, "run" if isinstance(body, str) else "command", line)
                found.append(Step(path, content_line(ws, path, key_line), "run", command))
        elif "/" in key and key.split("/", 1)[0] in orbs:
            alias, command = key.split("/", 1)
            found.append(Step(path, line, "orb", f"{orbs[alias]} {command}", plain_args(body)))
    return found
