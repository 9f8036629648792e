"""GitLab CI: ``.gitlab-ci.yml`` plus its local includes, templates, components and jobs.

Semantics kept:

* ``include:`` may be a string, a mapping or a list of ``local``/``template``/``component``/
  ``project``/``remote`` entries; local files are read (wildcards too) and merged, the others
  become ``include`` steps (templates and components are the packaged scanners).
* Jobs are the top-level keys that are not keywords; hidden jobs (``.name``) run only when
  another job ``extends`` them, so their keys are inherited, never run on their own.
* Without ``workflow:rules``, a push runs a branch (or tag) pipeline; merge request
  pipelines run only jobs whose ``rules`` admit them (a rule that does not test the pipeline
  source admits both, as GitLab documents). ``workflow:rules``, job ``rules``
  (``$CI_PIPELINE_SOURCE == "schedule"``...), ``only:`` and ``when: manual`` narrow that.
* A job that overrides a template job (``dependency_scanning: {rules: ...}``) sets the
  triggers of the included template.
* ``!reference [.job, rules]`` in ``rules`` (job or ``workflow``, whole or as items) is
  replaced by the rules it names; one this configuration does not hold (a remote include's)
  leaves the rules unknown, so the job runs as if it had none.
* A job's script reads its variables as environment variables: the top-level ``variables``,
  then the job's own, merged through ``extends`` the way GitLab merges hashes (a child's key
  wins, the parents' other keys stay; ``{value: ..., description: ...}`` gives ``value``),
  and one set per ``parallel: matrix`` combination.
"""

from __future__ import annotations

import re
from typing import Any

from linter.detectors.ci.matrix import gitlab_matrix, scalar_text
from linter.detectors.ci.model import (
    MAX_JOBS_PER_PIPELINE, MAX_STEPS_PER_JOB, Job, Pipeline, Step, Value, as_dict, content_line, is_true,
    plain_args, text_of, yaml_documents,
)
from linter.detectors.ci.refs import ANY_BRANCH, ANY_TAG, gitlab_only_refs, gitlab_rules_refs
from linter.fast_dataclass import dataclass, field
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

SYSTEM = "gitlab-ci"
ROOT_FILE = ".gitlab-ci.yml"
MAX_INCLUDED_FILES = 50
MAX_EXTENDS_DEPTH = 10
#: Pipelines a rule that does not test the pipeline source can run in: branch (and tag)
#: pipelines and, as GitLab documents for such rules, merge request pipelines too.
DEFAULT_SOURCES = frozenset({"push", "pull_request"})
#: A job with neither ``rules`` nor ``only``/``except``, without ``workflow:rules``: branch
#: and tag pipelines only (merge request pipelines need a rule that admits them).
NO_RULES_SOURCES = frozenset({"push"})

KEYWORDS = frozenset({"default", "include", "stages", "variables", "workflow", "image", "services",
                      "cache", "before_script", "after_script", "types", "spec"})
SCRIPT_KEYS = ("before_script", "script", "after_script")
#: Jobs defined by the security templates, which users override to change their rules.
TEMPLATE_JOBS = {
    "dependency-scanning": ("dependency_scanning", "gemnasium-dependency_scanning",
                            "gemnasium-maven-dependency_scanning", "gemnasium-python-dependency_scanning",
                            "dependency-scanning"),  # the last: the CI/CD component's job
    "container-scanning": ("container_scanning",),
    "auto-devops": ("dependency_scanning", "gemnasium-dependency_scanning"),
}
_SOURCE_TRIGGERS = {
    "push": "push", "merge_request_event": "pull_request", "external_pull_request_event": "pull_request",
    "schedule": "schedule", "web": "manual", "chat": "manual", "parent_pipeline": "call",
}
_ONLY_TRIGGERS = {
    "schedules": "schedule", "merge_requests": "pull_request", "external_pull_requests": "pull_request",
    "web": "manual", "chat": "manual", "api": "other", "triggers": "other", "pipelines": "other",
    "tags": "other", "branches": "push", "pushes": "push",
}
_SOURCE_EQUALS = re.compile(r"\$\{?CI_PIPELINE_SOURCE\}?\s*==\s*[\"']?([A-Za-z_]{1,40})")
_MERGE_REQUEST_VAR = re.compile(r"\$\{?CI_MERGE_REQUEST_(?:IID|ID|EVENT_TYPE|SOURCE_BRANCH_NAME|TARGET_BRANCH_NAME)\b")
_NEGATION = re.compile(r"!=|!~|==\s*null")
#: ``$CI_COMMIT_BRANCH``/``$CI_COMMIT_TAG`` are not set in merge request pipelines, so a rule
#: that requires one of them admits only branch or tag (push) pipelines.
_BRANCH_OR_TAG_REQUIRED = re.compile(r"\$\{?CI_COMMIT_(?:BRANCH|TAG)\}?\s*(?:==\s*[\"'$]|=~|&&|\)|$)")


