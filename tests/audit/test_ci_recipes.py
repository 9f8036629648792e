"""The two shipped recipes, plan -> shards -> merge: ``ci/github/org-audit.yml`` (a GitHub Actions
matrix) and ``ci/kubernetes/org-audit.yaml`` (an Indexed Job). Each is parsed and checked field
by field, then its shell steps are run here, in order, against a local fake GitHub API and git
server: the shards cover the org, the merge publishes, and with one shard's output gone the
merge refuses (non-zero exit)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.audit.fakeapi import FakeApi, github_repo
from tests.audit.githttp import GitHttpServer
from tests.audit.support import make_bare, make_git_repo

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "ci" / "github" / "org-audit.yml"
K8S = ROOT / "ci" / "kubernetes" / "org-audit.yaml"
BIN = Path(sys.executable).parent
NAMES = ["api", "web", "billing", "search", "docs"]


def _workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _k8s() -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(K8S.read_text(encoding="utf-8")) if d]


@pytest.fixture
def org(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fake GitHub org of five repositories (and one archived) served over smart HTTP."""
    root = tmp_path / "served"
    (root / "acme").mkdir(parents=True)
    for name in NAMES:
        make_bare(make_git_repo(tmp_path / "upstream" / name), root / "acme" / f"{name}.git")
    with GitHttpServer(root) as git_server, FakeApi() as api:
        entries = [github_repo(f"acme/{n}", git_server.url(f"acme/{n}.git")) for n in NAMES]
        entries.append(github_repo("acme/attic", git_server.url("acme/attic.git"), archived=True))
        api.route("/orgs/acme/repos", lambda q, a: (200, {}, entries))
        yield api


def _runner_env(tmp_path: Path, api: FakeApi, job_dir: Path) -> dict[str, str]:
    job_dir.mkdir(parents=True, exist_ok=True)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {"PATH": f"{BIN}{os.pathsep}/usr/bin:/bin", "HOME": str(home), "GITHUB_API_URL": api.base,
            "GITHUB_OUTPUT": str(job_dir / "output.txt"), "GITHUB_STEP_SUMMARY": str(job_dir / "summary.md"),
            "PRACTICELINT_NOW": "2026-11-30T05:00:00", "LC_ALL": "C.UTF-8"}


def _expand(text: str, values: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        assert expression in values, f"the recipe uses ${{{{ {expression} }}}}, which the test does not provide"
        return values[expression]

    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def _run_steps(job: dict[str, Any], workflow: dict[str, Any], env: dict[str, str], cwd: Path,
               values: dict[str, str]) -> int:
    """Run a job's ``run:`` steps as the runner does (``bash -e``), in order; the status of the
    first failing one (later steps are skipped, as on GitHub), else 0."""
    for step in job["steps"]:
        if "run" not in step:
            continue
        step_env = {**env, **{k: _expand(str(v), values) for k, v in {**workflow.get("env", {}),
                                                                     **step.get("env", {})}.items()}}
        script = _expand(step["run"], values).replace('pip install "$PRACTICELINT"', "true")
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd,
                              env=step_env, capture_output=True, text=True, check=False, timeout=600)
        if proc.returncode:
            return proc.returncode
    return 0


