"""Files swapped for hostile objects after a run remembered them (``linter.repo.sieves``): the
next run must notice, never hang on them, never read through them, and note them as a first
run would."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.helpers import git_commit_all, write_tree
from tests.hostile.cli import assert_clean, check, notes_of

SECRET = "TOP-SECRET-OUTSIDE-" + "y" * 8
ENTITY = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {}\nspec:\n  type: service\n"


def test_remembered_files_swapped_for_hostile_objects_are_noticed(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    files: dict[str, str | bytes] = {f"conf/c{i:04}.yaml": f"replicas: {i}\n" for i in range(1100)}  # cache is on
    files["svc/catalog-info.yaml"] = ENTITY.format("svc")
    files["docs/notes.md"] = "# Notes\n\nNothing here.\n"
    write_tree(repo, files)
    git_commit_all(repo, "init", "2026-01-01T00:00:00")
    outside = tmp_path / "outside.yaml"
    outside.write_text(ENTITY.format(SECRET))
    env = {"PRACTICELINT_CACHE_DIR": str(tmp_path / "cache")}
    time.sleep(2.1)  # files written just now are never remembered (racily clean)
    first = check(repo, env=env)
    assert_clean(first)
    assert any((tmp_path / "cache").rglob("sieves-*"))  # the rejections were kept
    (repo / "conf/c0001.yaml").unlink()
    os.mkfifo(repo / "conf/c0001.yaml")  # would hang a reader
    (repo / "conf/c0002.yaml").unlink()
    (repo / "conf/c0002.yaml").symlink_to(outside)  # would leak a file from outside
    (repo / "conf/c0003.yaml").write_bytes(b"\x00\x01binary")
    (repo / "conf/c0004.yaml").write_text(ENTITY.format("late"))  # now an entity: must be seen
    (repo / "docs/notes.md").write_bytes(b"# Runbook\n\xff\xfe")
    proc = check(repo, env=env, timeout=60)
    assert_clean(proc)
    assert SECRET not in proc.stdout
    notes = notes_of(__import__("json").loads(proc.stdout))
    assert any("not a regular file" in r for r in notes["conf/c0001.yaml"])
    assert any("outside the repository" in r for r in notes["conf/c0002.yaml"])
    assert any("binary" in r for r in notes["conf/c0003.yaml"])
    assert any("UTF-8" in r for r in notes["docs/notes.md"])
    fresh = check(repo, env={"PRACTICELINT_NO_CACHE": "1"}, timeout=60)
    assert fresh.stdout == proc.stdout  # the same report as without any cache
