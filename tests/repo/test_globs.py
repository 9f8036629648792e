from __future__ import annotations

import pytest

from linter.repo.globs import match_any


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("services/a", "services/*", True),
        ("services/a/b", "services/*", False),
        ("a/b/c.yaml", "**/*.yaml", True),
        ("c.yaml", "**/*.yaml", True),
        ("docs/x/y.md", "docs/**", True),
        ("docsx/y.md", "docs/**", False),
        (".github/workflows/ci.yml", ".github/workflows/*.y*ml", True),
        ("a.yml", "[ab].yml", True),
        ("c.yml", "[!ab].yml", True),
        ("a.yml", "[!ab].yml", False),
        ("weird(.yml", "weird(.yml", True),
    ],
)
def test_glob_semantics(path: str, pattern: str, expected: bool) -> None:
    assert match_any(path, [pattern]) is expected


def test_no_patterns_match_nothing() -> None:
    assert not match_any("anything", [])


def test_every_pattern_of_a_list_is_anchored() -> None:
    patterns = ["apps/*", "services/*"]
    assert match_any("apps/web", patterns) and match_any("services/api", patterns)
    assert not match_any("apps/web/slo", patterns)
    assert not match_any("services/api/deep", patterns)


@pytest.mark.parametrize("pattern", ["[]", "[!]", "[z-a]", "a[", "**[", "[\\"])
def test_malformed_brackets_never_raise_and_match_literally(pattern: str) -> None:
    assert match_any(pattern.strip("/"), [pattern]) in (True, False)
    assert not match_any("something-else", [pattern])


# ----------------------------------------------------------------- linear time (issue 14)
import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from linter.repo import globs  # noqa: E402
from tests.helpers import cpu_seconds


def _reference_regex(pattern: str) -> str:
    """The translation this module used before it became linear (a backtracking regex), kept
    here as the definition of the semantics the new matcher must reproduce."""
    stripped = pattern.strip().strip("/") if pattern not in ("/", "") else ""
    out: list[str] = []
    i, n = 0, len(stripped)
    while i < n:
        ch = stripped[i]
        if stripped.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif stripped.startswith("/**", i) and i + 3 == n:
            out.append("(?:/.*)?")
            i += 3
        elif stripped.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[":
            end = stripped.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
                i += 1
            else:
                body = stripped[i + 1:end].replace("\\", "\\\\").replace("[", "\\[")
                body = "[" + ("^" + body[1:] if body.startswith("!") else body) + "]"
                try:  # (before: checked only as part of the whole, so "[]?" became the class "[][^/]")
                    re.compile(body)
                except re.error:
                    return re.escape(stripped)
                out.append(body)
                i = end + 1
        else:
            out.append(re.escape(ch))
            i += 1
    translated = "".join(out)
    try:
        re.compile(translated)
    except re.error:
        return re.escape(stripped)
    return translated


GLOB_TEXT = st.text(alphabet=st.sampled_from("*?/[]!ab.-\\"), max_size=14)
PATH_TEXT = st.text(alphabet=st.sampled_from("ab./-[]!\\*?"), max_size=16)


@pytest.mark.filterwarnings("ignore::FutureWarning")  # the reference compiles classes like [a--b]
@settings(max_examples=1500, deadline=None)
@given(pattern=GLOB_TEXT, path=PATH_TEXT)
def test_matcher_and_nfa_agree_with_the_backtracking_definition(pattern: str, path: str) -> None:
    expected = re.match(_reference_regex(pattern) + r"\Z", path) is not None
    assert bool(globs.matcher([pattern]).match(path)) is expected
    assert globs._Nfa(globs.translate(pattern)).match(path) is expected  # the NFA alone, whatever the shape


@pytest.mark.parametrize("pattern", [
    "**/*.yaml", ".github/workflows/*.yml", "docs/**", "services/*", "**/ci.yml", "a/**/*.md",
    "**/azure-pipelines*.yml", "third_party/**", "*.min.js", "**", "*", "[ab].yml", "v?/*",
])
def test_ordinary_globs_keep_the_compiled_regex(pattern: str) -> None:
    assert globs.linear_for_re(globs.translate(pattern))
    assert isinstance(globs.matcher([pattern]), re.Pattern)


HOSTILE_GLOBS = [
    "*a" * 14 + "*b",  # stars in one segment: every split of a long name
    "**/" * 60 + "x",  # nested optional folders
    "/" + "**/" * 60,
    "a**" * 20 + "b",  # ** inside segments: .*a.*a...
    "**/" * 50 + "x0*" * 20,
    "?*" * 30 + "b",
]


@pytest.mark.parametrize("pattern", HOSTILE_GLOBS)
def test_hostile_globs_are_matched_without_backtracking(pattern: str) -> None:
    """Each of these took minutes per path with the backtracking regex; the tokens are
    either merged into a linear shape or left to the NFA, whose work is bounded by
    construction (path length x program length)."""
    tokens = globs.translate(pattern)
    compiled = globs.matcher([pattern])
    assert globs.linear_for_re(tokens) or not isinstance(compiled, re.Pattern)
    paths = ["a" * 4000, "a/" * 2000 + "c", "a" * 200 + "/" + "a" * 3000]
    start = cpu_seconds()
    for path in paths:
        compiled.match(path)
    nfa = globs._Nfa(tokens)
    assert len(nfa.program) <= 3 * len(pattern) + 3  # linear work per character
    assert cpu_seconds() - start < 20  # generous: milliseconds here, minutes before


def test_runs_of_double_stars_merge_into_one_token() -> None:
    assert globs.translate("**/" * 60 + "x") == (globs.DIRS_TOKEN, globs.literal("x"))
    assert globs.translate("a/**/**/**") == (globs.literal("a"), globs.SLASH, globs.ANY_TOKEN)
    assert globs.translate("a/**/**") == (globs.literal("a"), globs.SLASH, globs.DIRS_TOKEN, globs.ANY_TOKEN)[:2] + (
        globs.ANY_TOKEN,)
    assert globs.translate("***x") == (globs.ANY_TOKEN, globs.literal("x"))


def test_stars_of_one_segment_hold_their_first_match() -> None:
    """Several ``*`` in a segment stay on the fast path, written so ``re`` cannot try every
    split (atomic groups); a regex written without them (pathspec's) is not linear."""
    tokens = globs.translate("*a*a*b")
    assert globs.render(tokens) == "(?>[^/]*?a)(?>[^/]*?a)[^/]*b"
    assert globs.linear_for_re(tokens) and not globs.linear_for_re(tokens, held=False)
    assert isinstance(globs.matcher(["*a" * 14 + "*b"]), re.Pattern)
    assert not isinstance(globs.matcher(["a**b*c"]), re.Pattern)  # ** inside a segment and a *: the NFA
