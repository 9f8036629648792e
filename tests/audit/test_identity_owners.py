"""Identity (a repository is its remote, wherever its clone sits) and owners (the team owning
most files, not the alphabetically first)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from linter.audit.inputs import collect, display_name, expand_argument
from tests.audit.support import audit_rows, diff, make_git_repo, run_audit
from tests.helpers import git

TOKEN = "ghp_s3cr3tT0KEN"


def _with_remote(root: Path, url: str, owner: str = "team-a") -> Path:
    make_git_repo(root, owner=owner)
    git(root, "remote", "add", "origin", url)
    return root


@pytest.mark.parametrize("identity, name", [
    ("github.com/acme/api", "acme/api"),
    ("gitlab.example.com:8443/group/sub/repo", "group/sub/repo"),
    ("file:///srv/git/remote-svc", "remote-svc"),
    ("/home/ci/src/payments", "payments"),
    ("C:\\work\\repo", "repo"),
])
def test_display_name_is_owner_and_name_for_hosted_repositories(identity: str, name: str) -> None:
    assert display_name(identity) == name


def test_checkouts_are_identified_by_their_remote_and_named_owner_slash_name(tmp_path: Path) -> None:
    first = _with_remote(tmp_path / "a" / "api", "https://github.com/acme/api.git")
    second = _with_remote(tmp_path / "b" / "api", "git@github.com:other/api.git")
    found = {i.id: i for i in collect([str(first), str(second)])}
    assert set(found) == {"github.com/acme/api", "github.com/other/api"}
    assert {i.name for i in found.values()} == {"acme/api", "other/api"}
    assert all(i.kind == "path" and i.source.startswith(str(tmp_path)) for i in found.values())
    out = tmp_path / "out"
    assert run_audit(out, str(first), str(second)).exit_code == 0
    rows = audit_rows(out)
    assert sorted(rows) == ["acme/api", "other/api"]  # 'api' twice no more
    assert rows["acme/api"]["id"] == "github.com/acme/api"


def test_the_same_checkouts_audited_from_another_folder_are_the_same_repositories(tmp_path: Path) -> None:
    src = tmp_path / "here"
    for name in ("api", "web"):
        _with_remote(src / name, f"https://github.com/acme/{name}.git")
    moved = tmp_path / "elsewhere" / "checkouts"
    shutil.copytree(src, moved)
    assert run_audit(tmp_path / "old", str(src)).exit_code == 0
    assert run_audit(tmp_path / "new", str(moved)).exit_code == 0
    result = diff(str(tmp_path / "old" / "audit.json"), str(tmp_path / "new" / "audit.json"), "--format", "json")
    summary = json.loads(result.stdout)["summary"]
    assert result.exit_code == 0
    assert (summary["unchanged"], summary["added"], summary["removed"]) == (2, 0, 0)


def test_a_repository_without_remote_keeps_its_path_and_a_path_identity_still_diffs(tmp_path: Path) -> None:
    """Near miss: no remote, so the absolute path is all there is; and an audit made before
    identities were remotes (id = path) still matches the checkout's new row by its source."""
    plain = make_git_repo(tmp_path / "plain")
    assert [i.id for i in expand_argument(str(plain))] == [plain.resolve().as_posix()]
    remote = _with_remote(tmp_path / "svc", "https://github.com/acme/svc.git")
    assert run_audit(tmp_path / "new", str(remote)).exit_code == 0
    old_doc = json.loads((tmp_path / "new" / "audit.json").read_text(encoding="utf-8"))
    for row in old_doc["repos"]:  # what an earlier version wrote for the same checkout
        row["id"], row["name"] = row["source"], "svc"
        row["report_json"] = row["report_html"] = None
    old = tmp_path / "old.json"
    old.write_text(json.dumps(old_doc), encoding="utf-8")
    summary = json.loads(diff(str(old), str(tmp_path / "new" / "audit.json"), "--format", "json").stdout)["summary"]
    assert (summary["unchanged"], summary["added"], summary["removed"]) == (1, 0, 0)


def test_remote_credentials_and_junk_never_become_identity(tmp_path: Path) -> None:
    repo = _with_remote(tmp_path / "api", f"https://x-access-token:{TOKEN}@github.com/acme/api.git")
    out = tmp_path / "out"
    result = run_audit(out, str(repo))
    assert result.exit_code == 0
    assert audit_rows(out)["acme/api"]["id"] == "github.com/acme/api"
    written = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file())
    assert TOKEN not in written and TOKEN not in result.output
    odd = make_git_repo(tmp_path / "odd")
    git(odd, "remote", "add", "origin", "not a url at all")
    assert [i.id for i in expand_argument(str(odd))] == [odd.resolve().as_posix()]


def _codeowners_repo(root: Path, src_files: int) -> Path:
    """``* @acme/alpha`` owns the root files, ``/src/ @acme/zeta`` the ``src`` folder."""
    extra = {".github/CODEOWNERS": "* @acme/alpha\n/src/ @acme/zeta\n", "docs/guide.md": "# Guide\n"}
    extra.update({f"src/m{i}.py": f"X = {i}\n" for i in range(src_files)})
    return make_git_repo(root, owner=None, extra=extra)


def test_the_team_owning_most_files_is_the_owner_not_the_alphabetically_first(tmp_path: Path) -> None:
    repo = _codeowners_repo(tmp_path / "svc", src_files=6)  # alpha: 4 files, zeta: 6
    out = tmp_path / "out"
    assert run_audit(out, str(repo)).exit_code == 0
    row = audit_rows(out)["svc"]
    assert row["owner"] == "zeta" and row["owners"] == ["zeta", "alpha"]
    merged = tmp_path / "merged.json"  # the ranking survives a merge of the per-repository report
    from tests.audit.support import merge
    assert merge(str(out / row["report_json"]), "--format", "json", "--output", str(merged)).exit_code == 0
    assert json.loads(merged.read_text(encoding="utf-8"))["repos"][0]["owner"] == "zeta"


def test_near_miss_the_team_with_more_files_wins_even_when_it_sorts_first(tmp_path: Path) -> None:
    repo = _codeowners_repo(tmp_path / "svc", src_files=1)  # alpha: 4 files, zeta: 1
    out = tmp_path / "out"
    assert run_audit(out, str(repo)).exit_code == 0
    assert audit_rows(out)["svc"]["owners"] == ["alpha", "zeta"]
