"""Kinds in audits: what each repository is (one scope's kind, a monorepo's, ``mixed``), where it
came from, rolled up per kind (count, levels, mean and median score) in the JSON summary,
dashboard, Markdown, CSV and history; scores that do not exist shown as "–", never 0; dates
people read."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from linter.audit import store
from linter.audit.aggregate import median
from linter.audit.document import worst_key
from linter.audit.progress import Progress
from linter.audit.rows import kind_label, repository_kind, row_from_report, scope_kinds_of
from linter.audit.store import History
from linter.audit.timefmt import human_time
from linter.results import Evidence, Scope
from tests.audit.support import merge
from tests.audit.test_dashboard import _write as write_reports

CATS = {"SEC001": "security", "SEC002": "security", "PERF001": "performance"}
#: the reports' own ladder levels (what `check` writes), independent of the packaged catalog
LADDER = {"SEC001": 1, "SEC002": 2, "PERF001": 2}


def _scope(path: str, kind: str | None = None, source: str | None = None, evidence: list[Any] | None = None,
           **extra: Any) -> dict[str, Any]:
    scope: dict[str, Any] = {"path": path, "name": path.rsplit("/", 1)[-1], "source": "default", **extra}
    if kind is not None:
        scope["kind"] = kind
    if source is not None:
        scope["kind_source"] = source
    if evidence is not None:
        scope["kind_evidence"] = evidence
    return scope


def fake_report(name: str, scopes: list[dict[str, Any]], results: list[tuple[str, str, str]],
                summary: dict[str, Any] | None = None) -> dict[str, Any]:
    """A check report as JSON (the shape ``practicelint check --format json`` writes, with
    ``scopes[].kind``, ``kind_source`` and ``kind_evidence``)."""
    return {"schema_version": 1, "tool": {"name": "practicelint", "version": "0"},
            "target": {"path": f"/src/{name}", "name": name, "commit": "c0ffee"}, "summary": summary or {},
            "scopes": scopes,
            "results": [{"rule_id": r, "name": r.lower(), "practice_id": r.lower(), "category": CATS[r],
                         "severity": "error", "scope": scope, "status": status, "message": "", "evidence": [],
                         "remediation": "", "rule_scope": "repo" if scope == "." else "service", "level": LADDER[r]}
                        for r, scope, status in results],
            "notes": [], "audit": {"id": f"github.com/acme/{name}", "name": f"acme/{name}", "owners": ["team"],
                                   "owner_source": "backstage", "audited_at": "2026-12-06T14:03:27.123456+00:00"}}


def _org(tmp_path: Path) -> list[str]:
    reports = [
        fake_report("api", [_scope(".", "service", "backstage", [{"path": "catalog-info.yaml", "line": 6}])],
                    [("SEC001", ".", "pass"), ("PERF001", ".", "fail")]),
        fake_report("lib", [_scope(".", "library", "inferred", [{"path": "pyproject.toml", "line": 3, "detail": "x"}])],
                    [("SEC001", ".", "pass"), ("SEC002", ".", "pass")]),
        fake_report("lib2", [_scope(".", "library", "inferred")], [("SEC001", ".", "fail"), ("SEC002", ".", "fail")]),
        fake_report("mono", [_scope("services/a", "service", "backstage"), _scope("services/b", "service", "inferred"),
                             _scope("libs/util", "library", "inferred")],
                    [("SEC001", ".", "pass"), ("PERF001", "services/a", "fail"), ("PERF001", "libs/util", "not_applicable")]),
        fake_report("old", [_scope(".")], [("SEC001", ".", "pass")]),  # written before kinds existed
        fake_report("empty", [_scope(".", "documentation", "config")], [("PERF001", ".", "not_applicable")],
                    summary={"score": None, "level": None}),  # nothing applies: no score
    ]
    return write_reports(tmp_path, reports)


def test_one_scope_gives_its_kind_source_and_evidence() -> None:
    kinds = scope_kinds_of([_scope(".", "library", "inferred", [{"path": "pyproject.toml", "line": 3}, "setup.cfg"])])
    assert repository_kind(kinds) == {"kind": "library", "kinds": {"library": 1}, "kind_source": "inferred",
                                      "kind_evidence": ["pyproject.toml:3", "setup.cfg"]}


def test_report_scope_objects_are_read_like_json_scopes() -> None:
    scope = Scope(".", "lib", "default", kind="tool", kind_source="inferred",
                  kind_evidence=(Evidence("action.yml", 1, "a root action.yml"),))
    row = row_from_report({"results": [], "scopes": []}, identity="x", name="x", source="x", slug="x", scopes=[scope])
    assert (row["kind"], row["kind_source"], row["kind_evidence"], row["scope_kinds"]) == (
        "tool", "inferred", ["action.yml:1"], {".": "tool"})


def test_a_monorepo_is_its_services_kind_when_they_agree_else_mixed() -> None:
    agree = scope_kinds_of([_scope("services/a", "service", "backstage"), _scope("services/b", "service", "backstage")])
    assert repository_kind(agree)["kind"] == "service" and repository_kind(agree)["kind_source"] == "backstage"
    differ = scope_kinds_of([_scope("a", "service"), _scope("b", "library"), _scope("c", "service"), _scope("d")])
    row = repository_kind(differ)
    assert (row["kind"], row["kinds"]) == ("mixed", {"service": 2, "library": 1, "unknown": 1})
    assert kind_label(row) == "mixed (service 2, library 1, unknown 1)"


def test_a_kind_declared_for_the_repository_wins_over_its_parts() -> None:
    declared = scope_kinds_of([_scope(".", "service", "config"), _scope("a", "library"), _scope("b", "tool")])
    assert repository_kind(declared)["kind"] == "service"
    inferred = scope_kinds_of([_scope(".", "service", "inferred"), _scope("a", "library"), _scope("b", "tool")])
    assert repository_kind(inferred)["kind"] == "mixed"  # near miss: only a declaration wins


def test_reports_without_kinds_and_hostile_kinds() -> None:
    assert repository_kind(scope_kinds_of([]))["kind"] == "unknown"
    assert repository_kind(scope_kinds_of([_scope(".")])) == {"kind": "unknown", "kinds": {"unknown": 1},
                                                               "kind_source": "none", "kind_evidence": []}
    odd = scope_kinds_of([{"path": ".", "kind": "x" * 5000, "kind_source": 7, "kind_evidence": [None, 3, {"line": 1}]},
                          {"kind": "service"}, "junk"])
    assert len(odd) == 1 and len(odd[0]["kind"]) == 40 and odd[0]["kind_source"] == "none" and odd[0]["kind_evidence"] == []


def test_summary_rolls_up_per_kind_with_counts_levels_mean_and_median(tmp_path: Path) -> None:
    out = tmp_path / "org.json"
    assert merge(*_org(tmp_path), "--format", "json", "--output", str(out)).exit_code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    rows = {row["name"]: row for row in document["repos"]}
    assert rows["acme/mono"]["kind"] == "mixed" and rows["acme/mono"]["kinds"] == {"service": 2, "library": 1}
    assert rows["acme/mono"]["scope_kinds"] == {"services/a": "service", "services/b": "service", "libs/util": "library"}
    assert rows["acme/empty"]["score"] is None and rows["acme/empty"]["level"] is None
    groups = {g["kind"]: g for g in document["summary"]["by_kind"]}
    assert {k: g["repos"] for k, g in groups.items()} == {"service": 1, "library": 2, "mixed": 1, "unknown": 1,
                                                         "documentation": 1}
    assert (groups["library"]["mean_score"], groups["library"]["median_score"]) == (50.0, 50.0)
    # lib2 fails error rules; lib passes all, and has no rule of level 3 to prove that level with
    assert groups["library"]["levels"] == {"0": 1, "1": 0, "2": 1, "3": 0}
    assert (groups["library"]["no_level"], groups["documentation"]["no_level"]) == (0, 1)
    empty = groups["documentation"]
    assert (empty["mean_score"], empty["median_score"], sum(empty["levels"].values())) == (None, None, 0)
    assert document["summary"]["audited"] == 6 and sum(document["summary"]["levels"].values()) == 5  # no level: not a 0
    assert document["summary"]["no_level"] == 1


def test_median_of_a_histogram() -> None:
    assert median(Counter()) is None
    assert median(Counter([40])) == 40.0
    assert median(Counter([10, 20, 90])) == 20.0
    assert median(Counter([10, 20, 90, 100])) == 55.0
    assert median(Counter({0: 3, 100: 1})) == 0.0


def test_dashboard_kind_column_filter_summaries_dates_and_dashes(tmp_path: Path) -> None:
    page_path = tmp_path / "d.html"
    assert merge(*_org(tmp_path), "--format", "html", "--output", str(page_path)).exit_code == 0
    page = page_path.read_text(encoding="utf-8")
    static = page.split('<script type="application/json"')[0]
    assert "<td title=\"its scopes&#39; kinds\">mixed (service 2, library 1)</td>" in static
    assert '<td title="inferred from pyproject.toml:3">library</td>' in static
    assert '<td title="nothing says">unknown</td>' in static
    kind_filter = static[static.index('id="f-kind"'):static.index("</select>", static.index('id="f-kind"'))]
    assert '<option value="mixed">mixed</option>' in kind_filter and '<option value="library">library</option>' in kind_filter
    kind_table = static[static.index('id="kind-table"'):static.index("</table>", static.index('id="kind-table"'))]
    assert '<th scope="col" class="num">Median score</th>' in kind_table
    assert '<th scope="row">documentation</th><td class="num">1</td>\n<td class="num">–</td>\n<td class="num">–</td>' in kind_table
    empty_row = static[static.index("acme/<wbr>empty"):]
    empty_row = empty_row[:empty_row.index("</tr>")]
    assert '<td class="num">–</td>\n<td class="num">–</td>' in empty_row and "None" not in empty_row  # level, score
    data = json.loads(page.split('id="repo-data">')[1].split("</script>")[0])
    mono = next(r for r in data["rows"] if r[0] == "acme/mono")
    assert data["tables"]["kinds"][mono[4]] == "mixed" and mono[12] == "mixed (service 2, library 1)"
    assert data["tables"]["kindNotes"][mono[13]] == "its scopes' kinds"
    assert "Audit started" in static and "T14:03" not in static and ".123456" not in static


def test_a_repository_with_no_level_has_its_own_bar_filter_and_rollup_count(tmp_path: Path) -> None:
    """acme/empty (nothing judged) is neither a 0 nor a 3: a "No level" bar and filter option,
    "1 no level" in its kind's rollup, and "level" with no value in the data the script sorts."""
    page_path = tmp_path / "d.html"
    assert merge(*_org(tmp_path), "--format", "html", "--output", str(page_path)).exit_code == 0
    static = page_path.read_text(encoding="utf-8").split('<script type="application/json"')[0]
    assert "<li><span>No level</span>" in static and '<span class="lnone" style="width: 16.7%">' in static
    assert '<option value="none">No level (nothing judged)</option>' in static
    kind_table = static[static.index('id="kind-table"'):static.index("</table>", static.index('id="kind-table"'))]
    documentation = kind_table[kind_table.index("documentation"):]
    assert "0 / 0 / 0 / 0 · 1 no level</td>" in documentation[:documentation.index("</tr>")]
    out = tmp_path / "s.md"
    assert merge(*_org(tmp_path), "--format", "markdown", "--output", str(out)).exit_code == 0
    assert "| – (nothing judged) | 1 |" in out.read_text(encoding="utf-8")


