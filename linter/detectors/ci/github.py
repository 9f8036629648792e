"""GitHub Actions workflows: triggers, jobs, steps, reusable workflows and composite actions.

Semantics that matter for "does this run on every change?":

* ``on:`` may be a string, a list or a mapping; PyYAML reads the bare key ``on`` as ``True``.
* A workflow with only ``workflow_call`` runs when another workflow calls it, so a local
  reusable workflow (``jobs.<id>.uses: ./.github/workflows/x.yml``) is expanded into the
  caller with the *caller's* triggers; remote reusable workflows become one ``uses`` step.
* A job ``if:`` that only admits some ``github.event_name`` values narrows the triggers.
* Local composite actions (``uses: ./path``) are expanded into their ``runs.steps``;
  ``docker://image`` steps become the command the image runs.

What the expressions of a step can read is kept with it (``linter.detectors.ci.expressions``
replaces them): ``env`` at workflow, job and step level (the innermost wins), the job's
``strategy.matrix`` combinations (``linter.detectors.ci.matrix``), a called workflow's
``inputs`` (the caller's ``with:``, else the input's ``default``) and a composite action's
``inputs`` (the step's ``with:``, else the ``default`` in ``action.yml``); also
``defaults.run.working-directory``/``shell`` and a step's own ``working-directory``/``shell``.
``workflow_dispatch`` inputs are chosen by whoever starts the run, so they stay unknown.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from linter.detectors.ci.matrix import github_matrix, values_of
from linter.detectors.ci.model import (
    MAX_JOBS_PER_PIPELINE, MAX_STEPS_PER_JOB, Bindings, Job, Pipeline, Step, Value, as_dict, as_list, content_line,
    first_mapping, is_true, plain_args, text_of,
)
from linter.detectors.ci.refs import github_push_refs, narrow_github_refs
from linter.fast_dataclass import dataclass, field
from linter.repo.remotes import github_repository
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

SYSTEM = "github-actions"
WORKFLOW_GLOBS = (".github/workflows/*.yml", ".github/workflows/*.yaml")
#: GitHub allows four levels of nested reusable workflows; composite actions nest similarly.
MAX_CALL_DEPTH = 4

_EVENT_TRIGGERS = {
    "push": "push", "pull_request": "pull_request", "pull_request_target": "pull_request",
    "merge_group": "merge_group", "schedule": "schedule", "workflow_dispatch": "manual",
    "workflow_call": "call",
}
_EVENT_EQUALS = re.compile(r"github\.event_name\s*==\s*['\"]([A-Za-z_]{1,40})['\"]")
_EVENT_DIFFERS = re.compile(r"github\.event_name\s*!=\s*['\"]([A-Za-z_]{1,40})['\"]")


@dataclass
class _RawJob:
    name: str
    line: int
    condition: str
    non_blocking: bool
    steps: list[Step] = field(default_factory=list)
    calls: str = ""  # local reusable workflow path
    call_line: int = 0
    environment: str = ""
    bindings: dict[str, Value] = field(default_factory=dict)  # workflow and job env
    variants: tuple[Bindings, ...] = ()
    title: str = ""
    call_with: dict[str, Value] = field(default_factory=dict)  # `with:` of a local reusable workflow call
    runner: tuple[str, ...] = ()


@dataclass
class _Workflow:
    path: str
    triggers: frozenset[str]
    jobs: list[_RawJob]
    refs: tuple[str, ...] = ()
    #: ``inputs.*`` defaults of ``on.workflow_call.inputs``.
    input_defaults: dict[str, Value] = field(default_factory=dict)


@dataclass
class _Defaults:
    """``defaults.run`` of a workflow or job, and the env a step inherits."""

    workdir: str = ""
    shell: str = ""


def detect(ws: Workspace, asked: set[str] | None = None) -> tuple[list[Pipeline], list[str]]:
    """Pipelines of every workflow file and the list of files read; every configuration file
    asked for (workflows, local composite actions) joins ``asked``."""
    asked = set() if asked is None else asked
    paths = ws.glob(*WORKFLOW_GLOBS)
    workflows: dict[str, _Workflow] = {}
    for path in paths:
        parsed = _parse_workflow(ws, path, asked)
        if parsed is not None:
            workflows[path] = parsed
    repository = github_repository(ws.git.remote_url) if workflows and ws.git_dir_ok else None
    pipelines = [
        Pipeline(SYSTEM, wf.path, tuple(sorted(_jobs_of(wf, wf.triggers, workflows, (), "", wf.refs,
                                                        repository=repository))[:MAX_JOBS_PER_PIPELINE]))
        for wf in workflows.values()
    ]
    return pipelines, paths


# --------------------------------------------------------------------------- triggers
def event_names(on: Any) -> list[str] | None:
    """Event names of an ``on:`` value; ``None`` when its shape is not one GitHub accepts."""
    if isinstance(on, str):
        return [on.strip()]
    if isinstance(on, list):
        return [item.strip() for item in on if isinstance(item, str)]
    if isinstance(on, dict):
        return [str(key).strip() for key in on]
    return None


def triggers_of(events: list[str]) -> frozenset[str]:
    return frozenset(_EVENT_TRIGGERS.get(event, "other") for event in events if event)


_REPOSITORY_TEST = re.compile(r"^\s*\(?\s*github\.repository(_owner)?\s*(==|!=)\s*'([^'\s]{1,200})'\s*\)?\s*$")


def never_here(condition: str, repository: str | None) -> bool:
    """Whether a job ``if:`` is false in this repository, whatever the event: a conjunct that
    compares ``github.repository`` or ``github.repository_owner`` with a name, decided by
    ``repository`` (``owner/name`` from the origin remote, ``linter.repo.remotes``). A
    template's ``github.repository != 'org/template'`` job never runs in the template itself,
    and a fork's copy of ``github.repository == 'upstream/repo'`` never runs in the fork.
    Unknown (no GitHub remote, an ``||``, another shape): ``False``."""
    expression = condition.replace("${{", "").replace("}}", "")
    if not repository or "||" in expression:
        return False
    for conjunct in expression.split("&&")[:20]:
        match = _REPOSITORY_TEST.match(conjunct)
        if match is None:
            continue
        owner_only, operator, name = match.groups()
        actual = repository.split("/", 1)[0] if owner_only else repository
        if (actual == name.lower()) != (operator == "=="):
            return True
    return False


def _narrow(triggers: frozenset[str], condition: str) -> frozenset[str]:
    """Triggers left after a job ``if:``; unchanged unless it clearly tests the event name."""
    expression = condition.replace("${{", "").replace("}}", "")
    disjuncts = expression.split("||")
    admitted: set[str] = set()
    for part in disjuncts:
        equals = _EVENT_EQUALS.findall(part)
        if not equals:
            admitted = set()
            break
        admitted.update(_EVENT_TRIGGERS.get(event, "other") for event in equals)
    if admitted:
        return frozenset(triggers & admitted)
    if len(disjuncts) == 1:
        excluded = {_EVENT_TRIGGERS.get(e, "other") for e in _EVENT_DIFFERS.findall(expression)}
        excluded.discard("pull_request")  # pull_request and _target share a name: not safe to drop
        return frozenset(triggers - excluded) if excluded else triggers
    return triggers


# --------------------------------------------------------------------------- parsing
def _parse_workflow(ws: Workspace, path: str, asked: set[str]) -> _Workflow | None:
    data = first_mapping(ws, path, asked)
    if data is None:
        return None
    on = data.get(True, data.get("on"))
    events = event_names(on)
    if events is None:
        ws.note(path, f"workflow 'on:' is {type(on).__name__}, not an event, list or mapping; triggers unknown")
        events = []
    triggers = triggers_of(events)
    defaults = _defaults(data.get("defaults"), _Defaults())
    env = values_of(data.get("env"), path, "env.")
    inputs = _input_defaults(on, path)
    jobs_node = data.get("jobs")
    if not isinstance(jobs_node, dict):
        if jobs_node is not None:
            ws.note(path, "workflow 'jobs:' is not a mapping; no jobs read")
        return _Workflow(path, triggers, [], github_push_refs(on), inputs)
    jobs = [_parse_job(ws, path, str(name), jobs_node.line_of(name) if hasattr(jobs_node, "line_of") else 0, body,
                       defaults, env, asked)
            for name, body in list(jobs_node.items())[:MAX_JOBS_PER_PIPELINE]]
    return _Workflow(path, triggers, [job for job in jobs if job is not None], github_push_refs(on), inputs)


def _defaults(node: Any, outer: _Defaults) -> _Defaults:
    """``defaults.run.working-directory`` and ``shell`` (a job's override the workflow's)."""
    run = as_dict(as_dict(node).get("run"))
    return _Defaults(text_of(run.get("working-directory")).strip() or outer.workdir,
                     text_of(run.get("shell")).strip() or outer.shell)


def _input_defaults(on: Any, path: str) -> dict[str, Value]:
    """``inputs.<name>`` = the ``default`` of each ``on.workflow_call.inputs`` entry."""
    inputs = as_dict(as_dict(as_dict(on).get("workflow_call")).get("inputs"))
    out: dict[str, Value] = {}
    for name, spec in inputs.items():
        if isinstance(spec, dict) and "default" in spec:
            out[f"inputs.{name}"] = Value(text_of(spec["default"]), path, line_of(spec, "default", 0))
    return out


def _parse_job(ws: Workspace, path: str, name: str, line: int, body: Any, defaults: _Defaults,
               env: dict[str, Value], asked: set[str]) -> _RawJob | None:
    if not isinstance(body, dict):
        return None
    job = _RawJob(name, line, text_of(body.get("if")), is_true(body.get("continue-on-error")))
    job.environment = _environment_name(body.get("environment"))
    job.bindings = {**env, **values_of(body.get("env"), path, "env.")}
    job.variants = github_matrix(as_dict(body.get("strategy")).get("matrix"), path)
    job.title = text_of(body.get("name")).strip()
    job.runner = runner_labels(body.get("runs-on"))
    uses = body.get("uses")
    if isinstance(uses, str) and uses.strip():
        reference = uses.strip()
        uses_line = line_of(body, "uses", line)
        if reference.startswith("./"):
            job.calls, job.call_line = reference[2:].split("@", 1)[0], uses_line
            job.call_with = values_of(body.get("with"), path, "inputs.")
        else:
            job.steps.append(Step(path, uses_line, "uses", reference, plain_args(body.get("with"))))
        return job
    job.steps.extend(parse_steps(ws, path, body.get("steps"), 0, asked, _defaults(body.get("defaults"), defaults)))
    return job


def runner_labels(value: Any) -> tuple[str, ...]:
    """``runs-on`` as lower-case labels: a label, a list of labels, or ``{group, labels}``
    (an expression stays as written: which machine it picks is not known from the file)."""
    if isinstance(value, dict):
        value = value.get("labels")
    labels = value if isinstance(value, list) else [value]
    return tuple(sorted({text_of(label).strip().lower()[:100] for label in labels[:20] if text_of(label).strip()}))


def _environment_name(value: Any) -> str:
    """``environment: production`` or ``environment: {name: production, url: ...}``."""
    if isinstance(value, dict):
        return text_of(value.get("name")).strip()
    return text_of(value).strip()


def parse_steps(ws: Workspace, path: str, steps: Any, depth: int, asked: set[str],
                defaults: _Defaults | None = None, scope: Bindings | None = None) -> list[Step]:
    """Steps of a job or composite action, expanding local composite actions. ``scope`` holds
    what a composite action's steps can read besides their own ``env`` (its ``inputs``)."""
    defaults = defaults or _Defaults()
    found: list[Step] = []
    for index, item in enumerate(as_list(steps)[:MAX_STEPS_PER_JOB]):
        if not isinstance(item, dict):
            continue
        item_line = line_of(steps, index, 0)
        non_blocking = is_true(item.get("continue-on-error"))
        bindings = {**(scope or {}), **values_of(item.get("env"), path, "env.")}
        name = text_of(item.get("name")).strip()
        run = item.get("run")
        if isinstance(run, str) and run.strip():
            run_line = line_of(item, "run", item_line)
            found.append(Step(path, content_line(ws, path, run_line), "run", run, plain_args(item.get("env")),
                              non_blocking, bindings,
                              text_of(item.get("working-directory")).strip() or defaults.workdir,
                              text_of(item.get("shell")).strip() or defaults.shell, name))
            continue
        uses = item.get("uses")
        if not isinstance(uses, str) or not uses.strip():
            continue
        uses = uses.strip()
        uses_line = line_of(item, "uses", item_line)
        args = plain_args(item.get("with"))
        if uses.startswith("docker://"):
            found.append(_docker_step(path, uses_line, uses, args, non_blocking))
        elif uses.startswith("./") and depth < MAX_CALL_DEPTH:
            inputs = values_of(item.get("with"), path, "inputs.")
            found.extend(_composite_steps(ws, uses[2:].rstrip("/"), depth + 1, non_blocking, inputs, asked))
        else:
            found.append(Step(path, uses_line, "uses", uses, args, non_blocking, bindings, name=name))
    return found


