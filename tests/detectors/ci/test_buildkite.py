"""Buildkite pipelines: a realistic pipeline judged by every CI rule, the steps that only look
like work (wait, block, input, trigger, comments, branch filters), and hostile pipelines."""

from __future__ import annotations

import pytest

from linter.checks.del001_continuous_deployment import check as del001
from linter.checks.del003_tests_on_every_change import check as del003
from linter.checks.sec001_dependency_scanning_in_ci import check as sec001
from linter.checks.sec003_static_analysis_in_ci import check as sec003
from linter.checks.sec004_secret_scanning import check as sec004
from linter.checks.sec005_compliance_as_code import check as sec005
from linter.detectors.ci import buildkite
from linter.detectors.ci.buildkite_when import NOT_DEFAULT, When, branches, condition_of
from linter.detectors.ci.stages import moment
from linter.detectors.ci.tables import DEPENDENCY_SCAN
from linter.results import Status
from tests.detectors.ci.fixtures import build, job_named
from tests.detectors.ci.helpers import facts, hits
from tests.helpers import cpu_seconds, make_context

PIPELINE = ".buildkite/pipeline.yml"


def _root(tmp_path):
    return build(tmp_path, "buildkite_cli")


def _pipeline(make_repo, text: str, extra: dict[str, str] | None = None):
    return make_repo({PIPELINE: text, **(extra or {})})


# --------------------------------------------------------------------------- a realistic pipeline
def test_realistic_pipeline_jobs_triggers_and_uploads(tmp_path) -> None:
    found, _ = facts(_root(tmp_path))
    assert found.systems == ("buildkite",)
    assert set(found.files_read) == {PIPELINE, ".buildkite/pipeline.deploy.yml", ".buildkite/pipeline.release.yml"}
    test = job_named(found, ":go: test")
    assert test.triggers == {"push", "pull_request"} and moment(test) == "review"
    assert job_named(found, ":shield: security/semgrep").triggers == {"push", "pull_request"}
    deploy = job_named(found, ":kubernetes: deploy")
    assert deploy.via == "uploaded by .buildkite/pipeline.yml:56"
    assert deploy.triggers == {"push"} and deploy.refs == ("branch:main",) and moment(deploy) == "after-merge"
    assert job_named(found, ":rocket: tag").triggers == {"manual"}  # waits for the input step
    assert job_named(found, ":rocket: release").triggers == {"other"}  # another Buildkite pipeline
    build_job = job_named(found, ":terminal: build ({{matrix}})")
    raws = [c.raw for c in build_job.commands]
    assert ("GOOS=darwin", ".buildkite/release.sh", "release", "--snapshot") in raws
    assert ("GOOS=linux", ".buildkite/release.sh", "release", "--snapshot") in raws
    assert ("goreleaser", "release", "--snapshot") in raws  # "$@" of the script
    assert [c.step.text for c in test.commands if c.is_reference] == ["buildkite-plugins/mise-buildkite-plugin@v1.1.3"]


@pytest.mark.parametrize(("check", "rule", "words"), [
    (sec001, "SEC001", ["govulncheck", "mise.toml:15"]),
    (sec003, "SEC003", ["Semgrep", ".buildkite/pipeline.yml:33"]),
    (sec004, "SEC004", ["gitleaks", ".buildkite/pipeline.yml:41"]),
    (sec005, "SEC005", ["checkov", ".buildkite/pipeline.yml:43"]),
    (del003, "DEL003", ["mise run test", ".buildkite/pipeline.yml:19"]),
    (del001, "DEL001", ["kubectl apply", ".buildkite/pipeline.deploy.yml:3"]),
])
def test_every_ci_rule_judges_the_pipeline(tmp_path, check, rule: str, words: list[str]) -> None:
    finding = check(make_context(_root(tmp_path), rule=rule))
    text = finding.message + " " + " ".join(f"{e.path}:{e.line} {e.detail}" for e in finding.evidence)
    assert finding.status is Status.PASS, finding.message
    assert all(w in text for w in words), text


