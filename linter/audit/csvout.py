"""CSV export: one line per repository and (rule, scope), for spreadsheets.

The last columns say what each line is true of: the repository's HEAD ``commit``, when it
was audited (``audited_at``, UTC ISO 8601), the repository's ``kind`` (service, library, tool...,
``mixed`` when a monorepo's scopes differ, ``unknown`` when nothing says, ``not audited`` for
a repository that could not be read) and where that came
from (``kind_source``: config, backstage, inferred, none, or scopes when it is read from
several), and the kind of the line's own scope (``scope_kind``: a monorepo's ``services/api``
may be a service where ``libs/util`` is a library; ``.`` is the repository's kind).

Messages and waiver details come from each repository's full JSON report, read one at a
time; when that file is gone the compact row still gives rule, scope and status. Cells that
a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR) are prefixed
with an apostrophe: repository text must never become a formula.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Iterable, TextIO

from linter.audit.rows import UNKNOWN_KIND, kind_group

COLUMNS = ("repository", "repository_id", "owner", "repository_status", "level", "score", "rule_id", "rule_name",
           "category", "severity", "scope", "status", "message", "waiver_owner", "waiver_reason", "waiver_expires",
           "commit", "audited_at", "kind", "kind_source", "scope_kind")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SCOPE_COLUMN = COLUMNS.index("scope")


def safe_cell(value: Any) -> str:
    """A cell no spreadsheet runs as a formula and no terminal or CI log obeys when the file is
    printed (``linter.inert.line``: one line, controls and bidi overrides shown as escapes, no
    ``::`` command opening a line, no ``##vso[``)."""
    from linter import inert

    text = "" if value is None else str(value)
    text = "'" + text if text.startswith(_FORMULA_START) else text
    return inert.line(text)


def _report_results(row: dict[str, Any], base: Path) -> list[dict[str, Any]] | None:
    path = row.get("report_json")
    if not isinstance(path, str) or not path:
        return None
    full = Path(path) if Path(path).is_absolute() else base / path
    try:
        data = json.loads(full.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    results = data.get("results") if isinstance(data, dict) else None
    return [r for r in results if isinstance(r, dict)] if isinstance(results, list) else None


def _lines(row: dict[str, Any], base: Path) -> Iterable[list[Any]]:
    kind = kind_group(row)
    scope_kinds = row.get("scope_kinds") if isinstance(row.get("scope_kinds"), dict) else {}
    for line in _rule_lines(row, base):
        scope = line[SCOPE_COLUMN]
        scope_kind = scope_kinds.get(scope) or (kind if scope == "." else UNKNOWN_KIND) if scope else ""
        yield line + [row.get("commit"), row.get("audited_at"), kind, row.get("kind_source") or "none", scope_kind]


def _rule_lines(row: dict[str, Any], base: Path) -> Iterable[list[Any]]:
    head = [row.get("name"), row.get("id"), row.get("owner"), row.get("status"), row.get("level"), row.get("score")]
    if row.get("status") != "ok":
        yield head + ["", "", "", "", "", "error", row.get("error"), "", "", ""]
        return
    results = _report_results(row, base)
    if results is None:
        meta = {(f.get("rule_id"), f.get("scope")): f for f in row.get("failing") or []}
        for rule_id, scope, status in row.get("results") or []:
            info = meta.get((rule_id, scope), {})
            yield head + [rule_id, info.get("name", ""), info.get("category", ""), info.get("severity", ""),
                          scope, status, "", "", "", ""]
        return
    for item in results:
        waiver = item.get("waiver") if isinstance(item.get("waiver"), dict) else {}
        yield head + [item.get("rule_id"), item.get("name"), item.get("category"), item.get("severity"),
                      item.get("scope"), item.get("status"), item.get("message"),
                      waiver.get("owner"), waiver.get("reason"), waiver.get("expires")]


def write_csv(out: TextIO, rows: Iterable[dict[str, Any]], base: Path) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        for line in _lines(row, base):
            writer.writerow([safe_cell(cell) for cell in line])
