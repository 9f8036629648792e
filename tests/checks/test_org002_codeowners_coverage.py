"""ORG002 codeowners-coverage: missing file, uncovered files listed, invalid lines, pass."""

from __future__ import annotations

from functools import partial

from linter.checks.org002_codeowners_coverage import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="ORG002")  # contexts for ORG002, with its typed options


def test_no_codeowners_fails_and_says_where_it_looked(make_repo) -> None:
    root = make_repo({"README.md": "hello", "src/app.py": "print()"})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert finding.message == ("No usable CODEOWNERS file: looked in .github/CODEOWNERS, CODEOWNERS, "
                               "docs/CODEOWNERS")


def test_catch_all_covers_every_file(make_repo) -> None:
    root = make_repo({".github/CODEOWNERS": "# owners\n* @acme/platform\n/services/a/ @acme/a\n",
                      "services/a/main.go": "package main", "README.md": "x"})
    finding = check(make_context(root))
    assert finding.status is Status.PASS
    assert finding.message == ".github/CODEOWNERS assigns an owner to all 3 files with 2 rules"
    assert finding.evidence[0].path == ".github/CODEOWNERS"
    single = check(make_context(make_repo({"CODEOWNERS": "* @acme/platform\n", "a.py": "x"})))
    assert single.message == "CODEOWNERS assigns an owner to all 2 files with 1 rule"
    assert single.evidence[0].detail == "1 rule (github syntax)"


def test_uncovered_files_are_counted_and_first_twenty_listed_sorted(make_repo) -> None:
    files = {f"tools/script{i:02d}.sh": "echo" for i in range(25)}
    files.update({"CODEOWNERS": "/services/ @acme/services\n", "services/x.py": "x"})
    root = make_repo(files)
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert finding.message.startswith("26 of 27 files have no code owner in CODEOWNERS: CODEOWNERS, tools/script00.sh")
    assert "tools/script18.sh and 6 more" in finding.message
    assert "tools/script19.sh" not in finding.message
    uncovered_evidence = [e for e in finding.evidence if e.detail.startswith("no owner")]
    assert len(uncovered_evidence) == 20


def test_owner_removed_by_empty_rule_is_uncovered(make_repo) -> None:
    root = make_repo({".github/CODEOWNERS": "* @acme/platform\n/apps/github\n",
                      "apps/github/main.js": "x", "apps/web/main.js": "y"})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert "1 of 3 files" in finding.message and "apps/github/main.js" in finding.message


def test_invalid_lines_are_reported_with_line_numbers(make_repo) -> None:
    root = make_repo({".github/CODEOWNERS": "* @acme/platform\n!/vendor/ @acme/none\n/docs/ docs-team\n",
                      "docs/a.md": "x"})
    finding = check(make_context(root))
    assert finding.status is Status.PASS  # the catch-all still covers everything
    assert "2 invalid lines (skipped by GitHub) at line 2, 3" in finding.message
    assert {(e.line, e.detail) for e in finding.evidence if e.line} == {
        (2, "invalid line: ! negation does not work on GitHub"),
        (3, "invalid line: invalid owner 'docs-team'")}


def test_invalid_catch_all_leaves_files_uncovered(make_repo) -> None:
    root = make_repo({".github/CODEOWNERS": "* platform-team\n", "a.txt": "x"})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert "1 invalid line (skipped by GitHub) at line 1" in finding.message


def test_shadowed_copy_is_mentioned(make_repo) -> None:
    root = make_repo({".github/CODEOWNERS": "* @acme/a\n", "docs/CODEOWNERS": "* @acme/b\n"})
    finding = check(make_context(root))
    assert finding.status is Status.PASS
    assert "ignored because .github/CODEOWNERS takes precedence: docs/CODEOWNERS" in finding.message


def test_gitlab_sections_count_when_any_section_assigns(make_repo) -> None:
    root = make_repo({
        ".gitlab-ci.yml": "test:\n  script: [make test]\n",
        ".gitlab/CODEOWNERS": "[Backend] @acme/backend\n/app/\n/.gitlab-ci.yml\n/.gitlab/\n\n"
                              "[Docs][1] @acme/docs\n/docs/\n!/docs/generated/\n",
        "app/x.rb": "x", "docs/a.md": "x", "docs/generated/api.md": "x",
    })
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert finding.message.startswith("1 of 5 files have no code owner in .gitlab/CODEOWNERS: docs/generated/api.md")


def test_empty_codeowners_fails(make_repo) -> None:
    root = make_repo({"CODEOWNERS": "# nobody yet\n", "a.py": "x"})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL
    assert "2 of 2 files" in finding.message
