"""The resolution layer follows the shell scripts a CI step runs, with every hop as evidence:
by path, ``bash x.sh``, ``sh -c``, ``source``, with positional parameters and ``case "$1"``
dispatch; and survives what a hostile repository can write (cycles, huge and deep scripts,
paths out of the repository)."""

from __future__ import annotations

import pytest

from linter.detectors.ci.resolve import MAX_COMMANDS_PER_JOB, MAX_DEPTH
from linter.detectors.ci.tables import DEPENDENCY_SCAN, SAST, TESTS
from tests.detectors.ci.helpers import facts, hits, programs, workflow

UNIT = "#!/usr/bin/env bash\nset -euo pipefail\n# go test is the unit suite\n\ngo test ./...\n"


@pytest.mark.parametrize("cmd", ["./scripts/ci/unit.sh", "bash scripts/ci/unit.sh", "sh -e ./scripts/ci/unit.sh",
                                 "source scripts/ci/unit.sh", ". scripts/ci/unit.sh", "sh -c 'go vet && ./scripts/ci/unit.sh'",
                                 "timeout 20m ./scripts/ci/unit.sh", "cd scripts && ./ci/unit.sh"])
def test_a_script_run_by_path_is_followed_with_every_hop(make_repo, cmd: str) -> None:
    root = make_repo({".github/workflows/ci.yml": workflow(cmd), "scripts/ci/unit.sh": UNIT})
    assert hits(root, TESTS) == [("go test", "go test ./...", ".github/workflows/ci.yml:6 -> scripts/ci/unit.sh:5")]


@pytest.mark.parametrize(("files", "cmd"), [
    ({"scripts/ci/unit.sh": "# go test ./...\necho 'go test ./...'\n"}, "./scripts/ci/unit.sh"),  # comment, echo
    ({"scripts/ci/unit.py": "import os\nos.system('go test ./...')\n"}, "python scripts/ci/unit.py"),  # not shell
    ({"scripts/ci/unit.sh": UNIT}, "./scripts/ci/missing.sh"),  # no such file
    ({"scripts/ci/unit.sh": UNIT}, "echo ./scripts/ci/unit.sh"),  # an argument, not a command
    ({"unit.sh": UNIT}, "./../unit.sh"),  # leaves the repository
    ({"unit.sh": UNIT}, "/unit.sh"),  # absolute: outside the repository
    ({"scripts/ci/unit.sh": UNIT}, "cd \"$HOME\" && ./scripts/ci/unit.sh"),  # unknown folder: not guessed
])
def test_near_misses_are_not_followed(make_repo, files: dict[str, str], cmd: str) -> None:
    root = make_repo({".github/workflows/ci.yml": workflow(cmd), **files})
    assert hits(root, TESTS) == []


ENTRYPOINT = """#!/bin/sh
case "$1" in
  lint)
    exec bandit -r src
    ;;
  test|ci-test) exec pytest "${@:2}" ;;
  *) exec "$@" ;;
esac
"""


def test_case_dispatch_follows_only_the_branch_the_argument_selects(make_repo) -> None:
    root = make_repo({".github/workflows/ci.yml": workflow("./entrypoint.sh lint"), "entrypoint.sh": ENTRYPOINT})
    assert hits(root, SAST) == [("Bandit", "bandit -r src", ".github/workflows/ci.yml:6 -> entrypoint.sh:4")]
    assert hits(root, TESTS) == []  # the test branch is not what `lint` runs
    root = make_repo({".github/workflows/ci.yml": workflow("./entrypoint.sh ci-test -x"), "entrypoint.sh": ENTRYPOINT})
    assert hits(root, TESTS) == [("pytest", "pytest -x", ".github/workflows/ci.yml:6 -> entrypoint.sh:6")]
    assert hits(root, SAST) == []
    # "$@" hands the arguments on: the default branch runs them
    root = make_repo({".github/workflows/ci.yml": workflow("./entrypoint.sh pip-audit -r req.txt"),
                      "entrypoint.sh": ENTRYPOINT})
    assert [h[0] for h in hits(root, DEPENDENCY_SCAN)] == ["pip-audit"]


def test_an_unknown_argument_keeps_every_branch(make_repo) -> None:
    root = make_repo({".github/workflows/ci.yml": workflow("./entrypoint.sh \"$MODE\""), "entrypoint.sh": ENTRYPOINT})
    assert [h[0] for h in hits(root, SAST)] == ["Bandit"] and [h[0] for h in hits(root, TESTS)] == ["pytest"]


def test_variables_set_in_a_script_and_the_job_env_are_expanded_unknown_ones_stay(make_repo) -> None:
    script = "GO=go\nexport FLAGS=-race\n$GO test $FLAGS ./...\n$UNKNOWN_RUNNER ./...\n"
    wf = ("on: [pull_request]\njobs:\n  t:\n    runs-on: x\n    env:\n      AUDIT: pip-audit\n"
          "    steps:\n      - run: ./ci.sh && $AUDIT\n")
    root = make_repo({".github/workflows/ci.yml": wf, "ci.sh": script})
    assert hits(root, TESTS) == [("go test", "go test -race ./...", ".github/workflows/ci.yml:8 -> ci.sh:3")]
    assert hits(root, DEPENDENCY_SCAN)[0][2] == ".github/workflows/ci.yml:8 -> .github/workflows/ci.yml:6 (env.AUDIT)"
    assert ("$unknown_runner", "./...") in programs(root)  # stays as written (the program name lower-cased)


