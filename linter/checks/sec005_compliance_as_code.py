"""SEC005: infrastructure code is checked against policy in CI (compliance as code).

Applies only when the repository holds infrastructure as code (Terraform, CloudFormation/SAM,
Kubernetes manifests, Helm charts, Bicep, Pulumi, CDK: see ``linter.detectors.gitops``; a
Dockerfile alone is not IaC). Passes when a policy scanner runs in CI on each change
(checkov, trivy config, tfsec, KICS, conftest, terrascan, cfn_nag, cfn-guard, snyk iac,
kube-score, kube-linter, polaris, prowler, GitLab SAST-IaC) or as a pre-commit hook that CI
runs. Schema validators (kubeconform, kubeval) and ``opa eval`` do not count.
"""

from __future__ import annotations

from linter.checks.attribution import owned_iac
from linter.checks.base import CheckContext
from linter.checks.ci_runs import runs_of
from linter.checks.ci_wording import listed, nothing_fail, only_late_fail, per_change_pass, where
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import ci, gitops, precommit
from linter.detectors.ci.tables import IAC_POLICY, PRE_COMMIT_RUN
from linter.results import Evidence, Finding, not_applicable, passed

#: pre-commit hook ids that run an IaC policy scanner.
POLICY_HOOKS = frozenset({"checkov", "checkov_diff", "terraform_checkov", "terraform_tfsec", "terraform_trivy",
                          "tfsec", "terrascan", "terraform_terrascan", "kics", "conftest", "cfn-nag", "kube-score",
                          "kube-linter", "trivy-config"})


def check(ctx: CheckContext) -> Finding:
    infra = ctx.facts(gitops.detect)
    summary, iac_evidence = owned_iac(infra, ctx)
    if not summary:
        return not_applicable("no infrastructure as code found (Terraform, CloudFormation/SAM, Kubernetes "
                              "manifests, Helm charts, Bicep, Pulumi, CDK); Dockerfiles alone do not count")
    facts = ctx.facts(ci.detect)
    hits = ctx.owned(runs_of(ctx, facts, IAC_POLICY), "hit.path")
    per_change = [h for h in hits if h.job.per_change]
    if per_change:
        finding = per_change_pass("IaC policy scanning", per_change)
        return passed(f"{finding.message}; infrastructure code: {summary}", list(finding.evidence))
    hooks = [h for h in ctx.facts(precommit.detect).hooks if h.id in POLICY_HOOKS and not h.manual_only]
    runs = [h for h in runs_of(ctx, facts, PRE_COMMIT_RUN) if h.job.per_change]
    if hooks and runs:
        described = listed([f"{h.id} ({h.path}:{h.line})" for h in hooks])
        return passed(f"IaC policy scanning runs as pre-commit hooks ({described}) that CI runs on every change "
                      f"({where(runs[0])}); infrastructure code: {summary}",
                      [Evidence(h.path, h.line, f"pre-commit hook {h.id}") for h in hooks])
    unread = could_not_read(ctx, facts.unusable, f"no IaC policy check that runs on every change (infrastructure "
                                                 f"code: {summary})")
    if unread is not None:  # the policy check may be in the file that could not be used
        return unread
    if hits:
        return only_late_fail("infrastructure code is not policy-checked on changes", hits,
                              f"a misconfiguration is found only after it merged (infrastructure code: {summary})")
    missing = "no IaC policy scanner (checkov, trivy config, tfsec, KICS, conftest, terrascan, cfn_nag...)"
    finding = nothing_fail(f"infrastructure code ({summary}) is not checked against policy in CI", facts, missing)
    note = (f"; pre-commit hooks {', '.join(sorted({h.id for h in hooks}))} exist but nothing runs pre-commit in CI"
            if hooks else "")
    return type(finding)(finding.status, finding.message + note,
                         tuple(sorted(set(finding.evidence) | set(iac_evidence))))


RULE = RuleCheck(
    id="SEC005",
)
