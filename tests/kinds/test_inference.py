"""What each format says about a repository's kind, read from files on disk: a positive case
and a near miss for each reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.detectors.services import ScopeSettings, discover_scopes
from linter.repo.workspace import Workspace
from tests.helpers import write_tree

DOCKER_SERVER = "FROM python:3.12\nCOPY . /app\nEXPOSE 8000\nCMD [\"gunicorn\", \"app:app\"]\n"


def kind_of(root: Path, files: dict[str, str]) -> tuple[str, list[str]]:
    write_tree(root, files)
    [scope] = discover_scopes(Workspace(root), ScopeSettings(), "repo")
    return scope.kind, [e.path for e in scope.kind_evidence]


@pytest.mark.parametrize(("files", "kind"), [
    # services: the code itself is deployed
    ({"Dockerfile": DOCKER_SERVER}, "service"),
    ({"Procfile": "web: bundle exec puma -C config/puma.rb\n"}, "service"),
    ({"Procfile": "# web: old\nrelease: rake db:migrate\n"}, "unknown"),  # near miss: no web/worker process
    ({"fly.toml": "app = 'shop'\n[http_service]\ninternal_port = 8080\n"}, "service"),
    ({"app.yaml": "runtime: python312\nentrypoint: gunicorn main:app\n"}, "service"),
    ({"app.yaml": "name: not-app-engine\nversion: 2\n"}, "unknown"),  # near miss: some other app.yaml
    ({"serverless.yml": "service: api\nprovider:\n  name: aws\nfunctions:\n  hello:\n    handler: h.main\n"}, "service"),
    ({"template.yaml": "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"},
     "service"),
    ({"azure.yaml": "name: todo\nservices:\n  api:\n    project: src/api\n    host: appservice\n"}, "service"),
    ({"azure.yaml": "name: site\nservices:\n  web:\n    project: src/web\n    host: staticwebapp\n"}, "website"),
    ({"docker-compose.yml": "services:\n  web:\n    build: .\n    ports: ['8000:8000']\n"}, "service"),
    ({"docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    ports: ['5432:5432']\n"}, "unknown"),
    ({"vercel.json": "{}"}, "website"),
    ({"firebase.json": "{\"hosting\": {\"public\": \"dist\"}}"}, "website"),
    ({"firebase.json": "{\"functions\": {}}"}, "unknown"),
    ({"app.json": "{\"name\": \"x\", \"formation\": {\"web\": {\"quantity\": 1}}}"}, "service"),
    ({"app.json": "{\"expo\": {\"name\": \"mobile\"}, \"buildpacks\": []}"}, "unknown"),  # an Expo app.json
    ({"pom.xml": "<project><artifactId>shop</artifactId><packaging>war</packaging></project>"}, "service"),
    ({"Api/Api.csproj": "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup/></Project>"}, "service"),
    # libraries and tools: publishing metadata
    ({"pyproject.toml": "[project]\nname = \"requests\"\n"}, "library"),
    ({"pyproject.toml": "[project]\nname = \"black\"\n[project.scripts]\nblack = \"black:main\"\n"}, "tool"),
    ({"pyproject.toml": "[tool.ruff]\nline-length = 100\n"}, "unknown"),  # near miss: tool settings only
    ({"setup.cfg": "[metadata]\nname = urllib3\n"}, "library"),
    # a setup.py beside the setup.cfg or pyproject.toml declaring its distribution is the
    # same package (httpie: setup.cfg's console_scripts make it a tool)
    ({"setup.py": "from setuptools import setup\nsetup()\n",
      "setup.cfg": "[metadata]\nname = httpie\n[options.entry_points]\nconsole_scripts =\n    http = h:main\n"}, "tool"),
    ({"setup.py": "setup()\n", "pyproject.toml": "[project]\nname = \"x\"\n[project.scripts]\nx = \"x:main\"\n"}, "tool"),
    # near misses: a setup.cfg or pyproject.toml of tool settings only leaves setup.py to say
    ({"setup.py": "setup()\n", "setup.cfg": "[flake8]\nmax-line-length = 100\n"}, "library"),
    ({"setup.py": "setup()\n", "pyproject.toml": "[tool.black]\nline-length = 100\n"}, "library"),
    # hostile: a setup.cfg that is not INI
    ({"setup.py": "setup()\n", "setup.cfg": "[metadata\nname = = =\n\x00"}, "library"),
    ({"package.json": "{\"name\": \"zod\", \"main\": \"index.js\"}", "index.js": ""}, "library"),
    ({"package.json": "{\"name\": \"eslint\", \"bin\": {\"eslint\": \"bin/eslint.js\"}}"}, "tool"),
    ({"package.json": "{\"name\": \"app\", \"private\": true, \"main\": \"index.js\"}"}, "unknown"),
    ({"package.json": "{\"name\": \"app\", \"main\": \"s.js\", \"scripts\": {\"start\": \"node s.js\"}}"}, "unknown"),
    ({"Cargo.toml": "[package]\nname = \"rg\"\n[[bin]]\nname = \"rg\"\npath = \"main.rs\"\n"}, "tool"),
    ({"Cargo.toml": "[package]\nname = \"serde\"\n", "src/lib.rs": "pub fn x() {}\n"}, "library"),
    ({"go.mod": "module example.com/cobra\n", "command.go": "// Package cobra\npackage cobra\n"}, "library"),
    ({"go.mod": "module example.com/fzf\n", "main.go": "// the program\n\npackage main\n"}, "tool"),
    ({"go.mod": "module example.com/gh\n", "cmd/gh/main.go": "package main\n", "pkg/x.go": "package x\n"}, "tool"),
    ({"pom.xml": "<project><artifactId>git</artifactId><packaging>hpi</packaging></project>"}, "library"),
    ({"pom.xml": "<project><artifactId>gson</artifactId></project>"}, "library"),
    ({"build.gradle.kts": "plugins {\n  `java-library`\n  id(\"maven-publish\")\n}\n"}, "library"),
    ({"build.gradle": "// id 'java-library'\nplugins { id 'application' }\n"}, "tool"),  # the comment does not count
    ({"Lib/Lib.csproj": "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><PackageId>Lib</PackageId>"
                        "</PropertyGroup></Project>"}, "library"),
    ({"Lib.Tests/Lib.Tests.csproj": "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType>"
                                    "</PropertyGroup></Project>"}, "unknown"),  # a test project
    ({"rack.gemspec": "Gem::Specification.new do |s|\nend\n"}, "library"),
    # a package importable first, whose command is a helper named otherwise, is a library
    ({"package.json": "{\"name\": \"@trpc/server\", \"exports\": {\".\": \"./i.js\"}, \"bin\": {\"intent\": \"b.js\"}}"},
     "library"),
    ({"package.json": "{\"name\": \"eslint\", \"main\": \"api.js\", \"bin\": {\"eslint\": \"b.js\"}}"}, "tool"),
    ({"package.json": "{\"name\": \"@trpc/upgrade\", \"main\": \"i.js\", \"bin\": \"./dist/bin.js\"}"}, "tool"),
    # Composer: a project requiring a web framework is a web application; other projects say nothing
    ({"composer.json": "{\"name\": \"acme/api\", \"type\": \"project\",\n \"require\": {\"laravel/framework\": \"^10\"}}"},
     "service"),
    ({"composer.json": "{\"name\": \"acme/tool\", \"type\": \"project\", \"require\": {\"php\": \"^8.1\"}}"},
     "unknown"),
    ({"composer.json": "{\"name\": \"acme/x\", \"type\": \"project\", \"require\": [\"laravel/framework\"]}"},
     "unknown"),  # hostile: require is not a map
    # Android: an application module, also named through the version catalog
    ({"app/build.gradle": "plugins {\n  id 'com.android.application'\n}\n"}, "tool"),
    ({"gradle/libs.versions.toml": "[plugins]\nandroid-application = { id = \"com.android.application\", version = \"8\" }\n",
      "app/build.gradle": "plugins {\n    alias(libs.plugins.android.application)\n}\n"}, "tool"),
    ({"gradle/libs.versions.toml": "[plugins]\nandroid-library = \"com.android.library:8.0\"\n",
      "lib/build.gradle": "plugins {\n    alias(libs.plugins.android.library)\n}\n"}, "unknown"),  # near miss
    ({"gradle/libs.versions.toml": "[plugins\nbroken", "app/build.gradle": "plugins { alias(libs.plugins.x) }\n"},
     "unknown"),  # hostile: an unreadable catalog
    ({"app/build.gradle": "// id 'com.android.application'\nplugins { }\n"}, "unknown"),  # a comment
    # `apply false` declares a plugin for subprojects without applying it (a root build)
    ({"gradle/libs.versions.toml": "[plugins]\nandroid-application = \"com.android.application:8.0\"\n",
      "build.gradle.kts": "plugins {\n  alias(libs.plugins.android.application) apply false\n}\n"}, "unknown"),
    ({"build.gradle.kts": "plugins {\n  id(\"com.android.application\") version \"8.0\" apply false\n}\n"}, "unknown"),
    ({"composer.json": "{\"name\": \"acme/lib\", \"type\": \"library\"}"}, "library"),
    ({"action.yml": "name: setup\nruns:\n  using: node20\n  main: dist/index.js\n"}, "tool"),
    ({"mixin.libsonnet": "{}", "jsonnetfile.json": "{}"}, "library"),
    # a Python package whose command needs an optional "cli" extra is a library first
    ({"pyproject.toml": "[project]\nname = \"httpx\"\n[project.optional-dependencies]\ncli = [\"click\"]\n"
                        "[project.scripts]\nhttpx = \"httpx:main\"\n"}, "library"),
    ({"pyproject.toml": "[tool.poetry]\nname = \"x\"\n[tool.poetry.scripts]\nx = \"x:main\"\n"
                        "[tool.poetry.extras]\nCLI = [\"typer\"]\n"}, "library"),
    ({"pyproject.toml": "[project]\nname = \"black\"\n[project.optional-dependencies]\nd = [\"aiohttp\"]\n"
                        "[project.scripts]\nblack = \"black:main\"\n"}, "tool"),  # an extra for something else
    # a Bazel module released to the Bazel Central Registry; near misses: no release template,
    # the call only in a comment or a string, Starlark that is not Python-shaped
    ({"MODULE.bazel": "module(\n    name = \"rules_x\",\n    version = \"1.0\",\n)\n",
      ".bcr/metadata.template.json": "{\"versions\": []}"}, "library"),
    ({"MODULE.bazel": "module(name = \"app\")\nbazel_dep(name = \"rules_go\", version = \"0.50.0\")\n"}, "unknown"),
    ({"MODULE.bazel": "# module(name = \"x\")\nbazel_dep(name = \"rules_go\")\n",
      ".bcr/metadata.template.json": "{}"}, "unknown"),
    ({"MODULE.bazel": "x = \"module(name = 1)\"\n", ".bcr/metadata.template.json": "{}"}, "unknown"),
    ({"MODULE.bazel": "module(name = \"x\"\n", ".bcr/metadata.template.json": "{}"}, "unknown"),
    ({"charts/lib/Chart.yaml": "apiVersion: v2\nname: common\ntype: library\n"}, "library"),
    # infrastructure
    ({"main.tf": "variable \"name\" {}\noutput \"id\" { value = 1 }\n"}, "infrastructure"),
    ({"main.tf": "terraform {\n  backend \"s3\" {}\n}\n"}, "infrastructure"),
    ({"charts/app/Chart.yaml": "apiVersion: v2\nname: app\n"}, "infrastructure"),  # nobody builds its image here
    ({"charts/app/Chart.yaml": "apiVersion: v2\nname: app\n", "Dockerfile": "FROM scratch\nCOPY bin/app /app\n"}, "service"),
    # ko builds the image from the Go program, without a Dockerfile (external-dns)
    ({"charts/app/Chart.yaml": "apiVersion: v2\nname: app\n", ".ko.yaml": "defaultBaseImage: gcr.io/distroless/static\n",
      "go.mod": "module example.com/app\n", "main.go": "package main\n"}, "service"),
    ({"deploy/app.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n",
      ".ko.yaml": "builds:\n- id: app\n  main: ./cmd/app\n"}, "service"),
    # near misses: a .ko.yaml that configures nothing ko reads, a ko.yaml without the dot
    ({"charts/app/Chart.yaml": "apiVersion: v2\nname: app\n", ".ko.yaml": "other: 1\n",
      "go.mod": "module example.com/app\n", "main.go": "package main\n"}, "tool"),
    ({"charts/app/Chart.yaml": "apiVersion: v2\nname: app\n", "ko.yaml": "defaultBaseImage: x\n"}, "infrastructure"),
    # hostile: a .ko.yaml that is a list, or not YAML
    ({"charts/app/Chart.yaml": "apiVersion: v2\nname: app\n", ".ko.yaml": "- defaultBaseImage\n"}, "infrastructure"),
    ({"charts/app/Chart.yaml": "apiVersion: v2\nname: app\n", ".ko.yaml": "builds: [\n\t: {"}, "infrastructure"),
    ({"Pulumi.yaml": "name: infra\nruntime: go\n"}, "infrastructure"),
    ({"meta/main.yml": "galaxy_info:\n  role_name: docker\n", "tasks/main.yml": "- name: x\n"}, "infrastructure"),
    ({"meta/main.yml": "dependencies: []\n"}, "unknown"),  # near miss: no galaxy_info
    ({"action.yml": "name: a\nruns:\n  using: node20\n", "package.json": "{\"name\": \"a\", \"main\": \"i.js\"}"},
     "tool"),  # the action's own build file says nothing of npm
    ({"package.json": "{\"name\": \"app\", \"private\": \"true\", \"main\": \"i.js\"}"}, "unknown"),
    ({"go.mod": "module tools\n", "tools.go": "package tools\n"}, "unknown"),  # nobody can fetch `module tools`
    ({"Cargo.toml": "[package]\nname = \"bat\"\n", "src/lib.rs": "", "src/bin/bat/main.rs": "fn main() {}\n"},
     "tool"),
    ({"Lib/Lib.csproj": "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net8.0</TargetFramework>"
                        "</PropertyGroup></Project>"}, "library"),  # MSBuild's default output is a library
    ({"tools/Gen/Gen.csproj": "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType>"
                              "<IsPackable>false</IsPackable></PropertyGroup></Project>"}, "unknown"),
    # websites published from a site generator with their own domain
    ({"_config.yml": "title: Guide\n", "CNAME": "opensource.guide\n"}, "website"),
    # documentation
    ({"mkdocs.yml": "site_name: Docs\n"}, "documentation"),
    ({f"pages/p{i}.md": "# page\n" for i in range(25)}, "documentation"),
])
def test_each_format_says_what_it_should(tmp_path: Path, files: dict[str, str], kind: str) -> None:
    assert kind_of(tmp_path, files)[0] == kind


def test_folders_that_are_not_shipped_say_nothing(tmp_path: Path) -> None:
    found = kind_of(tmp_path, {
        "pyproject.toml": "[project]\nname = \"lib\"\n",
        ".devcontainer/Dockerfile": DOCKER_SERVER, "docs/Dockerfile": DOCKER_SERVER,
        "tests/docker-compose.yml": "services:\n  web:\n    build: .\n    ports: ['80:80']\n",
        "integration-tests/Dockerfile": DOCKER_SERVER, "benchmarks/Procfile": "web: x\n",
    })
    assert found == ("library", ["pyproject.toml"])


def test_a_helper_image_under_scripts_does_not_make_charts_a_service(tmp_path: Path) -> None:
    """Application charts deploy software built elsewhere unless the repository builds an image
    it ships; a helper tool's Dockerfile under ``scripts/`` is not one. A Dockerfile that is
    shipped (at the root) still makes the chart the repository's own service."""
    chart = "apiVersion: v2\nname: app\nversion: 1.0.0\n"
    helper = {"charts/app/Chart.yaml": chart, "scripts/release-notes/Dockerfile": DOCKER_SERVER,
              "scripts/release-notes/requirements.txt": "httpx\n"}
    assert kind_of(tmp_path / "a", helper)[0] == "infrastructure"
    own = {"charts/app/Chart.yaml": chart, "Dockerfile": DOCKER_SERVER}
    assert kind_of(tmp_path / "b", own)[0] == "service"
    # a folder merely named like it ("scripts-api") is not the helpers' folder
    near = {"charts/app/Chart.yaml": chart, "scripts-api/Dockerfile": DOCKER_SERVER}
    assert kind_of(tmp_path / "c", near)[0] == "service"


