"""PERF001 tail-latency-slo: the service has a latency objective at p99 or stricter.

Facts come from ``linter.detectors.slo``. A latency objective belongs to this scope when
``ctx.owns`` says so (by the service it names, else by folder). Availability objectives
never satisfy the rule, whatever their number: they are only quoted to say what was found.
"""

from __future__ import annotations


from linter.checks.base import CheckContext
from linter.checks.rule import RuleCheck
from linter.detectors import slo
from linter.detectors.slo_model import (
    AvailabilityObjective,
    LatencyObjective,
    format_percentile,
)
from linter.fast_dataclass import dataclass
from linter.results import Evidence, Finding, failed, passed

#: How many objectives a message names before summarising the rest.
MAX_NAMED = 4


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(slo.detect)
    minimum = round(ctx.options.min_percentile, 6)
    objectives = ctx.owned(facts.latency, "path", "service")
    strict = sorted((o for o in objectives if round(o.percentile, 6) >= minimum), key=_strictest_first)
    if strict:
        return passed(_pass_message(strict), [_evidence(o) for o in strict])
    if objectives:
        return failed(_below_message(sorted(objectives, key=_strictest_first), minimum),
                      [_evidence(o) for o in objectives])
    availability = ctx.owned(facts.availability, "path", "service")
    return failed(_missing_message(availability, facts, minimum, ctx),
                  [_availability_evidence(o) for o in availability])


def _strictest_first(objective: LatencyObjective) -> tuple[float, str, int]:
    return (-objective.percentile, objective.path, objective.line)


def _evidence(objective: LatencyObjective) -> Evidence:
    detail = f"{objective.label} latency objective ({objective.kind})"
    if objective.description:
        detail += f": {objective.description}"
    return Evidence(objective.path, objective.line, detail)


def _availability_evidence(objective: AvailabilityObjective) -> Evidence:
    target = f"{objective.target_percent:g}% " if objective.target_percent is not None else ""
    detail = f"{target}availability objective ({objective.kind}), not a latency objective"
    if objective.description:
        detail += f": {objective.description}"
    return Evidence(objective.path, objective.line, detail)


def _pass_message(strict: list[LatencyObjective]) -> str:
    best = strict[0]
    message = f"{best.label} latency objective in {best.location()} ({best.kind})"
    if len(strict) > 1:
        message += f"; {len(strict) - 1} more at the required percentile or stricter"
    return message


def _below_message(objectives: list[LatencyObjective], minimum: float) -> str:
    named = ", ".join(f"{o.label} ({o.location()})" for o in objectives[:MAX_NAMED])
    if len(objectives) > MAX_NAMED:
        named += f" and {len(objectives) - MAX_NAMED} more"
    levels = sorted({o.percentile for o in objectives})[-3:]
    hidden = " and ".join("the median" if p == 50 else format_percentile(p) for p in levels)
    verb = "hides" if len(levels) == 1 else "hide"
    return (f"latency objectives only at {named}: {hidden} {verb} the slowest requests; "
            f"add a {format_percentile(minimum)} (or stricter) latency objective")


def _missing_message(availability: list[AvailabilityObjective], facts: slo.SloFacts, minimum: float,
                     ctx: CheckContext) -> str:
    wanted = f"no latency SLO found at {format_percentile(minimum)} or any other percentile"
    if availability:
        named = ", ".join(_describe_availability(o) for o in sorted(availability)[:MAX_NAMED])
        if len(availability) > MAX_NAMED:
            named += f" and {len(availability) - MAX_NAMED} more"
        wanted = f"{wanted}; only availability objectives ({named}), which say nothing about latency"
    return f"{wanted}. {_formats_sentence(facts, ctx)}"


def _describe_availability(objective: AvailabilityObjective) -> str:
    target = f"{objective.target_percent:g}% availability" if objective.target_percent is not None \
        else "availability"
    return f"{objective.location()}, {target}"


def _formats_sentence(facts: slo.SloFacts, ctx: CheckContext) -> str:
    """What was read, repository-wide; in a monorepo, say none of it was this service's."""
    counts: dict[str, int] = {}
    for recognised in facts.files:
        counts[recognised.format] = counts.get(recognised.format, 0) + 1
    if not counts:
        return "Looked for " + ", ".join(slo.FORMATS_READ) + "; the repository holds none."
    read = ", ".join(f"{fmt} ({n} file{'s' if n != 1 else ''})" for fmt, n in sorted(counts.items()))
    if len(ctx.scopes) > 1:
        return f"SLO files read in the repository: {read}; none holds a latency objective for {ctx.scope.name}."
    return f"Read: {read}."


@dataclass(frozen=True)
class Options:
    """PERF001's options; their defaults and limits are in ``rules/PERF001.yaml``."""

    min_percentile: float


RULE = RuleCheck(
    id="PERF001",
    options=Options,
    fix="plan_latency_slo",
)
