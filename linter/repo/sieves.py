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
before. A file a sieve accepts is read every run, but its parsed YAML is kept with the
same identity (``parsed_yaml``): at 200,000 files, parsing the 984 YAML files with a ``kind``
takes 109 ms, loading them back 16 ms (``benchmarks/processes.py``). It is stored with ``pickle``
and loaded by an unpickler that can build nothing but the four classes of
``linter.repo.yamlio`` and plain data (``_YamlUnpickler``).

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
  file larger than the run's size cap is read again (to note it), never skipped;
* parsed YAML is kept only when it parsed without an error (errors become notes, which
  are produced afresh), and only for files a sieve ``lstat``-ed in the same run.

Reports never depend on the cache: a cold, warm or disabled cache gives the same bytes.

Where and when: only for command-line runs (``historycache.active``: same folder as the
other caches, ``PRACTICELINT_NO_CACHE``, never inside a scanned folder), and only on
repositories of at least ``MIN_FILES`` indexed files (below that, reading is cheaper than
loading a cache). One file per repository. The child of ``check --jobs 2`` sends what it
learned to the parent with its findings; the parent writes once, at the end of the run.
"""

from __future__ import annotations

import array
import io
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

from linter.repo import historycache

VERSION = 4
KIND = "sieves"
#: Repositories with fewer indexed files read everything (a cache would cost more).
MIN_FILES = 1_000
#: Files modified this close to the start of the run (or after it) are never recorded.
RACY_NS = 2_000_000_000
#: What the cache file may hold: ``historycache`` refuses files over 16 MB, so entries stop
#: at ``MAX_BYTES`` (a 200,000-file monorepo keeps ~60,000 files in ~5 MB) and parsed YAML
#: at ``MAX_PARSED_BYTES`` (~1.4 MB there); what does not fit is read again next time.
MAX_BYTES = 12 * 1024 * 1024
MAX_PARSED_BYTES = 4 * 1024 * 1024
_ENTRY_BYTES = 8 * 5 + 1  # five integers and a separator
_FIELDS = 5  # size, mtime_ns, ino, ctime_ns, rejected bits

Key = tuple[int, int, int, int]


#: Every sieve's name, in the order of its verdict bit. A new sieve is added at the end (the
#: kept files then still read; an edited sieve changes ``code_stamp`` anyway).
NAMES = (
    "backstage-entity", "docs-keyword", "prfaq-keyword", "threat-dragon-json", "dashboards-alert-rules",
    "dashboards-grafana", "chaos-yaml", "chaos-json", "alerts-yaml", "slo-yaml", "k8s-manifest", "gitops-yaml",
    "gitops-cloudformation-json", "api-spec", "datastores-yaml", "cloudformation-template", "artillery-yaml",
)
#: Low bits of a file's state in ``Verdicts.states``; sieve bits start at ``FIRST_BIT``.
LEARNABLE = 1  # not modified too recently: its rejections may be kept
DIRTY = 2  # a rejection was learned in this run
KEPT = 4  # its identity is the one kept: what was kept for it holds
FIRST_BIT = 8
_SIEVE_BITS = ~(FIRST_BIT - 1)


class Sieve:
    """A named test over a file's text: does it deserve parsing by one detector?

    The name (one of ``NAMES``) fixes the bit its kept verdicts use, the same in every
    process and run; the test must depend on the text only.
    """

    __slots__ = ("name", "test", "bit")

    def __init__(self, name: str, test: Callable[[str], bool]) -> None:
        if name not in NAMES:
            raise ValueError(f"sieve {name!r} is not registered in linter.repo.sieves.NAMES")
        self.name = name
        self.test = test
        self.bit = FIRST_BIT << NAMES.index(name)

    def __repr__(self) -> str:
        return f"Sieve({self.name!r})"


def key_of(st: os.stat_result) -> Key:
    """A file's identity as kept: what changes when its content may have changed."""
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


_STAMP: tuple[object, ...] | None = None


