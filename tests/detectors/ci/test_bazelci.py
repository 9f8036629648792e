"""Bazel CI: the tasks of ``.bazelci/presubmit.yml`` in both documented formats, target lists
written as YAML sets extended by merge keys, the commands each task runs, what is not read
(``.bcr/presubmit.yml``, a postsubmit file), and hostile input."""

from __future__ import annotations

from linter.checks.del003_tests_on_every_change import check as del003
from linter.detectors.ci.tables import TESTS
from linter.results import Status
from tests.detectors.ci.helpers import facts, hits, programs
from tests.helpers import make_context

#: The shape bazel-skylib and rules_* repositories use: a matrix, anchors, targets as sets.
PRESUBMIT = """\
---
matrix:
  platform:
    - ubuntu2204
    - windows

.flags: &flags
  ? "--incompatible_disallow_empty_glob"

.targets: &targets
  ? "--"
  ? "//..."

tasks:
  workspace_build:
    name: "Bazel 7 (WORKSPACE)"
    platform: ${{ platform }}
    build_flags: *flags
    build_targets: *targets
  bzlmod:
    name: "Bazel 8"
    platform: ${{ platform }}
    test_flags:
      <<: *flags
      ? "--test_env=PATH"
    test_targets:
      <<: *targets
      ? "-//docs/..."
buildifier: latest
"""


def _jobs(root):
    found, _ = facts(root)
    return {job.name: job for _, job in found.jobs()}


def test_tasks_run_bazel_on_pull_requests_and_pushes(make_repo) -> None:
    root = make_repo({".bazelci/presubmit.yml": PRESUBMIT})
    jobs = _jobs(root)
    assert set(jobs) == {"workspace_build", "bzlmod"}
    assert jobs["bzlmod"].triggers == {"pull_request", "push"} and jobs["bzlmod"].title == "Bazel 8"
    assert ("bazel", "test", "--incompatible_disallow_empty_glob", "--test_env=PATH", "--", "//...",
            "-//docs/...") in programs(root)
    found = hits(root, TESTS)
    assert [tool for tool, _, _ in found] == ["bazel test"]  # the build-only task is not a test run
    assert found[0][2].startswith(".bazelci/presubmit.yml:")


def test_legacy_platforms_format_and_commands(make_repo) -> None:
    legacy = ("platforms:\n  ubuntu1804:\n    shell_commands:\n      - ./scripts/unit.sh\n"
              "    build_targets:\n      - '...'\n  windows:\n    batch_commands:\n      - echo hi\n"
              "    test_targets: ['//tests/...']\n")
    root = make_repo({".bazelci/presubmit.yml": legacy, "scripts/unit.sh": "#!/bin/sh\npytest -q\n"})
    jobs = _jobs(root)
    assert set(jobs) == {"ubuntu1804", "windows"}
    tools = {tool for tool, _, _ in hits(root, TESTS)}
    assert tools == {"pytest", "bazel test"}  # a shell command is followed into its script


def test_del003_passes_on_presubmit_tests(make_repo) -> None:
    root = make_repo({".bazelci/presubmit.yml": PRESUBMIT, ".practicelint.yaml": "kind: library\n"})
    finding = del003(make_context(root, rule="DEL003"))
    assert finding.status is Status.PASS
    assert ".bazelci/presubmit.yml" in finding.message


def test_near_misses_are_not_tests(make_repo) -> None:
    """Build-only tasks, flags without targets, the registry's presubmit and a postsubmit file."""
    build_only = "tasks:\n  ubuntu:\n    build_targets: ['//...']\n    test_flags: ['--test_output=errors']\n"
    root = make_repo({".bazelci/presubmit.yml": build_only,
                      ".bcr/presubmit.yml": "tasks:\n  t:\n    test_targets: ['//...']\n",
                      ".bazelci/postsubmit.yml": "tasks:\n  t:\n    test_targets: ['//...']\n"})
    assert hits(root, TESTS) == []
    assert programs(root) == [("bazel", "build", "//...")]
    assert _jobs(make_repo({".bcr/presubmit.yml": "tasks:\n  t:\n    test_targets: ['//...']\n"})) == {}


def test_hostile_files(make_repo) -> None:
    """Not mappings, wrong types, numbers as targets, and more tasks and targets than the bounds."""
    for text in ("- a\n- b\n", "tasks: 3\n", "tasks:\n  t: [1, 2]\n", "tasks:\n  t:\n    test_targets: 7\n",
                 "{{ not yaml", ""):
        assert _jobs(make_repo({".bazelci/presubmit.yml": text})) == {}
    many = "tasks:\n" + "".join(f"  t{i}:\n    test_targets: [{i}]\n" for i in range(2_100))
    jobs = _jobs(make_repo({".bazelci/presubmit.yml": many}))
    assert len(jobs) == 2_000
    wide = "tasks:\n  t:\n    test_targets: [" + ", ".join(f"'//p{i}'" for i in range(5_000)) + "]\n"
    (argv,) = programs(make_repo({".bazelci/presubmit.yml": wide}))
    assert argv[:2] == ("bazel", "test") and len(argv) == 2 + 500