def test_github_workflow_fields() -> None:
    wf = _workflow()
    assert set(wf["jobs"]) == {"plan", "audit", "merge"}
    plan, audit, merge = (wf["jobs"][j] for j in ("plan", "audit", "merge"))
    assert plan["outputs"]["matrix"] == "${{ steps.plan.outputs.matrix }}"
    plan_step = next(s for s in plan["steps"] if s.get("id") == "plan")
    assert "--plan" in plan_step["run"] and "--max-shards 256" in plan_step["run"]  # GitHub's matrix limit
    assert audit["needs"] == "plan" and audit["strategy"]["fail-fast"] is False
    assert audit["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.plan.outputs.matrix) }}"
    audit_step = next(s for s in audit["steps"] if "run" in s and "--shard" in s["run"])
    assert audit_step["env"]["SHARD"] == "${{ matrix.shard }}/${{ needs.plan.outputs.shards }}"
    assert "--repos-file plan/repos.txt" in audit_step["run"] and "--retry-failed" in audit_step["run"]
    uploads = [s["with"]["name"] for s in audit["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads == ["audit-shard-${{ matrix.shard }}"]
    assert set(merge["needs"]) == {"plan", "audit"} and merge["if"].startswith("always()")
    download = next(s for s in merge["steps"] if s.get("uses", "").startswith("actions/download-artifact"))
    assert download["with"] == {"pattern": "audit-shard-*", "path": "shards"}
    merge_step = next(s for s in merge["steps"] if "report merge" in s.get("run", ""))
    first = next(line for line in merge_step["run"].splitlines() if "report merge" in line)
    assert "--format json" in first and "--min-completion" not in merge_step["run"] and "||" not in merge_step["run"]
    for job in wf["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]


def test_github_recipe_plans_shards_merges_and_refuses_a_missing_shard(org: FakeApi, tmp_path: Path) -> None:
    wf = _workflow()
    wf["env"]["REPOS_PER_SHARD"] = "2"  # five repositories -> three shards
    base = {"secrets.ORG_READ_TOKEN": "t0ken", "github.run_id": "1", "github.server_url": "https://github.com",
            "github.repository": "acme/audits"}
    plan_dir = tmp_path / "jobs" / "plan"
    env = _runner_env(tmp_path, org, plan_dir)
    assert _run_steps(wf["jobs"]["plan"], wf, env, plan_dir, base) == 0
    outputs = dict(line.split("=", 1) for line in (plan_dir / "output.txt").read_text().splitlines())
    matrix, shards = json.loads(outputs["matrix"]), outputs["shards"]
    assert matrix == [1, 2, 3] and shards == "3"
    merge_dir = tmp_path / "jobs" / "merge"
    for k in matrix:  # each matrix job: its own workspace, the plan artifact downloaded into it
        job = tmp_path / "jobs" / f"audit-{k}"
        shutil.copytree(plan_dir / "plan", job / "plan")
        values = {**base, "matrix.shard": str(k), "needs.plan.outputs.shards": shards}
        assert _run_steps(wf["jobs"]["audit"], wf, _runner_env(tmp_path, org, job), job, values) == 0
        shutil.copytree(job / "out", merge_dir / "shards" / f"audit-shard-{k}")
    values = {**base, "needs.plan.outputs.shards": shards}
    assert _run_steps(wf["jobs"]["merge"], wf, _runner_env(tmp_path, org, merge_dir), merge_dir, values) == 0
    merged = json.loads((merge_dir / "org" / "audit.json").read_text())
    assert sorted(r["name"] for r in merged["repos"]) == sorted(f"acme/{n}" for n in NAMES)
    assert merged["completion"]["partial"] is False
    assert (merge_dir / "history" / "audits.db").is_file() and (merge_dir / "org" / "results.ndjson").is_file()
    assert "Engineering practices" in (merge_dir / "summary.md").read_text()

    shutil.rmtree(merge_dir / "shards" / "audit-shard-2")  # a matrix job that never uploaded
    shutil.rmtree(merge_dir / "org")
    assert _run_steps(wf["jobs"]["merge"], wf, _runner_env(tmp_path, org, merge_dir), merge_dir, values) != 0
    assert not (merge_dir / "org" / "dashboard.html").exists()  # refused before publishing


def test_kubernetes_indexed_job_fields() -> None:
    assert [d["kind"] for d in _k8s()] == ["PersistentVolumeClaim", "Job", "Job", "Job"]
    pvc = next(d for d in _k8s() if d["kind"] == "PersistentVolumeClaim")
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"]
    jobs = {d["metadata"]["name"]: d for d in _k8s() if d["kind"] == "Job"}
    assert set(jobs) == {"practicelint-plan", "practicelint-audit", "practicelint-merge"}
    audit = jobs["practicelint-audit"]
    assert audit["apiVersion"] == "batch/v1"
    spec = audit["spec"]
    assert spec["completionMode"] == "Indexed"
    shards = spec["completions"]
    assert isinstance(shards, int) and 1 <= spec["parallelism"] <= shards
    assert spec["backoffLimitPerIndex"] >= 1 and 0 <= spec["maxFailedIndexes"] <= shards
    assert spec["template"]["spec"]["restartPolicy"] == "Never"  # required by backoffLimitPerIndex
    script = spec["template"]["spec"]["containers"][0]["args"][0]
    assert "K=$((JOB_COMPLETION_INDEX + 1))" in script  # 0-based index -> 1-based shard
    assert f'--shard "$K/{shards}"' in script and f"audit-shard-$K-of-{shards}.json" in script
    merge_script = jobs["practicelint-merge"]["spec"]["template"]["spec"]["containers"][0]["args"][0]
    assert f"audit-shard-*-of-{shards}.json" in merge_script and "--min-completion" not in merge_script
    assert jobs["practicelint-merge"]["spec"]["backoffLimit"] == 0
    for job in jobs.values():
        pod = job["spec"]["template"]["spec"]
        claims = [v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"] if "persistentVolumeClaim" in v]
        assert claims == [pvc["metadata"]["name"]]
        mounts = {m["name"]: m["mountPath"] for m in pod["containers"][0]["volumeMounts"]}
        assert mounts["shared"] == "/shared"
        assert job["metadata"]["labels"]["step"] in ("plan", "audit", "merge")


def _k8s_script(job: dict[str, Any], shared: Path) -> str:
    script = job["spec"]["template"]["spec"]["containers"][0]["args"][0]
    return script.replace("pip install --quiet practicelint==0.1.0", "true").replace("/shared", str(shared))


def test_kubernetes_recipe_runs_every_index_and_the_merge_refuses_a_failed_one(org: FakeApi, tmp_path: Path) -> None:
    jobs = {d["metadata"]["name"]: d for d in _k8s() if d["kind"] == "Job"}
    shared = tmp_path / "shared"
    shared.mkdir()
    env = {"PATH": f"{BIN}{os.pathsep}/usr/bin:/bin", "HOME": str(tmp_path), "GITHUB_API_URL": org.base,
           "GITHUB_TOKEN": "t0ken", "XDG_CACHE_HOME": str(tmp_path / "cache"), "LC_ALL": "C.UTF-8",
           "PRACTICELINT_NOW": "2026-11-30T05:00:00"}

    def run(name: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["sh", "-c", _k8s_script(jobs[name], shared)], env={**env, **extra},
                              capture_output=True, text=True, check=False, timeout=600)

    assert run("practicelint-plan").returncode == 0
    completions = jobs["practicelint-audit"]["spec"]["completions"]
    for index in range(completions):  # what the Job controller starts, one pod per index
        assert run("practicelint-audit", JOB_COMPLETION_INDEX=str(index)).returncode == 0
    assert sorted(p.name for p in (shared / "out").iterdir()) == sorted(f"shard-{k}" for k in range(1, completions + 1))
    done = run("practicelint-merge")
    assert done.returncode == 0, done.stderr
    merged = json.loads((shared / "org" / "audit.json").read_text())
    assert sorted(r["name"] for r in merged["repos"]) == sorted(f"acme/{n}" for n in NAMES)
    shutil.rmtree(shared / "out" / "shard-1")  # an index whose retries ran out
    refused = run("practicelint-merge")
    assert refused.returncode != 0 and "missing" in refused.stderr