def code_stamp() -> tuple[object, ...]:
    """The installed code the verdicts depend on: every module of the package (relative
    path, size, modification time), its version and the Python version. Editing a sieve, or any helper it
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
        from linter import __version__

        # the package version too: a zipped install has no files to stat
        _STAMP = (VERSION, __version__, sys.version, tuple(sorted(found)))
    return _STAMP


class Verdicts:
    """One repository's kept rejections and parsed YAML, and this run's verdicts.

    Kept entries sit in one flat array (five integers per file: identity and rejection
    bits) indexed by path: loading 60,000 of them costs ~10 ms, against ~0.3 s to read the
    files. ``states`` holds one plain integer per file a sieve looked at in this process (no
    object for the garbage collector to track): the rejection bits kept for its current
    identity, the bits learned since, and the ``LEARNABLE``/``DIRTY``/``KEPT`` flags.
    Identities that differ from the kept ones go to a second flat array (``_new``): all of
    them on a first run, none on an unchanged repository.
    """

    def __init__(self, paths: list[str], words: array.array[int], started_ns: int,
                 parsed: dict[str, bytes] | None = None) -> None:
        self._at = dict(zip(paths, range(0, len(paths) * _FIELDS, _FIELDS)))
        self._words = words
        self._racy_after = started_ns - RACY_NS
        self._parsed = parsed or {}  # path -> pickled YamlFile, for the kept identity
        self._new_parsed: dict[str, bytes] = {}  # parsed in this run, for the current identity
        self.states: dict[str, int] = {}
        self._new_at: dict[str, int] = {}
        self._new: array.array[int] = array.array("q")
        self.changed = False

    def _kept_key(self, path: str) -> Key | None:
        at = self._at.get(path)
        if at is None:
            return None
        words = self._words
        return (words[at], words[at + 1], words[at + 2], words[at + 3])

    def key(self, path: str) -> Key | None:
        """The identity behind this process's state of ``path``."""
        at = self._new_at.get(path)
        if at is None:
            return self._kept_key(path)
        new = self._new
        return (new[at], new[at + 1], new[at + 2], new[at + 3])

    def state(self, path: str, key: Key, max_size: int) -> int:
        """The state of a file just ``lstat``-ed: its kept rejections when its identity is the
        kept one. Nothing kept is used for a file over the run's size cap (it is read again,
        to be noted)."""
        value = 0
        kept = self._kept_key(path)
        if kept == key and key[0] <= max_size:
            value = (self._words[self._at[path] + 4] & _SIEVE_BITS) | KEPT
        if key[1] < self._racy_after and key[3] < self._racy_after:
            value |= LEARNABLE
            if kept != key:
                self._add_key(path, key)
        self.states[path] = value
        return value

    def _add_key(self, path: str, key: Key) -> None:
        self._new_at[path] = len(self._new)
        self._new.extend(key)

    # ------------------------------------------------------------------ parsed YAML
    def parsed_yaml(self, path: str) -> object | None:
        """The parsed YAML kept for this very file (``None`` when there is none, or it cannot
        be loaded)."""
        state = self.states.get(path)
        if state is None or not state & KEPT:
            return None
        blob = self._parsed.get(path)
        if blob is None:
            return None
        try:
            return _YamlUnpickler(io.BytesIO(blob)).load()
        except Exception:  # noqa: BLE001 - a damaged entry: parse the file
            return None

    def keep_yaml(self, path: str, parsed: object) -> None:
        """Keep a file's parsed YAML (parsed without errors from text read after its ``lstat``)."""
        state = self.states.get(path)
        if state is None or not state & LEARNABLE or (state & KEPT and path in self._parsed):
            return
        try:
            self._new_parsed[path] = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - not picklable: parsed again next time
            return
        self.changed = True

    def _blob(self, path: str, state: int) -> bytes | None:
        """The parsed YAML to keep with the current identity of ``path``."""
        blob = self._new_parsed.get(path)
        if blob is None and state & KEPT:
            blob = self._parsed.get(path)
        return blob

    # ------------------------------------------------------------------ processes
    def settled_states(self) -> dict[str, int]:
        """The states of files whose identity is the kept one, without this process's
        learning: what another process of this run may take instead of ``lstat``-ing them."""
        new = self._new_at
        return {path: value & ~DIRTY for path, value in self.states.items() if path not in new}

    def take_states(self, states: object) -> None:
        """Take ``settled_states`` from another process of this run (for files not looked at here)."""
        if isinstance(states, dict):
            mine = self.states
            for path, value in states.items():
                if type(path) is str and type(value) is int and path not in mine:
                    mine[path] = value & ~DIRTY

    def export(self) -> tuple[list[str], bytes, dict[str, bytes]]:
        """What this process learned (for the parent of ``check --jobs 2``): the paths, five
        integers each (identity and rejection bits, packed), and new parsed YAML."""
        paths: list[str] = []
        words = array.array("q")
        for path, value in self.states.items():
            if value & DIRTY or path in self._new_parsed:
                key = self.key(path)
                if key is not None:
                    paths.append(path)
                    words.extend(key)
                    words.append(value & _SIEVE_BITS)
        return paths, words.tobytes(), dict(self._new_parsed)

    def merge(self, exported: object) -> None:
        """Add what another process of this run learned (``export``); anything malformed is ignored."""
        if not (isinstance(exported, tuple) and len(exported) == 3 and isinstance(exported[0], list)
                and isinstance(exported[1], bytes) and isinstance(exported[2], dict)):
            return
        paths, packed, parsed = exported
        words = array.array("q")
        try:
            words.frombytes(packed)
        except ValueError:
            return
        if len(words) != len(paths) * _FIELDS:
            return
        states = self.states
        for i, path in enumerate(paths):
            if type(path) is not str:
                continue
            at = i * _FIELDS
            key: Key = (words[at], words[at + 1], words[at + 2], words[at + 3])
            bits = words[at + 4] & _SIEVE_BITS
            blob = parsed.get(path)
            blob = blob if type(blob) is bytes else None
            mine = states.get(path)
            if mine is None:
                if not bits and blob is None:
                    continue
                kept = self._kept_key(path) == key
                states[path] = bits | LEARNABLE | DIRTY | (KEPT if kept else 0)
                if not kept:
                    self._add_key(path, key)
            elif mine & LEARNABLE and self.key(path) == key:
                states[path] = mine | bits | (DIRTY if bits & ~mine else 0)
            else:
                continue
            if blob is not None and path not in self._new_parsed:
                self._new_parsed[path] = blob
            self.changed = True

    # ------------------------------------------------------------------ storage
    def save(self, root: str | os.PathLike[str], indexed: frozenset[str]) -> None:
        """Write the kept and new verdicts and parsed YAML of files still indexed, when this
        run learned something (errors are ignored: the cache only ever saves time)."""
        if not self.changed:
            return
        words, states = self._words, self.states
        paths: list[str] = []
        flat = array.array("q")
        parsed: dict[str, bytes] = {}
        room, parsed_room = MAX_BYTES, MAX_PARSED_BYTES

        def keep(path: str, key: Iterable[int], bits: int, blob: bytes | None) -> None:
            nonlocal room, parsed_room
            if blob is not None and len(blob) > parsed_room:
                blob = None  # no room: parsed again next time
            if not bits and blob is None:
                return
            room -= _ENTRY_BYTES + (len(path) if path.isascii() else 4 * len(path))
            if blob is not None:
                parsed_room -= len(blob)
                room -= len(blob)
                parsed[path] = blob
            paths.append(path)
            flat.extend(key)
            flat.append(bits)

        for path, at in self._at.items():
            if room <= 0:
                break
            if path not in states and path in indexed:
                keep(path, words[at:at + 4], words[at + 4], self._parsed.get(path))
        for path, value in states.items():
            if room <= 0:
                break
            if not value & LEARNABLE or path not in indexed:
                continue
            bits = value & _SIEVE_BITS
            blob = self._blob(path, value)
            key = self.key(path) if bits or blob is not None else None
            if key is not None:
                keep(path, key, bits, blob)
        payload = (NAMES, "\0".join(paths), flat.tobytes(), parsed)
        historycache.store(root, KIND, (code_stamp(),), {"verdicts": payload})
        self.changed = False


