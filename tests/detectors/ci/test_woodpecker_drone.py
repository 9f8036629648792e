"""Woodpecker CI and Drone CI: realistic workflows judged by the CI rules, the conditions that
narrow a step (tags only, excluded branches, failure only, ``failure: ignore``), the files
that are not workflows, and hostile configurations."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from linter.checks.del001_continuous_deployment import check as del001
from linter.checks.del003_tests_on_every_change import check as del003
from linter.checks.sec001_dependency_scanning_in_ci import check as sec001
from linter.checks.sec003_static_analysis_in_ci import check as sec003
from linter.cli import cli
from linter.detectors.ci import woodpecker
from linter.detectors.ci.drone_steps import image_reference
from linter.detectors.ci.drone_when import MAX_ALTERNATIVES, NOT_DEFAULT, both, condition_of, triggers_and_refs
from linter.detectors.ci.judge import job_hits
from linter.detectors.ci.stages import moment
from linter.detectors.ci.tables import DEPENDENCY_SCAN, SAST
from linter.results import Status
from tests.detectors.ci.fixtures import build, job_named
from tests.detectors.ci.helpers import facts, hits, programs
from tests.helpers import cpu_seconds, git, make_context

TEST_STEP = "steps:\n  test:\n    image: golang\n    commands:\n      - go test ./...\n"
SCAN_STEP = "steps:\n  scan:\n    image: woodpeckerci/plugin-trivy\n"


def _when(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    import yaml

    return triggers_and_refs(condition_of(yaml.safe_load(text)))


def _status(check, root, rule: str):
    return check(make_context(root, rule=rule)).status


# --------------------------------------------------------------------------- Woodpecker: a realistic repository
def test_woodpecker_workflows_jobs_and_triggers(tmp_path) -> None:
    found, ws = facts(build(tmp_path, "woodpecker_workflows"))
    assert found.systems == ("woodpecker",)
    assert found.files_read == (".woodpecker/deploy.yaml", ".woodpecker/release.yaml",
                                ".woodpecker/securityscan.yaml", ".woodpecker/test.yaml")  # README.md is not one
    test = job_named(found, "test/test")
    assert test.triggers == {"push", "pull_request"} and test.refs == ("branch:$default",) and moment(test) == "review"
    assert [c.argv for c in test.commands] == [("make", "test"), ("go", "test", "./...")]  # the comment is not run
    lint = job_named(found, "test/lint")  # a list of conditions (an anchor), inside the workflow's
    assert lint.triggers == {"pull_request"}
    changelog = job_named(found, "test/changelog")  # on tags, which the workflow's `when` never lets in
    assert changelog.triggers == {"other"} and moment(changelog) == "tags"
    assert job_named(found, "test/codecov").non_blocking  # failure: ignore
    assert [c.step.text for c in job_named(found, "test/codecov").commands] == ["woodpeckerci/plugin-codecov@2.1.6"]
    deploy = job_named(found, "deploy/deploy")
    assert deploy.triggers == {"push", "manual"} and deploy.refs == ("branch:main",) and moment(deploy) == "after-merge"
    release = job_named(found, "release/publish")
    assert release.triggers == {"other"} and release.refs == ("tag:v*",) and moment(release) == "tags"
    assert not ws.notes


@pytest.mark.parametrize(("fixture", "check", "rule", "words"), [
    ("woodpecker_workflows", sec001, "SEC001", ["trivy", ".woodpecker/securityscan.yaml:8"]),
    ("woodpecker_workflows", del003, "DEL003", ["make test", ".woodpecker/test.yaml:23"]),
    ("woodpecker_workflows", del001, "DEL001", ["kubectl apply", ".woodpecker/deploy.yaml:11"]),
    ("drone_pipelines", sec001, "SEC001", ["pip-audit", ".drone.yml:19"]),
    ("drone_pipelines", del003, "DEL003", ["pytest", ".drone.yml:13"]),
    ("drone_pipelines", del001, "DEL001", ["kubectl apply", ".drone.yml:47"]),
])
def test_every_ci_rule_judges_the_woodpecker_and_drone_fixtures(tmp_path, fixture: str, check, rule: str,
                                                                 words: list[str]) -> None:
    root = build(tmp_path, fixture, {".practicelint.yaml": "kind: service\n"})
    finding = check(make_context(root, rule=rule))
    text = finding.message + " " + " ".join(f"{e.path}:{e.line} {e.detail}" for e in finding.evidence)
    assert finding.status is Status.PASS, finding.message
    assert all(w in text for w in words), text


def test_end_to_end_pass_and_near_miss(make_repo) -> None:
    """The CLI on a small Woodpecker repository; then the same steps only on tags fail."""
    files = {".woodpecker/ci.yaml": "when:\n  - event: pull_request\n  - event: push\n    branch: main\n"
                                    + TEST_STEP + "  scan:\n    image: woodpeckerci/plugin-trivy:1.1.0\n"}
    statuses = _cli_statuses(make_repo(files))
    assert statuses["SEC001"] == "pass" and statuses["DEL003"] == "pass"
    near = {".woodpecker/ci.yaml": files[".woodpecker/ci.yaml"].replace(
        "when:\n  - event: pull_request\n  - event: push\n    branch: main\n", "when:\n  event: tag\n")}
    statuses = _cli_statuses(make_repo(near))
    assert statuses["SEC001"] == "fail" and statuses["DEL003"] == "fail"


def _cli_statuses(root) -> dict[str, str]:
    result = CliRunner().invoke(cli, ["check", str(root), "--format", "json", "--select", "SEC001,DEL003"])
    return {r["rule_id"]: r["status"] for r in json.loads(result.output)["results"]}


# --------------------------------------------------------------------------- Woodpecker: near misses
@pytest.mark.parametrize(("when", "status"), [
    ("", Status.PASS),  # no condition: every event
    ("    when:\n      event: tag\n", Status.FAIL),
    ("    when:\n      event: [cron, manual]\n", Status.FAIL),
    ("    when:\n      event: push\n      branch: main\n", Status.FAIL),  # after the merge only
    ("    when:\n      event: push\n      branch: '*'\n", Status.PASS),  # every branch push
    ("    when:\n      branch: main\n", Status.PASS),  # pull requests into main too (the target branch)
    ("    when:\n      event: pull_request\n      branch: release/*\n", Status.FAIL),  # not the changes to main
    ("    when:\n      event: {exclude: [pull_request, push]}\n", Status.FAIL),
    ("    when:\n      status: failure\n", Status.FAIL),  # only when something else failed
    ("    when:\n      evaluate: 'CI_COMMIT_AUTHOR == \"bot\"'\n", Status.PASS),  # not read: it may run
    ("    when:\n      - event: tag\n      - event: pull_request\n", Status.PASS),  # any of the list
    ("    when:\n      ref: refs/tags/v*\n", Status.FAIL),
])
def test_step_conditions_decide_tests_on_every_change(make_repo, when: str, status: Status) -> None:
    root = make_repo({".woodpecker/test.yaml": TEST_STEP + when})
    assert _status(del003, root, "DEL003") is status


def test_workflow_condition_and_step_condition_both_hold(make_repo) -> None:
    root = make_repo({".woodpecker/test.yaml": "when:\n  event: tag\n" + TEST_STEP + "    when:\n      event: pull_request\n"})
    found, _ = facts(root)
    assert job_named(found, "test/test").triggers == {"other"}
    assert _status(del003, root, "DEL003") is Status.FAIL


def test_ignored_failure_does_not_gate(make_repo) -> None:
    root = make_repo({".woodpecker/scan.yaml": SCAN_STEP + "    failure: ignore\n"})
    [hit] = job_hits(facts(root)[0], DEPENDENCY_SCAN)
    assert hit.hit.tool == "trivy" and not hit.hit.blocking
    finding = sec001(make_context(root, rule="SEC001"))
    assert finding.status is Status.PASS and "does not gate" in finding.message


@pytest.mark.parametrize(("branch", "refs", "pull_requests"), [
    ("{exclude: [main]}", (NOT_DEFAULT,), False),
    ("{include: [main, 'release/*'], exclude: ['release/1.*']}", ("branch:main", "branch:release/*"), True),
    ("[develop]", ("branch:develop",), False),
    ("${CI_REPO_DEFAULT_BRANCH}", ("branch:$default",), True),
    ("${SOME_VAR}", ("branch:*",), True),  # unknown: not narrowed
])
def test_branch_filters(branch: str, refs: tuple[str, ...], pull_requests: bool) -> None:
    triggers, found = _when(f"event: [push, pull_request]\nbranch: {branch}\n")
    assert found == refs
    assert ("pull_request" in triggers) is pull_requests


def test_pull_requests_into_a_default_branch_git_names(make_git_repo) -> None:
    """``branch: develop`` lets in the pull requests into develop: the changes under review when
    develop is the default branch (origin/HEAD), not otherwise."""
    files = {".woodpecker/test.yaml": "when:\n  event: pull_request\n  branch: develop\n" + TEST_STEP,
             ".drone.yml": "kind: pipeline\ntrigger:\n  branch: {exclude: [develop]}\n"
                           "steps:\n- name: t\n  commands: [pytest]\n"}
    root = make_git_repo(files)
    found, _ = facts(root)
    assert job_named(found, "test/test").triggers == {"other"}
    assert job_named(found, "default/t").triggers >= {"pull_request"}
    git(root, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/develop")
    found, _ = facts(root)
    assert job_named(found, "test/test").triggers == {"pull_request"}
    assert "pull_request" not in job_named(found, "default/t").triggers


def test_deploy_on_excluded_default_branch_is_not_continuous(make_repo) -> None:
    deploy = "steps:\n  deploy:\n    image: k\n    commands: [kubectl apply -f k8s/]\n"
    config = {".practicelint.yaml": "kind: service\n"}
    on_main = make_repo({**config, ".woodpecker/deploy.yaml": "when:\n  event: push\n  branch: main\n" + deploy})
    assert _status(del001, on_main, "DEL001") is Status.PASS
    elsewhere = make_repo({**config, ".woodpecker/deploy.yaml": "when:\n  event: push\n  branch: {exclude: main}\n"
                                                                 + deploy})
    assert _status(del001, elsewhere, "DEL001") is Status.FAIL
    on_tags = make_repo({**config, ".woodpecker/deploy.yaml": "when:\n  event: tag\n" + deploy})
    assert _status(del001, on_tags, "DEL001") is Status.FAIL


def test_a_file_in_the_folder_that_is_not_yaml_is_unusable_the_others_are_read(make_repo) -> None:
    root = make_repo({".woodpecker/test.yaml": TEST_STEP, ".woodpecker/broken.yml": "steps: [\n  {image: x\n",
                      ".woodpecker/notes.txt": "not a workflow", ".woodpecker/old/ci.yml": SCAN_STEP})
    found, _ = facts(root)
    assert found.unusable == (".woodpecker/broken.yml",)
    assert [j.name for _, j in found.jobs()] == ["test/test"]  # subfolders are not read
    assert _status(del003, root, "DEL003") is Status.PASS


def test_woodpecker_sequence_merge_is_read_not_unusable(make_repo) -> None:
    root = make_repo({".woodpecker/test.yaml": "variables:\n  - path: &go ['**/*.go']\n" + TEST_STEP
                      + "    when:\n      event: pull_request\n      path:\n        - <<: *go\n        - go.mod\n"})
    found, _ = facts(root)
    assert found.unusable == () and job_named(found, "test/test").triggers == {"pull_request"}


def test_root_file_and_folder_precedence(make_repo) -> None:
    root = make_repo({".woodpecker.yml": TEST_STEP})
    assert [(p.path, j.name) for p, j in facts(root)[0].jobs()] == [(".woodpecker.yml", "test")]
    both_kinds = make_repo({".woodpecker.yml": TEST_STEP, ".woodpecker/scan.yaml": SCAN_STEP})
    assert facts(both_kinds)[0].files_read == (".woodpecker/scan.yaml",)  # the folder comes first


def test_list_steps_old_pipeline_key_matrix_and_entrypoint(make_repo) -> None:
    root = make_repo({
        ".woodpecker/a.yaml": "matrix:\n  GO_VERSION: ['1.22', '1.23']\nsteps:\n  - name: t\n    image: golang:${GO_VERSION}\n"
                              "    commands: \"go$GO_VERSION test ./...\"\n",
        ".woodpecker/b.yml": "pipeline:\n  lint:\n    image: python\n    entrypoint: [sh, -c, 'ruff check .']\n"
                             "  build:\n    image: plugins/docker\n    repo: org/app\n",
    })
    found, _ = facts(root)
    assert sorted(programs(root)) == [("go1.22", "test", "./..."), ("go1.23", "test", "./..."), ("ruff", "check", ".")]
    build_job = job_named(found, "b/build")
    assert [(s.kind, s.text, dict(s.with_args)) for s in build_job.steps] == [("uses", "plugins/docker", {"repo": "org/app"})]


def test_plugins_the_tool_tables_know(make_repo) -> None:
    root = make_repo({".drone.yml": "kind: pipeline\nsteps:\n  - name: sonar\n    image: aosapps/drone-sonar-plugin:1\n"
                                    "    settings: {sonar_host: x}\n  - name: slack\n    image: plugins/slack\n"})
    assert [tool for tool, _, _ in hits(root, SAST)] == ["SonarQube/SonarCloud"]
    assert _status(sec003, root, "SEC003") is Status.PASS
    other = make_repo({".drone.yml": "kind: pipeline\nsteps:\n  - name: trivy\n    image: aquasec/trivy\n"})
    assert hits(other, DEPENDENCY_SCAN) == []  # an image run with no command is not a scan of the code


@pytest.mark.parametrize(("image", "reference"), [
    ("docker.io/woodpeckerci/plugin-trivy:1.1.0", "woodpeckerci/plugin-trivy@1.1.0"),
    ("codeberg.org/woodpecker-plugins/trivy", "woodpecker-plugins/trivy"),
    ("localhost:5000/org/tool:2", "org/tool@2"),
    ("plugins/slack@sha256:abc", "plugins/slack@sha256:abc"),
    ("library/alpine", "alpine"),
    ("", ""),
    ("a b", ""),
])
def test_image_reference(image: str, reference: str) -> None:
    assert image_reference(image) == reference


# --------------------------------------------------------------------------- Drone
def test_drone_pipelines_jobs_and_triggers(tmp_path) -> None:
    found, ws = facts(build(tmp_path, "drone_pipelines"))
    assert found.systems == ("drone",) and found.files_read == (".drone.yml",)
    assert [j.name for _, j in found.jobs()] == ["deploy/deploy", "release/publish", "test/audit", "test/notify",
                                                 "test/test"]  # secret and signature documents hold no work
    assert job_named(found, "test/test").triggers == {"push", "pull_request"}
    audit = job_named(found, "test/audit")  # `event: {exclude: [tag]}` inside the pipeline's trigger
    assert audit.triggers == {"push", "pull_request"} and audit.refs == ("branch:*",)
    notify = job_named(found, "test/notify")
    assert notify.triggers == {"other"} and notify.non_blocking
    deploy = job_named(found, "deploy/deploy")
    assert deploy.triggers == {"push"} and deploy.refs == ("branch:main",)
    assert job_named(found, "release/publish").refs == ("tag:*",)
    assert not ws.notes


@pytest.mark.parametrize(("trigger", "status"), [
    ("trigger:\n  event: [tag, promote]\n", Status.FAIL),
    ("trigger:\n  event: {exclude: [pull_request, push]}\n", Status.FAIL),
    ("trigger:\n  branch: {exclude: [main, master]}\n", Status.PASS),  # pushes to other branches are reviewed
    ("trigger:\n  event: [custom]\n", Status.FAIL),
    ("trigger:\n  ref: [refs/heads/main, refs/pull/**]\n", Status.PASS),
    ("", Status.PASS),
])
def test_drone_trigger_near_misses(make_repo, trigger: str, status: Status) -> None:
    root = make_repo({".drone.yml": "kind: pipeline\ntype: docker\nname: t\n" + trigger
                                    + "steps:\n- name: t\n  image: python\n  commands: [pytest]\n"})
    assert _status(del003, root, "DEL003") is status


def test_drone_program_configs_are_not_run(make_repo) -> None:
    root = make_repo({".drone.jsonnet": "local p = import 'x.libsonnet'; [p.test('pytest')]\n"})
    found, ws = facts(root)
    assert found.pipelines == () and found.unusable == ()
    assert any("not run" in n.reason for n in ws.notes)


def test_drone_old_format_and_kinds_without_steps(make_repo) -> None:
    root = make_repo({".drone.yml": "pipeline:\n  test:\n    image: python\n    commands: [pytest]\n---\n"
                                    "kind: template\nname: x\ndata: {steps: [{name: a, commands: [pytest]}]}\n"})
    found, _ = facts(root)
    assert [j.name for _, j in found.jobs()] == ["default/test"]


# --------------------------------------------------------------------------- conditions
def test_condition_shapes() -> None:
    assert _when("") == (frozenset({"push", "pull_request", "schedule", "manual", "other"}), ("branch:*", "tag:*"))
    assert _when("event: tag") == (frozenset({"other"}), ("tag:*",))  # a release, not a change
    assert _when("[not, a, mapping]")[0] >= {"pull_request"}  # not a condition: not narrowed
    assert _when("event: [pull_request_closed, deployment, release]") == (frozenset({"other"}), ())
    assert _when("event: push\nstatus: [success, failure]") == (frozenset({"push"}), ("branch:*",))


def test_many_alternatives_are_bounded() -> None:
    many = condition_of([{"event": "push", "branch": f"b{i}"} for i in range(100)])
    assert len(both(many, many)) <= MAX_ALTERNATIVES


# --------------------------------------------------------------------------- hostile input
def test_too_many_workflow_files_are_bounded(make_repo, monkeypatch) -> None:
    monkeypatch.setattr(woodpecker, "MAX_FILES", 5)
    root = make_repo({f".woodpecker/w{i:02}.yaml": TEST_STEP for i in range(12)})
    found, ws = facts(root)
    assert len(found.files_read) == 5
    assert any("Woodpecker" in n.reason for n in ws.notes)


def test_yaml_alias_bomb_and_huge_step_lists_stay_bounded(make_repo) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    steps = "steps:\n" + "".join(f"  s{i}:\n    image: x\n    when: {{branch: [main], event: push}}\n"
                                 f"    commands: [pytest]\n" for i in range(3000))
    root = make_repo({".woodpecker/bomb.yaml": bomb + "steps:\n  t:\n    image: x\n    commands: *i\n",
                      ".woodpecker/many.yaml": steps,
                      ".drone.yml": "---\n".join("kind: pipeline\nsteps: []\n" for _ in range(500))})
    start = cpu_seconds()
    found, _ = facts(root)
    assert cpu_seconds() - start < 30
    assert sum(1 for _ in found.jobs()) <= 2_000 + 1


def test_nothing_outside_the_repository_is_read(make_repo, tmp_path) -> None:
    (tmp_path / "outside.yaml").write_text(TEST_STEP)
    root = make_repo({".woodpecker/a.yaml": "steps:\n  t:\n    image: x\n    commands: [sh ../outside.yaml, "
                                            "bash /etc/passwd]\n"})
    found, _ = facts(root)
    assert found.files_read == (".woodpecker/a.yaml",)


def test_unusable_drone_file(make_repo) -> None:
    root = make_repo({".drone.yml": "kind: pipeline\nsteps: [\n"})
    found, _ = facts(root)
    assert found.unusable == (".drone.yml",)
