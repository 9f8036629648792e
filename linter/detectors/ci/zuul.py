"""Zuul (OpenDev, OpenStack, Ansible's and many other projects' gating CI): which jobs run in
which pipeline, and what the standard jobs they build on run.

Files, as Zuul reads a project's in-repository configuration
(https://zuul-ci.org/docs/zuul/latest/project-config.html): ``zuul.yaml``, ``.zuul.yaml``,
or every ``*.yaml`` under ``zuul.d/`` or ``.zuul.d/`` (the first of these that exists). Each
file is a list of one-key mappings: ``job``, ``project``, ``project-template`` (others,
such as ``nodeset``, ``secret``, ``semaphore``, say nothing of what runs).

What runs when: a ``project`` (and the ``project-template``s it lists in ``templates``) names,
per pipeline, its ``jobs`` (a name, or a one-key mapping of a name to variations such as
``vars``). Pipelines are defined by the Zuul tenant, but their names are conventions every
OpenDev-style deployment follows: ``check`` runs on each proposed change (a pull request),
``gate`` before it merges (a merge queue), ``post`` after it merged, ``periodic*`` on a
schedule, ``release``/``tag``/``pre-release`` on tags, ``experimental`` on request.

What a job runs: a job defined here inherits from its ``parent`` (followed through this
repository's own job definitions, variables merged child over parent). Playbooks (``run:``)
are Ansible, and nothing from the repository runs or is interpreted here; a job that
reaches a standard job of the public ``zuul-jobs``/``openstack-zuul-jobs`` libraries becomes
a step ``uses: zuul-jobs/<name>`` with the job's variables as inputs (and the library job's
name as ``zuul_job``), and the known-steps
table (``linter.detectors.ci.known_table``) says what those run (the ``tox`` family runs
``tox -e <tox_envlist>``). Templates from those libraries are expanded from the same table
(``KNOWN_TEMPLATES``).
"""

from __future__ import annotations

from typing import Any

from linter.detectors.ci.model import (
    MAX_JOBS_PER_PIPELINE, Job, Pipeline, Step, as_dict, as_list, text_of, yaml_documents,
)
from linter.detectors.ci.refs import ANY_TAG, DEFAULT_BRANCH
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

SYSTEM = "zuul"
SINGLE_FILES = ("zuul.yaml", ".zuul.yaml")
FOLDERS = ("zuul.d", ".zuul.d")
MAX_FILES = 100
MAX_ITEMS = 2_000
MAX_PARENTS = 30

#: Pipeline name -> (trigger, refs) by OpenDev's conventions (module docstring).
PIPELINES: dict[str, tuple[str, tuple[str, ...]]] = {
    "check": ("pull_request", ()), "check-arm64": ("pull_request", ()), "gate": ("merge_group", ()),
    "post": ("push", (DEFAULT_BRANCH,)), "promote": ("push", (DEFAULT_BRANCH,)),
    "release": ("push", (ANY_TAG,)), "pre-release": ("push", (ANY_TAG,)), "tag": ("push", (ANY_TAG,)),
    "experimental": ("manual", ()),
}
#: Project templates of the public job libraries: pipeline -> jobs (openstack-zuul-jobs'
#: ``zuul.d/project-templates.yaml``: the standard Python 3 unit-test and style jobs run in
#: ``check`` and ``gate``; the coverage job in ``check``).
KNOWN_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "openstack-python3-jobs": {"check": ("openstack-tox-pep8", "openstack-tox-py3"),
                               "gate": ("openstack-tox-pep8", "openstack-tox-py3")},
    "openstack-cover-jobs": {"check": ("openstack-tox-cover",)},
}


def detect(ws: Workspace, asked: set[str] | None = None) -> tuple[list[Pipeline], list[str]]:
    """One pipeline per project definition's file, with a job per job name (its triggers the
    pipelines that list it), and the files read."""
    asked = set() if asked is None else asked
    paths = _config_files(ws)
    if not paths:
        return [], []
    items: list[tuple[str, str, dict[Any, Any]]] = []  # (path, kind, body)
    for path in paths:
        data = next(iter(yaml_documents(ws, path, asked)), None)
        for item in data[:MAX_ITEMS] if isinstance(data, list) else ():
            if isinstance(item, dict) and len(item) == 1:
                kind, body = next(iter(item.items()))
                if isinstance(body, dict):
                    items.append((path, str(kind), body))
    jobs = {text_of(body.get("name")).strip(): body for _, kind, body in items if kind == "job"}
    templates = {text_of(body.get("name")).strip(): body for _, kind, body in items if kind == "project-template"}
    pipelines: list[Pipeline] = []
    for path, kind, body in items:
        if kind == "project":
            found = _project_jobs(path, body, jobs, templates)
            if found:
                pipelines.append(Pipeline(SYSTEM, path, tuple(sorted(found)[:MAX_JOBS_PER_PIPELINE])))
    return pipelines, paths


