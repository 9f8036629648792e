"""Git remote URLs: which one names a repository, and how to show it without its secrets.

Remote URLs come from a repository's ``.git/config`` or from the user, and may carry a
password or token (``https://ci:TOKEN@host/org/repo.git``, ``?private_token=...``). Every
output (reports, audit rows, logs) shows them through ``redact``. Shared by the report's
record (``linter.repo.git``) and org audits (``linter.audit.inputs``); standard library only.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from linter.secrets import SECRET_PARAMETERS

URL_SCHEMES = ("http://", "https://", "ssh://", "git://", "file://", "git+ssh://", "ssh+git://")
SCP_LIKE = re.compile(r"^(?:[A-Za-z0-9._~-]{1,64}@)?([A-Za-z0-9.-]{1,253}):(?!//)([^\s]{1,1000})$")




#: The user part of a URL: everything between ``scheme://`` and the last ``@`` before the path.
_USER_PART = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


def redact(url: str) -> str:
    """``url`` fit to be written or printed: no password or token in its user part (an SSH user
    name such as ``git@`` stays, since SSH needs it and it is not a secret) and no secret query
    parameter. Anything that is not a URL comes back unchanged."""
    text = url.strip()
    if not text.lower().startswith(URL_SCHEMES):
        return text  # a path, or scp-like ``git@host:org/repo``, whose user part holds no password
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:  # e.g. an unclosed "[" of an IPv6 host: keep what surely holds no secret
        return _USER_PART.sub(r"\1", text).split("?", 1)[0].split("#", 1)[0]
    if ":" in host:
        host = f"[{host}]"
    try:
        if parts.port is not None:
            host = f"{host}:{parts.port}"
    except ValueError:
        pass
    scheme = parts.scheme.lower()
    if parts.username and scheme in ("ssh", "git+ssh", "ssh+git") and parts.password is None:
        host = f"{parts.username}@{host}"
    query = urlencode([(k, "REDACTED" if k.lower() in SECRET_PARAMETERS else v)
                       for k, v in parse_qsl(parts.query, keep_blank_values=True)])
    return urlunsplit((parts.scheme, host, parts.path, query, ""))


def is_url(text: str) -> bool:
    """A git URL, including scp-like ``git@host:org/repo.git`` (but not ``C:\\dir``)."""
    lowered = text.lower()
    if lowered.startswith(URL_SCHEMES):
        return True
    match = SCP_LIKE.match(text)
    return bool(match) and "@" in text.split(":", 1)[0] and len(match.group(1)) > 1


#: Longest remote URL taken from a repository's configuration (anything longer is not a remote).
MAX_REMOTE_URL = 2000


def remote_from_config(listing: str | None) -> str | None:
    """The URL of the ``origin`` remote, else of the only remote, from ``git config
    --get-regexp '^remote[.].*[.]url$'`` output; ``None`` when there is none, or when the value is
    too long or holds control characters (no remote would). A local path becomes a ``file://``
    URL; anything else that is not a git URL is ignored."""
    found: dict[str, str] = {}
    for line in (listing or "").splitlines()[:1000]:
        key, _, value = line.partition(" ")
        found[key.lower()] = value.strip()
    url = found.get("remote.origin.url") or (next(iter(found.values())) if len(found) == 1 else "")
    if not url or len(url) > MAX_REMOTE_URL or any(ord(c) < 0x20 or c == "\x7f" for c in url):
        return None
    if url.startswith("/") and not url.startswith("//"):
        url = Path(url).as_uri()
    if url.lower().startswith(URL_SCHEMES):
        try:
            urlsplit(url).port  # noqa: B018 - raises on what no remote could be ("[::1", a port of letters)
        except ValueError:
            return None
    return url if is_url(url) else None


def github_repository(remote: str | None) -> str | None:
    """``owner/name`` (lower case) of a remote on GitHub or a GitHub Enterprise host (one whose
    name says ``github``): what ``${{ github.repository }}`` is in that repository's workflows;
    ``None`` for any other remote."""
    if not remote:
        return None
    match = SCP_LIKE.match(remote)
    if match and "://" not in remote:
        host, path = match.group(1), match.group(2)
    else:
        try:
            parts = urlsplit(remote)
        except ValueError:
            return None
        host, path = parts.hostname or "", parts.path
    segments = [s for s in path.strip("/").removesuffix(".git").split("/") if s]
    if "github" not in host.lower() or len(segments) != 2:
        return None
    return "/".join(segments).lower()


def repository_uri(remote: str) -> str | None:
    """A remote as the absolute URI SARIF's ``repositoryUri`` must be: scp-like
    ``git@host:org/repo.git`` becomes ``ssh://git@host/org/repo.git``; anything with spaces or
    without a scheme is left out."""
    match = SCP_LIKE.match(remote)
    if match and "://" not in remote:
        remote = f"ssh://{remote.split(':', 1)[0]}/{match.group(2).lstrip('/')}"
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s]+$", remote):
        return None
    return remote
