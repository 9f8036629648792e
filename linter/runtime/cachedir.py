"""The folder where command-line runs keep what they learned, and the rules for trusting it.

What is kept there is plain data: commit sizes and service ages by repository
(``linter.runtime.historycache``) and which files each detector turned down, with parsed YAML
(``linter.runtime.verdicts``). Nothing executable is ever kept or loaded (no compiled code, no
patched library internals): a cache can make a run slower or faster, never different.

Where: ``$PRACTICELINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/practicelint``, else
``~/.cache/practicelint``; ``PRACTICELINT_NO_CACHE=1`` turns it off. Only command-line runs
use it (``activate``); a library caller keeps nothing.

Trust, as pip and ccache do it, because a cache could be planted by whoever can write there:

* the folder must not lie inside any work tree the command scans (a CI job whose ``HOME`` is
  its checkout, a committed ``.cache/``): the work tree is the scanned folder's nearest
  ancestor holding ``.git``, so scanning ``repo/sub`` also refuses a cache in ``repo/.cache``;
* the folder must be a directory owned by the user running the command and writable by no one
  else (created with mode 0700 when missing);
* each file read back must be a regular file owned by that user and of bounded size.

When any rule fails, the run simply keeps nothing.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

#: A kept file larger than this is not read (the largest, a repository's prefilter verdicts, stays under 16 MB).
MAX_FILE_BYTES = 16 * 1024 * 1024

_active: Path | None = None


def configured() -> Path | None:
    """The folder the environment names, or ``None`` when caching is turned off."""
    if os.environ.get("PRACTICELINT_NO_CACHE"):
        return None
    explicit = os.environ.get("PRACTICELINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "practicelint"


def activate(scanned: Iterable[str | os.PathLike[str]]) -> Path | None:
    """Use the configured folder for this process when it is safe for a run that scans
    ``scanned`` (see the module docstring); the folder, or ``None`` when nothing is kept."""
    global _active
    folder = configured()
    if folder is None or inside_any(folder, [work_tree_of(place) for place in scanned]):
        _active = None
        return None
    _active = folder if _usable(folder) else None
    return _active


def deactivate() -> None:
    global _active
    _active = None


@contextmanager
def kept_in(folder: Path | None) -> Iterator[Path | None]:
    """``folder`` as this process's folder inside the block (``None``: nothing kept, as for a
    library caller), then the one before again. For a caller that has chosen its folder
    itself (the tests), so it need not set this module's state by hand."""
    global _active
    previous, _active = _active, folder
    try:
        yield folder
    finally:
        _active = previous


def active() -> Path | None:
    """The folder this process keeps things in, or ``None`` (not a command-line run, turned
    off, or refused)."""
    return _active


def work_tree_of(place: str | os.PathLike[str]) -> str:
    """The work tree ``place`` belongs to: its nearest ancestor (itself included) that holds a
    ``.git`` entry, else ``place`` itself (symlinks resolved)."""
    real = os.path.realpath(place)
    current = real
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return real
        current = parent


def inside_any(folder: str | os.PathLike[str], places: Iterable[str]) -> bool:
    """True when ``folder`` is one of ``places`` or below one (symlinks resolved)."""
    real = os.path.realpath(folder)
    for place in places:
        try:
            base = os.path.realpath(place)
            if os.path.commonpath([real, base]) == base:
                return True
        except (OSError, ValueError):
            continue
    return False


def _usable(folder: Path) -> bool:
    """The folder exists (created private if missing), is a directory, is ours, and no one else
    may write to it."""
    try:
        if not folder.exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            folder.mkdir(mode=0o700, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _ours(info)


def _ours(info: os.stat_result) -> bool:
    uid = getattr(os, "geteuid", lambda: None)()
    return (uid is None or info.st_uid == uid) and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_file(path: str | os.PathLike[str]) -> bytes:
    """A kept file's bytes: a regular file (a FIFO in its place cannot hang the run), owned by
    this user, not writable by others, at most ``MAX_FILE_BYTES``; ``OSError`` otherwise."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _ours(info) or info.st_size > MAX_FILE_BYTES:
            raise OSError("not a cache file this user wrote")
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise OSError("cache file too large")
        return b"".join(chunks)
    finally:
        os.close(fd)


def write_file(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (a temporary file, then a rename), readable by
    this user only; errors are ignored, since a cache only ever saves time."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except (OSError, ValueError, TypeError):
        pass
