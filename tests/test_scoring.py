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
    ("results", "score", "level", "blockers", "next_level"),
    [
        ([], None, None, [], None),  # nothing judged: no score, no level, never 100 or 3
        ([_r("A001", "error", "fail"), _r("B001", "warning", "fail")], 0, 0, ["A001"], 1),
        ([_r("A001", "error", "pass"), _r("B001", "warning", "fail")], 62, 1, ["B001"], 2),
        ([_r("A001", "error", "pass"), _r("B001", "warning", "pass"), _r("C001", "info", "fail")], 88, 2, ["C001"], 3),
        ([_r("A001", "error", "pass"), _r("B001", "warning", "pass"), _r("C001", "info", "pass")], 100, 3, [], None),
        ([_r("A001", "error", "error"), _r("B001", "warning", "pass")], 37, 0, ["A001"], 1),
        # a waiver neither holds a step back nor proves it: level 2 passes on B001, level 3 is unjudged
        ([_r("A001", "error", "waived"), _r("B001", "warning", "pass")], 100, 2, [], None),
        ([_r("A001", "error", "not_applicable")], None, None, [], None),
        ([_r("A001", "error", "waived"), _r("C001", "info", "not_applicable")], None, None, [], None),
        # only skipped and not applicable: nothing judged, but the skipped rule is what stands in the way
        ([_r("A001", "error", "not_applicable"), _r("C001", "info", "skipped")], None, None, ["C001"], 3),
    ],
)
def test_maturity(results, score, level, blockers, next_level) -> None:
    m = maturity(results, ".")
    assert (m.score, m.level, [r.rule_id for r in m.blockers], m.next_level) == (score, level, blockers, next_level)


def test_a_step_needs_a_pass_of_its_own_to_be_claimed() -> None:
    """Level 1 passes on SEC006 alone (DEL003 not applicable): level 1, legitimately. Levels
    2 and 3 where nothing applies are not claimed on the strength of level 1's one file."""
    docs = [_r("DEL003", "error", "not_applicable", level=1), _r("SEC006", "error", "pass", level=1),
            _r("SEC002", "warning", "not_applicable", level=2), _r("DOC001", "info", "not_applicable", level=3)]
    m = maturity(docs, ".")
    assert (m.level, m.blockers, m.next_level) == (1, (), None)


def test_a_step_where_nothing_applies_is_climbed_through() -> None:
    """No rule of level 2 applies (no dependencies to update), level 3's pass: level 3. With a
    level-3 failure instead, level 1, and the next level named is 3, not 2 (2 cannot be claimed)."""
    base = [_r("SEC006", "error", "pass", level=1), _r("SEC002", "warning", "not_applicable", level=2)]
    assert maturity([*base, _r("DOC001", "info", "pass", level=3)], ".").level == 3
    m = maturity([*base, _r("DOC001", "info", "fail", level=3)], ".")
    assert (m.level, [r.rule_id for r in m.blockers], m.next_level) == (1, ["DOC001"], 3)


def test_a_skipped_rule_stops_the_climb_even_beside_passes() -> None:
    """A skipped rule applies but was not judged: level 3 is not proven while DEL002 is unknown,
    however many other level-3 rules pass (near miss: the same list with DEL002 passing is 3)."""
    judged = [_r("SEC006", "error", "pass", level=1), _r("SEC002", "warning", "pass", level=2),
              _r("DOC001", "info", "pass", level=3)]
    m = maturity([*judged, _r("DEL002", "info", "skipped", level=3)], ".")
    assert (m.level, m.score, [r.rule_id for r in m.unjudged], m.next_level) == (2, 100, ["DEL002"], 3)
    assert maturity([*judged, _r("DEL002", "info", "pass", level=3)], ".").level == 3


def test_a_whole_step_skipped_is_not_proven() -> None:
    results = [_r("SEC006", "error", "pass", level=1), _r("SEC002", "warning", "skipped", level=2),
               _r("DOC001", "info", "pass", level=3)]
    m = maturity(results, ".")
    assert (m.level, [r.rule_id for r in m.blockers], m.next_level) == (1, ["SEC002"], 2)


def test_failures_before_any_pass_leave_level_0_not_none() -> None:
    """Level 1 where nothing applies, level 2 failing: judged (a score of 0), at level 0."""
    results = [_r("SEC006", "error", "not_applicable", level=1), _r("SEC002", "warning", "fail", level=2)]
    assert (maturity(results, ".").level, maturity(results, ".").score) == (0, 0)


def test_needs_text_says_which_blockers_were_not_evaluated() -> None:
    from linter.scoring import level_text, needs_text

    m = maturity([_r("SEC006", "error", "pass", level=1), _r("DEL002", "info", "skipped", level=1),
                  _r("DEL001", "info", "fail", level=1)], ".")
    assert needs_text(m) == "DEL001, DEL002 to pass (DEL002 not evaluated here)"
    assert needs_text(m, verb="") == "DEL001, DEL002 (DEL002 not evaluated here)"
    assert (level_text(None), level_text(0), level_text(3)) == ("-", "0", "3")


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
               _r("ORG001", "error", "pass", level=2), _r("PROD001", "error", "not_applicable", level=3),
               _r("DOC001", "error", "pass", level=3)]
    assert maturity(library, ".").level == 3


def test_score_text_is_a_dash_without_a_score() -> None:
    from linter.scoring import score_text

    assert (score_text(None), score_text(0), score_text(100)) == ("-", "0", "100")


def test_a_scope_where_nothing_applies_has_no_score() -> None:
    results = [_r("P001", "error", "not_applicable", "a"), _r("P001", "error", "pass", "b")]
    report = Report("0", ".", "r", None, [Scope("a", "a"), Scope("b", "b")], results)
    a, b = scope_maturities(report)
    assert (a.score, b.score) == (None, 100)
    assert (a.level, b.level) == (None, 1)
