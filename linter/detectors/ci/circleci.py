"""CircleCI ``.circleci/config.yml``: jobs, orb commands, ``run`` steps and workflows.

Jobs run only when a workflow lists them (2.1); a 2.0 config without ``workflows`` runs its
``build`` job on every push. A workflow with ``triggers: - schedule`` or a ``when`` that
requires ``scheduled_pipeline`` is periodic; a job that ``requires`` an approval job is manual.
CircleCI builds every pushed branch and no tag unless a job's ``filters`` say otherwise
(``branches: only/ignore``, ``tags: only``), which become the job's refs.
Orb commands are steps named ``<orb alias>/<command>`` and are normalised to
``<orb name> <command>`` (``snyk/snyk scan``). Reusable ``commands:`` are expanded where a
step names them, their ``parameters`` bound (the step's values, else the defaults); a job's
``parameters`` come from the workflow entry (one job per entry, named by its ``name:``),
``matrix.parameters`` give its combinations, pipeline ``parameters`` their defaults, and
``environment:`` its variables; ``<< parameters.x >>`` reads them
(``linter.detectors.ci.expressions``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from linter.detectors.ci.matrix import product_of, scalar_text, values_of
from linter.detectors.ci.model import (
    MAX_JOBS_PER_PIPELINE, MAX_STEPS_PER_JOB, Bindings, Job, Pipeline, Step, Value, as_dict, as_list, content_line,
    first_mapping, plain_args, text_of,
)
from linter.detectors.ci.refs import ANY_BRANCH, circleci_filter_refs
from linter.fast_dataclass import dataclass, field
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of, walk_strings

SYSTEM = "circleci"
CONFIG = ".circleci/config.yml"
#: CircleCI runs a pipeline on every push, to every branch (a pull request's commits are pushes
#: to its branch): a job's refs say which branches, none of which is a pull-request event.
PER_CHANGE_TRIGGERS = frozenset({"push"})


def detect(ws: Workspace, asked: set[str] | None = None) -> tuple[list[Pipeline], list[str]]:
    """The pipeline of the config, and the files read; each joins ``asked``."""
    paths = [p for p in (CONFIG, ".circleci/config.yaml") if ws.exists(p)]
    pipelines = []
    for path in paths:
        data = first_mapping(ws, path, asked)
        if data is not None:
            pipelines.append(Pipeline(SYSTEM, path, tuple(sorted(_jobs(ws, path, data))[:MAX_JOBS_PER_PIPELINE])))
    return pipelines, paths


def _orbs(data: dict[Any, Any]) -> dict[str, str]:
    """Orb alias -> orb name without version (``snyk`` -> ``snyk/snyk``)."""
    return {str(alias): text_of(ref).split("@", 1)[0].strip().lower()
            for alias, ref in as_dict(data.get("orbs")).items() if text_of(ref)}


@dataclass
class _Config:
    """What the steps of a config can call, and the values every job can read."""

    ws: Workspace
    path: str
    orbs: dict[str, str]
    commands: dict[str, Any]
    pipeline: dict[str, Value]


def _jobs(ws: Workspace, path: str, data: dict[Any, Any]) -> list[Job]:
    config = _Config(ws, path, _orbs(data), as_dict(data.get("commands")),
                     _parameter_defaults(data.get("parameters"), path, "pipeline.parameters."))
    definitions = as_dict(data.get("jobs"))
    jobs: list[Job] = []
    for entry in _workflow_entries(data, definitions, path):
        body = definitions.get(entry.job)
        if isinstance(body, dict):
            params = {**_parameter_defaults(body.get("parameters"), path, "parameters."), **entry.params}
            env = values_of(body.get("environment"), path, "env.")
            steps = parse_steps(ws, path, body.get("steps"), config.orbs, config, 0)
            line = line_of(definitions, entry.job, entry.line)
            workdir = text_of(body.get("working_directory")).strip()
            if workdir:
                steps = [s if s.workdir else dataclasses.replace(s, workdir=workdir) for s in steps]
        elif "/" in entry.job and entry.job.split("/", 1)[0] in config.orbs:  # an orb job used directly
            alias, command = entry.job.split("/", 1)
            steps = [Step(path, entry.line, "orb", f"{config.orbs[alias]} {command}", entry.args)]
            params, env, line = dict(entry.params), {}, entry.line
        else:
            continue
        jobs.append(Job(entry.name, path, line, entry.triggers, tuple(steps[:MAX_STEPS_PER_JOB]),
                        refs=entry.refs, bindings={**config.pipeline, **env, **params}, variants=entry.variants))
    return jobs


@dataclass
class _Entry:
    """One job a workflow runs: its name there, the job it runs, and how."""

    name: str
    job: str
    line: int
    triggers: frozenset[str]
    refs: tuple[str, ...] = ()
    params: dict[str, Value] = field(default_factory=dict)
    args: dict[str, Any] = field(default_factory=dict)
    variants: tuple[Bindings, ...] = ()


def _workflow_entries(data: dict[Any, Any], definitions: dict[Any, Any], path: str) -> list[_Entry]:
    """Every job entry of every workflow (a 2.0 config without workflows runs ``build``)."""
    workflows = data.get("workflows")
    if not isinstance(workflows, dict):
        return [_Entry("build", "build", 0, PER_CHANGE_TRIGGERS, (ANY_BRANCH,))] if "build" in definitions else []
    entries: list[_Entry] = []
    for workflow in workflows.values():
        if not isinstance(workflow, dict):
            continue
        triggers = _workflow_triggers(workflow)
        items = as_list(workflow.get("jobs"))
        approvals = {_entry_name(e) for e in items if text_of(as_dict(_entry_body(e)).get("type")) == "approval"}
        for index, item in enumerate(items[:MAX_JOBS_PER_PIPELINE]):
            job = _entry_name(item)
            body = as_dict(_entry_body(item))
            if not job or job in approvals:
                continue
            requires = {text_of(r) for r in as_list(body.get("requires"))}
            job_triggers = frozenset({"manual"}) if requires & approvals else triggers
            line = line_of(items, index, 0)
            args = {k: v for k, v in body.items()
                    if k not in ("requires", "filters", "matrix", "name", "context", "type", "pre-steps", "post-steps")}
            params = values_of(args, path, "parameters.")
            entries.append(_Entry(text_of(body.get("name")).strip() or job, job, line, job_triggers,
                                  circleci_filter_refs(body.get("filters")), params, plain_args(args),
                                  _matrix(body.get("matrix"), path)))
    return entries


def _matrix(matrix: Any, path: str) -> tuple[Bindings, ...]:
    """``matrix.parameters``: the product of the listed values, less ``exclude`` entries."""
    parameters = as_dict(as_dict(matrix).get("parameters"))
    axes = {str(k): (v if isinstance(v, list) else [v], line_of(parameters, k, 0)) for k, v in parameters.items()}
    combos = product_of(axes, path, "parameters.") if axes else []
    excludes = [e for e in as_list(as_dict(matrix).get("exclude")) if isinstance(e, dict)]
    kept = [c for c in combos
            if not any(all(c.get(f"parameters.{k}") is not None and c[f"parameters.{k}"].text == text_of(v)
                           for k, v in e.items()) for e in excludes)]
    return tuple(kept)


def _parameter_defaults(node: Any, path: str, prefix: str) -> dict[str, Value]:
    """``<prefix><name>`` = the ``default`` of each declared parameter."""
    out: dict[str, Value] = {}
    for name, spec in as_dict(node).items():
        if isinstance(spec, dict) and "default" in spec:
            text = scalar_text(spec.get("default"))
            if text is not None:
                out[f"{prefix}{name}"] = Value(text, path, line_of(spec, "default", 0))
    return out


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


def parse_steps(ws: Workspace, path: str, steps: Any, orbs: dict[str, str], config: _Config | None = None,
                depth: int = 0, scope: dict[str, Value] | None = None) -> list[Step]:
    """Steps of a job, with reusable ``commands`` expanded (their ``parameters`` bound) and
    ``when``/``unless`` steps opened (both branches count)."""
    found: list[Step] = []
    for index, item in enumerate(as_list(steps)[:MAX_STEPS_PER_JOB]):
        line = line_of(steps, index, 0)
        if isinstance(item, str):
            name, body = item, None
        elif isinstance(item, dict) and len(item) == 1:
            name, body = str(next(iter(item))), next(iter(item.values()))
        else:
            continue
        if name == "run":
            command = body if isinstance(body, str) else as_dict(body).get("command")
            if isinstance(command, str) and command.strip():
                container = item if isinstance(body, str) else body
                key_line = line_of(container, "run" if isinstance(body, str) else "command", line)
                run = as_dict(body)
                found.append(Step(path, content_line(ws, path, key_line), "run", command, {}, False,
                                  {**(scope or {}), **values_of(run.get("environment"), path, "env.")},
                                  text_of(run.get("working_directory")).strip(), text_of(run.get("shell")).strip(),
                                  text_of(run.get("name")).strip()))
        elif name in ("when", "unless") and isinstance(body, dict):
            found.extend(parse_steps(ws, path, body.get("steps"), orbs, config, depth + 1, scope))
        elif "/" in name and name.split("/", 1)[0] in orbs:
            alias, command = name.split("/", 1)
            found.append(Step(path, line, "orb", f"{orbs[alias]} {command}", plain_args(body)))
        elif config is not None and name in config.commands and depth < MAX_COMMAND_DEPTH:
            definition = as_dict(config.commands[name])
            params = {**_parameter_defaults(definition.get("parameters"), path, "parameters."),
                      **{k: Value(v.text, path, line) for k, v in values_of(body, path, "parameters.").items()}}
            found.extend(parse_steps(ws, path, definition.get("steps"), orbs, config, depth + 1, params))
    return found


MAX_COMMAND_DEPTH = 5
