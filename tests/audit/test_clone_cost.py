"""Clone cost against a server that honours partial clone: fetch requests per repository.

A blobless clone leaves old blobs on the server; DEL002's ``git log --numstat`` needs both
sides of every change in its window, and git fetches them lazily, one request per commit.
The audit fetches them in one batch with the clone, so a repository costs two fetches (the
clone and the batch) however long its history window is, and a second audit two more (the
update and the new commits' batch)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from linter.audit.clone import MARKER
from linter.detectors.history import LOCKFILES
from linter.repo.git import numstat_args
from tests.audit.githttp import GitHttpServer
from tests.audit.support import audit_rows, make_bare, make_git_repo, run_audit
from tests.helpers import git, git_commit_all, write_tree

COMMITS = 30


def _history(root: Path, start: int, count: int) -> None:
    """``count`` commits each changing three files (and now and then a lockfile)."""
    for i in range(start, start + count):
        files = {f"src/m{(i + k) % 7}.py": "".join(f"v{i}_{k}_{n} = {n}\n" for n in range(i % 5 + 3))
                 for k in range(3)}
        if i % 4 == 0:
            files["package-lock.json"] = '{"lockfileVersion": %d}\n' % i
        write_tree(root, files)
        git_commit_all(root, f"change {i}", date=f"2026-0{1 + i // 28 % 9}-{1 + i % 28:02d}T00:00:00")


@pytest.fixture
def served(tmp_path: Path) -> tuple[Path, Path]:
    upstream = make_git_repo(tmp_path / "upstream" / "svc")
    _history(upstream, 0, COMMITS)
    root = tmp_path / "served"
    root.mkdir()
    make_bare(upstream, root / "svc.git")
    return upstream, root


def _numstat_offline(clone: Path) -> subprocess.CompletedProcess[str]:
    """DEL002's own ``git log --numstat``, with the server gone: any blob it lacked would make
    git try a lazy fetch and fail."""
    return subprocess.run(["git", *numstat_args(200, LOCKFILES)], cwd=clone, capture_output=True, text=True,
                          env={"GIT_TERMINAL_PROMPT": "0", "PATH": "/usr/bin:/bin"}, check=False)


def test_control_plain_blobless_clone_fetches_lazily_per_commit(served: tuple[Path, Path], tmp_path: Path) -> None:
    """The server really serves partial clones: left alone, numstat costs a fetch per commit."""
    _, root = served
    with GitHttpServer(root) as server:
        clone = tmp_path / "plain"
        subprocess.run(["git", "clone", "-q", "--filter=blob:none", server.url("svc.git"), str(clone)], check=True)
        after_clone = server.fetches()
        subprocess.run(["git", *numstat_args(200, LOCKFILES)], cwd=clone, check=True, capture_output=True)
        lazy = server.fetches() - after_clone
    assert lazy >= COMMITS // 2, lazy


def test_an_audit_costs_two_fetches_first_and_two_on_update(served: tuple[Path, Path], tmp_path: Path) -> None:
    upstream, root = served
    cache = tmp_path / "cache"
    with GitHttpServer(root) as server:
        url = server.url("svc.git")
        first = run_audit(tmp_path / "out1", url, cache=cache)
        assert first.exit_code == 0, first.output
        first_fetches = server.fetches()

        _history(upstream, COMMITS, 6)
        git(upstream, "push", "-q", str(root / "svc.git"), "HEAD:main")
        before = server.fetches()
        second = run_audit(tmp_path / "out2", url, cache=cache)
        assert second.exit_code == 0, second.output
        second_fetches = server.fetches() - before
    assert first_fetches <= 2, server.commands
    assert second_fetches <= 2, server.commands

    row = audit_rows(tmp_path / "out2")["svc"]
    statuses = {rule: status for rule, _scope, status in row["results"]}
    assert statuses["DEL002"] in ("pass", "fail")  # the history window was read
    clone = next(p for p in cache.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert (clone / ".git" / MARKER).read_text().strip() == git(upstream, "rev-parse", "HEAD").strip()
    offline = _numstat_offline(clone)  # the server is gone now
    assert offline.returncode == 0, offline.stderr
    assert offline.stdout.count("\x01") == COMMITS + 6 + 1  # every commit sized (the initial one too)


def test_a_history_longer_than_the_window_still_costs_two_fetches(tmp_path: Path) -> None:
    """Near the edge: only the window's blobs come (older history stays on the server)."""
    upstream = make_git_repo(tmp_path / "upstream" / "big")
    for i in range(210):  # one file rewritten each commit
        write_tree(upstream, {"data.txt": f"line {i}\n" * 3})
        git_commit_all(upstream, f"c{i}", date="2026-01-01T00:00:00")
    root = tmp_path / "served"
    root.mkdir()
    make_bare(upstream, root / "big.git")
    with GitHttpServer(root) as server:
        result = run_audit(tmp_path / "out", server.url("big.git"), cache=tmp_path / "cache")
        assert result.exit_code == 0, result.output
        assert server.fetches() <= 2, server.commands
    clone = next(p for p in (tmp_path / "cache").iterdir() if p.is_dir() and not p.name.startswith("."))
    oldest = git(clone, "rev-list", "--reverse", "HEAD").split()[0]
    missing = subprocess.run(["git", "cat-file", "-e", f"{oldest}:data.txt"], cwd=clone, capture_output=True,
                             env={"GIT_TERMINAL_PROMPT": "0", "PATH": "/usr/bin:/bin"}, check=False)
    assert missing.returncode != 0  # the first commit's blob was not fetched (outside the window)


def test_a_server_missing_an_old_blob_still_gets_the_repository_audited(served: tuple[Path, Path], tmp_path: Path) -> None:
    """Hostile or partial server: the batch is refused; the checkout's blobs still come in one
    more request and the audit goes on; the history falls back to git's lazy fetches (one per
    commit until the missing blob), and DEL002 says it could not read the history (an error:
    the rule could not run, which is neither a verdict nor "not applicable")."""
    upstream, root = served
    old_blob = git(upstream, "rev-parse", "HEAD~20:src/m0.py").strip()
    loose = root / "svc.git" / "objects" / old_blob[:2] / old_blob[2:]
    assert loose.is_file()
    loose.chmod(0o644)
    loose.unlink()
    cache = tmp_path / "cache"
    with GitHttpServer(root) as server:
        result = run_audit(tmp_path / "out", server.url("svc.git"), cache=cache)
        assert server.fetches() <= 3 + COMMITS, server.commands  # clone, refused batch, checkout, lazy ones
    assert result.exit_code == 0, result.output
    row = audit_rows(tmp_path / "out")["svc"]
    assert row["status"] == "ok"
    assert {rule: status for rule, _scope, status in row["results"]}["DEL002"] == "error"
    clone = next(p for p in cache.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert not (clone / ".git" / MARKER).exists()
