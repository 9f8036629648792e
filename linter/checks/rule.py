"""What a check module declares about its rule, in one record beside its ``check`` function.

Every module under ``linter.checks`` that checks a catalog rule ends with::

    RULE = RuleCheck(
        id="PERF001",
        options=Options,            # a frozen dataclass: ctx.options.min_percentile
        reads_markdown=False,
        ...
    )

The engine, the two-process executor and ``practicelint fix`` learn everything about a rule
from these records, through ``linter.checks.registry`` (generated from them by
``python3 dev.py docs``, so a run never imports a check it does not run). Nothing else names
a rule id. What users read about a rule (summary, rationale, options' types, defaults and
limits, the kinds it applies to) stays in ``rules/<ID>.yaml``: an option is declared there,
with its default, and typed here; ``tests/checks/test_rule_records.py`` holds the two in step.
"""

from __future__ import annotations

import dataclasses
import typing
from enum import Enum
from typing import Any, Callable

from linter.fast_dataclass import dataclass


class Placement(str, Enum):
    """Which process of ``check --jobs 2`` runs the rule (``linter.runtime.executors``).

    The rules fall into two families that share little detector work: the documents family
    (everything that reads Markdown, so only the second process imports markdown-it) and the
    configuration family (CI, SLOs, infrastructure, teams, history). A few configuration
    rules join the second process because that balances the two (measured with
    ``benchmarks/peer.py``).
    """

    MAIN = "main"
    SECOND = "second"
    #: the second process on repositories below ``SMALL_REPOSITORY_FILES`` indexed files
    SECOND_WHEN_SMALL = "second-when-small"


@dataclass(frozen=True)
class NoOptions:
    """``ctx.options`` of a rule that has none."""


@dataclass(frozen=True)
class RuleCheck:
    """A rule's check, as the engine needs to know it.

    ``early_facts``: detectors the second process may compute as soon as the files are
    indexed, before the service scopes are known (none of them reads Backstage facts).
    ``dates_services``: the check asks for service ages, so the run starts git's walk of
    file additions early. ``reads_history``: the check reads git history, which a shallow
    clone or a folder outside git does not have. ``fix``: the name of the planner in
    ``linter.scaffold.scaffolders`` that ``practicelint fix`` uses for this rule.
    """

    id: str
    options: type = NoOptions
    placement: Placement = Placement.MAIN
    early_facts: tuple[Callable[..., Any], ...] = ()
    dates_services: bool = False
    reads_history: bool = False
    fix: str | None = None

    def option_types(self) -> dict[str, Any]:
        """The typed options' fields and their types (``typing`` objects)."""
        hints = typing.get_type_hints(self.options)
        return {f.name: hints[f.name] for f in dataclasses.fields(self.options)}

    def make_options(self, values: dict[str, Any]) -> Any:
        """The typed options from resolved values (catalog defaults plus the configuration)."""
        names = {f.name for f in dataclasses.fields(self.options)}
        return self.options(**{name: value for name, value in values.items() if name in names})


@dataclass(frozen=True)
class Registered:
    """A rule's ``RuleCheck`` as ``linter.checks.registry`` keeps it: plain values (detectors by
    name), so the engine can plan a run without importing a single check."""

    module: str
    placement: Placement = Placement.MAIN
    early_facts: tuple[str, ...] = ()
    dates_services: bool = False
    reads_history: bool = False
    fix: str | None = None


def early_fact_name(detector: Callable[..., Any]) -> str:
    """``docs.detect`` for ``linter.detectors.docs.detect``: how the registry names a detector."""
    module = detector.__module__.removeprefix("linter.detectors.")
    return f"{module}.{detector.__qualname__}"
