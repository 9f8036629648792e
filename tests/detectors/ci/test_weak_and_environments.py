"""Job and step names as weak evidence of tests (DEL003 only, never a scanner), and jobs that
build their own integration environment: a test job whose kubectl/helm is not a deployment."""

from __future__ import annotations

import pytest

from linter.checks.del001_continuous_deployment import check as del001
from linter.checks.del003_tests_on_every_change import check as del003
from linter.checks.sec003_static_analysis_in_ci import check as sec003
from linter.detectors.ci.weak import named_like_test
from linter.results import Status
from tests.helpers import make_context

CI = ".github/workflows/ci.yml"


def _job(name: str, *runs: str, step_name: str = "") -> str:
    steps = "".join(f"      - run: {r}\n" + (f"        name: {step_name}\n" if step_name else "") for r in runs)
    return f"on: [pull_request]\njobs:\n  j:\n    name: {name}\n    runs-on: x\n    steps:\n{steps}"


@pytest.mark.parametrize(("name", "expected"), [
    ("Unit tests", True), ("test (3.12)", True), ("build-and-test", True), ("e2e", True), ("Integration", True),
    ("latest", False), ("contest", False), ("Lint", False), ("Build", False), ("Security scan", False),
])
def test_names_like_a_test(name: str, expected: bool) -> None:
    assert named_like_test(name) is expected


def test_a_test_job_running_a_build_tool_counts_with_a_note(make_repo) -> None:
    root = make_repo({CI: _job("Unit tests", "cargo hack --feature-powerset check")})
    finding = del003(make_context(root, rule="DEL003"))
    assert finding.status is Status.PASS and "weaker evidence" in finding.message
    assert "by its name (Unit tests)" in finding.message
    root = make_repo({CI: _job("Build", "./ci/run-suite.sh", step_name="Run tests"), "ci/run-suite.sh": "echo\n"})
    assert del003(make_context(root, rule="DEL003")).status is Status.PASS  # a step's name


@pytest.mark.parametrize("job", [
    _job("Unit tests", "npm ci", "pip install -r requirements.txt"),  # installs only
    _job("Unit tests", "echo running tests"),  # not a build tool
    _job("Lint", "cargo clippy"),  # not named for tests
])
def test_weak_evidence_near_misses(make_repo, job: str) -> None:
    assert del003(make_context(make_repo({CI: job}), rule="DEL003")).status is Status.FAIL


def test_names_never_count_for_scanners(make_repo) -> None:
    root = make_repo({CI: _job("SAST security tests", "make security")})
    assert sec003(make_context(root, rule="SEC003")).status is Status.FAIL


KIND = """on:
  push:
    branches: [main]
  pull_request:
jobs:
  e2e:
    runs-on: x
    steps:
      - run: ./hack/setup-cluster.sh
      - run: kubectl apply -f deploy/
      - run: ./hack/check.sh
"""


def test_a_job_that_creates_its_own_cluster_is_a_test_job_not_a_deployment(make_repo) -> None:
    root = make_repo({CI: KIND, "hack/setup-cluster.sh": "kind create cluster --name ci\n", "hack/check.sh": "curl x\n"})
    assert del001(make_context(root, rule="DEL001")).status is Status.FAIL  # kubectl targets the job's own cluster
    finding = del003(make_context(root, rule="DEL003"))
    assert finding.status is Status.PASS and "creates its own cluster (kind create cluster" in finding.message
    # without the cluster, the same kubectl is a deployment
    root = make_repo({CI: KIND, "hack/setup-cluster.sh": "echo\n", "hack/check.sh": "curl x\n"})
    assert del001(make_context(root, rule="DEL001")).status is Status.PASS


def test_a_compose_stack_is_an_integration_environment(make_repo) -> None:
    wf = "on: [pull_request]\njobs:\n  it:\n    runs-on: x\n    steps:\n      - run: docker compose up -d\n" \
         "      - run: ./smoke.sh\n"
    finding = del003(make_context(make_repo({CI: wf, "smoke.sh": "curl -f localhost\n"}), rule="DEL003"))
    assert finding.status is Status.PASS and "Compose stack" in finding.message
