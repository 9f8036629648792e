"""``--history``: record each audit in the SQLite history (``linter.audit.store``) and read
back the dashboard's trends and "since the last audit" regressions.

``--history audits.db`` names the database. ``--history DIR`` (the folder of JSON snapshots
earlier versions kept) keeps it as ``DIR/audits.db`` and imports every ``audit-*.json``
snapshot found there that is not recorded yet, so an existing history carries on. An
audit is filed under its start time from the audit's clock (``PRACTICELINT_NOW`` pins it),
never a file's modification time; recording the same audit again replaces it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from linter.audit.document import DocumentError, is_audit, load_document, read_json
from linter.audit.timefmt import human_time
from linter.fast_dataclass import dataclass

PREFIX = "audit-"


@dataclass
class Reading:
    """What the dashboard shows from the history once the current audit is recorded."""

    trends: list[tuple[datetime, dict[str, Any]]]
    regressions: list[dict[str, Any]] | None
    previous: str | None
    database: Path
    #: repositories added and removed since the previous run (``History.membership``), or None
    membership: dict[str, Any] | None = None


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def snapshot_path(history_dir: Path, started_at: datetime) -> Path:
    """Where earlier versions filed a JSON snapshot (kept for tests and imports)."""
    stamp = started_at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return history_dir / f"{PREFIX}{stamp}.json"


def import_documents(history: Any, paths: list[Path], rule_meta: dict[str, dict[str, str]] | None = None,
                     skip_recorded: bool = False) -> list[Path]:
    """Record each audit document (a snapshot) in ``history``; the paths imported.

    Raises ``DocumentError`` for a file that is not an audit document with a start time."""
    from linter.audit.aggregate import OrgSummary
    from linter.audit.store import utc_iso

    recorded = {r["started_at"] for r in history.runs()} if skip_recorded else set()
    done = []
    for path in paths:
        data = read_json(path)
        if not is_audit(data):
            raise DocumentError(f"{path}: not a practicelint audit document")
        started = parse_time(data.get("started_at"))
        if started is None:
            raise DocumentError(f"{path}: the audit has no start time")
        if utc_iso(started) in recorded:
            continue
        header, rows = load_document(path)
        summary = OrgSummary()
        for row in rows:
            summary.add(row)
        history.record(header, summary.as_dict(started_at=header.get("started_at")), rows, source="import",
                       rule_meta=rule_meta)
        done.append(path)
    return done


def snapshots_in(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{PREFIX}*.json")) if folder.is_dir() else []


def record_and_read(path: Path, header: dict[str, Any], summary: dict[str, Any], rows: Any, source: str,
                    rule_meta: dict[str, dict[str, str]]) -> Reading:
    """Record this audit in the history at ``path`` and read what the dashboard shows.

    Raises ``linter.audit.store.HistoryError`` (unusable file) or ``DocumentError`` (an
    unreadable snapshot in a snapshot folder)."""
    from linter.audit.store import History, resolve

    database = resolve(path)
    with History(database) as history:
        if path.is_dir():
            import_documents(history, snapshots_in(path), rule_meta, skip_recorded=True)
        run_id = history.record(header, summary, rows, source=source, rule_meta=rule_meta)
        previous = history.previous_run(run_id)
        trends = history.trends(run_id)
        # the first audit of a history has nothing to compare with: no section, rather than
        # "None: no repository regressed", which claims a comparison that was not made
        regressions = history.regressions(run_id, previous) if previous is not None else None
        membership = history.membership(run_id, previous) if previous is not None else None
        when = human_time(history.started_at(previous)) if previous is not None else None
    return Reading(trends, regressions, when, database, membership)
