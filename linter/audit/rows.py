"""Compact audit rows: what the org views need from one repository's full JSON report.

A row keeps scores, levels, per-category scores, the status of every (rule, scope) pair as
a short triple, the failing results with their rule metadata, owners and waivers, and the
paths of the full per-repository reports. It never keeps messages or evidence, so rows stay
small enough for tens of thousands of repositories.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from linter.results import CATEGORIES, Result, Severity, Status
from linter.scoring import maturity

FAILING = ("fail", "error")
UNKNOWN_KIND = "unknown"
#: The per-kind rollup's group for repositories that could not be audited (a clone or a run
#: that failed): nothing was read, so they are not of kind ``unknown`` (read, and nothing
#: said what they are).
NOT_AUDITED_KIND = "not audited"
#: A repository whose scopes are of different kinds (a monorepo of services and libraries).
MIXED_KIND = "mixed"
#: Files kept per scope (and per repository) to say where a kind came from.
MAX_KIND_EVIDENCE = 5
#: Rules kept per row as standing in front of its next level (there are 33 built in; a rule
#: pack could add hundreds).
MAX_BLOCKERS = 50


def _result(item: dict[str, Any]) -> Result | None:
    """A ``Result`` rebuilt from its JSON form (enough for scoring), or ``None`` if malformed."""
    try:
        return Result(
            rule_id=str(item["rule_id"]), name=str(item.get("name", "")),
            practice_id=str(item.get("practice_id", "")), category=str(item.get("category", "")),
            severity=Severity(item["severity"]), scope=str(item.get("scope", ".")),
            status=Status(item["status"]), message="", evidence=(), remediation="",
            rule_scope=str(item.get("rule_scope", "service")), level=_level(item),
        )
    except (KeyError, ValueError, TypeError):
        return None


def _level(item: dict[str, Any]) -> int:
    """The rule's maturity level: from the report, else (reports written before levels were
    recorded) the packaged catalog's, else 3 (an unknown rule never blocks the basics)."""
    level = item.get("level")
    if isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 3:
        return level
    from linter.catalog import load_catalog

    spec = load_catalog().rules.get(str(item.get("rule_id")))
    return spec.level if spec is not None else 3


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


def _text(value: Any, limit: int, default: str) -> str:
    return value.strip()[:limit] or default if isinstance(value, str) else default


def _evidence_text(item: Any) -> str | None:
    """``path:line`` of one piece of kind evidence (a JSON evidence object, or a string)."""
    if isinstance(item, str):
        return item[:300] or None
    if isinstance(item, dict) and isinstance(item.get("path"), str):
        line = item.get("line")
        return item["path"][:300] + (f":{line}" if isinstance(line, int) and line > 0 else "")
    return None


def scope_kinds_of(scopes: Iterable[Any]) -> list[dict[str, Any]]:
    """``[{path, kind, kind_source, kind_evidence}]`` of a report's scopes: JSON ``scopes[]``
    entries or ``linter.results.Scope`` objects alike (a report written before kinds existed
    says ``unknown``/``none``)."""
    out = []
    for scope in scopes:
        get = scope.get if isinstance(scope, dict) else (lambda key, s=scope: getattr(s, key, None))
        if not isinstance(get("path"), str):
            continue
        evidence = [_evidence_text(e if isinstance(e, (str, dict)) else {"path": getattr(e, "path", None),
                                                                          "line": getattr(e, "line", None)})
                    for e in (get("kind_evidence") or [])[:MAX_KIND_EVIDENCE]]
        out.append({"path": get("path")[:500], "kind": _text(get("kind"), 40, UNKNOWN_KIND),
                    "kind_source": _text(get("kind_source"), 40, "none"),
                    "kind_evidence": [e for e in evidence if e]})
    return out


def repository_kind(scopes: list[dict[str, Any]]) -> dict[str, Any]:
    """What a repository is, from its scopes' kinds (``scope_kinds_of``).

    One scope (a repository judged whole): that scope's kind, source and evidence. Several
    (a monorepo's services): their kind when they all agree, else ``mixed``, with the count of
    each kind in ``kinds`` (``mixed (service 3, library 2)`` on screen, ``kind_label``). A
    whole-repository scope (``.``) beside them counts only when the configuration declares
    its kind (``kind:`` for the repository): a declaration wins over what the parts are.
    """
    root = next((s for s in scopes if s["path"] == "."), None)
    parts = [s for s in scopes if s["path"] != "."]
    if root is not None and (not parts or root["kind_source"] == "config"):
        chosen = [root]
    else:
        chosen = parts
    counts = Counter(s["kind"] for s in chosen)
    if not counts:
        return {"kind": UNKNOWN_KIND, "kinds": {}, "kind_source": "none", "kind_evidence": []}
    kinds = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    if len(counts) > 1:
        return {"kind": MIXED_KIND, "kinds": kinds, "kind_source": "scopes", "kind_evidence": []}
    sources = sorted({s["kind_source"] for s in chosen})
    evidence = [e for s in chosen for e in s["kind_evidence"]][:MAX_KIND_EVIDENCE]
    return {"kind": next(iter(counts)), "kinds": kinds, "kind_source": sources[0] if len(sources) == 1 else "scopes",
            "kind_evidence": evidence}


