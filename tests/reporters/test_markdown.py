"""Markdown for PR comments and step summaries: snapshot, escaping, size limit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from linter.reporters import render
from linter.reporters.markdown import LIMIT, html_text, md
from linter.results import Status
from tests.reporters.samples import assert_snapshot, hostile_report, mini_catalog, result, sample_report


def test_snapshot() -> None:
    assert_snapshot("sample.md", render("markdown", sample_report(), mini_catalog()))


def test_hostile_snapshot() -> None:
    assert_snapshot("hostile.md", render("markdown", hostile_report(), mini_catalog()))


@pytest.mark.parametrize("text,expected", [
    ("a|b", "a\\|b"),
    ("`code`", "\\`code\\`"),
    ("<script>", "\\<script\\>"),
    ("line1\nline2\r\nline3", "line1 line2 line3"),
    ("[x](javascript:y)", "\\[x\\](javascript:y)"),
    ("**bold** _it_ ~~s~~ $x$", "\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\$x\\$"),
    ("&lt;", "&amp;lt;"),
    ("@org/team", "@&#8203;org/team"),
    ("a\\|b", "a\\\\\\|b"),
    ("\x00\x1b[31m", "\\[31m"),
])
def test_md_escaping(text: str, expected: str) -> None:
    assert md(text) == expected


def test_html_text_escaping() -> None:
    assert html_text("<b>\"x\" & y|z\n@me") == "&lt;b&gt;&quot;x&quot; &amp; y&#124;z @&#8203;me"


def test_table_rows_keep_their_column_count_with_hostile_input() -> None:
    text = render("markdown", hostile_report(), mini_catalog())
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows
    for row in rows:
        unescaped = row.replace("\\|", "")
        assert unescaped.count("|") in (6, 7), row  # 5 columns (results) or 6 (services)
    assert "<script>" not in text and "`tick`" not in text
    assert "\n::error" not in text


def test_failing_rules_have_collapsible_details_with_evidence_and_fix() -> None:
    text = render("markdown", sample_report(), mini_catalog())
    assert text.count("<details>") == 3 + 1  # 3 problems + the skipped files
    assert "**Evidence**" in text and "- services/api/slo.yaml:10: p90 latency objective" in text
    assert "**Fix.** Fix tail-latency-slo." in text
    assert "Level 1 needs these to pass: PERF001 tail-latency-slo (services/api)" in text


def test_long_report_is_truncated_with_a_count() -> None:
    many = [result("PERF001", f"svc/{i:04d}", Status.FAIL, "x" * 500) for i in range(400)]
    report = replace(sample_report(), results=many)
    text = render("markdown", report, mini_catalog())
    assert len(text) <= LIMIT
    assert "failing results left out" in text
    assert render("markdown", hostile_report(long=True), mini_catalog()).count("A" * 2001) == 0


def test_all_passing_report_says_so() -> None:
    report = replace(sample_report(), results=[result("SEC001", ".", Status.PASS, "fine")], notes=[])
    text = render("markdown", report, mini_catalog())
    assert "Every rule passes" in text and "<details>" not in text
