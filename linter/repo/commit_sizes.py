"""Commit sizes from git history: how many lines each recent commit changed, kept between runs.

One ``git log --no-merges --numstat`` call (``GitRepository.git_log_numstat_text``) over the
newest commits that touch the workspace's folder. A commit's size is lines added
plus lines deleted, except in files nobody writes by hand, which would make a one-line
dependency bump look like a rewrite:

* lockfiles: ``package-lock.json``, ``npm-shrinkwrap.json``, ``yarn.lock``,
  ``pnpm-lock.yaml``, ``bun.lock``, ``poetry.lock``, ``Pipfile.lock``, ``uv.lock``,
  ``pdm.lock``, ``Cargo.lock``, ``go.sum``, ``composer.lock``, ``Gemfile.lock``,
  ``Podfile.lock``, ``packages.lock.json``, ``flake.lock``, ``mix.lock``, ``pubspec.lock``,
  ``.terraform.lock.hcl``;
* minified or generated files: ``*.min.js``, ``*.min.css``, ``*.map``, ``*.pb.go``,
  ``*_pb2.py``, ``*_pb2_grpc.py``, ``*.generated.*``, ``*.snap``;
* vendored or build directories anywhere in the path: ``vendor/``, ``third_party/``,
  ``third-party/``, ``node_modules/``, ``dist/``.

Binary files (``-`` in numstat) count as zero lines and are counted separately.

A commit's size is a function of the commit alone, so each is kept by commit id
(``linter.runtime.historycache``): the next run lists the window's commit ids (a cheap walk,
no blob read) and asks git for the sizes of new commits only; on a CI push that is a handful.
Detectors ask ``Workspace.commit_sizes``; none of this reaches them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from linter.fast_dataclass import dataclass
from linter.repo import gitls
from linter.repo.git import numstat_args, unquote_git_path
from linter.runtime import historycache

if TYPE_CHECKING:
    from linter.repo.workspace import Workspace

#: The newest commits read; the rule's ``window`` option cannot exceed it.
MAX_COMMITS = 1000
#: DEL002's default ``window`` (``rules/DEL002.yaml`` says the same; a test keeps them equal).
DEFAULT_WINDOW = 200

LOCKFILES = frozenset({
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb",
    "poetry.lock", "pipfile.lock", "uv.lock", "pdm.lock", "cargo.lock", "go.sum", "composer.lock",
    "gemfile.lock", "podfile.lock", "packages.lock.json", "flake.lock", "mix.lock", "pubspec.lock",
    ".terraform.lock.hcl",
})
GENERATED_SUFFIXES = (".min.js", ".min.css", ".map", ".pb.go", "_pb2.py", "_pb2_grpc.py", ".snap")
VENDORED_DIRS = frozenset({"vendor", "third_party", "third-party", "node_modules", "dist"})


@dataclass(frozen=True, order=True)
class CommitSize:
    sha: str
    subject: str
    lines: int  # added + deleted in counted files
    excluded_lines: int  # lines in lockfiles, generated and vendored files
    binary_files: int

    @property
    def short_sha(self) -> str:
        return self.sha[:8]


#: One search over the lowercased path answers ``is_excluded`` (it runs once per numstat line).
_EXCLUDED = re.compile(
    "(?:^|/)(?:" + "|".join(re.escape(name) for name in sorted(LOCKFILES)) + ")$"
    "|(?:" + "|".join(re.escape(suffix) for suffix in GENERATED_SUFFIXES) + ")$"
    r"|\.generated\.[a-z0-9]{1,10}$"
    "|(?:^|/)(?:" + "|".join(re.escape(name) for name in sorted(VENDORED_DIRS)) + ")/")


def is_excluded(path: str) -> bool:
    """True for lockfiles, minified/generated files and anything under a vendored directory."""
    return _EXCLUDED.search(path.lower()) is not None


#: Substrings (of a lower-cased numstat piece) without which no path in it can be excluded
#: other than a lockfile, which git's pathspec already leaves out (``skip_names``): pieces
#: without any are summed in bulk, the rest path by path.
_EXCLUSION_MARKERS = tuple(sorted({*GENERATED_SUFFIXES, ".generated.", *(f"{d}/" for d in VENDORED_DIRS)}))
#: A numstat row's counts: digits, or ``-`` for a binary file.
_ROW = re.compile(r"^(\d+|-)\t(\d+|-)\t", re.M)
#: A numstat row with its path.
_ROW_WITH_PATH = re.compile(r"^(\d+|-)\t(\d+|-)\t([^\n]*)$", re.M)


class _SizeTally:
    """One commit's running totals while its numstat rows stream in."""

    __slots__ = ("head", "lines", "excluded", "binary", "files")

    def __init__(self, head: str) -> None:
        self.head = head
        self.lines = self.excluded = self.binary = self.files = 0

    def add(self, rows: str) -> None:
        """Numstat rows (whole lines) of this commit."""
        lowered = rows.lower()
        if '"' in rows or any(marker in lowered for marker in _EXCLUSION_MARKERS):
            for added, deleted, path in _ROW_WITH_PATH.findall(rows):
                self.files += 1
                if added == "-" or deleted == "-":
                    self.binary += 1
                elif is_excluded(unquote_git_path(path) if path[:1] == '"' else path):
                    self.excluded += int(added) + int(deleted)
                else:
                    self.lines += int(added) + int(deleted)
            return
        for added, deleted in _ROW.findall(rows):  # the common case: nothing to exclude
            self.files += 1
            if added == "-" or deleted == "-":
                self.binary += 1
            else:
                self.lines += int(added) + int(deleted)

    def size(self) -> CommitSize:
        sha, _, subject = self.head.partition("\x02")
        return CommitSize(sha.strip(), subject.strip(), self.lines, self.excluded, self.binary)


