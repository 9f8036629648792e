"""Hostile strings from a scanned repository come out inert in every format."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from linter.reporters import REPORTERS, render
from tests.reporters.samples import SCRIPT, hostile_report, mini_catalog

FORMATS = sorted(REPORTERS)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("long", [False, True])
def test_every_format_renders_hostile_input(fmt: str, long: bool) -> None:
    text = render(fmt, hostile_report(long), mini_catalog())
    assert text.encode("utf-8")  # writable as UTF-8
    assert "\x00" not in text and "\x1b" not in text, fmt
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(text)
    if fmt == "junit":
        ET.fromstring(text.encode("utf-8"))
    if fmt in ("html", "markdown"):
        assert SCRIPT not in text
        # the hostile tags appear only escaped (HTML entities, or a Markdown backslash before "<")
        assert re.search(r"(?<!\\)<(script>window|img src=x|i>x|b>x)", text) is None, fmt
    if fmt == "github":
        assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in text.splitlines())


def test_the_registry_lists_every_issue_format_sorted() -> None:
    assert list(REPORTERS) == sorted(REPORTERS)
    assert set(REPORTERS) == {"text", "json", "sarif", "junit", "markdown", "github", "gitlab", "html"}
