"""The CI rules (DEL001, DEL003, SEC001, SEC003, SEC004, SEC005) on CI configuration files that
could not be used (``CiFacts.unusable``): a verdict of absence ("found no test command") is
honest only when every file that could hold the evidence was read, so it becomes ``error``
naming the file (``linter.checks.unreadable.could_not_read``). A pass proven by a readable file
stays a pass, and a file another scope owns changes nothing here. PERF003 and COST002, which
also look for a tool in CI, do the same."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import pytest

from linter.checks import (
    del001_continuous_deployment, del003_tests_on_every_change, sec001_dependency_scanning_in_ci,
    sec003_static_analysis_in_ci, sec004_secret_scanning, sec005_compliance_as_code,
)
from linter.detectors import ci, gitops, precommit
from linter.detectors.ci.model import CiFacts
from linter.engine import RunOptions, run
from linter.results import Scope, Status
from tests.checks import facts
from tests.helpers import make_context, write_tree

BROKEN = facts.WORKFLOW
OTHER = ".github/workflows/good.yml"
NO_IAC = gitops.InfraFacts()
IAC = gitops.InfraFacts(iac=(gitops.IacFile("main.tf", "terraform"), gitops.IacFile("services/a/main.tf", "terraform"),
                             gitops.IacFile("services/b/main.tf", "terraform")))

#: rule -> (its check, the other facts it reads, a command that proves it, the error's words)
RULES: dict[str, tuple[Callable[..., Any], dict[Any, Any], str, str]] = {
    "DEL001": (del001_continuous_deployment.check, {gitops.detect: NO_IAC}, "kubectl apply -f k8s/",
               "no deployment started by a merge to the default branch"),
    "DEL003": (del003_tests_on_every_change.check, {}, "pytest", "no tests that run on every proposed change"),
    "SEC001": (sec001_dependency_scanning_in_ci.check, {}, "pip-audit",
               "no dependency vulnerability scan that runs on every change"),
    "SEC003": (sec003_static_analysis_in_ci.check, {}, "semgrep ci",
               "no static application security testing that runs on every change"),
    "SEC004": (sec004_secret_scanning.check, {precommit.detect: precommit.PreCommitFacts()}, "gitleaks detect",
               "no secret scanner that runs on every change and no secret-scanning pre-commit hook"),
    "SEC005": (sec005_compliance_as_code.check, {gitops.detect: IAC, precommit.detect: precommit.PreCommitFacts()},
               "checkov -d .", "no IaC policy check that runs on every change"),
}


def proving_job(rule: str, path: str = OTHER, triggers: tuple[str, ...] = ("pull_request", "push")) -> ci.Job:
    """A job whose command proves ``rule`` when ``triggers`` start it (DEL001: pushes to main)."""
    command = facts.run(RULES[rule][2], path=path)
    if rule == "DEL001":
        return facts.job(command, triggers=triggers, refs=["branch:main"], path=path, environment="production")
    return facts.job(command, triggers=triggers, path=path)


def judge(rule: str, given: CiFacts, **context: Any) -> Any:
    check, others, _, _ = RULES[rule]
    return check(make_context(rule=rule, facts={ci.detect: given, **others}, **context))


def with_unusable(given: CiFacts, *paths: str) -> CiFacts:
    return replace(given, unusable=tuple(sorted(paths)), files_read=tuple(sorted({*given.files_read, *paths})))


@pytest.mark.parametrize("rule", sorted(RULES))
def test_nothing_readable_is_an_error_naming_the_file(rule: str) -> None:
    finding = judge(rule, with_unusable(facts.ci(), BROKEN))
    assert finding.status is Status.ERROR
    assert finding.message.startswith(f"Could not be evaluated: {RULES[rule][3]}")
    assert f"these could not be used: {BROKEN} (" in finding.message
    assert [e.path for e in finding.evidence] == [BROKEN]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_a_readable_file_that_proves_the_rule_still_passes(rule: str) -> None:
    finding = judge(rule, with_unusable(facts.ci(proving_job(rule)), BROKEN))
    assert finding.status is Status.PASS, finding.message
    assert BROKEN not in finding.message


@pytest.mark.parametrize("rule", sorted(RULES))
def test_a_late_run_found_elsewhere_is_no_proof_of_absence(rule: str) -> None:
    """Without the broken file the rule fails (the tool runs only by hand); with it, the
    broken file may hold the run on every change."""
    late = facts.ci(proving_job(rule, triggers=("manual",)))
    assert judge(rule, late).status is Status.FAIL
    finding = judge(rule, with_unusable(late, BROKEN))
    assert finding.status is Status.ERROR and BROKEN in finding.message


SERVICES = [Scope("services/a", "a", "config"), Scope("services/b", "b", "config")]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_only_the_scope_owning_the_unusable_file_errs(rule: str) -> None:
    given = with_unusable(facts.ci(), "services/a/ci.yml")
    owner = judge(rule, given, scope=SERVICES[0], scopes=SERVICES)
    other = judge(rule, given, scope=SERVICES[1], scopes=SERVICES)
    assert owner.status is Status.ERROR and "services/a/ci.yml" in owner.message
    assert other.status is Status.FAIL, other.message
    assert "could not be used" not in other.message


@pytest.mark.parametrize("rule", sorted(RULES))
def test_readable_files_keep_their_verdict(rule: str) -> None:
    """No unusable file: absence is judged as before."""
    assert judge(rule, facts.ci(facts.job(facts.run("echo hello")))).status is Status.FAIL


# --------------------------------------------------------------------------- whole runs
#: a service (DEL001 and SEC005 judge services) with infrastructure code (SEC005 needs some)
SERVICE = {".practicelint.yaml": "kind: service\n",
           "main.tf": 'resource "aws_s3_bucket" "data" {\n  bucket = "data"\n}\n'}
BROKEN_WORKFLOW = "on: [pull_request\njobs:\n  test: {runs-on: ubuntu-latest\n"
PROVES_ALL = ("on:\n  pull_request:\n  push:\n    branches: [main]\njobs:\n  check:\n    runs-on: ubuntu-latest\n"
              "    steps:\n      - run: pytest\n      - run: pip-audit\n      - run: semgrep ci\n"
              "      - run: gitleaks detect\n      - run: checkov -d .\n"
              "  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n"
              "      - run: kubectl apply -f k8s/\n")
#: valid YAML a careless reader might call broken: expressions, anchors reused and redefined
EXPRESSIONS_AND_ANCHORS = (
    "on: [pull_request]\nenv:\n  REF: ${{ github.ref }}\njobs:\n  a:\n    runs-on: ${{ matrix.os }}\n"
    "    strategy: {matrix: {os: [ubuntu-latest]}}\n    env: &env\n      A: ${{ github.sha }}\n"
    "    steps: &steps\n      - run: echo \"${{ github.event.pull_request.title }}\"\n"
    "  b:\n    runs-on: ubuntu-latest\n    env: *env\n    steps: *steps\n"
    "  c:\n    runs-on: ubuntu-latest\n    env: &env\n      A: 2\n    steps: *steps\n")
JENKINSFILE = "pipeline {\n  agent any\n  stages {\n    stage('x') {\n      steps {\n        sh 'make build'\n      }\n    }\n  }\n}\n"


def verdicts(root: Path, scope: str = ".") -> dict[str, tuple[Status, str]]:
    """Each CI rule's status and message for ``scope`` (every rule judged it)."""
    report, _ = run(root, RunOptions(select=sorted(RULES)))
    found = {r.rule_id: (r.status, r.message) for r in report.results if r.scope == scope}
    assert sorted(found) == sorted(RULES)
    return found


