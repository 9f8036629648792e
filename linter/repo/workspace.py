"""The repository as detectors see it: one object that answers every question about it.

A ``Workspace`` is a thin front over four parts, each in its own module, so a detector has
one thing to ask and each concern one place to live:

* ``index`` (``linter.repo.index.FileIndex``): which files exist, and path queries;
* ``reader`` (``linter.repo.reader.SafeReader``): safe, cached reads, behind prefilters;
* ``git`` (``linter.repo.git.GitRepository``): HEAD, tracked files, history;
* ``facts`` (``linter.repo.facts.FactStore``): each detector's facts, computed once.

All four write skipped files and problems to one ``Notes`` (``linter.repo.notes``), which
every report shows. Create one workspace per run and share it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from linter.repo.facts import FactStore
from linter.repo.git import GitRepository
from linter.repo.history_gap import HistoryGap
from linter.repo.index import FileIndex
from linter.repo.notes import Note, Notes
from linter.repo.prefilters import Prefilter
from linter.repo.reader import DEFAULT_MAX_FILE_SIZE, SafeReader
from linter.repo.yamlio import YamlFile

T = TypeVar("T")

__all__ = ["DEFAULT_MAX_FILE_SIZE", "Note", "Workspace"]


class Workspace:
    """One repository under inspection."""

    def __init__(self, root: str | os.PathLike[str], *, max_file_size: int = DEFAULT_MAX_FILE_SIZE,
                 exclude: Iterable[str] = ()) -> None:
        self.root = Path(root).resolve()
        self._notes = Notes()
        self.note = self._notes.note
        self.git = GitRepository(self.root, self._notes)
        self.reader = SafeReader(self.root, self._notes, max_file_size)
        self.index = FileIndex(self.root, self._notes, self.git, self.reader.read_raw)
        self.index.configure(exclude=exclude)
        self.fact_store = FactStore()

    def configure(self, *, max_file_size: int, exclude: Iterable[str], skip_sample_dirs: bool = True,
                  untracked: str = "auto") -> None:
        """Apply the user's limits once the configuration is known (before indexing)."""
        self.reader.max_file_size = max_file_size
        self.index.configure(exclude=exclude, skip_sample_dirs=skip_sample_dirs, untracked=untracked)

    @property
    def notes(self) -> list[Note]:
        return self._notes.notes

    @property
    def max_file_size(self) -> int:
        return self.reader.max_file_size

    # ------------------------------------------------------------------ the index
    @property
    def files(self) -> tuple[str, ...]:
        """Sorted POSIX paths relative to ``root`` of every indexed file."""
        return self.index.files

    @property
    def file_set(self) -> frozenset[str]:
        return self.index.file_set

    @property
    def untracked_files(self) -> frozenset[str]:
        return self.index.untracked_files

    @property
    def directories(self) -> tuple[str, ...]:
        return self.index.directories

    @property
    def yaml_files(self) -> tuple[str, ...]:
        return self.index.yaml_files

    @property
    def markdown_files(self) -> tuple[str, ...]:
        return self.index.markdown_files

    def glob(self, *patterns: str) -> list[str]:
        return self.index.glob(*patterns)

    def paths_containing(self, *needles: str) -> list[str]:
        return self.index.paths_containing(*needles)

    def paths_in_folder_named(self, *names: str) -> list[str]:
        return self.index.paths_in_folder_named(*names)

    def by_name(self, *names: str) -> list[str]:
        return self.index.by_name(*names)

    def with_suffix(self, *suffixes: str) -> list[str]:
        return self.index.with_suffix(*suffixes)

    def exists(self, rel: str) -> bool:
        return self.index.exists(rel)

    def bounded(self, paths: list[str], limit: int, what: str) -> list[str]:
        return self.index.bounded(paths, limit, what)

    def is_helm_template(self, rel: str) -> bool:
        return self.index.is_helm_template(rel)

    # ------------------------------------------------------------------ reads
    def read_text(self, rel: str) -> str | None:
        return self.reader.read_text(rel)

    def read_lines(self, rel: str) -> tuple[str, ...] | None:
        """The lines of ``rel`` (its text split at each newline), split once per run."""
        return self.reader.read_lines(rel)

    def read_json(self, rel: str, *, lenient: bool = False) -> Any:
        return self.reader.read_json(rel, lenient=lenient)

    def read_toml(self, rel: str) -> tuple[dict[str, Any], str] | None:
        """Parsed TOML of ``rel`` and its text, or ``None`` (``SafeReader.read_toml``)."""
        return self.reader.read_toml(rel)

    def read_yaml(self, rel: str) -> YamlFile | None:
        """Parsed YAML documents of ``rel`` (never a Helm chart's templates, which are not YAML
        until rendered); parse errors are noted once, documents kept."""
        return self.reader.read_yaml(rel, template=self.index.is_helm_template(rel))

    def passing(self, paths: Iterable[str], prefilter: Prefilter) -> Iterator[tuple[str, str]]:
        """``(path, text)`` for each of ``paths`` whose text ``prefilter`` accepts."""
        return self.reader.passing(paths, prefilter)

    def text_passing(self, path: str, prefilter: Prefilter) -> str | None:
        """The text of ``path`` when ``prefilter`` accepts it, else ``None``."""
        return self.reader.text_passing(path, prefilter)

    def yaml_passing(self, paths: Iterable[str], prefilter: Prefilter) -> Iterator[tuple[str, YamlFile]]:
        """``(path, parsed YAML)`` for each of ``paths`` whose text ``prefilter`` accepts."""
        for path, _ in self.reader.passing(paths, prefilter):
            parsed = self.read_yaml(path)
            if parsed is not None:
                yield path, parsed

    def unusable(self, rel: str) -> str | None:
        """Why a file a detector read could not be used (too large, binary, broken YAML...), or
        ``None``: a rule that found nothing says it could not read this, never "not applicable"."""
        return self.reader.unusable(rel)

    def broken_yaml(self, rel: str) -> bool:
        """Whether ``rel`` was read as YAML and part of it does not parse (templates aside)."""
        return self.reader.broken_yaml(rel)

    def read_tracked(self, rel: str) -> str | None:
        """The text of a file the repository's own configuration names (``extends:``,
        ``rule-packs:``), or ``None``: a normalised relative path, outside ``.git`` and the
        other pruned folders, through real folders only, and tracked by git when ``root`` is a
        work tree. The caller says why it was refused without quoting the file."""
        from linter.repo.index import is_pruned

        if not rel or rel.startswith("/") or "\\" in rel or "\0" in rel or os.path.normpath(rel) != rel \
                or rel.startswith("../") or rel == ".." or is_pruned(rel + "/"):
            return None
        if self.git.git_dir_ok and not self.git.is_tracked(rel):
            return None
        return self.reader.read_raw(rel)

    # ------------------------------------------------------------------ git
    @property
    def git_dir_ok(self) -> bool:
        return self.git.git_dir_ok

    @property
    def git_prefix(self) -> str:
        return self.git.git_prefix

    @property
    def head_commit(self) -> str | None:
        return self.git.head_commit

    @property
    def is_shallow(self) -> bool:
        return self.git.is_shallow

    @property
    def history_gap(self) -> HistoryGap | None:
        return self.git.history_gap

    @property
    def keeps_history(self) -> bool:
        return self.git.keeps_history

    def first_commit_times(self, directories: Iterable[str]) -> dict[str, int | None]:
        return self.git.first_commit_times(directories)

    def first_commit_time(self, directory: str, together: Iterable[str] = ()) -> int | None:
        return self.git.first_commit_time(directory, together)

    def prefetch_first_commits(self, directories: Iterable[str] = ()) -> None:
        self.git.prefetch_first_commits(directories)

    def git_pieces(self, *args: str) -> Iterator[str]:
        return self.git.git_pieces(*args)

    def git_log_numstat_text(self, max_commits: int, skip_names: Iterable[str] = ()) -> Iterator[str]:
        return self.git.git_log_numstat_text(max_commits, skip_names)

    def commit_sizes(self, max_commits: int) -> list[Any]:
        """The sizes of the newest ``max_commits`` commits touching this folder, newest first
        (``linter.repo.commit_sizes.CommitSize``; kept between runs by commit id)."""
        from linter.repo.commit_sizes import sized_window

        return sized_window(self, max_commits)

    # ------------------------------------------------------------------ facts
    def facts(self, detector: Callable[[Workspace], T]) -> T:
        """Run ``detector`` once per run and share its typed facts between rules."""
        return self.fact_store.facts(detector, self)
