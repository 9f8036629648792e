"""DOC002: long narratives listed with their prose word counts."""

from __future__ import annotations

from functools import partial

from linter.checks.doc002_six_page_narratives import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="DOC002")  # contexts for DOC002, with its typed options


def test_verdicts(make_repo) -> None:
    long_text = "# RFC\n\n" + "word " * 400 + "\n\n```\n" + "code " * 5000 + "\n```\n\n## Appendix\n\n" + "x " * 5000
    root = make_repo({"rfcs/0001-long.md": long_text, "rfcs/0002-short.md": "# Short\n\nFew words.\n"})
    assert check(make_context(root, options={"max_words": 3500})).status is Status.PASS
    finding = check(make_context(root, options={"max_words": 300}))
    assert finding.status is Status.FAIL and "rfcs/0001-long.md (400 words)" in finding.message
    assert "1 of 2" in finding.message


def test_not_applicable_without_narratives(make_repo) -> None:
    finding = check(make_context(make_repo({"docs/guide.md": "# Guide\n\n" + "w " * 9000})))
    assert finding.status is Status.NOT_APPLICABLE
