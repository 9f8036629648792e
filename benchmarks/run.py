"""Benchmark ``practicelint check``: median wall time and peak RSS per repository.

Usage: ``python benchmarks/run.py [--runs N] [--sizes 200,10000]`` (or ``make bench``).

It times the bundled example repositories and synthetic repositories of the given sizes
(a realistic mix of CI files, SLO specs, Backstage catalogs, Markdown and source files, a
large ignored ``node_modules/`` and a short git history), after one warm-up run each. Each
run is a fresh process, as in CI; peak RSS comes from ``wait4``. The floor is a Python
process that only imports click and yaml. This is a measurement, never a test assertion.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRACTICELINT = [sys.executable, "-m", "linter"]


def measured_env() -> dict[str, str]:
    """The environment for timed runs: Python may write ``.pyc`` files (the warm-up does), as
    an installed tool has them; with ``PYTHONDONTWRITEBYTECODE`` set, every run would compile
    each edited module from source again and measure that instead."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(cmd: list[str], cwd: Path | None = None, extra_env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run of ``cmd`` (with ``extra_env`` set)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**measured_env(), **(extra_env or {})})
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {code}")
    return elapsed, usage.ru_maxrss


def measure(cmd: list[str], runs: int, cwd: Path | None = None,
            extra_env: dict[str, str] | None = None) -> tuple[float, int]:
    timed(cmd, cwd, extra_env)  # warm-up: page cache, .pyc files
    samples = [timed(cmd, cwd, extra_env) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


WORKFLOW = """on:
  pull_request:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip-audit -r requirements.txt
"""
SLO = """apiVersion: openslo/v1
kind: SLO
metadata:
  name: svc{i}-latency
spec:
  service: svc{i}
  budgetingMethod: Occurrences
  indicator:
    metadata:
      name: svc{i}-fast
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_request_duration_seconds_bucket{{le="0.3"}}[5m]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_request_duration_seconds_count[5m]))
  objectives:
    - target: 0.99
"""
COMPONENT = """apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc{i}
spec:
  type: service
  lifecycle: production
  owner: team-{i}
"""
GROUP = """apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-{i}
spec:
  type: team
  children: []
  members: [a{i}, b{i}, c{i}]
"""


def synthetic_repo(base: Path, files: int, services: int = 10) -> Path:
    """A git repository with about ``files`` indexed files and a large ignored node_modules."""
    root = base / f"synthetic-{files}"
    if root.exists():
        return root
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW)
    (root / ".gitignore").write_text("node_modules/\n")
    written = 2
    for i in range(services):
        svc = root / "services" / f"svc{i}"
        (svc / "src").mkdir(parents=True)
        (svc / "catalog-info.yaml").write_text(COMPONENT.format(i=i) + "---\n" + GROUP.format(i=i))
        (svc / "slo.yaml").write_text(SLO.format(i=i))
        (svc / "README.md").write_text(f"# svc{i}\n\nService {i}.\n")
        written += 3
    per_dir = 100
    i = 0
    while written < files:
        d = root / "src" / f"pkg{i // per_dir}"
        d.mkdir(parents=True, exist_ok=True)
        suffix = (".py", ".md", ".yaml", ".json", ".ts")[i % 5]
        (d / f"f{i}{suffix}").write_text(f"# file {i}\nvalue: {i}\n")
        written += 1
        i += 1
    nm = root / "node_modules"
    for j in range(min(files, 5000)):
        p = nm / f"dep{j // 50}"
        p.mkdir(parents=True, exist_ok=True)
        (p / f"index{j}.js").write_text("module.exports = 1\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.com",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.com"}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", "init"], cwd=root, check=True, env=env)
    for k in range(20):
        (root / "src" / f"change{k}.md").write_text(f"change {k}\n")
        subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "-m", f"c{k}"], cwd=root, check=True, env=env)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="200,10000")
    parser.add_argument("--workdir", type=Path, help="generate (or reuse) the synthetic repositories here and keep them")
    args = parser.parse_args()

    rows: list[tuple[str, float, int]] = []
    floor = measure([sys.executable, "-c", "import click, yaml"], args.runs)
    rows.append(("floor: python -c 'import click, yaml'", *floor))
    rows.append(("practicelint --version", *measure([*PRACTICELINT, "--version"], args.runs)))
    for example in sorted(p for p in (ROOT / "examples").iterdir() if p.is_dir() and p.name != "reports"):
        rows.append((f"check examples/{example.name}", *measure([*PRACTICELINT, "check", str(example)], args.runs)))
    tmp = args.workdir or Path(tempfile.mkdtemp(prefix="practicelint-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        for size in (int(s) for s in args.sizes.split(",") if s):
            repo = synthetic_repo(tmp, size)
            rows.append((f"check synthetic {size} files", *measure([*PRACTICELINT, "check", str(repo)], args.runs)))
    finally:
        if args.workdir is None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, median of {args.runs} runs after a warm-up")
    print(f"{'what':<44} {'median s':>9} {'peak RSS MiB':>13} {'x floor':>8}")
    for name, seconds, rss in rows:
        print(f"{name:<44} {seconds:>9.3f} {rss / 1024:>13.1f} {seconds / floor[0]:>8.1f}")


if __name__ == "__main__":
    main()
