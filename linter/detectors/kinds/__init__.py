"""Inferring what a scope is (``linter.kinds``) from the files it holds.

``detect`` reads every file that can say what the code is, once per run, into ranked
``Signal``s (``signals.py`` explains the ranks). ``decide`` then judges one scope from the
signals inside its folder (not inside a nested scope): the strongest rank wins; at that rank
the signals must agree, or the kind is ``unknown`` and says which files disagree. Nothing
found is ``unknown`` too: a kind is never guessed silently, and every decision carries the
files that support it.

Files under documentation, test, sample, development-container and benchmark folders say
nothing about what the repository ships, so they are left out (a ``Dockerfile`` under
``.devcontainer/`` is a developer's machine, a ``docker-compose.yml`` under ``tests/`` a
test fixture).
"""

from __future__ import annotations

from typing import Callable, Sequence

from linter.detectors import hcl
from linter.detectors.infra_compose import is_compose_file
from linter.detectors.kinds import apple, deploy, desktop, manifests, meson, mix, nextjs, nx, packages
from linter.detectors.kinds.dockerfile import is_dockerfile
from linter.detectors.kinds.signals import BUILT, DEPLOY, INFRA, INFRA_ROOT, INSTALLED, PUBLISH, SHAPE, Signal
from linter.fast_dataclass import dataclass
from linter.kinds import UNKNOWN
from linter.repo.folders import outside_docs_and_tests
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace
from linter.results import Evidence

__all__ = ["KindDecision", "KindFacts", "Signal", "decide", "detect", "documents_in"]

#: Folders whose files are not what the repository ships, besides documentation and tests
#: (``linter.repo.folders``) and samples (never indexed). ``scripts`` holds helpers for the
#: people working on the repository (a release-notes tool's Dockerfile beside Helm charts
#: does not make the charts deploy an image built here), as ``hack`` does by Kubernetes'
#: convention. ``.config`` holds developer tools' settings (``@grafana/create-plugin`` puts the
#: Compose file that runs Grafana with the plugin mounted there; .NET and mise keep theirs).
NOT_SHIPPED_DIRS = frozenset({
    ".devcontainer", "devcontainer", ".github", ".gitlab", ".circleci", ".buildkite", "benchmark", "benchmarks",
    "scripts",
    "bench", "demo", "demos", "playground", "sandbox", "contrib", "hack", "third_party", "third-party", "vendor",
    "integration-tests", "integration_tests", "test-infra", "testing", "_example", "development", ".gitlab-ci",
    ".config",
})
DOC_SITE_FILES = frozenset({"mkdocs.yml", "mkdocs.yaml", "docusaurus.config.js", "docusaurus.config.ts",
                            "docusaurus.config.mjs", "book.toml", "antora.yml", "antora-playbook.yml", "hugo.toml",
                            "hugo.yaml", "_config.yml"})
DOCUMENT_SUFFIXES = (".md", ".mdx", ".markdown", ".rst", ".adoc", ".txt")
#: A scope is mostly documents when at least this share of its files (and this many) are.
DOCUMENT_SHARE = 0.5
MIN_DOCUMENTS = 20
MAX_EVIDENCE = 3
SAM_FILES = Prefilter("sam-transform", lambda text: "AWS::Serverless" in text)


@dataclass(frozen=True)
class KindFacts:
    """Every signal of the repository, and the files that build its images (Dockerfiles, ko
    configurations)."""

    signals: tuple[Signal, ...] = ()
    image_builders: tuple[str, ...] = ()


NOTHING_SAYS = "no deployment, package metadata, infrastructure code or documentation site says what it is"
NOT_DEPLOYED = "nothing in it is deployed as a running program"


