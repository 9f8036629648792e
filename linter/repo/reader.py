"""Safe, cached reads of one repository's files.

* A file is opened only when a detector asks for it, at most once per run: text, JSON and
  parsed YAML are cached.
* Nothing outside the repository is ever read: every folder on the way must be a real
  folder, files are opened without following links, a symlinked file is read only when its
  target is inside the repository, only regular files are opened (a FIFO cannot block the
  run), files over the size cap are skipped. Every skip becomes a ``Note`` in the report.
* ``passing`` puts a prefilter (``linter.repo.prefilters``) in front of the reads: with
  verdicts kept from earlier runs (``linter.runtime.verdicts``), content a prefilter turned
  down before is not even read.
"""

from __future__ import annotations


import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from linter.repo.notes import Notes
from linter.repo.prefilters import Prefilter
from linter.repo.yamlio import YamlFile, load_yaml

if TYPE_CHECKING:
    from linter.runtime.verdicts import KeptVerdicts

DEFAULT_MAX_FILE_SIZE = 1024 * 1024



class SafeReader:
    """Reads files of ``root`` by relative POSIX path."""

    def __init__(self, root: Path, notes: Notes, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> None:
        self.root = root
        self._prefix = os.path.join(str(root), "")  # "root/": joined to relative paths by +
        self._notes = notes
        self.note = notes.note
        self.max_file_size = max_file_size
        #: verdicts kept from earlier runs, when this run keeps them (set by the runtime)
        self.kept: KeptVerdicts | None = None
        self._text: dict[str, str | None] = {}
        self._lines: dict[str, tuple[str, ...]] = {}
        self._yaml: dict[str, YamlFile | None] = {}
        self._json: dict[tuple[str, bool], Any] = {}
        self._toml: dict[str, tuple[dict[str, Any], str] | None] = {}
        self._folders: dict[str, bool] = {}  # folder -> real directory all the way down
        self._sizes: dict[str, int] = {}  # bytes of each file read cleanly

    # ------------------------------------------------------------------ reads
    def read_text(self, rel: str) -> str | None:
        """Decoded text of an indexed file, or ``None`` (with a note) when it cannot be used."""
        if rel not in self._text:
            self._text[rel] = self._read_raw(rel)
        return self._text[rel]

    def passing(self, paths: Iterable[str], prefilter: Prefilter) -> Iterator[tuple[str, str]]:
        """``(path, text)`` for each of ``paths`` whose text ``prefilter`` accepts, in order.

        The same answer as reading each file and testing it, but content the prefilter
        turned down in an earlier run (``linter.runtime.verdicts``) is skipped unread: ten
        prefilters look at each of 20,000 YAML files of a large monorepo.
        """
        if self.kept is not None:
            paths = self.kept.worth_reading(paths, prefilter.bit, self.max_file_size)
        for path in paths:
            text = self._tested(path, prefilter)
            if text is not None:
                yield path, text

    def text_passing(self, path: str, prefilter: Prefilter) -> str | None:
        """The text of ``path`` when ``prefilter`` accepts it (``passing`` for one file, without
        its loop: detectors ask this of tens of thousands of files one by one)."""
        kept = self.kept
        if kept is not None and kept.turned_down(path, prefilter.bit, self.max_file_size):
            return None
        return self._tested(path, prefilter)

    def _tested(self, path: str, prefilter: Prefilter) -> str | None:
        """The text of ``path`` when ``prefilter`` accepts it; a text it turns down is kept as
        turned down (``KeptVerdicts.reject``)."""
        text = self.read_text(path)
        if text is None:
            return None
        if prefilter.test(text):
            return text
        if self.kept is not None:
            self.kept.reject(path, prefilter.bit, self._sizes.get(path, 0))
        return None

    def read_lines(self, rel: str) -> tuple[str, ...] | None:
        """The text of ``rel`` split at each newline (``"\\n"``), once per run; ``None`` as
        ``read_text``. Parsers that point evidence at a line ask for the lines of one file
        again and again (a CI file's every script), so the split is kept with the text."""
        if rel not in self._lines:
            text = self.read_text(rel)
            if text is None:
                return None
            self._lines[rel] = tuple(text.split("\n"))
        return self._lines[rel]

    def read_json(self, rel: str, *, lenient: bool = False) -> Any:
        """Parsed JSON of ``rel``, once per run; ``None`` when unreadable or not valid JSON.

        ``lenient`` reads JSON5 as well (``linter.repo.json5``: Renovate configs, tsconfig-style
        files with comments, trailing commas, unquoted keys, single quotes). Absurdly deep
        nesting is refused like invalid JSON, never a crash.
        """
        key = (rel, lenient)
        if key not in self._json:
            self._json[key] = None
            text = self.read_text(rel)
            if text is not None:
                self._json[key] = _parse_json(text, lenient)
        return self._json[key]

    def read_toml(self, rel: str) -> tuple[dict[str, Any], str] | None:
        """Parsed TOML of ``rel`` (its table) with its text, once per run; ``None`` when
        unreadable or not TOML. ``tomllib`` is imported here, by the runs that read TOML."""
        if rel not in self._toml:
            self._toml[rel] = None
            text = self.read_text(rel)
            if text is not None:
                table = parse_toml(text)
                self._toml[rel] = (table, text) if table is not None else None
        return self._toml[rel]

    def read_yaml(self, rel: str, template: bool = False) -> YamlFile | None:
        """Parsed YAML documents of ``rel``; parse errors are noted once, documents kept.

        A Helm chart template (``template``, as the index says) is not parsed: it only becomes
        YAML once rendered.
        """
        if rel not in self._yaml and template:
            self.note(".", "Helm chart templates are not YAML until rendered; they were not parsed")
            self._yaml[rel] = None
        if rel not in self._yaml:
            kept = self.kept.parsed_yaml(rel) if self.kept is not None else None
            if isinstance(kept, YamlFile):  # parsed by an earlier run, this very content
                self._yaml[rel] = kept
                return kept
            text = self.read_text(rel)
            parsed = None if text is None else load_yaml(text)
            if self.kept is not None and parsed is not None and not parsed.errors:
                self.kept.keep_yaml(rel, parsed)
            if parsed is not None and parsed.errors:
                if text is not None and _TEMPLATE_ACTION.search(text):
                    # Go/Helm/Jinja templating outside a chart's templates/: one note, not one per
                    # document, since the text only becomes YAML once rendered
                    parts = len(parsed.errors)
                    self.note(rel, f"template syntax ({{{{ ... }}}}) in YAML: {parts} part{'' if parts == 1 else 's'} "
                                   f"{'is' if parts == 1 else 'are'} not YAML until rendered and "
                                   f"{'was' if parts == 1 else 'were'} not read")
                else:
                    for err in parsed.errors:
                        self.note(rel, err)
            self._yaml[rel] = parsed
        return self._yaml[rel]

    def broken_yaml(self, rel: str) -> bool:
        """Whether ``rel`` was read as YAML (``read_yaml``) and part of it does not parse:
        broken, not merely templated (Go/Helm/Jinja actions are not YAML until rendered)."""
        parsed = self._yaml.get(rel)
        if parsed is None or not parsed.errors:
            return False
        text = self._text.get(rel)
        return not (text is not None and _TEMPLATE_ACTION.search(text))

    def unusable(self, rel: str) -> str | None:
        """Why an indexed file that was read could not be used (its reader's note: too large,
        binary, not UTF-8, a YAML error...), or ``None`` when it was read (or never asked for)."""
        if rel in self._text and self._text[rel] is None or self.broken_yaml(rel):
            reasons = [n.reason for n in self._notes.notes if n.path == rel]
            return reasons[0] if reasons else "could not be read"
        if rel in self._text and any(key[0] == rel and value is None for key, value in self._json.items()):
            return "not valid JSON"
        return None

    def read_raw(self, rel: str) -> str | None:
        """``rel``'s text, read now and not cached (``.gitignore`` files during a walk)."""
        return self._read_raw(rel)

    def _read_raw(self, rel: str, st: os.stat_result | None = None) -> str | None:
        """One file's text: lstat (never open a FIFO, socket or device), open without following
        links, fstat (in case it was swapped), one read of the announced size, decode.
        ``st``: the lstat the caller already made.

        Hot path: at 200,000 files tens of thousands of small files come through here, so it
        costs five system calls per file and no Python file object.
        """
        path = self._prefix + rel  # a plain string: Path() per read is costly
        folder = rel.rpartition("/")[0]
        if folder and not self._real_folder(folder):
            self.note(rel, "inside a symlinked folder; not read")
            return None
        if st is None:
            try:
                st = os.lstat(path)
            except FileNotFoundError:  # tracked but deleted from the work tree is not news
                return None
            except OSError as exc:
                self.note(rel, f"cannot stat: {exc.strerror}")
                return None
        if not stat.S_ISREG(st.st_mode):
            if not stat.S_ISLNK(st.st_mode):
                if not stat.S_ISDIR(st.st_mode):  # submodules are directories: silently skipped
                    self.note(rel, "not a regular file; not opened")
                return None
            resolved = self._resolve_link(rel, path)
            if resolved is None:
                return None
            path, st = resolved
        limit = self.max_file_size
        if st.st_size > limit:
            self.note(rel, f"larger than the {limit} byte limit; skipped")
            return None
        try:
            fd = os.open(path, _OPEN_FLAGS)
        except OSError as exc:
            self.note(rel, f"cannot open: {exc.strerror}")
            return None
        try:  # plain os.read on the descriptor: a Python file object per read costs more than the read
            opened = os.fstat(fd)
            if not stat.S_ISREG(opened.st_mode):  # swapped after lstat
                self.note(rel, "not a regular file; not opened")
                return None
            # read the size fstat announced (never a cap-sized buffer per small file); a file
            # that claims zero bytes may still have content, so read it up to the cap + 1
            size = opened.st_size
            data = _read_up_to(fd, size if 0 < size <= limit else limit + 1)
        except OSError as exc:
            self.note(rel, f"cannot read: {exc.strerror}")
            return None
        finally:
            os.close(fd)
        if len(data) > limit:
            self.note(rel, f"larger than the {limit} byte limit; skipped")
            return None
        if data.find(b"\0", 0, 8192) != -1:
            self.note(rel, "binary content; skipped")
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.note(rel, f"not valid UTF-8 (byte {exc.start}); skipped")
            return None
        self._sizes[rel] = len(data)
        if self.kept is not None:
            self.kept.read(rel, opened, data)
        return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text

    def _real_folder(self, folder: str) -> bool:
        """Whether ``folder`` (relative, non-empty) is a real directory all the way down: no
        component is a symlink, so ``lstat`` and ``open`` below it stay inside the repository
        (they follow links in every component but the last). One ``lstat`` per folder per run.

        The index never lists files under a symlinked folder (git and the walk both treat the
        link as a file), so this only turns down paths built by hand or a doctored index."""
        known = self._folders.get(folder)
        if known is not None:
            return known
        # iteratively, not by recursion: a tree thousands of folders deep must not exhaust the stack
        pending = []
        while folder and folder not in self._folders:
            pending.append(folder)
            folder = folder.rpartition("/")[0]
        known = self._folders[folder] if folder else True
        for current in reversed(pending):
            if known:
                try:
                    known = stat.S_ISDIR(os.lstat(self._prefix + current).st_mode)
                except OSError:
                    known = False
            self._folders[current] = known
        return known

    def _resolve_link(self, rel: str, path: str) -> tuple[str, os.stat_result] | None:
        """A symlink's target and its stat when it stays inside the repository, else a note."""
        try:
            real = Path(os.path.realpath(path, strict=True))
        except (OSError, RuntimeError):
            self.note(rel, "broken or looping symlink; not read")
            return None
        if real != self.root and self.root not in real.parents:
            self.note(rel, "symlink points outside the repository; not read")
            return None
        try:
            st = os.stat(real)
        except OSError as exc:
            self.note(rel, f"cannot stat: {exc.strerror}")
            return None
        if not stat.S_ISREG(st.st_mode):
            if not stat.S_ISDIR(st.st_mode):
                self.note(rel, "not a regular file; not opened")
            return None
        return str(real), st


#: How files are opened: never through a symlink (``_resolve_link`` vets those first), never
#: blocking on a FIFO swapped in after the ``lstat``.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


#: A template action as Go templates (Helm), Jinja and Ansible write them: ``{{ .Values.x }}``,
#: ``{{- if ... }}``, ``{%- for ... %}``; not a GitHub Actions expression (``${{ ... }}``),
#: which lives inside valid YAML strings.
_TEMPLATE_ACTION = re.compile(r"(?<!\$)\{\{-?\s*[^{}\n]{0,200}?-?\}\}|\{%-?\s*[^%\n]{0,200}?%\}")


def _read_up_to(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes from ``fd`` (fewer only at end of file); ``os.read`` may return less."""
    data = os.read(fd, size)
    if len(data) == size or not data:
        return data
    parts = [data]
    remaining = size - len(data)
    while remaining > 0:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def parse_toml(text: str) -> dict[str, Any] | None:
    """A TOML document's table, or ``None`` when it is not TOML (never raises: absurd nesting
    is refused like a syntax error)."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _parse_json(text: str, lenient: bool) -> Any:
    import json

    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        if not lenient:
            return None
    from linter.repo import json5

    try:
        return json5.loads(text)
    except (ValueError, RecursionError):
        return None

