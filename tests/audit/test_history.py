"""The SQLite history: documented schema, versioned migrations, one row per repository x rule x
scope x run, trends and regressions by query (agreeing with ``diff``), JSON snapshots imported,
NDJSON export matching the documented table definitions."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from linter.audit import store
from linter.audit.diff import compare
from linter.audit.document import load_document
from linter.audit.history import snapshot_path
from linter.audit.store import EXPORT_COLUMNS, REPOSITORY_COLUMNS, RUN_COLUMNS, History
from tests.audit.support import invoke, make_git_repo, run_audit
from tests.helpers import git, git_commit_all, write_tree

DOCS = Path(__file__).resolve().parents[2] / "docs" / "audit.md"


def _report(*args: str):  # type: ignore[no-untyped-def]
    from linter.cli_audit import report_group

    return invoke(report_group, list(args))


@pytest.fixture
def two_audits(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Two audits of three repositories, a week apart: one regresses, one improves, one breaks."""
    repos = [make_git_repo(tmp_path / "src" / n, owner=f"team-{n}") for n in ("alpha", "beta", "gamma")]
    for repo, name in zip(repos, ("alpha", "beta", "gamma")):
        git(repo, "remote", "add", "origin", f"https://example.com/org/{name}.git")
    history = tmp_path / "audits.db"
    first = run_audit(tmp_path / "w1", str(tmp_path / "src"), "--history", str(history),
                      env={"PRACTICELINT_NOW": "2026-11-01T06:00:00"})
    assert first.exit_code == 0, first.output
    (repos[0] / ".github" / "workflows" / "ci.yml").unlink()  # alpha loses its scanning workflow
    git_commit_all(repos[0], "drop ci", date="2026-11-02T00:00:00")
    write_tree(repos[1], {"SECURITY.md": "# Security\n\nReport vulnerabilities to security@example.com, privately.\n"})
    git_commit_all(repos[1], "policy", date="2026-11-03T00:00:00")
    for obj in (repos[2] / ".git" / "objects").rglob("*"):  # gamma can no longer be read
        if obj.is_file():
            obj.chmod(0o644)
            obj.unlink()
    second = run_audit(tmp_path / "w2", str(tmp_path / "src"), "--history", str(history),
                       env={"PRACTICELINT_NOW": "2026-11-08T06:00:00"})
    assert second.exit_code == 1  # gamma is an error row now
    return history, tmp_path / "w1" / "audit.json", tmp_path / "w2" / "audit.json"


def test_schema_is_versioned_and_result_rows_carry_every_documented_field(two_audits: tuple[Path, Path, Path]) -> None:
    history, _, second = two_audits
    db = sqlite3.connect(history)
    assert db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert [r[0] for r in db.execute("SELECT started_at FROM runs ORDER BY started_at")] == [
        "2026-11-01T06:00:00+00:00", "2026-11-08T06:00:00+00:00"]
    columns = [d[0] for d in db.execute("SELECT * FROM result_rows LIMIT 1").description]
    assert columns == [c for c, _, _ in EXPORT_COLUMNS]
    row = db.execute("SELECT repository, repository_name, head_commit, audited_at, kind, owner_team, rule_id, "
                     "scope, status, severity FROM result_rows WHERE repository_name = 'org/alpha' "
                     "AND rule_id = 'SEC001' ORDER BY run_started_at DESC").fetchone()
    assert row[0] == "example.com/org/alpha" and row[2] and len(row[2]) == 40
    # the fixture's Backstage Component is of type service: the kind the audit records
    assert row[3] == "2026-11-08T06:00:00+00:00" and row[4] == "service" and row[5] == "team-alpha"
    assert row[6:] == ("SEC001", ".", "fail", "error")
    _, rows = load_document(second)
    expected = sum(len(r["results"]) for r in rows)  # one row per repository x rule x scope
    assert db.execute("SELECT count(*) FROM results WHERE run_id = 2").fetchone()[0] == expected
    assert db.execute("SELECT status, error IS NOT NULL FROM repository_runs JOIN repositories USING (repo_key) "
                      "WHERE name = 'org/gamma' AND run_id = 2").fetchone() == ("error", 1)


