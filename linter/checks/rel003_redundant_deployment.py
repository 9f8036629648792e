"""REL003 redundant-deployment: the service runs several copies across failure domains.

Judged, for the scope's own deploy configuration: Kubernetes Deployments, StatefulSets,
ReplicaSets and Argo Rollouts (the copies are the HPA's ``minReplicas`` or KEDA's
``minReplicaCount`` when an autoscaler targets the workload, else ``spec.replicas``, default
1) with a zone-level ``topologySpreadConstraints`` or ``podAntiAffinity`` term; managed
databases with Multi-AZ/regional availability; auto-scaling groups over two or more zones
or subnets with ``min_size`` of two or more; ECS services whose ``desired_count`` (or the
``min_capacity`` of the Application Auto Scaling target that scales them) of two or more tasks
is spread over two or more subnets (the scheduler balances a service's tasks across its zones). Spreading on ``kubernetes.io/hostname`` only
survives a lost node, not a lost zone: it is accepted (and said so) unless the
``require_zone_spread`` option is true. DaemonSets, Jobs and Compose files are not judged:
they are node agents, batch work and local development respectively.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.rule import RuleCheck
from linter.checks.unreadable import could_not_read
from linter.detectors import infra
from linter.detectors.infra_k8s import REPLICATED_KINDS, Autoscaler, Workload
from linter.fast_dataclass import dataclass
from linter.results import Evidence, Finding, failed, not_applicable, passed

MAX_NAMED = 6
#: What an instance group's copies are called where it is not an auto-scaling group's min_size.
COPIES = {"aws_ecs_service": "desired_count"}


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(infra.detect)
    require_zone = ctx.options.require_zone_spread
    good: list[Evidence] = []
    bad: list[Evidence] = []
    unknown: list[Evidence] = []
    for workload in ctx.owned(facts.k8s.workloads, "path", "service"):
        if workload.kind in REPLICATED_KINDS:
            verdict, evidence = _judge_workload(workload, _autoscaler_for(workload, facts.k8s.autoscalers),
                                                require_zone)
            (good if verdict else bad).append(evidence)
    for db in ctx.owned(facts.databases):
        evidence = Evidence(db.path, db.line, f"{db.kind} {db.name}: {db.detail}")
        {True: good, False: bad, None: unknown}[db.multi_zone].append(evidence)
    for group in ctx.owned(facts.instance_groups):
        _judge_group(group, good, bad, unknown)
    if not (good or bad or unknown):
        unread = could_not_read(ctx, facts.iac_unusable, f"no deploy configuration for {ctx.scope.name}")
        if unread is not None:
            return unread
        return not_applicable(
            f"no deploy configuration found for {ctx.scope.name}: looked for Kubernetes workloads, "
            "Terraform/CloudFormation databases and auto-scaling groups")
    if bad:
        return failed(_describe("not redundant across failure domains", bad) + _also(good, unknown), bad + unknown)
    if not good:
        return failed(_describe("redundancy could not be confirmed (values come from expressions)", unknown),
                      unknown)
    return passed(_describe("runs redundantly", good) + _also([], unknown), good + unknown)


def _autoscaler_for(workload: Workload, autoscalers: tuple[Autoscaler, ...]) -> Autoscaler | None:
    for scaler in autoscalers:
        if scaler.target_name == workload.name and scaler.target_kind == workload.kind \
                and (scaler.namespace or "default") == (workload.namespace or "default"):
            return scaler
    return None


def _judge_workload(workload: Workload, scaler: Autoscaler | None, require_zone: bool) -> tuple[bool, Evidence]:
    label = f"{workload.kind} {workload.name}"
    if scaler is not None:
        copies, path, line = scaler.min_replicas, scaler.path, scaler.min_line
        source = f"{scaler.kind} {scaler.name} minimum {copies if copies is not None else '(not a literal)'}"
    else:
        copies, path, line = workload.replicas, workload.path, workload.replicas_line
        source = (f"replicas: {copies}" if workload.replicas_declared and copies is not None
                  else "replicas is not a literal number" if workload.replicas_declared
                  else "replicas not set (defaults to 1)")
    if copies is None or copies < 2:
        return False, Evidence(path, line, f"{label} has {source}, a single copy")
    if workload.zone_spread_line:
        return True, Evidence(workload.path, workload.zone_spread_line,
                              f"{label}: {source}, spread across zones")
    if workload.host_spread_line and not require_zone:
        return True, Evidence(workload.path, workload.host_spread_line,
                              f"{label}: {source}, spread across hosts (not zones: a zone outage can still "
                              "take every copy)")
    missing = "no zone-level topologySpreadConstraints or podAntiAffinity" if workload.host_spread_line \
        else "no zone spread or pod anti-affinity"
    return False, Evidence(workload.path, workload.line, f"{label}: {source} but {missing}")


def _judge_group(group: infra.InstanceGroup, good: list[Evidence], bad: list[Evidence],
                 unknown: list[Evidence]) -> None:
    label = f"{group.kind} {group.name}"
    copies = COPIES.get(group.kind, "min_size")
    if group.zones is not None and group.zones < 2:
        bad.append(Evidence(group.path, group.line, f"{label}: {group.detail}, a single zone or subnet"))
    elif group.min_size is not None and group.min_size < 2:
        bad.append(Evidence(group.path, group.line, f"{label}: {copies} {group.min_size} ({group.detail})"))
    elif group.zones is None or group.min_size is None:
        unknown.append(Evidence(group.path, group.line, f"{label}: {group.detail}; {copies.replace('_', ' ')} "
                                f"{group.min_size if group.min_size is not None else 'not a literal'}"))
    else:
        good.append(Evidence(group.path, group.line, f"{label}: {group.detail}, {copies.replace('_', ' ')} "
                                                     f"{group.min_size}"))


def _describe(verdict: str, evidence: list[Evidence]) -> str:
    named = "; ".join(f"{e.detail} ({e.location()})" for e in sorted(evidence)[:MAX_NAMED])
    if len(evidence) > MAX_NAMED:
        named += f"; and {len(evidence) - MAX_NAMED} more"
    return f"{verdict}: {named}"


def _also(good: list[Evidence], unknown: list[Evidence]) -> str:
    extra = ""
    if good:
        extra += f". {len(good)} other item{'s' if len(good) != 1 else ''} already redundant"
    if unknown:
        extra += f". Not confirmed: {'; '.join(e.detail for e in sorted(unknown)[:MAX_NAMED])}"
    return extra


@dataclass(frozen=True)
class Options:
    """REL003's options; their defaults and limits are in ``rules/REL003.yaml``."""

    require_zone_spread: bool


RULE = RuleCheck(
    id="REL003",
    options=Options,
)
