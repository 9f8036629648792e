"""Plugins load through the entry-point group; broken ones are reported and skipped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _distribution(site: Path, name: str, entry: str) -> None:
    """A minimal installed distribution (dist-info with entry points) on ``site``."""
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[practicelint.plugins]\n{name} = {entry}\n")


def _run(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, "-m", "linter", *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_example_plugin_adds_a_rule_that_runs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "examples" / "plugin" / "acme_practicelint", site / "acme_practicelint")
    _distribution(site, "acme", "acme_practicelint:plugin")
    repo = tmp_path / "repo"
    repo.mkdir()
    rules = _run(site, "rules", cwd=repo)
    assert "ACME101  oncall-rotation-documented" in rules.stdout
    first = json.loads(_run(site, "check", ".", "--format", "json", "--select", "ACME", cwd=repo).stdout)
    assert [(r["rule_id"], r["status"]) for r in first["results"]] == [("ACME101", "fail")]
    (repo / "ONCALL.md").write_text("Rotation: payments-primary\n")
    second = json.loads(_run(site, "check", ".", "--format", "json", "--select", "ACME", cwd=repo).stdout)
    assert [(r["rule_id"], r["status"]) for r in second["results"]] == [("ACME101", "pass")]
    assert "ACME101" in _run(site, "explain", "ACME101", cwd=repo).stdout


def test_broken_plugins_are_reported_and_skipped(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _distribution(site, "missing", "no_such_module:plugin")
    (site / "wrongtype.py").write_text("def plugin():\n    return {'rules': []}\n")
    _distribution(site, "wrongtype", "wrongtype:plugin")
    (site / "clash.py").write_text(
        "from linter.plugins import Plugin\n"
        "def plugin():\n    return Plugin(name='clash', prefix='SEC', rules=[], checks={})\n")
    _distribution(site, "clash", "clash:plugin")
    repo = tmp_path / "repo"
    repo.mkdir()
    proc = _run(site, "check", ".", "--format", "json", cwd=repo)
    assert proc.returncode in (0, 1), proc.stderr
    notes = {n["path"]: n["reason"] for n in json.loads(proc.stdout)["notes"]}
    assert "ModuleNotFoundError" in notes["plugin:missing"]
    assert "expected a linter.plugins.Plugin" in notes["plugin:wrongtype"]
    assert "prefix SEC belongs to built-in rules" in notes["plugin:clash"]
    assert any(r["rule_id"] == "PERF001" for r in json.loads(proc.stdout)["results"])
