"""Every run ends in bounded time: ``--timeout`` (or the configuration's ``timeout``, or
``PRACTICELINT_TIMEOUT``) stops it with exit code 2 and one line saying what was running.

The slow part is a detector made slow on purpose (``slow_detector.py`` sleeps in it), so the
tests depend on no machine's speed: a run either stops near the deadline or completes, and
the bounds are generous.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linter import deadline
from tests.helpers import git_commit_all, write_tree
from tests.hostile.cli import NOW, ROOT, assert_clean, limit_memory

SEAM = Path(__file__).with_name("slow_detector.py")


def _repo(root: Path, files: dict[str, str] | None = None) -> Path:
    """A service repository (so PERF001, whose detector the seam slows down, judges it)."""
    files = dict(files or {})
    files[".practicelint.yaml"] = "kind: service\n" + files.get(".practicelint.yaml", "")
    write_tree(root, {"README.md": "# r\n", "docs/design.md": "# Design\n\nWords.\n", **files})
    git_commit_all(root, "init", "2026-11-01T00:00:00")
    return root


def _run(detector: str, sleep: float, *args: str, env: dict[str, str] | None = None,
         ) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    proc = subprocess.run([sys.executable, str(SEAM), detector, str(sleep), "check", *args, "--format", "json"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, preexec_fn=limit_memory,
                          env={**os.environ, "PRACTICELINT_NOW": NOW, "PYTHONPATH": str(ROOT), **(env or {})},
                          stdin=subprocess.DEVNULL, check=False)
    return proc, time.monotonic() - start


def _stopped(proc: subprocess.CompletedProcess[str]) -> str:
    """The run stopped cleanly on its deadline: exit 2, one line, no traceback; that line."""
    assert_clean(proc, codes=(2,))
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("practicelint: error: stopped after "), proc.stderr
    assert proc.stdout == ""
    return lines[0]


def test_timeout_stops_a_slow_detector_and_names_it(tmp_path: Path) -> None:
    proc, elapsed = _run("slo.detect", 600, str(_repo(tmp_path)), "--timeout", "2", "--jobs", "1")
    line = _stopped(proc)
    assert line == ("practicelint: error: stopped after 2 s (--timeout) while running rule PERF001 on . "
                    "> detector slo.detect")
    assert elapsed < 60  # 2 s and start-up; the detector alone sleeps 600


def test_timeout_holds_in_the_second_process(tmp_path: Path) -> None:
    """``--jobs 2``: the documentation rules run in a forked child, which re-arms the deadline
    and tells the parent what it was running."""
    proc, elapsed = _run("docs.detect", 600, str(_repo(tmp_path)), "--timeout", "2", "--jobs", "2")
    line = _stopped(proc)
    assert line.endswith("while in the second process > detector docs.detect"), line
    assert elapsed < 60


def test_repository_config_may_lower_the_deadline(tmp_path: Path) -> None:
    proc, elapsed = _run("slo.detect", 600, str(_repo(tmp_path, {".practicelint.yaml": "timeout: 1.5\n"})), "--jobs", "1")
    assert "stopped after 1.5 s (.practicelint.yaml) while running rule PERF001" in _stopped(proc)
    assert elapsed < 60


@pytest.mark.parametrize("how", [["--timeout", "2"], []])
def test_repository_config_cannot_raise_the_deadline(tmp_path: Path, how: list[str]) -> None:
    repo = _repo(tmp_path, {".practicelint.yaml": "timeout: 86400\n"})
    proc, elapsed = _run("slo.detect", 600, str(repo), "--jobs", "1", *how, env={deadline.ENV: "2"})
    line = _stopped(proc)
    assert ("(--timeout)" if how else f"({deadline.ENV})") in line and "after 2 s" in line
    assert elapsed < 60


def test_the_users_own_config_may_raise_it(tmp_path: Path) -> None:
    config = tmp_path / "mine.yaml"
    config.write_text("timeout: 120\n", encoding="utf-8")
    proc, _ = _run("slo.detect", 2, str(_repo(tmp_path / "repo")), "--jobs", "1", "--config", str(config),
                   env={deadline.ENV: "1"})
    assert_clean(proc)  # 2 s of detector under the user's 120 s, not the environment's 1 s


def test_timeout_zero_means_none(tmp_path: Path) -> None:
    proc, _ = _run("slo.detect", 1, str(_repo(tmp_path)), "--jobs", "1", "--timeout", "0", env={deadline.ENV: "0.5"})
    assert_clean(proc)


def test_audit_worker_stops_before_the_parents_kill_and_retires(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from linter.audit import worker

    repo = _repo(tmp_path / "slowrepo")
    monkeypatch.setenv(worker.TEST_SLEEP_ENV, "slowrepo:60")
    task = {"id": "x", "name": "slowrepo", "source": str(repo), "slug": "slowrepo", "kind": "path",
            "cache_dir": str(tmp_path / "c"), "output_dir": str(tmp_path / "o"), "now": "2026-12-01T00:00:00",
            "timeout": 2}
    start = time.monotonic()
    row = worker.audit_one(task)
    assert time.monotonic() - start < 30
    assert row["status"] == "error" and row[worker.RETIRE] is True
    assert row["error"] == "timed out after 2s (--timeout-per-repo) while preparing the repository"
    assert not deadline.active()


def test_config_lowers_never_raises_and_user_files_move_it_both_ways() -> None:
    deadline.start(100, "--timeout")
    try:
        deadline.limit_to(500, "repo")
        assert deadline.message("x").startswith("stopped after 100 s (--timeout)")
        deadline.limit_to(50, "repo")
        assert deadline.message("x").startswith("stopped after 50 s (repo)")
        deadline.set_to(300, "mine.yaml")
        assert deadline.message("x").startswith("stopped after 300 s (mine.yaml)")
    finally:
        deadline.stop()
    assert not deadline.active()


def test_without_sigalrm_a_timer_thread_interrupts_the_main_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoTimers:  # a platform without setitimer
        pass

    monkeypatch.setattr(deadline, "signal", NoTimers())
    deadline.start(0.2, "--timeout")
    try:
        with pytest.raises(KeyboardInterrupt):
            with deadline.phase("running rule X on ."):
                for _ in range(3000):  # Python work: the interrupt lands between two steps
                    time.sleep(0.01)
        assert deadline.expired()
        assert str(deadline.exceeded()) == "stopped after 0.2 s (--timeout) while running rule X on ."
    finally:
        deadline.stop()
