"""Infrastructure as code in the repository, GitOps controllers, budgets and cost tools.

A deliberately small reader (a fuller IaC model is being written elsewhere) answering three
questions for the pipeline rules:

* Is there infrastructure as code? Terraform (``*.tf``, ``*.tf.json``), CloudFormation/SAM
  templates (``AWSTemplateFormatVersion`` or ``Resources`` typed ``AWS::...``), Kubernetes
  manifests (workload/network/config kinds of core API groups, ``kustomization.yaml``), Helm
  charts (``Chart.yaml``), Bicep, Pulumi and CDK projects. A Dockerfile alone is not IaC:
  it builds an image, it does not declare where it runs.
* Do merges reach an environment by themselves? Argo CD ``Application``/``ApplicationSet``
  with ``syncPolicy.automated``; Flux ``Kustomization``/``HelmRelease`` (reconciled on an
  interval unless ``spec.suspend: true``) and ``ImageUpdateAutomation``.
* Is spend watched? Terraform ``aws_budgets_budget``, ``google_billing_budget``,
  ``azurerm_consumption_budget_*``, AWS Cost Anomaly Detection; CloudFormation
  ``AWS::Budgets::Budget`` / ``AWS::CE::AnomalyMonitor``; Kubecost (``cost-analyzer`` chart)
  or OpenCost installed through Argo CD, Flux, a chart dependency or ``helm_release`` (also as
  the subchart of an umbrella chart whose release sets its values).
"""

from __future__ import annotations

from typing import Any

from linter.detectors.chaos import terraform_resources
from linter.detectors.ci.model import as_dict, as_list, text_of
from linter.detectors import hcl
from linter.detectors.infra_k8s import outside_ci_configuration
from linter.fast_dataclass import dataclass
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace
from linter.repo.folders import outside_docs_and_tests
from linter.repo.yamlio import line_of

MAX_FILES = 5_000
#: YAML and JSON: each file is read once for every detector and only parsed when it has the
#: detector's marker, so the cap only guards against pathological trees.
MAX_YAML_FILES = 100_000
K8S_KINDS = frozenset({
    "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Job", "CronJob", "Service", "Ingress",
    "ConfigMap", "Secret", "Namespace", "PersistentVolumeClaim", "HorizontalPodAutoscaler", "NetworkPolicy",
    "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "PodDisruptionBudget",
})
TF_BUDGETS = {
    "aws_budgets_budget": "AWS budget", "google_billing_budget": "Google Cloud billing budget",
    "azurerm_consumption_budget_subscription": "Azure consumption budget",
    "azurerm_consumption_budget_resource_group": "Azure consumption budget",
    "azurerm_consumption_budget_management_group": "Azure consumption budget",
    "aws_ce_anomaly_monitor": "AWS cost anomaly monitor", "aws_ce_anomaly_subscription": "AWS cost anomaly alert",
}
CFN_BUDGETS = {"aws::budgets::budget": "AWS budget", "aws::ce::anomalymonitor": "AWS cost anomaly monitor",
               "aws::ce::anomalysubscription": "AWS cost anomaly alert"}
COST_CHARTS = {"cost-analyzer": "Kubecost", "kubecost": "Kubecost", "opencost": "OpenCost"}
OTHER_IAC = {"Pulumi.yaml": "Pulumi", "Pulumi.yml": "Pulumi", "cdk.json": "AWS CDK", "cdktf.json": "CDK for Terraform"}


@dataclass(frozen=True, order=True)
class IacFile:
    path: str
    kind: str  # terraform | cloudformation | kubernetes | helm | bicep | pulumi | ...


@dataclass(frozen=True, order=True)
class GitOpsApp:
    """An Argo CD or Flux object that deploys what is merged, automatically or not."""

    path: str
    line: int
    tool: str
    kind: str
    name: str
    automated: bool
    detail: str


@dataclass(frozen=True, order=True)
class CostControl:
    path: str
    line: int
    detail: str


@dataclass(frozen=True)
class InfraFacts:
    iac: tuple[IacFile, ...] = ()
    gitops: tuple[GitOpsApp, ...] = ()
    budgets: tuple[CostControl, ...] = ()

    def iac_kinds(self) -> dict[str, list[str]]:
        kinds: dict[str, list[str]] = {}
        for item in self.iac:
            kinds.setdefault(item.kind, []).append(item.path)
        return kinds


