"""``linter.repo.history_gap``: shallow clones, grafted histories and folders outside git,
made for real in temporary folders, and the near misses that are whole histories."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from linter.repo.history_gap import HistoryGap
from linter.repo.workspace import Workspace
from tests.helpers import git, git_commit_all, write_tree


def source(tmp_path: Path, commits: int = 3) -> Path:
    root = tmp_path / "source"
    for i in range(commits):
        write_tree(root, {f"src/file{i}.py": f"x = {i}\n"})
        git_commit_all(root, f"change {i}", date=f"2026-0{i + 1}-01T00:00:00")
    return root


def clone(src: Path, dest: Path, *args: str) -> Path:
    subprocess.run(["git", "clone", "-q", *args, f"file://{src}", str(dest)], check=True, capture_output=True)
    return dest


def gap(root: Path) -> HistoryGap | None:
    return Workspace(root).history_gap


def test_full_clone_has_no_gap(tmp_path: Path) -> None:
    assert gap(clone(source(tmp_path), tmp_path / "full")) is None


def test_repository_without_a_commit_has_no_gap(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "fresh", {"a.py": "x\n"})
    git(root, "init", "-q", "-b", "main")
    assert gap(root) is None


@pytest.mark.parametrize("depth, commits", [(1, 1), (2, 2)])
def test_shallow_clone_with_its_commit_count(tmp_path: Path, depth: int, commits: int) -> None:
    found = gap(clone(source(tmp_path), tmp_path / "shallow", "--depth", str(depth)))
    assert found == HistoryGap("shallow", commits)
    noun = "commit" if commits == 1 else "commits"
    assert found.reason() == f"this is a shallow clone with {commits} {noun} of history"
    remedy = found.remedy()
    assert "`fetch-depth: 0` on actions/checkout" in remedy and "`GIT_DEPTH: 0`" in remedy
    assert "`git fetch --unshallow`" in remedy


def test_subfolder_of_a_shallow_clone(tmp_path: Path) -> None:
    root = clone(source(tmp_path), tmp_path / "shallow", "--depth", "1")
    assert gap(root / "src") == HistoryGap("shallow", 1)


def test_unshallowed_clone_has_no_gap(tmp_path: Path) -> None:
    root = clone(source(tmp_path), tmp_path / "shallow", "--depth", "1")
    git(root, "fetch", "-q", "--unshallow")
    assert gap(root) is None


def test_grafts_file_cutting_history(tmp_path: Path) -> None:
    root = clone(source(tmp_path), tmp_path / "grafted")
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "grafts").write_text(git(root, "rev-parse", "HEAD~1"), encoding="utf-8")
    found = gap(root)
    assert found == HistoryGap("grafted", 2)
    assert "grafted with 2 commits of history" in found.reason()
    assert "`git replace -d <commit>`" in found.remedy()


def test_empty_or_commented_grafts_file_is_no_gap(tmp_path: Path) -> None:
    root = clone(source(tmp_path), tmp_path / "grafts")
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "grafts").write_text("# nothing grafted\n\n", encoding="utf-8")
    assert gap(root) is None


def test_grafts_symlink_is_not_followed(tmp_path: Path) -> None:
    root = clone(source(tmp_path), tmp_path / "linked")
    outside = tmp_path / "outside"
    outside.write_text(git(root, "rev-parse", "HEAD~1"), encoding="utf-8")
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "grafts").symlink_to(outside)
    assert gap(root) is None  # never read through a link (git itself would follow it)


def test_replace_graft_cutting_history(tmp_path: Path) -> None:
    root = clone(source(tmp_path), tmp_path / "replaced")
    git(root, "replace", "--graft", git(root, "rev-parse", "HEAD~1").strip())
    assert gap(root) == HistoryGap("grafted", 2)


def test_replacement_adding_history_is_no_gap(tmp_path: Path) -> None:
    """Joining an older project history on (the linux-history pattern) hides nothing."""
    root = clone(source(tmp_path), tmp_path / "joined")
    old = source(tmp_path / "old", commits=2)
    git(root, "fetch", "-q", str(old), "main:old")
    first = git(root, "rev-list", "--max-parents=0", "HEAD").strip()
    git(root, "replace", "--graft", first, git(root, "rev-parse", "old").strip())
    assert gap(root) is None


def test_folder_outside_git(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "plain", {"a.py": "x\n"})
    found = gap(root)
    assert found == HistoryGap("no-git")
    assert found.reason() == "the folder is not inside a git work tree"
    assert "Run practicelint in a git clone" in found.remedy() and "`fetch-depth: 0`" in found.remedy()


def test_dot_git_that_git_cannot_read(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "broken", {"a.py": "x\n", ".git": "gitdir: /nonexistent/practicelint\n"})
    found = gap(root)
    assert found == HistoryGap("git-unreadable")
    assert "safe.directory" in found.reason() and "safe.directory" in found.remedy()


def test_git_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "plain", {"a.py": "x\n"})
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    assert shutil.which("git") is None
    found = gap(root)
    assert found == HistoryGap("no-git-installed")
    assert found.reason() == "git is not installed where practicelint runs"
