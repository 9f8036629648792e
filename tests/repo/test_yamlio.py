"""Safe, line-aware YAML loading, including hostile documents."""

from __future__ import annotations

import pytest

from linter.repo.yamlio import LineDict, LineList, line_of, load_yaml, walk_strings


def test_mappings_and_sequences_remember_lines() -> None:
    parsed = load_yaml("name: svc\nitems:\n  - a\n  - b\nnested:\n  key: 1\n")
    data = parsed.documents[0].data
    assert isinstance(data, LineDict) and isinstance(data["items"], LineList)
    assert data.line_of("name") == 1
    assert data.line_of("nested") == 5
    assert data["items"].line_of(1) == 4
    assert data["nested"].line_of("key") == 6
    assert line_of({"plain": 1}, "plain", 9) == 9


def test_multi_document_file_keeps_good_documents_around_a_broken_one() -> None:
    text = "kind: A\n---\nkind: !!python/object:os.system {}\n---\nkind: C\n"
    parsed = load_yaml(text)
    assert [d.data["kind"] for d in parsed.documents] == ["A", "C"]
    assert [d.line for d in parsed.documents] == [1, 5]
    assert len(parsed.errors) == 1 and "document 2" in parsed.errors[0]


def test_python_tags_are_never_constructed() -> None:
    parsed = load_yaml("x: !!python/object/apply:os.system ['echo pwned']\n")
    assert parsed.documents == ()
    assert "constructor" in parsed.errors[0]


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    parsed = load_yaml("\n".join(lines) + "\n")
    assert parsed.documents == ()
    assert "alias expansion" in parsed.errors[0]


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    parsed = load_yaml("[" * 3000 + "]" * 3000)
    assert parsed.documents == () and "nesting" in parsed.errors[0]


def test_malformed_yaml_is_reported_with_position() -> None:
    parsed = load_yaml("a: b: c\n")
    assert parsed.documents == ()
    assert "line 1" in parsed.errors[0]


def test_github_on_key_and_unknown_tags_and_dates() -> None:
    parsed = load_yaml("on: push\nref: !Ref Bucket\nwhen: 2024-01-02\n")
    data = parsed.documents[0].data
    assert data[True] == "push"  # YAML 1.1 reads `on` as a boolean: detectors must know
    assert data["ref"] == "Bucket"
    assert data["when"] == "2024-01-02"


def test_duplicate_keys_last_wins_and_unhashable_keys_are_stringified() -> None:
    parsed = load_yaml("a: 1\na: 2\n? [x, y]\n: z\n")
    data = parsed.documents[0].data
    assert data["a"] == 2
    assert "['x', 'y']" in data


def test_walk_strings_yields_lines_and_is_bounded() -> None:
    data = load_yaml("a:\n  - one\n  - two\nb: three\n").documents[0].data
    assert sorted(walk_strings(data)) == [("one", 2), ("three", 4), ("two", 3)]
    assert len(list(walk_strings(["x"] * 50, limit=10))) < 10


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "\ufeffa: 1\n"])
def test_empty_and_odd_documents_do_not_raise(text: str) -> None:
    parsed = load_yaml(text)
    assert parsed.errors == () or isinstance(parsed.errors[0], str)


def test_documents_after_a_syntax_error_still_count_with_their_real_lines() -> None:
    parsed = load_yaml("kind: [unclosed\n---\nkind: Group\nmetadata:\n  name: a\n---\nkind: User\n")
    assert [d.data["kind"] for d in parsed.documents] == ["Group", "User"]
    assert parsed.documents[0].line == 3 and parsed.documents[0].data.line_of("metadata") == 4
    assert parsed.documents[1].line == 7
    assert len(parsed.errors) == 1 and parsed.errors[0].startswith("document 1: invalid YAML")


@pytest.mark.parametrize("value", ["!!int x", "!!float nope", "!!bool maybe", "!!map [1]", "!!seq {a: 1}"])
def test_impossible_core_tag_values_are_an_error_for_that_document_only(value: str) -> None:
    parsed = load_yaml(f"a: {value}\n---\nb: 1\n")
    assert [d.data for d in parsed.documents] == [{"b": 1}]
    assert len(parsed.errors) == 1 and parsed.errors[0].startswith("document 1 (line 1)")
