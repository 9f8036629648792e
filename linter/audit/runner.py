"""Run many repositories through a pool of worker processes, with hard per-repo timeouts.

Each of ``jobs`` slots owns one long-lived worker (``python -m linter.audit.worker``) and a
thread that feeds it one task at a time. A task that outlives ``timeout`` seconds gets its
worker's whole process group killed (git children included) and an ``error`` row; the slot
starts a fresh worker for the next task. Workers are also recycled every
``max_tasks_per_worker`` tasks so no slow leak can accumulate over thousands of repositories.
Results reach the main thread, which spools them to disk and folds them into the summary.
"""

from __future__ import annotations

import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from linter.audit.aggregate import OrgSummary
from linter.audit.document import RowSpool, absolute_links
from linter.audit.inputs import RepoInput
from linter.audit.rows import error_row
from linter.audit.worker import RETIRE
from linter.fast_dataclass import dataclass, field

#: ``-P``: the worker's working directory (often the folder of checkouts being audited) is not
#: put on ``sys.path``, so a checkout named ``json/`` is never imported as Python.
WORKER_COMMAND = [sys.executable, "-P", "-m", "linter.audit.worker"]
MAX_LINE = 64 * 1024 * 1024


def worker_env() -> dict[str, str]:
    """The worker's environment: ours, with a ``PYTHONPATH`` that cannot reach the working
    directory (often the folder of checkouts being audited). ``-P`` keeps that directory off
    ``sys.path``, but an empty ``PYTHONPATH`` entry (``/x:``) or ``.`` would put it back, so
    those go; the folder this ``linter`` package was imported from comes first, so a run from
    a source checkout (``python -m linter`` there) still finds the same package."""
    import linter

    here = os.getcwd()
    home = os.path.dirname(os.path.dirname(os.path.abspath(linter.__file__)))
    kept = [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep)
            if entry not in ("", ".") and os.path.abspath(entry) != here]
    return {**os.environ, "PYTHONPATH": os.pathsep.join([home, *kept])}


class WorkerFailure(RuntimeError):
    """The worker died or hung; the message becomes the repository's error reason."""


@dataclass
class AuditOptions:
    output_dir: Path
    cache_dir: Path
    now: datetime
    jobs: int = 1
    timeout: float = 600.0
    config: Path | None = None
    policy: Path | None = None
    ignore_repo_waivers: bool = False
    html: bool = True
    max_tasks_per_worker: int = 200
    worker_command: list[str] = field(default_factory=lambda: list(WORKER_COMMAND))
    #: ``linter.audit.reuse.config_key`` of this run, stored in every row
    config_key: str | None = None
    #: ``--retry-failed`` / ``--skip-unchanged``: the previous audit (``linter.audit.reuse.Reuse``)
    reuse: Any = None

    def task(self, item: RepoInput) -> dict[str, Any]:
        return {"id": item.id, "name": item.name, "source": item.source, "clone_url": item.clone_url,
                "kind": item.kind, "slug": item.slug,
                "cache_dir": str(self.cache_dir), "output_dir": str(self.output_dir),
                "config": str(self.config.resolve()) if self.config else None,
                "policy": str(self.policy.resolve()) if self.policy else None,
                "ignore_repo_waivers": self.ignore_repo_waivers, "now": self.now.isoformat(), "html": self.html,
                "config_key": self.config_key, "timeout": self.timeout,
                "previous_commit": self.reuse.previous_commit(item) if self.reuse is not None else None}


class WorkerProcess:
    """One worker process and the line protocol to it."""

    def __init__(self, command: list[str], log_path: Path) -> None:
        self.command = command
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.tasks = 0
        self._buffer = b""

    def _start(self) -> subprocess.Popen[bytes]:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=log, bufsize=0, start_new_session=True, env=worker_env())
        self.tasks = 0
        self._buffer = b""
        return self.proc

    def run(self, task: dict[str, Any], timeout: float) -> dict[str, Any]:
        proc = self.proc if self.proc is not None and self.proc.poll() is None else self._start()
        assert proc.stdin is not None
        try:
            proc.stdin.write((json.dumps(task) + "\n").encode("utf-8"))
            proc.stdin.flush()
        except OSError:
            self.kill()
            raise WorkerFailure(f"worker exited before the task ({self._log_tail()})") from None
        line = self._read_line(time.monotonic() + timeout, timeout)
        self.tasks += 1
        try:
            row = json.loads(line)
        except ValueError:
            self.kill()
            raise WorkerFailure("worker answered with something that is not JSON") from None
        if not isinstance(row, dict) or "id" not in row:
            raise WorkerFailure("worker answered without a row")
        if row.pop(RETIRE, False):  # its own deadline stopped it midway: it leaves, a fresh one follows
            self.kill()
        return row

    def _read_line(self, deadline: float, timeout: float) -> bytes:
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise WorkerFailure(f"timed out after {timeout:g}s (--timeout-per-repo)")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                code = self.proc.wait()
                self.proc = None
                raise WorkerFailure(f"worker crashed (exit {code}): {self._log_tail()}")
            self._buffer += chunk
            if len(self._buffer) > MAX_LINE:
                self.kill()
                raise WorkerFailure("worker answer too large")
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def _log_tail(self) -> str:
        try:
            with open(self.log_path, "rb") as log:
                log.seek(max(log.seek(0, os.SEEK_END) - 400, 0))
                lines = log.read().decode("utf-8", "replace").strip().splitlines()
        except OSError:
            return "no log"
        return lines[-1][:300] if lines else "no output"

    def kill(self) -> None:
        """Kill the worker and every process it started (its own process group).

        The run's main thread may kill a worker while its slot thread closes it: each method
        works on its own reference to the process, so neither finds ``proc`` gone midway."""
        proc = self.proc
        if proc is None:
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        self.proc = None

    def close(self) -> None:
        """Let the worker finish cleanly (stdin closed), killing it if it lingers."""
        proc = self.proc
        if proc is None:
            return
        try:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait(timeout=10)
            self.proc = None
        except (OSError, subprocess.TimeoutExpired):
            self.kill()