def test_regressions_and_trends_by_query_agree_with_diff_and_the_summaries(two_audits: tuple[Path, Path, Path]) -> None:
    history, first, second = two_audits
    _, old_rows = load_document(first)
    new_header, new_rows = load_document(second)
    expected = [r for r in compare(old_rows, new_rows)["repos"] if r["change"] == "regressed"]
    with History(history) as db:
        run = db.run_ids(latest_only=True)[0]
        got = db.regressions(run, db.previous_run(run))  # type: ignore[arg-type]
        trends = db.trends(run)
    assert [r["id"] for r in got] == sorted(r["id"] for r in expected)
    for mine, theirs in zip(got, sorted(expected, key=lambda r: r["id"])):
        assert mine["reasons"] == theirs["reasons"]
        assert [(f["rule_id"], f["scope"], f["old_status"], f["new_status"]) for f in mine["new_failures"]] == [
            (f["rule_id"], f["scope"], f["old_status"], f["new_status"]) for f in theirs["new_failures"]]
    assert {r["name"] for r in got} == {"org/alpha", "org/gamma"}
    summaries = [json.loads(p.read_text())["summary"] for p in (first, second)]
    assert [t[1]["mean_score"] for t in trends] == [s["mean_score"] for s in summaries]
    assert [t[1]["categories"] for t in trends] == [s["categories"] for s in summaries]
    page = (second.parent / "dashboard.html").read_text(encoding="utf-8")
    assert "Regressions since the last audit (1 Nov 2026 06:00 UTC)" in page


def test_recording_an_audit_again_replaces_it(two_audits: tuple[Path, Path, Path], tmp_path: Path) -> None:
    history, _, second = two_audits
    again = _report("merge", str(second), "--format", "json", "--output", str(tmp_path / "m.json"),
                    "--history", str(history))
    assert again.exit_code == 0
    db = sqlite3.connect(history)
    assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM results").fetchone()[0] == db.execute(
        "SELECT count(*) FROM (SELECT DISTINCT run_id, repo_key, rule_id, scope FROM results)").fetchone()[0]


