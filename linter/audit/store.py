"""Audit history in SQLite (``--history audits.db``): one file, queried for trends and regressions.

Why SQLite: weekly audits of tens of thousands of repositories are millions of results a
run; JSON snapshots neither scale to that nor answer a question without code. The standard
library's ``sqlite3`` needs nothing installed, and the file opens in any SQLite client.

Schema (version ``SCHEMA_VERSION``; ``PRAGMA user_version`` records it and ``MIGRATIONS``
upgrade older files in order, each in one transaction):

* ``runs``: one row per audit or merged audit: ``run_id``, ``started_at`` (UTC ISO 8601,
  unique: recording the same audit again replaces it), ``tool_version``, ``repos``,
  ``audited``, ``errors``, ``mean_score``, ``partial``, ``completion``, ``source``.
* ``repositories``: ``repo_key``, ``repository`` (the identity, ``github.com/acme/api``), ``name``.
* ``repository_runs``: per run and repository: ``status`` (``ok``/``error``), ``error``,
  ``head_commit``, ``audited_at``, ``kind`` (what the repository is: ``service``, ``library``...,
  ``mixed`` for a monorepo whose scopes differ, ``unknown``, ``not audited`` for an error row;
  ``linter.audit.rows.kind_group``),
  ``kind_source`` (``config``, ``backstage``, ``inferred``, ``scopes``, ``none``; version 2),
  ``owner_team``, ``level``, ``score``.
* ``scope_kinds`` (version 2): per run, repository and scope: the scope's own ``kind`` (a
  monorepo's ``services/api`` a service, its ``libs/util`` a library).
* ``category_scores``: per run, repository and category: ``score``.
* ``results``: per run, repository, rule and scope: ``status``, ``severity``.
* ``rules``: ``rule_id``, ``name``, ``category``, ``practice_id`` (catalog metadata).
* view ``result_rows``: one row per repository x rule x scope x run with the run's start, the
  repository's identity and name, HEAD commit, audit time, the repository's kind, owner team,
  rule metadata, scope, the scope's kind (``scope_kind``; the repository's for ``.``), status
  and severity: the rows ``report export`` writes as NDJSON (``EXPORT_COLUMNS``).

Trends (mean score and per-category means per run) and regressions (a (rule, scope) failing
now that did not fail in the previous run, a lower level or score, a repository that can no
longer be audited) are SQL queries on these tables; ``tests/audit/test_history.py`` checks
they agree with ``practicelint diff`` on the same two audits.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from linter.audit.rows import FAILING, kind_group
from linter.results import counted

SCHEMA_VERSION = 2
#: How many past runs the dashboard's trend shows.
TREND_RUNS = 52
#: Repositories named as added or removed since the previous run (the rest are counted).
MAX_MEMBERSHIP_NAMES = 100
DB_NAME = "audits.db"

_V1 = """
CREATE TABLE runs (
  run_id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL UNIQUE,
  tool_version TEXT,
  repos INTEGER NOT NULL,
  audited INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  mean_score REAL,
  partial INTEGER NOT NULL DEFAULT 0,
  completion REAL,
  source TEXT
);
CREATE TABLE repositories (
  repo_key INTEGER PRIMARY KEY,
  repository TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);
