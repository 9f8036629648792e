"""Publishing metadata: evidence that a folder's code is a library or a tool, or a web
application its build declares.

Each manifest is read as its ecosystem documents it: ``pyproject.toml`` (PEP 621
``[project]``, ``[project.scripts]``; Poetry's ``[tool.poetry]``), ``setup.cfg``
(``[metadata] name``, ``console_scripts``), ``package.json`` (``main``/``exports``/``bin``,
``private``), ``Cargo.toml`` (``[lib]``, ``[[bin]]``, ``src/lib.rs``/``src/main.rs``),
``go.mod`` with ``package main`` at the root or under ``cmd/``, Maven's ``<packaging>``
(``jar``, ``hpi`` Jenkins plugins, ``maven-plugin``, ``war``), Gradle plugin ids (also
``alias(libs.plugins.x)`` through the version catalog; an Android application, named by
``com.android.application`` or an ``applicationId``, is an app people install, a tool, ranked
``INSTALLED`` with a store listing in the repository and ``BUILT`` without one, as an
unpublished ``java-library`` is), .NET project files (``PackageId``, ``OutputType``,
``Microsoft.NET.Sdk.Web``), gemspecs, ``composer.json`` ``type`` (a ``project`` requiring a
PHP web framework is a web application), a GitHub Action's ``action.yml`` and a Jsonnet
mixin. A package with a ``start`` script is an application, not a published package (a
service when ``npm start`` runs a Node program and it depends on a server framework), unless
it has fields only a package prepared for the registry has (``exports``, ``types``,
``files``...): then the script starts a development sandbox. A ``package.json`` with
``engines.vscode`` is a VS Code extension (a tool), and one still as ``npm init`` wrote it
says nothing. A ``setup.py`` beside the ``setup.cfg`` or ``pyproject.toml`` that declares
its distribution is the same package. XML is read only when it declares no DTD (no entity
can expand); nothing is built or run.
"""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from typing import Any, Iterable

from linter.detectors.kinds.signals import BUILT, DEPLOY, INSTALLED, PUBLISH, Signal
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

MAX_GO_FILES = 200


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def line_of_text(text: str | None, needle: str) -> int:
    """The line of ``needle``'s first occurrence in ``text`` (1 when it is not there): where a
    reader of a format without line numbers (JSON, TOML, Gradle) points its evidence."""
    index = (text or "").find(needle)
    return (text or "").count("\n", 0, index) + 1 if index >= 0 else 1


def first_document(ws: Workspace, path: str) -> Any:
    """The first YAML document of ``path`` (parsed once per run by the reader), or ``None``."""
    parsed = ws.read_yaml(path)
    return parsed.documents[0].data if parsed and parsed.documents else None


class SourceFiles:
    """The ``.go`` and ``.rs`` files by folder, grouped once: a monorepo of hundreds of modules
    asks where each module's programs are, and a scan of every source file per manifest
    would cost manifests x files."""

    def __init__(self, ws: Workspace) -> None:
        self.by_folder: dict[str, list[str]] = {}
        for path in [*ws.with_suffix(".go"), *ws.with_suffix(".rs")]:
            self.by_folder.setdefault(_folder(path), []).append(path)
        self.children: dict[str, set[str]] = {}  # also folders without source files (cmd/)
        for folder in list(self.by_folder):
            while folder:
                known = self.children.setdefault(_folder(folder), set())
                if folder in known:
                    break
                known.add(folder)
                folder = _folder(folder)

    def in_folder(self, folder: str, suffix: str) -> list[str]:
        return [p for p in self.by_folder.get(folder, ()) if p.endswith(suffix)]

    def subfolders(self, folder: str) -> list[str]:
        return sorted(self.children.get(folder, ()))


def as_dict(value: Any) -> dict[Any, Any]:
    """``value`` when it is a mapping, else an empty one (a file's fields may hold anything)."""
    return value if isinstance(value, dict) else {}


