"""Package ecosystems present in a repository and what Dependabot/Renovate keep up to date.

Manifests are found by file name in the index (``node_modules``/``vendor`` are pruned by the
workspace), each mapped to the ecosystem name Dependabot uses in ``package-ecosystem``.

Coverage follows each bot's documented semantics:

* Dependabot: an ``updates[]`` entry covers a manifest when its ``package-ecosystem``
  handles the manifest's ecosystem and its ``directory`` is the manifest's folder (not
  recursive) or one of its ``directories`` globs matches the folder (``*`` one segment,
  ``**`` any depth). ``github-actions`` at ``/`` means ``.github/workflows``.
* Renovate: every manager it supports is on by default; ``enabled: false`` turns it off,
  ``enabledManagers`` narrows the managers, ``includePaths`` (when set) keeps only the files
  it names (a path written out, or a glob, as Renovate's ``getIncludedFiles`` matches them)
  and ``ignorePaths`` (plus the test/example folders that the ``config:recommended`` presets
  ignore) drop paths; both filter the file list before any manager, custom ones included, runs. A custom (regex)
  manager covers the files its ``fileMatch``/``managerFilePatterns`` name, whatever their
  ecosystem, when it names them plainly (``CustomFiles``).
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from linter.detectors.ci.bots import DEPENDABOT_FILES, RENOVATE_FILES, self_hosted_renovate_files
from linter.detectors.ci.model import as_dict, as_list, first_mapping, text_of
from linter.fast_dataclass import dataclass
from linter.repo.globs import match_any
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

MAX_MANIFESTS = 10_000

#: Manifest file names -> ecosystem (Dependabot's ``package-ecosystem`` spelling).
EXACT_NAMES = {
    "pyproject.toml": "pip", "Pipfile": "pip", "poetry.lock": "pip", "setup.py": "pip", "setup.cfg": "pip",
    "uv.lock": "uv", "package.json": "npm", "go.mod": "gomod", "Cargo.toml": "cargo", "pom.xml": "maven",
    "build.gradle": "gradle", "build.gradle.kts": "gradle", "Gemfile": "bundler", "composer.json": "composer",
    "packages.config": "nuget", "Dockerfile": "docker", "Chart.yaml": "helm",
}
#: Ecosystems a Dependabot ``package-ecosystem`` value handles.
DEPENDABOT_HANDLES = {
    "pip": {"pip"}, "uv": {"uv", "pip"}, "npm": {"npm"}, "bun": {"npm"}, "gomod": {"gomod"}, "cargo": {"cargo"},
    "maven": {"maven"}, "gradle": {"gradle"}, "bundler": {"bundler"}, "composer": {"composer"},
    "nuget": {"nuget"}, "dotnet-sdk": set(), "docker": {"docker"}, "github-actions": {"github-actions"},
    "terraform": {"terraform"}, "helm": {"helm"},
}
#: Renovate managers for each ecosystem.
RENOVATE_MANAGERS = {
    "pip": {"pip_requirements", "pip_setup", "pipenv", "poetry", "pep621", "setup-cfg", "pip-compile"},
    "uv": {"pep621"}, "npm": {"npm"}, "gomod": {"gomod"}, "cargo": {"cargo"}, "maven": {"maven"},
    "gradle": {"gradle"}, "bundler": {"bundler"}, "composer": {"composer"}, "nuget": {"nuget"},
    "docker": {"dockerfile"}, "github-actions": {"github-actions"}, "terraform": {"terraform"},
    "helm": {"helmv3"},
}
#: Folders ignored by Renovate's ``:ignoreModulesAndTests`` preset (part of ``config:recommended``).
RENOVATE_PRESET_IGNORES = ("**/node_modules/**", "**/bower_components/**", "**/vendor/**", "**/examples/**",
                           "**/__tests__/**", "**/test/**", "**/tests/**", "**/__fixtures__/**")
RECOMMENDED_PRESETS = ("config:recommended", "config:base", ":ignoreModulesAndTests", "config:best-practices")


#: ``enabledManagers`` names that turn on the custom (regex/JSONata) managers.
CUSTOM_MANAGER_NAMES = frozenset({"regex", "custom.regex", "custom.jsonata"})
#: A custom manager's ``fileMatch`` read as a plain path: an optional ``^`` or ``(^|/)``, path
#: characters with ``\.`` or ``.`` for a dot and ``\/`` or ``/`` for a slash, an optional ``$``.
_PLAIN_FILE_MATCH = re.compile(r"(\^|\(\^\|/\)|\(\?:\^\|/\))?((?:[\w-]|\\?[./])+)(\$?)")
MAX_CUSTOM_FILE_PATTERNS = 200


@dataclass(frozen=True, order=True)
class CustomFiles:
    """Files a Renovate custom manager (``customManagers``, or the older ``regexManagers``)
    reads: ``glob`` (``managerFilePatterns`` written as a glob) or a ``fileMatch`` regular
    expression that only names a path (``anchor`` is ``start``, ``segment`` for ``(^|/)``, or
    ``anywhere``; ``whole`` when it ends with ``$``). Other expressions are not evaluated: a
    repository's regular expression could take exponential time, so a file such a manager
    may read is not counted as covered."""

    glob: str = ""
    text: str = ""
    anchor: str = "anywhere"
    whole: bool = False

    def matches(self, path: str) -> bool:
        if self.glob:
            return match_any(path, [self.glob])
        if self.anchor == "start":
            return path == self.text if self.whole else path.startswith(self.text)
        if self.anchor == "segment":
            if path == self.text or (not self.whole and path.startswith(self.text)):
                return True
            return path.endswith("/" + self.text) if self.whole else "/" + self.text in path
        return path.endswith(self.text) if self.whole else self.text in path


def custom_files(pattern: str, *, glob_allowed: bool) -> CustomFiles | None:
    """What one custom manager file pattern names, or ``None`` when it is not understood.
    ``managerFilePatterns`` entries are globs, or regular expressions written ``/.../``;
    ``fileMatch`` entries are regular expressions."""
    if glob_allowed and not (len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/")):
        return CustomFiles(glob=pattern.lstrip("/")) if pattern.strip("/") else None
    if glob_allowed:
        pattern = pattern[1:-1]
    found = _PLAIN_FILE_MATCH.fullmatch(pattern)
    if found is None:
        return None
    prefix, body, end = found.groups()
    anchor = "start" if prefix == "^" else "segment" if prefix else "anywhere"
    return CustomFiles(text=body.replace("\\", ""), anchor=anchor, whole=bool(end))


def _custom_managers(data: dict[str, Any]) -> tuple[CustomFiles, ...]:
    managers = [m for m in as_list(data.get("customManagers"))[:100] if isinstance(m, dict)]
    managers += [m for m in as_list(data.get("regexManagers"))[:100] if isinstance(m, dict)]
    found: list[CustomFiles] = []
    for manager in managers:
        for key, glob_allowed in (("managerFilePatterns", True), ("fileMatch", False)):
            for pattern in as_list(manager.get(key))[:MAX_CUSTOM_FILE_PATTERNS]:
                if isinstance(pattern, str) and len(pattern) <= 500:
                    files = custom_files(pattern, glob_allowed=glob_allowed)
                    if files is not None:
                        found.append(files)
    return tuple(sorted(set(found))[:MAX_CUSTOM_FILE_PATTERNS])


@dataclass(frozen=True, order=True)
class Manifest:
    ecosystem: str
    path: str

    @property
    def directory(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""


@dataclass(frozen=True, order=True)
class DependabotUpdate:
    path: str
    line: int
    ecosystem: str
    directories: tuple[str, ...]  # as written, e.g. "/", "/apps/*"


@dataclass(frozen=True, order=True)
class RenovateConfig:
    path: str
    line: int
    enabled: bool
    managers: tuple[str, ...] | None  # None = every manager
    ignore_paths: tuple[str, ...]
    #: files the custom (regex) managers read, whatever their ecosystem
    custom: tuple[CustomFiles, ...] = ()
    #: ``includePaths`` as written: when not empty, only files it names are read at all
    include_paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class EcosystemFacts:
    manifests: tuple[Manifest, ...] = ()
    dependabot: tuple[DependabotUpdate, ...] = ()
    dependabot_files: tuple[str, ...] = ()
    renovate: tuple[RenovateConfig, ...] = ()
    #: (member folder, workspace root folder) of npm/yarn/pnpm/bun, uv and Cargo workspaces:
    #: an update bot that updates the root's lockfile updates the members' dependencies
    workspaces: tuple[tuple[str, str], ...] = ()

    def workspace_root(self, manifest: Manifest) -> Manifest | None:
        """The same ecosystem's manifest at the root of the workspace ``manifest`` belongs to
        (so a Dependabot entry for the root covers it), or ``None``."""
        roots = dict(self.workspaces)
        root = roots.get(manifest.directory)
        if root is None:
            return None
        name = manifest.path.rsplit("/", 1)[-1]
        return Manifest(manifest.ecosystem, f"{root}/{name}" if root else name)


_REQUIREMENTS = re.compile(r"requirements[\w.-]{0,60}\.(?:txt|in)")


def ecosystem_of(path: str) -> str | None:
    """Ecosystem of a manifest path, or ``None``."""
    name = path.rsplit("/", 1)[-1]
    if path.startswith(".github/workflows/") and name.endswith((".yml", ".yaml")) and path.count("/") == 2:
        return "github-actions"
    return ecosystem_of_name(name)


def ecosystem_of_name(name: str) -> str | None:
    """Ecosystem of a manifest by its file name alone (workflows are placed by folder)."""
    if name in EXACT_NAMES:
        return EXACT_NAMES[name]
    if name.startswith("requirements") and _REQUIREMENTS.fullmatch(name):
        return "pip"
    if name.endswith((".csproj", ".fsproj", ".vbproj")):
        return "nuget"
    if name.endswith(".Dockerfile") or name.startswith("Dockerfile."):
        return "docker"
    if name.endswith(".tf"):
        return "terraform"
    return None


def manifest_candidates(ws: Workspace) -> list[str]:
    """Every indexed path ``ecosystem_of`` can name, in index order, from the name and
    extension buckets, never a Python call per indexed path."""
    found = {*ws.by_name(*EXACT_NAMES), *ws.with_suffix(*_MANIFEST_SUFFIXES),
             *ws.glob(".github/workflows/*.yml", ".github/workflows/*.yaml")}
    found.update(ws.paths_containing("Dockerfile."))  # Dockerfile.<anything>: any extension
    return sorted(found)


_MANIFEST_SUFFIXES = (".txt", ".in", ".csproj", ".fsproj", ".vbproj", ".dockerfile", ".tf")


def detect(ws: Workspace) -> EcosystemFacts:
    manifests: set[Manifest] = set()
    for path in manifest_candidates(ws):
        if len(manifests) >= MAX_MANIFESTS:
            break
        ecosystem = ecosystem_of(path)
        if ecosystem == "pip" and path.endswith(("pyproject.toml", "setup.cfg")) and not _python_deps(ws, path):
            continue
        if ecosystem is not None:
            manifests.add(Manifest(ecosystem, path))
    updates: list[DependabotUpdate] = []
    files: list[str] = []
    for path in DEPENDABOT_FILES:
        if ws.exists(path):
            files.append(path)
            updates.extend(_dependabot(ws, path))
    configs = dict.fromkeys((*RENOVATE_FILES, *self_hosted_renovate_files(ws), "package.json"))
    renovate = [r for r in (_renovate(ws, p) for p in configs if ws.exists(p)) if r]
    return EcosystemFacts(tuple(sorted(manifests)), tuple(sorted(updates)), tuple(files), tuple(sorted(renovate)),
                          _workspaces(ws, manifests))


def _workspaces(ws: Workspace, manifests: set[Manifest]) -> tuple[tuple[str, str], ...]:
    """Member folder -> root folder, from ``package.json`` ``workspaces`` (a list, or
    ``{packages: [...]}``), ``pnpm-workspace.yaml`` ``packages``, ``[tool.uv.workspace]
    members`` and Cargo's ``[workspace] members``: globs relative to the root's folder."""
    folders = {m.directory for m in manifests}
    declared: list[tuple[str, list[str]]] = []
    for manifest in sorted(manifests):
        name = manifest.path.rsplit("/", 1)[-1]
        if name == "package.json":
            data = as_dict(ws.read_json(manifest.path))
            members = data.get("workspaces")
            members = as_dict(members).get("packages") if isinstance(members, dict) else members
            declared.append((manifest.directory, [text_of(g) for g in as_list(members)]))
        elif name in ("pyproject.toml", "Cargo.toml"):
            declared.append((manifest.directory, _toml_members(ws, manifest.path, name)))
    for manifest in sorted(manifests):  # Maven modules and Gradle subprojects of a root build
        name = manifest.path.rsplit("/", 1)[-1]
        if name == "pom.xml" or name in ("build.gradle", "build.gradle.kts"):
            modules = _build_modules(ws, manifest)
            if modules:
                declared.append((manifest.directory, modules))
    for path in ws.by_name("pnpm-workspace.yaml"):
        data = first_mapping(ws, path)
        declared.append((path.rsplit("/", 1)[0] if "/" in path else "", [text_of(g) for g in as_list(as_dict(data).get("packages"))]))
    pairs: dict[str, str] = {}
    for root, globs in declared:
        patterns = [g.strip().strip("/").removeprefix("./") for g in globs[:500] if g and not g.startswith("!")]
        if not patterns:
            continue
        for folder in folders:
            inside = folder[len(root) + 1:] if root and folder.startswith(root + "/") else (folder if not root else None)
            if inside and folder != root and match_any(inside, patterns):
                pairs.setdefault(folder, root)
    return tuple(sorted(pairs.items()))


_POM_MODULE = re.compile(r"<module>\s*([^<\s]{1,300})\s*</module>")
_GRADLE_INCLUDE = re.compile(r"""(?m)^[ \t]*include[ \t(]+((?:["'][^"'\n]{1,200}["'][ \t,]*)+)""")


def _build_modules(ws: Workspace, manifest: Manifest) -> list[str]:
    """Folders a root build declares as its own: Maven ``<modules>`` (Dependabot's Maven
    updater reads the modules of the pom it is pointed at) and the projects a
    ``settings.gradle(.kts)`` beside a Gradle build ``include``s (``:a:b`` is ``a/b``)."""
    if manifest.path.endswith("pom.xml"):
        text = ws.read_text(manifest.path) or ""
        if "<modules>" not in text:
            return []
        body = re.sub(r"(?s)<!--.*?-->", "", text[:1_000_000])
        return [m.group(1).strip("/") for m in _POM_MODULE.finditer(body)][:500]
    folder = manifest.directory
    for name in ("settings.gradle", "settings.gradle.kts"):
        settings = f"{folder}/{name}" if folder else name
        if ws.exists(settings):
            text = re.sub(r"(?m)//[^\n]*", "", ws.read_text(settings) or "")
            found = [p.strip(" \t,'\"").lstrip(":").replace(":", "/") for m in _GRADLE_INCLUDE.finditer(text)
                     for p in re.findall(r"""["']([^"']+)["']""", m.group(1))]
            return found[:500]
    return []


def _toml_members(ws: Workspace, path: str, name: str) -> list[str]:
    """``members`` of ``[tool.uv.workspace]`` (pyproject.toml) or ``[workspace]`` (Cargo.toml)."""
    loaded = ws.read_toml(path)
    if loaded is None:
        return []
    data = loaded[0]
    table = as_dict(as_dict(as_dict(data.get("tool")).get("uv")).get("workspace")) if name == "pyproject.toml" \
        else as_dict(data.get("workspace"))
    return [text_of(m) for m in as_list(table.get("members"))]


def _python_deps(ws: Workspace, path: str) -> bool:
    """A ``pyproject.toml``/``setup.cfg`` that declares dependencies (not just tool settings)."""
    text = ws.read_text(path) or ""
    return _PYTHON_DEPS.search(text) is not None


#: ``^[^\S\n]*``: see ``linter.detectors.docs._PYTM_IMPORT``.
_PYTHON_DEPS = re.compile(r"^[^\S\n]*(?:dependencies|requires|install_requires|\[tool\.poetry\.dependencies\]|"
                          r"\[project\]|\[dependency-groups\])", re.M)


def _dependabot(ws: Workspace, path: str) -> list[DependabotUpdate]:
    data = first_mapping(ws, path)
    updates_node = as_dict(data).get("updates") if data else None
    found: list[DependabotUpdate] = []
    for index, entry in enumerate(as_list(updates_node)[:500]):
        body = as_dict(entry)
        raw = body.get("package-ecosystem")
        ecosystem = raw.strip().lower() if isinstance(raw, str) else ""
        if not ecosystem:
            continue
        dirs = [text_of(body.get("directory")).strip()] if text_of(body.get("directory")).strip() else []
        dirs += [text_of(d).strip() for d in as_list(body.get("directories"))[:200] if text_of(d).strip()]
        found.append(DependabotUpdate(path, line_of(updates_node, index, 0), ecosystem, tuple(dirs)))
    return found


def _renovate(ws: Workspace, path: str) -> RenovateConfig | None:
    text = ws.read_text(path)
    if text is None:
        return None
    data = ws.read_json(path, lenient=True)
    if data is None and path != "package.json":
        data = {}  # an unreadable Renovate file still configures Renovate (with its defaults)
    if path == "package.json":
        if not isinstance(data, dict) or not isinstance(data.get("renovate"), dict):
            return None
        data = data["renovate"]
    data = as_dict(data)
    managers = data.get("enabledManagers")
    extends = [text_of(e) for e in as_list(data.get("extends"))]
    ignores = [text_of(p) for p in as_list(data.get("ignorePaths")) if text_of(p)]
    includes = [p for p in as_list(data.get("includePaths"))[:500] if isinstance(p, str) and p]
    if "ignorePaths" not in data and any(e in RECOMMENDED_PRESETS for e in extends):
        ignores = list(RENOVATE_PRESET_IGNORES)
    return RenovateConfig(path, 1, data.get("enabled") is not False,
                          tuple(sorted(text_of(m) for m in managers)) if isinstance(managers, list) else None,
                          tuple(ignores[:500]), _custom_managers(data), tuple(includes))


# --------------------------------------------------------------------------- coverage
def dependabot_directory(directory: str, ecosystem: str) -> str:
    """A ``directory`` as Dependabot reads it: relative to the root with or without a leading
    ``/`` (``/``, ``.``, ``./`` are the root), and, for ``github-actions``, ``/`` and
    ``/.github/workflows`` both the workflows folder (written here as the root)."""
    pattern = directory.strip().replace("\\", "/")
    pattern = posixpath.normpath("/" + pattern.lstrip("/")).lstrip("/") if "*" not in pattern else pattern.strip("/")
    if ecosystem == "github-actions" and pattern == ".github/workflows":
        return ""
    return pattern.removeprefix("./")


def dependabot_covers(update: DependabotUpdate, manifest: Manifest) -> bool:
    if manifest.ecosystem not in DEPENDABOT_HANDLES.get(update.ecosystem, set()):
        return False
    folder = manifest.directory
    if manifest.ecosystem == "github-actions":
        folder = "" if folder == ".github/workflows" else folder
    for directory in update.directories:
        pattern = dependabot_directory(directory, manifest.ecosystem)
        if "*" in pattern:
            if match_any(folder, [pattern]):
                return True
        elif pattern == folder:
            return True
    return False


def renovate_covers(config: RenovateConfig, manifest: Manifest) -> bool:
    if not config.enabled:
        return False
    if config.include_paths and not _included(list(config.include_paths), manifest.path):
        return False
    custom = (config.managers is None or not CUSTOM_MANAGER_NAMES.isdisjoint(config.managers)) and any(
        files.matches(manifest.path) for files in config.custom)
    if (not custom and config.managers is not None
            and not set(config.managers) & RENOVATE_MANAGERS.get(manifest.ecosystem, set())):
        return False
    patterns = [p for p in config.ignore_paths if p]
    return not (patterns and _ignored(patterns, manifest.path))


def _included(patterns: list[str], path: str) -> bool:
    """Renovate keeps a file when an ``includePaths`` entry is its path or a minimatch glob
    matching it (no prefix matching: ``charts/`` names no file, ``charts/**`` does). Brace
    alternatives (``{a,b}``), which minimatch expands, are expanded here too, boundedly."""
    if path in patterns:
        return True
    globs = [g for p in patterns if any(c in p for c in "*?[{") for g in _braces(p)]
    return match_any(path, [g for g in globs if any(c in g for c in "*?[")]) or path in globs


_BRACE = re.compile(r"\{([^{}]*,[^{}]*)\}")
MAX_BRACE_EXPANSIONS = 64


def _braces(pattern: str) -> list[str]:
    """``a/{b,c}/*.yaml`` -> ``a/b/*.yaml``, ``a/c/*.yaml``; at most ``MAX_BRACE_EXPANSIONS``
    results, so a pattern of many brace groups cannot multiply without end."""
    done: list[str] = []
    todo = [pattern]
    while todo and len(done) + len(todo) <= MAX_BRACE_EXPANSIONS:
        current = todo.pop()
        found = _BRACE.search(current)
        if found is None:
            done.append(current)
            continue
        todo += [current[:found.start()] + choice + current[found.end():] for choice in found.group(1).split(",")]
    return sorted(done)


def _ignored(patterns: list[str], path: str) -> bool:
    globs = [p if any(c in p for c in "*?[") else p.rstrip("/") + "/**" for p in patterns]
    return match_any(path, globs)
