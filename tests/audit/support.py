"""Helpers for the audit tests: small repositories of realistic shape, and the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from linter.cli_audit import audit_command, diff_command, report_group
from tests.helpers import git, git_commit_all, write_tree

NOW = "2026-11-27T10:00:00"

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

COMPONENT = """apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: {name}
spec:
  type: service
  lifecycle: production
  owner: {owner}
"""


def make_git_repo(root: Path, *, owner: str | None = "team-a", scanning: bool = True,
                  extra: dict[str, str] | None = None) -> Path:
    """A committed repository with a README, optionally a Backstage owner and a scanning workflow."""
    files: dict[str, str] = {"README.md": f"# {root.name}\n\nA service.\n"}
    if owner:
        files["catalog-info.yaml"] = COMPONENT.format(name=root.name, owner=owner)
    if scanning:
        files[".github/workflows/ci.yml"] = WORKFLOW
    files.update(extra or {})
    write_tree(root, files)
    git_commit_all(root, "init", date="2026-01-01T00:00:00")
    return root


def make_bare(source: Path, bare: Path) -> Path:
    """A bare clone of ``source`` that serves blobless partial clones over file://."""
    git(source.parent, "clone", "-q", "--bare", str(source), str(bare))
    git(bare, "config", "uploadpack.allowFilter", "true")
    git(bare, "config", "uploadpack.allowAnySHA1InWant", "true")
    return bare


def invoke(command: Any, args: list[str], env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(command, args, env={"PRACTICELINT_NOW": NOW, **(env or {})},
                              catch_exceptions=False)


def run_audit(out: Path, *args: str, env: dict[str, str] | None = None, cache: Path | None = None) -> Result:
    cache_args = ["--cache-dir", str(cache or out.parent / "cache")]
    return invoke(audit_command, ["--output-dir", str(out), *cache_args, "--jobs", "2", *args], env)


def merge(*args: str) -> Result:
    return invoke(report_group, ["merge", *args])


def diff(*args: str) -> Result:
    return invoke(diff_command, list(args))


def audit_rows(out: Path, name: str = "audit.json") -> dict[str, dict[str, Any]]:
    data = json.loads((out / name).read_text(encoding="utf-8"))
    return {row["name"]: row for row in data["repos"]}


CATEGORY_RULES = {"SEC001": "security", "SEC002": "security", "PERF001": "performance", "DEL002": "delivery",
                  "ORG002": "teams", "OPS001": "operations"}


def synthetic_row(i: int, *, name: str | None = None, teams: int = 40, kinds: tuple[str, ...] = ("service", "library",
                  "tool", "unknown")) -> dict[str, Any]:
    """A compact audit row of realistic shape (six rules, varied outcomes), without auditing
    anything: for scale tests of the org outputs."""
    from linter.audit.rows import category_scores, _result

    statuses = ("pass", "fail", "pass", "not_applicable", "pass", "waived", "error")
    results = [[rule, ".", statuses[(i * 7 + k * 3) % len(statuses)]] for k, rule in enumerate(CATEGORY_RULES)]
    items = [{"rule_id": r, "severity": "error" if r.startswith("SEC") else "warning", "status": s, "scope": ".",
              "category": CATEGORY_RULES[r], "name": r.lower()} for r, _, s in results]
    parsed = [x for x in (_result(item) for item in items) if x is not None]
    from linter.scoring import maturity

    whole = maturity(parsed, ".")
    return {"id": f"github.com/org{i % 97}/repo-{i}", "name": name or f"org{i % 97}/repo-{i}", "source": "x",
            "slug": f"repo-{i}", "status": "ok", "error": None, "commit": f"{i:040x}",
            "audited_at": "2026-11-27T10:00:00+00:00", "kind": kinds[i % len(kinds)],
            "owner": f"team-{i % teams}", "owners": [f"team-{i % teams}"], "owner_source": "codeowners",
            "score": whole.score, "level": whole.level, "categories": category_scores(parsed), "counts": {},
            "results": results, "severities": {x["rule_id"]: x["severity"] for x in items},
            "failing": [{k: x[k] for k in ("rule_id", "name", "scope", "severity", "category")} | {"practice_id": "p"}
                        for x in items if x["status"] in ("fail", "error")],
            "waivers": [], "report_json": f"/tmp/shards/s{i % 3}/repos/repo-{i}.json",
            "report_html": f"/tmp/shards/s{i % 3}/repos/repo-{i}.html"}
