"""PERF002: latency alerts and dashboards watch the tail, not the average or the median.

An average hides the slowest requests and a median ignores half of them. Reads Prometheus
alerting rules, Grafana-managed alerts and Grafana dashboard panels
(``linter.detectors.dashboards``). Verdicts:

* not applicable: no latency alert or panel at all;
* fail: a latency alert is built only on an average or the median (each named with
  file:line), or nothing watches a tail percentile (every average/median panel named);
* pass: every latency alert watches a tail percentile or a histogram bucket bound, and some
  alert or panel does; average panels next to tail ones are mentioned, not failed.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.rule import Placement, RuleCheck
from linter.detectors import dashboards
from linter.detectors.dashboards import LatencyQuery
from linter.fast_dataclass import dataclass
from linter.results import Evidence, Finding, failed, not_applicable, passed

MAX_NAMED = 5


def check(ctx: CheckContext) -> Finding:
    threshold = ctx.options.min_percentile
    facts = ctx.facts(dashboards.detect)
    queries = [_restat(q, threshold) for q in ctx.owned(facts.queries)]
    judged = [q for q in queries if q.statistic != "other"]
    if not judged:
        return not_applicable("no latency alert or dashboard panel found (Prometheus alerting rules, Grafana "
                              "alerts, Grafana dashboard JSON)")
    tail = [q for q in judged if q.statistic == "tail"]
    weak_alerts = [q for q in judged if q.source == "alert" and q.statistic != "tail"]
    weak_panels = [q for q in judged if q.source == "panel" and q.statistic != "tail"]
    if weak_alerts:
        return failed(f"latency alerts watch {_stats(weak_alerts)} instead of a tail percentile (p{threshold:g} or "
                      f"above): {_named(weak_alerts)}; alert on histogram_quantile({threshold / 100:g}, ...) or "
                      "above", [_evidence(q) for q in weak_alerts])
    if not tail:
        return failed(f"latency dashboards show only {_stats(weak_panels)}: {_named(weak_panels)}; add a "
                      f"p{threshold:g}+ panel or alert", [_evidence(q) for q in weak_panels])
    message = f"latency is watched at the tail: {_named(tail)}"
    if weak_panels:
        message += f"; panels that show only {_stats(weak_panels)} as well: {_named(weak_panels)}"
    return passed(message, [_evidence(q) for q in tail + weak_panels])


def _restat(query: LatencyQuery, threshold: float) -> LatencyQuery:
    if threshold == dashboards.TAIL_PERCENTILE:
        return query
    stat = dashboards.statistic(query.expr, threshold) or query.statistic
    return LatencyQuery(query.path, query.line, query.source, query.name, stat, query.expr)


def _stats(queries: list[LatencyQuery]) -> str:
    words = {"average": "the average", "median": "the median (p50)", "lower": "a percentile below the threshold"}
    return " or ".join(sorted({words.get(q.statistic, q.statistic) for q in queries}))


def _named(queries: list[LatencyQuery]) -> str:
    shown = "; ".join(f"{q.source} {q.name!r} ({q.path}:{q.line}: {q.statistic})" for q in queries[:MAX_NAMED])
    return shown + (f" and {len(queries) - MAX_NAMED} more" if len(queries) > MAX_NAMED else "")


def _evidence(query: LatencyQuery) -> Evidence:
    return Evidence(query.path, query.line, f"{query.source} {query.name}: {query.statistic} of latency: {query.expr}")


@dataclass(frozen=True)
class Options:
    """PERF002's options; their defaults and limits are in ``rules/PERF002.yaml``."""

    min_percentile: float


RULE = RuleCheck(
    id="PERF002",
    options=Options,
    placement=Placement.SECOND,
)
