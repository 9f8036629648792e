"""The HTML report without a browser: escaping, CSP, self-containment, content, accessibility basics."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from importlib import resources

from linter.reporters import render
from linter.reporters.html import script_hash
from linter.results import Status
from tests.reporters.samples import SCRIPT, every_level_passing, hostile_report, mini_catalog, result, sample_report


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
            assert (attrs.get("href") or "").startswith("#"), attrs  # no docs-url configured: no link out


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
                     "big.bin", "binary file skipped", 'href="#rule-PERF001"', 'id="rule-PERF001"'):
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
    report = replace(sample_report(), results=every_level_passing(), notes=[])
    text = render("html", report, mini_catalog())
    assert "Top level reached" in text and "No result is waived." in text and "Level 3 of 3" in text


def test_passing_report_with_nothing_above_level_1_claims_level_1_only() -> None:
    """Near miss of the top level: every rule that applies passes, but none above level 1 applies."""
    report = replace(sample_report(), results=[result("SEC001", ".", Status.PASS, "fine"),
                                               result("ORG001", ".", Status.NOT_APPLICABLE, "n/a")], notes=[])
    text = render("html", report, mini_catalog())
    assert "Level 1 of 3" in text and "No higher level applies" in text and "Top level reached" not in text
    assert text.count('<span class="on">') == 1


def test_nothing_judged_shows_no_level() -> None:
    report = replace(sample_report(), results=[result("SEC001", ".", Status.NOT_APPLICABLE, "n/a"),
                                               result("ORG001", ".", Status.WAIVED, "w")], notes=[])
    text = render("html", report, mini_catalog())
    assert "No level: nothing judged" in text and "Level 3 of 3" not in text and "Top level reached" not in text
    assert '<span class="on">' not in text


def test_deterministic() -> None:
    assert render("html", hostile_report(), mini_catalog()) == render("html", hostile_report(), mini_catalog())


def _ids_and_links(text: str) -> tuple[set[str], list[str]]:
    page = _parse(text)
    ids = {attrs["id"] for _, attrs in page.tags if attrs.get("id")}
    links = [attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs.get("href")]
    return ids, links


def test_every_link_points_to_something_in_the_page() -> None:
    for report in (sample_report(), hostile_report()):
        ids, links = _ids_and_links(render("html", report, mini_catalog()))
        assert links
        for href in links:
            assert href.startswith("#") and href[1:] in ids, href


def test_configured_docs_url_is_the_only_link_out() -> None:
    report = sample_report()
    report = replace(report, record=replace(report.record, docs_url="https://docs.example.com/r.md#{anchor}"))
    _, links = _ids_and_links(render("html", report, mini_catalog()))
    outside = {href for href in links if not href.startswith("#")}
    assert "https://docs.example.com/r.md#perf001-tail-latency-slo" in outside
    assert all(href.startswith("https://docs.example.com/r.md#") for href in outside)


def test_compliance_record_in_the_masthead() -> None:
    text = render("html", sample_report(), mini_catalog())
    masthead = text.split('<header class="masthead">')[1].split("</header>")[0]
    for expected in ("2026-12-01 09:30:00 UTC", "PRACTICELINT_NOW", "https://github.com/acme/sample.git",
                     "0123456789ab", "9.9.9", "sha256:abababababab", "sha256:" + "ab" * 32,
                     "practicelint:recommended, .practicelint.yaml", "Waivers", "none declared"):
        assert expected in masthead, expected


def test_each_rule_explained_once_and_cards_link_to_it() -> None:
    text = render("html", sample_report(), mini_catalog())
    assert text.count("Why tail-latency matters.") == 1  # two PERF001 cards, one explanation
    assert text.count('href="#rule-PERF001"') >= 2
    assert text.count('<details class="rule" id="rule-') == len({r.rule_id for r in sample_report().results})


def test_blockers_name_each_rule_once_with_its_scopes() -> None:
    text = render("html", sample_report(), mini_catalog())
    blockers = text.split('<ul class="blockers">')[1].split("</ul>")[0]
    assert blockers.count("<strong>PERF001</strong>") == 1
    assert "2 scopes" in blockers and "services/api" in blockers and "services/worker" in blockers


def test_services_table_worst_first_with_kinds_and_collapsed_details() -> None:
    text = render("html", sample_report(), mini_catalog())
    table = text.split('id="services-table"')[1].split("</table>")[0]
    assert 'title="service (from the Backstage catalog: services/api/catalog-info.yaml:6)"' in table
    assert ">unknown<" in table
    details = re.findall(r'<details class="group service" data-group id="(scope-\d+)"', text)
    assert len(details) == 2 and "<details open" not in text
    rows = re.findall(r'<tr data-name="([^"]+)" data-path="[^"]*" data-kind="[^"]*" data-level="(\d)" data-score="(\d+)"', table)
    keys = [(int(level), int(score)) for _, level, score in rows]
    assert keys == sorted(keys)


def test_no_score_where_nothing_applies() -> None:
    report = replace(sample_report(), results=[result("SEC007", "services/api", Status.NOT_APPLICABLE, "n/a")],
                     notes=[])
    text = render("html", report, mini_catalog())
    assert "No score: no rule applies" in text and "nothing applies" in text
    assert ">100<" not in text
    table = text.split("<caption>Score and results per category</caption>")[1].split("</table>")[0]
    assert '<td class="num">-</td>' in table


def test_baseline_counts_explain_a_passing_exit() -> None:
    from linter.baseline import Entry

    report = sample_report()
    results = [replace(r, baselined=True) if r.rule_id == "PERF001" and r.scope == "services/api" else r
               for r in report.results]
    report = replace(report, results=results, baseline_fixed=[Entry("f" * 64, "SEC001", ".")],
                     record=replace(report.record, baseline=".practicelint-baseline.json"))
    text = render("html", report, mini_catalog())
    assert "Baseline: 2 new, 1 baselined, 1 fixed." in text


def test_how_to_fix_renders_code_spans_and_escapes_everything() -> None:
    from linter.catalog import Catalog

    catalog = mini_catalog()
    perf = catalog.rules["PERF001"]
    hostile = replace(perf, remediation="Add `slo.yaml` with `<script>x()</script>` & run `a`b`")
    catalog = Catalog(practices=catalog.practices, rules={**catalog.rules, "PERF001": hostile})
    report = sample_report()
    report = replace(report, results=[replace(r, remediation=hostile.remediation) if r.rule_id == "PERF001" else r
                                      for r in report.results])
    text = render("html", report, catalog)
    assert "Add <code>slo.yaml</code> with <code>&lt;script&gt;x()&lt;/script&gt;</code> &amp; run <code>a</code>b`" \
        in text
    assert "<script>x()" not in text
