"""Hostile file-system objects: links, special files, unreadable entries, strange names."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.helpers import git_commit_all, write_tree
from tests.hostile.cli import check, check_json, errors, notes_of, result

GROUP = ("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n"
         "spec:\n  type: team\n  members: [alice, bob, carol]\n")
SECRET = "TOP-SECRET-OUTSIDE-" + "x" * 8


def _outside(tmp_path: Path) -> Path:
    """A directory next to the repository, full of things a linter would love to read."""
    out = tmp_path / "outside"
    write_tree(out, {"catalog-info.yaml": GROUP.replace("team-a", SECRET),
                     "slo.yaml": f"apiVersion: openslo/v1\nkind: SLO\nmetadata: {{name: {SECRET}}}\n",
                     "docs/prfaq.md": f"# PR/FAQ {SECRET}\n"})
    return out


@pytest.mark.parametrize("use_git", [False, True], ids=["walk", "git"])
def test_symlinks_out_of_the_repository_are_never_read(tmp_path: Path, use_git: bool) -> None:
    out = _outside(tmp_path)
    repo = tmp_path / "repo"
    write_tree(repo, {"README.md": "# r\n"})
    (repo / "catalog-info.yaml").symlink_to(out / "catalog-info.yaml")
    (repo / ".github").mkdir()
    (repo / ".github" / "CODEOWNERS").symlink_to("/etc/passwd")
    (repo / "slo").symlink_to(out, target_is_directory=True)
    (repo / "docs").symlink_to(out / "docs", target_is_directory=True)
    if use_git:
        git_commit_all(repo, "links", "2026-11-01T00:00:00+00:00")
    proc = check(repo)
    assert SECRET not in proc.stdout + proc.stderr
    assert "root:" not in proc.stdout
    report = check_json(repo)
    assert errors(report) == []
    notes = notes_of(report)
    assert any("outside the repository" in r for r in notes["catalog-info.yaml"]), notes
    assert any("outside the repository" in r for r in notes[".github/CODEOWNERS"]), notes
    assert result(report, "ORG001")["status"] != "pass"


@pytest.mark.parametrize("use_git", [False, True], ids=["walk", "git"])
def test_symlink_loops_are_reported(tmp_path: Path, use_git: bool) -> None:
    (tmp_path / "catalog-info.yaml").symlink_to(tmp_path / "catalog-info.yaml")
    (tmp_path / ".gitlab-ci.yml").symlink_to(tmp_path / "b.yml")
    (tmp_path / "b.yml").symlink_to(tmp_path / ".gitlab-ci.yml")
    (tmp_path / "dir-loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "up").symlink_to("..", target_is_directory=True)
    write_tree(tmp_path, {"services/a/catalog-info.yaml": GROUP})
    if use_git:
        git_commit_all(tmp_path, "loops", "2026-11-01T00:00:00+00:00")
    report = check_json(tmp_path, timeout=60)
    assert errors(report) == []
    notes = notes_of(report)
    assert any("looping" in r for r in notes["catalog-info.yaml"]), notes
    assert any("looping" in r for r in notes[".gitlab-ci.yml"]), notes
    assert result(report, "ORG001")["status"] == "pass"  # the real Group is still found, once
    assert len(result(report, "ORG001")["evidence"]) == 1


def test_symlink_inside_the_repository_is_followed(tmp_path: Path) -> None:
    """The near miss: a link to a file inside the repository is an ordinary read."""
    write_tree(tmp_path, {"org/team.yaml": GROUP})
    (tmp_path / "catalog-info.yaml").symlink_to("org/team.yaml")
    report = check_json(tmp_path)
    assert result(report, "ORG001")["status"] == "pass"
    assert "catalog-info.yaml" not in notes_of(report)


SPECIAL_NAMES = ["catalog-info.yaml", ".github/workflows/ci.yml", "Jenkinsfile", ".github/CODEOWNERS",
                 "docs/prfaq.md", "package.json", ".practicelint.yaml"]


def _make_fifo(path: Path) -> None:
    os.mkfifo(path)


def _make_socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))  # left bound: the file stays a live socket while the check runs
    _SOCKETS.append(sock)


def _make_char_device(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("creating a device node needs root (os.mknod)")
    os.mknod(path, 0o644 | stat.S_IFCHR, os.makedev(1, 5))  # the same device as /dev/zero


def _make_block_device(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("creating a device node needs root (os.mknod)")
    os.mknod(path, 0o644 | stat.S_IFBLK, os.makedev(7, 0))  # a loop device


def _make_dev_zero_link(path: Path) -> None:
    path.symlink_to("/dev/zero")


_SOCKETS: list[socket.socket] = []


@pytest.mark.parametrize("make", [_make_fifo, _make_socket, _make_char_device, _make_block_device,
                                  _make_dev_zero_link],
                         ids=["fifo", "socket", "char-device", "block-device", "link-to-dev-zero"])
@pytest.mark.parametrize("name", SPECIAL_NAMES)
def test_special_files_under_config_names_are_never_opened(tmp_path: Path, make, name: str) -> None:
    if make is _make_socket and len(str(tmp_path / name)) > 100:
        short = Path(tempfile.mkdtemp(prefix="pl-"))  # AF_UNIX paths are limited to ~108 bytes
        tmp_path = short
    try:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        make(tmp_path / name)
        write_tree(tmp_path, {"org/catalog-info.yaml": GROUP})
        proc = check(tmp_path, timeout=60)  # opening /dev/zero or a FIFO would hang or eat memory
        if name == ".practicelint.yaml" and proc.returncode == 2:
            assert ".practicelint.yaml" in proc.stderr and "Traceback" not in proc.stderr
            return
        report = check_json(tmp_path, timeout=60)
        assert errors(report) == []
        notes = notes_of(report)
        expected = "outside the repository" if make is _make_dev_zero_link else "not a regular file"
        assert any(expected in r for r in notes[name]), notes
        assert result(report, "ORG001")["status"] == "pass"
    finally:
        for sock in _SOCKETS:
            sock.close()
        _SOCKETS.clear()
        if tmp_path.name.startswith("pl-"):
            shutil.rmtree(tmp_path, ignore_errors=True)


def _as_nobody() -> list[str] | None:
    """A command prefix that drops root, so chmod really denies; ``None`` when impossible."""
    if os.geteuid() != 0:
        return []  # already unprivileged: chmod denies by itself
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    probe = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "true"], check=False)
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"] if probe.returncode == 0 else None


@pytest.fixture
def world_readable_tmp():
    """A temporary directory an unprivileged user can enter (pytest's tmp_path is 0700)."""
    path = Path(tempfile.mkdtemp(prefix="practicelint-perm-"))
    path.chmod(0o755)
    yield path
    for dirpath, dirnames, _ in os.walk(path):
        for d in dirnames:
            os.chmod(os.path.join(dirpath, d), 0o755)
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize("use_git", [False, True], ids=["walk", "git"])
def test_unreadable_files_and_directories_are_notes(world_readable_tmp: Path, use_git: bool) -> None:
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("running as root and cannot drop privileges (no setpriv): chmod would not deny")
    repo = world_readable_tmp / "repo"
    write_tree(repo, {"catalog-info.yaml": GROUP.replace("team-a", "hidden-team"),
                      "private/slo.yaml": "apiVersion: openslo/v1\nkind: SLO\n",
                      "org/catalog-info.yaml": GROUP, "README.md": "# r\n"})
    if use_git:
        git_commit_all(repo, "perm", "2026-11-01T00:00:00+00:00")
    for p in [repo, *repo.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    (repo / "catalog-info.yaml").chmod(0o000)
    (repo / "private").chmod(0o000)
    env = {"HOME": str(world_readable_tmp), "GIT_CONFIG_GLOBAL": os.devnull}
    if use_git:  # git refuses a repository owned by someone else unless told it is safe
        (world_readable_tmp / "gitconfig").write_text(f"[safe]\n\tdirectory = {repo}\n")
        (world_readable_tmp / "gitconfig").chmod(0o644)
        env["GIT_CONFIG_GLOBAL"] = str(world_readable_tmp / "gitconfig")
    report = check_json(repo, prefix=prefix, env=env, cwd=world_readable_tmp)
    assert errors(report) == []
    notes = notes_of(report)
    assert any("Permission denied" in r for r in notes["catalog-info.yaml"]), notes
    assert any("Permission denied" in r or "not readable" in r for r in notes.get("private", []) +
               notes.get("private/slo.yaml", [])), notes
    org = result(report, "ORG001")
    assert org["status"] == "pass" and org["evidence"][0]["path"] == "org/catalog-info.yaml", org


@pytest.mark.parametrize("name", [
    "services/with space/catalog-info.yaml",
    "services/ünïcødé-日本/catalog-info.yaml",
    "services/new\nline/catalog-info.yaml",
    "services/tab\there/catalog-info.yaml",
    "services/quote\"and'/catalog-info.yaml",
    "services/back\\slash/catalog-info.yaml",
    "services/emoji-🚀/catalog-info.yaml",
    "services/-dash/catalog-info.yaml",
    "services/<b>html</b>/catalog-info.yaml",
])
@pytest.mark.parametrize("use_git", [False, True], ids=["walk", "git"])
def test_strange_file_names_are_read_and_reported_verbatim(tmp_path: Path, name: str, use_git: bool) -> None:
    component = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n"
                 "spec:\n  type: service\n  owner: team-a\n")
    write_tree(tmp_path, {name: GROUP + "---\n" + component})
    if use_git:
        git_commit_all(tmp_path, "names", "2026-11-01T00:00:00+00:00")
    report = check_json(tmp_path)
    assert errors(report) == []
    org = result(report, "ORG001")
    assert org["status"] == "pass"
    assert org["evidence"][0]["path"] == name  # not git-quoted, not mangled
    assert [s["path"] for s in report["scopes"]] == [name.rsplit("/", 1)[0]]


def _deep_tree(root: Path, depth: int, leaf: dict[str, str]) -> str:
    """``depth`` nested folders ``d/d/...`` under ``root`` with ``leaf`` files at the bottom, made
    one level at a time (a path past ``PATH_MAX`` cannot be made in one call); returns the folder."""
    here = os.getcwd()
    try:
        os.chdir(root)
        for _ in range(depth):
            os.mkdir("d")
            os.chdir("d")
        for name, text in leaf.items():
            Path(name).write_text(text, encoding="utf-8")
    finally:
        os.chdir(here)
    return "/".join(["d"] * depth)


def _remove_deep_tree(root: Path) -> None:
    """Remove what ``_deep_tree`` made, bottom up, one level at a time: ``shutil.rmtree`` (and
    pytest's clean-up of old temporary folders) recurse once per level and would fail."""
    here = os.getcwd()
    try:
        os.chdir(root)
        depth = 0
        while os.path.isdir("d") and not os.path.islink("d"):
            os.chdir("d")
            depth += 1
        for _ in range(depth):
            for name in os.listdir("."):
                os.unlink(name)
            os.chdir("..")
            os.rmdir("d")
    finally:
        os.chdir(here)


DEEP_SERVICE = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: deep\n"
                "spec:\n  type: service\n  owner: team-a\n")


