"""What earlier runs learned about file contents: which prefilters turned a file down, and the
parsed YAML of the files they let through, kept by git blob id.

Why: on a 200,000-file monorepo, reading every YAML, JSON and Markdown candidate for the
prefilters (``linter.repo.prefilters``) is the largest single cost of a run, and most of those
files are turned down every time. A prefilter's verdict depends on the text alone, so it can
be kept for that text: by its git blob id, the hash of the content.

Which files have an id: the candidates git tracks whose work-tree copy is unchanged
(``git ls-files --stage`` minus what ``git diff-files`` reports modified). Untracked and
modified files have none here and are always read. So a kept verdict is exact by
construction, needs no ``stat`` of the file, and survives a fresh clone: a CI job that
restores its cache folder, a second org audit.

Exactness beyond content: the kept file is keyed by the installed code (``code_stamp``: every
module of the package, its version, the Python version), so an edited prefilter starts afresh.
A verdict is kept only for a file that was read cleanly (a file that could not be read gets
a note every run), with the file's size: content larger than a later run's size cap is read
again, so that run notes it as a fresh one would. Parsed YAML is kept only when it parsed
without an error (errors become notes, produced afresh). Parsed YAML is stored with ``pickle`` and loaded by an unpickler that builds
nothing but the four classes of ``linter.repo.yamlio`` and plain data.

Where and when: command-line runs with the cache folder active (``linter.runtime.cachedir``),
in a git work tree of at least ``MIN_FILES`` indexed files (below that, reading is cheaper
than loading). One file per repository; the second process of ``check --jobs 2`` sends what
it learned to the first, which writes once at the end. Reports never depend on it.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linter.repo import gitls
from linter.runtime import cachedir, historycache

if TYPE_CHECKING:
    from linter.repo.git import GitRepository

VERSION = 5
KIND = "verdicts"
#: Repositories with fewer indexed files read everything (a cache would cost more).
MIN_FILES = 1_000
#: The files prefilters look at: only their ids are listed.
CONTENT_PATHSPECS = ("*.yaml", "*.yml", "*.json", "*.md", "*.markdown", "*.mdx", "*.template")
STAGE_ARGS = ("ls-files", "-z", "--stage", "--", *CONTENT_PATHSPECS)
MODIFIED_ARGS = ("diff-files", "--name-only", "--relative", "-z", "--", *CONTENT_PATHSPECS)
#: What the kept file may hold (``cachedir`` refuses files over 16 MB); what does not fit is
#: read again next time.
MAX_REJECTIONS = 400_000
MAX_PARSED_BYTES = 4 * 1024 * 1024
_STAGE_ENTRY = re.compile(r"[0-7]{6} ([0-9a-f]{40,64}) 0\t([^\0]+)\0")


def prefetch(root: str | os.PathLike[str]) -> None:
    """Start listing the content ids now (the command line, before it imports the checks)."""
    if cachedir.active() is not None:
        gitls.prefetch_command(root, STAGE_ARGS)
        gitls.prefetch_command(root, MODIFIED_ARGS)


def content_ids(git: GitRepository) -> dict[str, str]:
    """Path -> blob id of every tracked, unmodified candidate file (``{}`` when git cannot say)."""
    stage = git.output(*STAGE_ARGS)
    modified = git.output(*MODIFIED_ARGS)
    if stage is None or modified is None:
        return {}
    changed = set(modified.split("\0"))
    return {path: blob for blob, path in _STAGE_ENTRY.findall(stage) if path not in changed}


class KeptVerdicts:
    """One repository's kept verdicts, and what this run learns."""

    def __init__(self, ids: dict[str, str], rejected: dict[str, tuple[int, int]], parsed: dict[str, bytes]) -> None:
        self._ids = ids
        self._rejected = rejected  # blob -> (prefilter bits, size in bytes)
        self._parsed = parsed
        self._learned: dict[str, tuple[int, int]] = {}
        self._new_parsed: dict[str, bytes] = {}

    def rejects(self, path: str, bit: int, max_size: int) -> bool:
        """Whether the prefilter of ``bit`` turned this very content down before (and it is not
        over this run's size cap, which must note it)."""
        blob = self._ids.get(path)
        entry = self._rejected.get(blob) if blob is not None else None
        return entry is not None and bool(entry[0] & bit) and entry[1] <= max_size

    def reject(self, path: str, bit: int, size: int) -> None:
        """The prefilter of ``bit`` turned this content (read cleanly, ``size`` bytes) down."""
        blob = self._ids.get(path)
        if blob is not None:
            bits = self._rejected.get(blob, (0, size))[0] | bit
            self._rejected[blob] = self._learned[blob] = (bits, size)

    def parsed_yaml(self, path: str) -> Any:
        """The parsed YAML kept for this very content, or ``None``."""
        blob = self._ids.get(path)
        kept = self._parsed.get(blob) if blob is not None else None
        if kept is None:
            return None
        try:
            return _YamlUnpickler(io.BytesIO(kept)).load()
        except Exception:  # noqa: BLE001 - a damaged entry: parse the file
            return None

    def keep_yaml(self, path: str, parsed: object) -> None:
        """Keep a file's parsed YAML (parsed without errors)."""
        blob = self._ids.get(path)
        if blob is None or blob in self._parsed:
            return
        try:
            self._parsed[blob] = self._new_parsed[blob] = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - not picklable: parsed again next time
            return

    def export(self) -> tuple[dict[str, tuple[int, int]], dict[str, bytes]]:
        """What this process learned (the second process of ``--jobs 2`` sends it back)."""
        return dict(self._learned), dict(self._new_parsed)

    def merge(self, exported: object) -> None:
        """Add what another process of this run learned (``export``); anything malformed is ignored."""
        if not (isinstance(exported, tuple) and len(exported) == 2 and isinstance(exported[0], dict)
                and isinstance(exported[1], dict)):
            return
        learned, parsed = exported
        for blob, entry in learned.items():
            if type(blob) is str and _is_entry(entry):
                bits = self._rejected.get(blob, entry)[0] | entry[0]
                self._rejected[blob] = self._learned[blob] = (bits, entry[1])
        for blob, data in parsed.items():
            if type(blob) is str and type(data) is bytes and blob not in self._parsed:
                self._parsed[blob] = self._new_parsed[blob] = data

    def save(self, root: str | os.PathLike[str]) -> None:
        """Keep the verdicts of the contents this repository holds now, when the run learned any."""
        if not self._learned and not self._new_parsed:
            return
        present = set(self._ids.values())
        rejected = {blob: bits for blob, bits in self._rejected.items() if blob in present}
        if len(rejected) > MAX_REJECTIONS:
            rejected = dict(sorted(rejected.items())[:MAX_REJECTIONS])
        parsed: dict[str, bytes] = {}
        room = MAX_PARSED_BYTES
        for blob in sorted(present & self._parsed.keys()):
            data = self._parsed[blob]
            if len(data) <= room:
                parsed[blob] = data
                room -= len(data)
        historycache.store(root, KIND, (code_stamp(),), {"rejected": rejected, "parsed": parsed})
        self._learned.clear()
        self._new_parsed.clear()


def load(root: str | os.PathLike[str], git: GitRepository, indexed_files: int) -> KeptVerdicts | None:
    """The kept verdicts of the repository at ``root`` (empty on a first run), or ``None`` when
    this run keeps none (not a command-line run, a small repository, no git)."""
    if not historycache.active() or indexed_files < MIN_FILES or not git.git_dir_ok:
        return None
    ids = content_ids(git)
    kept = historycache.load(root, KIND, (code_stamp(),))
    rejected, parsed = kept.get("rejected"), kept.get("parsed")
    if not isinstance(rejected, dict) or not isinstance(parsed, dict):
        rejected, parsed = {}, {}
    rejected = {b: v for b, v in rejected.items() if type(b) is str and _is_entry(v)}
    parsed = {b: v for b, v in parsed.items() if type(b) is str and type(v) is bytes}
    return KeptVerdicts(ids, rejected, parsed)


def _is_entry(value: object) -> bool:
    return type(value) is tuple and len(value) == 2 and type(value[0]) is int and type(value[1]) is int


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
