"""Layered configuration: extends (paths and presets), precedence, policies, show and schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli
from linter.config import ConfigError
from linter.configload import file_config_layers, load, merge, repo_config_layers
from linter.configshow import config_schema_text
from linter.repo.workspace import Workspace
from tests.helpers import write_tree

SCHEMA_DOC = Path(__file__).resolve().parents[1] / "docs" / "config.schema.json"


def _load(root: Path, **kwargs):
    defaults = {"config_path": None, "policy_path": None, "ignore_repo_waivers": False, "overrides": {}}
    return load(Workspace(root), **{**defaults, **kwargs})


def test_precedence_cli_over_repo_over_parents_over_defaults(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "base/common.yaml": "fail-on: info\nmax-file-size: 10\nrules:\n  ORG001: {max_team_size: 8}\n"
                            "severity:\n  PROD002: info\n",
        ".practicelint.yaml": "extends: base/common.yaml\nfail-on: warning\nseverity:\n  PROD001: warning\n",
    })
    eff = _load(tmp_path, overrides={"fail_on": "error"})
    cfg = eff.config
    assert (cfg.fail_on, cfg.max_file_size) == ("error", 10)
    assert cfg.rules == {"ORG001": {"max_team_size": 8}}
    assert cfg.severity == {"PROD002": "info", "PROD001": "warning"}
    assert eff.provenance["fail_on"] == "command line"
    assert eff.provenance["max_file_size"] == "base/common.yaml"
    assert eff.provenance["severity.PROD001"] == ".practicelint.yaml"
    assert eff.layers == ["base/common.yaml", ".practicelint.yaml"]


def test_presets_and_unknown_preset(tmp_path: Path) -> None:
    write_tree(tmp_path, {".practicelint.yaml": "extends: practicelint:strict\n"})
    assert _load(tmp_path).config.fail_on == "warning"
    write_tree(tmp_path, {".practicelint.yaml": "extends: [practicelint:startup, practicelint:strict]\n"})
    assert _load(tmp_path).config.fail_on == "warning"  # the later parent wins
    write_tree(tmp_path, {".practicelint.yaml": "extends: practicelint:lenient\n"})
    with pytest.raises(ConfigError, match="unknown preset 'practicelint:lenient'.*practicelint:recommended"):
        _load(tmp_path)


def test_extends_cycle_is_an_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {".practicelint.yaml": "extends: a.yaml\n", "a.yaml": "extends: b.yaml\n",
                          "b.yaml": "extends: a.yaml\n"})
    with pytest.raises(ConfigError, match="cycle: .practicelint.yaml -> a.yaml -> b.yaml -> a.yaml"):
        _load(tmp_path)


@pytest.mark.parametrize("target", ["../outside.yaml", "/etc/passwd", "sub/../../outside.yaml", "link.yaml"])
def test_repo_config_cannot_read_outside_the_repository(tmp_path: Path, target: str) -> None:
    (tmp_path / "outside.yaml").write_text("fail-on: info\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    write_tree(repo, {".practicelint.yaml": f"extends: {target}\n"})
    with pytest.raises(ConfigError, match="outside the repository|inside the repository|not a file tracked in the repository"):
        _load(repo)


def test_command_line_config_may_extend_relative_files(tmp_path: Path) -> None:
    write_tree(tmp_path, {"org/base.yaml": "fail-on: info\n", "org/team.yaml": "extends: base.yaml\n"})
    layers = file_config_layers(tmp_path / "org" / "team.yaml")
    assert merge(layers).config.fail_on == "info"


def test_error_in_a_parent_names_the_parent_file_and_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {".practicelint.yaml": "extends: parent.yaml\n", "parent.yaml": "select: [PERF]\nfial-on: x\n"})
    with pytest.raises(ConfigError, match=r"parent.yaml:2: fial_on: unknown setting \(did you mean 'fail_on'\?\)"):
        _load(tmp_path)


def test_policy_replaces_repo_config_but_keeps_repo_waivers(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("fail-on: warning\n")
    repo = tmp_path / "repo"
    write_tree(repo, {".practicelint.yaml": (
        "fail-on: info\nwaivers:\n  - rule: PERF001\n    reason: no traffic yet\n    owner: ana\n"
        "    expires: 2026-12-31\n")})
    eff = _load(repo, policy_path=policy)
    assert eff.config.fail_on == "warning" and [w.rule for w in eff.config.waivers] == ["PERF001"]
    assert eff.provenance["waivers"] == "repository waivers"
    assert _load(repo, policy_path=policy, ignore_repo_waivers=True).config.waivers == []


def test_extend_select_and_per_path_ignores_run_through_the_cli(tmp_path: Path, fake_checks) -> None:
    write_tree(tmp_path, {
        ".practicelint.yaml": "select: [PERF001]\nextend-select: [team-size]\n"
                              "services: ['svc/*']\nper-path-ignores:\n  'svc/legacy': [PERF001]\n",
        "svc/new/a.txt": "", "svc/legacy/a.txt": "",
    })
    data = json.loads(CliRunner().invoke(cli, ["check", str(tmp_path), "--format", "json"]).output)
    assert sorted((r["rule_id"], r["scope"]) for r in data["results"]) == [("ORG001", "."), ("PERF001", "svc/new")]


def test_config_show_names_origins(tmp_path: Path) -> None:
    write_tree(tmp_path, {".practicelint.yaml": "extends: practicelint:strict\nservices: ['svc/*']\n"})
    out = CliRunner().invoke(cli, ["config", "show", str(tmp_path)]).output
    assert "fail-on: \"warning\"  # from practicelint:strict" in out
    assert "# services: from .practicelint.yaml" in out
    assert "max-file-size: 1048576  # from default" in out


def test_config_show_reports_errors_with_exit_two(tmp_path: Path) -> None:
    write_tree(tmp_path, {".practicelint.yaml": "nope: 1\n"})
    result = CliRunner().invoke(cli, ["config", "show", str(tmp_path)])
    assert result.exit_code == 2 and ".practicelint.yaml:1: nope: unknown setting" in result.output


def test_schema_is_published_and_current() -> None:
    assert SCHEMA_DOC.read_text(encoding="utf-8") == config_schema_text(), "run `make docs`"
    schema = json.loads(config_schema_text())
    assert schema["additionalProperties"] is False
    assert {"fail-on", "waivers", "extends", "per-path-ignores", "rule-packs"} <= set(schema["properties"])


def test_repo_without_config_has_no_layers(tmp_path: Path) -> None:
    assert repo_config_layers(Workspace(tmp_path)) == []


def test_command_line_overrides_without_a_file_need_no_pydantic_and_bad_values_still_fail(tmp_path) -> None:
    import subprocess
    import sys

    from linter import configload
    from linter.config import ConfigError as PublicConfigError

    merged = configload.merge([], {"select": ["SEC"], "fail_on": "warning", "untracked": "none"})
    assert (merged.config.select, merged.config.fail_on, merged.config.untracked) == (["SEC"], "warning", "none")
    assert merged.provenance == {"select": "command line", "fail_on": "command line", "untracked": "command line"}
    with pytest.raises(PublicConfigError):
        configload.merge([], {"fail_on": "loud"})  # an API caller's bad value: the model explains
    (tmp_path / "README.md").write_text("# x\n")
    code = ("import sys; from linter.cli import cli\n"
            "try:\n    cli(['check', sys.argv[1], '--select', 'SEC,DOC', '--fail-on', 'warning', '--format', 'json'])\n"
            "except SystemExit:\n    pass\n"
            "print('pydantic' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr
