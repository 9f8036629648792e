"""SEC005 verdicts: not applicable without IaC; policy scanners per change; missing scanners."""

from __future__ import annotations

from functools import partial

from linter.checks.sec005_compliance_as_code import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="SEC005")  # contexts for SEC005, with its typed options

TF = {"infra/main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'}


def test_dockerfile_alone_is_not_applicable(make_repo) -> None:
    finding = check(make_context(make_repo({"Dockerfile": "FROM python:3.12\n"})))
    assert finding.status is Status.NOT_APPLICABLE and "Dockerfiles alone" in finding.message


def test_checkov_on_pull_requests_passes(make_repo) -> None:
    root = make_repo({**TF, ".github/workflows/iac.yml": "on: [pull_request]\njobs:\n  p:\n    steps:\n"
                                                           "      - run: checkov -d infra\n"})
    finding = check(make_context(root))
    assert finding.status is Status.PASS and "terraform (infra/main.tf)" in finding.message


def test_schema_validation_only_fails(make_repo) -> None:
    root = make_repo({**TF, ".github/workflows/iac.yml": "on: [pull_request]\njobs:\n  p:\n    steps:\n"
                                                           "      - run: terraform validate\n"})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL and "infra/main.tf" in finding.message
    assert any(e.path == "infra/main.tf" for e in finding.evidence)


def test_precommit_policy_hooks_without_ci_fail_with_note(make_repo) -> None:
    root = make_repo({**TF, ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/antonbabenko/"
                                                         "pre-commit-terraform\n    hooks:\n      - id: terraform_tfsec\n"})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL and "terraform_tfsec" in finding.message
