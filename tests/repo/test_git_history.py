"""Commit sizes from one ``git log --numstat`` (``Workspace.git_log_numstat_text``, read by
``history.commit_sizes``): lines per commit, binary files, merges left out, subfolders."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.detectors.history import CommitSize, commit_sizes
from linter.repo.gitls import GitFailed
from linter.repo.workspace import Workspace
from tests.helpers import git, git_commit_all, write_tree


def _sizes(root: Path, max_commits: int = 10) -> list[CommitSize]:
    return commit_sizes(Workspace(root).git_log_numstat_text(max_commits))


def test_outside_git_and_before_any_commit_the_log_fails(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": "x\n"})
    with pytest.raises(GitFailed):
        _sizes(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    with pytest.raises(GitFailed):
        _sizes(tmp_path)


def test_counts_per_commit_newest_first_with_binary(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": "1\n2\n3\n", "img.png": b"\x00\x89PNG" * 10})
    git_commit_all(tmp_path, "first", "2026-01-01T00:00:00")
    write_tree(tmp_path, {"a.txt": "1\nTWO\n3\n4\n", "sub dir/b.py": "print(1)\n"})
    git_commit_all(tmp_path, "second: edit", "2026-01-02T00:00:00")
    second, first = _sizes(tmp_path)
    assert (second.subject, second.lines, second.binary_files) == ("second: edit", 2 + 1 + 1, 0)
    assert (first.subject, first.lines, first.binary_files) == ("first", 3, 1)
    assert len(second.sha) == 40


def test_max_commits_and_merges_excluded(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": "0\n"})
    git_commit_all(tmp_path, "base", "2026-01-01T00:00:00")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    write_tree(tmp_path, {"b.txt": "b\n"})
    git_commit_all(tmp_path, "feature work", "2026-01-02T00:00:00")
    git(tmp_path, "checkout", "-q", "main")
    write_tree(tmp_path, {"c.txt": "c\n"})
    git_commit_all(tmp_path, "main work", "2026-01-03T00:00:00")
    git(tmp_path, "merge", "-q", "--no-ff", "-m", "merge feature", "feature", date="2026-01-04T00:00:00")
    sizes = _sizes(tmp_path)
    assert "merge feature" not in [c.subject for c in sizes] and len(sizes) == 3
    assert len(_sizes(tmp_path, 2)) == 2


def test_subfolder_workspace_sees_only_its_commits_and_files(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app/x.py": "1\n", "other/y.py": "1\n2\n", "app/vendor/v.go": "v\n"})
    git_commit_all(tmp_path, "both", "2026-01-01T00:00:00")
    write_tree(tmp_path, {"other/y.py": "changed\n"})
    git_commit_all(tmp_path, "other only", "2026-01-02T00:00:00")
    (only,) = _sizes(tmp_path / "app")
    # other/y.py's lines are not in app's count; paths are relative to app/, so vendor/ is excluded
    assert (only.subject, only.lines, only.excluded_lines) == ("both", 1, 1)
