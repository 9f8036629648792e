"""Content sieves, and which files each sieve turned down, kept between runs.

Why: most files a detector reads are not what it looks for. Backstage entities, Grafana
dashboards, chaos experiments and engineering documents hide among tens of thousands of
ordinary YAML, JSON and Markdown files, so each detector reads every candidate and keeps
the few whose text passes a cheap test (a *sieve*: ``apiVersion: backstage.io`` in the
text, a ``"panels"`` key, one of the document keywords). On a 200,000-file monorepo those
reads are five system calls each for 60,000 files, the largest single cost of a run.

A sieve's verdict is a function of the file's text alone, so a rejection can be kept the
way git keeps a clean file in its index: with the file's ``lstat`` identity (size,
modification and change times in nanoseconds, inode). The next run ``lstat``s the file
(one system call) and, when nothing moved, skips it without opening it. Anything else
(a new identity, a sieve the file passed, a file that could not be read) reads it as
before. Only rejections are kept; a file a sieve accepts is read and parsed every run.

Exactness: a kept verdict is the verdict the sieve would give again, because

* the sieves are pure functions of the text (``Sieve`` objects are module constants next to
  the detector that uses them; nothing from the configuration enters them), and the cache
  is keyed by the code: every module of the installed package (path, size, modification
  time), the Python version, and this module's ``VERSION``;
* a file modified less than ``RACY_NS`` before the run started, or during it, is never
  recorded (git's "racily clean" rule: a file changed twice within one timestamp tick
  would otherwise keep its identity), and the change time moves with any write;
* files that were not read cleanly (a note: binary, not UTF-8, over the size cap, a
  symlink, a FIFO) get no verdict, so they are read and noted again every run; a kept
  file larger than the run's size cap is read again (to note it), never skipped.

Reports never depend on the cache: a cold, warm or disabled cache gives the same bytes.

Where and when: only for command-line runs (``historycache.active``: same folder as the
other caches, ``PRACTICELINT_NO_CACHE``, never inside a scanned folder), and only on
repositories of at least ``MIN_FILES`` indexed files (below that, reading is cheaper than
loading a cache). One file per repository. The child of ``check --jobs 2`` sends what it
learned to the parent with its findings; the parent writes once, at the end of the run.
"""

from __future__ import annotations

import array
import os
import sys
import time
from pathlib import Path
from typing import Callable

from linter.repo import historycache

VERSION = 2
KIND = "sieves"
#: Repositories with fewer indexed files read everything (a cache would cost more).
MIN_FILES = 1_000
#: Files modified this close to the start of the run (or after it) are never recorded.
RACY_NS = 2_000_000_000
#: Entries beyond this are not kept (a 200,000-file monorepo keeps about 60,000, ~5 MB;
#: ``historycache`` refuses files over 16 MB).
MAX_ENTRIES = 150_000
#: Bits of an entry's verdict word (signed 64-bit storage).
MAX_SIEVES = 62
_FIELDS = 5  # size, mtime_ns, ino, ctime_ns, rejected bits

Key = tuple[int, int, int, int]


class Sieve:
    """A named test over a file's text: does it deserve parsing by one detector?

    The name identifies the verdicts kept for it; the test must depend on the text only.
    """

    __slots__ = ("name", "test")

    def __init__(self, name: str, test: Callable[[str], bool]) -> None:
        self.name = name
        self.test = test

    def __repr__(self) -> str:
        return f"Sieve({self.name!r})"


def key_of(st: os.stat_result) -> Key:
    """A file's identity as kept: what changes when its content may have changed."""
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


_STAMP: tuple[object, ...] | None = None


def code_stamp() -> tuple[object, ...]:
    """The installed code the verdicts depend on: every module of the package (relative
    path, size, modification time) and the Python version. Editing a sieve, or any helper it
    calls, changes it. About 150 ``stat`` calls, once per process."""
    global _STAMP
    if _STAMP is None:
        package = Path(__file__).resolve().parents[1]
        found: list[tuple[str, int, int]] = []
        stack = [str(package)]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                    stack.append(entry.path)
                elif entry.name.endswith(".py"):
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    found.append((os.path.relpath(entry.path, package), info.st_size, info.st_mtime_ns))
        _STAMP = (VERSION, sys.version, tuple(sorted(found)))
    return _STAMP


#: Low bits of a file's state in ``Verdicts.states``; sieve bits start at ``FIRST_BIT``.
LEARNABLE = 1  # not modified too recently: its rejections may be kept
DIRTY = 2  # a rejection was learned in this run
FIRST_BIT = 4


