"""``audit --github-org`` / ``--gitlab-group`` against a local fake of each API (never the real
services): pagination, rate-limit pauses, archived repositories, forks, empty ones, tokens, and
hostile answers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from linter.audit.hosts import ApiError, Client, github_org, gitlab_group, next_link
from tests.audit.fakeapi import FakeApi, github_repo, gitlab_project
from tests.audit.githttp import GitHttpServer
from tests.audit.support import audit_rows, make_bare, make_git_repo, run_audit

TOKEN = "ghp_fakeToken0123456789"
GL_TOKEN = "glpat-fakeToken987"


def _served(tmp_path: Path, names: list[str], owner: str = "acme") -> Path:
    """Bare repositories served as ``<owner>/<name>.git``, the path a host's clone URL has."""
    root = tmp_path / "served"
    (root / owner).mkdir(parents=True)
    for name in names:
        make_bare(make_git_repo(tmp_path / "upstream" / name), root / owner / f"{name}.git")
    return root


def test_link_header_next() -> None:
    link = ('<https://api.github.com/organizations/1/repos?page=3>; rel="next", '
            '<https://api.github.com/organizations/1/repos?page=9>; rel="last", '
            '<https://api.github.com/organizations/1/repos?page=1>; rel="first"')
    assert next_link(link) == "https://api.github.com/organizations/1/repos?page=3"
    assert next_link('<https://x/repos?page=1>; rel="prev"') is None
    assert next_link(None) is None and next_link("garbage") is None


def test_github_org_pages_rate_limits_skips_and_clones_with_the_token(tmp_path: Path) -> None:
    root = _served(tmp_path, ["api", "web"])
    with GitHttpServer(root, user="x-access-token", password=TOKEN) as git_server, FakeApi() as api:
        pages = [
            [github_repo("acme/api", git_server.url("acme/api.git")),
             github_repo("acme/old", git_server.url("acme/old.git"), archived=True)],
            [github_repo("acme/fork", git_server.url("acme/fork.git"), fork=True),
             github_repo("acme/empty", git_server.url("acme/empty.git"), size=0),
             github_repo("acme/elsewhere", "https://evil.example/acme/elsewhere.git")],
            [github_repo("acme/web", git_server.url("acme/web.git"))],
        ]

        def repos(query: str, attempt: int):  # type: ignore[no-untyped-def]
            page = int(dict(p.split("=") for p in query.split("&")).get("page", "1"))
            headers = {"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4000",
                       "x-ratelimit-reset": str(int(time.time()) + 3000)}
            if page == 1:  # the last request this window: wait for the reset before the next
                headers.update({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time()) + 1)})
            if page == 2 and attempt == 1:  # a secondary rate limit
                return 403, {"retry-after": "1"}, {"message": "You have exceeded a secondary rate limit."}
            if page < 3:
                base = f"{api.base}/orgs/acme/repos?type=all&per_page=100"
                headers["Link"] = f'<{base}&page={page + 1}>; rel="next", <{base}&page=3>; rel="last"'
            return 200, headers, pages[page - 1]

        api.route("/orgs/acme/repos", repos)
        out = tmp_path / "out"
        result = run_audit(out, "--github-org", "acme", env={"GITHUB_API_URL": api.base, "GITHUB_TOKEN": TOKEN})
        assert result.exit_code == 0, result.output
        assert [r["headers"].get("authorization") for r in api.requests] == [f"Bearer {TOKEN}"] * 4
        assert all(r["headers"].get("x-github-api-version") == "2022-11-28" for r in api.requests)
        assert "per_page=100" in api.requests[0]["query"] and "type=all" in api.requests[0]["query"]
        assert any(auth for _, _, auth in git_server.requests)  # git was given the token
    rows = audit_rows(out)
    assert sorted(rows) == ["acme/api", "acme/web"]
    host = git_server.url("").split("/")[2]
    assert {r["id"] for r in rows.values()} == {f"{host}/acme/api", f"{host}/acme/web"}
    assert "listed 2 repositories from GitHub org acme in 3 pages" in result.stderr
    assert "skipped 1 archived, 1 empty, 1 fork, 1 malformed" in result.stderr
    assert "waited" in result.stderr
    written = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file())
    assert TOKEN not in written and TOKEN not in result.output


