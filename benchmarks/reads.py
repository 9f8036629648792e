"""What one file read costs: practicelint's safe reader against a bare open-read-close loop.

    python benchmarks/reads.py REPO [--suffixes .md,.json] [--rounds 3]

Reads every indexed file with those suffixes, in index order, with ``Workspace._read_raw``
(lstat, open without following links, fstat, read, close, decode) and with a bare
``os.open``/``os.read``/``os.close`` loop, alternating, and prints the best round of each in
microseconds per file. The figure behind "reading is close to the floor" in
benchmarks/README.md. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from linter.repo.workspace import Workspace  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--suffixes", default=".md,.json")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ws = Workspace(args.repo)
    ws.configure(max_file_size=1024 * 1024, exclude=(), skip_sample_dirs=True, untracked="none")
    paths = ws.with_suffix(*[s.strip() for s in args.suffixes.split(",") if s.strip()])
    prefix = str(ws.root) + os.sep

    def bare() -> None:
        for rel in paths:
            fd = os.open(prefix + rel, os.O_RDONLY)
            os.read(fd, 1 << 16)
            os.close(fd)

    def safe() -> None:
        for rel in paths:
            ws._read_raw(rel)

    best = {"bare open-read-close": float("inf"), "Workspace._read_raw": float("inf")}
    for _ in range(args.rounds):
        for name, loop in (("bare open-read-close", bare), ("Workspace._read_raw", safe)):
            start = time.perf_counter()
            loop()
            best[name] = min(best[name], time.perf_counter() - start)
    print(f"{len(paths)} files ({args.suffixes}) in {args.repo}")
    for name, seconds in best.items():
        print(f"  {name:<22} {seconds / max(1, len(paths)) * 1e6:6.2f} us per file")


if __name__ == "__main__":
    main()