def signals(ws: Workspace, paths: Iterable[str]) -> list[Signal]:
    found: list[Signal] = []
    sources: SourceFiles | None = None
    for path in paths:
        name = _name(path)
        reader = _READERS.get(name)
        if name in ("go.mod", "Cargo.toml"):
            sources = sources or SourceFiles(ws)
            found.extend((_go_mod if name == "go.mod" else _cargo)(ws, path, sources))
        elif reader is not None:
            found.extend(reader(ws, path))
        elif name.endswith(".gemspec"):
            found.append(Signal(path, 1, "library", PUBLISH, "a Ruby gem specification"))
        elif name.endswith((".csproj", ".fsproj", ".vbproj")):
            found.extend(_dotnet(ws, path))
        elif name in ("build.gradle", "build.gradle.kts"):
            found.extend(_gradle(ws, path))
    return found


def _pyproject(ws: Workspace, path: str) -> list[Signal]:
    loaded = ws.read_toml(path)
    if loaded is None:
        return []
    data, text = loaded
    project = as_dict(data.get("project"))
    poetry = as_dict(as_dict(data.get("tool")).get("poetry"))
    name = project.get("name") or poetry.get("name")
    if not isinstance(name, str) or not name:
        return []
    scripts = {**as_dict(project.get("scripts")), **as_dict(project.get("gui-scripts")), **as_dict(poetry.get("scripts"))}
    extra = _command_extra(project, poetry)
    if scripts and extra is not None:
        return [Signal(path, line_of_text(text, "name"), "library", PUBLISH,
                       f"it publishes the Python package {name[:40]}; its command {str(sorted(scripts)[0])[:40]} "
                       f"needs the optional {extra[:20]!r} extra")]
    if scripts:
        command = sorted(scripts)[0]
        return [Signal(path, line_of_text(text, "scripts"), "tool", PUBLISH,
                       f"it publishes the Python package {name[:40]} with the command {str(command)[:40]}")]
    return [Signal(path, line_of_text(text, "name"), "library", PUBLISH, f"it publishes the Python package {name[:40]}")]


#: Names of an optional-dependency group ("extra") that holds what a package's command line
#: needs (``pip install httpx[cli]``): the package is a library first, its command an add-on.
COMMAND_EXTRAS = frozenset({"cli", "cmd", "command", "commands", "console", "shell"})


def _command_extra(project: dict[Any, Any], poetry: dict[Any, Any]) -> str | None:
    """The extra (PEP 621 ``optional-dependencies``, Poetry ``extras``) the package's commands
    need, when it has one named for them."""
    extras = {**as_dict(project.get("optional-dependencies")), **as_dict(poetry.get("extras"))}
    return next((str(key) for key in sorted(map(str, extras)) if key.lower() in COMMAND_EXTRAS), None)


def _setup_cfg(ws: Workspace, path: str) -> list[Signal]:
    import configparser

    text = ws.read_text(path)
    if text is None:
        return []
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except (configparser.Error, ValueError):
        return []
    name = parser.get("metadata", "name", fallback="")
    if not name:
        return []
    if parser.get("options.entry_points", "console_scripts", fallback="").strip():
        return [Signal(path, line_of_text(text, "console_scripts"), "tool", PUBLISH,
                       f"it publishes the Python package {name[:40]} with commands")]
    return [Signal(path, line_of_text(text, "name"), "library", PUBLISH, f"it publishes the Python package {name[:40]}")]


def _setup_py(ws: Workspace, path: str) -> list[Signal]:
    """A ``setup.py`` packages the folder for PyPI; when ``setup.cfg`` or ``pyproject.toml``
    beside it names the distribution, setuptools reads them into the same one (the
    ``setup.py`` is the shim that calls ``setup()``), and that declaration says what it is."""
    folder = _folder(path)
    for name, reader in (("setup.cfg", _setup_cfg), ("pyproject.toml", _pyproject)):
        declared = _join(folder, name)
        if ws.exists(declared) and reader(ws, declared):
            return []
    return [Signal(path, 1, "library", PUBLISH, "a setup.py packages it for PyPI")]


