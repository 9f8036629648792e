"""Memory stays bounded whatever a repository holds.

The run is capped at ``MEMORY_LIMIT_BYTES`` of address space by the helper (``limit_memory``),
so any unbounded structure fails the test instead of the machine. A repository's own
configuration cannot raise the file-size cap past ``REPOSITORY_MAX_FILE_SIZE``; the user's own
``--config`` may (up to 64 MiB), and then each parser bounds its own memory: YAML nodes are
counted while they are composed, and Markdown is parsed only up to a prefix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.configload import REPOSITORY_MAX_FILE_SIZE
from tests.helpers import write_tree
from tests.hostile.cli import assert_clean, check, check_json, errors, notes_of

MIB = 1024 * 1024


def test_a_repository_cannot_raise_the_file_size_cap_past_its_limit(tmp_path: Path) -> None:
    write_tree(tmp_path, {".practicelint.yaml": f"max-file-size: {16 * MIB}\n", "README.md": "# r\n"})
    proc = check(tmp_path, "json")
    assert_clean(proc, codes=(2,))
    assert "max-file-size" in proc.stderr and "--config" in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_a_repository_may_raise_the_cap_up_to_its_limit(tmp_path: Path) -> None:
    write_tree(tmp_path, {".practicelint.yaml": f"max-file-size: {REPOSITORY_MAX_FILE_SIZE}\n", "README.md": "# r\n"})
    check_json(tmp_path)


def _markdown_table(size: int) -> str:
    row = "| a | b | c | d | e | f | g | h |\n"
    return "# Design\n\n| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |\n|---|---|---|---|---|---|---|---|\n" + row * (size // len(row))


def _huge_workflow(size: int) -> str:
    step = "      - run: echo a b c d e f g h i j k l m n o p q r s t u v w x y z\n"
    return "on: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" + step * (size // len(step))


@pytest.mark.parametrize("what", ["markdown", "workflow", "flow-yaml", "list-markdown"])
def test_files_up_to_the_users_own_cap_are_parsed_in_bounded_memory(tmp_path: Path, what: str) -> None:
    """The user's ``--config`` raises the cap to 64 MiB; a 16 MiB Markdown table (7.8 GB
    before), a 60 MiB workflow (4.7 GB before) and their kin stay under the helper's limit."""
    repo = tmp_path / "repo"
    files = {"README.md": "# r\n"}
    if what == "markdown":
        files["docs/design/huge.md"] = _markdown_table(16 * MIB)
    elif what == "list-markdown":
        files["docs/runbook.md"] = "# Runbook\n\n" + "- step\n" * (16 * MIB // 7)
    elif what == "workflow":
        files[".github/workflows/ci.yml"] = _huge_workflow(60 * MIB)
    else:
        files["catalog-info.yaml"] = "apiVersion: backstage.io/v1alpha1\nkind: Group\nspec: [" + "a," * (8 * MIB) + "]\n"
    write_tree(repo, files)
    config = tmp_path / "user.yaml"
    config.write_text(f"max-file-size: {64 * MIB}\n", encoding="utf-8")
    proc = check(repo, "json", "--config", str(config), timeout=240)
    assert_clean(proc)
    import json

    report = json.loads(proc.stdout)
    assert errors(report) == []
    assert notes_of(report), "the cut or refused file is named in a note"
