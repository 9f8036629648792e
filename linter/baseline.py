"""Baselines: adopt practicelint on an existing repository without a wall of red, then ratchet.

``baseline create`` records today's failures by fingerprint. ``check --baseline`` keeps
reporting them but only new failures set the exit code, and lists entries that now pass.
``baseline update`` drops entries that no longer fail and never adds new ones unless forced,
so the file only ever shrinks. A result ``skipped`` in this checkout (a history rule on a
shallow clone) is unknown, not fixed: its entries are kept, and not listed as passing.
"""

from __future__ import annotations

import json
from dataclasses import replace

from pathlib import Path
from typing import Any

from linter.errors import ConfigError
from linter.fingerprints import fingerprint
from linter.fast_dataclass import dataclass
from linter.results import Report, Result, Status

BASELINE_VERSION = 1
DEFAULT_BASELINE = ".practicelint-baseline.json"


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    rule_id: str
    scope: str

    def as_dict(self) -> dict[str, str]:
        return {"fingerprint": self.fingerprint, "rule_id": self.rule_id, "scope": self.scope}


def _failing(result: Result) -> bool:
    return result.status in (Status.FAIL, Status.ERROR)


def entries_for(report: Report) -> list[Entry]:
    found = {fingerprint(r): Entry(fingerprint(r), r.rule_id, r.scope) for r in report.results if _failing(r)}
    return sorted(found.values(), key=lambda e: (e.rule_id, e.scope, e.fingerprint))


def render(entries: list[Entry]) -> str:
    return json.dumps({"version": BASELINE_VERSION, "entries": [e.as_dict() for e in entries]}, indent=2) + "\n"


def load(path: Path) -> list[Entry]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}:{exc.lineno}: baseline is not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION or not isinstance(data.get("entries"), list):
        raise ConfigError(f"{path}: not a practicelint baseline (expected version {BASELINE_VERSION} with entries)")
    entries = []
    for i, item in enumerate(data["entries"]):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("fingerprint", "rule_id", "scope")):
            raise ConfigError(f"{path}: entries[{i}]: expected fingerprint, rule_id and scope strings")
        entries.append(Entry(item["fingerprint"], item["rule_id"], item["scope"]))
    return entries


def apply(report: Report, entries: list[Entry]) -> tuple[Report, list[Entry]]:
    """Mark known failures as baselined; return the entries that no longer fail."""
    known = {e.fingerprint for e in entries}
    failing_now: set[str] = set()
    results = []
    for result in report.results:
        if _failing(result):
            fp = fingerprint(result)
            failing_now.add(fp)
            if fp in known:
                result = replace(result, baselined=True)
        results.append(result)
    unknown = _not_evaluated(report)
    fixed = [e for e in entries if e.fingerprint not in failing_now and (e.rule_id, e.scope) not in unknown]
    return replace(report, results=results, baseline_fixed=fixed), fixed


def _not_evaluated(report: Report) -> set[tuple[str, str]]:
    """(rule, scope) pairs skipped in this run: whether they still fail is not known."""
    return {(r.rule_id, r.scope) for r in report.results if r.status is Status.SKIPPED}


def update(report: Report, entries: list[Entry], force: bool = False) -> list[Entry]:
    """Entries that still fail, or were not evaluated in this run (skipped); with ``force``
    also today's new failures."""
    current = entries_for(report)
    unknown = _not_evaluated(report)
    kept = [e for e in entries if (e.rule_id, e.scope) in unknown]
    if force:
        known = {e.fingerprint for e in current}
        return sorted([*current, *(e for e in kept if e.fingerprint not in known)],
                      key=lambda e: (e.rule_id, e.scope, e.fingerprint))
    still = {e.fingerprint for e in current}
    return [e for e in entries if e.fingerprint in still or (e.rule_id, e.scope) in unknown]
