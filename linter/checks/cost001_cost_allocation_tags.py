"""COST001 cost-allocation-tags: infrastructure carries owner and cost tags.

Counted: cost-bearing, taggable resources in Terraform (AWS, Google, Azure; a resource also
counts whenever it has tags), CloudFormation/SAM resources, and Kubernetes workloads
(labels of the object, its pod template, its Namespace or its kustomization). ConfigMaps,
Secrets, RBAC objects, data sources and IAM attachments are not counted: they cost nothing
and often cannot be tagged. Keys match case- and punctuation-insensitively after any
``domain/`` or ``namespace:`` prefix, so ``CostCenter``, ``cost_center`` and
``acme.io/cost-center`` all satisfy ``cost-center``. Tags built from expressions the reader
cannot follow are reported as unverified, never as missing.
"""

from __future__ import annotations


from linter.checks.base import CheckContext
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import infra
from linter.detectors.infra_common import TaggedResource, normalise_tag_key
from linter.fast_dataclass import dataclass
from linter.results import Evidence, Finding, failed, not_applicable, passed

MAX_LISTED = 20


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(infra.detect)
    required = ctx.options.required_tags
    if not facts.has_iac or not facts.tagged:
        unread = could_not_read(ctx, facts.iac_unusable, "no taggable infrastructure")
        if unread is not None:
            return unread
        return not_applicable(f"no taggable infrastructure found (read: {facts.sources_read()})")
    wanted = {normalise_tag_key(k): k for k in required}
    missing: list[tuple[TaggedResource, list[str]]] = []
    unverified: list[TaggedResource] = []
    for resource in facts.tagged:
        lacking = [label for key, label in sorted(wanted.items()) if key not in resource.keys]
        if not lacking:
            continue
        (missing.append((resource, lacking)) if resource.resolved else unverified.append(resource))
    total = len(facts.tagged)
    keys = ", ".join(required)
    if missing:
        listed = [f"{_label(r)} ({r.path}:{r.line}) lacks {', '.join(lack)}" for r, lack in missing[:MAX_LISTED]]
        more = f"; and {len(missing) - MAX_LISTED} more" if len(missing) > MAX_LISTED else ""
        return failed(f"{len(missing)} of {total} taggable resources lack cost-allocation tags ({keys}): "
                      + "; ".join(listed) + more + _unverified(unverified),
                      [Evidence(r.path, r.line, f"{r.kind} {r.name}: missing {', '.join(lack)}")
                       for r, lack in missing[:MAX_LISTED]])
    message = f"all {total - len(unverified)} verifiable taggable resources carry {keys}"
    return passed(message + _unverified(unverified),
                  [Evidence(r.path, r.line, f"{r.kind} {r.name} tagged") for r in facts.tagged[:MAX_LISTED]])


def _unverified(resources: list[TaggedResource]) -> str:
    if not resources:
        return ""
    named = ", ".join(f"{_label(r)} ({r.path}:{r.line})" for r in resources[:5])
    more = f" and {len(resources) - 5} more" if len(resources) > 5 else ""
    return f". Tags built from expressions not followed, unverified: {named}{more}"


def _label(resource: TaggedResource) -> str:
    """Terraform addresses already name their type; other sources get ``Kind name``."""
    return resource.name if resource.source == "terraform" else f"{resource.kind} {resource.name}"


@dataclass(frozen=True)
class Options:
    """COST001's options; their defaults and limits are in ``rules/COST001.yaml``."""

    required_tags: list[str]


RULE = RuleCheck(
    id="COST001",
    options=Options,
)
