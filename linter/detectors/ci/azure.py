"""Azure Pipelines: ``azure-pipelines.yml`` and pipeline files under ``.azure-pipelines/``,
``.azuredevops/`` and ``.azdo/`` (Azure Developer CLI templates), and ``.vsts-*.yml`` at the
root (the names from Visual Studio Team Services days, still used across Microsoft's and the
.NET Foundation's repositories: ``.vsts-ci.yml``, ``.vsts-pr.yml``). Azure DevOps lets a
pipeline point at a YAML file of any name; names outside these conventions are not guessed
(a template and a pipeline look alike). Shell tasks' inline scripts
(``AzureCLI@2`` ``inlineScript``, ``Bash@3``/``PowerShell@2``/``CmdLine@2`` ``script``) are
read as script steps too.

Triggers, as the YAML schema documents them: with no ``trigger:`` CI runs on a push to any
branch, ``trigger: none`` turns it off and a branch list or ``branches: include`` names the
branches (the jobs' refs); with no ``pr:`` a pull request to any branch runs the pipeline
(GitHub and Bitbucket Cloud repositories; Azure Repos use a branch policy, not in the file),
``pr: none`` turns that off; ``schedules`` add periodic runs. Only when both are off does a file with
``schedules`` run periodically only (or manually when it has none).
Structure: ``stages`` > ``jobs`` (``job``/``deployment`` with ``strategy`` hooks) > ``steps``;
local ``template:`` references (steps, jobs, stages, ``extends``, variables) are expanded with
the including pipeline's triggers, and files only ever used as templates are not roots.
``${{ if ... }}:`` and ``${{ each ... }}:`` wrappers in those lists are opened (every branch
counts). ``condition: eq(variables['Build.Reason'], 'Schedule')`` narrows a stage or job.

Expressions (``linter.detectors.ci.expressions``): a template's ``${{ parameters.x }}`` reads
the ``parameters:`` the including file passes, else the template's declared default (the
pipeline's own runtime parameters: their defaults); ``$(x)`` and ``${{ variables.x }}`` read
``variables`` (pipeline, stage, job, variable templates; groups live in Azure DevOps);
a job's ``strategy.matrix`` entries are its combinations.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any, Mapping

from linter.detectors.ci.expressions import substitute, template
from linter.detectors.ci.refs import azure_trigger_refs
from linter.detectors.ci.matrix import scalar_text, values_of
from linter.detectors.ci.model import (
    MAX_JOBS_PER_PIPELINE, MAX_STEPS_PER_JOB, Bindings, Job, Pipeline, Step, Value, as_dict, as_list, content_line,
    first_mapping, is_true, plain_args, text_of,
)
from linter.fast_dataclass import dataclass, field
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

SYSTEM = "azure-pipelines"
PIPELINE_GLOBS = (
    "azure-pipelines.yml", "azure-pipelines.yaml", "**/azure-pipelines*.yml", "**/azure-pipelines*.yaml",
    ".azure-pipelines/**/*.yml", ".azure-pipelines/**/*.yaml", ".azuredevops/**/*.yml",
    ".azuredevops/**/*.yaml", ".azdo/**/*.yml", ".azdo/**/*.yaml",  # the last: Azure Developer CLI templates
    ".vsts-*.yml", ".vsts-*.yaml",
)
SCRIPT_KEYS = ("script", "bash", "pwsh", "powershell")
MAX_TEMPLATE_DEPTH = 6
_REASON_EQ = re.compile(r"eq\(\s*variables\[?\.?['\"]?Build\.Reason['\"]?\]?\s*,\s*['\"](\w{1,30})['\"]\s*\)", re.I)
_REASON_NE = re.compile(r"ne\(\s*variables\[?\.?['\"]?Build\.Reason['\"]?\]?\s*,\s*['\"](\w{1,30})['\"]\s*\)", re.I)
_REASONS = {"schedule": "schedule", "pullrequest": "pull_request", "manual": "manual",
            "individualci": "push", "batchedci": "push"}


@dataclass
class _Walk:
    ws: Workspace
    asked: set[str]  # the caller's: see ``yaml_documents``
    jobs: list[Job] = field(default_factory=list)
    templates_used: set[str] = field(default_factory=set)
    refs: tuple[str, ...] = ()


def detect(ws: Workspace, asked: set[str] | None = None) -> tuple[list[Pipeline], list[str]]:
    """Pipelines of every pipeline file not used as a template, and the files read; each
    file and template asked for joins ``asked``."""
    asked = set() if asked is None else asked
    paths = ws.glob(*PIPELINE_GLOBS)
    documents = {path: first_mapping(ws, path, asked) for path in paths}
    referenced = {ref for path, data in documents.items() if data for ref in _template_refs(ws, path, data)}
    pipelines: list[Pipeline] = []
    for path, data in documents.items():
        if data is None or path in referenced:
            continue
        walk = _Walk(ws, asked, refs=azure_trigger_refs(data.get("trigger", "default")))
        _pipeline(walk, path, data, pipeline_triggers(data), 0)
        pipelines.append(Pipeline(SYSTEM, path, tuple(sorted(walk.jobs)[:MAX_JOBS_PER_PIPELINE])))
    return pipelines, paths


def pipeline_triggers(data: dict[Any, Any]) -> frozenset[str]:
    triggers: set[str] = set()
    if not _is_off(data.get("trigger", "default")):
        triggers.add("push")
    if not _is_off(data.get("pr", "default")):
        triggers.add("pull_request")
    if as_list(data.get("schedules")):
        triggers.add("schedule")
    if any(isinstance(p, dict) and "trigger" in p for p in as_list(as_dict(data.get("resources")).get("pipelines"))):
        triggers.add("other")
    return frozenset(triggers or {"manual"})


def _is_off(value: Any) -> bool:
    return value is None or value is False or value == [] or text_of(value).strip().lower() == "none"


def _template_refs(ws: Workspace, path: str, data: Any) -> set[str]:
    refs: set[str] = set()
    stack = [data]
    seen = 0
    while stack and seen < 50_000:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            target = _resolve(ws, path, node.get("template"))
            if target:
                refs.add(target)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return refs


def _resolve(ws: Workspace, path: str, reference: Any) -> str | None:
    """Repository path of a local template reference, or ``None`` (remote or templated)."""
    ref = text_of(reference).strip()
    if not ref or "@" in ref or "${{" in ref or "$(" in ref:
        return None
    target = ref.lstrip("/") if ref.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(path), ref))
    return target if ws.exists(target) else None


def _narrow(triggers: frozenset[str], condition: Any) -> frozenset[str]:
    text = text_of(condition)
    if not text:
        return triggers
    admitted = {_REASONS.get(r.lower(), "other") for r in _REASON_EQ.findall(text)}
    if admitted:
        return frozenset(triggers & admitted)
    excluded = {_REASONS.get(r.lower(), "other") for r in _REASON_NE.findall(text)}
    return frozenset(triggers - excluded)


@dataclass(frozen=True)
class _Scope:
    """What expressions can read where the walk is: template ``parameters`` and ``variables``."""

    parameters: Mapping[str, Value] = field(default_factory=dict)
    variables: Mapping[str, Value] = field(default_factory=dict)

    @property
    def bindings(self) -> dict[str, Value]:
        return {**self.variables, **self.parameters}

    def with_variables(self, node: Any, path: str, walk: "_Walk", depth: int) -> "_Scope":
        found = _variables(walk, path, node, depth)
        return _Scope(self.parameters, {**self.variables, **found}) if found else self


def _variables(walk: "_Walk", path: str, node: Any, depth: int) -> dict[str, Value]:
    """``var.<name>`` bindings of ``variables:`` (a mapping, or a list of ``name``/``value``
    entries and variable ``template``s; ``group`` entries live in Azure DevOps, unknown)."""
    out: dict[str, Value] = {}
    if isinstance(node, dict):
        return values_of(node, path, "var.", lower=True)
    for index, item in enumerate(as_list(node)[:2_000]):
        if not isinstance(item, dict):
            continue
        if "name" in item and "value" in item:
            text = scalar_text(item.get("value"))
            if text is not None:
                out[f"var.{text_of(item.get('name')).lower()}"] = Value(text, path, line_of(item, "value", 0))
        elif "template" in item:
            found = _template_data(walk, path, item["template"], depth)
            if found:
                out.update(_variables(walk, found[0], found[1].get("variables"), depth + 1))
    return out


def _template_scope(walk: "_Walk", scope: _Scope, target: str, data: dict[Any, Any], given: Any, path: str) -> _Scope:
    """The scope inside a template: its declared ``parameters`` (defaults), overridden by the
    ``parameters:`` the including file passes (their own expressions read in the caller's scope)."""
    parameters: dict[str, Value] = {}
    declared = data.get("parameters")
    if isinstance(declared, list):  # parameters: [{name, type, default}]
        for item in declared[:500]:
            if isinstance(item, dict) and "name" in item and "default" in item:
                text = scalar_text(item.get("default"))
                if text is not None:
                    parameters[f"parameters.{text_of(item['name'])}"] = Value(text, target, line_of(item, "default", 0))
    else:
        parameters.update(values_of(declared, target, "parameters."))
    pattern = template(SYSTEM)
    caller = scope.bindings
    for key, value in values_of(given, path, "parameters.").items():
        text = substitute(SYSTEM, pattern, value.text, caller, [], (key,)) if pattern.search(value.text) else value.text
        parameters[key] = Value(text, value.path, value.line)
    return _Scope(parameters, scope.variables)


def _template_data(walk: _Walk, path: str, reference: Any, depth: int) -> tuple[str, dict[Any, Any]] | None:
    target = _resolve(walk.ws, path, reference)
    if target is None or depth >= MAX_TEMPLATE_DEPTH:
        return None
    data = first_mapping(walk.ws, target, walk.asked)
    return (target, data) if data is not None else None


def _conditional_items(items: Any) -> list[Any]:
    """List items with ``${{ if ... }}:``/``${{ each ... }}:`` wrappers opened: every branch
    counts, as if it applied (what the condition tests is often a runtime choice)."""
    out: list[tuple[Any, Any, int]] = []

    def visit(current: list[Any], level: int) -> None:
        for index, item in enumerate(current):
            if len(out) >= MAX_STEPS_PER_JOB:
                return
            if isinstance(item, dict) and len(item) == 1 and str(next(iter(item))).startswith("${{") \
                    and isinstance(next(iter(item.values())), list) and level < 5:
                visit(next(iter(item.values())), level + 1)
                continue
            out.append((item, current, index))

    visit(as_list(items), 0)
    return out


def _pipeline(walk: _Walk, path: str, data: dict[Any, Any], triggers: frozenset[str], depth: int,
              scope: _Scope | None = None) -> None:
    scope = (scope or _Scope()).with_variables(data.get("variables"), path, walk, depth)
    if depth == 0:
        scope = _template_scope(walk, scope, path, data, None, path)  # runtime parameters' defaults
    extends = as_dict(data.get("extends"))
    if extends:
        found = _template_data(walk, path, extends.get("template"), depth)
        if found:
            inner = _template_scope(walk, scope, found[0], found[1], extends.get("parameters"), path)
            _pipeline(walk, found[0], found[1], triggers, depth + 1, inner)
    if "stages" in data:
        _stages(walk, path, data.get("stages"), triggers, depth, scope)
    if "jobs" in data:
        _jobs(walk, path, data.get("jobs"), triggers, "", depth, scope)
    if "steps" in data:
        _job(walk, path, "(steps)", line_of(data, "steps", 1), data, triggers, False, depth, scope)


def _stages(walk: _Walk, path: str, stages: Any, triggers: frozenset[str], depth: int, scope: _Scope) -> None:
    for item, _, _ in _conditional_items(stages)[:MAX_JOBS_PER_PIPELINE]:
        item = as_dict(item)
        if "template" in item:
            found = _template_data(walk, path, item["template"], depth)
            if found:
                inner = _template_scope(walk, scope, found[0], found[1], item.get("parameters"), path)
                _stages(walk, found[0], found[1].get("stages"), triggers, depth + 1, inner)
            continue
        stage_triggers = _narrow(triggers, item.get("condition"))
        _jobs(walk, path, item.get("jobs"), stage_triggers, text_of(item.get("stage")), depth,
              scope.with_variables(item.get("variables"), path, walk, depth))


def _jobs(walk: _Walk, path: str, jobs: Any, triggers: frozenset[str], stage: str, depth: int,
          scope: _Scope) -> None:
    for index, (item, container, position) in enumerate(_conditional_items(jobs)[:MAX_JOBS_PER_PIPELINE]):
        item = as_dict(item)
        if "template" in item:
            found = _template_data(walk, path, item["template"], depth)
            if found:
                inner = _template_scope(walk, scope, found[0], found[1], item.get("parameters"), path)
                _jobs(walk, found[0], found[1].get("jobs"), triggers, stage, depth + 1, inner)
            continue
        name = text_of(item.get("job") or item.get("deployment")) or f"job{index + 1}"
        full = f"{stage}/{name}" if stage else name
        _job(walk, path, full, line_of(container, position, 0), item, _narrow(triggers, item.get("condition")),
             is_true(item.get("continueOnError")), depth, scope.with_variables(item.get("variables"), path, walk, depth))


def _job(walk: _Walk, path: str, name: str, line: int, body: dict[Any, Any], triggers: frozenset[str],
         non_blocking: bool, depth: int, scope: _Scope) -> None:
    steps = _steps(walk, path, body.get("steps"), depth, scope)
    for hook_steps in _strategy_steps(body.get("strategy")):
        steps.extend(_steps(walk, path, hook_steps, depth, scope))
    walk.jobs.append(Job(name, path, line, triggers, tuple(steps[:MAX_STEPS_PER_JOB]), non_blocking,
                         refs=walk.refs if "push" in triggers else (), bindings=scope.bindings, variants=_matrix(as_dict(body.get("strategy")).get("matrix"), path),
                         title=text_of(body.get("displayName")).strip()))


def _matrix(matrix: Any, path: str) -> tuple[Bindings, ...]:
    """``strategy.matrix``: one set of ``var.*`` bindings per named entry."""
    if not isinstance(matrix, dict):
        return ()
    return tuple(values_of(entry, path, "var.", lower=True) for entry in list(matrix.values())[:256]
                 if isinstance(entry, dict))


def _strategy_steps(strategy: Any) -> list[Any]:
    """``steps`` lists inside deployment strategies (``runOnce.deploy.steps``...)."""
    found: list[Any] = []
    stack = [(strategy, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict) and level < 5:
            for key, value in node.items():
                if key == "steps" and isinstance(value, list):
                    found.append(value)
                else:
                    stack.append((value, level + 1))
    return found


def _steps(walk: _Walk, path: str, steps: Any, depth: int, scope: _Scope) -> list[Step]:
    found: list[Step] = []
    for item, container, position in _conditional_items(steps)[:MAX_STEPS_PER_JOB]:
        if not isinstance(item, dict):
            continue
        line = line_of(container, position, 0)
        non_blocking = is_true(item.get("continueOnError"))
        if "template" in item:
            template_found = _template_data(walk, path, item["template"], depth)
            if template_found:
                inner = _template_scope(walk, scope, template_found[0], template_found[1], item.get("parameters"), path)
                found.extend(_steps(walk, template_found[0], template_found[1].get("steps"), depth + 1, inner))
            continue
        bindings = {**scope.parameters, **values_of(item.get("env"), path, "env.")}
        name = text_of(item.get("displayName")).strip()
        workdir = text_of(item.get("workingDirectory")).strip()
        key = next((k for k in SCRIPT_KEYS if isinstance(item.get(k), str)), None)
        if key is not None:
            script = item[key]
            key_line = line_of(item, key, line)
            found.append(Step(path, content_line(walk.ws, path, key_line), "run", script,
                              {"shell": key}, non_blocking, bindings, workdir, _SHELLS.get(key, ""), name))
        elif text_of(item.get("task")):
            task = text_of(item["task"]).strip()
            inputs = item.get("inputs")
            found.append(Step(path, line_of(item, "task", line), "task", task, plain_args(inputs), non_blocking,
                              bindings, workdir or text_of(as_dict(inputs).get("workingDirectory")).strip(), "", name))
            inline = _inline_script(item)
            if inline is not None:  # the script a shell task runs, read like a script step
                inputs, key = inline
                found.append(Step(path, content_line(walk.ws, path, line_of(inputs, key, line)), "run",
                                  inputs[key], {"shell": task}, non_blocking, bindings, workdir,
                                  "pwsh" if "powershell" in task.lower() else "", name))
    return found


#: Script keys whose shell is not a POSIX one.
_SHELLS = {"pwsh": "pwsh", "powershell": "pwsh"}


#: Tasks that run an inline script, and the input that holds it (case-insensitive).
_INLINE_SCRIPT_TASKS = {"azurecli": "inlinescript", "bash": "script", "cmdline": "script", "powershell": "script",
                        "azurepowershell": "inline"}


def _inline_script(item: dict[Any, Any]) -> tuple[dict[Any, Any], str] | None:
    """``(inputs, key)`` of a shell task's inline script (``AzureCLI@2`` ``inlineScript``,
    ``Bash@3``/``PowerShell@2`` ``script`` with ``targetType: inline``...)."""
    task = text_of(item.get("task")).strip().split("@", 1)[0].lower()
    wanted = _INLINE_SCRIPT_TASKS.get(task)
    inputs = item.get("inputs")
    if wanted is None or not isinstance(inputs, dict):
        return None
    for key, value in inputs.items():
        if isinstance(key, str) and key.lower() == wanted and isinstance(value, str) and value.strip():
            return inputs, key
    return None

