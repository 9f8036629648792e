"""Benchmark ``practicelint audit``: repositories per second, peak memory, and 1 -> 2 job scaling.

Usage: ``python benchmarks/audit.py [--repos 200] [--workdir DIR]``.

Generates ``--repos`` git repositories of realistic shape with ``benchmarks/run.py``'s
``synthetic_repo`` (50-200 indexed files, 1-4 services with Backstage catalogs and OpenSLO
files, a CI workflow, Markdown, an ignored ``node_modules/`` and 21 commits each), then
audits them with ``--jobs 1`` and ``--jobs 2`` (after one warm-up audit of a few repos).
Peak RSS is sampled from ``/proc`` (VmHWM) for the parent and for every worker; a second
``--jobs 2`` audit of a quarter of the repositories shows whether the parent's memory grows
with the number of repositories. A measurement, never a test assertion.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import synthetic_repo  # noqa: E402

DRIVER = ("import sys; from linter.cli import cli; from linter.cli_audit import register; "
          "register(cli); cli(prog_name='practicelint')")


def generate(base: Path, count: int) -> list[Path]:
    rnd = random.Random(42)
    repos = []
    for i in range(count):
        parent = base / f"r{i:04d}"
        parent.mkdir(parents=True, exist_ok=True)
        repos.append(synthetic_repo(parent, rnd.randint(50, 200), services=rnd.randint(1, 4)))
    return repos


def _hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out += [int(c) for c in task.read_text().split()]
        except OSError:
            pass
    return out


def audit(repos_file: Path, out: Path, jobs: int) -> tuple[float, int, int]:
    """Wall seconds, parent peak RSS and the largest worker peak RSS (KiB)."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-c", DRIVER, "audit", "--repos-file", str(repos_file), "--jobs", str(jobs),
           "--output-dir", str(out)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = worker = 0
    while proc.poll() is None:
        parent = max(parent, _hwm_kib(proc.pid))
        for child in _children(proc.pid):
            worker = max(worker, _hwm_kib(child))
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"audit exited {proc.returncode}")
    return elapsed, parent, worker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--workdir", type=Path, help="generate (or reuse) the repositories here and keep them")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="practicelint-audit-bench-"))
    try:
        t0 = time.perf_counter()
        repos = generate(work / "repos", args.repos)
        print(f"generated {len(repos)} repositories in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
        listing = work / "repos.txt"
        listing.write_text("\n".join(str(r) for r in repos) + "\n")
        quarter = work / "quarter.txt"
        quarter.write_text("\n".join(str(r) for r in repos[: max(len(repos) // 4, 1)]) + "\n")
        warm = work / "warm.txt"
        warm.write_text("\n".join(str(r) for r in repos[:5]) + "\n")
        audit(warm, work / "out-warm", 1)
        rows = []
        for label, listing_file, count, jobs in (("jobs 1", listing, len(repos), 1), ("jobs 2", listing, len(repos), 2),
                                                 ("jobs 2, a quarter", quarter, max(len(repos) // 4, 1), 2)):
            seconds, parent, worker = audit(listing_file, work / "out", jobs)
            rows.append((label, count, seconds, parent, worker))
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
        print(f"{'run':<20} {'repos':>6} {'seconds':>8} {'repos/s':>8} {'repos/h':>8} {'parent MiB':>11} {'worker MiB':>11}")
        for label, count, seconds, parent, worker in rows:
            print(f"{label:<20} {count:>6} {seconds:>8.1f} {count / seconds:>8.2f} {3600 * count / seconds:>8.0f} "
                  f"{parent / 1024:>11.1f} {worker / 1024:>11.1f}")
        print(f"scaling 1 -> 2 jobs: {rows[0][2] / rows[1][2]:.2f}x")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