def _docker_step(path: str, line: int, uses: str, args: dict[str, Any], non_blocking: bool) -> Step:
    """``docker://aquasec/trivy:0.50`` with ``args: fs .`` runs ``trivy fs .``."""
    image = uses[len("docker://"):].split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0]
    entry = text_of(args.get("entrypoint")) or image
    return Step(path, line, "run", f"{entry} {text_of(args.get('args'))}".strip(), args, non_blocking)


def _composite_steps(ws: Workspace, directory: str, depth: int, non_blocking: bool,
                     given: dict[str, Value], asked: set[str]) -> list[Step]:
    """Steps of a local composite action, its ``inputs`` bound to the caller's ``with:``
    (else each input's ``default``)."""
    for name in ("action.yml", "action.yaml"):
        action_path = f"{directory}/{name}"
        if not ws.exists(action_path):
            continue
        data = first_mapping(ws, action_path, asked)
        runs = as_dict(data.get("runs") if data else None)
        if text_of(runs.get("using")).lower() != "composite":
            return []
        declared = as_dict(data.get("inputs") if data else None)
        inputs = {f"inputs.{k}": Value(text_of(v.get("default")), action_path, line_of(v, "default", 0))
                  for k, v in declared.items() if isinstance(v, dict) and "default" in v}
        inputs.update(given)
        steps = parse_steps(ws, action_path, runs.get("steps"), depth, asked, None, inputs)
        if non_blocking:
            steps = [dataclasses.replace(s, non_blocking=True) for s in steps]
        return steps
    return []


