"""Start the file listing early: ``git ls-files`` runs while Python imports the checks.

Listing a repository costs two git commands: the index (``--cached``, fast even at 200,000
files) and untracked-but-not-ignored files (``--others``), which must read every directory
of the work tree and dominates on huge trees (many times the cost of listing the index). The CLI calls :func:`prefetch` before it imports the engine,
so on a normal repository both listings finish on the second core while the first is
importing; :class:`linter.repo.workspace.Workspace` then :func:`take` s them.

This module imports nothing heavy: it runs before everything else.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import threading
from typing import IO, Iterable, Iterator

GIT_TIMEOUT_SECONDS = 60
#: ``untracked: auto`` lists untracked files only when the index has at most this many
#: entries: above it, walking the work tree costs more than the rest of the run together.
UNTRACKED_AUTO_LIMIT = 50_000
UNTRACKED_MODES = ("auto", "all", "none")

CACHED_ARGS = ("ls-files", "-z", "--cached")
OTHERS_ARGS = ("ls-files", "-z", "--others", "--exclude-standard")
#: Where ``root`` sits (work tree? shallow? path below the top) and its HEAD: tiny, but each
#: blocking call costs a process start, so ``prefetch`` starts them with the listings.
STATE_ARGS = ("rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "--show-prefix")
HEAD_ARGS = ("rev-parse", "--verify", "-q", "HEAD")
#: The root commits' times: a repository's age (PROD001 on a one-service repository). git
#: walks the whole history for it, so it starts with the listings.
ROOTS_ARGS = ("log", "--max-parents=0", "--format=%ct", "HEAD")
#: The remotes' URLs for the report's record (``GitRepository.remote_url``): ``.git/config``
#: alone, no file it includes.
REMOTES_ARGS = ("config", "--local", "--no-includes", "--get-regexp", r"^remote\..*\.url$")

_pending: dict[str, tuple[Drained | None, Drained | None]] = {}
_commands: dict[tuple[str, tuple[str, ...]], "Drained | subprocess.Popen[bytes]"] = {}


class GitFailed(Exception):
    """A read-only git command could not run or exited non-zero."""


def git_env() -> dict[str, str]:
    """The environment for read-only git: no locks, no prompts, no redirection of the repo."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(var, None)
    return env


def start(root: str, *args: str) -> subprocess.Popen[bytes]:
    """Spawn a read-only git command in ``root`` with its output on a pipe (``GitFailed`` if it cannot)."""
    try:
        return subprocess.Popen(
            ["git", "-c", "core.fsmonitor=false", "-c", "core.quotepath=off", *args],
            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL, env=git_env(),
        )
    except OSError as exc:
        raise GitFailed(str(exc)) from None


def stop(source: subprocess.Popen[bytes] | Drained) -> None:
    """Kill the command if it still runs and reap it."""
    proc = source.proc if isinstance(source, Drained) else source
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    stdout: IO[bytes] | None = proc.stdout
    if stdout is not None:
        stdout.close()


#: At most this much output of a prefetched command is held in memory before it is read.
PREFETCH_BUFFER_LIMIT = 8 * 1024 * 1024


class Drained:
    """A started git command whose output a thread reads into memory as it comes.

    A prefetched command must not wait for its reader: once the pipe's 64 KiB buffer is full,
    git would stop until the checks ask for its output, and prefetching would gain nothing.
    The thread keeps at most ``limit`` bytes; past that, git waits and the rest is streamed.
    """

    def __init__(self, proc: subprocess.Popen[bytes], limit: int = PREFETCH_BUFFER_LIMIT) -> None:
        self.proc = proc
        self.chunks: list[bytes] = []
        self._limit = limit
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        stdout, size = self.proc.stdout, 0
        try:
            while stdout is not None and size < self._limit:
                chunk = stdout.read1(1 << 16)
                if not chunk:
                    break
                self.chunks.append(chunk)
                size += len(chunk)
        except (OSError, ValueError):  # the pipe was closed under us (stopped): nothing more to keep
            pass

    def wait_drained(self) -> list[bytes]:
        """The output read so far; call once, before reading the rest of the pipe."""
        self._thread.join()
        chunks, self.chunks = self.chunks, []
        return chunks


def line_pieces(source: subprocess.Popen[bytes] | Drained) -> Iterator[str]:
    """The output of a started git command, decoded in pieces that each end at a line end.

    For output parsed in bulk (regular expressions over a piece instead of Python work per
    line). Large outputs are never held whole in memory (a prefetched command's up to
    ``PREFETCH_BUFFER_LIMIT``); raises ``GitFailed`` after the last piece when git fails, so
    callers discard partial results; a watchdog kills git after the timeout.
    """
    parts: list[bytes] = []
    for chunk in _chunks(source):
        cut = chunk.rfind(b"\n") + 1
        if cut == 0:
            parts.append(chunk)
            continue
        parts.append(chunk[:cut])
        yield b"".join(parts).decode("utf-8", "replace")
        parts = [chunk[cut:]] if cut < len(chunk) else []
    tail = b"".join(parts)
    if tail:
        yield tail.decode("utf-8", "replace")


