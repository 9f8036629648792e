"""The JSON report: the stable machine interface (``schema_version`` 1).

Keys are emitted in a fixed order and nothing time-dependent is included, so the same
input gives byte-identical output.
"""

from __future__ import annotations

import json
from typing import Any

from linter.catalog import Catalog
from linter.results import Report, Result, Severity, Status, Waiver
from linter.scoring import Maturity, repository_maturity, scope_maturities

SCHEMA_VERSION = 1


def summary(report: Report) -> dict[str, Any]:
    counts = report.counts()
    failed_by_severity = {sev.value: 0 for sev in Severity}
    for result in report.results:
        if result.status in (Status.FAIL, Status.ERROR):
            failed_by_severity[result.severity.value] += 1
    repo = repository_maturity(report)
    return {"total": len(report.results), **counts, "failed_by_severity": failed_by_severity,
            "score": repo.score, "level": repo.level,
            "next_level_blockers": _blockers(repo)}


def _blockers(m: Maturity) -> list[dict[str, str]]:
    return [{"rule_id": r.rule_id, "scope": r.scope} for r in m.blockers]


def result_dict(result: Result) -> dict[str, Any]:
    return {
        "rule_id": result.rule_id,
        "name": result.name,
        "practice_id": result.practice_id,
        "category": result.category,
        "severity": result.severity.value,
        "level": result.level,
        "scope": result.scope,
        "status": result.status.value,
        "message": result.message,
        "evidence": [{"path": e.path, "line": e.line, "detail": e.detail} for e in result.evidence],
        "remediation": result.remediation,
        "waiver": waiver_dict(result.waiver) if result.waiver else None,
        "baselined": result.baselined,
    }


def waiver_dict(waiver: Waiver) -> dict[str, Any]:
    return {"rule_id": waiver.rule, "scope": waiver.scope, "paths": list(waiver.paths), "reason": waiver.reason,
            "owner": waiver.owner, "expires": waiver.expires.isoformat(), "source": waiver.source,
            "line": waiver.line}


def as_dict(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "practicelint", "version": report.tool_version},
        "target": {"path": report.target_path, "name": report.target_name, "commit": report.commit},
        "summary": summary(report),
        "scopes": [
            {"path": s.path, "name": s.name, "source": s.source, "score": m.score, "level": m.level,
             "next_level_blockers": _blockers(m)}
            for s, m in zip(report.scopes, scope_maturities(report))
        ],
        "results": [result_dict(r) for r in report.results],
        "notes": [{"path": n.path, "reason": n.reason} for n in report.notes],
        "waivers": [{**waiver_dict(u.waiver), "state": u.state, "matched": u.matched} for u in report.waivers],
        "baseline_fixed": [e.as_dict() for e in report.baseline_fixed],
    }


def render(report: Report, catalog: Catalog, **_: Any) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
