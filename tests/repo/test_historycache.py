"""History facts kept between runs (``linter.runtime.historycache``): commit sizes by commit id,
service ages by ``HEAD``. Kept or not, every answer must be the one git gives afresh."""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Iterator

import pytest

from linter.runtime import cachedir
from linter.detectors import history
from linter.repo import commit_sizes, gitls
from linter.runtime import historycache
from linter.repo.git import GitRepository
from linter.repo.workspace import Workspace
from tests.helpers import git, git_commit_all, write_tree


@pytest.fixture
def kept(tmp_path: Path) -> Iterator[Path]:
    """Caching on, as the command line sets it up, in a folder of this test's own."""
    folder = tmp_path / "cache"
    with cachedir.kept_in(folder):
        yield folder


def _repo(root: Path, commits: int = 4) -> Path:
    for i in range(commits):
        write_tree(root, {f"svc{i % 2}/f{i}.py": "x\n" * (i + 1), "package-lock.json": f'{{"v": {i}}}\n',
                          "dist/app.min.js": "m\n" * i})
        git_commit_all(root, f"change {i}: \x01odd \x02subject", f"2026-01-0{i + 1}T00:00:00")
    return root


def _sizes(root: Path, window: int = 200) -> tuple[history.CommitSize, ...]:
    facts = history._detect(Workspace(root), window)
    assert facts.available, facts.reason
    return facts.commits


def _fresh(root: Path, window: int = 200) -> list[history.CommitSize]:
    return history.commit_sizes(Workspace(root).git_log_numstat_text(window, skip_names=history.LOCKFILES))


def test_sizes_kept_equal_sizes_computed(tmp_path: Path, kept: Path) -> None:
    root = _repo(tmp_path / "repo")
    cold = _sizes(root)
    assert list(cold) == _fresh(root) and len(cold) == 4
    assert historycache.exists(root, historycache.SIZES)
    warm = _sizes(root)
    assert warm == cold
    # a new commit: only it is sized, the rest come from the cache, the answer is git's
    write_tree(root, {"svc1/new.py": "a\nb\n"})
    git_commit_all(root, "change 5", "2026-01-09T00:00:00")
    assert list(_sizes(root)) == _fresh(root)
    assert list(_sizes(root, 2)) == _fresh(root, 2)


