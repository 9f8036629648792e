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
