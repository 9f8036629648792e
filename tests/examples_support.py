"""Run practicelint on the bundled example repositories the same way every time."""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from linter.catalog import load_catalog
from linter.engine import RunOptions, run
from linter.reporters import render
from linter.results import Report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
REPORTS = EXAMPLES / "reports"
#: A fixed clock so "new service" verdicts do not drift as the calendar moves.
EXAMPLE_NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)
#: The same clock as a user pins it, so the reports' record says ``PRACTICELINT_NOW`` as theirs would.
EXAMPLE_NOW_ENV = "2026-12-01T00:00:00+00:00"
EXAMPLE_NAMES = ("failing", "iac-module", "library", "monorepo", "passing", "tool")


@contextmanager
def pinned_clock(value: str = EXAMPLE_NOW_ENV) -> Iterator[None]:
    """``PRACTICELINT_NOW`` set for the duration (restored after, whatever it was)."""
    before = os.environ.get("PRACTICELINT_NOW")
    os.environ["PRACTICELINT_NOW"] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PRACTICELINT_NOW", None)
        else:
            os.environ["PRACTICELINT_NOW"] = before


def example_report(name: str) -> dict[str, Any]:
    """The JSON report of ``examples/<name>``, with the fields that vary per checkout normalised."""
    return json.loads(render("json", example_report_object(name), load_catalog()))


def expected_path(name: str) -> Path:
    return REPORTS / f"{name}.expected.json"


def example_report_object(name: str) -> Report:
    """The ``Report`` of ``examples/<name>`` as of ``EXAMPLE_NOW`` (pinned the way a user pins it),
    with what varies per checkout normalised: the commit and the remote of this repository (the
    examples live inside it) are left out, the path is the one a user types."""
    with pinned_clock():
        report, _ = run(f"examples/{name}" if Path.cwd() == ROOT else EXAMPLES / name, RunOptions())
    record = replace(report.record, remote=None) if report.record is not None else None
    return replace(report, commit=None, target_path=f"examples/{name}", record=record)
