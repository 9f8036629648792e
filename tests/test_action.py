"""The composite GitHub Action's run steps, executed the way a runner does.

``action.yml`` is parsed, ``${{ inputs.x }}`` and ``${{ github.action_path }}`` expressions
are substituted with test values, and each ``run:`` script is run with bash in an
environment shaped like a runner's (``GITHUB_WORKSPACE``, ``GITHUB_STEP_SUMMARY``,
``GITHUB_OUTPUT``, ``RUNNER_TEMP``...). The install step runs against a stand-in ``python``
that records its arguments (installing a wheel is covered by ``tests/test_packaging.py``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import git_commit_all

ROOT = Path(__file__).resolve().parents[1]
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def _action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def _inputs(overrides: dict[str, str]) -> dict[str, str]:
    defaults = {name: str(spec.get("default", "")) for name, spec in _action()["inputs"].items()}
    return {**defaults, **overrides}


def _substitute(text: str, inputs: dict[str, str], action_path: Path, runner_temp: Path | None = None) -> str:
    def value(match: re.Match[str]) -> str:
        expr = match.group(1)
        if expr.startswith("inputs."):
            return inputs[expr.removeprefix("inputs.")]
        if expr == "github.action_path":
            return str(action_path)
        if expr == "runner.temp" and runner_temp is not None:
            return str(runner_temp)
        raise AssertionError(f"unexpected expression in a run step: {expr}")
    return EXPRESSION.sub(value, text)


def _run_steps(workspace: Path, tmp: Path, inputs: dict[str, str]) -> dict[str, subprocess.CompletedProcess]:
    """Run each ``run:`` step like the runner: its env, bash -e, cwd = workspace."""
    fake_bin = tmp / "fake-bin"
    fake_bin.mkdir()
    pip_log = tmp / "pip-args.txt"
    (fake_bin / "python").write_text(f'#!/bin/sh\necho "$@" > "{pip_log}"\n', encoding="utf-8")
    (fake_bin / "python").chmod(0o755)
    runner_env = {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "HOME": str(tmp), "GITHUB_ACTIONS": "true", "CI": "true",
        "GITHUB_WORKSPACE": str(workspace), "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_STEP_SUMMARY": str(tmp / "step_summary.md"), "GITHUB_OUTPUT": str(tmp / "output.txt"),
        "RUNNER_TEMP": str(tmp / "runner_temp"), "PRACTICELINT_NOW": "2026-12-01",
    }
    (tmp / "runner_temp").mkdir()
    results = {}
    for step in _action()["runs"]["steps"]:
        if "run" not in step:
            continue  # `uses:` steps (setup-python) are the runner's business
        condition = step.get("if")
        if condition is not None:  # the only form run steps use: inputs.NAME == 'VALUE'
            match = re.fullmatch(r"inputs\.([\w-]+) == '([^']*)'", condition.strip())
            assert match, f"unsupported if: {condition}"
            if inputs[match.group(1)] != match.group(2):
                continue
        env = dict(runner_env)
        env.update({k: _substitute(str(v), inputs, ROOT, tmp / "runner_temp") for k, v in (step.get("env") or {}).items()})
        if step["name"] == "Install practicelint":
            env["PATH"] = os.pathsep.join([str(fake_bin), env["PATH"]])
        script = _substitute(step["run"], inputs, ROOT)
        results[step["name"]] = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],  # the runner's `shell: bash`
            cwd=workspace, env=env, capture_output=True, text=True, timeout=300)
    results["pip"] = pip_log.read_text(encoding="utf-8") if pip_log.exists() else ""  # type: ignore[assignment]
    return results


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A checkout holding the failing example under ``repo/``, as GITHUB_WORKSPACE."""
    ws = tmp_path / "workspace"
    shutil.copytree(ROOT / "examples" / "failing", ws / "repo")
    return ws


def test_action_metadata_is_a_composite_action() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert {"path", "config", "fail-on", "sarif", "html"} <= set(action["inputs"])
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "inputs." not in step["run"], "inputs go through env, never spliced into the script"


