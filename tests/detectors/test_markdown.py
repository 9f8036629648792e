"""The Markdown structure helper: blocks, lines, lead-ins, lists, and what never counts."""

from __future__ import annotations

import pytest

from linter.detectors.markdown import has_words, normalise_label, parse_markdown, split_front_matter


def test_headings_paragraphs_and_one_based_lines() -> None:
    doc = parse_markdown("a.md", "# Title\n\nSome text\nmore text\n\n## Next\n")
    assert [(b.kind, b.line, b.level) for b in doc.blocks] == [("heading", 1, 1), ("paragraph", 3, 0), ("heading", 6, 2)]
    assert doc.blocks[1].text == "Some text\nmore text"
    assert doc.blocks[1].first_line == "Some text" and doc.blocks[1].rest == "more text"
    assert doc.title == "Title" and doc.title_line == 1


def test_front_matter_title_wins_and_keeps_line_numbers() -> None:
    text = "---\ntitle: 'PR/FAQ: Lockers'\nowner: me\n---\n\n# Lockers\n\nBody\n"
    doc = parse_markdown("a.md", text)
    assert doc.title == "PR/FAQ: Lockers" and doc.front_matter_title == "PR/FAQ: Lockers"
    assert doc.headings[0].line == 6  # not shifted by the removed front matter
    assert all(b.text != "title: 'PR/FAQ: Lockers'" for b in doc.blocks)  # not read as a setext heading


@pytest.mark.parametrize("text", ["---\n- a list\n---\n# T\n", "---\n: bad: [\n---\n# T\n", "---\nno end\n# T\n"])
def test_odd_front_matter_never_raises(text: str) -> None:
    front, _ = split_front_matter(text)
    assert isinstance(front, dict)
    assert parse_markdown("a.md", text).front_matter_title == ""


def test_bold_lead_in_is_split_from_the_rest() -> None:
    doc = parse_markdown("a.md", "**Problem:** parcels go missing.\n")
    block = doc.blocks[0]
    assert (block.lead, block.after_lead) == ("Problem:", "parcels go missing.")


def test_bold_in_the_middle_is_not_a_lead_in() -> None:
    assert parse_markdown("a.md", "Parcels **never** go missing.\n").blocks[0].lead == ""


def test_comments_code_and_raw_html_never_become_blocks() -> None:
    text = ("<!--\n# PR/FAQ\nProblem: hidden\n-->\n\n```markdown\n# Press release\n```\n\n"
            "    ## indented code\n\nVisible <!-- inline comment --> text\n")
    doc = parse_markdown("a.md", text)
    assert [b.text for b in doc.blocks] == ["Visible  text"]
    assert doc.title == ""


def test_list_items_and_blockquotes_are_tracked() -> None:
    text = "- Is it free?\n  Yes.\n- Second\n\n  > nested quote\n"
    doc = parse_markdown("a.md", text)
    first, second, quote = doc.blocks
    assert first.items and first.item_start and first.items != second.items
    assert second.item_start and quote.items == second.items and not quote.item_start
    assert quote.quote_depth == 1 and first.quote_depth == 0


def test_section_stops_at_same_or_higher_level() -> None:
    doc = parse_markdown("a.md", "## A\n\nx\n\n### B\n\ny\n\n## C\n\nz\n")
    assert [b.text for b in doc.section(0)] == ["x", "B", "y"]


def test_tables_are_one_block() -> None:
    doc = parse_markdown("a.md", "| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert [b.kind for b in doc.blocks] == ["table"]


@pytest.mark.parametrize("text, expected", [
    ("Renters.", True), ("", False), ("   ", False), ("TBD", False), ("todo", False), ("...", False),
    ("[Describe the customer problem]", False), ("???", False), ("N/A", False), ("Free [see pricing]", True),
])
def test_has_words(text: str, expected: bool) -> None:
    assert has_words(text) is expected


def test_normalise_label() -> None:
    assert normalise_label("**The  Problem:**") == "the problem"


@pytest.mark.parametrize("text", ["", "\n\n", "#", "> ", "- ", "*" * 5000, "[" * 3000, "<!--", "```"])
def test_degenerate_input_never_raises(text: str) -> None:
    parse_markdown("a.md", text)
