"""Compact audit rows: what the org views need from one repository's full JSON report.

A row keeps scores, levels, per-category scores, the status of every (rule, scope) pair as
a short triple, the failing results with their rule metadata, owners and waivers, and the
paths of the full per-repository reports. It never keeps messages or evidence, so rows stay
small enough for tens of thousands of repositories.
"""

from __future__ import annotations

from typing import Any, Iterable

from linter.results import CATEGORIES, Result, Severity, Status
from linter.scoring import maturity

FAILING = ("fail", "error")
UNKNOWN_KIND = "unknown"


def _result(item: dict[str, Any]) -> Result | None:
    """A ``Result`` rebuilt from its JSON form (enough for scoring), or ``None`` if malformed."""
    try:
        return Result(
            rule_id=str(item["rule_id"]), name=str(item.get("name", "")),
            practice_id=str(item.get("practice_id", "")), category=str(item.get("category", "")),
            severity=Severity(item["severity"]), scope=str(item.get("scope", ".")),
            status=Status(item["status"]), message="", evidence=(), remediation="",
            rule_scope=str(item.get("rule_scope", "service")),
        )
    except (KeyError, ValueError, TypeError):
        return None


def category_scores(results: Iterable[Result]) -> dict[str, int | None]:
    """Score per category with ``linter.scoring.maturity``; ``None`` when nothing applied."""
    by_category: dict[str, list[Result]] = {}
    for result in results:
        by_category.setdefault(result.category, []).append(result)
    out: dict[str, int | None] = {}
    for category in sorted(by_category, key=_category_order):
        group = by_category[category]
        applicable = [r for r in group if r.status not in (Status.NOT_APPLICABLE, Status.WAIVED, Status.SKIPPED)]
        out[category] = maturity(group, category).score if applicable else None
    return out


def _category_order(name: str) -> tuple[int, str]:
    return (CATEGORIES.index(name) if name in CATEGORIES else len(CATEGORIES), name)


def waivers_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Declared waivers and their state from the report's ``waivers`` list (issue 6), else
    from the ``waiver`` carried by individual results. Tolerates flat or nested shapes."""
    out: list[dict[str, Any]] = []
    declared = data.get("waivers")
    if isinstance(declared, list):
        for item in declared:
            if isinstance(item, dict):
                out.append(_waiver_entry(item, item.get("state")))
    else:
        for item in data.get("results") or []:
            if isinstance(item, dict) and isinstance(item.get("waiver"), dict):
                state = "active" if item.get("status") == "waived" else "expired"
                out.append(_waiver_entry(item["waiver"], state, default_rule=item.get("rule_id")))
        out = [dict(t) for t in sorted({tuple(sorted(w.items())) for w in out})]
    return sorted(out, key=lambda w: (str(w["rule"]), str(w["scope"] or ""), str(w["expires"] or "")))


def _waiver_entry(item: dict[str, Any], state: Any, default_rule: Any = None) -> dict[str, Any]:
    source = item.get("waiver") if isinstance(item.get("waiver"), dict) else item
    def text(key: str) -> str | None:
        value = source.get(key)
        return None if value is None else str(value)[:500]
    return {"rule": text("rule") or text("rule_id") or (str(default_rule) if default_rule else None),
            "scope": text("scope"), "owner": text("owner"), "reason": text("reason"),
            "expires": text("expires"), "state": str(state) if state else "active"}


def kind_of(data: dict[str, Any]) -> str:
    """The repository's kind (service, library, tool...) from its report's repository scope
    (``scopes[]`` entry with path ``.``), or ``unknown`` when the report does not say."""
    for scope in data.get("scopes") or []:
        if isinstance(scope, dict) and scope.get("path") == "." and isinstance(scope.get("kind"), str):
            kind = scope["kind"].strip()[:40]
            return kind or UNKNOWN_KIND
    return UNKNOWN_KIND


def row_from_report(data: dict[str, Any], *, identity: str, name: str, source: str, slug: str,
                    owners: list[str] | None = None, owner_source: str | None = None,
                    audited_at: str | None = None) -> dict[str, Any]:
    """The compact row of one repository from its ``practicelint check --format json`` dict."""
    raw = [item for item in data.get("results") or [] if isinstance(item, dict)]
    results = [r for r in (_result(item) for item in raw) if r is not None]
    summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
    whole = maturity(results, ".")
    counts = {status.value: 0 for status in Status}
    for result in results:
        counts[result.status.value] += 1
    if isinstance(data.get("owner"), str):  # a report that already names its owner wins
        owners, owner_source = [data["owner"]], "report"
    # ranked, most files (or components) first: the first is the team the dashboard shows,
    # so the order is kept (duplicates dropped), never re-sorted by name
    owners = [str(o) for o in dict.fromkeys(owners or [])]
    target = data.get("target") if isinstance(data.get("target"), dict) else {}
    return {
        "id": identity, "name": name, "source": source, "slug": slug, "status": "ok", "error": None,
        "commit": target.get("commit"), "audited_at": audited_at, "kind": kind_of(data),
        "owner": owners[0] if owners else None, "owners": owners, "owner_source": owner_source,
        "score": _int(summary.get("score"), whole.score), "level": _int(summary.get("level"), whole.level),
        "categories": category_scores(results),
        "counts": counts,
        "results": [[r.rule_id, r.scope, r.status.value] for r in results],
        "severities": {rule_id: sev for rule_id, sev in sorted({r.rule_id: r.severity.value for r in results}.items())},
        "failing": [{"rule_id": r.rule_id, "name": r.name, "scope": r.scope, "severity": r.severity.value,
                     "category": r.category, "practice_id": r.practice_id}
                    for r in results if r.status.value in FAILING],
        "waivers": waivers_of(data),
        "report_json": None, "report_html": None,
    }


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def error_row(*, identity: str, name: str, source: str, slug: str, reason: str,
              audited_at: str | None = None) -> dict[str, Any]:
    """A repository that could not be audited: the reason, and no scores."""
    return {
        "id": identity, "name": name, "source": source, "slug": slug, "status": "error",
        "error": reason[:2000], "commit": None, "audited_at": audited_at, "kind": UNKNOWN_KIND,
        "owner": None, "owners": [], "owner_source": None,
        "score": None, "level": None, "categories": {}, "counts": {}, "results": [], "severities": {}, "failing": [],
        "waivers": [], "report_json": None, "report_html": None,
    }