@dataclass
class _Fragment:
    path: str
    body: dict[Any, Any]
    line: int


@dataclass
class _Config:
    jobs: dict[str, list[_Fragment]] = field(default_factory=dict)
    globals: dict[str, tuple[str, Any, Any]] = field(default_factory=dict)  # key -> (path, value, container)
    includes: list[Step] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    ws: Workspace | None = None
    asked: set[str] = field(default_factory=set)  # the caller's: see ``yaml_documents``


def detect(ws: Workspace, asked: set[str] | None = None) -> tuple[list[Pipeline], list[str]]:
    """The pipeline of ``.gitlab-ci.yml`` with its local includes, and the files read; each
    joins ``asked``."""
    if not ws.exists(ROOT_FILE):
        return [], []
    config = _Config(ws=ws, asked=set() if asked is None else asked)
    _read_file(ws, ROOT_FILE, config, set())
    jobs = _build_jobs(config)
    return [Pipeline(SYSTEM, ROOT_FILE, tuple(sorted(jobs)[:MAX_JOBS_PER_PIPELINE]))], sorted(set(config.files))


# --------------------------------------------------------------------------- reading
def _read_file(ws: Workspace, path: str, config: _Config, seen: set[str]) -> None:
    """Merge one file (its includes first, as GitLab does) into ``config``."""
    if path in seen or len(seen) >= MAX_INCLUDED_FILES:
        return
    seen.add(path)
    config.files.append(path)
    for data in yaml_documents(ws, path, config.asked):
        if not isinstance(data, dict) or set(map(str, data)) == {"spec"}:
            continue
        for local in _includes(ws, path, data.get("include"), data, config):
            _read_file(ws, local, config, seen)
        for key, value in data.items():
            name = str(key)
            if name in KEYWORDS:
                config.globals[name] = (path, value, data)
            elif isinstance(value, dict):
                config.jobs.setdefault(name, []).append(_Fragment(path, value, line_of(data, key, 0)))


def _includes(ws: Workspace, path: str, include: Any, parent: Any, config: _Config) -> list[str]:
    """Record non-local includes as steps; return the local files to read."""
    entries = include if isinstance(include, list) else [include] if include is not None else []
    base_line = line_of(parent, "include", 0)
    local_files: list[str] = []
    for index, entry in enumerate(entries[:100]):
        line = line_of(include, index, base_line) if isinstance(include, list) else base_line
        if isinstance(entry, str):
            entry = {"remote": entry} if entry.startswith(("http://", "https://")) else {"local": entry}
        if not isinstance(entry, dict):
            continue
        if "local" in entry:
            local_files.extend(_local_paths(ws, text_of(entry.get("local"))))
            continue
        for kind in ("template", "component", "remote"):
            if kind in entry and text_of(entry.get(kind)):
                config.includes.append(Step(path, line_of(entry, kind, line), "include",
                                            f"{kind}:{text_of(entry[kind]).strip()}", plain_args(entry.get("inputs"))))
        if "project" in entry:
            files = entry.get("file")
            for name in (files if isinstance(files, list) else [files]):
                if text_of(name):
                    config.includes.append(Step(path, line_of(entry, "project", line), "include",
                                                f"project:{text_of(entry['project'])}:{text_of(name)}", {}))
    return local_files