def test_a_report_that_does_not_say_its_level_gets_none_when_nothing_was_judged(tmp_path: Path) -> None:
    """Recomputed from the results (no summary): every result not applicable gives no level,
    never the top of the ladder."""
    paths = write_reports(tmp_path, [fake_report("na", [_scope(".", "library", "config")],
                                                 [("SEC001", ".", "not_applicable"), ("SEC002", ".", "waived")])])
    out = tmp_path / "org.json"
    assert merge(*paths, "--format", "json", "--output", str(out)).exit_code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert (document["repos"][0]["level"], document["repos"][0]["score"]) == (None, None)
    assert document["summary"]["levels"] == {"0": 0, "1": 0, "2": 0, "3": 0} and document["summary"]["no_level"] == 1


def test_markdown_summary_shows_kind_labels_and_medians(tmp_path: Path) -> None:
    out = tmp_path / "s.md"
    assert merge(*_org(tmp_path), "--format", "markdown", "--output", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "| Kind | Repositories | Mean score | Median score |" in text
    assert "| acme/mono | team | mixed (service 2, library 1) | ok |" in text
    assert "| documentation | 1 | – | – |" in text


def test_csv_has_repository_kind_its_source_and_each_lines_scope_kind(tmp_path: Path) -> None:
    out = tmp_path / "org.csv"
    assert merge(*_org(tmp_path), "--format", "csv", "--output", str(out)).exit_code == 0
    lines = list(csv.DictReader(out.open(encoding="utf-8")))
    mono = {(line["rule_id"], line["scope"]): line for line in lines if line["repository"] == "acme/mono"}
    assert {(k, v["kind"], v["kind_source"], v["scope_kind"]) for k, v in mono.items()} == {
        (("SEC001", "."), "mixed", "scopes", "mixed"), (("PERF001", "services/a"), "mixed", "scopes", "service"),
        (("PERF001", "libs/util"), "mixed", "scopes", "library")}
    lib = next(line for line in lines if line["repository"] == "acme/lib")
    assert (lib["kind"], lib["kind_source"], lib["scope_kind"]) == ("library", "inferred", "library")


def test_history_keeps_repository_and_scope_kinds(tmp_path: Path) -> None:
    db_path = tmp_path / "audits.db"
    assert merge(*_org(tmp_path), "--format", "json", "--output", str(tmp_path / "o.json"),
                 "--history", str(db_path)).exit_code == 0
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT kind, kind_source FROM repository_runs JOIN repositories USING (repo_key) "
                      "WHERE name = 'acme/mono'").fetchone() == ("mixed", "scopes")
    assert sorted(db.execute("SELECT scope, kind, scope_kind FROM result_rows WHERE repository_name = 'acme/mono'")) == [
        (".", "mixed", "mixed"), ("libs/util", "mixed", "library"), ("services/a", "mixed", "service")]
    assert db.execute("SELECT level, score FROM repository_runs JOIN repositories USING (repo_key) "
                      "WHERE name = 'acme/empty'").fetchone() == (None, None)


