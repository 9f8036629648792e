"""Same input, byte-identical reports: across runs, hash seeds and file-system listing orders.

Two directories receive the same files written in opposite orders (so ``os.scandir`` lists
them differently on most file systems) and, for the git variant, committed in opposite
orders with the same dates. Reports are compared byte for byte after replacing the target
path with a placeholder, in every format.
"""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

import pytest

from tests.hostile.cli import assert_clean, check

FORMATS = ["text", "json", "sarif", "junit", "markdown", "github", "gitlab", "html"]

FILES: dict[str, str] = {
    "services/b/catalog-info.yaml": ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: b\n"
                                     "spec:\n  type: service\n  owner: team-z\n"),
    "services/a/catalog-info.yaml": ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n"
                                     "spec:\n  type: service\n  owner: team-y\n"),
    "services/a/slo.yaml": ("groups:\n- name: g\n  rules:\n  - alert: Slow\n    expr: histogram_quantile(0.95, "
                            "sum(rate(x_bucket[5m])) by (le)) > 1\n"),
    "services/b/openslo.yaml": ("apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: b\nspec:\n  service: b\n"
                                "  objectives:\n    - target: 0.99\n"),
    "org/teams.yaml": "".join(
        f"---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-{t}\nspec:\n  type: team\n"
        f"  members: [{', '.join(f'{t}{i}' for i in range(n))}]\n" for t, n in (("z", 14), ("y", 3), ("x", 20))),
    ".github/CODEOWNERS": "* @org/z @org/y\n/services/a/ @org/y\n[bad line\n",
    ".github/workflows/ci.yml": "on: [push, pull_request]\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: pytest\n",
    ".gitlab-ci.yml": "test:\n  script: [npm test, npm audit]\n",
    "docs/prfaq.md": "# PR/FAQ\n\n## Problem\n\nSlow.\n\n## FAQ\n\n### Q: why?\n\nBecause.\n",
    "bin.yaml": "\x00binary",
    "bad.yaml": "a: [\n",
    "zz/ünïcode name.md": "# ü\n",
    "aa/Upper.md": "# U\n",
    "aa/lower.md": "# l\n",
}
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_AUTHOR_DATE": "2026-03-01T00:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-03-01T00:00:00+00:00"}


def _build(root: Path, order: list[str], use_git: bool) -> Path:
    root.mkdir(parents=True)
    for rel in order:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(FILES[rel].encode("utf-8"))
    if use_git:
        env = {**os.environ, **GIT_ENV}
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, env=env)
        for rel in order:  # staged in this directory's order; one commit at a fixed date: the same SHA
            subprocess.run(["git", "add", "--", rel], cwd=root, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "-m", "add"], cwd=root, check=True, env=env)
    return root


def _report(root: Path, fmt: str, seed: str) -> str:
    proc = check(root, fmt, env={"PYTHONHASHSEED": seed})
    assert_clean(proc)
    out = proc.stdout
    for spelling in (str(root), str(root).replace("_", "\\_"), str(root).replace("-", "\\-")):
        out = out.replace(spelling, "<TARGET>")
    return out


@pytest.mark.parametrize("use_git", [False, True], ids=["walk", "git"])
def test_reports_are_byte_identical_across_listing_orders_and_hash_seeds(tmp_path: Path, use_git: bool) -> None:
    order = sorted(FILES)
    shuffled = order[:]
    random.Random(7).shuffle(shuffled)
    first = _build(tmp_path / "one" / "repo", order, use_git)
    second = _build(tmp_path / "two" / "repo", list(reversed(shuffled)), use_git)
    for fmt in FORMATS:
        outputs = {
            _report(first, fmt, "0"),
            _report(first, fmt, "12345"),
            _report(second, fmt, "random"),
            _report(second, fmt, "4242"),
        }
        assert len(outputs) == 1, f"{fmt}: {len(outputs)} different reports"


def test_git_and_walk_list_the_same_files_in_the_same_order(tmp_path: Path) -> None:
    """The index does not depend on how it was built: same notes and evidence with or without git."""
    walk = _build(tmp_path / "walk" / "repo", sorted(FILES), use_git=False)
    git = _build(tmp_path / "git" / "repo", sorted(FILES, reverse=True), use_git=True)
    import json

    def essentials(root: Path) -> tuple:
        report = json.loads(_report(root, "json", "0"))
        return (report["notes"], [(r["rule_id"], r["scope"], r["status"], r["evidence"]) for r in report["results"]
                                  if r["rule_id"] not in ("DEL001", "DEL002", "DEL003", "PROD001", "PROD002",
                                                          "REL001")])

    assert essentials(walk) == essentials(git)
