"""Nx commands run the targets their CLI names: ``-t``/``--targets`` take an array, written with
spaces or commas (``nx affected -t lint,test,build``), ``nx run proj:target[:configuration]``,
the default command ``nx <target> <project>``, and the legacy ``nx affected:<target>``. A test
or end-to-end target among them is a test run; project lists and other options are not targets."""

from __future__ import annotations

import pytest

from linter.detectors.ci.judge import classify_step
from linter.detectors.ci.model import Step
from linter.detectors.ci.tables import TESTS
from linter.detectors.ci.tables.tests import _MAX_NX_TARGETS, _nx_targets


def tools(script: str) -> list[str]:
    return [hit.tool for hit in classify_step(Step("ci.yml", 10, "run", script), TESTS)]


@pytest.mark.parametrize("script", [
    "nx affected -t lint,test,build",
    "yarn nx affected --base=$NX_BASE --head=$NX_HEAD -t lint,test,build,typecheck,e2e-ci --parallel 4",
    "npx nx run-many -t lint test build",
    "nx run-many --targets=lint,test",
    "nx run-many --parallel -t test",
    "nx affected --target test",
    "nx test cart",
    "nx run cart:test",
    "nx run cart:test:ci",
    "nx cart:test",
    "nx affected:test",
    "nx affected -t e2e-ci",
    "pnpm exec nx run-many -t test:unit",
])
def test_nx_commands_that_run_a_test_target(script: str) -> None:
    assert tools(script) == ["nx test"]


@pytest.mark.parametrize("script", [
    "nx affected -t lint,build,typecheck",
    "nx run-many -t build --exclude test",
    "nx run-many -t build -p test",
    "nx run-many --projects test -t build",
    "nx run test:build",
    "nx build test",
    "nx graph --file=test.html",
    "nx format:check",
    "nx affected:build",
    "nx show project test",
    "nx run-many -t latest",
])
def test_nx_commands_that_run_no_test_target(script: str) -> None:
    assert tools(script) == []


def test_target_lists_are_bounded_and_odd_words_do_not_break_the_reader() -> None:
    many = ",".join(f"t{i}" for i in range(500)) + ",test"
    assert len(_nx_targets(("nx", "run-many", "-t", many))) == _MAX_NX_TARGETS
    assert _nx_targets(("nx", "run-many", "-t")) == []
    assert _nx_targets(("nx", "run-many", "--targets=")) == []
    assert _nx_targets(("nx", "run", "cart")) == []
    assert _nx_targets(("nx", "run", ":")) == []
    assert _nx_targets(("nx",)) == []