class Verdicts:
    """One repository's kept rejections, and this run's verdicts.

    Kept entries sit in one flat array (five integers per file) indexed by path: loading
    60,000 of them costs ~10 ms, against ~0.3 s to read the files. ``states`` holds one plain
    integer per file a sieve looked at in this process (no object the garbage collector
    tracks): the rejection bits kept for its current identity, the bits learned since, and
    the ``LEARNABLE``/``DIRTY`` flags. Identities that differ from the kept ones are in
    ``new_keys`` (all of them on a first run, none on an unchanged repository).
    """

    def __init__(self, names: list[str], paths: list[str], words: array.array[int], started_ns: int) -> None:
        self.names = names
        self.bit_of: dict[Sieve, int] = {}
        self._bit = {name: FIRST_BIT << i for i, name in enumerate(names)}
        self._at = dict(zip(paths, range(0, len(paths) * _FIELDS, _FIELDS)))
        self._words = words
        self._racy_after = started_ns - RACY_NS
        self.states: dict[str, int] = {}
        self.new_keys: dict[str, Key] = {}
        self.changed = False

    def bit(self, sieve: Sieve) -> int:
        """The verdict bit of ``sieve`` (0 when no bit is left: that sieve is then never kept)."""
        bit = self.bit_of.get(sieve)
        if bit is None:
            bit = self.bit_of[sieve] = self._name_bit(sieve.name)
        return bit

    def _name_bit(self, name: str) -> int:
        bit = self._bit.get(name)
        if bit is None:
            if len(self.names) >= MAX_SIEVES:
                return 0
            bit = self._bit[name] = FIRST_BIT << len(self.names)
            self.names.append(name)
        return bit

    def _kept_key(self, path: str) -> Key | None:
        at = self._at.get(path)
        if at is None:
            return None
        words = self._words
        return (words[at], words[at + 1], words[at + 2], words[at + 3])

    def state(self, path: str, key: Key, max_size: int) -> int:
        """The state of a file just ``lstat``-ed: its kept rejections when its identity is the
        kept one. Nothing kept is used for a file over the run's size cap (it is read again,
        to be noted)."""
        value = 0
        kept = self._kept_key(path)
        if kept == key:
            if key[0] <= max_size:
                value = self._words[self._at[path] + 4] & ~(FIRST_BIT - 1)
        if key[1] < self._racy_after and key[3] < self._racy_after:
            value |= LEARNABLE
            if kept != key:
                self.new_keys[path] = key
        self.states[path] = value
        return value

    def key(self, path: str) -> Key | None:
        """The identity behind a learnable state."""
        return self.new_keys.get(path) or self._kept_key(path)

    def export(self) -> tuple[list[str], dict[str, list[int]]]:
        """What this process learned, by sieve name (for the parent of ``check --jobs 2``)."""
        learned: dict[str, list[int]] = {}
        for path, value in self.states.items():
            key = self.key(path) if value & DIRTY else None
            if key is not None:
                learned[path] = [*key, value & ~(FIRST_BIT - 1)]
        return list(self.names), learned

    def merge(self, exported: object) -> None:
        """Add what another process of this run learned (``export``); anything malformed is ignored."""
        if not (isinstance(exported, tuple) and len(exported) == 2 and isinstance(exported[0], list)
                and isinstance(exported[1], dict)):
            return
        names, learned = exported
        remap = [(FIRST_BIT << i, self._name_bit(name)) for i, name in enumerate(names[:MAX_SIEVES])
                 if isinstance(name, str)]
        for path, entry in learned.items():
            if not (isinstance(path, str) and isinstance(entry, list) and len(entry) == _FIELDS
                    and all(type(v) is int for v in entry)):
                continue
            bits = 0
            for theirs, ours in remap:
                if entry[4] & theirs:
                    bits |= ours
            key: Key = (entry[0], entry[1], entry[2], entry[3])
            mine = self.states.get(path)
            if mine is None:
                if bits:
                    self.states[path] = bits | LEARNABLE | DIRTY
                    if self._kept_key(path) != key:
                        self.new_keys[path] = key
                    self.changed = True
            elif mine & LEARNABLE and self.key(path) == key and bits & ~mine:
                self.states[path] = mine | bits | DIRTY
                self.changed = True

    def save(self, root: str | os.PathLike[str], indexed: frozenset[str]) -> None:
        """Write the kept and new rejections of files still indexed, when this run learned
        something (errors are ignored: the cache only ever saves time)."""
        if not self.changed:
            return
        words = self._words
        merged: dict[str, list[int]] = {}
        for path, at in self._at.items():
            if path in indexed and path not in self.states:
                merged[path] = list(words[at:at + _FIELDS])
        for path, value in self.states.items():
            bits = value & ~(FIRST_BIT - 1)
            key = self.key(path) if bits and value & LEARNABLE and path in indexed else None
            if key is not None:
                merged[path] = [*key, bits]
        if len(merged) > MAX_ENTRIES:
            merged = dict(sorted(merged.items())[:MAX_ENTRIES])
        flat = array.array("q", [v for entry in merged.values() for v in entry])
        payload = (tuple(self.names), "\0".join(merged), flat.tobytes())
        historycache.store(root, KIND, (code_stamp(),), {"verdicts": payload})
        self.changed = False


def load(root: str | os.PathLike[str]) -> Verdicts | None:
    """The kept verdicts of the repository at ``root`` (empty on a first run), or ``None`` when
    this run keeps none (``historycache.active``)."""
    if not historycache.active():
        return None
    started = time.time_ns()
    kept = historycache.load(root, KIND, (code_stamp(),)).get("verdicts")
    try:
        names, joined, packed = kept  # type: ignore[misc]
        words = array.array("q")
        words.frombytes(packed)
        paths = joined.split("\0") if joined else []
        if (not isinstance(names, tuple) or not all(isinstance(n, str) for n in names)
                or len(names) > MAX_SIEVES or len(words) != len(paths) * _FIELDS):
            raise ValueError("malformed")
        return Verdicts(list(names), paths, words, started)
    except (TypeError, ValueError, AttributeError):
        return Verdicts([], [], array.array("q"), started)
