"""The org dashboard in headless Chromium: no console errors, no network, sorting, filters and
paging work, and a 50,000-repository dashboard opens and pages (how fast is measured by
``benchmarks/audit.py --dashboard``, not asserted here)."""

from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.audit.support import merge, synthetic_row

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _browser_or_skip() -> Any:
    required = os.environ.get("PRACTICELINT_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            raise
        pytest.skip("playwright is not installed (pip install playwright; no browser download needed)")
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        if required:
            pytest.fail(f"PRACTICELINT_REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    return sync_playwright


def _report(name: str, statuses: dict[str, str], owner: str, kind: str) -> dict[str, Any]:
    cats = {"SEC001": "security", "PERF001": "performance", "ORG001": "teams"}
    return {
        "schema_version": 1, "tool": {"name": "practicelint", "version": "0"},
        "target": {"path": f"/src/{name}", "name": name, "commit": None}, "summary": {},
        "scopes": [{"path": ".", "name": name, "kind": kind}],
        "results": [{"rule_id": r, "name": r.lower(), "practice_id": r.lower(), "category": cats[r],
                     "severity": "error" if r != "ORG001" else "info", "scope": ".", "status": s,
                     "message": "", "evidence": [], "remediation": ""} for r, s in statuses.items()],
        "notes": [], "audit": {"id": name, "name": name, "owners": [owner], "owner_source": "backstage"},
    }


@pytest.fixture
def dashboard(tmp_path: Path) -> Path:
    files = []
    specs = [("zeta", {"SEC001": "pass", "PERF001": "pass", "ORG001": "pass"}, "team-a", "service"),
             ("alpha", {"SEC001": "fail", "PERF001": "fail", "ORG001": "pass"}, "team-b", "library"),
             ("mid", {"SEC001": "pass", "PERF001": "pass", "ORG001": "fail"}, "team-a", "service"),
             # nothing judged: no level and no score, after every repository that has them
             ("void", {"SEC001": "not_applicable", "PERF001": "not_applicable"}, "team-c", "library")]
    for name, statuses, owner, kind in specs:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(_report(name, statuses, owner, kind)), encoding="utf-8")
        files.append(str(path))
    out = tmp_path / "dash" / "index.html"
    assert merge(*files, "--format", "html", "--output", str(out)).exit_code == 0
    return out


def _names(page: Any) -> list[str]:
    return page.eval_on_selector_all("#repo-table tbody tr th", "els => els.map(e => e.textContent.trim())")


def _watch(page: Any) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file://") else None)
    return problems, requests


@contextmanager
def _page(path: Path) -> Iterator[tuple[Any, list[str], list[str]]]:
    """``path`` open in headless Chromium, with the console problems and network requests seen."""
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            problems, requests = _watch(page)
            page.goto(path.as_uri())
            yield page, problems, requests
        finally:
            browser.close()


def test_dashboard_sorts_filters_and_pages_without_errors_or_network(dashboard: Path) -> None:
    with _page(dashboard) as (page, problems, requests):
        assert problems == [] and requests == []
        # worst first: levels 0, 0, 3 (every rule here is of level 3), then "void" without a level
        assert _names(page) == ["alpha", "mid", "zeta", "void"]
        assert page.is_visible("#filters") and page.is_visible("#pager")
        assert "Showing 1–4 of 4 matching (4 repositories)" in page.text_content("#shown")

        level = page.locator('#repo-table thead th[data-key="level"] button')
        level.click()
        assert _names(page) == ["alpha", "mid", "zeta", "void"]  # ascending: no level is not below 0
        level.click()
        assert _names(page) == ["void", "zeta", "alpha", "mid"]  # descending: ties keep the table's order
        score = page.locator('#repo-table thead th[data-key="score"] button')
        score.click()
        assert page.get_attribute('#repo-table thead th[data-key="score"]', "aria-sort") == "ascending"
        assert _names(page)[:3] == ["void", "alpha", "mid"]  # no score sorts as -1, as before
        score.click()
        assert _names(page)[:3] == ["zeta", "mid", "alpha"]
        page.select_option("#f-level", "none")
        assert _names(page) == ["void"]
        page.select_option("#f-level", "")
        page.locator('#repo-table thead th[data-key="team"] button').click()
        assert _names(page)[0] in ("mid", "zeta") and _names(page)[-2:] == ["alpha", "void"]

        page.select_option("#f-team", "team-a")
        assert sorted(_names(page)) == ["mid", "zeta"]
        assert "Showing 1–2 of 2 matching (4 repositories)" in page.text_content("#shown")
        page.select_option("#f-level", "3")
        assert _names(page) == ["zeta"]
        page.select_option("#f-team", "")
        page.select_option("#f-level", "")
        page.select_option("#f-kind", "library")
        assert _names(page) == ["alpha", "void"]
        page.select_option("#f-kind", "")
        page.fill("#f-name", "ZE")
        assert _names(page) == ["zeta"]
        page.fill("#f-name", "")
        page.select_option("#f-status", "error")
        assert _names(page) == []
        assert page.is_disabled("#p-next") and page.is_disabled("#p-prev")
        assert problems == [] and requests == []


def test_dashboard_without_javascript_shows_every_row_and_hides_controls(dashboard: Path) -> None:
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context(java_script_enabled=False).new_page()
            page.goto(dashboard.as_uri())
            assert _names(page) == ["alpha", "mid", "zeta", "void"]
            assert not page.is_visible("#filters") and not page.is_visible("#pager")
            assert not page.is_visible("#repo-table thead button")
        finally:
            browser.close()


def big_dashboard(path: Path, count: int) -> Path:
    """A dashboard of ``count`` synthetic repositories, rendered as ``report merge`` renders."""
    from linter.audit.aggregate import OrgSummary
    from linter.audit.document import RowSpool
    from linter.audit.publish import Outputs, publish

    spool = RowSpool(path.parent / "rows.jsonl")
    summary = OrgSummary()
    for i in range(count):
        row = synthetic_row(i)
        spool.put(row)
        summary.add(row)
    publish(spool, summary, {"started_at": "2026-11-27T10:00:00+00:00"}, Outputs(html=path))
    spool.close()
    return path


def test_a_50000_repository_dashboard_opens_and_pages(tmp_path: Path) -> None:
    sync_playwright = _browser_or_skip()
    page_file = big_dashboard(tmp_path / "dashboard.html", 50_000)
    size = page_file.stat().st_size
    assert size < 8 * 1024 * 1024, size  # 37.5 MB before the data block and paging
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            problems, requests = _watch(page)
            start = time.perf_counter()
            page.goto(page_file.as_uri(), timeout=120_000)
            page.wait_for_function("document.querySelectorAll('#repo-table tbody tr').length === 100")
            opened = time.perf_counter() - start
            assert "Showing 1–100 of 50000 matching (50000 repositories)" in page.text_content("#shown")
            assert page.text_content("#p-where") == "Page 1 of 500"
            first = _names(page)
            page.click("#p-next")
            assert page.text_content("#p-where") == "Page 2 of 500" and _names(page) != first
            page.click("#p-last")
            assert page.text_content("#p-where") == "Page 500 of 500" and len(_names(page)) == 100
            page.select_option("#f-team", "team-7")
            assert "of 1250 matching" in page.text_content("#shown")
            page.locator('#repo-table thead th[data-key="score"] button').click()
            scores = page.eval_on_selector_all("#repo-table tbody tr td:nth-child(5)",
                                               "els => els.map(e => parseInt(e.textContent, 10))")
            assert scores == sorted(scores)
            assert problems == [] and requests == []
            print(f"\n50,000 repositories: {size / 1e6:.1f} MB, first page drawn {opened:.2f} s after navigation")
        finally:
            browser.close()


def test_kind_cells_drawn_by_the_script_show_the_mixed_label_and_where_the_kind_came_from(tmp_path: Path) -> None:
    from tests.audit.test_kinds import _org

    out = tmp_path / "dash" / "index.html"
    assert merge(*_org(tmp_path), "--format", "html", "--output", str(out)).exit_code == 0
    with _page(out) as (page, problems, requests):
        page.select_option("#f-kind", "mixed")
        assert _names(page) == ["acme/mono"]
        cell = page.locator("#repo-table tbody tr td:nth-of-type(2)")  # team, then kind
        assert cell.text_content() == "mixed (service 2, library 1)"
        assert cell.get_attribute("title") == "its scopes' kinds"
        page.select_option("#f-kind", "library")
        assert sorted(_names(page)) == ["acme/lib", "acme/lib2"]
        titles = page.eval_on_selector_all("#repo-table tbody tr td:nth-of-type(2)", "els => els.map(e => e.title)")
        assert sorted(titles) == ["inferred", "inferred from pyproject.toml:3"]
        assert problems == [] and requests == []


def test_every_column_of_the_heatmap_is_on_a_laptop_screen_and_on_a_printed_page(tmp_path: Path) -> None:
    """Ten categories (the catalog's), long names, a long team: the repository table fits a
    1,400px window without scrolling sideways, and printed (A4 landscape) no table is wider than
    the page. Before, it needed 1,728px and a portrait page cut every wide table."""
    import io

    from linter.audit.aggregate import OrgSummary
    from linter.audit.dashboard import render
    from linter.audit.document import RowSpool
    from linter.results import CATEGORIES

    spool, summary = RowSpool(tmp_path / "rows.jsonl"), OrgSummary()
    for i in range(60):
        row = synthetic_row(i, name=f"GoogleCloudPlatform+cloud-run-microservice-template-{i}/repo")
        row["categories"] = {c: (i * 7 + k * 13) % 101 for k, c in enumerate(CATEGORIES)}
        row["owner"] = "project-dx-sdks-engineer-codeowner"
        spool.put(row)
        summary.add(row)
    out = io.StringIO()
    render(out, header={"started_at": "2026-12-06T10:00:00+00:00"}, summary=summary.as_dict(),
           rows=spool.rows(order="worst"))
    path = tmp_path / "dashboard.html"
    path.write_text(out.getvalue(), encoding="utf-8")
    sync_playwright = _browser_or_skip()
    widths = "Array.from(document.querySelectorAll('table')).map(t => [t.id, t.scrollWidth, t.parentElement.clientWidth])"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(path.as_uri())
            assert page.locator("#repo-table thead th.cat").count() == len(CATEGORIES)
            table, box = page.evaluate("[document.querySelector('#repo-table').scrollWidth, "
                                       "document.querySelector('#repo-table').parentElement.clientWidth]")
            assert table <= box
            page.set_viewport_size({"width": 1052, "height": 900})  # A4 landscape less 10mm margins, in CSS px
            page.emulate_media(media="print")
            assert [t for t in page.evaluate(widths) if t[1] > t[2] + 1] == []
        finally:
            browser.close()