def detect(ws: Workspace) -> InfraFacts:
    iac: set[IacFile] = set()
    apps: list[GitOpsApp] = []
    budgets: list[CostControl] = []
    for path in ws.bounded(outside_docs_and_tests(hcl.terraform_files(ws)), MAX_FILES, "Terraform files"):
        iac.add(IacFile(path, "terraform"))
        for line, label, name, block in terraform_resources(ws, path, {**TF_BUDGETS, "helm_release": "helm"}):
            if label != "helm":
                budgets.append(CostControl(path, line, f"{label} {name}"))
            elif text_of(block.attributes.get("chart")).strip().lower() in COST_CHARTS:
                tool = COST_CHARTS[text_of(block.attributes.get("chart")).strip().lower()]
                budgets.append(CostControl(path, line, f"{tool} installed by helm_release {name}"))
            elif tool := _cost_subchart(block):
                budgets.append(CostControl(path, line, f"{tool} configured as a subchart by helm_release {name}"))
    for path in ws.bounded(outside_docs_and_tests(ws.with_suffix(".bicep")), MAX_FILES, "Bicep files"):
        iac.add(IacFile(path, "bicep"))
    for path in outside_docs_and_tests(ws.by_name(*OTHER_IAC)):
        iac.add(IacFile(path, OTHER_IAC[path.rsplit("/", 1)[-1]].lower().replace(" ", "-")))
    yaml_files = ws.bounded(outside_ci_configuration(outside_docs_and_tests(ws.yaml_files)), MAX_YAML_FILES,
                            "YAML files")
    for path, text in ws.passing(yaml_files, INFRA_YAML):
        try:
            _from_yaml(ws, path, text, iac, apps, budgets)
        except Exception as exc:  # noqa: BLE001 - a detector never raises
            ws.note(path, f"infrastructure file could not be read: {type(exc).__name__}")
    json_files = ws.bounded(outside_docs_and_tests(ws.with_suffix(".json")), MAX_YAML_FILES,
                            "JSON files for CloudFormation")
    for path, text in ws.passing(json_files, CLOUDFORMATION_JSON):
        _cloudformation_json(ws, path, text, iac, budgets)
    return InfraFacts(tuple(sorted(iac)), tuple(sorted(apps)), tuple(sorted(set(budgets))))


#: ``set`` entries read from one ``helm_release`` (hostile files may hold thousands)
MAX_HELM_SETS = 500


def _cost_subchart(block: hcl.Block) -> str | None:
    """OpenCost or Kubecost carried inside another chart that this ``helm_release`` configures.

    Umbrella charts (Grafana's k8s-monitoring, for one) ship OpenCost as a subchart. Helm keys a
    subchart's values by the subchart's name ("Subcharts and Global Values" in the Helm docs), so
    a release that sets a value under an ``opencost``/``kubecost``/``cost-analyzer`` path segment
    (``opencost.opencost.exporter.defaultClusterId``, ``clusterMetrics.opencost.enabled``) runs
    it, unless it also sets that segment's ``enabled`` to false. Both the provider's ``set { }``
    blocks and its newer ``set = [{ name, value }]`` list are read; values files are not.
    """
    entries: list[tuple[str, str]] = []
    for child in block.children("set")[:MAX_HELM_SETS]:
        entries.append((text_of(child.attributes.get("name")), text_of(child.attributes.get("value"))))
    raw = block.attributes.get("set")
    for item in (raw if isinstance(raw, list) else [])[:MAX_HELM_SETS]:
        if isinstance(item, dict):
            entries.append((text_of(item.get("name")), text_of(item.get("value"))))
    found: dict[str, bool] = {}
    for name, value in entries:
        segments = name.strip().lower().split(".")
        for index, segment in enumerate(segments):
            if segment in COST_CHARTS:
                tool = COST_CHARTS[segment]
                if segments[index + 1:] == ["enabled"] and value.strip().lower() in ("false", "0"):
                    found[tool] = False
                else:
                    found.setdefault(tool, True)
                break
    return next((tool for tool, on in sorted(found.items()) if on), None)


# --------------------------------------------------------------------------- YAML
#: YAML that may describe infrastructure (Kubernetes, CloudFormation, Kustomize).
INFRA_YAML = Prefilter("gitops-yaml", lambda text: any(m in text for m in (
    "apiVersion", "AWS", "Resources", "kind", "Kustomization", "resources")))
#: JSON that may be a CloudFormation template.
CLOUDFORMATION_JSON = Prefilter("gitops-cloudformation-json",
                            lambda text: "AWSTemplateFormatVersion" in text or '"AWS::' in text)


def _from_yaml(ws: Workspace, path: str, text: str, iac: set[IacFile], apps: list[GitOpsApp],
               budgets: list[CostControl]) -> None:
    name = path.rsplit("/", 1)[-1]
    if "{{" in text and "/templates/" in "/" + path:
        return  # Helm templates are not YAML until rendered; their chart already counts
    parsed = ws.read_yaml(path)
    if parsed is None:
        return
    for doc in parsed.documents:
        data = doc.data
        if not isinstance(data, dict):
            continue
        if name in ("Chart.yaml", "Chart.yml") and "name" in data and "apiVersion" in data:
            iac.add(IacFile(path, "helm"))
            _chart_dependencies(path, data, budgets)
        elif name in ("kustomization.yaml", "kustomization.yml", "Kustomization") and (
                "resources" in data or "bases" in data or "helmCharts" in data):
            iac.add(IacFile(path, "kubernetes"))
        elif _is_cloudformation(data):
            iac.add(IacFile(path, "cloudformation"))
            _cfn_budgets(path, data, budgets)
        else:
            _kubernetes(path, doc.line, data, iac, apps, budgets)


