"""GitLab Code Quality report (a Code Climate issue array) for merge-request widgets.

GitLab needs, for each issue, a ``description``, ``check_name``, a stable ``fingerprint``,
a ``severity`` (``info``, ``minor``, ``major``, ``critical``, ``blocker``) and
``location.path`` with ``location.lines.begin``. Locations and fingerprints are the same as
in SARIF (see ``linter.reporters.sarif``): findings without evidence are anchored to the
file that describes the service or the repository README, and the fingerprint hashes rule,
scope and evidence files, so GitLab shows a finding as "unchanged" from one pipeline to the
next instead of "fixed" plus "new".
"""

from __future__ import annotations

import json
from typing import Any

from linter.catalog import Catalog
from linter.reporters.sarif import anchor, fingerprint
from linter.results import Report, Result, Severity, Status

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}
CATEGORIES = {"security": "Security", "performance": "Performance"}


def issue(report: Report, result: Result) -> dict[str, Any]:
    where = anchor(report, result)
    scope = "" if result.scope in ("", ".") else f" [{result.scope}]"
    text = result.message.strip() or "failed"
    if result.status is Status.ERROR:
        text = f"could not be checked: {text}"
    return {
        "type": "issue",
        "check_name": f"{result.rule_id} {result.name}",
        "description": f"{result.rule_id} {result.name}{scope}: {text}",
        "content": {"body": result.remediation},
        "categories": [CATEGORIES.get(result.category, "Style")],
        "fingerprint": fingerprint(result),
        # a waived finding stays listed, at the lowest severity, with the waiver in its text
        "severity": "info" if result.status is Status.WAIVED else SEVERITIES[result.severity],
        "location": {"path": where.path, "lines": {"begin": max(where.line, 1)}},
    }


def render(report: Report, catalog: Catalog, **_: Any) -> str:
    issues = [issue(report, r) for r in report.results if r.status in (Status.FAIL, Status.ERROR, Status.WAIVED)]
    text = json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8", "replace").decode("utf-8")
