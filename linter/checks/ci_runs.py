"""The CI jobs that run a kind of tool, as the checks ask for them: once per run.

A rule judging N service scopes asks the same question of the same CI facts N times;
``linter.detectors.ci.judge.job_hits`` and ``linter.detectors.ci.weak.weak_test_hits`` are
pure functions of the facts, so the answer is kept in the run's check context
(``CheckContext.memoised``), never inside the frozen facts. The answers are tuples, so
``ctx.owned`` groups them by scope once per run as well.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.detectors.ci.judge import JobHit, job_hits
from linter.detectors.ci.model import CiFacts
from linter.detectors.ci.tables import ToolTable
from linter.detectors.ci.weak import weak_test_hits


def runs_of(ctx: CheckContext, facts: CiFacts, table: ToolTable) -> tuple[JobHit, ...]:
    """Every tool of ``table`` in every job of ``facts`` (``job_hits``), computed once per run."""
    # the key holds the objects themselves too: their ids cannot be reused while it lives
    _, _, hits = ctx.memoised(("ci-runs", id(facts), id(table)), lambda: (facts, table, job_hits(facts, table)))
    return hits  # type: ignore[no-any-return]


def weak_test_runs(ctx: CheckContext, facts: CiFacts) -> tuple[JobHit, ...]:
    """Jobs that test by their name or environment only (``weak_test_hits``), once per run."""
    _, hits = ctx.memoised(("ci-weak-tests", id(facts)), lambda: (facts, weak_test_hits(facts)))
    return hits  # type: ignore[no-any-return]
