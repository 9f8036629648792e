"""The terminal report's wrapping: the fast fill must give textwrap's lines exactly."""

from __future__ import annotations

import textwrap

from hypothesis import example, given
from hypothesis import strategies as st

from linter.reporters import text

#: words and separators that exercise textwrap's special cases: hyphens it may break at, runs
#: of spaces, words wider than a line, tabs and newlines (which ``clean`` turns into spaces)
_PIECES = st.one_of(
    st.sampled_from([" ", "  ", "-", "--", "\t", "\n", "catalog-info.yaml", "team-49", "a-b-c", "x" * 98,
                     "p99", "→", "ab-cd", "e.g.", "\x1b[31m"]),
    st.text(alphabet="abcde- ", max_size=12),
    st.text(max_size=6),
)


def _reference(message: str, indent: str) -> list[str]:
    cleaned = text.clean(message)
    return textwrap.wrap(cleaned, width=text.WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent]


@given(st.lists(_PIECES, max_size=60).map("".join), st.sampled_from(["", "  ", "      "]))
@example("p90 of lines changed per commit over the last 200 commits is 1340 (limit 400); largest: "
         "abcdef12 (2000 lines), 12345678 (1900 lines)", "      ")
@example("word " * 40, "      ")
@example(" leading space kept on the first line", "  ")
def test_wrap_is_textwrap(message: str, indent: str) -> None:
    assert text._wrap(message, indent) == _reference(message, indent)


def test_fill_breaks_between_words_at_the_width() -> None:
    lines = text._wrap("alpha " * 30 + "omega", "  ")
    assert all(len(line) <= text.WIDTH for line in lines)
    assert " ".join(line.strip() for line in lines) == ("alpha " * 30 + "omega")
    assert len(lines) == 2


_WORDS = st.sampled_from(["catalog-info.yaml", "team-49", "a-b-c", "well-known", "x--y", "ab--cd", "re-run-it",
                          "p99", "latency", "SLO", "(limit", "400);", "e.g.", "-flag", "trailing-", "x" * 30])


@given(st.lists(_WORDS, min_size=1, max_size=80).map(" ".join), st.sampled_from(["", "  ", "      "]))
def test_wrap_is_textwrap_on_hyphenated_prose(message: str, indent: str) -> None:
    """Single-spaced words, many hyphenated, long enough to wrap: the fill's own path."""
    assert text._wrap(message, indent) == _reference(message, indent)


def test_fill_breaks_inside_a_hyphenated_word_like_textwrap() -> None:
    message = "x" * 80 + " catalog-information.yaml"
    assert text._fill(message, "  ") == ["  " + "x" * 80 + " catalog-", "  information.yaml"]


def test_summary_counts_agree_with_their_nouns(tmp_path) -> None:
    from linter.engine import RunOptions, run
    from tests.helpers import write_tree

    root = write_tree(tmp_path, {"README.md": "# x\n"})
    report, _ = run(root, RunOptions(select=["SEC006"]))
    last = text.render(report, report.catalog).rstrip("\n").splitlines()[-2:]
    assert any(line.startswith("1 rule, 1 result: ") for line in last), last


def _render(report, **options) -> str:
    from tests.reporters.samples import mini_catalog

    return text.render(report, mini_catalog(), **options)


def test_a_rule_failing_in_many_scopes_is_said_once_with_its_fix_once() -> None:
    from dataclasses import replace

    from linter.results import Scope, Status
    from tests.reporters.samples import result, sample_report

    names = [f"svc{i:02d}" for i in range(30)]
    results = [result("PERF001", f"services/{n}", Status.FAIL, f"no latency objective for {n}") for n in names]
    report = replace(sample_report(), scopes=[Scope(f"services/{n}", n) for n in names], results=results)
    out = _render(report)
    assert out.count("Fix tail-latency-slo.") == 1
    assert out.count("PERF001 tail-latency-slo") == 1 and "· 30 scopes" in out
    assert "[services/svc00] no latency objective for svc00" in out
    assert "services/svc29] likewise" in out and "for svc29" not in out


