"""A generated monorepo of fifty services, for the reports' layout at scale (issue 19).

Each service has a Dockerfile and a package manifest; some have a p99 latency objective, a
p90 one, a runbook or an API contract, chosen by the service's number so that the services
differ in score and level the same way on every run. ``report()`` runs practicelint on it as
of a pinned clock.

``python -m tests.reporters.monorepo50 DIR`` writes the repository, its text, summary and
HTML reports and screenshots of the HTML report (Chromium, 1280 px wide: the first 1,600 px,
and the whole page) into DIR: docs/reports.md and docs/images/report-monorepo-50.png come
from there.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from linter.engine import RunOptions, run
from linter.results import Report
from tests.examples_support import pinned_clock
from tests.helpers import write_tree

SERVICES = 50
NAMES = ("accounts", "ads", "auth", "billing", "cart", "catalog", "checkout", "currency", "email", "feed",
         "fraud", "gateway", "geo", "images", "inventory", "invoices", "ledger", "loyalty", "media", "notify",
         "orders", "payments", "pricing", "profile", "quotes", "ranking", "ratings", "recommend", "refunds",
         "reports", "reviews", "search", "sessions", "shipping", "sms", "social", "stock", "subscriptions",
         "support", "tax", "tickets", "tracking", "translate", "upload", "users", "vault", "video", "wallet",
         "webhooks", "wishlist")

_SLO = """apiVersion: openslo/v1
kind: SLO
metadata:
  name: {name}-latency
spec:
  service: {name}
  budgetingMethod: Occurrences
  indicator:
    metadata:
      name: {name}-latency
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: histogram_quantile({quantile}, sum(rate(http_request_duration_seconds_bucket{{service="{name}"}}[5m])) by (le))
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - displayName: {label} under 300 ms
      op: lte
      value: 0.3
      target: 0.99
"""

_OPENAPI = """openapi: 3.0.3
info:
  title: {name}
  version: 1.0.0
paths:
  /health:
    get:
      responses:
        "200":
          description: ok
"""


_CI = """name: ci
on:
  pull_request:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: npm test
  dependency-scan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: google/osv-scanner-action/osv-scanner-action@v2.0.2
        with:
          scan-args: --recursive ./
"""

_PRFAQ = """# PR/FAQ: {name}

## Summary

The {name} service, as customers will see it.

## FAQ

### Who is it for?
Shoppers.
"""


def files() -> dict[str, str]:
    """The repository: fifty services under ``services/``, configured as ``services/*``, with a
    CI workflow that tests every change and scans dependencies."""
    tree = {
        "README.md": "# shop\n\nFifty services of an online shop.\n",
        ".practicelint.yaml": 'services:\n  - "services/*"\n',
        ".github/workflows/ci.yml": _CI,
    }
    for number, name in enumerate(NAMES[:SERVICES], start=1):
        base = f"services/{name}"
        tree[f"{base}/Dockerfile"] = "FROM node:22-slim\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]\n"
        tree[f"{base}/package.json"] = f'{{"name": "{name}", "version": "1.0.0", "private": true}}\n'
        tree[f"{base}/README.md"] = f"# {name}\n\nThe {name} service.\n"
        if number % 3 == 0:
            tree[f"{base}/slo.yaml"] = _SLO.format(name=name, quantile="0.99", label="p99")
        elif number % 7 == 0:
            tree[f"{base}/slo.yaml"] = _SLO.format(name=name, quantile="0.9", label="p90")
        if number % 2 == 0:
            tree[f"{base}/docs/prfaq.md"] = _PRFAQ.format(name=name)
        if number % 4 == 0:
            tree[f"{base}/runbooks/{name}.md"] = f"# {name} runbook\n\n## Failover\n\nSwitch to the standby.\n"
        if number % 5 == 0:
            tree[f"{base}/openapi.yaml"] = _OPENAPI.format(name=name)
    return tree


def write(root: Path) -> Path:
    return write_tree(root, files())


def report(root: Path) -> Report:
    """practicelint's report of the repository at ``root`` (written by ``write``), as of the
    examples' pinned clock, with the path a reader would type."""
    with pinned_clock():
        found, _ = run(root, RunOptions(jobs=1))
    return replace(found, target_path="shop")


def main(out: Path) -> None:
    """Write the repository, its reports and a screenshot of the HTML report into ``out``."""
    from linter.catalog import load_catalog
    from linter.reporters import render

    out.mkdir(parents=True, exist_ok=True)
    found = report(write(out / "shop"))
    catalog = load_catalog()
    (out / "shop.txt").write_text(render("text", found, catalog), encoding="utf-8")
    (out / "shop-summary.txt").write_text(render("text", found, catalog, summary=True), encoding="utf-8")
    html = out / "shop.html"
    html.write_text(render("html", found, catalog), encoding="utf-8")
    from playwright.sync_api import sync_playwright

    from tests.reporters.test_html_browser import CHROMIUM_CANDIDATES, LAUNCH_ARGS

    executable = next(c for c in CHROMIUM_CANDIDATES if Path(c).exists())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(html.resolve().as_uri())
        page.screenshot(path=str(out / "shop-top.png"), full_page=True,
                        clip={"x": 0, "y": 0, "width": 1280, "height": 1600})
        page.screenshot(path=str(out / "shop-full.png"), full_page=True)
        print("page height:", page.evaluate("document.documentElement.scrollHeight"))
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "build/monorepo50"))