def test_configuration_outranks_backstage_outranks_inference(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n"
                             "spec:\n  type: library\n  owner: a\n",
        "Dockerfile": DOCKER_SERVER,
    })
    [scope] = discover_scopes(Workspace(tmp_path), ScopeSettings(), "repo")
    assert (scope.kind, scope.kind_source, scope.kind_evidence[0].line) == ("library", "backstage", 6)
    [scope] = discover_scopes(Workspace(tmp_path), ScopeSettings(kind="tool", kind_line=1, source=".practicelint.yaml"),
                              "repo")
    assert (scope.kind, scope.kind_source, scope.kind_evidence[0].location()) == ("tool", "config", ".practicelint.yaml:1")


def test_unmapped_backstage_type_falls_back_to_inference(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n"
                             "spec:\n  type: ml-model\n  owner: a\n",
        "pyproject.toml": "[project]\nname = \"model\"\n",
    })
    [scope] = discover_scopes(Workspace(tmp_path), ScopeSettings(), "repo")
    assert (scope.kind, scope.kind_source) == ("library", "inferred")


def test_monorepo_entries_carry_their_own_kinds(tmp_path: Path) -> None:
    write_tree(tmp_path, {"services/api/Dockerfile": DOCKER_SERVER, "libs/util/pyproject.toml": "[project]\nname='u'\n",
                          "tools/gen/main.py": ""})
    settings = ScopeSettings(entries=(("services/*", "", 2), ("libs/*", "library", 3), ("tools/*", "tool", 4)),
                             source=".practicelint.yaml")
    scopes = discover_scopes(Workspace(tmp_path), settings, "repo")
    assert [(s.path, s.kind, s.kind_source) for s in scopes] == [
        ("libs/util", "library", "config"), ("services/api", "service", "config"), ("tools/gen", "tool", "config")]
