"""Clone (or update) a repository into the audit cache, and vet local git directories.

Credentials in an HTTP(S) URL (``https://user:token@host/org/repo``) never reach the clone's
``.git/config``, a command line or a message: the clone's remote is the URL without them, and
git receives them as an ``Authorization`` header through ``GIT_CONFIG_*`` environment
variables of the clone and fetch commands only.

URLs are cloned *blobless* (``--filter=blob:none``): commits and trees come down at once,
so ``git log`` over names and dates works offline. Blobs are then fetched in **one batch**:
those of the tree to check out plus both sides of every change in DEL002's history window
(the newest ``history.DEFAULT_WINDOW`` non-merge commits, lockfiles left out as DEL002 leaves
them), listed from trees alone with ``git log --raw``. Left to itself, git would fetch a
window's blobs lazily, one request per commit, when DEL002 runs ``git log --numstat`` (and
without the URL's credentials, which only the clone commands carry). So a fresh clone costs
two fetches: the clone and the batch (``tests/audit/test_clone_cost.py`` counts them against
an HTTP server).

A second audit reuses the clone: ``git fetch`` of the remote's HEAD, one batch for the new
commits' blobs and the changed files, and a hard reset to it; ``.git/practicelint-prefetched``
records the commit whose window is complete. A clone is built in a temporary directory and
renamed into place, so a clone killed by a timeout never leaves a half repository behind;
an unusable cached clone is removed and cloned again.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from linter.audit.inputs import credentials_of, redact

GIT_TIMEOUT_SECONDS = 3600  # the audit's per-repo timeout kills the whole worker long before


class GitError(RuntimeError):
    """A git operation failed; the message is the reason shown in the audit's error row."""


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "practicelint" / "repos"


def git_env() -> dict[str, str]:
    """Never prompt (a prompt would hang a batch run) and ignore the caller's git overrides."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never", "LC_ALL": "C",
           "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")}
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
        env.pop(var, None)
    return env


def _auth_env(url: str) -> dict[str, str]:
    """``http.extraHeader`` with the URL's credentials, as environment configuration (appended to
    any ``GIT_CONFIG_COUNT`` entries already set); empty when the URL carries none."""
    credentials = credentials_of(url)
    if credentials is None:
        return {}
    import base64

    token = base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode("utf-8")).decode("ascii")
    try:
        count = int(os.environ.get("GIT_CONFIG_COUNT", "0"))
    except ValueError:
        count = 0
    return {"GIT_CONFIG_COUNT": str(count + 1), f"GIT_CONFIG_KEY_{count}": "http.extraHeader",
            f"GIT_CONFIG_VALUE_{count}": f"Authorization: Basic {token}"}


def _git(args: list[str], cwd: Path | None = None, auth: dict[str, str] | None = None,
         stdin: bytes | None = None) -> str:
    try:
        proc = subprocess.run(["git", "-c", "core.hooksPath=/dev/null", *args], cwd=cwd, env={**git_env(), **(auth or {})},
                              capture_output=True, input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
                              timeout=GIT_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]}: {redact_text(str(exc))}") from None
    if proc.returncode != 0:
        raise GitError(f"git {args[0]} failed: {redact_text(_last_line(proc.stderr))}")
    return proc.stdout.decode("utf-8", "replace")


#: What git says last when a fetch breaks off, whatever broke it: shown alone, 13 of 60 error
#: rows of one audit read "fetch-pack: invalid index-pack output" where git had said, a line
#: earlier, that the remote repository is corrupt.
_AFTERMATH = ("fatal: early EOF", "fatal: fetch-pack: invalid index-pack output",
              "fatal: the remote end hung up unexpectedly", "fatal: fetch-pack: unexpected disconnect")


def _last_line(stderr: bytes) -> str:
    """The reason in git's message: its last ``fatal:``/``error:`` line that is not only the
    aftermath of a broken-off fetch (``_AFTERMATH``), else its last line."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
    causes = [line for line in fatal if not line.startswith(_AFTERMATH)]
    return (causes or fatal or lines or ["no message"])[-1][:500]


def redact_text(text: str) -> str:
    """Every URL in ``text`` (a git message) without its credentials."""
    return _URL_IN_TEXT.sub(lambda m: redact(m.group()), text)


_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,20}://[^\s'\"]{1,2000}")


def ensure_clone(url: str, dest: Path) -> Path:
    """A checked-out, up-to-date blobless clone of ``url`` at ``dest`` (created or updated);
    credentials in ``url`` are used, never stored (see the module docstring)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest.parent / f".{dest.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two audits sharing a cache take turns per repository
        if (dest / ".git").is_dir():
            try:
                _update(url, dest)
                return dest
            except GitError:
                shutil.rmtree(dest, ignore_errors=True)  # an unusable cache entry: start afresh
        elif dest.exists():
            shutil.rmtree(dest, ignore_errors=True)
        _fresh_clone(url, dest)
    return dest


def _without_credentials(url: str) -> str:
    """``url`` minus the user part of an HTTP(S) URL (the query is left for git as given)."""
    if credentials_of(url) is None:
        return url
    parts = urlsplit(url.strip())
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def remote_head(url: str) -> str:
    """The commit the remote's HEAD points at (``git ls-remote``: one request, nothing stored)."""
    out = _git(["ls-remote", "--", _without_credentials(url), "HEAD"], auth=_auth_env(url))
    sha = out.split()[0] if out.split() else ""
    if not _OID.match(sha):
        raise GitError("git ls-remote: the remote has no HEAD")
    return sha


