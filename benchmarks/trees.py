"""Compare ``practicelint check`` across git revisions of this repository, on the same machine.

Usage::

    .venv/bin/python benchmarks/trees.py 5ad448f main [--sizes 200,10000,200000] [--runs 5]
                               [--select SEC006] [--jobs 1] [--workdir DIR]

Run it with the project's environment (``.venv/bin/python``): every revision runs with this
interpreter and its installed libraries, and another interpreter's libraries time differently.
Each revision is checked out as a detached git worktree under ``--workdir`` with its byte code
compiled (an installed tool has ``.pyc`` files; without them every run would compile each
module again and measure that), and keeps its own cache folder (two revisions sharing one
would overwrite each other's kept verdicts, since those are keyed by the code). The generated
repositories come from ``benchmarks/generate.py``. After one warm-up run per revision and
size, the revisions run interleaved, round after round, so that drift on a shared machine
affects them alike. Printed: median wall seconds, and median CPU seconds (user + system) of the
command's own process (all its threads) and of that process with every process it waited for
(the second process of ``--jobs 2``, git). The first is the steadiest figure on a busy machine;
git commands a run starts early and never waits for are in neither. A measurement, never a test
assertion.
"""

from __future__ import annotations

import argparse
import ast
import compileall
import os
import statistics
import subprocess
import sys
import time
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


#: Runs ``python -m linter`` and, at exit, writes the process's own ``os.times()`` to the
#: descriptor named by ``PL_TIMES_FD``: the CPU of the command itself (every thread), apart
#: from what it waited for (the second process, git).
SHIM = ("import atexit, os, runpy, sys\n"
        "fd = int(os.environ.pop('PL_TIMES_FD'))\n"
        "atexit.register(lambda: os.write(fd, repr(tuple(os.times())[:2]).encode()))\n"
        "sys.argv = ['practicelint', *sys.argv[1:]]\n"
        "runpy.run_module('linter', run_name='__main__')\n")


def one_run(checkout: Path, cache: Path, repo: Path, extra: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of the command's own process, and CPU seconds of that process
    with everything it waited for (the second process of ``--jobs 2``, git) of one ``check``
    by the code in ``checkout`` (run from there, so ``linter`` is that code)."""
    read_fd, write_fd = os.pipe()
    env = {**measured_env(), "PRACTICELINT_CACHE_DIR": str(cache), "PL_TIMES_FD": str(write_fd)}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", SHIM, "check", str(repo), "--format", "json",
                             "-o", os.devnull, *extra], cwd=checkout, env=env, pass_fds=(write_fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    with os.fdopen(read_fd, "rb") as pipe:
        own = pipe.read().decode()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1) or not own:
        raise SystemExit(f"{checkout.name}: check exited {code}")
    user, system = ast.literal_eval(own)
    return wall, user + system, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revs", nargs="+", help="git revisions to compare (the first is the baseline)")
    parser.add_argument("--sizes", default="200,10000,200000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--select", default="", help="run only these rules (comma-separated)")
    parser.add_argument("--jobs", default="", help="pass --jobs N to every check (default: the command's own)")
    parser.add_argument("--workdir", type=Path, default=Path.home() / ".cache" / "practicelint-bench")
    args = parser.parse_args()
    extra = (["--select", args.select] if args.select else []) + (["--jobs", args.jobs] if args.jobs else [])
    checkouts = {rev: tree(args.workdir, rev) for rev in args.revs}
    for size in (int(s) for s in args.sizes.split(",")):
        repo = generate(args.workdir / "repos", size)
        caches = {rev: args.workdir / "tree-caches" / f"{checkouts[rev].name}-{size}" for rev in args.revs}
        for rev in args.revs:
            caches[rev].mkdir(mode=0o700, parents=True, exist_ok=True)
            one_run(checkouts[rev], caches[rev], repo, extra)  # warm-up: page cache, kept verdicts
        samples: dict[str, list[tuple[float, float, float]]] = {rev: [] for rev in args.revs}
        for _ in range(args.runs):
            for rev in args.revs:
                samples[rev].append(one_run(checkouts[rev], caches[rev], repo, extra))
        for rev in args.revs:
            wall = statistics.median(s[0] for s in samples[rev])
            own = statistics.median(s[1] for s in samples[rev])
            cpu = statistics.median(s[2] for s in samples[rev])
            print(f"{size:>7} files  {rev:<14} wall {wall:6.3f} s  cpu {own:6.3f} s own, {cpu:6.3f} s with what it waited for")


if __name__ == "__main__":
    main()
