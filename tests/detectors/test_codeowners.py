"""CODEOWNERS: GitHub and GitLab pattern semantics, sections, invalid lines and file discovery."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest

from linter.detectors.codeowners import (
    CodeOwnersFile,
    classify_owner,
    detect,
    parse_codeowners,
    pattern_regex,
)
from linter.repo.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "codeowners"


def _matches(pattern: str, path: str, gitlab: bool = False) -> bool:
    return re.match(pattern_regex(pattern, gitlab), path) is not None


# The first block restates the comments of GitHub's documented example file.
@pytest.mark.parametrize("pattern, path, expected", [
    ("*", "README.md", True),
    ("*", "a/b/c/deep.py", True),
    ("*.js", "src/app/index.js", True),
    ("*.js", "src/app/index.jsx", False),
    ("/build/logs/", "build/logs/today.log", True),
    ("/build/logs/", "build/logs/2024/01/x.log", True),
    ("/build/logs/", "src/build/logs/x.log", False),
    ("docs/*", "docs/getting-started.md", True),
    ("docs/*", "docs/build-app/troubleshooting.md", False),
    ("apps/", "apps/x.js", True),
    ("apps/", "deep/nested/apps/x.js", True),
    ("apps/", "apps", False),
    ("/docs/", "docs/a/b.md", True),
    ("/docs/", "src/docs/a.md", False),
    ("**/logs", "build/logs/x.log", True),
    ("**/logs", "deeply/nested/logs/y", True),
    ("**/logs", "logs/z", True),
    ("/apps/github", "apps/github/main.go", True),
    ("/apps/github", "apps/github", True),
    ("/apps/github", "apps/githubber/main.go", False),
    # a slash in the middle anchors at the root on GitHub (gitignore rule)
    ("src/api", "src/api/handler.go", True),
    ("src/api", "lib/src/api/handler.go", False),
    # no slash: any depth, file or directory of that name
    ("Makefile", "tools/Makefile", True),
    ("docs", "site/docs/index.md", True),
    ("docs", "docsite/index.md", False),
    # * and ? never cross a slash
    ("/src/*.py", "src/a.py", True),
    ("/src/*.py", "src/pkg/a.py", False),
    ("/v?/", "v1/x", True),
    ("/v?/", "v10/x", False),
    ("/services/**/*.sql", "services/a/b/schema.sql", True),
    ("/services/**/*.sql", "services/schema.sql", True),
    ("/services/**/*.sql", "other/services/a.sql", False),
    ("/services/**", "services/a/b", True),
    # regex metacharacters are literal
    ("/a+b(c).txt", "a+b(c).txt", True),
    ("/a+b(c).txt", "aab(c).txt", False),
])
def test_github_patterns(pattern: str, path: str, expected: bool) -> None:
    assert _matches(pattern, path) is expected


@pytest.mark.parametrize("pattern, path, expected", [
    # GitLab: a path without a leading slash matches at any depth even with a slash inside
    ("internal/README.md", "docs/internal/README.md", True),
    ("internal/README.md", "internal/README.md", True),
    ("/internal/README.md", "docs/internal/README.md", False),
    ("/docs/*", "docs/index.md", True),
    ("/docs/*", "docs/projects/index.md", False),
    ("lib/", "a/lib/x.rb", True),
    ("/config/", "config/x.yml", True),
    ("/config/", "a/config/x.yml", False),
    ("*.[ch]", "src/x.c", True),
    ("*.[ch]", "src/x.o", False),
    ("*.[!c]", "src/x.o", True),
])
def test_gitlab_patterns(pattern: str, path: str, expected: bool) -> None:
    assert _matches(pattern, path, gitlab=True) is expected


@pytest.mark.parametrize("token, gitlab, kind", [
    ("@octocat", False, "user"),
    ("@octo-org/octocats", False, "team"),
    ("@octo-org/team.name_x", False, "team"),
    ("docs@example.com", False, "email"),
    ("@-bad", False, None),
    ("octocat", False, None),
    ("@org/team/sub", False, None),
    ("@@maintainer", False, None),
    ("@group/with-nested/subgroup", True, "team"),
    ("@group", True, "group-or-user"),
    ("@@maintainer", True, "role"),
    ("TODO", True, None),
])
def test_owner_tokens(token: str, gitlab: bool, kind: str | None) -> None:
    owner = classify_owner(token, gitlab)
    assert (owner.kind if owner else None) == kind


def _file(text: str, gitlab: bool = False) -> CodeOwnersFile:
    sections, invalid, _ = parse_codeowners(text, gitlab)
    return CodeOwnersFile("CODEOWNERS", "gitlab" if gitlab else "github", sections, invalid)


def test_last_match_wins_and_empty_owners_unassign() -> None:
    co = _file("*       @org/everyone\n*.js    @js-owner #inline comment\n/apps/ @octocat\n/apps/github\n")
    assert [o.text for o in co.owners_of("README.md")] == ["@org/everyone"]
    assert [o.text for o in co.owners_of("web/app.js")] == ["@js-owner"]
    assert [o.text for o in co.owners_of("apps/app.js")] == ["@octocat"]
    assert co.owners_of("apps/github/main.js") == ()
    assert not co.covers("apps/github/main.js")
    assert co.assignments("apps/github/main.js")[0].rule.line == 4


def test_github_invalid_lines_are_reported_and_skipped() -> None:
    co = _file("* @org/all\n!/vendor/ @org/none\n*.[ch] @c-team\n\\#weird @x\n/secret/ @ok TODO\n/x/ not-an-owner\n")
    reasons = {i.line: i.reason for i in co.invalid}
    assert set(reasons) == {2, 3, 4, 5, 6}
    assert "negation" in reasons[2] and "ranges" in reasons[3] and "escaping" in reasons[4]
    assert "TODO" in reasons[5]
    # the whole invalid line is skipped, including its valid owner
    assert [o.text for o in co.owners_of("secret/key.txt")] == ["@org/all"]
    assert [r.line for r in co.rules] == [1]


def test_gitlab_sections_defaults_merging_and_exclusions() -> None:
    text = (
        "* @general\n"
        "\n"
        "[Documentation][2] @docs-team\n"
        "docs/\n"
        "README.md @tech-writer\n"
        "^[Database] @database-team\n"
        "model/db/\n"
        "!model/db/generated/\n"
        "[documentation]\n"
        "*.txt\n"
    )
    co = _file(text, gitlab=True)
    names = [s.name for s in co.sections]
    assert names == ["", "Documentation", "Database"]
    assert next(s for s in co.sections if s.name == "Database").optional
    owners = {o.text for o in co.owners_of("docs/guide.md")}
    assert owners == {"@general", "@docs-team"}
    assert {o.text for o in co.owners_of("notes.txt")} == {"@general", "@docs-team"}  # merged section
    assert {o.text for o in co.owners_of("README.md")} == {"@general", "@tech-writer"}
    assert {o.text for o in co.owners_of("model/db/schema.rb")} == {"@general", "@database-team"}
    assert {o.text for o in co.owners_of("model/db/generated/x.rb")} == {"@general"}


def test_gitlab_file_covered_by_any_section() -> None:
    co = _file("[Backend] @backend\n/app/\n[Docs]\n/docs/ @docs\n", gitlab=True)
    assert co.covers("app/x.rb") and co.covers("docs/a.md") and not co.covers("Gemfile")


def test_gitlab_escapes_and_owners_in_section_without_defaults() -> None:
    co = _file("\\#file_with_pound.rb @owner\npath\\ with\\ spaces/ @space-owner\n/orphan/\n", gitlab=True)
    assert co.covers("#file_with_pound.rb")
    assert co.covers("path with spaces/a.txt")
    assert not co.covers("orphan/a.txt")


def test_hostile_text_never_raises() -> None:
    text = "\x00\n[\n[]\n^[\n" + "a" * 5000 + " @x\n" + "*" * 300 + " @x\n" + "[" * 200 + "\n!\n"
    for gitlab in (False, True):
        co = _file(text, gitlab)
        co.covers("a/b/c")


def test_many_files_and_rules_stay_fast() -> None:
    lines = ["* @org/platform"] + [f"/services/svc{i}/ @org/team{i}" for i in range(100)]
    co = _file("\n".join(lines) + "\n")
    paths = [f"services/svc{i % 120}/src/module{i}/file{i}.py" for i in range(10_000)]
    start = cpu_seconds()
    covered = sum(co.covers(p) for p in paths)
    assert covered == 10_000
    assert cpu_seconds() - start < 2.0
    assert co.owners_of("services/svc7/x.py")[0].text == "@org/team7"
    assert co.owners_of("services/svc110/x.py")[0].text == "@org/platform"


# ----------------------------------------------------------------- discovery
def test_github_location_order_and_shadowed_files(make_repo: Callable[..., Path]) -> None:
    root = make_repo({".github/CODEOWNERS": "* @org/a\n", "CODEOWNERS": "* @org/b\n",
                      "docs/CODEOWNERS": "* @org/c\n", "a.txt": "x"})
    ws = Workspace(root)
    facts = detect(ws)
    assert facts.file is not None and facts.file.path == ".github/CODEOWNERS"
    assert facts.file.style == "github"
    assert facts.shadowed == ("CODEOWNERS", "docs/CODEOWNERS")
    assert any("takes precedence" in n.reason for n in ws.notes)


def test_gitlab_detected_from_ci_file_and_uses_gitlab_order(make_repo: Callable[..., Path]) -> None:
    root = make_repo({".gitlab-ci.yml": "test: {script: [true]}\n", ".gitlab/CODEOWNERS": "* @a\n",
                      "docs/CODEOWNERS": "* @group/docs\n"})
    facts = detect(Workspace(root))
    assert facts.file is not None and facts.file.path == "docs/CODEOWNERS" and facts.file.style == "gitlab"
    assert facts.searched == ("CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")


def test_gitlab_style_detected_from_section_headers(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"CODEOWNERS": "[Backend] @backend\n/app/\n"})
    facts = detect(Workspace(root))
    assert facts.file is not None and facts.file.style == "gitlab"
    assert facts.file.covers("app/main.rb")


def test_missing_file_and_unread_location(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"README.md": "hi", ".gitlab/CODEOWNERS": "* @x\n", ".github/workflows/ci.yml": "on: push\n",
                      ".github/CODEOWNERS.md": "* @x\n"})
    # .gitlab/CODEOWNERS with no GitLab CI: GitLab order applies because no .github/CODEOWNERS exists
    assert detect(Workspace(root)).file.path == ".gitlab/CODEOWNERS"
    root2 = make_repo({"README.md": "hi"})
    facts = detect(Workspace(root2))
    assert facts.file is None and facts.searched == (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")


def test_binary_codeowners_is_a_note_not_a_crash(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"CODEOWNERS": b"\x00\x01* @x\n"})
    ws = Workspace(root)
    assert detect(ws).file is None
    assert any("binary" in n.reason for n in ws.notes)


def test_fixture_files_parse() -> None:
    github = (FIXTURES / "github" / "CODEOWNERS").read_text()
    co = _file(github)
    assert not co.invalid
    assert co.covers("services/checkout/api/handler.go")
    gitlab = (FIXTURES / "gitlab" / "CODEOWNERS").read_text()
    co = _file(gitlab, gitlab=True)
    assert co.covers("ee/app/models/user.rb")
    assert not co.invalid


# ----------------------------------------------------------------- linear and indexed matching (issue 14)
from unittest import mock  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from linter.detectors import codeowners  # noqa: E402
from tests.helpers import cpu_seconds


def _reference_regex(pattern: str, gitlab: bool) -> str:
    """The backtracking translation used before, kept as the definition of the semantics."""
    anchored = pattern.startswith("/")
    body = pattern.strip("/")
    if (not gitlab and "/" in body) or body.startswith("**/"):
        anchored = True
    if body in ("", "**"):
        return r".*\Z"
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        at_start = i == 0 or body[i - 1] == "/"
        if body.startswith("**/", i) and at_start:
            out.append(r"(?:[^/]*/)*")
            i += 3
        elif body.startswith("**", i) and at_start and i + 2 == n:
            out.append(r".*")
            i += 2
        elif body.startswith("**", i) or ch == "*":
            out.append(r"[^/]*")
            i += 2 if body.startswith("**", i) else 1
        elif ch == "?":
            out.append(r"[^/]")
            i += 1
        elif ch == "\\" and i + 1 < n:
            out.append(re.escape(body[i + 1]))
            i += 2
        else:
            out.append(re.escape(ch))
            i += 1
    suffix = r"/.*\Z" if pattern.endswith("/") else r"\Z" if body.split("/")[-1] == "*" else r"(?:/.*)?\Z"
    return ("" if anchored else r"(?:.*/)?") + "".join(out) + suffix


SEGMENT = st.sampled_from(["a", "b", "ab", "*", "**", "a*", "*.js", "x.js", "?", "*b*", "\\*", "c.min.js"])
PATTERN = st.lists(SEGMENT, min_size=1, max_size=4).map("/".join).flatmap(
    lambda body: st.sampled_from([body, "/" + body, body + "/", "/" + body + "/"]))
PATH = st.lists(st.sampled_from(["a", "b", "ab", "x.js", "c.min.js", "*", "abb"]), min_size=1, max_size=5).map("/".join)


@settings(max_examples=400, deadline=None)
@given(patterns=st.lists(PATTERN, min_size=1, max_size=12), paths=st.lists(PATH, min_size=1, max_size=8),
       gitlab=st.booleans())
def test_alternation_and_index_pick_the_rule_the_definition_picks(patterns: list[str], paths: list[str],
                                                                   gitlab: bool) -> None:
    rules = [codeowners.Rule(i + 1, p, ()) for i, p in enumerate(patterns)]
    tokens = [codeowners.pattern_tokens(p, gitlab) for p in patterns]
    alternation = codeowners._Alternation(rules, tokens)
    index = codeowners._RuleIndex(rules, tokens, gitlab)
    with mock.patch.object(codeowners, "ALTERNATION_RULES", 2):  # rules tried for every path, in chunks
        chunked = codeowners._RuleIndex(rules, tokens, gitlab)
    for path in paths:
        expected = next((r for r in reversed(rules) if re.match(_reference_regex(r.pattern, gitlab), path)), None)
        assert alternation.last_match(path) == expected
        assert index.last_match(path) == expected
        assert chunked.last_match(path) == expected


def _generated_codeowners(rules: int) -> str:
    """A large, realistic file: per-service folders, per-area docs, extensions, names."""
    lines = ["# generated", "* @org/platform"]
    reviewers = " @org/reviewers-of-area-{}"
    for i in range(rules - 1):
        kind = i % 10
        if kind < 6:
            lines.append(f"/services/svc{i}/ @org/team{i % 700}" + reviewers.format(i % 90))
        elif kind < 8:
            lines.append(f"/docs/area{i}/*.md @org/docs{i % 50}" + reviewers.format(i % 90))
        elif kind == 8:
            lines.append(f"*.ext{i % 400} @org/lang{i % 400}")
        else:
            lines.append(f"generated-{i}.json @org/gen{i % 30}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("gitlab", [False, True])
def test_twenty_thousand_rules_over_five_thousand_files_take_seconds(gitlab: bool) -> None:
    """A 1 MiB CODEOWNERS file: testing every path against every rule took over 15 minutes;
    the index tests each path against the handful of rules that can match it."""
    text = _generated_codeowners(20_000)
    assert len(text) > 900_000
    co = _file(text, gitlab)
    paths = [f"services/svc{(j * 10) % 20_000}/src/file{j}.py" for j in range(3000)] + \
            [f"docs/area{(j * 10 + 6) % 20_000}/page{j}.md" for j in range(1000)] + \
            [f"tools/x{j}.ext{(j * 10 + 8) % 400}" for j in range(500)] + [f"lib/m{j}/generated-{j * 10 + 9}.json" for j in range(500)]
    start = cpu_seconds()
    owners = [co.owners_of(p) for p in paths]
    elapsed = cpu_seconds() - start
    texts = [{o.text for o in found} for found in owners]
    assert "@org/team0" in texts[0] and "@org/docs6" in texts[3000]
    assert texts[4000] == {"@org/lang8"} and texts[4500] == {"@org/gen9"}
    compiled = co._compiled[0].includes
    assert isinstance(compiled, codeowners._RuleIndex)
    # structure, not speed: each path meets a few rules (each "*.extN" line repeats 50 times here), not 20,000
    assert max(len(compiled.candidates(p)) for p in paths) <= 60
    assert elapsed < 60  # generous; about a second here


@pytest.mark.parametrize("gitlab", [False, True])
@pytest.mark.parametrize("pattern", ["/" + "**/" * 60, "*a" * 14 + "*b", "/x/" + "*a" * 14 + "*b/"])
def test_pathological_patterns_match_in_linear_time(gitlab: bool, pattern: str) -> None:
    for rules in (1, codeowners.ALTERNATION_RULES + 1):  # both the alternation and the index
        co = _file("* @org/all\n" + f"{pattern} @org/x\n" * rules, gitlab)
        start = cpu_seconds()
        for path in ["a" * 250, "x/" + "a" * 250, "a/" * 120 + "b" * 5]:
            co.owners_of(path)
        assert cpu_seconds() - start < 20  # minutes per path before


def test_rules_no_index_can_narrow_are_tried_in_chunks() -> None:
    """``*name*`` rules fit no index: every path meets all of them, but 200 rules per C-level
    call rather than a Python call per rule (files x rules, with a small constant: 20,000
    such rules over 5,000 files take about 25 s on the development machine, bounded by the
    run's deadline; realistic files hold a handful)."""
    co = _file("".join(f"*x{i}y* @org/t{i % 50}\n" for i in range(20_000)))
    paths = [f"src/m{j}/x{(j * 7) % 20_000}y.py" for j in range(500)]
    start = cpu_seconds()
    owners = [co.owners_of(p) for p in paths]
    assert cpu_seconds() - start < 60  # about 2.5 s here
    assert owners[1][0].text == "@org/t7"
    chunks = co._compiled[0].includes.always
    assert len(chunks) == 100 and all(chunk.slow == [] for _, chunk in chunks)  # all regex, no NFA


@pytest.mark.parametrize("gitlab", [False, True])
def test_escaped_spaces_stay_in_the_path(gitlab: bool) -> None:
    sections, invalid, _ = parse_codeowners("/docs/user\\ guide/ @org/docs\n", gitlab)
    rule = sections[0].rules[0]
    assert rule.pattern == "/docs/user guide/" and [o.text for o in rule.owners] == ["@org/docs"] and not invalid
