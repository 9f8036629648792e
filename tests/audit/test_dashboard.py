"""The dashboard and Markdown summary answer a VP's questions: worst first, rollups per team and
kind, per-rule pass rates with denominators, readable times; and they stay bounded at scale."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from linter.audit.aggregate import OrgSummary, rule_outcome
from linter.audit.dashboard import PALETTE, STATIC_ROWS, render, trend_chart
from linter.audit.document import RowSpool
from linter.audit.mdout import MAX_BYTES, write_markdown
from tests.audit.support import merge, synthetic_row


#: the reports' own ladder levels (what `check` writes), independent of the packaged catalog
LADDER = {"SEC001": 1, "SEC002": 2, "PERF001": 2, "ORG001": 3}


def check_report(name: str, results: list[tuple[str, str]], owner: str, kind: str | None = None) -> dict[str, Any]:
    cats = {"SEC001": "security", "SEC002": "security", "PERF001": "performance", "ORG001": "teams"}
    scope = {"path": ".", "name": name, "source": "default", "score": 0, "level": 0}
    if kind:
        scope["kind"] = kind
    return {"schema_version": 1, "tool": {"name": "practicelint", "version": "0"},
            "target": {"path": f"/src/{name}", "name": name, "commit": "c0ffee"}, "summary": {}, "scopes": [scope],
            "results": [{"rule_id": r, "name": r.lower(), "practice_id": r.lower(), "category": cats[r],
                         "severity": "error" if r.startswith("SEC") else "warning", "scope": ".", "status": s,
                         "message": "", "evidence": [], "remediation": "", "level": LADDER[r]} for r, s in results],
            "notes": [], "audit": {"id": f"github.com/acme/{name}", "name": f"acme/{name}", "owners": [owner],
                                   "owner_source": "backstage", "audited_at": "2026-11-27T10:00:00+00:00"}}


def _write(tmp_path: Path, reports: list[dict[str, Any]]) -> list[str]:
    paths = []
    for report in reports:
        path = tmp_path / f"{report['target']['name']}.json"
        path.write_text(json.dumps(report), encoding="utf-8")
        paths.append(str(path))
    return paths


def _org(tmp_path: Path) -> list[str]:
    return _write(tmp_path, [
        check_report("best", [("SEC001", "pass"), ("SEC002", "pass"), ("PERF001", "pass")], "payments", "service"),
        check_report("worst", [("SEC001", "fail"), ("SEC002", "fail"), ("PERF001", "fail")], "payments", "service"),
        check_report("middle", [("SEC001", "pass"), ("SEC002", "fail"), ("PERF001", "not_applicable")], "search",
                     "library"),
        check_report("waived", [("SEC001", "waived"), ("SEC002", "pass"), ("PERF001", "error")], "search"),
    ])


def test_json_summary_has_team_and_kind_rollups_and_rule_pass_rates(tmp_path: Path) -> None:
    out = tmp_path / "org.json"
    assert merge(*_org(tmp_path), "--format", "json", "--output", str(out)).exit_code == 0
    summary = json.loads(out.read_text(encoding="utf-8"))["summary"]
    assert [(g["team"], g["repos"], g["mean_score"], g["levels"]) for g in summary["by_team"]] == [
        # lowest mean score first; "best" passes levels 1 and 2, and no rule of level 3 was
        # judged in it, so it is at level 2, not 3 (docs/levels.md)
        ("payments", 2, 50.0, {"0": 1, "1": 0, "2": 1, "3": 0}),
        # levels from the reports' ladder: SEC001 is level 1, SEC002 and PERF001 level 2
        # "waived" waives its only level-1 rule (a waiver proves nothing) and errs at level 2: level 0
        ("search", 2, 56.0, {"0": 1, "1": 1, "2": 0, "3": 0})]
    assert summary["by_team"][1]["top_failing_rules"] == [{"rule_id": "PERF001", "repos": 1},
                                                          {"rule_id": "SEC002", "repos": 1}]
    kinds = {g["kind"]: g["repos"] for g in summary["by_kind"]}
    assert kinds == {"service": 2, "library": 1, "unknown": 1}  # scopes[].kind of '.', else unknown
    rules = {r["rule_id"]: r for r in summary["rules"]}
    assert (rules["SEC001"]["pass"], rules["SEC001"]["fail"], rules["SEC001"]["waived"],
            rules["SEC001"]["denominator"], rules["SEC001"]["pass_rate"]) == (2, 1, 1, 3, 66.7)
    assert (rules["PERF001"]["pass"], rules["PERF001"]["fail"], rules["PERF001"]["not_applicable"],
            rules["PERF001"]["denominator"]) == (1, 2, 1, 3)  # error counts as failing
    assert [r["rule_id"] for r in summary["rules"]] == ["PERF001", "SEC002", "SEC001"]  # lowest rate first


def test_rule_outcome_per_repository() -> None:
    assert rule_outcome(["pass", "fail"]) == "fail"
    assert rule_outcome(["pass", "not_applicable"]) == "pass"
    assert rule_outcome(["waived", "not_applicable"]) == "waived"
    assert rule_outcome(["not_applicable"]) == "not_applicable"
    assert rule_outcome(["error"]) == "fail"
    # not evaluated (no history in a shallow clone): neither a pass nor a failure
    assert rule_outcome(["skipped", "not_applicable"]) == "skipped"
    assert rule_outcome(["skipped", "pass"]) == "pass" and rule_outcome(["skipped", "fail"]) == "fail"


def test_skipped_results_count_apart_and_score_nothing() -> None:
    from linter.audit.rows import row_from_report

    item = {"rule_id": "DEL002", "name": "small-changes", "category": "delivery", "severity": "warning",
            "scope": ".", "rule_scope": "repo"}
    data = {"results": [{**item, "status": "skipped"}, {**item, "rule_id": "DEL001", "status": "pass"}],
            "summary": {}}
    row = row_from_report(data, identity="r", name="r", source="s", slug="r")
    assert row["counts"]["skipped"] == 1 and row["counts"]["error"] == 0
    assert row["categories"] == {"delivery": 100} and row["failing"] == []
    only = row_from_report({"results": [{**item, "status": "skipped"}]}, identity="r", name="r", source="s", slug="r")
    assert only["categories"] == {"delivery": None}  # nothing was judged there


def test_dashboard_puts_the_worst_first_names_rules_and_reads_like_a_report(tmp_path: Path) -> None:
    page_path = tmp_path / "d.html"
    assert merge(*_org(tmp_path), "--format", "html", "--output", str(page_path)).exit_code == 0
    page = page_path.read_text(encoding="utf-8")
    table = page[page.index('id="repo-table"'):page.index("</table>", page.index('id="repo-table"'))]
    order = re.findall(r'class="repo">.*?acme/<wbr>(\w+)', table)
    assert order[0] == "worst" and order[-1] == "best"
    assert "Audit started 27 Nov 2026 10:00 UTC" in page and "2026-11-27T10:00" not in page.split("<script")[0]
    assert 'id="team-table"' in page and 'id="kind-table"' in page and 'id="rule-table"' in page
    assert re.search(r"SEC001 sec001</th><td>security</td><td class=\"num\">2 / 3</td>", page)
    assert 'id="failing-rules"' in page and "PERF001 perf001" in page  # the rule, not only the practice
    assert "overflow-wrap:anywhere; }" not in page.split("</style>")[0].split("body {")[1].split("}")[0]
    assert ".wide { max-width:none; }" in page


def test_trend_lines_differ_in_colour_or_dash_and_have_markers() -> None:
    from datetime import datetime, timedelta, timezone

    cats = ["performance", "reliability", "cost", "architecture", "security", "delivery", "teams",
            "working-backwards", "narratives", "operations"]
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    points = [(start + timedelta(days=7 * i), {"categories": {c: {"mean": 10 * i + j} for j, c in enumerate(cats)}})
              for i in range(3)]
    chart = trend_chart(points)
    assert chart is not None
    styles = {(line["color"], line["dash"]) for line in chart["lines"]}
    assert len(styles) == len(cats) and {line["color"] for line in chart["lines"]} <= set(PALETTE)
    assert all(len(line["coords"]) == 3 and line["marker"] for line in chart["lines"])


def _publish_rows(rows: list[dict[str, Any]], tmp_path: Path) -> tuple[RowSpool, OrgSummary]:
    spool = RowSpool(tmp_path / "rows.jsonl")
    summary = OrgSummary()
    for row in rows:
        spool.put(row)
        summary.add(row)
    return spool, summary


def test_large_orgs_get_a_bounded_static_table_and_every_row_in_the_data_block(tmp_path: Path) -> None:
    hostile = "</script><script>alert(1)</script>##[error]x"
    rows = [synthetic_row(i) for i in range(STATIC_ROWS + 100)] + [synthetic_row(99999, name=hostile)]
    spool, summary = _publish_rows(rows, tmp_path)
    out = io.StringIO()
    render(out, header={"started_at": "2026-11-27T10:00:00+00:00"}, summary=summary.as_dict(),
           rows=spool.rows(order="worst"))
    page = out.getvalue()
    static = page[page.index("<tbody>", page.index('id="repo-table"')):page.index("</tbody>", page.index('id="repo-table"'))]
    assert static.count("<tr ") == STATIC_ROWS
    assert f"The {STATIC_ROWS} worst of {len(rows)} repositories are listed" in page
    data = page[page.index('<script type="application/json" id="repo-data">') + 47:]
    data = data[:data.index("</script>")]
    parsed = json.loads(data)
    assert len(parsed["rows"]) == len(rows)
    assert "<" not in data and "##[" not in data  # nothing can close the element or issue a log command
    assert any(r[0] == hostile for r in parsed["rows"])  # ... and the value is intact for the script
    assert "<script>alert(1)" not in page


def test_markdown_summary_fits_githubs_step_summary_at_50000_repositories(tmp_path: Path) -> None:
    long_name = "org/" + "x|[a](http://e)" * 30
    rows = [synthetic_row(i, name=long_name + str(i) if i % 2 else None, teams=3000) for i in range(50_000)]
    spool, summary = _publish_rows(rows, tmp_path)
    out = io.StringIO()
    write_markdown(out, {"started_at": "2026-11-27T10:00:00+00:00"}, summary.as_dict(), spool.rows(order="worst"),
                   top=100_000, report_url="https://ci.example/acme/audit/dashboard.html")
    text = out.getvalue()
    assert len(text.encode("utf-8")) <= MAX_BYTES < 1024 * 1024
    assert "more repositories are in the [full report](https://ci.example/acme/audit/dashboard.html)" in text
    assert "Full report: [" in text
    assert re.search(r"(?<!\\)\]\(http://e\)", text) is None  # repository text never becomes a link
    assert "## By team" in text and "## Rules with the lowest pass rates" in text
    small = io.StringIO()
    write_markdown(small, {}, summary.as_dict(), spool.rows(order="worst"), top=10,
                   report_url="javascript:alert(1)")
    assert "javascript:" not in small.getvalue() and "9990 more repositories" in small.getvalue()
    assert small.getvalue().count("\n| org") <= 10 + 20  # top 10 repositories (+ team rows named org...)


def test_csv_has_commit_date_and_kind_columns(tmp_path: Path) -> None:
    out = tmp_path / "org.csv"
    assert merge(*_org(tmp_path), "--format", "csv", "--output", str(out)).exit_code == 0
    lines = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {(l["repository"], l["commit"], l["audited_at"], l["kind"]) for l in lines} >= {
        ("acme/best", "c0ffee", "2026-11-27T10:00:00+00:00", "service"),
        ("acme/waived", "c0ffee", "2026-11-27T10:00:00+00:00", "unknown")}


def _waived_row(i: int, waivers: list[dict[str, Any]]) -> dict[str, Any]:
    return {**synthetic_row(i), "waivers": waivers}


def test_waivers_are_listed_expired_first_then_soonest_and_a_capped_list_keeps_the_most_urgent(
        tmp_path: Path, monkeypatch: Any) -> None:
    """The list was sorted by repository name and kept the first 1,000 waivers to arrive: at scale
    an expired waiver could be left out while ones expiring next year were listed."""
    from linter.audit import aggregate

    monkeypatch.setattr(aggregate, "MAX_WAIVERS", 3)
    rows = [_waived_row(i, [{"rule": "SEC001", "state": "active", "expires": f"2027-0{1 + i % 9}-01"}]) for i in range(8)]
    rows += [_waived_row(50, [{"rule": "SEC004", "state": "stale", "expires": "2026-01-01"},
                              {"rule": "SEC002", "state": "active", "expires": None}]),
             _waived_row(51, [{"rule": "SEC001", "state": "expired", "expires": "2026-11-01"}])]
    summary = OrgSummary()
    for row in rows:
        summary.add(row)
    listed = summary.as_dict()["waiver_list"]
    assert [(w["state"], w["expires"]) for w in listed] == [("expired", "2026-11-01"), ("active", "2027-01-01"),
                                                            ("active", "2027-02-01")]
    assert summary.as_dict()["waivers"] == {"active": 9, "expired": 1, "stale": 1, "expiring": 0}  # no start: none due


def test_expiring_waivers_are_counted_whole_and_marked_in_every_output(tmp_path: Path, monkeypatch: Any) -> None:
    """The summary listed waivers expiring within 30 days, but the dashboard and the JSON only said
    "active / expired": a waiver lapsing next week looked like one lapsing next year. The count
    covers every waiver, not only the capped list. Near misses: one due on day 31, one without a
    date and a stale one are not expiring."""
    from linter.audit import aggregate

    monkeypatch.setattr(aggregate, "MAX_WAIVERS", 2)
    rows = [_waived_row(i, [{"rule": "SEC001", "state": "active", "expires": "2026-12-1" + str(i)}]) for i in range(5)]
    rows += [_waived_row(10, [{"rule": "SEC002", "state": "active", "expires": "2027-01-06"},
                              {"rule": "SEC003", "state": "active", "expires": "2027-01-05"},
                              {"rule": "SEC004", "state": "active", "expires": None},
                              {"rule": "SEC005", "state": "stale", "expires": "2026-12-10"}])]
    spool, summary = _publish_rows(rows, tmp_path)
    started = "2026-12-06T10:00:00+00:00"
    data = summary.as_dict(started_at=started)
    assert data["waivers"] == {"active": 8, "expired": 0, "stale": 1, "expiring": 6}
    out = io.StringIO()
    render(out, header={"started_at": started}, summary=data, rows=spool.rows(order="worst"))
    page = out.getvalue()
    assert "(6 expiring within 30 days)" in page
    assert page.count("<strong>active, expiring soon</strong>") == 2  # the two listed
    text = io.StringIO()
    write_markdown(text, {"started_at": started}, data, spool.rows(order="worst"))
    assert "Waivers: 8 active (6 expiring within 30 days), 0 expired, 1 stale." in text.getvalue()


def test_repositories_that_could_not_be_audited_are_named_apart_in_every_output(tmp_path: Path,
                                                                                monkeypatch: Any) -> None:
    """Unauditable repositories sort last, so past the Markdown summary's 50 worst and the
    dashboard's first pages they were only a count: a lead could not see which to fix without
    reading the CSV. Now the summary JSON, the dashboard and the Markdown name them with their
    errors (capped, the rest counted); audited repositories are not listed there."""
    from linter.audit import aggregate
    from linter.audit.rows import error_row

    monkeypatch.setattr(aggregate, "MAX_ERRORS", 3)
    rows = [synthetic_row(i) for i in range(60)]
    rows += [error_row(identity=f"/src/broken-{i}", name=f"broken-{i}", source=f"/src/broken-{i}", slug=f"b{i}",
                       reason=f"clone failed: <b>{i}</b> | [x](javascript:alert(1))") for i in range(5)]
    spool, summary = _publish_rows(rows, tmp_path)
    data = summary.as_dict(started_at="2026-12-06T10:00:00+00:00")
    assert [e["repo"] for e in data["error_list"]] == ["broken-0", "broken-1", "broken-2"]
    page = _render(summary, spool)
    section = page[page.index('id="errors"'):page.index('id="teams-h"')]
    assert "Could not be audited (5)" in section and "The first 3 by name are listed" in section
    assert "clone failed: &lt;b&gt;0&lt;/b&gt;" in section and "<b>0</b>" not in section
    assert "org" not in section  # no audited repository
    text = io.StringIO()
    write_markdown(text, {"started_at": "2026-12-06T10:00:00+00:00"}, data, spool.rows(order="worst"), top=10)
    md_text = text.getvalue()
    part = md_text[md_text.index("## Could not be audited (5)"):md_text.index("## By team")]
    assert "| broken-0 | – | clone failed: \\<b\\>0\\</b\\> \\| \\[x\\](javascript:alert(1)) |" in part, part
    assert "2 more in the full report." in part
    healthy = _render(*reversed(_publish_rows([synthetic_row(i) for i in range(3)], tmp_path / "h")))
    assert 'id="errors"' not in healthy


def test_markdown_lists_expired_and_soon_expiring_waivers_with_their_repositories(tmp_path: Path) -> None:
    rows = [_waived_row(1, [{"rule": "SEC001", "state": "expired", "expires": "2026-11-01", "owner": "ana@x.example"}]),
            _waived_row(2, [{"rule": "SEC004", "state": "active", "expires": "2026-12-20", "scope": "svc/a"}]),
            _waived_row(3, [{"rule": "SEC002", "state": "active", "expires": "2027-06-30"}])]
    spool, summary = _publish_rows(rows, tmp_path)
    out = io.StringIO()
    write_markdown(out, {"started_at": "2026-12-06T10:00:00+00:00"}, summary.as_dict(), spool.rows(order="worst"))
    text = out.getvalue()
    section = text[text.index("## Waivers expired or expiring within 30 days"):text.index("## Repositories, worst first")]
    assert "| org1/repo-1 | SEC001 | expired | ana@&#8203;x.example | 2026-11-01 |" in section  # no mention
    assert "| org2/repo-2 | SEC004 \\[svc/a\\] | active | – | 2026-12-20 |" in section
    assert "SEC002" not in section  # half a year away: counted above, not listed
    quiet = io.StringIO()
    spool2, summary2 = _publish_rows([_waived_row(3, rows[2]["waivers"])], tmp_path / "q")
    write_markdown(quiet, {"started_at": "2026-12-06T10:00:00+00:00"}, summary2.as_dict(), spool2.rows(order="worst"))
    assert "## Waivers" not in quiet.getvalue()


def _render(summary: OrgSummary, spool: RowSpool, trends: Any = None, regressions: Any = None) -> str:
    out = io.StringIO()
    render(out, header={"started_at": "2026-12-06T10:00:00+00:00"}, summary=summary.as_dict(),
           rows=spool.rows(order="worst"), trends=trends, regressions=regressions)
    return out.getvalue()


def test_level_bars_are_drawn_in_their_levels_colours(tmp_path: Path) -> None:
    """``.bar span`` (the pass-rate bars' accent) outranked ``.l0``..``.l3``: every bar of the level
    distribution was drawn in the same blue while the team and kind rollups used the level colours."""
    page = _render(*reversed(_publish_rows([synthetic_row(i) for i in range(6)], tmp_path)))
    css = page[page.index("<style>"):page.index("</style>")]
    for level in ("0", "1", "2", "3", "none"):
        assert re.search(rf"\.bar \.l{level}\b[^{{]*\{{ background:", css), level
    assert '<span class="bar" aria-hidden="true"><span class="l' in page


def test_trend_dates_at_the_edges_are_anchored_inside_the_chart(tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    start = datetime(2026, 12, 6, 10, tzinfo=timezone.utc)
    points = [(start + timedelta(days=7 * i), {"categories": {"security": {"mean": 10.0 * i}}}) for i in range(3)]
    chart = trend_chart(points)
    assert chart is not None
    assert [x["anchor"] for x in chart["x_labels"]] == ["start", "middle", "end"]
    page = _render(*reversed(_publish_rows([synthetic_row(1)], tmp_path)), trends=points)
    assert 'text-anchor="end">20 Dec</text>' in page and 'text-anchor="start">6 Dec</text>' in page


def test_the_heatmap_fits_a_laptop_screen_and_every_table_prints_on_the_page(tmp_path: Path) -> None:
    """Written across, ten category names took about 1,100px: at 1,400px the failing and waiver
    counts were off-screen, and printed (a scrolling box prints cut) a portrait page lost the
    heatmap's right half. Category headers read upwards; print is landscape, in smaller type,
    without scrolling boxes. ``test_dashboard_browser`` measures the widths in Chromium."""
    page = _render(*reversed(_publish_rows([synthetic_row(i) for i in range(3)], tmp_path)))
    heads = re.findall(r'<th scope="col" data-key="cat\d+"[^>]*>', page)
    assert len(heads) == 4 and all('class="num cat"' in h for h in heads)
    css = page[page.index("<style>"):page.index("</style>")]
    assert re.search(r"#repo-table th\.cat \{[^}]*writing-mode:vertical-rl", css)
    assert "@page { size:A4 landscape;" in css
    printed = css[css.index("@media print"):]
    assert re.search(r"\.scroll \{ overflow:visible; \}", printed)


def test_markdown_rollups_say_how_many_repositories_could_not_be_audited(tmp_path: Path) -> None:
    """Error rows count in their team but have no level: the row read ``team-0 | 9 | ... | 4 |
    0 | 0 | 0`` with nothing saying where the other five were; the dashboard already said ``(5
    not audited)``. By kind they are their own ``not audited`` group, never ``unknown`` (the
    ``unknown`` that ``error_row`` fills in counted them there)."""
    from linter.audit.rows import error_row

    rows = [synthetic_row(i, kinds=("unknown",), teams=1) for i in range(4)]
    rows += [{**error_row(identity=f"/src/broken-{i}", name=f"broken-{i}", source=f"/src/broken-{i}",
                          slug=f"broken-{i}", reason="broken git directory", audited_at=None), "owner": "team-0"}
             for i in range(5)]
    spool, summary = _publish_rows(rows, tmp_path)
    out = io.StringIO()
    write_markdown(out, {"started_at": "2026-12-06T10:00:00+00:00"}, summary.as_dict(), spool.rows(order="worst"))
    text = out.getvalue()
    assert re.search(r"^\| unknown \| 4 \|", text, re.M)
    assert re.search(r"^\| not audited \| 5 \(5 not audited\) \|", text, re.M)
    assert re.search(r"^\| team-0 \| 9 \(5 not audited\) \|", text, re.M)


def test_markdown_tables_have_a_delimiter_cell_per_header_cell_when_nothing_was_audited(tmp_path: Path) -> None:
    """With no category (every repository an error row) the repository table's header ended in an
    empty extra cell, one more than its delimiter row: GitHub then shows no table at all."""
    from linter.audit.rows import error_row

    rows = [error_row(identity=f"/src/broken-{i}", name=f"broken-{i}", source=f"/src/broken-{i}",
                      slug=f"broken-{i}", reason="broken git directory", audited_at=None) for i in range(2)]
    spool, summary = _publish_rows(rows, tmp_path)
    out = io.StringIO()
    write_markdown(out, {"started_at": "2026-12-06T10:00:00+00:00"}, summary.as_dict(), spool.rows(order="worst"))
    lines = out.getvalue().splitlines()
    tables = [(lines[i], lines[i + 1]) for i in range(len(lines) - 1) if re.fullmatch(r"\|(---\|)+", lines[i + 1])]
    assert any(head.startswith("| Repository |") for head, _ in tables)
    for head, rule in tables:
        assert len(re.findall(r"(?<!\\)\|", head)) == rule.count("|"), (head, rule)


def test_where_to_act_ranks_the_rules_that_alone_hold_repositories_back(tmp_path: Path) -> None:
    """A lead asks which fix lifts the most repositories a level. A rule that alone stands in
    front of a repository's next level lifts it when fixed; one among several does not yet."""
    from linter.audit.rows import row_from_report

    def row(name: str, blockers: list[str] | None, results: list[tuple[str, str]]) -> dict[str, Any]:
        report = check_report(name, results, "payments", "service")
        if blockers is not None:  # the report's own next step; else recomputed from the results
            report["summary"] = {"level": 0, "next_level": 1,
                                 "next_level_blockers": [{"rule_id": b, "scope": ".", "status": "fail"} for b in blockers]}
        return row_from_report(report, identity=name, name=name, source=name, slug=name)

    rows = [row("a", ["SEC001"], [("SEC001", "fail")]), row("b", ["SEC001"], [("SEC001", "fail")]),
            row("c", ["SEC001", "SEC002"], [("SEC001", "fail"), ("SEC002", "fail")]),
            row("d", ["SEC002"], [("SEC002", "fail")]),
            row("e", None, [("SEC001", "pass"), ("SEC002", "fail"), ("PERF001", "fail")]),
            row("<img src=x>", [], [("SEC001", "pass")])]
    assert rows[4]["next_level"] == 2 and rows[4]["blockers"] == ["PERF001", "SEC002"]  # from the results
    assert rows[5]["blockers"] == []
    spool, summary = _publish_rows(rows, tmp_path)
    where = summary.as_dict()["where_to_act"]
    assert [(r["rule_id"], r["alone"], r["blocked"]) for r in where] == [
        ("SEC001", 2, 3), ("SEC002", 1, 3), ("PERF001", 0, 1)]
    page = _render(summary, spool)
    section = page[page.index('id="act-h"'):page.index('id="failrules-h"')]
    assert re.search(r"SEC001 sec001</th><td class=\"num\">2</td><td class=\"num\">3</td>", section), section
    text = io.StringIO()
    write_markdown(text, {"started_at": "2026-12-06T10:00:00+00:00"}, summary.as_dict(), spool.rows(order="worst"), top=10)
    assert "| SEC001 sec001 | 2 | 3 |" in text.getvalue()
    nothing = _render(*reversed(_publish_rows([row("ok", [], [("SEC001", "pass")])], tmp_path / "ok")))
    assert "No rule stands in front of any audited repository" in nothing


def test_thousands_of_regressions_are_capped_on_the_page_and_counted(tmp_path: Path, monkeypatch: Any) -> None:
    from linter.audit import dashboard

    monkeypatch.setattr(dashboard, "MAX_REGRESSIONS", 3)
    spool, summary = _publish_rows([synthetic_row(i) for i in range(3)], tmp_path)
    regressions = [{"name": f"org/r{i}", "owner": None, "reasons": ["level 2 -> 1"], "new_failures": []}
                   for i in range(5)]
    page = _render(summary, spool, regressions=regressions)
    listed = page[page.index('<ul id="regressions">'):]
    assert listed.count("<li><strong>org/r") == 3 and "And 2 more repositories" in listed
    assert "And " not in _render(summary, spool, regressions=regressions[:3]).split('<ul id="regressions">')[1][:2000]
