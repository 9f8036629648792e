"""Shared fixtures and the test tiers; plain helpers live in ``tests/helpers.py``.

Tiers: everything runs in ``python3 dev.py test`` and ``.ci/run``; ``python3 dev.py test
--fast`` leaves out the tiers below (``-m "not (hostile or fuzz or packaging or browser or
slow)"``). Tests are marked here, by path (``TIERS``: a folder, a file, or one test of a file),
so the whole division is on one page; a test may also carry a marker itself. The markers are
registered in ``pyproject.toml`` (``--strict-markers`` refuses any other).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from linter.results import Finding, passed
from tests.helpers import write_tree


TESTS = Path(__file__).resolve().parent

#: Slow tiers by path under ``tests/``: a folder (ending with ``/``), a file, or one test
#: (``file::name``, every parametrisation of it). Everything else is the everyday tier.
TIERS: dict[str, str] = {
    # scanned repositories are hostile: command-line runs on planted trees, under limits
    "hostile/": "hostile",
    "test_hostile.py": "hostile",
    # hypothesis over every parser, detector and report format
    "fuzz/": "fuzz",
    # builds a wheel and installs it in a fresh virtual environment
    "test_packaging.py": "packaging",
    # a real headless Chromium (mandatory in CI: PRACTICELINT_REQUIRE_BROWSER=1)
    "reporters/test_html_browser.py": "browser",
    "audit/test_dashboard_browser.py": "browser",
    # org audits end to end: git servers, clones, worker processes, the CI recipes' scripts
    "audit/test_audit.py": "slow",
    "audit/test_ci_recipes.py": "slow",
    "audit/test_clone_cost.py": "slow",
    "audit/test_credentials.py": "slow",
    "audit/test_history.py": "slow",
    "audit/test_hosts.py": "slow",
    "audit/test_identity_owners.py": "slow",
    "audit/test_shards_retry.py": "slow",
    # a scaffolded rule in a copy of the checkout, through pytest in a subprocess
    "checks/test_new_rule.py::test_the_scaffolded_rule_loads_through_the_registry_and_its_test_fails_until_written":
        "slow",
    # scale tests that take seconds each
    "audit/test_dashboard.py::test_markdown_summary_fits_githubs_step_summary_at_50000_repositories": "slow",
    "detectors/test_codeowners.py::test_rules_no_index_can_narrow_are_tried_in_chunks": "slow",
    "detectors/test_codeowners.py::test_twenty_thousand_rules_over_five_thousand_files_take_seconds": "slow",
}


def tier_of(test: str) -> str | None:
    """The tier of ``test`` (``file`` or ``file::name[params]``, relative to ``tests/``), or
    ``None``: the everyday tier."""
    file, _, name = test.partition("::")
    for path, tier in TIERS.items():
        if path.endswith("/"):
            if file.startswith(path):
                return tier
        elif "::" in path:
            if path == f"{file}::{name.split('[', 1)[0]}":
                return tier
        elif file == path:
            return tier
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        try:
            file = item.path.resolve().relative_to(TESTS).as_posix()
        except ValueError:  # a test outside tests/ (a temporary copy's): no tier
            continue
        tier = tier_of(f"{file}::{item.name}")
        if tier is not None:
            item.add_marker(getattr(pytest.mark, tier))


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
def fake_checks(monkeypatch: pytest.MonkeyPatch) -> dict[str, Finding | Callable[..., Finding]]:
    """Replace every check with a canned finding so CLI behaviour is tested in isolation: every
    rule judges the (empty) target whatever its kind (kinds are tested in tests/kinds/).

    The fakes come in the way every run gets its rules, as data: the installed plugins
    (``linter.plugins.load_cached``) give the catalog, here the packaged one with each rule
    judging every kind, and a check per rule id, here one answering ``verdicts[rule_id]`` (a
    callable value is called with the check's context, so a test can make one raise)."""
    import dataclasses

    from linter import plugins
    from linter.catalog import Catalog, load_catalog
    from linter.catalog.model import ALL_KINDS

    catalog = load_catalog()
    verdicts: dict[str, Finding | Callable[..., Finding]] = {rule_id: passed("fine") for rule_id in catalog.rules}

    def canned(rule_id: str) -> Callable[..., Finding]:
        def check(ctx: object) -> Finding:
            verdict = verdicts[rule_id]
            return verdict(ctx) if callable(verdict) else verdict
        return check

    every_kind = Catalog(catalog.practices,
                         {rid: dataclasses.replace(spec, applies_to=ALL_KINDS) for rid, spec in catalog.rules.items()})
    loaded = plugins.LoadedPlugins(every_kind, {rid: canned(rid) for rid in catalog.rules}, [], [plugins.BUILTIN])
    monkeypatch.setattr(plugins, "load_cached", lambda: loaded)
    return verdicts
