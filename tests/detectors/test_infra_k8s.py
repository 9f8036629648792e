"""Kubernetes manifests: workloads, replicas, spread, autoscalers, labels and data use."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from linter.detectors import infra_k8s
from linter.repo.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "infra" / "k8s"


def _facts(tmp_path: Path, files: dict[str, str | bytes]) -> infra_k8s.K8sFacts:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text)
    return infra_k8s.detect(Workspace(tmp_path))


def test_fixture_bundle(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "checkout.yaml", tmp_path / "checkout.yaml")
    facts = infra_k8s.detect(Workspace(tmp_path))
    assert facts.manifests == ("checkout.yaml",)
    deployment, statefulset = facts.workloads
    assert (deployment.kind, deployment.name, deployment.namespace, deployment.service) == \
        ("Deployment", "checkout", "shop", "checkout")
    assert (deployment.replicas, deployment.replicas_line) == (2, 12)
    assert deployment.zone_spread_line == 0 and deployment.host_spread_line == 24
    assert {"owner", "costcenter"} <= set(deployment.label_keys)
    assert statefulset.kind == "StatefulSet" and statefulset.engines == ("redis",)  # exporter is not a datastore
    assert statefulset.replicas == 1 and not statefulset.replicas_declared
    hpa, scaled = facts.autoscalers
    assert (hpa.kind, hpa.target_name, hpa.min_replicas, hpa.max_replicas, hpa.min_line) == \
        ("HorizontalPodAutoscaler", "checkout", 3, 12, 51)
    assert (scaled.kind, scaled.target_kind, scaled.min_replicas, scaled.max_replicas) == \
        ("ScaledObject", "Deployment", 0, 30)
    assert facts.disruption_budgets == (("checkout.yaml", 54, "checkout"),)
    assert [(o.kind, o.engine) for o in facts.operator_datastores] == [("Cluster", "postgres")]
    uses = {(u.datastore, u.database, u.via) for u in facts.data_uses}
    assert uses == {("checkout-db", "checkout", "env DB_HOST"),
                    ("secret/payments-db", "", "env PAYMENTS_DSN from Secret payments-db")}


ZONE = '''\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: "{{ .Values.replicas }}"
  template:
    spec:
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}
      containers:
        - name: api
          image: api
          env:
            - {name: DATABASE_URL, value: "postgresql://u:p@db.prod.svc.cluster.local:5432/orders?sslmode=require"}
'''


def test_zone_spread_templated_replicas_and_url(tmp_path: Path) -> None:
    facts = _facts(tmp_path, {"deploy/api.yaml": ZONE})
    [workload] = facts.workloads
    assert workload.replicas is None and workload.replicas_declared and workload.zone_spread_line == 9
    [use] = facts.data_uses
    assert (use.datastore, use.database, use.line) == ("db", "orders", 14)


def test_comments_never_count(tmp_path: Path) -> None:
    text = ZONE.replace("      topologySpreadConstraints:", "      # topologySpreadConstraints:") \
        .replace("        - {maxSkew", "        # - {maxSkew")
    [workload] = _facts(tmp_path, {"api.yaml": text}).workloads
    assert workload.zone_spread_line == 0


def test_kustomize_labels_and_helm_templates(tmp_path: Path) -> None:
    facts = _facts(tmp_path, {
        "base/kustomization.yaml": "resources: [api.yaml]\ncommonLabels:\n  owner: team-a\n"
                                   "labels:\n  - pairs: {cost-center: cc-1}\n",
        "base/api.yaml": ZONE,
        "chart/Chart.yaml": "apiVersion: v2\nname: api\nversion: 1.0.0\n",
        "chart/templates/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\n{{- if .Values.x }}\n",
    })
    [labels] = facts.kustomize_labels
    assert (labels.directory, labels.keys) == ("base", ("costcenter", "owner"))
    assert [w.path for w in facts.workloads] == ["base/api.yaml"]


@pytest.mark.parametrize("text", [
    "", "apiVersion: v1\nkind: Deployment\nmetadata: []\n", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {}\nspec: 3\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: true, template: [1]}\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n"
    "      containers: [3, {image: 5, env: {a: b}}]\n      affinity: {podAntiAffinity: [1]}\n"
    "      topologySpreadConstraints: {a: b}\n",
    "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: x}\nspec: {scaleTargetRef: 4, minReplicas: x}\n",
    "apiVersion: v1\nkind: List\nitems: {a: 1}\n", "apiVersion: apps/v1\nkind: [Deployment]\n: : :\n",
    "kustomize: 1\n", "- a\n- b\n",
])
def test_hostile_manifests_never_raise(tmp_path: Path, text: str) -> None:
    _facts(tmp_path, {"x.yaml": text, "kustomization.yaml": "commonLabels: [1, 2]\nlabels: {a: b}\n",
                      "bin.yaml": b"apiVersion\x00kind"})


def test_backstage_and_openslo_documents_are_not_manifests(tmp_path: Path) -> None:
    facts = _facts(tmp_path, {"catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\n"
                                                   "metadata: {name: x}\nspec: {type: service}\n",
                              "slo.yaml": "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: x}\nspec: {}\n"})
    assert facts.manifests == ()


def test_monitoring_resources_alone_are_not_deploy_manifests(tmp_path: Path) -> None:
    facts = _facts(tmp_path, {"rules.yaml": "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n"
                                            "metadata: {name: x}\nspec: {groups: []}\n"})
    assert facts.manifests == ()


def test_manifests_under_documentation_and_test_folders_are_not_infrastructure(make_repo) -> None:
    from linter.detectors import infra
    from linter.repo.folders import outside_docs_and_tests

    deployment = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n"
                  "  template:\n    spec:\n      containers:\n        - name: web\n          image: web:1\n")
    root = make_repo({"docs/getting-started/deploy.yaml": deployment, "Documentation/k8s/web.yaml": deployment,
                      "website/docs/web.yaml": deployment, "deploy/web.yaml": deployment,
                      "docsite/web.yaml": deployment, "test/e2e/manifests/web.yaml": deployment,
                      "tests/cluster/web.yaml": deployment, "latest/web.yaml": deployment})
    facts = Workspace(root).facts(infra.detect)
    assert sorted({w.path for w in facts.k8s.workloads}) == ["deploy/web.yaml", "docsite/web.yaml", "latest/web.yaml"]
    assert outside_docs_and_tests(["doc/a.tf", "x/docs/y/b.tf", "docs.tf", "src/c.tf", "test/d.tf", "tests.tf"]) \
        == ["docs.tf", "src/c.tf", "tests.tf"]
    # an environment named "test" is real infrastructure; a module's own tests are not
    environments = ["envs/test/main.tf", "k8s/overlays/test/deploy.yaml", "live/test/db.tf",
                    "modules/vpc/test/fixture.tf", "test/envs/x.tf", "docs/envs/test/y.tf"]
    expected = ["envs/test/main.tf", "k8s/overlays/test/deploy.yaml", "live/test/db.tf"]
    assert outside_docs_and_tests(environments) == expected
    # answered per folder and remembered: asking again (other files, same folders) agrees
    assert outside_docs_and_tests([p.replace(".", "2.") for p in environments]) == [p.replace(".", "2.") for p in expected]


def test_manifests_in_ci_configuration_folders_are_not_infrastructure(make_repo) -> None:
    """A workflow that creates a kind cluster and applies ``.github/workflows/resources/*.yaml``
    tests the software; those manifests deploy nothing. The same manifest elsewhere counts."""
    from linter.checks.sec005_compliance_as_code import check as sec005
    from linter.detectors import infra
    from tests.helpers import make_context

    issuer = "apiVersion: v1\nkind: Service\nmetadata:\n  name: influxdb\nspec:\n  type: NodePort\n"
    root = make_repo({".github/workflows/resources/test-resources.yaml": issuer,
                      ".circleci/k8s/issuer.yaml": issuer, ".gitlab/ci/kustomization.yaml": "resources: [a.yaml]\n",
                      "github/issuer.yaml": issuer, ".practicelint.yaml": "kind: service\n"})
    facts = Workspace(root).facts(infra.detect)
    assert sorted(facts.k8s.manifests) == ["github/issuer.yaml"]  # near miss: not the root's .github/
    root = make_repo({".github/workflows/resources/test-resources.yaml": issuer, ".practicelint.yaml": "kind: service\n"})
    assert sec005(make_context(root, rule="SEC005")).status.value == "not_applicable"


PATCH = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller-manager\nspec:\n  template:\n"
         "    spec:\n      containers:\n      - name: manager\n        ports: [{containerPort: 9443}]\n")
BASE = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller-manager\nspec:\n  replicas: 2\n"
        "  selector: {matchLabels: {app: m}}\n  template:\n    metadata: {labels: {app: m}}\n    spec:\n"
        "      containers:\n      - name: manager\n        image: ghcr.io/acme/manager:1\n")


def test_kustomize_patches_are_not_workloads(make_repo) -> None:
    """A strategic-merge patch leaves replicas and labels to its base: judged as a workload it
    would read as "replicas not set". Patches named by a kustomization, or named like a patch
    and lacking the selector every complete workload has, are skipped; the base counts."""
    from linter.detectors import infra

    root = make_repo({
        "config/manager/manager.yaml": BASE,
        "config/default/manager_webhook_patch.yaml": PATCH,  # kubebuilder scaffold, not referenced
        "overlays/prod/kustomization.yaml": "resources: [../../config/manager]\npatches:\n  - path: scale.yaml\n"
                                            "patchesStrategicMerge:\n  - env.yaml\n",
        "overlays/prod/scale.yaml": PATCH.replace("  template:", "  replicas: 5\n  template:"),
        "overlays/prod/env.yaml": PATCH,
        "deploy/dispatcher.yaml": BASE.replace("controller-manager", "dispatcher"),  # "patch" inside a word
        "deploy/patches-are-complete.yaml": BASE.replace("controller-manager", "complete"),  # has a selector
    })
    workloads = Workspace(root).facts(infra.detect).k8s.workloads
    assert sorted((w.path, w.name) for w in workloads) == [
        ("config/manager/manager.yaml", "controller-manager"),
        ("deploy/dispatcher.yaml", "dispatcher"),
        ("deploy/patches-are-complete.yaml", "complete"),
    ]
