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
