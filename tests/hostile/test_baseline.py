"""Baselines a pull request controls: `.practicelint-baseline.json` sits in the repository.

`baseline create` and `baseline update` write `PATH/.practicelint-baseline.json` by default, and
CI runs `check --baseline .practicelint-baseline.json` on the checked-out pull request, so the
file (its type, size, nesting and strings) is the contributor's. Reading it must end in bounded
time and memory with one error line, writing it must never go through a link out of the
repository, and its strings (entries that now pass are listed) must be inert in every format.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.hostile.cli import assert_clean, check, run_cli
from tests.hostile.test_injection import FORMATS, _assert_inert
from tests.helpers import write_tree

PAYLOAD = ("\x1b[31mRED\x1b]8;;http://evil\x07\r::warning::cr\n::error::nl\u202eevil ##vso[task.x]1"
           " <script>alert(1)</script> | `tick` ![i](http://evil.example/x.png) @everyone\u2028")


def _repo(root: Path) -> Path:
    return write_tree(root, {"README.md": "# r\n"})


def _one_error_line(proc, *words: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("practicelint: error: "), proc.stderr[-2000:]
    assert "internal error" not in proc.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("command", ["create", "update"])
def test_baseline_is_never_written_through_a_link_out_of_the_repository(tmp_path: Path, command: str) -> None:
    repo = _repo(tmp_path / "repo")
    outside = tmp_path / "outside.txt"
    outside.write_text('{"version": 1, "entries": []}\n', encoding="utf-8")  # a valid baseline: update reads it
    (repo / ".practicelint-baseline.json").symlink_to(outside)
    proc = run_cli(["baseline", command, str(repo)])
    assert "Traceback" not in proc.stderr
    assert outside.read_text(encoding="utf-8") == '{"version": 1, "entries": []}\n', "written outside the repository"
    link = repo / ".practicelint-baseline.json"
    if proc.returncode == 0:  # the link itself was replaced by the file
        assert not link.is_symlink() and json.loads(link.read_text(encoding="utf-8"))["version"] == 1


def test_baseline_create_through_a_dangling_link_writes_nothing_outside(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    outside = tmp_path / "planted" / "x.json"
    outside.parent.mkdir()
    (repo / ".practicelint-baseline.json").symlink_to(outside)
    proc = run_cli(["baseline", "create", str(repo)])
    assert "Traceback" not in proc.stderr
    assert not outside.exists(), "created a file outside the repository"


@pytest.mark.parametrize("shape", ["nested", "fifo", "zero", "huge", "directory"])
def test_unusable_baselines_are_one_error_line(tmp_path: Path, shape: str) -> None:
    repo = _repo(tmp_path / "repo")
    target = repo / ".practicelint-baseline.json"
    if shape == "nested":
        target.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    elif shape == "fifo":
        os.mkfifo(target)
    elif shape == "zero":
        target.symlink_to("/dev/zero")
    elif shape == "huge":  # a committed file far larger than any baseline: not read into memory
        with target.open("wb") as handle:
            handle.truncate(2 * 1024 * 1024 * 1024)
    else:
        target.mkdir()
    for args in (["check", str(repo), "--format", "json", "--baseline", str(target)],
                 ["baseline", "update", str(repo)]):
        proc = run_cli(args, timeout=60)
        _one_error_line(proc, ".practicelint-baseline.json")


@pytest.mark.parametrize("fmt", FORMATS)
def test_baseline_strings_are_inert_in_every_format(tmp_path: Path, fmt: str) -> None:
    """Entries that now pass are listed by rule and scope, both written by the contributor."""
    repo = _repo(tmp_path / "repo")
    entries = [{"fingerprint": f"{i:064x}", "rule_id": "DOC001" if i else "R" + PAYLOAD, "scope": "S" + PAYLOAD}
               for i in range(2)]
    baseline = repo / ".practicelint-baseline.json"
    baseline.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")
    proc = check(repo, fmt, "--baseline", str(baseline))
    assert_clean(proc)
    _assert_inert(fmt, proc.stdout)
