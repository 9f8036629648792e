"""Each CI system's parser on fixture repositories in real-world shapes, plus hostile input."""

from __future__ import annotations

import pytest

from linter.detectors.ci.judge import job_hits
from linter.detectors.ci.tables import DEPENDENCY_SCAN
from tests.detectors.ci.fixtures import build, facts_of, job_named


def hits_by_tool(facts):
    return {(h.hit.tool, h.hit.path, h.hit.line): h for h in job_hits(facts, DEPENDENCY_SCAN)}


def test_github_pr_workflow_and_called_reusable_workflow(tmp_path) -> None:
    facts, _ = facts_of(build(tmp_path, "github_pr_scans"))
    test = job_named(facts, "test")
    assert test.triggers == {"push", "pull_request"}
    called = job_named(facts, "security/scan")
    assert called.triggers == {"push", "pull_request"}
    assert called.via == "called from .github/workflows/ci.yml:27"
    assert job_named(facts, "scan").triggers == {"call"}  # the reusable workflow on its own
    hits = hits_by_tool(facts)
    assert ("pip-audit", ".github/workflows/ci.yml", 25) in hits  # the comment line 23 is skipped
    assert ("osv-scanner", ".github/workflows/osv.yml", 10) in hits
    assert [b.ecosystems for b in facts.bots] == [("github-actions", "pip")]


def test_github_schedule_only_codeql_trivy_config_comment_and_echo(tmp_path) -> None:
    facts, _ = facts_of(build(tmp_path, "github_nightly_only"))
    hits = job_hits(facts, DEPENDENCY_SCAN)
    assert [(h.hit.tool, h.job.triggers) for h in hits] == [("osv-scanner", frozenset({"schedule", "manual"}))]


@pytest.mark.parametrize(
    ("on", "triggers"),
    [
        ("push", {"push"}),
        ("[push, pull_request]", {"push", "pull_request"}),
        ("{pull_request_target: {types: [opened]}}", {"pull_request"}),
        ("{merge_group: null}", {"merge_group"}),
        ("{schedule: [{cron: '0 0 * * *'}]}", {"schedule"}),
        ("workflow_dispatch", {"manual"}),
        ("workflow_call", {"call"}),
        ("release", {"other"}),
        ("5", set()),
    ],
)
def test_github_on_shapes(make_repo, on: str, triggers: set[str]) -> None:
    root = make_repo({".github/workflows/w.yml": f"on: {on}\njobs:\n  a:\n    steps:\n      - run: npm audit\n"})
    facts, _ = facts_of(root)
    assert job_named(facts, "a").triggers == triggers


def test_github_job_if_narrows_to_event(make_repo) -> None:
    root = make_repo({".github/workflows/w.yml": (
        "on: [push, schedule]\njobs:\n  a:\n    if: github.event_name == 'schedule'\n"
        "    steps:\n      - run: npm audit\n")})
    facts, _ = facts_of(root)
    assert job_named(facts, "a").triggers == {"schedule"}


def test_github_uncalled_reusable_workflow_is_call_only(make_repo) -> None:
    root = make_repo({".github/workflows/reusable.yml": (
        "on:\n  workflow_call:\njobs:\n  audit:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: pip-audit\n")})
    facts, _ = facts_of(root)
    assert [h.job.triggers for h in job_hits(facts, DEPENDENCY_SCAN)] == [frozenset({"call"})]


def test_github_remote_reusable_and_non_blocking_hints(make_repo) -> None:
    root = make_repo({".github/workflows/w.yml": (
        "on: pull_request\n"
        "jobs:\n"
        "  osv:\n"
        "    uses: google/osv-scanner-action/.github/workflows/osv-scanner-reusable-pr.yml@v1.9.0\n"
        "  audit:\n"
        "    continue-on-error: true\n"
        "    steps:\n"
        "      - run: npm audit\n"
        "  trivy:\n"
        "    steps:\n"
        "      - uses: aquasecurity/trivy-action@0.28.0\n"
        "        with:\n"
        "          scan-type: fs\n"
        "          exit-code: '1'\n"
        "      - uses: anchore/scan-action@v4\n"
        "        with:\n"
        "          fail-build: false\n"
        "      - run: pip-audit || true\n")})
    facts, _ = facts_of(root)
    found = {(h.hit.tool, h.hit.line): h.hit.blocking for h in job_hits(facts, DEPENDENCY_SCAN)}
    assert found == {("osv-scanner", 4): True, ("npm audit", 8): False, ("trivy", 11): True,
                     ("grype", 15): False, ("pip-audit", 18): False}


