"""DEL002 small-changes: p90 against the limit, window, sample size, exclusions, no history."""

from __future__ import annotations

from functools import partial

from pathlib import Path

import pytest

from linter.checks.del002_small_changes import check, percentile
from linter.results import Status
from tests.helpers import git, git_commit_all, make_context, write_tree

make_context = partial(make_context, rule="DEL002")  # contexts for DEL002, with its typed options


def _history(root: Path, sizes: list[int], lockfile_lines: int = 0) -> None:
    """One commit per size, each adding that many lines to its own file (oldest first)."""
    for i, size in enumerate(sizes):
        files = {f"src/change{i}.py": "x\n" * size}
        if lockfile_lines:
            files[f"lock{i}/package-lock.json"] = "{}\n" * lockfile_lines  # never diffed: excluded by pathspec
            files[f"dist{i}/app.min.js"] = "x\n" * 100  # diffed, then left out of the count
        write_tree(root, files)
        git_commit_all(root, f"change {i} ({size} lines)", f"2026-01-{(i % 28) + 1:02d}T{i % 24:02d}:00:00")


@pytest.mark.parametrize("values, expected", [
    ([5], 5), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9), (list(range(1, 21)), 18), ([0, 0, 1000], 1000),
])
def test_nearest_rank_percentile(values: list[int], expected: int) -> None:
    assert percentile(values, 0.9) == expected


def test_small_commits_pass_with_exact_message(tmp_path: Path) -> None:
    _history(tmp_path, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 500])
    finding = check(make_context(tmp_path, options={"window": 200, "max_lines": 400}))
    assert finding.status is Status.PASS
    assert finding.message == "p90 of lines changed per commit over the last 11 commits is 100 (limit 400)"
    assert finding.evidence[0].detail.endswith("change 10 (500 lines): 500 lines")


def test_large_commits_fail_naming_the_largest(tmp_path: Path) -> None:
    _history(tmp_path, [900, 1200, 50, 700, 800, 1000, 10, 600, 2000, 450])
    finding = check(make_context(tmp_path, options={"window": 200, "max_lines": 400}))
    assert finding.status is Status.FAIL
    assert finding.message.startswith("p90 of lines changed per commit over the last 10 commits is 1200 (limit 400); "
                                      "largest: ")
    assert "(2000 lines)" in finding.message
    assert len(finding.evidence) == 5


def test_window_limits_the_sample(tmp_path: Path) -> None:
    _history(tmp_path, [5000] * 3 + [10] * 12)
    assert check(make_context(tmp_path, options={"window": 12, "max_lines": 400})).status is Status.PASS
    assert check(make_context(tmp_path, options={"window": 15, "max_lines": 400})).status is Status.FAIL


def test_small_sample_and_lockfiles_are_mentioned(tmp_path: Path) -> None:
    _history(tmp_path, [10, 20], lockfile_lines=3000)
    finding = check(make_context(tmp_path, options={"window": 200, "max_lines": 400}))
    assert finding.status is Status.PASS
    assert "over the last 2 commits is 20 (limit 400) (only 2 commits in the sample" in finding.message
    assert "200 lines in lockfiles, generated or vendored files not counted" in finding.message


def test_defaults_apply_without_options(tmp_path: Path) -> None:
    _history(tmp_path, [401] * 10)
    finding = check(make_context(tmp_path))
    assert finding.status is Status.FAIL and "(limit 400)" in finding.message


def test_single_commit_reads_naturally(tmp_path: Path) -> None:
    _history(tmp_path, [3])
    finding = check(make_context(tmp_path))
    assert finding.message.startswith("p90 of lines changed per commit over the last 1 commit is 3 (limit 400) "
                                      "(only 1 commit in the sample")


def test_no_commit_yet_is_not_applicable(make_repo) -> None:
    """A repository whose history is whole and empty has nothing to measure; a folder
    outside git is skipped instead (``test_history_unavailable.py``)."""
    root = make_repo({"a.py": "x"})
    git(root, "init", "-q", "-b", "main")
    finding = check(make_context(root))
    assert finding.status is Status.NOT_APPLICABLE
    assert finding.message == "No commit history to measure change size: the git repository has no commits"