def test_scan_reached_through_mise_keeps_every_hop(tmp_path) -> None:
    assert ("govulncheck", "govulncheck ./...",
            ".buildkite/pipeline.yml:25 -> mise.toml:15") in [
        (tool, detail, chain) for tool, detail, chain in hits(_root(tmp_path), DEPENDENCY_SCAN)]


# --------------------------------------------------------------------------- near misses
def test_wait_and_comment_steps_are_not_work(make_repo) -> None:
    root = _pipeline(make_repo, "steps:\n  - wait\n  - wait: ~\n  - command: |\n      # trivy fs --exit-code 1 .\n"
                                "      echo 'pip-audit'\n")
    assert sec001(make_context(root, rule="SEC001")).status is Status.FAIL


def test_negated_default_branch_runs_everywhere_but_main(make_repo) -> None:
    root = _pipeline(make_repo, "steps:\n  - label: deploy\n    command: kubectl apply -f k8s/\n    branches: '!main'\n"
                                "  - label: tests\n    command: go test ./...\n    branches: '!main'\n")
    found, _ = facts(root)
    assert job_named(found, "deploy").refs == (NOT_DEFAULT,)
    assert del001(make_context(root, rule="DEL001")).status is Status.FAIL
    assert del003(make_context(root, rule="DEL003")).status is Status.PASS  # branches and pull requests


def test_trigger_step_is_recorded_not_followed(make_repo) -> None:
    root = _pipeline(make_repo, "steps:\n  - trigger: app-deploy\n    label: ship it\n    branches: main\n"
                                "    build:\n      message: deploy\n",
                     {".buildkite/app-deploy.yml": "steps:\n  - command: kubectl apply -f k8s/\n"})
    found, _ = facts(root)
    job = job_named(found, "ship it")
    assert [(s.kind, s.text) for s in job.steps] == [("include", "buildkite-pipeline:app-deploy")]
    assert job.refs == ("branch:main",)
    assert job_named(found, "step@2").triggers == {"other"}  # the other file: not started by this pipeline
    assert del001(make_context(root, rule="DEL001")).status is Status.FAIL


@pytest.mark.parametrize(("block", "status"), [
    ("  - block: ':rocket: Ship?'\n", Status.FAIL),  # every build waits for a click
    ("  - block: ':rocket: Ship?'\n    branches: main\n", Status.FAIL),  # the main builds wait
    ("  - block: 'Preview?'\n    if: build.pull_request.id != null\n", Status.PASS),  # only pull requests wait
    ("  - input: 'Notes'\n    key: notes\n", Status.PASS),  # an input step holds nothing by itself
])
def test_block_steps_hold_later_steps(make_repo, block: str, status: Status) -> None:
    root = _pipeline(make_repo, "steps:\n  - command: go test ./...\n" + block +
                     "  - label: deploy\n    command: kubectl apply -f k8s/\n    branches: main\n")
    assert del001(make_context(root, rule="DEL001")).status is status


def test_block_in_another_pipeline_holds_its_later_steps(make_repo) -> None:
    root = make_repo({".buildkite/pipeline.deploy.yml": "steps:\n  - block: Ship?\n  - label: ship\n"
                                                        "    command: kubectl apply -f k8s/\n"})
    found, _ = facts(root)
    assert job_named(found, "ship").triggers == {"manual"}


def test_block_on_main_leaves_other_branches_automatic(make_repo) -> None:
    root = _pipeline(make_repo, "steps:\n  - block: Ship?\n    branches: main\n  - label: tests\n    command: pytest\n")
    found, _ = facts(root)
    job = job_named(found, "tests")
    assert job.triggers == {"push", "pull_request"} and job.refs == (NOT_DEFAULT,)
    assert del003(make_context(root, rule="DEL003")).status is Status.PASS


