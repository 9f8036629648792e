"""Azure Pipelines: ``azure-pipelines.yml`` and pipeline files under ``.azure-pipelines/``,
``.azuredevops/`` and ``.azdo/`` (Azure Developer CLI templates). Shell tasks' inline scripts
(``AzureCLI@2`` ``inlineScript``, ``Bash@3``/``PowerShell@2``/``CmdLine@2`` ``script``) are
read as script steps too.

Triggers: CI runs on every push unless ``trigger: none``; pull-request validation runs unless
``pr: none``; ``schedules`` add periodic runs. Only when both are off does a file with
``schedules`` run periodically only (or manually when it has none).
Structure: ``stages`` > ``jobs`` (``job``/``deployment`` with ``strategy`` hooks) > ``steps``;
local ``template:`` references (steps, jobs, stages, ``extends``) are expanded with the
including pipeline's triggers, and files only ever used as templates are not roots.
``condition: eq(variables['Build.Reason'], 'Schedule')`` narrows a stage or job.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from linter.detectors.ci.model import (
    MAX_JOBS_PER_PIPELINE, MAX_STEPS_PER_JOB, Job, Pipeline, Step, as_dict, as_list, first_mapping,
    content_line, is_true, plain_args, text_of,
)
from linter.fast_dataclass import dataclass, field
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

SYSTEM = "azure-pipelines"
PIPELINE_GLOBS = (
    "azure-pipelines.yml", "azure-pipelines.yaml", "**/azure-pipelines*.yml", "**/azure-pipelines*.yaml",
    ".azure-pipelines/**/*.yml", ".azure-pipelines/**/*.yaml", ".azuredevops/**/*.yml",
    ".azuredevops/**/*.yaml", ".azdo/**/*.yml", ".azdo/**/*.yaml",  # the last: Azure Developer CLI templates
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
    jobs: list[Job] = field(default_factory=list)
    templates_used: set[str] = field(default_factory=set)


def detect(ws: Workspace) -> tuple[list[Pipeline], list[str]]:
    paths = ws.glob(*PIPELINE_GLOBS)
    documents = {path: first_mapping(ws, path) for path in paths}
    referenced = {ref for path, data in documents.items() if data for ref in _template_refs(ws, path, data)}
    pipelines: list[Pipeline] = []
    for path, data in documents.items():
        if data is None or path in referenced:
            continue
        walk = _Walk(ws)
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


def _template_data(walk: _Walk, path: str, reference: Any, depth: int) -> tuple[str, dict[Any, Any]] | None:
    target = _resolve(walk.ws, path, reference)
    if target is None or depth >= MAX_TEMPLATE_DEPTH:
        return None
    data = first_mapping(walk.ws, target)
    return (target, data) if data is not None else None


def _pipeline(walk: _Walk, path: str, data: dict[Any, Any], triggers: frozenset[str], depth: int) -> None:
    extends = as_dict(data.get("extends"))
    if extends:
        found = _template_data(walk, path, extends.get("template"), depth)
        if found:
            _pipeline(walk, found[0], found[1], triggers, depth + 1)
    if "stages" in data:
        _stages(walk, path, data.get("stages"), triggers, depth)
    if "jobs" in data:
        _jobs(walk, path, data.get("jobs"), triggers, "", depth)
    if "steps" in data:
        _job(walk, path, "(steps)", line_of(data, "steps", 1), data, triggers, False, depth)


def _stages(walk: _Walk, path: str, stages: Any, triggers: frozenset[str], depth: int) -> None:
    for item in as_list(stages)[:MAX_JOBS_PER_PIPELINE]:
        item = as_dict(item)
        if "template" in item:
            found = _template_data(walk, path, item["template"], depth)
            if found:
                _stages(walk, found[0], found[1].get("stages"), triggers, depth + 1)
            continue
        stage_triggers = _narrow(triggers, item.get("condition"))
        _jobs(walk, path, item.get("jobs"), stage_triggers, text_of(item.get("stage")), depth)


def _jobs(walk: _Walk, path: str, jobs: Any, triggers: frozenset[str], stage: str, depth: int) -> None:
    for index, item in enumerate(as_list(jobs)[:MAX_JOBS_PER_PIPELINE]):
        item = as_dict(item)
        if "template" in item:
            found = _template_data(walk, path, item["template"], depth)
            if found:
                _jobs(walk, found[0], found[1].get("jobs"), triggers, stage, depth + 1)
            continue
        name = text_of(item.get("job") or item.get("deployment")) or f"job{index + 1}"
        full = f"{stage}/{name}" if stage else name
        _job(walk, path, full, line_of(jobs, index, 0), item, _narrow(triggers, item.get("condition")),
             is_true(item.get("continueOnError")), depth)


def _job(walk: _Walk, path: str, name: str, line: int, body: dict[Any, Any], triggers: frozenset[str],
         non_blocking: bool, depth: int) -> None:
    steps = _steps(walk, path, body.get("steps"), depth)
    for hook_steps in _strategy_steps(body.get("strategy")):
        steps.extend(_steps(walk, path, hook_steps, depth))
    walk.jobs.append(Job(name, path, line, triggers, tuple(steps[:MAX_STEPS_PER_JOB]), non_blocking))


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


def _steps(walk: _Walk, path: str, steps: Any, depth: int) -> list[Step]:
    found: list[Step] = []
    for index, item in enumerate(as_list(steps)[:MAX_STEPS_PER_JOB]):
        if not isinstance(item, dict):
            continue
        line = line_of(steps, index, 0)
        non_blocking = is_true(item.get("continueOnError"))
        if "template" in item:
            template = _template_data(walk, path, item["template"], depth)
            if template:
                found.extend(_steps(walk, template[0], template[1].get("steps"), depth + 1))
            continue
        key = next((k for k in SCRIPT_KEYS if isinstance(item.get(k), str)), None)
        if key is not None:
            script = item[key]
            key_line = line_of(item, key, line)
            found.append(Step(path, content_line(walk.ws, path, key_line), "run", script,
                              {"shell": key}, non_blocking))
        elif text_of(item.get("task")):
            found.append(Step(path, line_of(item, "task", line), "task", text_of(item["task"]).strip(),
                              plain_args(item.get("inputs")), non_blocking))
            inline = _inline_script(item)
            if inline is not None:  # the script a shell task runs, read like a script step
                inputs, name = inline
                found.append(Step(path, content_line(walk.ws, path, line_of(inputs, name, line)), "run",
                                  inputs[name], {"shell": text_of(item["task"]).strip()}, non_blocking))
    return found


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

