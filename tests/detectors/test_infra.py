"""Shared vocabulary (images, tag keys, connection strings) and the merged infrastructure facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.detectors import infra
from linter.detectors.infra_common import db_pointer_from_value, image_engine, normalise_tag_key, plain_host
from linter.repo.workspace import Workspace


@pytest.mark.parametrize("image, engine", [
    ("postgres:16", "postgres"), ("docker.io/bitnami/postgresql:16.2.0", "postgres"),
    ("mysql@sha256:abc", "mysql"), ("confluentinc/cp-kafka:7.6.0", "kafka"),
    ("confluentinc/cp-zookeeper:7.6.0", "zookeeper"), ("mcr.microsoft.com/mssql/server:2022-latest", "mssql"),
    ("registry.k8s.io:5000/redis:7", "redis"), ("mongo", "mongo"), ("valkey/valkey:8", "redis"),
    ("docker.elastic.co/elasticsearch/elasticsearch:8.13.0", "elasticsearch"),
    ("prometheuscommunity/postgres-exporter", None), ("provectuslabs/kafka-ui", None),
    ("rediscommander/redis-commander", None), ("mongo-express", None), ("bitnami/pgbouncer", None),
    ("ghcr.io/acme/orders-api:1.0", None), ("postgrest/postgrest", None), ("", None), (None, None), (5, None),
])
def test_image_engine(image, engine) -> None:
    assert image_engine(image) == engine


@pytest.mark.parametrize("key", ["cost-center", "CostCenter", "cost_center", "costcenter", "COST-CENTRE",
                                 "acme.io/cost-center", "org:cost-center"])
def test_tag_key_spellings(key: str) -> None:
    assert normalise_tag_key(key) == "costcenter"


@pytest.mark.parametrize("value, host, database", [
    ("postgres://u:p@db:5432/orders", "db", "orders"),
    ("jdbc:postgresql://pg.prod.svc.cluster.local:5432/billing", "pg", "billing"),
    ("mongodb+srv://u:p@cluster0.abc.mongodb.net/app?retryWrites=true", "cluster0.abc.mongodb.net", "app"),
    ("postgres://localhost/orders", None, None), ("https://db/orders", None, None),
    ("postgres://u:p@${DB_HOST}/x", None, None), ("not a url", None, None),
])
def test_connection_urls(value: str, host, database) -> None:
    pointer = db_pointer_from_value(value)
    assert (pointer.host, pointer.database) == (host, database) if host else pointer is None


def test_plain_host() -> None:
    assert plain_host("${DB_HOST:-db}") == "db" and plain_host("db:5432") == "db"
    assert plain_host("localhost") is None and plain_host("${DB_HOST}") is None and plain_host(3) is None


def test_merged_facts_and_sources(tmp_path: Path) -> None:
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "db.yaml").write_text(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: pg}\nspec:\n  template:\n    spec:\n"
        "      containers: [{name: pg, image: 'postgres:16'}]\n")
    (tmp_path / "main.tf").write_text('resource "aws_sqs_queue" "q" {\n  tags = { owner = "a" }\n}\n')
    (tmp_path / "docker-compose.yml").write_text("services:\n  db: {image: postgres}\n")
    facts = infra.detect(Workspace(tmp_path))
    assert facts.has_iac
    assert facts.sources_read() == "Kubernetes (1 file), Terraform (1 file), Compose (1 file)"
    assert [(s.source, s.engine) for s in facts.self_run] == [("kubernetes", "postgres")]  # dev Compose not counted
    assert {t.kind for t in facts.tagged} == {"aws_sqs_queue", "StatefulSet"}
    assert not [u for u in facts.deploy_units if u.name == "pg"]  # a datastore is not a deployable service


def test_empty_repository(tmp_path: Path) -> None:
    facts = infra.detect(Workspace(tmp_path))
    assert not facts.has_iac and facts.sources_read() == "none"