def reason_for(kind: str, source: str, evidence: Sequence[Evidence]) -> str:
    """Why a scope is of its kind, as a clause for sentences (``init``'s summary, every
    not-applicable message): ``Cargo.toml:30: the crate ripgrep builds a command-line binary;
    nothing in it is deployed as a running program``. The one place this is worded."""
    if not evidence:
        return NOTHING_SAYS
    parts = [f"{e.location()}: {e.detail}" if e.path not in ("", ".") else e.detail for e in evidence[:2]]
    if kind == UNKNOWN:
        return "its files disagree: " + "; ".join(parts)
    if source == "inferred" and kind in ("library", "tool", "infrastructure", "documentation"):
        parts.append(NOT_DEPLOYED)  # deployment outranks every other signal: none was found
    return "; ".join(parts)


@dataclass(frozen=True)
class KindDecision:
    kind: str
    source: str  # "inferred" or "none"
    evidence: tuple[Evidence, ...]

    @property
    def reason(self) -> str:
        return reason_for(self.kind, self.source, self.evidence)


def _test_folder(name: str) -> bool:
    """``maven-tests``, ``module-tests``, ``test-utils``, ``integration_test``: test code."""
    return name.endswith(("-test", "-tests", "_test", "_tests")) or name.startswith(("test-", "test_", "tests-"))


def _shipped(paths: Sequence[str]) -> list[str]:
    kept = outside_docs_and_tests(paths)
    out: list[str] = []
    for path in kept:
        folders = path.lower().split("/")[:-1]
        if NOT_SHIPPED_DIRS.isdisjoint(folders) and not any(_test_folder(f) for f in folders):
            out.append(path)
    return out


def detect(ws: Workspace) -> KindFacts:
    files = _shipped(ws.files)
    product = frozenset(files)

    def named(*names: str) -> list[str]:
        """Shipped files with one of these base names, from the index's buckets (a pass over
        every path per format costs tens of milliseconds at 200,000 files)."""
        return [p for p in ws.by_name(*names) if p in product]

    found: list[Signal] = []
    docker, builders = deploy.dockerfile_signals(ws, [p for p in files if is_dockerfile(p)])
    found.extend(docker)
    builders.extend(deploy.ko_builders(ws, named(deploy.KO_CONFIG)))
    found.extend(deploy.platform_signals(ws, named(*deploy.PLATFORM_FILES)))
    yaml_files = [p for p in ws.yaml_files if p in product]
    found.extend(deploy.sam_signals(ws, [p for p, _ in ws.yaml_passing(yaml_files, SAM_FILES)]))
    found.extend(deploy.compose_signals(ws, [p for p in yaml_files if is_compose_file(p.rsplit("/", 1)[-1])]))
    found.extend(deploy.workload_signals(ws, product))
    found.extend(deploy.helm_signals(ws, [p for p in yaml_files if p.rsplit("/", 1)[-1] == "Chart.yaml"]))
    found.extend(packages.signals(ws, files))
    found.extend(meson.signals(ws, named("meson.build")))
    found.extend(mix.signals(ws, named("mix.exs")))
    found.extend(nextjs.signals(ws, named("package.json")))
    found.extend(manifests.flatpak_signals(ws, files))
    found.extend(manifests.installed_signals(ws, named("manifest.json", "plugin.json")))
    found.extend(desktop.signals(ws, named(*desktop.DESKTOP_FILES)))
    found.extend(nx.signals(ws, named("project.json")))
    found.extend(apple.signals(ws, [p for p in named("Package.swift", "project.pbxproj") if apple.reads(p)]))
    found.extend(manifests.helmfile_signals(ws, yaml_files))
    found.extend(_infrastructure(ws, files, yaml_files))
    found.extend(_documentation_sites(ws, files))
    return KindFacts(tuple(sorted(set(found))), tuple(sorted(builders)))