class _YamlUnpickler(pickle.Unpickler):
    """Loads kept parsed YAML: plain data and the four classes ``linter.repo.yamlio`` builds,
    nothing else (a cache file cannot make it construct or call anything)."""

    ALLOWED = frozenset({("linter.repo.yamlio", "YamlFile"), ("linter.repo.yamlio", "YamlDocument"),
                         ("linter.repo.yamlio", "LineDict"), ("linter.repo.yamlio", "LineList")})

    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in kept YAML")
        return super().find_class(module, name)


def load(root: str | os.PathLike[str]) -> Verdicts | None:
    """The kept verdicts of the repository at ``root`` (empty on a first run), or ``None`` when
    this run keeps none (``historycache.active``)."""
    if not historycache.active():
        return None
    started = time.time_ns()
    kept = historycache.load(root, KIND, (code_stamp(),)).get("verdicts")
    try:
        names, joined, packed, parsed = kept  # type: ignore[misc]
        words = array.array("q")
        words.frombytes(packed)
        paths = joined.split("\0") if joined else []
        if names != NAMES or len(words) != len(paths) * _FIELDS or not isinstance(parsed, dict):
            raise ValueError("kept for other sieves, or malformed")
        return Verdicts(paths, words, started, {p: b for p, b in parsed.items() if type(b) is bytes})
    except (TypeError, ValueError, AttributeError):
        return Verdicts([], array.array("q"), started)
