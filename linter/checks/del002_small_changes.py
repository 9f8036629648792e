"""DEL002 small-changes: most commits are small enough to review and verify.

The 90th percentile (nearest-rank) of lines changed per non-merge commit over the newest
``window`` commits must not exceed ``max_lines``. Lockfiles, generated and vendored files
are left out of the counts (see ``linter.detectors.history``). The window needs only the
newest commits: a shallow clone deep enough that they all lie strictly above its boundary is
judged exactly as the full clone (``linter.repo.shallow_window``); a shallower one, a grafted
history or no git skips the rule (``history_needed``). A repository without a commit, or a
folder no commit touches, has nothing to measure.
"""

from __future__ import annotations

import math

from linter.checks import history_needed
from linter.checks.base import CheckContext
from linter.checks.rule import RuleCheck
from linter.detectors import history
from linter.fast_dataclass import dataclass
from linter.results import Evidence, Finding, counted, failed, not_applicable, passed

SMALL_SAMPLE = 10
LARGEST_SHOWN = 5


def percentile(values: list[int], fraction: float) -> int:
    """Nearest-rank percentile: the smallest value with at least ``fraction`` of values at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def _caveats(facts: history.HistoryFacts, commits: list[history.CommitSize]) -> str:
    notes = []
    if len(commits) < SMALL_SAMPLE:
        notes.append(f"only {counted(len(commits), 'commit')} in the sample")
    excluded = sum(c.excluded_lines for c in commits)
    if excluded:
        notes.append(f"{excluded} lines in lockfiles, generated or vendored files not counted")
    binary = sum(c.binary_files for c in commits)
    if binary:
        notes.append(f"{counted(binary, 'binary file change')} counted as 0 lines")
    return f" ({'; '.join(notes)})" if notes else ""


def check(ctx: CheckContext) -> Finding:
    window = min(ctx.options.window, history.MAX_COMMITS)
    limit = ctx.options.max_lines
    withheld = history_needed.window_unavailable(ctx, f"change sizes are measured over the last {window} commits",
                                                 window)
    if withheld is not None:
        return withheld
    facts = ctx.facts(history.detector_for(window))
    if facts.unreadable:
        return history_needed.unreadable("the commit sizes")
    if not facts.available:
        return not_applicable(f"No commit history to measure change size: {facts.reason}")
    commits = list(facts.commits[:window])
    p90 = percentile([c.lines for c in commits], 0.9)
    largest = sorted(commits, key=lambda c: (-c.lines, c.sha))[:LARGEST_SHOWN]
    evidence = [Evidence(".", 0, f"{c.short_sha} {c.subject[:80]}: {c.lines} lines") for c in largest]
    message = (f"p90 of lines changed per commit over the last {counted(len(commits), 'commit')} is {p90} "
               f"(limit {limit}){_caveats(facts, commits)}")
    if p90 > limit:
        biggest = ", ".join(f"{c.short_sha} ({c.lines} lines)" for c in largest[:3])
        return failed(f"{message}; largest: {biggest}", evidence)
    return passed(message, evidence)


@dataclass(frozen=True)
class Options:
    """DEL002's options; their defaults and limits are in ``rules/DEL002.yaml``."""

    window: int
    max_lines: int


RULE = RuleCheck(
    id="DEL002",
    options=Options,
    reads_history=True,
)
