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


def test_same_named_repositories_get_the_segments_that_tell_them_apart(tmp_path: Path) -> None:
    """Mirrors laid out ``<owner>+<name>/repo``: named by the last segment alone, every row of the
    audit read ``repo``; each now gets the trailing segments of its identity that differ."""
    mirrors = tmp_path / "mirrors"
    for owner in ("psf+requests", "acme+api"):
        make_bare(make_git_repo(tmp_path / "src" / owner), mirrors / owner / "repo")
    make_bare(make_git_repo(tmp_path / "src" / "other"), tmp_path / "elsewhere" / "acme+api" / "repo")
    make_git_repo(tmp_path / "src2" / "unique-name")
    found = collect([str(mirrors / "psf+requests" / "repo"), str(mirrors / "acme+api" / "repo"),
                     str(tmp_path / "elsewhere" / "acme+api" / "repo"), str(tmp_path / "src2" / "unique-name")])
    assert sorted(i.name for i in found) == ["elsewhere/acme+api/repo", "mirrors/acme+api/repo",
                                             "psf+requests/repo", "unique-name"]
    assert len({i.slug for i in found}) == 4 and all(i.slug.startswith(i.name.replace("/", "-").replace("+", "-"))
                                                      for i in found)


def test_hosted_repositories_with_one_path_on_two_hosts_are_named_with_their_host() -> None:
    found = collect(["https://github.com/acme/api.git", "https://gitlab.example.com/acme/api", "https://github.com/acme/web"])
    assert [i.name for i in found] == ["github.com/acme/api", "acme/web", "gitlab.example.com/acme/api"]


def test_a_bare_directory_and_its_file_url_are_one_repository(tmp_path: Path) -> None:
    """``Path.as_uri()`` percent-encodes ``+`` and spaces; a hand-written ``file://`` URL does not:
    the same repository, given both ways, was audited twice under two identities."""
    bare = make_bare(make_git_repo(tmp_path / "src" / "svc"), tmp_path / "mirrors" / "acme+svc one" / "repo.git")
    found = collect([str(bare), f"file://{bare.as_posix()}", bare.as_uri()])
    assert [(i.id, i.name) for i in found] == [(f"file://{(tmp_path / 'mirrors' / 'acme+svc one' / 'repo').as_posix()}",
                                                "repo")]


def test_a_listed_directory_without_a_repository_is_kept_for_an_error_row(tmp_path: Path) -> None:
    """On the command line an empty folder is a usage error (exit 2, said at once); as one line of
    a repos file it becomes an input the audit reports as an error row, and the others go on."""
    make_git_repo(tmp_path / "lists" / "good")
    (tmp_path / "lists" / "empty").mkdir()
    listing = tmp_path / "lists" / "repos.txt"
    listing.write_text("good\nempty\n", encoding="utf-8")
    assert [i.name for i in collect([], listing)] == ["empty", "good"]
    with pytest.raises(InputError):
        collect([str(tmp_path / "lists" / "empty")])
