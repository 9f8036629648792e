"""What the HTML report shows, computed from a ``Report`` so the template stays declarative
(``build_context``): views of the results, the categories, the services table (worst first),
the result groups (by category for one scope; repository-wide, then one folded group per
service for a monorepo), the blockers grouped by rule, the rules appendix and the record.

Values here are plain data; escaping happens when the template renders them
(``linter.reporters.html.visible``).
"""

from __future__ import annotations

import math
import re
from typing import Any

from linter.catalog import Catalog
from linter.fast_dataclass import dataclass, field
from linter.record import docs_link
from linter.reporters.facts import baseline_counts, group_by_rule, kind_text, waivers_text
from linter.reporters.json_report import summary
from linter.results import CATEGORIES, Report, Result, Severity, Status
from linter.scoring import MAX_LEVEL, level_text, maturity, repository_maturity, scope_maturities, score_text

STATUS_ORDER = (Status.FAIL, Status.ERROR, Status.WAIVED, Status.SKIPPED, Status.NOT_APPLICABLE, Status.PASS)
STATUS_LABELS = {Status.PASS: "Pass", Status.FAIL: "Fail", Status.ERROR: "Error",
                 Status.NOT_APPLICABLE: "Not applicable", Status.WAIVED: "Waived", Status.SKIPPED: "Skipped"}
#: what each level of the ladder means (docs/levels.md)
LEVEL_MEANING = {
    1: "tests run on every change and there is a way to report vulnerabilities",
    2: "dependency updates and static analysis are automated too",
    3: "every rule that applies to this kind passes",
}
MAX_EVIDENCE = 25
MAX_NOTES = 500
RING_RADIUS = 52
_HEX = re.compile(r"[0-9a-f]{7,64}")


@dataclass
class EvidenceView:
    location: str
    detail: str


@dataclass
class ResultView:
    anchor: str
    rule_id: str
    name: str
    status: str
    status_label: str
    severity: str
    category: str
    scope: str
    message: str
    evidence: list[EvidenceView]
    more_evidence: int
    remediation: str
    rule_anchor: str
    docs_link: str | None
    waiver: dict[str, str | None] | None
    failing: bool


@dataclass
class CategoryView:
    name: str
    score: str
    total: int
    counts: dict[str, int]
    segments: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class GroupView:
    """A block of result cards: a category (one-scope repositories), or the repository-wide
    results and then one collapsed ``<details>`` per service (monorepos)."""

    anchor: str
    title: str
    subtitle: str
    results: list[ResultView]
    collapsed: bool = False
    path: str = ""
    failing: int = 0


def _category_names(report: Report) -> list[str]:
    present = {r.category for r in report.results}
    return [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))


def _waiver(result: Result) -> dict[str, str | None] | None:
    """Waiver details when the result carries them (issue 6 adds ``result.waiver``)."""
    if result.status is not Status.WAIVED:
        return None
    waiver = getattr(result, "waiver", None)
    return {
        "reason": getattr(waiver, "reason", None),
        "owner": getattr(waiver, "owner", None),
        "expires": str(getattr(waiver, "expires", None) or "") or None,
    }


def rule_anchor(rule_id: str) -> str:
    """The id of a rule's explanation in the page (``rule-PERF001``)."""
    return "rule-" + re.sub(r"[^A-Za-z0-9_-]", lambda m: f"_{ord(m.group()):x}", rule_id)


def _docs_link(report: Report, rule_id: str, name: str) -> str | None:
    return docs_link(report.record.docs_url if report.record is not None else None, rule_id, name)


def _result_view(index: int, result: Result, report: Report) -> ResultView:
    return ResultView(
        anchor=f"result-{index}",
        rule_id=result.rule_id,
        name=result.name,
        status=result.status.value,
        status_label=STATUS_LABELS[result.status],
        severity=result.severity.value,
        category=result.category,
        scope="repository" if result.scope in ("", ".") else result.scope,
        message=result.message,
        evidence=[EvidenceView(ev.location(), ev.detail) for ev in result.evidence[:MAX_EVIDENCE]],
        more_evidence=max(len(result.evidence) - MAX_EVIDENCE, 0),
        remediation=result.remediation,
        rule_anchor=rule_anchor(result.rule_id),
        docs_link=_docs_link(report, result.rule_id, result.name),
        waiver=_waiver(result),
        failing=result.status in (Status.FAIL, Status.ERROR),
    )


def _segments(counts: dict[str, int], total: int, width: float) -> list[dict[str, Any]]:
    """Stacked-bar segments (x, width) for the per-category chart, problems first."""
    out, x = [], 0.0
    for status in STATUS_ORDER:
        n = counts[status.value]
        if not n or not total:
            continue
        w = width * n / total
        out.append({"status": status.value, "label": STATUS_LABELS[status], "count": n,
                    "x": f"{x:.2f}", "width": f"{w:.2f}"})
        x += w
    return out


