"""merge, diff, CSV and history on known inputs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from linter.audit.csvout import safe_cell, write_csv
from linter.audit.diff import compare
from tests.audit.support import audit_rows, diff, make_git_repo, merge, run_audit


#: the reports' own ladder levels (what `check` writes), independent of the packaged catalog
LADDER = {"SEC001": 1, "SEC002": 2, "PERF001": 2, "ORG001": 3}


def check_report(name: str, results: list[tuple[str, str, str, str]], **extra: Any) -> dict[str, Any]:
    """A minimal ``check --format json`` report: (rule, scope, status, severity) tuples."""
    return {
        "schema_version": 1, "tool": {"name": "practicelint", "version": "0"},
        "target": {"path": f"/src/{name}", "name": name, "commit": "abc"},
        "summary": {},
        "results": [{"rule_id": r, "name": r.lower(), "practice_id": f"p-{r[:3].lower()}", "category":
                     {"SEC": "security", "PER": "performance", "ORG": "teams"}[r[:3]], "severity": sev,
                     "scope": scope, "status": status, "message": f"{r} says {status}", "evidence": [],
                     "remediation": "", "level": LADDER[r]} for r, scope, status, sev in results],
        "notes": [], **extra,
    }


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


OLD = [("SEC001", ".", "pass", "error"), ("PERF001", "svc", "fail", "error"), ("ORG001", ".", "pass", "info")]
NEW = [("SEC001", ".", "fail", "error"), ("PERF001", "svc", "pass", "error"), ("ORG001", ".", "pass", "info")]


def test_diff_of_two_check_reports_lists_new_failures_and_fixes(tmp_path: Path) -> None:
    old = write(tmp_path / "old.json", check_report("svc", OLD))
    new = write(tmp_path / "new.json", check_report("svc", NEW))
    result = diff(str(old), str(new), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    repo = data["repos"][0]
    assert repo["change"] == "regressed"
    assert [(f["rule_id"], f["scope"], f["old_status"], f["new_status"]) for f in repo["new_failures"]] == [
        ("SEC001", ".", "pass", "fail")]
    assert [(f["rule_id"], f["scope"], f["new_status"]) for f in repo["fixed"]] == [("PERF001", "svc", "pass")]
    assert data["summary"] == {"compared": 1, "regressed": 1, "improved": 0, "changed": 0, "unchanged": 0,
                               "added": 0, "removed": 0, "missing": 0}


def test_diff_text_and_markdown(tmp_path: Path) -> None:
    old = write(tmp_path / "old.json", check_report("svc", OLD))
    new = write(tmp_path / "new.json", check_report("svc", NEW))
    text = diff(str(old), str(new)).stdout
    assert text.splitlines() == [
        "practicelint diff: 1 repository compared: 1 regressed, 0 improved, 0 changed, 0 unchanged, 0 added, 0 removed",
        "REGRESSED  svc: 1 new failure; level 1 -> 0; 1 fixed",  # SEC001 is on level 1 of these reports' ladder
        "  + SEC001 sec001 [.]: pass -> fail",
        "  - PERF001 perf001 [svc]: fail -> pass",
    ]
    md = diff(str(old), str(new), "--format", "markdown").stdout
    assert "| svc |  | regressed | 1 new failure; level 1 -\\> 0; 1 fixed | SEC001 (.) | PERF001 (svc) |  |" in md


def test_diff_exit_0_when_only_improved_and_unchanged(tmp_path: Path) -> None:
    improved = [("SEC001", ".", "pass", "error"), ("PERF001", "svc", "pass", "error"), ("ORG001", ".", "pass", "info")]
    old = write(tmp_path / "old.json", check_report("svc", OLD))
    new = write(tmp_path / "new.json", check_report("svc", improved))
    result = diff(str(old), str(new), "--format", "json")
    assert result.exit_code == 0
    repo = json.loads(result.stdout)["repos"][0]
    assert repo["change"] == "improved" and "level 1 -> 3" in repo["gains"] and "score 54 -> 100" in repo["gains"]
    same = diff(str(old), str(old), "--format", "json")
    assert same.exit_code == 0 and json.loads(same.stdout)["repos"][0]["change"] == "unchanged"


def _row(rid: str, status: str = "ok", results: list[list[str]] | None = None, level: int = 1, score: int = 50,
         error: str | None = None) -> dict[str, Any]:
    return {"id": rid, "name": rid, "status": status, "error": error, "level": level, "score": score,
            "results": results or [], "failing": [], "owner": None}


def test_compare_added_removed_and_newly_broken_repositories() -> None:
    old = [_row("a"), _row("b"), _row("gone")]
    new = [_row("a"), _row("b", status="error", error="clone failed", level=None, score=None), _row("fresh")]  # type: ignore[arg-type]
    result = {r["id"]: r for r in compare(old, new)["repos"]}
    assert result["a"]["change"] == "unchanged"
    assert result["b"]["change"] == "regressed"
    assert result["b"]["reasons"] == ["can no longer be audited: clone failed"]
    assert result["gone"]["change"] == "removed" and result["fresh"]["change"] == "added"
    assert [r["id"] for r in compare(old, new)["repos"]][0] == "b"  # regressions first


def test_losing_the_level_is_a_regression_and_getting_one_a_gain() -> None:
    """Nothing judged any more (a level of 2 becomes none): the evidence is gone, which is worse;
    the other way round is a gain. Near miss: an error row has no level and says only that."""
    old = [_row("a", level=2, score=80), _row("b", level=None, score=None), _row("c")]  # type: ignore[arg-type]
    new = [_row("a", level=None, score=None), _row("b", level=1, score=40),  # type: ignore[arg-type]
           _row("c", status="error", error="clone failed", level=None, score=None)]  # type: ignore[arg-type]
    result = {r["id"]: r for r in compare(old, new)["repos"]}
    assert (result["a"]["change"], result["a"]["reasons"]) == ("regressed", ["level 2 -> -", "score 80 -> -"])
    assert (result["b"]["change"], result["b"]["gains"]) == ("improved", ["level - -> 1", "score - -> 40"])
    assert result["c"]["reasons"] == ["can no longer be audited: clone failed"]


def test_a_new_waiver_is_listed_apart_from_the_fixes() -> None:
    """A failure accepted by a waiver is not a fix: its own list and note; with no level or
    score movement the repository has changed, not improved. Near miss: a pass is a fix."""
    old = [_row("a", results=[["SEC001", ".", "fail"], ["SEC002", ".", "fail"]]),
           _row("b", results=[["SEC001", ".", "error"]])]
    new = [_row("a", results=[["SEC001", ".", "waived"], ["SEC002", ".", "pass"]]),
           _row("b", results=[["SEC001", ".", "waived"]])]
    result = {r["id"]: r for r in compare(old, new)["repos"]}
    a, b = result["a"], result["b"]
    assert [(i["rule_id"], i["new_status"]) for i in a["fixed"]] == [("SEC002", "pass")]
    assert [(i["rule_id"], i["old_status"], i["new_status"]) for i in a["waived"]] == [("SEC001", "fail", "waived")]
    assert (a["change"], a["gains"], a["notes"]) == ("improved", ["1 fixed"], ["1 newly waived"])
    assert (b["change"], b["fixed"], b["gains"], b["notes"]) == ("changed", [], [], ["1 newly waived"])


def test_diff_text_and_markdown_show_new_waivers(tmp_path: Path) -> None:
    waived = [("SEC001", ".", "pass", "error"), ("PERF001", "svc", "waived", "error"), ("ORG001", ".", "pass", "info")]
    old = write(tmp_path / "old.json", check_report("svc", OLD))
    new = write(tmp_path / "new.json", check_report("svc", waived))
    lines = diff(str(old), str(new)).stdout.splitlines()
    assert "  ~ PERF001 perf001 [svc]: fail -> waived" in lines
    assert not any(line.startswith("  - ") for line in lines)
    md = diff(str(old), str(new), "--format", "markdown").stdout
    assert md.rstrip().endswith("|  | PERF001 (svc) |") and "| Newly waived |" in md


def test_disappearing_rule_is_neither_fixed_nor_a_regression() -> None:
    old = [_row("a", results=[["SEC001", ".", "fail"]])]
    new = [_row("a", results=[])]
    repo = compare(old, new)["repos"][0]
    assert repo["fixed"] == [] and repo["new_failures"] == [] and repo["change"] == "changed"


def test_merge_check_reports_into_json_markdown_csv(tmp_path: Path) -> None:
    first = write(tmp_path / "svc-a.json", check_report("svc-a", OLD))
    second = write(tmp_path / "svc-b.json", check_report("svc-b", NEW, waivers=[
        {"rule": "PERF001", "owner": "ana", "reason": "migrating", "expires": "2027-01-31", "state": "active"},
        {"rule": "SEC001", "owner": "bo", "reason": "old", "expires": "2026-01-01", "state": "expired"}]))
    out = tmp_path / "org.json"
    assert merge(str(first), str(second), "--format", "json", "--output", str(out)).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [r["name"] for r in doc["repos"]] == ["svc-a", "svc-b"]
    summary = doc["summary"]
    # svc-a fails PERF001 (level 2) so it is at level 1; svc-b fails SEC001 (level 1)
    assert summary["levels"] == {"0": 1, "1": 1, "2": 0, "3": 0}
    waivers = summary["waivers"]  # "expiring" depends on the merge's own start (the clock)
    assert {k: waivers[k] for k in ("active", "expired", "stale")} == {"active": 1, "expired": 1, "stale": 0}
    assert waivers["expiring"] in (0, 1)
    assert summary["categories"]["security"] == {"mean": 50.0, "repos": 2}
    assert summary["categories"]["performance"] == {"mean": 50.0, "repos": 2}
    assert [(t["practice_id"], t["repos"], t["repo_names"]) for t in summary["top_failing"]] == [
        ("p-per", 1, ["svc-a"]), ("p-sec", 1, ["svc-b"])]
    assert doc["repos"][0]["report_json"] == "svc-a.json"

    md = tmp_path / "org.md"
    assert merge(str(first), str(second), "--format", "markdown", "--output", str(md)).exit_code == 0
    assert "| svc-a | – | unknown | ok | 1 | 54 | 0 | 100 | 100 |" in md.read_text(encoding="utf-8")

    table = tmp_path / "org.csv"
    assert merge(str(first), str(second), "--format", "csv", "--output", str(table)).exit_code == 0
    lines = list(csv.DictReader(table.open(encoding="utf-8")))
    assert len(lines) == 6
    assert {(l["repository"], l["rule_id"], l["status"], l["message"]) for l in lines} >= {
        ("svc-a", "PERF001", "fail", "PERF001 says fail"), ("svc-b", "SEC001", "fail", "SEC001 says fail")}


def test_merge_rejects_foreign_json(tmp_path: Path) -> None:
    bogus = write(tmp_path / "x.json", {"hello": "world"})
    result = merge(str(bogus), "--format", "json", "--output", str(tmp_path / "o.json"))
    assert result.exit_code == 2 and "neither a practicelint audit" in result.output


def test_merge_skips_duplicate_repositories_with_a_warning(tmp_path: Path) -> None:
    first = write(tmp_path / "a.json", check_report("svc-a", OLD))
    out = tmp_path / "o.json"
    result = merge(str(first), str(first), "--format", "json", "--output", str(out))
    assert result.exit_code == 0 and "duplicate repository /src/svc-a: kept the ok row" in result.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["repos"]) == 1


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"), ("-2", "'-2"), ("@team", "'@team"),
    ("plain", "plain"), (None, ""), (3, "3"),
])
def test_csv_cells_never_become_formulas(value: Any, expected: str) -> None:
    assert safe_cell(value) == expected


def test_csv_error_row_and_missing_report_fall_back_to_the_row(tmp_path: Path) -> None:
    rows = [{"name": "bad", "id": "bad", "status": "error", "error": "clone failed"},
            {"name": "ok", "id": "ok", "status": "ok", "level": 1, "score": 80, "report_json": "gone.json",
             "results": [["SEC001", ".", "fail"]],
             "failing": [{"rule_id": "SEC001", "scope": ".", "name": "dep-scan", "category": "security",
                          "severity": "error"}]}]
    out = io.StringIO()
    write_csv(out, rows, tmp_path)
    lines = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert (lines[0]["repository_status"], lines[0]["message"]) == ("error", "clone failed")
    assert (lines[1]["rule_id"], lines[1]["rule_name"], lines[1]["status"]) == ("SEC001", "dep-scan", "fail")


def test_history_records_each_audit_and_reports_regressions(tmp_path: Path) -> None:
    repo = make_git_repo(tmp_path / "svc", owner="team-a")
    history = tmp_path / "audits.db"
    first = run_audit(tmp_path / "out1", str(repo), "--history", str(history),
                      env={"PRACTICELINT_NOW": "2026-10-01T08:00:00"})
    assert first.exit_code == 0
    (repo / ".github" / "workflows" / "ci.yml").unlink()  # dependency scanning removed: a regression
    from tests.helpers import git_commit_all
    git_commit_all(repo, "drop ci", date="2026-10-15T00:00:00")
    second = run_audit(tmp_path / "out2", str(repo), "--history", str(history),
                       env={"PRACTICELINT_NOW": "2026-11-01T08:00:00"})
    assert second.exit_code == 0
    import sqlite3
    runs = sqlite3.connect(history).execute("SELECT started_at FROM runs ORDER BY started_at").fetchall()
    assert runs == [("2026-10-01T08:00:00+00:00",), ("2026-11-01T08:00:00+00:00",)]
    assert "regressed since the last audit" in second.stderr
    page = (tmp_path / "out2" / "dashboard.html").read_text(encoding="utf-8")
    assert "<polyline" in page and 'id="regressions"' in page and "SEC001" in page
    assert audit_rows(tmp_path / "out2")["svc"]["status"] == "ok"


def test_dashboard_escapes_repository_strings(tmp_path: Path) -> None:
    hostile = write(tmp_path / "h.json", check_report("<script>alert(1)</script>", OLD))
    out = tmp_path / "d.html"
    assert merge(str(hostile), "--format", "html", "--output", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "default-src &#39;none&#39;" in page and page.count("<script>") == 1
