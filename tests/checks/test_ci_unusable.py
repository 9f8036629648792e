"""The CI rules (DEL001, DEL003, SEC001, SEC003, SEC004, SEC005) on CI configuration files that
could not be used (``CiFacts.unusable``): a verdict of absence ("found no test command") is
honest only when every file that could hold the evidence was read, so it becomes ``error``
naming the file (``linter.checks.unreadable.could_not_read``). A pass proven by a readable file
stays a pass, and a file another scope owns changes nothing here."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

import pytest

from linter.checks import (
    del001_continuous_deployment, del003_tests_on_every_change, sec001_dependency_scanning_in_ci,
    sec003_static_analysis_in_ci, sec004_secret_scanning, sec005_compliance_as_code,
)
from linter.detectors import ci, gitops, precommit
from linter.detectors.ci.model import CiFacts
from linter.results import Scope, Status
from tests.checks import facts
from tests.helpers import make_context

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
