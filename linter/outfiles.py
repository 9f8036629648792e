"""Files the commands write (reports, baselines), never through what a scanned repository planted.

Reports and baselines are often written into the scanned folder itself: the GitHub Action
writes ``practicelint.sarif`` and ``practicelint.html`` into the workspace, which is the pull
request's checkout, and ``baseline create`` writes ``PATH/.practicelint-baseline.json``. A
contributor can commit a symbolic link under such a name (to the runner's ``~/.bashrc``, to
``.git/config``), or a folder link above it, or leave a FIFO there: written the plain way, the
report would overwrite the link's target outside the repository, or block forever.

So a path lexically inside the scanned folder is written by creating a new file next to it and
renaming it over the old name (a link or FIFO there is replaced, never followed), and every
folder between the scanned folder and the file must be a real folder (a linked one is refused:
``OSError`` naming it). A path outside the scanned folder is the user's own choice and is
written as given, links included (``-o /dev/stdout`` keeps working).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` names something in ``folder``, by the names alone (``..`` folded)."""
    target, root = os.path.abspath(path), os.path.abspath(folder)
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def write_text(path: Path, text: str, scanned: Path | None) -> None:
    """Write ``text`` (UTF-8) to ``path``; inside ``scanned`` without following anything the
    folder holds (see the module docstring). ``OSError`` when it cannot be written."""
    if scanned is None or not inside(path, scanned):
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    root, target = Path(os.path.abspath(scanned)), Path(os.path.abspath(path))
    current = root
    for part in target.relative_to(root).parts[:-1]:
        current = current / part
        if current.is_symlink():
            raise OSError(errno.ELOOP, f"{current.relative_to(root).as_posix()} is a symbolic link in the scanned "
                                       "folder; not writing through it")
        if not current.exists():
            current.mkdir()
    # a new name no one could have planted (``tempfile`` is not imported for this: start-up time)
    staging = target.with_name(f".{target.name}.{os.urandom(6).hex()}.tmp")
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(staging, target)
    except BaseException:
        os.unlink(staging)
        raise