@pytest.mark.parametrize(("files", "named"), [
    pytest.param({".github/workflows/ci.yml": BROKEN_WORKFLOW}, ".github/workflows/ci.yml", id="broken workflow"),
    pytest.param({".gitlab-ci.yml": "include:\n  - local: ci/tests.yml\nbuild:\n  script: make\n",
                  "ci/tests.yml": "test:\n  script: [pytest\n"}, "ci/tests.yml", id="broken GitLab include"),
])
def test_every_ci_rule_errs_naming_the_unusable_file(tmp_path: Path, files: dict[str, str], named: str) -> None:
    found = verdicts(write_tree(tmp_path, {**SERVICE, **files}))
    for rule, (status, message) in found.items():
        assert status is Status.ERROR, (rule, message)
        assert f"these could not be used: {named} (invalid YAML" in message, (rule, message)


def test_a_pass_from_another_readable_workflow_stays_a_pass(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {**SERVICE, ".github/workflows/ci.yml": BROKEN_WORKFLOW,
                                 ".github/workflows/good.yml": PROVES_ALL})
    for rule, (status, message) in verdicts(root).items():
        assert status is Status.PASS, (rule, message)


@pytest.mark.parametrize(("extra", "status"), [
    pytest.param({}, Status.FAIL, id="nothing found"),
    pytest.param({".github/workflows/good.yml": PROVES_ALL}, Status.PASS, id="tools found"),
])
def test_expressions_and_anchors_are_judged_normally(tmp_path: Path, extra: dict[str, str], status: Status) -> None:
    root = write_tree(tmp_path, {**SERVICE, ".github/workflows/ci.yml": EXPRESSIONS_AND_ANCHORS, **extra})
    for rule, (found, message) in verdicts(root).items():
        assert found is status, (rule, message)