def _config_files(ws: Workspace) -> list[str]:
    """Zuul's in-repository configuration: the first of ``zuul.yaml``, ``zuul.d/``,
    ``.zuul.yaml``, ``.zuul.d/`` that exists (Zuul's order)."""
    for single, folder in zip(SINGLE_FILES, FOLDERS):
        if ws.exists(single):
            return [single]
        inside = sorted(p for p in ws.glob(f"{folder}/*.yaml", f"{folder}/*.yml"))
        if inside:
            return inside[:MAX_FILES]
    return []


def _project_jobs(path: str, project: dict[Any, Any], jobs: dict[str, dict[Any, Any]],
                  templates: dict[str, dict[Any, Any]]) -> list[Job]:
    """Every job the project and its templates run, one ``Job`` per name with the union of
    the pipelines' triggers."""
    listed: dict[str, tuple[set[str], set[str], int, dict[str, object]]] = {}

    def add(pipeline: str, name: str, line: int, variation: dict[str, object]) -> None:
        trigger, refs = PIPELINES.get(pipeline, ("schedule", ()) if pipeline.startswith("periodic") else ("other", ()))
        entry = listed.setdefault(name, (set(), set(), line, variation))
        entry[0].add(trigger)
        entry[1].update(refs)

    for pipeline, name, line, variation in _pipeline_entries(project):
        add(pipeline, name, line, variation)
    for index, template in enumerate(as_list(project.get("templates"))[:100]):
        template_name = text_of(template).strip()
        line = line_of(project.get("templates"), index, 1)
        if template_name in templates:
            for pipeline, name, _, variation in _pipeline_entries(templates[template_name]):
                add(pipeline, name, line, variation)
        for pipeline, names in _known_template(template_name).items():
            for name in names:
                add(pipeline, name, line, {})
    out: list[Job] = []
    for name, (triggers, refs, line, variation) in listed.items():
        step = _step(path, line, name, jobs, variation)
        # ``voting: false`` (where it is listed, or on its own definition): it never blocks a change
        advisory = variation.get("voting") is False or as_dict(jobs.get(name)).get("voting") is False
        out.append(Job(name, path, line, frozenset(triggers), (step,) if step else (), advisory,
                       refs=tuple(sorted(refs))))
    return out


def _known_template(name: str) -> dict[str, tuple[str, ...]]:
    """A public library's template, including the release-series variants
    (``openstack-python3-2024.1-jobs`` is ``openstack-python3-jobs`` for that series)."""
    if name in KNOWN_TEMPLATES:
        return KNOWN_TEMPLATES[name]
    if name.startswith("openstack-python3-") and name.endswith("-jobs"):
        return KNOWN_TEMPLATES["openstack-python3-jobs"]
    return {}


def _pipeline_entries(node: dict[Any, Any]) -> list[tuple[str, str, int, dict[str, object]]]:
    """``(pipeline, job name, line, variation)`` of a project or template."""
    out: list[tuple[str, str, int, dict[str, object]]] = []
    for pipeline, body in node.items():
        if not isinstance(pipeline, str) or pipeline in ("name", "templates", "description", "queue", "vars",
                                                          "default-branch", "merge-mode"):
            continue
        entries = as_dict(body).get("jobs")
        for index, entry in enumerate(as_list(entries)[:MAX_ITEMS]):
            line = line_of(entries, index, 1)
            if isinstance(entry, str) and entry.strip():
                out.append((pipeline, entry.strip(), line, {}))
            elif isinstance(entry, dict) and len(entry) == 1:
                name, variation = next(iter(entry.items()))
                out.append((pipeline, text_of(name).strip(), line, as_dict(variation)))
    return out


def _step(path: str, line: int, name: str, jobs: dict[str, dict[Any, Any]],
          variation: dict[str, object]) -> Step | None:
    """The library job ``name`` reaches through this repository's definitions, as a step whose
    inputs are the merged ``vars``; ``None`` when the chain ends in a job of its own
    (playbooks only, parent ``base``) or loops."""
    chain = _chain(name, jobs)
    library = text_of(chain[-1].get("parent")).strip() if chain else name
    if not library or library == "base" or library in jobs:  # its own job, or a loop cut short
        return None
    variables: dict[str, object] = {}
    for layer in (variation, *chain):
        for key, value in as_dict(layer.get("vars")).items():
            variables.setdefault(str(key), text_of(value))
    return Step(path, line, "uses", f"zuul-jobs/{library}", {**variables, "zuul_job": library})


def _chain(name: str, jobs: dict[str, dict[Any, Any]]) -> list[dict[Any, Any]]:
    """The job's own definition, then its parents' that this repository holds (at most
    ``MAX_PARENTS``: a loop ends there)."""
    out: list[dict[Any, Any]] = []
    current = name
    while current in jobs and len(out) < MAX_PARENTS:
        out.append(jobs[current])
        current = text_of(jobs[current].get("parent")).strip()
    return out
