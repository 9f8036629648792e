"""COST002: the cost of infrastructure is watched, not discovered on the invoice.

Applies when the repository holds infrastructure as code. Passes on any of:

* Infracost in CI (``infracost breakdown|diff|comment|upload`` in any job, the comment
  action or pipe): cost changes are shown before or after merge, so any trigger counts;
* budgets or anomaly alerts declared as code (Terraform ``aws_budgets_budget``,
  ``google_billing_budget``, ``azurerm_consumption_budget_*``, ``aws_ce_anomaly_*``;
  CloudFormation ``AWS::Budgets::Budget``, ``AWS::CE::Anomaly*``);
* Kubecost or OpenCost installed from the repository (Argo CD, Flux, chart dependency,
  ``helm_release``): they attribute cluster spend to workloads.
"""

from __future__ import annotations

from linter.checks.attribution import owned_iac
from linter.checks.base import CheckContext
from linter.checks.ci_runs import runs_of
from linter.checks.ci_wording import listed, where
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import ci, gitops
from linter.detectors.ci.tables import COST
from linter.results import Evidence, Finding, failed, not_applicable, passed


def check(ctx: CheckContext) -> Finding:
    infra = ctx.facts(gitops.detect)
    summary, iac_evidence = owned_iac(infra, ctx)
    if not summary:
        return not_applicable("no infrastructure as code found, so there is no declared spend to watch")
    pipelines = ctx.facts(ci.detect)
    hits = ctx.owned(runs_of(ctx, pipelines, COST), "hit.path")
    budgets = ctx.owned(infra.budgets)
    found = [f"Infracost in CI ({where(h)}: {h.hit.detail})" for h in hits]
    found += [f"{b.detail} ({b.path}:{b.line})" for b in budgets]
    if found:
        evidence = [Evidence(h.hit.path, h.hit.line, f"Infracost: {h.hit.detail}") for h in hits]
        evidence += [Evidence(b.path, b.line, b.detail) for b in budgets]
        return passed(f"cost is watched: {listed(found)}", evidence)
    unread = could_not_read(ctx, pipelines.unusable, "no cost visibility")
    if unread is not None:  # an Infracost step may be in the CI file that could not be used
        return unread
    return failed(
        f"infrastructure code ({summary}) has no cost visibility: no Infracost step in CI, no budget or cost "
        "anomaly resource (aws_budgets_budget, google_billing_budget, azurerm_consumption_budget_*, "
        "AWS::Budgets::Budget) and no Kubecost/OpenCost installation",
        iac_evidence,
    )


RULE = RuleCheck(
    id="COST002",
)
