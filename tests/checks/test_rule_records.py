"""Each check module's ``RULE`` record agrees with the catalog, and the generated registry with
the records: a rule is declared once, and nothing else needs to name it."""

from __future__ import annotations

import dataclasses
import inspect
import re
import typing
from pathlib import Path

import pytest

from linter.catalog import load_catalog
from linter.checks import REGISTRY, rule_check
from linter.checks.registry_source import module_name, render
from linter.checks.rule import NoOptions, early_fact_name

CATALOG = load_catalog()
PYTHON_TYPES = {"int": int, "float": float, "str": str, "bool": bool, "list[str]": list[str]}
REGISTRY_FILE = Path(__file__).resolve().parents[2] / "linter" / "checks" / "registry.py"


def test_every_catalog_rule_has_a_module_and_nothing_else_does() -> None:
    assert sorted(REGISTRY) == sorted(CATALOG.rules)
    checks = Path(__file__).resolve().parents[2] / "linter" / "checks"
    modules = {p.stem for p in checks.glob("*.py") if re.match(r"[a-z]+[0-9]{3}_", p.stem)}
    assert modules == {module_name(rule) for rule in CATALOG.rules.values()}


def test_the_registry_is_generated_from_the_current_records() -> None:
    assert REGISTRY_FILE.read_text(encoding="utf-8") == render(CATALOG), "run: python3 dev.py docs"


@pytest.mark.parametrize("rule_id", sorted(CATALOG.rules))
def test_typed_options_match_the_catalog(rule_id: str) -> None:
    """The record types exactly the options ``rules/<ID>.yaml`` declares (defaults live there)."""
    record = rule_check(rule_id)
    declared = CATALOG.rules[rule_id].options
    if not declared:
        assert record.options is NoOptions
        return
    types = record.option_types()
    assert sorted(types) == sorted(declared)
    for name, spec in declared.items():
        assert types[name] == PYTHON_TYPES[spec.type], (rule_id, name)
        assert not any(f.default is not dataclasses.MISSING for f in dataclasses.fields(record.options)), \
            "defaults are written once, in the YAML"
    built = record.make_options(CATALOG.rules[rule_id].default_options())
    assert {name: getattr(built, name) for name in declared} == CATALOG.rules[rule_id].default_options()


@pytest.mark.parametrize("rule_id", sorted(CATALOG.rules))
def test_records_name_real_detectors_and_planners(rule_id: str) -> None:
    from linter.scaffold import scaffolders

    record = rule_check(rule_id)
    for detector in record.early_facts:
        assert detector.__module__.startswith("linter.detectors."), early_fact_name(detector)
        assert inspect.signature(detector).parameters, "a detector takes the workspace"
    if record.fix is not None:
        assert callable(getattr(scaffolders, record.fix))


def test_checks_never_import_other_checks() -> None:
    checks = Path(__file__).resolve().parents[2] / "linter" / "checks"
    rule_modules = {module_name(rule) for rule in CATALOG.rules.values()}
    for path in checks.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for other in rule_modules - {path.stem}:
            assert f"linter.checks.{other}" not in text, f"{path.name} imports {other}"


def test_check_functions_take_a_context() -> None:
    from linter.checks import get_check

    for rule_id in CATALOG.rules:
        hints = typing.get_type_hints(get_check(rule_id))
        assert "ctx" in inspect.signature(get_check(rule_id)).parameters, rule_id
        assert hints.get("return").__name__ == "Finding"