def kind_group(row: dict[str, Any]) -> str:
    """The kind a row is counted and filtered under: its kind; ``not audited`` for an error row
    that has none, or only the ``unknown`` that ``error_row`` fills in (nothing was read, so
    nothing said anything: it is not an ``unknown`` that was read and left unexplained);
    ``unknown`` for an audited row that has none (written before kinds existed)."""
    kind = row.get("kind")
    if row.get("status") not in (None, "ok") and (not kind or kind == UNKNOWN_KIND):
        return NOT_AUDITED_KIND
    return str(kind) if kind else UNKNOWN_KIND


def kind_label(row: dict[str, Any]) -> str:
    """A row's kind as people read it: ``library``, or ``mixed (service 3, library 2)`` (most
    scopes first, whatever order the row's JSON kept)."""
    kind = kind_group(row)
    kinds = row.get("kinds") if isinstance(row.get("kinds"), dict) else {}
    if kind != MIXED_KIND or not kinds:
        return kind
    ordered = sorted(kinds.items(), key=lambda kv: (-kv[1] if isinstance(kv[1], int) else 0, str(kv[0])))
    return f"{kind} (" + ", ".join(f"{name} {count}" for name, count in ordered) + ")"


def kind_of(data: dict[str, Any]) -> str:
    """The repository's kind (service, library, tool..., ``mixed`` or ``unknown``) from its
    report's ``scopes[]`` (``repository_kind``)."""
    return str(repository_kind(scope_kinds_of(data.get("scopes") or []))["kind"])


def row_from_report(data: dict[str, Any], *, identity: str, name: str, source: str, slug: str,
                    owners: list[str] | None = None, owner_source: str | None = None,
                    audited_at: str | None = None, scopes: Iterable[Any] | None = None) -> dict[str, Any]:
    """The compact row of one repository from its ``practicelint check --format json`` dict;
    ``scopes`` (the ``Report``'s, when the audit ran the check itself) say the kinds, else the
    dict's ``scopes[]`` do."""
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
    kinds = scope_kinds_of(data.get("scopes") or [] if scopes is None else scopes)
    return {
        "id": identity, "name": name, "source": source, "slug": slug, "status": "ok", "error": None,
        "commit": target.get("commit"), "audited_at": audited_at, **repository_kind(kinds),
        "scope_kinds": {s["path"]: s["kind"] for s in kinds},
        "owner": owners[0] if owners else None, "owners": owners, "owner_source": owner_source,
        "score": _reported(summary, "score", whole.score), "level": _reported(summary, "level", whole.level),
        **_next_step(summary, whole),
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


def _next_step(summary: dict[str, Any], whole: Any) -> dict[str, Any]:
    """``next_level`` and the rules standing in front of it (``blockers``, sorted ids): the
    report's own, else recomputed from the results. What the dashboard's "where to act" counts."""
    if "next_level" in summary:
        level = summary.get("next_level")
        listed = summary.get("next_level_blockers") if isinstance(summary.get("next_level_blockers"), list) else []
        rules = {str(b.get("rule_id")) for b in listed if isinstance(b, dict) and b.get("rule_id")}
    else:
        level, rules = whole.next_level, {r.rule_id for r in whole.blockers}
    level = level if isinstance(level, int) and not isinstance(level, bool) else None
    return {"next_level": level, "blockers": sorted(rules)[:MAX_BLOCKERS] if level is not None else []}


def _reported(summary: dict[str, Any], key: str, default: int) -> int | None:
    """The report's own score or level; ``None`` when it says there is none (nothing applies),
    ``default`` (recomputed from the results) when it does not say."""
    value = summary.get(key)
    if key in summary and value is None:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def error_row(*, identity: str, name: str, source: str, slug: str, reason: str,
              audited_at: str | None = None) -> dict[str, Any]:
    """A repository that could not be audited: the reason, and no scores."""
    return {
        "id": identity, "name": name, "source": source, "slug": slug, "status": "error",
        "error": reason[:2000], "commit": None, "audited_at": audited_at, **repository_kind([]), "scope_kinds": {},
        "owner": None, "owners": [], "owner_source": None,
        "score": None, "level": None, "next_level": None, "blockers": [], "categories": {}, "counts": {},
        "results": [], "severities": {}, "failing": [], "waivers": [], "report_json": None, "report_html": None,
    }
