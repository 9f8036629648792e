"""``report merge``: many per-repository or per-shard JSON files -> one org report.

Inputs may mix single-repository ``check --format json`` reports and audit documents
(whole audits or shards). Rows are spooled and summarised exactly as a live audit does, so a
merged report equals the audit that would have covered the same repositories. A repository
found in two inputs is kept once (first input wins) and reported as a duplicate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from linter.audit.aggregate import OrgSummary
from linter.audit.document import RowSpool, load_document
from linter.audit.history import parse_time
from linter.records import dataclass, field


@dataclass
class Merged:
    spool: RowSpool
    summary: OrgSummary
    header: dict[str, Any]
    duplicates: list[str] = field(default_factory=list)


def merge_files(paths: list[Path], spool_path: Path) -> Merged:
    """Read each input once (one file in memory at a time) into a spool and a summary.

    Raises ``DocumentError`` for an input that is not practicelint JSON.
    """
    merged = Merged(RowSpool(spool_path), OrgSummary(), {})
    starts = []
    for path in paths:
        header, rows = load_document(path)
        started = parse_time(header.get("started_at"))
        if started is not None:
            starts.append(started)
        for row in rows:
            if merged.spool.has(str(row["id"])):
                merged.duplicates.append(f"{row['id']} (again in {path})")
                continue
            merged.spool.append(row)
            merged.summary.add(row)
    from linter import __version__

    merged.header = {
        "tool": {"name": "practicelint", "version": __version__},
        "started_at": min(starts).isoformat() if starts else None,
        "shard": None,
        "merged_from": [str(p) for p in paths],
    }
    return merged
