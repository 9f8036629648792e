"""What ``init`` and ``fix`` need to know about a repository beyond the check results.

* package ecosystems and the folders holding their manifests, in Dependabot's vocabulary,
  from ``linter.detectors.ecosystems`` (the facts SEC002 judges, so fix and the rule agree);
* the git remote (host, owner, repository), for links and owner placeholders;
* candidate service folders to suggest as ``services:`` globs: where deployable units
  actually are (a Dockerfile, Procfile, serverless or Fly configuration, a Backstage
  descriptor, a Go ``main``), wherever the repository keeps them (``src/*`` as much as
  ``services/*``), plus children of the usual containers (``services/``, ``apps/``,
  ``cmd/``...) with a package manifest of their own.

Nothing here executes repository content: ``git config`` is read, manifests are matched by
name only.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from linter.detectors import ecosystems
from linter.fast_dataclass import dataclass
from linter.repo import gitls
from linter.repo.workspace import Workspace

#: Folders whose children are usually one service each.
SERVICE_CONTAINERS = ("services", "apps", "cmd", "microservices", "svc")
#: Files that make their folder a deployable unit wherever it is (lower case): an image is built
#: there, a platform deploys it, a Backstage descriptor or a Go ``main`` package lives there.
SERVICE_MARKERS = frozenset({"main.go", "catalog-info.yaml", "catalog-info.yml", "procfile", "app.yaml",
                             "serverless.yml", "serverless.yaml", "dockerfile", "containerfile", "fly.toml"})
#: Folders that hold no deployable unit of the repository's own (their Dockerfiles build test,
#: documentation or tooling images).
NOT_UNITS = frozenset({"test", "tests", "e2e", "integration", "docs", "doc", "documentation", "hack",
                       "scripts", "ci", "node_modules", "vendor", "third_party", "third-party"})
#: A glob ``parent/*`` is proposed when at least this share of the parent's folders are units.
GLOB_SHARE = 2 / 3
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


@dataclass(frozen=True, order=True)
class Ecosystem:
    """A Dependabot package ecosystem and the folders (``.`` = root) holding its manifests."""

    name: str
    directories: tuple[str, ...]

    def dependabot_directories(self) -> list[str]:
        """Dependabot wants absolute-looking folders: ``/`` and ``/services/api``."""
        return ["/" if d == "." else f"/{d}" for d in self.directories]


@dataclass(frozen=True)
class Remote:
    """The git remote's host and repository path, when they are plain enough to reuse in URLs."""

    host: str
    owner: str
    name: str

    @property
    def is_github(self) -> bool:
        return self.host.lower() == "github.com"

    @property
    def is_gitlab_com(self) -> bool:
        return self.host.lower() == "gitlab.com"

    @property
    def web_url(self) -> str:
        return f"https://{self.host}/{self.owner}/{self.name}"

    def organisation_domain(self) -> str | None:
        """``git.acme.io`` -> ``acme.io``: a self-hosted forge's domain is the organisation's.

        Public forges (github.com, gitlab.com, bitbucket.org...) say nothing about who owns
        the repository, so they give ``None``.
        """
        host = self.host.lower()
        if host in PUBLIC_FORGES or "." not in host or re.fullmatch(r"[\d.]+", host):
            return None
        labels = host.split(".")
        return ".".join(labels[-2:]) if len(labels) > 2 else host


PUBLIC_FORGES = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "dev.azure.com",
                           "ssh.dev.azure.com", "vs-ssh.visualstudio.com", "sr.ht", "git.sr.ht"})
_REMOTE_URL = re.compile(
    r"^(?:[a-z+]{2,12}://(?:[^@/\s]{1,100}@)?(?P<host1>[^/:\s]{1,253})(?::\d{1,5})?/"
    r"|(?:[^@/\s]{1,100}@)?(?P<host2>[^/:\s]{1,253}):)"
    r"(?P<path>[^\s]{1,500})$", re.IGNORECASE)


def parse_remote_url(url: str) -> Remote | None:
    """``git@github.com:acme/shop.git`` / ``https://gitlab.acme.io/team/shop`` -> a ``Remote``.

    Only ``owner/name`` paths of plain characters are kept (nested GitLab groups keep their
    full group path as the owner); anything else gives ``None`` rather than a broken link.
    """
    match = _REMOTE_URL.match(url.strip())
    if not match:
        return None
    host = match.group("host1") or match.group("host2")
    path = match.group("path").strip("/")
    if path.endswith(".git"):
        path = path[:-4]
    parts = path.split("/")
    if len(parts) < 2 or not all(_SAFE_SEGMENT.match(p) and p not in (".", "..") for p in parts):
        return None
    if not re.fullmatch(r"[A-Za-z0-9.-]{1,253}", host):
        return None
    return Remote(host, "/".join(parts[:-1]), parts[-1])


