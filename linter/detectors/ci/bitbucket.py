"""Bitbucket Pipelines ``bitbucket-pipelines.yml``: steps, scripts and pipes per start condition.

As Bitbucket documents them: the ``default`` pipeline runs on a push to any branch that no
``branches`` pipeline matches; a ``branches`` pipeline on pushes to the branches its glob
matches (its refs: ``main`` is after the merge); ``pull-requests`` pipelines on pull requests
from matching branches; ``tags`` on tag pushes; ``custom`` pipelines only by hand or on a
schedule set in the UI. A step with ``trigger: manual`` waits for a click. ``parallel`` and
``stage`` groups nest steps.
"""

from __future__ import annotations

from typing import Any

from linter.detectors.ci.model import (
    MAX_JOBS_PER_PIPELINE, MAX_STEPS_PER_JOB, Job, Pipeline, Step, as_dict, as_list, content_line, first_mapping,
    plain_args, text_of,
)
from linter.detectors.ci.refs import ANY_BRANCH, ANY_TAG
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

SYSTEM = "bitbucket-pipelines"
CONFIG = "bitbucket-pipelines.yml"
_SECTION_TRIGGERS = {
    "default": frozenset({"push"}), "branches": frozenset({"push"}),
    "pull-requests": frozenset({"pull_request"}), "tags": frozenset({"other"}),
    "custom": frozenset({"manual", "schedule"}),
}


def detect(ws: Workspace, asked: set[str] | None = None) -> tuple[list[Pipeline], list[str]]:
    """The pipeline of ``bitbucket-pipelines.yml``, and the files read; each joins ``asked``."""
    if not ws.exists(CONFIG):
        return [], []
    data = first_mapping(ws, CONFIG, asked)
    if data is None:
        return [], [CONFIG]
    jobs: list[Job] = []
    pipelines = as_dict(data.get("pipelines"))
    for section, triggers in _SECTION_TRIGGERS.items():
        body = pipelines.get(section)
        if section == "default":
            jobs.extend(_steps_jobs(ws, section, body, triggers, refs=(ANY_BRANCH,)))
        else:
            for name, items in as_dict(body).items():
                refs = (f"branch:{name}",) if section == "branches" else (ANY_TAG,) if section == "tags" else ()
                jobs.extend(_steps_jobs(ws, f"{section}:{name}", items, triggers, refs=refs))
    return [Pipeline(SYSTEM, CONFIG, tuple(sorted(jobs)[:MAX_JOBS_PER_PIPELINE]))], [CONFIG]


def _steps_jobs(ws: Workspace, name: str, items: Any, triggers: frozenset[str], depth: int = 0,
                refs: tuple[str, ...] = ()) -> list[Job]:
    """One job per ``step`` in a pipeline list, descending into ``parallel`` and ``stage``."""
    jobs: list[Job] = []
    if depth > 4:
        return jobs
    for index, item in enumerate(as_list(items)[:MAX_JOBS_PER_PIPELINE]):
        item = as_dict(item)
        if isinstance(item.get("step"), dict):
            jobs.append(_step_job(ws, name, item["step"], line_of(items, index, 0), triggers, refs))
        parallel = item.get("parallel")
        if parallel is not None:
            jobs.extend(_steps_jobs(ws, name, as_dict(parallel).get("steps", parallel), triggers, depth + 1, refs))
        stage = as_dict(item.get("stage"))
        if stage:
            stage_triggers = frozenset({"manual"}) if text_of(stage.get("trigger")) == "manual" else triggers
            jobs.extend(_steps_jobs(ws, name, stage.get("steps"), stage_triggers, depth + 1, refs))
    return jobs


def _step_job(ws: Workspace, pipeline: str, step: dict[Any, Any], line: int, triggers: frozenset[str],
              refs: tuple[str, ...] = ()) -> Job:
    label = text_of(step.get("name")) or f"step@{line}"
    if text_of(step.get("trigger")).strip().lower() == "manual":
        triggers = frozenset({"manual"})
    steps: list[Step] = []
    for key in ("script", "after-script"):
        script = step.get(key)
        for index, item in enumerate(as_list(script)[:MAX_STEPS_PER_JOB]):
            item_line = line_of(script, index, line)
            if isinstance(item, str) and item.strip():
                steps.append(Step(CONFIG, content_line(ws, CONFIG, item_line), "run", item))
            elif isinstance(item, dict) and text_of(item.get("pipe")):
                steps.append(Step(CONFIG, line_of(item, "pipe", item_line), "pipe", text_of(item["pipe"]).strip(),
                                  plain_args(item.get("variables"))))
    return Job(f"{pipeline}/{label}", CONFIG, line, triggers, tuple(steps), refs=refs,
               title=text_of(step.get("name")).strip())
