"""Inputs: URL identities, directories of repositories, repos files, and stable sharding."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.audit.inputs import (
    InputError, collect, expand_argument, is_url, parse_shard, select_shard, shard_of, url_identity,
)
from tests.audit.support import make_bare, make_git_repo


@pytest.mark.parametrize("url, identity", [
    ("https://github.com/Org/Repo.git", "github.com/Org/Repo"),
    ("https://user:token@GitHub.com:443/org/repo/", "github.com/org/repo"),
    ("git@github.com:org/repo.git", "github.com/org/repo"),
    ("ssh://git@gitlab.example.com:2222/group/sub/repo.git", "gitlab.example.com:2222/group/sub/repo"),
    ("git+ssh://git@host/org/repo", "host/org/repo"),
    ("file:///srv/git/repo.git", "file:///srv/git/repo"),
])
def test_url_identity_drops_credentials_ports_and_dot_git(url: str, identity: str) -> None:
    assert is_url(url)
    assert url_identity(url) == identity


@pytest.mark.parametrize("text", ["./repo", "/abs/path", "repo", "C:\\work\\repo", "dir:with:colons"])
def test_paths_are_not_urls(text: str) -> None:
    assert not is_url(text)


def test_directory_of_repositories_expands_to_its_repository_children(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for name in ("b-svc", "a-svc"):
        make_git_repo(src / name)
    (src / "not-a-repo").mkdir()
    (src / ".hidden-repo" / ".git").mkdir(parents=True)
    make_bare(src / "a-svc", src / "mirror.git")
    found = expand_argument(str(src))
    assert [(i.name, i.kind) for i in found] == [("a-svc", "path"), ("b-svc", "path"), ("mirror", "url")]


def test_a_repository_path_is_itself_and_a_missing_path_is_kept_for_an_error_row(tmp_path: Path) -> None:
    repo = make_git_repo(tmp_path / "one")
    assert [i.id for i in expand_argument(str(repo))] == [repo.resolve().as_posix()]
    missing = expand_argument(str(tmp_path / "missing"))
    assert len(missing) == 1 and missing[0].kind == "path"


def test_repos_file_comments_relative_paths_and_duplicates(tmp_path: Path) -> None:
    make_git_repo(tmp_path / "lists" / "repo1")
    listing = tmp_path / "lists" / "repos.txt"
    listing.write_text("# the org\n\nrepo1   # relative to this file\nhttps://github.com/org/x.git\n"
                       "https://github.com/org/x\n  # indented comment\n", encoding="utf-8")
    found = collect([str(tmp_path / "lists" / "repo1")], listing)
    assert [i.id for i in found] == [(tmp_path / "lists" / "repo1").resolve().as_posix(), "github.com/org/x"]


def test_unreadable_repos_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        collect([], tmp_path / "nope.txt")


@pytest.mark.parametrize("text", ["0/4", "5/4", "1/0", "a/b", "1-4", "", "1/4/2"])
def test_bad_shard_specs_are_rejected(text: str) -> None:
    with pytest.raises(InputError):
        parse_shard(text)


def test_shard_spec_parses() -> None:
    assert parse_shard(" 2 / 8 ") == (2, 8)


def _inputs(ids: list[str]):  # type: ignore[no-untyped-def]
    return [expand_argument(f"https://example.com/org/{i}")[0] for i in ids]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text("abcdefghij-0123", min_size=1, max_size=12), min_size=0, max_size=60, unique=True),
       st.integers(min_value=1, max_value=9), st.randoms())
def test_shards_partition_the_list_and_ignore_its_order(names: list[str], count: int, rnd: random.Random) -> None:
    inputs = _inputs(names)
    shuffled = list(inputs)
    rnd.shuffle(shuffled)
    shards = [select_shard(inputs, k, count) for k in range(1, count + 1)]
    union = [i for shard in shards for i in shard]
    assert sorted(union) == sorted(inputs)  # whole list, and disjoint (no duplicates)
    assert len(union) == len(set(union))
    for k in range(1, count + 1):
        assert sorted(select_shard(shuffled, k, count)) == sorted(shards[k - 1])


def test_shard_assignment_does_not_depend_on_other_repositories() -> None:
    alone = shard_of("github.com/org/payments", 7)
    assert all(shard_of("github.com/org/payments", 7) == alone for _ in range(3))
    assert 1 <= alone <= 7
    spread = {shard_of(f"github.com/org/r{i}", 4) for i in range(200)}
    assert spread == {1, 2, 3, 4}
