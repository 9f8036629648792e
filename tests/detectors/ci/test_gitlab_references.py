"""GitLab ``!reference [.job, rules]`` in job and workflow rules, and template jobs whose rules
an override replaces (the shape of gitlab-org/gitlab-runner's pipeline)."""

from __future__ import annotations

from pathlib import Path

from linter.checks.del003_tests_on_every_change import check as del003
from linter.checks.sec001_dependency_scanning_in_ci import check as sec001
from linter.results import Status
from tests.detectors.ci.fixtures import facts_of, job_named
from tests.helpers import make_context, write_tree

RULES = """\
.if-merge-request: &if-merge-request
  if: $CI_PIPELINE_SOURCE == "merge_request_event"
.if-fork: &if-fork
  if: '$CI_PROJECT_NAMESPACE !~ /^acme($|\\/)/'

.rules:mr:
  rules:
    - <<: *if-fork
      when: never
    - <<: *if-merge-request
      changes: ["**/*.go"]
.rules:workflow:
  rules:
    - <<: *if-fork
      variables: {RUNNER_TAG: shared}
    - if: '$USE_PILOT == "false"'
"""

MAIN = """\
include:
  - local: /ci/rules.gitlab-ci.yml
  - component: $CI_SERVER_FQDN/components/dependency-scanning/main@1.1.1
variables:
  # we override the rules of the jobs we want to run; this disables all other rules
  DEPENDENCY_SCANNING_DISABLED: "true"
workflow:
  rules: !reference [.rules:workflow, rules]
dependency-scanning:
  rules: !reference [.rules:mr, rules]
unit test:
  rules: !reference [.rules:mr, rules]
  script: [go test ./...]
race test:
  rules:
    - if: $CI_COMMIT_TAG
      when: never
    - !reference [.rules:mr, rules]
  script: [go test -race ./...]
remote:
  rules: !reference [.rules:from-elsewhere, rules]
  script: [make test]
"""


def _repo(tmp_path: Path, main: str = MAIN) -> Path:
    return write_tree(tmp_path, {".gitlab-ci.yml": main, "ci/rules.gitlab-ci.yml": RULES, "go.mod": "module x\n"})


def test_rules_by_reference_are_resolved(tmp_path: Path) -> None:
    facts, _ = facts_of(_repo(tmp_path))
    assert job_named(facts, "unit test").triggers == {"pull_request"}
    assert job_named(facts, "race test").triggers == {"pull_request"}  # a reference as an item of the list
    # rules named in a remote include are unknown: the job runs as if it had none
    assert job_named(facts, "remote").triggers == {"push", "pull_request"}


def test_workflow_rules_by_reference_do_not_stop_every_job(tmp_path: Path) -> None:
    """Before, an unresolved workflow reference admitted no pipeline source at all."""
    finding = del003(make_context(_repo(tmp_path)))
    assert finding.status is Status.PASS, finding.message
    assert "`go test ./...` on merge requests" in finding.message


def test_disabled_variable_does_not_stop_a_template_job_whose_rules_are_overridden(tmp_path: Path) -> None:
    finding = sec001(make_context(_repo(tmp_path)))
    assert finding.status is Status.PASS, finding.message
    # without the override, the variable turns the template's own rules off
    plain = MAIN.replace("dependency-scanning:\n  rules: !reference [.rules:mr, rules]\n", "")
    finding = sec001(make_context(_repo(tmp_path / "plain", plain)))
    assert finding.status is Status.FAIL, finding.message
