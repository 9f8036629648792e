"""Audits that build on an earlier one: ``audit --retry-failed PREV`` and ``--skip-unchanged PREV``.

* ``--retry-failed``: repositories that were audited (``ok``) in ``PREV`` keep their row;
  only error rows, and repositories ``PREV`` did not have, are audited again. The result is
  a whole document again (a shard's retry is that shard), so it replaces ``PREV``, or merges
  with the other shards, where its ``ok`` rows win over the old error rows.
* ``--skip-unchanged``: an ``ok`` row of ``PREV`` is kept when the repository's HEAD commit is
  the one it was audited at (a URL's remote HEAD from ``git ls-remote``, one request; a
  checkout's HEAD with a clean work tree), the configuration key is the same (practicelint's
  version with a digest of its code and rules, ``linter.cli_audit.code_digest``, and the
  contents of ``--config``/``--policy`` and ``--ignore-repo-waivers``), and no
  waiver it relied on has expired since. Everything else is audited.

Without paths or URLs on the command line the list is ``PREV``'s own repositories. A kept row
keeps its ``audited_at`` (its results are as of then; time-based rules such as game-day
recency are not re-judged) and its per-repository reports are copied into the new output
folder. ``PREV``'s rows are spooled to disk and read back one at a time.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from linter.audit import AUDIT_KIND
from linter.audit.document import DocumentError, RowSpool, load_document
from linter.audit.inputs import RepoInput, is_url
from linter.fast_dataclass import dataclass, field

RETRY = "retry-failed"
SKIP = "skip-unchanged"


def config_key(version: str, config: Path | None, policy: Path | None, ignore_repo_waivers: bool) -> str:
    """What besides the commit decides a repository's results: practicelint's version and the
    central configuration's bytes. A short hash, stored in each row (``config_key``)."""
    def digest(path: Path | None) -> str | None:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else None

    material = json.dumps({"version": version, "config": digest(config), "policy": digest(policy),
                           "ignore_repo_waivers": bool(ignore_repo_waivers)}, sort_keys=True)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


@dataclass
class Reuse:
    """The previous audit, on disk, and what this run may take from it."""

    mode: str
    path: Path
    header: dict[str, Any]
    spool: RowSpool
    key: str
    today: str
    kept: int = 0
    candidates: dict[str, str] = field(default_factory=dict)

    def close(self) -> None:
        self.spool.close()

    def shard(self) -> tuple[int, int] | None:
        shard = self.header.get("shard")
        if isinstance(shard, dict) and isinstance(shard.get("index"), int) and isinstance(shard.get("count"), int):
            return shard["index"], shard["count"]
        return None

    def inputs(self) -> list[RepoInput]:
        """``PREV``'s repositories as inputs (URLs without their credentials, as recorded)."""
        out = []
        for ident in self.spool.ids():
            row = self.spool.get(ident) or {}
            source = str(row.get("source") or ident)
            kind = "url" if is_url(source) else "path"
            out.append(RepoInput(id=ident, name=str(row.get("name") or ident), source=source, kind=kind,
                                 slug=str(row.get("slug") or ident), clone_url=source if kind == "url" else ""))
        return sorted(out)

    def _usable(self, row: dict[str, Any] | None) -> bool:
        return isinstance(row, dict) and row.get("status") == "ok"

    def kept_row(self, item: RepoInput, output_dir: Path) -> dict[str, Any] | None:
        """``PREV``'s row for ``item`` when ``--retry-failed`` keeps it without auditing."""
        if self.mode != RETRY:
            return None
        row = self.spool.get(item.id)
        return self._reused(row, output_dir) if self._usable(row) else None

    def previous_commit(self, item: RepoInput) -> str | None:
        """The commit to compare HEAD with, when ``--skip-unchanged`` may keep ``item``'s row."""
        if self.mode != SKIP:
            return None
        row = self.spool.get(item.id)
        if not self._usable(row) or not isinstance(row.get("commit"), str) or row.get("config_key") != self.key:
            return None
        for waiver in row.get("waivers") or []:  # a waiver that lapsed since must fail the rule again
            expires = str(waiver.get("expires") or "")
            if waiver.get("state", "active") == "active" and expires and expires[:10] < self.today:
                return None
        return str(row["commit"])

    def unchanged_row(self, identity: str, output_dir: Path) -> dict[str, Any] | None:
        row = self.spool.get(identity)
        return self._reused(row, output_dir) if self._usable(row) else None

    def _reused(self, row: dict[str, Any], output_dir: Path) -> dict[str, Any]:
        self.kept += 1
        row = dict(row)
        row["reused"] = True
        for key in ("report_json", "report_html"):
            row[key] = _copy_report(row.get(key), output_dir)
        return row


def _copy_report(path: Any, output_dir: Path) -> str | None:
    """The report at ``path`` (absolute) copied to ``output_dir/repos/`` (absolute result)."""
    if not isinstance(path, str) or not path:
        return None
    source = Path(path)
    target = output_dir / "repos" / source.name
    try:
        if source.resolve() != target.resolve():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    except OSError:
        return None
    return str(target)


def load(mode: str, path: Path, scratch: Path, key: str, now: datetime) -> Reuse:
    """Read ``PREV`` (an audit document; a shard is fine). Raises ``DocumentError``."""
    header, rows = load_document(path)
    if header.get("kind") != AUDIT_KIND:
        raise DocumentError(f"{path}: --{mode} needs a practicelint audit document (audit.json)")
    spool = RowSpool(scratch / "previous.jsonl")
    for row in rows:
        spool.put(row)
    return Reuse(mode=mode, path=path, header=header, spool=spool, key=key, today=now.date().isoformat())
