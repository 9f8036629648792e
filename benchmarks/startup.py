"""Split a small `check` into import time and check time, across git revisions.

Usage::

    .venv/bin/python benchmarks/startup.py 5ad448f HEAD [--size 200] [--runs 5]

For each revision (a worktree with compiled byte code, as ``benchmarks/trees.py`` makes it,
its own cache folder, warmed by one run) and each round, three fresh interpreters run
``check --jobs 1`` in-process on the generated repository of ``--size`` files:

1. plain: the modules the run imported (counted) and its wall time;
2. imports first: every module that run imported, imported up front (timed), then the check
   (timed): where the small-repository time goes;
3. patterns on first use: the package's patterns handed out behind a proxy that compiles on
   first use, to count how many are used and what compiling lazily would leave.

Steps 1 and 3 time ``re._compiler.compile``. Both patch ``re`` for the measurement only;
nothing in the package does.
Medians are printed. A measurement, never a test assertion.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import measured_env  # noqa: E402
from trees import tree  # noqa: E402

_RUN = """
import json, os, sys, time
mode, modules_file = sys.argv[1], sys.argv[2]
out = {}
if mode == "imports":
    import importlib
    start = time.perf_counter()
    for name in open(modules_file).read().split():
        try:
            importlib.import_module(name)
        except Exception:
            pass
    out["imports"] = time.perf_counter() - start
import re
from re import _compiler
compile_, made, used, spent = _compiler.compile, [0], set(), [0.0]
def timed(*args, **kwargs):
    start = time.perf_counter()
    try:
        return compile_(*args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - start
if mode != "imports":
    _compiler.compile = timed
if mode == "patterns":
    plain = re.compile
    class Lazy:
        def __init__(self, *args):
            self._args, self._pattern = args, None
        def __getattr__(self, name):
            if self._pattern is None:
                self._pattern = plain(*self._args)
                used.add(id(self))
            return getattr(self._pattern, name)
    def lazy(pattern, flags=0):
        if "/linter/" in sys._getframe(1).f_code.co_filename and isinstance(pattern, str):
            made[0] += 1
            return Lazy(pattern, flags)
        return plain(pattern, flags)
    re.compile = lazy
start = time.perf_counter()
from linter.cli import cli
try:
    cli(["check", "--jobs", "1", sys.argv[3]], prog_name="practicelint", standalone_mode=False)
except SystemExit:
    pass
out["check"] = time.perf_counter() - start
if mode == "plain":
    out["modules"] = len(sys.modules)
    out["compile_seconds"] = spent[0]
    open(modules_file, "w").write("\\n".join(m for m in sys.modules if not m.startswith("__")))
if mode == "patterns":
    out.update(compile_seconds=spent[0], package_patterns=made[0], used=len(used))
os.write(int(os.environ["STARTUP_FD"]), json.dumps(out).encode())
"""


def one(checkout: Path, cache: Path, repo: Path, mode: str, modules_file: Path) -> dict[str, float]:
    read_fd, write_fd = os.pipe()
    env = {**measured_env(), "PYTHONPATH": str(checkout), "PRACTICELINT_CACHE_DIR": str(cache),
           "STARTUP_FD": str(write_fd)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", _RUN, mode, str(modules_file), str(repo)], env=env, check=True,
                   stdout=subprocess.DEVNULL, pass_fds=(write_fd,), cwd=checkout)  # its own `linter` first
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as reader:
        return json.loads(reader.read() or b"{}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revs", nargs="+")
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path.home() / ".cache" / "practicelint-bench")
    args = parser.parse_args()
    repo = generate(args.workdir / "repos", args.size)
    samples: dict[str, dict[str, list[float]]] = {rev: {} for rev in args.revs}
    checkouts = {rev: tree(args.workdir, rev) for rev in args.revs}
    for rev, checkout in checkouts.items():  # warm-up: byte code, kept verdicts, the module list
        cache = args.workdir / "tree-caches" / f"{checkout.name}-startup-{args.size}"
        cache.mkdir(mode=0o700, parents=True, exist_ok=True)
        one(checkout, cache, repo, "plain", cache / "modules.txt")
    for _ in range(args.runs):
        for rev, checkout in checkouts.items():
            cache = args.workdir / "tree-caches" / f"{checkout.name}-startup-{args.size}"
            for mode in ("plain", "imports", "patterns"):
                for key, value in one(checkout, cache, repo, mode, cache / "modules.txt").items():
                    samples[rev].setdefault(f"{mode}.{key}", []).append(value)
    for rev in args.revs:
        m = {key: statistics.median(values) for key, values in samples[rev].items()}
        print(f"{rev:>12}  {m['plain.modules']:.0f} modules; check {m['plain.check']:.3f} s; "
              f"imports up front {m['imports.imports']:.3f} s then check {m['imports.check']:.3f} s; "
              f"pattern compilation {m['plain.compile_seconds']:.3f} s "
              f"({m['patterns.compile_seconds']:.3f} s if the package compiled on first use: "
              f"{m['patterns.used']:.0f} of its {m['patterns.package_patterns']:.0f} patterns used)")


if __name__ == "__main__":
    main()
