"""COST002 verdicts: budgets, Infracost, cost tools; not applicable without IaC."""

from __future__ import annotations

from functools import partial

from linter.checks.cost002_cost_visibility import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="COST002")  # contexts for COST002, with its typed options

TF = 'resource "aws_instance" "web" {\n  instance_type = "t3.micro"\n}\n'


def test_no_iac_is_not_applicable(make_repo) -> None:
    assert check(make_context(make_repo({"app.py": "print(1)\n"}))).status is Status.NOT_APPLICABLE


def test_budget_resource_passes(make_repo) -> None:
    root = make_repo({"infra/main.tf": TF, "infra/budget.tf": 'resource "google_billing_budget" "b" {\n}\n'})
    finding = check(make_context(root))
    assert finding.status is Status.PASS and "infra/budget.tf:1" in finding.message


def test_infracost_in_ci_passes(make_repo) -> None:
    root = make_repo({"infra/main.tf": TF, ".github/workflows/cost.yml": (
        "on: [pull_request]\njobs:\n  c:\n    steps:\n      - uses: infracost/actions/setup@v3\n"
        "      - run: infracost breakdown --path=infra --format=json --out-file=/tmp/base.json\n")})
    finding = check(make_context(root))
    assert finding.status is Status.PASS and "Infracost" in finding.message


def test_commented_budget_and_setup_only_fail(make_repo) -> None:
    root = make_repo({"infra/main.tf": TF + '# resource "aws_budgets_budget" "m" {}\n',
                      ".github/workflows/cost.yml": "on: [pull_request]\njobs:\n  c:\n    steps:\n"
                                                    "      - uses: infracost/actions/setup@v3\n"})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL and "terraform (infra/main.tf)" in finding.message
