"""Paths a repository's configuration names (``extends:``, ``rule-packs:``) stay inside the
repository's tracked files: every folder on the way is a real folder, ``.git`` is never read,
and the error that refuses a path never quotes what is behind it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import git, git_commit_all, write_tree
from tests.hostile.cli import assert_clean, check

SECRET = "OUTSIDE-SECRET-7d1e"
PACK = """prefix: LEAK
rules:
  - id: LEAK001
    name: leak
    practice: small-teams
    category: teams
    severity: error
    scope: repo
    summary: s
    rationale: r
    evidence: e
    remediation: r
    check:
      file_exists: {globs: README.md}
"""


def _repo(tmp_path: Path, config: str) -> Path:
    outside = tmp_path / "outside"
    write_tree(outside, {"secret.yaml": f"select: [{SECRET}]\n", "pack.yaml": PACK.replace("LEAK", "SECRET"),
                         "notes.txt": f"{SECRET}\n"})
    repo = tmp_path / "repo"
    write_tree(repo, {"README.md": "# r\n", "real/ok.yaml": "fail-on: error\n"})
    git_commit_all(repo, "init", date="2026-01-01T00:00:00")
    (repo / "cfg").symlink_to(outside, target_is_directory=True)
    (repo / ".practicelint.yaml").write_text(config, encoding="utf-8")
    return repo


@pytest.mark.parametrize("config", [
    "extends: cfg/secret.yaml\n",
    "extends: real/../cfg/secret.yaml\n",
    "rule-packs: [cfg/pack.yaml]\n",
    "extends: .git/logs/HEAD\n",
    "extends: .git/config\n",
    "rule-packs: [.git/HEAD]\n",
    "extends: untracked.yaml\n",
    "rule-packs: [untracked-pack.yaml]\n",
])
def test_configuration_paths_resolve_inside_tracked_files(tmp_path: Path, config: str) -> None:
    repo = _repo(tmp_path, config)
    (repo / "untracked.yaml").write_text(f"select: [{SECRET}]\n", encoding="utf-8")
    (repo / "untracked-pack.yaml").write_text(PACK.replace("LEAK", "SECRET"), encoding="utf-8")
    proc = check(repo, "json")
    assert_clean(proc, codes=(2,))
    assert proc.stderr.startswith("practicelint: error: "), proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    for leaked in (SECRET, "SECRET001", "refs/heads", "[core]", "0000000000000000000000000000000000000000"):
        assert leaked not in proc.stderr and leaked not in proc.stdout, proc.stderr


def test_a_tracked_file_in_a_real_folder_is_still_extended(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "extends: real/ok.yaml\nfail-on: warning\n")
    git(repo, "add", ".practicelint.yaml")
    proc = check(repo, "json")
    assert_clean(proc)
    assert json.loads(proc.stdout)["results"]


def test_detectors_never_read_through_a_symlinked_folder(tmp_path: Path) -> None:
    """Even a doctored index that lists ``cfg/notes.txt`` (as if ``cfg`` were a folder) reads nothing
    through the link: the reader checks every folder on the way."""
    from linter.repo.workspace import Workspace

    repo = _repo(tmp_path, "")
    ws = Workspace(repo)
    assert ws.read_text("cfg/notes.txt") is None
    assert ws.read_text("cfg/secret.yaml") is None
    assert any("symlinked folder" in note.reason for note in ws.notes)
    assert ws.read_text("real/ok.yaml") == "fail-on: error\n"