CREATE TABLE repository_runs (
  run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  repo_key INTEGER NOT NULL REFERENCES repositories(repo_key),
  status TEXT NOT NULL,
  error TEXT,
  head_commit TEXT,
  audited_at TEXT,
  kind TEXT NOT NULL,
  owner_team TEXT,
  level INTEGER,
  score INTEGER,
  PRIMARY KEY (run_id, repo_key)
) WITHOUT ROWID;
CREATE TABLE category_scores (
  run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  repo_key INTEGER NOT NULL,
  category TEXT NOT NULL,
  score INTEGER,
  PRIMARY KEY (run_id, repo_key, category)
) WITHOUT ROWID;
CREATE TABLE results (
  run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  repo_key INTEGER NOT NULL,
  rule_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  status TEXT NOT NULL,
  severity TEXT,
  PRIMARY KEY (run_id, repo_key, rule_id, scope)
) WITHOUT ROWID;
CREATE TABLE rules (
  rule_id TEXT PRIMARY KEY,
  name TEXT,
  category TEXT,
  practice_id TEXT
);
CREATE VIEW result_rows AS
  SELECT runs.run_id AS run_id, runs.started_at AS run_started_at, repositories.repository AS repository,
         repositories.name AS repository_name, rr.head_commit AS head_commit, rr.audited_at AS audited_at,
         rr.kind AS kind, rr.owner_team AS owner_team, results.rule_id AS rule_id, rules.name AS rule_name,
         rules.category AS category, results.scope AS scope, results.status AS status,
         results.severity AS severity
  FROM results
  JOIN runs ON runs.run_id = results.run_id
  JOIN repositories ON repositories.repo_key = results.repo_key
  JOIN repository_runs AS rr ON rr.run_id = results.run_id AND rr.repo_key = results.repo_key
  LEFT JOIN rules ON rules.rule_id = results.rule_id;
"""

#: Kinds: where the repository's kind came from, each scope's own kind, and the scope's kind in
#: the exported rows (``scope_kind``, beside the repository's ``kind``).
_V2 = """
ALTER TABLE repository_runs ADD COLUMN kind_source TEXT;
CREATE TABLE scope_kinds (
  run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  repo_key INTEGER NOT NULL,
  scope TEXT NOT NULL,
  kind TEXT NOT NULL,
  PRIMARY KEY (run_id, repo_key, scope)
) WITHOUT ROWID;
DROP VIEW result_rows;
CREATE VIEW result_rows AS
  SELECT runs.run_id AS run_id, runs.started_at AS run_started_at, repositories.repository AS repository,
         repositories.name AS repository_name, rr.head_commit AS head_commit, rr.audited_at AS audited_at,
         rr.kind AS kind, rr.owner_team AS owner_team, results.rule_id AS rule_id, rules.name AS rule_name,
         rules.category AS category, results.scope AS scope,
         COALESCE(sk.kind, CASE WHEN results.scope = '.' THEN rr.kind END) AS scope_kind,
         results.status AS status, results.severity AS severity
  FROM results
  JOIN runs ON runs.run_id = results.run_id
  JOIN repositories ON repositories.repo_key = results.repo_key
  JOIN repository_runs AS rr ON rr.run_id = results.run_id AND rr.repo_key = results.repo_key
  LEFT JOIN scope_kinds AS sk ON sk.run_id = results.run_id AND sk.repo_key = results.repo_key
    AND sk.scope = results.scope
  LEFT JOIN rules ON rules.rule_id = results.rule_id;