def _update(url: str, dest: Path) -> None:
    _git(["remote", "set-url", "origin", _without_credentials(url)], cwd=dest)
    old = _head(dest)
    _git(["fetch", "--quiet", "--no-tags", "origin", "HEAD"], cwd=dest, auth=_auth_env(url))
    new = _git(["rev-parse", "--verify", "-q", "FETCH_HEAD^{commit}"], cwd=dest).strip()
    if new and new != old:
        marker = _marker(dest)
        complete = old is not None and marker.is_file() and marker.read_text(encoding="ascii", errors="replace").strip() == old
        _prefetch(dest, url, new, old, window_since=old if complete else None)
    _git(["reset", "--quiet", "--hard", "FETCH_HEAD"], cwd=dest)
    _git(["clean", "--quiet", "-ffdx"], cwd=dest)


def _fresh_clone(url: str, dest: Path) -> None:
    staging = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _git(["clone", "--quiet", "--filter=blob:none", "--single-branch", "--no-tags", "--no-checkout", "--",
              _without_credentials(url), str(staging)], auth=_auth_env(url))
        head = _head(staging)
        if head is not None:
            _prefetch(staging, url, head, None, window_since=None)
            _git(["reset", "--quiet", "--hard", "HEAD"], cwd=staging)
        staging.rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


_OID = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
MARKER = "practicelint-prefetched"


def _marker(repo: Path) -> Path:
    return repo / ".git" / MARKER


def _head(repo: Path) -> str | None:
    try:
        head = _git(["rev-parse", "--verify", "-q", "HEAD^{commit}"], cwd=repo).strip()
    except GitError:
        return None
    return head if _OID.match(head) else None


def _tree_blobs(repo: Path, commit: str) -> set[str]:
    """Blob ids of ``commit``'s tree (submodule entries, which are commits, left out)."""
    out = set()
    for entry in _git(["ls-tree", "-r", "-z", "--full-tree", commit], cwd=repo).split("\0"):
        meta, _, _path = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            out.add(parts[2])
    return out


def window_blobs(repo: Path, head: str, since: str | None = None) -> set[str]:
    """Both sides' blob ids of every change ``git log --numstat`` reads for DEL002's default
    window at ``head`` (only the commits after ``since`` when given), from trees alone."""
    from linter.detectors.history import DEFAULT_WINDOW, LOCKFILES
    from linter.repo.git import numstat_args

    numstat = numstat_args(DEFAULT_WINDOW, LOCKFILES)
    pathspec = list(numstat[numstat.index("--"):])
    revisions = [head] + ([f"^{since}"] if since else [])
    out = set()
    raw = _git(["log", "--no-merges", f"-n{DEFAULT_WINDOW}", "--raw", "--no-abbrev", "--no-renames", "--format=",
                "-z", *revisions, *pathspec], cwd=repo)
    for field in raw.split("\0"):
        if not field.startswith(":"):
            continue
        parts = field[1:].split()
        if len(parts) >= 4:
            for mode, oid in ((parts[0], parts[2]), (parts[1], parts[3])):
                if mode != "160000" and _OID.match(oid) and set(oid) != {"0"}:
                    out.add(oid)
    return out


def _prefetch(repo: Path, url: str, head: str, old: str | None, window_since: str | None) -> None:
    """Fetch, in one request, the blobs the checkout of ``head`` and DEL002's window need that
    the clone lacks: everything for a fresh clone (``old`` is ``None``); on an update, the
    files changed since ``old`` and the new commits' changes (the whole window when the
    marker does not say the window at ``old`` was complete). Git's own lazy fetch, one
    request per commit, stays as the fallback for anything else a run reads.

    When the server refuses the batch (a blob it no longer has, a partial mirror), the
    checkout's blobs alone are fetched, which the audit cannot do without; the window is then
    left to the lazy fetch and the marker is not written."""
    present = _tree_blobs(repo, old) if old else set()
    checkout = _tree_blobs(repo, head) - present
    window = window_blobs(repo, head, since=window_since) - present - checkout
    complete = True
    try:
        _fetch_blobs(repo, url, checkout | window)
    except GitError:
        if not window:
            raise
        _fetch_blobs(repo, url, checkout)
        complete = False
    marker = _marker(repo)
    if complete:
        marker.write_text(head + "\n", encoding="ascii")
    else:
        marker.unlink(missing_ok=True)


def _fetch_blobs(repo: Path, url: str, oids: set[str]) -> None:
    """One fetch of exactly these objects, as git's own promisor fetch asks for them."""
    if oids:
        _git(["-c", "fetch.negotiationAlgorithm=noop", "fetch", "--quiet", "origin", "--no-tags",
              "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin"],
             cwd=repo, auth=_auth_env(url), stdin="".join(f"{oid}\n" for oid in sorted(oids)).encode("ascii"))


def broken_git_reason(path: Path) -> str | None:
    """Why the repository at ``path`` cannot be read by git, or ``None`` when it can.

    Only judged when ``path`` has its own ``.git`` (the worker refuses a checkout without one).
    A repository without commits is fine; one whose HEAD commit or tree is missing is not.
    """
    if not (path / ".git").exists():
        return None
    try:
        inside = _git(["rev-parse", "--is-inside-work-tree"], cwd=path).strip()
    except GitError as exc:
        return f"broken git directory: {exc}"
    if inside != "true":
        return "broken git directory: not a work tree"
    try:
        head = _git(["rev-parse", "--verify", "-q", "HEAD"], cwd=path).strip()
    except GitError:
        return None  # no commit yet
    try:
        _git(["cat-file", "-e", f"{head}^{{tree}}"], cwd=path)
    except GitError as exc:
        return f"broken git directory: HEAD {head[:12]} is unreadable ({exc})"
    return None