Sink = Callable[[dict[str, Any], float], None]


def run_repos(inputs: list[RepoInput], options: AuditOptions, on_row: Sink) -> None:
    """Audit every input with ``options.jobs`` workers; ``on_row(row, seconds)`` runs in the
    calling thread, once per input, in completion order."""
    tasks: queue.Queue[RepoInput | None] = queue.Queue()
    for item in inputs:
        tasks.put(item)
    jobs = max(1, min(options.jobs, len(inputs) or 1))
    for _ in range(jobs):
        tasks.put(None)
    done: queue.Queue[tuple[dict[str, Any], float]] = queue.Queue()
    workers = [WorkerProcess(options.worker_command, options.output_dir / "logs" / f"worker-{i + 1}.log")
               for i in range(jobs)]
    threads = [threading.Thread(target=_slot, args=(w, tasks, done, options), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    try:
        for _ in inputs:
            row, seconds = done.get()
            on_row(row, seconds)
    finally:
        for worker in workers:
            if any(t.is_alive() for t in threads):
                worker.kill()
        for thread in threads:
            thread.join(timeout=5)


def _slot(worker: WorkerProcess, tasks: "queue.Queue[RepoInput | None]",
          done: "queue.Queue[tuple[dict[str, Any], float]]", options: AuditOptions) -> None:
    try:
        while (item := tasks.get()) is not None:
            start = time.monotonic()
            try:
                row = worker.run(options.task(item), options.timeout)
            except WorkerFailure as exc:
                row = error_row(identity=item.id, name=item.name, source=item.source, slug=item.slug,
                                reason=str(exc), audited_at=options.now.isoformat())
            except Exception as exc:  # noqa: BLE001 - the slot must keep serving
                worker.kill()
                row = error_row(identity=item.id, name=item.name, source=item.source, slug=item.slug,
                                reason=f"internal error: {type(exc).__name__}: {exc}",
                                audited_at=options.now.isoformat())
            done.put((row, time.monotonic() - start))
            if worker.tasks >= options.max_tasks_per_worker:
                worker.close()
    finally:
        worker.close()


@dataclass
class Collected:
    """What the parent keeps: rows on disk and the bounded summary."""

    spool: RowSpool
    summary: OrgSummary


def audit(inputs: list[RepoInput], options: AuditOptions, progress: Any = None) -> Collected:
    """Run the audit and collect rows (error rows included) into a spool and a summary."""
    options.output_dir.mkdir(parents=True, exist_ok=True)
    collected = Collected(RowSpool(options.output_dir / "logs" / "rows.jsonl"), OrgSummary())

    names = {item.id: item.name for item in inputs}

    def on_row(row: dict[str, Any], seconds: float) -> None:
        if row.get("unchanged") and options.reuse is not None:  # --skip-unchanged: HEAD did not move
            row = options.reuse.unchanged_row(str(row["id"]), options.output_dir) or error_row(
                identity=str(row["id"]), name=str(row.get("name")), source=str(row.get("source")),
                slug=str(row.get("slug")), reason="internal error: the previous row vanished",
                audited_at=options.now.isoformat())
        if row.get("id") in names and row.get("name") != names[row["id"]]:
            row = {**row, "name": names[row["id"]]}  # a kept row is named as this audit names the others
        row = absolute_links(row, options.output_dir)
        collected.spool.put(row)
        collected.summary.add(row)
        if progress is not None:
            progress.update(row, seconds)

    to_audit = []
    for item in inputs:
        kept = options.reuse.kept_row(item, options.output_dir) if options.reuse is not None else None
        if kept is not None:  # --retry-failed: audited last time, kept as it was
            on_row(kept, 0.0)
        else:
            to_audit.append(item)
    run_repos(to_audit, options, on_row)
    if progress is not None:
        progress.finish()
    return collected