def test_a_version_1_history_is_migrated_and_keeps_its_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "h.db"
    with monkeypatch.context() as patch:  # a file an earlier version wrote, as it wrote it
        patch.setattr(store, "MIGRATIONS", store.MIGRATIONS[:1])
        patch.setattr(store, "SCHEMA_VERSION", 1)
        with History(path) as db:
            for sql in ("INSERT INTO runs VALUES (1, '2026-01-01T00:00:00+00:00', '0', 1, 1, 0, 50, 0, 1.0, 'audit')",
                        "INSERT INTO repositories VALUES (1, 'h/o/r', 'o/r')",
                        "INSERT INTO repository_runs VALUES (1, 1, 'ok', NULL, NULL, NULL, 'service', NULL, 1, 50)",
                        "INSERT INTO results VALUES (1, 1, 'SEC001', '.', 'pass', 'error')"):
                db.db.execute(sql)
            assert db.version() == 1
    with History(path) as db:
        assert db.version() == 2
        assert db.db.execute("SELECT kind, scope_kind, status FROM result_rows").fetchall() == [("service", "service", "pass")]
        assert db.db.execute("SELECT kind_source FROM repository_runs").fetchall() == [(None,)]


def test_no_score_sorts_after_scored_repositories_and_prints_a_dash() -> None:
    scored = {"status": "ok", "level": 0, "score": 10}
    unscored = {"status": "ok", "level": None, "score": None}
    assert sorted([unscored, scored], key=worst_key)[0] is scored
    stream = io.StringIO()
    progress = Progress(1, stream=stream, tty=False)
    progress.update({"name": "acme/empty", "status": "ok", "score": None, "level": None}, 0.5)
    assert "acme/empty: ok     score – level –" in stream.getvalue()


