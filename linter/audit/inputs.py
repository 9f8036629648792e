"""What to audit: local paths, directories of repositories, git URLs, and shard selection.

Every input gets a normalised *identity* (``id``) that does not depend on where it appears
in a list nor on where a clone of it sits: a URL's host (lower case) and path without
credentials, port defaults or a trailing ``.git`` (``github.com/acme/api``); a local
checkout's ``origin`` remote (else its only remote) read the same way, so auditing the same
checkouts from another folder finds the same repositories; only a repository without a
remote (or a plain directory) falls back to its resolved absolute path. Reports show the
path after the host (``acme/api``: ``other/api`` no longer collides with it). Shards hash
the identity, so the assignment of a repository to a shard survives reordering, additions
and removals of others.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from linter.fast_dataclass import dataclass, field
from linter.repo.remotes import SCP_LIKE, SECRET_PARAMETERS, URL_SCHEMES, is_url, redact  # noqa: F401 - re-exported

_URL_SCHEMES = URL_SCHEMES
_SCP_LIKE = SCP_LIKE
_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SHARD = re.compile(r"^\s*(\d{1,6})\s*/\s*(\d{1,6})\s*$")
_DEFAULT_PORTS = {"http": 80, "https": 443, "ssh": 22, "git": 9418}


class InputError(ValueError):
    """A usage problem with the inputs as a whole (not one repository's failure)."""


@dataclass(frozen=True, order=True)
class RepoInput:
    """One repository to audit. ``kind`` is ``path`` (audit in place) or ``url`` (clone).

    ``source`` is what every output shows: a URL without credentials (``redact``).
    ``clone_url`` is the URL as given, credentials included, which only the clone sees.
    """

    id: str
    name: str
    source: str
    kind: str
    slug: str
    clone_url: str = field(default="", repr=False, compare=False)


def credentials_of(url: str) -> tuple[str, str] | None:
    """The user name and password (or token) an HTTP(S) URL carries, if any."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not (parts.username or parts.password):
        return None
    from urllib.parse import unquote

    return unquote(parts.username or ""), unquote(parts.password or "")


def _strip_git(path: str) -> str:
    path = path.rstrip("/")
    return path[:-4] if path.lower().endswith(".git") else path


def url_identity(url: str) -> str:
    """``https://user:tok@GitHub.com:443/org/repo.git/`` -> ``github.com/org/repo``."""
    text = url.strip()
    match = _SCP_LIKE.match(text)
    if match and not text.lower().startswith(_URL_SCHEMES):
        return f"{match.group(1).lower()}/{_strip_git(match.group(2).lstrip('/'))}"
    parts = urlsplit(text)
    scheme = parts.scheme.lower().replace("git+ssh", "ssh").replace("ssh+git", "ssh")
    if scheme == "file":
        # unquoted: ``Path.as_uri()`` writes ``/srv/a+b`` as ``/srv/a%2Bb`` and people write it
        # as is; both are one repository (given as a bare directory and as a URL, it is audited once)
        return "file://" + _strip_git(str(Path(unquote(parts.path)).resolve(strict=False).as_posix()))
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return f"{host}/{_strip_git(parts.path.lstrip('/'))}"


_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def display_name(identity_or_path: str) -> str:
    """What people call the repository: ``owner/name`` (the path after the host, nested
    GitLab groups included) for a hosted identity; the last path segment without ``.git``
    for a ``file://`` URL or a local path."""
    text = identity_or_path.rstrip("/\\")
    local = text.startswith(("/", "file://", "\\")) or bool(_WINDOWS_DRIVE.match(text))
    if not local and "/" in text:
        path = _strip_git(text.split("/", 1)[1]).strip("/")
        if path:
            return path
    tail = _strip_git(text).replace("\\", "/").rsplit("/", 1)[-1]
    return tail or identity_or_path


def _segments(identity: str) -> list[str]:
    text = identity[len("file://"):] if identity.startswith("file://") else identity
    parts = [p for p in _strip_git(text.rstrip("/\\")).replace("\\", "/").split("/") if p]
    return parts or [identity]


def disambiguate(inputs: list[RepoInput]) -> list[RepoInput]:
    """``inputs`` with names that tell them apart: where several repositories share a display
    name, each gets as few trailing segments of its identity as tell it from the others
    (``mirrors/a/repo`` and ``mirrors/b/repo`` become ``a/repo`` and ``b/repo``; ``acme/api`` on
    two hosts gets its host). Within a group two new names of one length differ by construction
    and names of different lengths cannot be equal.

    Local mirrors are often laid out with one fixed last segment (``<owner>+<name>/repo``,
    ``<owner>/<name>/repo.git``): named by it alone, sixty rows of an audit all read ``repo``
    and neither the dashboard, the diff nor a regression said which repository it meant.
    Computed over the whole list (before a shard is picked), so every shard names alike."""
    groups: dict[str, list[RepoInput]] = {}
    for item in inputs:
        groups.setdefault(item.name, []).append(item)
    renamed: dict[str, str] = {}
    for name, group in groups.items():
        if len(group) < 2:
            continue
        segments = {item.id: _segments(item.id) for item in group}
        for ident, own in segments.items():
            new = ident  # the whole identity when no tail will do
            for depth in range(2, len(own) + 1):
                tail = own[-depth:]
                if all(other[-depth:] != tail for o, other in segments.items() if o != ident):
                    new = "/".join(tail)
                    break
            if new != name:
                renamed[ident] = new
    if not renamed:
        return inputs
    return [RepoInput(id=i.id, name=renamed[i.id], source=i.source, kind=i.kind, slug=slug_for(renamed[i.id], i.id),
                      clone_url=i.clone_url) if i.id in renamed else i for i in inputs]


def slug_for(name: str, identity: str) -> str:
    """A file-name-safe, collision-free name: readable prefix plus a hash of the identity."""
    safe = _SLUG_UNSAFE.sub("-", name).strip("-.")[:60] or "repo"
    return f"{safe}-{hashlib.sha256(identity.encode('utf-8')).hexdigest()[:10]}"


def make_input(source: str, kind: str, identity: str) -> RepoInput:
    name = display_name(identity)
    shown = redact(source) if kind == "url" else source
    return RepoInput(id=identity, name=name, source=shown, kind=kind, slug=slug_for(name, identity),
                     clone_url=source if kind == "url" else "")


def _is_bare_repo(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


def remote_url(root: Path) -> str | None:
    """The URL of ``root``'s ``origin`` remote, else of its only remote, else ``None``.

    Read with ``git config`` in the read-only git environment (a checkout's configuration is
    repository content: it is read, nothing it names runs). A remote that is a local path
    becomes a ``file://`` URL; anything that is not a git URL is ignored. A checkout whose
    ``.git`` points at a repository outside it (``linter.repo.gitdir``) has no remote of its own:
    the other repository's would give it that repository's name, and hide it from the audit."""
    import subprocess

    from linter.repo.gitdir import outside_reason
    from linter.repo.gitls import git_env

    if outside_reason(root) is not None:
        return None
    try:
        proc = subprocess.run(["git", "-C", str(root), "-c", "core.fsmonitor=false", "config", "--get-regexp",
                               r"^remote\..*\.url$"], capture_output=True, timeout=10, check=False,
                              env=git_env(), stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    from linter.repo.remotes import remote_from_config

    return remote_from_config(proc.stdout.decode("utf-8", "replace"))


def _path_input(path: Path) -> RepoInput:
    resolved = path.expanduser().resolve(strict=False)
    if not (resolved / ".git").exists() and _is_bare_repo(resolved):
        url = resolved.as_uri()
        return make_input(url, "url", url_identity(url))
    remote = remote_url(resolved) if (resolved / ".git").exists() else None
    return make_input(str(resolved), "path", url_identity(remote) if remote else resolved.as_posix())


def _path_inputs(paths: list[Path]) -> list[RepoInput]:
    """``_path_input`` of each path, reading remotes a few at a time (one ``git config``
    each: a folder of thousands of checkouts should not wait for them one by one)."""
    if len(paths) < 2:
        return [_path_input(p) for p in paths]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(_path_input, paths))


def expand_argument(text: str, base: Path | None = None, listed: bool = False) -> list[RepoInput]:
    """One argument -> repositories: a URL, a repository, or a directory of repositories.

    A directory that is not itself a repository but has repository children (work trees
    with ``.git`` or bare repositories) stands for those children; a directory with neither
    is an ``InputError`` (auditing it as one repository would report a plain folder, or a
    parent whose clones are deeper down, as an audited repository). A path that does not
    exist becomes one input, so the audit reports it as an error row (a clone that is
    missing today is a finding, not a typo). So does, with ``listed`` (a line of a repos file),
    a directory that holds no repository: an empty folder left by an interrupted clone is one
    line of thousands in a committed list, and must not stop the audit of the others (the
    worker reports it as not a git repository; it is never audited as a plain folder).
    """
    text = text.strip()
    if is_url(text):
        try:
            urlsplit(text).port  # noqa: B018 - raises on an unclosed "[" host or a port of letters
        except ValueError as exc:
            raise InputError(f"{redact(text)}: not a valid URL ({exc})") from None
        return [make_input(text, "url", url_identity(text))]
    path = Path(text).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    if path.is_dir() and not (path / ".git").exists() and not _is_bare_repo(path):
        children = _repo_children(path)
        if children:
            return _path_inputs(children)
        if listed:
            return [_path_input(path)]
        raise InputError(f"{text}: no git repository here (neither a work tree, a bare repository, nor a folder "
                         f"of them); to check a plain folder, use practicelint check")
    return [_path_input(path)]


def _repo_children(path: Path) -> list[Path]:
    try:
        entries = sorted(path.iterdir())
    except OSError:
        return []
    return [child for child in entries
            if not child.name.startswith(".") and child.is_dir() and not child.is_symlink()
            and ((child / ".git").exists() or _is_bare_repo(child))]


def read_repos_file(path: Path) -> list[str]:
    """One input a line; blank lines and ``#`` comments (whole-line or after a space) skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read repos file: {exc}") from None
    out = []
    for raw in text.splitlines():
        line = re.split(r"(?:^|\s)#", raw, maxsplit=1)[0].strip()
        if line:
            out.append(line)
    return out


def collect(arguments: list[str], repos_file: Path | None = None) -> list[RepoInput]:
    """Every input, deduplicated by identity (first occurrence wins), sorted by identity.

    Relative paths in a repos file are relative to that file, so a committed list works
    from any working directory.
    """
    found: list[RepoInput] = []
    for arg in arguments:
        found.extend(expand_argument(arg))
    if repos_file is not None:
        base = repos_file.expanduser().resolve().parent
        for line in read_repos_file(repos_file):
            try:
                found.extend(expand_argument(line, base, listed=True))
            except InputError as exc:
                raise InputError(f"{repos_file}: {exc}") from None
    unique: dict[str, RepoInput] = {}
    for item in found:
        unique.setdefault(item.id, item)
    return disambiguate(sorted(unique.values()))


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/8"`` -> ``(2, 8)``; shards are numbered from 1, as CI matrices usually are."""
    match = _SHARD.match(text or "")
    if not match:
        raise InputError(f"--shard: expected K/N such as 1/4, got {text!r}")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise InputError(f"--shard: K must be between 1 and N, got {text!r}")
    return index, count


def shard_of(identity: str, count: int) -> int:
    """The 1-based shard of a repository: a stable hash of its identity, not its position."""
    digest = hashlib.sha256(identity.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select_shard(inputs: list[RepoInput], index: int, count: int) -> list[RepoInput]:
    return [item for item in inputs if shard_of(item.id, count) == index]
