"""Hostile file contents under the names detectors look for: each becomes a note or a verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import git_commit_all, write_tree
from tests.hostile.cli import check_json, errors, notes_of, result

CONFIG_NAMES = [
    ".github/workflows/ci.yml",
    ".gitlab-ci.yml",
    "catalog-info.yaml",
    "slo/openslo.yaml",
    ".github/CODEOWNERS",
    "docs/prfaq.md",
    "Jenkinsfile",
    ".practicelint.yaml",
    "infra/main.tf",
    ".pre-commit-config.yaml",
    "SECURITY.md",
]

GROUP = ("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n"
         "spec:\n  type: team\n  members: [alice, bob, carol]\n")


@pytest.mark.parametrize("name", CONFIG_NAMES)
@pytest.mark.parametrize(("content", "reason"), [
    (b"\x00\x01\x02\x03ELF binary", "binary"),
    (b"key: caf\xe9 \xff\xfe\n", "not valid UTF-8"),
], ids=["binary", "invalid-utf8"])
def test_unreadable_content_under_a_config_name_is_a_note(tmp_path: Path, name: str, content: bytes,
                                                          reason: str) -> None:
    write_tree(tmp_path, {name: content})
    report = check_json(tmp_path)
    assert errors(report) == []
    notes = notes_of(report)
    assert any(reason in r for r in notes.get(name, [])), notes


def test_utf8_bom_and_crlf_are_read_like_plain_text(tmp_path: Path) -> None:
    """A BOM and Windows line ends change nothing: the Group counts, lines stay right."""
    bom_crlf = ("\ufeff" + GROUP).replace("\n", "\r\n").encode("utf-8")
    write_tree(tmp_path, {"catalog-info.yaml": bom_crlf})
    report = check_json(tmp_path)
    org = result(report, "ORG001")
    assert org["status"] == "pass", org
    assert org["evidence"][0]["path"] == "catalog-info.yaml" and org["evidence"][0]["line"] == 4
    assert notes_of(report) == {}


def test_old_mac_cr_only_line_ends_are_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"catalog-info.yaml": GROUP.replace("\n", "\r").encode()})
    assert result(check_json(tmp_path), "ORG001")["status"] == "pass"


def test_sparse_100_mb_file_with_a_docs_name_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    with open(tmp_path / "docs" / "prfaq.md", "wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: all zeros, no disk used
    report = check_json(tmp_path)
    assert errors(report) == []
    assert any("larger than" in r for r in notes_of(report)["docs/prfaq.md"])


def test_100_mb_text_file_with_a_docs_name_is_skipped_within_memory(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    line = b"## FAQ\n\nPress release: working backwards, frequently asked questions. " * 16 + b"\n"
    with open(tmp_path / "docs" / "press-release.md", "wb") as handle:
        written = 0
        while written < 100 * 1024 * 1024:
            handle.write(line * 64)
            written += len(line) * 64
    git_commit_all(tmp_path, "big doc", "2026-11-01T00:00:00+00:00")
    report = check_json(tmp_path)
    assert errors(report) == []
    assert any("larger than" in r for r in notes_of(report)["docs/press-release.md"])


@pytest.mark.parametrize("name", ["catalog-info.yaml", "docs/faq.md", ".github/workflows/ci.yml", "Jenkinsfile"])
def test_10_mb_single_line_file_is_skipped(tmp_path: Path, name: str) -> None:
    write_tree(tmp_path, {name: "a" * (10 * 1024 * 1024)})
    report = check_json(tmp_path)
    assert errors(report) == []
    assert any("larger than" in r for r in notes_of(report)[name])


@pytest.mark.parametrize("name", ["catalog-info.yaml", "docs/prfaq.md", ".github/workflows/ci.yml",
                                  "Jenkinsfile", "infra/main.tf", ".github/CODEOWNERS"])
def test_single_line_just_under_the_size_cap_is_parsed_in_bounded_time(tmp_path: Path, name: str) -> None:
    """Below the 1 MB cap the file IS read: one huge line must not make a parser quadratic."""
    body = ("x" * 1000 + " ") * 1000  # ~1 MB, one line, no structure
    write_tree(tmp_path, {name: body})
    report = check_json(tmp_path, timeout=60)
    assert errors(report) == []