def _local_paths(ws: Workspace, reference: str) -> list[str]:
    reference = reference.strip().lstrip("/")
    if not reference:
        return []
    if "*" in reference:
        return ws.glob(reference)
    return [reference] if ws.exists(reference) else []


# --------------------------------------------------------------------------- job model
def _lookup(config: _Config, name: str, key: str, depth: int = 0) -> tuple[Any, Any, str] | None:
    """``(value, container, path)`` of ``key`` for job ``name``, following ``extends``."""
    fragments = config.jobs.get(name, [])
    for fragment in reversed(fragments):
        if key in fragment.body:
            return fragment.body[key], fragment.body, fragment.path
    if depth >= MAX_EXTENDS_DEPTH:
        return None
    for fragment in reversed(fragments):
        parents = fragment.body.get("extends")
        for parent in reversed(parents if isinstance(parents, list) else [parents]):
            if isinstance(parent, str) and parent != name:
                found = _lookup(config, parent, key, depth + 1)
                if found is not None:
                    return found
    return None


def _build_jobs(config: _Config) -> list[Job]:
    base = _workflow_sources(config)
    jobs: list[Job] = []
    overridden: set[str] = set()
    for name, fragments in config.jobs.items():
        if name.startswith("."):
            continue
        steps = _job_steps(config, name)
        if not steps:
            overridden.add(name)
            continue
        first = fragments[-1]
        allow = _lookup(config, name, "allow_failure")
        parallel = _lookup(config, name, "parallel")
        jobs.append(Job(name, first.path, first.line, _job_sources(config, name, base), tuple(steps),
                        bool(allow and is_true(allow[0])), environment=_job_environment(config, name),
                        stage=_job_text(config, name, "stage"), refs=_job_refs(config, name),
                        bindings={**_global_variables(config), **_job_variables(config, name, 0)},
                        variants=gitlab_matrix(parallel[0], parallel[2]) if parallel else ()))
    jobs.extend(_include_jobs(config, base, overridden))
    return jobs


def _variables(node: Any, path: str) -> dict[str, Value]:
    """``env.<NAME>`` bindings of a ``variables:`` mapping (``NAME: value`` or
    ``NAME: {value: ..., description: ...}``)."""
    out: dict[str, Value] = {}
    if not isinstance(node, dict):
        return out
    for key, value in list(node.items())[:2_000]:
        if isinstance(value, dict):
            value = value.get("value")
        text = scalar_text(value)
        if text is not None:
            out[f"env.{key}"] = Value(text, path, line_of(node, key, 0))
    return out


def _global_variables(config: _Config) -> dict[str, Value]:
    found = config.globals.get("variables")
    return _variables(found[1], found[0]) if found else {}


def _job_variables(config: _Config, name: str, depth: int) -> dict[str, Value]:
    """A job's ``variables``, its ``extends`` parents' first (later parents and the job win)."""
    merged: dict[str, Value] = {}
    if depth > MAX_EXTENDS_DEPTH:
        return merged
    for fragment in config.jobs.get(name, []):
        parents = fragment.body.get("extends")
        for parent in parents if isinstance(parents, list) else [parents]:
            if isinstance(parent, str) and parent != name:
                merged.update(_job_variables(config, parent, depth + 1))
        merged.update(_variables(fragment.body.get("variables"), fragment.path))
    return merged


def _job_text(config: _Config, name: str, key: str) -> str:
    found = _lookup(config, name, key)
    return text_of(found[0]).strip() if found is not None else ""


#: ``environment: action:`` values that touch an environment without deploying to it.
_NON_DEPLOY_ACTIONS = frozenset({"stop", "prepare", "verify", "access"})


def _job_environment(config: _Config, name: str) -> str:
    """Environment a job deploys to (``environment: x`` or ``{name: x}``), not stop/prepare jobs."""
    found = _lookup(config, name, "environment")
    if found is None:
        return ""
    value = found[0]
    if isinstance(value, dict):
        if text_of(value.get("action")).strip().lower() in _NON_DEPLOY_ACTIONS:
            return ""
        return text_of(value.get("name")).strip()
    return text_of(value).strip()


