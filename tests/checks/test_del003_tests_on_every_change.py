"""DEL003 verdicts: tests on pull requests or branch pushes pass; after-merge, tags, nothing fail."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.del003_tests_on_every_change import check
from linter.detectors import ci
from linter.detectors.ci.model import CiFacts
from linter.results import Status
from tests.checks import facts
from tests.helpers import make_context

make_context = partial(make_context, rule="DEL003")  # contexts for DEL003, with its typed options

JOB = "jobs:\n  t:\n    steps:\n      - run: {cmd}\n"


@pytest.mark.parametrize(("on", "status", "words"), [
    ("on: [pull_request]\n", Status.PASS, "pull requests"),
    ("on: push\n", Status.PASS, "pushes to any branch"),
    ("on:\n  push:\n    branches: [main]\n", Status.FAIL, "after the merge"),
    ("on:\n  push:\n    tags: ['v*']\n", Status.FAIL, "tag pushes"),
    ("on:\n  push:\n    branches: ['release/*', 'support/**']\n", Status.FAIL, "only on pushes to `release/*` or `support/**`"),
    ("on:\n  push:\n    branches: [main, 'release/**']\n", Status.FAIL, "after the merge"),
    ("on:\n  push:\n    branches: ['release/*', 'feature/*']\n", Status.PASS, "pushes to any branch"),  # near miss
    ("on: workflow_dispatch\n", Status.FAIL, "by hand"),
])
def test_github_triggers(make_repo, on: str, status: Status, words: str) -> None:
    root = make_repo({".github/workflows/ci.yml": on + JOB.format(cmd="go test ./...")})
    finding = check(make_context(root))
    assert finding.status is status and words in finding.message


def test_gitlab_default_branch_only_fails_and_merge_requests_pass(make_repo) -> None:
    gitlab = "test:\n  script: [pytest]\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n"
    assert check(make_context(make_repo({".gitlab-ci.yml": gitlab}))).status is Status.FAIL
    gitlab += '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n'
    assert check(make_context(make_repo({".gitlab-ci.yml": gitlab}))).status is Status.PASS


def test_no_test_command_fails(make_repo) -> None:
    root = make_repo({".github/workflows/ci.yml": "on: [pull_request]\n" + JOB.format(cmd="npm run build")})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL and "no test command" in finding.message


SCRIPTED_JENKINSFILE = """\
properties([buildDiscarder(logRotator(numToKeepStr: '50'))])
node('maven') {
  stage('Build') {
    def mavenOptions = ['clean', 'install']  // goals through a shared library: not visible as mvn
    withChecks(name: 'Tests', includeStage: true) {
      realtimeJUnit(healthScaleFactor: 20.0, testResults: '*/target/surefire-reports/*.xml') {
        infra.runMaven(mavenOptions, '21')
      }
    }
  }
}
"""

DECLARATIVE_JENKINSFILE = """\
pipeline {
  agent any
  stages {
    stage('Build') { steps { sh './build.sh' } }
  }
  post { always { junit 'build/test-results/**/*.xml' } }
}
"""


@pytest.mark.parametrize("jenkinsfile", [SCRIPTED_JENKINSFILE, DECLARATIVE_JENKINSFILE])
def test_jenkins_stage_publishing_test_results_ran_tests(make_repo, jenkinsfile: str) -> None:
    """Jenkins builds every branch and pull request; a stage that publishes JUnit results ran
    tests, even when the test command hides in a shared-library step or a build script."""
    finding = check(make_context(make_repo({"Jenkinsfile": jenkinsfile})))
    assert finding.status is Status.PASS, finding.message
    assert "test reports `test results published (" in finding.message
    assert finding.evidence[0].path == "Jenkinsfile"


def test_jenkins_names_that_are_not_the_junit_step(make_repo) -> None:
    jenkinsfile = ("def junit = load 'ci/report.groovy'\nnode {\n  stage('Build') {\n    def opts = [junit: true]\n"
                   "    sh './build.sh'\n    echo env.junit\n  }\n}\n")
    finding = check(make_context(make_repo({"Jenkinsfile": jenkinsfile})))
    assert finding.status is Status.FAIL and "no test command" in finding.message


@pytest.mark.parametrize(("cmd", "status"), [
    # Terraform's own test framework; validate and plan are not tests
    ("terraform test", Status.PASS), ("tofu test -verbose", Status.PASS),
    ("terraform validate", Status.FAIL), ("terraform plan -out plan.bin", Status.FAIL),
    # Django's runner (CircleCI's Django demo runs `pipenv run python manage.py test`)
    ("python manage.py test", Status.PASS),
    ("pipenv run python manage.py test  # behind a wrapper", Status.PASS),
    ("./src/manage.py test accounts --parallel", Status.PASS),
    ("python manage.py migrate", Status.FAIL),
    ("poetry run python manage.py collectstatic --noinput", Status.FAIL),
    # the repository's own test scripts, behind wrappers (fastapi/full-stack-fastapi-template)
    ("uv run bash scripts/tests-start.sh", Status.PASS),
    ("./scripts/start-tests.sh", Status.PASS),
    ("bash scripts/prestart.sh", Status.FAIL),
    ("bash scripts/start.sh", Status.FAIL),
])
def test_test_commands_on_pull_requests(make_repo, cmd: str, status: Status) -> None:
    root = make_repo({".github/workflows/ci.yml": "on: [pull_request]\n" + JOB.format(cmd=cmd)})
    assert check(make_context(root)).status is status


def test_tests_behind_a_matrix_value_and_a_script_pass_with_every_hop(make_repo) -> None:
    wf = ("on: [pull_request]\njobs:\n  checks:\n    runs-on: x\n    strategy:\n      matrix:\n"
          "        run: [make lint, ./scripts/ci/unit.sh]\n    steps:\n      - run: ${{ matrix.run }}\n")
    root = make_repo({".github/workflows/ci.yml": wf, "scripts/ci/unit.sh": "set -e\ngo test ./...\n",
                      "Makefile": "lint:\n\tgolangci-lint run\n"})
    finding = check(make_context(root))
    assert finding.status is Status.PASS
    assert "(.github/workflows/ci.yml:9 -> .github/workflows/ci.yml:7 (matrix.run) -> scripts/ci/unit.sh:2)" \
        in finding.message
    assert "via .github/workflows/ci.yml:9 -> .github/workflows/ci.yml:7 (matrix.run) -> scripts/ci/unit.sh:2" \
        in finding.evidence[0].detail


def test_a_script_that_only_echoes_test_words_still_fails(make_repo) -> None:
    root = make_repo({".github/workflows/ci.yml": "on: [pull_request]\njobs:\n  t:\n    runs-on: x\n    steps:\n"
                                                  "      - run: ./ci.sh\n",
                      "ci.sh": "echo 'go test ./...'\n# pytest\n"})
    assert check(make_context(root)).status is Status.FAIL


# --------------------------------------------------------------------------- table tests on facts
# Each row gives the CI facts directly: which test command runs, on which events and refs.
@pytest.mark.parametrize(("given", "status", "message"), [
    pytest.param(facts.ci(facts.job(facts.run("pytest"))), Status.PASS,
                 "tests run on every change: pytest `pytest` on pull requests (.github/workflows/ci.yml:10)",
                 id="pull requests"),
    pytest.param(facts.ci(facts.job(facts.run("pytest"), triggers=["push"], refs=["branch:*"])), Status.PASS,
                 "tests run on every change: pytest `pytest` on pushes to any branch (.github/workflows/ci.yml:10)",
                 id="pushes to any branch"),
    pytest.param(facts.ci(facts.job(facts.run("pytest"), triggers=["push"], refs=["branch:feature/*"])), Status.PASS,
                 "tests run on every change: pytest `pytest` on pushes", id="pushes to feature branches"),
    pytest.param(facts.ci(facts.job(facts.run("pytest"), triggers=["push"], refs=["branch:main"])), Status.FAIL,
                 "tests do not run on proposed changes: `pytest` runs only on pushes to the default branch, after the "
                 "merge (.github/workflows/ci.yml:10)", id="near miss: after the merge"),
    pytest.param(facts.ci(facts.job(facts.run("pytest"), triggers=["push"], refs=["branch:$default"])), Status.FAIL,
                 "tests do not run on proposed changes: `pytest` runs only on pushes to the default branch",
                 id="near miss: the default branch however named"),
    pytest.param(facts.ci(facts.job(facts.run("pytest"), triggers=["push"], refs=["tag:v*"])), Status.FAIL,
                 "tests do not run on proposed changes: `pytest` runs only on tag pushes or releases",
                 id="near miss: release tags"),
    pytest.param(facts.ci(facts.job(facts.run("go test ./..."), triggers=["schedule"])), Status.FAIL,
                 "tests do not run on proposed changes: `go test ./...` runs on a schedule", id="near miss: nightly"),
    pytest.param(facts.ci(facts.job(facts.run("pip install pytest"))), Status.FAIL,
                 "no tests run in CI: read .github/workflows/ci.yml and found no test command",
                 id="near miss: installed, not run"),
    pytest.param(facts.ci(facts.job(facts.run("echo npm test"))), Status.FAIL, "no tests run in CI",
                 id="near miss: the words echoed"),
    pytest.param(facts.ci(), Status.FAIL, "no tests run in CI: no CI configuration found", id="no CI at all"),
])
def test_table_of_facts(given: CiFacts, status: Status, message: str) -> None:
    finding = check(make_context(facts={ci.detect: given}))
    assert finding.status is status
    assert finding.message.startswith(message)
