"""JUnit XML for CI test-report views (Jenkins, GitLab, Azure DevOps, CircleCI...).

One ``<testsuite>`` per category, one ``<testcase>`` per rule and scope (``classname`` is
the category, ``name`` is ``"RULEID rule-name [scope]"``). A failed result carries a
``<failure>`` with the message, the evidence and the fix; a result that could not be
evaluated an ``<error>``; ``not_applicable``, ``waived`` and ``skipped`` (not evaluated in
this checkout: no history in a shallow clone) results are ``<skipped>`` with the status and
reason as text (the common JUnit XSD types ``skipped`` as a plain string, so no
attributes). Counts on every suite and on ``<testsuites>`` add up.

Each ``<testsuite>`` starts with ``<properties>`` (the only place the common JUnit schemas
allow them): the compliance record (``practicelint.generated_at``, ``.clock``, ``.commit``,
``.remote``, ``.version``, ``.config_digest``, ``.waivers_in_effect``, ``.baseline``) and each
scope's kind (``practicelint.kind:<scope path>``), the same in every suite, so a CI view that
shows one suite's properties shows them all.

XML is built with ``xml.etree`` (which escapes ``& < > "``); characters XML 1.0 cannot carry
at all (NUL, ESC and the other C0 controls, lone surrogates) are replaced by a visible
``\\xNN`` so a hostile file name cannot make the document unparsable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from linter import inert
from linter.catalog import Catalog
from linter.reporters.facts import baseline_counts, in_effect, kind_text
from linter.results import CATEGORIES, Report, Result, Status

#: Statuses shown as a JUnit ``<skipped>``: neither passed nor failed.
SKIPPED = (Status.NOT_APPLICABLE, Status.WAIVED, Status.SKIPPED)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_EVIDENCE = 50


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids made visible as ``\\xNN``, and the C1 controls
    and characters that reorder display (``linter.inert.reveal``) as escapes too: a test viewer
    would show a bidirectional override's reordering, a terminal obey a C1 control."""
    return _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", inert.reveal(text))


def testcase_name(result: Result) -> str:
    return f"{result.rule_id} {result.name} [{result.scope}]"


def _details(result: Result) -> str:
    lines = [result.message]
    if result.evidence:
        lines += ["", "evidence:"]
        for ev in result.evidence[:MAX_EVIDENCE]:
            lines.append(f"  {ev.location()}" + (f"  {ev.detail}" if ev.detail else ""))
        if len(result.evidence) > MAX_EVIDENCE:
            lines.append(f"  ... and {len(result.evidence) - MAX_EVIDENCE} more")
    if result.status is Status.FAIL and result.remediation:
        lines += ["", "fix: " + result.remediation]
    return xml_text("\n".join(lines))


def _testcase(parent: ET.Element, result: Result) -> None:
    case = ET.SubElement(parent, "testcase", {
        "classname": xml_text(result.category), "name": xml_text(testcase_name(result)), "time": "0"})
    if result.status in SKIPPED:
        skipped = ET.SubElement(case, "skipped")
        skipped.text = xml_text(f"{result.status.value}: {result.message}")
    elif result.status is Status.ERROR:
        error = ET.SubElement(case, "error", {"message": xml_text(result.message), "type": "check-error"})
        error.text = _details(result)
    elif result.status is Status.FAIL:
        failure = ET.SubElement(case, "failure", {"message": xml_text(result.message),
                                                  "type": result.severity.value})
        failure.text = _details(result)
    out = ET.SubElement(case, "system-out")
    lines = [] if result.status in (Status.FAIL, Status.ERROR) else [result.message]
    lines += [f"status: {result.status.value}", f"severity: {result.severity.value}",
              f"scope: {result.scope}", f"practice: {result.practice_id}"]
    out.text = xml_text("\n".join(lines))


def _count(results: list[Result]) -> dict[str, str]:
    return {
        "tests": str(len(results)),
        "failures": str(sum(r.status is Status.FAIL for r in results)),
        "errors": str(sum(r.status is Status.ERROR for r in results)),
        "skipped": str(sum(r.status in SKIPPED for r in results)),
        "time": "0",
    }


def _category_order(report: Report) -> list[str]:
    present = {r.category for r in report.results}
    return [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))


def properties(report: Report) -> list[tuple[str, str]]:
    """(name, value) pairs for every suite's ``<properties>``."""
    record = report.record
    pairs = [("practicelint.version", report.tool_version), ("practicelint.commit", report.commit or "")]
    if record is not None:
        pairs += [("practicelint.generated_at", record.generated_iso), ("practicelint.clock", record.clock),
                  ("practicelint.remote", record.remote or ""),
                  ("practicelint.config_digest", record.config_digest),
                  ("practicelint.config_files", ", ".join(record.config_files))]
    pairs.append(("practicelint.waivers_in_effect",
                  ", ".join(f"{u.waiver.rule} [{u.waiver.scope or 'all scopes'}] until {u.waiver.expires.isoformat()}"
                            for u in in_effect(report))))
    known = baseline_counts(report)
    if known is not None:
        pairs.append(("practicelint.baseline", known.text()))
    pairs += [(f"practicelint.kind:{scope.path}", kind_text(scope)) for scope in report.scopes]
    return pairs


def build(report: Report) -> ET.Element:
    totals = _count(report.results)
    root = ET.Element("testsuites", {"name": "practicelint", "tests": totals["tests"],
                                     "failures": totals["failures"], "errors": totals["errors"],
                                     "time": "0"})
    pairs = properties(report)
    for category in _category_order(report):
        group = [r for r in report.results if r.category == category]
        suite = ET.SubElement(root, "testsuite", {"name": xml_text(category), **_count(group)})
        listed = ET.SubElement(suite, "properties")
        for name, value in pairs:
            ET.SubElement(listed, "property", {"name": xml_text(name), "value": xml_text(value)})
        for result in group:
            _testcase(suite, result)
    return root


def render(report: Report, catalog: Catalog, **_: Any) -> str:
    root = build(report)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