"""

#: ``(version, SQL)``: applied in order to bring a file from ``version - 1`` to ``version``.
MIGRATIONS: tuple[tuple[int, str], ...] = ((1, _V1), (2, _V2))

#: The NDJSON export's columns (``result_rows``), with BigQuery and PostgreSQL types.
EXPORT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("run_id", "INT64", "bigint"), ("run_started_at", "TIMESTAMP", "timestamptz"),
    ("repository", "STRING", "text"), ("repository_name", "STRING", "text"),
    ("head_commit", "STRING", "text"), ("audited_at", "TIMESTAMP", "timestamptz"),
    ("kind", "STRING", "text"), ("owner_team", "STRING", "text"), ("rule_id", "STRING", "text"),
    ("rule_name", "STRING", "text"), ("category", "STRING", "text"), ("scope", "STRING", "text"),
    ("scope_kind", "STRING", "text"), ("status", "STRING", "text"), ("severity", "STRING", "text"),
)
#: The repository-level export (``repository_runs``, error rows included).
REPOSITORY_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("run_id", "INT64", "bigint"), ("run_started_at", "TIMESTAMP", "timestamptz"),
    ("repository", "STRING", "text"), ("repository_name", "STRING", "text"), ("status", "STRING", "text"),
    ("error", "STRING", "text"), ("head_commit", "STRING", "text"), ("audited_at", "TIMESTAMP", "timestamptz"),
    ("kind", "STRING", "text"), ("kind_source", "STRING", "text"), ("owner_team", "STRING", "text"),
    ("level", "INT64", "integer"), ("score", "INT64", "integer"),
)
RUN_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("run_id", "INT64", "bigint"), ("started_at", "TIMESTAMP", "timestamptz"), ("tool_version", "STRING", "text"),
    ("repos", "INT64", "integer"), ("audited", "INT64", "integer"), ("errors", "INT64", "integer"),
    ("mean_score", "FLOAT64", "double precision"), ("partial", "BOOL", "boolean"),
    ("completion", "FLOAT64", "double precision"), ("source", "STRING", "text"),
)
TABLES = {"runs": RUN_COLUMNS, "repositories": REPOSITORY_COLUMNS, "results": EXPORT_COLUMNS}


class HistoryError(RuntimeError):
    """The history file cannot be used (not SQLite, newer schema, unwritable)."""


def utc_iso(value: datetime) -> str:
    """``2026-11-27T10:00:00+00:00``: how every time is stored (sortable as text)."""
    moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _iso_or_none(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    try:
        return utc_iso(datetime.fromisoformat(text))
    except ValueError:
        return None


def resolve(path: Path) -> Path:
    """``--history PATH``: a file is the database; a directory (the old JSON snapshot folder)
    holds it as ``audits.db``."""
    return path / DB_NAME if path.is_dir() else path


class History:
    """An open history database (created, or migrated to ``SCHEMA_VERSION``, on open)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(path), isolation_level=None)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise HistoryError(f"{path}: not a usable SQLite history file ({exc})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ schema
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.version()
        if current > SCHEMA_VERSION:
            raise HistoryError(f"{self.path}: history schema version {current} is newer than this practicelint "
                               f"understands ({SCHEMA_VERSION}); upgrade practicelint")
        if current == 0 and self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise HistoryError(f"{self.path}: an SQLite file that is not a practicelint history")
        for version, sql in MIGRATIONS:
            if version <= current:
                continue
            self.db.execute("BEGIN")
            try:
                for statement in _statements(sql):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {int(version)}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    # ------------------------------------------------------------------ writing
    def record(self, header: dict[str, Any], summary: dict[str, Any], rows: Iterable[dict[str, Any]],
               source: str, rule_meta: dict[str, dict[str, str]] | None = None) -> int:
        """Store one audit (replacing an earlier record of the same start time); its ``run_id``."""
        started = _iso_or_none(header.get("started_at"))
        if started is None:
            raise HistoryError("the audit has no start time to file it under")
        completion = header.get("completion") if isinstance(header.get("completion"), dict) else {}
        tool = header.get("tool") if isinstance(header.get("tool"), dict) else {}
        db = self.db
        db.execute("BEGIN")
        try:
            db.execute("DELETE FROM runs WHERE started_at = ?", (started,))
            cur = db.execute(
                "INSERT INTO runs (started_at, tool_version, repos, audited, errors, mean_score, partial, completion,"
                " source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (started, tool.get("version"), int(summary.get("repos") or 0), int(summary.get("audited") or 0),
                 int(summary.get("errors") or 0), summary.get("mean_score"), int(bool(completion.get("partial"))),
                 completion.get("ratio", 1.0), source))
            run_id = int(cur.lastrowid or 0)
            keys: dict[str, int] = {}
            for row in rows:
                self._insert_row(run_id, row, keys)
            for rule_id, meta in (rule_meta or {}).items():
                db.execute("INSERT INTO rules (rule_id, name, category, practice_id) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT(rule_id) DO UPDATE SET name = excluded.name, category = excluded.category, "
                           "practice_id = excluded.practice_id",
                           (rule_id, meta.get("name"), meta.get("category"), meta.get("practice_id")))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return run_id

    def _repo_key(self, identity: str, name: str, cache: dict[str, int]) -> int:
        if identity in cache:
            return cache[identity]
        self.db.execute("INSERT INTO repositories (repository, name) VALUES (?, ?) "
                        "ON CONFLICT(repository) DO UPDATE SET name = excluded.name", (identity, name))
        key = int(self.db.execute("SELECT repo_key FROM repositories WHERE repository = ?", (identity,)).fetchone()[0])
        cache[identity] = key
        return key

    def _insert_row(self, run_id: int, row: dict[str, Any], keys: dict[str, int]) -> None:
        key = self._repo_key(str(row["id"]), str(row.get("name") or row["id"]), keys)
        level, score = row.get("level"), row.get("score")
        self.db.execute(
            "INSERT OR REPLACE INTO repository_runs (run_id, repo_key, status, error, head_commit, audited_at, kind,"
            " kind_source, owner_team, level, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, key, "ok" if row.get("status") == "ok" else "error", row.get("error"), row.get("commit"),
             _iso_or_none(row.get("audited_at")), kind_group(row),
             str(row["kind_source"]) if isinstance(row.get("kind_source"), str) else None, row.get("owner"),
             level if isinstance(level, int) else None, score if isinstance(score, int) else None))
        scope_kinds = row.get("scope_kinds") if isinstance(row.get("scope_kinds"), dict) else {}
        self.db.executemany(
            "INSERT OR REPLACE INTO scope_kinds (run_id, repo_key, scope, kind) VALUES (?, ?, ?, ?)",
            [(run_id, key, str(scope), str(kind)) for scope, kind in scope_kinds.items() if isinstance(kind, str)])
        categories = row.get("categories") if isinstance(row.get("categories"), dict) else {}
        self.db.executemany(
            "INSERT OR REPLACE INTO category_scores (run_id, repo_key, category, score) VALUES (?, ?, ?, ?)",
            [(run_id, key, str(c), v if isinstance(v, int) else None) for c, v in categories.items()])
        severities = row.get("severities") if isinstance(row.get("severities"), dict) else {}
        failing_sev = {str(f.get("rule_id")): f.get("severity") for f in row.get("failing") or [] if isinstance(f, dict)}
        self.db.executemany(
            "INSERT OR REPLACE INTO results (run_id, repo_key, rule_id, scope, status, severity) VALUES (?, ?, ?, ?, ?, ?)",
            [(run_id, key, str(item[0]), str(item[1]), str(item[2]),
              severities.get(str(item[0])) or failing_sev.get(str(item[0])))
             for item in row.get("results") or [] if isinstance(item, list) and len(item) >= 3])

    # ------------------------------------------------------------------ reading
    def runs(self) -> list[dict[str, Any]]:
        cur = self.db.execute("SELECT run_id, started_at, repos, audited, errors, mean_score, partial, completion "
                              "FROM runs ORDER BY started_at")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def previous_run(self, run_id: int) -> int | None:
        found = self.db.execute(
            "SELECT run_id FROM runs WHERE started_at < (SELECT started_at FROM runs WHERE run_id = ?) "
            "ORDER BY started_at DESC LIMIT 1", (run_id,)).fetchone()
        return int(found[0]) if found else None

    def membership(self, run_id: int, previous: int, limit: int = MAX_MEMBERSHIP_NAMES) -> dict[str, Any]:
        """Repositories in this run and not the previous one (``added``) and the reverse
        (``removed``: a repository deleted, archived, or dropped from the list or folder), each
        counted whole and named up to ``limit`` (by name). Regressions only compare repositories
        present in both runs, so a repository that vanished from the audit was said nowhere.
        When this run is a partial merge, ``removed`` is ``None``: a missing shard's repositories
        are not known to be gone."""
        partial = self.db.execute("SELECT partial FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        out: dict[str, Any] = {}
        for label, here, there in (("added", run_id, previous), ("removed", previous, run_id)):
            if label == "removed" and partial and partial[0]:
                out[label], out[f"{label}_count"] = None, None
                continue
            query = ("FROM repository_runs AS a JOIN repositories ON repositories.repo_key = a.repo_key "
                     "WHERE a.run_id = :here AND NOT EXISTS (SELECT 1 FROM repository_runs AS b "
                     "WHERE b.run_id = :there AND b.repo_key = a.repo_key)")
            args = {"here": here, "there": there}
            out[f"{label}_count"] = int(self.db.execute(f"SELECT count(*) {query}", args).fetchone()[0])
            out[label] = [{"id": identity, "name": name} for identity, name in self.db.execute(
                f"SELECT repositories.repository, repositories.name {query} "
                f"ORDER BY lower(repositories.name), repositories.repository LIMIT :limit", {**args, "limit": limit})]
        return out

    def started_at(self, run_id: int) -> datetime:
        return datetime.fromisoformat(self.db.execute("SELECT started_at FROM runs WHERE run_id = ?",
                                                      (run_id,)).fetchone()[0])

    def trends(self, up_to: int, limit: int = TREND_RUNS) -> list[tuple[datetime, dict[str, Any]]]:
        """Mean score and per-category mean per run (the last ``limit`` runs up to ``up_to``),
        oldest first, in the shape of an audit summary (``mean_score``, ``categories``)."""
        runs = self.db.execute(
            "SELECT run_id, started_at FROM runs WHERE started_at <= (SELECT started_at FROM runs WHERE run_id = ?) "
            "ORDER BY started_at DESC LIMIT ?", (up_to, limit)).fetchall()
        out = []
        for run_id, started in reversed(runs):
            mean = self.db.execute("SELECT round(avg(score), 1) FROM repository_runs WHERE run_id = ? AND status = 'ok'",
                                   (run_id,)).fetchone()[0]
            categories = {category: {"mean": value, "repos": count} for category, value, count in self.db.execute(
                "SELECT category, round(avg(score), 1), count(score) FROM category_scores WHERE run_id = ? "
                "AND score IS NOT NULL GROUP BY category", (run_id,))}
            out.append((datetime.fromisoformat(started), {"mean_score": mean, "categories": categories}))
        return out

    def regressions(self, run_id: int, previous: int) -> list[dict[str, Any]]:
        """Repositories present in both runs that regressed, worst news first (the shape of
        ``linter.audit.diff.compare_repo``'s entries: ``reasons`` and ``new_failures``)."""
        failing = ", ".join(f"'{s}'" for s in FAILING)
        new_failures: dict[int, list[dict[str, Any]]] = {}
        for key, rule_id, scope, old, new, name in self.db.execute(
                f"SELECT cur.repo_key, cur.rule_id, cur.scope, prev.status, cur.status, rules.name "
                f"FROM results AS cur "
                f"JOIN repository_runs AS prr ON prr.run_id = :prev AND prr.repo_key = cur.repo_key "
                f"LEFT JOIN results AS prev ON prev.run_id = :prev AND prev.repo_key = cur.repo_key "
                f"  AND prev.rule_id = cur.rule_id AND prev.scope = cur.scope "
                f"LEFT JOIN rules ON rules.rule_id = cur.rule_id "
                f"WHERE cur.run_id = :cur AND cur.status IN ({failing}) "
                f"  AND (prev.status IS NULL OR prev.status NOT IN ({failing})) "
                f"ORDER BY cur.repo_key, cur.rule_id, cur.scope", {"cur": run_id, "prev": previous}):
            new_failures.setdefault(key, []).append({"rule_id": rule_id, "scope": scope, "name": name or "",
                                                     "old_status": old, "new_status": new})
        moved: dict[int, list[str]] = {}
        for key, old_status, new_status, error, old_level, new_level, old_score, new_score in self.db.execute(
                "SELECT cur.repo_key, prev.status, cur.status, cur.error, prev.level, cur.level, prev.score, cur.score "
                "FROM repository_runs AS cur JOIN repository_runs AS prev "
                "  ON prev.run_id = :prev AND prev.repo_key = cur.repo_key "
                "WHERE cur.run_id = :cur AND ((prev.status = 'ok' AND cur.status != 'ok') "
                "  OR cur.level < prev.level OR cur.score < prev.score "
                "  OR (cur.status = 'ok' AND prev.status = 'ok' AND ((cur.level IS NULL AND prev.level IS NOT NULL) "
                "      OR (cur.score IS NULL AND prev.score IS NOT NULL))))", {"cur": run_id, "prev": previous}):
            reasons = []
            if old_status == "ok" and new_status != "ok":
                reasons.append(f"can no longer be audited: {error}")
            for label, a, b in (("level", old_level, new_level), ("score", old_score, new_score)):
                if isinstance(a, int) and isinstance(b, int) and b < a:
                    reasons.append(f"{label} {a} -> {b}")
                elif isinstance(a, int) and b is None and old_status == new_status == "ok":
                    reasons.append(f"{label} {a} -> -")  # nothing judged any more
            moved[key] = reasons
        out = []
        for key in sorted(set(new_failures) | set(moved)):
            identity, name, owner = self.db.execute(
                "SELECT repositories.repository, repositories.name, rr.owner_team FROM repositories "
                "JOIN repository_runs AS rr ON rr.repo_key = repositories.repo_key AND rr.run_id = ? "
                "WHERE repositories.repo_key = ?", (run_id, key)).fetchone()
            failures = new_failures.get(key, [])
            reasons = ([counted(len(failures), "new failure")] if failures else []) + moved.get(key, [])
            out.append({"id": identity, "name": name, "owner": owner, "reasons": reasons, "new_failures": failures})
        return sorted(out, key=lambda r: (str(r["name"]).lower(), str(r["id"])))

    # ------------------------------------------------------------------ export
    def export(self, table: str, run_ids: list[int]) -> Iterator[dict[str, Any]]:
        """Rows of ``table`` (``runs``, ``repositories`` or ``results``) for the given runs,
        keyed by the documented column names, in a stable order."""
        marks = ", ".join("?" for _ in run_ids) or "NULL"
        if table == "runs":
            sql = (f"SELECT run_id, started_at, tool_version, repos, audited, errors, mean_score, partial, completion, "
                   f"source FROM runs WHERE run_id IN ({marks}) ORDER BY started_at")
        elif table == "repositories":
            sql = (f"SELECT rr.run_id, runs.started_at, repositories.repository, repositories.name, rr.status, rr.error, "
                   f"rr.head_commit, rr.audited_at, rr.kind, rr.kind_source, rr.owner_team, rr.level, rr.score "
                   f"FROM repository_runs AS rr JOIN runs ON runs.run_id = rr.run_id "
                   f"JOIN repositories ON repositories.repo_key = rr.repo_key "
                   f"WHERE rr.run_id IN ({marks}) ORDER BY runs.started_at, repositories.repository")
        elif table == "results":
            sql = (f"SELECT {', '.join(c for c, _, _ in EXPORT_COLUMNS)} FROM result_rows WHERE run_id IN ({marks}) "
                   f"ORDER BY run_started_at, repository, rule_id, scope")
        else:
            raise HistoryError(f"no table {table!r} to export")
        columns = [c for c, _, _ in TABLES[table]]
        stamps = [c for c, bigquery, _ in TABLES[table] if bigquery == "TIMESTAMP"]
        for values in self.db.execute(sql, run_ids):
            record = dict(zip(columns, values))
            if "partial" in record:
                record["partial"] = bool(record["partial"])
            for column in stamps:  # BigQuery's canonical form, which PostgreSQL reads too
                if isinstance(record[column], str):
                    record[column] = record[column].replace("T", " ", 1)
            yield record

    def run_ids(self, latest_only: bool) -> list[int]:
        ids = [int(r[0]) for r in self.db.execute("SELECT run_id FROM runs ORDER BY started_at")]
        return ids[-1:] if latest_only else ids


def _statements(sql: str) -> list[str]:
    """The script's statements, one by one (``executescript`` would commit on its own)."""
    out, buffer = [], ""
    for line in sql.splitlines():
        buffer += line + "\n"
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    return [s for s in out if s]


def ndjson_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False, separators=(",", ":")) + "\n"
