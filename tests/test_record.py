"""The compliance record: when (and by which clock), which remote (no credentials), which
configuration (its digest), in every format and byte-identical under a pinned clock."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.config import parse_config_text
from linter.engine import RunOptions, run
from linter.record import (CLOCK_CALLER, CLOCK_PINNED, CLOCK_SYSTEM, canonical_config, clock_source, config_digest,
                           docs_link, utc)
from linter.repo.git import GitRepository
from linter.repo.remotes import remote_from_config
from linter.repo.notes import Notes
from tests.helpers import git, write_tree

NOW = "2026-12-01T08:15:30"


def _config(text: str):
    return parse_config_text(text, ".practicelint.yaml", toml=False)


def test_digest_is_of_the_settings_not_of_the_spelling() -> None:
    one = _config("# ours\nfail-on: warning\nservices: ['services/*']\n")
    same = _config("services:\n  - services/*\nfail_on: warning   # same settings, other spelling\n")
    other = _config("fail-on: info\nservices: ['services/*']\n")
    assert config_digest(one) == config_digest(same) != config_digest(other)
    assert config_digest(one).startswith("sha256:") and len(config_digest(one)) == 7 + 64
    text = canonical_config(one)
    assert json.loads(text)["fail_on"] == "warning" and ", " not in text and ": " not in text
    assert list(json.loads(text)) == sorted(json.loads(text))


def test_digest_covers_waivers_with_their_dates() -> None:
    base = "waivers:\n  - {rule: PERF001, reason: r, owner: o, expires: 2026-12-%s}\n"
    assert config_digest(_config(base % "10")) != config_digest(_config(base % "11"))


def test_clock_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRACTICELINT_NOW", raising=False)
    assert clock_source(None) == CLOCK_SYSTEM
    assert clock_source(datetime(2026, 1, 1, tzinfo=timezone.utc)) == CLOCK_CALLER
    monkeypatch.setenv("PRACTICELINT_NOW", "2026-01-01")
    assert clock_source(None) == CLOCK_PINNED
    assert clock_source(datetime(2026, 1, 1, tzinfo=timezone.utc)) == CLOCK_PINNED  # an audit passing the pin on
    assert clock_source(datetime(2026, 1, 2, tzinfo=timezone.utc)) == CLOCK_CALLER


def test_utc_drops_microseconds_and_converts() -> None:
    moment = datetime.fromisoformat("2026-12-01T09:30:15.123456+02:00")
    assert utc(moment) == datetime(2026, 12, 1, 7, 30, 15, tzinfo=timezone.utc)


@pytest.mark.parametrize(("listing", "expected"), [
    ("remote.origin.url https://github.com/acme/api.git\n", "https://github.com/acme/api.git"),
    ("remote.fork.url https://github.com/me/api.git\nremote.origin.url git@github.com:acme/api.git\n",
     "git@github.com:acme/api.git"),
    ("remote.a.url https://x/a.git\nremote.b.url https://x/b.git\n", None),  # no origin, no single remote
    ("remote.only.url https://github.com/acme/api\n", "https://github.com/acme/api"),
    ("remote.origin.url https://github.com/acme/\x1b[31mapi\n", None),
    ("remote.origin.url " + "a" * 3000 + "\n", None),
    ("remote.origin.url not a url\n", None),
    ("", None),
    (None, None),
])
def test_remote_from_config(listing: str | None, expected: str | None) -> None:
    assert remote_from_config(listing) == expected


def _repo(root: Path, remote: str | None) -> GitRepository:
    write_tree(root, {"README.md": "# r\n"})
    git(root, "init", "-q")
    if remote is not None:
        git(root, "remote", "add", "origin", remote)
    return GitRepository(root, Notes())


@pytest.mark.parametrize(("remote", "shown"), [
    ("https://ci:s3cr3t@gitlab.example.com/acme/api.git", "https://gitlab.example.com/acme/api.git"),
    ("https://ghp_TOKEN123@github.com/acme/api.git", "https://github.com/acme/api.git"),
    ("https://gitlab.example.com/acme/api.git?private_token=s3cr3t", "https://gitlab.example.com/acme/api.git?private_token=REDACTED"),
    ("ssh://git@github.com/acme/api.git", "ssh://git@github.com/acme/api.git"),
    ("git@github.com:acme/api.git", "git@github.com:acme/api.git"),
])
def test_remote_is_read_from_git_config_without_credentials(tmp_path: Path, remote: str, shown: str) -> None:
    found = _repo(tmp_path, remote).remote_url
    assert found == shown
    assert "s3cr3t" not in found and "TOKEN123" not in found


def test_remote_includes_are_not_followed(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "r", None)
    (tmp_path / "elsewhere.config").write_text('[remote "origin"]\n\turl = https://github.com/other/secret.git\n')
    with open(tmp_path / "r" / ".git" / "config", "a", encoding="utf-8") as config:
        config.write(f"[include]\n\tpath = {tmp_path / 'elsewhere.config'}\n")
    assert repo.remote_url is None


def test_no_remote_outside_git(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "# r\n"})
    assert GitRepository(tmp_path, Notes()).remote_url is None


def test_docs_link_placeholders_are_url_quoted() -> None:
    assert docs_link(None, "PERF001", "tail-latency-slo") is None
    assert docs_link("https://d.example/{rule}/{name}#{anchor}", "PERF001", "tail-latency-slo") == \
        "https://d.example/PERF001/tail-latency-slo#perf001-tail-latency-slo"
    assert docs_link("https://d.example/{name}", "X001", "a b/c") == "https://d.example/a%20b%2Fc"


@pytest.mark.parametrize("value", ["javascript:alert(1)", "https://x.example/a b", 'https://x"onmouseover=1',
                                   "ftp://x.example/{rule}", "//x.example"])
def test_bad_docs_url_is_a_configuration_error(tmp_path: Path, value: str) -> None:
    write_tree(tmp_path, {".practicelint.yaml": f"docs-url: {json.dumps(value)}\n"})
    result = CliRunner().invoke(cli, ["check", str(tmp_path)], env={"PRACTICELINT_NOW": NOW})
    assert result.exit_code == 2 and "docs-url" in result.output and "Traceback" not in result.output


def _checkout(root: Path) -> Path:
    write_tree(root, {"README.md": "# shop\n", ".practicelint.yaml": "kind: service\nfail-on: warning\nwaivers:\n"
                      "  - {rule: PERF001, reason: measured elsewhere, owner: sre, expires: 2026-12-20}\n"})
    git(root, "init", "-q")
    git(root, "remote", "add", "origin", "https://bot:hunter2@github.com/acme/shop.git")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "init", date="2026-11-01T00:00:00")
    return root


FORMATS = ("text", "json", "markdown", "html", "sarif", "junit")


def test_every_format_carries_the_record_and_is_byte_identical_when_pinned(tmp_path: Path) -> None:
    root = _checkout(tmp_path / "shop")
    commit = git(root, "rev-parse", "HEAD").strip()
    outputs = {}
    for fmt in FORMATS:
        runs = [CliRunner().invoke(cli, ["check", str(root), "--format", fmt], env={"PRACTICELINT_NOW": NOW})
                for _ in range(2)]
        assert runs[0].output == runs[1].output, fmt
        outputs[fmt] = runs[0].output
    for fmt, text in outputs.items():
        assert "hunter2" not in text and "bot:" not in text, fmt
        assert "https://github.com/acme/shop.git" in text, fmt
        assert commit[:12] in text, fmt
    human = ("2026-12-01 08:15:30 UTC", "PRACTICELINT_NOW")
    for fmt in ("text", "markdown", "html"):
        assert all(value in outputs[fmt] for value in human), fmt
    for fmt in ("json", "sarif", "junit"):
        assert "2026-12-01T08:15:30Z" in outputs[fmt] and "PRACTICELINT_NOW" in outputs[fmt], fmt
    record = json.loads(outputs["json"])["record"]
    assert record["remote"] == "https://github.com/acme/shop.git" and record["commit"] == commit
    assert record["config_files"] == [".practicelint.yaml"]
    assert record["config_digest"].startswith("sha256:") and record["config_digest"] in outputs["sarif"]
    assert [w["rule_id"] for w in record["waivers_in_effect"]] == ["PERF001"]  # PERF001 fails here: waived
    header = outputs["text"].splitlines()[1]
    assert header.startswith("record: made 2026-12-01 08:15:30 UTC (PRACTICELINT_NOW) · remote "
                             "https://github.com/acme/shop.git · config sha256:")


def test_system_clock_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRACTICELINT_NOW", raising=False)
    write_tree(tmp_path, {"README.md": "# r\n"})
    report, _ = run(tmp_path, RunOptions(select=["SEC006"]))
    assert report.record.clock == CLOCK_SYSTEM and report.record.remote is None
    assert report.record.generated_at.microsecond == 0
    assert abs((datetime.now(timezone.utc) - report.record.generated_at).total_seconds()) < 600


def test_waivers_in_effect_are_listed(tmp_path: Path, fake_checks) -> None:
    from linter.results import failed

    write_tree(tmp_path, {".practicelint.yaml": "waivers:\n"
                          "  - {rule: PERF001, reason: measured elsewhere, owner: sre, expires: 2026-12-20}\n"})
    fake_checks["PERF001"] = failed("no SLO")
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--format", "json"], env={"PRACTICELINT_NOW": NOW})
    record = json.loads(result.output)["record"]
    assert [(w["rule_id"], w["owner"], w["expires"]) for w in record["waivers_in_effect"]] == [
        ("PERF001", "sre", "2026-12-20")]
    text = CliRunner().invoke(cli, ["check", str(tmp_path)], env={"PRACTICELINT_NOW": NOW}).output
    assert "waivers 1 in effect" in text.splitlines()[1]


def test_git_is_not_asked_to_run_anything(tmp_path: Path) -> None:
    """``git config`` reads; a hook or fsmonitor named by the repository never runs."""
    root = _checkout(tmp_path / "shop")
    marker = tmp_path / "ran"
    hook = root / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    subprocess.run(["git", "-C", str(root), "config", "core.fsmonitor", f"touch {marker}"], check=True)
    assert GitRepository(root, Notes()).remote_url == "https://github.com/acme/shop.git"
    assert not marker.exists()
