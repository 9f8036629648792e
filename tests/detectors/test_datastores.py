"""Datastore evidence and data-classification records."""

from __future__ import annotations

import pytest

from linter.detectors import datastores
from linter.detectors.datastores import image_is_store
from linter.repo.workspace import Workspace


@pytest.mark.parametrize("image, expected", [
    ("postgres:16", True), ("docker.io/library/postgres:16-alpine", True), ("bitnami/postgresql", True),
    ("mongo@sha256:abc", True), ("redis", True), ("mcr.microsoft.com/mssql/server:2022-latest", True),
    ("acme/api:1.2", False), ("postgres-exporter", False), ("nginx", False), (None, False), (12, False),
])
def test_store_images(image: object, expected: bool) -> None:
    assert image_is_store(image) is expected


CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  annotations:
    acme.com/data-classification: confidential
spec:
  type: service
  owner: team-a
  dependsOn:
    - resource:orders-db
    - component:payments
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: orders-db
spec:
  type: database
  owner: team-a
"""


def test_every_source_is_found(make_repo) -> None:
    root = make_repo({
        "services/orders/catalog-info.yaml": CATALOG,
        "services/orders/docker-compose.yml": "services:\n  db:\n    image: postgres:16\n  api:\n    build: .\n",
        "services/orders/k8s/redis.yaml": ("apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  template:\n    spec:\n"
                                           "      containers:\n        - name: r\n          image: redis:7\n"),
        "services/orders/k8s/pg.yaml": "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg}\n",
        "services/orders/infra/main.tf": ('resource "aws_dynamodb_table" "carts" {\n  name = "carts"\n}\n'
                                          '# resource "aws_s3_bucket" "old" {}\nresource "aws_iam_role" "r" {}\n'),
        "services/orders/cfn.yaml": "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: {Engine: !Ref E}\n",
        "services/orders/db/migrate/20260101_create.rb": "class X; end\n",
        "services/orders/schema/init.sql": "create table t (id int);\n",
        "services/search/data-classification.yaml": "fields:\n  - name: email\n    class: pii\n",
        "services/search/data-inventory.yaml": "",
    })
    facts = datastores.detect(Workspace(root))
    found = {(s.path, s.line, s.kind) for s in facts.stores}
    assert found == {
        ("services/orders/catalog-info.yaml", 11, "Backstage dependsOn"),
        ("services/orders/catalog-info.yaml", 14, "Backstage resource"),
        ("services/orders/docker-compose.yml", 3, "docker-compose"),
        ("services/orders/k8s/redis.yaml", 8, "Kubernetes"),
        ("services/orders/k8s/pg.yaml", 1, "Kubernetes"),
        ("services/orders/infra/main.tf", 1, "Terraform"),
        ("services/orders/cfn.yaml", 2, "CloudFormation"),
        ("services/orders/db/migrate/20260101_create.rb", 0, "SQL migrations"),
        ("services/orders/schema/init.sql", 0, "SQL migrations"),
    }
    dependency = next(s for s in facts.stores if s.kind == "Backstage dependsOn")
    assert dependency.service == "orders" and "orders-db (database)" in dependency.what
    assert {(r.path, r.line) for r in facts.records} == {
        ("services/orders/catalog-info.yaml", 6), ("services/search/data-classification.yaml", 1)}


def test_hostile_shapes_are_ignored(make_repo) -> None:
    root = make_repo({
        "compose.yaml": "services: [postgres]\n",
        "docker-compose.override.yml": "services:\n  db: postgres\n  x:\n    image: [postgres]\n",
        "k8s.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template: [1]\n---\nkind: Pod\nspec: 3\n",
        "cfn.yaml": "Resources: [1, 2]\n",
        "broken.yaml": "services:\n  db:\n    image: postgres\n  - oops\n",
        "main.tf": 'resource "aws_db_instance" {{{{\n',
        "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n"
                             "  annotations: [data-classification]\nspec:\n  dependsOn: resource:db\n",
    })
    facts = datastores.detect(Workspace(root))
    assert facts.stores == () and facts.records == ()


def test_migrations_one_fact_per_folder_with_its_first_file(make_repo) -> None:
    """Nested migration folders count once (their first file in index order); SQL and Prisma
    files outside them count once per folder; a migrations folder's own .sql files are not extra."""
    root = make_repo({
        "svc/migrations/versions/002_b.py": "x\n",
        "svc/migrations/001_a.py": "x\n",
        "svc/migrations/zz.sql": "create table z (id int);\n",
        "svc/Alembic/env.py": "x\n",
        "db/schema.sql": "create table t (id int);\n",
        "db/more.sql": "create table u (id int);\n",
        "prisma/schema.prisma": "model A { id Int @id }\n",
        "other/notmigrations/x.sql": "select 1;\n",
        "README.md": "# r\n",
    })
    facts = datastores.detect(Workspace(root))
    found = sorted((s.path, s.what) for s in facts.stores if s.kind == "SQL migrations")
    assert found == [
        ("db/more.sql", "SQL schema file db/more.sql"),
        ("other/notmigrations/x.sql", "SQL schema file other/notmigrations/x.sql"),
        ("prisma/schema.prisma", "SQL schema file prisma/schema.prisma"),
        ("svc/Alembic/env.py", "migrations folder svc/Alembic/"),
        ("svc/migrations/001_a.py", "migrations folder svc/migrations/"),
    ]