def _is_cloudformation(data: dict[Any, Any]) -> bool:
    if "AWSTemplateFormatVersion" in data:
        return True
    transform = data.get("Transform")
    if isinstance(transform, str) and transform.startswith("AWS::Serverless"):
        return True
    resources = data.get("Resources")
    return isinstance(resources, dict) and any(
        text_of(as_dict(r).get("Type")).startswith(("AWS::", "Custom::")) for r in list(resources.values())[:50])


def _cfn_budgets(path: str, data: dict[Any, Any], budgets: list[CostControl]) -> None:
    resources = as_dict(data.get("Resources"))
    for logical, body in list(resources.items())[:5_000]:
        label = CFN_BUDGETS.get(text_of(as_dict(body).get("Type")).strip().lower())
        if label:
            budgets.append(CostControl(path, line_of(resources, logical, 0), f"{label} {logical}"))


def _chart_dependencies(path: str, data: dict[Any, Any], budgets: list[CostControl]) -> None:
    deps = data.get("dependencies")
    for index, dep in enumerate(as_list(deps)[:200]):
        chart = text_of(as_dict(dep).get("name")).strip().lower()
        if chart in COST_CHARTS:
            budgets.append(CostControl(path, line_of(deps, index, 0), f"{COST_CHARTS[chart]} chart dependency"))


def _kubernetes(path: str, line: int, data: dict[Any, Any], iac: set[IacFile], apps: list[GitOpsApp],
                budgets: list[CostControl]) -> None:
    api = text_of(data.get("apiVersion")).strip()
    kind = text_of(data.get("kind")).strip()
    if not api or not kind:
        return
    group = api.split("/", 1)[0] if "/" in api else ""
    if kind in K8S_KINDS and (not group or group.endswith(("k8s.io", "apps", "batch", "autoscaling", "policy"))
                              or group in ("apps", "batch", "autoscaling", "policy")):
        iac.add(IacFile(path, "kubernetes"))
        return
    name = text_of(as_dict(data.get("metadata")).get("name")).strip() or "(unnamed)"
    spec = as_dict(data.get("spec"))
    if group == "argoproj.io" and kind in ("Application", "ApplicationSet"):
        iac.add(IacFile(path, "kubernetes"))
        _argo(path, line, data, kind, name, spec, apps, budgets)
    elif group.endswith("toolkit.fluxcd.io") and kind in ("Kustomization", "HelmRelease", "ImageUpdateAutomation"):
        iac.add(IacFile(path, "kubernetes"))
        suspended = spec.get("suspend") is True
        detail = "suspended (spec.suspend: true)" if suspended else "reconciled automatically by Flux"
        apps.append(GitOpsApp(path, line, "Flux", kind, name, not suspended, detail))
        chart = text_of(as_dict(as_dict(spec.get("chart")).get("spec")).get("chart")).strip().lower()
        if kind == "HelmRelease" and chart in COST_CHARTS:
            budgets.append(CostControl(path, line, f"{COST_CHARTS[chart]} installed by HelmRelease {name}"))


def _argo(path: str, line: int, data: dict[Any, Any], kind: str, name: str, spec: dict[Any, Any],
          apps: list[GitOpsApp], budgets: list[CostControl]) -> None:
    app_spec = as_dict(as_dict(spec.get("template")).get("spec")) if kind == "ApplicationSet" else spec
    policy = as_dict(app_spec.get("syncPolicy"))
    automated = policy.get("automated")
    enabled = "automated" in policy and (automated is None or isinstance(automated, dict)) \
        and as_dict(automated).get("enabled") is not False
    detail = "syncPolicy.automated" if enabled else "no syncPolicy.automated: syncs only when someone clicks Sync"
    apps.append(GitOpsApp(path, line_of(policy, "automated", line) if enabled else line, "Argo CD", kind, name,
                          enabled, detail))
    sources = [as_dict(app_spec.get("source"))] + [as_dict(s) for s in as_list(app_spec.get("sources"))]
    for source in sources:
        chart = text_of(source.get("chart")).strip().lower()
        if chart in COST_CHARTS:
            budgets.append(CostControl(path, line, f"{COST_CHARTS[chart]} installed by Argo CD {kind} {name}"))


def _cloudformation_json(ws: Workspace, path: str, text: str, iac: set[IacFile], budgets: list[CostControl]) -> None:
    data = ws.read_json(path)
    if isinstance(data, dict) and _is_cloudformation(data):
        iac.add(IacFile(path, "cloudformation"))
        resources = as_dict(data.get("Resources"))
        for logical, body in list(resources.items())[:5_000]:
            label = CFN_BUDGETS.get(text_of(as_dict(body).get("Type")).strip().lower())
            if label:
                line = next((n for n, row in enumerate(text.splitlines(), 1) if f'"{logical}"' in row), 0)
                budgets.append(CostControl(path, line, f"{label} {logical}"))
