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


def _node_trees():
    from hypothesis import strategies as st

    scalars = st.one_of(st.integers(-5, 5), st.text("ab", max_size=2), st.none())
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text("xyz", min_size=1, max_size=2), inner, max_size=4)),
        max_leaves=40)


def test_counting_while_composing_agrees_with_the_graph_check_on_alias_free_documents(monkeypatch) -> None:
    """Documents without aliases are counted while they are composed (so memory stays bounded);
    that refuses exactly what ``_check_node_graph`` refuses, for depth and node count (when
    both limits are exceeded, either may be named first)."""
    import yaml
    from hypothesis import given, settings

    from linter.repo import yamlio

    @settings(max_examples=300, deadline=None)
    @given(data=_node_trees(), depth=st_integers(), size=st_integers())
    def agree(data, depth: int, size: int) -> None:
        monkeypatch.setattr(yamlio, "MAX_DEPTH", depth)
        monkeypatch.setattr(yamlio, "MAX_EXPANDED_NODES", size)
        text = yaml.safe_dump(data)
        outcomes = []
        try:
            yamlio._check_node_graph(yaml.compose(text, Loader=yaml.SafeLoader))
            outcomes.append("ok")
        except yamlio.YamlTooComplex as exc:
            outcomes.append("deep" if "nesting" in str(exc) else "large")
        errors = yamlio.load_yaml(text).errors
        outcomes.append("ok" if not errors else "deep" if "nesting" in errors[0] else "large")
        assert (outcomes[0] == "ok") == (outcomes[1] == "ok"), (outcomes, errors)
        if "ok" not in outcomes and len(set(outcomes)) > 1:  # both limits exceeded: both are true
            assert _depth(data) > depth

    agree()


def _depth(data) -> int:
    """Levels of nodes: a scalar is 1, a container 1 + its deepest child (keys count too)."""
    if isinstance(data, dict):
        return 1 + max([1, *(max(1, _depth(v)) for v in data.values())]) if data else 1
    if isinstance(data, list):
        return 1 + max([_depth(v) for v in data], default=0) if data else 1
    return 1


def st_integers():
    from hypothesis import strategies as st

    return st.integers(1, 12)


def test_a_text_with_aliases_still_gets_the_graph_check() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    parsed = load_yaml(bomb)
    assert parsed.documents == () and "alias expansion" in parsed.errors[0]


def test_remembered_scalar_tags_never_change_a_value() -> None:
    """Plain scalars' tags are remembered across documents (``_LineLoader.resolve``): the same
    text plain or quoted, first or again, in any order, gives what PyYAML's safe loader gives."""
    import yaml
    from hypothesis import given, settings
    from hypothesis import strategies as st

    words = st.sampled_from(["1", "1.5", "1e3", "0x1F", "0o17", "true", "True", "yes", "no", "off", "null", "~",
                             "", "-1", ".inf", "-.Inf", ".nan", "12:30", "1_000", "+1", "name", "on", "NULL"])
    quoting = st.sampled_from(["{}", "'{}'", '"{}"'])

    @settings(max_examples=200, deadline=None)
    @given(items=st.lists(st.tuples(words, quoting), min_size=1, max_size=12))
    def same(items) -> None:
        text = "".join(f"k{i}: {style.format(word)}\n" for i, (word, style) in enumerate(items))
        assert load_yaml(text).documents[0].data == yaml.safe_load(text)

    same()


def test_a_plain_equals_sign_is_text_not_a_broken_document() -> None:
    """PyYAML resolves a plain ``=`` to YAML 1.1's ``value`` type, which the safe loader cannot
    construct; kube-prometheus's CRDs list it among operators."""
    parsed = load_yaml("kind: CustomResourceDefinition\nops: [=, '!=', =~]\nmatch: =\n")
    assert not parsed.errors
    assert parsed.documents[0].data == {"kind": "CustomResourceDefinition", "ops": ["=", "!=", "=~"], "match": "="}


def test_a_reused_anchor_names_the_most_recent_node_as_yaml_1_2_says() -> None:
    # YAML 1.2 section 3.2.2.2: anchors need not be unique; an alias refers to the most recent
    # node with that anchor (GitLab reads such files; PyYAML alone refuses the whole file)
    text = ("a: &r [one]\n"
            "b: *r\n"
            "c: &r [two]\n"
            "d: *r\n")
    parsed = load_yaml(text)
    assert parsed.errors == ()
    data = parsed.documents[0].data
    assert data == {"a": ["one"], "b": ["one"], "c": ["two"], "d": ["two"]}
    assert data.line_of("d") == 4


def test_an_alias_to_an_anchor_never_defined_is_still_an_error() -> None:
    # near miss: reusing an anchor is allowed, naming one that does not exist is not
    parsed = load_yaml("a: &r [one]\nb: *missing\n")
    assert parsed.documents == () and parsed.errors and "missing" in parsed.errors[0]


def test_a_list_merged_into_a_list_is_spliced_as_woodpecker_reads_it() -> None:
    """Woodpecker CI's YAML reader splices ``- <<: *paths`` (a list of scalars) into the list it
    sits in; standard YAML rejects that merge, so nothing that parsed before changes meaning."""
    doc = load_yaml("paths: &p\n  - 'docs/**'\n  - go.*\nwhen:\n  path:\n    - <<: *p\n    - web/**\n"
                    "maps: &m [{a: 1}, {b: 2}]\nmerged:\n  - <<: *m\n").documents[0].data
    assert doc["when"]["path"] == ["docs/**", "go.*", "web/**"]
    assert doc["when"]["path"].line_of(0) == 2  # where the merged item was written
    assert doc["merged"] == [{"a": 1, "b": 2}]  # a merge of mappings keeps its standard meaning
    assert load_yaml("a:\n  - <<: [x]\n").documents[0].data == {"a": ["x"]}