def commit_sizes(pieces: Iterable[str]) -> list[CommitSize]:
    """Sizes of the commits in streamed ``git log --numstat`` output (``git_log_numstat_text``),
    newest first; commits that change no listed file are left out.

    Lockfiles never appear (git's pathspec leaves them out, ``numstat_args``); generated and
    vendored files count as excluded, binary files separately. No Python object per changed
    file: big histories list 100,000s of rows.
    """
    sizes: list[CommitSize] = []
    current: _SizeTally | None = None
    for header, lines in gitls.commit_parts(pieces):
        if header is not None:
            if current is not None and current.files:
                sizes.append(current.size())
            current = _SizeTally(header)
        if current is not None and lines:
            current.add(lines)
    if current is not None and current.files:
        sizes.append(current.size())
    return sizes


def prefetch(root: str) -> None:
    """Start the commit sizes of the default window now: the CLI calls this before importing
    the checks, so git works on the other core meanwhile. When sizes were kept for this
    repository (``linter.runtime.historycache``), only the window's commit ids are listed."""
    if historycache.exists(root, historycache.SIZES):
        gitls.prefetch_command(root, window_args(DEFAULT_WINDOW, LOCKFILES))
    else:
        gitls.prefetch_command(root, numstat_args(DEFAULT_WINDOW, LOCKFILES))


def window_args(max_commits: int, skip_names: Iterable[str] = ()) -> tuple[str, ...]:
    """``git log`` listing the commits ``numstat_args`` would size (ids and subjects only: git
    compares trees to skip commits outside the folder, and never reads a file's content)."""
    numstat = numstat_args(max_commits, skip_names)
    return ("log", "--no-merges", f"-n{int(max_commits)}", "--format=%x01%H%x02%s", *numstat[numstat.index("--"):])


def sizes_args(shas: Iterable[str], skip_names: Iterable[str] = ()) -> tuple[str, ...]:
    """``git log`` sizing exactly the commits ``shas`` (in that order), as ``numstat_args`` does."""
    numstat = numstat_args(1, skip_names)
    return ("log", "--no-walk=unsorted", *numstat[3:numstat.index("--")], *shas, *numstat[numstat.index("--"):])


