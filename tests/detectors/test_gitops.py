"""IaC presence, GitOps controllers and cost controls."""

from __future__ import annotations

from linter.detectors import gitops
from linter.repo.workspace import Workspace
from tests.helpers import cpu_seconds

ARGO = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: checkout
spec:
  source:
    repoURL: https://github.com/example/deploy
    path: checkout
  syncPolicy:
    automated:
      prune: true
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: manual
spec:
  syncPolicy:
    syncOptions: [CreateNamespace=true]
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: kubecost
spec:
  source:
    chart: cost-analyzer
  syncPolicy:
    automated: {}
"""
FLUX = """\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
spec:
  interval: 10m
  suspend: true
"""


def test_gitops_apps_and_cost_tools(make_repo) -> None:
    facts = Workspace(make_repo({"deploy/argo.yaml": ARGO, "clusters/flux.yaml": FLUX})).facts(gitops.detect)
    apps = {a.name: a for a in facts.gitops}
    assert apps["checkout"].automated and apps["checkout"].line == 10
    assert not apps["manual"].automated
    assert apps["kubecost"].automated
    assert not apps["apps"].automated and "suspend" in apps["apps"].detail
    assert [b.detail for b in facts.budgets] == ["Kubecost installed by Argo CD Application kubecost"]


def test_iac_kinds_and_budgets(make_repo) -> None:
    root = make_repo({
        "infra/main.tf": 'resource "aws_budgets_budget" "m" {\n  budget_type = "COST"\n}\n'
                         '# resource "google_billing_budget" "x" {}\n',
        "cfn/template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Budget:\n"
                             "    Type: AWS::Budgets::Budget\n",
        "k8s/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n",
        "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
        "chart/templates/deploy.yaml": "apiVersion: apps/v1\nkind: {{ .Values.kind }}\n",
        "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\n",
        "Dockerfile": "FROM python:3.12\n",
    })
    facts = Workspace(root).facts(gitops.detect)
    assert facts.iac_kinds() == {"cloudformation": ["cfn/template.yaml"], "helm": ["chart/Chart.yaml"],
                                 "kubernetes": ["k8s/deploy.yaml"], "terraform": ["infra/main.tf"]}
    assert [(b.path, b.line, b.detail) for b in facts.budgets] == [
        ("cfn/template.yaml", 3, "AWS budget Budget"), ("infra/main.tf", 1, "AWS budget m")]


def test_hostile_yaml_survives(make_repo) -> None:
    root = make_repo({"a.yaml": "apiVersion: [1]\nkind: {x: 1}\n", "b.yaml": "- 1\n", "c.yaml": ": :\n",
                      "d.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec: [1, 2]\n",
                      "e.yaml": "AWSTemplateFormatVersion: 1\nResources: [1]\n"})
    facts = Workspace(root).facts(gitops.detect)
    assert [a.automated for a in facts.gitops] == [False]


HELM_RELEASES = '''\
resource "helm_release" "direct" {
  name  = "opencost"
  chart = "opencost"
}
resource "helm_release" "umbrella_list" {
  name  = "k8s-monitoring"
  chart = "k8s-monitoring"
  set = [
    {
      name  = "cluster.name"
      value = var.cluster_name
    },
    {
      name  = "opencost.opencost.exporter.defaultClusterId"
      value = var.cluster_name
    }
  ]
}
resource "helm_release" "umbrella_blocks" {
  name  = "monitoring"
  chart = "k8s-monitoring"
  set {
    name  = "clusterMetrics.opencost.enabled"
    value = "true"
  }
}
'''

HELM_NEAR_MISSES = '''\
resource "helm_release" "switched_off" {
  chart = "k8s-monitoring"
  set {
    name  = "opencost.opencost.exporter.defaultClusterId"
    value = "prod"
  }
  set {
    name  = "opencost.enabled"
    value = "false"
  }
}
resource "helm_release" "lookalike" {
  chart = "kube-prometheus-stack"
  set = [{ name = "prometheus.opencost-job.enabled", value = "true" }]
}
resource "helm_release" "no_values" {
  chart = "ingress-nginx"
}
# resource "helm_release" "commented" { set = [{ name = "opencost.enabled", value = "true" }] }
'''


def test_cost_tools_installed_by_helm_release_directly_or_as_a_subchart(make_repo) -> None:
    facts = Workspace(make_repo({"infra/helm.tf": HELM_RELEASES})).facts(gitops.detect)
    assert [b.detail for b in facts.budgets] == [
        "OpenCost installed by helm_release direct",
        "OpenCost configured as a subchart by helm_release umbrella_list",
        "OpenCost configured as a subchart by helm_release umbrella_blocks",
    ]


def test_subchart_near_misses_are_not_cost_tools(make_repo) -> None:
    """Switched off by ``opencost.enabled = false``, a segment that only contains the name, no
    values at all, and a comment: none installs OpenCost."""
    facts = Workspace(make_repo({"infra/helm.tf": HELM_NEAR_MISSES})).facts(gitops.detect)
    assert facts.budgets == ()


def test_thousands_of_set_entries_are_bounded(make_repo) -> None:
    entries = ",\n".join(f'{{ name = "x{i}.y", value = "{i}" }}' for i in range(5_000))
    late = '{ name = "opencost.enabled", value = "true" }'
    text = f'resource "helm_release" "big" {{\n  chart = "umbrella"\n  set = [\n{entries},\n{late}\n  ]\n}}\n'
    start = cpu_seconds()
    facts = Workspace(make_repo({"infra/big.tf": text})).facts(gitops.detect)
    assert cpu_seconds() - start < 10.0
    assert facts.budgets == ()  # the entry past the bound is not read
