"""Every detector finishes in bounded time on files made of long runs of one character.

A regular expression that rescans (``^\\s*`` under ``re.M`` over a hundred thousand blank
lines, ``[^:]*?\\s*:`` along a line padded with spaces, ``/\\*.*?\\*/`` after an unterminated
comment) costs seconds per file at these sizes and hours at the size cap. Each case builds
one repository holding every file name some detector reads, each with the run of
characters in the middle of a line that detector parses, then runs each detector alone
(and the CI readers and the scaffold's repository facts one by one) with a generous bound, and checks the
detector really read some of those files.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from pathlib import Path
from typing import Any, Callable

import pytest

import linter.detectors
import linter.detectors.ci
from linter.repo.workspace import Workspace
from tests.helpers import write_tree, cpu_seconds

#: Long runs: in the middle of a line (spaces, letters, tabs) and many lines (newlines,
#: whitespace-only lines, comment-only lines).
PADS = {
    "spaces": " " * 200_000,
    "letters": "a" * 200_000,
    "tabs": "\t" * 200_000,
    "newlines": "\n" * 100_000,
    "blank lines": " \n" * 100_000,
    "comment lines": "#\n" * 100_000,
    "separators": ":/" * 100_000,  # GitLab include references, URLs, paths
    "openers": "/*<!--{[(" * 25_000,  # comments and brackets that never close
}
#: Where the run goes: inside the lines a detector parses, and for runs of lines also before
#: the whole file (so a search that would match the real content first walks the run).
CASES = [(pad, "inside") for pad in PADS] + [(pad, "before") for pad in PADS if "\n" in PADS[pad]]
#: Seconds for one detector over the whole repository (each file is read once).
BOUND = 15

TEMPLATES: dict[str, str] = {
    "Makefile": "VAR{P}= 1\ntest:{P}unit\n\tpytest{P}-q\nunit: ; go test{P}./...\nbuild{P}target: dep\n",
    ".github/workflows/ci.yml": "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
                                "      - uses: actions/checkout@v4 #{P}x\n      - run: make{P}test\n      - run: echo ${{{{{P}x\n"
                                "      - uses: org/repo/.github/workflows/dependency-review{P}.yml@main\n",
    ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /{P}x\n",
    ".gitlab-ci.yml": "include:\n  - project: 'a{P}/b'\n    file: '/templates/sast.gitlab-ci.yml'\n"
                      "  - project: 'c{P}d'\n    file: 'x{P}y.yml'\n"
                      "  - component: gitlab.com/c/components/secret-detection{P}@1\n"
                      "test:\n  script:\n    - make{P}test\n  rules:\n    - if: $CI_COMMIT_BRANCH{P}== 'main'\n",
    "Jenkinsfile": "pipeline {{\n  stages {{\n    stage('test{P}') {{\n      steps {{\n        sh 'make{P}test'\n"
                   "        /* {P} */ // {P}\n      }}\n    }}\n  }}\n}}\n",
    ".circleci/config.yml": "version: 2.1\njobs:\n  test:\n    steps:\n      - run: make{P}test\n",
    "azure-pipelines.yml": "trigger: [main]\nsteps:\n  - script: make{P}test\n",
    "bitbucket-pipelines.yml": "pipelines:\n  default:\n    - step:\n        script:\n          - make{P}test\n",
    "cloudbuild.yaml": "steps:\n  - name: gcr.io/x\n    args: ['make{P}test']\n",
    ".buildkite/pipeline.yml": "steps:\n  - command: mise run test && make{P}test\n    branches: 'main{P}x !w'\n"
                               "    if: build.branch == 'a' && build.message =~ /{P}/\n"
                               "    plugins:\n      - docker#v5:\n          command: ['a']\n  - block: b\n"
                               "  - command: buildkite-agent pipeline upload .buildkite/{P}.yml\n",
    ".woodpecker/ci.yaml": "when:\n  - event: [pull_request, t{P}]\n    branch: {{exclude: [main{P}x]}}\nsteps:\n"
                           "  test:\n    image: golang{P}:1\n    commands:\n      - make{P}test\n"
                           "    when:\n      ref: refs/tags/{P}\n      evaluate: 'CI{P} == x'\n"
                           "  scan:\n    image: docker.io/woodpeckerci/plugin-trivy{P}:1\n",
    ".drone.yml": "kind: pipeline\nname: a{P}\ntrigger:\n  branch:\n    include: [main{P}x]\nsteps:\n"
                  "  - name: t{P}\n    image: python\n    commands: [make{P}test]\n---\nkind: secret\nname: s{P}\n",
    "mise.toml": "[tasks.test]\nrun = 'pytest{P} {{{{{P}x'\ndepends = ['a{P}', 'l*{P}']\n[tasks.lint]\nrun = \"\"\"\n{P}\n\"\"\"\n",
    # task runners a CI file hands work to (linter.detectors.ci.runners), from a file with no run
    # of its own: the one above holds seven and is over the size cap
    ".woodpecker/runners.yaml": "steps:\n  runners:\n    image: alpine\n    commands:\n      - just test\n"
                                "      - rake ci:test\n      - Invoke-psake psakefile.ps1 test\n      - task test\n"
                                "      - docker build -t img . && docker run img\n      - mise run test\n",
    "justfile": "x := 'v'\ntest{P}arg: dep\n    pytest{P}{{{{x}}}}\ndep{P}:\n    make\n",
    "Rakefile": "namespace{P}:ci do\n  task{P}:test do\n    sh 'rspec{P}'\n  end\nend\n",
    "psakefile.ps1": "task test -depends a{P}b {{\n  exec {{{P}dotnet test\n}}\n",
    "Taskfile.yml": "version: '3'\ntasks:\n  test:\n    cmds:\n      - 'go test{P}{{{{.X}}}}'\n",
    ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/gitleaks/gitleaks{P}\n    hooks:\n      - id: gitleaks\n",
    ".golangci.yml": "version: '2{P}'\nlinters:\n  default: a{P}\n  enable:\n    - gosec{P}\n    # {P}\n  disable: [x{P}]\n",
    ".zuul.yaml": "- job:\n    name: j{P}\n    parent: tox-py3{P}\n    vars:\n      tox_envlist: py3{P}\n"
                  "- project:\n    templates: [openstack-python3-{P}-jobs]\n    check:\n      jobs:\n"
                  "        - j{P}\n        - tox-{P}:\n            voting: false\n",
    ".bazelci/presubmit.yml": "tasks:\n  t{P}:\n    name: n{P}\n    shell_commands:\n      - ./run{P}.sh\n"
                              "    test_flags:\n      ? --x{P}\n    test_targets:\n      - //a{P}/...\n",
    "main.tf": 'resource "aws_db_instance" "db" {{\n  multi_az = true{P}\n  tags = {{ owner = "a{P}" }}\n  # {P}\n}}\n'
               'resource "aws_budgets_budget" "b" {{\n  /* {P} */\n}}\n',
    "infra/stack.tf.json": '{{"resource": {{"aws_s3_bucket": {{"b": {{"tags": {{"owner": "x{P}"}}}}}}}}}}\n',
    "template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance{P}\n"
                     "    Properties:\n      MultiAZ: true\n",
    "docker-compose.yml": "services:\n  db:\n    image: postgres{P}:16\n    environment:\n      DATABASE_URL: x{P}\n",
    "deploy/app.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{P}x\nspec:\n  replicas: 2\n",
    "deploy/hpa.yaml": "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: a{P}\n",
    "argocd/app.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a{P}\n",
    "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc{P}x\n"
                         "spec:\n  type: service\n  owner: team-a{P}\n",
    "org/group.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n"
                      "spec:\n  type: team\n  members: [a{P}b]\n",
    "slo/openslo.yaml": "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: a{P}\nspec:\n  service: s\n"
                        "  indicator:\n    spec:\n      thresholdMetric:\n        metricSource:\n"
                        "          spec:\n            query: histogram_quantile(0.99,{P}rate(x[5m]))\n",
    "slo/sloth.yaml": "version: prometheus/v1\nservice: s{P}\nslos:\n  - name: latency\n    objective: 99.9\n",
    "alerts/rules.yml": "groups:\n- name: a\n  rules:\n  - alert: HighLatency{P}\n"
                        "    expr: histogram_quantile(0.99,{P}sum(rate(x_bucket[5m])) by (le)) > 0.5\n",
    "dashboards/latency.json": '{{"panels": [{{"title": "p99{P}", "targets": [{{"expr": "histogram_quantile(0.99,{P}x)"}}]}}]}}\n',
    "chaos/experiment.yaml": "apiVersion: chaos-mesh.org/v1alpha1\nkind: PodChaos\nmetadata:\n  name: a{P}\n",
    "openapi.yaml": "openapi: 3.0.0\ninfo:\n  title: a{P}\npaths: {{}}\n",
    "api/service.proto": 'syntax = "proto3";\n// {P}\nservice S{P}x {{\n  rpc Get (A) returns (B);\n}}\n/* {P}\n',
    "api/schema.graphql": "type Query {{\n  a: String # {P}\n}}\n\"\"\"{P}\n",
    "package.json": '{{"name": "x{P}", "renovate": {{"extends": ["config:base"]}}, "workspaces": ["pkgs/*{P}"],\n'
                    '  "scripts": {{"test": "jest{P}"}}}}\n',
    "renovate.json": '{{"extends": ["config:recommended"], // {P}\n "ignorePaths": ["a{P}"] /* {P} */}}\n',
    "pyproject.toml": "[project]\nname = 'a{P}'\ndependencies = ['x{P}']\n[tool.uv.workspace]\nmembers = ['a{P}']\n",
    "Cargo.toml": "[workspace]\nmembers = ['a{P}']\n",
    "locustfile.py": "from locust import{P}HttpUser\nimport{P}locust\n",
    "perf/Simulation.scala": "import io.gatling{P}.core.Predef._\nclass S{P}x extends Simulation\n",
    "perf/LoadSimulation.java": "import static{P}io.gatling.javaapi.core.CoreDsl.*;\n/* {P}\n",
    "perf/load.js": "import http from 'k6/http{P}';\n// {P}\nexport const options = {{ vus: 10 }};\n/* {P}\n",
    "perf/plan.jmx": "<?xml version='1.0'{P}?>\n<!-- {P}\n<jmeterTestPlan>{P}</jmeterTestPlan>\n",
    "threat_model.py": "from pytm import{P}TM\nimport{P}pytm\n",
    "docs/threat-model.json": '{{"summary": {{"title": "x{P}"}}, "detail": {{"diagrams": []}}}}\n',
    "docs/threat_model.md": "# Threat model{P}\n\n## STRIDE{P}\n\nSpoofing{P}words\n",
    "CODEOWNERS": "/docs/{P} @org/team\n* @org/a{P}b\n[Section{P}]\n",
    "SECURITY.md": "# Security policy{P}\n\n## Reporting a vulnerability\n\nEmail security@example.com{P}please.\n",
    "README.md": "# Service{P}\n\n## Usage\n\nRun it{P}now.\n\n```\ncode{P}\n```\n",
    "docs/prfaq.md": "# PR/FAQ: thing{P}\n\n## Press release\n\nToday{P}we launch.\n\n## FAQ\n\n**Q: why?{P}**\n\nA: because.\n",
    "docs/design/adr-0001.md": "---\ntitle: a{P}\n---\n# Design{P}\n\n## Non-goals\n\n- none{P}\n\n| a | b{P}|\n",
    "docs/runbooks/failover.md": "# Runbook: failover{P}\n\n## Failback\n\nSteps{P}here.\n",
    "docs/gamedays/2026-01-01.md": "# Game day 2026-01-01{P}\n\nWe broke{P}things.\n",
    "docs/data-classification.md": "# Data classification{P}\n\n| data | class |\n|---|---|\n| email | PII{P}|\n",
    "docs/slides.md": "---\nmarp: true{P}\n---\n# Slide\n\n---\n\n# Slide 2{P}\n",
    "teams.yaml": "teams:\n  payments: [a{P}b, c]\n",
    # what the kinds detector reads (linter.detectors.kinds)
    "Dockerfile": "FROM python:3{P}\nEXPOSE 80{P}\nCMD gunicorn \\\n  {P} \\\n  app:app{P}\n# {P}\n",
    "Procfile": "web:{P}gunicorn app\nworker: {P}\n",
    "fly.toml": "app = 'a{P}'\n[http_service]\ninternal_port = 8080\n",
    "pom.xml": "<project><artifactId>a{P}</artifactId><packaging>war{P}</packaging><!-- {P} --></project>\n",
    "build.gradle": "plugins {{\n  id{P}'java-library'\n  id ({P}'application')\n}}\napply plugin:{P}'war'\n/* {P}\n",
    "go.mod": "module example.com/a{P}\n\ngo 1.22\n",
    "main.go": "// {P}\n/* {P} */\npackage{P}main\n",
    "Api/Api.csproj": "<Project Sdk=\"Microsoft.NET.Sdk.Web{P}\"><PropertyGroup><PackageId>x{P}</PackageId>"
                      "</PropertyGroup></Project>\n",
    "setup.cfg": "[metadata]\nname = a{P}\n[options.entry_points]\nconsole_scripts =\n  a = b{P}\n",
    "charts/app/Chart.yaml": "apiVersion: v2\nname: app{P}\ntype: application\n",
    "action.yml": "name: a{P}\nruns:\n  using: node20{P}\n",
    "Package.swift": 'let package = Package(\n  name: "a{P}",\n  products: [.library(name: "{P}", targets: [])]\n)\n// {P}\n',
    "App.xcodeproj/project.pbxproj": '{{\n/* {P} */ productType = "com.apple.product-type.application";\nname = "{P}";\n}}\n',
    "MODULE.bazel": "module(\n  name = \"a{P}\",\n  version = ({P}\n)\n# {P}\n",
    ".bcr/metadata.template.json": '{{"homepage": "{P}", "versions": []}}\n',
    "netlify.toml": "[build]\ncommand = 'x{P}'\n",
    "ext/manifest.json": '{{"manifest_version": 3, "name": "x{P}", "version": "1{P}", "permissions": ["{P}"]}}\n',
    "apps/web/project.json": '{{"name": "web{P}", "projectType": "application", "targets": {{"build": '
                             '{{"executor": "@nx/webpack:webpack{P}", "options": {{"target": "node{P}"}}}}}}}}\n',
    "apps/web/vercel.json": '{{"crons": [{{"path": "/api/{P}", "schedule": "0 * * * *"}}], "functions": {{"{P}": {{}}}}}}\n',
    "worker/compose.yaml": "services:\n  worker:\n    build: .{P}\n    restart: unless-stopped{P}\n",
    "src/plugin.json": '{{"type": "panel", "id": "a{P}", "name": "x{P}", "info": {{"version": "{P}"}}}}\n',
    "app/build.gradle.kts": "plugins {{\n  alias(libs.plugins.x{P})\n}}\nandroid {{\n  defaultConfig {{\n"
                            "    applicationId = \"org.{P}x\"\n    applicationId{P}\n  }}\n}}\n/* {P}\n",
    "mix.exs": "defmodule A{P} do\n  def project do\n    [app: :a{P}, d: \"{P}\", s: ~w({P}), releases: r({P})]\n  end\n"
               "  defp deps do\n    [{{:phoenix, \"{P}\"}}, # {P}\n ]\n  end\nend\n",
    "site/package.json": '{{"name": "s{P}", "scripts": {{"start": "next start {P}"}}, "dependencies": {{"next": "1"}}, '
                         '"prisma": {{"schema": "db/{P}.prisma"}}}}\n',
    "site/prisma/schema.prisma": 'datasource{P}db {{\n  url = "{P}" // {P}\n}}\n// datasource x {{ {P}\n',
    ".ko.yaml": "defaultBaseImage: x{P}\nbuilds:\n- id: a{P}\n  main: ./cmd/{P}\n",
    "electron-builder.yml": "appId: com.{P}x\nproductName: x{P}\nmac:\n  category: {P}\n",
    "desktop/package.json": '{{"name": "d{P}", "main": "m.js", "devDependencies": {{"electron": "{P}"}}, '
                            '"build": {{"appId": "a{P}", "win": {{}}}}, "config": {{"forge": "{P}"}}}}\n',
    "src-tauri/tauri.conf.json": '{{"productName": "x{P}", "identifier": "com.{P}", "tauri": {{"bundle": {{}}}}}}\n',
}


def _detectors() -> dict[str, Callable[[Workspace], Any]]:
    """Every public ``detect*`` function of the detector packages (the CI readers included),
    the CI facts as a whole, and the scaffold's repository facts, by qualified name."""
    found: dict[str, Callable[[Workspace], Any]] = {}
    for package in (linter.detectors, linter.detectors.ci):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ == module.__name__ and name.startswith("detect") and \
                        list(inspect.signature(function).parameters) == ["ws"]:
                    found[f"{module.__name__.removeprefix('linter.')}.{name}"] = function
    found["detectors.ci.detect"] = linter.detectors.ci.detect
    from linter.scaffold import repo_facts

    found["scaffold.repo_facts.detect_ecosystems"] = repo_facts.detect_ecosystems
    found.pop("detectors.history.detect", None)  # reads git history, not files (tests/hostile/test_git.py)
    return dict(sorted(found.items()))


