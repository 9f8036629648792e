"""Whether the git history of a checkout can be trusted, and if not, why and how to get it.

CI checks out one commit by default (``actions/checkout`` fetches depth 1, GitLab sets
``GIT_DEPTH``), so rules that read history (DEL002's commit sizes, PROD001/PROD002's service
ages) would measure a history that is not there: the oldest fetched commit looks like the
root and "adds" every file, so every service looks new and one commit looks enormous. Those
rules must not judge then; they report ``skipped`` with what is missing, why, and the setting
that fetches it. This module finds the gap once per run:

* not a git work tree (or git missing, or a ``.git`` that git refuses to read, such as a
  checkout owned by another user in a CI container, or one that would read a repository
  outside the scanned folder: ``linter.repo.gitdir``);
* a shallow clone (``git rev-parse --is-shallow-repository``);
* a grafted history: entries in the deprecated ``info/grafts`` file, or ``git replace``
  replacements that give a commit fewer parents than it has (``git replace --graft``).
  Replacements that *add* history (joining an old project history on) are not a gap.

A repository without a commit yet has no gap: its history is complete, and empty.
Nothing read here comes from the work tree; the grafts file is read only when it is a
regular file (never through a symbolic link), and only for whether it holds an entry.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from linter.fast_dataclass import dataclass

if TYPE_CHECKING:
    from linter.repo.git import GitRepository

#: How to fetch the whole history, in each place practicelint usually runs.
FETCH_HISTORY = ("fetch the whole history: `fetch-depth: 0` on actions/checkout, `GIT_DEPTH: 0` in the "
                 "GitLab CI job's variables, or `git fetch --unshallow` in a local clone")
#: Replace refs looked at; a repository with more is judged on these (they are listed sorted).
MAX_REPLACEMENTS = 200
#: Bytes of a grafts file read to find an entry.
MAX_GRAFTS_BYTES = 64 * 1024
_GRAFT_ENTRY = re.compile(rb"^[0-9a-fA-F]{40,64}\b", re.MULTILINE)
_SHA = re.compile(r"[0-9a-f]{40,64}")


@dataclass(frozen=True)
class HistoryGap:
    """Why the history is unavailable: ``kind`` is ``no-git``, ``git-unreadable``, ``git-outside``,
    ``shallow`` or ``grafted``; ``commits`` the commits reachable from ``HEAD`` (``None`` outside git)."""

    kind: str
    commits: int | None = None

    def reason(self) -> str:
        """Why, as a clause: ``this is a shallow clone with 1 commit of history``."""
        count = "" if self.commits is None else f" with {self.commits} commit{'' if self.commits == 1 else 's'} of history"
        if self.kind == "shallow":
            return f"this is a shallow clone{count}"
        if self.kind == "grafted":
            return (f"the history is grafted{count} (entries in .git/info/grafts, or `git replace --graft` "
                    "replacements that cut commits off their parents)")
        if self.kind == "no-git-installed":
            return "git is not installed where practicelint runs"
        if self.kind == "git-outside":
            return ("the .git here would make git read a repository outside the scanned folder (a gitdir "
                    "file, commondir or alternates), so it is not used")
        if self.kind == "git-unreadable":
            return ("there is a .git here that git refuses to read (for example a checkout owned by another "
                    "user, which git reads only once its path is listed in `safe.directory`)")
        return "the folder is not inside a git work tree"

    def remedy(self) -> str:
        """How to get the history, as a sentence."""
        if self.kind == "grafted":
            return ("Check a full clone, or remove the grafts (`git replace -d <commit>`, or delete "
                    ".git/info/grafts).")
        if self.kind == "no-git-installed":
            return "Install git and run practicelint in a full clone of the repository."
        if self.kind == "git-unreadable":
            return ("Let git read the checkout (`git config --global --add safe.directory` with its path), "
                    "with its whole history.")
        if self.kind == "shallow":
            return FETCH_HISTORY[0].upper() + FETCH_HISTORY[1:] + "."
        return ("Run practicelint in a git clone of the repository with its whole history (in CI: "
                + FETCH_HISTORY.removeprefix("fetch the whole history: ") + ").")


def deepen_remedy(window: int) -> str:
    """How to fetch enough history for the newest ``window`` commits of a shallow clone."""
    return (FETCH_HISTORY[0].upper() + FETCH_HISTORY[1:] + f"; or at least more than {window} commits of it "
            f"(a `fetch-depth` or `GIT_DEPTH` above {window}, or `git fetch --deepen=<n>`; more when merges or "
            "commits outside this folder are among the newest); or lower the rule's `window`.")


def grafted(git: GitRepository) -> bool:
    """Whether grafts or parent-cutting replacements rewrite the history (besides any shallow
    boundary): ``find`` reports a shallow clone first, so a caller that accepts some shallow
    clones asks this too."""
    return _grafts_file_has_entries(git) or _replacements_cut_history(git)


def find(git: GitRepository) -> HistoryGap | None:
    """The gap in ``git``'s history, or ``None`` when the history is whole (or empty)."""
    if not git.git_dir_ok:
        if shutil.which("git") is None:
            return HistoryGap("no-git-installed")
        if git.outside_reason is not None:
            return HistoryGap("git-outside")
        return HistoryGap("git-unreadable" if _has_dot_git(git.root) else "no-git")
    if git.head_commit is None:
        return None
    if git.is_shallow:
        return HistoryGap("shallow", _count(git))
    if grafted(git):
        return HistoryGap("grafted", _count(git))
    return None


def _has_dot_git(root: Path) -> bool:
    """A ``.git`` in ``root`` or a folder above it (git found no work tree all the same)."""
    current = root
    for _ in range(64):
        if os.path.lexists(current / ".git"):
            return True
        if current.parent == current:
            return False
        current = current.parent
    return False


def _count(git: GitRepository) -> int | None:
    out = git.output("rev-list", "--count", "HEAD")
    text = (out or "").strip()
    return int(text) if text.isdigit() else None


def _grafts_file_has_entries(git: GitRepository) -> bool:
    """Whether ``info/grafts`` (where git looks for it) holds an entry: git rewrites the
    parents of every commit it names. Read only as a regular file, and only its start."""
    out = git.output("rev-parse", "--git-path", "info/grafts")
    if not out or not out.strip():
        return False
    path = Path(out.strip())
    path = path if path.is_absolute() else git.root / path
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return False
            data = handle.read(MAX_GRAFTS_BYTES)
    except OSError:
        return False
    return bool(_GRAFT_ENTRY.search(data))


def _replacements_cut_history(git: GitRepository) -> bool:
    """Whether a ``git replace`` replacement gives a commit fewer parents than it has: the
    history behind it is then hidden (``git replace --graft <commit>`` with no parents)."""
    out = git.output("for-each-ref", f"--count={MAX_REPLACEMENTS}",
                     "--format=%(refname:lstrip=2) %(objectname) %(objecttype)", "refs/replace/")
    pairs = []
    for line in (out or "").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "commit" and _SHA.fullmatch(parts[0]) and _SHA.fullmatch(parts[1]):
            pairs.append((parts[0], parts[1]))
    if not pairs:
        return False
    shas = sorted({sha for pair in pairs for sha in pair})
    listing = git.output("--no-replace-objects", "log", "--no-walk=unsorted", "--format=%H %P", *shas)
    if listing is None:
        return True  # replacements git cannot even list: do not trust the history
    parents = {}
    for line in listing.splitlines():
        fields = line.split()
        if fields:
            parents[fields[0]] = len(fields) - 1
    return any(parents.get(replacement, 0) < parents.get(original, 0) for original, replacement in pairs)