def test_in_a_monorepo_the_repository_verdict_needs_every_service_s_ci_file(tmp_path: Path) -> None:
    """The six rules judge the repository once (``scope: repo``), so it owns every CI file; the
    scope near miss (another service's file) is the table test above."""
    root = write_tree(tmp_path, {
        ".practicelint.yaml": "services: ['services/*']\n", "services/a/main.tf": SERVICE["main.tf"],
        "services/a/Jenkinsfile": b"pipeline {\x00}", "services/b/Jenkinsfile": JENKINSFILE,
    })
    for rule, (status, message) in verdicts(root).items():
        assert status is Status.ERROR and "services/a/Jenkinsfile (binary content" in message, (rule, message)


def test_broken_yaml_no_ci_file_reads_changes_nothing(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        **SERVICE, "Jenkinsfile": JENKINSFILE, "ci/unused.yml": "test:\n  script: [pytest\n",
        "k8s/deploy.yaml": "kind: [Deployment\n", ".github/dependabot.yml": "updates: [\n",
    })
    for rule, (status, message) in verdicts(root).items():
        assert status is Status.FAIL and "could not be used" not in message, (rule, message)


# --------------------------------------------------------------------------- PERF003, COST002
from linter.checks import cost002_cost_visibility, perf003_load_tests  # noqa: E402
from linter.detectors import loadtests  # noqa: E402

#: rules that also look for a tool in CI: (check, the other facts they read, a proving command, the error's words)
ALSO_CI: dict[str, tuple[Callable[..., Any], dict[Any, Any], str, str]] = {
    "PERF003": (perf003_load_tests.check, {loadtests.detect: loadtests.LoadTestFacts()}, "k6 run load/api.js",
                "no load or performance tests"),
    "COST002": (cost002_cost_visibility.check, {gitops.detect: IAC}, "infracost breakdown --path .",
                "no cost visibility"),
}


@pytest.mark.parametrize("rule", sorted(ALSO_CI))
def test_rules_that_look_for_a_tool_in_ci_err_on_unusable_ci_files_too(rule: str) -> None:
    check, others, command, words = ALSO_CI[rule]

    def judged(given: CiFacts) -> Any:
        return check(make_context(rule=rule, facts={ci.detect: given, **others}))

    broken = judged(with_unusable(facts.ci(), BROKEN))
    assert broken.status is Status.ERROR and broken.message.startswith(f"Could not be evaluated: {words}")
    assert [e.path for e in broken.evidence] == [BROKEN]
    proven = judged(with_unusable(facts.ci(facts.job(facts.run(command, path=OTHER), path=OTHER)), BROKEN))
    assert proven.status is Status.PASS and BROKEN not in proven.message
    assert judged(facts.ci(facts.job(facts.run("echo hello")))).status is Status.FAIL
