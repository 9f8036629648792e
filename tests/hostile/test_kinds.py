"""The kinds detector on hostile files: no entity expands, no file outside is read, nothing
from a manifest reaches a terminal raw."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from linter.cli import cli
from linter.detectors import kinds
from linter.repo.workspace import Workspace
from tests.helpers import write_tree

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
          + ']>\n<project><artifactId>&lol9;</artifactId><packaging>war</packaging></project>\n')
EXTERNAL = ('<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
            '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><PackageId>&secret;</PackageId></PropertyGroup></Project>\n')


def test_xml_with_a_dtd_is_not_read(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pom.xml": LAUGHS, "Lib/Lib.csproj": EXTERNAL})
    facts = Workspace(tmp_path).facts(kinds.detect)
    assert facts.signals == ()  # neither file says anything: no entity was expanded or fetched


def test_manifest_names_with_control_characters_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": '[project]\nname = "evil\\u001b]0;owned\\u0007\\u001b[2J"\n'})
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--select", "PERF001"])
    assert "is a library" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_deeply_nested_toml_and_json_are_refused_not_crashed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "a = " + "[" * 50_000 + "]" * 50_000 + "\n",
                          "package.json": "[" * 100_000 + "]" * 100_000,
                          "Cargo.toml": "x = " + "{a = " * 20_000 + "1" + "}" * 20_000 + "\n"})
    facts = Workspace(tmp_path).facts(kinds.detect)
    assert [s.path for s in facts.signals] == []
