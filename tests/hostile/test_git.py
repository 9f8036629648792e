"""Hostile repositories at the git level: corrupt, shallow, empty, bare, missing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import git_commit_all, write_tree
from tests.hostile.cli import assert_clean, check, check_json, errors, notes_of, result

GROUP = ("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n"
         "spec:\n  type: team\n  members: [alice, bob, carol]\n")
ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
       "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=ENV).stdout


def _repo_with_history(root: Path, commits: int = 3) -> Path:
    write_tree(root, {"catalog-info.yaml": GROUP, "README.md": "# r\n", ".practicelint.yaml": SERVICE})
    git_commit_all(root, "first", "2026-01-01T00:00:00+00:00")
    for i in range(1, commits):
        write_tree(root, {f"docs/change{i}.md": f"# change {i}\n"})
        git_commit_all(root, f"change {i}", f"2026-0{min(i + 1, 9)}-01T00:00:00+00:00")
    return root


#: the repositories are services, so every history rule judges them (docs/kinds.md)
SERVICE = "kind: service\n"
#: The rules that read git history (``reads_history``): they say what happened to it.
HISTORY_RULES = ("DEL002", "PROD001", "PROD002")
#: What a broken repository gives them: skipped where git refuses the folder (no history to
#: read), error where git fails on a history it found (never a verdict made up from nothing).
BROKEN = frozenset({"error", "skipped"})
WHOLE = frozenset({"pass", "fail", "not_applicable"})


def _assert_still_judged(report: dict, history: frozenset[str] = WHOLE) -> None:
    """Git trouble never hides the files: the Group in the work tree still counts, and no
    rule but those reading history gives an error."""
    assert [e for e in errors(report) if e[0] not in HISTORY_RULES] == []
    assert result(report, "ORG001")["status"] == "pass"
    for item in report["results"]:
        if item["rule_id"] in HISTORY_RULES:
            assert item["status"] in history, (item["rule_id"], item["status"], item["message"])
            if item["status"] == "error":
                assert "git failed while reading" in item["message"], item["message"]
            if item["status"] == "skipped":
                assert item["message"].startswith("Not evaluated: "), item["message"]


@pytest.mark.parametrize("head", ["garbage\n", "ref: refs/heads/does-not-exist\n", "", "ref: ../../../etc/passwd\n",
                                  "0" * 40 + "\n"])
def test_bad_head_is_survived(tmp_path: Path, head: str) -> None:
    repo = _repo_with_history(tmp_path)
    (repo / ".git" / "HEAD").write_text(head)
    report = check_json(repo)
    _assert_still_judged(report, BROKEN | WHOLE)  # an unborn branch is a history without commits


def test_missing_objects_are_survived(tmp_path: Path) -> None:
    repo = _repo_with_history(tmp_path, commits=4)
    objects = [p for p in (repo / ".git" / "objects").glob("??/*")]
    assert objects
    for victim in objects[::2]:  # commits, trees and blobs alike
        victim.chmod(0o644)
        victim.unlink()
    report = check_json(repo)
    _assert_still_judged(report, BROKEN | WHOLE)  # git may not need the objects it lost


def test_missing_head_commit_object_is_survived(tmp_path: Path) -> None:
    repo = _repo_with_history(tmp_path)
    sha = _git(repo, "rev-parse", "HEAD").strip()
    (repo / ".git" / "objects" / sha[:2] / sha[2:]).unlink()
    report = check_json(repo)
    _assert_still_judged(report, BROKEN)


def test_truncated_index_and_garbage_config_are_survived(tmp_path: Path) -> None:
    repo = _repo_with_history(tmp_path)
    (repo / ".git" / "index").write_bytes(b"DIRC\x00\x00")
    report = check_json(repo)
    _assert_still_judged(report, BROKEN | WHOLE)
    (repo / ".git" / "config").write_text("[core\n\tthis is = not = git config\n")
    report = check_json(repo)
    _assert_still_judged(report, frozenset({"skipped"}))  # git refuses the folder: no history to read
    assert ".git" in notes_of(report)


def test_git_file_pointing_nowhere_is_survived(tmp_path: Path) -> None:
    """A worktree/submodule ``.git`` file whose gitdir is gone."""
    write_tree(tmp_path, {"catalog-info.yaml": GROUP, ".practicelint.yaml": SERVICE,
                          ".git": "gitdir: /nonexistent/worktrees/x\n"})
    report = check_json(tmp_path)
    _assert_still_judged(report, frozenset({"skipped"}))
    assert "git refuses to read" in result(report, "DEL002")["message"]


def test_shallow_clone_is_checked_and_marked(tmp_path: Path) -> None:
    origin = _repo_with_history(tmp_path / "origin", commits=5)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)], check=True, env=ENV)
    assert _git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    report = check_json(clone)
    _assert_still_judged(report, frozenset({"skipped"}))
    assert "this is a shallow clone with 1 commit of history" in result(report, "DEL002")["message"]
    assert report["target"]["commit"] == _git(origin, "rev-parse", "HEAD").strip()


def test_repository_without_commits_is_checked(tmp_path: Path) -> None:
    write_tree(tmp_path, {"catalog-info.yaml": GROUP})
    _git(tmp_path, "init", "-q")
    report = check_json(tmp_path)
    _assert_still_judged(report)
    assert report["target"]["commit"] is None


def test_bare_repository_is_a_clean_result(tmp_path: Path) -> None:
    origin = _repo_with_history(tmp_path / "origin")
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(origin), str(bare)], check=True, env=ENV)
    proc = check(bare)
    assert_clean(proc, codes=(0, 1, 2))
    if proc.returncode == 2:
        assert "bare" in proc.stderr.lower(), proc.stderr
    else:
        import json

        report = json.loads(proc.stdout)
        assert errors(report) == []
        assert "root:" not in proc.stdout


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_path_that_does_not_exist_is_exit_2_with_a_message(tmp_path: Path, fmt: str) -> None:
    proc = check(tmp_path / "no" / "such" / "repo", fmt)
    assert_clean(proc, codes=(2,))
    assert proc.stderr.startswith("practicelint: error: ") and "no/such/repo" in proc.stderr, proc.stderr
    assert proc.stdout == ""


def test_path_that_is_a_file_is_exit_2_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    proc = check(tmp_path / "file.txt")
    assert_clean(proc, codes=(2,))
    assert "file.txt" in proc.stderr


def test_empty_directory_gives_a_report_of_not_applicable_and_failures(tmp_path: Path) -> None:
    report = check_json(tmp_path)
    assert errors(report) == []
    assert report["results"] and report["notes"] == []
    assert result(report, "ORG001")["status"] == "not_applicable"


def test_git_subdirectory_as_target_is_checked_alone(tmp_path: Path) -> None:
    repo = _repo_with_history(tmp_path)
    write_tree(repo, {"sub/org/team.yaml": GROUP.replace("team-a", "team-sub")})
    git_commit_all(repo, "sub", "2026-10-01T00:00:00+00:00")
    report = check_json(repo / "sub")
    org = result(report, "ORG001")
    assert org["status"] == "pass" and org["evidence"][0]["path"] == "org/team.yaml"


@pytest.mark.parametrize("url", ["https://ci:ghp_SECRETTOKEN@[::1/org/repo.git",
                                 "https://ci:ghp_SECRETTOKEN@github.com:port/org/repo.git"])
def test_unparseable_remote_is_left_out_never_a_crash(tmp_path: Path, url: str) -> None:
    """Red team 2026-12-06: an unclosed IPv6 bracket in ``remote.origin.url`` ended every run
    with an internal error (``urlsplit`` raises); no remote could have it, so none is shown."""
    repo = _repo_with_history(tmp_path)
    _git(repo, "remote", "add", "origin", url)
    for fmt in ("json", "text", "sarif", "junit", "html"):
        proc = check(repo, fmt)
        assert_clean(proc)
        assert "SECRETTOKEN" not in proc.stdout + proc.stderr
    import json

    assert json.loads(check(repo, "json").stdout)["record"]["remote"] is None


def test_audit_of_an_unparseable_url_is_one_line_without_its_credentials(tmp_path: Path) -> None:
    from tests.hostile.cli import run_cli

    proc = run_cli(["audit", "https://ci:ghp_SECRETTOKEN@[::1/org/repo.git", "--output-dir", str(tmp_path / "out")])
    assert_clean(proc, codes=(2,))
    assert proc.stderr.startswith("practicelint: error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "not a valid URL" in proc.stderr and "SECRETTOKEN" not in proc.stderr


OTHER_SECRET = "OTHER-REPO-SECRET"


def _other_repository(tmp_path: Path) -> Path:
    """A repository elsewhere on the machine whose name, history and remote must stay unread."""
    other = tmp_path / "other"
    write_tree(other, {f"{OTHER_SECRET}-file.md": "# x\n", "catalog-info.yaml": GROUP.replace("team-a", OTHER_SECRET)})
    git_commit_all(other, f"{OTHER_SECRET} subject", "2026-01-01T00:00:00+00:00")
    for i in range(3):
        write_tree(other, {f"docs/{i}.md": "x\n" * 600})
        git_commit_all(other, f"{OTHER_SECRET} change {i}", "2026-02-01T00:00:00+00:00")
    _git(other, "remote", "add", "origin", f"https://github.com/{OTHER_SECRET}/private.git")
    return other


def _plant(kind: str, repo: Path, other: Path) -> None:
    """Point ``repo``'s ``.git`` at ``other`` the way ``kind`` says."""
    if kind == "gitdir-relative":
        (repo / ".git").write_text(f"gitdir: {os.path.relpath(other / '.git', repo)}\n")
    elif kind == "gitdir-absolute":
        (repo / ".git").write_text(f"gitdir: {other / '.git'}\n")
    elif kind == "symlink":
        (repo / ".git").symlink_to(other / ".git", target_is_directory=True)
    else:
        _git(repo, "init", "-q")
        if kind == "commondir":
            (repo / ".git" / "commondir").write_text(f"{other / '.git'}\n")
        else:  # alternates, with HEAD naming a commit only the other repository has
            (repo / ".git" / "objects" / "info" / "alternates").write_text(f"{other / '.git' / 'objects'}\n")
            (repo / ".git" / "refs" / "heads" / "main").write_text(_git(other, "rev-parse", "HEAD"))
            (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")


@pytest.mark.parametrize("kind", ["gitdir-relative", "gitdir-absolute", "symlink", "commondir", "alternates"])
def test_a_git_pointer_out_of_the_folder_is_not_followed(tmp_path: Path, kind: str) -> None:
    """Red team 2026-12-06: a planted ``.git`` file (``gitdir: ../../other/.git``), ``.git``
    symlink, ``commondir`` or alternates made git read another repository on the machine, and
    its remote and commit subjects appeared in the report as this repository's."""
    other = _other_repository(tmp_path)
    repo = tmp_path / "scanned"
    write_tree(repo, {"README.md": "# r\n", ".practicelint.yaml": SERVICE})
    _plant(kind, repo, other)
    for fmt in ("json", "text", "sarif", "junit", "html", "markdown"):
        proc = check(repo, fmt)
        assert_clean(proc)
        assert OTHER_SECRET not in proc.stdout + proc.stderr, fmt
    report = check_json(repo)
    assert report["record"]["remote"] is None and report["target"]["commit"] is None
    assert any("outside the scanned folder" in reason for reason in notes_of(report)[".git"])
    assert "outside the scanned folder" in result(report, "DEL002")["message"]


def test_a_worktree_and_a_submodule_still_read_their_history(tmp_path: Path) -> None:
    """Git's own pointers out of the folder point back at it, so they are followed."""
    main = _repo_with_history(tmp_path / "main")
    _git(main, "worktree", "add", "-q", str(tmp_path / "linked"), "-b", "linked")
    sub_source = _repo_with_history(tmp_path / "sub-source")
    superproject = tmp_path / "super"
    write_tree(superproject, {"README.md": "# s\n"})
    git_commit_all(superproject, "super", "2026-01-01T00:00:00+00:00")
    _git(superproject, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub_source), "sub")
    for folder, source in ((tmp_path / "linked", main), (superproject / "sub", sub_source)):
        assert (folder / ".git").is_file()
        report = check_json(folder)
        assert report["target"]["commit"] == _git(source, "rev-parse", "HEAD").strip()
        assert ".git" not in notes_of(report)
        assert result(report, "DEL002")["status"] in WHOLE


def test_audit_never_names_a_folder_after_the_repository_its_git_pointer_names(tmp_path: Path) -> None:
    """The planted folder's remote would have been the other repository's: its name in the
    audit, and a second planted folder hidden as a duplicate of it."""
    from tests.hostile.cli import run_cli

    other = _other_repository(tmp_path)
    folder = tmp_path / "checkouts"
    for name in ("planted-a", "planted-b"):
        write_tree(folder / name, {"README.md": "# r\n"})
        _plant("gitdir-absolute", folder / name, other)
    out = tmp_path / "out"
    proc = run_cli(["audit", str(folder), "--jobs", "1", "--no-repo-html", "--output-dir", str(out),
                    "--cache-dir", str(tmp_path / "cache")], timeout=240)
    assert_clean(proc, codes=(0, 1))
    assert OTHER_SECRET not in proc.stdout + proc.stderr
    audit = (out / "audit.json").read_text(encoding="utf-8")
    assert OTHER_SECRET not in audit
    import json

    assert sorted(row["name"] for row in json.loads(audit)["repos"]) == ["planted-a", "planted-b"]
