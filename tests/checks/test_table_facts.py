"""``make_context(facts=...)``: table tests judge the facts they write down, and nothing else."""

from __future__ import annotations

import pytest

from linter.checks.sec001_dependency_scanning_in_ci import check as sec001
from linter.detectors import ci, slo
from linter.results import Status
from tests.checks import facts
from tests.helpers import make_context


def test_a_detector_the_table_does_not_give_is_an_error_not_a_run_over_nothing() -> None:
    ctx = make_context(rule="SEC001", facts={slo.detect: facts.slos()})
    with pytest.raises(AssertionError, match="no facts for linter.detectors.ci.detect"):
        sec001(ctx)


def test_no_tree_is_written_or_read() -> None:
    ctx = make_context(rule="SEC001", facts={ci.detect: facts.ci()})
    assert not ctx.workspace.root.exists()
    assert sec001(ctx).status is Status.FAIL


def test_given_facts_replace_the_detector_on_a_real_tree(make_repo) -> None:
    """On a tree whose workflow runs a scanner, the facts given (no CI) are what the check judges."""
    root = make_repo({".github/workflows/ci.yml": "on: pull_request\njobs:\n  a:\n    steps:\n      - run: pip-audit\n"})
    assert sec001(make_context(root, rule="SEC001")).status is Status.PASS
    finding = sec001(make_context(root, rule="SEC001", facts={ci.detect: facts.ci()}))
    assert finding.status is Status.FAIL and "no CI configuration found" in finding.message