def test_warm_run_asks_git_only_about_new_commits(tmp_path: Path, kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    _sizes(root)
    write_tree(root, {"svc1/new.py": "a\n"})
    git_commit_all(root, "new one", "2026-01-09T00:00:00")
    asked: list[tuple[str, ...]] = []
    real = GitRepository.git_pieces

    def spy(self: GitRepository, *args: str) -> Iterator[str]:
        asked.append(args)
        return real(self, *args)

    monkeypatch.setattr(GitRepository, "git_pieces", spy)
    newest = _sizes(root)[0]
    sized = [args for args in asked if "--numstat" in args]
    assert len(sized) == 1 and "--no-walk=unsorted" in sized[0]
    assert [a for a in sized[0] if len(a) == 40 and a.isalnum()] == [newest.sha]
    asked.clear()
    _sizes(root)
    assert not [args for args in asked if "--numstat" in args]  # nothing new: no numstat at all


def test_a_commit_changing_only_a_lockfile_is_left_out_kept_or_not(tmp_path: Path, kept: Path) -> None:
    root = _repo(tmp_path / "repo")
    _sizes(root)
    write_tree(root, {"package-lock.json": '{"v": 99}\n'})
    git_commit_all(root, "bump lockfile", "2026-01-09T00:00:00")
    write_tree(root, {"svc0/z.py": "z\n"})
    git_commit_all(root, "real change", "2026-01-10T00:00:00")
    assert list(_sizes(root)) == _fresh(root) == list(_sizes(root))
    assert "bump lockfile" not in [c.subject for c in _sizes(root)]


def test_gitattributes_change_invalidates_kept_sizes(tmp_path: Path, kept: Path) -> None:
    root = _repo(tmp_path / "repo")
    before = _sizes(root)
    write_tree(root, {".gitattributes": "*.py binary\n"})  # uncommitted: git diff reads the work tree's
    git(root, "add", ".gitattributes")
    after = _sizes(root)
    assert list(after) == _fresh(root)
    assert after != before and all(c.binary_files for c in after[:1])


def test_corrupt_foreign_or_special_cache_files_are_ignored(tmp_path: Path, kept: Path) -> None:
    root = _repo(tmp_path / "repo")
    expected = list(_sizes(root))
    path = historycache.cache_file(root, historycache.SIZES)
    assert path is not None and path.is_file()
    for payload in (b"not marshal", marshal.dumps((1, "/elsewhere", (), {})), marshal.dumps([1, 2]),
                    marshal.dumps((historycache.VERSION, os.path.realpath(root), commit_sizes._cache_key(Workspace(root)),
                                   {"f" * 40: ("bogus", "not an int", 0, 0, 1)}))):
        path.write_bytes(payload)
        assert list(_sizes(root)) == expected
    path.unlink()
    os.mkfifo(path)  # a FIFO in its place is never opened for reading (no hang)
    assert list(_sizes(root)) == expected


def test_sizes_kept_under_another_key_are_not_used(tmp_path: Path, kept: Path) -> None:
    """The file is trusted only for the repository path and key written in it."""
    root = _repo(tmp_path / "repo")
    expected = list(_sizes(root))
    path = historycache.cache_file(root, historycache.SIZES)
    assert path is not None
    other_key = ("sizes-0",)
    path.write_bytes(marshal.dumps((historycache.VERSION, os.path.realpath(root), other_key,
                                    {c.sha: ("x", 10**6, 0, 0, 1) for c in expected})))
    assert list(_sizes(root)) == expected


def test_shallow_clone_keeps_nothing(tmp_path: Path, kept: Path) -> None:
    origin = _repo(tmp_path / "origin")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{origin}", str(clone))
    ws = Workspace(clone)
    assert ws.is_shallow and not ws.keeps_history
    assert history._detect(ws, 200).available
    ws.first_commit_times(["svc0", "svc1"])
    assert not (kept / "history").exists()


def test_service_ages_kept_per_head(tmp_path: Path, kept: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    folders = ["svc0", "svc1", "."]
    cold = Workspace(root).first_commit_times(folders)
    assert cold["svc1"] is not None and cold["svc0"] is not None and cold["svc0"] < cold["svc1"]
    assert historycache.exists(root, historycache.AGES)

    def no_git(self: GitRepository, *args: str) -> Iterator[str]:
        raise AssertionError(f"git asked again: {args}")

    monkeypatch.setattr(GitRepository, "git_pieces", no_git)
    ws = Workspace(root)
    assert ws.first_commit_times(folders) == cold
    ws.prefetch_first_commits(folders)  # all kept: nothing to start
    assert not gitls.started(root, gitls_first_added())
    monkeypatch.undo()
    # HEAD moves: computed again
    write_tree(root, {"svc2/a.py": "a\n"})
    git_commit_all(root, "svc2", "2026-02-01T00:00:00")
    assert Workspace(root).first_commit_times(["svc2"])["svc2"] is not None


def gitls_first_added() -> tuple[str, ...]:
    from linter.repo.git import FIRST_ADDED_ARGS

    return FIRST_ADDED_ARGS


def test_nothing_kept_unless_the_command_line_set_the_cache_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path / "repo")
    with cachedir.kept_in(None):  # a library caller: cachedir.activate() never ran
        assert historycache.cache_file(root, historycache.SIZES) is None and not Workspace(root).keeps_history
        assert list(_sizes(root)) == _fresh(root)
        monkeypatch.setenv("PRACTICELINT_NO_CACHE", "1")
        assert cachedir.activate([str(root)]) is None
        assert historycache.cache_file(root, historycache.SIZES) is None


def test_kept_in_sets_the_folder_for_a_block_then_puts_back_the_one_before(tmp_path: Path) -> None:
    """The seam tests use instead of setting ``cachedir``'s state by hand."""
    before = cachedir.active()
    with cachedir.kept_in(tmp_path / "a") as outer:
        assert outer == cachedir.active() == tmp_path / "a"
        with cachedir.kept_in(None):
            assert cachedir.active() is None and not historycache.active()
        assert cachedir.active() == tmp_path / "a"
    assert cachedir.active() == before


def test_store_errors_are_ignored(tmp_path: Path, kept: Path) -> None:
    root = _repo(tmp_path / "repo")
    kept.mkdir()
    (kept / "history").write_text("a file where the folder should be")
    assert list(_sizes(root)) == _fresh(root)


def test_the_cli_prefetches_only_the_window_listing_once_sizes_are_kept(tmp_path: Path, kept: Path) -> None:
    """A first run starts the full numstat at once; later runs start the cheap id listing."""
    root = _repo(tmp_path / "repo")
    commit_sizes.prefetch(str(root))
    full = commit_sizes.numstat_args(history.DEFAULT_WINDOW, history.LOCKFILES)
    window = commit_sizes.window_args(history.DEFAULT_WINDOW, history.LOCKFILES)
    assert gitls.started(root, full) and not gitls.started(root, window)
    assert list(_sizes(root)) == _fresh(root)  # takes the prefetched numstat, keeps the sizes
    commit_sizes.prefetch(str(root))
    assert gitls.started(root, window) and not gitls.started(root, full)
    assert list(_sizes(root)) == _fresh(root)
