"""The HTML report of a fifty-service monorepo in headless Chromium: a page a person can use.

The services table comes before anything long, worst first, and sorts by any column; each
service's results are folded under its name; the page stays a few screens tall instead of
the 138,729 px of one card per result (issue 19). Skips like the other browser tests when
no Chromium or playwright is present (``tests/reporters/test_html_browser.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.catalog import load_catalog
from linter.reporters import render
from tests.reporters import monorepo50
from tests.reporters.test_html_browser import SCREENSHOTS, Page, browser  # noqa: F401 - the fixture

#: At 1280 px wide, with every service folded: the table, the repository-wide results, fifty
#: folded services and the rules appendix.
MAX_PAGE_HEIGHT = 14_000


@pytest.fixture(scope="module")
def page_path(tmp_path_factory) -> tuple[Path, object]:
    root = monorepo50.write(tmp_path_factory.mktemp("shop"))
    report = monorepo50.report(root)
    path = root.parent / "shop.html"
    path.write_text(render("html", report, load_catalog()), encoding="utf-8")
    return path, report


def _rows(page) -> list[dict[str, str]]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('#services-table tbody tr')).map(r => ({
        name: r.dataset.name, level: Number(r.dataset.level), score: Number(r.dataset.score),
        failing: Number(r.dataset.failing)}))""")


def test_fifty_services_page_is_short_sorted_worst_first_and_folded(browser, page_path) -> None:  # noqa: F811
    path, report = page_path
    view = Page(browser, path)
    try:
        page = view.page
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= MAX_PAGE_HEIGHT, height
        rows = _rows(page)
        assert len(rows) == 50 == len(report.scopes)
        keys = [(r["level"], r["score"]) for r in rows]
        assert keys == sorted(keys), "worst first: lowest level, then lowest score"
        assert len({r["score"] for r in rows}) > 3  # the generated services differ
        # the services table comes before the category chart and every result card
        order = page.evaluate("""() => ['services-heading', 'categories-heading', 'results-heading']
            .map(id => document.getElementById(id).getBoundingClientRect().top)""")
        assert order == sorted(order)
        services = page.locator("details.service")
        assert services.count() == 50
        assert page.locator("details.service[open]").count() == 0
        folded = page.locator("details.service [data-result]")
        assert folded.count() > 0 and page.locator("details.service [data-result]:visible").count() == 0
        # blockers name each rule once
        blockers = page.locator(".blockers > li strong").all_inner_texts()
        assert len(blockers) == len(set(blockers))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "monorepo50.png"))
        assert view.errors == [] and view.requests == []
    finally:
        view.close()


def test_services_table_sorts_by_each_column(browser, page_path) -> None:  # noqa: F811
    path, _ = page_path
    view = Page(browser, path)
    try:
        page = view.page
        score = page.locator("#services-table th[data-key=score] button")
        score.click()
        assert [r["score"] for r in _rows(page)] == sorted(r["score"] for r in _rows(page))
        assert page.locator("#services-table th[data-key=score]").get_attribute("aria-sort") == "ascending"
        score.click()
        assert [r["score"] for r in _rows(page)] == sorted((r["score"] for r in _rows(page)), reverse=True)
        assert page.locator("#services-table th[data-key=score]").get_attribute("aria-sort") == "descending"
        page.locator("#services-table th[data-key=name] button").click()
        names = [r["name"] for r in _rows(page)]
        assert names == sorted(names)
        page.locator("#services-table th[data-key=failing] button").click()
        assert [r["failing"] for r in _rows(page)] == sorted(r["failing"] for r in _rows(page))
        assert view.errors == []
    finally:
        view.close()


def test_a_service_link_unfolds_its_results(browser, page_path) -> None:  # noqa: F811
    path, _ = page_path
    view = Page(browser, path)
    try:
        page = view.page
        link = page.locator("#services-table tbody tr").first.locator("a")
        target = link.get_attribute("href")[1:]
        link.click()
        # the page unfolds on the hashchange event, which the browser fires after the click
        page.locator(f"details#{target}[open]").wait_for(state="attached", timeout=10_000)
        assert page.locator(f"details#{target}").get_attribute("open") is not None
        assert page.locator(f"details#{target} [data-result]:visible").count() > 0
        # a rule link from a card opens that rule's explanation
        card_link = page.locator(f"details#{target} [data-result] h4 a").first
        rule = card_link.get_attribute("href")[1:]
        card_link.click()
        page.locator(f"details#{rule}[open]").wait_for(state="attached", timeout=10_000)
        assert page.locator(f"details#{rule}").get_attribute("open") is not None
    finally:
        view.close()


def test_printed_everything_is_unfolded(browser, page_path) -> None:  # noqa: F811
    path, report = page_path
    view = Page(browser, path)
    try:
        view.page.emulate_media(media="print")
        assert view.visible_results() == len(report.results)
    finally:
        view.close()
