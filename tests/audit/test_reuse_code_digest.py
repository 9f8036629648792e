"""``audit --skip-unchanged`` keys reuse on the code that judges, by content: a rule or check
changed within one version re-audits, a fresh install of the same code does not."""

from __future__ import annotations

import os
from pathlib import Path

from linter.cli_audit import _config_key, code_digest
from tests.helpers import write_tree


def test_the_digest_follows_contents_not_times(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "linter", tmp_path / "b" / "linter"
    files = {"checks/x.py": "def check(): ...\n", "rules/X.yaml": "id: X\n", "notes.txt": "ignored\n"}
    write_tree(first, files)
    write_tree(second, files)
    os.utime(second / "checks/x.py", (0, 0))  # another install: other times, same bytes
    (second / "notes.txt").write_text("not code\n")
    assert code_digest(first) == code_digest(second)
    (second / "checks/x.py").write_text("def check(): return 1\n")
    assert code_digest(first) != code_digest(second)
    (second / "checks/x.py").write_text("def check(): ...\n")
    (second / "rules/X.yaml").write_text("id: X\nlevel: 2\n")
    assert code_digest(first) != code_digest(second)
    (second / "rules/X.yaml").rename(second / "rules/Y.yaml")  # same bytes under another name
    assert code_digest(first) != code_digest(second)


def test_the_audit_key_is_stable_for_the_installed_code() -> None:
    assert _config_key(None, None, False) == _config_key(None, None, False)
    assert _config_key(None, None, False) != _config_key(None, None, True)
