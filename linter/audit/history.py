"""Dated audit snapshots (``--history DIR``): the trend lines and "since last audit" diff.

A snapshot is the audit document copied to ``DIR/audit-<UTC start time>.json``. The start
time comes from the audit's clock (``PRACTICELINT_NOW`` pins it), never from the file's
modification time, so re-running an old audit files it in the right place. Only each
snapshot's ``summary`` is kept in memory when drawing trends.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from linter.audit.document import DocumentError, is_audit, read_json
from linter.records import dataclass

PREFIX = "audit-"


@dataclass(frozen=True)
class Point:
    started_at: datetime
    path: Path
    summary: dict[str, Any]


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def snapshot_path(history_dir: Path, started_at: datetime) -> Path:
    stamp = started_at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return history_dir / f"{PREFIX}{stamp}.json"


def save_snapshot(history_dir: Path, document: Path, started_at: datetime) -> Path:
    history_dir.mkdir(parents=True, exist_ok=True)
    target = snapshot_path(history_dir, started_at)
    shutil.copyfile(document, target)
    return target


def load_points(history_dir: Path, before: datetime | None = None) -> list[Point]:
    """Every readable snapshot in ``history_dir`` (started before ``before``), oldest first."""
    if not history_dir.is_dir():
        return []
    points = []
    for path in sorted(history_dir.glob(f"{PREFIX}*.json")):
        try:
            data = read_json(path)
        except DocumentError:
            continue
        started = parse_time(data.get("started_at")) if isinstance(data, dict) else None
        if not is_audit(data) or started is None or (before is not None and started >= before):
            continue
        summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
        points.append(Point(started, path, summary))
    return sorted(points, key=lambda p: p.started_at)
