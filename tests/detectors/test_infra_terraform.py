"""Terraform facts: provider default tags, locals/vars/merge, databases, groups, scaling, VMs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from linter.detectors import infra_terraform
from linter.repo.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "infra" / "terraform"


def _detect(tmp_path: Path, files: dict[str, str]) -> infra_terraform.TerraformFacts:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return infra_terraform.detect(Workspace(tmp_path))


@pytest.fixture
def facts(tmp_path: Path) -> infra_terraform.TerraformFacts:
    shutil.copytree(FIXTURES, tmp_path / "infra")
    return infra_terraform.detect(Workspace(tmp_path))


def test_tags_follow_default_tags_aliases_and_merge(facts) -> None:
    tagged = {t.name: t for t in facts.tagged}
    assert tagged["aws_db_instance.orders"].keys == ("costcenter", "owner")
    # the aliased provider has no default_tags; var default + merge literal are followed
    assert tagged["aws_lambda_function.resize"].keys == ("name", "service")
    assert tagged["aws_lambda_function.resize"].resolved
    assert tagged["aws_autoscaling_group.web"].keys == ("costcenter", "owner", "team")
    assert "aws_iam_role_policy_attachment.x" not in tagged  # not cost-bearing, no tags
    assert not any(t.name.startswith("data") for t in facts.tagged)


def test_databases_and_groups(facts) -> None:
    databases = {d.name: (d.multi_zone, d.detail) for d in facts.databases}
    assert databases == {
        "aws_db_instance.orders": (True, "multi_az = true"),
        "aws_db_instance.reporting": (False, "multi_az is not set"),
        "aws_rds_cluster.ledger": (True, "2 aws_rds_cluster_instances in the cluster"),
    }
    [group] = facts.instance_groups
    assert (group.zones, group.min_size, group.max_size) == (None, 2, 10)
    assert group.detail == "vpc_zone_identifier comes from an expression"


def test_scaling_and_self_run(facts) -> None:
    scaling = {(s.kind, s.target) for s in facts.scaling}
    assert scaling == {("aws_autoscaling_group", "web"), ("aws_lambda_function", "resize"),
                       ("aws_lambda_provisioned_concurrency_config", "resize"),
                       ("aws_appautoscaling_target", "orders")}
    [vm] = facts.self_run
    assert (vm.name, vm.engine, vm.line) == ("aws_instance.queue", "rabbitmq", 91)
    assert {u.kind for u in facts.deploy_units} == {"aws_autoscaling_group", "aws_lambda_function", "aws_instance"}


def test_child_module_inherits_keys_every_provider_sets(tmp_path: Path) -> None:
    facts = _detect(tmp_path, {
        "envs/prod/main.tf": 'provider "aws" {\n default_tags {\n tags = { owner = "a", env = "prod" }\n }\n}\n',
        "envs/dev/main.tf": 'provider "aws" {\n default_tags {\n tags = { owner = "a" }\n }\n}\n',
        "modules/db/main.tf": 'resource "aws_s3_bucket" "b" {}\n',
    })
    [bucket] = facts.tagged
    assert bucket.keys == ("owner",)


@pytest.mark.parametrize("tags, keys, resolved", [
    ('{ "Cost-Center" = "1" }', ("costcenter",), True),
    ("var.tags", (), False),
    ("merge(module.labels.tags, { owner = \"x\" })", ("owner",), False),
    ('{ for k, v in var.t : k => v }', (), False),
])
def test_tag_expressions(tmp_path: Path, tags: str, keys: tuple, resolved: bool) -> None:
    facts = _detect(tmp_path, {"main.tf": f'resource "google_storage_bucket" "b" {{\n  labels = {tags}\n}}\n'})
    [bucket] = facts.tagged
    assert (bucket.keys, bucket.resolved) == (keys, resolved)


def test_google_and_azure_databases(tmp_path: Path) -> None:
    facts = _detect(tmp_path, {"main.tf": '''
resource "google_sql_database_instance" "main" {
  settings {
    tier              = "db-custom-2-7680"
    availability_type = "REGIONAL"
  }
}
resource "azurerm_postgresql_flexible_server" "pg" {
  high_availability {
    mode = "SameZone"
  }
}
'''})
    assert [(d.kind, d.multi_zone) for d in facts.databases] == [
        ("google_sql_database_instance", True), ("azurerm_postgresql_flexible_server", False)]


@pytest.mark.parametrize("script, engine", [
    ("#!/bin/bash\nyum install -y mongodb-org\n", "mongo"),
    ("docker run -d --restart always -p 6379:6379 redis:7\n", "redis"),
    ("# apt-get install postgresql\necho hi\n", "postgres"),  # shell comments are not parsed: best effort
    ("apt-get install -y nginx\n", None),
    ("docker run -d prom/postgres-exporter\n", None),
])
def test_script_engine(script: str, engine: str | None) -> None:
    assert infra_terraform.script_engine(script) == engine


def test_broken_files_do_not_stop_the_rest(tmp_path: Path) -> None:
    facts = _detect(tmp_path, {"a.tf": 'resource "aws_db_instance" "x" {\n  multi_az = \n', "b.tf": "}}}{{{",
                               "c.tf": 'resource "aws_db_instance" "y" {\n  multi_az = var.ha\n}\n'})
    assert {d.name: d.multi_zone for d in facts.databases} == {"aws_db_instance.x": None, "aws_db_instance.y": None}