def test_findings_with_evidence_are_listed_per_scope() -> None:
    from tests.reporters.samples import sample_report

    out = _render(sample_report())
    assert "✗ PERF001 tail-latency-slo (error) · 2 scopes" in out
    assert "[services/api] latency objectives only at p90" in out
    assert "→ services/api/slo.yaml:10  p90 latency objective" in out
    assert "[services/worker] no latency objective for worker" in out
    assert out.count("fix: Fix tail-latency-slo.") == 1


def test_header_has_the_record_on_one_line_and_each_scope_kind() -> None:
    from tests.reporters.samples import sample_report

    lines = _render(sample_report()).splitlines()
    assert lines[0] == "practicelint 9.9.9 · examples/sample @ 0123456789ab"
    assert lines[1] == ("record: made 2026-12-01 09:30:00 UTC (PRACTICELINT_NOW) · remote "
                        "https://github.com/acme/sample.git · config sha256:abababababab · waivers none declared")
    assert lines[2] == "2 services:"
    assert lines[3] == ("  api (services/api): service (from the Backstage catalog: services/api/catalog-info.yaml:6); "
                        "score 38, level 0")
    assert lines[4] == "  worker (services/worker): unknown (no signal); score 38, level 0"


def test_one_scope_repository_shows_its_kind_and_no_score_when_nothing_applies() -> None:
    from dataclasses import replace

    from linter.results import Evidence, Scope, Status
    from tests.reporters.samples import result, sample_report

    scope = Scope(".", "lib", kind="library", kind_source="inferred",
                  kind_evidence=(Evidence("pyproject.toml", 1, "publishes lib"),))
    report = replace(sample_report(), scopes=[scope],
                     results=[result("SEC001", ".", Status.NOT_APPLICABLE, "nothing to scan")])
    out = _render(report)
    assert "kind: library (inferred: pyproject.toml:1)" in out.splitlines()
    assert out.rstrip().splitlines()[-1] == "score - (nothing applies), level -"
    assert "100" not in out


def test_hostile_record_and_kind_stay_on_their_lines() -> None:
    from tests.reporters.samples import hostile_report

    out = _render(hostile_report())
    assert "\x1b" not in out
    assert not any(line.startswith("::") for line in out.splitlines())
    assert out.splitlines()[1].startswith("record: made 2026-12-01 00:00:00 UTC (system clock) · remote ")


def test_skipped_results_are_marked_and_counted_apart() -> None:
    """Not evaluated here (no history in a shallow clone): shown with the remedy, counted apart
    from errors, and the run's colour is not red for them."""
    from tests.reporters.samples import mini_catalog, result
    from linter.results import Report, Scope, Status

    skipped = result("DEL002", ".", Status.SKIPPED, "Not evaluated: this is a shallow clone with 1 commit of history.")
    report = Report(tool_version="9.9.9", target_path="repo", target_name="repo", commit=None,
                    scopes=[Scope(".", "repo")], results=[skipped])
    out = text.render(report, mini_catalog())
    assert "PASSED, NOT APPLICABLE, WAIVED AND SKIPPED\n  ? DEL002 small-changes (warning)\n" in out
    assert "Not evaluated: this is a shallow clone with 1 commit of history." in out
    assert "0 errors, 1 skipped (not evaluated here)\n" in out
    assert "\x1b[31m" not in text.render(report, mini_catalog(), color=True)


def test_a_monorepo_with_a_library_lists_scopes_not_services() -> None:
    from dataclasses import replace

    from linter.results import Scope
    from tests.reporters.samples import sample_report

    report = replace(sample_report(), scopes=[Scope("libs/util", "util", "backstage", "library", "backstage"),
                                              Scope("services/api", "api", "backstage", "service", "backstage")])
    lines = _render(report).splitlines()
    assert "2 scopes:" in lines and not any(line == "2 services:" for line in lines)


def test_a_skipped_blocker_is_named_as_not_evaluated() -> None:
    from dataclasses import replace

    from linter.results import Status
    from tests.reporters.samples import result, sample_report

    report = replace(sample_report(), results=[result("SEC001", ".", Status.PASS, "fine"),
                                               result("DEL002", ".", Status.SKIPPED, "Not evaluated: shallow")])
    last = _render(report).rstrip().splitlines()[-1]
    assert last == "score 100/100, level 1; level 2 needs DEL002 to pass (DEL002 not evaluated here)"


