"""The JSON report: the stable machine interface (``schema_version`` 2, docs/reports.md).

Keys are emitted in a fixed order. The only time in it is the record's ``generated_at``, the
run's clock: pinned by ``PRACTICELINT_NOW``, the same input gives byte-identical output.

Version 2 (from 1): ``record`` (when, remote, configuration digest, waivers in effect,
baseline), ``summary.baseline``, ``scopes[].kind``/``kind_source``/``kind_evidence``, and
scores that are ``null`` where nothing applies (version 1 said 100).
"""

from __future__ import annotations

import json
from typing import Any

from linter.catalog import Catalog
from linter.reporters.facts import baseline_counts, in_effect
from linter.results import Evidence, Report, Result, Scope, Severity, Status, Waiver
from linter.scoring import Maturity, repository_maturity, scope_maturities

SCHEMA_VERSION = 2


def summary(report: Report) -> dict[str, Any]:
    counts = report.counts()
    failed_by_severity = {sev.value: 0 for sev in Severity}
    for result in report.results:
        if result.status in (Status.FAIL, Status.ERROR):
            failed_by_severity[result.severity.value] += 1
    repo = repository_maturity(report)
    known = baseline_counts(report)
    return {"total": len(report.results), **counts, "failed_by_severity": failed_by_severity,
            "score": repo.score, "level": repo.level, "next_level": repo.next_level,
            "next_level_blockers": _blockers(repo),
            "baseline": None if known is None else {"new": known.new, "baselined": known.baselined,
                                                    "fixed": known.fixed}}


def evidence_list(evidence: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    return [{"path": e.path, "line": e.line, "detail": e.detail} for e in evidence]


def record_dict(report: Report) -> dict[str, Any] | None:
    """The compliance record (``linter.record``), or ``None`` for a report built without one."""
    record = report.record
    if record is None:
        return None
    return {
        "generated_at": record.generated_iso,
        "clock": record.clock,
        "commit": report.commit,
        "remote": record.remote,
        "tool_version": report.tool_version,
        "config_digest": record.config_digest,
        "config_files": list(record.config_files),
        "waivers_in_effect": [waiver_dict(use.waiver) for use in in_effect(report)],
        "baseline": record.baseline,
        "docs_url": record.docs_url,
    }


def scope_dict(scope: Scope, m: Maturity) -> dict[str, Any]:
    return {"path": scope.path, "name": scope.name, "source": scope.source, "kind": scope.kind,
            "kind_source": scope.kind_source, "kind_evidence": evidence_list(scope.kind_evidence),
            "score": m.score, "level": m.level, "next_level": m.next_level,
            "next_level_blockers": _blockers(m)}


def _blockers(m: Maturity) -> list[dict[str, str]]:
    return [{"rule_id": r.rule_id, "scope": r.scope, "status": r.status.value} for r in m.blockers]


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
        "evidence": evidence_list(result.evidence),
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
        "record": record_dict(report),
        "summary": summary(report),
        "scopes": [scope_dict(s, m) for s, m in zip(report.scopes, scope_maturities(report))],
        "results": [result_dict(r) for r in report.results],
        "notes": [{"path": n.path, "reason": n.reason} for n in report.notes],
        "waivers": [{**waiver_dict(u.waiver), "state": u.state, "matched": u.matched} for u in report.waivers],
        "baseline_fixed": [e.as_dict() for e in report.baseline_fixed],
    }


def render(report: Report, catalog: Catalog, **_: Any) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
