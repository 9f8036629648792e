"""Missing shards are noticed (merge exits 1, the result says partial everywhere), retries
replace error rows, and audits build on a previous one (--retry-failed, --skip-unchanged)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from linter.audit import worker
from linter.audit.inputs import collect, select_shard
from tests.audit.support import audit_rows, diff, make_bare, make_git_repo, merge, run_audit
from tests.helpers import git, git_commit_all, write_tree


@pytest.fixture
def org(tmp_path: Path) -> list[str]:
    """Six checkouts; their remotes (``example.com/org/svc0..5``) hash to shards 2, 3, 1, 1, 1, 1 of 3."""
    src = tmp_path / "src"
    for i in range(6):
        make_git_repo(src / f"svc{i}", owner=f"team-{i % 2}")
        git(src / f"svc{i}", "remote", "add", "origin", f"https://example.com/org/svc{i}.git")
    return [str(src)]


def _shards(tmp_path: Path, targets: list[str], count: int = 3, **env: str) -> list[Path]:
    files = []
    for k in range(1, count + 1):
        out = tmp_path / f"shard{k}"
        result = run_audit(out, *targets, "--shard", f"{k}/{count}", env=env or None)
        assert result.exit_code in (0, 1), result.output
        files.append(out / f"audit-shard-{k}-of-{count}.json")
    return files


def _doc(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def test_merge_with_a_missing_shard_exits_1_and_says_partial_everywhere(org: list[str], tmp_path: Path) -> None:
    files = _shards(tmp_path, org)
    inputs = collect(org)
    in_shard_2 = {i.name for i in select_shard(inputs, 2, 3)}
    assert in_shard_2 == {"org/svc0"}
    kept = [str(files[0]), str(files[2])]
    out = tmp_path / "merged.json"
    result = merge(*kept, "--format", "json", "--output", str(out))
    assert result.exit_code == 1
    assert "shard 2 of 3 missing" in result.stderr and "refused" in result.stderr
    completion = _doc(out)["completion"]
    assert completion["partial"] is True and completion["shards_missing"] == [2]
    assert completion["repos_expected"] == 6 and completion["repos_covered"] == 6 - len(in_shard_2)
    assert completion["ratio"] == pytest.approx((6 - len(in_shard_2)) / 6, abs=1e-6)
    page = tmp_path / "d.html"
    assert merge(*kept, "--format", "html", "--output", str(page)).exit_code == 1
    assert 'id="partial"' in page.read_text(encoding="utf-8")
    md = tmp_path / "s.md"
    assert merge(*kept, "--format", "markdown", "--output", str(md)).exit_code == 1
    assert "**Partial audit**" in md.read_text(encoding="utf-8")

    full = tmp_path / "full.json"  # near miss: all three shards, nothing partial, exit 0
    complete = merge(*map(str, files), "--format", "json", "--output", str(full))
    assert complete.exit_code == 0 and "partial" not in complete.stderr
    assert _doc(full)["completion"]["partial"] is False

    # diff against the complete audit: the missing shard's repositories are missing, not removed
    compared = diff(str(full), str(out), "--format", "json")
    assert compared.exit_code == 1
    data = json.loads(compared.stdout)
    changes = {r["name"]: r["change"] for r in data["repos"]}
    assert {n for n, c in changes.items() if c == "missing"} == in_shard_2
    assert data["summary"]["removed"] == 0


def test_min_completion_accepts_a_threshold_and_still_marks_partial(org: list[str], tmp_path: Path) -> None:
    files = _shards(tmp_path, org)
    kept = [str(files[0]), str(files[2])]
    ratio = None
    out = tmp_path / "m.json"
    assert merge(*kept, "--format", "json", "--output", str(out)).exit_code == 1
    ratio = _doc(out)["completion"]["ratio"]
    below = f"{min(ratio + 0.01, 1.0):.4f}"
    assert merge(*kept, "--format", "json", "--output", str(out), "--min-completion", below).exit_code == 1
    at = f"{100 * ratio - 0.01:.2f}%"
    accepted = merge(*kept, "--format", "json", "--output", str(out), "--min-completion", at)
    assert accepted.exit_code == 0 and "refused" not in accepted.stderr
    assert _doc(out)["completion"]["partial"] is True
    # a refused merge is not recorded in the history; an accepted one is
    history = tmp_path / "audits.db"
    assert merge(*kept, "--format", "json", "--output", str(out), "--history", str(history)).exit_code == 1
    assert not history.exists()
    assert merge(*kept, "--format", "json", "--output", str(out), "--history", str(history),
                 "--min-completion", at).exit_code == 0
    import sqlite3
    assert sqlite3.connect(history).execute("SELECT partial FROM runs").fetchall() == [(1,)]
    assert diff(str(out), str(out), "--min-completion", at).exit_code == 0


@pytest.mark.parametrize("value", ["1.5", "150%", "-0.1", "lots"])
def test_bad_min_completion_is_a_usage_error(tmp_path: Path, value: str) -> None:
    result = merge(str(tmp_path), "--format", "json", "--output", str(tmp_path / "o.json"), "--min-completion", value)
    assert result.exit_code == 2


def test_a_shard_is_not_recorded_in_the_history_on_its_own(org: list[str], tmp_path: Path) -> None:
    result = run_audit(tmp_path / "out", *org, "--shard", "1/3", "--history", str(tmp_path / "audits.db"))
    assert result.exit_code == 2 and "report merge" in result.output
    assert not (tmp_path / "audits.db").exists()


def test_shards_of_different_splits_do_not_merge(org: list[str], tmp_path: Path) -> None:
    a = run_audit(tmp_path / "a", *org, "--shard", "1/2")
    b = run_audit(tmp_path / "b", *org, "--shard", "2/3")
    assert a.exit_code == b.exit_code == 0
    result = merge(str(tmp_path / "a" / "audit-shard-1-of-2.json"), str(tmp_path / "b" / "audit-shard-2-of-3.json"),
                   "--format", "json", "--output", str(tmp_path / "o.json"))
    assert result.exit_code == 2 and result.stderr.startswith("practicelint: error:")
    assert "Traceback" not in result.output


def _broken_then_fixed(tmp_path: Path) -> tuple[Path, Path]:
    """A served repository whose clone fails the first time (not there yet), then works."""
    upstream = make_git_repo(tmp_path / "upstream" / "late")
    served = tmp_path / "served" / "late.git"
    return upstream, served


def test_retry_failed_reruns_only_error_rows_and_its_ok_rows_win_the_merge(tmp_path: Path) -> None:
    good = make_git_repo(tmp_path / "good")
    upstream, served = _broken_then_fixed(tmp_path)
    url = served.as_uri()
    first = run_audit(tmp_path / "first", str(good), url, env={"PRACTICELINT_NOW": "2026-11-27T10:00:00"})
    assert first.exit_code == 1
    rows = audit_rows(tmp_path / "first")
    assert rows["late"]["status"] == "error" and rows["good"]["status"] == "ok"

    make_bare(upstream, served)  # the server has it now
    # the good repository would now time out: if --retry-failed audited it again, it would be an error row
    retry = run_audit(tmp_path / "retry", "--retry-failed", str(tmp_path / "first" / "audit.json"),
                      "--timeout-per-repo", "3",
                      env={"PRACTICELINT_NOW": "2026-11-27T12:00:00", worker.TEST_SLEEP_ENV: "good:60"})
    assert retry.exit_code == 0, retry.output
    assert "kept 1 row of" in retry.stderr and "good: kept" in retry.stderr and "late: ok" in retry.stderr
    again = audit_rows(tmp_path / "retry")
    assert again["late"]["status"] == "ok" and again["late"]["audited_at"].startswith("2026-11-27T12:00")
    assert again["good"]["status"] == "ok" and again["good"]["audited_at"].startswith("2026-11-27T10:00")
    assert (tmp_path / "retry" / again["good"]["report_json"]).is_file()  # its report came along

    merged = tmp_path / "merged.json"  # original first, retry second; and the reverse: ok wins both ways
    for order in ([tmp_path / "first" / "audit.json", tmp_path / "retry" / "audit.json"],
                  [tmp_path / "retry" / "audit.json", tmp_path / "first" / "audit.json"]):
        result = merge(*map(str, order), "--format", "json", "--output", str(merged))
        assert result.exit_code == 0
        assert {r["name"]: r["status"] for r in _doc(merged)["repos"]} == {"good": "ok", "late": "ok"}
        assert "kept the ok" in result.stderr


def test_between_two_ok_rows_the_newest_wins(tmp_path: Path) -> None:
    repo = make_git_repo(tmp_path / "svc")
    old = run_audit(tmp_path / "old", str(repo), env={"PRACTICELINT_NOW": "2026-10-01T00:00:00"})
    new = run_audit(tmp_path / "new", str(repo), env={"PRACTICELINT_NOW": "2026-11-01T00:00:00"})
    assert old.exit_code == new.exit_code == 0
    out = tmp_path / "m.json"
    for order in (["new", "old"], ["old", "new"]):
        assert merge(*(str(tmp_path / o / "audit.json") for o in order), "--format", "json",
                     "--output", str(out)).exit_code == 0
        assert _doc(out)["repos"][0]["audited_at"].startswith("2026-11-01")


def test_retry_of_a_shard_is_that_shard(org: list[str], tmp_path: Path) -> None:
    files = _shards(tmp_path, org)
    retry = run_audit(tmp_path / "retry2", "--retry-failed", str(files[1]))
    assert retry.exit_code == 0
    assert (tmp_path / "retry2" / "audit-shard-2-of-3.json").is_file()
    wrong = run_audit(tmp_path / "wrong", *org, "--shard", "1/3", "--retry-failed", str(files[1]))
    assert wrong.exit_code == 2


def test_skip_unchanged_reuses_rows_whose_head_and_configuration_did_not_move(tmp_path: Path) -> None:
    still = make_git_repo(tmp_path / "still")
    moving = make_git_repo(tmp_path / "moving")
    upstream = make_git_repo(tmp_path / "upstream" / "remote")
    served = make_bare(upstream, tmp_path / "served" / "remote.git")
    targets = [str(still), str(moving), served.as_uri()]
    first = run_audit(tmp_path / "first", *targets, env={"PRACTICELINT_NOW": "2026-11-01T00:00:00"})
    assert first.exit_code == 0
    write_tree(moving, {"docs/new.md": "# New\n"})
    git_commit_all(moving, "move", date="2026-11-02T00:00:00")
    prev = str(tmp_path / "first" / "audit.json")
    second = run_audit(tmp_path / "second", *targets, "--skip-unchanged", prev,
                       env={"PRACTICELINT_NOW": "2026-11-03T00:00:00"})
    assert second.exit_code == 0, second.output
    rows = audit_rows(tmp_path / "second")
    assert rows["still"]["reused"] and rows["remote"]["reused"]
    assert rows["still"]["audited_at"].startswith("2026-11-01")
    assert "reused" not in rows["moving"] and rows["moving"]["audited_at"].startswith("2026-11-03")
    assert rows["moving"]["commit"] == git(moving, "rev-parse", "HEAD").strip()

    # the remote moves: audited again; a new policy: everything audited again
    write_tree(upstream, {"docs/x.md": "# X\n"})
    git_commit_all(upstream, "x", date="2026-11-04T00:00:00")
    git(upstream, "push", "-q", str(served), "HEAD:main")
    third = run_audit(tmp_path / "third", *targets, "--skip-unchanged", str(tmp_path / "second" / "audit.json"))
    assert third.exit_code == 0
    rows = audit_rows(tmp_path / "third")
    assert rows["still"].get("reused") and not rows["remote"].get("reused")
    policy = tmp_path / "policy.yaml"
    policy.write_text("fail_on: error\n", encoding="utf-8")
    fourth = run_audit(tmp_path / "fourth", *targets, "--policy", str(policy), "--skip-unchanged",
                       str(tmp_path / "third" / "audit.json"))
    assert fourth.exit_code == 0
    assert not any(r.get("reused") for r in audit_rows(tmp_path / "fourth").values())


def test_retry_and_skip_are_exclusive_and_need_an_audit_document(tmp_path: Path) -> None:
    repo = make_git_repo(tmp_path / "svc")
    assert run_audit(tmp_path / "out", str(repo)).exit_code == 0
    doc = str(tmp_path / "out" / "audit.json")
    assert run_audit(tmp_path / "x", "--retry-failed", doc, "--skip-unchanged", doc).exit_code == 2
    report = tmp_path / "out" / audit_rows(tmp_path / "out")["svc"]["report_json"]
    bad = run_audit(tmp_path / "y", "--retry-failed", str(report))
    assert bad.exit_code == 2 and "needs a practicelint audit document" in bad.stderr
