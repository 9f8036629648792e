"""Run practicelint on the bundled example repositories the same way every time."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from linter.catalog import load_catalog
from linter.engine import RunOptions, run
from linter.reporters import render
from linter.results import Report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
REPORTS = EXAMPLES / "reports"
#: A fixed clock so "new service" verdicts do not drift as the calendar moves.
EXAMPLE_NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)
EXAMPLE_NAMES = ("failing", "iac-module", "library", "monorepo", "passing", "tool")


def example_report(name: str) -> dict[str, Any]:
    """The JSON report of ``examples/<name>``, with the fields that vary per checkout normalised."""
    report, _ = run(f"examples/{name}" if Path.cwd() == ROOT else EXAMPLES / name,
                    RunOptions(now=EXAMPLE_NOW))
    data = json.loads(render("json", report, load_catalog()))
    data["target"]["path"] = f"examples/{name}"
    data["target"]["commit"] = None  # changes with every commit of this repository
    return data


def expected_path(name: str) -> Path:
    return REPORTS / f"{name}.expected.json"


def example_report_object(name: str) -> Report:
    """The ``Report`` of ``examples/<name>`` with the per-checkout fields normalised like the JSON."""
    report, _ = run(f"examples/{name}" if Path.cwd() == ROOT else EXAMPLES / name,
                    RunOptions(now=EXAMPLE_NOW))
    return replace(report, commit=None, target_path=f"examples/{name}")