DETECTORS = _detectors()


class _RecordingWorkspace(Workspace):
    """A workspace that remembers which files a detector opened (every read, prefiltered or
    not, goes through its reader's ``read_text``)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.opened: set[str] = set()
        reader_read = self.reader.read_text

        def read_text(rel: str) -> str | None:
            self.opened.add(rel)
            return reader_read(rel)

        self.reader.read_text = read_text  # type: ignore[method-assign]


#: markdown-it spends up to 8 microseconds a character on runs like these (linear: measured at
#: 5,000 and 20,000 repetitions), so Markdown files get a quarter of each run: our own patterns
#: over their text still meet 50,000 characters or 25,000 lines, and the suite stays quick.
MARKDOWN_SHARE = 4


def _content(template: str, pad: str, placement: str, path: str = "") -> str:
    if path.endswith(".md"):
        pad = pad[: len(pad) // MARKDOWN_SHARE]
    if placement == "before":
        return pad + "\n" + template.format(P="x")
    return template.format(P=pad)


@pytest.fixture(scope="module")
def hostile_repos(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    repos = {}
    for name, placement in CASES:
        root = tmp_path_factory.mktemp(f"{name}-{placement}".replace(" ", "-"))
        write_tree(root, {path: _content(template, PADS[name], placement, path) for path, template in TEMPLATES.items()})
        repos[name, placement] = root
    return repos


@pytest.mark.parametrize(("pad", "placement"), CASES)
@pytest.mark.parametrize("detector", list(DETECTORS))
def test_detector_finishes_on_long_runs(hostile_repos: dict[tuple[str, str], Path], detector: str, pad: str,
                                        placement: str) -> None:
    ws = _RecordingWorkspace(hostile_repos[pad, placement])
    ws.files  # noqa: B018 - the index is not the detector's time
    start = cpu_seconds()
    ws.facts(DETECTORS[detector])
    elapsed = cpu_seconds() - start
    assert elapsed < BOUND, f"{detector} took {elapsed:.1f}s on {pad} {placement}"
    assert ws.opened, f"{detector} read none of the hostile files: add the file it reads to TEMPLATES"


def test_every_template_is_read_by_some_detector(hostile_repos: dict[tuple[str, str], Path]) -> None:
    ws = _RecordingWorkspace(hostile_repos["spaces", "inside"])
    for detector in DETECTORS.values():
        ws.facts(detector)
    assert set(TEMPLATES) - ws.opened == set()


def test_templates_are_the_json_they_claim() -> None:
    for path, template in TEMPLATES.items():
        if path.endswith(".json") and "//" not in template:
            json.loads(template.format(P="x"))
