"""The repository as practicelint sees it: an index of paths and lazy, safe, cached reads.

Design rules, each of which a test pins down:

* The index is built once, from ``git ls-files`` (tracked plus untracked-not-ignored, see
  ``untracked``) in a git work tree, or from a directory walk that honours ``.gitignore``
  otherwise. The listing may already be running (``linter.repo.gitls.prefetch``).
* A file is opened only when a detector asks for it, at most once per run: text and parsed
  YAML are cached.
* Nothing outside the repository is ever read: symlinks are resolved and checked, only
  regular files are opened, files over the size cap are skipped. Every skip becomes a
  ``Note`` in the report rather than an exception.
"""

from __future__ import annotations

import array
import bisect
import os
import re
import stat
import subprocess
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from linter import deadline
from linter.records import dataclass
from linter.repo import gitls, historycache, literals, sieves
from linter.repo.gitls import GIT_TIMEOUT_SECONDS, GitFailed
from linter.repo.globs import gitignore_lines_in_linear_time, matcher
from linter.repo.yamlio import YamlFile, load_yaml

#: Directory names never indexed: dependency caches, virtualenvs and VCS internals.
PRUNED_DIRS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "env", ".tox", ".nox",
     "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", "bower_components",
     "vendor", ".terraform", "site-packages"}
)
#: Folders of sample and test data: their configuration is not the repository's own (a
#: Kubernetes manifest under ``testdata/`` deploys nothing). Skipped unless configured otherwise.
SAMPLE_DIRS = frozenset(
    {"testdata", "test-data", "test_data", "fixtures", "__fixtures__", "__snapshots__", "__mocks__",
     "examples", "example", "samples", "_examples", "mocks"}
)
DEFAULT_MAX_FILE_SIZE = 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")

T = TypeVar("T")


@dataclass(frozen=True, order=True)
class Note:
    """Something the run skipped or could not use, shown in every report."""

    path: str
    reason: str


#: Lowercased names of both kinds, for a quick "could this path be either?" test.
_SPECIAL_DIRS = frozenset(name.lower() for name in PRUNED_DIRS | SAMPLE_DIRS)


def _is_pruned(rel: str) -> bool:
    return any(part in PRUNED_DIRS for part in rel.split("/")[:-1])


def _is_sample(rel: str) -> bool:
    return any(part.lower() in SAMPLE_DIRS for part in rel.split("/")[:-1])


