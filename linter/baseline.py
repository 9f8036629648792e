"""Baselines: adopt practicelint on an existing repository without a wall of red, then ratchet.

``baseline create`` records today's failures by fingerprint. ``check --baseline`` keeps
reporting them but only new failures set the exit code, and lists entries that now pass.
``baseline update`` drops entries that no longer fail and never adds new ones unless forced,
so the file only ever shrinks. A result ``skipped`` in this checkout (a history rule on a
shallow clone) is unknown, not fixed: its entries are kept, and not listed as passing.

The file usually sits in the repository (``PATH/.practicelint-baseline.json``), so in CI a pull
request writes it: it is read only when it is a regular file of at most ``MAX_BYTES`` (never a
FIFO, a device or a link to one), its nesting errors are configuration errors, and inside the
scanned folder the command line writes it by replacing it, never through a link planted there
(``linter.outfiles``, as it writes reports).
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace

from pathlib import Path
from typing import Any

from linter.errors import ConfigError
from linter.fingerprints import fingerprint
from linter.fast_dataclass import dataclass
from linter.results import Report, Result, Status

BASELINE_VERSION = 1
DEFAULT_BASELINE = ".practicelint-baseline.json"
#: Far above any real baseline (an entry is about 150 bytes), far below what parsing could not afford.
MAX_BYTES = 16 * 1024 * 1024


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


def _read(path: Path) -> str:
    """The text of a regular file of at most ``MAX_BYTES``: opened without blocking (a FIFO
    would wait for a writer forever), checked after opening (a link to ``/dev/zero`` never ends)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{path}: cannot read baseline: not a regular file")
        if info.st_size > MAX_BYTES:
            raise ConfigError(f"{path}: cannot read baseline: larger than {MAX_BYTES // (1024 * 1024)} MiB")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise ConfigError(f"{path}: cannot read baseline: larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return data.decode("utf-8")


def load(path: Path) -> list[Entry]:
    try:
        data: Any = json.loads(_read(path))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read baseline: not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}:{exc.lineno}: baseline is not valid JSON: {exc.msg}") from None
    except RecursionError:  # json's parser recurses once per level of nesting
        raise ConfigError(f"{path}: baseline is not valid JSON: nested too deeply") from None
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