def test_skip_soft_fail_and_depends_on_a_held_step(make_repo) -> None:
    root = _pipeline(make_repo, """steps:
  - command: trivy fs --exit-code 1 .
    label: skipped
    skip: "flaky"
  - command: osv-scanner -r .
    label: advisory
    soft_fail:
      - exit_status: 1
  - block: go?
    key: go
  - label: after
    key: after
    command: echo
  - label: chained
    depends_on:
      - step: after
    command: pip-audit
""")
    found, _ = facts(root)
    assert "skipped" not in [j.name for _, j in found.jobs()]
    assert job_named(found, "advisory").non_blocking
    assert job_named(found, "chained").triggers == {"manual"}
    finding = sec001(make_context(root, rule="SEC001"))
    assert "osv-scanner" in finding.message and "does not gate" in finding.message
    assert "trivy" not in finding.message and "pip-audit" not in finding.message


@pytest.mark.parametrize(("text", "expected"), [
    ('build.branch == "main"', When(frozenset({"push"}), ("branch:main",))),
    ("build.branch == pipeline.default_branch", When(frozenset({"push"}), ("branch:$default",))),
    ("pipeline.default_branch != build.branch", When(frozenset({"push", "pull_request"}), (NOT_DEFAULT,))),
    ("build.branch =~ /^main$$/", When(frozenset({"push"}), ("branch:main",))),
    ("build.branch =~ /^release\\//", When(frozenset({"push", "pull_request"}), ("branch:release/**",))),
    ("build.pull_request.id != null", When(frozenset({"pull_request"}), ("branch:*",))),
    ("build.pull_request.id == null", When(frozenset({"push"}), ("branch:*",))),
    ('build.tag != null', When(frozenset({"push"}), ("tag:*",))),
    ("build.tag == null", When()),
    ('build.source == "schedule"', When(frozenset({"schedule"}), ("branch:*",))),
    ('build.branch == "main" && build.source == "ui"', When(frozenset({"manual"}), ("branch:main",))),
    ('build.pull_request.id != null || build.branch == "main"',
     When(frozenset({"push", "pull_request"}), ("branch:*", "branch:main"))),
    ("// only for feature branches\nbuild.message !~ /skip tests/", When()),
    ('(build.branch == "main")', When()),  # grouping is not read: the step may run
    ('build.message =~ /build.branch == "main"/', When()),  # a regular expression is not a comparison
])
def test_if_conditions(text: str, expected: When) -> None:
    assert condition_of(text) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("main", When(frozenset({"push"}), ("branch:main",))),
    (["main", "master"], When(frozenset({"push"}), ("branch:main", "branch:master"))),
    ("main feature/*", When(frozenset({"push", "pull_request"}), ("branch:feature/**", "branch:main"))),
    ("!main", When(frozenset({"push", "pull_request"}), (NOT_DEFAULT,))),
    ("* !wip", When()),
    ("", When()),
])
def test_branch_filters(value, expected: When) -> None:
    assert branches(value) == expected


def test_plugin_references() -> None:
    assert buildkite.plugin_reference("docker-compose#v5.0.0") == (
        "buildkite-plugins/docker-compose-buildkite-plugin@v5.0.0", "docker-compose")
    assert buildkite.plugin_reference("my-org/scan#main")[0] == "my-org/scan-buildkite-plugin@main"
    assert buildkite.plugin_reference("https://github.com/org/x-buildkite-plugin.git#v1")[0] == \
        "org/x-buildkite-plugin@v1"
    assert buildkite.plugin_reference("./.buildkite/plugins/local")[0] == "./.buildkite/plugins/local"


def test_json_pipeline_bare_list_and_matrix_setup(make_repo) -> None:
    root = make_repo({"buildkite.json": '{"steps": [{"label": "t", "command": "pytest -k {{matrix.py}}",'
                                        ' "matrix": {"setup": {"py": ["3.11", "3.12"]}}}]}',
                      ".buildkite/steps.yml": "- command: npm audit\n"})
    found, _ = facts(root)
    assert found.files_read == ("buildkite.json",)  # a bare list outside the upload path is not a pipeline
    assert [c.argv for c in job_named(found, "t").commands] == [("pytest", "-k", "3.11"), ("pytest", "-k", "3.12")]


