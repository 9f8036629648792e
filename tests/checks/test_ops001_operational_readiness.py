"""OPS001: runbook/on-call half and alert half, each named when missing."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.ops001_operational_readiness import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="OPS001")  # contexts for OPS001, with its typed options

ALERT = "groups:\n  - name: g\n    rules:\n      - alert: Down\n        expr: up == 0\n"
LINKED = ALERT + "        annotations:\n          runbook_url: https://wiki.example.com/down\n"


@pytest.mark.parametrize("files, status, text", [
    ({"runbooks/down.md": "# Down\n\nCheck the pods.\n", "alerts.yaml": ALERT}, Status.PASS, "runbook runbooks/down.md"),
    ({"alerts.yaml": LINKED}, Status.PASS, "runbook link on alert Down"),
    ({"on-call/rota.md": "# Rota\n\nWeekly.\n"}, Status.FAIL, "no alert definitions"),
    ({"alerts.yaml": ALERT}, Status.FAIL, "but no runbook or on-call document"),
    ({"pd.tf": 'resource "pagerduty_service" "x" {}\n', "alerts.yaml": ALERT}, Status.PASS, "PagerDuty service"),
    ({"README.md": "# x\n"}, Status.FAIL, "neither a runbook/on-call document nor alert definitions"),
])
def test_verdicts(make_repo, files, status, text) -> None:
    finding = check(make_context(make_repo(files)))
    assert finding.status is status and text in finding.message
