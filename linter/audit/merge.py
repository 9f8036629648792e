"""``report merge``: many per-repository or per-shard JSON files -> one org report.

Inputs may mix single-repository ``check --format json`` reports and audit documents
(whole audits, shards, retries). Rows are spooled and summarised exactly as a live audit
does, so a merged report equals the audit that would have covered the same repositories.

**A repository in two inputs** (a shard and its retry, or a shard given twice) is kept
once: a row that was audited (``ok``) wins over one that could not be (``error``);
between two of the same status the newest wins (the row's ``audited_at``, else its
document's ``started_at``); on a tie the input given later wins. Each replacement is
reported.

**Completeness.** Shard documents say ``K of N``. The merge notices shards that are
missing, records ``completion`` in the merged header (shards expected, present and
missing, repositories expected and covered, and the ratio) and marks the result
``partial``; the CLI exits 1 for it unless ``--min-completion`` accepts the ratio. The
ratio counts repositories when every shard present says how many the whole list had
(``shard.total``, written since this version), else shards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from linter.audit.aggregate import OrgSummary
from linter.audit.document import DocumentError, RowSpool, load_document
from linter.audit.history import parse_time
from linter.fast_dataclass import dataclass, field


@dataclass
class Merged:
    spool: RowSpool
    summary: OrgSummary
    header: dict[str, Any]
    duplicates: list[str] = field(default_factory=list)

    @property
    def completion(self) -> dict[str, Any] | None:
        value = self.header.get("completion")
        return value if isinstance(value, dict) else None


def _rank(row: dict[str, Any], started: str | None, order: int) -> tuple[int, str, int]:
    """Greater wins: audited beats could-not-be-audited, then newer, then later input."""
    when = parse_time(row.get("audited_at")) or parse_time(started)
    return (1 if row.get("status") == "ok" else 0, when.isoformat() if when else "", order)


@dataclass
class _Shards:
    """What the shard documents among the inputs say about the whole list."""

    count: int | None = None
    present: dict[int, int] = field(default_factory=dict)  # shard index -> repositories in it
    totals: set[int] = field(default_factory=set)
    without_total: bool = False

    def add(self, shard: Any, rows: int, path: Path) -> None:
        if not isinstance(shard, dict):
            return
        index, count = shard.get("index"), shard.get("count")
        if not (isinstance(index, int) and isinstance(count, int) and 1 <= index <= count):
            raise DocumentError(f"{path}: malformed shard header {shard!r}")
        if self.count is not None and count != self.count:
            raise DocumentError(f"{path}: shard {index} of {count} cannot be merged with shards of {self.count}")
        self.count = count
        self.present[index] = max(self.present.get(index, 0), int(shard.get("repos", rows)))
        total = shard.get("total")
        if isinstance(total, int) and total >= 0:
            self.totals.add(total)
        else:
            self.without_total = True

    def completion(self) -> dict[str, Any] | None:
        if self.count is None:
            return None
        missing = [k for k in range(1, self.count + 1) if k not in self.present]
        expected = max(self.totals) if self.totals and not self.without_total else None
        covered = sum(self.present.values())
        if expected is not None:
            ratio = 1.0 if expected == 0 else min(covered / expected, 1.0)
        else:
            ratio = len(self.present) / self.count
        if not missing:
            ratio = 1.0
        elif ratio >= 1.0:
            ratio = 0.999999  # a missing shard of a list whose size we misjudge is still missing
        return {"shards_expected": self.count, "shards_present": sorted(self.present), "shards_missing": missing,
                "repos_expected": expected, "repos_covered": covered, "ratio": round(ratio, 6),
                "partial": bool(missing)}


def merge_files(paths: list[Path], spool_path: Path) -> Merged:
    """Read each input once (one file in memory at a time) into a spool, choose between
    duplicate rows (see the module docstring), then summarise the winners.

    Raises ``DocumentError`` for an input that is not practicelint JSON, or shards of
    different splits."""
    merged = Merged(RowSpool(spool_path), OrgSummary(), {})
    starts = []
    row_times = []
    ranks: dict[str, tuple[tuple[int, str, int], str]] = {}
    shards = _Shards()
    for order, path in enumerate(paths):
        header, rows = load_document(path)
        started = header.get("started_at") if isinstance(header.get("started_at"), str) else None
        moment = parse_time(started)
        if moment is not None:
            starts.append(moment)
        shards.add(header.get("shard"), len(rows), path)
        for row in rows:
            ident = str(row["id"])
            rank = _rank(row, started, order)
            if ident in ranks:
                kept_rank, kept_from = ranks[ident]
                if rank <= kept_rank:
                    merged.duplicates.append(f"{ident}: kept the {_label(kept_rank)} row from {kept_from} "
                                             f"over the {_label(rank)} one in {path}")
                    continue
                merged.duplicates.append(f"{ident}: kept the {_label(rank)} row from {path} "
                                         f"over the {_label(kept_rank)} one in {kept_from}")
            if started and not row.get("audited_at"):
                row["audited_at"] = started
            when = parse_time(row.get("audited_at"))
            if when is not None:
                row_times.append(when)
            ranks[ident] = (rank, str(path))
            merged.spool.put(row)
    for row in merged.spool.rows():
        merged.summary.add(row)
    from linter import __version__

    completion = shards.completion()
    merged.header = {
        "tool": {"name": "practicelint", "version": __version__},
        # single-repository reports carry no start time: their rows' audit times stand in
        "started_at": min(starts or row_times).isoformat() if starts or row_times else None,
        "shard": None,
        "merged_from": [str(p) for p in paths],
        **({"completion": completion} if completion is not None else {}),
    }
    return merged


def _label(rank: tuple[int, str, int]) -> str:
    status = "ok" if rank[0] else "error"
    return f"{status}, {rank[1]}" if rank[1] else status


def parse_min_completion(text: str) -> float:
    """``"0.99"`` or ``"99%"`` -> 0.99; anything outside 0..1 (0..100%) is a ``ValueError``."""
    raw = text.strip()
    value = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"--min-completion: expected a fraction from 0 to 1 or a percentage, got {text!r}")
    return value


def accepted(completion: dict[str, Any] | None, minimum: float | None) -> bool:
    """Whether a merge with this ``completion`` may be used: complete, or at least ``minimum``."""
    if completion is None or not completion.get("partial"):
        return True
    return minimum is not None and float(completion.get("ratio") or 0.0) >= minimum


def describe(completion: dict[str, Any]) -> str:
    """One line for people: which shards are missing and how much of the list is covered."""
    missing = completion.get("shards_missing") or []
    shown = ", ".join(str(k) for k in missing[:20]) + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
    noun = "shard" if len(missing) == 1 else "shards"
    ratio = 100 * float(completion.get("ratio") or 0.0)
    return (f"partial: {noun} {shown} of {completion.get('shards_expected')} missing; "
            f"{ratio:.1f}% of the repositories covered")
