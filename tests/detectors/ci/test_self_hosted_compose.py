"""A Compose stack left running on a self-hosted runner is a deployment; the same stack on a
hosted runner, or one the job tests against or takes down again, is an integration
environment. Also: ``runs-on`` labels, and unknown ``${{ }}`` expressions kept as one word."""

from __future__ import annotations

import pytest

from linter.detectors.ci.github import runner_labels
from linter.detectors.ci.stages import deploy_jobs
from tests.detectors.ci.helpers import facts, programs

DEPLOY = """\
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: {runner}
    steps:
      - uses: actions/checkout@v4
      - run: docker compose -f docker-compose.yml --project-name ${{{{ secrets.STACK_NAME }}}} build
      - run: {up}
{more}"""


def _deploys(make_repo, runner: str = "[self-hosted, production]",
             up: str = "docker compose -f docker-compose.yml --project-name ${{ secrets.STACK_NAME }} up -d",
             more: str = "") -> list[tuple[str, int]]:
    root = make_repo({".github/workflows/deploy.yml": DEPLOY.format(runner=runner, up=up, more=more)})
    found, _ = facts(root)
    return [(d.reason, d.line) for d in deploy_jobs(found)]


def test_compose_up_detached_on_a_self_hosted_runner_deploys(make_repo) -> None:
    assert _deploys(make_repo) == [("`docker compose up -d` on a self-hosted runner", 10)]
    assert _deploys(make_repo, runner="{group: servers, labels: [self-hosted, linux]}",
                    up="docker-compose up --detach --build") == [("`docker-compose up --detach` on a self-hosted runner", 10)]
    assert _deploys(make_repo, up="docker compose up -d --remove-orphans") != []
    assert _deploys(make_repo, up="docker compose up -dV") != []  # combined short flags


@pytest.mark.parametrize(("runner", "up", "more"), [
    ("ubuntu-latest", "docker compose up -d", ""),  # a hosted runner: thrown away with the machine
    ("[self-hosted, linux]", "docker compose up --abort-on-container-exit", ""),  # not left running
    ("[self-hosted, linux]", "docker compose up -d", "      - run: pytest tests/e2e\n"),  # tested against
    ("[self-hosted, linux]", "docker compose up -d", "      - run: docker compose down -v\n"),  # taken down
    ("${{ matrix.os }}", "docker compose up -d", ""),  # which machine: not known from the file
    ("[self-hosted, linux]", "echo docker compose up -d", ""),  # the words echoed
])
def test_near_misses_are_not_deployments(make_repo, runner: str, up: str, more: str) -> None:
    assert _deploys(make_repo, runner=runner, up=up, more=more) == []


@pytest.mark.parametrize(("value", "labels"), [
    ("ubuntu-latest", ("ubuntu-latest",)),
    (["self-hosted", "Linux", "X64"], ("linux", "self-hosted", "x64")),
    ({"group": "prod", "labels": ["self-hosted", "deploy"]}, ("deploy", "self-hosted")),
    ({"group": "prod"}, ()),
    (None, ()),
    (["x" * 500] + ["y"] * 100, ("x" * 100, "y")),  # bounded
])
def test_runner_labels(value: object, labels: tuple[str, ...]) -> None:
    assert runner_labels(value) == labels


def test_an_unknown_expression_stays_one_word(make_repo) -> None:
    """``${{ secrets.X }}`` is replaced before the shell splits the line: one word, so the
    option before it takes it as its value. Near miss: an expression with spaces inside is
    left as written."""
    root = make_repo({".github/workflows/ci.yml": "on: [pull_request]\njobs:\n  t:\n    runs-on: x\n    steps:\n"
                                                  "      - run: tool --name ${{ secrets.NAME }} go\n"
                                                  "      - run: tool ${{ github.event_name == 'push' }}\n"})
    assert programs(root) == [("tool", "--name", "${{secrets.NAME}}", "go"),
                              ("tool", "${{", "github.event_name", "==", "push", "}}")]
