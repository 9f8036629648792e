"""Rules judge only the kinds they apply to: end to end through ``engine.run``."""

from __future__ import annotations

from pathlib import Path

from linter.catalog import load_catalog
from linter.engine import run
from linter.kinds import KINDS, applies, is_universal
from linter.results import Status
from tests.helpers import write_tree

LIBRARY = {"pyproject.toml": "[project]\nname = \"fastlib\"\n", "README.md": "# fastlib\n"}


def statuses(root: Path) -> dict[tuple[str, str], object]:
    report, _ = run(root)
    return {(r.rule_id, r.scope): r for r in report.results}


def test_a_library_is_not_asked_for_a_latency_slo_and_is_told_why(tmp_path: Path) -> None:
    write_tree(tmp_path, LIBRARY)
    results = statuses(tmp_path)
    perf = results[("PERF001", ".")]
    assert perf.status is Status.NOT_APPLICABLE
    assert "is a library" in perf.message and "pyproject.toml" in perf.message
    assert "fastlib" in perf.message and "nothing in it is deployed" in perf.message
    assert "set `kind: service` in .practicelint.yaml" in perf.message
    assert [e.location() for e in perf.evidence] == ["pyproject.toml:2"]
    # rules that apply to libraries are judged as usual
    assert results[("SEC001", ".")].status is not Status.NOT_APPLICABLE
    assert results[("DEL003", ".")].status is not Status.NOT_APPLICABLE


def test_setting_the_kind_makes_the_rules_judge_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {**LIBRARY, ".practicelint.yaml": "kind: service\n"})
    report, _ = run(tmp_path)
    assert [(s.kind, s.kind_source) for s in report.scopes] == [("service", "config")]
    assert {r.rule_id: r.status for r in report.results}["PERF001"] is Status.FAIL


def test_unknown_is_judged_only_by_universal_rules(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "# something\n"})
    report, _ = run(tmp_path)
    assert [s.kind for s in report.scopes] == ["unknown"]
    catalog = load_catalog()
    for result in report.results:
        spec = catalog.rules[result.rule_id]
        if is_universal(spec.applies_to):
            assert result.status is not Status.NOT_APPLICABLE or "kind" not in result.message
        else:
            assert result.status is Status.NOT_APPLICABLE and "kind of" in result.message, result.rule_id


def test_repository_rules_apply_when_any_scope_is_of_their_kinds(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        ".practicelint.yaml": "services:\n  - services/*\n  - path: libs/*\n    kind: library\n",
        "services/api/main.py": "", "libs/util/pyproject.toml": "[project]\nname = \"util\"\n",
    })
    report, _ = run(tmp_path)
    by = {(r.rule_id, r.scope): r.status for r in report.results}
    assert by[("DEL001", ".")] is not Status.NOT_APPLICABLE  # the service needs continuous deployment
    assert by[("PERF001", "services/api")] is not Status.NOT_APPLICABLE
    assert by[("PERF001", "libs/util")] is Status.NOT_APPLICABLE


def test_every_rule_declares_kinds_and_a_level_and_the_basics_apply_everywhere() -> None:
    catalog = load_catalog()
    for spec in catalog.rules.values():
        assert spec.applies_to and set(spec.applies_to) <= set(KINDS)
        assert spec.level in (1, 2, 3)
    level_one = {rid for rid, spec in catalog.rules.items() if spec.level == 1}
    assert level_one == {"SEC006", "DEL003"}
    assert all(is_universal(catalog.rules[rid].applies_to) for rid in level_one)
    assert not applies(catalog.rules["PERF001"].applies_to, "library")
    assert not applies(catalog.rules["PERF001"].applies_to, "unknown")


def test_a_declared_kind_is_explained_like_an_inferred_one(tmp_path: Path) -> None:
    """``kind: library`` in the configuration: a repository rule for services says so, naming the
    configuration line, not a generic sentence about scopes."""
    write_tree(tmp_path, {".practicelint.yaml": "kind: library\n"})
    result = statuses(tmp_path)[("DEL001", ".")]
    assert result.status is Status.NOT_APPLICABLE
    assert "is a library" in result.message and ".practicelint.yaml:1: kind: library" in result.message
