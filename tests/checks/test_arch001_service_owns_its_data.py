"""ARCH001: shared datastores in Backstage, Compose and Kubernetes; separate databases; n/a."""

from __future__ import annotations

import pytest

from linter.checks.arch001_service_owns_its_data import check
from linter.results import Status
from tests.helpers import make_context


def component(name: str, depends: str) -> str:
    return (f"---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n"
            f"  type: service\n  owner: team\n  lifecycle: production\n  dependsOn: {depends}\n")


def compose(orders_env: str, billing_env: str) -> str:
    return ("services:\n  orders:\n    image: acme/orders\n    environment:\n"
            f"      DATABASE_URL: {orders_env}\n  billing:\n    image: acme/billing\n    environment:\n"
            f"      DATABASE_URL: {billing_env}\n  migrate:\n    image: flyway/flyway\n    depends_on: [db]\n"
            "  db:\n    image: postgres:16\n")


def workload(name: str, env: str) -> str:
    return (f"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n"
            f"  template:\n    spec:\n      containers:\n        - name: app\n          image: acme/{name}\n"
            f"          env:\n{env}")


SECRET_ENV = "            - name: DATABASE_URL\n              valueFrom: {secretKeyRef: {name: shop-db, key: url}}\n"


@pytest.mark.parametrize("files, status, text", [
    ({"catalog-info.yaml": component("orders", "[resource:orders-db]") + component("billing", "[resource:orders-db]")},
     Status.FAIL, "resource:default/orders-db is a dependency of component:default/billing (catalog-info.yaml:"),
    ({"catalog-info.yaml": component("orders", "[resource:orders-db]") + component("billing", "[resource:billing-db, component:orders]")},
     Status.PASS, "2 services found"),
    ({"docker-compose.yml": compose("postgres://u:p@db:5432/shop", "postgres://u:p@db:5432/shop")}, Status.FAIL,
     "db (Compose file docker-compose.yml) is used by billing (docker-compose.yml:9, environment DATABASE_URL), orders"),
    ({"docker-compose.yml": compose("postgres://u:p@db:5432/orders", "postgres://u:p@db:5432/billing")}, Status.PASS,
     "no datastore is used by two"),
    ({"k8s.yaml": workload("orders", SECRET_ENV) + workload("billing", SECRET_ENV)}, Status.FAIL,
     "secret/shop-db (namespace shop) is used by billing"),
    ({"k8s.yaml": workload("orders", SECRET_ENV) + workload("orders-worker", SECRET_ENV).replace(
        "metadata: {name: orders-worker, namespace: shop}",
        "metadata: {name: orders-worker, namespace: shop, labels: {app.kubernetes.io/part-of: orders}}")
      + workload("billing", "            - {name: X, value: y}\n")}, Status.PASS, "no datastore"),
    ({"catalog-info.yaml": component("orders", "[resource:orders-db]")}, Status.NOT_APPLICABLE, "fewer than two"),
    ({"README.md": "orders and billing share postgres://db/shop"}, Status.NOT_APPLICABLE, "fewer than two"),
])
def test_verdicts(make_repo, files, status, text) -> None:
    finding = check(make_context(make_repo(files)))
    assert finding.status is status and text in finding.message, finding.message


def test_evidence_points_at_each_sharing_service(make_repo) -> None:
    root = make_repo({"docker-compose.yml": compose("postgres://u:p@db/shop", "postgres://u:p@db/shop")})
    finding = check(make_context(root))
    assert [(e.path, e.line) for e in finding.evidence] == [("docker-compose.yml", 5), ("docker-compose.yml", 9)]