def test_github_hostile_shapes(make_repo) -> None:
    root = make_repo({
        ".github/workflows/broken.yml": "on: [push\njobs: {\n",
        ".github/workflows/list-jobs.yml": "on: push\njobs: []\n",
        ".github/workflows/steps-str.yml": "on: push\njobs:\n  a:\n    steps: x\n  b: 3\n  c:\n    steps: [1, null, [x]]\n",
        ".github/workflows/empty.yml": "",
        ".github/workflows/scalar.yml": "just text\n",
        ".github/workflows/ok.yml": "on: push\njobs:\n  a:\n    steps:\n      - run: osv-scanner -r .\n",
    })
    facts, ws = facts_of(root)
    assert [h.hit.path for h in job_hits(facts, DEPENDENCY_SCAN)] == [".github/workflows/ok.yml"]
    assert any(n.path == ".github/workflows/broken.yml" for n in ws.notes)


def test_gitlab_templates_local_includes_rules_and_manual(tmp_path) -> None:
    facts, _ = facts_of(build(tmp_path, "gitlab_templates"))
    hits = {h.hit.tool: h for h in job_hits(facts, DEPENDENCY_SCAN)}
    template = hits["GitLab dependency scanning"]
    assert (template.hit.path, template.hit.line) == (".gitlab-ci.yml", 6)
    assert template.job.triggers == {"pull_request", "push", "schedule"}
    assert hits["npm audit"].job.triggers == {"schedule"}
    assert (hits["npm audit"].hit.path, hits["npm audit"].hit.line) == ("ci/audit.yml", 5)
    assert hits["yarn audit"].job.triggers == {"manual"}
    assert ".gitlab-ci.yml" in facts.files_read and "ci/audit.yml" in facts.files_read


@pytest.mark.parametrize(
    ("job", "triggers"),
    [
        # no rules: branch pipelines only; merge request pipelines need a rule that admits them
        # (docs.gitlab.com/ci/pipelines/merge_request_pipelines); a rule on something else admits both
        ("  script: [pip-audit]\n", {"push"}),
        ("  script: [pip-audit]\n  only: [schedules]\n", {"schedule"}),
        ("  script: [pip-audit]\n  only: [merge_requests]\n", {"pull_request"}),
        ("  script: [pip-audit]\n  rules:\n    - if: $CI_PIPELINE_SOURCE == \"schedule\"\n      when: never\n"
         "    - when: on_success\n", {"push", "pull_request"}),
        ("  script: [pip-audit]\n  rules:\n    - if: $CI_MERGE_REQUEST_IID\n", {"pull_request"}),
        ("  script: [pip-audit]\n  when: manual\n", {"manual"}),
    ],
)
def test_gitlab_job_triggers(make_repo, job: str, triggers: set[str]) -> None:
    root = make_repo({".gitlab-ci.yml": f"audit:\n{job}"})
    facts, _ = facts_of(root)
    assert job_named(facts, "audit").triggers == triggers


def test_gitlab_hidden_job_only_counts_when_extended_and_override_sets_template_rules(make_repo) -> None:
    root = make_repo({".gitlab-ci.yml": (
        "include:\n  template: Security/Dependency-Scanning.gitlab-ci.yml\n"
        "gemnasium-dependency_scanning:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == \"schedule\"\n"
        ".unused:\n  script: [npm audit]\n")})
    facts, _ = facts_of(root)
    hits = job_hits(facts, DEPENDENCY_SCAN)
    assert [(h.hit.tool, h.job.triggers) for h in hits] == [("GitLab dependency scanning", frozenset({"schedule"}))]


def test_gitlab_component_and_string_include(make_repo) -> None:
    root = make_repo({".gitlab-ci.yml": (
        "include:\n  - component: $CI_SERVER_FQDN/components/dependency-scanning/main@0\n  - extra.yml\n"),
        "extra.yml": "audit:\n  script:\n    - |\n      cargo audit\n"})
    facts, _ = facts_of(root)
    assert {(h.hit.tool, h.hit.path, h.hit.line) for h in job_hits(facts, DEPENDENCY_SCAN)} == {
        ("GitLab dependency scanning", ".gitlab-ci.yml", 2), ("cargo audit", "extra.yml", 4)}


def test_jenkins_stages_comments_and_timer_trigger(tmp_path) -> None:
    facts, _ = facts_of(build(tmp_path, "jenkins_declarative"))
    hits = {h.hit.tool: h for h in job_hits(facts, DEPENDENCY_SCAN)}
    assert set(hits) == {"OWASP dependency-check", "trivy"}
    assert hits["OWASP dependency-check"].job.name == "Dependency check"
    assert hits["OWASP dependency-check"].job.triggers == {"push", "pull_request"}
    assert hits["OWASP dependency-check"].hit.line == 16
    assert hits["trivy"].job.triggers == {"schedule"}


def test_jenkins_scripted_shapes_and_binary(make_repo) -> None:
    root = make_repo({
        "Jenkinsfile": ("node {\n  // sh 'npm audit'\n  sh \"npm ci\"\n"
                        "  def rc = sh(script: 'snyk test', returnStatus: true)\n"
                        "  sh label: 'audit', script: 'pip-audit'\n  echo 'npm audit'\n}\n"),
        "ci/build.jenkinsfile": b"\x00\x01binary",
    })
    facts, _ = facts_of(root)
    found = {(h.hit.tool, h.hit.line, h.hit.blocking) for h in job_hits(facts, DEPENDENCY_SCAN)}
    assert found == {("snyk", 4, False), ("pip-audit", 5, True)}