def test_github_flags_include_archived_forks_and_empty_and_plan_writes_no_token(tmp_path: Path) -> None:
    with FakeApi() as api:
        entries = [github_repo("acme/api", f"{api.base}/acme/api.git"),
                   github_repo("acme/old", f"{api.base}/acme/old.git", archived=True),
                   github_repo("acme/fork", f"{api.base}/acme/fork.git", fork=True),
                   github_repo("acme/empty", f"{api.base}/acme/empty.git", size=0)]
        api.route("/orgs/acme/repos", lambda q, a: (200, {}, entries))
        env = {"GITHUB_API_URL": api.base, "GITHUB_TOKEN": TOKEN}
        result = run_audit(tmp_path / "plan", "--github-org", "acme", "--include-archived", "--include-forks",
                           "--include-empty", "--plan", env=env)
        assert result.exit_code == 0, result.output
        listed = [line for line in (tmp_path / "plan" / "repos.txt").read_text().splitlines()
                  if not line.startswith("#")]
        assert sorted(listed) == sorted(f"{api.base}/acme/{n}.git" for n in ("api", "old", "fork", "empty"))
        assert TOKEN not in (tmp_path / "plan" / "repos.txt").read_text()
        plan = json.loads((tmp_path / "plan" / "plan.json").read_text())
        assert (plan["repos"], plan["shards"], plan["matrix"]) == (4, 1, [1])
        run_audit(tmp_path / "plan2", "--github-org", "acme", "--plan", env=env)
        assert json.loads((tmp_path / "plan2" / "plan.json").read_text())["repos"] == 1


def test_gitlab_group_pages_by_next_page_and_link_waits_for_the_reset_and_skips(tmp_path: Path) -> None:
    root = _served(tmp_path, ["api", "batch"], owner="acme/platform")
    with GitHttpServer(root, user="oauth2", password=GL_TOKEN) as git_server, FakeApi() as api:
        base = f"{api.base}/api/v4"
        path = "/api/v4/groups/acme%2Fplatform/projects"

        def projects(query: str, attempt: int):  # type: ignore[no-untyped-def]
            params = dict(p.split("=") for p in query.split("&"))
            page = int(params.get("page", "1"))
            if page == 1:  # offset pagination, told by X-Next-Page only
                return 200, {"X-Next-Page": "2", "X-Page": "1", "RateLimit-Remaining": "500"}, [
                    gitlab_project("acme/platform/api", git_server.url("acme/platform/api.git")),
                    gitlab_project("acme/platform/archive", git_server.url("acme/platform/archive.git"), archived=True)]
            if page == 2 and attempt == 1:
                return 429, {"RateLimit-Remaining": "0", "RateLimit-Reset": str(int(time.time()) + 1)}, {
                    "message": "429 Too Many Requests"}
            if page == 2:
                return 200, {"Link": f'<{base}{path[7:]}?include_subgroups=true&per_page=100&page=3>; rel="next"'}, [
                    gitlab_project("acme/platform/sub/fork", git_server.url("acme/platform/fork.git"), fork=True),
                    gitlab_project("acme/platform/sub/new", git_server.url("acme/platform/new.git"), empty=True)]
            return 200, {"X-Next-Page": ""}, [gitlab_project("acme/platform/sub/batch", git_server.url("acme/platform/batch.git"))]

        api.route(path, projects)
        out = tmp_path / "out"
        result = run_audit(out, "--gitlab-group", "acme/platform",
                           env={"CI_API_V4_URL": base, "GITLAB_TOKEN": GL_TOKEN})
        assert result.exit_code == 0, result.output
        assert all(r["headers"].get("private-token") == GL_TOKEN for r in api.requests)
        assert "include_subgroups=true" in api.requests[0]["query"]
        assert len(api.requests) == 4  # pages 1, 2 (refused, then again), 3
    rows = audit_rows(out)
    assert sorted(rows) == ["acme/platform/api", "acme/platform/batch"]
    assert all(r["status"] == "ok" for r in rows.values())
    assert "skipped 1 archived, 1 empty, 1 fork" in result.stderr
    written = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file())
    assert GL_TOKEN not in written and GL_TOKEN not in result.output


def test_gitlab_api_url_fallback_and_default() -> None:
    seen = {}

    class Stop(Exception):
        pass

    def fake_pages(self: Client, url: str):  # type: ignore[no-untyped-def]
        seen["url"] = url
        raise Stop

    original = Client.pages
    Client.pages = fake_pages  # type: ignore[method-assign]
    try:
        for env, expected in (({"GITLAB_API_URL": "https://gl.example/api/v4"}, "https://gl.example/api/v4/groups/"),
                              ({}, "https://gitlab.com/api/v4/groups/")):
            with pytest.raises(Stop):
                gitlab_group("g", set(), env=env)
            assert seen["url"].startswith(expected)
        with pytest.raises(Stop):
            github_org("acme", set(), env={})
        assert seen["url"].startswith("https://api.github.com/orgs/acme/repos?")
    finally:
        Client.pages = original  # type: ignore[method-assign]


