"""PROD002 prfaq-complete: every press-release part, and enough answered FAQ questions."""

from __future__ import annotations

from functools import partial

from pathlib import Path
from typing import Callable

import pytest

from linter.checks.prod002_prfaq_complete import check
from linter.results import Scope, Status
from tests.helpers import git_commit_all, make_context, write_tree

make_context = partial(make_context, rule="PROD002")  # contexts for PROD002, with its typed options

FIXTURES = Path(__file__).parent.parent / "fixtures" / "prfaq"
PRFAQ = (FIXTURES / "complete_prfaq.md").read_text()
PRESS = (FIXTURES / "press_release.md").read_text()
FAQ = (FIXTURES / "faq.md").read_text()
HOLLOW = (FIXTURES / "hollow.md").read_text()
OPTIONS = {"min_questions": 20, "new_service_days": 365}


@pytest.fixture
def make_repo(make_git_repo: Callable[[dict[str, str | bytes]], Path]) -> Callable[[dict[str, str | bytes]], Path]:
    """Trees in fresh git repositories with nothing committed: folders git knows nothing of
    count as new. Outside git the rule is skipped (``test_history_unavailable.py``)."""
    return make_git_repo


def run(root: Path, **options: int):
    return check(make_context(root, options={**OPTIONS, **options}))


def test_complete_prfaq_passes(make_repo) -> None:
    finding = run(make_repo({"docs/prfaq.md": PRFAQ}))
    assert finding.status is Status.PASS
    assert finding.message == ("PR/FAQ docs/prfaq.md is complete: headline, problem, solution, customer quote, "
                               "getting started found; 21 answered FAQ questions (minimum 20)")
    details = {(e.line, e.detail) for e in finding.evidence}
    assert (16, "problem: Problem") in details and (3, "headline: Heading") in details
    assert (43, "FAQ: 21 of 21 questions answered") in details


def test_too_few_questions_fails_with_counts(make_repo) -> None:
    finding = run(make_repo({"docs/prfaq.md": PRFAQ}), min_questions=25)
    assert finding.status is Status.FAIL
    assert "all press-release parts found" in finding.message
    assert "21 answered FAQ questions, 25 required" in finding.message


def test_hollow_template_lists_missing_parts_and_unanswered_questions(make_repo) -> None:
    finding = run(make_repo({"docs/prfaq.md": HOLLOW}), min_questions=1)
    assert finding.status is Status.FAIL
    assert ("press release lacks headline ('Heading' at docs/prfaq.md:3 has no text), "
            "problem ('Problem' at docs/prfaq.md:5 has no text), "
            "customer quote ('Customer quote' at docs/prfaq.md:11 has no text), "
            "getting started ('How to get started' at docs/prfaq.md:15 has no text)") in finding.message
    assert "1 unanswered: 'How much does it cost?' (docs/prfaq.md:21)" in finding.message
    assert "required" not in finding.message  # one answered question meets min_questions=1
    assert any(e.line == 7 and e.detail.startswith("solution") for e in finding.evidence)


def test_split_press_release_and_faq_are_judged_together(make_repo) -> None:
    root = make_repo({"lockers/press-release.md": PRESS, "lockers/FAQ.md": FAQ})
    finding = run(root, min_questions=6)
    assert finding.status is Status.PASS
    assert finding.message.startswith("PR/FAQ lockers/FAQ.md + lockers/press-release.md is complete")
    assert "1 unanswered: 'Does it take groceries?' (lockers/FAQ.md:17)" in finding.message
    failing = run(root)
    assert failing.status is Status.FAIL and "6 answered FAQ questions, 20 required" in failing.message


def test_faq_only_reports_the_missing_press_release(make_repo) -> None:
    finding = run(make_repo({"FAQ.md": FAQ}), min_questions=1)
    assert finding.status is Status.FAIL and "no press release" in finding.message


def test_press_release_without_faq_fails_on_questions(make_repo) -> None:
    finding = run(make_repo({"press-release.md": PRESS}))
    assert finding.status is Status.FAIL
    assert "0 answered FAQ questions, 20 required" in finding.message


def test_most_complete_of_several_documents_is_reported(make_repo) -> None:
    finding = run(make_repo({"docs/a-draft-prfaq.md": HOLLOW, "docs/prfaq.md": PRFAQ}))
    assert finding.status is Status.PASS and "docs/prfaq.md is complete" in finding.message


def test_unanswered_list_is_capped_with_a_count(make_repo) -> None:
    questions = "".join(f"### Question number {i}?\n\n" for i in range(8))
    finding = run(make_repo({"prfaq.md": PRFAQ + "\n## Stakeholder FAQ\n\n" + questions}))
    assert finding.status is Status.PASS  # 21 answered still meets the minimum
    assert "8 unanswered:" in finding.message and "and 3 more" in finding.message


def test_no_prfaq_is_not_applicable_pointing_at_prod001(make_repo) -> None:
    finding = run(make_repo({"README.md": "# Lockers\n", "prfaq.md": ""}))
    assert finding.status is Status.NOT_APPLICABLE and "see PROD001" in finding.message


def test_old_service_is_not_applicable(make_repo) -> None:
    root = make_repo({"svc/prfaq.md": HOLLOW})
    git_commit_all(root, "old", date="2024-01-01T00:00:00")
    write_tree(root, {"svc/new.txt": "x\n"})
    git_commit_all(root, "newer", date="2026-11-01T00:00:00")
    scope = Scope("svc", "svc", "config")
    finding = check(make_context(root, options=OPTIONS, scope=scope, scopes=[scope]))
    assert finding.status is Status.NOT_APPLICABLE and "not a new service" in finding.message


def test_other_services_prfaq_is_not_judged_here(make_repo) -> None:
    a, b = Scope("a", "a", "config"), Scope("b", "b", "config")
    root = make_repo({"a/prfaq.md": PRFAQ, "b/main.py": ""})
    finding = check(make_context(root, options=OPTIONS, scope=b, scopes=[a, b]))
    assert finding.status is Status.NOT_APPLICABLE
