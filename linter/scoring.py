"""Score (0-100) and maturity level, per scope and for the whole repository.

Each applicable result weighs by severity (error 5, warning 3, info 1). Passing results earn
their weight; failed and errored ones earn nothing; ``not_applicable``, ``waived`` and
``skipped`` (not evaluated here: no history in a shallow clone) results are left out of both
sides, so they never count against a scope's score, nor for it. When nothing is left (every result
not applicable, waived or skipped, or no result at all) there is no score: ``None``, shown as
``-`` by every reporter. 100 would claim a perfect record of practices that were never judged.

Levels are a ladder (``docs/levels.md``): every rule belongs to level 1 (the basics: tests
on every change and a way to report vulnerabilities), 2 (automated supply-chain hygiene:
dependency updates and static analysis) or 3 (the digest's practices in full), written as
``level:`` in ``rules/*.yaml``; where the ladder sits is measured on real repositories.

A level is a claim, so it needs evidence. A scope is at level N when no rule of level N or
below that applies to it fails, errors or went unjudged (``skipped``: it applies, but this
checkout could not show whether it holds), and at least one rule of level N itself was judged
and passed. ``not_applicable`` and ``waived`` rules count neither way, so a step where every
rule is one of those is climbed through but never claimed: a documentation repository whose
only level-1 rule that applies passes is at level 1, not at level 3 on the strength of one
file. Nothing judged at all gives no level (``None``, shown ``-``), like the score.
``blockers`` lists the results (failing, erroring or skipped) of the step that stops the
climb, and ``next_level`` that step: passing them (judging them, for skipped ones) is what
the next level needs. With no blockers, nothing that applies stands above the level reached.
"""

from __future__ import annotations

from linter.fast_dataclass import dataclass

from linter.results import Report, Result, Severity, Status

WEIGHTS = {Severity.ERROR: 5, Severity.WARNING: 3, Severity.INFO: 1}
MAX_LEVEL = 3
#: How every format shows "no score" and "no level" (nothing judged), in text and in tables alike.
NO_SCORE = "-"


#: Statuses that judge a rule here: a pass, or a failure (``error`` included: something is broken).
JUDGED = (Status.PASS, Status.FAIL, Status.ERROR)


@dataclass(frozen=True)
class Maturity:
    scope: str
    score: int | None  # None when nothing was judged (no weight possible)
    level: int | None  # None when nothing was judged (no evidence for any level, not even 0)
    blockers: tuple[Result, ...]  # failing, erroring or skipped results of the step that stops the climb
    next_level: int | None = None  # the step ``blockers`` stand in front of; None when nothing stands

    @property
    def unjudged(self) -> tuple[Result, ...]:
        """The blockers that were not evaluated here (``skipped``): they need judging, not fixing."""
        return tuple(r for r in self.blockers if r.status is Status.SKIPPED)


def _blocking(result: Result) -> bool:
    return result.status in (Status.FAIL, Status.ERROR, Status.SKIPPED)


def maturity(results: list[Result], scope: str) -> Maturity:
    earned = possible = 0
    for result in results:
        if result.status not in JUDGED:
            continue
        weight = WEIGHTS[result.severity]
        possible += weight
        if result.status is Status.PASS:
            earned += weight
    level, blockers, next_level = _climb(results)
    if possible == 0:  # nothing judged: neither a score nor a level, whatever stands unjudged
        return Maturity(scope=scope, score=None, level=None, blockers=blockers, next_level=next_level)
    return Maturity(scope=scope, score=(earned * 100) // possible, level=level, blockers=blockers,
                    next_level=next_level)


def _climb(results: list[Result]) -> tuple[int, tuple[Result, ...], int | None]:
    """``(level, blockers, next level)``: up the steps until one has a result that fails, errors
    or was skipped; the level is the highest step passed on the way with a pass of its own."""
    level = 0
    for step in range(1, MAX_LEVEL + 1):
        of_step = [r for r in results if r.level == step]
        blocking = tuple(r for r in of_step if _blocking(r))
        if blocking:
            return level, blocking, step
        if any(r.status is Status.PASS for r in of_step):
            level = step
    return level, (), None


def level_text(level: int | None) -> str:
    """A level as every reporter prints it: the number, or ``-`` when nothing was judged."""
    return NO_SCORE if level is None else str(level)


def needs_text(m: Maturity, verb: str = " to pass") -> str:
    """What the next level needs, as a clause: ``DEL001, DEL002 to pass (DEL002 not evaluated
    here)``; the rule ids once each, sorted (``verb=""`` for a table cell)."""
    names = ", ".join(sorted({r.rule_id for r in m.blockers}))
    unjudged = ", ".join(sorted({r.rule_id for r in m.unjudged}))
    return names + verb + (f" ({unjudged} not evaluated here)" if unjudged else "")


def score_text(score: int | None) -> str:
    """A score as every reporter prints it: the number, or ``-`` when nothing applied."""
    return NO_SCORE if score is None else str(score)


def repository_maturity(report: Report) -> Maturity:
    return maturity(report.results, ".")


def scope_maturities(report: Report) -> list[Maturity]:
    """One entry per service scope: its own service results plus the repo-wide ones."""
    repo_results = [r for r in report.results if r.rule_scope == "repo"]
    by_scope: dict[str, list[Result]] = {}  # grouped once: a scan per scope was O(scopes x results)
    for r in report.results:
        if r.rule_scope == "service":
            by_scope.setdefault(r.scope, []).append(r)
    return [maturity(by_scope.get(scope.path, []) + repo_results, scope.path) for scope in report.scopes]