#: Node server frameworks: an application that depends on one and is started with
#: ``npm start`` runs a server.
NODE_SERVER_FRAMEWORKS = ("express", "fastify", "koa", "@nestjs/core", "@hapi/hapi", "hapi")


def _package_json(ws: Workspace, path: str) -> list[Signal]:
    data = ws.read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return []
    name = data["name"][:60]
    engines = as_dict(data.get("engines"))
    if isinstance(engines.get("vscode"), str):
        # VS Code's extension manifest: `engines.vscode` is the editor it installs into
        return [Signal(path, line_of_text(ws.read_text(path) or "", '"vscode"'), "tool", PUBLISH,
                       f"a VS Code extension ({name}; engines.vscode)")]
    importable = any(data.get(key) for key in ("main", "exports", "module", "types", "typings"))
    scripts = as_dict(data.get("scripts"))
    server = _node_server(data, importable) if _starts_node(scripts) else None
    if server:
        return [Signal(path, line_of_text(ws.read_text(path) or "", f'"{server}"'), "service", DEPLOY,
                       f"an application started with `npm start` that depends on the server framework {server}")]
    if data.get("private") in (True, "true"):
        return []
    folder = _folder(path)
    if ws.exists(_join(folder, "action.yml")) or ws.exists(_join(folder, "action.yaml")):
        return []  # a GitHub Action's build file: the action is what it publishes
    if "start" in scripts and not any(data.get(key) for key in PUBLISHING_FIELDS):
        return []  # an application started with `npm start`, not a published package
    if _npm_init_leftover(ws, data, folder):
        return []
    if data.get("bin") and (not importable or _command_named_for(data["bin"], data["name"])):
        return [Signal(path, 1, "tool", PUBLISH, f"it publishes the npm package {name} with a command (bin)")]
    if importable:
        return [Signal(path, 1, "library", PUBLISH, f"it publishes the npm package {name}")]
    return []


#: What ``npm init`` writes (npm's "Creating a package.json file"): ``main`` ``index.js`` and a
#: ``test`` script that fails on purpose.
NPM_INIT_MAIN = "index.js"
NPM_INIT_TEST = 'echo "Error: no test specified" && exit 1'
#: Fields someone adds when preparing a package for the registry (npm's package.json reference).
PUBLISHING_FIELDS = ("exports", "module", "types", "typings", "bin", "files", "publishConfig")


def _npm_init_leftover(ws: Workspace, data: dict[str, Any], folder: str) -> bool:
    """A ``package.json`` whose ``main`` is still ``npm init``'s ``index.js`` and that nothing
    prepares for the registry: its ``main`` names no file of the folder (the code is elsewhere,
    built into a bundle or an archive, as a Lambda function's is), or its ``test`` script is
    still ``npm init``'s placeholder. It holds dependencies for code deployed some other way,
    or nothing at all; it is no evidence of a published package."""
    if data.get("main") != NPM_INIT_MAIN or any(data.get(key) for key in PUBLISHING_FIELDS):
        return False
    return not ws.exists(_join(folder, NPM_INIT_MAIN)) or as_dict(data.get("scripts")).get("test") == NPM_INIT_TEST


#: Commands that run a Node program (``node server.js``, ``ts-node app.ts``, ``nest start``)
NODE_RUNNERS = frozenset({"node", "ts-node", "ts-node-dev", "tsx", "nodemon", "nest", "pm2", "pm2-runtime", "fastify"})
_SCRIPT_FILE = re.compile(r"\.(?:js|mjs|cjs|ts|mts|cts)$")
_RUNS_SCRIPT = re.compile(r"^(?:yarn|npm|pnpm|bun)(?::|$)")