def test_human_times() -> None:
    assert human_time("2026-12-06T14:03:27.123456+00:00") == "6 Dec 2026 14:03 UTC"
    assert human_time("2026-12-06T15:03:00+01:00") == "6 Dec 2026 14:03 UTC"
    assert human_time("2026-01-09T08:00:00") == "9 Jan 2026 08:00 UTC"  # naive: the audit clock's UTC
    assert human_time("yesterday") is None and human_time(None) is None


def test_repositories_that_could_not_be_audited_are_their_own_group_not_unknown() -> None:
    """An error row was never read, so it is not of kind ``unknown`` (read, nothing said what
    it is): the per-kind rollup groups it as ``not audited``. Near misses: an audited row with
    no kind is ``unknown``; an error row that does carry a kind keeps it."""
    from linter.audit.aggregate import OrgSummary

    summary = OrgSummary()
    summary.add({"id": "a", "name": "a", "status": "error", "error": "clone failed"})
    summary.add({"id": "b", "name": "b", "status": "ok", "score": 50, "level": 1, "results": []})
    summary.add({"id": "c", "name": "c", "status": "error", "error": "timed out", "kind": "library"})
    groups = {g["kind"]: (g["repos"], g["errors"]) for g in summary.as_dict()["by_kind"]}
    assert groups == {"not audited": (1, 1), "unknown": (1, 0), "library": (1, 1)}
    from linter.audit.rows import kind_label

    assert kind_label({"status": "error"}) == "not audited" and kind_label({"status": "ok"}) == "unknown"


