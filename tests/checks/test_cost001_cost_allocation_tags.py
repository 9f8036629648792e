"""COST001: required keys across Terraform, CloudFormation and Kubernetes; options; unverified tags."""

from __future__ import annotations

import pytest

from linter.checks.cost001_cost_allocation_tags import check
from linter.results import Status
from tests.helpers import make_context

PROVIDER = 'provider "aws" {\n  default_tags {\n    tags = { Owner = "a", CostCenter = "1" }\n  }\n}\n'
BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'
K8S = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  labels: LABELS\nspec: {}\n"


@pytest.mark.parametrize("files, status, text", [
    ({"main.tf": PROVIDER + BUCKET}, Status.PASS, "all 1 verifiable taggable resources carry owner, cost-center"),
    ({"main.tf": BUCKET}, Status.FAIL, "1 of 1 taggable resources lack cost-allocation tags (owner, cost-center): "
                                       "aws_s3_bucket.b (main.tf:1) lacks cost-center, owner"),
    ({"main.tf": 'resource "aws_s3_bucket" "b" {\n  tags = { owner = "a" }\n}\n'}, Status.FAIL, "lacks cost-center"),
    ({"main.tf": 'resource "aws_s3_bucket" "b" {\n  tags = var.tags\n}\n'}, Status.PASS, "unverified: aws_s3_bucket.b"),
    ({"k8s.yaml": K8S.replace("LABELS", "{owner: a, cost_center: b}")}, Status.PASS, "carry"),
    ({"k8s.yaml": K8S.replace("LABELS", "{app: api}")}, Status.FAIL, "Deployment api (k8s.yaml:1) lacks"),
    ({"k8s.yaml": K8S.replace("LABELS", "{app: api}") + "# owner: a\n# cost-center: b\n"}, Status.FAIL, "lacks"),
    ({"t.yaml": "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags:\n"
                "        - {Key: Owner, Value: a}\n        - {Key: cost-centre, Value: b}\n"}, Status.PASS, "carry"),
    ({"main.tf": 'resource "aws_iam_role_policy_attachment" "x" {\n  role = "r"\n}\n'}, Status.NOT_APPLICABLE,
     "no taggable infrastructure"),
    ({"README.md": "tags"}, Status.NOT_APPLICABLE, "no taggable infrastructure"),
])
def test_verdicts(make_repo, files, status, text) -> None:
    finding = check(make_context(make_repo(files), options={"required_tags": ["owner", "cost-center"]}))
    assert finding.status is status and text in finding.message, finding.message


def test_required_tags_option(make_repo) -> None:
    root = make_repo({"main.tf": PROVIDER + BUCKET})
    finding = check(make_context(root, options={"required_tags": ["team"]}))
    assert finding.status is Status.FAIL and "lacks team" in finding.message
    assert check(make_context(root, options={"required_tags": "owner"})).status is Status.PASS  # bad value: default


def test_long_lists_are_capped(make_repo) -> None:
    tf = "".join(f'resource "aws_sqs_queue" "q{i:02}" {{\n  name = "q"\n}}\n' for i in range(25))
    finding = check(make_context(make_repo({"main.tf": tf}), options={}))
    assert finding.status is Status.FAIL and "and 5 more" in finding.message and len(finding.evidence) == 20
