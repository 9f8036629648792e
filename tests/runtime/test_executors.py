"""``check --jobs 2``: the child's share gives the same report, byte for byte, whatever happens."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linter.runtime import executors
from linter.checks import REGISTRY
from linter.catalog import load_catalog
from linter.engine import RunOptions, run
from linter.reporters import render
from linter.repo import gitls
from tests.examples_support import EXAMPLE_NAMES, EXAMPLE_NOW, EXAMPLES
from tests.helpers import git_commit_all, write_tree

pytestmark = pytest.mark.skipif(not executors.can_fork(), reason="the child process needs fork (Linux)")


def _reports(target: Path, jobs: int) -> dict[str, str]:
    report, _ = run(target, RunOptions(now=EXAMPLE_NOW, jobs=jobs))
    catalog = report.catalog or load_catalog()
    return {fmt: render(fmt, report, catalog) for fmt in ("json", "sarif", "junit", "markdown", "text")}


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_two_processes_give_byte_identical_reports(name: str) -> None:
    assert _reports(EXAMPLES / name, 2) == _reports(EXAMPLES / name, 1)


def test_the_child_share_is_the_markdown_family_and_really_runs_apart(monkeypatch, tmp_path) -> None:
    log = tmp_path / "child-tasks.log"
    original = executors.child_compute

    def spy(compute, index):
        finding = original(compute, index)
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return finding

    monkeypatch.setattr(executors, "child_compute", spy)
    run(EXAMPLES / "passing", RunOptions(now=EXAMPLE_NOW, jobs=2))
    pids = set(log.read_text(encoding="utf-8").split())
    assert pids and str(os.getpid()) not in pids  # the offloaded tasks ran, and not in this process
    child = executors.second_process_rules(200)
    assert {"DOC001", "REL002", "SEC007", "PROD001"} <= child  # everything that reads Markdown
    assert "DEL002" not in child  # commit sizes stay with the git log the parent prefetched


def test_notes_found_only_in_the_child_reach_the_report(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "# svc\n", "docs/runbook.md": b"# Runbook\n\xff\xfe broken\n",
                          "docs/design.md": b"\x00\x01binary"})
    git_commit_all(tmp_path, "init", "2026-01-01T00:00:00")
    serial, _ = run(tmp_path, RunOptions(now=EXAMPLE_NOW, jobs=1))
    forked, _ = run(tmp_path, RunOptions(now=EXAMPLE_NOW, jobs=2))
    reasons = {(n.path, n.reason) for n in forked.notes}
    assert any(path == "docs/runbook.md" and "UTF-8" in reason for path, reason in reasons)
    assert forked.notes == serial.notes and forked.results == serial.results


@pytest.mark.parametrize("failure", ["raise", "exit", "garbage"])
def test_a_failing_child_changes_nothing(monkeypatch, failure: str) -> None:
    expected = _reports(EXAMPLES / "failing", 1)

    def broken(compute, index):
        if failure == "raise":
            raise RuntimeError("child broke")
        if failure == "exit":
            os._exit(3)
        return "not a finding"

    monkeypatch.setattr(executors, "child_compute", broken)
    assert _reports(EXAMPLES / "failing", 2) == expected


def test_without_fork_or_with_one_job_everything_runs_here(monkeypatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(os, "fork", lambda: calls.append(1) or (_ for _ in ()).throw(OSError("no fork")))
    expected = _reports(EXAMPLES / "monorepo", 1)
    assert _reports(EXAMPLES / "monorepo", 2) == expected and calls == [1]  # tried, failed, ran serially
    monkeypatch.setattr(executors, "can_fork", lambda: False)
    assert executors.auto_jobs() == 1
    assert _reports(EXAMPLES / "monorepo", 2) == expected and calls == [1]  # not even tried


def test_forget_leaves_the_parents_git_processes_running(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": "a"})
    git_commit_all(tmp_path, "init", "2026-01-01T00:00:00")
    gitls.prefetch(tmp_path)
    cached, others = gitls._pending[str(tmp_path.resolve())]
    gitls.forget()
    assert gitls._pending == {} and gitls._commands == {}
    assert gitls.read_all(cached) == ["a.txt"]  # still readable by its owner
    gitls.stop(others)


def test_cli_jobs_option(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from linter.cli import cli

    one = CliRunner().invoke(cli, ["check", str(EXAMPLES / "passing"), "--format", "json", "--jobs", "1"],
                             env={"PRACTICELINT_NOW": "2026-12-01"})
    two = CliRunner().invoke(cli, ["check", str(EXAMPLES / "passing"), "--format", "json", "-j", "2"],
                             env={"PRACTICELINT_NOW": "2026-12-01"})
    assert one.exit_code == two.exit_code == 0 and one.output == two.output
    assert CliRunner().invoke(cli, ["check", str(EXAMPLES / "passing"), "--jobs", "0"]).exit_code == 2


def _pid_plan(scopes: list) -> executors.Plan:
    """Two tasks; each finding names the process that computed it and the scopes it saw."""
    from linter.results import Finding, Status

    tasks = [("R1", scopes[0]), ("R2", scopes[0])]

    def compute(index: int) -> Finding:
        return Finding(Status.PASS, f"{os.getpid()} {','.join(s.path for s in scopes)}")

    return executors.Plan(tasks, compute, [1], lambda: None)


def test_the_child_runs_its_share_with_the_scopes_the_parent_sends(tmp_path: Path) -> None:
    """The child is forked before the scopes are known: it gets them (and the facts behind
    them) from the parent, runs its share where it is, and its findings come back in order."""
    write_tree(tmp_path, {"x.txt": "1"})
    git_commit_all(tmp_path, "init", "2026-01-01T00:00:00")
    from linter.repo.workspace import Workspace
    from linter.results import Scope

    ws = Workspace(tmp_path)
    ws.files  # noqa: B018
    scopes = [Scope("svc/a", "a", "config"), Scope("svc/b", "b", "config")]
    executor = executors.for_run(ws, 2, ["R1", "R2"], ["R2"], _pid_plan)
    assert isinstance(executor, executors.ForkedExecutor)
    executor.start()
    try:
        found = executor.execute(_pid_plan(scopes), scopes)
    finally:
        executor.close()
    mine, theirs = (finding.message.split() for finding in found)
    assert mine[0] == str(os.getpid()) and theirs[0] != str(os.getpid())
    assert mine[1] == theirs[1] == "svc/a,svc/b"
    assert isinstance(executors.for_run(ws, 1, ["R1", "R2"], ["R2"], _pid_plan), executors.SerialExecutor)
    assert isinstance(executors.for_run(ws, 2, ["R2"], ["R2"], _pid_plan), executors.SerialExecutor)


def test_a_parent_that_stops_before_sharing_leaves_no_child_behind(tmp_path: Path) -> None:
    write_tree(tmp_path, {"x.txt": "1"})
    git_commit_all(tmp_path, "init", "2026-01-01T00:00:00")
    from linter.repo.workspace import Workspace

    ws = Workspace(tmp_path)
    ws.files  # noqa: B018
    executor = executors.ForkedExecutor(ws, [], _pid_plan)
    executor.start()
    pid = executor._fork.pid
    executor.close()  # as the engine's ``finally`` does when finding the scopes failed
    with pytest.raises(ChildProcessError):  # reaped: it left, and nothing waits for it any more
        os.waitpid(pid, 0)

def test_warm_up_lists_name_the_rules_own_detectors_and_none_needs_the_scopes(monkeypatch) -> None:
    """Each child rule warms up only detectors it really calls, and none of them reaches for the
    Backstage facts (the child computes them before the parent sends those)."""
    from linter import engine
    from linter.repo.workspace import Workspace

    calls: list[tuple[str | None, str, int]] = []
    current: list[str | None] = [None]
    depth = [0]
    original_facts, original_load = Workspace.facts, engine.load_check

    def facts(ws, detector):
        calls.append((current[0], f"{detector.__module__.removeprefix('linter.detectors.')}.{detector.__name__}", depth[0]))
        depth[0] += 1
        try:
            return original_facts(ws, detector)
        finally:
            depth[0] -= 1

    def load_check(rule_id, values):
        check, options = original_load(rule_id, values)

        def tracked(ctx):
            current[0] = rule_id
            try:
                return check(ctx)
            finally:
                current[0] = None

        return tracked, options

    monkeypatch.setattr(Workspace, "facts", facts)
    monkeypatch.setattr(engine, "load_check", load_check)
    for name in EXAMPLE_NAMES:
        run(EXAMPLES / name, RunOptions(now=EXAMPLE_NOW, jobs=1))
    used = {(rule, detector) for rule, detector, level in calls if rule and level == 0}
    for rule in executors.second_process_rules(200):
        assert {(rule, detector) for detector in executors.warm_up_list([rule])} <= used, rule
    warmed = set(executors.warm_up_list(REGISTRY))
    nested_under_warm: set[str] = set()
    stack: list[str] = []
    for _, detector, level in calls:
        del stack[level:]
        if any(d in warmed for d in stack):
            nested_under_warm.add(detector)
        stack.append(detector)
    assert "backstage.detect" not in nested_under_warm


def test_datastores_go_to_the_child_only_on_smaller_repositories() -> None:
    small, large = executors.second_process_rules(200), executors.second_process_rules(executors.SMALL_REPOSITORY_FILES)
    assert "SEC008" in small and "SEC008" not in large
    assert large < small and small - large == {"SEC008"}