def test_rate_limit_waits_follow_the_headers_exactly() -> None:
    """Retry-After seconds; x-ratelimit-reset (epoch) minus now; a bare 429 a minute; too long is an error."""
    waits: list[float] = []
    with FakeApi() as api:
        answers = iter([(403, {"retry-after": "7"}, {}), (429, {"x-ratelimit-remaining": "0",
                                                               "x-ratelimit-reset": "1000120"}, {}),
                        (429, {}, {}), (200, {}, [])])
        api.route("/x", lambda q, a: next(answers))
        client = Client(api.base, {}, sleep=waits.append, clock=lambda: 1_000_000.0)
        assert client.get(f"{api.base}/x")[0] == []
    assert waits == [7.0, 121.0, 240.0]
    with FakeApi() as api:
        api.route("/x", lambda q, a: (403, {"retry-after": "7200"}, {}))
        with pytest.raises(ApiError, match="wait 7200s"):
            Client(api.base, {}, sleep=waits.append).get(f"{api.base}/x")


@pytest.mark.parametrize("hostile", ["next-elsewhere", "not-a-list", "not-json", "404", "redirect-elsewhere",
                                     "nested-deep"])
def test_hostile_api_answers_are_one_line_errors(tmp_path: Path, hostile: str) -> None:
    with FakeApi() as api, FakeApi() as other:
        other.route("/orgs/acme/repos", lambda q, a: (200, {}, [github_repo("acme/x", f"{other.base}/x.git")]))
        responses = {
            "next-elsewhere": (200, {"Link": f'<{other.base}/orgs/acme/repos?page=2>; rel="next"'}, []),
            "not-a-list": (200, {}, {"message": "a dict"}),
            "not-json": (200, {}, b"<html>\x1b]8;;evil\x07</html>"),
            "404": (404, {}, {"message": "Not Found"}),
            "redirect-elsewhere": (302, {"Location": f"{other.base}/orgs/acme/repos"}, {}),
            "nested-deep": (200, {}, b"[" * 100_000 + b"]" * 100_000),  # json's parser recurses
        }
        api.route("/orgs/acme/repos", lambda q, a: responses[hostile])
        result = run_audit(tmp_path / "out", "--github-org", "acme",
                           env={"GITHUB_API_URL": api.base, "GITHUB_TOKEN": TOKEN})
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("practicelint: error: GitHub org acme:")
        assert "\x1b" not in result.stderr and "Traceback" not in result.output
        assert not other.requests, "the token must not travel to another origin"


def test_clone_urls_must_be_on_the_api_host_and_plain() -> None:
    from linter.audit.hosts import _clone_host_ok

    assert _clone_host_ok("https://github.com/acme/api.git", "https://api.github.com")
    assert _clone_host_ok("https://ghe.example/acme/api.git", "https://ghe.example/api/v3")
    assert not _clone_host_ok("http://github.com/acme/api.git", "https://api.github.com")  # downgraded
    assert not _clone_host_ok("ext::sh -c touch% /tmp/pwned", "https://api.github.com")
    assert not _clone_host_ok("file:///etc", "https://api.github.com")
    assert not _clone_host_ok("https://evil.example/acme/api.git", "https://api.github.com")
    assert not _clone_host_ok("https://u:p@github.com/acme/api.git", "https://api.github.com")


@pytest.mark.parametrize("shape", ["endless-new", "endless-same"])
def test_an_endless_listing_stops_at_the_entry_bound(shape: str) -> None:
    """A hostile API that answers every page with another full page and a ``next`` link: the
    listing kept every entry (or, the same entries again, every page up to MAX_PAGES of 32 MB
    each), so memory or time grew with the server's patience. It now stops after
    MAX_LISTED_ENTRIES entries read, listed or not, with one error."""
    from linter.audit import hosts

    def page(query: str, attempt: int) -> tuple[int, dict[str, str], object]:
        number = int(dict(p.split("=") for p in query.split("&")).get("page", "1"))
        base = number * 1000 if shape == "endless-new" else 0
        return (200, {"Link": f'<{api.base}/orgs/acme/repos?page={number + 1}>; rel="next"'},
                [github_repo(f"acme/r{base + i}", f"{api.base}/acme/r{base + i}.git") for i in range(1000)])

    with FakeApi() as api:
        api.route("/orgs/acme/repos", page)
        with pytest.raises(ApiError, match="more than 5000 entries"):
            old = hosts.MAX_LISTED_ENTRIES
            hosts.MAX_LISTED_ENTRIES = 5000
            try:
                github_org("acme", set(), env={"GITHUB_API_URL": api.base})
            finally:
                hosts.MAX_LISTED_ENTRIES = old
        assert len(api.requests) <= 6


def test_api_pages_are_bounded_below_what_parsing_them_could_cost() -> None:
    """A page is parsed whole: 32 MB of ``{},`` became 11 million dicts (over 800 MB); a real page
    of 100 repositories is under 1 MB."""
    from linter.audit import hosts

    assert hosts.MAX_PAGE_BYTES <= 8 * 1024 * 1024
    with FakeApi() as api:
        api.route("/x", lambda q, a: (200, {}, b"[" + b"{}," * (3 * 1024 * 1024) + b"{}]"))
        with pytest.raises(ApiError, match="larger than"):
            Client(api.base, {}).get(f"{api.base}/x")
