"""Hostile repositories: every rule still gives a verdict (or says which files it could not use),
files become notes, nothing escapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import git_commit_all, write_tree

BOMB = "\n".join(
    ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    + [f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]" for p, n in zip("abcdefgh", "bcdefghi")]
) + "\n"


def _check(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "linter", "check", str(path), "--format", "json", *extra],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PRACTICELINT_NOW": "2026-12-01"})


def test_hostile_tree_gives_clean_results(tmp_path: Path) -> None:
    outside = tmp_path / "outside-secret.yaml"
    outside.write_text("apiVersion: openslo/v1\nkind: SLO\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    write_tree(repo, {
        ".github/workflows/ci.yml": b"\x00\x01\x02binary workflow",
        ".github/workflows/bomb.yml": BOMB,
        ".github/workflows/python.yml": "on: push\njobs: !!python/object/apply:os.system ['touch PWNED']\n",
        "catalog-info.yaml": b"apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: caf\xe9\n",
        "slo/deep.yaml": "[" * 5000 + "]" * 5000,
        "slo/bad.yaml": "apiVersion: openslo/v1\nkind: SLO\nspec: [\n",
        "docs/prfaq.md": "",
        "Jenkinsfile": "pipeline { stages { stage('x') { steps { sh '" + "(" * 10000 + "' } } } }",
        "name with spaces and ünïcode\nnewline.yaml": "a: 1\n",
        "big.md": "x" * (2 * 1024 * 1024),
    })
    (repo / "docs" / "link.md").symlink_to(outside)
    (repo / "loop.yaml").symlink_to(repo / "loop.yaml")
    git_commit_all(repo, "hostile", "2026-11-01T00:00:00+00:00")

    proc = _check(repo)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    # a verdict, or (the CI rules, whose workflows could not be used) an error naming those files
    unjudged = [(r["rule_id"], r["message"]) for r in report["results"] if r["status"] == "error"]
    assert {r["status"] for r in report["results"]} - {"error"} <= {"pass", "fail", "not_applicable"}
    assert all(message.startswith("Could not be evaluated: ") and ".github/workflows/ci.yml (binary content" in message
               and ".github/workflows/python.yml (" in message for _, message in unjudged), unjudged
    notes = {n["path"]: n["reason"] for n in report["notes"]}
    assert "outside the repository" in notes["docs/link.md"]
    assert "binary" in notes[".github/workflows/ci.yml"]
    assert "alias expansion" in notes[".github/workflows/bomb.yml"]
    assert "larger than" in notes["big.md"]
    assert not (repo / "PWNED").exists() and not Path("PWNED").exists()
    assert "outside-secret" not in proc.stdout


def test_fifo_under_a_config_name_outside_git_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / ".gitlab-ci.yml")
    os.mkfifo(tmp_path / "catalog-info.yaml")
    proc = _check(tmp_path)  # opening a FIFO for reading would block forever
    assert proc.returncode in (0, 1), proc.stderr
    notes = {n["path"]: n["reason"] for n in json.loads(proc.stdout)["notes"]}
    assert "not a regular file" in notes[".gitlab-ci.yml"]
    assert "not a regular file" in notes["catalog-info.yaml"]


def test_empty_directory_and_repository_without_commits(tmp_path: Path) -> None:
    proc = _check(tmp_path)
    assert proc.returncode in (0, 1) and json.loads(proc.stdout)["target"]["commit"] is None
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    proc = _check(tmp_path)
    assert proc.returncode in (0, 1), proc.stderr


def test_same_input_gives_byte_identical_reports(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "b/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: b\nspec:\n  type: service\n",
        "a/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec:\n  type: service\n",
        "a/slo.yaml": "groups:\n- name: g\n  rules:\n  - alert: Slow\n    expr: histogram_quantile(0.95, sum(rate(x_bucket[5m])) by (le)) > 1\n",
    })
    outputs = set()
    for seed in ("0", "1", "random"):
        proc = subprocess.run([sys.executable, "-m", "linter", "check", str(tmp_path), "--format", "json"],
                              capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed, "PRACTICELINT_NOW": "2026-12-01"})
        outputs.add(proc.stdout)
    assert len(outputs) == 1