def test_thousands_of_nested_folders_without_git_end_with_a_note(tmp_path: Path) -> None:
    """Red team 2026-12-06: a tree 2,500 folders deep ended the run with an internal error
    (``os.walk`` recursed once per level); the walk now stops at ``MAX_WALK_DEPTH``."""
    from linter.repo.index import MAX_WALK_DEPTH

    write_tree(tmp_path, {"catalog-info.yaml": GROUP, ".practicelint.yaml": "kind: service\n"})
    _deep_tree(tmp_path, 2500, {"catalog-info.yaml": DEEP_SERVICE})
    try:
        report = check_json(tmp_path)
    finally:
        _remove_deep_tree(tmp_path)
    assert errors(report) == []
    assert result(report, "ORG001")["status"] == "pass"
    deep = [path for path, reasons in notes_of(report).items() if any("levels deep" in r for r in reasons)]
    assert [p.count("/") + 1 for p in deep] == [MAX_WALK_DEPTH]


def test_a_tracked_file_fifteen_hundred_folders_deep_is_read(tmp_path: Path) -> None:
    """Red team 2026-12-06: git lists such a path happily, and the reader's check that every
    folder on the way is real recursed once per folder into an internal error."""
    write_tree(tmp_path, {".practicelint.yaml": "kind: service\n", "README.md": "# r\n"})
    # 1,500 levels keep the whole path under PATH_MAX (4,096), so git can add it
    folder = _deep_tree(tmp_path, 1500, {"catalog-info.yaml": DEEP_SERVICE})
    try:
        git_commit_all(tmp_path, "deep", date="2026-01-01T00:00:00")
        report = check_json(tmp_path)
    finally:
        _remove_deep_tree(tmp_path)
    assert errors(report) == []
    assert folder in {s["path"] for s in report["scopes"]}
