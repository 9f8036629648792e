"""Every parser takes any text without raising, and returns what its signature promises."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from linter.detectors import hcl, hcl_tokens, markdown, slo_queries
from linter.detectors.ci import jenkins, refs, shell
from linter.detectors.codeowners import classify_owner, parse_codeowners, pattern_regex
from linter.repo.globs import matcher
from linter.repo.yamlio import YamlFile, load_yaml, walk_strings
from tests.fuzz import strategies as s

any_text = st.one_of(st.text(max_size=400), s.codeowners_text(), s.shell_script(), s.hcl_snippet())


@given(st.one_of(st.text(max_size=500), st.lists(s.json_like(), max_size=3).map(s.dump_yaml)))
def test_load_yaml_never_raises_and_notes_every_failure(text: str) -> None:
    parsed = load_yaml(text)
    assert isinstance(parsed, YamlFile)
    assert all(isinstance(e, str) and e for e in parsed.errors)
    for doc in parsed.documents:
        list(walk_strings(doc.data))


@given(st.lists(s.json_like(), min_size=1, max_size=3))
def test_load_yaml_round_trips_safe_dumped_documents(documents: list) -> None:
    # ASCII-only dump: PyYAML's emitter writes U+0085/U+2028 raw, which YAML then reads as line breaks
    parsed = load_yaml(yaml.safe_dump_all(documents, sort_keys=False, allow_unicode=False))
    assert parsed.errors == ()
    assert [d.data for d in parsed.documents] == documents


@given(st.text(alphabet=st.sampled_from("!&*-:[]{},|>'\"#%@`?\n \tab1"), max_size=200))
def test_load_yaml_survives_yaml_punctuation_soup(text: str) -> None:
    load_yaml(text)


@given(st.one_of(s.hcl_snippet(), st.text(max_size=300)))
def test_hcl_parsers_never_raise(text: str) -> None:
    hcl.iter_blocks(hcl.parse(text), "resource")
    hcl_tokens.tokenize(text)


@given(st.one_of(s.markdown_prfaq(), st.text(max_size=400)))
def test_markdown_parser_never_raises(text: str) -> None:
    doc = markdown.parse_markdown("docs/x.md", text)
    assert doc is not None
    markdown.split_front_matter(text)
    markdown.has_words(text)
    markdown.normalise_label(text)


@given(s.shell_script())
def test_shell_parser_never_raises(script: str) -> None:
    for command in shell.shell_commands(script):
        shell.effective_argv(command.argv)
        for word in command.argv:
            shell.program_name(word)


@given(s.codeowners_text(), st.booleans())
def test_codeowners_parser_never_raises_and_patterns_compile(text: str, gitlab: bool) -> None:
    parse_codeowners(text, gitlab)
    for token in text.split():
        re.compile(pattern_regex(token, gitlab))
        classify_owner(token, gitlab)


@given(s.jenkinsfile())
def test_jenkinsfile_parser_never_raises(text: str) -> None:
    jenkins.parse_jenkinsfile("Jenkinsfile", text)


@given(st.one_of(s.promql(), st.text(max_size=200)), s.scalars)
def test_promql_helpers_never_raise(text: str, value: object) -> None:
    slo_queries.quantile_percentiles(text)
    slo_queries.classify(text)
    slo_queries.has_bucket_bound(text)
    slo_queries.looks_like_size(text)
    slo_queries.mentions_latency(text)
    slo_queries.label_quantile(value)


@given(s.json_like(12), st.text(max_size=80))
def test_branch_ref_helpers_never_raise(shape: object, condition: str) -> None:
    pushed = refs.github_push_refs(shape)
    refs.narrow_github_refs(pushed, condition)
    refs.runs_on_default_branch(pushed)
    refs.only_default_branch(pushed)
    refs.gitlab_condition_refs(condition)
    refs.gitlab_rules_refs(shape if isinstance(shape, list) else [shape])
    refs.gitlab_only_refs(shape)


@given(st.lists(st.text(alphabet=st.sampled_from("*?/[]!{}.ab\\"), max_size=20), max_size=5),
       st.text(max_size=40))
def test_glob_matcher_compiles_any_pattern(patterns: list[str], path: str) -> None:
    matcher(patterns).match(path)


@pytest.mark.parametrize("pattern", [
    "[]", "[!]", "[z-a]", "[", "]", "[[]", "[a-]", "\\", "**/[",
])
def test_glob_matcher_bracket_edge_cases(pattern: str) -> None:
    matcher([pattern]).match("a")
