"""ARCH004 managed-services-first: no self-run databases, queues or caches in production.

Flagged: Kubernetes workloads (except Jobs) running a datastore image, operator custom
resources that run one (CloudNativePG, Strimzi, RabbitmqCluster...), Terraform
``aws_instance``/``aws_launch_template``/``google_compute_instance``/
``azurerm_linux_virtual_machine`` and CloudFormation ``AWS::EC2::Instance`` whose start-up
script installs or ``docker run``s one, and Compose services in production-named files or
with Swarm deploy settings. Compose files for local development never count.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import infra
from linter.results import Evidence, Finding, failed, not_applicable, passed

MAX_NAMED = 8


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(infra.detect)
    production_compose = any(s.production for s in facts.compose.services)
    if not facts.has_iac and not production_compose:
        unread = could_not_read(ctx, facts.unusable, "no infrastructure as code or Kubernetes manifests")
        if unread is not None:
            return unread
        return not_applicable("no infrastructure as code or Kubernetes manifests found "
                              f"(read: {facts.sources_read()}; Compose files for local development do not count)")
    found = list(facts.self_run)
    if not found:
        return passed(f"no self-run database, queue or cache found in {facts.sources_read()}")
    named = "; ".join(f"{s.kind} {s.name} runs {s.engine} ({s.path}:{s.line}); consider {s.managed_alternative}"
                      for s in found[:MAX_NAMED])
    more = f"; and {len(found) - MAX_NAMED} more" if len(found) > MAX_NAMED else ""
    return failed(f"{len(found)} self-run datastore{'s' if len(found) != 1 else ''}: {named}{more}",
                  [Evidence(s.path, s.line, f"{s.kind} {s.name}: {s.detail}; managed alternative: "
                                            f"{s.managed_alternative}") for s in found])


RULE = RuleCheck(
    id="ARCH004",
)
