"""PROD001 prfaq-for-new-services: new services (by git age) need a press release."""

from __future__ import annotations

from functools import partial

from pathlib import Path
from typing import Callable

import pytest

from linter.checks.prod001_prfaq_for_new_services import check
from linter.results import Scope, Status
from tests.helpers import git_commit_all, make_context, write_tree

make_context = partial(make_context, rule="PROD001")  # contexts for PROD001, with its typed options

FIXTURES = Path(__file__).parent.parent / "fixtures" / "prfaq"
PRFAQ = (FIXTURES / "complete_prfaq.md").read_text()
BILLING = PRFAQ.replace("PR/FAQ: Parcel Lockers", "PR/FAQ: Invoices")
PRESS = (FIXTURES / "press_release.md").read_text()
FAQ = (FIXTURES / "faq.md").read_text()
OPTIONS = {"new_service_days": 365}


@pytest.fixture
def make_repo(make_git_repo: Callable[[dict[str, str | bytes]], Path]) -> Callable[[dict[str, str | bytes]], Path]:
    """Trees in fresh git repositories with nothing committed: folders git knows nothing of
    count as new. Outside git the rule is skipped (``test_history_unavailable.py``)."""
    return make_git_repo

LEGACY = Scope("services/legacy", "legacy", "config")
LOCKERS = Scope("services/lockers", "lockers", "config")
SCOPES = [LEGACY, LOCKERS]


def history(root: Path, later: dict[str, str] | None = None) -> None:
    """``legacy`` committed in 2024; ``lockers`` and ``later`` files in October 2026 (now is 2026-11-27)."""
    write_tree(root, {"services/legacy/app.py": "print()\n"})
    git_commit_all(root, "legacy", date="2024-01-01T00:00:00")
    write_tree(root, {"services/lockers/app.py": "print()\n", **(later or {})})
    git_commit_all(root, "lockers", date="2026-10-01T00:00:00")


def test_old_service_is_not_applicable_with_its_age(make_repo) -> None:
    root = make_repo({})
    history(root)
    finding = check(make_context(root, options=OPTIONS, scope=LEGACY, scopes=SCOPES))
    assert finding.status is Status.NOT_APPLICABLE
    assert "legacy is not a new service" in finding.message and "1061 days ago" in finding.message


def test_new_service_without_prfaq_fails_saying_what_and_where(make_repo) -> None:
    root = make_repo({})
    history(root)
    finding = check(make_context(root, options=OPTIONS, scope=LOCKERS, scopes=SCOPES))
    assert finding.status is Status.FAIL
    assert "No PR/FAQ found for new service lockers (first commit 57 days ago)" in finding.message
    assert "prfaq / pr-faq / press-release / working-backwards / faq" in finding.message
    assert "inside services/lockers/ and under docs/" in finding.message


def test_option_makes_a_young_service_old(make_repo) -> None:
    root = make_repo({})
    history(root)
    finding = check(make_context(root, options={"new_service_days": 30}, scope=LOCKERS, scopes=SCOPES))
    assert finding.status is Status.NOT_APPLICABLE


def test_prfaq_in_service_folder_passes(make_repo) -> None:
    root = make_repo({})
    history(root, {"services/lockers/PRFAQ.md": PRFAQ})
    finding = check(make_context(root, options=OPTIONS, scope=LOCKERS, scopes=SCOPES))
    assert finding.status is Status.PASS
    assert "press release in services/lockers/PRFAQ.md, FAQ in the same document" in finding.message
    assert finding.evidence[0].path == "services/lockers/PRFAQ.md"


def test_untracked_service_counts_as_new(make_repo) -> None:
    root = make_repo({})
    history(root)
    write_tree(root, {"services/fresh/main.go": "package main\n"})
    fresh = Scope("services/fresh", "fresh", "config")
    finding = check(make_context(root, options=OPTIONS, scope=fresh, scopes=SCOPES + [fresh]))
    assert finding.status is Status.FAIL and "no git history for its folder" in finding.message


def test_nothing_committed_counts_as_new_and_single_scope_looks_everywhere(make_repo) -> None:
    root = make_repo({"notes/ideas/working-backwards.md": PRFAQ})
    finding = check(make_context(root, options=OPTIONS))
    assert finding.status is Status.PASS and "no git history" in finding.message


