"""Where one `practicelint check -j 2` spends its time: the phase timeline in benchmarks/README.md.

    python benchmarks/timeline.py REPO [--runs 5]

Each run is a fresh interpreter that records, in milliseconds after it starts running this
script: the engine imported, the fork (configuration, catalog and file index
done), the scopes sent to the child, the parent's share of the checks done, the child's
findings merged, and the exit.
Medians over the runs are printed. Interpreter start-up itself (~15 ms) comes before zero.
A measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import measured_env  # noqa: E402

PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
marks = {}
def mark(name):
    marks.setdefault(name, round((time.perf_counter() - t0) * 1000, 1))
import os
from linter.runtime import cachedir
cachedir.activate([a for a in sys.argv[1:] if os.path.isdir(a)])  # as the practicelint command does
import linter.cli
from linter.runtime import executors
mark("engine imported")
start, share, collect = executors._start, executors._Fork.share, executors._Fork.collect
def timed_start(*args, **kwargs):
    mark("fork (index ready)")
    return start(*args, **kwargs)
def timed_share(self, *args, **kwargs):
    mark("scopes sent to the child")
    return share(self, *args, **kwargs)
def timed_collect(self, *args, **kwargs):
    mark("parent's share done")
    result = collect(self, *args, **kwargs)
    mark("child's findings merged")
    return result
executors._start, executors._Fork.share, executors._Fork.collect = timed_start, timed_share, timed_collect
linter.cli._exit_now = lambda code: None  # return here instead of ending the process at once
sys.argv = ["practicelint", "check", sys.argv[1], "-o", sys.argv[2], "--jobs", "2"]
try:
    linter.cli.main()
except SystemExit:
    pass
mark("reports written")
print(json.dumps(marks))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    report = Path(os.devnull)
    samples: list[dict[str, float]] = []
    for _ in range(args.runs + 1):  # the first run warms the page cache and .pyc files
        done = subprocess.run([sys.executable, "-c", PROBE, str(args.repo), str(report)], cwd=ROOT,
                              capture_output=True, text=True, check=False, env=measured_env())
        samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
    samples = samples[1:]
    print(f"{args.repo} (median of {args.runs} runs, ms after the interpreter starts running code)")
    for name in samples[0]:
        values = [s[name] for s in samples if name in s]
        print(f"  {name:32} {statistics.median(values):7.1f}")


if __name__ == "__main__":
    main()
