"""DEL001: a merge to the default branch deploys by itself.

Passes on a CI job that deploys (declares an ``environment``, sits in a GitLab ``deploy``
stage, or runs a deploy step such as ``kubectl apply``, ``helm upgrade --install``,
``terraform apply``, ``sam``/``cdk``/``serverless deploy``, ``gcloud run deploy``,
ECS/App Service/Cloud Run actions) that a push to the default branch starts, or on a GitOps
controller that syncs by itself (Argo CD ``syncPolicy.automated``, Flux ``Kustomization``/
``HelmRelease`` not suspended). Publishing an image (``docker push``) is not a deployment.

Fails, saying why: deploys only by hand (``workflow_dispatch``, ``when: manual``, Argo CD
without automated sync), only on tags or releases (a release train, not continuous
deployment of merges), only for pull requests (previews), only on a schedule; or none found.
Neither when a CI configuration file of the scope could not be used (it does not parse, is
binary, too large...): the deploy job may be in it, so the result is ``error`` naming it.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.ci_wording import LOOKED_FOR, chain, listed
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import ci, gitops
from linter.detectors.ci.stages import DeployJob, deploy_jobs, deploys_on_merge, moment
from linter.results import Evidence, Finding, failed, passed

_WHY = {
    "manual": "only when started by hand", "tags": "only on tag pushes or releases",
    "review": "only for pull requests (preview deployments)", "late": "only on a schedule or when called",
}


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(ci.detect)
    deploys = [d for d in deploy_jobs(facts) if ctx.owns(d.path)]
    apps = ctx.owned(ctx.facts(gitops.detect).gitops)
    on_merge = [d for d in deploys if deploys_on_merge(d.job)]
    automated = [a for a in apps if a.automated]
    if on_merge or automated:
        found = [f"{d.job.name} ({_where(d)}: {d.reason})" for d in on_merge]
        found += [f"{a.tool} {a.kind} {a.name} ({a.path}:{a.line}: {a.detail})" for a in automated]
        evidence = [Evidence(d.path, d.line, f"deploy job {d.job.name}: {d.reason}; runs on pushes to the "
                                             f"default branch{_via(d)}") for d in on_merge]
        evidence += [Evidence(a.path, a.line, f"{a.tool} {a.kind} {a.name}: {a.detail}") for a in automated]
        return passed(f"merges to the default branch deploy automatically: {listed(found)}", evidence)
    unread = could_not_read(ctx, facts.unusable, "no deployment started by a merge to the default branch")
    if unread is not None:  # the deploy job may be in the file that could not be used
        return unread
    if deploys or apps:
        reasons = [f"{d.job.name} deploys {_why(d)} ({_where(d)}: {d.reason})" for d in deploys]
        reasons += [f"{a.tool} {a.kind} {a.name}: {a.detail} ({a.path}:{a.line})" for a in apps]
        evidence = [Evidence(d.path, d.line, f"deploy job {d.job.name}: {d.reason}; runs {_why(d)}{_via(d)}")
                    for d in deploys]
        evidence += [Evidence(a.path, a.line, f"{a.tool} {a.kind} {a.name}: {a.detail}") for a in apps]
        return failed(f"deployments exist but a merge does not trigger one: {listed(reasons)}; deploy from a "
                      "job started by pushes to the default branch (or enable automated sync)", evidence)
    files = list(facts.files_read)
    where = f"read {', '.join(files[:10])}" if files else f"no CI configuration found (looked for {LOOKED_FOR})"
    return failed(f"no automated deployment found: {where}; no job with an environment or deploy step, and no "
                  "Argo CD/Flux manifest", [Evidence(f, 0, "CI configuration read") for f in files[:10]])


def _where(deploy: DeployJob) -> str:
    """``file:line``, or every hop when the deploy command sits in a script or package script."""
    return chain(deploy.hops) if len(deploy.hops) > 1 else f"{deploy.path}:{deploy.line}"


def _via(deploy: DeployJob) -> str:
    return f"; via {chain(deploy.hops)}" if len(deploy.hops) > 1 else ""


def _why(deploy: DeployJob) -> str:
    job = deploy.job
    if not job.triggers:
        return "never (no event starts it here, or its `if:` is false in this repository)"
    if "manual" in job.triggers:
        return _WHY["manual"]
    if "push" in job.triggers and not deploys_on_merge(job):
        return "only on pushes to other branches" if moment(job) in ("review", "some-branches") and not job.triggers & {
            "pull_request", "merge_group"} else _WHY["tags"]
    return _WHY.get(moment(job), _WHY["late"])


RULE = RuleCheck(
    id="DEL001",
)