def test_error_rows_as_the_audit_writes_them_are_not_audited_in_every_output(tmp_path: Path) -> None:
    """``error_row`` fills in ``kind: unknown`` (from ``repository_kind([])``), and the rollups,
    the CSV and the history counted a missing path or a failed clone as a repository read and
    left unexplained: the org audit of real checkouts showed ``unknown | 12 (2 not audited)``.
    Near misses: an audited ``unknown`` row stays ``unknown``; an error row carrying a real kind
    keeps it."""
    import csv
    import io

    from linter.audit.aggregate import OrgSummary
    from linter.audit.csvout import write_csv
    from linter.audit.rows import error_row, kind_group

    broken = error_row(identity="/src/gone", name="gone", source="/src/gone", slug="gone", reason="no such directory")
    assert broken["kind"] == "unknown" and kind_group(broken) == "not audited"
    assert kind_group({"status": "ok", "kind": "unknown"}) == "unknown"
    assert kind_group({**broken, "kind": "library"}) == "library"
    summary = OrgSummary()
    summary.add(broken)
    summary.add({"id": "b", "name": "b", "status": "ok", "kind": "unknown", "score": 50, "level": 1, "results": []})
    groups = {g["kind"]: (g["repos"], g["errors"]) for g in summary.as_dict()["by_kind"]}
    assert groups == {"not audited": (1, 1), "unknown": (1, 0)}
    out = io.StringIO()
    write_csv(out, [broken], tmp_path)
    (line,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert line["kind"] == "not audited" and line["repository_status"] == "error"
    from linter.audit.store import History

    with History(tmp_path / "audits.db") as db:
        db.record({"started_at": "2026-12-07T00:00:00+00:00"}, summary.as_dict(), [broken], source="test")
        (exported,) = list(db.export("repositories", [r["run_id"] for r in db.runs()]))
    assert exported["kind"] == "not audited"
