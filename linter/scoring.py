"""Score (0-100) and maturity level, per scope and for the whole repository.

Each applicable result weighs by severity (error 5, warning 3, info 1). Passing results earn
their weight; failed and errored ones earn nothing; ``not_applicable``, ``waived`` and
``skipped`` (not evaluated here: no history in a shallow clone) results are left out of both
sides, so they never count against a scope, nor for it. When nothing is left (every result
not applicable, waived or skipped, or no result at all) there is no score: ``None``, shown as
``-`` by every reporter. 100 would claim a perfect record of practices that were never judged.

Levels are a ladder (``docs/levels.md``): every rule belongs to level 1 (the basics: tests
on every change and a way to report vulnerabilities), 2 (automated supply-chain hygiene:
dependency updates and static analysis) or 3 (the digest's practices in full), written as
``level:`` in ``rules/*.yaml``; where the ladder sits is measured on real repositories. A scope is at level N when every rule of level N or below that applies to
it passes; rules that do not apply to its kind are not_applicable and never hold it back.
``blockers`` lists the failing rules that stand between a scope and its next level.
"""

from __future__ import annotations

from linter.fast_dataclass import dataclass

from linter.results import Report, Result, Severity, Status

WEIGHTS = {Severity.ERROR: 5, Severity.WARNING: 3, Severity.INFO: 1}
MAX_LEVEL = 3
#: How every format shows "no score" (nothing applied), in text and in tables alike.
NO_SCORE = "-"


@dataclass(frozen=True)
class Maturity:
    scope: str
    score: int | None  # None when nothing applies (no weight possible)
    level: int
    blockers: tuple[Result, ...]  # failing results that keep the scope from its next level

    @property
    def next_level(self) -> int | None:
        return None if self.level >= MAX_LEVEL else self.level + 1


def _failing(result: Result) -> bool:
    return result.status in (Status.FAIL, Status.ERROR)


def maturity(results: list[Result], scope: str) -> Maturity:
    earned = possible = 0
    for result in results:
        if result.status in (Status.NOT_APPLICABLE, Status.WAIVED, Status.SKIPPED):
            continue
        weight = WEIGHTS[result.severity]
        possible += weight
        if result.status is Status.PASS:
            earned += weight
    score = None if possible == 0 else (earned * 100) // possible
    level = 0
    blockers: tuple[Result, ...] = ()
    for step in range(1, MAX_LEVEL + 1):
        failing = tuple(r for r in results if r.level == step and _failing(r))
        if failing:
            blockers = failing
            break
        level = step
    return Maturity(scope=scope, score=score, level=level, blockers=blockers)


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
