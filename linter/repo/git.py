"""The repository's git history, read-only: where the work tree is, HEAD, which files git
tracks, when each service folder first appeared, and ``git log`` streams for commit sizes.

Every command runs through ``linter.repo.gitls`` (read-only environment, no prompt, no
fsmonitor, no diff drivers), and may already be running: the command line starts the
cheap ones early. Service ages are kept between runs for the ``HEAD`` they were computed at
(``linter.runtime.historycache``).
"""

from __future__ import annotations

import re
import subprocess
from functools import cached_property
from pathlib import Path
from typing import Iterable, Iterator

from linter.repo import gitls, history_gap
from linter.repo.gitls import GIT_TIMEOUT_SECONDS, GitFailed
from linter.repo.history_gap import HistoryGap
from linter.repo.notes import Notes
from linter.runtime import historycache


class GitRepository:
    """Git's view of one folder (``root``): use ``git_dir_ok`` before trusting the rest."""

    def __init__(self, root: Path, notes: Notes) -> None:
        self.root = root
        self.note = notes.note
        #: set when ``git log`` failed while dating folders (a corrupt object, the timeout)
        self.history_unreadable = False

    # ------------------------------------------------------------------ index
    @cached_property
    def _git_state(self) -> tuple[bool, bool, str]:
        """``(inside a work tree, shallow, path of root below the top)``, from one ``rev-parse``
        (usually prefetched by the CLI); one question at a time when that fails (a git older
        than 2.15 has no ``--is-shallow-repository``)."""
        out = self.output(*gitls.STATE_ARGS)
        lines = out.split("\n") if out is not None else []
        if len(lines) >= 3 and lines[0] in ("true", "false"):
            return lines[0] == "true", lines[1] == "true", lines[2].strip()
        inside = (self.output("rev-parse", "--is-inside-work-tree") or "").strip() == "true"
        if not inside:
            return False, False, ""
        shallow = (self.output("rev-parse", "--is-shallow-repository") or "").strip() == "true"
        return True, shallow, (self.output("rev-parse", "--show-prefix") or "").strip()

    @property
    def git_dir_ok(self) -> bool:
        """True when ``root`` is inside a usable git work tree whose ``.git`` reads no repository
        outside it (``linter.repo.gitdir``)."""
        return self.outside_reason is None and self._git_state[0]

    @cached_property
    def outside_reason(self) -> str | None:
        """Why git is not used here: ``root``'s own ``.git`` would make it read another
        repository (a planted ``gitdir:`` file, ``commondir`` or alternates); a note says so."""
        from linter.repo.gitdir import outside_reason

        reason = outside_reason(self.root)
        if reason is not None:
            self.note(".git", f"{reason}; git is not used, files are indexed by a directory walk")
        return reason

    @property
    def git_prefix(self) -> str:
        """``root``'s path below the top of its work tree (``""`` at the top, else ``sub/``)."""
        return self._git_state[2]

    @cached_property
    def head_commit(self) -> str | None:
        if not self.git_dir_ok:
            return None
        out = self.output(*gitls.HEAD_ARGS)
        return out.strip() if out else None

    @cached_property
    def remote_url(self) -> str | None:
        """The repository's ``origin`` remote URL (else its only remote), credentials removed,
        for the report's record; ``None`` outside git or without a usable remote.

        ``git config --local --no-includes`` reads ``.git/config`` alone: the file is repository
        content, so nothing it includes from elsewhere is read and nothing it names runs."""
        if not self.git_dir_ok:
            return None
        from linter.repo.remotes import redact, remote_from_config

        url = remote_from_config(self.output(*gitls.REMOTES_ARGS))
        return redact(url) if url else None

    @property
    def is_shallow(self) -> bool:
        return self.git_dir_ok and self._git_state[1]

    @cached_property
    def history_gap(self) -> HistoryGap | None:
        """Why the history cannot be trusted here (shallow, grafted, no git), or ``None``
        (``linter.repo.history_gap``); the rules that read history are skipped then."""
        return history_gap.find(self)

    def is_tracked(self, rel: str) -> bool:
        """Whether git tracks ``rel`` (one ``git ls-files`` for the path)."""
        out = self.output("ls-files", "-z", "--cached", "--", f":(literal){rel}")
        return out is not None and rel in out.split("\0")

    def first_commit_times(self, directories: Iterable[str]) -> dict[str, int | None]:
        """Unix time of the first commit that added a file under each directory (``.`` = repo).

        ``None`` means git knows nothing (no history, or files not yet committed), or git
        failed: then ``history_unreadable`` is set and nothing is kept. Ask for
        every directory you need in one call: each call with new directories reads the
        history once (streamed, additions only), whatever the number of directories.
        """
        wanted = sorted(set(directories))
        missing = [d for d in wanted if d not in self._first_commit_known]
        if missing:
            try:
                computed = self._first_commits(set(missing))
            except GitFailed:
                self.note(".", "git history could not be read")
                self.history_unreadable = True  # the rules that asked say so (error), never guess
                return dict.fromkeys(wanted)
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
        that first adds a file under it, so only additions are listed. Raises ``GitFailed``."""
        found: dict[str, int | None] = dict.fromkeys(wanted)
        if self.head_commit is None:
            return found
        prefix = self.git_prefix
        if wanted == {"."} and not prefix:
            # the whole repository: its first file came with its oldest root commit, which git
            # finds without listing every addition in history
            roots = self.output(*gitls.ROOTS_ARGS)
            times = [int(t) for t in (roots or "").split() if t.isdigit()]
            if times:
                return {".": min(times)}
        # only the depths asked about are looked at, and in bulk: a regular expression per depth
        # lists the folders of a commit's added files, so no Python work per added file
        depths = sorted({d.count("/") + 1 for d in wanted if d not in (".", "")})
        folder_at = [re.compile("^" + re.escape(prefix) + "((?:[^/\n]*/){%d}[^/\n]*)/" % (depth - 1), re.M)
                     for depth in depths]
        when = 0
        for header, lines in gitls.commit_parts(self.git_pieces(*FIRST_ADDED_ARGS)):  # GitFailed: the caller
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

    # ------------------------------------------------------------------ git
    def git_pieces(self, *args: str) -> Iterator[str]:
        """A read-only git command's output in pieces of whole lines (``gitls.line_pieces``),
        from the process ``gitls.prefetch_command`` started for the same arguments, if any.
        Raises ``GitFailed`` after the last piece when git fails. Detectors that read history
        in their own shape (``linter.detectors.history``) call it with their arguments."""
        proc = gitls.take_command(self.root, args) or gitls.start(str(self.root), *args)
        yield from gitls.line_pieces(proc)

    def output(self, *args: str) -> str | None:
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

    def history_state(self) -> dict[str, int | None] | None:
        """Service ages known so far (``first_commit_times``), for the child of ``--jobs 2``."""
        known = self.__dict__.get("_first_commit_known")
        return dict(known) if known is not None else None

    def install_history_state(self, state: dict[str, int | None] | None) -> None:
        """Take the service ages another process of this run found (``history_state``)."""
        if isinstance(state, dict):
            self.__dict__.setdefault("_first_commit_known", {}).update(state)


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