def test_nothing_judged_because_skipped_says_so_not_that_nothing_applies() -> None:
    from dataclasses import replace

    from linter.results import Status
    from tests.reporters.samples import result, sample_report

    report = replace(sample_report(), results=[result("DEL002", ".", Status.SKIPPED, "Not evaluated: shallow"),
                                               result("SEC001", ".", Status.NOT_APPLICABLE, "n/a")])
    last = _render(report).rstrip().splitlines()[-1]
    assert last == "score - (nothing evaluated here), level -; level 2 needs DEL002 to pass (DEL002 not evaluated here)"


def _outside(rule_id: str, scope: str, subject: str):
    from linter import kinds
    from linter.results import Status
    from tests.reporters.samples import mini_catalog, result

    name = mini_catalog().rules[rule_id].name
    message = kinds.not_applicable_message(subject, "tool", "go.mod:1: the Go module builds a program",
                                           name, ("service", "website"), "in .practicelint.yaml")
    return result(rule_id, scope, Status.NOT_APPLICABLE, message)


def test_rules_outside_a_scopes_kind_are_said_once() -> None:
    """A tool is outside most service rules: the terminal names them on one line and says why
    once (the JSON report keeps every rule's own sentence)."""
    from dataclasses import replace

    from linter.results import Scope
    from tests.reporters.samples import sample_report

    results = [_outside(r, ".", "yq") for r in ("PERF001", "SEC007", "DEL002")]
    report = replace(sample_report(), scopes=[Scope(".", "yq", kind="tool")], results=results)
    out = " ".join(_render(report).split())  # the sentences, wherever the terminal width wraps them
    assert "- 3 rules not judged for this kind:" in out and "PERF001, SEC007, DEL002" in out
    assert out.count("yq is a tool (") == 1 and "each of these rules judges other kinds" in out
    assert "tail-latency-slo is judged for" not in out


def test_a_lone_rule_outside_its_kind_and_other_scopes_stay_apart() -> None:
    from dataclasses import replace

    from linter.results import Scope
    from tests.reporters.samples import sample_report

    results = [_outside("PERF001", "tools/a", "tools/a"), _outside("SEC007", "tools/b", "tools/b")]
    report = replace(sample_report(), scopes=[Scope("tools/a", "a", kind="tool"), Scope("tools/b", "b", kind="tool")],
                     results=results)
    out = " ".join(_render(report).split())  # the sentences, wherever the terminal width wraps them
    assert "not judged for this kind" not in out  # one rule per scope: said as it was
    assert "tail-latency-slo is judged for services and websites" in out


def test_the_kind_sentence_is_found_only_in_its_own_shape() -> None:
    from linter import kinds

    message = kinds.not_applicable_message("x", "library", "pyproject.toml:1: a package", "game-days",
                                           ("service",), "in .practicelint.yaml")
    reason = kinds.kind_reason_of(message, "game-days")
    assert reason is not None and reason.startswith("x is a library") and reason.endswith("pyproject.toml:1: a package")
    assert kinds.kind_reason_of(message, "load-tests") is None  # another rule's name
    assert kinds.kind_reason_of("No team roster found", "team-size") is None


def test_the_rule_that_stops_the_climb_is_tagged_where_it_is_listed() -> None:
    """Failures are listed by category and severity; the one the next level needs says so on
    its own line (the footer names it too), and no other does."""
    from dataclasses import replace

    from linter.results import Scope, Status
    from tests.reporters.samples import result, sample_report

    results = [result("SEC001", ".", Status.PASS, "fine"), result("ORG001", ".", Status.FAIL, "too many people"),
               result("SEC007", ".", Status.FAIL, "no threat model")]
    report = replace(sample_report(), scopes=[Scope(".", "repo", kind="service")], results=results)
    out = _render(report)
    lines = out.splitlines()
    assert [line for line in lines if "blocks level" in line] == ["  ✗ ORG001 team-size (warning) · blocks level 2"]
    assert "level 2 needs ORG001 to pass" in out
    coloured = _render(report, color=True)
    assert "\x1b[1m · blocks level 2\x1b[0m" in coloured and "\x1b[1m\x1b[0m" not in coloured
