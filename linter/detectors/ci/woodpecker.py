"""Woodpecker CI workflows: ``.woodpecker/*.yaml`` (each file a workflow) or ``.woodpecker.yaml``.

Which files, as Woodpecker looks for them by default: every ``.yml``/``.yaml`` file directly in
``.woodpecker/`` (not its subfolders; at most ``MAX_FILES``), else ``.woodpecker.yaml``, else
``.woodpecker.yml``. A repository may set another path in Woodpecker's settings: not known
here.

A workflow's ``steps`` (a mapping of name to step, or a list of steps with ``name``; before
1.0 the key was ``pipeline``) become one job per step (``linter.detectors.ci.drone_steps``),
each started as its own ``when`` and the workflow's ``when`` both allow
(``linter.detectors.ci.drone_when``): without either, on every event, pull requests and
pushes to any branch included. A ``matrix`` (axes or an ``include`` list) sets variables each
combination's commands read. ``services``, ``depends_on``, ``runs_on``, ``labels``,
``skip_clone`` and ``clone`` do not change what runs when. A file that is not YAML, or whose
YAML holds no steps, has no jobs; one that does not parse is listed as unusable.
"""

from __future__ import annotations

from linter.detectors.ci.drone_steps import matrix_variants, repository_default_branch, step_jobs
from linter.detectors.ci.drone_when import condition_of
from linter.detectors.ci.model import MAX_JOBS_PER_PIPELINE, Job, Pipeline, first_mapping
from linter.repo.workspace import Workspace

SYSTEM = "woodpecker"
FOLDER = ".woodpecker"
ROOT_FILES = (".woodpecker.yaml", ".woodpecker.yml")
MAX_FILES = 100


def config_files(ws: Workspace) -> list[str]:
    """The workflow files Woodpecker reads by default (see the module docstring)."""
    found = [p for p in ws.glob(f"{FOLDER}/*") if p.lower().endswith((".yml", ".yaml"))
             and "/" not in p[len(FOLDER) + 1:]]
    if found:
        return ws.bounded(sorted(found), MAX_FILES, "Woodpecker workflow files")
    return [next(p for p in ROOT_FILES if ws.exists(p))] if any(ws.exists(p) for p in ROOT_FILES) else []


def detect(ws: Workspace, asked: set[str] | None = None) -> tuple[list[Pipeline], list[str]]:
    """A pipeline per workflow file, and the files read; every file joins ``asked``."""
    pipelines: list[Pipeline] = []
    read: list[str] = []
    paths = config_files(ws)
    default = repository_default_branch(ws) if paths else ""
    for path in paths:
        data = first_mapping(ws, path, asked)
        read.append(path)
        if data is None:
            continue
        steps = data.get("steps") if "steps" in data else data.get("pipeline")
        name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        prefix = f"{name}/" if path.startswith(f"{FOLDER}/") else ""
        jobs: list[Job] = step_jobs(ws, path, prefix, steps, condition_of(data.get("when"), default), {},
                                    matrix_variants(data.get("matrix"), path), default)
        pipelines.append(Pipeline(SYSTEM, path, tuple(sorted(jobs)[:MAX_JOBS_PER_PIPELINE])))
    return pipelines, read