def _infrastructure(ws: Workspace, files: list[str], yaml_files: list[str]) -> list[Signal]:
    """Terraform (module or root configuration), Pulumi, CloudFormation, Kustomize and Ansible
    roles: one signal per folder."""
    found: list[Signal] = []
    product = frozenset(files)
    seen: set[str] = set()
    for path in hcl.terraform_files(ws):
        folder = path.rsplit("/", 1)[0] if "/" in path else "."
        if path not in product or folder in seen:
            continue
        seen.add(folder)
        found.append(Signal(path, 1, "infrastructure", INFRA, _terraform_shape(ws, folder, path)))
    for path in files:
        name = path.rsplit("/", 1)[-1]
        if name in ("Pulumi.yaml", "Pulumi.yml"):
            found.append(Signal(path, 1, "infrastructure", INFRA, "a Pulumi project"))
        elif name in ("kustomization.yaml", "kustomization.yml"):
            found.append(Signal(path, 1, "infrastructure", INFRA, "a Kustomize overlay"))
        elif name in ("main.yml", "main.yaml") and f"/{path}".endswith(("/meta/main.yml", "/meta/main.yaml")):
            data = packages.first_document(ws, path)
            if isinstance(data, dict) and isinstance(data.get("galaxy_info"), dict):
                role = path.rsplit("/meta/", 1)[0] + "/" if "/meta/" in path else ""
                found.append(Signal(f"{role}meta/main.yml" if name == "main.yml" else path, 1, "infrastructure", INFRA,
                                    "an Ansible role (meta/main.yml galaxy_info)"))
    from linter.detectors import infra_cloudformation

    for path in ws.facts(infra_cloudformation.detect).files:
        if path in product:
            found.append(Signal(path, 1, "infrastructure", INFRA, "a CloudFormation template"))
    return found


def _terraform_shape(ws: Workspace, folder: str, first: str) -> str:
    """``a reusable Terraform module`` (variables and outputs, no backend) or ``a Terraform
    root configuration`` (a backend or cloud block)."""
    prefix = "" if folder == "." else folder + "/"
    has_backend = has_interface = False
    for path in hcl.terraform_files(ws):
        if not path.startswith(prefix) or "/" in path[len(prefix):]:
            continue
        block = hcl.parsed(ws, path)
        if block is None:
            continue
        for settings in block.children("terraform"):
            if settings.children("backend") or settings.children("cloud"):
                has_backend = True
        if block.children("variable") or block.children("output"):
            has_interface = True
    if has_backend:
        return "a Terraform root configuration (it declares a backend)"
    if has_interface:
        return "a reusable Terraform module (variables and outputs, no backend)"
    return "Terraform configuration"


def _documentation_sites(ws: Workspace, files: list[str]) -> list[Signal]:
    """Site generators: documents published as a site. With a ``CNAME`` beside the generator
    (GitHub Pages serving its own domain), the folder is a deployed website."""
    found: list[Signal] = []
    present = frozenset(files)
    for path in files:
        name = path.rsplit("/", 1)[-1]
        if name not in DOC_SITE_FILES:
            continue
        folder = path[: -len(name)]
        if f"{folder}CNAME" in present:
            domain = (ws.read_text(f"{folder}CNAME") or "").strip().splitlines()[:1]
            found.append(Signal(f"{folder}CNAME", 1, "website", DEPLOY,
                                f"GitHub Pages serves the {name} site at {(domain or ['its domain'])[0][:60]}"))
        else:
            found.append(Signal(path, 1, "documentation", SHAPE, f"a documentation site ({name})"))
    return found


def documents_in(ws: Workspace, directory: str, nested: Sequence[str]) -> tuple[int, int]:
    """(documents, files) in ``directory``, not counting nested scopes' files."""
    prefix = "" if directory == "." else directory + "/"
    inner = tuple(n + "/" for n in nested)
    documents = total = 0
    for path in ws.files:
        if not path.startswith(prefix) or (inner and path.startswith(inner)):
            continue
        total += 1
        if path.lower().endswith(DOCUMENT_SUFFIXES):
            documents += 1
    return documents, total


def _within(path: str, directory: str) -> bool:
    return directory == "." or path.startswith(directory + "/")


