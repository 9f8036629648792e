"""ARCH001: shared datastores in Backstage, Compose and Kubernetes; separate databases; n/a."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.arch001_service_owns_its_data import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="ARCH001")  # contexts for ARCH001, with its typed options


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
     Status.PASS, "2 applications found"),
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


ROLES = """\
x-snuba: &snuba
  image: "$SNUBA_IMAGE"
  depends_on: [clickhouse]
services:
  clickhouse:
    image: clickhouse/clickhouse-server:24.3
  snuba-api:
    <<: *snuba
  snuba-errors-consumer:
    <<: *snuba
    command: consumer --storage errors
  web:
    build: ./sentry
    environment: {DATABASE_URL: "postgres://u:p@postgres/sentry"}
  worker:
    build: {context: ./sentry}
    environment: {DATABASE_URL: "postgres://u:p@postgres/sentry"}
  postgres:
    image: postgres:14
"""


def test_roles_of_one_application_do_not_share_with_each_other(make_repo) -> None:
    """getsentry/self-hosted: snuba-api and snuba-*-consumer run one image, web and worker build
    one context; each is one application in several roles, not services sharing a database."""
    finding = check(make_context(make_repo({"docker-compose.yml": ROLES})))
    assert finding.status is Status.PASS, finding.message


@pytest.mark.parametrize("images", [("acme/orders", "acme/billing"), ("python:3.12", "python:3.12")])
def test_different_applications_still_share(make_repo, images: tuple[str, str]) -> None:
    """Two images name two applications; an official base image runs whatever code is mounted."""
    text = (f"services:\n  orders:\n    image: {images[0]}\n    depends_on: [db]\n"
            f"  billing:\n    image: {images[1]}\n    depends_on: [db]\n  db:\n    image: postgres:16\n")
    finding = check(make_context(make_repo({"docker-compose.yml": text})))
    assert finding.status is Status.FAIL and "billing" in finding.message and "orders" in finding.message


def test_roles_of_one_application_are_counted_once(make_repo) -> None:
    """The count in the verdict is of applications: snuba-api and its consumers running one image
    are one, and a migration runner acts for its owner (not "34 services" beside one scope)."""
    text = ("services:\n  snuba-api:\n    image: getsentry/snuba:24\n  snuba-consumer:\n    image: getsentry/snuba:24\n"
            "  snuba-replacer:\n    image: getsentry/snuba:24\n  relay:\n    image: getsentry/relay:24\n"
            "  migrate:\n    image: getsentry/relay:24\n    command: migrate\n  db:\n    image: postgres:16\n")
    finding = check(make_context(make_repo({"docker-compose.yml": text})))
    assert finding.status is Status.PASS and finding.message.startswith("2 applications found"), finding.message
    alone = "services:\n  shop:\n    image: acme/shop\n  shop-consumer:\n    image: acme/shop\n"
    finding = check(make_context(make_repo({"docker-compose.yml": alone})))
    assert finding.status is Status.NOT_APPLICABLE and "fewer than two applications found (1)" in finding.message
