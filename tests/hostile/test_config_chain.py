"""A repository's configuration chain (``extends:``) costs what a few files cost.

Cycles were refused, but a parent named forty times, whose parent is named forty times (a
diamond, no cycle), was read and validated once per path through the chain: four levels of
forty meant 2.56 million files parsed from five small ones, minutes of CPU until the deadline.
A chain now reads at most ``MAX_LAYERS`` files and a longer one is one error line.
"""

from __future__ import annotations

from pathlib import Path

from linter import configload
from tests.helpers import cpu_seconds, git_commit_all, write_tree
from tests.hostile.cli import assert_clean, check


def _chain(root: Path, fan_out: int, depth: int) -> Path:
    names = [f"c{i}.yaml" for i in range(depth)]
    files = {".practicelint.yaml": f"extends: [{', '.join([names[0]] * fan_out)}]\n", "README.md": "# r\n"}
    for name, parent in zip(names, names[1:]):
        files[name] = f"extends: [{', '.join([parent] * fan_out)}]\n"
    files[names[-1]] = "fail-on: error\n"
    write_tree(root, files)
    git_commit_all(root, "init", date="2026-01-01T00:00:00")
    return root


def test_a_diamond_of_parents_is_one_error_line_in_bounded_time(tmp_path: Path) -> None:
    repo = _chain(tmp_path / "repo", fan_out=40, depth=4)
    start = cpu_seconds()
    proc = check(repo, "json", timeout=60)
    assert cpu_seconds() - start < 20
    assert proc.returncode == 2, proc.stderr[-500:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("practicelint: error: ") and "extends" in lines[0], lines


def test_a_chain_within_the_bound_still_merges(tmp_path: Path) -> None:
    repo = _chain(tmp_path / "repo", fan_out=3, depth=2)  # 1 + 3 + 9 = 13 files read
    assert 13 <= configload.MAX_LAYERS
    proc = check(repo, "json")
    assert_clean(proc)
