"""Meson projects: the build functions a project calls say library or tool; comments,
strings and method calls never count; hostile files stay bounded."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from linter.detectors.kinds.meson import calls
from tests.kinds.test_inference import kind_of

PROJECT = "project('demo', 'c', version: '1.0')\n"


def test_calls_skip_comments_strings_and_methods() -> None:
    source = (PROJECT + "# library('commented')\nx = 'executable(' + '''\nshared_library('in a string')\n'''\n"
              "y = f'@0@ library()'\ncc.find_library('m')\nlib = both_libraries ('z')\n'unterminated\n"
              "static_library('s')\n")
    assert [name for name, _ in calls(source)] == ["project", "both_libraries", "static_library"]
    assert dict(calls(source))["both_libraries"] == 8


@pytest.mark.parametrize(("files", "kind"), [
    # libraries below the root, reached by subdir(); the tests' and demo's programs are not shipped
    ({"meson.build": PROJECT + "subdir('src')\n", "src/meson.build": "lib = library('demo', 'a.c')\n",
      "tests/meson.build": "executable('t', 't.c')\n", "demo/meson.build": "executable('d', 'd.c')\n"}, "library"),
    ({"meson.build": PROJECT + "shared_library('demo', 'a.c')\n"}, "library"),
    ({"meson.build": PROJECT + "executable('demo', 'main.c', install: true)\n"}, "tool"),
    # near misses: both (something else must say), commented or quoted calls, a method call
    ({"meson.build": PROJECT + "library('d', 'a.c')\nexecutable('demo', 'main.c')\n"}, "unknown"),
    ({"meson.build": PROJECT + "# library('d', 'a.c')\nmessage('executable(x)')\n"}, "unknown"),
    ({"meson.build": PROJECT + "m = cc.find_library('m')\n"}, "unknown"),
    # no project(): a fragment, not a project
    ({"meson.build": "library('d', 'a.c')\n"}, "unknown"),
    # a subproject's programs are another project's
    ({"meson.build": PROJECT + "library('d', 'a.c')\n",
      "subprojects/gvc/meson.build": "project('gvc')\nexecutable('x', 'x.c')\n"}, "library"),
])
def test_meson_projects(tmp_path: Path, files: dict[str, str], kind: str) -> None:
    assert kind_of(tmp_path, files)[0] == kind


def test_hostile_meson_files_stay_linear(tmp_path: Path) -> None:
    hostile = PROJECT + "'''" + "'" * 100_000 + "#" * 50_000 + "\n" + "x(\n" * 80_000 + "\\'" * 20_000
    started = time.monotonic()
    kind = kind_of(tmp_path, {"meson.build": hostile, "src/meson.build": "\x00\xff library(\n" * 1000})[0]
    assert kind in ("library", "unknown") and time.monotonic() - started < 10
    assert list(calls("'\\")) == [] and list(calls("a\n(")) == [("a", 1)]
