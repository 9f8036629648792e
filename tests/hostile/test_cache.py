"""The cache between runs is never a way in.

Files swapped for hostile objects after a run remembered them (``linter.runtime.verdicts``) are
noticed, never hang or leak, and are noted as on a first run; a cache folder inside a scanned
work tree, or one others could write, is never used; nothing executable is kept or patched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
    first = check(repo, env=env)
    assert_clean(first)
    assert any((tmp_path / "cache").rglob("verdicts-*"))  # the rejections were kept
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


def test_a_cache_folder_inside_a_scanned_work_tree_is_never_used(tmp_path: Path) -> None:
    """Scanning ``repo/sub`` with the cache pointed at ``repo/.cache/practicelint`` (a CI job whose
    HOME is its checkout): the work tree holds the folder, so nothing is read from it or written."""
    repo = tmp_path / "repo"
    files = {f"sub/conf/c{i:04}.yaml": f"replicas: {i}\n" for i in range(1100)}  # big enough to keep verdicts
    files[".cache/practicelint/history/planted.marshal"] = "planted"
    write_tree(repo, files)
    git_commit_all(repo, "init", "2026-01-01T00:00:00")
    planted = repo / ".cache" / "practicelint"
    before = sorted(p.relative_to(planted) for p in planted.rglob("*"))
    for target in (repo / "sub", repo):
        proc = check(target, env={"PRACTICELINT_CACHE_DIR": str(planted)})
        assert_clean(proc)
    assert sorted(p.relative_to(planted) for p in planted.rglob("*")) == before


def test_cache_folders_others_could_write_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from linter.runtime import cachedir

    repo = tmp_path / "repo"
    repo.mkdir()
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("PRACTICELINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("PRACTICELINT_NO_CACHE", raising=False)
    with cachedir.kept_in(None):  # activate() below sets it: back as it was afterwards
        assert cachedir.activate([str(repo)]) == folder
        for mode in (0o777, 0o770, 0o702):
            folder.chmod(mode)
            assert cachedir.activate([str(repo)]) is None, oct(mode)
        folder.chmod(0o700)
        if os.geteuid() == 0:  # as root, a folder of another user can be made to test ownership
            os.chown(folder, 65534, 65534)
            assert cachedir.activate([str(repo)]) is None
            os.chown(folder, 0, 0)
        created = tmp_path / "new" / "practicelint"
        monkeypatch.setenv("PRACTICELINT_CACHE_DIR", str(created))
        assert cachedir.activate([str(repo)]) == created
        assert created.stat().st_mode & 0o777 == 0o700


def test_cache_files_others_could_have_written_are_not_read(tmp_path: Path) -> None:
    from linter.runtime import cachedir

    kept = tmp_path / "kept.marshal"
    cachedir.write_file(kept, b"data")
    assert cachedir.read_file(kept) == b"data"
    assert kept.stat().st_mode & 0o777 == 0o600
    kept.chmod(0o666)
    with pytest.raises(OSError):
        cachedir.read_file(kept)
    if os.geteuid() == 0:
        kept.chmod(0o600)
        os.chown(kept, 65534, 65534)
        with pytest.raises(OSError):
            cachedir.read_file(kept)


def test_nothing_executable_is_kept_or_patched(tmp_path: Path) -> None:
    """A run keeps only data: the regular-expression compiler is the standard library's own, and
    the cache folder holds no compiled patterns (a planted one once replaced the text reporter's
    control-character filter)."""
    import subprocess
    import sys

    repo = tmp_path / "repo"
    write_tree(repo, {"README.md": "# r\n"})
    cache = tmp_path / "cache"
    probe = ("import os, re, sys; from re import _compiler; original = _compiler.compile\n"
             "def report():\n"
             "    sys.stderr.write('UNPATCHED' if _compiler.compile is original else 'PATCHED'); sys.stderr.flush()\n"
             "exit_now = os._exit\n"
             "os._exit = lambda code: (report(), exit_now(code))\n"
             "from linter import console\n"
             "sys.argv = ['practicelint', 'check', sys.argv[1], '--format', 'json']\n"
             "try:\n    console.main()\nexcept SystemExit:\n    report()\n")
    proc = subprocess.run([sys.executable, "-c", probe, str(repo)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PRACTICELINT_CACHE_DIR": str(cache)}, check=False)
    assert "UNPATCHED" in proc.stderr, proc.stderr[-2000:]
    assert not [p for p in cache.rglob("*") if p.is_file() and "regex" in p.name]
