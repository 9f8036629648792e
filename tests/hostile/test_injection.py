"""Report injection through the real CLI: repository-controlled strings come out inert in every format.

The payload sits where a repository controls report text: a service directory name (scope
path), a Component name (scope name), a Group name and its members (messages, evidence),
and the name of a binary file (a note). Each format must escape or neutralise it.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.hostile.cli import assert_clean, check

FORMATS = ["text", "json", "sarif", "junit", "markdown", "github", "gitlab", "html"]
PAYLOAD = ("<script>alert(1)</script>|`tick`|\x1b[31mRED\x1b]0;title\x07\x1b[2J"
           "::set-env name=X::1 %0A::error::x\r\n::warning::injected\r::notice::lone-cr\n"
           "\x0b\x01\x08\x7f\u0085\u009b31m\u2028&amp;<img src=x onerror=alert(2)>]]><!--"
           "\n##[warning]azure ##vso[task.setvariable variable=X]1\n  ::add-mask::indented\u202eevil")
#: C0 controls other than newline and tab: never raw in any report (JSON escapes them as \uXXXX).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
#: DEL and the C1 controls (U+009B is an 8-bit CSI some terminals honour): never raw on a terminal.
TERMINAL_CONTROL = re.compile(r"[\x7f-\x9f]")
#: What a terminal obeys or a browser, test viewer or PR page would display reordered (a
#: bidirectional override makes "evil\u202egnp.exe" read "evilexe.png"): raw in no format; the
#: machine formats write them as JSON escapes, the others as visible ``\uNNNN``.
DISPLAY_CONTROL = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar holding ``text`` exactly (YAML escapes are JSON-like)."""
    return json.dumps(text, ensure_ascii=True)


def _file_safe(text: str) -> str:
    return text.replace("/", "_").replace("\x00", "")[:120]


def hostile_repo(root: Path, payload: str = PAYLOAD, long: bool = False) -> Path:
    name = payload * (2000 if long else 1)
    members = ", ".join(_yaml_quoted(f"m{i}-{name}") for i in range(14))  # 14 > 12: a failure message
    group = ("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n"
             f"  name: {_yaml_quoted('team-' + name)}\n  description: {_yaml_quoted(name)}\n"
             f"spec:\n  type: team\n  members: [{members}]\n")
    (root / "org").mkdir(parents=True)
    (root / "org" / "catalog-info.yaml").write_text(group, encoding="utf-8")
    service = root / ("svc-" + _file_safe(payload))
    service.mkdir()
    (service / "catalog-info.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
        f"  name: {_yaml_quoted('svc-' + name)}\nspec:\n  type: service\n  owner: {_yaml_quoted(name)}\n",
        encoding="utf-8")
    (root / ("bin-" + _file_safe(payload) + ".yml")).write_bytes(b"\x00\x01binary")
    (root / "README.md").write_text(f"# {name}\n", encoding="utf-8")
    return root


class _Scripts(HTMLParser):
    """Collects what the browser would treat as script: <script> bodies and on* attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.images: int = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        self.images += tag == "img"
        self.handlers += [f"{k}={v}" for k, v in attrs if k.startswith("on")]

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


#: What a CI log obeys: a GitHub workflow command opening a line, an Azure logging command anywhere.
WORKFLOW_COMMAND = re.compile(r"^[ \t]*::", re.MULTILINE)
AZURE_COMMAND = re.compile(r"##(\[|vso\[)", re.IGNORECASE)


def assert_no_log_commands(fmt: str, out: str) -> None:
    """Printed to a CI log, ``out`` gives no command but the github format's own annotations."""
    assert AZURE_COMMAND.search(out) is None, (fmt, AZURE_COMMAND.search(out))
    lines = [line for line in out.splitlines() if WORKFLOW_COMMAND.match(line)]
    if fmt == "github":
        lines = [line for line in lines if not re.match(r"::(error|warning|notice)[ :]", line)]
    assert lines == [], (fmt, lines[:3])


def _assert_inert(fmt: str, out: str) -> None:
    found = CONTROL.search(out.replace("\n", "").replace("\t", ""))
    assert found is None, (fmt, found)
    found = DISPLAY_CONTROL.search(out)
    assert found is None, (fmt, found)
    assert_no_log_commands(fmt, out)
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(out)
    elif fmt == "junit":
        ET.fromstring(out.encode("utf-8"))
    elif fmt == "html":
        parser = _Scripts()
        parser.feed(out)
        assert not any("alert(" in s for s in parser.scripts), "a script from the repository would run"
        assert parser.images == 0 and not any("alert" in h for h in parser.handlers)
        assert "<script>alert" not in out
    elif fmt == "github":
        for line in out.splitlines():
            assert re.match(r"::(error|warning|notice)( [^\n]*?)?::", line), line[:200]
            assert "\r" not in line
        commands = re.findall(r"^::[a-z-]+", out, re.MULTILINE)
        assert set(commands) <= {"::error", "::warning", "::notice"}, set(commands)
    elif fmt == "markdown":
        assert re.search(r"(?<!\\)<(script|img)", out) is None
        # backticks could open or close a code span; inside raw HTML lines (<summary>) Markdown is off
        markdown_lines = [line for line in out.splitlines() if not line.lstrip().startswith("<")]
        assert not any(re.search(r"(?<!\\)`tick", line) for line in markdown_lines)
        _assert_tables_keep_their_columns(out)
    elif fmt == "text":
        found = TERMINAL_CONTROL.search(out)
        assert found is None, found


def _assert_tables_keep_their_columns(markdown: str) -> None:
    """Every row of a Markdown table has as many unescaped cell separators as its header."""
    width = None
    for line in markdown.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        if width is None:
            width = cells
        assert cells == width, line[:300]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_neutralises_repository_strings(tmp_path: Path, fmt: str) -> None:
    repo = hostile_repo(tmp_path / "repo")
    proc = check(repo, fmt)
    assert_clean(proc)
    _assert_inert(fmt, proc.stdout)
    assert "set-env" in proc.stdout or fmt == "html" or "set\\-env" in proc.stdout  # the payload did reach it


@pytest.mark.parametrize("fmt", FORMATS)
def test_very_long_strings_are_bounded_and_inert(tmp_path: Path, fmt: str) -> None:
    repo = hostile_repo(tmp_path / "repo", long=True)  # ~300 KB names
    proc = check(repo, fmt, timeout=120)
    assert_clean(proc)
    _assert_inert(fmt, proc.stdout)
    assert len(proc.stdout) < 64 * 1024 * 1024


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_file_output_is_as_inert_as_stdout(tmp_path: Path, fmt: str) -> None:
    repo = hostile_repo(tmp_path / "repo")
    out = tmp_path / f"report.{fmt}"
    proc = check(repo, "text", "--report", f"{fmt}={out}")
    assert_clean(proc)
    _assert_inert(fmt, out.read_text(encoding="utf-8"))
