"""Waivers: visible, owned, expiring; expiry around the date boundary with an injectable clock."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.config import ConfigError
from linter.engine import RunOptions, exit_code, run
from linter.results import Evidence, Status, failed
from tests.helpers import write_tree

WAIVER = """waivers:
  - rule: {rule}
    reason: traffic is tiny until launch
    owner: ana@example.com
    expires: {expires}
{extra}"""


def _config(root: Path, rule: str = "PERF001", expires: str = "2026-12-31", extra: str = "") -> None:
    write_tree(root, {".practicelint.yaml": WAIVER.format(rule=rule, expires=expires, extra=extra)})


def _run_at(root: Path, day: date):
    now = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)
    return run(root, RunOptions(now=now))[0]


def _perf(report):
    return next(r for r in report.results if r.rule_id == "PERF001")


@pytest.mark.parametrize(
    ("today", "status"),
    [(date(2026, 12, 30), Status.WAIVED), (date(2026, 12, 31), Status.WAIVED), (date(2027, 1, 1), Status.FAIL)],
)
def test_waiver_expiry_boundary(tmp_path: Path, fake_checks, today: date, status: Status) -> None:
    fake_checks["PERF001"] = failed("no latency SLO")
    _config(tmp_path)
    report = _run_at(tmp_path, today)
    perf = _perf(report)
    assert perf.status is status
    assert perf.waiver is not None and perf.waiver.owner == "ana@example.com"
    if status is Status.WAIVED:
        assert perf.message.startswith("waived until 2026-12-31 by ana@example.com: traffic is tiny")
        assert report.waivers[0].state == "active" and exit_code(report, "error") == 0
    else:
        assert perf.message.startswith("waiver expired on 2026-12-31 (ana@example.com: traffic is tiny until launch); no latency SLO")
        assert report.waivers[0].state == "expired" and exit_code(report, "error") == 1


def test_waiver_matching_nothing_is_stale(tmp_path: Path, fake_checks) -> None:
    _config(tmp_path)  # PERF001 passes with the fake checks
    report = _run_at(tmp_path, date(2026, 12, 1))
    assert [(u.waiver.rule, u.state, u.matched) for u in report.waivers] == [("PERF001", "stale", 0)]
    assert _perf(report).status is Status.PASS


def test_waiver_by_name_scope_and_paths(tmp_path: Path, fake_checks) -> None:
    fake_checks["PERF001"] = failed("no SLO", [Evidence("svc/a/x.yaml", 1)])
    write_tree(tmp_path, {"svc/a/x": "", "svc/b/x": ""})
    _config(tmp_path, rule="tail-latency-slo", extra="    scope: svc/b\n")
    (tmp_path / ".practicelint.yaml").write_text(
        "services: ['svc/*']\n" + (tmp_path / ".practicelint.yaml").read_text())
    report = _run_at(tmp_path, date(2026, 12, 1))
    statuses = {r.scope: r.status for r in report.results if r.rule_id == "PERF001"}
    assert statuses == {"svc/a": Status.FAIL, "svc/b": Status.WAIVED}
    _config(tmp_path, extra="    paths: ['svc/a/**']\n")
    (tmp_path / ".practicelint.yaml").write_text(
        "services: ['svc/*']\n" + (tmp_path / ".practicelint.yaml").read_text())
    report = _run_at(tmp_path, date(2026, 12, 1))
    statuses = {r.scope: r.status for r in report.results if r.rule_id == "PERF001"}
    assert statuses == {"svc/a": Status.WAIVED, "svc/b": Status.WAIVED}  # evidence path matched in both


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (WAIVER.format(rule="PERF001", expires="2027-09-01", extra=""),
         "expires 2027-09-01 is more than max-waiver-days (180) ahead; the latest allowed date is 2027-05-30"),
        ("waivers:\n  - rule: PERF001\n    owner: ana\n    expires: 2026-12-31\n", ".practicelint.yaml:2: waivers.0.reason: Field required"),
        ("waivers:\n  - rule: PERF001\n    reason: r\n    owner: ''\n    expires: 2026-12-31\n", "waivers.0.owner"),
        ("waivers:\n  - rule: PERF001\n    reason: r\n    owner: o\n    expires: someday\n", "waivers.0.expires"),
        (WAIVER.format(rule="tail-latency-sol", expires="2026-12-31", extra=""),
         ".practicelint.yaml:2: waivers: tail-latency-sol: unknown rule (did you mean 'tail-latency-slo'?)"),
    ],
)
def test_invalid_waivers_are_configuration_errors(tmp_path: Path, fake_checks, body: str, message: str) -> None:
    write_tree(tmp_path, {".practicelint.yaml": body})
    with pytest.raises(ConfigError) as info:
        _run_at(tmp_path, date(2026, 12, 1))
    assert message in str(info.value)


def test_max_waiver_days_option(tmp_path: Path, fake_checks) -> None:
    _config(tmp_path, expires="2027-09-01")
    (tmp_path / ".practicelint.yaml").write_text("max-waiver-days: 365\n" + (tmp_path / ".practicelint.yaml").read_text())
    assert _run_at(tmp_path, date(2026, 12, 1)).waivers[0].waiver.expires == date(2027, 9, 1)


def test_waivers_show_in_json_and_text(tmp_path: Path, fake_checks, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_checks["PERF001"] = failed("no latency SLO")
    _config(tmp_path)
    _config(tmp_path, extra="  - rule: SEC001\n    reason: old\n    owner: bo\n    expires: 2026-12-31\n")
    monkeypatch.setenv("PRACTICELINT_NOW", "2026-12-01")
    data = json.loads(CliRunner().invoke(cli, ["check", str(tmp_path), "--format", "json"]).output)
    perf = next(r for r in data["results"] if r["rule_id"] == "PERF001")
    assert perf["status"] == "waived"
    assert perf["waiver"] == {"rule_id": "PERF001", "scope": None, "paths": [], "reason": "traffic is tiny until launch",
                              "owner": "ana@example.com", "expires": "2026-12-31", "source": ".practicelint.yaml", "line": 2}
    assert [(w["rule_id"], w["state"]) for w in data["waivers"]] == [("PERF001", "active"), ("SEC001", "stale")]
    text = CliRunner().invoke(cli, ["check", str(tmp_path)]).output
    assert "PERF001 until 2026-12-31, ana@example.com: traffic is tiny until launch (active)" in text
    assert "SEC001 until 2026-12-31, bo: old (stale: matches no failure, remove it)" in text


def test_waiver_of_a_skipped_result_is_not_stale(tmp_path: Path, fake_checks) -> None:
    """A history rule skipped on a shallow clone may fail on a full one: its waiver is still
    needed, and nothing is waived (a skipped result is not a failure)."""
    from linter.results import skipped

    fake_checks["PERF001"] = skipped("Not evaluated: this is a shallow clone with 1 commit of history.")
    _config(tmp_path)
    report = _run_at(tmp_path, date(2026, 12, 1))
    assert _perf(report).status is Status.SKIPPED and _perf(report).waiver is None
    assert report.waivers[0].state == "active" and report.waivers[0].matched == 0