@pytest.mark.parametrize(("files", "found"), [
    # a tool's own config-format migrations (google/slo-generator) and release-note fragments
    ({"slo_generator/migrations/__init__.py": "", "slo_generator/migrations/migrator.py": "def migrate(): ...\n"}, []),
    ({"changelogs/fragments/123-fix.yml": "bugfixes:\n  - fixed\n", "changelogs/config.yaml": "x: 1\n"}, []),
    ({"app/migrations/__init__.py": "", "app/migrations/0001_initial.py": "from django.db import migrations\n"},
     ["app/migrations/0001_initial.py"]),
    ({"migrations/env.py": "x\n", "migrations/versions/ab12cd34ef56_add_users.py": "revision = 'ab12cd34ef56'\n"},
     ["migrations/env.py"]),
    ({"src/migrations/1681234567890-CreateUsers.ts": "export class CreateUsers {}\n"},
     ["src/migrations/1681234567890-CreateUsers.ts"]),
    ({"db/migration/V2__add_index.sql": "create index i on t(c);\n"}, ["db/migration/V2__add_index.sql"]),
    ({"resources/db/changelog/db.changelog-master.yaml": "databaseChangeLog:\n  - include: {file: a.yaml}\n"},
     ["resources/db/changelog/db.changelog-master.yaml"]),
    ({"resources/changelog/main.yaml": "databaseChangeLog:\n  - changeSet: {id: 1}\n"},
     ["resources/changelog/main.yaml"]),
])
def test_migrations_folders_need_migration_files(make_repo, files: dict[str, str], found: list[str]) -> None:
    facts = datastores.detect(Workspace(make_repo({**files, "README.md": "# r\n"})))
    assert [s.path for s in facts.stores if s.kind == "SQL migrations"] == found


def test_databases_in_documentation_or_test_manifests_are_not_the_services(make_repo) -> None:
    """As for the infrastructure rules: a manifest under docs/ illustrates a page and one under
    test/ serves a test. CRDs that mention images are never parsed for this."""
    mongo = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db}\nspec:\n  template:\n    spec:\n"
             "      containers:\n      - name: db\n        image: mongo:7\n")
    crd = ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  versions:\n  - schema:\n"
           "      properties:\n        image: {type: string, description: the postgres image to run}\n")
    root = make_repo({"deploy/db.yaml": mongo, "docs/tutorial/db.yaml": mongo, "test/e2e/db.yaml": mongo,
                      "tests/docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
                      "deploy/crd.yaml": crd, "docs/data-classification.yaml": "email: confidential\n"})
    ws = Workspace(root)
    facts = datastores.detect(ws)
    assert [(s.path, s.kind) for s in facts.stores] == [("deploy/db.yaml", "Kubernetes")]
    assert [r.path for r in facts.records] == ["docs/data-classification.yaml"]  # a record may live in docs/
    assert "deploy/crd.yaml" not in ws.reader._yaml
