"""End-to-end audits through the CLI command: real git repositories, no network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.audit import worker
from linter.audit.inputs import collect
from tests.audit.support import audit_rows, make_bare, make_git_repo, merge, run_audit
from tests.helpers import git, git_commit_all, write_tree


@pytest.fixture
def org(tmp_path: Path) -> dict[str, Path]:
    """Two standalone repositories, a directory of two more, and a bare repository served by file://."""
    repos = {
        "alpha": make_git_repo(tmp_path / "alpha", owner="team-a"),
        "beta": make_git_repo(tmp_path / "beta", owner=None, scanning=False,
                              extra={".github/CODEOWNERS": "* @acme/platform-team\n/docs/ @acme/docs\n"}),
    }
    for name in ("gamma", "delta"):
        repos[name] = make_git_repo(tmp_path / "src" / name, owner="team-b")
    upstream = make_git_repo(tmp_path / "upstream" / "remote-svc", owner="group:payments/team-c")
    repos["remote-svc"] = make_bare(upstream, tmp_path / "served" / "remote-svc.git")
    repos["upstream"] = upstream
    return repos


def test_audit_of_paths_directories_and_file_urls(org: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    url = org["remote-svc"].as_uri()
    result = run_audit(out, str(org["alpha"]), str(org["beta"]), str(tmp_path / "src"), url)
    assert result.exit_code == 0, result.output
    rows = audit_rows(out)
    assert sorted(rows) == ["alpha", "beta", "delta", "gamma", "remote-svc"]
    assert all(row["status"] == "ok" for row in rows.values())
    assert rows["alpha"]["owner"] == "team-a" and rows["alpha"]["owner_source"] == "backstage"
    assert rows["beta"]["owner"] == "platform-team" and rows["beta"]["owner_source"] == "codeowners"
    assert rows["remote-svc"]["owner"] == "payments/team-c"
    for row in rows.values():  # per-repo reports beside the dashboard, linked relatively
        report = json.loads((out / row["report_json"]).read_text(encoding="utf-8"))
        assert report["audit"]["id"] == row["id"] and report["results"]
        assert row["report_html"] is None or (out / row["report_html"]).is_file()
        assert set(row["categories"]) and isinstance(row["score"], int)
    assert (out / "dashboard.html").is_file() and (out / "results.csv").is_file()
    assert "[5/5]" in result.stderr and "audited 5 repositories" in result.stderr


def test_url_is_cloned_blobless_and_the_cache_is_updated_on_the_next_audit(org: dict[str, Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    url = org["remote-svc"].as_uri()
    first = run_audit(tmp_path / "out1", url, cache=cache)
    assert first.exit_code == 0, first.output
    clone = next(p for p in cache.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert git(clone, "config", "--get", "remote.origin.promisor").strip() == "true"
    assert git(clone, "config", "--get", "remote.origin.partialclonefilter").strip() == "blob:none"
    (clone / ".git" / "marker").write_text("kept", encoding="utf-8")
    old_commit = audit_rows(tmp_path / "out1")["remote-svc"]["commit"]

    write_tree(org["upstream"], {"docs/new.md": "# New\n"})
    git_commit_all(org["upstream"], "second", date="2026-02-01T00:00:00")
    git(org["upstream"], "push", "-q", str(org["remote-svc"]), "HEAD:main")
    second = run_audit(tmp_path / "out2", url, cache=cache)
    assert second.exit_code == 0, second.output
    row = audit_rows(tmp_path / "out2")["remote-svc"]
    assert row["commit"] != old_commit
    assert row["commit"] == git(org["upstream"], "rev-parse", "HEAD").strip()
    assert (clone / ".git" / "marker").is_file()  # reused, not cloned afresh
    assert (clone / "docs" / "new.md").is_file()


def test_failing_clone_timeout_and_broken_git_dir_are_error_rows(org: dict[str, Path], tmp_path: Path) -> None:
    broken = make_git_repo(tmp_path / "broken")
    for obj in (broken / ".git" / "objects").rglob("*"):
        if obj.is_file():
            obj.chmod(0o644)
            obj.unlink()
    slow = make_git_repo(tmp_path / "slowrepo")
    out = tmp_path / "out"
    result = run_audit(out, str(org["alpha"]), str(broken), str(slow), (tmp_path / "missing.git").as_uri(),
                       str(org["beta"]), "--timeout-per-repo", "3",
                       env={worker.TEST_SLEEP_ENV: "slowrepo:60"})
    assert result.exit_code == 1, result.output
    rows = audit_rows(out)
    assert rows["alpha"]["status"] == rows["beta"]["status"] == "ok"
    assert rows["broken"]["status"] == "error" and "broken git directory" in rows["broken"]["error"]
    assert rows["slowrepo"]["status"] == "error" and "timed out after 3s" in rows["slowrepo"]["error"]
    assert rows["missing"]["status"] == "error" and rows["missing"]["error"].startswith("clone failed")
    summary = json.loads((out / "audit.json").read_text(encoding="utf-8"))["summary"]
    assert (summary["repos"], summary["audited"], summary["errors"]) == (5, 2, 3)


def test_missing_local_path_is_an_error_row(tmp_path: Path) -> None:
    result = run_audit(tmp_path / "out", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert audit_rows(tmp_path / "out")["nowhere"]["error"] == "no such directory"


def test_no_inputs_is_a_usage_error(tmp_path: Path) -> None:
    result = run_audit(tmp_path / "out")
    assert result.exit_code == 2


def test_config_and_policy_are_exclusive(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("fail_on: error\n", encoding="utf-8")
    result = run_audit(tmp_path / "out", str(tmp_path), "--config", str(policy), "--policy", str(policy))
    assert result.exit_code == 2 and "exclusive" in result.output


def test_shards_write_their_own_json_and_merge_back_to_the_whole_audit(org: dict[str, Path], tmp_path: Path) -> None:
    targets = [str(org["alpha"]), str(org["beta"]), str(tmp_path / "src")]
    whole = run_audit(tmp_path / "whole", *targets)
    assert whole.exit_code == 0
    shard_files = []
    for k in (1, 2, 3):
        out = tmp_path / f"shard{k}"
        result = run_audit(out, *targets, "--shard", f"{k}/3")
        assert result.exit_code == 0, result.output
        shard_files.append(out / f"audit-shard-{k}-of-3.json")
        shard_header = json.loads(shard_files[-1].read_text(encoding="utf-8"))["shard"]
        assert (shard_header["index"], shard_header["count"], shard_header["total"]) == (k, 3, 4)
    ids = [set(json.loads(p.read_text(encoding="utf-8"))["repos"][i]["id"]
               for i in range(len(json.loads(p.read_text(encoding="utf-8"))["repos"]))) for p in shard_files]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
    merged = tmp_path / "merged.json"
    assert merge(*map(str, shard_files), "--format", "json", "--output", str(merged)).exit_code == 0
    merged_doc = json.loads(merged.read_text(encoding="utf-8"))
    whole_doc = json.loads((tmp_path / "whole" / "audit.json").read_text(encoding="utf-8"))
    strip = lambda rows: [{k: v for k, v in r.items() if k not in ("report_json", "report_html")} for r in rows]  # noqa: E731
    assert strip(merged_doc["repos"]) == strip(whole_doc["repos"])
    assert merged_doc["summary"] == whole_doc["summary"]
    assert merged_doc["completion"]["partial"] is False and merged_doc["completion"]["ratio"] == 1.0
    for row in merged_doc["repos"]:  # links now relative to the merged file, still pointing at the reports
        assert (merged.parent / row["report_json"]).is_file()


def test_policy_and_repo_waiver_flag_reach_every_repository_run(org: dict[str, Path], tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("fail_on: warning\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_audit(out, str(org["alpha"]), str(org["beta"]), "--policy", str(policy), "--ignore-repo-waivers")
    assert result.exit_code == 0, result.output
    for row in audit_rows(out).values():
        options = json.loads((out / row["report_json"]).read_text(encoding="utf-8"))["audit"]["options"]
        assert options == {"config": None, "policy": str(policy.resolve()), "ignore_repo_waivers": True}
    header = json.loads((out / "audit.json").read_text(encoding="utf-8"))["options"]
    assert header["policy"] == str(policy) and header["ignore_repo_waivers"] is True


def test_worker_builds_run_options_from_the_task(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import linter.engine as engine

    seen = []
    real_run = engine.run

    def spy(target, options=None, catalog=None):  # type: ignore[no-untyped-def]
        seen.append(options)
        return real_run(target, options, catalog)

    monkeypatch.setattr(engine, "run", spy)
    repo = make_git_repo(tmp_path / "svc")
    item = collect([str(repo)])[0]
    policy = tmp_path / "policy.yaml"
    policy.write_text("fail_on: error\n", encoding="utf-8")
    task = {"id": item.id, "name": item.name, "source": item.source, "kind": item.kind, "slug": item.slug,
            "cache_dir": str(tmp_path / "c"), "output_dir": str(tmp_path / "o"), "config": None,
            "policy": str(policy), "ignore_repo_waivers": True, "now": "2026-11-27T10:00:00+00:00", "html": False}
    row = worker.audit_one(task)
    assert row["status"] == "ok"
    assert seen[0].policy_path == policy and seen[0].ignore_repo_waivers is True
    assert seen[0].config_path is None and seen[0].now.year == 2026


def test_policy_replaces_the_repository_configuration(tmp_path: Path) -> None:
    """The repository's own ``ignore`` must not apply under a central policy."""
    repo = make_git_repo(tmp_path / "svc", extra={".practicelint.yaml": "ignore: [PERF001]\n"})
    policy = tmp_path / "policy.yaml"
    policy.write_text("fail_on: error\n", encoding="utf-8")
    plain = tmp_path / "plain"
    assert run_audit(plain, str(repo)).exit_code == 0
    assert "PERF001" not in {rule for rule, _scope, _status in audit_rows(plain)["svc"]["results"]}
    out = tmp_path / "out"
    assert run_audit(out, str(repo), "--policy", str(policy)).exit_code == 0
    rules = {rule for rule, _scope, _status in audit_rows(out)["svc"]["results"]}
    assert "PERF001" in rules


def test_tty_progress_bar_shows_count_rate_eta_and_failures() -> None:
    import io

    from linter.audit.progress import Progress

    now = [0.0]
    stream = io.StringIO()
    progress = Progress(4, stream=stream, tty=True, clock=lambda: now[0])
    now[0] = 1.0
    progress.update({"status": "ok"}, 1.0)
    now[0] = 2.0
    progress.update({"status": "error", "error": "x"}, 1.0)
    assert "2/4" in stream.getvalue() and "1.0 repos/s" in stream.getvalue()
    assert "ETA 0:02" in stream.getvalue() and "1 failed" in stream.getvalue()
    assert "\n" not in stream.getvalue()  # redrawn in place on a terminal


def test_slugs_are_unique_for_same_named_repositories(tmp_path: Path) -> None:
    first = make_git_repo(tmp_path / "a" / "svc")
    second = make_git_repo(tmp_path / "b" / "svc")
    out = tmp_path / "out"
    assert run_audit(out, str(first), str(second)).exit_code == 0
    doc = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert len({row["report_json"] for row in doc["repos"]}) == 2


def test_worker_process_is_killed_with_its_children_on_timeout(tmp_path: Path) -> None:
    import time

    from linter.audit.runner import WorkerFailure, WorkerProcess

    pidfile = tmp_path / "child.pid"
    proc = WorkerProcess(["sh", "-c", f"sleep 30 & echo $! > {pidfile}; wait"], tmp_path / "w.log")
    with pytest.raises(WorkerFailure, match="timed out after 0.5s"):
        proc.run({"id": "x"}, 0.5)
    assert proc.proc is None
    child = int(pidfile.read_text().strip())
    time.sleep(0.2)
    status = Path(f"/proc/{child}/status")  # the grandchild died with the worker's process group
    state = status.read_text() if status.exists() else "State: gone"
    assert "State:\tZ" in state or state == "State: gone", state


def test_worker_closed_while_another_thread_kills_it(tmp_path: Path) -> None:
    """The run's main thread may kill a worker while its slot closes it: the one that finds
    the process gone midway must not raise (it used to: 'NoneType' has no attribute 'wait')."""
    from linter.audit.runner import WorkerProcess

    worker = WorkerProcess(["sh", "-c", "cat >/dev/null"], tmp_path / "w.log")
    proc = worker._start()
    real_stdin = proc.stdin
    assert real_stdin is not None

    class RacingStdin:
        def close(self) -> None:  # the other thread's kill lands between check and wait
            real_stdin.close()
            worker.kill()

    proc.stdin = RacingStdin()  # type: ignore[assignment]
    worker.close()
    assert worker.proc is None and proc.returncode is not None and real_stdin.closed


def test_an_empty_folder_in_a_repos_file_is_an_error_row_and_never_a_plain_folder_audit(tmp_path: Path) -> None:
    make_git_repo(tmp_path / "lists" / "good")
    (tmp_path / "lists" / "empty").mkdir()
    write_tree(tmp_path / "lists" / "plain", {"README.md": "# not a repository\n"})
    listing = tmp_path / "lists" / "repos.txt"
    listing.write_text("good\nempty\nplain\n", encoding="utf-8")
    result = run_audit(tmp_path / "out", "--repos-file", str(listing))
    assert result.exit_code == 1
    rows = audit_rows(tmp_path / "out")
    assert rows["good"]["status"] == "ok"
    for name in ("empty", "plain"):
        assert (rows[name]["status"], rows[name]["error"]) == ("error", "not a git repository (no .git here)")


def test_kept_rows_take_the_names_this_audit_gives(tmp_path: Path) -> None:
    """A previous audit named two mirrors ``repo``; with --skip-unchanged their kept rows are named
    as the new audit names them, so one audit never mixes the two namings."""
    for owner in ("acme+a", "acme+b"):
        make_bare(make_git_repo(tmp_path / "src" / owner), tmp_path / "m" / owner / "repo")
    paths = [str(tmp_path / "m" / o / "repo") for o in ("acme+a", "acme+b")]
    assert run_audit(tmp_path / "one", *paths, cache=tmp_path / "cache").exit_code == 0
    previous = json.loads((tmp_path / "one" / "audit.json").read_text(encoding="utf-8"))
    for row in previous["repos"]:
        row["name"] = "repo"
    (tmp_path / "one" / "audit.json").write_text(json.dumps(previous), encoding="utf-8")
    assert run_audit(tmp_path / "two", *paths, "--skip-unchanged", str(tmp_path / "one" / "audit.json"),
                     cache=tmp_path / "cache").exit_code == 0
    assert sorted(audit_rows(tmp_path / "two")) == ["acme+a/repo", "acme+b/repo"]


def test_a_clone_error_names_the_cause_not_the_aftermath() -> None:
    from linter.audit.clone import _last_line

    corrupt = (b"Cloning into 'x'...\nwarning: filtering not recognized by server, ignoring\n"
               b"error: git upload-pack: git-pack-objects died with error.\n"
               b"fatal: git upload-pack: aborting due to possible repository corruption on the remote side.\n"
               b"remote: fatal: unable to read be089ecba0bcb3af9e3d5a2ec2ef0f3ffdc2985d\n"
               b"fatal: early EOF\nfatal: fetch-pack: invalid index-pack output\n")
    assert _last_line(corrupt) == ("fatal: git upload-pack: aborting due to possible repository corruption on the "
                                   "remote side.")
    assert _last_line(b"fatal: early EOF\nfatal: fetch-pack: invalid index-pack output\n") == \
        "fatal: fetch-pack: invalid index-pack output"  # nothing better said: the last line still
    assert _last_line(b"fatal: repository 'https://example.com/x/' not found\n") == \
        "fatal: repository 'https://example.com/x/' not found"
