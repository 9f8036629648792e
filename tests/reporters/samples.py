"""Reports built directly for reporter tests: a small fixed one and a hostile one.

They do not run the engine or use the packaged catalog, so snapshots change only when a
reporter changes, not when someone rewords a rule.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from linter.catalog import Catalog, Practice, RuleSpec
from linter.record import Record
from linter.repo.workspace import Note
from linter.results import Evidence, Report, Result, Scope, Severity, Status

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
SCRIPT = "<script>window.pwned = 1</script>"
#: Hostile strings a scanned repository controls (file names, YAML values, Markdown text).
HOSTILE_MESSAGE = (f"{SCRIPT}<img src=x onerror=\"window.pwned=2\"> | pipe | `tick` ``double`` "
                   "[link](javascript:alert(1)) line1\nline2\r\n::error::injected %0A 100% $x$ "
                   "@org/team \x00nul \x1b[31mred\x1b[0m &amp; ]]> --> </details>")
HOSTILE_PATH = "svc/<b>x</b>|y`z`,a:b%25\n::warning::p.yaml"
LONG = "A" * 120_000


def practice(pid: str, category: str) -> Practice:
    return Practice(id=pid, title=f"Practice {pid}", category=category, summary="summary",
                    why=f"Why {pid} matters.", digest_section="Section 1")


def rule(rid: str, name: str, category: str, severity: str, scope: str, pid: str) -> RuleSpec:
    return RuleSpec(id=rid, name=name, practice=pid, category=category, severity=severity, scope=scope,
                    summary=f"{name} summary.", rationale=f"{name} rationale.", evidence="evidence text",
                    remediation=f"Fix {name}.", example="key: value\n",
                    level={"error": 1, "warning": 2, "info": 3}[severity])  # the ladder as severities were


def mini_catalog() -> Catalog:
    practices = [practice("tail-latency", "performance"), practice("pipeline", "security"),
                 practice("small-teams", "teams"), practice("small-changes", "delivery")]
    rules = [rule("PERF001", "tail-latency-slo", "performance", "error", "service", "tail-latency"),
             rule("SEC001", "dependency-scanning-in-ci", "security", "error", "repo", "pipeline"),
             rule("SEC007", "threat-model", "security", "info", "service", "pipeline"),
             rule("ORG001", "team-size", "teams", "warning", "repo", "small-teams"),
             rule("DEL002", "small-changes", "delivery", "warning", "repo", "small-changes")]
    return Catalog(practices={p.id: p for p in practices}, rules={r.id: r for r in rules})


def every_level_passing() -> list[Result]:
    """One passing rule at each step of the ladder (SEC001 level 1, ORG001 2, SEC007 3): the top level."""
    return [result("SEC001", ".", Status.PASS, "fine"), result("ORG001", ".", Status.PASS, "fine"),
            result("SEC007", ".", Status.PASS, "fine")]


def result(rule_id: str, scope: str, status: Status, message: str, evidence: tuple[Evidence, ...] = (),
           *, catalog: Catalog | None = None, severity: Severity | None = None) -> Result:
    spec = (catalog or mini_catalog()).rules[rule_id]
    return Result(rule_id=rule_id, name=spec.name, practice_id=spec.practice, category=spec.category,
                  severity=severity or Severity(spec.severity), scope=scope, status=status, message=message,
                  evidence=evidence, remediation=spec.remediation, rule_scope=spec.scope, level=spec.level)


SAMPLE_RECORD = Record(generated_at=datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc), clock="PRACTICELINT_NOW",
                       remote="https://github.com/acme/sample.git", config_digest="sha256:" + "ab" * 32,
                       config_files=("practicelint:recommended", ".practicelint.yaml"))


def sample_report() -> Report:
    """Two services (one of a known kind), every status, evidence with and without lines, a
    note, a compliance record."""
    scopes = [Scope("services/api", "api", "backstage", kind="service", kind_source="backstage",
                    kind_evidence=(Evidence("services/api/catalog-info.yaml", 6, "spec.type: service"),)),
              Scope("services/worker", "worker", "config")]
    results = [
        result("PERF001", "services/api", Status.FAIL, "latency objectives only at p90 (services/api/slo.yaml:10)",
               (Evidence("services/api/slo.yaml", 10, "p90 latency objective"),
                Evidence("services/api/alerts.yaml", 3, "p50 alert"))),
        result("PERF001", "services/worker", Status.FAIL, "no latency objective for worker"),
        result("SEC001", ".", Status.PASS, "dependency scan on every change (.github/workflows/ci.yml:12)",
               (Evidence(".github/workflows/ci.yml", 12, "osv-scanner"),)),
        result("SEC007", "services/api", Status.WAIVED, "no threat model (waived)"),
        result("SEC007", "services/worker", Status.NOT_APPLICABLE, "worker has no external interface"),
        result("ORG001", ".", Status.ERROR, "internal error while checking: ValueError: boom"),
        result("DEL002", ".", Status.SKIPPED, "Not evaluated: change sizes are measured over the last 200 commits, "
               "and this is a shallow clone with 1 commit of history. Fetch the whole history: `fetch-depth: 0` "
               "on actions/checkout."),
    ]
    results.sort(key=Result.sort_key)
    return Report(tool_version="9.9.9", target_path="examples/sample", target_name="sample",
                  commit="0123456789abcdef0123456789abcdef01234567", scopes=scopes, results=results,
                  notes=[Note("big.bin", "binary file skipped")], record=SAMPLE_RECORD)


def hostile_report(long: bool = False) -> Report:
    """Every repository-controlled string is hostile; ``long`` adds a 120,000-character message."""
    scope = "svc/<i>x</i>|`y`"
    message = HOSTILE_MESSAGE + (LONG if long else "")
    evidence = (Evidence(HOSTILE_PATH, 7, HOSTILE_MESSAGE), Evidence("ok/file.yaml", 0, SCRIPT))
    results = [
        result("PERF001", scope, Status.FAIL, message, evidence),
        result("PERF001", "svc/ok", Status.PASS, message, evidence),
        result("SEC001", ".", Status.ERROR, message),
        result("SEC007", scope, Status.WAIVED, message, evidence),
        result("SEC007", "svc/ok", Status.NOT_APPLICABLE, message),
        result("ORG001", ".", Status.FAIL, message, (Evidence(HOSTILE_PATH, 0, ""),)),
        result("DEL002", scope, Status.SKIPPED, message),
    ]
    results.sort(key=Result.sort_key)
    record = Record(generated_at=datetime(2026, 12, 1, tzinfo=timezone.utc), clock="system clock",
                    remote=f"https://example.com/{SCRIPT}\n::error::x", config_digest="sha256:" + "00" * 32,
                    config_files=(HOSTILE_PATH,), baseline=HOSTILE_PATH)
    hostile_scope = Scope(scope, f"{SCRIPT}|name", "config", kind="service", kind_source="config",
                          kind_evidence=(Evidence(HOSTILE_PATH, 3, HOSTILE_MESSAGE),))
    return Report(tool_version="9.9.9", target_path=f"repo/{SCRIPT}", target_name=f"{SCRIPT}\x1b]0;title\x07",
                  commit=f"{SCRIPT}", scopes=[hostile_scope, Scope("svc/ok", "ok")],
                  results=results, notes=[Note(HOSTILE_PATH, HOSTILE_MESSAGE)], record=record)


def assert_snapshot(name: str, text: str) -> None:
    """Compare with ``snapshots/<name>``; ``UPDATE_SNAPSHOTS=1`` rewrites it instead."""
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    if not path.exists():
        pytest.fail(f"snapshot {path} missing: run with UPDATE_SNAPSHOTS=1 and review it")
    expected = path.read_bytes().decode("utf-8")
    assert text == expected, f"{name} changed: rerun with UPDATE_SNAPSHOTS=1 if intended, then review the diff"
