"""Turn collected rows into the org outputs: audit JSON, dashboard, CSV, Markdown, history.

Shared by ``audit`` (rows from workers) and ``report merge`` (rows from JSON files). Rows
carry absolute paths to their per-repository reports while collected; each output gets
links relative to where it is written, so a dashboard and its ``repos/`` folder can be
moved or uploaded together.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from linter.audit.aggregate import OrgSummary
from linter.audit.document import RowSpool, relative_links, write_audit
from linter.fast_dataclass import dataclass, field


@dataclass
class Outputs:
    json: Path | None = None
    html: Path | None = None
    csv: Path | None = None
    markdown: Path | None = None
    history: Path | None = None
    #: repositories listed in the Markdown summary (worst first); the rest are counted
    markdown_top: int = 50
    #: where the full report lives (an artifact or Pages URL), linked from the Markdown summary
    report_url: str | None = None
    written: list[Path] = field(default_factory=list)


def practice_titles() -> dict[str, str]:
    try:
        from linter.catalog import load_catalog

        return {pid: p.title for pid, p in load_catalog().practices.items()}
    except Exception:  # noqa: BLE001 - titles are a nicety; ids still identify practices
        return {}


def rule_metadata() -> dict[str, dict[str, str]]:
    """Name, category and practice of every catalog rule (for the history's ``rules`` table)."""
    try:
        from linter.catalog import load_catalog

        return {rid: {"name": str(r.name), "category": str(r.category), "practice_id": str(r.practice)}
                for rid, r in load_catalog().rules.items()}
    except Exception:  # noqa: BLE001 - the failing rows still carry their rules' metadata
        return {}


def publish(spool: RowSpool, summary: OrgSummary, header: dict[str, Any], outputs: Outputs) -> dict[str, Any]:
    """Write every requested output; returns the summary dict (and regressions, if any).

    Raises ``linter.audit.store.HistoryError`` when the history file cannot be used."""
    rule_info = rule_metadata()
    summary_dict = summary.as_dict(practice_titles(), rule_info, started_at=header.get("started_at"))
    header = {**header, "summary": summary_dict}
    if outputs.json is not None:
        write_audit(outputs.json, header, (relative_links(row, outputs.json.parent) for row in spool.rows()))
        outputs.written.append(outputs.json)
    reading = None
    if outputs.history is not None:
        from linter.audit.history import record_and_read

        meta = {**summary.rule_meta, **rule_info}
        reading = record_and_read(outputs.history, header, summary_dict, spool.rows(),
                                  source="merge" if header.get("merged_from") else "audit", rule_meta=meta)
        outputs.written.append(reading.database)
    if outputs.html is not None:
        from linter.audit.dashboard import render

        _mkparent(outputs.html)
        with open(outputs.html, "w", encoding="utf-8") as out:
            render(out, header=header, summary=summary_dict,
                   rows=(relative_links(row, outputs.html.parent) for row in spool.rows(order="worst")),
                   trends=reading.trends if reading else None,
                   regressions=reading.regressions if reading else None,
                   previous=reading.previous if reading else None,
                   membership=reading.membership if reading else None)
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
            write_markdown(out, header, summary_dict, spool.rows(order="worst"), top=outputs.markdown_top,
                           report_url=outputs.report_url)
        outputs.written.append(outputs.markdown)
    return {"summary": summary_dict, "regressions": reading.regressions if reading else None}


def _mkparent(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
