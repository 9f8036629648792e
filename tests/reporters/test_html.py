"""The HTML report without a browser: escaping, CSP, self-containment, content, accessibility basics."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from importlib import resources

from linter.reporters import render
from linter.reporters.html import script_hash
from linter.results import Status
from tests.reporters.samples import SCRIPT, hostile_report, mini_catalog, result, sample_report


class _Collector(HTMLParser):
    """Tags, attributes and heading levels of a page, parsed by the standard library."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _parse(text: str) -> _Collector:
    collector = _Collector()
    collector.feed(text)
    return collector


def test_one_inline_script_allowed_by_its_hash_and_nothing_else() -> None:
    text = render("html", sample_report(), mini_catalog())
    page = _parse(text)
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert scripts == [{}]  # inline, no src
    csp = next(attrs["content"] for tag, attrs in page.tags
               if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert csp.startswith("default-src 'none';")
    assert f"script-src '{script_hash(page.scripts[0])}'" in csp
    assert "connect-src 'none'" in csp and "unsafe-eval" not in csp


def test_nothing_is_loaded_from_anywhere() -> None:
    page = _parse(render("html", sample_report(), mini_catalog()))
    for tag, attrs in page.tags:
        assert "src" not in attrs or tag not in ("img", "script", "iframe", "link", "source"), (tag, attrs)
        assert tag not in ("link", "iframe", "object", "embed", "img")
        if tag == "a":
            href = attrs.get("href") or ""
            assert href.startswith("#") or href.startswith("https://github.com/practicelint/"), href


def test_template_never_marks_values_safe() -> None:
    template = (resources.files("linter.reporters") / "templates" / "report.html.j2").read_text(encoding="utf-8")
    assert "|safe" not in template.replace(" ", "") and "autoescape false" not in template
    assert "{{ script }}" in template  # the only raw value: our own static script


def test_headings_in_order_and_tables_have_scoped_headers() -> None:
    page = _parse(render("html", sample_report(), mini_catalog()))
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:]):
        assert after <= before + 1, page.headings
    ths = [attrs for tag, attrs in page.tags if tag == "th"]
    assert ths and all(attrs.get("scope") in ("col", "row") for attrs in ths)
    inputs = [attrs for tag, attrs in page.tags if tag == "input"]
    assert inputs and all(attrs.get("type") == "checkbox" for attrs in inputs)  # each inside a <label>


def test_shows_target_version_score_results_practices_waivers_and_notes() -> None:
    text = render("html", sample_report(), mini_catalog())
    for expected in ("sample", "examples/sample", "0123456789ab", "practicelint 9.9.9", "Level 0 of 3",
                     "What stands between sample and level 1", "latency objectives only at p90",
                     "services/api/slo.yaml:10", "Fix tail-latency-slo.", "Practice tail-latency",
                     "Why tail-latency matters.", "Digest: Section 1", "no threat model (waived)",
                     "big.bin", "binary file skipped", "#perf001-tail-latency-slo"):
        assert expected in text, expected
    for status in ("fail", "pass", "waived", "not_applicable", "error", "skipped"):
        assert f'data-status="{status}"' in text
    assert '<span class="badge b-skipped">Skipped</span>' in text
    assert '<li class="c-skipped"><b>1</b><span>skipped: not evaluated here</span></li>' in text
    assert text.count("data-result data-status") == len(sample_report().results)
    waivers = text.split('id="waivers-heading"')[1].split("</section>")[0]
    assert "SEC007" in waivers and "services/api" in waivers


def test_hostile_strings_are_escaped_everywhere() -> None:
    text = render("html", hostile_report(long=True), mini_catalog())
    assert SCRIPT not in text
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in text
    assert 'onerror="window' not in text and "\x00" not in text and "\x1b" not in text
    assert "\\x00nul" in text  # control characters shown, not obeyed
    page = _parse(text)
    assert [tag for tag, _ in page.tags].count("script") == 1
    assert len(text) < 400_000  # the 120,000-character message is cut


def test_all_passing_report() -> None:
    report = replace(sample_report(), results=[result("SEC001", ".", Status.PASS, "fine")], notes=[])
    text = render("html", report, mini_catalog())
    assert "Top level reached" in text and "No result is waived." in text


def test_deterministic() -> None:
    assert render("html", hostile_report(), mini_catalog()) == render("html", hostile_report(), mini_catalog())
