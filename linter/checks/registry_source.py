"""Write ``linter/checks/registry.py`` from the check modules' ``RULE`` records.

``python3 dev.py docs`` runs it; ``tests/checks/test_rule_records.py`` fails when the file is
stale. The registry lets the engine plan a run (which process runs a rule, what to start
early, what ``fix`` can scaffold) without importing checks it will not run.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from linter.checks.rule import Placement, RuleCheck, early_fact_name

HEADER = '''"""Every built-in rule's check module and needs, by rule id.

GENERATED from each module's ``RULE`` record by ``python3 dev.py docs``: do not edit by hand
(``linter/checks/registry_source.py`` writes it; a test fails when it is stale).
"""

from linter.checks.rule import Placement, Registered

REGISTRY: dict[str, Registered] = {
'''


def module_name(rule: Any) -> str:
    """A catalog rule's check module under ``linter.checks``: ``perf001_tail_latency_slo``."""
    return f"{rule.id.lower()}_{rule.name.replace('-', '_')}"


def record_of(rule: Any) -> RuleCheck:
    record = getattr(import_module(f"linter.checks.{module_name(rule)}"), "RULE", None)
    if not isinstance(record, RuleCheck) or record.id != rule.id:
        raise ValueError(f"linter/checks/{module_name(rule)}.py: RULE must be a RuleCheck with id {rule.id!r}")
    return record


def render(catalog: Any) -> str:
    """The registry's source for every rule of ``catalog`` (the packaged one)."""
    lines = [HEADER]
    for rule in sorted(catalog.rules.values(), key=lambda r: r.id):
        record = record_of(rule)
        fields = [_quoted(module_name(rule))]
        if record.placement is not Placement.MAIN:
            fields.append(f"placement=Placement.{record.placement.name}")
        if record.early_facts:
            names = [_quoted(early_fact_name(d)) for d in record.early_facts]
            fields.append(f"early_facts=({', '.join(names)},)")
        if record.dates_services:
            fields.append("dates_services=True")
        if record.reads_history:
            fields.append("reads_history=True")
        if record.fix:
            fields.append(f"fix={_quoted(record.fix)}")
        lines.append(f"    {_quoted(rule.id)}: Registered({', '.join(fields)}),\n")
    lines.append("}\n")
    return "".join(lines)


def _quoted(text: str) -> str:
    """A Python string literal in double quotes (ids, module and function names: no escapes)."""
    return '"' + text + '"'