def _starts_node(scripts: dict[Any, Any]) -> bool:
    """Whether ``npm start`` runs a Node program: the ``start`` script, and the scripts it
    runs (``yarn:start:api``, ``npm run api``, ``yarn api``; at most 20 scripts), name a Node
    runner or a script file. ``docusaurus start`` or ``vite`` is a site's development server."""
    pending, seen = ["start"], set()
    while pending and len(seen) < 20:
        name = pending.pop()
        command = scripts.get(name)
        if name in seen or not isinstance(command, str):
            continue
        seen.add(name)
        words = [w.strip("'\"") for w in command[:2000].replace("&&", " ").replace(";", " ").split()]
        for index, word in enumerate(words):
            if word in NODE_RUNNERS or (_SCRIPT_FILE.search(word) and not word.startswith("-") and ".config." not in word):
                return True
            if word.startswith(("yarn:", "npm:", "pnpm:")):
                pending.append(word.split(":", 1)[1])
            elif _RUNS_SCRIPT.match(word) and index + 1 < len(words):
                following = words[index + 2] if words[index + 1] == "run" and index + 2 < len(words) else words[index + 1]
                pending.append(following)
    return False


def _node_server(data: dict[str, Any], importable: bool) -> str | None:
    """The server framework an application started with ``npm start`` runs: a runtime
    dependency, or (in an application bundled by its build, nothing importable) a development
    dependency. A package meant to be imported that only tests against express says nothing."""
    runtime = as_dict(data.get("dependencies"))
    development = as_dict(data.get("devDependencies"))
    for framework in NODE_SERVER_FRAMEWORKS:
        if framework in runtime or (framework in development and not importable and not data.get("bin")):
            return framework
    return None


def _command_named_for(commands: Any, package: str) -> bool:
    """Whether a package's ``bin`` offers a command named for the package. npm documents a
    string ``bin`` as one command named after the package; a map's keys are the command
    names. A package with an import entry (``main``/``exports``) whose only commands are
    named otherwise (``@trpc/server``'s ``intent`` helper) is imported first: a library that
    ships a helper, where ``eslint``'s ``eslint`` command makes it a tool."""
    if isinstance(commands, str):
        return True
    if not isinstance(commands, dict):
        return False
    unscoped = package.rsplit("/", 1)[-1].lower()
    names = [str(k).lower() for k in commands]
    return any(n == unscoped or (len(unscoped) >= 3 and unscoped in n) or (len(n) >= 3 and n in unscoped)
               for n in names)


def _cargo(ws: Workspace, path: str, sources: SourceFiles) -> list[Signal]:
    loaded = ws.read_toml(path)
    if loaded is None:
        return []
    data, text = loaded
    package = as_dict(data.get("package"))
    name = package.get("name")
    if not isinstance(name, str):
        return []
    folder = _folder(path)
    bins = data.get("bin") if isinstance(data.get("bin"), list) else []
    # Cargo's automatic targets: src/main.rs, src/bin/*.rs and src/bin/*/main.rs are binaries
    bin_folder = _join(folder, "src/bin")
    has_bin = bool(bins) or ws.exists(_join(folder, "src/main.rs")) or bool(sources.in_folder(bin_folder, ".rs")) \
        or any(ws.exists(f"{sub}/main.rs") for sub in sources.subfolders(bin_folder))
    has_lib = "lib" in data or ws.exists(_join(folder, "src/lib.rs"))
    if has_bin and package.get("publish") is not False:
        return [Signal(path, line_of_text(text, "[[bin]]") if bins else 1, "tool", PUBLISH,
                       f"the crate {name[:40]} builds a command-line binary")]
    if has_lib:
        return [Signal(path, 1, "library", PUBLISH, f"it publishes the crate {name[:40]}")]
    return []


_PACKAGE_CLAUSE = re.compile(r"^package[ \t]+([A-Za-z_][A-Za-z0-9_]*)", re.M)


def _go_package(text: str) -> str | None:
    """The package clause, after comments and build constraints (first match of a line
    starting with ``package``; a ``/* */`` comment holding such a line is rare and harmless)."""
    match = _PACKAGE_CLAUSE.search(text[:20_000])
    return match.group(1) if match else None


