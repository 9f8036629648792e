"""Compare ``practicelint check`` across git revisions of this repository, on the same machine.

Usage::

    .venv/bin/python benchmarks/trees.py 5ad448f main [--sizes 200,10000,200000] [--runs 5]
                               [--select SEC006] [--workdir DIR]

Run it with the project's environment (``.venv/bin/python``): every revision runs with this
interpreter and its installed libraries, and another interpreter's libraries time differently.
Each revision is checked out as a detached git worktree under ``--workdir`` with its byte code
compiled (an installed tool has ``.pyc`` files; without them every run would compile each
module again and measure that), and keeps its own cache folder (two revisions sharing one
would overwrite each other's kept verdicts, since those are keyed by the code). The generated
repositories come from ``benchmarks/generate.py``. After one warm-up run per revision and
size, the revisions run interleaved, round after round, so that drift on a shared machine
affects them alike. Printed: median wall seconds and median CPU seconds (user + system of the
run and every process it waited for, git included). A measurement, never a test assertion.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import measured_env  # noqa: E402

ROOT = HERE.parent


def tree(workdir: Path, rev: str) -> Path:
    """A worktree of ``rev`` with compiled byte code (reused when it is already there)."""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"],
                            check=True, capture_output=True, text=True).stdout.strip()
    path = workdir / "trees" / commit[:12]
    if not path.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(path), commit], check=True)
    compileall.compile_dir(str(path / "linter"), quiet=1)
    return path


def one_run(checkout: Path, cache: Path, repo: Path, extra: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``check`` by the code in ``checkout`` (run from there, so
    ``python -m linter`` imports that code)."""
    env = {**measured_env(), "PRACTICELINT_CACHE_DIR": str(cache)}
    before = os.times()
    proc = subprocess.Popen([sys.executable, "-m", "linter", "check", str(repo), "--format", "json",
                             "-o", os.devnull, *extra], cwd=checkout, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc.wait()
    after = os.times()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{checkout.name}: check exited {proc.returncode}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return after.elapsed - before.elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revs", nargs="+", help="git revisions to compare (the first is the baseline)")
    parser.add_argument("--sizes", default="200,10000,200000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--select", default="", help="run only these rules (comma-separated)")
    parser.add_argument("--workdir", type=Path, default=Path.home() / ".cache" / "practicelint-bench")
    args = parser.parse_args()
    extra = ["--select", args.select] if args.select else []
    checkouts = {rev: tree(args.workdir, rev) for rev in args.revs}
    for size in (int(s) for s in args.sizes.split(",")):
        repo = generate(args.workdir / "repos", size)
        caches = {rev: args.workdir / "tree-caches" / f"{checkouts[rev].name}-{size}" for rev in args.revs}
        for rev in args.revs:
            caches[rev].mkdir(mode=0o700, parents=True, exist_ok=True)
            one_run(checkouts[rev], caches[rev], repo, extra)  # warm-up: page cache, kept verdicts
        samples: dict[str, list[tuple[float, float]]] = {rev: [] for rev in args.revs}
        for _ in range(args.runs):
            for rev in args.revs:
                samples[rev].append(one_run(checkouts[rev], caches[rev], repo, extra))
        for rev in args.revs:
            wall = statistics.median(s[0] for s in samples[rev])
            cpu = statistics.median(s[1] for s in samples[rev])
            print(f"{size:>7} files  {rev:<14} wall {wall:6.3f} s  cpu {cpu:6.3f} s")


if __name__ == "__main__":
    main()
