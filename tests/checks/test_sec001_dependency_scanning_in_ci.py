"""SEC001 verdicts and messages on whole repositories."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.ci_wording import LOOKED_FOR
from linter.checks.sec001_dependency_scanning_in_ci import check
from linter.detectors import ci
from linter.detectors.ci.model import CiFacts, UpdateBot
from linter.results import Scope, Status
from tests.checks import facts
from tests.detectors.ci.fixtures import build
from tests.helpers import make_context

make_context = partial(make_context, rule="SEC001")  # contexts for SEC001, with its typed options

PR_WORKFLOW = "on: [push, pull_request]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"


def run(root):
    return check(make_context(root))


def test_pass_names_tool_trigger_and_line(tmp_path) -> None:
    finding = run(build(tmp_path, "github_pr_scans"))
    assert finding.status is Status.PASS
    assert "pip-audit on pull requests and pushes (.github/workflows/ci.yml:25)" in finding.message
    assert "called from .github/workflows/ci.yml:27" in finding.message
    assert any(e.path == ".github/workflows/osv.yml" and e.line == 10 for e in finding.evidence)


@pytest.mark.parametrize("case", ["gitlab_templates", "jenkins_declarative", "circleci_orb", "azure_pipelines",
                                  "bitbucket_pipes"])
def test_every_system_fixture_passes(tmp_path, case: str) -> None:
    assert run(build(tmp_path, case)).status is Status.PASS


def test_gitlab_says_merge_requests(tmp_path) -> None:
    assert "merge requests" in run(build(tmp_path, "gitlab_templates")).message


def test_schedule_only_fails_with_reason(tmp_path) -> None:
    finding = run(build(tmp_path, "github_nightly_only"))
    assert finding.status is Status.FAIL
    assert finding.message.startswith(
        "osv-scanner runs only on a schedule or when started by hand (.github/workflows/nightly.yml:12)")
    assert "cannot stop a vulnerable dependency" in finding.message


@pytest.mark.parametrize(
    ("on", "words"),
    [("workflow_dispatch", "when started by hand"), ("workflow_call", "when another workflow calls it (none does)")],
)
def test_manual_and_uncalled_reusable_fail(make_repo, on: str, words: str) -> None:
    root = make_repo({".github/workflows/w.yml": f"on: {on}\njobs:\n  a:\n    steps:\n      - run: npm audit\n"})
    finding = run(root)
    assert finding.status is Status.FAIL
    assert f"npm audit runs only {words} (.github/workflows/w.yml:5)" in finding.message


def test_reusable_called_from_pull_request_workflow_passes(make_repo) -> None:
    root = make_repo({
        ".github/workflows/pr.yml": "on: pull_request\njobs:\n  deps:\n    uses: ./.github/workflows/deps.yml\n",
        ".github/workflows/deps.yml": "on: workflow_call\njobs:\n  audit:\n    steps:\n      - run: pip-audit\n",
    })
    finding = run(root)
    assert finding.status is Status.PASS
    assert "pip-audit on pull requests (.github/workflows/deps.yml:5, called from .github/workflows/pr.yml:4)" \
        in finding.message


@pytest.mark.parametrize(
    "steps",
    [
        "      # - run: npm audit\n      - run: npm test\n",
        "      - run: echo npm audit\n",
        "      - uses: github/codeql-action/analyze@v3\n",
        "      - uses: aquasecurity/trivy-action@master\n        with:\n          scan-type: config\n",
        "      - uses: snyk/actions/iac@master\n",
        "      - run: snyk code test\n",
    ],
)
def test_near_misses_fail(make_repo, steps: str) -> None:
    finding = run(make_repo({".github/workflows/ci.yml": PR_WORKFLOW + steps}))
    assert finding.status is Status.FAIL
    assert finding.message.startswith("no dependency vulnerability scan in CI: read GitHub Actions configuration "
                                      "(.github/workflows/ci.yml)")


def test_non_blocking_scan_passes_but_says_so(make_repo) -> None:
    finding = run(make_repo({".github/workflows/ci.yml": PR_WORKFLOW + "      - run: npm audit || true\n"}))
    assert finding.status is Status.PASS
    assert "does not gate the change" in finding.message


def test_blocking_scan_preferred_in_message(make_repo) -> None:
    finding = run(make_repo({".github/workflows/ci.yml": PR_WORKFLOW + (
        "      - run: npm audit || true\n      - run: osv-scanner -r .\n")}))
    assert "osv-scanner" in finding.message and "does not gate" not in finding.message


@pytest.mark.parametrize(
    ("files", "names"),
    [
        ({".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n"},
         "Dependabot for npm in .github/dependabot.yml"),
        ({"renovate.json": '{"extends": ["config:recommended"]}'}, "Renovate in renovate.json"),
    ],
)
def test_update_bot_alone_fails(make_repo, files, names: str) -> None:
    finding = run(make_repo(files))
    assert finding.status is Status.FAIL
    assert names in finding.message and "do not gate a change" in finding.message
    assert finding.evidence[0].path == next(iter(files))


def test_no_ci_at_all(make_repo) -> None:
    finding = run(make_repo({"README.md": "# hi\n"}))
    assert finding.status is Status.FAIL
    assert "no CI configuration found" in finding.message


HOSTILE_CI = {
    ".github/workflows/b.yml": "- 1\n- 2\n",
    ".github/workflows/c.yml": "on: 5\njobs:\n  x:\n    steps:\n      - run: npm audit\n",
    ".gitlab-ci.yml": "include: 5\njob: [1]\nother:\n  script: {a: b}\n  rules: x\n",
    ".circleci/config.yml": "orbs: []\njobs: 3\nworkflows: [x]\n",
    "azure-pipelines.yml": "stages: {x: 1}\njobs: 7\nsteps: [[], {task: 5}]\n",
    "bitbucket-pipelines.yml": "pipelines:\n  default: {step: 1}\n  branches: [x]\n",
    ".github/dependabot.yml": "updates: 3\n",
}


def test_hostile_repository_never_raises(make_repo) -> None:
    finding = run(make_repo(HOSTILE_CI))
    assert finding.status is Status.FAIL
    assert ("npm audit runs only in a job that never starts here (no event, or an `if:` false in this repository) "
            "(.github/workflows/c.yml:5)") in finding.message


def test_hostile_repository_with_unusable_files_is_an_error_naming_them(make_repo) -> None:
    root = make_repo({**HOSTILE_CI, ".github/workflows/a.yml": "on: [push\n", "Jenkinsfile": b"\x00\xff\x00"})
    finding = run(root)
    assert finding.status is Status.ERROR
    assert "Jenkinsfile (binary content; skipped)" in finding.message
    assert ".github/workflows/a.yml (invalid YAML" in finding.message
    assert {e.path for e in finding.evidence} == {".github/workflows/a.yml", "Jenkinsfile"}


def test_repository_scope_sees_root_ci_when_services_are_scopes(tmp_path) -> None:
    root = build(tmp_path, "github_pr_scans")
    repo = Scope(".", "repo", "repository")
    services = [Scope("services/api", "api", "config"), Scope("services/web", "web", "config")]
    finding = check(make_context(root, scope=repo, scopes=services))
    assert finding.status is Status.PASS


def test_a_scan_inside_a_package_script_passes_and_names_the_script(make_repo) -> None:
    wf = "on: [pull_request]\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: npm run security\n"
    pkg = '{\n  "scripts": {\n    "security": "npm audit --audit-level=high"\n  }\n}\n'
    finding = check(make_context(make_repo({".github/workflows/a.yml": wf, "package.json": pkg})))
    assert finding.status is Status.PASS and "(.github/workflows/a.yml:6 -> package.json:3)" in finding.message


# --------------------------------------------------------------------------- table tests on facts
# Each row gives the CI facts directly (no tree, no parser): what runs, and what starts it.
@pytest.mark.parametrize(("given", "status", "message"), [
    pytest.param(facts.ci(facts.job(facts.run("pip-audit"))), Status.PASS,
                 "dependency scan runs on every change: pip-audit on pull requests (.github/workflows/ci.yml:10)",
                 id="scanner on pull requests"),
    pytest.param(facts.ci(facts.job(facts.uses("actions/dependency-review-action@v4"))), Status.PASS,
                 "dependency scan runs on every change: dependency-review-action on pull requests "
                 "(.github/workflows/ci.yml:10)", id="packaged scanner step"),
    pytest.param(facts.ci(facts.job(facts.run("pip-audit", non_blocking=True), triggers=["push"])), Status.PASS,
                 "dependency scan runs on every change: pip-audit on pushes (.github/workflows/ci.yml:10); but it "
                 "does not gate the change: a finding does not fail the job (pip-audit)", id="scan that does not gate"),
    pytest.param(facts.ci(facts.job(facts.run("pip-audit"), triggers=["schedule"])), Status.FAIL,
                 "pip-audit runs only on a schedule (.github/workflows/ci.yml:10): a scan that runs only after a "
                 "change is merged or released cannot stop a vulnerable dependency; run it on pull requests or "
                 "branch pushes as well",
                 id="near miss: scheduled only"),
    pytest.param(facts.ci(facts.job(facts.run("pip-audit"), triggers=["push"], refs=["tag:v*"])), Status.FAIL,
                 "pip-audit runs only on tag pushes (.github/workflows/ci.yml:10)", id="near miss: tag pushes only"),
    pytest.param(facts.ci(facts.job(facts.run("pip-audit"), triggers=["push"], refs=["branch:release/*", "branch:stable"])),
                 Status.FAIL, "pip-audit runs only on pushes to release branches (.github/workflows/ci.yml:10)",
                 id="near miss: release lines only"),
    pytest.param(facts.ci(facts.job(facts.run("pip-audit"), triggers=["push"], refs=["branch:feature/*"])),
                 Status.PASS, "dependency scan runs on every change: pip-audit on pushes", id="feature branches"),
    pytest.param(facts.ci(facts.job(facts.run("pip-audit"), triggers=["push"], refs=["tag:v*", "branch:main"])),
                 Status.PASS, "dependency scan runs on every change: pip-audit on pushes", id="tags and a branch"),
    pytest.param(facts.ci(facts.job(facts.run("pip-audit"), triggers=["manual"])), Status.FAIL,
                 "pip-audit runs only when started by hand (.github/workflows/ci.yml:10)", id="near miss: by hand"),
    pytest.param(facts.ci(facts.job(facts.run("echo pip-audit"))), Status.FAIL,
                 "no dependency vulnerability scan in CI: read GitHub Actions configuration (.github/workflows/ci.yml) "
                 "and found no dependency scanner step", id="near miss: the name echoed"),
    pytest.param(facts.ci(facts.job(facts.run("pip install pip-audit"))), Status.FAIL,
                 "no dependency vulnerability scan in CI: read GitHub Actions", id="near miss: installed, not run"),
    pytest.param(facts.ci(facts.job(facts.uses("github/codeql-action/analyze@v3"))), Status.FAIL,
                 "no dependency vulnerability scan in CI", id="near miss: SAST is not a dependency scan"),
    pytest.param(facts.ci(bots=[UpdateBot("dependabot", ".github/dependabot.yml", 1, ("pip",))]), Status.FAIL,
                 "no dependency vulnerability scan in CI: only update bots are configured (Dependabot for pip in "
                 ".github/dependabot.yml)", id="near miss: update bot only"),
    pytest.param(facts.ci(), Status.FAIL,
                 f"no dependency vulnerability scan in CI: no CI configuration found (looked for {LOOKED_FOR})",
                 id="no CI at all"),
])
def test_table_of_facts(given: CiFacts, status: Status, message: str) -> None:
    finding = check(make_context(facts={ci.detect: given}))
    assert finding.status is status
    assert finding.message.startswith(message)


def test_table_gitlab_words_and_a_report_only_scanner() -> None:
    given = facts.ci(facts.job(facts.run("trivy fs .", path=".gitlab-ci.yml"), path=".gitlab-ci.yml"),
                     system="gitlab-ci")
    finding = check(make_context(facts={ci.detect: given}))
    assert finding.status is Status.PASS
    assert finding.message == ("dependency scan runs on every change: trivy on merge requests (.gitlab-ci.yml:10); "
                               "but it does not gate the change: a finding does not fail the job "
                               "(trivy fs . (no --exit-code: reports only))")


def test_table_scan_of_another_scope_does_not_count() -> None:
    api, web = Scope("services/api", "api", "config"), Scope("services/web", "web", "config")
    given = facts.ci(facts.job(facts.run("npm audit", path="services/web/.gitlab-ci.yml"),
                               path="services/web/.gitlab-ci.yml"), system="gitlab-ci")
    assert check(make_context(facts={ci.detect: given}, scope=web, scopes=[api, web])).status is Status.PASS
    assert check(make_context(facts={ci.detect: given}, scope=api, scopes=[api, web])).status is Status.FAIL
