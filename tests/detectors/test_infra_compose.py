"""Compose files: datastore services, production marking and who points at which database."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.detectors import infra_compose
from linter.repo.workspace import Workspace

COMPOSE = '''\
services:
  orders:
    build: ./orders
    environment:
      DATABASE_URL: postgres://app:secret@db:5432/orders
    depends_on:
      db:
        condition: service_healthy
  billing:
    image: ghcr.io/acme/billing:2
    environment:
      - DB_HOST=pg
      - DB_NAME=billing
  reports:
    image: ghcr.io/acme/reports:1
    depends_on: [db]
  migrate:
    image: flyway/flyway:10
    depends_on: [db]
  adminer:
    image: adminer
    links: [db]
  cache:
    image: redis:7
  db:
    image: postgres:16
    networks:
      default:
        aliases: [pg]
'''


def _detect(tmp_path: Path, files: dict[str, str]) -> infra_compose.ComposeFacts:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return infra_compose.detect(Workspace(tmp_path))


def test_data_uses(tmp_path: Path) -> None:
    facts = _detect(tmp_path, {"docker-compose.yml": COMPOSE})
    uses = {(u.service, u.datastore, u.database, u.via) for u in facts.data_uses}
    assert uses == {("orders", "db", "orders", "environment DATABASE_URL"), ("orders", "db", "", "depends_on"),
                    ("billing", "db", "billing", "environment DB_HOST"), ("reports", "db", "", "depends_on")}
    engines = {s.name: s.engine for s in facts.services}
    assert engines["db"] == "postgres" and engines["cache"] == "redis" and engines["adminer"] is None
    assert not any(s.production for s in facts.services)


@pytest.mark.parametrize("name, production", [
    ("docker-compose.prod.yml", True), ("compose.production.yaml", True), ("docker-compose.yml", False),
    ("docker-compose.override.yml", False), ("compose.yaml", False), ("deploy/docker-compose-live.yaml", True),
    ("products-compose.yml", False),
])
def test_production_by_file_name(tmp_path: Path, name: str, production: bool) -> None:
    facts = _detect(tmp_path, {name: "services:\n  db:\n    image: mysql:8\n"})
    assert [s.production for s in facts.services] == ([production] if infra_compose.is_compose_file(name) else [])


def test_swarm_deploy_marks_production(tmp_path: Path) -> None:
    facts = _detect(tmp_path, {"compose.yaml": "services:\n  q:\n    image: rabbitmq:3\n    deploy:\n"
                                               "      replicas: 2\n  r:\n    image: redis\n    deploy:\n"
                                               "      resources: {limits: {cpus: '1'}}\n"})
    assert {s.name: s.production for s in facts.services} == {"q": True, "r": False}


@pytest.mark.parametrize("text", ["", "services: [a]\n", "services:\n  a: 3\n  b: {environment: 4, depends_on: 5}\n",
                                  "services:\n  a: {image: [x], environment: [1, {a: b}], links: {x: 1}}\n"
                                  "  db: {image: postgres, networks: [x]}\n", "::: bad"])
def test_hostile_compose_never_raises(tmp_path: Path, text: str) -> None:
    _detect(tmp_path, {"docker-compose.yml": text})