def _categories(report: Report) -> list[CategoryView]:
    out = []
    for name in _category_names(report):
        group = [r for r in report.results if r.category == name]
        counts = {s.value: sum(r.status is s for r in group) for s in Status}
        view = CategoryView(name=name, score=score_text(maturity(group, name).score), total=len(group),
                            counts=counts)
        view.segments = _segments(counts, len(group), 300.0)
        out.append(view)
    return out


_ORDER = {status.value: i for i, status in enumerate(STATUS_ORDER)}


def _by_status(views: list[ResultView]) -> list[ResultView]:
    return sorted(views, key=lambda v: _ORDER[v.status])


def _groups(report: Report, views: list[ResultView], scopes: list[dict[str, Any]]) -> list[GroupView]:
    """Result cards by category for a one-scope repository; for a monorepo the repository-wide
    results first, then each service's results collapsed (its row in the services table links
    to it), so the page stays short at fifty services."""
    if not scopes:
        return [GroupView(anchor=f"group-{i}", title=c.name,
                          subtitle=f"score {c.score} · {c.total} {'result' if c.total == 1 else 'results'}",
                          results=_by_status([v for v in views if v.category == c.name]))
                for i, c in enumerate(_categories(report), start=1)]
    repo_wide = [v for r, v in zip(report.results, views) if r.rule_scope == "repo" or r.scope in ("", ".")]
    groups = [GroupView(anchor="group-repository", title="Repository-wide rules",
                        subtitle=f"{len(repo_wide)} {'result' if len(repo_wide) == 1 else 'results'}, "
                                 "counted in every service", results=_by_status(repo_wide))] if repo_wide else []
    own: dict[str, list[ResultView]] = {}
    for r, v in zip(report.results, views):
        if r.rule_scope != "repo" and r.scope not in ("", "."):
            own.setdefault(r.scope, []).append(v)
    for row in scopes:
        members = _by_status(own.get(row["path"], []))
        groups.append(GroupView(anchor=row["anchor"], title=row["name"], path=row["path"],
                                subtitle=f"score {row['score']} · level {row['level_text']} · {row['kind']}",
                                results=members, collapsed=True,
                                failing=sum(v.failing for v in members)))
    return groups


def _ring(score: int | None) -> dict[str, str]:
    circumference = 2 * math.pi * RING_RADIUS
    filled = 0.0 if score is None else circumference * max(0, min(score, 100)) / 100
    tone = "none" if score is None else "good" if score >= 80 else "fair" if score >= 50 else "poor"
    return {"radius": str(RING_RADIUS), "dash": f"{filled:.2f} {circumference:.2f}", "tone": tone}


#: Scopes named under a blocking rule before "and N more".
MAX_BLOCKER_SCOPES = 12


def _blockers(results: tuple[Result, ...], anchors: dict[int, str], report: Report) -> list[dict[str, Any]]:
    """The results standing between the repository and its next level, each rule once with the
    scopes it fails in (each linking to its finding)."""
    index = {id(r): i for i, r in enumerate(report.results)}
    out = []
    for group in group_by_rule(list(results)):
        first = group.first
        scopes = [{"label": "repository" if r.scope in ("", ".") else r.scope,
                   "anchor": anchors.get(index.get(id(r), -1), "")} for r in group.results]
        out.append({"rule_id": first.rule_id, "name": first.name, "severity": first.severity.value,
                    "rule_anchor": rule_anchor(first.rule_id), "scopes": scopes[:MAX_BLOCKER_SCOPES],
                    "more": max(len(scopes) - MAX_BLOCKER_SCOPES, 0), "count": len(scopes),
                    "message": first.message if len(scopes) == 1 else ""})
    return out


def _scope_rows(report: Report) -> list[dict[str, Any]]:
    """The services table, worst first: lowest level, then lowest score (a scope where nothing
    was judged, without a level or a score, after every one that has them), then most
    failures, then path."""
    if len(report.scopes) <= 1 and all(s.path == "." for s in report.scopes):
        return []
    failing: dict[str, int] = {}  # each service's own failing results (the repository's are everyone's)
    for r in report.results:
        if r.status in (Status.FAIL, Status.ERROR):
            failing[r.scope] = failing.get(r.scope, 0) + 1
    rows = []
    for i, (scope, m) in enumerate(zip(report.scopes, scope_maturities(report)), start=1):
        rows.append({"anchor": f"scope-{i}", "name": scope.name, "path": scope.path, "source": scope.source,
                     "kind": scope.kind, "kind_text": kind_text(scope), "score": score_text(m.score),
                     "score_sort": 101 if m.score is None else m.score, "level": m.level,
                     "level_text": level_text(m.level), "level_sort": MAX_LEVEL + 1 if m.level is None else m.level,
                     "failing": failing.get(scope.path, 0),
                     "blockers": sorted({r.rule_id for r in m.blockers}),
                     "unjudged": sorted({r.rule_id for r in m.unjudged})})
    rows.sort(key=lambda row: (row["level_sort"], row["score_sort"], -row["failing"], row["path"]))
    return rows