def test_a_python_shell_step_is_not_read_as_shell(make_repo) -> None:
    wf = "on: [pull_request]\njobs:\n  t:\n    runs-on: x\n    steps:\n      - shell: python\n        run: pytest\n"
    assert hits(make_repo({".github/workflows/ci.yml": wf}), TESTS) == []


def test_working_directory_is_where_a_relative_script_is_found(make_repo) -> None:
    wf = ("on: [pull_request]\njobs:\n  t:\n    runs-on: x\n    defaults:\n      run:\n        working-directory: svc\n"
          "    steps:\n      - run: ./run.sh\n")
    root = make_repo({".github/workflows/ci.yml": wf, "svc/run.sh": "cargo test\n"})
    assert hits(root, TESTS)[0][2] == ".github/workflows/ci.yml:9 -> svc/run.sh:1"


def test_powershell_scripts_keep_their_backslashes(make_repo) -> None:
    wf = "on: [pull_request]\njobs:\n  t:\n    runs-on: windows-latest\n    steps:\n      - shell: pwsh\n" \
         "        run: .\\build\\test.ps1 -Configuration Release\n"
    root = make_repo({".github/workflows/ci.yml": wf, "build/test.ps1": "param($Configuration)\ndotnet test -c `\n  Release\n"})
    assert hits(root, TESTS) == [("dotnet test", "dotnet test -c Release", ".github/workflows/ci.yml:7 -> build/test.ps1:2")]


# --------------------------------------------------------------------------- hostile
def test_cycles_end(make_repo) -> None:
    root = make_repo({".github/workflows/ci.yml": workflow("./a.sh"),
                      "a.sh": "./b.sh\n./a.sh\n", "b.sh": "./a.sh\ngo test ./...\n"})
    found, _ = facts(root)
    commands = next(job for _, job in found.jobs()).commands
    assert len(commands) < 10
    assert hits(root, TESTS) == [("go test", "go test ./...", ".github/workflows/ci.yml:6 -> a.sh:1 -> b.sh:2")]


def test_deep_chains_stop_at_the_depth_limit(make_repo) -> None:
    files = {f"s{i}.sh": f"./s{i + 1}.sh\n" for i in range(40)}
    files["s40.sh"] = "go test ./...\n"
    root = make_repo({".github/workflows/ci.yml": workflow("./s0.sh"), **files})
    found, _ = facts(root)
    deepest = max(len(c.hops) for _, job in found.jobs() for c in job.commands)
    assert deepest == MAX_DEPTH + 1 and hits(root, TESTS) == []


def test_huge_and_fanning_scripts_are_bounded(make_repo) -> None:
    wide = "".join(f"./leaf.sh {i}\n" for i in range(5_000))
    root = make_repo({".github/workflows/ci.yml": workflow("./wide.sh && ./wide.sh"), "wide.sh": wide,
                      "leaf.sh": "echo a\necho b\necho c\n", "big.sh": "echo x; " * 300_000})
    found, ws = facts(root)
    assert all(len(job.commands) <= MAX_COMMANDS_PER_JOB for _, job in found.jobs())
    assert any("more than" in note.reason for note in ws.notes)
    root = make_repo({".github/workflows/ci.yml": workflow("./big.sh"), "big.sh": "echo x; " * 300_000})
    found, _ = facts(root)  # a script over the tokenizer's cap is read up to it, and ends
    assert all(len(job.commands) <= MAX_COMMANDS_PER_JOB for _, job in found.jobs())


def test_binary_and_fifo_like_files_are_not_followed(make_repo) -> None:
    root = make_repo({".github/workflows/ci.yml": workflow("./tool.sh"), "tool.sh": b"\x00\x01\x02ELF\xff"})
    assert hits(root, TESTS) == []


def test_a_run_past_its_command_budget_reads_steps_without_following(make_repo, monkeypatch) -> None:
    from linter.detectors.ci import resolve

    monkeypatch.setattr(resolve, "MAX_COMMANDS_PER_RUN", 3)
    jobs = "".join(f"  j{i}:\n    runs-on: x\n    steps:\n      - run: ./unit.sh && echo a && echo b\n" for i in range(3))
    root = make_repo({".github/workflows/ci.yml": "on: [pull_request]\njobs:\n" + jobs, "unit.sh": "go test ./...\n"})
    found, ws = facts(root)
    followed = [len(job.commands) for _, job in found.jobs()]
    assert followed == [4, 3, 3]  # the first job follows unit.sh; the others read their steps only
    assert any("without following" in note.reason for note in ws.notes)
