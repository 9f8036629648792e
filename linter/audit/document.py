"""The audit document (``audit.json``): written streaming, read back in any of its forms.

Rows are spooled to a JSON-lines file as repositories finish; the parent keeps only each
row's sort key and byte offset. The final document is written one row a line, sorted by
repository name, so it is valid JSON, deterministic, and readable without loading it whole.
``load_rows`` accepts both audit documents (whole audits or shards) and single-repository
``practicelint check --format json`` reports.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterator

from linter.audit import AUDIT_KIND, AUDIT_SCHEMA_VERSION
from linter.audit.inputs import display_name, slug_for
from linter.audit.rows import row_from_report
from linter.inert import defuse_json


class DocumentError(ValueError):
    """An input file that is neither an audit document nor a check JSON report."""


class RowSpool:
    """Rows on disk, replayable in a stable sorted order; one row per repository identity.

    ``put`` of an identity already held replaces it (the earlier bytes stay in the file,
    unreferenced): merges decide which of two rows wins before calling it. Memory holds
    only each row's sort keys and byte offset."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(path, "w+b")
        self._index: dict[str, tuple[str, tuple[int, int, int], int, int]] = {}

    def __len__(self) -> int:
        return len(self._index)

    def has(self, identity: str) -> bool:
        return identity in self._index

    def put(self, row: dict[str, Any]) -> None:
        data = (json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        self._file.seek(0, os.SEEK_END)
        offset = self._file.tell()
        self._file.write(data)
        self._index[str(row["id"])] = (str(row.get("name", "")).lower(), worst_key(row), offset, len(data))

    append = put

    def get(self, identity: str) -> dict[str, Any] | None:
        entry = self._index.get(identity)
        if entry is None:
            return None
        self._file.flush()
        self._file.seek(entry[2])
        return json.loads(self._file.read(entry[3]))

    def ids(self) -> list[str]:
        return sorted(self._index)

    def rows(self, order: str = "name") -> Iterator[dict[str, Any]]:
        """Every row, by name (then identity), or with ``order="worst"`` worst first: lowest
        level, then lowest score, then name; rows that could not be audited last."""
        self._file.flush()
        worst = order == "worst"
        keyed = sorted(((entry[1] if worst else (0, 0, 0)), entry[0], ident, entry[2], entry[3])
                       for ident, entry in self._index.items())
        for *_, offset, length in keyed:
            self._file.seek(offset)
            yield json.loads(self._file.read(length))

    def close(self, delete: bool = True) -> None:
        self._file.close()
        if delete:
            self.path.unlink(missing_ok=True)


def worst_key(row: dict[str, Any]) -> tuple[int, int, int]:
    """Sort key putting the repositories furthest from the practices first."""
    if row.get("status") != "ok":
        return (1, 0, 0)
    level, score = row.get("level"), row.get("score")
    # no level or score (nothing applies): after every repository that has one, not first
    return (0, level if isinstance(level, int) else 99, score if isinstance(score, int) else 101)


def write_audit(path: Path, header: dict[str, Any], rows: Iterator[dict[str, Any]]) -> None:
    """Stream the document: header keys, then ``"repos"`` with one row per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        head = {"schema_version": AUDIT_SCHEMA_VERSION, "kind": AUDIT_KIND, **header}
        text = defuse_json(json.dumps(head, indent=2, ensure_ascii=False))
        out.write(text[:-2] + ',\n  "repos": [')
        first = True
        for row in rows:
            out.write(("\n    " if first else ",\n    ") + defuse_json(json.dumps(row, ensure_ascii=False, sort_keys=True)))
            first = False
        out.write("\n  ]\n}\n" if not first else "]\n}\n")
    os.replace(tmp, path)


def read_json(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise DocumentError(f"{path}: not JSON: {exc}") from None


def is_audit(data: Any) -> bool:
    return isinstance(data, dict) and data.get("kind") == AUDIT_KIND and isinstance(data.get("repos"), list)


def is_check_report(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("results"), list) and isinstance(data.get("target"), dict)


def load_document(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``(header, rows)`` of an audit document or a check report; report paths made absolute."""
    data = read_json(path)
    base = path.resolve().parent
    if is_audit(data):
        header = {k: v for k, v in data.items() if k != "repos"}
        rows = [absolute_links(row, base) for row in data["repos"] if isinstance(row, dict) and row.get("id")]
        return header, rows
    if is_check_report(data):
        return {"kind": "practicelint-check"}, [row_from_check(data, path)]
    raise DocumentError(f"{path}: neither a practicelint audit nor a check JSON report")


def row_from_check(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """The row of a single-repository report; identity from its ``audit`` block if it has one."""
    audit = data.get("audit") if isinstance(data.get("audit"), dict) else {}
    target = data["target"]
    identity = str(audit.get("id") or target.get("path") or path.resolve().as_posix())
    name = str(audit.get("name") or target.get("name") or display_name(identity))
    owners = [str(o) for o in audit.get("owners") or [] if isinstance(o, str)]
    row = row_from_report(data, identity=identity, name=name, source=str(audit.get("source") or target.get("path")),
                          slug=str(audit.get("slug") or slug_for(name, identity)), owners=owners,
                          owner_source=audit.get("owner_source"),
                          audited_at=str(audit["audited_at"]) if isinstance(audit.get("audited_at"), str) else None)
    if isinstance(audit.get("config_key"), str):
        row["config_key"] = audit["config_key"]
    row["report_json"] = str(path.resolve())
    html = path.resolve().with_suffix(".html")
    row["report_html"] = str(html) if html.is_file() else None
    return row


def absolute_links(row: dict[str, Any], base: Path) -> dict[str, Any]:
    for key in ("report_json", "report_html"):
        value = row.get(key)
        if isinstance(value, str) and value and not Path(value).is_absolute():
            row[key] = str((base / value).resolve())
    return row


def relative_links(row: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    """Make a row's report paths relative to where the new document is written."""
    row = dict(row)
    for key in ("report_json", "report_html"):
        value = row.get(key)
        if isinstance(value, str) and Path(value).is_absolute():
            row[key] = Path(os.path.relpath(value, out_dir.resolve())).as_posix()
    return row
