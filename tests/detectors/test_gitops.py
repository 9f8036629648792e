"""IaC presence, GitOps controllers and cost controls."""

from __future__ import annotations

from linter.detectors import gitops
from linter.repo.workspace import Workspace

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
