"""Shared fixtures; plain helpers live in ``tests/helpers.py``."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from linter.results import Finding, passed
from tests.helpers import write_tree


@pytest.fixture(autouse=True, scope="session")
def _hermetic_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Command-line runs the tests start keep what they learn (``linter.runtime.cachedir``) in
    a session folder, never in the user's cache."""
    import os

    os.environ.setdefault("PRACTICELINT_CACHE_DIR", str(tmp_path_factory.mktemp("practicelint-cache")))


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """``make_repo({...})`` writes a tree in a fresh temporary folder (no git)."""
    counter = iter(range(1000))

    def _make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / f"repo{next(counter)}"
        root.mkdir()
        return write_tree(root, files)

    return _make


@pytest.fixture
def make_git_repo(make_repo: Callable[[dict[str, str | bytes]], Path]) -> Callable[[dict[str, str | bytes]], Path]:
    """``make_git_repo({...})``: ``make_repo``, then ``git init`` with nothing committed. Its
    history is whole and empty; a folder outside git has none (history rules skip it)."""
    from tests.helpers import git

    def _make(files: dict[str, str | bytes]) -> Path:
        root = make_repo(files)
        git(root, "init", "-q", "-b", "main")
        return root

    return _make


@pytest.fixture
def fake_checks(monkeypatch: pytest.MonkeyPatch) -> dict[str, Finding]:
    """Replace every check with a canned finding so CLI behaviour is tested in isolation."""
    import linter.engine as engine
    from linter.catalog import load_catalog

    verdicts: dict[str, Finding] = {rule_id: passed("fine") for rule_id in load_catalog().rules}
    monkeypatch.setattr(engine, "load_check", lambda rid, values: ((lambda ctx: verdicts[rid]), values))
    return verdicts
