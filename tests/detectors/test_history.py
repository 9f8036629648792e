"""Commit sizes: lockfiles, generated and vendored files excluded; unavailable history explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.detectors.history import detect, is_excluded, size_of
from linter.repo.workspace import CommitStat, FileChange, Workspace
from tests.helpers import git, git_commit_all, write_tree


@pytest.mark.parametrize("path, excluded", [
    ("package-lock.json", True),
    ("web/yarn.lock", True),
    ("pnpm-lock.yaml", True),
    ("poetry.lock", True),
    ("Cargo.lock", True),
    ("go.sum", True),
    ("uv.lock", True),
    ("composer.lock", True),
    ("Gemfile.lock", True),
    ("static/app.min.js", True),
    ("api/v1/service.pb.go", True),
    ("vendor/github.com/x/y.go", True),
    ("web/node_modules/a/index.js", True),
    ("libs/third_party/zlib/inflate.c", True),
    ("client/schema.generated.ts", True),
    ("go.mod", False),
    ("package.json", False),
    ("src/vendors.py", False),
    ("src/app.js", False),
    ("docs/lockfiles.md", False),
])
def test_exclusions(path: str, excluded: bool) -> None:
    assert is_excluded(path) is excluded


def test_size_of_splits_counted_excluded_and_binary() -> None:
    commit = CommitStat("a" * 40, "bump deps", (
        FileChange("package.json", 1, 1), FileChange("package-lock.json", 900, 850),
        FileChange("logo.png", 0, 0, binary=True)))
    size = size_of(commit)
    assert (size.lines, size.excluded_lines, size.binary_files) == (2, 1750, 1)
    assert size.short_sha == "aaaaaaaa"


def test_unavailable_reasons(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": "x"})
    assert detect(Workspace(tmp_path)).reason == "not a git repository"
    git(tmp_path, "init", "-q", "-b", "main")
    facts = detect(Workspace(tmp_path))
    assert not facts.available and facts.reason == "the git repository has no commits"


def test_shallow_clone_is_flagged(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    for i in range(3):
        write_tree(origin, {"a.txt": f"{i}\n"})
        git_commit_all(origin, f"c{i}", f"2026-01-0{i + 1}T00:00:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    facts = detect(Workspace(clone))
    assert facts.available and facts.shallow and len(facts.commits) == 1


def test_empty_commits_are_not_changes(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": "x\n"})
    git_commit_all(tmp_path, "real", "2026-01-01T00:00:00")
    git_commit_all(tmp_path, "empty", "2026-01-02T00:00:00")
    facts = detect(Workspace(tmp_path))
    assert [c.subject for c in facts.commits] == ["real"]