# --------------------------------------------------------------------------- jobs
def _jobs_of(workflow: _Workflow, triggers: frozenset[str], workflows: dict[str, _Workflow],
             chain: tuple[str, ...], via: str, refs: tuple[str, ...] = (),
             inputs: dict[str, Value] | None = None, repository: str | None = None) -> list[Job]:
    """Jobs of ``workflow`` run with ``triggers``, expanding local reusable workflows; a called
    workflow's jobs read ``inputs`` (the caller's ``with:`` over the inputs' defaults)."""
    jobs: list[Job] = []
    chain = (*chain, workflow.path)
    inputs = inputs or {}
    for raw in workflow.jobs:
        job_triggers = _narrow(triggers, raw.condition) if raw.condition else triggers
        if raw.condition and never_here(raw.condition, repository):
            job_triggers = frozenset()  # the job is skipped in this repository
        job_refs = narrow_github_refs(refs, raw.condition) if "push" in job_triggers else ()
        if raw.calls:
            callee = workflows.get(raw.calls)
            if callee is None or callee.path in chain or len(chain) > MAX_CALL_DEPTH:
                continue
            call_via = f"called from {workflow.path}:{raw.call_line}" if not via else via
            given = {**callee.input_defaults, **_with_caller_values(raw.call_with, {**inputs, **raw.bindings})}
            for inner in _jobs_of(callee, job_triggers, workflows, chain, call_via, job_refs, given, repository):
                jobs.append(Job(f"{raw.name}/{inner.name}", inner.path, inner.line, inner.triggers, inner.steps,
                                inner.non_blocking or raw.non_blocking, inner.via, inner.environment,
                                refs=inner.refs, bindings=inner.bindings, variants=inner.variants,
                                title=inner.title, runner=inner.runner))
            continue
        jobs.append(Job(raw.name, workflow.path, raw.line, job_triggers, tuple(raw.steps), raw.non_blocking, via,
                        raw.environment, refs=job_refs, bindings={**inputs, **raw.bindings}, variants=raw.variants,
                        title=raw.title, runner=raw.runner))
    return jobs


def _with_caller_values(given: dict[str, Value], caller: dict[str, Value]) -> dict[str, Value]:
    """A reusable workflow call's ``with:`` values, with the caller's own ``env``/``inputs``
    expressions replaced (its matrix values differ per run: they stay as written)."""
    from linter.detectors.ci.expressions import substitute, template

    pattern = template(SYSTEM)
    out: dict[str, Value] = {}
    for key, value in given.items():
        text = substitute(SYSTEM, pattern, value.text, caller, [], (key,)) if pattern.search(value.text) else value.text
        out[key] = Value(text, value.path, value.line)
    return out
