"""The HTML report in a real headless Chromium: no errors, no network, filters, no script injection.

Needs the ``playwright`` Python package and a Chromium binary (``apt-get install chromium``;
``playwright install`` is never used). Without them these tests skip, unless
``PRACTICELINT_REQUIRE_BROWSER=1`` (set in CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from linter.catalog import load_catalog
from linter.reporters import render
from tests.examples_support import EXAMPLE_NAMES, ROOT, example_report_object
from tests.reporters.samples import hostile_report, mini_catalog

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = ROOT / "build" / "screenshots"


def _unavailable(reason: str) -> None:
    if os.environ.get("PRACTICELINT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"PRACTICELINT_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    executable = os.environ.get("PRACTICELINT_CHROMIUM") or next(
        (c for c in CHROMIUM_CANDIDATES if Path(c).exists()), None) or shutil.which("chromium")
    if not executable:
        _unavailable("no Chromium binary found (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield instance
        instance.close()


class Page:
    """A report opened from a file://, with its console errors and every request recorded."""

    def __init__(self, browser, path: Path, viewport: dict[str, int] | None = None,
                 javascript: bool = True) -> None:
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900},
                                           java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.url = path.resolve().as_uri()
        self.page.on("request", lambda r: self.requests.append(r.url) if r.url != self.url else None)
        self.page.goto(self.url)

    def visible_results(self) -> int:
        return self.page.locator("[data-result]:visible").count()

    def unfiltered_results(self) -> int:
        """Results the filters let through, whether or not their service is folded."""
        return self.page.locator("[data-result]:not([hidden])").count()

    def close(self) -> None:
        self.context.close()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.html"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_report_in_chromium(browser, tmp_path: Path, name: str) -> None:
    report = example_report_object(name)
    path = _write(tmp_path, name, render("html", report, load_catalog()))
    view = Page(browser, path)
    try:
        page = view.page
        total = len(report.results)
        assert view.unfiltered_results() == total
        assert page.locator("#filters").is_visible()
        # a status filter hides exactly the results with that status
        passing = sum(r.status.value == "pass" for r in report.results)
        page.locator("input[name=status][value=pass]").uncheck()
        assert view.unfiltered_results() == total - passing
        assert page.locator("#filter-count").inner_text() == f"Showing {total - passing} of {total} results"
        page.locator("#show-problems").click()
        problems = sum(r.status.value in ("fail", "error") for r in report.results)
        assert view.unfiltered_results() == problems
        page.locator("#show-all").click()
        categories = {r.category for r in report.results}
        first = sorted(categories)[0]
        page.locator(f"input[name=category][value='{first}']").uncheck()
        assert view.unfiltered_results() == total - sum(r.category == first for r in report.results)
        page.locator("#show-all").click()
        page.locator("input[name=severity][value=error]").uncheck()
        assert view.unfiltered_results() == total - sum(r.severity.value == "error" for r in report.results)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("#show-all").click()
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        assert view.errors == []
        assert view.requests == []
    finally:
        view.close()


def test_hostile_script_never_runs(browser, tmp_path: Path) -> None:
    path = _write(tmp_path, "hostile", render("html", hostile_report(), mini_catalog()))
    view = Page(browser, path)
    try:
        assert view.page.evaluate("window.pwned") is None
        assert view.page.locator("h1").inner_text().startswith("<script>window.pwned = 1</script>")
        assert view.requests == []  # <img src=x> never became an element
        assert view.page.locator("img").count() == 0
        assert view.errors == []
    finally:
        view.close()


@pytest.mark.parametrize("name", ["passing", "monorepo"])
def test_without_javascript_every_result_is_reachable_and_filters_hidden(browser, tmp_path: Path, name: str) -> None:
    report = example_report_object(name)
    path = _write(tmp_path, "nojs", render("html", report, load_catalog()))
    view = Page(browser, path, javascript=False)
    try:
        assert not view.page.locator("#filters").is_visible()
        assert not view.page.locator("button.sort").first.is_visible() if report.scopes[0].path != "." else True
        for summary in view.page.locator("details.service > summary").all():
            summary.click()  # a folded service opens without any script
        assert view.visible_results() == len(report.results)
    finally:
        view.close()


def test_print_shows_everything_without_filters(browser, tmp_path: Path) -> None:
    report = example_report_object("monorepo")
    path = _write(tmp_path, "print", render("html", report, load_catalog()))
    view = Page(browser, path)
    try:
        view.page.locator("#show-problems").click()
        view.page.emulate_media(media="print")
        assert view.visible_results() == len(report.results)
        assert not view.page.locator("#filters").is_visible()
        assert view.page.pdf()[:4] == b"%PDF"
    finally:
        view.close()


def test_phone_layout_has_no_horizontal_scroll(browser, tmp_path: Path) -> None:
    path = _write(tmp_path, "phone", render("html", example_report_object("monorepo"), load_catalog()))
    view = Page(browser, path, viewport={"width": 375, "height": 812})
    try:
        overflow = view.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        view.page.screenshot(path=str(SCREENSHOTS / "monorepo-phone.png"))
    finally:
        view.close()
