"""Turn collected rows into the org outputs: audit JSON, dashboard, CSV, Markdown, history.

Shared by ``audit`` (rows from workers) and ``report merge`` (rows from JSON files). Rows
carry absolute paths to their per-repository reports while collected; each output gets
links relative to where it is written, so a dashboard and its ``repos/`` folder can be
moved or uploaded together.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from linter.audit.aggregate import OrgSummary
from linter.audit.document import RowSpool, load_document, relative_links, write_audit
from linter.audit.history import load_points, parse_time, save_snapshot
from linter.records import dataclass, field


@dataclass
class Outputs:
    json: Path | None = None
    html: Path | None = None
    csv: Path | None = None
    markdown: Path | None = None
    history: Path | None = None
    written: list[Path] = field(default_factory=list)


def practice_titles() -> dict[str, str]:
    try:
        from linter.catalog import load_catalog

        return {pid: p.title for pid, p in load_catalog().practices.items()}
    except Exception:  # noqa: BLE001 - titles are a nicety; ids still identify practices
        return {}


def publish(spool: RowSpool, summary: OrgSummary, header: dict[str, Any], outputs: Outputs) -> dict[str, Any]:
    """Write every requested output; returns the summary dict (and regressions, if any)."""
    summary_dict = summary.as_dict(practice_titles())
    header = {**header, "summary": summary_dict}
    started = parse_time(header.get("started_at"))
    doc = outputs.json
    scratch = None
    if doc is None and outputs.history is not None:
        scratch = tempfile.TemporaryDirectory(prefix="practicelint-audit-")
        doc = Path(scratch.name) / "audit.json"
    if doc is not None:
        base = doc.parent
        write_audit(doc, header, (relative_links(row, base) for row in spool.rows()))
        if doc == outputs.json:
            outputs.written.append(doc)
    trends, regressions, previous = _history(outputs.history, doc, started, summary_dict)
    if outputs.html is not None:
        from linter.audit.dashboard import render

        _mkparent(outputs.html)
        with open(outputs.html, "w", encoding="utf-8") as out:
            render(out, header=header, summary=summary_dict,
                   rows=(relative_links(row, outputs.html.parent) for row in spool.rows()),
                   trends=trends, regressions=regressions, previous=previous)
        outputs.written.append(outputs.html)
    if outputs.csv is not None:
        from linter.audit.csvout import write_csv

        _mkparent(outputs.csv)
        with open(outputs.csv, "w", encoding="utf-8", newline="") as out:
            write_csv(out, spool.rows(), outputs.csv.parent)
        outputs.written.append(outputs.csv)
    if outputs.markdown is not None:
        from linter.audit.mdout import write_markdown

        _mkparent(outputs.markdown)
        with open(outputs.markdown, "w", encoding="utf-8") as out:
            write_markdown(out, header, summary_dict, spool.rows())
        outputs.written.append(outputs.markdown)
    if outputs.history is not None and doc is not None and started is not None:
        outputs.written.append(save_snapshot(outputs.history, doc, started))
    if scratch is not None:
        scratch.cleanup()
    return {"summary": summary_dict, "regressions": regressions}


def _mkparent(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)


def _history(history: Path | None, doc: Path | None, started: datetime | None,
             summary: dict[str, Any]) -> tuple[list[tuple[datetime, dict[str, Any]]], list[dict[str, Any]] | None, str | None]:
    """Trend points (older snapshots plus this audit) and the regressions since the last one."""
    if history is None or started is None:
        return [], None, None
    from linter.audit.diff import compare

    points = load_points(history, before=started)
    trends = [(p.started_at, p.summary) for p in points] + [(started, summary)]
    if not points or doc is None:
        return trends, [], None
    _, old_rows = load_document(points[-1].path)
    _, new_rows = load_document(doc)
    diff = compare(old_rows, new_rows)
    regressions = [r for r in diff["repos"] if r["change"] == "regressed"]
    return trends, regressions, points[-1].started_at.strftime("%Y-%m-%d %H:%M UTC")