def _go_mod(ws: Workspace, path: str, sources: SourceFiles) -> list[Signal]:
    text = ws.read_text(path) or ""
    module = next((line.split()[1] for line in text.splitlines()[:50]
                   if line.startswith("module ") and len(line.split()) > 1), "")
    if not module:
        return []
    folder = _folder(path)
    importable = "." in module.split("/", 1)[0]  # `module tools` cannot be fetched by anyone
    prefix = f"{folder}/" if folder else ""
    mains: list[str] = []
    checked = 0
    candidates = [*sources.in_folder(folder, ".go"),
                  *(p for sub in sources.subfolders(_join(folder, "cmd")) for p in sources.in_folder(sub, ".go"))]
    for candidate in candidates:
        if candidate.endswith("_test.go"):
            continue
        checked += 1
        if checked > MAX_GO_FILES:
            break
        if _go_package(ws.read_text(candidate) or "") == "main":
            mains.append(candidate)
    if mains:
        # the program named after the module (root, or cmd/<module's last segment>/) first; the
        # signal sits on go.mod, so it is the module's own wherever its program lives
        own = module.rstrip("/").split("/")[-1]
        mains.sort(key=lambda m: (m.count("/") - prefix.count("/") != 0, f"/cmd/{own}/" not in f"/{m}",
                                  not m.endswith("/main.go") and m != "main.go", m))
        return [Signal(path, 1, "tool", PUBLISH,
                       f"the Go module {module[:60]} builds a program ({mains[0][len(prefix):]}: package main)")]
    if not importable:
        return []
    return [Signal(path, 1, "library", PUBLISH, f"the Go module {module[:60]} has no program at its root or under cmd/")]


