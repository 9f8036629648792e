"""A waived result shows in every report format with its reason, owner and expiry."""

from __future__ import annotations

import json
from datetime import date

import pytest

from linter.catalog import load_catalog
from linter.reporters import REPORTERS, render
from linter.results import Report, Result, Scope, Severity, Status, Waiver, WaiverUse

WAIVER = Waiver(rule="PERF001", reason="pre-launch service", owner="ana@example.com",
                expires=date(2026, 12, 31), source=".practicelint.yaml", line=3)


def _report() -> Report:
    catalog = load_catalog()
    spec = catalog.rules["PERF001"]
    waived = Result("PERF001", spec.name, spec.practice, spec.category, Severity.ERROR, ".", Status.WAIVED,
                    "waived until 2026-12-31 by ana@example.com: pre-launch service (finding: no latency SLO)",
                    (), spec.remediation, rule_scope="service", waiver=WAIVER)
    return Report("0.1.0", "repo", "repo", None, [Scope(".", "repo")], [waived],
                  waivers=[WaiverUse(WAIVER, "active", 1)], catalog=catalog)


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_waiver_reason_owner_and_expiry_in_every_format(fmt: str) -> None:
    text = render(fmt, _report(), load_catalog())
    for part in ("pre-launch service", "2026-12-31"):
        assert part in text, (fmt, part)
    assert "ana@" in text, fmt  # the markdown format breaks @-mentions with a zero-width space


def test_sarif_marks_the_waived_result_as_an_accepted_suppression() -> None:
    data = json.loads(render("sarif", _report(), load_catalog()))
    result = data["runs"][0]["results"][0]
    assert result["suppressions"][0]["status"] == "accepted"
    assert "ana@example.com" in result["suppressions"][0]["justification"]


def test_github_shows_a_waived_result_as_a_notice() -> None:
    assert render("github", _report(), load_catalog()).startswith("::notice ")
