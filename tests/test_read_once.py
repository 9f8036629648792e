"""Whole-run guarantees: every file is opened at most once, and heavy modules stay unloaded."""

from __future__ import annotations

import collections
import subprocess
import sys
from pathlib import Path

import pytest

from linter.engine import RunOptions, run
from linter.repo.reader import SafeReader

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("example", ["passing", "failing", "monorepo"])
def test_a_full_run_opens_each_file_at_most_once(example: str, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: collections.Counter[str] = collections.Counter()
    real = SafeReader._read_raw

    def counting(self: SafeReader, rel: str, st: object = None) -> str | None:
        reads[rel] += 1
        return real(self, rel, st)

    monkeypatch.setattr(SafeReader, "_read_raw", counting)
    report, _ = run(ROOT / "examples" / example, RunOptions())
    assert report.results and reads, "the run read nothing"
    assert {path: n for path, n in reads.items() if n > 1} == {}


def test_check_with_a_machine_format_imports_neither_jinja2_nor_the_other_reporters(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from linter.cli import cli\n"
        "try:\n"
        f"    cli(['check', {str(ROOT / 'examples' / 'passing')!r}, '--format', 'json', '-o', {str(tmp_path / 'r.json')!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in ('jinja2', 'linter.reporters.html', 'linter.reporters.sarif', 'linter.audit',"
        " 'linter.scaffold.fix', 'linter.packs') if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
    assert (tmp_path / "r.json").read_text().startswith("{")


def test_each_markdown_file_is_parsed_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from linter.detectors import markdown

    parses: collections.Counter[str] = collections.Counter()
    real = markdown.parse_markdown

    def counting(path: str, text: str) -> markdown.MarkdownDoc:
        parses[path] += 1
        return real(path, text)

    monkeypatch.setattr(markdown, "parse_markdown", counting)
    run(ROOT / "examples" / "passing", RunOptions())
    assert parses["docs/prfaq.md"] == 1  # read by the PR/FAQ and the engineering-docs detectors
    assert {path: n for path, n in parses.items() if n > 1} == {}
