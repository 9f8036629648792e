"""Whether a shallow clone holds DEL002's window exactly: the newest commits, above its boundary.

A shallow clone cuts the history at boundary commits (``.git/shallow``): git shows them
without parents, so each would "add" its whole tree, and the walk stops there. DEL002 sizes
the newest ``window`` non-merge commits that touch the scanned folder. Its verdict is the
full clone's verdict when the shallow walk lists the same commits and sizes each of them
against its real parent. Both hold when:

(a) the window is full (``window`` commits listed) and none of them is parentless here (a
    boundary commit, or a root: roots are declined too, which costs nothing in practice);
(b) every parentless commit is older (committer date) than the window's oldest commit; and
(c) no commit dated before the window's oldest commit has a parent dated at or after it.

Why that suffices: ``git log`` pops the newest commit of its queue (committer date), and the
shallow and full walks are the same step for step until a boundary commit is popped, since
every other commit has its real parents here. Suppose a boundary commit ``B`` were popped
before the window's last commit ``W``. Everything still queued then is dated no later than
``B``, so before ``W`` by (b): ``W`` is not queued yet, and can only be reached later as an
ancestor of one of those commits (``B`` has no parents here). That path runs from a commit
dated before ``W`` to ``W`` itself, so somewhere on it a commit dated before the window has
a parent dated within it, which (c) rules out. So no boundary commit is popped before the
window is complete, and every window commit, not being a boundary (a), has its real parent:
the sizes are exact. Path limiting and history simplification only leave parents out of the
walk, which keeps the argument.

Everything comes from two read-only git commands: the window's listing (the same walk
DEL002 sizes) and ``git rev-list --timestamp --parents HEAD`` over the shallow clone's
commits, at most ``MAX_COMMITS`` of them (a clone deeper than that is not examined: it is
declined, and a full clone has no gap at all). No file of ``.git`` is read here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from linter.fast_dataclass import dataclass
from linter.repo.gitls import GitFailed

if TYPE_CHECKING:
    from linter.repo.git import GitRepository

#: Commits of a shallow clone examined for (b) and (c); a deeper clone is declined.
MAX_COMMITS = 200_000


@dataclass(frozen=True)
class ShallowWindow:
    """``exact``: the window lies strictly above the shallow boundary. ``above``: how many of
    the window's commits are listed before the first one that is parentless here (all of
    them when exact); ``why``: what is missing when not exact (a clause)."""

    exact: bool
    above: int
    why: str = ""


def judge(git: GitRepository, listing_args: tuple[str, ...], window: int) -> ShallowWindow:
    """Whether the ``window`` commits that ``git log listing_args`` lists (newest first, one
    ``\\x01sha\\x02subject`` line each: ``linter.repo.commit_sizes.window_args``) are exact in
    this shallow clone."""
    try:
        listed = _shas(git.git_pieces(*listing_args))
        graph = _graph(git.git_pieces("rev-list", "--timestamp", "--parents", f"--max-count={MAX_COMMITS + 1}",
                                      "HEAD"))
    except GitFailed:
        return ShallowWindow(False, 0, "git failed while listing the shallow history")
    if graph is None:
        return ShallowWindow(False, 0, f"the clone has more than {MAX_COMMITS} commits to examine")
    dates, parents = graph
    above = next((i for i, sha in enumerate(listed) if not parents.get(sha)), len(listed))
    if above < len(listed):
        return ShallowWindow(False, above, "the window reaches the shallow boundary")
    if len(listed) < window:
        return ShallowWindow(False, above, "the window reaches the shallow boundary")
    if any(sha not in dates for sha in listed):
        return ShallowWindow(False, above, "git listed a commit it does not walk from HEAD")
    oldest = min(dates[sha] for sha in listed)
    if any(dates[sha] >= oldest for sha, ps in parents.items() if not ps):
        return ShallowWindow(False, above, "a shallow boundary commit is dated within the window")
    if any(dates[sha] < oldest and any(dates.get(p, oldest) >= oldest for p in ps) for sha, ps in parents.items()):
        return ShallowWindow(False, above, "commit dates go backwards across the window's edge")
    return ShallowWindow(True, above)


def _shas(pieces: Iterable[str]) -> list[str]:
    out = []
    for piece in pieces:
        for line in piece.split("\n"):
            if line[:1] == "\x01":
                out.append(line[1:].partition("\x02")[0].strip())
    return out


def _graph(pieces: Iterable[str]) -> tuple[dict[str, int], dict[str, tuple[str, ...]]] | None:
    """``(committer time, parents)`` per commit of ``rev-list --timestamp --parents``, or
    ``None`` past ``MAX_COMMITS``."""
    dates: dict[str, int] = {}
    parents: dict[str, tuple[str, ...]] = {}
    for piece in pieces:
        for line in piece.split("\n"):
            fields = line.split()
            if len(fields) < 2 or not fields[0].isdigit():
                continue
            if len(dates) >= MAX_COMMITS:
                return None
            dates[fields[1]] = int(fields[0])
            parents[fields[1]] = tuple(fields[2:])
    return dates, parents
