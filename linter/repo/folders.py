"""Which folders hold documentation, tests and samples rather than the repository's own
configuration: a manifest under ``docs/`` illustrates a page, one under ``test/`` sets up a
test cluster, and neither is how this repository's software is deployed.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from linter.repo import path_search

#: Folders of documentation and tests: a manifest there illustrates a page or sets up a test
#: cluster; it is not how this repository's software is deployed.
DOCUMENTATION_DIRS = frozenset({"docs", "doc", "documentation"})

TEST_DIRS = frozenset({"test", "tests", "e2e"})

#: ... except an environment called "test": ``envs/test/main.tf`` or ``overlays/test/`` is real
#: infrastructure that costs money and needs the same tags and policies as production.
ENVIRONMENT_PARENTS = frozenset({"env", "envs", "environment", "environments", "overlays", "live", "stages",
                                 "clusters", "accounts", "deploy", "deployments", "infra", "terraform"})

NOT_DEPLOYED_DIRS = DOCUMENTATION_DIRS | TEST_DIRS



def outside_docs_and_tests(paths: Iterable[str]) -> list[str]:
    """``paths`` without files under a documentation or test folder (``docs/``, ``doc/``,
    ``documentation/``, ``test/``, ``tests/``, ``e2e/`` at any depth, but not an environment
    named ``test`` under ``envs/``, ``overlays/``, ``live/``...). Infrastructure and
    deployment readers use it: an Argo CD Application in ``docs/operator-manual/`` or
    ``test/manifests/`` is an example or a fixture, not this repository's deployment, and
    crediting (or blaming) the repository for it would be wrong. (``examples/``,
    ``testdata/`` and the like are left out of every reader already: ``skip-sample-dirs``.)"""
    paths = list(paths)
    named = _with_folder_named(paths, NOT_DEPLOYED_DIRS)
    if named is None:
        return _kept_by_folder(paths, _DEPLOYED_FOLDERS, _deployed_folder)
    # only paths with such a folder need the full test (a test folder under an environment)
    return [p for i, p in enumerate(paths) if i not in named or _deployed_folder(p.rpartition("/")[0])]


def outside_documentation(paths: Iterable[str]) -> list[str]:
    """``paths`` without files under a ``docs/``, ``doc/`` or ``documentation/`` folder (at any
    depth): examples that illustrate a page, not the repository's own practice."""
    paths = list(paths)
    named = _with_folder_named(paths, DOCUMENTATION_DIRS)
    if named is None:
        return _kept_by_folder(paths, _DOCUMENTATION_FOLDERS,
                               lambda folder: DOCUMENTATION_DIRS.isdisjoint(folder.lower().split("/") if folder else ()))
    return [p for i, p in enumerate(paths) if i not in named]


def _with_folder_named(paths: list[str], names: frozenset[str]) -> set[int] | None:
    """Indexes of ``paths`` with a folder (any segment but the last) named like one of the
    lower-case ``names``, ignoring case; ``None`` for paths that are not all ASCII.

    One regular-expression pass over the joined, lower-cased paths: a 200,000-file monorepo
    has as many folders as YAML files, so judging each folder in Python is slow.
    """
    regex = _FOLDER_NAMED.get(names)
    if regex is None:
        regex = _FOLDER_NAMED[names] = path_search.folder_named(names)
    return path_search.matching_indexes(paths, regex)


_FOLDER_NAMED: dict[frozenset[str], re.Pattern[str]] = {}


def _kept_by_folder(paths: Iterable[str], known: dict[str, bool], keep: Callable[[str], bool]) -> list[str]:
    """``paths`` whose folder ``keep`` accepts, each folder judged once (``known`` remembers the
    answers across calls). For paths whose lower-cased form changes length (rare scripts)."""
    kept = []
    for path in paths:
        folder = path.rpartition("/")[0]
        verdict = known.get(folder)
        if verdict is None:
            if len(known) >= 100_000:
                known.clear()
            verdict = known[folder] = keep(folder)
        if verdict:
            kept.append(path)
    return kept


_DOCUMENTATION_FOLDERS: dict[str, bool] = {}


_DEPLOYED_FOLDERS: dict[str, bool] = {}


def _deployed_folder(folder: str) -> bool:
    folders = folder.lower().split("/") if folder else []
    return NOT_DEPLOYED_DIRS.isdisjoint(folders) or not any(
        part in DOCUMENTATION_DIRS or (part in TEST_DIRS and (i == 0 or folders[i - 1] not in ENVIRONMENT_PARENTS))
        for i, part in enumerate(folders))


def in_dir(rel: str, directory: str) -> bool:
    """True when ``rel`` lies inside ``directory`` (``.`` contains everything)."""
    return directory == "." or rel == directory or rel.startswith(directory + "/")

