"""``any_of``: one pattern answers "does the text contain any of these words?" exactly."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from linter.detectors import docs, prfaq
from linter.repo.path_search import any_of

_WORDS = st.lists(st.text(alphabet="ab-. (", min_size=1, max_size=5), min_size=1, max_size=8)


@given(_WORDS, st.text(alphabet="ab-. (x\n", max_size=40))
@example(["fail over", "fail", "failback"], "we fail")  # a word that another word starts with
@example(["a.b", "a(b"], "axb")  # regex metacharacters are literals
def test_search_is_any_substring(words: list[str], text: str) -> None:
    assert (any_of(words).search(text) is not None) == any(w in text for w in words)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz -'1", max_size=80))
@example("the on-call rota and the game day")
@example("won't build this; non goal")
def test_detector_keyword_sets(text: str) -> None:
    for module in (docs, prfaq):
        assert (module._ANY_KEYWORD.search(text) is not None) == any(k in text for k in module.KEYWORDS)


def test_empty_word_is_refused() -> None:
    with pytest.raises(ValueError):
        any_of(["ok", ""])
