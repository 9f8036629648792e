"""Facts from git history that a commit fixes forever, kept between runs.

Why: two rules read history, and on big repositories git spends more CPU on them than
practicelint spends on everything else:

* DEL002 sums ``git log --numstat`` over the newest 200 commits. Git inflates every blob those
  commits touched to count lines, a large cost when commits add hundreds of files each.
  But a commit's size is a function of the commit alone (its tree against its parent's), so
  each is computed once and kept by commit id. The next run lists the window's commit ids
  (a cheap walk, no blob is read) and asks git for the sizes of new commits only: on a CI
  push that is a handful.
* PROD001/PROD002 date service folders by the first commit that added a file under each,
  which walks the whole history (``--diff-filter=A``): most of a run's git CPU on repositories
  with tens of thousands of commits. The answer depends only on ``HEAD``, so it is kept for the
  ``HEAD`` it was computed at, and reused while ``HEAD`` does not move (a pre-commit hook
  or an editor running the check again and again).

Exactness: a cached value is the value git would give again, with one caveat, documented in
docs/configuration.md: a commit's numstat reads ``.gitattributes`` (a file marked ``binary`` counts as a
binary change), and the cache key holds the text of every indexed ``.gitattributes``, but
not the user's own attribute files (``core.attributesFile``, ``.git/info/attributes``).
Change those and empty the cache (or run with ``PRACTICELINT_NO_CACHE=1``).

Nothing is kept for a shallow clone (``Workspace.keeps_history``): its oldest commits look
parentless, and deepening it changes their sizes and the service ages without moving ``HEAD``.
Replacement refs (``git replace``) that change later are not noticed either.

Where and when: only when the command line set up practicelint's cache folder
(``linter.runtime.cachedir``: never inside a scanned work tree, ours alone), one small file
per repository and kind (the folder's real path is inside and checked). A file that is
corrupt, too large, not a regular file or for another repository is ignored and rewritten.
Each file is written by one process only (sizes by the process running DEL002, ages by the
one running PROD001), to a temporary name and renamed.
"""

from __future__ import annotations

import marshal
import os
import zlib
from pathlib import Path
from typing import Any

from linter.runtime import cachedir

VERSION = 1
#: Commit sizes kept per repository (twice the largest window a rule may ask for).
MAX_SIZES = 2_000
#: Folders whose first-addition time is kept (the service folders of one run).
MAX_FOLDERS = 20_000

SIZES = "sizes"
AGES = "ages"


def active() -> bool:
    """Whether history is kept in this run (the command line set the cache folder up)."""
    return cachedir.active() is not None


def cache_file(root: str | os.PathLike[str], kind: str) -> Path | None:
    """Where ``kind`` facts of the repository at ``root`` are kept, or ``None`` when caching is
    off for this run (``active``)."""
    folder = cachedir.active()
    if folder is None:
        return None
    real = os.path.realpath(root)
    digest = f"{zlib.crc32(real.encode('utf-8', 'surrogateescape')):08x}{len(real):04x}"
    return folder / "history" / f"{kind}-{digest}.marshal"


def exists(root: str | os.PathLike[str], kind: str) -> bool:
    """Whether facts of ``kind`` were kept for ``root`` (the CLI decides what to prefetch)."""
    path = cache_file(root, kind)
    return path is not None and os.path.isfile(path)


def load(root: str | os.PathLike[str], kind: str, key: tuple[Any, ...]) -> dict[str, Any]:
    """The kept entries for ``root``, ``kind`` and ``key`` (everything the facts depend on
    besides the commit ids); ``{}`` when there are none, or they were kept for another key."""
    path = cache_file(root, kind)
    if path is None:
        return {}
    try:
        data = marshal.loads(cachedir.read_file(path))
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if (not isinstance(data, tuple) or len(data) != 4 or data[0] != VERSION
            or data[1] != os.path.realpath(root) or data[2] != key or not isinstance(data[3], dict)):
        return {}
    return data[3]


def store(root: str | os.PathLike[str], kind: str, key: tuple[Any, ...], entries: dict[str, Any]) -> None:
    """Keep ``entries`` for ``root``, ``kind`` and ``key`` (replacing what was kept); errors are
    ignored: the cache only ever saves time."""
    path = cache_file(root, kind)
    if path is None:
        return
    try:
        payload = marshal.dumps((VERSION, os.path.realpath(root), key, entries))
    except (ValueError, TypeError):
        return
    cachedir.write_file(path, payload)
