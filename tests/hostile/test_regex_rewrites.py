"""Each regular expression rewritten for linear time means what it meant (issue 14).

The old pattern is kept here as the definition; hypothesis compares it with the new one on
text made of the characters that matter to it, and a long run shows the new one is linear
where the old one was quadratic (or worse).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.detectors import docs, ecosystems, infra_apis, loadtests, slo_prometheus
from linter.detectors.ci import tables
from linter.detectors.ci.runners import make as makefile
from linter.detectors.ci.tables import shapes
from linter.repo import reader
from tests.helpers import cpu_seconds


def _linear(function, make, small: int = 5_000, factor: int = 8) -> None:  # type: ignore[no-untyped-def]
    """``function(make(n))`` grows at most about linearly from ``small`` to ``factor * small``
    (quadratic would be ``factor**2`` times slower); generous, and never below 50 ms."""
    def timed(n: int) -> float:
        text = make(n)
        start = cpu_seconds()
        function(text)
        return cpu_seconds() - start

    timed(small)  # warm up
    base = timed(small)
    big = timed(small * factor)
    assert big < max(0.05, base * factor * 4), f"{base:.4f}s -> {big:.4f}s"


# ----------------------------------------------------------------- ^\s* under re.M
OLD_LINE_STARTS = {
    docs._PYTM_IMPORT: r"^\s*(from\s+pytm(\.\w+)*\s+import|import\s+pytm)\b",
    loadtests._LOCUST_IMPORT: r"^\s*(?:from\s+locust(?:\.[\w.]+)?\s+import\b|import\s+locust\b)",
    loadtests._GATLING_IMPORT: r"^\s*import\s+(?:static\s+)?io\.gatling\b",
    ecosystems._PYTHON_DEPS: r"^\s*(?:dependencies|requires|install_requires|\[tool\.poetry\.dependencies\]|"
                             r"\[project\]|\[dependency-groups\])",
}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([" ", "\t", "\n", "\x0c", "from ", "import ", "pytm", "locust", "io.gatling",
                                 "static ", "x", ".", "requires", "[project]"]), max_size=25).map("".join))
def test_line_start_patterns_find_the_same_files(text: str) -> None:
    for new, old in OLD_LINE_STARTS.items():
        assert (new.search(text) is None) == (re.search(old, text, re.M) is None), (new.pattern, text)


def test_line_start_patterns_are_linear_over_blank_lines() -> None:
    for pattern in OLD_LINE_STARTS:
        _linear(pattern.search, lambda n: "\n" * n * 4 + "x")
        _linear(pattern.search, lambda n: " \n" * n * 2 + "x")


# ----------------------------------------------------------------- Makefile rule lines
OLD_RULE = re.compile(r"^([^:=#\t][^:=#]*?)\s*::?(?!=)\s*(.*)$")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", " ", "\t", ":", "::", "=", ":=", "#", ";", "%", "|"]),
                max_size=14).map("".join))
def test_makefile_rule_lines_split_as_before(line: str) -> None:
    old, new = OLD_RULE.match(line), makefile._RULE.match(line)
    assert (old is None) == (new is None)
    if old and new:
        assert old.group(1).split() == new.group(1).split() and old.group(2) == new.group(2)


def test_makefile_rule_line_padded_with_blanks_is_linear() -> None:
    _linear(makefile._RULE.match, lambda n: "build" + " " * n + "target: dep")


# ----------------------------------------------------------------- GitLab cross-project includes
def _old_project(name: str) -> re.Pattern[str]:
    return re.compile(rf"project:.*:/?(?:.*/)?{name}(?:\.latest|\.v\d)?\.gitlab-ci\.yml")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["project:", ":", "/", "a", "sast", ".gitlab-ci.yml", ".v1", "-"]), max_size=10)
       .map("".join))
def test_project_includes_match_as_before(reference: str) -> None:
    new = re.compile(shapes.PROJECT_INCLUDE + r"sast(?:\.latest|\.v\d)?\.gitlab-ci\.yml")
    assert (new.fullmatch(reference) is None) == (_old_project("sast").fullmatch(reference) is None)


def test_long_hostile_include_reference_is_linear() -> None:
    rules = [r for r in tables.SAST.references if "project:" in r.pattern.pattern]
    assert rules and all("(?=" in r.pattern.pattern for r in rules)
    for rule in rules:
        _linear(rule.pattern.fullmatch, lambda n: "project:" + ":/" * n)


# ----------------------------------------------------------------- comments and strings that never close
def test_unterminated_comments_and_strings_are_linear() -> None:
    _linear(lambda t: loadtests._JS_COMMENTS.sub("", t), lambda n: "/*" * n)
    _linear(lambda t: loadtests._XML_NOISE.sub("", t), lambda n: "<!--" * n)
    _linear(lambda t: reader._parse_json(t, True), lambda n: "{" + "/*" * n)
    _linear(infra_apis.strip_proto, lambda n: '"' + '\\"' * n)
    _linear(infra_apis.strip_proto, lambda n: "/*" * n)
    _linear(lambda t: infra_apis._GQL_NOISE.sub("", t), lambda n: '"""' * n)


