"""CI pipelines of every system, as one model: which commands run in jobs started by which events.

``detect(ws)`` parses GitHub Actions, GitLab CI, Jenkinsfiles, CircleCI, Azure Pipelines,
Bitbucket Pipelines, Google Cloud Build, Buildkite, Woodpecker CI, Drone CI, Zuul and Bazel CI (each in its own
module) plus Dependabot/Renovate configuration, then resolves every job to the commands it really runs, with their
provenance (``linter.detectors.ci.resolve``). Rules match those commands against the tool
tables (``linter.detectors.ci.tables``: dependency scanners, SAST, secret scanners, IaC
policy, tests, deploys, load tests, cost, pre-commit) through ``linter.detectors.ci.judge``.
A parser that fails on some input records a note and the others still run.

The facts also list the CI configuration files that could not be used (``unusable``): an
entry file or a file it includes, extends or calls (a local composite action or reusable
workflow, a GitLab local include, an Azure template...) that is too large, binary, not UTF-8
or YAML that does not parse (templated YAML, not YAML until rendered, is not broken), and
every file a parser read before it failed. Rules that find nothing say they could not judge
rather than that nothing is there.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from linter.detectors.ci import (
    azure, bazelci, bitbucket, bots, buildkite, circleci, cloudbuild, drone, github, gitlab, jenkins, woodpecker,
    zuul,
)
from linter.detectors.ci.model import (
    PER_CHANGE, STEP_KINDS, TRIGGERS, CiFacts, Job, Pipeline, ResolvedCommand, Step, UpdateBot,
)
from linter.detectors.ci.refs import with_default_branch
from linter.detectors.ci.resolve import Resolver
from linter.repo.workspace import Workspace

#: Human names of the systems, for messages.
SYSTEM_NAMES = {
    github.SYSTEM: "GitHub Actions", gitlab.SYSTEM: "GitLab CI", jenkins.SYSTEM: "Jenkins",
    circleci.SYSTEM: "CircleCI", azure.SYSTEM: "Azure Pipelines", bitbucket.SYSTEM: "Bitbucket Pipelines",
    cloudbuild.SYSTEM: "Google Cloud Build", buildkite.SYSTEM: "Buildkite", woodpecker.SYSTEM: "Woodpecker CI",
    drone.SYSTEM: "Drone CI", zuul.SYSTEM: "Zuul", bazelci.SYSTEM: "Bazel CI",
}
#: Where each system's configuration is looked for, in the order the parsers run.
LOOKED_FOR = (".github/workflows/*.yml", ".gitlab-ci.yml", "Jenkinsfile", ".circleci/config.yml",
              "azure-pipelines.yml", "bitbucket-pipelines.yml", "cloudbuild.yaml",
              ".buildkite/pipeline.yml", ".woodpecker/*.yaml", ".drone.yml", ".zuul.yaml",
              ".bazelci/presubmit.yml")
#: A parser: (workspace, the set every configuration file it asks for joins) -> (its
#: pipelines, the files it read). The set is the caller's, so it outlives a parser that fails.
Parser = Callable[[Workspace, set[str]], tuple[list[Pipeline], list[str]]]
#: Every system's parser, in the order they run (``LOOKED_FOR`` follows it).
PARSERS: tuple[tuple[str, Parser], ...] = (
    (github.SYSTEM, github.detect), (gitlab.SYSTEM, gitlab.detect), (jenkins.SYSTEM, jenkins.detect),
    (circleci.SYSTEM, circleci.detect), (azure.SYSTEM, azure.detect), (bitbucket.SYSTEM, bitbucket.detect),
    (cloudbuild.SYSTEM, cloudbuild.detect), (buildkite.SYSTEM, buildkite.detect),
    (woodpecker.SYSTEM, woodpecker.detect), (drone.SYSTEM, drone.detect), (zuul.SYSTEM, zuul.detect),
    (bazelci.SYSTEM, bazelci.detect),
)


def detect(ws: Workspace, parsers: tuple[tuple[str, Parser], ...] = PARSERS) -> CiFacts:
    """Every pipeline (its jobs resolved to commands) and update bot in the repository, sorted;
    never raises. ``parsers`` are the systems read (tests hand it a failing one)."""
    pipelines: list[Pipeline] = []
    files: set[str] = set()
    unusable: set[str] = set()
    for system, parse in parsers:
        asked: set[str] = set()
        try:
            found, read = parse(ws, asked)
        except Exception as exc:  # noqa: BLE001 - one broken parser must not hide the others
            ws.note(".", f"{SYSTEM_NAMES[system]} configuration could not be read: {type(exc).__name__}")
            unusable.update(asked)  # what it read is lost with it, however well the files parsed
            continue
        pipelines.extend(found)
        files.update(read)
        unusable.update(p for p in asked | set(read) if ws.unusable(p))
    try:
        found_bots, _ = bots.detect(ws)
    except Exception as exc:  # noqa: BLE001
        ws.note(".", f"update bot configuration could not be read: {type(exc).__name__}")
        found_bots = []
    return CiFacts(tuple(sorted(_resolved(ws, pipelines, default_branch(ws)))), tuple(sorted(found_bots)),
                   tuple(sorted(files)), tuple(sorted(unusable)))


def _resolved(ws: Workspace, pipelines: list[Pipeline], default: str) -> list[Pipeline]:
    """The pipelines with every job's ``commands`` filled in (one resolver, so files read for
    one job are parsed once for all), and pushes to the repository's default branch, when
    git names it, written ``branch:$default`` whatever the branch is called."""
    resolver = Resolver(ws)
    out: list[Pipeline] = []
    for pipeline in pipelines:
        images = dict(resolver.images)
        commands = [_job_commands(ws, resolver, pipeline.system, job) for job in pipeline.jobs]
        if resolver.images != images:  # an image a job builds may be run by a job read before it
            commands = [_job_commands(ws, resolver, pipeline.system, job) for job in pipeline.jobs]
        resolver.images.clear()
        jobs = tuple(dataclasses.replace(job, commands=found, refs=with_default_branch(job.refs, default))
                     for job, found in zip(pipeline.jobs, commands))
        out.append(Pipeline(pipeline.system, pipeline.path, jobs))
    return out


def _job_commands(ws: Workspace, resolver: Resolver, system: str, job: Job) -> tuple[ResolvedCommand, ...]:
    try:
        return resolver.job(system, job)
    except RecursionError:
        ws.note(job.path, f"the commands of job {job.name} nest too deeply to read")
        return ()


def default_branch(ws: Workspace) -> str:
    """The branch ``origin/HEAD`` points at (what a clone calls the remote's default branch),
    or ``""`` when git does not say (no clone, a shallow CI checkout)."""
    if not ws.git_dir_ok:
        return ""
    try:
        text = "".join(ws.git_pieces("symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"))
    except Exception:  # noqa: BLE001 - no origin/HEAD: unknown, the usual names still count
        return ""
    name = text.strip().removeprefix("origin/")
    return name if name and len(name) <= 200 and "\n" not in name else ""


__all__ = ["LOOKED_FOR", "PER_CHANGE", "STEP_KINDS", "SYSTEM_NAMES", "TRIGGERS", "CiFacts", "Job", "Pipeline",
           "ResolvedCommand", "Step", "UpdateBot", "detect"]
