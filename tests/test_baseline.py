"""Baselines: start without a wall of red, then ratchet down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.fingerprints import fingerprint
from linter.results import Evidence, Result, Severity, Status, failed


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_fingerprint_ignores_lines_and_messages() -> None:
    base = Result("PERF001", "n", "p", "performance", Severity.ERROR, "svc", Status.FAIL, "p95 only",
                  (Evidence("slo.yaml", 3, "p95"),), "fix")
    moved = Result("PERF001", "n", "p", "performance", Severity.ERROR, "svc", Status.FAIL, "p90 only",
                   (Evidence("slo.yaml", 30, "p90"),), "fix")
    other = Result("PERF001", "n", "p", "performance", Severity.ERROR, "web", Status.FAIL, "p95 only",
                   (Evidence("slo.yaml", 3, "p95"),), "fix")
    assert fingerprint(base) == fingerprint(moved) != fingerprint(other)


def test_baseline_lifecycle(tmp_path: Path, fake_checks) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    fake_checks["PERF001"] = failed("no SLO")
    fake_checks["SEC001"] = failed("no scan")
    assert _invoke("check", str(repo)).exit_code == 1
    created = _invoke("baseline", "create", str(repo))
    assert created.exit_code == 0 and "2 known failures" in created.output
    path = repo / ".practicelint-baseline.json"
    entries = json.loads(path.read_text())["entries"]
    assert [(e["rule_id"], e["scope"]) for e in entries] == [("PERF001", "."), ("SEC001", ".")]

    checked = _invoke("check", str(repo), "--baseline", str(path))
    assert checked.exit_code == 0 and "(in baseline)" in checked.output
    # a run that exits 0 with failures says why
    assert "baseline: 0 new, 2 baselined, 0 fixed: only new failures set the exit code" in checked.output
    for fmt, expected in (("markdown", "baseline: 0 new, 2 baselined, 0 fixed**"),
                          ("html", "Baseline: 0 new, 2 baselined, 0 fixed.")):
        assert expected in _invoke("check", str(repo), "--baseline", str(path), "--format", fmt).output
    data = json.loads(_invoke("check", str(repo), "--baseline", str(path), "--format", "json").output)
    assert data["summary"]["baseline"] == {"new": 0, "baselined": 2, "fixed": 0}
    assert data["record"]["baseline"] == str(path)
    assert json.loads(_invoke("check", str(repo), "--format", "json").output)["summary"]["baseline"] is None

    fake_checks["ORG001"] = failed("14 members")  # a new failure still fails the run
    assert _invoke("check", str(repo), "--baseline", str(path)).exit_code == 1

    fake_checks["ORG001"] = fake_checks["PROD001"]
    fake_checks["SEC001"] = fake_checks["PROD001"]  # fixed
    out = _invoke("check", str(repo), "--baseline", str(path), "--format", "json").output
    assert [e["rule_id"] for e in json.loads(out)["baseline_fixed"]] == ["SEC001"]
    assert json.loads(out)["summary"]["baseline"] == {"new": 0, "baselined": 1, "fixed": 1}

    fake_checks["ORG001"] = failed("new")
    updated = _invoke("baseline", "update", str(repo))
    assert "1 known failure (1 removed, 0 added)" in updated.output  # shrinks, never grows
    assert [e["rule_id"] for e in json.loads(path.read_text())["entries"]] == ["PERF001"]
    forced = _invoke("baseline", "update", str(repo), "--force")
    assert "2 known failures (0 removed, 1 added)" in forced.output


@pytest.mark.parametrize("content", ["{", "[]", '{"version": 9, "entries": []}', '{"version": 1, "entries": [1]}'])
def test_malformed_baseline_exits_two(tmp_path: Path, fake_checks, content: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    result = _invoke("check", str(tmp_path), "--baseline", str(path))
    assert result.exit_code == 2 and "b.json" in result.output and "Traceback" not in result.output


def test_skipped_results_keep_their_baseline_entries(tmp_path: Path, fake_checks) -> None:
    """On a shallow clone a history rule is skipped: whether its known failure is fixed is not
    known, so the entry is neither reported as passing nor dropped by ``baseline update``."""
    from linter.results import skipped

    repo = tmp_path / "repo"
    repo.mkdir()
    fake_checks["PERF001"] = failed("no SLO")
    fake_checks["SEC001"] = failed("no scan")
    assert _invoke("baseline", "create", str(repo)).exit_code == 0
    path = repo / ".practicelint-baseline.json"
    fake_checks["PERF001"] = skipped("Not evaluated: this is a shallow clone with 1 commit of history.")
    fake_checks["SEC001"] = fake_checks["PROD001"]  # fixed
    data = json.loads(_invoke("check", str(repo), "--baseline", str(path), "--format", "json").output)
    assert [e["rule_id"] for e in data["baseline_fixed"]] == ["SEC001"]
    for args in ((), ("--force",)):
        fake_checks["PERF001"] = skipped("Not evaluated: shallow clone.")
        assert _invoke("baseline", "update", str(repo), *args).exit_code == 0
        assert [e["rule_id"] for e in json.loads(path.read_text())["entries"]] == ["PERF001"]