def test_circleci_orb_and_scheduled_workflow(tmp_path) -> None:
    facts, _ = facts_of(build(tmp_path, "circleci_orb"))
    hits = {h.hit.tool: h for h in job_hits(facts, DEPENDENCY_SCAN)}
    assert hits["snyk"].job.triggers == {"push"}  # every push, to any branch (a pull request is its branch's pushes)
    assert hits["snyk"].hit.line == 15
    assert hits["pip-audit"].job.triggers == {"schedule"}


def test_azure_tasks_templates_and_scripts(tmp_path) -> None:
    facts, _ = facts_of(build(tmp_path, "azure_pipelines"))
    assert [p.path for p in facts.pipelines] == ["azure-pipelines.yml"]  # the template is not a root
    found = {(h.hit.tool, h.hit.path, h.hit.line, h.hit.blocking) for h in job_hits(facts, DEPENDENCY_SCAN)}
    assert found == {("snyk", "azure-pipelines.yml", 26, True),
                     ("dotnet list package --vulnerable", "templates/audit-steps.yml", 3, False)}


def test_azure_schedule_only(make_repo) -> None:
    root = make_repo({"azure-pipelines.yml": (
        "trigger: none\npr: none\nschedules:\n  - cron: '0 3 * * *'\n    branches:\n      include: [main]\n"
        "steps:\n  - script: npm audit\n")})
    facts, _ = facts_of(root)
    assert [h.job.triggers for h in job_hits(facts, DEPENDENCY_SCAN)] == [frozenset({"schedule"})]


def test_azure_vsts_file_names_are_pipelines(make_repo) -> None:
    """``.vsts-ci.yml`` and ``.vsts-pr.yml`` at the root are Azure pipelines (the VSTS-era names);
    near misses: one under ``docs/`` and a ``vsts-ci.yml`` without the dot are not looked for,
    and a ``.vsts-*.yml`` used as a template is not a root."""
    step = "steps:\n  - script: dotnet list package --vulnerable\n"
    root = make_repo({".vsts-ci.yml": "trigger: [main]\npr: none\njobs:\n  - job: build\n    steps:\n"
                                      "      - template: .vsts-steps.yml\n",
                      ".vsts-steps.yml": step,
                      ".vsts-pr.yml": "trigger: none\n" + step,
                      "docs/.vsts-ci.yml": step, "vsts-ci.yml": step})
    facts, _ = facts_of(root)
    assert [p.path for p in facts.pipelines] == [".vsts-ci.yml", ".vsts-pr.yml"]
    found = {(h.hit.path, h.job.triggers) for h in job_hits(facts, DEPENDENCY_SCAN)}
    assert found == {(".vsts-steps.yml", frozenset({"push"})), (".vsts-pr.yml", frozenset({"pull_request"}))}


def test_bitbucket_pipes_and_custom_pipelines(tmp_path) -> None:
    facts, _ = facts_of(build(tmp_path, "bitbucket_pipes"))
    hits = {h.hit.tool: h for h in job_hits(facts, DEPENDENCY_SCAN)}
    assert hits["snyk"].job.triggers == {"pull_request"} and hits["snyk"].hit.blocking
    assert hits["npm audit"].job.triggers == {"manual", "schedule"}


def test_bots_alone(make_repo) -> None:
    root = make_repo({"renovate.json5": "{\n  // comment\n  extends: ['config:recommended'],\n}\n",
                      "package.json": '{"name": "x", "renovate": {"extends": ["config:base"]}}'})
    facts, _ = facts_of(root)
    assert [(b.tool, b.path) for b in facts.bots] == [("renovate", "package.json"), ("renovate", "renovate.json5")]
    assert facts.pipelines == ()


@pytest.mark.parametrize(("reference", "counted"), [
    ("sigstore/community/.github/workflows/reusable-dependency-review.yml@main", True),
    ("acme/ci/.github/workflows/dependency-scanning.yaml@v2", True),
    ("acme/ci/.github/workflows/deps-review.yml@v1", True),
    ("acme/ci/.github/workflows/release.yml@v1", False),  # named for something else
    ("acme/ci/.github/workflows/review-docs.yml@v1", False),
    ("acme/dependency-review/.github/workflows/build.yml@v1", False),  # only the file name counts
])
def test_github_remote_reusable_workflow_named_for_dependency_review(make_repo, reference: str, counted: bool) -> None:
    root = make_repo({".github/workflows/deps.yml": f"on: [pull_request]\njobs:\n  review:\n    uses: {reference}\n"})
    facts, _ = facts_of(root)
    tools = {h.hit.tool for h in job_hits(facts, DEPENDENCY_SCAN)}
    assert (tools == {"dependency review (reusable workflow)"}) is counted
