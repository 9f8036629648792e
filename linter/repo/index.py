"""The repository's files: one index, built once, and the path questions detectors ask.

The index comes from ``git ls-files`` (tracked plus untracked-not-ignored, see
``untracked``) in a git work tree, or from a directory walk that honours ``.gitignore``
otherwise; the listing may already be running (``linter.repo.gitls.prefetch``). Dependency
caches, virtualenvs and VCS internals are never indexed, sample and test-data folders not
unless configured, ``exclude`` globs never. Every question (globs, names, extensions,
substrings, folder names) is answered from the index in time that grows with the files that
can match, not with the whole index (a 200,000-file monorepo asks thousands of them).
"""

from __future__ import annotations


import array
import bisect
import os
import re
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Iterator

from linter.repo import gitls, path_search
from linter.repo.git import GitRepository
from linter.repo.gitls import GitFailed
from linter.repo.globs import gitignore_lines_in_linear_time, matcher
from linter.repo.notes import Notes

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

#: Deepest folder a walk without git enters: ``os.walk`` recurses once per level and the
#: operating system refuses paths past ``PATH_MAX``, so a hostile tree thousands of folders deep
#: would end the run; deeper folders are left out with one note.
MAX_WALK_DEPTH = 128
#: Up to this many folder names, ``paths_in_folder_named`` searches each (with each separator)
#: as a plain substring; above it one regular-expression pass is cheaper (benchmarks/README.md).
FIND_PER_NAME = 4
YAML_SUFFIXES = (".yaml", ".yml")

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")



#: Lowercased names of both kinds, for a quick "could this path be either?" test.
_SPECIAL_DIRS = frozenset(name.lower() for name in PRUNED_DIRS | SAMPLE_DIRS)


def is_pruned(rel: str) -> bool:
    """Whether a folder of ``rel`` is never indexed (``.git``, ``node_modules``, virtualenvs...)."""
    return any(part in PRUNED_DIRS for part in rel.split("/")[:-1])


def _is_sample(rel: str) -> bool:
    return any(part.lower() in SAMPLE_DIRS for part in rel.split("/")[:-1])


class FileIndex:
    """Every indexed path of one repository, sorted, and queries over them."""

    def __init__(self, root: Path, notes: Notes, git: GitRepository, read_raw: Callable[[str], str | None]) -> None:
        self.root = root
        self.note = notes.note
        self._git = git
        self._read_raw = read_raw  # for .gitignore files during a directory walk
        self._exclude: tuple[str, ...] = ()
        self.skip_sample_dirs = True
        self.untracked = "auto"
        self._untracked: frozenset[str] = frozenset()

    def configure(self, *, exclude: Iterable[str], skip_sample_dirs: bool = True, untracked: str = "auto") -> None:
        """Apply the configuration's choices (before the first question)."""
        self._exclude = tuple(exclude)
        self.skip_sample_dirs = skip_sample_dirs
        self.untracked = untracked
        for cached in ("files", "file_set", "_by_extension", "_path_text", "yaml_files", "markdown_files",
                       "directories"):
            self.__dict__.pop(cached, None)
        self._untracked = frozenset()

    @cached_property
    def files(self) -> tuple[str, ...]:
        """Sorted POSIX paths relative to ``root`` of every indexed file."""
        paths: Iterable[str] | None = None
        if self._git.git_dir_ok:
            try:
                paths = self._git_listing()
            except GitFailed:
                paths = None
                self.note(".", "git ls-files failed; fell back to a directory walk")
        elif (self.root / ".git").exists() and self._git.outside_reason is None:
            self.note(".git", "git cannot read this repository (corrupt or unsupported); indexed by a directory walk")
        if paths is None:
            paths = self._walk()
        excluded = matcher(self._exclude) if self._exclude else None
        selected: list[str] = []
        samples: list[str] = []
        for path in paths:  # one pass; the set test skips the exact checks for ordinary paths
            directory = path.rpartition("/")[0]
            if directory and not _SPECIAL_DIRS.isdisjoint(directory.lower().split("/")):
                if is_pruned(path):
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
        too_deep: list[str] = []

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
                        self.note(rel_ignore, f"{dropped} pattern{'' if dropped == 1 else 's'} with wildcards too entangled to match in "
                                              "bounded time; not applied")
                    specs.append((rel_dir, pathspec.GitIgnoreSpec.from_lines(lines)))
            if rel_dir.count("/") + 1 >= MAX_WALK_DEPTH and rel_dir and dirnames:
                if not too_deep:
                    self.note(rel_dir, f"folders more than {MAX_WALK_DEPTH} levels deep; not listed")
                too_deep.append(rel_dir)
                dirnames[:] = []
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
        if len(wanted) <= FIND_PER_NAME:  # a few C-level substring searches beat one regex pass
            positions: Iterable[int] = (at + 1 for name in wanted for separator in "\0/"
                                        for at in _find_all(lowered, f"{separator}{name}/"))
        else:  # one regex pass for every name (each substring search is a pass of its own)
            positions = (m.start() + 1 for m in path_search.folder_named(wanted).finditer(lowered))
        return self._hits(offsets, positions)

    def _containing(self, needles: list[str]) -> list[str]:
        lowered, offsets = self._path_text
        if lowered is None:  # lower-casing changed some lengths (rare scripts): scan per path
            return [p for p in self.files if any(n in p.lower() for n in needles)]
        return self._hits(offsets, (at for needle in set(needles) for at in _find_all(lowered, needle)))

    def _hits(self, offsets: array.array[int], positions: Iterable[int]) -> list[str]:
        """The indexed paths holding the given positions of ``_path_text``, in index order."""
        found = path_search.owners(offsets, positions)
        files = self.files
        return [files[i] for i in sorted(found) if 0 <= i < len(files)]

    @cached_property
    def _path_text(self) -> tuple[str | None, array.array[int]]:
        """The lower-cased index as ``\\0path\\0path...`` and where each path's NUL starts
        (``None`` when lower-casing would move characters)."""
        joined = "\0" + "\0".join(self.files)
        lowered = joined.lower()
        return (lowered if len(lowered) == len(joined) else None), path_search.nul_offsets(self.files)

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

    def is_helm_template(self, rel: str) -> bool:
        """True for files under a Helm chart's ``templates/``: Go templates, not YAML."""
        parts = rel.split("/")
        for i, part in enumerate(parts[:-1]):
            if part == "templates":
                chart = "/".join(parts[:i])
                if (f"{chart}/Chart.yaml" if chart else "Chart.yaml") in self.file_set:
                    return True
        return False


_GLOB_WILDCARD = re.compile(r"[*?\[]")


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
