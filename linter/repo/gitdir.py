"""Whether the ``.git`` a scanned folder holds sends git to read another repository.

A folder can arrive with its ``.git`` (an unpacked archive, a prepared CI workspace), and
that ``.git`` is repository content. Three of its shapes make git read a repository
elsewhere on the machine, whose file names, commit subjects and remote would then appear in
the report as this repository's:

* a ``.git`` *file* (``gitdir: ../../other/.git``) or a ``.git`` symlink to another folder;
* a ``commondir`` file in the git directory, which takes refs and objects from another one;
* ``objects/info/alternates`` naming object folders outside the scanned folder.

Git itself writes two of them: a linked worktree (``git worktree add``) and a submodule keep
their git directory in the main repository. Those point back: a worktree's git directory
holds a ``gitdir`` file naming this folder's ``.git``, a submodule's ``config`` has a
``core.worktree`` naming this folder. Content planted in the scanned folder cannot make a
folder elsewhere point back at it, so a git directory outside the folder is used only when
it does. Alternates have no such proof (``git clone --reference`` and ``--shared`` write
them): a folder whose objects live partly elsewhere is read without git, with a note.

Only ``root/.git`` is looked at: a scanned folder without one is inside a work tree the user
chose (a subfolder of their checkout), whose ``.git`` is not the scanned content.
Standard library only; reads at most a few small files, never through a symbolic link out of
the folder for anything but the pointer being vetted.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: Longest pointer file read (``gitdir: ...``, ``commondir``, alternates); git's own are one line.
MAX_POINTER_BYTES = 16 * 1024
_WORKTREE_KEY = re.compile(r"^\s*worktree\s*=\s*(.*?)\s*$", re.MULTILINE | re.IGNORECASE)


def _read_small(path: Path) -> str | None:
    """A small regular file's text, or ``None`` (missing, not a regular file, too large)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not (st.st_mode & 0o170000 == 0o100000) or st.st_size > MAX_POINTER_BYTES:
            return None
        return os.read(fd, MAX_POINTER_BYTES).decode("utf-8", "replace")
    except OSError:
        return None
    finally:
        os.close(fd)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _points_back(gitdir: Path, dot_git: Path, root: Path) -> bool:
    """Whether the git directory ``gitdir`` names this folder as its work tree: a linked
    worktree's ``gitdir`` file holds the path of ``root/.git``; a submodule's ``config`` sets
    ``core.worktree`` to ``root`` (relative to ``gitdir``)."""
    back = _read_small(gitdir / "gitdir")
    if back is not None and back.strip():
        target = Path(back.strip())
        if _real(target if target.is_absolute() else gitdir / target) == _real(dot_git):
            return True
    config = _read_small(gitdir / "config")
    if config is not None:
        for value in _WORKTREE_KEY.findall(config):
            value = value.strip().strip('"')
            if value and _real(gitdir / value) == root:
                return True
    return False


def outside_reason(root: Path) -> str | None:
    """Why git must not be used on ``root`` (its ``.git`` reads a repository outside it), as a
    note; ``None`` when ``root`` has no ``.git`` of its own or it stays inside."""
    root = _real(root)
    dot_git = root / ".git"
    if not os.path.lexists(dot_git):
        return None
    if dot_git.is_symlink() or dot_git.is_file():
        if dot_git.is_symlink():
            gitdir = _real(dot_git)
        else:
            text = _read_small(dot_git) or ""
            if not text.startswith("gitdir:"):
                return None  # git refuses it by itself
            target = Path(text[len("gitdir:"):].strip())
            gitdir = _real(target if target.is_absolute() else root / target)
        if not gitdir.is_dir():
            return None  # points nowhere: git refuses it by itself
        if not _inside(gitdir, root):
            if _points_back(gitdir, dot_git, root):
                return None  # a worktree or submodule git made: its main repository is the user's
            return "the .git here points to a git directory outside the scanned folder that is not its worktree"
    else:
        gitdir = dot_git
    common = _read_small(gitdir / "commondir")
    if common is not None and common.strip():
        target = Path(common.strip())
        if not _inside(_real(target if target.is_absolute() else gitdir / target), root):
            return "the .git here takes its refs and objects from outside the scanned folder (commondir)"
    alternates = _read_small(gitdir / "objects" / "info" / "alternates")
    for line in (alternates or "").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            target = Path(line)
            if not _inside(_real(target if target.is_absolute() else gitdir / "objects" / target), root):
                return "the .git here borrows objects from outside the scanned folder (objects/info/alternates)"
    return None
