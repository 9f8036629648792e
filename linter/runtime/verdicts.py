"""What earlier runs learned about file contents: which prefilters turned a file down, and the
parsed YAML of the files they let through, kept by content id.

Why: on a 200,000-file monorepo, reading every YAML, JSON and Markdown candidate for the
prefilters (``linter.repo.prefilters``) is the largest single cost of a run, and most of those
files are turned down every time. A prefilter's verdict depends on the text alone, so it can
be kept for that text: by its content id, git's blob id of the bytes (``content_id``).

How a run knows a file's content id without reading it, two ways:

* **By the file's identity.** When a file is read cleanly, its content id is computed and
  kept with the file's ``stat`` identity (inode, device, size, modification and change times
  in nanoseconds). A later run ``lstat``s the file (one system call) and, when the identity is
  one it kept, knows the content. This is what a warm run on the same work tree uses; it needs
  no git command at all.
* **By git's index.** A fresh clone restoring its cache (a CI job, a second org audit) has
  new identities everywhere. When most of a sample of kept identities no longer match
  (``stale``), the run asks git instead: ``git ls-files --stage`` gives the blob id of every
  tracked candidate, and ``git diff-files`` names the ones whose work-tree copy was modified
  (those have no id and are read). The identities of the files git vouched for are kept too,
  so the next run needs git no more.

Exactness: a kept identity is recorded only for a file whose change and modification times
are at least ``RACY_NS`` older than the moment the run started (git's "racily clean" rule: a
file changed again within one timestamp tick would keep its identity). Anything else (a new
identity, a file git calls modified, an untracked file) is read. Content ids from git's index
name the content git would check out; for files under a clean/smudge filter (Git LFS) that is
not the bytes in the work tree, which is why the ids computed from reads are the bytes read.
Beyond content: the kept file is keyed by the installed code (``code_stamp``: every module of
the package, its version, the Python version), so an edited prefilter starts afresh. A
verdict is kept only for a file that was read cleanly (a file that could not be read gets a
note every run), with the file's size: content larger than a later run's size cap is read
again, so that run notes it as a fresh one would. Parsed YAML is kept only when it parsed
without an error (errors become notes, produced afresh), stored with ``pickle`` and loaded by
an unpickler that builds nothing but the four classes of ``linter.repo.yamlio`` and plain data.

Where and when: command-line runs with the cache folder active (``linter.runtime.cachedir``),
in a git work tree of at least ``MIN_FILES`` indexed files (below that, reading is cheaper
than loading). One file per repository; the second process of ``check --jobs 2`` sends what
it learned to the first, which writes once at the end. Reports never depend on it.
"""

from __future__ import annotations

from array import array
import io
import os
import pickle
import re
import stat
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from linter.repo import gitls
from linter.runtime import cachedir, historycache

if TYPE_CHECKING:
    from linter.repo.git import GitRepository

VERSION = 7
KIND = "verdicts"
#: Repositories with fewer indexed files read everything (a cache would cost more).
MIN_FILES = 1_000
#: Files changed this close to the start of the run (or after it) get no kept identity.
RACY_NS = 2_000_000_000
#: The files prefilters look at: only their ids are listed when git is asked.
CONTENT_PATHSPECS = ("*.yaml", "*.yml", "*.json", "*.md", "*.markdown", "*.mdx", "*.template")
STAGE_ARGS = ("ls-files", "-z", "--stage", "--", *CONTENT_PATHSPECS)
MODIFIED_ARGS = ("diff-files", "--name-only", "--relative", "-z", "--", *CONTENT_PATHSPECS)
#: What the kept file may hold (``cachedir`` refuses files over 16 MB); what does not fit is
#: read again next time.
MAX_REJECTIONS = 400_000
MAX_IDENTITIES = 250_000
MAX_PARSED_BYTES = 4 * 1024 * 1024
#: Kept identities checked before a run decides whether the work tree is the one they describe.
SAMPLE = 32
#: A verdict is one integer, the content's size above ``SIZE_SHIFT`` bits and the bits of the
#: prefilters that turned it down below them: kept as plain numbers, tens of thousands of them
#: load without building an object each (which would also wake the garbage collector).
SIZE_SHIFT = 32
BITS = (1 << SIZE_SHIFT) - 1
#: Content this large is not kept (its verdict would not fit a signed 64-bit number).
MAX_KEPT_SIZE = (1 << (63 - SIZE_SHIFT)) - 1
_STAGE_ENTRY = re.compile(r"[0-7]{6} ([0-9a-f]{40,64}) 0\t([^\0]+)\0")
_UNKNOWN = object()