class Workspace:
    """One repository under inspection. Create it once per run and share it."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        exclude: Iterable[str] = (),
    ) -> None:
        self.root = Path(root).resolve()
        self._prefix = os.path.join(str(self.root), "")  # "root/": joined to relative paths by +
        self.max_file_size = max_file_size
        self._exclude = tuple(exclude)
        self.skip_sample_dirs = True
        self.untracked = "auto"
        self._notes: dict[tuple[str, str], Note] = {}
        self._text: dict[str, str | None] = {}
        self._yaml: dict[str, YamlFile | None] = {}
        self._json: dict[tuple[str, bool], Any] = {}
        self._facts: dict[Callable[..., Any], Any] = {}
        self._untracked: frozenset[str] = frozenset()
        self._folders: dict[str, bool] = {}  # folder -> real directory all the way down

    def configure(self, *, max_file_size: int, exclude: Iterable[str], skip_sample_dirs: bool = True,
                  untracked: str = "auto") -> None:
        """Apply the user's limits once the configuration is known (before indexing)."""
        self.max_file_size = max_file_size
        self._exclude = tuple(exclude)
        self.skip_sample_dirs = skip_sample_dirs
        self.untracked = untracked
        for cached in ("files", "file_set", "_by_extension", "_path_text", "yaml_files", "markdown_files",
                       "directories", "_verdicts"):
            self.__dict__.pop(cached, None)
        self._untracked = frozenset()

    # ------------------------------------------------------------------ index
    @cached_property
    def _git_state(self) -> tuple[bool, bool, str]:
        """``(inside a work tree, shallow, path of root below the top)``, from one ``rev-parse``
        (usually prefetched by the CLI); one question at a time when that fails (a git older
        than 2.15 has no ``--is-shallow-repository``)."""
        out = self._git(*gitls.STATE_ARGS)
        lines = out.split("\n") if out is not None else []
        if len(lines) >= 3 and lines[0] in ("true", "false"):
            return lines[0] == "true", lines[1] == "true", lines[2].strip()
        inside = (self._git("rev-parse", "--is-inside-work-tree") or "").strip() == "true"
        if not inside:
            return False, False, ""
        shallow = (self._git("rev-parse", "--is-shallow-repository") or "").strip() == "true"
        return True, shallow, (self._git("rev-parse", "--show-prefix") or "").strip()

    @property
    def git_dir_ok(self) -> bool:
        """True when ``root`` is inside a usable git work tree."""
        return self._git_state[0]

    @property
    def git_prefix(self) -> str:
        """``root``'s path below the top of its work tree (``""`` at the top, else ``sub/``)."""
        return self._git_state[2]

    @cached_property
    def files(self) -> tuple[str, ...]:
        """Sorted POSIX paths relative to ``root`` of every indexed file."""
        paths: Iterable[str] | None = None
        if self.git_dir_ok:
            try:
                paths = self._git_listing()
            except GitFailed:
                paths = None
                self.note(".", "git ls-files failed; fell back to a directory walk")
        elif (self.root / ".git").exists():
            self.note(".git", "git cannot read this repository (corrupt or unsupported); indexed by a directory walk")
        if paths is None:
            paths = self._walk()
        excluded = matcher(self._exclude) if self._exclude else None
        selected: list[str] = []
        samples: list[str] = []
        for path in paths:  # one pass; the set test skips the exact checks for ordinary paths
            directory = path.rpartition("/")[0]
            if directory and not _SPECIAL_DIRS.isdisjoint(directory.lower().split("/")):
                if _is_pruned(path):
                    continue
                if self.skip_sample_dirs and _is_sample(path):
                    samples.append(path)
                    continue
            if excluded is None or not excluded.match(path):
                selected.append(path)
        if samples:
            folders = sorted({next(part for part in p.split("/")[:-1] if part.lower() in SAMPLE_DIRS)
                              for p in samples})
            self.note(".", f"{len(set(samples))} files in sample or test-data folders ({', '.join(folders[:5])}"
                           f"{', ...' if len(folders) > 5 else ''}) are not evidence of this repository's "
                           "own practices; set skip-sample-dirs: false to include them")
        selected.sort()  # git lists in this order already: the sort only merges untracked files in
        return tuple(p for i, p in enumerate(selected) if i == 0 or p != selected[i - 1])

    def _git_listing(self) -> list[str]:
        """Tracked files, plus untracked-not-ignored ones as ``untracked`` says.

        ``auto`` skips the untracked walk (with a note) when the index holds more than
        ``gitls.UNTRACKED_AUTO_LIMIT`` entries: on a huge monorepo reading every directory
        costs more than the checks, and CI checkouts have no untracked files anyway.
        """
        cached, others = gitls.take(self.root)
        if cached is None:
            cached = gitls.start(str(self.root), *gitls.CACHED_ARGS)
            if self.untracked != "none":  # both listings at once, as when prefetched
                others = gitls.Drained(gitls.start(str(self.root), *gitls.OTHERS_ARGS))
        try:
            paths = gitls.read_all(cached, b"\0")
        except GitFailed:
            if others is not None:
                gitls.stop(others)
            raise
        wanted = self.untracked == "all" or (self.untracked == "auto" and len(paths) <= gitls.UNTRACKED_AUTO_LIMIT)
        if not wanted:
            if others is not None:
                gitls.stop(others)
            if self.untracked == "auto":
                self.note(".", f"untracked files were not listed: the index holds {len(paths)} files "
                               f"(more than {gitls.UNTRACKED_AUTO_LIMIT}); set untracked: all to include them")
            return paths
        if others is None:
            others = gitls.start(str(self.root), *gitls.OTHERS_ARGS)
        untracked = gitls.read_all(others, b"\0")
        self._untracked = frozenset(untracked)
        paths.extend(untracked)
        return paths

    @property
    def untracked_files(self) -> frozenset[str]:
        """Listed files git does not track (untracked, not ignored; see ``untracked``): what
        someone left in the clone, not the repository's content. Empty without git, where
        every file found is the repository's. Rule packs from the repository skip these."""
        self.files  # noqa: B018 - listing the files is what finds them
        return self._untracked

    @cached_property
    def file_set(self) -> frozenset[str]:
        return frozenset(self.files)

    def _walk(self) -> list[str]:
        """Directory walk honouring nested ``.gitignore`` files (via pathspec)."""
        import pathspec

        found: list[str] = []
        specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []

        def ignored(rel: str, is_dir: bool) -> bool:
            verdict = False
            for base, spec in specs:
                if base and not rel.startswith(base + "/"):
                    continue
                sub = rel[len(base) + 1:] if base else rel
                if spec.match_file(sub + ("/" if is_dir else "")):
                    verdict = True
            return verdict

        def onerror(err: OSError) -> None:
            rel = os.path.relpath(getattr(err, "filename", "") or str(self.root), self.root)
            self.note(rel.replace(os.sep, "/"), f"directory not readable: {err.strerror}")

        for dirpath, dirnames, filenames in os.walk(self.root, onerror=onerror, followlinks=False):
            rel_dir = os.path.relpath(dirpath, self.root).replace(os.sep, "/")
            rel_dir = "" if rel_dir == "." else rel_dir
            if ".gitignore" in filenames:
                rel_ignore = f"{rel_dir}/.gitignore" if rel_dir else ".gitignore"
                text = self._read_raw(rel_ignore)
                if text:
                    lines, dropped = gitignore_lines_in_linear_time(text.splitlines())
                    if dropped:
                        self.note(rel_ignore, f"{dropped} pattern(s) with wildcards too entangled to match in "
                                              "bounded time; not applied")
                    specs.append((rel_dir, pathspec.GitIgnoreSpec.from_lines(lines)))
            keep = []
            for d in sorted(dirnames):
                rel = f"{rel_dir}/{d}" if rel_dir else d
                if d in PRUNED_DIRS or ignored(rel, True):
                    continue
                keep.append(d)
            dirnames[:] = keep
            for name in filenames:
                rel = f"{rel_dir}/{name}" if rel_dir else name
                if not ignored(rel, False):
                    found.append(rel)
        return found

    # ------------------------------------------------------------------ notes
    def note(self, path: str, reason: str) -> None:
        """Record a skipped file or a problem once; reports list notes sorted."""
        self._notes.setdefault((path, reason), Note(path, reason))

    @property
    def notes(self) -> list[Note]:
        return sorted(self._notes.values())

    # ------------------------------------------------------------------ queries
    def glob(self, *patterns: str) -> list[str]:
        """Indexed paths matching any of the globs (see ``linter.repo.globs``), in index order.

        Each glob is tested only on the paths that can match it: those under its literal
        folder prefix (a range of the sorted index) or, for ``**/name.ext`` shapes, those in
        its extension's bucket. Only globs with neither scan the whole index.
        """
        regex = matcher(patterns)
        pools = [self._glob_pool(p) for p in patterns]
        if not pools or any(pool is None for pool in pools):
            return [p for p in self.files if regex.match(p)]
        if len(pools) == 1:
            return [p for p in pools[0] if regex.match(p)]  # type: ignore[union-attr]
        return sorted({p for pool in pools for p in pool if regex.match(p)})  # type: ignore[union-attr]

    def _glob_pool(self, pattern: str) -> list[str] | tuple[str, ...] | None:
        """The indexed paths a glob can match (a superset, in index order), or ``None`` for all."""
        body = pattern.strip().strip("/") if pattern not in ("/", "") else ""
        wild = _GLOB_WILDCARD.search(body)
        if wild is None:  # a literal path
            return [body] if body in self.file_set else []
        prefix = body[: body.rfind("/", 0, wild.start()) + 1]
        if prefix:  # "dir/**" also matches "dir" itself
            start = bisect.bisect_left(self.files, prefix)
            end = bisect.bisect_left(self.files, prefix[:-1] + "0")  # "0" sorts right after "/"
            pool = list(self.files[start:end])
            return [prefix[:-1], *pool] if prefix[:-1] in self.file_set else pool
        tail = body[max(m.end() for m in _GLOB_WILDCARD.finditer(body)):]
        name_tail = tail.rpartition("/")[2]
        if "]" in tail or "." not in name_tail:
            return None
        return self._by_extension.get(name_tail[name_tail.rfind("."):].lower(), [])

    def paths_containing(self, *needles: str) -> list[str]:
        """Indexed paths that contain any of ``needles``, ignoring case, in index order.

        One C-level substring search per needle over the lower-cased index joined with NULs
        (which no path holds), so a question like "any path with ``jenkinsfile`` in it"
        costs milliseconds at 200,000 files instead of a Python call per path. Callers then
        check the few hits exactly.
        """
        return self._containing([n.lower() for n in needles if n and "\0" not in n])

    def paths_in_folder_named(self, *names: str) -> list[str]:
        """Indexed paths with a folder segment equal to one of ``names`` (ignoring case), in
        index order: ``docs`` finds ``docs/a.md`` and ``x/Docs/y/b.md``, not ``mydocs/c.md``."""
        wanted = sorted({n.lower().strip("/") for n in names if n and "\0" not in n and n.strip("/")})
        lowered, offsets = self._path_text
        if lowered is None:  # lower-casing changed some lengths (rare scripts): scan per path
            return [p for p in self.files if not set(wanted).isdisjoint(p.lower().split("/")[:-1])]
        if not wanted:
            return []
        # one scan for every name (a search per name and separator costs a scan each)
        return self._hits(offsets, (m.start() + 1 for m in literals.folder_named(wanted).finditer(lowered)))

    def _containing(self, needles: list[str]) -> list[str]:
        lowered, offsets = self._path_text
        if lowered is None:  # lower-casing changed some lengths (rare scripts): scan per path
            return [p for p in self.files if any(n in p.lower() for n in needles)]
        return self._hits(offsets, (at for needle in set(needles) for at in _find_all(lowered, needle)))

    def _hits(self, offsets: array.array[int], positions: Iterable[int]) -> list[str]:
        """The indexed paths holding the given positions of ``_path_text``, in index order."""
        found = literals.owners(offsets, positions)
        files = self.files
        return [files[i] for i in sorted(found) if 0 <= i < len(files)]

    @cached_property
    def _path_text(self) -> tuple[str | None, array.array[int]]:
        """The lower-cased index as ``\\0path\\0path...`` and where each path's NUL starts
        (``None`` when lower-casing would move characters)."""
        joined = "\0" + "\0".join(self.files)
        lowered = joined.lower()
        return (lowered if len(lowered) == len(joined) else None), literals.nul_offsets(self.files)

    @cached_property
    def directories(self) -> tuple[str, ...]:
        """Every directory that holds an indexed file, sorted (``.`` excluded)."""
        dirs: set[str] = set()
        for p in self.files:
            parts = p.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                dirs.add("/".join(parts[:i]))
        return tuple(sorted(dirs))

    def by_name(self, *names: str) -> list[str]:
        """Indexed paths whose base name is one of ``names`` (case-sensitive), in index order.

        Looked up in the extension buckets (a name without a dot in the no-extension bucket),
        so no call scans the whole index."""
        found: list[str] = []
        buckets = {_extension_of(name) for name in names}
        wanted = set(names)
        for key in buckets:
            found.extend(p for p in self._by_extension.get(key, ()) if p.rpartition("/")[2] in wanted)
        return sorted(found) if len(buckets) > 1 else found

    @cached_property
    def _by_extension(self) -> dict[str, list[str]]:
        """Indexed paths by lower-case last extension (``.yaml``; ``""`` for names without a
        dot, such as ``Dockerfile``), built in one pass.

        (No such index by base name: at 200,000 files it would hold 40 MB of names.)"""
        index: dict[str, list[str]] = {}
        for path in self.files:
            name = path.rpartition("/")[2]
            dot = name.rfind(".")
            index.setdefault(name[dot:].lower() if dot >= 0 else "", []).append(path)
        return index

    def with_suffix(self, *suffixes: str) -> list[str]:
        """Indexed paths ending with any of ``suffixes`` (case-insensitive), in index order.

        Single extensions come from a per-extension index, so the many detectors asking
        for ``.yaml`` or ``.md`` files do not each scan the whole file list.
        """
        lowered = tuple(s.lower() for s in suffixes)
        if all(s.startswith(".") and s.count(".") == 1 for s in lowered):
            picked = [p for s in dict.fromkeys(lowered) for p in self._by_extension.get(s, ())]
            return sorted(picked) if len(lowered) > 1 else picked
        return [p for p in self.files if p.lower().endswith(lowered)]

    @cached_property
    def yaml_files(self) -> tuple[str, ...]:
        return tuple(self.with_suffix(*YAML_SUFFIXES))

    @cached_property
    def markdown_files(self) -> tuple[str, ...]:
        return tuple(self.with_suffix(*MARKDOWN_SUFFIXES))

    def exists(self, rel: str) -> bool:
        return rel in self.file_set

    def bounded(self, paths: list[str], limit: int, what: str) -> list[str]:
        """The first ``limit`` of ``paths`` (index order), with a note when some are left out,
        so a cap that bounds the time on a huge monorepo never hides evidence silently."""
        if len(paths) > limit:
            self.note(".", f"{len(paths)} {what}; only the first {limit} were read (the rest sort later)")
        return paths[:limit]

    # ------------------------------------------------------------------ reads
    def read_text(self, rel: str) -> str | None:
        """Decoded text of an indexed file, or ``None`` (with a note) when it cannot be used."""
        if rel not in self._text:
            self._text[rel] = self._read_raw(rel)
        return self._text[rel]

    def sifted(self, rel: str, sieve: sieves.Sieve) -> str | None:
        """The text of ``rel`` when ``sieve`` accepts it, else ``None`` (unreadable files are
        noted as by ``read_text``).

        Same answer as ``read_text`` plus the test, but a file the same sieve turned down in
        an earlier run, and unchanged since (``linter.repo.sieves``), costs one ``lstat``
        instead of a read. Hot path: ten sieves look at each of 20,000 YAML files.
        """
        verdicts = self._verdicts
        state = verdicts.states.get(rel) if verdicts is not None else None
        st = None
        if verdicts is not None and state is None:
            try:
                st = os.lstat(self._prefix + rel)
            except OSError:
                st = None
            if st is not None and stat.S_ISREG(st.st_mode):
                state = verdicts.state(rel, sieves.key_of(st), self.max_file_size)
        if verdicts is None or state is None:  # no cache, or not a plain file: read (and noted) as usual
            text = self.read_text(rel)
            return text if text is not None and sieve.test(text) else None
        bit = sieve.bit
        if state & bit:
            return None  # turned down before, unchanged since
        text = self._text.get(rel, _UNREAD)
        if text is _UNREAD:
            text = self._text[rel] = self._read_raw(rel, st)
        if text is None:
            return None
        if sieve.test(text):
            return text
        if state & sieves.LEARNABLE:
            verdicts.states[rel] = state | bit | sieves.DIRTY
            verdicts.changed = True
        return None

    def unrejected(self, paths: Iterable[str], sieve: sieves.Sieve) -> list[str]:
        """``paths`` without the files ``sieve`` is known to turn down (kept from an earlier run
        and ``lstat``-ed unchanged in this one): ``sifted`` need not be asked about those. One
        dictionary lookup per path; ten sieves look at each of 20,000 YAML files."""
        verdicts = self._verdicts
        if verdicts is None:
            return list(paths)
        states, bit = verdicts.states, sieve.bit
        return [path for path in paths if not states.get(path, 0) & bit]

    @cached_property
    def _verdicts(self) -> sieves.Verdicts | None:
        """Rejections kept from earlier runs (``linter.repo.sieves``), or ``None`` when this run
        keeps none (a library call, the cache turned off, or a small repository)."""
        if len(self.files) < sieves.MIN_FILES:
            return None
        return sieves.load(self.root)

    def sift_states(self) -> dict[str, int] | None:
        """Files this process already ``lstat``-ed for the sieves, with what they were turned
        down for (``Verdicts.settled_states``): sent to the child of ``--jobs 2``."""
        verdicts = self.__dict__.get("_verdicts")
        return verdicts.settled_states() if verdicts is not None else None

    def install_sift_states(self, states: dict[str, int] | None) -> None:
        """Take another process's ``sift_states`` (files it ``lstat``-ed moments ago)."""
        verdicts = self._verdicts
        if verdicts is not None and states:
            verdicts.take_states(states)

    def verdicts_learned(self) -> object:
        """What this process learned about sieves (sent by the child of ``check --jobs 2``)."""
        verdicts = self.__dict__.get("_verdicts")
        return verdicts.export() if verdicts is not None else None

    def merge_verdicts(self, exported: object) -> None:
        """Add another process's ``verdicts_learned`` to this one's."""
        verdicts = self.__dict__.get("_verdicts")
        if verdicts is not None and exported is not None:
            verdicts.merge(exported)

    def save_verdicts(self) -> None:
        """Keep what the sieves learned for the next run (the end of a run; one process)."""
        verdicts = self.__dict__.get("_verdicts")
        if verdicts is not None:
            verdicts.save(self.root, self.file_set)

    def is_helm_template(self, rel: str) -> bool:
        """True for files under a Helm chart's ``templates/``: Go templates, not YAML."""
        parts = rel.split("/")
        for i, part in enumerate(parts[:-1]):
            if part == "templates":
                chart = "/".join(parts[:i])
                if (f"{chart}/Chart.yaml" if chart else "Chart.yaml") in self.file_set:
                    return True
        return False

    def read_json(self, rel: str, *, lenient: bool = False) -> Any:
        """Parsed JSON of ``rel``, once per run; ``None`` when unreadable or not valid JSON.

        ``lenient`` also accepts the JSON5 habits of Renovate configs (comments, trailing
        commas). Absurdly deep nesting is refused like invalid JSON, never a crash.
        """
        key = (rel, lenient)
        if key not in self._json:
            self._json[key] = None
            text = self.read_text(rel)
            if text is not None:
                self._json[key] = _parse_json(text, lenient)
        return self._json[key]

    def read_yaml(self, rel: str) -> YamlFile | None:
        """Parsed YAML documents of ``rel``; parse errors are noted once, documents kept.

        Helm chart templates are not parsed (they only become YAML once rendered).
        """
        if rel not in self._yaml and self.is_helm_template(rel):
            self.note(".", "Helm chart templates are not YAML until rendered; they were not parsed")
            self._yaml[rel] = None
        if rel not in self._yaml:
            verdicts = self.__dict__.get("_verdicts")
            kept = verdicts.parsed_yaml(rel) if verdicts is not None else None
            if isinstance(kept, YamlFile):  # parsed by an earlier run, file unchanged since
                self._yaml[rel] = kept
                return kept
            text = self.read_text(rel)
            parsed = None if text is None else load_yaml(text)
            if verdicts is not None and parsed is not None and not parsed.errors:
                verdicts.keep_yaml(rel, parsed)
            if parsed is not None and parsed.errors:
                if text is not None and _TEMPLATE_ACTION.search(text):
                    # Go/Helm/Jinja templating outside a chart's templates/: one note, not one per
                    # document, since the text only becomes YAML once rendered
                    self.note(rel, f"template syntax ({{{{ ... }}}}) in YAML: {len(parsed.errors)} part(s) are not "
                                   "YAML until rendered and were not read")
                else:
                    for err in parsed.errors:
                        self.note(rel, err)
            self._yaml[rel] = parsed
        return self._yaml[rel]

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
        return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text

    def _real_folder(self, folder: str) -> bool:
        """Whether ``folder`` (relative, non-empty) is a real directory all the way down: no
        component is a symlink, so ``lstat`` and ``open`` below it stay inside the repository
        (they follow links in every component but the last). One ``lstat`` per folder per run.

        The index never lists files under a symlinked folder (git and the walk both treat the
        link as a file), so this only turns down paths built by hand or a doctored index."""
        known = self._folders.get(folder)
        if known is None:
            parent = folder.rpartition("/")[0]
            known = not parent or self._real_folder(parent)
            if known:
                try:
                    known = stat.S_ISDIR(os.lstat(self._prefix + folder).st_mode)
                except OSError:
                    known = False
            self._folders[folder] = known
        return known

    def read_tracked(self, rel: str) -> str | None:
        """The text of a file the repository's own configuration names (``extends:``,
        ``rule-packs:``), or ``None``: a normalised relative path, outside ``.git`` and the
        other pruned folders, through real folders only, and tracked by git when ``root`` is a
        work tree. The caller says why it was refused without quoting the file."""
        if not rel or rel.startswith("/") or "\\" in rel or "\0" in rel or os.path.normpath(rel) != rel \
                or rel.startswith("../") or rel == ".." or _is_pruned(rel + "/"):
            return None
        if self.git_dir_ok and not self._is_tracked(rel):
            return None
        return self._read_raw(rel)

    def _is_tracked(self, rel: str) -> bool:
        out = self._git("ls-files", "-z", "--cached", "--", f":(literal){rel}")
        return out is not None and rel in out.split("\0")

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

    # ------------------------------------------------------------------ facts
    def facts(self, detector: Callable[["Workspace"], T]) -> T:
        """Run ``detector`` once per run and share its typed facts between rules."""
        if detector not in self._facts:
            name = (f"{getattr(detector, '__module__', '')}.{getattr(detector, '__qualname__', '?')}"
                    .removeprefix("linter.detectors.").replace(".<locals>", ""))
            with deadline.phase(f"detector {name}"):
                self._facts[detector] = detector(self)
        return self._facts[detector]  # type: ignore[no-any-return]

    def computed_facts(self) -> dict[Callable[..., Any], Any]:
        """The facts computed so far, by detector (``linter.parallel`` sends some to its child)."""
        return dict(self._facts)

    def install_facts(self, facts: dict[Callable[..., Any], Any]) -> None:
        """Take facts another process of this run computed (``computed_facts``)."""
        for detector, value in facts.items():
            self._facts.setdefault(detector, value)

    def history_state(self) -> dict[str, int | None] | None:
        """Service ages known so far (``first_commit_times``), for the child of ``--jobs 2``."""
        known = self.__dict__.get("_first_commit_known")
        return dict(known) if known is not None else None

    def install_history_state(self, state: dict[str, int | None] | None) -> None:
        """Take the service ages another process of this run found (``history_state``)."""
        if isinstance(state, dict):
            self.__dict__.setdefault("_first_commit_known", {}).update(state)

    # ------------------------------------------------------------------ git
    def git_pieces(self, *args: str) -> Iterator[str]:
        """A read-only git command's output in pieces of whole lines (``gitls.line_pieces``),
        from the process ``gitls.prefetch_command`` started for the same arguments, if any.
        Raises ``GitFailed`` after the last piece when git fails. Detectors that read history
        in their own shape (``linter.detectors.history``) call it with their arguments."""
        proc = gitls.take_command(self.root, args) or gitls.start(str(self.root), *args)
        yield from gitls.line_pieces(proc)

    def _git(self, *args: str) -> str | None:
        """Run a read-only git command in ``root`` (or collect the one ``gitls.prefetch_command``
        started with these arguments); ``None`` on any failure."""
        prefetched = gitls.take_command(self.root, args)
        if prefetched is not None:
            return gitls.output(prefetched)
        try:
            proc = subprocess.run(
                ["git", "-c", "core.fsmonitor=false", "-c", "core.quotepath=off", *args],
                cwd=self.root, capture_output=True, timeout=GIT_TIMEOUT_SECONDS,
                env=gitls.git_env(), stdin=subprocess.DEVNULL, check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        if proc.returncode != 0:
            return None
        return proc.stdout.decode("utf-8", "replace")

    @cached_property
    def head_commit(self) -> str | None:
        if not self.git_dir_ok:
            return None
        out = self._git(*gitls.HEAD_ARGS)
        return out.strip() if out else None

    @property
    def is_shallow(self) -> bool:
        return self.git_dir_ok and self._git_state[1]

    def first_commit_times(self, directories: Iterable[str]) -> dict[str, int | None]:
        """Unix time of the first commit that added a file under each directory (``.`` = repo).

        ``None`` means git knows nothing (no history, or files not yet committed). Ask for
        every directory you need in one call: each call with new directories reads the
        history once (streamed, additions only), whatever the number of directories.
        """
        wanted = sorted(set(directories))
        missing = [d for d in wanted if d not in self._first_commit_known]
        if missing:
            computed = self._first_commits(set(missing))
            self._first_commit_known.update(computed)
            if self.keeps_history and len(self._first_commit_known) <= historycache.MAX_FOLDERS:
                historycache.store(self.root, historycache.AGES, self._ages_key(), self._first_commit_known)
        return {d: self._first_commit_known.get(d) for d in wanted}

    def first_commit_time(self, directory: str, together: Iterable[str] = ()) -> int | None:
        """``first_commit_times`` of one directory; when it is not known yet, ``together`` (the
        other service folders) are dated in the same pass. A known answer costs a lookup, so
        a rule asking once per service does not rebuild the list of all services each time."""
        known = self._first_commit_known
        if directory not in known:
            self.first_commit_times([directory, *together])
        return known.get(directory)

    def prefetch_first_commits(self, directories: Iterable[str] = ()) -> None:
        """Start the file-addition log now, to be read by ``first_commit_times`` later (the
        engine calls this once it knows there are several service folders to date), unless
        the times of all ``directories`` were kept at this ``HEAD`` (``historycache``)."""
        if self.git_dir_ok and not set(directories) <= self._first_commit_known.keys():
            gitls.prefetch_command(self.root, FIRST_ADDED_ARGS)

    @cached_property
    def _first_commit_known(self) -> dict[str, int | None]:
        """First-addition times found so far: those kept at this ``HEAD`` by an earlier run first."""
        if not self.keeps_history:
            return {}
        kept = historycache.load(self.root, historycache.AGES, self._ages_key())
        return {d: t for d, t in kept.items() if type(d) is str and (t is None or type(t) is int)}

    @cached_property
    def keeps_history(self) -> bool:
        """Whether facts from history are kept between runs (``linter.repo.historycache``):
        when the command line set the cache up, and the clone is complete with a commit
        checked out. A shallow clone's oldest commits look parentless, and deepening it
        changes their diffs and the service ages without moving ``HEAD``."""
        return historycache.active() and self.git_dir_ok and not self.is_shallow and self.head_commit is not None

    def _ages_key(self) -> tuple[object, ...]:
        """What the first-addition times depend on: the commit checked out, the folder inside
        the work tree, and how they are computed."""
        return ("ages-1", self.head_commit, self.git_prefix, FIRST_ADDED_ARGS, gitls.ROOTS_ARGS)

    def _first_commits(self, wanted: set[str]) -> dict[str, int | None]:
        """One ``git log --diff-filter=A`` pass: a directory first appears in the commit
        that first adds a file under it, so only additions are listed."""
        found: dict[str, int | None] = dict.fromkeys(wanted)
        if self.head_commit is None:
            return found
        prefix = self.git_prefix
        if wanted == {"."} and not prefix:
            # the whole repository: its first file came with its oldest root commit, which git
            # finds without listing every addition in history (0.4 s on 18,000 commits)
            roots = self._git(*gitls.ROOTS_ARGS)
            times = [int(t) for t in (roots or "").split() if t.isdigit()]
            if times:
                return {".": min(times)}
        # only the depths asked about are looked at, and in bulk: a regular expression per depth
        # lists the folders of a commit's added files, so no Python work per added file
        depths = sorted({d.count("/") + 1 for d in wanted if d not in (".", "")})
        folder_at = [re.compile("^" + re.escape(prefix) + "((?:[^/\n]*/){%d}[^/\n]*)/" % (depth - 1), re.M)
                     for depth in depths]
        when = 0
        try:
            for header, lines in gitls.commit_parts(self.git_pieces(*FIRST_ADDED_ARGS)):
                if header is not None:
                    when = int(header.strip()) if header.strip().isdigit() else 0
                if not when or not lines.strip("\n"):
                    continue
                folders = {"."}
                if '"' in lines:  # quoted unusual paths (a newline, a tab): those one by one, unquoted
                    for line in lines.split("\n"):
                        if line[:1] == '"':
                            parts = unquote_git_path(line).removeprefix(prefix).split("/")
                            folders.update("/".join(parts[:depth]) for depth in depths if depth < len(parts))
                    lines = "\n".join(line for line in lines.split("\n") if line[:1] != '"')
                for regex in folder_at:
                    folders.update(regex.findall(lines))
                for directory in folders.intersection(found):
                    current = found[directory]
                    if current is None or when < current:
                        found[directory] = when
        except GitFailed:
            self.note(".", "git history could not be read")
            return dict.fromkeys(wanted)
        return found

    def git_log_numstat_text(self, max_commits: int, skip_names: Iterable[str] = ()) -> Iterator[str]:
        """``git log --no-merges --numstat`` of the newest ``max_commits`` commits that touch
        this workspace's folder (paths relative to it), streamed in pieces of whole lines:
        each commit starts with a ``\\x01sha\\x02subject`` line, then one
        ``added<TAB>deleted<TAB>path`` line per file (``-`` for binary files; renames as a
        delete plus an add). ``linter.detectors.history.commit_sizes`` reads it in bulk.
        Raises ``GitFailed`` after the last piece when git fails (no repository, no commit).

        Files named in ``skip_names`` (lockfiles) are excluded by pathspec, so git never
        diffs them: a long yarn.lock history otherwise dominates the run time.
        """
        yield from self.git_pieces(*numstat_args(max_commits, skip_names))


_UNREAD = object()  # ``sifted``: not read yet in this process

#: How files are opened: never through a symlink (``_resolve_link`` vets those first), never
#: blocking on a FIFO swapped in after the ``lstat``.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


_GLOB_WILDCARD = re.compile(r"[*?\[]")
#: A template action as Go templates (Helm), Jinja and Ansible write them: ``{{ .Values.x }}``,
#: ``{{- if ... }}``, ``{%- for ... %}``; not a GitHub Actions expression (``${{ ... }}``),
#: which lives inside valid YAML strings.
_TEMPLATE_ACTION = re.compile(r"(?<!\$)\{\{-?\s*[^{}\n]{0,200}?-?\}\}|\{%-?\s*[^%\n]{0,200}?%\}")


def _find_all(text: str, needle: str) -> Iterator[int]:
    """Start positions of ``needle`` in ``text`` (non-overlapping)."""
    at = text.find(needle)
    while at != -1:
        yield at
        at = text.find(needle, at + len(needle))


def _extension_of(name: str) -> str:
    """A base name's key in ``Workspace._by_extension``."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


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


#: ``git log`` of every file addition with its commit time (``first_commit_times``; started early
#: by ``Workspace.prefetch_first_commits`` when there are service folders to date).
FIRST_ADDED_ARGS = ("log", "--format=%x01%ct", "--name-only", "--no-renames", "--diff-filter=A", "--", ".")


def numstat_args(max_commits: int, skip_names: Iterable[str] = ()) -> tuple[str, ...]:
    """The ``git log`` arguments of ``Workspace.git_log_numstat_text`` (also used to prefetch it)."""
    skipped = [f":(exclude,glob,icase)**/{name}" for name in sorted(skip_names)]
    # --no-textconv/--no-ext-diff: no diff driver a doctored .git/config names ever runs
    return ("log", "--no-merges", f"-n{int(max_commits)}", "--numstat", "--no-textconv", "--no-ext-diff",
            "--no-renames", "--relative", "--format=%x01%H%x02%s", "--", ".", *skipped)


def unquote_git_path(path: str) -> str:
    """Undo git's C-style quoting of unusual paths (``"a\\tb"``); best effort."""
    if len(path) >= 2 and path.startswith('"') and path.endswith('"'):
        inner = path[1:-1]
        try:
            return inner.encode("latin-1", "backslashreplace").decode("unicode_escape").encode(
                "latin-1", "replace").decode("utf-8", "replace")
        except (UnicodeError, ValueError):
            return inner
    return path


#: Comments and trailing commas of JSON5; an unterminated ``/*`` runs to the end (else each later
#: ``/*`` scanned to the end again: quadratic).
_JSON5_NOISE = re.compile(r"//[^\n]*|/\*(?:.*?\*/|.*\Z)|,(?=\s*[}\]])", re.S)


def _parse_json(text: str, lenient: bool) -> Any:
    import json

    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        if not lenient:
            return None
    try:
        return json.loads(_JSON5_NOISE.sub("", text))
    except (ValueError, RecursionError):
        return None


#: Folders of documentation and tests: a manifest there illustrates a page or sets up a test
#: cluster; it is not how this repository's software is deployed.
DOCUMENTATION_DIRS = frozenset({"docs", "doc", "documentation"})
TEST_DIRS = frozenset({"test", "tests", "e2e"})
#: ... except an environment called "test": ``envs/test/main.tf`` or ``overlays/test/`` is real
#: infrastructure that costs money and needs the same tags and policies as production.
ENVIRONMENT_PARENTS = frozenset({"env", "envs", "environment", "environments", "overlays", "live", "stages",
                                 "clusters", "accounts", "deploy", "deployments", "infra", "terraform"})
NOT_DEPLOYED_DIRS = DOCUMENTATION_DIRS | TEST_DIRS


def outside_docs_and_tests(paths: Iterable[str]) -> list[str]:
    """``paths`` without files under a documentation or test folder (``docs/``, ``doc/``,
    ``documentation/``, ``test/``, ``tests/``, ``e2e/`` at any depth, but not an environment
    named ``test`` under ``envs/``, ``overlays/``, ``live/``...). Infrastructure and
    deployment readers use it: an Argo CD Application in ``docs/operator-manual/`` or
    ``test/manifests/`` is an example or a fixture, not this repository's deployment, and
    crediting (or blaming) the repository for it would be wrong. (``examples/``,
    ``testdata/`` and the like are left out of every reader already: ``skip-sample-dirs``.)"""
    paths = list(paths)
    named = _with_folder_named(paths, NOT_DEPLOYED_DIRS)
    if named is None:
        return _kept_by_folder(paths, _DEPLOYED_FOLDERS, _deployed_folder)
    # only paths with such a folder need the full test (a test folder under an environment)
    return [p for i, p in enumerate(paths) if i not in named or _deployed_folder(p.rpartition("/")[0])]


def outside_documentation(paths: Iterable[str]) -> list[str]:
    """``paths`` without files under a ``docs/``, ``doc/`` or ``documentation/`` folder (at any
    depth): examples that illustrate a page, not the repository's own practice."""
    paths = list(paths)
    named = _with_folder_named(paths, DOCUMENTATION_DIRS)
    if named is None:
        return _kept_by_folder(paths, _DOCUMENTATION_FOLDERS,
                               lambda folder: DOCUMENTATION_DIRS.isdisjoint(folder.lower().split("/") if folder else ()))
    return [p for i, p in enumerate(paths) if i not in named]


def _with_folder_named(paths: list[str], names: frozenset[str]) -> set[int] | None:
    """Indexes of ``paths`` with a folder (any segment but the last) named like one of the
    lower-case ``names``, ignoring case; ``None`` for paths that are not all ASCII.

    One regular-expression pass over the joined, lower-cased paths: a 200,000-file monorepo
    has as many folders as YAML files, so judging each folder in Python costs 50 ms a call.
    """
    regex = _FOLDER_NAMED.get(names)
    if regex is None:
        regex = _FOLDER_NAMED[names] = literals.folder_named(names)
    return literals.matching_indexes(paths, regex)


_FOLDER_NAMED: dict[frozenset[str], re.Pattern[str]] = {}


def _kept_by_folder(paths: Iterable[str], known: dict[str, bool], keep: Callable[[str], bool]) -> list[str]:
    """``paths`` whose folder ``keep`` accepts, each folder judged once (``known`` remembers the
    answers across calls). For paths whose lower-cased form changes length (rare scripts)."""
    kept = []
    for path in paths:
        folder = path.rpartition("/")[0]
        verdict = known.get(folder)
        if verdict is None:
            if len(known) >= 100_000:
                known.clear()
            verdict = known[folder] = keep(folder)
        if verdict:
            kept.append(path)
    return kept


_DOCUMENTATION_FOLDERS: dict[str, bool] = {}
_DEPLOYED_FOLDERS: dict[str, bool] = {}


def _deployed_folder(folder: str) -> bool:
    folders = folder.lower().split("/") if folder else []
    return NOT_DEPLOYED_DIRS.isdisjoint(folders) or not any(
        part in DOCUMENTATION_DIRS or (part in TEST_DIRS and (i == 0 or folders[i - 1] not in ENVIRONMENT_PARENTS))
        for i, part in enumerate(folders))


def in_dir(rel: str, directory: str) -> bool:
    """True when ``rel`` lies inside ``directory`` (``.`` contains everything)."""
    return directory == "." or rel == directory or rel.startswith(directory + "/")
