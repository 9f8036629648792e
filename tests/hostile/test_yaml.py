"""Hostile YAML and JSON: bombs, recursion, duplicate keys, code-building tags, broken documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import write_tree
from tests.hostile.cli import assert_clean, check, check_json, could_not_run, errors, notes_of, result


def run_named(root: Path, name: str, timeout: float = 60) -> dict | None:
    """Check ``root``; the JSON report, or ``None`` for a configuration file the loader refused.

    ``.practicelint.yaml`` is read by the configuration loader: a hostile one is a usage
    error (exit 2 with a message naming the file), never a traceback or a hang.
    """
    if name != ".practicelint.yaml":
        return check_json(root, timeout=timeout)
    proc = check(root, timeout=timeout)
    assert_clean(proc, codes=(0, 1, 2))
    if proc.returncode == 2:
        assert ".practicelint.yaml" in proc.stderr, proc.stderr
        return None
    return json.loads(proc.stdout)

YAML_NAMES = ["catalog-info.yaml", ".github/workflows/ci.yml", ".gitlab-ci.yml", "slo/slo.yaml",
              "deploy/deployment.yaml", ".circleci/config.yml", "azure-pipelines.yml",
              "bitbucket-pipelines.yml", ".pre-commit-config.yaml", ".practicelint.yaml"]


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghijklmnop"
    for p, n in zip(names[:levels - 1], names[1:levels]):
        lines.append(f"{n}: &{n} [" + ",".join([f"*{p}"] * width) + "]")
    return "\n".join(lines) + "\n"


def mapping_bomb() -> str:
    """Aliases of mappings, merged with ``<<`` at every level (a different expansion path)."""
    lines = ["a: &a {x: 1, y: 2, z: 3, w: 4, v: 5, u: 6, t: 7, s: 8}"]
    for p, n in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{n}: &{n} {{" + ", ".join(f"k{i}: *{p}" for i in range(9)) + f", <<: *{p}}}")
    return "\n".join(lines) + "\n"


#: A header that makes each file look like what its name promises, so detectors that
#: prefilter on content (``backstage.io``, ``openslo``, ``kind: Deployment``) do parse it.
HEADERS = {
    "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Group\n",
    "slo/slo.yaml": "apiVersion: openslo/v1\nkind: SLO\n",
    "deploy/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\n",
}


@pytest.mark.parametrize("name", YAML_NAMES)
@pytest.mark.parametrize("bomb", [billion_laughs(), mapping_bomb()], ids=["sequences", "mappings"])
def test_alias_bombs_are_refused(tmp_path: Path, name: str, bomb: str) -> None:
    write_tree(tmp_path, {name: HEADERS.get(name, "") + bomb})
    report = run_named(tmp_path, name)
    if report is None:
        return
    assert errors(report) == []
    if name != ".practicelint.yaml":
        reasons = notes_of(report).get(name, [])
        assert any("alias" in r for r in reasons), notes_of(report)


def test_alias_bomb_in_a_multi_document_catalog_keeps_the_good_group(tmp_path: Path) -> None:
    group = ("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n"
             "spec:\n  type: team\n  members: [alice, bob]\n")
    write_tree(tmp_path, {"catalog-info.yaml": group + "---\n" + billion_laughs()})
    report = check_json(tmp_path)
    assert result(report, "ORG001")["status"] == "pass"


@pytest.mark.parametrize("name", YAML_NAMES)
@pytest.mark.parametrize("deep", [
    "[" * 10_000 + "]" * 10_000,
    "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 2000)),
    "{a: " * 5_000 + "1" + "}" * 5_000,
    "- " * 5_000 + "x\n",
], ids=["flow-seq", "block-map", "flow-map", "block-seq"])
def test_deeply_nested_yaml_does_not_recurse_out(tmp_path: Path, name: str, deep: str) -> None:
    write_tree(tmp_path, {name: deep})
    report = run_named(tmp_path, name)
    assert report is None or errors(report) == []


@pytest.mark.parametrize("name", ["package.json", "catalog-info.json", "renovate.json", "dashboards/api.json",
                                  ".devcontainer/devcontainer.json", "openapi.json", "slo/slo.json"])
def test_deeply_nested_json_does_not_recurse_out(tmp_path: Path, name: str) -> None:
    write_tree(tmp_path, {name: '{"a":' * 50_000 + "1" + "}" * 50_000})
    report = check_json(tmp_path, timeout=60)
    assert errors(report) == []


def test_deep_but_valid_json_within_limits_still_parses(tmp_path: Path) -> None:
    write_tree(tmp_path, {"package.json": json.dumps({"name": "x", "deep": json.loads("[" * 200 + "]" * 200)})})
    assert errors(check_json(tmp_path)) == []


def test_duplicate_keys_are_survived(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "catalog-info.yaml": ("apiVersion: backstage.io/v1alpha1\nkind: Group\nkind: Component\nmetadata:\n"
                              "  name: a\n  name: b\nspec:\n  type: team\n  members: [x]\n  members: [y, z]\n"),
        ".github/workflows/ci.yml": "on: push\non: pull_request\njobs:\n  a: {runs-on: x, steps: []}\njobs: {}\n",
        "package.json": '{"name": "a", "name": "b", "dependencies": {}, "dependencies": []}',
    })
    assert errors(check_json(tmp_path)) == []


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system ['touch {pwned}']",
    "!!python/object/new:os.system ['touch {pwned}']",
    "!!python/object:os.system {{}}",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object/apply:subprocess.check_output [['touch', '{pwned}']]",
    "!Ref MyBucket",
    "!GetAtt [A, B]",
    "!reference [.setup, script]",
    "!!binary aGVsbG8=",
    "!!set {{a, b}}",
    "!!timestamp not-a-date",
    "!custom/tag {{a: 1}}",
])
@pytest.mark.parametrize("name", [".github/workflows/ci.yml", "catalog-info.yaml", ".gitlab-ci.yml",
                                  "template.yaml", "slo.yaml"])
def test_tags_never_construct_anything(tmp_path: Path, tag: str, name: str) -> None:
    pwned = tmp_path / "PWNED"
    repo = tmp_path / "repo"
    text = f"apiVersion: backstage.io/v1alpha1\nkind: Group\non: push\njobs: {tag.format(pwned=pwned)}\n"
    write_tree(repo, {name: text})
    report = check_json(repo)
    assert errors(report) == []
    assert not pwned.exists()
    # the Group cannot be read, so team size cannot be judged: said, naming the file; nor can
    # the CI rules (those judging every kind) when the file is CI configuration
    ci_rules = {"DEL003", "SEC001", "SEC004"} if name in (".github/workflows/ci.yml", ".gitlab-ci.yml") else set()
    found = {rule for rule, message in could_not_run(report) if name in message}
    assert found in (set(), {"ORG001"}, {"ORG001", *ci_rules})


@pytest.mark.parametrize("value", [
    "!!int not-a-number",
    "!!float x",
    "!!bool maybe",
    "!!int 0b2",
    '!!int ""',
    "!!map [1]",
    "!!seq {a: 1}",
    "!!omap [1]",
    "!!str {a: 1}",
    "!!binary '%%%'",
])
def test_core_tags_with_impossible_values_are_a_note_for_that_document(tmp_path: Path, value: str) -> None:
    group = ("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n"
             "spec:\n  type: team\n  members: [alice, bob, carol]\n")
    write_tree(tmp_path, {"catalog-info.yaml": group + "---\n" + f"kind: Component\nspec: {value}\n"})
    report = check_json(tmp_path)
    assert errors(report) == []
    assert result(report, "ORG001")["status"] == "pass"


GOOD_GROUP = ("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n"
              "spec:\n  type: team\n  members: [alice, bob, carol]\n")


@pytest.mark.parametrize("broken", [
    "kind: [unclosed\n",
    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: [\n",
    "a: b: c\n",
    "\tkey: tab-indented\n",
    billion_laughs(),
    "kind: Group\nspec: !!python/object/apply:os.system ['true']\n",
    "[" * 1000 + "]" * 1000 + "\n",
], ids=["unclosed", "unclosed-flow-map", "nested-colon", "tab", "bomb", "python-tag", "deep"])
def test_broken_document_after_a_good_one_keeps_the_group(tmp_path: Path, broken: str) -> None:
    write_tree(tmp_path, {"catalog-info.yaml": GOOD_GROUP + "---\n" + broken})
    report = check_json(tmp_path)
    org = result(report, "ORG001")
    assert org["status"] == "pass", org
    assert org["evidence"][0]["path"] == "catalog-info.yaml" and org["evidence"][0]["line"] == 4
    assert notes_of(report)["catalog-info.yaml"], "the broken document is named in a note"


@pytest.mark.parametrize("broken", [
    "kind: [unclosed\n",
    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: [\n",
    "a: b: c\n",
    billion_laughs(),
    "kind: Group\nspec: !!python/object/apply:os.system ['true']\n",
    "[" * 1000 + "]" * 1000 + "\n",
], ids=["unclosed", "unclosed-flow-map", "nested-colon", "bomb", "python-tag", "deep"])
def test_broken_document_before_a_good_one_keeps_the_group(tmp_path: Path, broken: str) -> None:
    write_tree(tmp_path, {"catalog-info.yaml": broken + "---\n" + GOOD_GROUP})
    report = check_json(tmp_path)
    org = result(report, "ORG001")
    assert org["status"] == "pass", org
    assert org["evidence"][0]["line"] == broken.count("\n") + 1 + 4  # lines count from the file's start
    assert notes_of(report)["catalog-info.yaml"]


def test_deeply_nested_toml_does_not_recurse_out(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "a = " + "[" * 5000 + "]" * 5000 + "\n",
                          "Cargo.toml": "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n"})
    proc = check(tmp_path)
    assert_clean(proc, codes=(0, 1, 2))
    if proc.returncode == 2:
        assert "pyproject.toml" in proc.stderr
    else:
        assert errors(json.loads(proc.stdout)) == []


@pytest.mark.parametrize("shape", ["null", "42", "[1, 2]", '"text"', "~\n---\n~", "---\n...\n---\n",
                                   "true", "[[[]]]", "{a: {b: {c: null}}}", "? [complex, key]\n: v\n"])
@pytest.mark.parametrize("name", YAML_NAMES)
def test_wrong_top_level_shapes_are_survived(tmp_path: Path, name: str, shape: str) -> None:
    write_tree(tmp_path, {name: shape + "\n"})
    report = run_named(tmp_path, name)
    assert report is None or errors(report) == []
