"""Do two processes slow each other, and what does the forked child pay? What does kept YAML save?

    python benchmarks/processes.py REPO [--rounds 3]

The figures behind "Two processes" in benchmarks/README.md and the parse/load figures in
``linter/runtime/verdicts.py``, on the repository's YAML files:

* a CPU-bound loop, and an ``lstat`` of every YAML file, each alone and then in two
  processes at once (the same files): the time of one such pass, alone and side by side;
* a forked child touching every indexed path (reference counts written on pages it shares
  with the parent): its minor page faults and time, against the same loop in the parent;
* parsing the YAML files that hold a ``kind`` (``linter.repo.yamlio.load_yaml``) against
  loading their kept, pickled form back with the restricted unpickler the cache uses.

Best of ``--rounds``. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import io
import os
import pickle
import resource
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from linter.runtime.verdicts import _YamlUnpickler  # noqa: E402
from linter.repo.workspace import Workspace  # noqa: E402
from linter.repo.yamlio import load_yaml  # noqa: E402


def best(work: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def side_by_side(work: Callable[[], object], rounds: int) -> float:
    """``work``'s best time in a forked child while the parent runs it too."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        os.write(write_fd, repr(best(work, rounds)).encode())
        os._exit(0)
    os.close(write_fd)
    mine = best(work, rounds)
    theirs = float(os.read(read_fd, 64).decode())
    os.waitpid(pid, 0)
    return max(mine, theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ws = Workspace(args.repo)
    ws.configure(max_file_size=1024 * 1024, exclude=(), skip_sample_dirs=True, untracked="none")
    files = ws.files
    prefix = str(ws.root) + os.sep
    yaml_paths = [prefix + rel for rel in ws.yaml_files]

    def spin() -> None:
        total = 0
        for i in range(3_000_000):
            total += i

    def lstat_all() -> None:
        for path in yaml_paths:
            os.lstat(path)

    print(f"{len(files)} indexed files, {len(yaml_paths)} YAML files in {args.repo}")
    for name, work in (("CPU-bound loop", spin), (f"lstat of {len(yaml_paths)} YAML files", lstat_all)):
        alone, paired = best(work, args.rounds), side_by_side(work, args.rounds)
        print(f"  {name:<34} alone {alone * 1000:7.1f} ms, two processes at once {paired * 1000:7.1f} ms")

    def touch() -> int:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        sum(len(path) for path in files)  # a reference to each path: its count is written
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

    touch()  # the parent's own pages are in place
    start = time.perf_counter()
    faults = touch()
    parent_ms = (time.perf_counter() - start) * 1000
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        start = time.perf_counter()
        child_faults = touch()
        os.write(write_fd, f"{child_faults} {(time.perf_counter() - start) * 1000}".encode())
        os._exit(0)
    os.close(write_fd)
    child_faults, child_ms = os.read(read_fd, 64).decode().split()
    os.waitpid(pid, 0)
    print(f"  touching every indexed path: parent {parent_ms:.1f} ms ({faults} faults), "
          f"forked child {float(child_ms):.1f} ms ({child_faults} copy-on-write faults)")

    texts = [t for rel in ws.yaml_files if (t := ws.read_text(rel)) and "kind" in t]
    parsed = [load_yaml(text) for text in texts]
    blobs = [pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL) for p in parsed]
    parse = best(lambda: [load_yaml(text) for text in texts], args.rounds)
    load = best(lambda: [_YamlUnpickler(io.BytesIO(blob)).load() for blob in blobs], args.rounds)
    print(f"  {len(texts)} YAML files with a kind: parse {parse * 1000:.0f} ms, load kept {load * 1000:.0f} ms "
          f"({sum(map(len, blobs)) / 1e6:.1f} MB kept)")


if __name__ == "__main__":
    main()
