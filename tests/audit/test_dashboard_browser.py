"""The org dashboard in headless Chromium: no console errors, no network, sorting and filters work."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.audit.support import merge

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


def _report(name: str, statuses: dict[str, str], owner: str) -> dict[str, Any]:
    cats = {"SEC001": "security", "PERF001": "performance", "ORG001": "teams"}
    return {
        "schema_version": 1, "tool": {"name": "practicelint", "version": "0"},
        "target": {"path": f"/src/{name}", "name": name, "commit": None}, "summary": {},
        "results": [{"rule_id": r, "name": r.lower(), "practice_id": r.lower(), "category": cats[r],
                     "severity": "error" if r != "ORG001" else "info", "scope": ".", "status": s,
                     "message": "", "evidence": [], "remediation": ""} for r, s in statuses.items()],
        "notes": [], "audit": {"id": name, "name": name, "owners": [owner], "owner_source": "backstage"},
    }


@pytest.fixture
def dashboard(tmp_path: Path) -> Path:
    files = []
    specs = [("zeta", {"SEC001": "pass", "PERF001": "pass", "ORG001": "pass"}, "team-a"),
             ("alpha", {"SEC001": "fail", "PERF001": "fail", "ORG001": "pass"}, "team-b"),
             ("mid", {"SEC001": "pass", "PERF001": "pass", "ORG001": "fail"}, "team-a")]
    for name, statuses, owner in specs:
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(_report(name, statuses, owner)), encoding="utf-8")
        files.append(str(path))
    out = tmp_path / "dash" / "index.html"
    assert merge(*files, "--format", "html", "--output", str(out)).exit_code == 0
    return out


def _names(page: Any) -> list[str]:
    return page.eval_on_selector_all("#repo-table tbody tr:not([hidden]) th", "els => els.map(e => e.textContent.trim())")


def test_dashboard_sorts_and_filters_without_errors_or_network(dashboard: Path) -> None:
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            problems: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file://") else None)
            page.goto(dashboard.as_uri())
            assert problems == [] and requests == []
            assert _names(page) == ["alpha", "mid", "zeta"]  # server order: by name
            assert page.is_visible("#filters")

            score = page.locator("#repo-table thead th").nth(3).locator("button")
            score.click()
            assert page.get_attribute("#repo-table thead th:nth-child(4)", "aria-sort") == "ascending"
            assert _names(page) == ["alpha", "mid", "zeta"]  # 0, 90, 100
            score.click()
            assert _names(page) == ["zeta", "mid", "alpha"]
            page.locator("#repo-table thead th").nth(1).locator("button").click()  # team
            assert _names(page)[0] in ("mid", "zeta") and _names(page)[-1] == "alpha"

            page.select_option("#f-team", "team-a")
            assert sorted(_names(page)) == ["mid", "zeta"]
            assert "Showing 2 of 3" in page.text_content("#shown")
            page.select_option("#f-level", "3")
            assert _names(page) == ["zeta"]
            page.select_option("#f-team", "")
            page.select_option("#f-level", "0")
            assert _names(page) == ["alpha"]
            page.select_option("#f-level", "")
            page.select_option("#f-status", "error")
            assert _names(page) == []
            assert problems == [] and requests == []
        finally:
            browser.close()


def test_dashboard_without_javascript_shows_every_row_and_hides_controls(dashboard: Path) -> None:
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context(java_script_enabled=False).new_page()
            page.goto(dashboard.as_uri())
            assert len(_names(page)) == 3
            assert not page.is_visible("#filters")
            assert not page.is_visible("#repo-table thead button")
        finally:
            browser.close()