def _publishing_majority(top: list[Signal], directory: str) -> tuple[list[Signal], set[str]]:
    """Packages that disagree (libraries and tools): the scope root's own manifest decides;
    without one, a two-thirds majority of the packages (a monorepo of 22 libraries and 5
    command-line packages is a library repository); otherwise they stay in disagreement."""
    own = [s for s in top if s.directory == directory]
    if own and len({s.kind for s in own}) == 1:
        return own, {own[0].kind}
    counts: dict[str, int] = {}
    for signal in top:
        counts[signal.kind] = counts.get(signal.kind, 0) + 1
    kind, count = max(sorted(counts.items()), key=lambda item: item[1])
    if count * 3 >= len(top) * 2:
        return [s for s in top if s.kind == kind], {kind}
    return top, set(counts)


def decide(facts: KindFacts, directory: str, nested: Sequence[str] = (),
           documents: Callable[[], tuple[int, int]] | None = None) -> KindDecision:
    """The kind of the scope at ``directory``, from the signals in it (not in ``nested``
    scopes' folders). Kubernetes workloads and Helm charts are the scope's own service only
    when the scope also builds an image; otherwise they are infrastructure. Infrastructure
    code at the scope's root outranks publishing metadata (a Terraform module *is* its
    ``.tf`` files); deeper, it does not (a library's ``deploy/`` folder is not the library)."""
    inner = tuple(n + "/" for n in nested if n != directory)

    def mine(path: str) -> bool:
        return _within(path, directory) and not (inner and path.startswith(inner))

    builds_image = any(mine(p) for p in facts.image_builders)
    signals: list[Signal] = []
    for signal in facts.signals:
        if not mine(signal.path):
            continue
        if signal.kind == "workload":
            if builds_image:
                signal = Signal(signal.path, signal.line, "service", DEPLOY,
                                f"{signal.detail} runs the image this repository builds")
            else:
                signal = Signal(signal.path, signal.line, "infrastructure", INFRA,
                                f"{signal.detail} (no image is built here: it deploys software built elsewhere)")
        if signal.kind == "infrastructure" and signal.directory == directory:
            signal = Signal(signal.path, signal.line, signal.kind, INFRA_ROOT, signal.detail)
        elif signal.kind == "website" and signal.rank == DEPLOY and signal.directory != directory:
            # a site hosted from a subfolder is usually the project's documentation site
            # (a library's docs on Vercel), not what the scope is
            signal = Signal(signal.path, signal.line, signal.kind, INFRA, signal.detail)
        signals.append(signal)
    if documents is not None and not any(s.rank > SHAPE for s in signals):
        count, total = documents()
        if count >= MIN_DOCUMENTS and count >= DOCUMENT_SHARE * total:
            signals.append(Signal(directory, 0, "documentation", SHAPE,
                                  f"{count} of its {total} files are documents"))
    if not signals:
        return KindDecision(UNKNOWN, "none", ())
    best = max(s.rank for s in signals)
    top = [s for s in signals if s.rank == best]
    kinds = {s.kind for s in top}
    if best == DEPLOY and kinds == {"service", "website"}:
        # a site whose hosting is configured at the root (vercel.json, an nginx image) is a
        # website even when Compose runs it; otherwise the server it runs makes it a service
        # (the root's own image says which, when there is one: nginx serving files, or a server)
        images = {s.kind for s in top if s.directory == directory and is_dockerfile(s.path)}
        if len(images) == 1:
            chosen = next(iter(images))
        else:
            chosen = "website" if any(s.kind == "website" and s.directory == directory for s in top) else "service"
        top = [s for s in top if s.kind == chosen]
        kinds = {chosen}
    if best in (INSTALLED, PUBLISH, BUILT) and len(kinds) > 1:
        top, kinds = _publishing_majority(top, directory)
    evidence = tuple(Evidence(s.path, s.line, s.detail if len(kinds) == 1 else f"{s.kind}: {s.detail}")
                     for s in top[:MAX_EVIDENCE])
    return KindDecision(next(iter(kinds)) if len(kinds) == 1 else UNKNOWN, "inferred", evidence)
