"""PR/FAQ discovery and structure: parts, questions, answers, and what never counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.detectors.prfaq import analyse, detect, role_from_name, role_from_title
from linter.repo.workspace import Workspace

FIXTURES = Path(__file__).parent.parent / "fixtures" / "prfaq"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("path, role", [
    ("docs/prfaq.md", "prfaq"), ("PRFAQ.md", "prfaq"), ("docs/checkout-pr-faq.markdown", "prfaq"),
    ("x/PR_FAQ.mdx", "prfaq"), ("docs/working-backwards.md", "prfaq"), ("press-release.md", "press_release"),
    ("Press_Release.md", "press_release"), ("FAQ.md", "faq"), ("docs/faqs.md", "faq"),
    ("README.md", ""), ("docs/design.md", ""), ("faq/README.md", ""),
])
def test_role_from_name(path: str, role: str) -> None:
    assert role_from_name(path) == role


@pytest.mark.parametrize("title, role", [
    ("PR/FAQ: Lockers", "prfaq"), ("PR-FAQ", "prfaq"), ("Lockers PRFAQ", "prfaq"), ("Working Backwards: Lockers", "prfaq"),
    ("Press release: Northwind launches Lockers", "press_release"), ("Frequently asked questions", "faq"),
    ("Lockers FAQ", "faq"), ("Press release & FAQ", "prfaq"), ("Project overview", ""), ("Practical FAQtory", ""),
])
def test_role_from_title(title: str, role: str) -> None:
    assert role_from_title(title) == role


def test_complete_template_shaped_prfaq() -> None:
    doc = analyse("docs/prfaq.md", fixture("complete_prfaq.md"))
    assert doc is not None and doc.role == "prfaq" and doc.matched_by == "file name and title"
    assert doc.has_press_release and doc.has_faq
    assert {p.name for p in doc.parts if p.has_content} == {
        "headline", "problem", "solution", "customer quote", "getting started"}
    assert doc.found("problem").line == 16 and doc.found("headline").line == 3
    assert len(doc.questions) == 21 and not doc.unanswered
    assert doc.questions[0].text == "How much does it cost residents?" and doc.questions[0].line == 43


def test_press_release_with_bold_lead_ins_and_title_headline() -> None:
    doc = analyse("docs/press-release.md", fixture("press_release.md"))
    assert doc is not None and doc.role == "press_release" and doc.has_press_release and not doc.has_faq
    assert doc.found("headline").line == 1  # the h1 reads as a headline
    assert doc.found("problem").label == "Problem" and doc.found("getting started").line == 9
    assert doc.found("customer quote").label == "quoted speech"  # “...,” says Sam Rivera


def test_faq_only_file_with_every_question_form() -> None:
    doc = analyse("docs/faq.md", fixture("faq.md"))
    assert doc is not None and doc.role == "faq" and doc.has_faq and not doc.has_press_release
    assert [(q.line, q.text, q.answered) for q in doc.questions] == [
        (3, "How much does it cost?", True),          # **Q: ...** then A:
        (6, "Which couriers are supported?", True),   # **Q:** ... then A:
        (9, "How long can a parcel stay?", True),     # Q: / A: lines
        (12, "Can someone else collect my parcel?", True),  # list item, nested answer
        (14, "Is the code reusable?", True),          # list item, answer paragraph inside the item
        (17, "Does it take groceries?", False),       # list item without an answer
        (19, "What if the locker is broken?", True),  # bold question, answer paragraph
    ]


def test_hollow_template_parts_have_no_content() -> None:
    doc = analyse("docs/prfaq.md", fixture("hollow.md"))
    assert doc is not None
    content = {p.name: p.has_content for p in doc.parts}
    assert content == {"headline": False, "problem": False, "solution": True,
                       "customer quote": False, "getting started": False}
    assert [(q.text, q.answered) for q in doc.questions] == [("How much does it cost?", False), ("Who is it for?", True)]


def test_heading_followed_by_heading_is_unanswered() -> None:
    text = "# FAQ\n\n## Is it free?\n\n## Is it fast?\n\nYes.\n\n## Is it safe?\n\n### Details\n\nVery.\n"
    doc = analyse("faq.md", text)
    assert [(q.text, q.answered) for q in doc.questions] == [
        ("Is it free?", False), ("Is it fast?", True), ("Is it safe?", True)]


def test_placeholder_answers_do_not_count() -> None:
    doc = analyse("faq.md", "# FAQ\n\n### Price?\n\nTBD\n\n### Team?\n\n[Team, time, budget]\n")
    assert [q.answered for q in doc.questions] == [False, False]


def test_questions_outside_faq_sections_are_not_counted() -> None:
    text = "# PR/FAQ: Lockers for every lobby\n\n## Why wait?\n\nBecause.\n\n## FAQ\n\n### Is it free?\n\nYes.\n"
    doc = analyse("prfaq.md", text)
    assert [q.text for q in doc.questions] == ["Is it free?"]


def test_faq_heading_nested_under_press_release_heading_still_counts() -> None:
    text = "# Press release\n\nLockers launch.\n\n## FAQ\n\n### Is it free?\n\nYes.\n"
    doc = analyse("press-release.md", text)
    assert doc.has_press_release and [q.text for q in doc.questions] == ["Is it free?"]


def test_labelled_paragraphs_and_synonyms() -> None:
    text = ("# PR/FAQ\n\nHeadline: Northwind launches lockers for renters\n\nCustomer pain: parcels vanish.\n\n"
            "How it works: a locker in the lobby.\n\nAvailability: from March in Leeds.\n")
    doc = analyse("prfaq.md", text)
    assert {p.name for p in doc.parts if p.has_content} == {"headline", "problem", "solution", "getting started"}


def test_generic_title_is_not_a_headline_but_sub_heading_under_press_release_is() -> None:
    assert analyse("prfaq.md", "# PR/FAQ\n\nSome text.\n").found("headline") is None
    assert analyse("prfaq.md", "# PR/FAQ: Lockers\n\nSome text.\n").found("headline") is None
    doc = analyse("prfaq.md", "# PR/FAQ\n\n## Press release\n\n### Northwind launches Parcel Lockers\n\nText.\n")
    assert doc.found("headline").line == 5


def test_quote_heading_needs_quoted_text_but_blockquote_counts_anywhere() -> None:
    plain = analyse("prfaq.md", "# PR/FAQ\n\n## Customer quote\n\nCustomers will love it.\n")
    assert plain.found("customer quote") is None
    quoted = analyse("prfaq.md", "# PR/FAQ\n\n## Customer quote\n\n\"It changed my week.\"\n")
    assert quoted.found("customer quote") is not None
    block = analyse("prfaq.md", "# PR/FAQ\n\nIntro.\n\n> Finally my parcels are safe.\n")
    assert block.found("customer quote").label == "blockquote"
    alert = analyse("prfaq.md", "# PR/FAQ\n\nIntro.\n\n> [!NOTE]\n> Draft only.\n")
    assert alert.found("customer quote") is None


def test_prfaq_only_in_code_block_or_comment_is_no_candidate() -> None:
    assert analyse("README.md", "# Lockers\n\n```\n# PR/FAQ\n## FAQ\n### Q?\nA\n```\n") is None
    assert analyse("README.md", "<!-- # PR/FAQ -->\n# Lockers\n\nText about faq.\n") is None


def test_parts_inside_comments_do_not_count() -> None:
    text = "# PR/FAQ\n\nIntro.\n\n<!--\n## Problem\n\nParcels vanish.\n-->\n"
    assert analyse("prfaq.md", text).found("problem") is None


@pytest.mark.parametrize("text", ["", "# PR/FAQ\n", "# PR/FAQ\n\n## Problem\n\n## Solution\n"])
def test_empty_and_heading_only_files_have_no_press_release(text: str) -> None:
    doc = analyse("prfaq.md", text)
    assert doc is not None and not doc.has_press_release and not doc.has_faq


def test_prfaq_named_file_with_only_an_faq_has_no_press_release() -> None:
    doc = analyse("prfaq.md", "# PR/FAQ\n\n## FAQ\n\n### Is it free?\n\nYes.\n")
    assert doc.has_faq and not doc.has_press_release


def test_detect_reads_candidates_only_and_survives_binary(make_repo) -> None:
    root = make_repo({
        "docs/prfaq.md": fixture("complete_prfaq.md"),
        "docs/notes.md": "# Notes\n\nNothing here.\n",
        "docs/overview.md": "---\ntitle: Press release\n---\nNorthwind launches lockers.\n",
        "svc/FAQ.md": b"\x00\x01binary",
        "svc/pr-faq.md": b"\xff\xfe not utf-8",
    })
    ws = Workspace(root)
    facts = detect(ws)
    assert [d.path for d in facts.docs] == ["docs/overview.md", "docs/prfaq.md"]
    assert facts.docs[0].role == "press_release" and facts.docs[0].has_press_release
    assert {n.path for n in ws.notes} >= {"svc/FAQ.md", "svc/pr-faq.md"}


from hypothesis import given, settings, strategies as st  # noqa: E402
from tests.helpers import cpu_seconds

_PIECES = st.sampled_from(["# PR/FAQ", "## FAQ", "### Is it free?", "**Q: Why?**", "A: yes", "Q: how?", "- Is it?",
                           "  nested", "> \"Quote\" said Al", "**Problem:** x", "Solution: y", "<!--", "-->", "```",
                           "---", "title: FAQ", "", "| a |", "|---|", "[TBD]", "  - deeper?", "1. **Why now?**"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_analyse_never_raises_on_shuffled_structures(pieces: list[str]) -> None:
    doc = analyse("prfaq.md", "\n".join(pieces))
    assert doc is not None  # named prfaq, so always a candidate
    assert all(q.line >= 1 for q in doc.questions) and all(p.line >= 0 for p in doc.parts)


def test_large_document_is_analysed_quickly() -> None:

    body = "# FAQ\n\n" + "".join(f"### Question {i}?\n\n**Bold {i}:** \"quoted {i}\" said someone\n\n" for i in range(4000))
    started = cpu_seconds()
    doc = analyse("faq.md", body)
    assert len(doc.questions) == 4000 and all(q.answered for q in doc.questions)
    assert cpu_seconds() - started < 20


def test_quoted_speech_that_wraps_onto_the_next_lines_counts() -> None:
    text = ("# Acme reorders: press release\n\n## Press release\n\n"
            "\"Reordering used to take our buyers an afternoon, and now it takes\n"
            "one click,\" said Ana Silva, head of purchasing at Northwind.\n")
    doc = analyse("docs/prfaq.md", text)
    assert doc is not None and any(p.name == "customer quote" and p.has_content for p in doc.parts)
    # a quote mark alone, with no attribution, is not speech
    doc = analyse("docs/prfaq.md", text.replace(" said Ana Silva, head of purchasing at Northwind", ""))
    assert doc is not None and not any(p.name == "customer quote" for p in doc.parts)


def test_a_headline_one_level_above_its_press_release_heading() -> None:
    text = "## Press release\n\n# Acme launches one-click reorders for every buyer\n\nToday Acme...\n"
    doc = analyse("docs/press-release.md", text)
    assert doc is not None and [p.label for p in doc.parts if p.name == "headline"] == \
        ["Acme launches one-click reorders for every buyer"]
    doc = analyse("docs/press-release.md", "## Press release\n\n# FAQ\n\nToday Acme...\n")
    assert doc is not None and not [p for p in doc.parts if p.name == "headline" and p.line == 3]
