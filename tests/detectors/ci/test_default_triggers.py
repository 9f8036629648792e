"""Default triggers as each CI system documents them, and the refs (branches) a job runs on:
Azure with no trigger/pr, trigger none, branch lists; GitLab without workflow:rules; Bitbucket
default and branches pipelines; Jenkins multibranch when-conditions; CircleCI filters; GitHub
callers' triggers; the repository's default branch from git."""

from __future__ import annotations

import pytest

from linter.checks.del001_continuous_deployment import check as del001
from linter.detectors.ci.stages import moment
from linter.results import Status
from tests.detectors.ci.fixtures import job_named
from tests.detectors.ci.helpers import facts
from tests.helpers import git, git_commit_all, make_context


def _moments(root) -> dict[str, str]:
    found, _ = facts(root)
    return {job.name: moment(job) for _, job in found.jobs()}


@pytest.mark.parametrize(("head", "triggers", "when"), [
    ("", {"push", "pull_request"}, "review"),  # no trigger, no pr: any branch, any pull request
    ("trigger: none\n", {"pull_request"}, "review"),  # pull requests still run (pr defaults on)
    ("trigger: [main]\npr: none\n", {"push"}, "after-merge"),
    ("trigger:\n  branches:\n    include: [main]\npr: none\n", {"push"}, "after-merge"),
    # main and release branches: both after the merge (the change under review runs on neither)
    ("trigger:\n  branches:\n    include: [main, 'release/*']\npr: none\n", {"push"}, "after-merge"),
    ("trigger:\n  branches:\n    include: ['release/*', stable]\npr: none\n", {"push"}, "some-branches"),
    ("trigger: [develop]\npr: none\n", {"push"}, "review"),  # a plain name may be where changes go
    ("trigger: ['feature/*']\npr: none\n", {"push"}, "review"),  # git-flow: every change is pushed there
    ("trigger: ['release*']\npr: none\n", {"push"}, "review"),  # near miss: a glob, not a release line
    ("trigger:\n  branches:\n    exclude: [docs/*]\npr: none\n", {"push"}, "review"),
    ("trigger: none\npr: none\n", {"manual"}, "late"),
    ("trigger: none\npr: none\nschedules:\n  - cron: '0 0 * * *'\n", {"schedule"}, "late"),
])
def test_azure_default_triggers(make_repo, head: str, triggers: set[str], when: str) -> None:
    root = make_repo({"azure-pipelines.yml": head + "steps:\n  - script: pytest\n"})
    found, _ = facts(root)
    job = next(job for _, job in found.jobs())
    assert job.triggers == triggers and moment(job) == when


def test_gitlab_without_workflow_rules_runs_branch_pipelines(make_repo) -> None:
    root = make_repo({".gitlab-ci.yml": "test:\n  script: [pytest]\n"
                                        "mr:\n  script: [pytest]\n  rules:\n    - if: $CI_PIPELINE_SOURCE == 'merge_request_event'\n"})
    found, _ = facts(root)
    assert job_named(found, "test").triggers == {"push"} and moment(job_named(found, "test")) == "review"
    assert job_named(found, "mr").triggers == {"pull_request"}


def test_bitbucket_default_and_branch_pipelines(make_repo) -> None:
    config = """pipelines:
  default:
    - step: {name: tests, script: [pytest]}
  branches:
    main:
      - step: {name: deploy, script: [kubectl apply -f k8s/]}
  pull-requests:
    '**':
      - step: {name: pr, script: [pytest]}
  tags:
    'v*':
      - step: {name: release, script: [helm upgrade --install app chart]}
"""
    moments = _moments(make_repo({"bitbucket-pipelines.yml": config}))
    assert moments == {"default/tests": "review", "branches:main/deploy": "after-merge",
                       "pull-requests:**/pr": "review", "tags:v*/release": "tags"}


JENKINSFILE = """pipeline {
  agent any
  stages {
    stage('Test') { steps { sh 'mvn verify' } }
    stage('PR only') {
      when { changeRequest() }
      steps { sh 'npm test' }
    }
    stage('Deploy') {
      when { branch 'main' }
      steps { sh 'kubectl apply -f k8s/' }
    }
    stage('Not main') {
      when { not { branch 'main' } }
      steps { sh 'pytest' }
    }
    stage('Release') {
      when { buildingTag() }
      steps { sh 'helm upgrade --install app chart' }
    }
  }
}
"""


def test_jenkins_multibranch_when_conditions(make_repo) -> None:
    moments = _moments(make_repo({"Jenkinsfile": JENKINSFILE}))
    assert moments == {"Test": "review", "PR only": "review", "Deploy": "after-merge", "Not main": "review",
                       "Release": "tags"}


def test_circleci_filters(make_repo) -> None:
    config = """version: 2.1
jobs:
  test: {docker: [{image: x}], steps: [{run: pytest}]}
  deploy: {docker: [{image: x}], steps: [{run: kubectl apply -f k8s/}]}
  release: {docker: [{image: x}], steps: [{run: helm upgrade --install a c}]}
workflows:
  main:
    jobs:
      - test
      - deploy:
          filters: {branches: {only: main}}
      - release:
          filters: {branches: {ignore: /.*/}, tags: {only: /^v.*/}}
"""
    root = make_repo({".circleci/config.yml": config})
    assert _moments(root) == {"test": "review", "deploy": "after-merge", "release": "tags"}
    assert del001(make_context(root, rule="DEL001")).status is Status.PASS


def test_the_default_branch_git_names_counts_as_the_default_branch(tmp_path) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    (origin / ".github" / "workflows").mkdir(parents=True)
    (origin / ".github" / "workflows" / "deploy.yml").write_text(
        "on:\n  push:\n    branches: [develop]\njobs:\n  d:\n    runs-on: x\n    steps:\n      - run: kubectl apply -f k8s/\n")
    git_commit_all(origin, "ci", "2026-01-01T00:00:00")
    git(origin, "branch", "-m", "develop")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    assert del001(make_context(clone, rule="DEL001")).status is Status.PASS  # develop is the default branch here
    assert del001(make_context(origin, rule="DEL001")).status is Status.FAIL  # no origin/HEAD: develop is a branch
