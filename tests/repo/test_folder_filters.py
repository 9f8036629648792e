"""The documentation/test folder filters answer by one pass over the joined paths; they must
give exactly what judging each folder gives."""

from __future__ import annotations

from hypothesis import given, strategies as st

from linter.repo import folders as workspace
from linter.repo.folders import DOCUMENTATION_DIRS, outside_docs_and_tests, outside_documentation

_SEGMENTS = st.sampled_from(["docs", "DOCS", "Doc", "documentation", "test", "Tests", "e2e", "envs", "overlays",
                             "live", "src", "mydocs", "docs.md", "testing", "İstanbul", "ß", "a b", "x\ny", ""])
_PATHS = st.lists(st.lists(_SEGMENTS, min_size=1, max_size=5).map("/".join).filter(bool), max_size=30)


def _reference_documentation(paths: list[str]) -> list[str]:
    return [p for p in paths if DOCUMENTATION_DIRS.isdisjoint(p.rpartition("/")[0].lower().split("/"))]


def _reference_deployed(paths: list[str]) -> list[str]:
    return [p for p in paths if workspace._deployed_folder(p.rpartition("/")[0])]


@given(_PATHS)
def test_filters_equal_a_folder_by_folder_judgement(paths: list[str]) -> None:
    assert outside_documentation(paths) == _reference_documentation(paths)
    assert outside_docs_and_tests(paths) == _reference_deployed(paths)


def test_examples() -> None:
    paths = ["docs/a.yaml", "x/DOCS/b.yaml", "docs.yaml", "mydocs/c.yaml", "src/docs", "envs/test/main.tf",
             "test/d.tf", "a/e2e/f.yaml", "İ/docs/g.yaml", "İ/src/h.yaml"]
    assert outside_documentation(paths) == ["docs.yaml", "mydocs/c.yaml", "src/docs", "envs/test/main.tf",
                                            "test/d.tf", "a/e2e/f.yaml", "İ/src/h.yaml"]
    assert outside_docs_and_tests(paths) == ["docs.yaml", "mydocs/c.yaml", "src/docs", "envs/test/main.tf",
                                             "İ/src/h.yaml"]
    assert outside_documentation([]) == [] and outside_docs_and_tests(iter(["a/b.yaml"])) == ["a/b.yaml"]