def read_all(source: subprocess.Popen[bytes] | Drained, sep: bytes = b"\0") -> list[str]:
    """Every non-empty record of a command's output, decoded in one go (a file listing is
    needed whole anyway; decoding 200,000 records one by one cost a tenth of a second)."""
    data = b"".join(_chunks(source))
    return [record for record in data.decode("utf-8", "replace").split(sep.decode()) if record]


def commit_parts(pieces: Iterable[str]) -> Iterator[tuple[str | None, str]]:
    """Split ``git log`` output whose commits start with a ``\\x01header`` line (pieces from
    ``line_pieces``) into ``(header, lines)`` parts: ``header`` is the new commit's header line
    without the ``\\x01``, or ``None`` when ``lines`` continue the previous commit (a commit's
    lines may span pieces). For bulk parsing: no Python work per line."""
    for piece in pieces:
        segments = ("\n" + piece).split("\n\x01")
        if segments[0].strip("\n"):
            yield None, segments[0]
        for segment in segments[1:]:
            header, _, lines = segment.partition("\n")
            yield header, lines


def _chunks(source: subprocess.Popen[bytes] | Drained) -> Iterator[bytes]:
    """The raw output of a started command, in the chunks it came in."""
    proc = source.proc if isinstance(source, Drained) else source
    timer = threading.Timer(GIT_TIMEOUT_SECONDS, proc.kill)
    timer.daemon = True
    timer.start()
    try:
        assert proc.stdout is not None
        yield from (source.wait_drained() if isinstance(source, Drained) else [])
        while chunk := proc.stdout.read(1 << 16):
            yield chunk
        code = proc.wait()
    finally:
        timer.cancel()
        stop(proc)
    if code != 0:
        raise GitFailed(f"git exited {code}")


def _key(root: str | os.PathLike[str]) -> str:
    return os.path.realpath(root)


def prefetch(root: str | os.PathLike[str]) -> None:
    """Start listing ``root`` now; a later :func:`take` for the same folder collects it.

    Does nothing when ``root`` is not a directory or git cannot be started: the workspace
    then lists files itself and reports the problem.
    """
    key = _key(root)
    if key in _pending or not os.path.isdir(key):
        return
    try:
        cached = Drained(start(key, *CACHED_ARGS))
    except GitFailed:
        return
    try:
        others = Drained(start(key, *OTHERS_ARGS))
    except GitFailed:
        others = None
    _pending[key] = (cached, others)
    prefetch_command(key, STATE_ARGS, drain=False)  # a few bytes: the pipe never fills
    prefetch_command(key, HEAD_ARGS, drain=False)
    prefetch_command(key, ROOTS_ARGS, drain=False)  # one line per root commit
    prefetch_command(key, REMOTES_ARGS, drain=False)  # one line per remote


def take(root: str | os.PathLike[str]) -> tuple[Drained | None, Drained | None]:
    """The prefetched ``(cached, others)`` listings of ``root``, or ``(None, None)``."""
    return _pending.pop(_key(root), (None, None))


def prefetch_command(root: str | os.PathLike[str], args: tuple[str, ...], *, drain: bool = True) -> None:
    """Start another read-only git command early (``git log`` for commit sizes).

    Only :func:`take_command` with exactly the same ``args`` collects it; an unused one is
    killed at exit, so a guess that the configuration later overrides costs nothing but
    idle CPU on the other core. ``drain=False`` is for output that fits in the pipe's buffer
    (``rev-parse``): no reader thread, whose start costs about a millisecond while others run.
    """
    key = (_key(root), tuple(args))
    if key in _commands or not os.path.isdir(key[0]):
        return
    try:
        proc = start(key[0], *args)
    except GitFailed:
        return
    _commands[key] = Drained(proc) if drain else proc


def started(root: str | os.PathLike[str], args: tuple[str, ...]) -> bool:
    """Whether :func:`prefetch_command` started ``args`` for ``root`` and nobody took it yet."""
    return (_key(root), tuple(args)) in _commands


def take_command(root: str | os.PathLike[str], args: tuple[str, ...]) -> Drained | subprocess.Popen[bytes] | None:
    """The process :func:`prefetch_command` started for ``root`` and ``args``, or ``None``."""
    return _commands.pop((_key(root), tuple(args)), None)


def output(source: subprocess.Popen[bytes] | Drained) -> str | None:
    """The whole output of a started command, or ``None`` when it failed."""
    try:
        return b"".join(_chunks(source)).decode("utf-8", "replace")
    except GitFailed:
        return None


def forget() -> None:
    """Drop every started command without stopping it: for a forked child, whose parent
    still owns those processes and pipes (reading them too would corrupt both reads)."""
    _pending.clear()
    _commands.clear()


@atexit.register
def _discard() -> None:
    for cached, others in _pending.values():
        for proc in (cached, others):
            if proc is not None:
                stop(proc)
    _pending.clear()
    for proc in _commands.values():
        stop(proc)
    _commands.clear()
