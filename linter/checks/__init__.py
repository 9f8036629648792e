"""Checks: one small module per rule, named ``<id>_<name>.py`` after its catalog entry.

Each module has ``check(ctx) -> Finding`` and a ``RULE`` record (``linter.checks.rule``) that
states its options and what it needs from a run. ``linter.checks.registry`` is generated
from the records, so a run plans with plain data and imports only the checks it runs; a test
asserts that the registry is current and matches ``rules/*.yaml`` one to one, so a rule can
neither be catalogued without a check nor checked without being catalogued.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from linter.checks.base import Check, CheckContext
from linter.checks.registry import REGISTRY
from linter.checks.rule import Placement, Registered, RuleCheck


def module(rule_id: str) -> ModuleType:
    """A rule's check module (``KeyError`` for an id the registry does not know)."""
    return import_module(f"linter.checks.{REGISTRY[rule_id].module}")


def get_check(rule_id: str) -> Check:
    """The ``check`` function of a rule (``KeyError`` for an unknown id)."""
    return module(rule_id).check  # type: ignore[no-any-return]


def rule_check(rule_id: str) -> RuleCheck:
    """The ``RULE`` record of a rule's module."""
    return module(rule_id).RULE  # type: ignore[no-any-return]


__all__ = ["REGISTRY", "Check", "CheckContext", "Placement", "Registered", "RuleCheck", "get_check", "module",
           "rule_check"]
