"""Commit sizes: lockfiles, generated and vendored files excluded; unavailable history explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.detectors.history import detect
from linter.repo.commit_sizes import is_excluded
from linter.repo.workspace import Workspace
from tests.helpers import git, git_commit_all, write_tree


@pytest.mark.parametrize("path, excluded", [
    ("package-lock.json", True),
    ("web/yarn.lock", True),
    ("pnpm-lock.yaml", True),
    ("poetry.lock", True),
    ("Cargo.lock", True),
    ("go.sum", True),
    ("uv.lock", True),
    ("composer.lock", True),
    ("Gemfile.lock", True),
    ("static/app.min.js", True),
    ("api/v1/service.pb.go", True),
    ("vendor/github.com/x/y.go", True),
    ("web/node_modules/a/index.js", True),
    ("libs/third_party/zlib/inflate.c", True),
    ("client/schema.generated.ts", True),
    ("go.mod", False),
    ("package.json", False),
    ("src/vendors.py", False),
    ("src/app.js", False),
    ("docs/lockfiles.md", False),
])
def test_exclusions(path: str, excluded: bool) -> None:
    assert is_excluded(path) is excluded


def test_sizes_split_counted_excluded_and_binary() -> None:
    from linter.detectors.history import commit_sizes

    text = ("\x01" + "a" * 40 + "\x02bump deps\n\n1\t1\tpackage.json\n900\t850\tvendor/lib/x.go\n"
            "-\t-\tlogo.png\n")
    (size,) = commit_sizes([text])
    assert (size.lines, size.excluded_lines, size.binary_files) == (2, 1750, 1)
    assert size.short_sha == "aaaaaaaa"


def test_unavailable_reasons(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": "x"})
    assert detect(Workspace(tmp_path)).reason == "not a git repository"
    git(tmp_path, "init", "-q", "-b", "main")
    facts = detect(Workspace(tmp_path))
    assert not facts.available and facts.reason == "the git repository has no commits"


def test_shallow_clone_is_flagged(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    for i in range(3):
        write_tree(origin, {"a.txt": f"{i}\n"})
        git_commit_all(origin, f"c{i}", f"2026-01-0{i + 1}T00:00:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    facts = detect(Workspace(clone))
    assert facts.available and facts.shallow and len(facts.commits) == 1


def test_empty_commits_are_not_changes(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": "x\n"})
    git_commit_all(tmp_path, "real", "2026-01-01T00:00:00")
    git_commit_all(tmp_path, "empty", "2026-01-02T00:00:00")
    facts = detect(Workspace(tmp_path))
    assert [c.subject for c in facts.commits] == ["real"]


def _varied_history(root: Path) -> None:
    write_tree(root, {"src/app.py": "1\n2\n3\n", "logo.png": b"\x00PNG" * 8, "package-lock.json": "{}\n"})
    git_commit_all(root, "first", "2026-01-01T00:00:00")
    write_tree(root, {"src/app.py": "1\nTWO\n3\n4\n", "vendor/lib/x.go": "a\nb\n", "web/app.min.js": "m\n",
                      "api/Schema.Generated.TS": "g\n", "package-lock.json": "{\"a\": 1}\n",
                      "tab\there.py": "t\n", "caf\u00e9 dir/n\u00e9.md": "e\n"})
    git_commit_all(root, "second: mixed", "2026-01-02T00:00:00")
    write_tree(root, {"package-lock.json": "{\"a\": 2}\n"})
    git_commit_all(root, "lockfile only", "2026-01-03T00:00:00")
    write_tree(root, {"docs/roadmap.md": "r\n" * 5, "third_party/z/zlib.c": "z\n" * 7})
    git_commit_all(root, "third", "2026-01-04T00:00:00")


def test_sizes_of_a_varied_history(tmp_path: Path) -> None:
    """Lockfiles left out by git's pathspec, generated/vendored lines apart, binary files
    counted, quoted and non-ASCII paths, a lockfile-only commit dropped."""
    from linter.detectors.history import LOCKFILES, commit_sizes

    _varied_history(tmp_path)
    bulk = commit_sizes(Workspace(tmp_path).git_log_numstat_text(10, skip_names=LOCKFILES))
    assert [c.subject for c in bulk] == ["third", "second: mixed", "first"]  # lockfile-only commit dropped
    third, second, first = bulk
    assert (third.lines, third.excluded_lines) == (5, 7)
    assert (second.lines, second.excluded_lines, second.binary_files) == (5, 4, 0)
    assert (first.lines, first.binary_files) == (3, 1)


def test_bulk_sizes_do_not_depend_on_where_the_stream_is_cut() -> None:
    """Pieces end at any line end; a commit's rows may span pieces."""
    from linter.detectors.history import commit_sizes

    text = ("\x01" + "a" * 40 + "\x02big\n\n10\t5\tsrc/a.py\n-\t-\timg.png\n3\t0\tvendor/x.go\n"
            "\x01" + "b" * 40 + "\x02empty\n"
            "\x01" + "c" * 40 + "\x02quoted\n\n2\t2\t\"dist/\\303\\251.js\"\n1\t1\t\"a\\tb.py\"\n")
    whole = commit_sizes([text])
    assert [(c.subject, c.lines, c.excluded_lines, c.binary_files) for c in whole] == [
        ("big", 15, 3, 1), ("quoted", 2, 4, 0)]
    lines = text.splitlines(keepends=True)
    for cut in range(1, len(lines)):
        assert commit_sizes(["".join(lines[:cut]), "".join(lines[cut:])]) == whole
    assert commit_sizes(lines) == whole