def sized_window(ws: Workspace, max_commits: int) -> list[CommitSize]:
    """The sizes of the newest ``max_commits`` commits touching the workspace's folder, newest
    first (kept sizes reused when history is kept: ``GitRepository.keeps_history``); raises
    ``GitFailed`` when git cannot read the history."""
    if not ws.keeps_history:
        return commit_sizes(ws.git_log_numstat_text(max_commits, skip_names=LOCKFILES))
    return _kept_sizes(ws, max_commits)


# ------------------------------------------------------------------ sizes kept between runs
def _cache_key(ws: Workspace) -> tuple[object, ...]:
    """Everything a commit's size depends on besides the commit: this module's rules for
    what counts, the folder inside the work tree, and the repository's ``.gitattributes``."""
    attributes = tuple((path, ws.read_text(path) or "") for path in ws.by_name(".gitattributes"))
    return ("sizes-1", ws.git_prefix, tuple(sorted(LOCKFILES)), GENERATED_SUFFIXES, tuple(sorted(VENDORED_DIRS)),
            attributes)


def _kept_sizes(ws: Workspace, max_commits: int) -> list[CommitSize]:
    """``commit_sizes`` of the window, with git asked only about commits not sized before.

    The same list, in the same order, as sizing the whole window: the window is listed with
    the same filters, and each size is the same function of its commit (tested)."""
    key = _cache_key(ws)
    kept = historycache.load(ws.root, historycache.SIZES, key)
    full = numstat_args(max_commits, LOCKFILES)
    if not kept or gitls.started(ws.root, full):  # nothing kept yet: size the window in one pass
        sizes = commit_sizes(ws.git_log_numstat_text(max_commits, skip_names=LOCKFILES))
        _keep(ws, key, kept, {c.sha: (c.subject, c.lines, c.excluded_lines, c.binary_files, 1) for c in sizes}, [])
        return sizes
    listing = "".join(ws.git_pieces(*window_args(max_commits, LOCKFILES)))
    listed = [(sha.strip(), subject.strip()) for sha, _, subject in
              (line[1:].partition("\x02") for line in listing.split("\n") if line[:1] == "\x01")]
    found = {sha: kept[sha] for sha, _ in listed if _is_entry(kept.get(sha))}
    missing = [sha for sha, _ in listed if sha not in found]
    if missing:
        added: dict[str, object] = {}
        for size in commit_sizes(ws.git_pieces(*sizes_args(missing, LOCKFILES))):
            added[size.sha] = (size.subject, size.lines, size.excluded_lines, size.binary_files, 1)
        subjects = dict(listed)
        for sha in missing:  # listed, but no file of it counts (say, only lockfiles changed)
            added.setdefault(sha, (subjects[sha], 0, 0, 0, 0))
        found.update(added)  # type: ignore[arg-type]
        _keep(ws, key, kept, added, [sha for sha, _ in listed])
    return [CommitSize(sha, found[sha][0], found[sha][1], found[sha][2], found[sha][3])
            for sha, _ in listed if found[sha][4]]


def _is_entry(value: object) -> bool:
    return (type(value) is tuple and len(value) == 5 and type(value[0]) is str
            and all(type(v) is int for v in value[1:]))


def _keep(ws: Workspace, key: tuple[object, ...], kept: dict[str, object], added: dict[str, object],
          window: list[str]) -> None:
    """Store the new sizes with the kept ones: the window's first, then the new ones, then
    the rest of what was kept, at most ``historycache.MAX_SIZES``."""
    merged = {sha: added[sha] if sha in added else kept[sha] for sha in window if sha in added or sha in kept}
    for source in (added, kept):
        for sha, value in source.items():
            if len(merged) >= historycache.MAX_SIZES:
                break
            merged.setdefault(sha, value)
    historycache.store(ws.root, historycache.SIZES, key, merged)
