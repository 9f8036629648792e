"""Workspace.git_log_numstat: one git call, per-file counts, binary, merges, subfolders."""

from __future__ import annotations

from pathlib import Path

from linter.repo.workspace import Workspace
from tests.helpers import git, git_commit_all, write_tree


def test_no_git_and_no_commits_give_none(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": "x\n"})
    assert Workspace(tmp_path).git_log_numstat(10) is None
    git(tmp_path, "init", "-q", "-b", "main")
    assert Workspace(tmp_path).git_log_numstat(10) is None


def test_counts_per_file_newest_first_with_binary(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": "1\n2\n3\n", "img.png": b"\x00\x89PNG" * 10})
    git_commit_all(tmp_path, "first", "2026-01-01T00:00:00")
    write_tree(tmp_path, {"a.txt": "1\nTWO\n3\n4\n", "sub dir/b.py": "print(1)\n"})
    git_commit_all(tmp_path, "second: edit", "2026-01-02T00:00:00")
    log = Workspace(tmp_path).git_log_numstat(10)
    assert log is not None and [c.subject for c in log] == ["second: edit", "first"]
    second = {f.path: (f.added, f.deleted, f.binary) for f in log[0].files}
    assert second == {"a.txt": (2, 1, False), "sub dir/b.py": (1, 0, False)}
    first = {f.path: (f.added, f.deleted, f.binary) for f in log[1].files}
    assert first["img.png"] == (0, 0, True) and first["a.txt"] == (3, 0, False)
    assert len(log[0].sha) == 40


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
    log = Workspace(tmp_path).git_log_numstat(10)
    assert log is not None and "merge feature" not in [c.subject for c in log]
    assert len(log) == 3
    assert len(Workspace(tmp_path).git_log_numstat(2) or []) == 2


def test_subfolder_workspace_sees_only_its_commits_with_relative_paths(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app/x.py": "1\n", "other/y.py": "1\n2\n"})
    git_commit_all(tmp_path, "both", "2026-01-01T00:00:00")
    write_tree(tmp_path, {"other/y.py": "changed\n"})
    git_commit_all(tmp_path, "other only", "2026-01-02T00:00:00")
    log = Workspace(tmp_path / "app").git_log_numstat(10)
    assert log is not None and [c.subject for c in log] == ["both"]
    assert [f.path for f in log[0].files] == ["x.py"]