def _xml(ws: Workspace, path: str) -> tuple[ET.Element, str] | None:
    """The root element, or ``None``: a file with a DTD is not read (no entity expansion)."""
    text = ws.read_text(path)
    if text is None or "<!DOCTYPE" in text or "<!ENTITY" in text:
        return None
    try:
        return ET.fromstring(text), text
    except (ET.ParseError, ValueError, RecursionError):
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(element: ET.Element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _pom(ws: Workspace, path: str) -> list[Signal]:
    parsed = _xml(ws, path)
    if parsed is None:
        return []
    root, text = parsed
    artifact = _child_text(root, "artifactId")[:60]
    packaging = _child_text(root, "packaging") or "jar"
    plugins = {(_child_text(p, "artifactId")) for p in root.iter() if _local(p.tag) == "plugin"}
    if packaging in ("war", "ear") or "spring-boot-maven-plugin" in plugins:
        what = f"<packaging>{packaging}</packaging>" if packaging in ("war", "ear") else "spring-boot-maven-plugin"
        return [Signal(path, line_of_text(text, "spring-boot-maven-plugin" if what.startswith("spring") else "<packaging>"),
                       "service", DEPLOY, f"the Maven build makes a web application ({what})")]
    if packaging in ("hpi", "jpi"):
        return [Signal(path, line_of_text(text, "<packaging>"), "library", PUBLISH,
                       f"the Maven artifact {artifact} is a Jenkins plugin (<packaging>{packaging}</packaging>)")]
    if packaging == "maven-plugin":
        return [Signal(path, line_of_text(text, "<packaging>"), "tool", PUBLISH, f"the Maven artifact {artifact} is a build plugin")]
    if packaging in ("jar", "bundle", "aar") and artifact:
        return [Signal(path, line_of_text(text, "<artifactId>"), "library", PUBLISH, f"it publishes the Maven artifact {artifact}")]
    return []


#: ``id("java-library")``, ``id 'maven-publish'``, ``apply plugin: 'war'``, ``\`java-library\```:
#: blanks are ``[ \t]*`` runs separated by a literal, so no two quantifiers compete (linear).
_GRADLE_PLUGIN = re.compile(r"""(?:\bid[ \t]*(?:\([ \t]*)?["']([A-Za-z0-9_.\-]+)["']"""
                            r"""|\bapply[ \t]+plugin[ \t]*:[ \t]*["']([A-Za-z0-9_.\-]+)["']|`([a-z\-]+)`)""")


def _without_comments(text: str) -> str:
    """``//`` and ``/* */`` comments blanked (newlines kept for line numbers), in one pass:
    each ``find`` result is reused until the scan passes it, so no stretch is searched twice."""
    out: list[str] = []
    position = 0
    next_line = next_block = -2  # -2: not searched yet; -1: none left
    while True:
        if next_line != -1 and next_line < position:
            next_line = text.find("//", position)
        if next_block != -1 and next_block < position:
            next_block = text.find("/*", position)
        starts = [i for i in (next_line, next_block) if i >= 0]
        if not starts:
            out.append(text[position:])
            return "".join(out)
        start = min(starts)
        out.append(text[position:start])
        if start == next_line:
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
        else:
            end = text.find("*/", start + 2)
            end = len(text) if end < 0 else end + 2
        out.append("\n" * text.count("\n", start, end))
        position = end


def _gradle(ws: Workspace, path: str) -> list[Signal]:
    text = ws.read_text(path)
    if text is None:
        return []
    code = _without_comments(text[:200_000])
    plugins: dict[str, int] = {}
    for match in _GRADLE_PLUGIN.finditer(code):
        plugin = next(g for g in match.groups() if g)
        if not _declared_only(code, match.end()):
            plugins.setdefault(plugin, code.count("\n", 0, match.start()) + 1)
    for match in _GRADLE_ALIAS.finditer(code):
        plugin = _catalog_plugins(ws, _folder(path)).get(_accessor(match.group(1)))
        if plugin and not _declared_only(code, match.end()):
            plugins.setdefault(plugin, code.count("\n", 0, match.start()) + 1)
    for plugin in ("org.springframework.boot", "war"):
        if plugin in plugins:
            return [Signal(path, plugins[plugin], "service", DEPLOY, f"the Gradle build makes a web application ({plugin})")]
    application = _android_application(code, plugins)
    if application:
        line, what = application
        listing = _store_listing(ws, _folder(path))
        if listing:
            return [Signal(path, line, "tool", INSTALLED,
                           f"the Gradle build makes an Android application ({what}) released with the store listing "
                           f"{listing}")]
        return [Signal(path, line, "tool", BUILT, f"the Gradle build makes an Android application ({what})")]
    published = [p for p in plugins if "publish" in p]
    if published:
        return [Signal(path, plugins[published[0]], "library", PUBLISH, f"the Gradle build publishes a library ({published[0]})")]
    if "java-library" in plugins:
        return [Signal(path, plugins["java-library"], "library", BUILT,
                       "the Gradle build makes a library (java-library; no publishing plugin)")]
    if "application" in plugins:
        return [Signal(path, plugins["application"], "tool", PUBLISH, "the Gradle build makes a runnable application")]
    return []


#: ``applicationId = "org.example.app"`` (Kotlin) or ``applicationId 'org.example.app'`` (Groovy):
#: the Android Gradle plugin lets only application modules set one (a library's is refused),
#: so it names an application also when a project's own convention plugin applies Android's.
_APPLICATION_ID = re.compile(r"""\bapplicationId\b[ \t]*=?[ \t]*["']([A-Za-z0-9_.]+)["']""")
#: Store listings kept in the repository: fastlane's ``supply`` layout (also what F-Droid
#: reads) and the Gradle Play Publisher's ``play/listings`` source folders.
STORE_LISTINGS = ("fastlane/metadata/android/", "play/listings/")


def _android_application(code: str, plugins: dict[str, int]) -> tuple[int, str] | None:
    """(line, what) of an Android application module: the ``com.android.application`` plugin,
    or an ``applicationId`` (a convention plugin applying Android's for it)."""
    if "com.android.application" in plugins:
        return plugins["com.android.application"], "com.android.application"
    match = _APPLICATION_ID.search(code)
    if match:
        return code.count("\n", 0, match.start()) + 1, f"applicationId {match.group(1)[:60]}"
    return None


def _store_listing(ws: Workspace, folder: str) -> str | None:
    """The folder of a store listing that belongs to the module in ``folder``: one inside it,
    or one outside every other module (a repository-wide ``fastlane/``)."""
    prefix = f"{folder}/" if folder else ""
    seen: set[str] = set()  # a listing holds a file per locale and field: judge each listing once
    for path in ws.paths_containing(*STORE_LISTINGS):
        for needle in STORE_LISTINGS:
            cut = path.find(needle)
            if cut == 0 or (cut > 0 and path[cut - 1] == "/"):
                break
        else:
            continue
        listing = path[:cut] + needle.rstrip("/")
        if listing in seen:
            continue
        seen.add(listing)
        if prefix and path.startswith(prefix):
            return listing
        first = path.split("/", 1)[0]
        if "/" in path[:cut] and (ws.exists(f"{first}/build.gradle") or ws.exists(f"{first}/build.gradle.kts")):
            continue  # another module's listing
        return listing
    return None


#: ``alias(libs.plugins.android.application)``: a plugin named through the version catalog
_GRADLE_ALIAS = re.compile(r"\balias[ \t]*\([ \t]*libs\.plugins\.([A-Za-z0-9_.\-]+)[ \t]*\)")


_APPLY_FALSE = re.compile(r"[^\n]*\bapply[ \t]*\(?[ \t]*false\b")


def _declared_only(code: str, end: int) -> bool:
    """``id("x") version "1" apply false`` (or ``alias(...) apply false``) only declares the
    plugin for subprojects, as Gradle documents: this build does not apply it."""
    line_end = code.find("\n", end)
    return bool(_APPLY_FALSE.match(code, end, len(code) if line_end < 0 else line_end))


def _accessor(key: str) -> str:
    """Gradle turns a catalog key's ``-``, ``_`` and ``.`` into the accessor's dots."""
    return re.sub(r"[-_.]", ".", key).lower()


def _catalog_plugins(ws: Workspace, folder: str) -> dict[str, str]:
    """The ``[plugins]`` of the version catalog ``gradle/libs.versions.toml`` of the build
    (the nearest folder at or above ``folder`` that has one): accessor -> plugin id. An entry
    is ``"id:version"`` or a table with ``id``."""
    parts = [p for p in folder.split("/") if p not in ("", ".")]
    for depth in range(len(parts), -1, -1):
        catalog = "/".join([*parts[:depth], "gradle", "libs.versions.toml"])
        if ws.exists(catalog):
            loaded = ws.read_toml(catalog)
            table = as_dict(loaded[0].get("plugins")) if loaded else {}
            found: dict[str, str] = {}
            for key, value in table.items():
                ident = value.split(":", 1)[0] if isinstance(value, str) else as_dict(value).get("id")
                if isinstance(ident, str):
                    found[_accessor(str(key))] = ident.strip()
            return found
    return {}


def _dotnet(ws: Workspace, path: str) -> list[Signal]:
    name = _name(path)
    if re.search(r"(?i)test|benchmark|sample|example", name):
        return []
    parsed = _xml(ws, path)
    if parsed is None:
        return []
    root, text = parsed
    sdk = root.get("Sdk", "")
    values = {_local(e.tag): (e.text or "").strip() for e in root.iter()}
    if values.get("IsTestProject", "").lower() == "true":
        return []
    if sdk in ("Microsoft.NET.Sdk.Web", "Microsoft.NET.Sdk.Worker", "Microsoft.NET.Sdk.BlazorWebAssembly"):
        return [Signal(path, 1, "service", DEPLOY, f"the project builds a web application or worker (Sdk={sdk})")]
    if values.get("PackageId") or values.get("IsPackable", "").lower() == "true" \
            or values.get("GeneratePackageOnBuild", "").lower() == "true":
        return [Signal(path, line_of_text(text, "<PackageId>"), "library", PUBLISH,
                       f"it publishes the NuGet package {(values.get('PackageId') or name)[:60]}")]
    output = values.get("OutputType", "").lower()
    if output in ("exe", "winexe"):
        if values.get("IsPackable", "").lower() == "false":
            return []  # a program nobody publishes (a maintainer's helper)
        return [Signal(path, line_of_text(text, "<OutputType>"), "tool", PUBLISH, "the project builds an executable")]
    if output in ("", "library"):
        return [Signal(path, 1, "library", PUBLISH, f"the project builds a library ({name[:60]}; MSBuild's default output)")]
    return []


#: PHP web frameworks whose application skeletons are Composer ``project`` packages
PHP_WEB_FRAMEWORKS = ("laravel/framework", "symfony/framework-bundle", "laminas/laminas-mvc", "cakephp/cakephp",
                      "yiisoft/yii2", "slim/slim", "codeigniter4/framework")


def _composer(ws: Workspace, path: str) -> list[Signal]:
    """Composer's ``type``: ``library`` (the default) and plugin types publish a package;
    ``project`` is an application (Composer's schema: "application shells", installed with
    ``create-project``), a web application when it requires a PHP web framework."""
    data = ws.read_json(path)
    if isinstance(data, dict) and isinstance(data.get("name"), str):
        kind = data.get("type", "library")
        if kind in ("library", "composer-plugin", "symfony-bundle", "wordpress-plugin"):
            return [Signal(path, 1, "library", PUBLISH, f"it publishes the Composer package {data['name'][:60]}")]
        framework = next((f for f in PHP_WEB_FRAMEWORKS if f in as_dict(data.get("require"))), None)
        if kind == "project" and framework:
            text = ws.read_text(path) or ""
            return [Signal(path, line_of_text(text, f'"{framework}"'), "service", DEPLOY,
                           f"the Composer project is a web application (it requires {framework})")]
    return []


def _action(ws: Workspace, path: str) -> list[Signal]:
    data = first_document(ws, path)
    if isinstance(data, dict) and isinstance(data.get("runs"), dict):
        using = as_dict(data.get("runs")).get("using")
        return [Signal(path, line_of(data, "runs", 1), "tool", PUBLISH, f"a GitHub Action (runs using {str(using)[:20]})")]
    return []


#: The most of a MODULE.bazel parsed (a module's call comes first, by Bazel's rule).
MAX_MODULE_CHARS = 200_000


def _bazel_module(ws: Workspace, path: str) -> list[Signal]:
    """A Bazel module released to the Bazel Central Registry: ``module(name = ...)`` in
    ``MODULE.bazel`` and, beside it, the ``.bcr/metadata.template.json`` the Publish to BCR
    app takes each release's registry entry from. Starlark is parsed as the syntax tree it
    shares with Python, never evaluated; a module without that template says nothing (an
    application's workspace is a module too)."""
    folder = _folder(path)
    if not ws.exists(_join(_join(folder, ".bcr"), "metadata.template.json")):
        return []
    text = ws.read_text(path) or ""
    try:
        tree = ast.parse(text[:MAX_MODULE_CHARS])
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "module":
            name = next((k.value.value for k in call.keywords if k.arg == "name" and isinstance(k.value, ast.Constant)
                         and isinstance(k.value.value, str)), "")
            return [Signal(path, node.lineno, "library", PUBLISH,
                           f"a Bazel module ({name[:60] or 'unnamed'}) released to the Bazel Central Registry "
                           "(.bcr/metadata.template.json)")]
    return []


def _jsonnet_mixin(ws: Workspace, path: str) -> list[Signal]:
    if ws.exists(_join(_folder(path), "jsonnetfile.json")):
        return [Signal(path, 1, "library", PUBLISH, "a Jsonnet monitoring mixin to vendor into other configuration")]
    return []


_READERS = {
    "pyproject.toml": _pyproject, "setup.cfg": _setup_cfg, "setup.py": _setup_py, "package.json": _package_json,
    "pom.xml": _pom, "composer.json": _composer,
    "action.yml": _action, "action.yaml": _action, "mixin.libsonnet": _jsonnet_mixin, "MODULE.bazel": _bazel_module,
}
