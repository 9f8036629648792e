"""Run the real command line on a hostile tree, in a subprocess with hard limits.

Every hostile case goes through ``python -m linter check`` exactly as a user or CI job
would run it, with a wall-clock timeout (no hang) and an address-space limit set in the
child before it starts (no unbounded memory). The helpers then check the invariants the
issue asks of every case: exit code 0 or 1, no traceback, a parseable report.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

#: Address-space cap for the checked process (Python + git children); a YAML bomb or an
#: unbounded read would hit it and fail the test instead of taking the machine down.
MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024
TIMEOUT_SECONDS = 90
NOW = "2026-12-01"
ROOT = Path(__file__).resolve().parents[2]


def limit_memory() -> None:
    """``preexec_fn``: cap the child's address space (inherited by its git children)."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def run_cli(args: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = TIMEOUT_SECONDS, prefix: list[str] | None = None,
            preexec: Callable[[], None] | None = limit_memory) -> subprocess.CompletedProcess[str]:
    """``python -m linter ARGS`` with the limits; ``prefix`` wraps it (e.g. ``setpriv ...``)."""
    full_env = {**os.environ, "PRACTICELINT_NOW": NOW, "NO_COLOR": "1",
                "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    full_env.update(env or {})
    return subprocess.run([*(prefix or []), sys.executable, "-m", "linter", *args],
                          capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=timeout, cwd=cwd or ROOT, env=full_env, preexec_fn=preexec,
                          stdin=subprocess.DEVNULL, check=False)


def check(path: Path | str, fmt: str = "json", *extra: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return run_cli(["check", str(path), "--format", fmt, *extra], **kwargs)


def assert_clean(proc: subprocess.CompletedProcess[str], codes: tuple[int, ...] = (0, 1)) -> None:
    """The run ended normally: an allowed exit code and no traceback anywhere."""
    assert proc.returncode in codes, f"exit {proc.returncode}\n{proc.stderr[-3000:]}"
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr[-3000:]


def check_json(path: Path | str, *extra: str, **kwargs: Any) -> dict[str, Any]:
    """Run ``check --format json``, assert it ended cleanly and return the parsed report."""
    proc = check(path, "json", *extra, **kwargs)
    assert_clean(proc)
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


def notes_of(report: dict[str, Any]) -> dict[str, list[str]]:
    """``{path: [reason, ...]}`` of the report's notes."""
    found: dict[str, list[str]] = {}
    for note in report["notes"]:
        found.setdefault(note["path"], []).append(note["reason"])
    return found


def result(report: dict[str, Any], rule_id: str, scope: str = ".") -> dict[str, Any]:
    """The one result of ``rule_id`` for ``scope``."""
    matches = [r for r in report["results"] if r["rule_id"] == rule_id and r.get("scope", ".") == scope]
    assert len(matches) == 1, [(r["rule_id"], r.get("scope")) for r in report["results"] if r["rule_id"] == rule_id]
    return matches[0]


#: How a rule that could not run because its input was unusable begins its message
#: (``linter.checks.unreadable``, ``linter.checks.history_needed``): a verdict, not a crash.
COULD_NOT_RUN = "Could not be evaluated: "


def errors(report: dict[str, Any]) -> list[tuple[str, str]]:
    """Rules that crashed (status ``error`` for any other reason than input they could not
    use, which they name): a hostile file must never cause one."""
    return [(r["rule_id"], r["message"]) for r in report["results"]
            if r["status"] == "error" and not r["message"].startswith(COULD_NOT_RUN)]


def could_not_run(report: dict[str, Any]) -> list[tuple[str, str]]:
    """Rules that said their input could not be used (status ``error``, ``COULD_NOT_RUN``)."""
    return [(r["rule_id"], r["message"]) for r in report["results"]
            if r["status"] == "error" and r["message"].startswith(COULD_NOT_RUN)]