#: What ``prefetch`` loaded early, by the repository's real path: (start of the run in
#: nanoseconds, kept entries, whether git is asked for content ids).
_early: dict[str, tuple[int, dict[str, Any], bool]] = {}


def identity(st: os.stat_result) -> int:
    """A file's ``stat`` identity as one number: what changes whenever its content may have."""
    return hash((st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns))


def content_id(data: bytes) -> str:
    """Git's blob id of ``data`` (SHA-1 object format): the id ``git ls-files --stage`` gives an
    unmodified file without filters. (``hashlib`` loads OpenSSL: imported by the runs that
    keep verdicts, not by every run.)"""
    import hashlib

    digest = hashlib.sha1(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def prefetch(root: str | os.PathLike[str]) -> None:
    """Load the kept verdicts of ``root`` now (the command line, before it imports the checks)
    and, when they exist but the work tree is not the one their identities describe, start git
    listing the content ids on the other core."""
    if cachedir.active() is None:
        return
    started = time.time_ns()
    kept = _read(root)
    ask_git = _asks_git(root, kept)
    _early[os.path.realpath(root)] = (started, kept, ask_git)
    if ask_git:
        gitls.prefetch_command(root, STAGE_ARGS)
        gitls.prefetch_command(root, MODIFIED_ARGS)


def load(root: str | os.PathLike[str], git: GitRepository, indexed_files: int) -> KeptVerdicts | None:
    """The kept verdicts of the repository at ``root`` (empty on a first run), or ``None`` when
    this run keeps none (not a command-line run, a small repository, no git)."""
    early = _early.pop(os.path.realpath(root), None)
    if not historycache.active() or indexed_files < MIN_FILES or not git.git_dir_ok:
        return None
    started, kept, ask_git = early if early is not None else (time.time_ns(), _read(root), None)
    if ask_git is None:
        ask_git = _asks_git(root, kept)
    ids = content_ids(git) if ask_git else {}
    return KeptVerdicts(root, kept, ids, settled_before=started - RACY_NS)


def content_ids(git: GitRepository) -> dict[str, str]:
    """Path -> blob id of every tracked, unmodified candidate file (``{}`` when git cannot say)."""
    stage = git.output(*STAGE_ARGS)
    modified = git.output(*MODIFIED_ARGS)
    if stage is None or modified is None:
        return {}
    changed = set(modified.split("\0"))
    return {path: blob for blob, path in _STAGE_ENTRY.findall(stage) if path not in changed}


def _read(root: str | os.PathLike[str]) -> dict[str, Any]:
    """The kept entries of ``root``, every malformed part dropped (empty when none are kept).
    Where none were ever kept (every repository below ``MIN_FILES``), the code is not stamped."""
    kept = historycache.load(root, KIND, (code_stamp(),)) if historycache.exists(root, KIND) else {}
    rejected, parsed, identities, sample = (kept.get("rejected"), kept.get("parsed"), kept.get("identities"),
                                           kept.get("sample"))
    if not (isinstance(parsed, dict) and isinstance(sample, list)):
        return {"rejected": {}, "parsed": {}, "identities": {}, "sample": []}
    return {
        "rejected": _unpack_rejected(rejected),
        "parsed": {b: v for b, v in parsed.items() if type(b) is str and type(v) is bytes},
        "identities": _unpack(identities),
        "sample": [s for s in sample if type(s) is tuple and len(s) == 2 and type(s[0]) is str
                   and type(s[1]) is int],
    }


def _asks_git(root: str | os.PathLike[str], kept: dict[str, Any]) -> bool:
    """Whether this run needs git's content ids: verdicts are kept, but most of the sampled
    identities no longer match the work tree (a fresh clone, a checkout of another branch)."""
    if not kept["rejected"] and not kept["parsed"]:
        return False  # nothing to look up: reading is all there is to do
    sample = kept["sample"]
    prefix = os.path.join(str(root), "")
    matching = 0
    for path, kept_identity in sample:
        try:
            matching += identity(os.lstat(prefix + path)) == kept_identity
        except OSError:
            continue
    return matching * 2 < len(sample) or not sample


def verdict(bits: int, size: int) -> int:
    """One kept verdict: the prefilters of ``bits`` turned down content of ``size`` bytes."""
    return size << SIZE_SHIFT | bits


def _pack_rejected(rejected: dict[str, int]) -> tuple[list[str], bytes]:
    """Rejections as kept: the content ids, and their verdicts packed as 64-bit integers
    (loading them back is a few C-level calls, not a Python step per entry)."""
    return list(rejected), array("q", rejected.values()).tobytes()


def _numbered(strings: object, packed: object) -> tuple[list[str], array[int]] | None:
    """A list of strings and the 64-bit integers packed beside them, one each; ``None`` when
    either is malformed (a damaged cache file, a broken message: nothing is taken from it)."""
    if not (isinstance(strings, list) and type(packed) is bytes):
        return None
    numbers = array("q")
    try:
        numbers.frombytes(packed)
    except ValueError:
        return None
    if len(strings) != len(numbers) or not set(map(type, strings)) <= {str}:
        return None
    return strings, numbers


def _unpack_rejected(kept: object) -> dict[str, int]:
    """``_pack_rejected`` undone; anything malformed gives no rejections."""
    found = _numbered(kept[0], kept[1]) if isinstance(kept, tuple) and len(kept) == 2 else None
    if found is None or (found[1] and min(found[1]) < 0):
        return {}
    return dict(zip(*found))


def _pack(identities: dict[int, str], names: dict[str, str]) -> tuple[bytes, list[str]]:
    """Identities as kept: the numbers packed as 64-bit integers, and their content ids, each
    the very string object that keys ``rejected`` (``names``) so that it is stored once."""
    return array("q", identities).tobytes(), [names.get(cid, cid) for cid in identities.values()]


def _unpack(kept: object) -> dict[int, str]:
    """``_pack`` undone; anything malformed gives no identities."""
    found = _numbered(kept[1], kept[0]) if isinstance(kept, tuple) and len(kept) == 2 else None
    return {} if found is None else dict(zip(found[1], found[0]))


def _spread(sample: dict[str, int]) -> dict[str, int]:
    """At most ``SAMPLE`` of ``sample``'s paths, spread evenly over their sorted order."""
    paths = sorted(sample)
    step = max(1, len(paths) // SAMPLE)
    return {path: sample[path] for path in paths[::step][:SAMPLE]}


def _is_verdict(value: object) -> bool:
    return type(value) is int and 0 <= value <= (MAX_KEPT_SIZE << SIZE_SHIFT | BITS)


class KeptVerdicts:
    """One repository's kept verdicts, and what this run learns.

    Per path the run first learns the content id (``_content_of``: the file's identity, else
    git's index, else unknown until the file is read); every question about a path is then a
    lookup by that id. A verdict is one integer (``verdict``).
    """

    def __init__(self, root: str | os.PathLike[str], kept: dict[str, Any], ids: dict[str, str],
                 settled_before: int) -> None:
        self._prefix = os.path.join(str(root), "")
        self._rejected: dict[str, int] = kept["rejected"]  # content id -> its verdict
        self._parsed: dict[str, bytes] = kept["parsed"]
        self._identities: dict[int, str] = kept["identities"]
        self._kept_identities = len(self._identities)
        self._git_ids = ids
        self._settled_before = settled_before
        self._content: dict[str, str | None] = {}  # path -> content id, once asked
        self._confirmed: dict[str, int] = {}  # path -> its identity, for files this run found true
        self._learned: dict[str, int] = {}
        self._new_parsed: dict[str, bytes] = {}
        self._new_identities: dict[int, str] = {}

    # ------------------------------------------------------------------ content ids
    def _content_of(self, path: str) -> str | None:
        """The content id of ``path`` as it is now, without reading it, or ``None``.

        The ``lstat`` is not vetted like the reader's opens (a symlinked folder on the way would be
        followed), and needs not be: an identity is only ever kept for a file the reader opened
        inside the repository, or one git vouched for, and git never lists, nor calls
        unmodified, a path below a symlink. Any other identity finds nothing, and the file goes
        to the reader, which refuses it as it would without kept verdicts."""
        cid = self._content.get(path, _UNKNOWN)
        if cid is not _UNKNOWN:
            return cid  # type: ignore[return-value]
        cid = None
        try:
            # a first run has nothing to find: its reads record the files' identities
            st = os.lstat(self._prefix + path) if self._identities or self._git_ids else None
        except OSError:
            st = None
        if st is not None and stat.S_ISREG(st.st_mode):
            key = identity(st)
            cid = self._identities.get(key)
            if cid is not None:
                self._confirmed[path] = key  # kept and still true
            else:
                cid = self._git_ids.get(path)
                if cid is not None and self._settled(st):
                    self._confirm(path, key, cid)
        self._content[path] = cid
        return cid

    def _settled(self, st: os.stat_result) -> bool:
        return st.st_mtime_ns < self._settled_before and st.st_ctime_ns < self._settled_before

    def _confirm(self, path: str, key: int, cid: str) -> None:
        """The file at ``path`` with identity ``key`` holds content ``cid`` now."""
        self._confirmed[path] = key
        if self._identities.get(key) != cid:
            self._identities[key] = self._new_identities[key] = cid

    def read(self, path: str, st: os.stat_result, data: bytes) -> None:
        """``path`` was read cleanly now: ``data`` with the ``fstat`` of what was read. Its content
        id is the id of those bytes, kept with its identity once the file has settled."""
        if path not in self._content:
            return  # never asked about: nothing to learn for it
        cid = content_id(data)
        self._content[path] = cid
        if self._settled(st) and stat.S_ISREG(st.st_mode):
            self._confirm(path, identity(st), cid)

    # ------------------------------------------------------------------ verdicts
    def worth_reading(self, paths: Iterable[str], bit: int, max_size: int) -> list[str]:
        """``paths`` without those whose very content the prefilter of ``bit`` turned down
        before (content over this run's size cap stays: it must be noted). One loop for all of
        them: ten prefilters look at each of tens of thousands of files."""
        rejected, content, content_of = self._rejected, self._content, self._content_of
        kept = []
        for path in paths:
            cid = content.get(path, _UNKNOWN)
            if cid is _UNKNOWN:
                cid = content_of(path)
            entry = rejected.get(cid) if cid is not None else None  # type: ignore[arg-type]
            if entry is None or not entry & bit or entry >> SIZE_SHIFT > max_size:
                kept.append(path)
        return kept

    def turned_down(self, path: str, bit: int, max_size: int) -> bool:
        """For one file: whether the prefilter of ``bit`` turned its very content down before
        (and it is not over this run's size cap)."""
        cid = self._content_of(path)
        entry = self._rejected.get(cid) if cid is not None else None
        return entry is not None and bool(entry & bit) and entry >> SIZE_SHIFT <= max_size

    def reject(self, path: str, bit: int, size: int) -> None:
        """The prefilter of ``bit`` turned this content (read cleanly, ``size`` bytes) down."""
        cid = self._content.get(path)
        if cid is not None and 0 <= size <= MAX_KEPT_SIZE:
            entry = verdict(self._rejected.get(cid, 0) & BITS | bit, size)
            if self._rejected.get(cid) != entry:  # news: the kept file is written again
                self._rejected[cid] = self._learned[cid] = entry

    def parsed_yaml(self, path: str) -> Any:
        """The parsed YAML kept for this very content, or ``None``."""
        cid = self._content_of(path)
        kept = self._parsed.get(cid) if cid is not None else None
        if kept is None:
            return None
        try:
            return _YamlUnpickler(io.BytesIO(kept)).load()
        except Exception:  # noqa: BLE001 - a damaged entry: parse the file
            return None

    def keep_yaml(self, path: str, parsed: object) -> None:
        """Keep a file's parsed YAML (parsed without errors)."""
        cid = self._content.get(path)
        if cid is None or cid in self._parsed:
            return
        try:
            self._parsed[cid] = self._new_parsed[cid] = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - not picklable: parsed again next time
            return

    # ------------------------------------------------------------------ between processes, between runs
    def export(self) -> tuple[dict[str, int], dict[str, bytes], dict[int, str], dict[str, int]]:
        """What this process learned (the second process of ``--jobs 2`` sends it back): only what
        is new, and a sample of the identities it found true."""
        return dict(self._learned), dict(self._new_parsed), dict(self._new_identities), _spread(self._confirmed)

    def found_true(self) -> tuple[list[str], bytes]:
        """The files this process found unchanged since a kept identity, for the second process
        of ``--jobs 2``: their paths, and their identities packed. The parent sends them with
        the scopes, so that the child need not ``lstat`` again the tens of thousands of YAML
        files the parent looked at while finding the scopes."""
        return list(self._confirmed), array("q", self._confirmed.values()).tobytes()

    def take_found_true(self, paths: object, packed: object) -> None:
        """Take ``found_true`` from the parent (only identities this process holds as well: an
        identity the parent learned since the fork names nothing here, and that file is looked
        at again); anything malformed is ignored."""
        found = _numbered(paths, packed)
        if found is None:
            return
        content, identities, confirmed = self._content, self._identities, self._confirmed
        for path, key in zip(*found):
            cid = identities.get(key)
            if cid is not None and path not in content:
                content[path] = cid
                confirmed[path] = key

    def merge(self, exported: object) -> None:
        """Add what another process of this run learned (``export``); anything malformed is ignored."""
        if not (isinstance(exported, tuple) and len(exported) == 4 and all(isinstance(p, dict) for p in exported)):
            return
        learned, parsed, identities, sample = exported
        for cid, entry in learned.items():
            if type(cid) is str and _is_verdict(entry):
                bits = self._rejected.get(cid, entry) & BITS | entry & BITS
                self._rejected[cid] = self._learned[cid] = verdict(bits, entry >> SIZE_SHIFT)
        for cid, data in parsed.items():
            if type(cid) is str and type(data) is bytes and cid not in self._parsed:
                self._parsed[cid] = self._new_parsed[cid] = data
        for key, cid in identities.items():
            if type(key) is int and type(cid) is str:
                self._identities[key] = self._new_identities[key] = cid
        for path, key in sample.items():
            if type(path) is str and type(key) is int and key in self._identities:
                self._confirmed[path] = key

    def save(self, root: str | os.PathLike[str]) -> None:
        """Keep the identities this run confirmed or learned, and the verdicts of the contents
        they name; only when the run learned anything.

        A run that looked at fewer than half as many files as were kept (``--select``, a
        subfolder) keeps the older identities too, up to the cap: they still describe files it
        did not look at. A whole run drops them: they describe files that changed or left."""
        if not self._learned and not self._new_parsed and not self._new_identities:
            return
        identities = {key: self._identities[key] for key in self._confirmed.values() if key in self._identities}
        identities.update(self._new_identities)
        if len(identities) * 2 < self._kept_identities:
            for key, cid in self._identities.items():
                if len(identities) >= MAX_IDENTITIES:
                    break
                identities.setdefault(key, cid)
        present = {*identities.values(), *self._learned, *self._new_parsed,
                   *(cid for cid in self._content.values() if cid is not None)}
        rejected = {cid: entry for cid, entry in self._rejected.items() if cid in present}
        if len(rejected) > MAX_REJECTIONS:
            rejected = dict(sorted(rejected.items())[:MAX_REJECTIONS])
        parsed: dict[str, bytes] = {}
        room = MAX_PARSED_BYTES
        for cid in sorted(present & self._parsed.keys()):
            data = self._parsed[cid]
            if len(data) <= room:
                parsed[cid] = data
                room -= len(data)
        sample = list(_spread(self._confirmed).items())
        names = {cid: cid for cid in rejected}
        historycache.store(root, KIND, (code_stamp(),), {"rejected": _pack_rejected(rejected), "parsed": parsed,
                                                         "identities": _pack(identities, names), "sample": sample})
        self._learned.clear()
        self._new_parsed.clear()
        self._new_identities.clear()


class _YamlUnpickler(pickle.Unpickler):
    """Loads kept parsed YAML: plain data and the four classes ``linter.repo.yamlio`` builds,
    nothing else (a cache file cannot make it construct or call anything)."""

    ALLOWED = frozenset({("linter.repo.yamlio", "YamlFile"), ("linter.repo.yamlio", "YamlDocument"),
                         ("linter.repo.yamlio", "LineDict"), ("linter.repo.yamlio", "LineList")})

    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in kept YAML")
        return super().find_class(module, name)


_STAMP: tuple[object, ...] | None = None


def code_stamp() -> tuple[object, ...]:
    """The installed code the verdicts depend on: every module of the package (relative path,
    size, modification time), its version and the Python version. Editing a prefilter, or any
    helper it calls, changes it. About 150 ``stat`` calls, once per process."""
    global _STAMP
    if _STAMP is None:
        package = str(Path(__file__).resolve().parents[1])
        inside = len(package) + 1  # the path relative to the package: what follows its folder and a "/"
        found: list[tuple[str, int, int]] = []
        stack = [package]
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
                    found.append((entry.path[inside:], info.st_size, info.st_mtime_ns))
        from linter import __version__

        # the package version too: a zipped install has no files to stat
        _STAMP = (VERSION, __version__, sys.version, tuple(sorted(found)))
    return _STAMP
