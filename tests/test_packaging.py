"""``pip install .`` gives a working command outside the checkout, catalog included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_and_runs_from_a_temporary_directory(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    wheels = list(dist.glob("practicelint-*.whl"))
    assert len(wheels) == 1
    names = subprocess.run([sys.executable, "-m", "zipfile", "-l", str(wheels[0])],
                           capture_output=True, text=True, check=True).stdout
    assert "linter/_catalog/rules/PERF001.yaml" in names
    assert "linter/_catalog/practices/tail-latency.yaml" in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", str(wheels[0])], check=True,
                   capture_output=True)
    target = tmp_path / "target"
    (target / ".github" / "workflows").mkdir(parents=True)
    (target / ".github" / "workflows" / "ci.yml").write_text(
        "on: [pull_request]\njobs:\n  audit:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/dependency-review-action@v4\n")
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = subprocess.run([str(env_dir / "bin" / "practicelint"), "check", str(target), "--format", "json"],
                          cwd=workdir, capture_output=True, text=True, env=env)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert {r["rule_id"] for r in report["results"]} >= {"PERF001", "SEC001", "ORG001", "PROD001", "PROD002"}
    rules = subprocess.run([str(py), "-m", "linter", "rules"], cwd=workdir, capture_output=True,
                           text=True, env=env)
    assert rules.returncode == 0 and "dependency-scanning-in-ci" in rules.stdout
