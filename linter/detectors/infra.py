"""Infrastructure as code, in one set of facts: Kubernetes, Terraform, CloudFormation, Compose.

Each format has its own reader (``infra_k8s``, ``infra_terraform``, ``infra_cloudformation``,
``infra_compose``), run once per run through ``ws.facts``; this module merges their common
facts (``infra_common``) so a rule asks one question ("which databases are not multi-zone?")
whatever the format.
"""

from __future__ import annotations

from linter.fast_dataclass import dataclass

from linter.detectors import infra_cloudformation, infra_compose, infra_k8s, infra_terraform
from linter.detectors.infra_common import (
    Database, DataUse, DeployUnit, InstanceGroup, ScalingSetting, SelfRunDatastore, TaggedResource,
)
from linter.repo.workspace import Workspace


@dataclass(frozen=True)
class InfraFacts:
    k8s: infra_k8s.K8sFacts
    terraform: infra_terraform.TerraformFacts
    cloudformation: infra_cloudformation.CloudFormationFacts
    compose: infra_compose.ComposeFacts
    tagged: tuple[TaggedResource, ...]
    databases: tuple[Database, ...]
    instance_groups: tuple[InstanceGroup, ...]
    scaling: tuple[ScalingSetting, ...]
    deploy_units: tuple[DeployUnit, ...]
    self_run: tuple[SelfRunDatastore, ...]
    data_uses: tuple[DataUse, ...]

    @property
    def has_iac(self) -> bool:
        """Terraform, CloudFormation or Kubernetes manifests exist (Compose alone is not IaC)."""
        return bool(self.terraform.files or self.cloudformation.files or self.k8s.manifests)

    @property
    def iac_unusable(self) -> tuple[str, ...]:
        """Kubernetes, Terraform and CloudFormation files that could not be read or parsed:
        what they declare is unknown, so a rule that finds nothing must not call itself not
        applicable (``linter.checks.unreadable``)."""
        return tuple(sorted({*self.k8s.unusable, *self.terraform.unusable, *self.cloudformation.unusable}))

    @property
    def unusable(self) -> tuple[str, ...]:
        """``iac_unusable`` and the Compose files that could not be read or parsed."""
        return tuple(sorted({*self.iac_unusable, *self.compose.unusable}))

    def sources_read(self) -> str:
        parts = []
        for label, files in (("Kubernetes", self.k8s.manifests), ("Terraform", self.terraform.files),
                             ("CloudFormation", self.cloudformation.files), ("Compose", self.compose.files)):
            if files:
                parts.append(f"{label} ({len(files)} file{'s' if len(files) != 1 else ''})")
        return ", ".join(parts) if parts else "none"


def _k8s_tagged(k8s: infra_k8s.K8sFacts) -> list[TaggedResource]:
    """Workloads with their own, their Namespace's and their kustomization's label keys."""
    namespace_keys = {name: set(keys) for _, _, name, keys in k8s.namespaces}
    found: list[TaggedResource] = []
    for workload in k8s.workloads:
        keys = set(workload.label_keys) | namespace_keys.get(workload.namespace, set())
        for labels in k8s.kustomize_labels:
            if labels.directory == "." or workload.path.startswith(labels.directory + "/"):
                keys |= set(labels.keys)
        found.append(TaggedResource(workload.path, workload.line, "kubernetes", workload.kind, workload.name,
                                    tuple(sorted(keys))))
    return found


def _k8s_self_run(k8s: infra_k8s.K8sFacts) -> list[SelfRunDatastore]:
    found = [SelfRunDatastore(o.path, o.line, "kubernetes", o.kind, o.name, o.engine,
                              f"{o.kind} custom resource runs {o.engine} in the cluster")
             for o in k8s.operator_datastores]
    for workload in k8s.workloads:
        if workload.kind in ("Job", "CronJob", "Pod"):
            continue
        for container in workload.containers:
            if container.engine:
                found.append(SelfRunDatastore(workload.path, container.line, "kubernetes", workload.kind,
                                              workload.name, container.engine, f"image {container.image}"))
    return found


def _k8s_scaling(k8s: infra_k8s.K8sFacts) -> list[ScalingSetting]:
    return [ScalingSetting(a.path, a.line, "kubernetes", a.kind, a.name, a.target_name,
                           f"minimum {a.min_replicas if a.min_replicas is not None else 'not literal'}, "
                           f"maximum {a.max_replicas if a.max_replicas is not None else 'not set'}")
            for a in k8s.autoscalers]


def detect(ws: Workspace) -> InfraFacts:
    k8s = ws.facts(infra_k8s.detect)
    tf = ws.facts(infra_terraform.detect)
    cfn = ws.facts(infra_cloudformation.detect)
    compose = ws.facts(infra_compose.detect)
    compose_self_run = [SelfRunDatastore(s.path, s.line, "compose", "service", s.name, s.engine,
                                         f"image {s.image}; {s.production_reason}")
                        for s in compose.services if s.engine and s.production]
    deploy = [DeployUnit(w.path, w.line, "kubernetes", w.kind, w.name) for w in k8s.workloads
              if w.kind not in ("Job", "CronJob", "Pod") and not w.engines]
    return InfraFacts(
        k8s=k8s, terraform=tf, cloudformation=cfn, compose=compose,
        tagged=tuple(sorted([*tf.tagged, *cfn.tagged, *_k8s_tagged(k8s)])),
        databases=tuple(sorted([*tf.databases, *cfn.databases])),
        instance_groups=tuple(sorted([*tf.instance_groups, *cfn.instance_groups])),
        scaling=tuple(sorted([*tf.scaling, *cfn.scaling, *_k8s_scaling(k8s)])),
        deploy_units=tuple(sorted([*tf.deploy_units, *cfn.deploy_units, *deploy])),
        self_run=tuple(sorted([*tf.self_run, *cfn.self_run, *_k8s_self_run(k8s), *compose_self_run])),
        data_uses=tuple(sorted(set([*k8s.data_uses, *compose.data_uses]))),
    )
