"""Compiled regular expressions kept between runs, as ``__pycache__`` keeps bytecode.

Why: CPython compiles a regular expression with a parser and code generator written in
Python. A run imports several hundred patterns (practicelint's detectors, PyYAML,
markdown-it, click), which cost about 30 ms of CPU on every run, a fifth of a small
repository's check. The compiled form is a list of integers that ``_sre.compile`` turns into
a pattern object directly, so it can be stored.

How: ``install()`` (called by the command-line entry points only, never on a library
import) wraps ``re._compiler.compile``, the function ``re`` calls when its own in-process
cache misses. A miss compiles as usual and records the arguments the compiler passed to
``_sre.compile``; a hit passes the stored arguments to ``_sre.compile`` again. The result is
the same pattern object the compiler would have built, byte for byte of its code.

Safety:

* the cache file is keyed by the interpreter's cache tag and ``_sre.MAGIC``, so another
  Python or another regex engine version never reads it;
* it holds only plain values (``marshal`` of strings, numbers, lists, dicts), validated on
  load; anything unexpected discards the whole file;
* it lives in the user's cache folder (``PRACTICELINT_CACHE_DIR``, else
  ``$XDG_CACHE_HOME/practicelint``, else ``~/.cache/practicelint``), never in the scanned
  repository; ``PRACTICELINT_NO_CACHE=1`` turns it off; any error reading or writing it is
  ignored (the run compiles as usual);
* it is bounded: patterns longer than ``MAX_PATTERN_CHARS`` and entries beyond
  ``MAX_ENTRIES`` are not stored (configured globs from a repository cannot grow it without
  limit), and entries unused for ``FORGET_AFTER`` writes are dropped (see ``REFRESH_AFTER``).

Reports never depend on it: a run with a cold, warm or disabled cache gives the same bytes.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import threading
from pathlib import Path
from typing import Any, Iterable

MAX_ENTRIES = 4096
MAX_PATTERN_CHARS = 20_000
FILE_PREFIX = "regex-"
#: Each entry carries the cache's clock when it was last written or confirmed. The clock
#: advances only when a run writes the file (new patterns), so a run that finds everything
#: writes nothing; an entry is confirmed when it is this many ticks old and in use, and
#: dropped when it is ``FORGET_AFTER`` ticks old (patterns of one audited repository's
#: configuration do not pile up).
REFRESH_AFTER = 16
FORGET_AFTER = 64

_entries: dict[tuple[Any, int], tuple[Any, ...]] = {}  # (pattern, flags) -> (5 compile args..., stamp)
_added: dict[tuple[Any, int], tuple[Any, ...]] = {}  # new or to be confirmed in this process
_clock = 0  # the stamp this process writes: one more than the newest in the file
_path: Path | None = None
hits = 0  # patterns served from the cache in this process (for tests and curiosity)
_lock = threading.RLock()
_installed = False
_yaml_cache: dict[str, Any] | None = None
_yaml_dirty = False


def cache_dir() -> Path | None:
    """Where practicelint keeps caches, or ``None`` when caching is turned off."""
    if os.environ.get("PRACTICELINT_NO_CACHE"):
        return None
    explicit = os.environ.get("PRACTICELINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "practicelint"


def install(avoid: Iterable[str] = ()) -> bool:
    """Serve compiled patterns from the cache from now on; ``False`` when not possible here.

    ``avoid``: folders the cache must not be in (the folders the command is about to scan:
    those named on its command line, else the working directory). A cache inside a scanned repository could have been planted
    by it (a CI job whose ``HOME`` is its checkout), so it is then neither read nor written.
    """
    global _installed, _path
    if _installed:
        return True
    try:
        import _sre
        from re import _compiler
    except ImportError:
        return False
    folder = cache_dir()
    original = getattr(_compiler, "compile", None)
    if folder is None or _inside_any(folder, avoid) or sys.implementation.name != "cpython" or original is None \
            or not hasattr(_compiler, "_sre") or not hasattr(_sre, "MAGIC"):
        return False
    tag = sys.implementation.cache_tag or "unknown"
    _path = folder / f"{FILE_PREFIX}{tag}-{_sre.MAGIC}.marshal"
    _entries.update(_load(_path))
    global _clock
    _clock = 1 + max((value[5] for value in _entries.values()), default=0)
    real_sre = _compiler._sre
    recorder = _Recorder(real_sre)
    debug = getattr(_compiler, "SRE_FLAG_DEBUG", 128)

    def cached_compile(pattern: Any, flags: int = 0) -> Any:
        if type(pattern) not in (str, bytes) or flags & debug or len(pattern) > MAX_PATTERN_CHARS:
            return original(pattern, flags)
        key = (pattern, flags)
        args = _entries.get(key)
        if args is not None:
            try:
                compiled = real_sre.compile(pattern, *args[:5])
                global hits
                hits += 1
                if args[5] < _clock - REFRESH_AFTER:  # in use: confirm it with the next write
                    _added[key] = (*args[:5], _clock)
                return compiled
            except Exception:  # noqa: BLE001 - a bad entry: compile it the ordinary way
                _entries.pop(key, None)
        with _lock:  # one recording at a time
            recorder.calls = []
            _compiler._sre = recorder
            try:
                compiled = original(pattern, flags)
            finally:
                _compiler._sre = real_sre
            calls, recorder.calls = recorder.calls, []
        if len(calls) == 1 and calls[0][0] is pattern and len(_entries) + len(_added) < MAX_ENTRIES:
            _added[key] = _entries[key] = (*calls[0][1:], _clock)
        return compiled

    _compiler.compile = cached_compile
    _installed = True
    return True


def enabled() -> bool:
    """True once ``install`` set the cache up for this run (other caches follow its lead:
    ``linter.repo.historycache``)."""
    return _installed and _path is not None


def _inside_any(folder: Path, places: Iterable[str]) -> bool:
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


class _Recorder:
    """Stands in for ``_sre`` while a pattern compiles, noting what ``compile`` received."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.calls: list[tuple[Any, ...]] = []

    def compile(self, pattern: Any, flags: int, code: list[int], groups: int, groupindex: Any,
                indexgroup: Any) -> Any:
        # opcodes are int subclasses (named constants): stored as plain ints
        self.calls.append((pattern, int(flags), [int(c) for c in code], int(groups), dict(groupindex),
                           tuple(indexgroup)))
        return self._real.compile(pattern, flags, code, groups, groupindex, indexgroup)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def save() -> None:
    """Add this process's new patterns to the cache file (merged with what another process
    wrote meanwhile; written to a temporary file and renamed, so readers never see half),
    and the parsed catalog files when they changed."""
    global _yaml_dirty
    if _yaml_dirty and _yaml_cache is not None:
        _yaml_dirty = False
        _write(_yaml_path(), _yaml_cache)
    if not _added or _path is None:
        return
    try:
        merged = {key: value for key, value in _load(_path).items() if value[5] > _clock - FORGET_AFTER}
        for key, value in _added.items():
            if len(merged) >= MAX_ENTRIES and key not in merged:
                continue
            merged[key] = value
        _path.parent.mkdir(parents=True, exist_ok=True)
        temporary = _path.with_name(f"{_path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(merged))
        os.replace(temporary, _path)
        _added.clear()
    except (OSError, ValueError, TypeError):
        pass


def _write(path: Path, data: dict[Any, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(data))
        os.replace(temporary, path)
    except (OSError, ValueError, TypeError):
        pass


def parsed_yaml_cache() -> dict[str, Any] | None:
    """Parsed YAML of the packaged catalog files, by file text, from earlier runs (``None``
    unless the cache is installed: only command-line runs use it). Parsing the ~40 catalog
    files costs about 4 ms per run; their parsed form is plain data that ``marshal`` stores."""
    global _yaml_cache
    if not _installed or _path is None:
        return None
    if _yaml_cache is None:
        _yaml_cache = {}
        try:
            data = marshal.loads(read_cache_file(_yaml_path()))
            if isinstance(data, dict) and all(type(k) is str and isinstance(v, dict) for k, v in data.items()):
                _yaml_cache = data
        except (OSError, EOFError, ValueError, TypeError):
            pass
    return _yaml_cache


def remember_yaml(text: str, data: dict[str, Any]) -> None:
    """Store one catalog file's parsed form (only plain data; anything else is not kept)."""
    global _yaml_dirty
    cache = parsed_yaml_cache()
    if cache is None or len(cache) >= MAX_ENTRIES:
        return
    try:
        marshal.dumps(data)
    except ValueError:  # a date or another non-plain value: parse it every time
        return
    cache[text] = data
    _yaml_dirty = True


def _yaml_path() -> Path:
    assert _path is not None
    return _path.with_name(_path.name.replace(FILE_PREFIX, "catalog-yaml-", 1))


#: A cache file larger than this is not read (the regex cache is ~300 KB).
MAX_FILE_BYTES = 16 * 1024 * 1024


def read_cache_file(path: Path) -> bytes:
    """A cache file's bytes: a regular file only (a FIFO put in its place cannot hang the
    run), and not beyond ``MAX_FILE_BYTES``; ``OSError`` otherwise."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            raise OSError("not a regular cache file")
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise OSError("cache file too large")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _load(path: Path) -> dict[tuple[Any, int], tuple[Any, ...]]:
    try:
        data = marshal.loads(read_cache_file(path))
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, dict) or len(data) > MAX_ENTRIES:
        return {}
    for key, value in data.items():
        if not _valid(key, value):
            return {}
    return data


def _valid(key: Any, value: Any) -> bool:
    """The shape of an entry. The code itself is not checked here, integer by integer (that
    cost ~5 ms per run): ``_sre.compile`` validates it and refuses anything malformed, and a
    refused entry is compiled the ordinary way."""
    return (type(key) is tuple and len(key) == 2 and type(key[0]) in (str, bytes) and type(key[1]) is int
            and type(value) is tuple and len(value) == 6 and type(value[0]) is int and type(value[1]) is list
            and type(value[2]) is int and type(value[3]) is dict and type(value[4]) is tuple
            and type(value[5]) is int)
