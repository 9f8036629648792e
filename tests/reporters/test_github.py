"""GitHub workflow commands: one annotation per problem, escaped per the runner's rules."""

from __future__ import annotations

import pytest

from linter.reporters import render
from linter.reporters.github import escape_data, escape_property
from tests.reporters.samples import assert_snapshot, hostile_report, mini_catalog, sample_report


def test_snapshot() -> None:
    assert_snapshot("sample.github.txt", render("github", sample_report(), mini_catalog()))


def test_hostile_snapshot() -> None:
    assert_snapshot("hostile.github.txt", render("github", hostile_report(), mini_catalog()))


@pytest.mark.parametrize("text,data,prop", [
    ("100%", "100%25", "100%25"),
    ("a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"),
    ("k: v, w", "k: v, w", "k%3A v%2C w"),
    ("%0A", "%250A", "%250A"),
    ("::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"),
])
def test_escaping(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop


def test_levels_files_and_titles() -> None:
    lines = render("github", sample_report(), mini_catalog()).splitlines()
    assert lines[0].startswith("::error file=examples/sample/services/api/slo.yaml,line=10,"
                               "title=PERF001 tail-latency-slo::[services/api] latency objectives only at p90")
    assert "%0Aalso: services/api/alerts.yaml:3 p50 alert" in lines[0]
    assert "%0Afix: Fix tail-latency-slo." in lines[0]
    assert lines[1].startswith("::error title=PERF001 tail-latency-slo::[services/worker] no latency objective")
    assert lines[2].startswith("::notice title=SEC007 threat-model::[services/api] no threat model (waived)")
    assert lines[3].startswith("::warning title=ORG001 team-size::could not be checked:")
    # one notice for every skipped result: nothing is wrong, but rules did not run here
    assert lines[4] == ("::notice title=practicelint%3A 1 result skipped (not scored%2C not failing)::DEL002: "
                        "Not evaluated: change sizes are measured over the last 200 commits, and this is a shallow "
                        "clone with 1 commit of history. Fetch the whole history: `fetch-depth: 0` on "
                        "actions/checkout.")
    assert len(lines) == 5  # pass and not_applicable make no annotation; a waived finding is a notice


def test_every_line_is_one_command_even_with_hostile_input() -> None:
    text = render("github", hostile_report(long=True), mini_catalog())
    lines = text.splitlines()
    assert len(lines) == 5
    for line in lines:
        command, _, rest = line.partition(" ")
        assert command in ("::error", "::warning", "::notice")
        props, sep, message = rest.partition("::")
        assert sep and "\r" not in line and "\x00" not in line and "\x1b" not in line
        for prop in props.split(","):
            key, _, value = prop.partition("=")
            assert key in ("file", "line", "title") and ":" not in value
        assert len(message) < 13_000  # long messages are cut
