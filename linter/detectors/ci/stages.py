"""When in a change's life a job runs: on review, after merge, on release tags, or later.

Built on the pipeline model's triggers and push refs (``linter.detectors.ci.refs``):

* ``review`` - pull/merge requests, the merge queue, or pushes to any branch (the change is
  tested before it merges; GitLab, Jenkins multibranch, CircleCI, Azure and Bitbucket
  pipelines run on branch pushes by default, as SEC001 assumes);
* ``after-merge`` - pushes to the default branch only (``push: branches: [main]``,
  ``$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH``), or to it and to release lines
  (``[main, release/*]``);
* ``some-branches`` - pushes to release lines only (``release/*``, ``stable``:
  ``linter.detectors.ci.model.release_line``): neither the change under review nor the merge;
* ``tags`` - tag pushes or release events only;
* ``late`` - schedules, manual runs, calls nobody makes.

``deploy_jobs`` finds jobs that deploy: a declared ``environment``, a GitLab ``deploy``
stage, a command the job resolves to that ``linter.detectors.ci.tables.DEPLOYS`` knows, or a
Compose stack left running on a self-hosted runner
(``linter.detectors.ci.environments.deployed_stack``).
"""

from __future__ import annotations

from linter.detectors.ci.environments import deployed_stack, integration_environment
from linter.detectors.ci.judge import judge_commands
from linter.detectors.ci.model import CiFacts, Hop, Job, Pipeline, release_line
from linter.detectors.ci.refs import only_default_branch, runs_on_default_branch
from linter.detectors.ci.tables import DEPLOYS, TESTS
from linter.fast_dataclass import dataclass, field

DEPLOY_STAGES = frozenset({"deploy", "deployment", "production", "prod", "release-production", "deploy-production"})
_REVIEW = frozenset({"pull_request", "merge_group"})


def has_branch_refs(job: Job) -> bool:
    return not job.refs or any(r.startswith("branch:") for r in job.refs)


def moment(job: Job) -> str:
    """``review``, ``after-merge``, ``some-branches``, ``tags`` or ``late`` (see the module
    docstring). Pushes to the default branch and to release lines (``[main, release/*]``)
    are after the merge: the change under review runs on neither."""
    if job.triggers & _REVIEW:
        return "review"
    if "push" in job.triggers:
        if not has_branch_refs(job):
            return "tags"
        branches = [r for r in job.refs if r.startswith("branch:")]
        default = [r for r in branches if only_default_branch((r,))]
        if not branches or not all(r in default or release_line(r) for r in branches):
            return "review"  # any branch, or a name that may be any change's branch
        return "after-merge" if default else "some-branches"
    if "other" in job.triggers and not job.triggers - {"other"}:
        return "tags"
    return "late"


def deploys_on_merge(job: Job) -> bool:
    """A push to the default branch starts the job (not only tags, not only by hand)."""
    return "push" in job.triggers and has_branch_refs(job) and runs_on_default_branch(
        tuple(r for r in job.refs if r.startswith("branch:")))


@dataclass(frozen=True)
class DeployJob:
    system: str
    pipeline: str
    job: Job
    reason: str  # what makes it a deploy
    path: str
    line: int
    #: How the deploy command was reached, the CI line first (``()`` for an environment or stage).
    hops: tuple[Hop, ...] = field(default=(), compare=False)


def deploy_jobs(facts: CiFacts) -> list[DeployJob]:
    """Jobs that deploy, with the first piece of evidence (a deploy step, else the job).

    A job that applies manifests to a cluster or Compose stack it created itself (kind,
    minikube, k3d...: ``linter.detectors.ci.environments``) is an integration test, not a
    deployment.
    """
    found: list[DeployJob] = []
    for pipeline, job in facts.jobs():
        kept = deployed_stack(job, _runs_tests)
        if kept is not None:
            found.append(DeployJob(pipeline.system, pipeline.path, job, f"`{kept.detail}` on a self-hosted runner",
                                   kept.path, kept.line))
            continue
        local = integration_environment(job) is not None and not job.environment
        hits = [] if local else judge_commands(job.commands, DEPLOYS)
        if hits:
            found.append(DeployJob(pipeline.system, pipeline.path, job, hits[0].detail, hits[0].path, hits[0].line,
                                   hits[0].hops))
        elif job.environment:
            found.append(DeployJob(pipeline.system, pipeline.path, job, f"environment {job.environment}",
                                   job.path, job.line))
        elif job.stage.strip().lower() in DEPLOY_STAGES:
            found.append(DeployJob(pipeline.system, pipeline.path, job, f"stage {job.stage}", job.path, job.line))
    return sorted(found, key=lambda d: (d.path, d.line, d.job.name))


def _runs_tests(job: Job) -> bool:
    return bool(judge_commands(job.commands, TESTS))


__all__ = ["DEPLOY_STAGES", "DeployJob", "Pipeline", "deploy_jobs", "deploys_on_merge", "has_branch_refs", "moment"]
