"""Credentials in an audited URL reach the git server and nothing else: not ``audit.json``, the
per-repository reports, the CSV, the dashboard, progress or error messages, nor the cached
clone's ``.git/config``."""

from __future__ import annotations

from pathlib import Path

from tests.audit.githttp import GitHttpServer
from tests.audit.support import make_bare, make_git_repo, run_audit

TOKEN = "s3cr3t-TOKEN-9b1f"


def _everything_written(*folders: Path) -> str:
    texts = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and "objects" not in path.parts:
                texts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(texts)


def test_url_credentials_authenticate_the_clone_and_are_written_nowhere(tmp_path: Path) -> None:
    source = make_git_repo(tmp_path / "src" / "api")
    served = tmp_path / "served"
    served.mkdir()
    make_bare(source, served / "api.git")
    with GitHttpServer(served, user="alice", password=TOKEN) as server:
        url = server.url("api.git", credentials=f"alice:{TOKEN}")
        result = run_audit(tmp_path / "out", url, cache=tmp_path / "cache")
        assert any(auth for _, _, auth in server.requests), "git sent the credentials"
        first = len(server.requests)
        again = run_audit(tmp_path / "out2", url, cache=tmp_path / "cache")  # the cached clone is updated
        assert len(server.requests) > first
    assert result.exit_code == 0, result.output
    assert again.exit_code == 0, again.output
    written = _everything_written(tmp_path / "out", tmp_path / "out2", tmp_path / "cache")
    assert '"status": "ok"' in written
    assert TOKEN not in written and TOKEN not in result.output and TOKEN not in again.output
    config = next((tmp_path / "cache").rglob("config")).read_text(encoding="utf-8")
    assert "alice" not in config and "127.0.0.1" in config


def test_a_refused_clone_says_why_without_the_credentials(tmp_path: Path) -> None:
    source = make_git_repo(tmp_path / "src" / "api")
    served = tmp_path / "served"
    served.mkdir()
    make_bare(source, served / "api.git")
    with GitHttpServer(served, user="alice", password="the-right-one") as server:
        url = server.url("api.git", credentials=f"alice:{TOKEN}")
        result = run_audit(tmp_path / "out", url, cache=tmp_path / "cache")
    assert result.exit_code == 1
    written = _everything_written(tmp_path / "out", tmp_path / "cache")
    assert "clone failed" in written
    assert TOKEN not in written and TOKEN not in result.output


def test_redact_keeps_what_identifies_and_drops_what_authenticates() -> None:
    from linter.audit.inputs import redact

    assert redact(f"https://x-access-token:{TOKEN}@github.com/acme/api.git") == "https://github.com/acme/api.git"
    assert redact(f"https://{TOKEN}@gitlab.example.com:8443/g/p") == "https://gitlab.example.com:8443/g/p"
    assert redact(f"https://host/p.git?private_token={TOKEN}&ref=main") == \
        "https://host/p.git?private_token=REDACTED&ref=main"
    assert redact("ssh://git@host:2222/o/r.git") == "ssh://git@host:2222/o/r.git"
    assert redact("git@github.com:o/r.git") == "git@github.com:o/r.git"
    assert redact("/srv/checkouts/api") == "/srv/checkouts/api"