def _rules(report: Report, catalog: Catalog) -> list[dict[str, Any]]:
    """Each rule of the report explained once: what it checks, why, what counts, how to fix,
    the practice behind it. Result cards link here instead of repeating it."""
    seen: dict[str, Result] = {}
    for result in report.results:
        seen.setdefault(result.rule_id, result)
    out = []
    for rule_id in sorted(seen):
        result = seen[rule_id]
        spec = catalog.rules.get(rule_id)
        practice = catalog.practices.get(result.practice_id)
        out.append({
            "anchor": rule_anchor(rule_id), "rule_id": rule_id, "name": result.name,
            "severity": result.severity.value, "category": result.category,
            "summary": spec.summary if spec else result.name,
            "rationale": spec.rationale if spec else "", "evidence": spec.evidence if spec else "",
            "remediation": spec.remediation if spec else result.remediation,
            "example": spec.example.rstrip() if spec else "",
            "docs_link": _docs_link(report, rule_id, result.name),
            "practice": None if practice is None else {
                "title": practice.title, "why": practice.why, "digest_section": practice.digest_section},
        })
    return out


def _record(report: Report) -> list[dict[str, Any]]:
    """The masthead's compliance record: label, value, whether it is code, and a tooltip."""
    record = report.record
    commit = report.commit or ""
    items: list[dict[str, Any]] = []
    if record is not None:
        items.append({"label": "Made", "value": record.generated_text, "code": False,
                      "title": "", "note": f"clock: {record.clock}"})
    items.append({"label": "Commit", "value": (commit[:12] if _HEX.fullmatch(commit) else commit[:40]) or "not recorded",
                  "code": bool(commit), "title": commit, "note": ""})
    if record is not None:
        items.append({"label": "Remote", "value": record.remote or "none", "code": bool(record.remote),
                      "title": "", "note": ""})
    items.append({"label": "practicelint", "value": report.tool_version, "code": False, "title": "", "note": ""})
    if record is not None:
        items.append({"label": "Configuration", "value": record.digest_short, "code": True,
                      "title": record.config_digest, "note": ", ".join(record.config_files) or "defaults"})
    items.append({"label": "Waivers", "value": waivers_text(report), "code": False, "title": "", "note": ""})
    if record is not None and record.baseline is not None:
        items.append({"label": "Baseline", "value": record.baseline, "code": True, "title": "", "note": ""})
    return items


def build_context(report: Report, catalog: Catalog) -> dict[str, Any]:
    """Everything the template shows, computed here so the template stays declarative."""
    views = [_result_view(i, r, report) for i, r in enumerate(report.results)]
    anchors = {i: v.anchor for i, v in enumerate(views)}
    repo = repository_maturity(report)
    scopes = _scope_rows(report)
    single = report.scopes[0] if len(report.scopes) == 1 and report.scopes[0].path == "." else None
    known = baseline_counts(report)
    return {
        "report": report,
        "target_name": report.target_name,
        "target_path": report.target_path,
        "tool_version": report.tool_version,
        "record": _record(report),
        "repo_kind": kind_text(single) if single is not None else "",
        "baseline": None if known is None else {"new": known.new, "baselined": known.baselined,
                                                "fixed": known.fixed, "text": known.text()},
        "summary": summary(report),
        "score": score_text(repo.score),
        "scored": repo.score is not None,
        "level": repo.level,
        "level_text": level_text(repo.level),
        "max_level": MAX_LEVEL,
        "next_level": repo.next_level,
        "next_level_meaning": LEVEL_MEANING.get(repo.next_level or 0, ""),
        "blockers": _blockers(repo.blockers, anchors, report),
        "blocking_results": len(repo.blockers),
        "ring": _ring(repo.score),
        "categories": _categories(report),
        "scopes": scopes,
        "groups": _groups(report, views, scopes),
        "rules": _rules(report, catalog),
        "results": views,
        "waived": [v for v in views if v.status == Status.WAIVED.value],
        "declared_waivers": _declared_waivers(report),
        "notes": report.notes[:MAX_NOTES],
        "more_notes": max(len(report.notes) - MAX_NOTES, 0),
        "statuses": [(s.value, STATUS_LABELS[s]) for s in STATUS_ORDER],
        "severities": [s.value for s in Severity],
        "rule_count": len({r.rule_id for r in report.results}),
    }


def _declared_waivers(report: Report) -> list[dict[str, Any]]:
    """Waivers from the configuration and how they fared (active, expired, stale), when known."""
    out = []
    for use in getattr(report, "waivers", None) or []:
        waiver = getattr(use, "waiver", None)
        out.append({"rule": getattr(waiver, "rule", ""), "scope": getattr(waiver, "scope", None) or "all scopes",
                    "reason": getattr(waiver, "reason", ""), "owner": getattr(waiver, "owner", ""),
                    "expires": str(getattr(waiver, "expires", "") or ""), "state": getattr(use, "state", ""),
                    "matched": getattr(use, "matched", 0)})
    return out