def test_docs_folder_prfaq_must_name_the_service(make_repo) -> None:
    root = make_repo({})
    history(root, {"docs/prfaq-lockers.md": BILLING, "docs/prfaq-billing.md": BILLING})
    lockers = check(make_context(root, options=OPTIONS, scope=LOCKERS, scopes=SCOPES))
    assert lockers.status is Status.PASS and "docs/prfaq-lockers.md" in lockers.message
    assert "prfaq-billing" not in lockers.message


def test_docs_folder_prfaq_naming_another_service_fails_with_hint(make_repo) -> None:
    root = make_repo({})
    history(root, {"docs/prfaq-billing.md": BILLING})
    finding = check(make_context(root, options=OPTIONS, scope=LOCKERS, scopes=SCOPES))
    assert finding.status is Status.FAIL
    assert "elsewhere that do not name this service: docs/prfaq-billing.md" in finding.message


def test_docs_title_names_the_service(make_repo) -> None:
    root = make_repo({})
    history(root, {"design/2026-launch.md": "# Press release: Lockers for every lobby\n\nNorthwind launches Lockers.\n"})
    assert check(make_context(root, options=OPTIONS, scope=LOCKERS, scopes=SCOPES)).status is Status.PASS


def test_most_specific_service_name_wins(make_repo) -> None:
    api = Scope("services/lockers-api", "lockers-api", "config")
    root = make_repo({"docs/lockers-api-prfaq.md": PRFAQ})
    finding = check(make_context(root, options=OPTIONS, scope=LOCKERS, scopes=[LOCKERS, api]))
    assert finding.status is Status.FAIL
    assert check(make_context(root, options=OPTIONS, scope=api, scopes=[LOCKERS, api])).status is Status.PASS


def test_split_press_release_and_faq_pass(make_repo) -> None:
    root = make_repo({"services/lockers/press-release.md": PRESS, "services/lockers/FAQ.md": FAQ})
    finding = check(make_context(root, options=OPTIONS, scope=LOCKERS, scopes=SCOPES))
    assert finding.status is Status.PASS
    assert "press release in services/lockers/press-release.md, FAQ in services/lockers/FAQ.md" in finding.message


def test_faq_only_fails_saying_the_press_release_is_missing(make_repo) -> None:
    root = make_repo({"services/lockers/FAQ.md": FAQ})
    finding = check(make_context(root, options=OPTIONS, scope=LOCKERS, scopes=SCOPES))
    assert finding.status is Status.FAIL
    assert "Only an FAQ found" in finding.message and "the press release is missing" in finding.message
    assert finding.evidence[0].path == "services/lockers/FAQ.md" and finding.evidence[0].line == 3


def test_press_release_only_passes_but_says_the_faq_is_missing(make_repo) -> None:
    root = make_repo({"services/lockers/press-release.md": PRESS})
    finding = check(make_context(root, options=OPTIONS, scope=LOCKERS, scopes=SCOPES))
    assert finding.status is Status.PASS and "the FAQ is missing" in finding.message


def test_empty_or_heading_only_prfaq_fails(make_repo) -> None:
    root = make_repo({"services/lockers/prfaq.md": "# PR/FAQ\n\n## Problem\n\n## Solution\n",
                      "services/lockers/pr-faq.md": ""})
    finding = check(make_context(root, options=OPTIONS, scope=LOCKERS, scopes=SCOPES))
    assert finding.status is Status.FAIL and "no press-release text and no FAQ questions" in finding.message


def test_prfaq_only_in_code_block_or_comment_fails(make_repo) -> None:
    root = make_repo({"services/lockers/README.md": "# Lockers\n\n```md\n# PR/FAQ\n\nProblem: x\n```\n"
                                                    "<!-- # Press release\nLockers launch -->\n"})
    finding = check(make_context(root, options=OPTIONS, scope=LOCKERS, scopes=SCOPES))
    assert finding.status is Status.FAIL and "No PR/FAQ found" in finding.message


def test_binary_markdown_is_skipped_not_fatal(make_repo) -> None:
    root = make_repo({"services/lockers/prfaq.md": b"\x00\x00PK binary"})
    ctx = make_context(root, options=OPTIONS, scope=LOCKERS, scopes=SCOPES)
    assert check(ctx).status is Status.FAIL
    assert any(n.path == "services/lockers/prfaq.md" for n in ctx.workspace.notes)
