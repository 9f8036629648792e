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


@pytest.mark.parametrize(("condition", "repository", "skipped"), [
    ("github.repository != 'fastapi/full-stack-fastapi-template'", "fastapi/full-stack-fastapi-template", True),
    ("${{ github.repository_owner != 'Acme' }}", "acme/app", True),  # GitHub compares names case-insensitively
    ("github.repository == 'upstream/app'", "fork/app", True),  # a fork's copy of the upstream's guard
    ("github.event_name == 'push' && github.repository == 'upstream/app'", "fork/app", True),
    # near misses: true here, unknown, or not only this test
    ("github.repository == 'acme/app'", "acme/app", False),
    ("github.repository != 'fastapi/full-stack-fastapi-template'", "me/my-app", False),
    ("github.repository != 'acme/app'", None, False),  # no GitHub remote: unknown
    ("github.repository != 'acme/app' || github.event_name == 'workflow_dispatch'", "acme/app", False),
    ("contains(github.repository, 'acme')", "acme/app", False),
])
def test_repository_guards(condition: str, repository: str | None, skipped: bool) -> None:
    from linter.detectors.ci.github import never_here

    assert never_here(condition, repository) is skipped


@pytest.mark.parametrize(("remote", "repository"), [
    ("https://github.com/Acme/App.git", "acme/app"),
    ("git@github.com:acme/app.git", "acme/app"),
    ("ssh://git@github.example.com/acme/app", "acme/app"),
    ("https://gitlab.com/acme/app.git", None),
    ("https://github.com/acme", None),
    ("file:///work/mirror/acme+app/repo", None),
    (None, None),
])
def test_github_repository_of_a_remote(remote: str | None, repository: str | None) -> None:
    from linter.repo.remotes import github_repository

    assert github_repository(remote) == repository


def _guarded_template(tmp_path, remote: str):
    """A git repository whose deploy job is guarded with ``github.repository != 'acme/template'``."""
    from tests.helpers import git

    root = tmp_path / "repo"
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "deploy.yml").write_text(
        "on:\n  push:\n    branches: [master]\njobs:\n  deploy:\n"
        "    if: github.repository != 'acme/template'\n    runs-on: [self-hosted]\n    steps:\n"
        "      - run: docker compose up -d\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "remote", "add", "origin", remote)
    return root


def test_a_template_guarded_deploy_job_does_not_run_in_the_template(tmp_path) -> None:
    """End to end with a git remote: the guarded job has no trigger left in the template."""
    from tests.helpers import git

    root = _guarded_template(tmp_path, "https://github.com/acme/template.git")
    found, _ = facts(root)
    assert [job.triggers for _, job in found.jobs()] == [frozenset()]
    git(root, "remote", "set-url", "origin", "https://github.com/me/my-app.git")
    found, _ = facts(root)
    assert [job.triggers for _, job in found.jobs()] == [frozenset({"push"})]


def test_del001_says_a_guarded_deploy_never_runs_here(tmp_path) -> None:
    from linter.checks.del001_continuous_deployment import check
    from linter.results import Status
    from tests.helpers import make_context

    finding = check(make_context(_guarded_template(tmp_path, "git@github.com:acme/template.git"), rule="DEL001"))
    assert finding.status is Status.FAIL
    assert "deploy deploys never (no event starts it here, or its `if:` is false in this repository)" in finding.message