def test_upload_from_a_script_the_step_runs(make_repo) -> None:
    root = _pipeline(make_repo, "steps:\n  - command: .buildkite/upload.sh\n",
                     {".buildkite/upload.sh": "#!/bin/sh\n# buildkite-agent pipeline upload .buildkite/no.yml\n"
                                              "buildkite-agent pipeline upload --replace .buildkite/scan.yml\n",
                      ".buildkite/scan.yml": "- command: pip-audit\n",
                      ".buildkite/no.yml": "- command: npm audit\n"})
    found, _ = facts(root)
    assert found.files_read == (PIPELINE, ".buildkite/scan.yml")  # the commented upload is not followed
    assert job_named(found, "step@1").via == "uploaded by .buildkite/pipeline.yml:2"


# --------------------------------------------------------------------------- hostile
def test_upload_loop_reads_each_file_once(make_repo) -> None:
    root = _pipeline(make_repo, "steps:\n  - command: buildkite-agent pipeline upload .buildkite/b.yml\n",
                     {".buildkite/b.yml": "steps:\n  - command: buildkite-agent pipeline upload .buildkite/pipeline.yml"
                                          " && buildkite-agent pipeline upload\n"})
    found, _ = facts(root)
    assert [p.path for p in found.pipelines] == [".buildkite/b.yml", PIPELINE]


def test_uploads_outside_the_repository_are_not_read(make_repo, tmp_path) -> None:
    (tmp_path / "outside.yml").write_text("- command: pip-audit\n")
    root = _pipeline(make_repo, "steps:\n  - command: |\n"
                                "      buildkite-agent pipeline upload ../outside.yml\n"
                                "      buildkite-agent pipeline upload ../../outside.yml\n"
                                f"      buildkite-agent pipeline upload {tmp_path}/outside.yml\n"
                                "      buildkite-agent pipeline upload $PIPELINE\n"
                                "      buildkite-agent pipeline upload .buildkite/*.yml\n"
                                "      bash ../outside.sh\n")
    found, _ = facts(root)
    assert found.files_read == (PIPELINE,)
    assert sec001(make_context(root, rule="SEC001")).status is Status.FAIL


def test_upload_chain_is_bounded(make_repo) -> None:
    files = {f".buildkite/p{i}.yml": f"- command: buildkite-agent pipeline upload .buildkite/p{i + 1}.yml\n"
             for i in range(20)}
    root = _pipeline(make_repo, "steps:\n  - command: buildkite-agent pipeline upload .buildkite/p0.yml\n", files)
    found, _ = facts(root)
    uploaded = [p.path for p in found.pipelines if p.path != PIPELINE and p.jobs and p.jobs[0].via]
    assert len(uploaded) == buildkite.MAX_UPLOAD_DEPTH


def test_huge_and_deeply_nested_pipelines_stay_bounded(make_repo) -> None:
    steps = "".join(f"  - label: s{i}\n    command: echo {i}\n" for i in range(5_000))
    nested = "steps:\n" + "".join("  " * d + "  - group: g\n" + "  " * d + "    steps:\n" for d in range(60)) \
        + "  " * 60 + "  - command: pip-audit\n"
    root = make_repo({PIPELINE: "steps:\n" + steps, ".buildkite/nested.yml": nested})
    start = cpu_seconds()
    found, _ = facts(root)
    assert cpu_seconds() - start < 30
    assert len(job_named(found, "s0").commands) == 1
    assert sum(len(p.jobs) for p in found.pipelines if p.path == PIPELINE) <= buildkite.MAX_JOBS_PER_PIPELINE
    assert all(not p.jobs for p in found.pipelines if p.path == ".buildkite/nested.yml")  # deeper than groups go


@pytest.mark.parametrize("text", [
    "steps: 5\n", "steps:\n  - [1, 2]\n  - {command: [1, {a: b}], branches: {x: 1}, if: 7, matrix: {setup: 3}}\n",
    "- wait\n- block\n- {trigger: [x]}\n- {group: {}, steps: 3}\n- {plugins: [5, {docker#: {command: {}}}]}\n",
    "steps:\n  - command: buildkite-agent pipeline upload --job\n  - {type: nonsense}\n",
])
def test_malformed_pipelines_do_not_raise(make_repo, text: str) -> None:
    found, _ = facts(_pipeline(make_repo, text))
    assert found.files_read == (PIPELINE,)
