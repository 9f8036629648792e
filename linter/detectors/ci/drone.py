"""Drone CI pipelines: the ``kind: pipeline`` documents of ``.drone.yml``.

Drone reads ``.drone.yml`` at the repository's root by default (another path may be set in
Drone's settings: not known here). The file holds several YAML documents; each ``kind:
pipeline`` document (any ``type``: docker, kubernetes, exec, ssh...) is a pipeline whose
``steps`` become one job per step (``linter.detectors.ci.drone_steps``), each started as the
pipeline's ``trigger`` and the step's ``when`` both allow (``linter.detectors.ci.drone_when``):
without either, on every event, pull requests and pushes to any branch included.
``kind: secret``, ``signature`` and ``template`` documents hold no work. The 0.8 format (one
document with a ``pipeline`` mapping of steps) is read the same way. Pipeline
``depends_on`` only orders pipelines.

``.drone.jsonnet`` and ``.drone.star`` are programs that print the configuration: never run,
so not read (a note says so when one is present and ``.drone.yml`` is not).
"""

from __future__ import annotations

from typing import Any

from linter.detectors.ci.drone_steps import repository_default_branch, step_jobs
from linter.detectors.ci.drone_when import condition_of
from linter.detectors.ci.model import MAX_JOBS_PER_PIPELINE, Job, Pipeline, text_of, yaml_documents
from linter.repo.workspace import Workspace

SYSTEM = "drone"
CONFIG = ".drone.yml"
PROGRAMS = (".drone.jsonnet", ".drone.star")
MAX_DOCUMENTS = 100


def detect(ws: Workspace, asked: set[str] | None = None) -> tuple[list[Pipeline], list[str]]:
    """The pipeline of ``.drone.yml`` (its documents' steps as jobs), and the file read."""
    if not ws.exists(CONFIG):
        programs = [p for p in PROGRAMS if ws.exists(p)]
        if programs:
            ws.note(programs[0], "Drone configuration written as a program (Jsonnet/Starlark) is not run, so not read")
        return [], []
    jobs: list[Job] = []
    default = repository_default_branch(ws)
    for index, data in enumerate(yaml_documents(ws, CONFIG, asked)[:MAX_DOCUMENTS]):
        if not isinstance(data, dict):
            continue
        kind = text_of(data.get("kind")).strip().lower()
        if kind not in ("pipeline", "") or (not kind and not isinstance(data.get("pipeline"), dict)):
            continue
        steps: Any = data.get("steps") if kind else data.get("pipeline")
        name = text_of(data.get("name")).strip() or ("default" if index == 0 else f"pipeline{index + 1}")
        jobs.extend(step_jobs(ws, CONFIG, f"{name}/", steps, condition_of(data.get("trigger"), default), {},
                              default=default))
    return [Pipeline(SYSTEM, CONFIG, tuple(sorted(jobs)[:MAX_JOBS_PER_PIPELINE]))], [CONFIG]
