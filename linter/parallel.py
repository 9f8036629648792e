"""Two processes for one run: a share of the checks in a forked child (``check --jobs``).

Why: after the file index and the service scopes are known, the checks fall into two
families that share little detector work (see ``CHILD_RULES``). Python runs one thread at
a time, so on a machine with two cores one family runs in a forked child while the parent
does the other, and each process imports and parses only what its rules need.

Guarantees:

* the same findings, in the same order, as a serial run: each check is a function of the
  repository and the scope, and the parent assembles the findings by task index;
* notes the child records (a file it could not read) reach the report;
* any failure of the child (no ``fork``, a crash, a broken message) makes the parent run
  the child's share itself, so the result never depends on the machine;
* the child never touches git processes the parent started early (``gitls.forget``), and
  leaves with ``os._exit``, so it runs none of the parent's exit handlers.

Only Linux forks: elsewhere (and with ``--jobs 1``) every check runs in the one process.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import Callable

from linter.repo import gitls
from linter.repo.workspace import Note, Workspace
from linter.results import Finding

#: Rules the child runs: everything that reads Markdown (docs, runbooks, threat models, game
#: days, data classification, PR/FAQs, security policies), so only the child imports and runs
#: markdown-it, plus dashboards, package ecosystems and CODEOWNERS to balance the two
#: processes (measured at 200 to 200,000 files). The parent keeps CI, SLOs, infrastructure,
#: teams and commit sizes, whose ``git log`` it already started.
CHILD_RULES = frozenset({
    "DOC001", "DOC002", "OPS001", "PROD001", "PROD002", "PROD003", "PROD004", "REL001", "REL002", "SEC006",
    "SEC007", "SEC008",
})


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def auto_jobs() -> int:
    """The default of ``--jobs``: two processes when there are two cores to run them."""
    return 2 if can_fork() and (os.cpu_count() or 1) >= 2 else 1


def findings(count: int, compute: Callable[[int], Finding], offload: Callable[[int], bool],
             ws: Workspace, jobs: int, prepare: Callable[[], None] = lambda: None) -> list[Finding]:
    """``compute(i)`` for ``i`` in ``range(count)``; with ``jobs >= 2``, the tasks ``offload``
    picks run in a forked child. ``prepare()`` runs first in whichever process runs those
    tasks (to start a git read they need). Returns the findings in task order."""
    child_tasks = [i for i in range(count) if offload(i)] if jobs >= 2 and can_fork() else []
    if not child_tasks or len(child_tasks) == count:
        prepare()
        return [compute(i) for i in range(count)]
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        prepare()
        return [compute(i) for i in range(count)]
    if pid == 0:  # the child: its share, pickled to the parent, then leave without cleanup
        _child(read_fd, write_fd, child_tasks, compute, ws, prepare)
    os.close(write_fd)
    offloaded = set(child_tasks)
    mine = {i: compute(i) for i in range(count) if i not in offloaded}
    theirs = _collect(read_fd, pid, ws)
    if theirs is None or set(theirs) != offloaded:
        prepare()
        theirs = {i: compute(i) for i in child_tasks}  # the child failed: same answers, serially
    return [mine[i] if i in mine else theirs[i] for i in range(count)]


def _child(read_fd: int, write_fd: int, tasks: list[int], compute: Callable[[int], Finding],
           ws: Workspace, prepare: Callable[[], None]) -> None:
    code = 1
    try:
        os.close(read_fd)
        gitls.forget()
        prepare()
        out = {i: child_compute(compute, i) for i in tasks}
        payload = pickle.dumps((out, ws.notes), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
        code = 0
        from linter import recache

        recache.save()  # the child's new patterns (os._exit skips exit handlers)
    except BaseException:  # noqa: BLE001 - the parent notices the exit code and takes over
        pass
    finally:
        os._exit(code)


def child_compute(compute: Callable[[int], Finding], index: int) -> Finding:
    """One task in the child (a seam for tests that make the child fail)."""
    return compute(index)


def _collect(read_fd: int, pid: int, ws: Workspace) -> dict[int, Finding] | None:
    """The child's findings, its notes merged into ``ws``; ``None`` when it failed."""
    chunks = []
    with os.fdopen(read_fd, "rb") as pipe:
        while chunk := pipe.read(1 << 16):
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:  # our own child's bytes, never repository content
        out, notes = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - a truncated message means the child failed
        return None
    if not isinstance(out, dict) or not all(isinstance(f, Finding) for f in out.values()):
        return None
    for note in notes:
        if isinstance(note, Note):
            ws.note(note.path, note.reason)
    return out
