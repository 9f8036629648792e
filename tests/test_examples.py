"""Each example repository's report matches the one checked in, and shows what it claims."""

from __future__ import annotations

import json

import pytest

from linter.kinds import KIND_PHRASES
from tests.examples_support import EXAMPLE_NAMES, example_report, example_report_object, expected_path


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_report_matches_expected(name: str) -> None:
    expected = json.loads(expected_path(name).read_text(encoding="utf-8"))
    assert example_report(name) == expected, f"run `make examples` if the change to {name} is intended"


def _statuses(name: str) -> dict[tuple[str, str], str]:
    return {(r["rule_id"], r["scope"]): r["status"] for r in example_report(name)["results"]}


def test_passing_example_passes_every_rule_that_applies() -> None:
    statuses = _statuses("passing")
    assert set(statuses.values()) <= {"pass", "not_applicable"}, {k: v for k, v in statuses.items() if v != "pass"}
    headline = {"PERF001", "SEC001", "ORG001", "PROD001", "PROD002"}
    assert {rule for (rule, _), status in statuses.items() if status == "pass"} >= headline


def test_every_rule_passes_in_one_example_and_fails_in_another() -> None:
    seen: dict[str, dict[str, set[str]]] = {}
    for name in EXAMPLE_NAMES:
        for (rule, _), status in _statuses(name).items():
            seen.setdefault(rule, {}).setdefault(status, set()).add(name)
    from linter.catalog import load_catalog

    missing = {rule: sorted(by_status) for rule, by_status in seen.items()
               if not by_status.get("pass") or not by_status.get("fail")}
    assert not missing, f"rules without both a passing and a failing example: {missing}"
    assert set(seen) == set(load_catalog().rules)


def test_failing_example_fails_each_headline_rule() -> None:
    report = example_report("failing")
    failed = {r["rule_id"] for r in report["results"] if r["status"] == "fail"}
    assert failed >= {"PERF001", "SEC001", "ORG001", "PROD001", "PROD002"}
    messages = {(r["rule_id"], r["scope"]): r["message"] for r in report["results"]}
    assert "p95" in messages[("PERF001", "services/api")]
    assert "schedule" in messages[("SEC001", ".")]
    assert "14" in messages[("ORG001", ".")]


def test_monorepo_example_has_one_result_per_service() -> None:
    report = example_report("monorepo")
    assert [s["path"] for s in report["scopes"]] == ["libs/common", "services/payments", "services/search",
                                                     "services/web"]
    statuses = _statuses("monorepo")
    # the library beside the services is its own scope, judged as a library (docs/kinds.md)
    assert statuses[("PERF001", "libs/common")] == "not_applicable"
    assert statuses[("ORG003", "libs/common")] in ("pass", "fail")
    assert statuses[("PERF001", "services/payments")] == "pass"
    assert statuses[("PERF001", "services/search")] == "fail"
    assert statuses[("PERF001", "services/web")] == "pass"
    assert statuses[("PROD001", "services/web")] == "fail"
    assert statuses[("PROD001", "services/payments")] == "pass"
    assert statuses[("SEC001", ".")] == "pass"


def test_library_tool_and_module_are_judged_for_what_they_are() -> None:
    """A library, a CLI tool and a Terraform module: each kind inferred from its files, with
    the evidence, and the service practices not applicable with the reason and the override."""
    expected = {"library": ("library", "pyproject.toml"), "tool": ("tool", "go.mod"),
                "iac-module": ("infrastructure", "main.tf")}
    for name, (kind, evidence) in expected.items():
        report = example_report_object(name)
        [scope] = report.scopes
        assert (scope.kind, scope.kind_source) == (kind, "inferred"), name
        assert scope.kind_evidence[0].path == evidence, name
        statuses = {r.rule_id: r for r in report.results}
        perf = statuses["PERF001"]
        assert perf.status.value == "not_applicable" and f"is {KIND_PHRASES[kind]}" in perf.message, name
        assert "set `kind: service` in .practicelint.yaml" in perf.message
        assert statuses["SEC001"].status.value == "pass" and statuses["DEL003"].status.value == "pass", name


def test_the_ladder_separates_the_new_examples() -> None:
    """The library and the module have the basics (level 1); the tool lacks a security policy."""
    from linter.scoring import repository_maturity

    levels = {name: repository_maturity(example_report_object(name)) for name in ("library", "tool", "iac-module")}
    assert {name: m.level for name, m in levels.items()} == {"library": 1, "tool": 0, "iac-module": 1}
    assert [r.rule_id for r in levels["tool"].blockers] == ["SEC006"]
