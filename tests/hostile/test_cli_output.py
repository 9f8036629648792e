"""Every line the commands print besides reports (errors, audit progress, ``init`` and ``fix``
previews, listings) is inert: no terminal escape, no CI log command, whatever the repository or
its configuration holds (``linter.cli_output``, ``linter.inert``)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.helpers import git_commit_all, write_tree
from tests.hostile.cli import assert_clean, run_cli
from tests.hostile.test_injection import DISPLAY_CONTROL, PAYLOAD, assert_no_log_commands, hostile_repo

#: Terminal controls (ESC, the C1 range, NUL...) other than line breaks and tabs.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_inert(proc) -> None:  # noqa: ANN001 - a CompletedProcess
    for stream in (proc.stdout, proc.stderr):
        assert RAW_CONTROL.search(stream) is None, RAW_CONTROL.search(stream)
        assert_no_log_commands("cli", stream)


@pytest.mark.parametrize("config", [
    'select: ["NOPE\\n::add-mask::x"]\n',
    'select: ["NOPE\\n##vso[task.setvariable variable=X]1"]\n',
    'select: ["\\u001b]0;title\\u0007\\u001b[2J"]\n',
    'rules: {"::error::x": {a: 1}}\n',
    'extends: "\\n::warning::from-extends"\n',
    'waivers: [{rule: "\\n::error::w", reason: r, owner: o, expires: 2026-12-31}]\n',
])
def test_configuration_errors_are_one_inert_line(tmp_path: Path, config: str) -> None:
    write_tree(tmp_path, {".practicelint.yaml": config, "README.md": "# r\n"})
    proc = run_cli(["check", str(tmp_path), "--format", "json"])
    assert_clean(proc, codes=(2,))
    assert proc.stderr.startswith("practicelint: error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert_inert(proc)


def test_report_notes_naming_hostile_files_are_inert(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "# r\n"})
    (tmp_path / "::error title=pwned::gotcha.yaml").write_bytes(b"\x00binary")
    (tmp_path / "##[warning]x.yml").write_bytes(b"\x00binary")
    (tmp_path / "a\n::add-mask::b.yaml").write_bytes(b"\x00binary")
    for fmt in ("text", "markdown", "json", "junit", "sarif", "html", "gitlab"):
        proc = run_cli(["check", str(tmp_path), "--format", fmt])
        assert_clean(proc)
        assert_no_log_commands(fmt, proc.stdout)


def test_init_and_fix_previews_are_inert(tmp_path: Path) -> None:
    repo = hostile_repo(tmp_path / "repo")
    (repo / ("::error::svc" + "\x1b[31m")).mkdir()
    (repo / ("::error::svc" + "\x1b[31m") / "Dockerfile").write_text("FROM scratch\n", encoding="utf-8")
    (repo / ".github").mkdir()
    (repo / ".github" / "CODEOWNERS").write_text("* @org/team-a\n", encoding="utf-8")
    for args in (["init", str(repo), "--dry-run"], ["fix", str(repo), "--dry-run"]):
        proc = run_cli(args)
        assert_clean(proc, codes=(0, 1, 2))
        assert_inert(proc)


def test_audit_progress_and_summaries_are_inert(tmp_path: Path) -> None:
    folder = tmp_path / "checkouts"
    for name in ("a\n::error::from-name", "\x1b]0;t\x07b", "##vso[task.complete]c"):
        checkout = folder / name
        write_tree(checkout, {"README.md": "# r\n"})
        git_commit_all(checkout, "init", date="2026-01-01T00:00:00")
    proc = run_cli(["audit", str(folder), "--jobs", "1", "--no-repo-html", "--output-dir", str(tmp_path / "out"),
                    "--cache-dir", str(tmp_path / "cache")], timeout=240)
    assert_clean(proc, codes=(0, 1))
    assert_inert(proc)
    audit = tmp_path / "out" / "audit.json"
    for fmt in ("markdown", "json"):
        merged = run_cli(["report", "merge", str(audit), "--format", fmt, "-o", str(tmp_path / f"merged.{fmt}")])
        assert_clean(merged, codes=(0,))
        assert_inert(merged)
        assert_no_log_commands(fmt, (tmp_path / f"merged.{fmt}").read_text(encoding="utf-8"))
    for fmt in ("text", "markdown", "json"):
        diffed = run_cli(["diff", str(audit), str(audit), "--format", fmt])
        assert_clean(diffed, codes=(0,))
        assert_inert(diffed)


def test_explain_of_a_hostile_rule_pack_is_inert(tmp_path: Path) -> None:
    pack = ("prefix: EVIL\nrules:\n  - id: EVIL001\n    name: evil\n    practice: small-teams\n    category: teams\n"
            "    severity: error\n    scope: repo\n    summary: " + json.dumps(PAYLOAD) + "\n    rationale: "
            + json.dumps(PAYLOAD) + "\n    evidence: e\n    remediation: r\n    check:\n      file_exists: {globs: X}\n")
    write_tree(tmp_path, {".practicelint.yaml": "rule-packs: [pack.yaml]\n", "pack.yaml": pack})
    for args in (["explain", "EVIL001"], ["rules"], ["rules", "--format", "markdown"]):
        proc = run_cli(args, cwd=tmp_path)
        assert_clean(proc, codes=(0,))
        assert_inert(proc)
    assert os.path.exists(tmp_path / "pack.yaml")


def test_audit_files_are_inert(tmp_path: Path) -> None:
    """Red team 2026-12-06: the dashboard showed an escape sequence and a bidirectional override
    from a checkout's folder name raw, the CSV let a name's line break start a ``::`` line, and
    audit.json, summary.md and the per-repository reports kept U+202E raw."""
    folder = tmp_path / "checkouts"
    owner = '"</script>\\e[2J\\u202e"'
    for name in ("a\n::set-output name=x::y", "svc\x1b]0;t\x07\x1b[31mred", "bidi\u202egnp.exe",
                 "##vso[task.setvariable variable=x]1", "=HYPERLINK(1)"):
        checkout = folder / name
        write_tree(checkout, {"README.md": "# r\n", ".practicelint.yaml": "kind: service\n",
                              "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
                                                   f"  name: x\nspec:\n  type: service\n  owner: {owner}\n"})
        git_commit_all(checkout, "init", date="2026-01-01T00:00:00")
    out = tmp_path / "out"
    proc = run_cli(["audit", str(folder), "--jobs", "1", "--output-dir", str(out),
                    "--cache-dir", str(tmp_path / "cache")], timeout=240)
    assert_clean(proc, codes=(0, 1))
    files = [p for p in sorted(out.rglob("*")) if p.is_file() and p.suffix in (".json", ".html", ".csv", ".md")]
    assert {p.name for p in files} >= {"audit.json", "dashboard.html", "results.csv", "summary.md"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        found = RAW_CONTROL.search(text.replace("\n", "").replace("\t", "")) or DISPLAY_CONTROL.search(text)
        assert found is None, (path.name, found)
        assert_no_log_commands(path.suffix, text)
        if path.suffix == ".json":
            json.loads(text)
    assert "'=HYPERLINK(1)" in (out / "results.csv").read_text(encoding="utf-8")  # still no formula
