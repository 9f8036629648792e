"""Clone (or update) a repository into the audit cache, and vet local git directories.

URLs are cloned *blobless* (``--filter=blob:none``): commits and trees come down at once,
so ``git log`` over names and dates works offline, and only the blobs of the checked-out
tree (plus any a history rule asks for) are fetched. A second audit reuses the clone:
``git fetch`` of the remote's HEAD and a hard reset to it. A clone is built in a temporary
directory and renamed into place, so a clone killed by a timeout never leaves a half
repository behind; an unusable cached clone is removed and cloned again.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

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


def _git(args: list[str], cwd: Path | None = None) -> str:
    try:
        proc = subprocess.run(["git", "-c", "core.hooksPath=/dev/null", *args], cwd=cwd, env=git_env(),
                              capture_output=True, stdin=subprocess.DEVNULL, timeout=GIT_TIMEOUT_SECONDS,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]}: {exc}") from None
    if proc.returncode != 0:
        raise GitError(f"git {args[0]} failed: {_last_line(proc.stderr)}")
    return proc.stdout.decode("utf-8", "replace")


def _last_line(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (fatal or lines or ["no message"])[-1][:500]


def ensure_clone(url: str, dest: Path) -> Path:
    """A checked-out, up-to-date blobless clone of ``url`` at ``dest`` (created or updated)."""
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


def _update(url: str, dest: Path) -> None:
    _git(["remote", "set-url", "origin", url], cwd=dest)
    _git(["fetch", "--quiet", "--no-tags", "origin", "HEAD"], cwd=dest)
    _git(["reset", "--quiet", "--hard", "FETCH_HEAD"], cwd=dest)
    _git(["clean", "--quiet", "-ffdx"], cwd=dest)


def _fresh_clone(url: str, dest: Path) -> None:
    staging = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _git(["clone", "--quiet", "--filter=blob:none", "--single-branch", "--no-tags", "--", url, str(staging)])
        staging.rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def broken_git_reason(path: Path) -> str | None:
    """Why the repository at ``path`` cannot be read by git, or ``None`` when it can.

    Only judged when ``path`` has its own ``.git``: a plain directory is audited by a walk.
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