def test_json_snapshots_are_imported_by_command_and_by_folder(two_audits: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, first, second = two_audits
    legacy = tmp_path / "legacy"  # the folder earlier versions kept
    legacy.mkdir()
    for doc in (first, second):
        started = json.loads(doc.read_text())["started_at"]
        from datetime import datetime
        (snapshot_path(legacy, datetime.fromisoformat(started).astimezone()).write_bytes(doc.read_bytes()))
    db_file = tmp_path / "imported.db"
    result = _report("import", str(legacy), "--history", str(db_file))
    assert result.exit_code == 0 and "imported 2 audits" in result.stderr
    assert _report("import", str(legacy), "--history", str(db_file)).stderr.count("imported 0 audits") == 1
    assert sqlite3.connect(db_file).execute("SELECT count(*) FROM runs").fetchone()[0] == 2

    repo = make_git_repo(tmp_path / "later")  # --history DIR: the snapshots come in, then this audit
    third = run_audit(tmp_path / "w3", str(repo), "--history", str(legacy),
                      env={"PRACTICELINT_NOW": "2026-11-15T06:00:00"})
    assert third.exit_code == 0, third.output
    runs = sqlite3.connect(legacy / "audits.db").execute("SELECT started_at, source FROM runs ORDER BY 1").fetchall()
    assert [s for _, s in runs] == ["import", "import", "audit"]
    bogus = tmp_path / "bogus.json"
    bogus.write_text("{}", encoding="utf-8")
    failed = _report("import", str(bogus), "--history", str(db_file))
    assert failed.exit_code == 2 and failed.stderr.startswith("practicelint: error:")


def _documented(marker: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    at = text.index(f"<!-- {marker} -->")
    block = re.search(r"```[a-z]*\n(.*?)```", text[at:], re.S)
    assert block is not None
    return block.group(1)


@pytest.mark.parametrize("table, columns", [("results", EXPORT_COLUMNS), ("repositories", REPOSITORY_COLUMNS),
                                            ("runs", RUN_COLUMNS)])
def test_ndjson_export_matches_the_documented_table_definitions(two_audits: tuple[Path, Path, Path], tmp_path: Path,
                                                                table: str, columns: Any) -> None:
    history, _, _ = two_audits
    out = tmp_path / f"{table}.ndjson"
    result = _report("export", "--history", str(history), "--table", table, "--all-runs", "--output", str(out))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records and all(list(r) == [c for c, _, _ in columns] for r in records)
    bigquery = json.loads(_documented(f"bigquery-schema:{table}"))
    assert [(f["name"], f["type"]) for f in bigquery] == [(c, t) for c, t, _ in columns]
    ddl = _documented(f"postgres-table:{table}")
    assert re.findall(r"^\s+(\w+) ([a-z ]+?)(?: NOT NULL)?,?$", ddl, re.M) == [(c, t) for c, _, t in columns]
    for record in records:
        for name, kind, _ in columns:
            value = record[name]
            if value is not None and kind == "TIMESTAMP":
                assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00", value)
            if value is not None and kind == "INT64":
                assert isinstance(value, int)
    latest = tmp_path / "latest.ndjson"
    assert _report("export", "--history", str(history), "--table", table, "--output", str(latest)).exit_code == 0
    assert len(latest.read_text().splitlines()) < len(records) or table == "runs" and len(records) == 2


def test_migrations_run_in_order_and_keep_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "h.db"
    with History(path) as db:
        db.record({"started_at": "2026-01-01T00:00:00+00:00"}, {"repos": 1, "audited": 1, "errors": 0},
                  [{"id": "h/o/r", "name": "o/r", "status": "ok", "level": 1, "score": 50, "results": [["SEC001", ".", "pass"]]}],
                  source="test")
    later = store.MIGRATIONS + ((store.SCHEMA_VERSION + 1, "ALTER TABLE runs ADD COLUMN note TEXT;"),)
    monkeypatch.setattr(store, "MIGRATIONS", later)
    monkeypatch.setattr(store, "SCHEMA_VERSION", store.SCHEMA_VERSION + 1)
    with History(path) as db:
        assert db.version() == store.SCHEMA_VERSION
        assert db.db.execute("SELECT count(*), max(note) FROM runs").fetchone() == (1, None)
        assert db.db.execute("SELECT status FROM results").fetchall() == [("pass",)]


@pytest.mark.parametrize("content", ["newer", "not-sqlite", "foreign"])
def test_an_unusable_history_file_is_a_one_line_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "h.db"
    if content == "newer":
        sqlite3.connect(path).execute("PRAGMA user_version = 99")
    elif content == "not-sqlite":
        path.write_text("just text\n" * 100, encoding="utf-8")
    else:
        connection = sqlite3.connect(path)
        connection.execute("CREATE TABLE other (x)")
        connection.commit()
    repo = make_git_repo(tmp_path / "svc")
    result = run_audit(tmp_path / "out", str(repo), "--history", str(path))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("practicelint: error:") and "Traceback" not in result.output


def test_a_level_lost_to_nothing_judged_is_a_regression_in_the_store_as_in_diff(tmp_path: Path) -> None:
    """A repository whose level 2 becomes none (nothing judged any more) regresses, by query as by
    ``diff``; one that was already without a level, or gains one, does not."""
    def row(rid: str, level: int | None, score: int | None) -> dict[str, object]:
        return {"id": rid, "name": rid, "status": "ok", "error": None, "level": level, "score": score,
                "results": [], "failing": [], "owner": None}

    old = [row("a", 2, 80), row("b", None, None), row("c", None, None)]
    new = [row("a", None, None), row("b", None, None), row("c", 1, 40)]
    with History(tmp_path / "h.db") as db:
        first = db.record({"started_at": "2026-11-01T06:00:00+00:00"}, {}, old, "test")
        second = db.record({"started_at": "2026-11-08T06:00:00+00:00"}, {}, new, "test")
        got = db.regressions(second, first)
    assert [(r["id"], r["reasons"]) for r in got] == [("a", ["level 2 -> -", "score 80 -> -"])]
    assert [(r["id"], r["reasons"]) for r in compare(old, new)["repos"] if r["change"] == "regressed"] == \
        [("a", ["level 2 -> -", "score 80 -> -"])]


def test_the_first_audit_of_a_history_claims_no_comparison(two_audits: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """With nothing recorded before it, the dashboard said "Regressions since the last audit: None:
    no repository regressed", a comparison that was never made; the second audit lists them."""
    first = (tmp_path / "w1" / "dashboard.html").read_text(encoding="utf-8")
    assert "Regressions since" not in first and "no repository regressed" not in first
    assert "regressions since the previous audit, appear once two or more audits are kept" in first
    second = (tmp_path / "w2" / "dashboard.html").read_text(encoding="utf-8")
    assert "Regressions since the last audit (1 Nov 2026 06:00 UTC)" in second and 'id="regressions"' in second


def test_repositories_added_and_removed_since_the_last_audit_are_named_and_agree_with_diff(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A repository that vanished from the audit (deleted, archived, or its checkout no longer a
    repository) was said nowhere on the dashboard: regressions compare only repositories present
    in both runs, while ``diff`` called it removed. The history names added and removed ones
    (capped, counted whole), as ``diff`` does; a repository present in both is neither, and a
    partial run claims nothing removed."""
    from io import StringIO

    from linter.audit.dashboard import render

    def row(rid: str) -> dict[str, object]:
        return {"id": rid, "name": rid, "status": "ok", "error": None, "level": 1, "score": 50,
                "results": [], "failing": [], "owner": None}

    old = [row("kept"), row("<b>gone</b>"), row("gone-2"), row("gone-3")]
    new = [row("kept"), row("fresh")]
    with History(tmp_path / "h.db") as db:
        first = db.record({"started_at": "2026-11-01T06:00:00+00:00"}, {}, old, "test")
        second = db.record({"started_at": "2026-11-08T06:00:00+00:00"}, {}, new, "test")
        got = db.membership(second, first, limit=2)
        partial = db.record({"started_at": "2026-11-15T06:00:00+00:00", "completion": {"partial": True}}, {},
                            [row("kept")], "test")
        unknown = db.membership(partial, second)
    assert got["added_count"] == 1 and [r["name"] for r in got["added"]] == ["fresh"]
    assert got["removed_count"] == 3 and [r["name"] for r in got["removed"]] == ["<b>gone</b>", "gone-2"]
    changes = {r["id"]: r["change"] for r in compare(old, new)["repos"]}
    assert {k for k, v in changes.items() if v == "removed"} == {"<b>gone</b>", "gone-2", "gone-3"}
    assert {k for k, v in changes.items() if v == "added"} == {"fresh"}
    assert unknown["removed"] is None and unknown["added_count"] == 0
    out = StringIO()
    from linter.audit.aggregate import OrgSummary

    render(out, header={"started_at": "2026-11-08T06:00:00+00:00"}, summary=OrgSummary().as_dict(), rows=[],
           regressions=[],
           membership=got)
    page = out.getvalue()
    assert "New in this audit: 1: fresh" in page
    assert "No longer in the audit (deleted, archived, or dropped from the list): 3: &lt;b&gt;gone&lt;/b&gt;, gone-2 and 1 more" in page
    assert "<b>gone</b>" not in page
