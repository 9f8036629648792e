"""Manifests -> ecosystems, and Dependabot/Renovate coverage semantics."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.detectors import ecosystems
from linter.detectors.ecosystems import DependabotUpdate, Manifest, RenovateConfig, dependabot_covers, renovate_covers
from linter.repo.workspace import Workspace


@pytest.mark.parametrize(("path", "ecosystem"), [
    ("requirements-dev.txt", "pip"), ("svc/Pipfile", "pip"), ("uv.lock", "uv"), ("web/package.json", "npm"),
    ("go.mod", "gomod"), ("Cargo.toml", "cargo"), ("pom.xml", "maven"), ("build.gradle.kts", "gradle"),
    ("Gemfile", "bundler"), ("composer.json", "composer"), ("src/App/App.csproj", "nuget"),
    ("Dockerfile", "docker"), ("docker/api.Dockerfile", "docker"), (".github/workflows/ci.yml", "github-actions"),
    ("infra/main.tf", "terraform"), ("charts/app/Chart.yaml", "helm"),
    ("README.md", None), ("docs/requirements.md", None), (".github/workflows/sub/x.yml", None),
])
def test_ecosystem_of(path: str, ecosystem) -> None:
    assert ecosystems.ecosystem_of(path) == ecosystem


def update(ecosystem: str, *dirs: str) -> DependabotUpdate:
    return DependabotUpdate(".github/dependabot.yml", 3, ecosystem, dirs)


@pytest.mark.parametrize(("entry", "manifest", "covered"), [
    (update("pip", "/"), Manifest("pip", "requirements.txt"), True),
    (update("pip", "/"), Manifest("pip", "services/api/requirements.txt"), False),  # not recursive
    (update("pip", "/services/api"), Manifest("pip", "services/api/requirements.txt"), True),
    (update("pip", "/services/*"), Manifest("pip", "services/api/requirements.txt"), True),
    (update("pip", "/**"), Manifest("pip", "services/api/requirements.txt"), True),
    (update("npm", "/"), Manifest("pip", "requirements.txt"), False),
    (update("github-actions", "/"), Manifest("github-actions", ".github/workflows/ci.yml"), True),
    (update("uv", "/"), Manifest("uv", "uv.lock"), True),
    (update("docker", "/docker"), Manifest("docker", "Dockerfile"), False),
])
def test_dependabot_coverage(entry, manifest, covered: bool) -> None:
    assert dependabot_covers(entry, manifest) is covered


@pytest.mark.parametrize(("config", "manifest", "covered"), [
    (RenovateConfig("renovate.json", 1, True, None, ()), Manifest("gomod", "go.mod"), True),
    (RenovateConfig("renovate.json", 1, False, None, ()), Manifest("gomod", "go.mod"), False),
    (RenovateConfig("renovate.json", 1, True, ("npm",), ()), Manifest("gomod", "go.mod"), False),
    (RenovateConfig("renovate.json", 1, True, ("gomod",), ()), Manifest("gomod", "go.mod"), True),
    (RenovateConfig("renovate.json", 1, True, None, ("legacy/",)), Manifest("npm", "legacy/package.json"), False),
    (RenovateConfig("renovate.json", 1, True, None, ("**/tests/**",)), Manifest("npm", "web/package.json"), True),
])
def test_renovate_coverage(config, manifest, covered: bool) -> None:
    assert renovate_covers(config, manifest) is covered


def included(*paths: str) -> RenovateConfig:
    return RenovateConfig("renovate.json", 1, True, None, (), (), paths)


@pytest.mark.parametrize(("config", "manifest", "covered"), [
    # includePaths keeps only the files it names: a path written out, or a minimatch glob
    (included("charts/a/Chart.yaml"), Manifest("helm", "charts/a/Chart.yaml"), True),
    (included("**/charts/a/Chart.yaml"), Manifest("helm", "charts/a/Chart.yaml"), True),
    (included("charts/**"), Manifest("helm", "charts/b/Chart.yaml"), True),
    (included("charts/{a,b}/Chart.yaml"), Manifest("helm", "charts/b/Chart.yaml"), True),
    (included("**/charts/a/Chart.yaml"), Manifest("helm", "charts/ab/Chart.yaml"), False),
    (included("charts/a/Chart.yaml"), Manifest("pip", "scripts/requirements.txt"), False),
    # no prefix matching (unlike ignorePaths): a folder names no file
    (included("charts/"), Manifest("helm", "charts/a/Chart.yaml"), False),
    (included("charts"), Manifest("helm", "charts/a/Chart.yaml"), False),
    (included("charts/{a,b}/Chart.yaml"), Manifest("helm", "charts/c/Chart.yaml"), False),
    # includePaths filters before any manager runs, custom (regex) managers included
    (RenovateConfig("renovate.json", 1, True, None, (), (ecosystems.CustomFiles(glob="tools/versions.txt"),),
                    ("charts/**",)), Manifest("pip", "tools/versions.txt"), False),
])
def test_renovate_include_paths(config, manifest, covered: bool) -> None:
    assert renovate_covers(config, manifest) is covered


def test_include_paths_read_from_the_file_and_hostile_entries_are_bounded(make_repo) -> None:
    root = make_repo({
        "renovate.json": '{"extends": ["config:recommended"], "includePaths": ["charts/a/Chart.yaml", 3, {"x": 1}, ""]}',
        "sub/renovate.json": "{}",
    })
    facts = Workspace(root).facts(ecosystems.detect)
    assert facts.renovate[0].include_paths == ("charts/a/Chart.yaml",)
    # a pattern of many brace groups expands to at most MAX_BRACE_EXPANSIONS globs, quickly
    assert len(ecosystems._braces("x/{a,b}" * 40)) <= ecosystems.MAX_BRACE_EXPANSIONS
    assert ecosystems._braces("{unclosed,x") == ["{unclosed,x"]


def test_detect_reads_configs_and_skips_tool_only_pyproject(make_repo) -> None:
    root = make_repo({
        "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
        "api/pyproject.toml": "[project]\nname = 'api'\ndependencies = ['httpx']\n",
        "node_modules/x/package.json": "{}",
        ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: pip\n    directories: ['/api']\n"
                                  "  - {package-ecosystem: 3}\n  - nonsense\n",
        "renovate.json": '{\n  // comment\n  "extends": ["config:recommended"],\n  "enabledManagers": ["npm"],\n}',
    })
    facts = Workspace(root).facts(ecosystems.detect)
    assert facts.manifests == (Manifest("pip", "api/pyproject.toml"),)
    assert [(u.ecosystem, u.directories, u.line) for u in facts.dependabot] == [("pip", ("/api",), 3)]
    assert facts.renovate[0].managers == ("npm",)
    assert "**/tests/**" in facts.renovate[0].ignore_paths


def test_manifest_candidates_hold_every_path_a_full_scan_names(tmp_path: Path) -> None:
    """The bucket lookups miss nothing ``ecosystem_of`` recognises (and keep index order)."""
    from linter.detectors.ecosystems import ecosystem_of, manifest_candidates

    names = ["pyproject.toml", "Pipfile", "setup.py", "src/setup.py", "x/requirements-dev.txt",
             "requirements.in", "a/b.csproj", "c.fsproj", "d.vbproj", "api.Dockerfile", "Dockerfile",
             "svc/Dockerfile.prod", "Dockerfile.dev.local", "main.tf", ".github/workflows/ci.yml",
             ".github/workflows/sub/x.yml", "Chart.yaml", "charts/c/Chart.yaml", "go.mod", "pom.xml",
             "build.gradle.kts", "packages.config", "Gemfile", "composer.json", "Cargo.toml", "uv.lock",
             "poetry.lock", "package.json", "notes.txt", "src/app.py", "README.md", "DockerfileX"]
    ws = Workspace(tmp_path)
    ws.index.__dict__["files"] = tuple(sorted(names))
    expected = [p for p in sorted(names) if ecosystem_of(p) is not None]
    assert [p for p in manifest_candidates(ws) if ecosystem_of(p) is not None] == expected
    assert len(expected) == 27  # all but the workflow in a sub-folder, notes.txt, app.py, README, DockerfileX


@pytest.mark.parametrize(("ecosystem", "directory", "manifest", "covered"), [
    ("npm", "/", "package.json", True),
    ("npm", ".", "package.json", True),
    ("npm", "./", "package.json", True),
    ("npm", "web", "web/package.json", True),  # no leading slash
    ("npm", "/web/", "web/package.json", True),
    ("npm", "/web", "package.json", False),
    ("github-actions", "/", ".github/workflows/ci.yml", True),
    ("github-actions", "/.github/workflows", ".github/workflows/ci.yml", True),
    ("github-actions", ".github/workflows", ".github/workflows/ci.yml", True),
    ("github-actions", "/.github", ".github/workflows/ci.yml", False),
])
def test_dependabot_directories_as_dependabot_reads_them(ecosystem: str, directory: str, manifest: str,
                                                         covered: bool) -> None:
    found = ecosystems.ecosystem_of(manifest)
    assert dependabot_covers(update(ecosystem, directory), Manifest(found or ecosystem, manifest)) is covered


def test_maven_modules_and_gradle_subprojects_belong_to_their_root_build(make_repo) -> None:
    pom = "<project>\n  <modules>\n    <module>core</module>\n    <!-- <module>old</module> -->\n" \
          "    <module>extras/</module>\n  </modules>\n</project>\n"
    root = make_repo({"pom.xml": pom, "core/pom.xml": "<project/>", "extras/pom.xml": "<project/>",
                      "old/pom.xml": "<project/>", "build.gradle": "", "settings.gradle": "include ':app', 'lib:io'\n",
                      "app/build.gradle": "", "lib/io/build.gradle": ""})
    facts = Workspace(root).facts(ecosystems.detect)
    assert dict(facts.workspaces) == {"core": "", "extras": "", "app": "", "lib/io": ""}