def _job_refs(config: _Config, name: str) -> tuple[str, ...]:
    """Refs a push runs the job on, from its ``rules`` or ``only`` and ``workflow:rules``."""
    found = _lookup(config, name, "rules")
    rules = _rules_of(config, found[0]) if found is not None else None
    if rules is not None:
        refs = gitlab_rules_refs(rules)
    else:
        only = _lookup(config, name, "only")
        refs = gitlab_only_refs(only[0]) if only is not None else ()
    return _within_workflow(config, refs or (ANY_BRANCH, ANY_TAG))


def _within_workflow(config: _Config, refs: tuple[str, ...]) -> tuple[str, ...]:
    """Job refs narrowed by ``workflow:rules`` (a pipeline that never starts runs no job)."""
    workflow = config.globals.get("workflow")
    rules = _rules_of(config, as_dict(workflow[1] if workflow else None).get("rules"))
    if rules is None:
        return refs
    allowed = gitlab_rules_refs(rules)
    narrowed: set[str] = set()
    for ref in refs:
        kind = ref.split(":", 1)[0]
        if ref in (ANY_BRANCH, ANY_TAG):
            narrowed.update(r for r in allowed if r.startswith(kind + ":"))
        elif ref in allowed or f"{kind}:*" in allowed:
            narrowed.add(ref)
    return tuple(sorted(narrowed))


def _include_jobs(config: _Config, base: frozenset[str] | None, overridden: set[str]) -> list[Job]:
    """One job per include; a template job override (rules only) sets its triggers."""
    jobs: list[Job] = []
    variables = as_dict(config.globals.get("variables", ("", None, None))[1])
    for step in config.includes:
        triggers = base if base is not None else DEFAULT_SOURCES
        for family, names in TEMPLATE_JOBS.items():
            if family in step.text.lower():
                override = next((n for n in names if n in overridden), None)
                if override:
                    triggers = _job_sources(config, override, base)
                # the variable works through the template's own rules: rules set by an override
                # replace them ("we override the rules of the jobs we want to run")
                overrides_rules = override is not None and _lookup(config, override, "rules") is not None
                if family != "container-scanning" and not overrides_rules \
                        and _disabled(variables.get("DEPENDENCY_SCANNING_DISABLED")):
                    triggers = frozenset()
        jobs.append(Job(f"include {step.text}", step.path, step.line, triggers, (step,)))
    return jobs


def _disabled(value: Any) -> bool:
    return is_true(value) or text_of(value).strip() in ("1", "yes")


def _job_steps(config: _Config, name: str) -> list[Step]:
    steps: list[Step] = []
    for key in SCRIPT_KEYS:
        found = _lookup(config, name, key)
        if found is None and key != "script":
            default = config.globals.get("default")
            default_body = as_dict(default[1]) if default else {}
            if key in default_body:
                found = (default_body[key], default_body, default[0])  # type: ignore[index]
            elif key in config.globals:
                path, value, container = config.globals[key]
                found = (value, container, path)
        if found is not None:
            value, container, path = found
            steps.extend(_script_steps(config, path, value, line_of(container, key, 0), 0))
    return steps[:MAX_STEPS_PER_JOB]


def _script_steps(config: _Config, path: str, value: Any, line: int, depth: int) -> list[Step]:
    """Script lines as ``run`` steps; nested lists are flattened, ``!reference`` resolved."""
    if isinstance(value, str):
        return [Step(path, content_line(config.ws, path, line), "run", value)] if value.strip() else []
    if not isinstance(value, list) or depth > 5:
        return []
    reference = _reference_target(config, value)
    if reference is not None:
        found = _lookup(config, reference[0], reference[1])
        return _script_steps(config, found[2], found[0], line_of(found[1], reference[1], 0), depth + 1) if found else []
    steps: list[Step] = []
    for index, item in enumerate(value):
        steps.extend(_script_steps(config, path, item, line_of(value, index, line), depth + 1))
    return steps


