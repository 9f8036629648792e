"""User configuration: discovery, validation errors with file/line/field, rule options."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.catalog import load_catalog
from linter.config import ConfigError, load_config_file, parse_config_text, resolve_rule_settings, select_rules
from linter.configload import merge, repo_config_layers
from linter.repo.workspace import Workspace
from tests.helpers import write_tree


def _yaml(text: str):
    return parse_config_text(text, ".practicelint.yaml", toml=False)


def test_kebab_and_snake_keys() -> None:
    config = _yaml("fail-on: warning\nmax_file_size: 10\nservices: ['services/*']\n")
    assert (config.fail_on, config.max_file_size, config.services) == ("warning", 10, ["services/*"])
    assert config.source == ".practicelint.yaml"


def test_unknown_key_names_line_and_suggests() -> None:
    with pytest.raises(ConfigError) as info:
        _yaml("select: [PERF]\nfail_onn: error\n")
    assert str(info.value) == ".practicelint.yaml:2: fail_onn: unknown setting (did you mean 'fail_on'?)"


def test_wrong_type_names_line_and_field() -> None:
    with pytest.raises(ConfigError) as info:
        _yaml("teams:\n  payments: alice\n")
    assert str(info.value).startswith(".practicelint.yaml:2: teams.payments:")


def test_bad_literal_value() -> None:
    with pytest.raises(ConfigError, match=r"\.practicelint\.yaml:1: fail_on: Input should be 'error', 'warning' or 'info'"):
        _yaml("fail-on: sometimes\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rules:\n  PERF001:\n    min_percentile: 'high'\n", ":3: rules.PERF001.min_percentile: expected a number"),
        ("rules:\n  PERF001:\n    min_percentile: 120\n", "must be at most 100"),
        ("rules:\n  PERF001:\n    min_percentil: 99\n", "unknown option (did you mean 'min_percentile'?)"),
        ("rules:\n  PERF01:\n    min_percentile: 99\n", ":2: rules.PERF01: unknown rule (did you mean 'PERF001'?)"),
        ("severity:\n  team-sise: warning\n", "unknown rule (did you mean 'team-size'?)"),
    ],
)
def test_rule_option_errors(text: str, expected: str) -> None:
    config = _yaml(text)
    with pytest.raises(ConfigError) as info:
        resolve_rule_settings(config, load_catalog())
    assert expected in str(info.value)


def test_rule_options_merge_with_defaults_and_accept_names() -> None:
    config = _yaml("rules:\n  team-size:\n    max_team_size: 8\nseverity:\n  PROD002: error\n")
    options, severities = resolve_rule_settings(config, load_catalog())
    assert options["ORG001"] == {"max_team_size": 8}
    assert severities == {"PROD002": "error"}


def find_repo_config(ws: Workspace):
    return merge(repo_config_layers(ws)).config


def test_pyproject_table(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[project]\nname='x'\n[tool.practicelint]\nfail-on = 'info'\n"})
    assert find_repo_config(Workspace(tmp_path)).fail_on == "info"


def test_yaml_file_wins_over_pyproject(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[tool.practicelint]\nfail-on = 'info'\n",
                          ".practicelint.yaml": "fail-on: warning\n"})
    assert find_repo_config(Workspace(tmp_path)).fail_on == "warning"


def test_invalid_toml_and_yaml(tmp_path: Path) -> None:
    bad = tmp_path / "cfg.toml"
    bad.write_text("[tool.practicelint\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config_file(bad)
    with pytest.raises(ConfigError, match="invalid YAML"):
        _yaml("a: [\n")
    with pytest.raises(ConfigError, match="must be a mapping"):
        _yaml("- a\n")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config_file(tmp_path / "missing.yaml")


def test_select_and_ignore_by_id_prefix_and_name() -> None:
    catalog = load_catalog()
    assert select_rules(catalog, ["PROD001", "prfaq-complete"], []) == ["PROD001", "PROD002"]
    assert all(r.startswith("PROD") for r in select_rules(catalog, ["PROD"], []))
    assert select_rules(catalog, ["team-size", "SEC001"], []) == ["SEC001", "ORG001"]
    assert "PROD002" not in select_rules(catalog, None, ["prfaq-complete"])
    assert select_rules(catalog, ["PERF001", "ORG00"], ["ORG002", "ORG003"]) == ["PERF001", "ORG001"]
    with pytest.raises(ConfigError, match="matches no rule"):
        select_rules(catalog, ["NOPE"], [])


def test_defaults_are_the_model_itself_and_files_are_validated_against_it() -> None:
    """One definition: ``Config()`` is the configuration of a repository without one, and a file
    is validated by pydantic against that same class (a run without a file never imports it)."""
    from linter.config import Config, parse_config

    defaults = Config()
    assert defaults.fail_on == "error" and defaults.max_file_size == 1024 * 1024 and defaults.waivers == []
    assert defaults.source is None and defaults.teams_with_lines() == {} and defaults.fields_set == frozenset()
    parsed = parse_config({"fail-on": "warning", "max-waiver-days": 30}, "cfg.yaml")
    assert isinstance(parsed, Config) and parsed.fail_on == "warning" and parsed.max_waiver_days == 30
    assert parsed.fields_set == {"fail_on", "max_waiver_days"} and parsed.source == "cfg.yaml"
    with pytest.raises(ConfigError, match="max_waiver_days"):
        parse_config({"max-waiver-days": 0}, "cfg.yaml")


def test_constraints_hold_although_their_markers_are_imported_late() -> None:
    """``annotated_types`` is imported only when pydantic reads the annotations: the bounds it
    names must still be enforced, in a configuration file and on the command line alike."""
    with pytest.raises(ConfigError, match="max_file_size"):
        _yaml("max_file_size: 0\n")
    from linter.config import validated

    with pytest.raises(ConfigError, match="timeout"):
        validated({"timeout": -1}, "command line")
