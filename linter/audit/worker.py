"""The audit worker: a long-lived process that audits one repository per request.

The parent starts ``python -m linter.audit.worker`` and writes one JSON task a line on its
stdin; the worker answers each with one JSON row a line. Imports and the catalog are loaded
once per worker, not once per repository, which is most of a small repository's cost. The
parent enforces the per-repository timeout by killing the worker's whole process group
(git children included) and starting a fresh worker, so a stuck repository costs one
timeout and nothing else. Every failure inside a task becomes an ``error`` row.

The two cooperate: the worker audits each repository under ``linter.deadline``, set a little
before the parent's timeout (``DEADLINE_MARGIN``), so a slow repository usually ends in an
``error`` row that says what was running, not in a kill; the row asks the parent to retire
the worker (``RETIRE``), since a run stopped midway may have left state behind. The kill
stays for what the deadline cannot interrupt.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from linter import deadline
from linter.audit.rows import error_row, row_from_report
from linter.inert import defuse_json

#: TEST-ONLY hook: ``"<substring>:<seconds>"`` makes the worker sleep before auditing any
#: repository whose source contains ``<substring>``, so tests can provoke a timeout
#: without a genuinely slow repository. Never set it outside the test-suite.
TEST_SLEEP_ENV = "PRACTICELINT_TEST_SLEEP"
MAX_OWNER_FILES = 5000
#: How long before the parent's per-repository timeout the worker's own deadline passes:
#: a tenth of it, at most five seconds.
DEADLINE_MARGIN = 0.1
DEADLINE_MARGIN_MAX = 5.0
#: Key of a row whose worker should be replaced (the parent removes it from the row).
RETIRE = "_retire_worker"

_CATALOG: Any = None


def _catalog() -> Any:
    global _CATALOG
    if _CATALOG is None:
        from linter.catalog import load_catalog

        _CATALOG = load_catalog()
    return _CATALOG


def _test_only_sleep(source: str) -> None:
    spec = os.environ.get(TEST_SLEEP_ENV, "")
    needle, _, seconds = spec.rpartition(":")
    if needle and needle in source:
        try:
            time.sleep(float(seconds))
        except ValueError:
            pass


def owners_of(root: Path) -> tuple[list[str], str | None]:
    """Owning teams: Backstage components' ``spec.owner``, else the teams CODEOWNERS names most.

    Returned most-frequent first (ties by name), with where they came from.
    """
    from linter.detectors import backstage, codeowners
    from linter.repo.workspace import Workspace

    ws = Workspace(root)
    counts: Counter[str] = Counter()
    for entity in backstage.detect(ws).of_kind("component"):
        ref = backstage.normalise_ref(entity.spec.get("owner") if isinstance(entity.spec, dict) else None, "group")
        if ref:
            kind_ns, _, name = ref.rpartition("/")
            counts[name if kind_ns.endswith(":default") else f"{kind_ns.split(':', 1)[-1]}/{name}"] += 1
    if counts:
        return _ranked(counts), "backstage"
    facts = codeowners.detect(ws)
    if facts.file is None:
        return [], None
    for rel in ws.files[:MAX_OWNER_FILES]:
        owners = facts.file.owners_of(rel)
        teams = codeowners.team_owners(owners) or list(owners)
        for owner in teams:
            counts[owner.team_name if owner.is_team else owner.text] += 1
    return (_ranked(counts), "codeowners") if counts else ([], None)


def _ranked(counts: Counter[str]) -> list[str]:
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def audit_one(task: dict[str, Any]) -> dict[str, Any]:
    """Audit one repository described by ``task`` and return its row (never raises)."""
    ident = {"identity": task["id"], "name": task["name"], "source": task["source"], "slug": task["slug"],
             "audited_at": task.get("now")}
    timeout = task.get("timeout")
    if isinstance(timeout, (int, float)) and timeout > 0:
        deadline.start(timeout - min(timeout * DEADLINE_MARGIN, DEADLINE_MARGIN_MAX), "--timeout-per-repo")
    try:
        return _audit(task, ident)
    except deadline.DeadlineExceeded as exc:
        row = error_row(**ident, reason=f"timed out after {timeout:g}s (--timeout-per-repo) while {exc.what}")
        return {**row, RETIRE: True}
    except Exception as exc:  # noqa: BLE001 - one repository must never end the audit
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return error_row(**ident, reason=f"internal error: {detail}")
    finally:
        deadline.stop()


def _workspace(task: dict[str, Any]) -> tuple[Path | None, str | None]:
    from linter.audit.clone import GitError, broken_git_reason, ensure_clone

    if task["kind"] == "url":
        try:
            root = ensure_clone(task.get("clone_url") or task["source"], Path(task["cache_dir"]) / task["slug"])
        except GitError as exc:
            return None, f"clone failed: {exc}"
    else:
        root = Path(task["source"])
        if not root.is_dir():
            return None, "not a directory" if root.exists() else "no such directory"
        if not (root / ".git").exists():  # an empty folder, or a clone that never finished
            return None, "not a git repository (no .git here)"
    reason = broken_git_reason(root)
    return (None, reason) if reason else (root, None)


def _unchanged(task: dict[str, Any], commit: str) -> bool:
    """``--skip-unchanged``: whether the repository's HEAD is still ``commit``. A URL's remote
    HEAD is asked with ``git ls-remote`` (one request, no clone update); a checkout's HEAD is
    read in place. Only HEAD is compared: uncommitted edits in a checkout are not looked for
    (finding them would make git hash the work tree, which can run the checkout's filters)."""
    import subprocess

    from linter.audit.clone import GitError, remote_head
    from linter.repo.gitls import git_env

    if task["kind"] == "url":
        try:
            return remote_head(task.get("clone_url") or task["source"]) == commit
        except GitError:
            return False
    root = Path(task["source"])
    if not (root / ".git").exists():
        return False
    try:
        head = subprocess.run(["git", "-c", "core.fsmonitor=false", "rev-parse", "--verify", "-q", "HEAD"], cwd=root,
                              capture_output=True, env=git_env(), stdin=subprocess.DEVNULL, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return head.returncode == 0 and head.stdout.decode("ascii", "replace").strip() == commit


def _audit(task: dict[str, Any], ident: dict[str, str]) -> dict[str, Any]:
    from datetime import datetime

    from linter.config import ConfigError
    from linter.engine import RunOptions, run
    from linter.reporters.json_report import as_dict

    with deadline.phase("preparing the repository"):
        _test_only_sleep(task["source"])
        if task.get("previous_commit") and _unchanged(task, str(task["previous_commit"])):
            return {"id": task["id"], "name": task["name"], "source": task["source"], "slug": task["slug"],
                    "unchanged": True}
        root, problem = _workspace(task)
    if root is None:
        return error_row(**ident, reason=problem or "unreadable")
    options = RunOptions(
        config_path=Path(task["config"]) if task.get("config") else None,
        policy_path=Path(task["policy"]) if task.get("policy") else None,
        ignore_repo_waivers=bool(task.get("ignore_repo_waivers")),
        now=datetime.fromisoformat(task["now"]) if task.get("now") else None,
        timeout=task.get("timeout"),  # the per-repository timeout binds: a --config/--policy cannot raise it
    )
    try:
        report, _config = run(root, options, _catalog())
    except ConfigError as exc:
        return error_row(**ident, reason=f"configuration error: {exc}")
    data = as_dict(report)
    owners, owner_source = ([data["owner"]], "report") if isinstance(data.get("owner"), str) else owners_of(root)
    data["audit"] = {
        "id": task["id"], "name": task["name"], "source": task["source"], "slug": task["slug"],
        "audited_at": task.get("now"), "config_key": task.get("config_key"),
        "owners": owners, "owner_source": owner_source,
        "options": {"config": task.get("config"), "policy": task.get("policy"),
                    "ignore_repo_waivers": bool(task.get("ignore_repo_waivers"))},
    }
    row = row_from_report(data, **ident, owners=owners, owner_source=owner_source, scopes=report.scopes)
    row["config_key"] = task.get("config_key")
    out_dir = Path(task["output_dir"])
    json_rel = f"repos/{task['slug']}.json"
    _write_atomic(out_dir / json_rel, defuse_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
    row["report_json"] = json_rel
    if task.get("html"):
        row["report_html"] = _write_html(report, out_dir, task["slug"])
    return row


def _write_html(report: Any, out_dir: Path, slug: str) -> str | None:
    """The single-repository HTML report beside the dashboard, when that reporter exists."""
    from linter.reporters import REPORTERS, render

    if "html" not in REPORTERS:
        return None
    try:
        text = render("html", report, _catalog())
    except Exception:  # noqa: BLE001 - a report we cannot draw still has its JSON
        return None
    rel = f"repos/{slug}.html"
    _write_atomic(out_dir / rel, text)
    return rel


def serve() -> None:
    """Answer tasks from stdin until it closes; stray prints go to stderr, not the protocol."""
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            task = json.loads(line)
        except ValueError:
            continue
        row = audit_one(task)
        protocol.write(json.dumps(row, ensure_ascii=False) + "\n")
        protocol.flush()
        if row.get(RETIRE):  # stopped midway: a fresh worker takes the next repository
            break


if __name__ == "__main__":  # pragma: no cover - exercised through the audit runner
    serve()
