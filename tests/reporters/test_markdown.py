"""Markdown for PR comments and step summaries: snapshot, escaping, size limit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from linter.reporters import render
from linter.reporters.markdown import LIMIT, html_text, md
from linter.results import Scope, Status
from tests.reporters.samples import (assert_snapshot, every_level_passing, hostile_report, mini_catalog, result,
                                     sample_report)


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
    # issue references link and notify on GitHub; a character reference keeps its #
    ("fixes #12 and org/repo#3", "fixes #&#8203;12 and org/repo#&#8203;3"),
    ("#x #a1 issue #", "#x #a1 issue #"),
    ("&#13;", "&amp;#&#8203;13;"),
    ("a\\|b", "a\\\\\\|b"),
    ("\x00\x1b[31m", "\\[31m"),
])
def test_md_escaping(text: str, expected: str) -> None:
    assert md(text) == expected


def test_html_text_escaping() -> None:
    assert html_text("<b>\"x\" & y|z\n@me") == "&lt;b&gt;&quot;x&quot; &amp; y&#124;z @&#8203;me"
    assert html_text("see #7 'q'") == "see #&#8203;7 &#x27;q&#x27;"
    assert html_text("a\r::b") == "a ::b"


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
    assert text.count("<details>") == 2 + 1  # 2 failing rules (PERF001 in two scopes, ORG001) + skipped files
    assert "<b>PERF001 tail-latency-slo</b> · 2 scopes · error" in text
    assert "- **services/api**: latency objectives only at p90" in text
    assert "  - services/api/slo.yaml:10: p90 latency objective" in text
    assert text.count("**Fix.** Fix tail-latency-slo.") == 1 and text.count("Why tail-latency matters.") == 1
    assert "Level 1 needs these to pass: PERF001 tail-latency-slo (services/api, services/worker)" in text


def test_scopes_with_the_same_finding_share_a_line() -> None:
    results = [result("PERF001", f"services/{name}", Status.FAIL, f"no latency objective for {name}")
               for name in ("api", "worker", "batch")]
    scopes = [Scope(f"services/{name}", name) for name in ("api", "worker", "batch")]
    report = replace(sample_report(), results=results, scopes=scopes)
    text = render("markdown", report, mini_catalog())
    assert "- **services/api**: no latency objective for api" in text
    assert "- **services/worker**, **services/batch**: likewise" in text


def test_record_in_the_header() -> None:
    head = render("markdown", sample_report(), mini_catalog()).split("### Services")[0]
    for expected in ("Made 2026-12-01 09:30:00 UTC (PRACTICELINT_NOW)", "at `0123456789ab`",
                     "remote https://github.com/acme/sample.git", "practicelint 9.9.9",
                     "configuration `sha256:abababababab` (practicelint:recommended, .practicelint.yaml)",
                     "waivers: none declared"):
        assert expected in head, expected


def test_no_score_is_a_dash_never_100() -> None:
    report = replace(sample_report(), results=[result("SEC007", "services/api", Status.NOT_APPLICABLE, "n/a")])
    text = render("markdown", report, mini_catalog())
    assert "scores - (nothing applies)" in text and "### security: - (nothing applies)" in text
    assert "100/100" not in text


def test_baseline_counts_in_the_summary() -> None:
    report = sample_report()
    results = [replace(r, baselined=True) if r.status is Status.FAIL else r for r in report.results]
    report = replace(report, results=results, record=replace(report.record, baseline="b.json"))
    text = render("markdown", report, mini_catalog())
    assert "baseline: 1 new, 2 baselined, 0 fixed**" in text
    assert "Only the 1 new failures set the exit code" in text


def test_long_report_is_truncated_with_a_count() -> None:
    many = [result("PERF001", f"svc/{i:04d}", Status.FAIL, f"{i:04d} " + "x" * 2000) for i in range(400)]
    report = replace(sample_report(), results=many)
    text = render("markdown", report, mini_catalog())
    assert len(text) <= LIMIT
    assert "failing results left out" in text
    assert render("markdown", hostile_report(long=True), mini_catalog()).count("A" * 2001) == 0


def test_all_passing_report_says_so() -> None:
    report = replace(sample_report(), results=every_level_passing(), notes=[])
    text = render("markdown", report, mini_catalog())
    assert "Every rule passes" in text and "<details>" not in text and "level 3 of 3" in text


def test_levels_not_proven_are_not_claimed() -> None:
    """Only level 1 judged: level 1, and why nothing higher is claimed; nothing judged: level -;
    a skipped rule in the way: named as not evaluated."""
    only_basics = replace(sample_report(), results=[result("SEC001", ".", Status.PASS, "fine")], notes=[])
    text = render("markdown", only_basics, mini_catalog())
    assert "level 1 of 3" in text and "no rule above level 1 applies" in text and "top level" not in text
    nothing = replace(sample_report(), results=[result("SEC001", ".", Status.NOT_APPLICABLE, "n/a")], notes=[])
    text = render("markdown", nothing, mini_catalog())
    assert "scores - (nothing applies), level -\n" in text and "No level: no rule was judged here" in text
    unjudged = replace(sample_report(), results=[result("SEC001", ".", Status.PASS, "fine"),
                                                 result("DEL002", ".", Status.SKIPPED, "Not evaluated: shallow")],
                       notes=[])
    text = render("markdown", unjudged, mini_catalog())
    assert "level 1 of 3" in text and "Level 2 needs these to pass: DEL002" in text
    assert "(DEL002 not evaluated here)." in text