def test_run_steps_write_summary_annotations_sarif_and_html(workspace: Path, tmp_path: Path) -> None:
    runs = _run_steps(workspace, tmp_path, _inputs({"path": "repo", "sarif": "out/practicelint.sarif"}))
    assert runs["Install practicelint"].returncode == 0
    assert runs["pip"].strip().endswith(str(ROOT))  # installs from the action's own checkout
    check = runs["Run practicelint"]
    assert check.returncode == 1, check.stderr  # the failing example fails error-severity rules
    annotations = [line for line in check.stdout.splitlines() if line.startswith("::")]
    assert annotations and all(re.match(r"::(error|warning|notice) ", line) for line in annotations)
    assert any("title=PERF001 tail-latency-slo" in line and "file=repo/" in line for line in annotations)
    summary = (tmp_path / "step_summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## practicelint: repo scores ")
    assert "<details>" in summary and "PERF001" in summary
    assert (tmp_path / "output.txt").read_text(encoding="utf-8").strip() == "exit-code=1"
    sarif = json.loads((workspace / "out" / "practicelint.sarif").read_text(encoding="utf-8"))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]]
    assert uris and all(u.startswith("repo/") for u in uris)  # relative to the repository root
    assert (workspace / "practicelint.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_fail_on_and_empty_report_inputs(workspace: Path, tmp_path: Path) -> None:
    (workspace / "repo" / ".practicelint.yaml").write_text("select: [ORG001]\n", encoding="utf-8")
    runs = _run_steps(workspace, tmp_path, _inputs({"path": "repo", "sarif": "", "html": ""}))
    check = runs["Run practicelint"]
    assert check.returncode == 1
    assert not (workspace / "practicelint.html").exists() and not (workspace / "practicelint.sarif").exists()
    assert "ORG001" in (tmp_path / "step_summary.md").read_text(encoding="utf-8")


def test_hostile_input_values_are_not_executed(workspace: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    runs = _run_steps(workspace, tmp_path, _inputs({"path": f"repo\"; touch {marker}; echo \"", "html": ""}))
    assert not marker.exists()
    assert runs["Run practicelint"].returncode == 2  # no such folder: a usage error, not a shell command


def _shallow_workspace(tmp_path: Path) -> tuple[Path, Path]:
    """The failing example with two commits, cloned at depth 1 as actions/checkout does by default."""
    from tests.helpers import git_commit_all

    source = tmp_path / "source"
    shutil.copytree(ROOT / "examples" / "failing", source)
    git_commit_all(source, "first", date="2026-06-01T00:00:00")
    (source / "README.md").write_text("# changed\n", encoding="utf-8")
    git_commit_all(source, "second", date="2026-07-01T00:00:00")
    ws = tmp_path / "workspace"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{source}", str(ws / "repo")], check=True)
    return ws, source


def _shallow(repo: Path) -> bool:
    out = subprocess.run(["git", "-C", str(repo), "rev-parse", "--is-shallow-repository"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip() == "true"


def test_shallow_checkout_gets_the_history_first(tmp_path: Path) -> None:
    ws, _ = _shallow_workspace(tmp_path)
    runs = _run_steps(ws, tmp_path, _inputs({"path": "repo", "html": "", "sarif": ""}))
    assert runs["Fetch the history"].returncode == 0
    assert "fetched the whole history" in runs["Fetch the history"].stdout
    assert not _shallow(ws / "repo")
    assert "not evaluated" not in runs["Run practicelint"].stdout  # no skipped notice: the history was there


def test_shallow_checkout_that_cannot_be_deepened_says_the_rules_were_skipped(tmp_path: Path) -> None:
    ws, source = _shallow_workspace(tmp_path)
    shutil.rmtree(source)  # the remote is gone: `git fetch --unshallow` fails
    (ws / "repo" / ".practicelint.yaml").write_text("kind: service\nselect: [DEL002, PROD001, PROD002]\n",
                                                     encoding="utf-8")
    runs = _run_steps(ws, tmp_path, _inputs({"path": "repo", "html": "", "sarif": ""}))
    fetch = runs["Fetch the history"]
    assert fetch.returncode == 0 and _shallow(ws / "repo")
    assert fetch.stdout.startswith("::notice title=practicelint::could not fetch the whole history")
    summary = (tmp_path / "step_summary.md").read_text(encoding="utf-8")
    assert summary.startswith("> [!NOTE]\n> practicelint could not fetch the whole history")
    assert "Set fetch-depth: 0 on actions/checkout." in summary
    assert "skipped (not evaluated here)" in summary and "this is a shallow clone with 1 commit" in summary
    check = runs["Run practicelint"]
    assert check.returncode == 0, check.stdout  # skipped rules never fail the step
    assert "::notice title=practicelint%3A 3 results skipped" in check.stdout
    (tmp_path / "again").mkdir()
    required = _run_steps(ws, tmp_path / "again", _inputs({"path": "repo", "html": "", "sarif": "",
                                                           "require-history": "true"}))
    assert required["Run practicelint"].returncode == 1  # PROD001 is error-severity, now an error


def test_fetch_history_can_be_turned_off(tmp_path: Path) -> None:
    ws, _ = _shallow_workspace(tmp_path)
    runs = _run_steps(ws, tmp_path, _inputs({"path": "repo", "html": "", "sarif": "", "fetch-history": "false"}))
    assert "Fetch the history" not in runs or runs["Fetch the history"].stdout == ""
    assert _shallow(ws / "repo")


def test_the_cache_is_restored_before_the_run_saved_after_it_and_is_the_one_the_run_uses() -> None:
    steps = _action()["runs"]["steps"]
    names = [step.get("name") for step in steps]
    restore, run, save = (steps[names.index(n)] for n in
                          ("Restore practicelint's cache", "Run practicelint", "Save practicelint's cache"))
    assert names.index(restore["name"]) < names.index(run["name"]) < names.index(save["name"])
    assert restore["uses"].startswith("actions/cache/restore@") and save["uses"].startswith("actions/cache/save@")
    assert restore["with"]["path"] == save["with"]["path"] == run["env"]["PRACTICELINT_CACHE_DIR"]
    assert restore["with"]["key"] == save["with"]["key"] and "github.sha" in save["with"]["key"]
    assert save["with"]["key"].startswith(restore["with"]["restore-keys"].split("$")[0])
    assert "runner.temp" in run["env"]["PRACTICELINT_CACHE_DIR"]  # outside the workspace: never scanned
    assert "always()" in save["if"] and "inputs.cache == 'true'" in save["if"]  # saved when checks fail too
    assert restore["if"] == "inputs.cache == 'true'" and _action()["inputs"]["cache"]["default"] == "true"


def test_the_run_writes_its_cache_where_the_cache_steps_look(tmp_path: Path) -> None:
    """A git checkout: the run keeps its history facts in the folder the cache steps save."""
    ws = tmp_path / "workspace"
    shutil.copytree(ROOT / "examples" / "failing", ws / "repo")
    git_commit_all(ws / "repo", "init", "2026-01-01T00:00:00")
    results = _run_steps(ws, tmp_path, _inputs({"path": "repo", "sarif": "", "html": ""}))
    assert results["Run practicelint"].returncode == 1, results["Run practicelint"].stderr
    kept = tmp_path / "runner_temp" / "practicelint-cache"
    assert kept.is_dir() and any(kept.rglob("*.marshal"))
