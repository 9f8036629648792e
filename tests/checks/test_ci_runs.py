"""``linter.checks.ci_runs``: the CI jobs running a kind of tool, computed once per run for
every scope's check and kept in the check context, never in the frozen facts."""

from __future__ import annotations

from pathlib import Path

from linter.checks.base import CheckContext, ScopeIndex
from linter.checks.ci_runs import runs_of, weak_test_runs
from linter.detectors import ci
from linter.detectors.ci import judge
from linter.detectors.ci.tables import TESTS
from linter.repo.workspace import Workspace
from linter.results import Scope
from tests.helpers import write_tree

WORKFLOW = ("on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: pytest\n  smoke-test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./check.sh\n")


def test_each_table_is_judged_once_per_run_and_the_facts_stay_as_detected(tmp_path: Path, monkeypatch) -> None:
    write_tree(tmp_path, {".github/workflows/ci.yml": WORKFLOW, "a/x.py": "", "b/x.py": ""})
    ws = Workspace(tmp_path)
    facts = ci.detect(ws)
    before = dict(vars(facts))
    tables = []
    monkeypatch.setattr("linter.checks.ci_runs.job_hits", lambda f, t: tables.append(t) or judge.job_hits(f, t))
    scopes = [Scope("a", "a"), Scope("b", "b")]
    index = ScopeIndex(scopes)  # one per run, shared by every scope's check (as the engine does)
    contexts = [CheckContext(workspace=ws, scope=scope, scopes=scopes, options={}, now=None, settings={},
                             index=index) for scope in scopes]
    first = runs_of(contexts[0], facts, TESTS)
    assert runs_of(contexts[1], facts, TESTS) is first and isinstance(first, tuple)
    assert tables == [TESTS]  # judged once for both scopes
    assert [h.hit.tool for h in first] == [h.hit.tool for h in judge.job_hits(facts, TESTS)] and first
    assert weak_test_runs(contexts[0], facts) is weak_test_runs(contexts[1], facts)
    assert dict(vars(facts)) == before  # nothing stashed inside the frozen facts


def test_a_new_run_judges_afresh(tmp_path: Path) -> None:
    write_tree(tmp_path, {".github/workflows/ci.yml": WORKFLOW})
    ws = Workspace(tmp_path)
    facts = ci.detect(ws)
    scope = Scope(".", "repo", "repository")
    one, two = (CheckContext(workspace=ws, scope=scope, scopes=[scope], options={}, now=None, settings={},
                             index=ScopeIndex([scope])) for _ in range(2))
    assert runs_of(one, facts, TESTS) == runs_of(two, facts, TESTS)
    assert runs_of(one, facts, TESTS) is not runs_of(two, facts, TESTS)
