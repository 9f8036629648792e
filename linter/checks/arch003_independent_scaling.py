"""ARCH003 independent-scaling: the service has scaling settings of its own.

Scaling settings: Kubernetes HorizontalPodAutoscalers and KEDA ScaledObjects (attributed
through the workload they target), Lambda reserved or provisioned concurrency (Terraform
and CloudFormation/SAM), Application Auto Scaling targets, auto-scaling group min/max sizes,
Cloud Run scaling blocks and Azure autoscale settings. ``not_applicable`` when the scope has
no deploy configuration (workloads, functions, groups, container services) at all.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import infra
from linter.results import Evidence, Finding, failed, not_applicable, passed

MAX_NAMED = 6


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(infra.detect)
    units = ctx.owned(facts.deploy_units, "path", "name")
    scaling = ctx.owned(facts.scaling, "path", "target")
    if not units and not scaling:
        unread = could_not_read(ctx, facts.iac_unusable, f"no deploy configuration for {ctx.scope.name}")
        if unread is not None:
            return unread
        return not_applicable(f"no deploy configuration found for {ctx.scope.name} "
                              f"(read: {facts.sources_read()})")
    if scaling:
        scaled = {s.target for s in scaling}
        unscaled = [u for u in units if u.source == "kubernetes" and u.name not in scaled]
        named = "; ".join(f"{s.kind} {s.name} ({s.detail}, {s.path}:{s.line})" for s in scaling[:MAX_NAMED])
        extra = ""
        if unscaled:
            extra = ". Without an autoscaler: " + ", ".join(f"{u.kind} {u.name} ({u.path}:{u.line})"
                                                            for u in unscaled[:MAX_NAMED])
        return passed(f"own scaling settings: {named}{extra}",
                      [Evidence(s.path, s.line, f"{s.kind} {s.name}: {s.detail}") for s in scaling])
    named = ", ".join(f"{u.kind} {u.name} ({u.path}:{u.line})" for u in units[:MAX_NAMED])
    more = f" and {len(units) - MAX_NAMED} more" if len(units) > MAX_NAMED else ""
    return failed(f"deployed without scaling settings of its own: {named}{more}; looked for a "
                  "HorizontalPodAutoscaler or KEDA ScaledObject, Lambda reserved/provisioned concurrency, an "
                  "Application Auto Scaling target or auto-scaling group sizes",
                  [Evidence(u.path, u.line, f"{u.kind} {u.name} has no scaling settings") for u in units])


RULE = RuleCheck(
    id="ARCH003",
)
