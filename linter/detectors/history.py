"""Commit sizes as facts, for rules about small, frequent changes (DEL002).

The sizes come from ``Workspace.commit_sizes`` (``linter.repo.commit_sizes``: which files
count, and sizes kept between runs by commit id); this detector only says whether history is
available at all, and why not.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

from linter.fast_dataclass import dataclass
from linter.repo.commit_sizes import DEFAULT_WINDOW, LOCKFILES, MAX_COMMITS, CommitSize, commit_sizes
from linter.repo.gitls import GitFailed
from linter.repo.workspace import Workspace

__all__ = ["DEFAULT_WINDOW", "LOCKFILES", "MAX_COMMITS", "CommitSize", "HistoryFacts", "commit_sizes", "detect",
           "detector_for"]


@dataclass(frozen=True)
class HistoryFacts:
    available: bool
    reason: str  # why history is unavailable ("" when available)
    commits: tuple[CommitSize, ...]  # newest first
    shallow: bool = False
    unreadable: bool = False  # git failed while reading it (an error, not an empty history)


def detect(ws: Workspace) -> HistoryFacts:
    """The newest ``MAX_COMMITS`` commits (use ``detector_for(window)`` to read fewer)."""
    return _detect(ws, MAX_COMMITS)


@lru_cache(maxsize=8)
def detector_for(window: int) -> Callable[[Workspace], HistoryFacts]:
    """A detector reading only the newest ``window`` commits, cached per window so every
    rule asking for the same window shares one ``git log`` (numstat over long histories is
    the costliest git call practicelint makes)."""
    count = max(1, min(int(window), MAX_COMMITS))

    def detect_window(ws: Workspace) -> HistoryFacts:
        return _detect(ws, count)

    return detect_window


def _detect(ws: Workspace, max_commits: int) -> HistoryFacts:
    if not ws.git_dir_ok:
        return HistoryFacts(False, "not a git repository", ())
    if ws.head_commit is None:
        return HistoryFacts(False, "the git repository has no commits", ())
    try:
        commits = tuple(ws.commit_sizes(max_commits))
    except GitFailed:
        ws.note(".", "git history could not be read")
        return HistoryFacts(False, "git history could not be read", (), ws.is_shallow, unreadable=True)
    if not commits:
        return HistoryFacts(False, "no non-merge commit changes a file in this folder", (), ws.is_shallow)
    return HistoryFacts(True, "", commits, ws.is_shallow)


