"""``practicelint init``: a configuration that validates, lists what it found, never overwrites."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner, Result

from linter.config import parse_config_text
from linter.engine import RunOptions, run
from linter.scaffold.init import SCHEMA_URL
from tests.helpers import write_tree


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRACTICELINT_NOW", "2026-12-01")


def invoke(*args: str) -> Result:
    from linter.cli_scaffold import register

    group = click.Group("practicelint")
    register(group)
    return CliRunner().invoke(group, list(args))


MONOREPO = {
    "services/cart/package.json": "{}\n",
    "services/pay/requirements.txt": "flask\n",
    "apps/web/Dockerfile": "FROM node:22\n",
    "apps/docs/README.md": "# docs\n",  # no manifest: apps/* would over-include
    "cmd/tool/main.go": "package main\n",
    "go.mod": "module example.com/x\n",
    "libs/util/pyproject.toml": "[project]\nname = 'util'\ndependencies = []\n",
}


def test_init_writes_a_valid_commented_config_with_services_and_ecosystems(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", MONOREPO)
    result = invoke("init", str(root))
    assert result.exit_code == 0, result.output
    text = (root / ".practicelint.yaml").read_text()
    config = parse_config_text(text, ".practicelint.yaml", toml=False)
    assert config.services == ["apps/web", "cmd/*", "services/*"]
    assert config.extends == "practicelint:recommended"
    assert text.startswith(f"# yaml-language-server: $schema={SCHEMA_URL}\n")
    for ecosystem in ("#   docker: apps/web", "#   gomod: .", "#   npm: services/cart", "#   pip: libs/util, services/pay"):
        assert ecosystem in text
    assert "# waivers:\n#   - rule: PERF001\n" in text and "#     expires: 2027-03-01" in text
    assert "practicelint:strict" in text and "practicelint:startup" in text
    assert ("found deployable units: apps/web (Dockerfile), cmd/tool (main.go), services/cart (package.json), "
            "services/pay (requirements.txt)") in result.output
    assert "-> services: apps/web, cmd/*, services/*" in result.output
    assert "found package ecosystems: docker (apps/web); gomod (.); npm (services/cart); pip (libs/util, services/pay)" \
        in result.output
    assert f"wrote {root / '.practicelint.yaml'}" in result.output


def test_written_config_makes_check_judge_those_services(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", MONOREPO)
    assert invoke("init", str(root)).exit_code == 0
    report, _ = run(root, RunOptions(select=["PERF001"]))
    assert [s.path for s in report.scopes] == ["apps/web", "cmd/tool", "services/cart", "services/pay"]


def test_the_example_waiver_validates_once_uncommented(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", MONOREPO)
    assert invoke("init", str(root)).exit_code == 0
    text = (root / ".practicelint.yaml").read_text()
    block = text[text.index("# waivers:"):]
    uncommented = "\n".join(line[2:] for line in block.splitlines())
    config = parse_config_text(uncommented, "waivers", toml=False)
    assert config.waivers[0].rule == "PERF001" and config.waivers[0].owner == "@platform-team"


def test_backstage_services_are_listed_and_not_repeated_as_globs(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {
        "services/cart/package.json": "{}\n",
        "services/cart/catalog-info.yaml": ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
                                            "  name: cart\nspec:\n  type: service\n"),
    })
    result = invoke("init", str(root))
    assert result.exit_code == 0, result.output
    text = (root / ".practicelint.yaml").read_text()
    assert "#   services/cart  (cart)" in text
    assert parse_config_text(text, "x", toml=False).services == []
    assert "found services from the Backstage catalog: cart (services/cart)" in result.output


def test_no_services_is_said_and_the_example_is_commented(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"README.md": "# x\n"})
    result = invoke("init", str(root))
    assert result.exit_code == 0, result.output
    text = (root / ".practicelint.yaml").read_text()
    assert parse_config_text(text, "x", toml=False).services == []
    assert "# services:\n#   - \"services/*\"" in text
    assert "# No package manifests found." in text
    assert "found services: none found; the repository is judged as one scope of kind unknown" in result.output
    assert "found package ecosystems: none found" in result.output


def test_yaml_special_folder_names_are_quoted(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {
        "services/a: b/package.json": "{}\n", "services/it's #1/package.json": "{}\n",
        "services/plain/README.md": "x\n", "services/other/README.md": "x\n",  # half are units: listed one by one
    })
    result = invoke("init", str(root))
    assert result.exit_code == 0, result.output
    text = (root / ".practicelint.yaml").read_text()
    assert parse_config_text(text, "x", toml=False).services == ["services/a: b", "services/it's #1"]
    assert yaml.safe_load(text)["services"] == ["services/a: b", "services/it's #1"]


@pytest.mark.parametrize("existing, content", [
    (".practicelint.yaml", "fail-on: warning\n"),
    (".practicelint.yml", "fail-on: warning\n"),
    ("pyproject.toml", "[tool.practicelint]\nfail-on = 'warning'\n"),
])
def test_init_refuses_to_overwrite_an_existing_configuration(tmp_path: Path, existing: str, content: str) -> None:
    root = write_tree(tmp_path / "repo", {**MONOREPO, existing: content})
    result = invoke("init", str(root))
    assert result.exit_code == 2
    assert "a configuration already exists" in result.output and "init never overwrites it" in result.output
    assert (root / existing).read_text() == content
    assert existing == ".practicelint.yaml" or not (root / ".practicelint.yaml").exists()


def test_a_pyproject_without_practicelint_settings_does_not_block_init(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"pyproject.toml": "[project]\nname = 'x'\ndependencies = []\n"})
    assert invoke("init", str(root)).exit_code == 0
    assert (root / ".practicelint.yaml").is_file()


def test_dry_run_prints_the_config_and_writes_nothing(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", MONOREPO)
    result = invoke("init", str(root), "--dry-run")
    assert result.exit_code == 0, result.output
    assert not (root / ".practicelint.yaml").exists()
    body = result.output.split(f"would write {root / '.practicelint.yaml'}:\n", 1)[1]
    assert parse_config_text(body, "stdout", toml=False).services == ["apps/web", "cmd/*", "services/*"]


def test_init_on_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "not a directory" in result.output


def test_written_globs_do_not_turn_subfolders_into_services(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", MONOREPO)
    assert invoke("init", str(root)).exit_code == 0
    write_tree(root, {"apps/web/slo/latency.yaml": "x: 1\n", "cmd/tool/internal/x.go": "package x\n"})
    report, _ = run(root, RunOptions(select=["PERF001"]))
    assert [s.path for s in report.scopes] == ["apps/web", "cmd/tool", "services/cart", "services/pay"]


def _dockerfiles(parent: str, names: list[str]) -> dict[str, str]:
    return {f"{parent}/{name}/Dockerfile": "FROM scratch\n" for name in names}


def test_globs_follow_where_the_deployable_units_are(tmp_path: Path) -> None:
    """25 Dockerfiles under src/* (as in opentelemetry-demo) give ``src/*``, not ``services/*``;
    the few folders of src/ without one are named in the configuration's comments."""
    names = [f"svc{i:02d}" for i in range(25)]
    tree = {**_dockerfiles("src", names),
            "src/grafana/dashboards/demo.json": "{}\n", "src/prometheus/prometheus.yaml": "x: 1\n",
            "test/tracetesting/Dockerfile": "FROM scratch\n",  # a test image, not a service
            ".devcontainer/Dockerfile": "FROM scratch\n", "docker/ci/Dockerfile": "FROM scratch\n"}
    root = write_tree(tmp_path / "repo", tree)
    result = invoke("init", str(root))
    assert result.exit_code == 0, result.output
    text = (root / ".practicelint.yaml").read_text()
    assert parse_config_text(text, "x", toml=False).services == ["src/*"]
    assert "# The globs also match these folders, which hold no deployable unit" in text
    assert "#   src/grafana\n#   src/prometheus\n" in text
    assert "the globs also match folders without one (judged as services too): src/grafana, src/prometheus" \
        in result.output
    assert "services/*" not in text.split("services:\n", 1)[1].split("\n\n", 1)[0]


@pytest.mark.parametrize(("tree", "expected"), [
    # a unit inside another unit is part of it
    ({**_dockerfiles("src", ["a", "b"]), "src/a/worker/Dockerfile": "FROM scratch\n"}, ["src/*"]),
    # one Dockerfile outside a services folder says nothing about where services live
    ({"deploy/api/Dockerfile": "FROM scratch\n", "README.md": "x\n"}, []),
    # a minority of units under a parent: the folders one by one
    ({**_dockerfiles("src", ["a", "b"]), **{f"src/lib{i}/x.py": "" for i in range(3)}}, ["src/a", "src/b"]),
    # two levels down, with other markers
    ({"platform/go/api/main.go": "package main\n", "platform/go/jobs/Procfile": "worker: x\n",
      "platform/go/edge/fly.toml": "app = 'edge'\n"}, ["platform/go/*"]),
    # Dockerfile variants
    ({"apps/web/Dockerfile.prod": "FROM scratch\n", "apps/api/api.dockerfile": "FROM scratch\n"}, ["apps/*"]),
])
def test_service_globs(tmp_path: Path, tree: dict[str, str], expected: list[str]) -> None:
    root = write_tree(tmp_path / "repo", tree)
    assert invoke("init", str(root)).exit_code == 0
    text = (root / ".practicelint.yaml").read_text()
    assert parse_config_text(text, "x", toml=False).services == expected


def test_init_writes_the_detected_kind_with_its_evidence_and_check_uses_it(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"pyproject.toml": "[project]\nname = \"fastlib\"\n"})
    result = invoke("init", str(root))
    assert result.exit_code == 0, result.output
    text = (root / ".practicelint.yaml").read_text()
    assert "\nkind: library\n" in text and "#   pyproject.toml:2: it publishes the Python package fastlib" in text
    assert parse_config_text(text, "x", toml=False).kind == "library"
    assert "judged as one scope of kind library (pyproject.toml:" in result.output


def test_init_leaves_an_unknown_kind_commented(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"README.md": "# x\n"})
    assert invoke("init", str(root)).exit_code == 0
    text = (root / ".practicelint.yaml").read_text()
    assert "# kind: service   # or website, library, tool, infrastructure, documentation" in text
    assert parse_config_text(text, "x", toml=False).kind is None
