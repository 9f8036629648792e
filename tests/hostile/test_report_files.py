"""Report files written into the scanned repository: never through what the repository planted.

The GitHub Action writes `practicelint.sarif` and `practicelint.html` into the workspace, which
is the pull request's checkout; a contributor can commit a symbolic link (or leave a FIFO)
under those names. A report written there replaces what is there instead of following it, so
no file outside the repository is overwritten and no run blocks. Outside the scanned repository
the path is the user's own choice and is written as given (`-o /dev/stdout` still works).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.cli import assert_clean, run_cli
from tests.helpers import write_tree

ORIGINAL = "the runner's own file\n"


def _repo_with_planted(root: Path, outside: Path, name: str, kind: str) -> Path:
    write_tree(root, {"README.md": "# r\n"})
    planted = root / name
    planted.parent.mkdir(parents=True, exist_ok=True)
    if kind == "link":
        planted.symlink_to(outside)
    elif kind == "relative-link":
        planted.symlink_to(os.path.relpath(outside, planted.parent))
    elif kind == "folder-link":
        planted.parent.rmdir()
        planted.parent.symlink_to(outside.parent)
    else:
        os.mkfifo(planted)
    return root


@pytest.mark.parametrize("kind", ["link", "relative-link", "folder-link", "fifo"])
@pytest.mark.parametrize("how", ["--report", "-o"])
def test_reports_are_never_written_through_what_the_repository_planted(tmp_path: Path, kind: str, how: str) -> None:
    outside = tmp_path / "runner" / ".bashrc"
    outside.parent.mkdir()
    outside.write_text(ORIGINAL, encoding="utf-8")
    name = "reports/practicelint.sarif" if kind == "folder-link" else "practicelint.sarif"
    repo = _repo_with_planted(tmp_path / "repo", outside, name, kind)
    args = (["check", ".", "--format", "json", "--report", f"sarif={name}"] if how == "--report"
            else ["check", ".", "--format", "sarif", "-o", name])
    proc = run_cli(args, cwd=repo, timeout=60)
    assert "Traceback" not in proc.stderr
    assert outside.read_text(encoding="utf-8") == ORIGINAL, "a file outside the repository was overwritten"
    assert [p.name for p in outside.parent.iterdir()] == [".bashrc"]
    if kind == "folder-link":  # refused, one line naming the link
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "reports" in proc.stderr, proc.stderr
    else:  # the planted entry is replaced by the report
        assert_clean(proc)
        written = repo / name
        assert written.is_file() and not written.is_symlink() and '"$schema"' in written.read_text(encoding="utf-8")


def test_reports_outside_the_repository_are_written_as_given(tmp_path: Path) -> None:
    repo = write_tree(tmp_path / "repo", {"README.md": "# r\n"})
    real = tmp_path / "out" / "real.sarif"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "out" / "link.sarif"
    link.symlink_to(real)  # the user's own link, outside the scanned folder: followed as before
    proc = run_cli(["check", str(repo), "--format", "json", "--report", f"sarif={link}"], timeout=60)
    assert_clean(proc)
    assert link.is_symlink() and '"$schema"' in real.read_text(encoding="utf-8")
