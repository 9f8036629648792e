"""Scaffolding helpers: escaping filters, git remotes, service folder suggestions, slugs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from linter.repo.workspace import Workspace
from linter.scaffold import repo_facts
from linter.scaffold.repo_facts import Remote, parse_remote_url
from linter.scaffold.templating import md, promql_str, render, yaml_str
from tests.helpers import git, git_commit_all, write_tree


# --------------------------------------------------------------------------- filters
@given(st.text(max_size=60))
def test_yaml_str_round_trips_any_text(value: str) -> None:
    assert yaml.safe_load(f"key: {yaml_str(value)}\nnext: 1\n") == {"key": value, "next": 1}


@pytest.mark.parametrize("value, expected", [
    ("api", "'api'"),
    ("a: b", "'a: b'"),
    ("it's", "'it''s'"),
    ("two\nlines", '"two\\nlines"'),
    ("sep\u2028arator", '"sep\\u2028arator"'),
])
def test_yaml_str_prefers_single_quotes(value: str, expected: str) -> None:
    assert yaml_str(value) == expected


@given(st.text(max_size=40))
def test_promql_label_value_cannot_close_its_quotes(value: str) -> None:
    escaped = promql_str(value)
    assert "\n" not in escaped
    unescaped = escaped.replace("\\\\", "").replace('\\"', "")
    assert '"' not in unescaped


@pytest.mark.parametrize("value, expected", [
    ("checkout", "checkout"),
    ("a\n# injected", "a \\# injected"),
    ("[link](x) *b* <!--", "\\[link\\](x) \\*b\\* \\<\\!--"),
])
def test_md_keeps_a_value_on_one_inert_line(value: str, expected: str) -> None:
    assert md(value) == expected


@given(st.text(min_size=1, max_size=40))
def test_any_service_name_renders_a_valid_slo_and_a_one_line_title(name: str) -> None:
    slo = yaml.safe_load(render("latency-slo.yaml.j2", service=name, slug=repo_facts.slug(name), today="2026-12-01"))
    assert slo["spec"]["service"] == name and slo["spec"]["objectives"][0]["target"] == 0.99
    query = slo["spec"]["indicator"]["spec"]["ratioMetric"]["good"]["metricSource"]["spec"]["query"]
    assert query.startswith("sum(rate(http_request_duration_seconds_bucket{job=\"") and query.endswith('",le="0.5"}[5m]))')
    title = render("prfaq.md.j2", service=name, today="2026-12-01").split("\n", 1)[0]
    assert title.startswith("# PR/FAQ: ") and "\n" not in title


def test_templates_fail_loudly_on_a_missing_value() -> None:
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        render("prfaq.md.j2", today="2026-12-01")


# --------------------------------------------------------------------------- remotes
@pytest.mark.parametrize("url, expected", [
    ("git@github.com:acme/shop.git", Remote("github.com", "acme", "shop")),
    ("https://github.com/acme/shop", Remote("github.com", "acme", "shop")),
    ("https://user:token@github.com/acme/shop.git", Remote("github.com", "acme", "shop")),
    ("ssh://git@git.acme.io:2222/team/sub/shop.git", Remote("git.acme.io", "team/sub", "shop")),
    ("https://gitlab.com/a/b/c/", Remote("gitlab.com", "a/b", "c")),
    ("/srv/git/shop.git", None),
    ("https://github.com/only-owner", None),
    ("https://github.com/acme/sh op", None),
    ("https://github.com/acme/../etc", None),
    ("", None),
])
def test_parse_remote_url(url: str, expected: Remote | None) -> None:
    assert parse_remote_url(url) == expected


@pytest.mark.parametrize("host, domain", [
    ("github.com", None), ("gitlab.com", None), ("git.acme.io", "acme.io"), ("acme.io", "acme.io"),
    ("code.eu.acme.co", "acme.co"), ("10.0.0.1", None), ("localhost", None),
])
def test_organisation_domain(host: str, domain: str | None) -> None:
    assert Remote(host, "o", "r").organisation_domain() == domain


def test_git_remote_prefers_origin(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "r", {"a": "1"})
    git_commit_all(root, "x", date="2026-01-01T00:00:00")
    assert repo_facts.git_remote(root) is None
    git(root, "remote", "add", "backup", "https://gitlab.com/x/y.git")
    git(root, "remote", "add", "origin", "git@github.com:acme/shop.git")
    assert repo_facts.git_remote(root) == Remote("github.com", "acme", "shop")
    assert repo_facts.git_remote(tmp_path / "not-a-repo") is None


# --------------------------------------------------------------------------- services and ecosystems
def test_service_candidates_need_a_manifest_and_globs_only_cover_whole_containers(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "r", {
        "services/a/package.json": "{}", "services/b/main.go": "package main", "services/b/go.mod": "module b",
        "apps/x/Dockerfile": "FROM a", "apps/y/README.md": "y", "cmd/c/main.go": "package main",
        "services/a/nested/deeper/package.json": "{}", "other/z/package.json": "{}",
    })
    ws = Workspace(root)
    candidates = repo_facts.service_candidates(ws)
    assert [c.path for c in candidates] == ["apps/x", "cmd/c", "services/a", "services/b"]
    assert repo_facts.service_globs(ws, candidates) == ["apps/x", "cmd/*", "services/*"]


def test_ecosystem_directories_match_dependabot_folders(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "r", {
        "package.json": "{}", "web/package.json": "{}", ".github/workflows/ci.yml": "on: push",
        "uv.lock": "", "pyproject.toml": "[project]\ndependencies = []\n", "tools/requirements.txt": "x",
    })
    found = repo_facts.detect_ecosystems(Workspace(root))
    assert [(e.name, e.dependabot_directories()) for e in found] == [
        ("github-actions", ["/"]), ("npm", ["/", "/web"]), ("pip", ["/tools"]), ("uv", ["/"])]


@pytest.mark.parametrize("text, expected", [
    ("Checkout API", "checkout-api"), ("a: b", "a-b"), ("---", "service"), ("é", "service"), ("x" * 80, "x" * 63),
])
def test_slug(text: str, expected: str) -> None:
    assert repo_facts.slug(text) == expected
