"""``audit --plan``: list the repositories once, decide the number of shards, and write both
for the shard jobs (a CI matrix, a Kubernetes Indexed Job) to pick up.

Why a plan step: every shard must audit the same list, or the hash of each identity would
put repositories in different shards on different machines; an org listing taken by each
shard separately could change between them. The plan writes the list as a repos file (URLs
without credentials) and ``plan.json``:

``{"kind": "practicelint-audit-plan", "schema_version": 1, "repos": 12000, "shards": 12,
"matrix": [1, ..., 12], "repos_file": "repos.txt"}``

``shards`` is ``ceil(repos / repos_per_shard)`` clamped to ``1..max_shards`` (256 is GitHub
Actions' limit on the jobs one matrix may create).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from linter.audit.inputs import RepoInput

PLAN_KIND = "practicelint-audit-plan"
GITHUB_MATRIX_LIMIT = 256


def shard_count(repos: int, repos_per_shard: int, max_shards: int) -> int:
    return max(1, min(max_shards, math.ceil(repos / max(repos_per_shard, 1))))


def write_plan(output_dir: Path, inputs: list[RepoInput], repos_per_shard: int, max_shards: int) -> dict[str, Any]:
    """Write ``repos.txt`` and ``plan.json`` into ``output_dir``; returns the plan."""
    output_dir.mkdir(parents=True, exist_ok=True)
    lines = ["# written by practicelint audit --plan: one repository a line, credentials removed"]
    lines += [item.source for item in inputs]
    (output_dir / "repos.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shards = shard_count(len(inputs), repos_per_shard, max_shards)
    plan = {"kind": PLAN_KIND, "schema_version": 1, "repos": len(inputs), "shards": shards,
            "repos_per_shard": repos_per_shard, "matrix": list(range(1, shards + 1)), "repos_file": "repos.txt"}
    (output_dir / "plan.json").write_text(json.dumps(plan, indent=2) + "\n", encoding="utf-8")
    return plan
