"""Chaos experiments as code: real shapes recognised, look-alikes and comments ignored."""

from __future__ import annotations

import json

from linter.detectors import chaos
from linter.repo.workspace import Workspace

CHAOS_TOOLKIT = {
    "title": "Checkout survives losing one pod",
    "description": "Kill a pod and check the SLO holds",
    "steady-state-hypothesis": {"title": "Checkout answers", "probes": [
        {"type": "probe", "name": "health", "tolerance": 200,
         "provider": {"type": "http", "url": "http://checkout/health"}}]},
    "method": [{"type": "action", "name": "kill-pod",
                "provider": {"type": "python", "module": "chaosk8s.pod.actions", "func": "terminate_pods"}}],
}
LITMUS = """\
apiVersion: litmuschaos.io/v1alpha1
kind: ChaosEngine
metadata:
  name: checkout-pod-delete
spec:
  engineState: active
  experiments:
    - name: pod-delete
---
apiVersion: litmuschaos.io/v1alpha1
kind: ChaosResult
metadata:
  name: checkout-pod-delete-result
"""
CHAOS_MESH = """\
apiVersion: chaos-mesh.org/v1alpha1
kind: Schedule
metadata:
  name: weekly-network-delay
spec:
  schedule: "0 10 * * 2"
  type: NetworkChaos
  networkChaos:
    action: delay
    delay: {latency: 200ms}
"""
ARGO = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: litmus-flow
spec:
  templates:
    - name: run
      inputs:
        artifacts:
          - name: engine
            raw:
              data: |
                apiVersion: litmuschaos.io/v1alpha1
                kind: ChaosEngine
"""
CFN = """\
Resources:
  StopAzTemplate:
    Type: AWS::FIS::ExperimentTemplate
    Properties:
      Description: stop instances in one AZ
  Bucket:
    Type: AWS::S3::Bucket
"""
TF = """\
# resource "aws_fis_experiment_template" "commented" {}
resource "aws_fis_experiment_template" "az_outage" {
  description = "lose one zone"
  role_arn    = aws_iam_role.fis.arn
}
"""


def test_every_tool_is_recognised_with_its_line(make_repo) -> None:
    root = make_repo({
        "chaos/pod-kill.json": json.dumps(CHAOS_TOOLKIT, indent=2),
        "chaos/pod-kill.yaml": "title: t\nmethod:\n  - type: action\n    name: a\n",
        "k8s/litmus.yaml": LITMUS, "k8s/mesh.yaml": CHAOS_MESH, "k8s/argo.yaml": ARGO,
        "cfn/fis.yaml": CFN, "infra/fis.tf": TF,
    })
    found = {(e.path, e.line, e.tool, e.name) for e in chaos.detect(Workspace(root)).experiments}
    assert found == {
        ("chaos/pod-kill.json", 18, "Chaos Toolkit experiment", "Checkout survives losing one pod"),
        ("chaos/pod-kill.yaml", 1, "Chaos Toolkit experiment", "t"),
        ("k8s/litmus.yaml", 1, "LitmusChaos ChaosEngine", "checkout-pod-delete"),
        ("k8s/mesh.yaml", 1, "Chaos Mesh Schedule", "weekly-network-delay"),
        ("k8s/argo.yaml", 1, "LitmusChaos workflow (Workflow)", "litmus-flow"),
        ("cfn/fis.yaml", 2, "AWS FIS experiment template", "StopAzTemplate"),
        ("infra/fis.tf", 2, "AWS FIS experiment template", "az_outage"),
    }


def test_json_line_points_at_the_method_key(make_repo) -> None:
    root = make_repo({"x.json": json.dumps(CHAOS_TOOLKIT, indent=2)})
    [experiment] = chaos.detect(Workspace(root)).experiments
    assert '"method"' in (root / "x.json").read_text().splitlines()[experiment.line - 1]


def test_near_misses_and_hostile_input(make_repo) -> None:
    root = make_repo({
        "a.yaml": "# apiVersion: chaos-mesh.org/v1alpha1\n# kind: PodChaos\nkey: value\n",
        "b.yaml": "method: GET\ntitle: not an experiment\n",
        "c.yaml": "method:\n  - just a string\ntitle: x\n",
        "d.yaml": "apiVersion: chaos-mesh.org/v1alpha1\nkind: PodNetworkChaos\n",
        "e.yaml": "apiVersion: [litmuschaos.io/v1alpha1]\nkind: {a: 1}\n",
        "f.yaml": "method: [\n",
        "g.json": '{"method": [{"type": "action"}]',
        "h.json": '["method", "steady-state-hypothesis"]',
        "i.tf": 'resource "aws_fis_experiment_template" {\n',
        "j.yaml": "- Resources: [AWS::FIS::ExperimentTemplate]\n",
        "k.yaml": b"\x00method",
    })
    assert chaos.detect(Workspace(root)).experiments == ()


def test_yaml_is_parsed_only_when_a_method_key_can_hold_an_experiment(make_repo, monkeypatch) -> None:
    """The word "method" in a description does not make a manifest worth parsing; a ``method``
    key in block or flow style does."""
    root = make_repo({
        "crd.yaml": ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n"
                     "  description: the sync method used by the controller\n"),
        "block.yaml": "title: t\nmethod:\n  - type: probe\n    name: p\n",
        "flow.yaml": '{"title": "t", "method": [{"type": "action", "name": "a"}]}\n',
        "indented.yaml": "experiment:\n  method: ignored\n",
        "route.yaml": "kind: VirtualService\nspec:\n  http:\n    - match:\n        - method:\n            exact: GET\n",
    })
    ws = Workspace(root)
    parsed: list[str] = []
    real = ws.read_yaml
    monkeypatch.setattr(ws, "read_yaml", lambda path: parsed.append(path) or real(path))
    facts = chaos.detect(ws)
    assert sorted(e.path for e in facts.experiments) == ["block.yaml", "flow.yaml"]
    assert "crd.yaml" not in parsed and "route.yaml" not in parsed and "indented.yaml" not in parsed


def test_experiments_in_documentation_and_crds_are_not_experiments(make_repo) -> None:
    """A chaos tool's docs hold hundreds of example manifests, and its CRDs and RBAC rules name
    the API group: none is an experiment the team runs (nor worth parsing)."""
    engine = ("apiVersion: litmuschaos.io/v1alpha1\nkind: ChaosEngine\nmetadata: {name: nginx-chaos}\n"
              "spec:\n  experiments:\n    - name: pod-delete\n")
    crd = ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
           "  name: chaosengines.litmuschaos.io\nspec:\n  group: litmuschaos.io\n")
    role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nrules:\n- apiGroups: [litmuschaos.io]\n  verbs: [get]\n"
    root = make_repo({"chaos/engine.yaml": engine, "docs/examples/engine.yaml": engine,
                      "mkdocs/docs/3.0/engine.yaml": engine, "deploy/crds.yaml": crd, "deploy/role.yaml": role})
    ws = Workspace(root)
    experiments = ws.facts(chaos.detect).experiments
    assert [(e.path, e.tool) for e in experiments] == [("chaos/engine.yaml", "LitmusChaos ChaosEngine")]
    assert "deploy/crds.yaml" not in ws.reader._yaml and "deploy/role.yaml" not in ws.reader._yaml  # never parsed
