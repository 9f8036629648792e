"""What every format says the same way: the compliance record, a scope's kind, the baseline's
three counts and the failing results grouped by rule.

Each reporter escapes these strings for its own medium; this module only decides the words,
so the text report, the Markdown comment, the HTML page, JUnit and SARIF never disagree.
"""

from __future__ import annotations

import re

from linter.fast_dataclass import dataclass
from linter.results import Report, Result, Scope, Status, WaiverUse, counted

#: How a kind's source reads in a sentence ("service, from the configuration").
KIND_SOURCES = {"config": "from the configuration", "backstage": "from the Backstage catalog",
                "inferred": "inferred", "none": "no signal"}
#: Evidence locations shown after a kind in one-line formats (JSON has them all).
KIND_EVIDENCE_SHOWN = 3


def kind_source_text(scope: Scope) -> str:
    return KIND_SOURCES.get(scope.kind_source, scope.kind_source)


def kind_text(scope: Scope) -> str:
    """``service (from the configuration: .practicelint.yaml:4)``; ``unknown (no signal)``."""
    places = [ev.location() for ev in scope.kind_evidence[:KIND_EVIDENCE_SHOWN]]
    more = len(scope.kind_evidence) - KIND_EVIDENCE_SHOWN
    if more > 0:
        places.append(f"{more} more")
    where = f": {', '.join(places)}" if places else ""
    return f"{scope.kind} ({kind_source_text(scope)}{where})"


@dataclass(frozen=True)
class BaselineCounts:
    """``N new, M baselined, K fixed``: why a run with failures may still exit 0."""

    new: int
    baselined: int
    fixed: int

    def text(self) -> str:
        return f"{self.new} new, {self.baselined} baselined, {self.fixed} fixed"


def baseline_counts(report: Report) -> BaselineCounts | None:
    """The counts when a baseline is in use (``--baseline``), else ``None``."""
    record = report.record
    in_use = (record is not None and record.baseline is not None) or bool(report.baseline_fixed) or any(
        r.baselined for r in report.results)
    if not in_use:
        return None
    failing = [r for r in report.results if r.status in (Status.FAIL, Status.ERROR)]
    baselined = sum(1 for r in failing if r.baselined)
    return BaselineCounts(len(failing) - baselined, baselined, len(report.baseline_fixed))


def in_effect(report: Report) -> list[WaiverUse]:
    """The declared waivers that applied in this run (active, not expired or stale)."""
    return [use for use in report.waivers if use.state == "active"]


def waivers_text(report: Report) -> str:
    """``2 in effect (1 expired, 1 stale)``; ``none declared``."""
    if not report.waivers:
        return "none declared"
    states: dict[str, int] = {}
    for use in report.waivers:
        states[use.state] = states.get(use.state, 0) + 1
    others = [f"{n} {state}" for state, n in sorted(states.items()) if state != "active"]
    return f"{states.get('active', 0)} in effect" + (f" ({', '.join(others)})" if others else "")


@dataclass(frozen=True)
class RuleGroup:
    """One rule's results of one status across scopes: the rule said once, its scopes under it."""

    rule_id: str
    status: Status
    results: tuple[Result, ...]

    @property
    def first(self) -> Result:
        return self.results[0]

    @property
    def scopes(self) -> list[str]:
        return [r.scope for r in self.results]

    def scope_count(self) -> str:
        return counted(len(self.results), "scope")


def group_by_rule(results: list[Result]) -> list[RuleGroup]:
    """Results grouped by (rule, status), in the order their first result comes."""
    groups: dict[tuple[str, Status], list[Result]] = {}
    for result in results:
        groups.setdefault((result.rule_id, result.status), []).append(result)
    return [RuleGroup(rule_id, status, tuple(members)) for (rule_id, status), members in groups.items()]


def scope_names(report: Report) -> dict[str, str]:
    """Service path -> name, for ``alike``."""
    return {scope.path: scope.name for scope in report.scopes if scope.path != "."}


def _shape(result: Result, names: dict[str, str]) -> tuple[object, ...]:
    """What makes two scopes' findings the same sentence: the message and the evidence (paths,
    lines, details) with the scope's path and name taken out."""
    name = names.get(result.scope, "")
    # the name as a word: "ads" is the service, not the end of "workloads"
    word = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)") if name else None

    def neutral(text: str) -> str:
        text = text.replace(result.scope, "\0") if result.scope not in ("", ".") else text
        return word.sub("\1", text) if word is not None else text

    evidence = tuple((neutral(ev.path), ev.line, neutral(ev.detail)) for ev in result.evidence)
    return (neutral(result.message), evidence)


def alike(results: tuple[Result, ...], names: dict[str, str]) -> list[list[Result]]:
    """``results`` in runs of findings that say the same but for their scope's own name (``No
    runbook found for payments`` / ``... for search``, the same evidence in each one's own
    folder), in order of first appearance: a report shows the first in full, with its
    evidence, and the others as "likewise"."""
    runs: dict[tuple[object, ...], list[Result]] = {}
    for result in results:
        runs.setdefault(_shape(result, names), []).append(result)
    return list(runs.values())