def test_strings_and_comments_are_blanked_in_one_pass() -> None:
    proto = '/* it\'s a "quote */\nservice Orders {}\n// say "hi\nmessage M { string s = 1; } // "x\n'
    clean = infra_apis.strip_proto(proto)
    assert len(clean) == len(proto) and clean.count("\n") == proto.count("\n")
    assert "service Orders" in clean and "quote" not in clean and "hi" not in clean
    assert infra_apis.strip_proto('option x = "a // b";\nservice S {}\n').count("service S") == 1
    assert "service" not in infra_apis.strip_proto('/* never closed\nservice S {}\n')


# ----------------------------------------------------------------- Prometheus rule file prefilter
def _old_may_hold_rules(lowered: str) -> bool:
    if "prometheusrule" in lowered:
        return True
    flow = None
    at = lowered.find("groups")
    while at != -1:
        line_start = lowered.rfind("\n", 0, at) + 1
        if slo_prometheus._KEY_LEAD.fullmatch(lowered, line_start, at) and \
                slo_prometheus._KEY_COLON.match(lowered, at + 6):
            return True
        if flow is None:
            flow = _old_flow(lowered)
        if flow:
            return True
        at = lowered.find("groups", at + 6)
    return False


def _old_flow(lowered: str) -> bool:
    at = lowered.find("{")
    while at != -1:
        line_start = lowered.rfind("\n", 0, at) + 1
        if not lowered[line_start:at].strip(" \t-"):
            return True
        at = lowered.find("{", at + 1)
    return False


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["groups", ":", " ", "\t", "\n", "{", "-", "---", '"', "x", "prometheusrule"]),
                max_size=16).map("".join))
def test_prometheus_prefilter_answers_as_before(text: str) -> None:
    assert slo_prometheus.may_hold_rules(text) is _old_may_hold_rules(text)


def test_prometheus_prefilter_is_linear_on_one_long_line() -> None:
    _linear(slo_prometheus.may_hold_rules, lambda n: "x" + "groups{" * n)


OLD_REUSABLE = re.compile(r"[\w.-]+/[\w.-]+/\.github/workflows/[\w.-]*?(?:dependency[-_]?review|dependency[-_]?scan"
                          r"(?:ning)?|deps?[-_]review|vulnerability[-_]scan)[\w.-]*\.ya?ml")


def _reusable_rule() -> re.Pattern[str]:
    return next(r.pattern for r in tables.DEPENDENCY_SCAN.references if "workflows/(?=" in r.pattern.pattern)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "-", ".", "/", "dependency", "-review", "_scan", "deps-review", ".yml",
                                 ".yaml", "vulnerability-scan"]), max_size=8).map("".join))
def test_reusable_workflow_names_match_as_before(name: str) -> None:
    reference = "org/repo/.github/workflows/" + name
    assert (_reusable_rule().fullmatch(reference) is None) == (OLD_REUSABLE.fullmatch(reference) is None)


def test_long_reusable_workflow_name_is_linear() -> None:
    _linear(_reusable_rule().fullmatch, lambda n: "o/r/.github/workflows/" + "dependency-review" * (n // 4))
