"""ARCH004: self-run datastores in Kubernetes, VMs and production Compose; dev Compose never counts."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.arch004_managed_services_first import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="ARCH004")  # contexts for ARCH004, with its typed options

STS = ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: queue}\nspec:\n  template:\n    spec:\n"
       "      containers:\n        - name: broker\n          image: IMAGE\n")


@pytest.mark.parametrize("files, status, text", [
    ({"k8s.yaml": STS.replace("IMAGE", "rabbitmq:3-management")}, Status.FAIL,
     "StatefulSet queue runs rabbitmq (k8s.yaml:9); consider Amazon MQ"),
    ({"k8s.yaml": STS.replace("IMAGE", "acme/api:1")}, Status.PASS, "no self-run database, queue or cache"),
    ({"k8s.yaml": STS.replace("IMAGE", "oliver006/redis_exporter")}, Status.PASS, "no self-run"),
    ({"main.tf": 'resource "aws_instance" "db" {\n  user_data = <<-EOT\n    apt-get install -y mysql-server\n  EOT\n}\n'},
     Status.FAIL, "aws_instance aws_instance.db runs mysql (main.tf:2)"),
    ({"main.tf": 'resource "aws_db_instance" "db" {\n  engine = "postgres"\n}\n'}, Status.PASS, "Terraform (1 file)"),
    ({"docker-compose.yml": "services:\n  db: {image: postgres:16}\n"}, Status.NOT_APPLICABLE, "local development"),
    ({"main.tf": 'resource "aws_s3_bucket" "b" {}\n', "docker-compose.yml": "services:\n  db: {image: postgres:16}\n"},
     Status.PASS, "no self-run"),
    ({"docker-compose.prod.yml": "services:\n  cache: {image: 'redis:7'}\n"}, Status.FAIL,
     "service cache runs redis (docker-compose.prod.yml:2); consider Amazon ElastiCache"),
    ({"k8s.yaml": "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata: {name: events}\nspec: {}\n"},
     Status.FAIL, "Kafka events runs kafka"),
])
def test_verdicts(make_repo, files, status, text) -> None:
    finding = check(make_context(make_repo(files)))
    assert finding.status is status and text in finding.message, finding.message
