"""The early file listing (``linter.repo.gitls``) and the ``untracked`` setting."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.repo import commit_sizes, gitls
from linter.repo.workspace import Workspace
from tests.helpers import git, git_commit_all, write_tree


def _repo(tmp_path: Path) -> Path:
    write_tree(tmp_path, {"a.txt": "a", ".gitignore": "ignored.txt\n"})
    git_commit_all(tmp_path, "init", "2026-01-01T00:00:00")
    write_tree(tmp_path, {"new.txt": "n", "ignored.txt": "i"})
    return tmp_path


def _workspace(root: Path, untracked: str) -> Workspace:
    ws = Workspace(root)
    ws.configure(max_file_size=1 << 20, exclude=(), untracked=untracked)
    return ws


@pytest.mark.parametrize(("mode", "expected"), [
    ("auto", (".gitignore", "a.txt", "new.txt")),
    ("all", (".gitignore", "a.txt", "new.txt")),
    ("none", (".gitignore", "a.txt")),
])
def test_untracked_modes(tmp_path: Path, mode: str, expected: tuple[str, ...]) -> None:
    assert _workspace(_repo(tmp_path), mode).files == expected


def test_auto_skips_the_untracked_walk_on_a_huge_index_and_says_so(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gitls, "UNTRACKED_AUTO_LIMIT", 1)
    ws = _workspace(_repo(tmp_path), "auto")
    assert ws.files == (".gitignore", "a.txt")
    assert any("untracked files were not listed" in n.reason and "2 files" in n.reason for n in ws.notes)
    assert _workspace(tmp_path, "all").files == (".gitignore", "a.txt", "new.txt")  # explicit all wins


def test_prefetched_listing_is_used_once_and_gives_the_same_index(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    gitls.prefetch(root / ".")  # another spelling of the same folder
    assert str(root.resolve()) in gitls._pending
    assert _workspace(root, "auto").files == (".gitignore", "a.txt", "new.txt")
    assert str(root.resolve()) not in gitls._pending  # taken, processes reaped
    assert gitls.take(root) == (None, None)


def test_prefetch_of_a_missing_folder_or_non_repository_is_harmless(tmp_path: Path) -> None:
    gitls.prefetch(tmp_path / "missing")
    assert gitls.take(tmp_path / "missing") == (None, None)
    write_tree(tmp_path, {"plain.txt": "x"})
    gitls.prefetch(tmp_path)  # not a git work tree: git fails, the walk takes over
    assert _workspace(tmp_path, "auto").files == ("plain.txt",)


def test_unused_prefetch_is_reaped_at_exit(tmp_path: Path) -> None:
    gitls.prefetch(_repo(tmp_path))
    procs = gitls._pending[str(tmp_path.resolve())]
    gitls._discard()
    assert gitls._pending == {} and all(p is None or p.proc.poll() is not None for p in procs)


def test_cli_untracked_option_and_config_key(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    write_tree(root, {"docs/runbook.md": "# Runbook\n"})  # untracked evidence

    def files_seen(*args: str) -> bool:
        result = CliRunner().invoke(cli, ["check", str(root), "--format", "json", *args])
        assert result.exit_code in (0, 1), result.output
        return "docs/runbook.md" in json.dumps(json.loads(result.output)["results"])

    assert files_seen() and not files_seen("--untracked", "none")
    write_tree(root, {".practicelint.yaml": "untracked: none\n"})
    assert not files_seen() and files_seen("--untracked", "all")
    bad = CliRunner().invoke(cli, ["check", str(root), "--untracked", "some"])
    assert bad.exit_code == 2


def test_prefetched_git_log_is_the_one_the_history_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from linter.detectors import history
    from linter.repo.git import numstat_args

    root = _repo(tmp_path)
    commit_sizes.prefetch(str(root))
    key = (str(root.resolve()), numstat_args(history.DEFAULT_WINDOW, history.LOCKFILES))
    assert key in gitls._commands
    started: list[tuple[str, ...]] = []
    original = gitls.start
    monkeypatch.setattr(gitls, "start", lambda r, *a: started.append(a) or original(r, *a))
    facts = Workspace(root).facts(history.detector_for(history.DEFAULT_WINDOW))
    assert facts.available and key not in gitls._commands
    assert not any(a[:1] == ("log",) for a in started)  # the prefetched process was used
    other = list(Workspace(root).git_log_numstat_text(3))  # other arguments: a fresh git log
    assert other and any(a[:1] == ("log",) for a in started)


def test_del002_default_window_matches_the_prefetched_one() -> None:
    from linter.catalog import load_catalog
    from linter.detectors import history

    assert load_catalog().rules["DEL002"].options["window"].default == history.DEFAULT_WINDOW


def test_a_prefetched_command_never_waits_for_its_reader(tmp_path: Path) -> None:
    """Output beyond the pipe buffer is drained while nobody reads, then streamed whole."""
    names = {f"dir{i // 100}/file-with-a-long-name-{i:05d}.txt": "" for i in range(3000)}  # ~150 KB listed
    write_tree(tmp_path, names)
    git_commit_all(tmp_path, "many", "2026-01-01T00:00:00")
    gitls.prefetch(tmp_path)
    cached, others = gitls._pending[str(tmp_path.resolve())]
    assert cached is not None
    assert cached.proc.wait(timeout=30) == 0  # finished although nothing has read its output yet
    assert _workspace(tmp_path, "auto").files == tuple(sorted(names))


def test_drained_output_beyond_the_limit_is_streamed(tmp_path: Path) -> None:
    names = {f"f{i:04d}.txt": "" for i in range(500)}
    write_tree(tmp_path, names)
    git_commit_all(tmp_path, "many", "2026-01-01T00:00:00")
    drained = gitls.Drained(gitls.start(str(tmp_path), *gitls.CACHED_ARGS), limit=1000)
    assert sorted(gitls.read_all(drained, b"\0")) == sorted(names)


def test_the_untracked_modes_are_the_same_everywhere() -> None:
    """The CLI spells them out (importing gitls would slow `--version`); the config model must agree."""
    from typing import get_args, get_type_hints

    from linter.cli import check
    from linter.config import Config

    option = next(p for p in check.params if p.name == "untracked")
    assert tuple(option.type.choices) == gitls.UNTRACKED_MODES
    assert get_args(get_type_hints(Config)["untracked"]) == gitls.UNTRACKED_MODES


def test_line_pieces_end_at_line_ends_and_survive_long_lines(tmp_path: Path) -> None:
    """A 300 KB subject spans many 64 KiB reads: pieces still end at line ends and rejoin to
    the whole output (no line lost or split)."""
    write_tree(tmp_path, {f"d/f{i:04d}.txt": f"{i}\n" for i in range(2000)})
    git_commit_all(tmp_path, "small", "2026-01-01T00:00:00")
    (tmp_path.parent / "message.txt").write_text("s" * 300_000 + "\n")
    git(tmp_path, "commit", "-q", "--amend", "-F", str(tmp_path.parent / "message.txt"))
    args = ("log", "--numstat", "--format=%x01%s")
    whole = subprocess.run(["git", *args], cwd=tmp_path, capture_output=True, check=True).stdout.decode()
    pieces = list(gitls.line_pieces(gitls.start(str(tmp_path), *args)))
    assert len(pieces) > 1 and all(p.endswith("\n") for p in pieces) and "".join(pieces) == whole
    with pytest.raises(gitls.GitFailed):
        list(gitls.line_pieces(gitls.start(str(tmp_path), "log", "--no-such-option")))


def test_repository_state_and_head_come_from_the_prefetched_rev_parse(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """After ``prefetch``, the work-tree check, shallowness, prefix and HEAD cost no blocking git call."""
    root = _repo(tmp_path)
    (root / "sub").mkdir()
    expected_head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                                   check=True).stdout.strip()
    for folder, prefix in ((root, ""), (root / "sub", "sub/")):
        gitls.prefetch(folder)
        ran: list[tuple[str, ...]] = []
        real_run = subprocess.run
        monkeypatch.setattr(subprocess, "run", lambda cmd, *a, **k: ran.append(tuple(cmd)) or real_run(cmd, *a, **k))
        ws = Workspace(folder)
        assert (ws.git_dir_ok, ws.is_shallow, ws.git_prefix, ws.head_commit) == (True, False, prefix, expected_head)
        if not prefix:  # the repository's age comes from the prefetched root-commit walk
            root_time = int(subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True,
                                           text=True, check=True).stdout)
            assert ws.first_commit_times(["."])["."] == root_time
        assert not [c for c in ran if "rev-parse" in c or "--max-parents=0" in c]
        monkeypatch.setattr(subprocess, "run", real_run)
        gitls._discard()


def test_repository_state_without_prefetch_and_outside_git(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    ws = Workspace(root)
    assert (ws.git_dir_ok, ws.git_prefix) == (True, "") and ws.head_commit
    plain = tmp_path / "plain"
    plain.mkdir()
    outside = Workspace(plain)
    assert (outside.git_dir_ok, outside.is_shallow, outside.git_prefix, outside.head_commit) == (False, False, "", None)