def git_remote(root: Path) -> Remote | None:
    """The ``origin`` remote (else the first one) of the repository at ``root``."""
    urls = _git(root, "config", "--get-regexp", r"^remote\..*\.url$")
    if not urls:
        return None
    found: dict[str, str] = {}
    for line in urls.splitlines():
        key, _, value = line.partition(" ")
        found[key] = value
    url = found.get("remote.origin.url") or (found[sorted(found)[0]] if found else "")
    return parse_remote_url(url) if url else None


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), "-c", "core.fsmonitor=false", *args], capture_output=True,
                              text=True, timeout=10, check=False, env=gitls.git_env(), stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def detect_ecosystems(ws: Workspace) -> list[Ecosystem]:
    """Every ecosystem with manifests, from the same facts SEC002 judges (so a file written
    from this list covers exactly what the rule expects). GitHub Actions live at ``/``."""
    found: dict[str, set[str]] = {}
    for manifest in ws.facts(ecosystems.detect).manifests:
        folder = "." if manifest.ecosystem == "github-actions" else (manifest.directory or ".")
        found.setdefault(manifest.ecosystem, set()).add(folder)
    if "uv" in found and "pip" in found:  # Dependabot's uv ecosystem also updates the pip manifests there
        found["pip"] -= found["uv"]
        if not found["pip"]:
            del found["pip"]
    return sorted(Ecosystem(name, tuple(sorted(dirs))) for name, dirs in found.items())


@dataclass(frozen=True, order=True)
class ServiceCandidate:
    """A folder under a service container with a manifest of its own."""

    path: str
    marker: str


def _marker(name: str) -> bool:
    base = name.lower()
    return base in SERVICE_MARKERS or base.startswith(("dockerfile.", "containerfile.")) or base.endswith(".dockerfile")


def service_candidates(ws: Workspace) -> list[ServiceCandidate]:
    """Folders that are deployable units, one or two levels below a parent folder that holds
    several of them (or below a usual container such as ``services/``): a folder with a
    deploy marker (``SERVICE_MARKERS``), or a child of a container with a package manifest.
    A unit inside another unit is part of it; a lone unit elsewhere (``docker/ci/Dockerfile``)
    is not proposed: one image beside the code says nothing about where services live."""
    found: dict[str, str] = {}
    for path in ws.files:
        parts = path.split("/")
        folder = parts[:-1]
        if not 2 <= len(folder) <= 3 or any(p.startswith(".") or p.lower() in NOT_UNITS for p in folder):
            continue
        in_container = len(folder) == 2 and folder[0] in SERVICE_CONTAINERS
        if _marker(parts[-1]) or (in_container and ecosystems.ecosystem_of(path) is not None):
            found.setdefault("/".join(folder), parts[-1])
    units = {p: m for p, m in found.items() if not any(p.startswith(q + "/") for q in found)}
    by_parent: dict[str, int] = {}
    for unit in units:
        parent = unit.rsplit("/", 1)[0]
        by_parent[parent] = by_parent.get(parent, 0) + 1
    return sorted(ServiceCandidate(p, m) for p, m in units.items()
                  if p.rsplit("/", 1)[0] in SERVICE_CONTAINERS or by_parent[p.rsplit("/", 1)[0]] >= 2)


def _children(ws: Workspace, parent: str) -> set[str]:
    depth = parent.count("/") + 1
    return {d for d in ws.directories if d.startswith(parent + "/") and d.count("/") == depth}


def service_globs(ws: Workspace, candidates: list[ServiceCandidate]) -> list[str]:
    """``parent/*`` where at least two thirds of the parent's folders are units (``src/*`` for
    a ``src/`` of 25 services and a few configuration folders), else the folders one by one."""
    by_parent: dict[str, list[str]] = {}
    for candidate in candidates:
        by_parent.setdefault(candidate.path.rsplit("/", 1)[0], []).append(candidate.path)
    globs: list[str] = []
    for parent, paths in sorted(by_parent.items()):
        children = _children(ws, parent)
        if children and len(paths) >= GLOB_SHARE * len(children):
            globs.append(f"{parent}/*")
        else:
            globs.extend(sorted(paths))
    return globs


def glob_extras(ws: Workspace, candidates: list[ServiceCandidate], globs: list[str]) -> list[str]:
    """Folders a proposed ``parent/*`` matches without a deploy marker of their own: the user
    should know they become services too."""
    units = {c.path for c in candidates}
    extra: set[str] = set()
    for glob in globs:
        if glob.endswith("/*"):
            extra |= _children(ws, glob[:-2]) - units
    return sorted(extra)


def slug(text: str, fallback: str = "service") -> str:
    """A file-name and DNS-label friendly form of a service name."""
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63].strip("-")
    return value or fallback
