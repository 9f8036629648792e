"""Score and maturity levels."""

from __future__ import annotations

import pytest

from linter.results import Report, Result, Scope, Severity, Status
from linter.scoring import maturity, scope_maturities


#: in these tables a rule's ladder level follows its severity, so one letter says both
LEVEL_OF = {"error": 1, "warning": 2, "info": 3}


def _r(rule: str, sev: str, status: str, scope: str = ".", kind: str = "service", level: int | None = None) -> Result:
    return Result(rule, rule.lower(), "p", "performance", Severity(sev), scope, Status(status), "m", (), "fix",
                  rule_scope=kind, level=level or LEVEL_OF[sev])


@pytest.mark.parametrize(
    ("results", "score", "level", "blockers"),
    [
        ([], None, 3, []),  # nothing judged: no score, never 100
        ([_r("A001", "error", "fail"), _r("B001", "warning", "fail")], 0, 0, ["A001"]),
        ([_r("A001", "error", "pass"), _r("B001", "warning", "fail")], 62, 1, ["B001"]),
        ([_r("A001", "error", "pass"), _r("B001", "warning", "pass"), _r("C001", "info", "fail")], 88, 2, ["C001"]),
        ([_r("A001", "error", "pass"), _r("C001", "info", "not_applicable")], 100, 3, []),
        ([_r("A001", "error", "error"), _r("B001", "warning", "pass")], 37, 0, ["A001"]),
        ([_r("A001", "error", "waived"), _r("B001", "warning", "pass")], 100, 3, []),
        ([_r("A001", "error", "not_applicable")], None, 3, []),
        ([_r("A001", "error", "waived"), _r("C001", "info", "not_applicable")], None, 3, []),
    ],
)
def test_maturity(results, score, level, blockers) -> None:
    m = maturity(results, ".")
    assert (m.score, m.level, [r.rule_id for r in m.blockers]) == (score, level, blockers)
    assert m.next_level == (None if level == 3 else level + 1)


def test_scope_maturity_combines_own_and_repo_results() -> None:
    results = [
        _r("S001", "error", "fail", ".", "repo"),
        _r("P001", "error", "pass", "a"),
        _r("P001", "error", "fail", "b"),
    ]
    report = Report("0", ".", "r", None, [Scope("a", "a"), Scope("b", "b")], results)
    a, b = scope_maturities(report)
    assert (a.scope, a.score, [r.rule_id for r in a.blockers]) == ("a", 50, ["S001"])
    assert (b.scope, b.score, sorted(r.rule_id for r in b.blockers)) == ("b", 0, ["P001", "S001"])


def test_levels_come_from_the_ladder_not_the_severity() -> None:
    """A failing error-severity rule of level 2 leaves the basics (level 1) standing; a failing
    info-severity rule of level 1 holds a scope at 0."""
    high_but_advanced = [_r("A001", "error", "fail", level=2), _r("B001", "info", "pass", level=1)]
    assert (maturity(high_but_advanced, ".").level, [r.rule_id for r in maturity(high_but_advanced, ".").blockers]) \
        == (1, ["A001"])
    basic_info = [_r("A001", "error", "pass", level=2), _r("B001", "info", "fail", level=1)]
    assert maturity(basic_info, ".").level == 0


def test_not_applicable_rules_never_hold_a_scope_back() -> None:
    library = [_r("SEC001", "error", "pass", level=1), _r("PERF001", "error", "not_applicable", level=2),
               _r("ORG001", "error", "pass", level=2), _r("PROD001", "error", "not_applicable", level=3)]
    assert maturity(library, ".").level == 3


def test_score_text_is_a_dash_without_a_score() -> None:
    from linter.scoring import score_text

    assert (score_text(None), score_text(0), score_text(100)) == ("-", "0", "100")


def test_a_scope_where_nothing_applies_has_no_score() -> None:
    results = [_r("P001", "error", "not_applicable", "a"), _r("P001", "error", "pass", "b")]
    report = Report("0", ".", "r", None, [Scope("a", "a"), Scope("b", "b")], results)
    a, b = scope_maturities(report)
    assert (a.score, b.score) == (None, 100)