def _reference_target(config: _Config, value: list[Any], keys: frozenset[str] | tuple[str, ...] = SCRIPT_KEYS
                      ) -> tuple[str, str] | None:
    """``!reference [.setup, script]`` loads as a two-item list naming a job and a key."""
    if len(value) == 2 and all(isinstance(v, str) for v in value) and value[0] in config.jobs \
            and value[1] in keys:
        return value[0], value[1]
    return None


def _rules_of(config: _Config, value: Any, depth: int = 0) -> list[Any] | None:
    """A ``rules`` list with its ``!reference [.job, rules]`` parts replaced by what they name
    (the whole list, or items of it, as GitLab allows); ``None`` when it is not a list or names
    rules this configuration does not hold (a remote include's), so they are unknown."""
    if not isinstance(value, list) or depth > MAX_EXTENDS_DEPTH:
        return None
    if len(value) == 2 and all(isinstance(v, str) for v in value) and value[1] == "rules":
        target = _reference_target(config, value, ("rules",))
        found = _lookup(config, target[0], "rules") if target else None
        return _rules_of(config, found[0], depth + 1) if found else None
    rules: list[Any] = []
    for item in value:
        if isinstance(item, list):
            rules.extend(_rules_of(config, item, depth + 1) or [])
        else:
            rules.append(item)
    return rules


# --------------------------------------------------------------------------- triggers
def _workflow_sources(config: _Config) -> frozenset[str] | None:
    """Pipeline sources admitted by ``workflow:rules``; ``None`` when unrestricted."""
    workflow = config.globals.get("workflow")
    rules = _rules_of(config, as_dict(workflow[1] if workflow else None).get("rules"))
    if rules is None:
        return None
    return _rule_sources(rules, None)


def _job_sources(config: _Config, name: str, base: frozenset[str] | None) -> frozenset[str]:
    found = _lookup(config, name, "rules")
    rules = _rules_of(config, found[0]) if found is not None else None
    if rules is not None:
        return _rule_sources(rules, base)
    only = _lookup(config, name, "only")
    sources = _only_sources(only[0], base) if only is not None else (base if base is not None else NO_RULES_SOURCES)
    when = _lookup(config, name, "when")
    if when is not None and text_of(when[0]).strip().lower() == "manual" and sources:
        return frozenset({"manual"})
    return sources


def _rule_sources(rules: list[Any], base: frozenset[str] | None) -> frozenset[str]:
    admitted: set[str] = set()
    for rule in rules[:200]:
        if not isinstance(rule, dict):
            continue
        when = text_of(rule.get("when")).strip().lower() or "on_success"
        if when == "never":
            continue
        sources = _condition_sources(text_of(rule.get("if")), base)
        if when == "manual" and sources:
            admitted.add("manual")
        else:
            admitted |= sources
    return frozenset(admitted)


def _condition_sources(condition: str, base: frozenset[str] | None) -> frozenset[str]:
    """Pipeline sources for which a rule ``if:`` can be true (unconstrained = ``base``)."""
    unconstrained = base if base is not None else DEFAULT_SOURCES
    if not condition.strip():
        return unconstrained
    admitted: set[str] = set()
    for part in condition.split("||"):
        explicit = _SOURCE_EQUALS.findall(part)
        if explicit:
            admitted |= {_SOURCE_TRIGGERS.get(source, "other") for source in explicit}
        elif _MERGE_REQUEST_VAR.search(part) and not _NEGATION.search(part):
            admitted.add("pull_request")
        elif _BRANCH_OR_TAG_REQUIRED.search(part.strip()) and "== null" not in part and "!=" not in part:
            admitted |= {"push"} & unconstrained
        else:
            admitted |= unconstrained
    return frozenset(admitted if base is None else admitted & base)


def _only_sources(only: Any, base: frozenset[str] | None) -> frozenset[str]:
    refs = as_dict(only).get("refs") if isinstance(only, dict) else only
    if isinstance(refs, str):
        refs = [refs]
    unconstrained = base if base is not None else DEFAULT_SOURCES
    if not isinstance(refs, list) or not refs:
        return unconstrained
    admitted = {_ONLY_TRIGGERS.get(text_of(ref).strip(), "push") for ref in refs if text_of(ref).strip()}
    return frozenset(admitted if base is None else admitted & base)
