"""Generate realistic synthetic repositories for the benchmarks.

``generate(workdir, files)`` builds (or reuses) ``workdir/repo-<files>``: a git repository of
about ``files`` tracked files shaped like a real monorepo, plus an ignored ``node_modules/``
of 50,000 files (``node_modules_files``) that a linter must not descend into.

The mix, per service folder: a Backstage ``catalog-info.yaml`` (Component + API), an SLO
spec (OpenSLO, Sloth or Prometheus recording/alerting rules, in turn), a Kubernetes
Deployment, a Dockerfile, a README and a runbook, and a source tree (Python, Go,
TypeScript, Java, JSON and YAML config, Markdown notes) that fills the repository up to the
requested size. At the root: GitHub Actions workflows, GitLab CI, a Jenkinsfile, CircleCI,
Azure Pipelines and Bitbucket Pipelines files, CODEOWNERS, Backstage Groups, a PR/FAQ,
SECURITY.md and docs.

History: a few hundred commits (``commits``) spread over two years, written with one
``git fast-import`` stream (each commit adds a slice of the files, the last ones also edit
the changelog), then checked out. fast-import makes a 200,000-file history take seconds
instead of the minutes that 300 ``git add``/``git commit`` rounds would cost.

Generation is deterministic: the same arguments give the same tree and the same commits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

NODE_MODULES_FILES = 50_000
COMMITS = 300
START_EPOCH = 1_700_000_000  # 2023-11-14
TWO_YEARS = 2 * 365 * 24 * 3600

GITHUB_WORKFLOW = """name: {name}
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install -r requirements.txt
      - run: pytest -q
  audit:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip-audit -r requirements.txt
"""
GITLAB_CI = """stages: [build, test, deploy]
include:
  - template: Jobs/Dependency-Scanning.gitlab-ci.yml
build:
  stage: build
  image: golang:1.22
  script:
    - go build ./...
test:
  stage: test
  script:
    - go test ./...
deploy:
  stage: deploy
  environment: production
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - ./deploy.sh production
"""
JENKINSFILE = """pipeline {
  agent any
  stages {
    stage('Build') { steps { sh 'make build' } }
    stage('Test') { steps { sh 'make test' } }
    stage('Scan') { steps { sh 'trivy fs --exit-code 1 .' } }
  }
}
"""
CIRCLECI = """version: 2.1
jobs:
  test:
    docker:
      - image: cimg/node:20.11
    steps:
      - checkout
      - run: npm ci
      - run: npm test
      - run: npm audit --audit-level=high
workflows:
  main:
    jobs: [test]
"""
AZURE = """trigger:
  branches:
    include: [main]
pool:
  vmImage: ubuntu-latest
steps:
  - script: dotnet build
  - script: dotnet test
"""
BITBUCKET = """image: python:3.12
pipelines:
  default:
    - step:
        name: Test
        script:
          - pip install -r requirements.txt
          - pytest
"""
COMPONENT = """apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: {svc}
  description: The {svc} service.
  annotations:
    github.com/project-slug: example/{svc}
spec:
  type: service
  lifecycle: production
  owner: group:default/team-{team}
  system: platform
  providesApis: [{svc}-api]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: {svc}-api
spec:
  type: openapi
  lifecycle: production
  owner: group:default/team-{team}
  definition:
    $text: ./openapi.yaml
"""
GROUP = """apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-{team}
spec:
  type: team
  profile:
    displayName: Team {team}
  parent: engineering
  children: []
  members: [alice{team}, bob{team}, carol{team}, dan{team}, erin{team}]
"""
OPENSLO = """apiVersion: openslo/v1
kind: SLO
metadata:
  name: {svc}-latency
spec:
  service: {svc}
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  indicator:
    metadata:
      name: {svc}-fast-requests
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_request_duration_seconds_bucket{{service="{svc}",le="0.3"}}[5m]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_request_duration_seconds_count{{service="{svc}"}}[5m]))
  objectives:
    - displayName: p99 under 300 ms
      target: 0.99
"""
SLOTH = """version: prometheus/v1
service: {svc}
slos:
  - name: requests-availability
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{{service="{svc}",code=~"5.."}}[{{{{.window}}}}]))
        total_query: sum(rate(http_requests_total{{service="{svc}"}}[{{{{.window}}}}]))
    alerting:
      name: {svc}HighErrorRate
"""
PROMETHEUS_RULES = """groups:
  - name: {svc}-latency
    rules:
      - record: {svc}:latency_p99:5m
        expr: histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{{service="{svc}"}}[5m])) by (le))
      - alert: {svc}SlowRequests
        expr: {svc}:latency_p99:5m > 0.5
        for: 10m
        labels:
          severity: page
        annotations:
          runbook_url: docs/runbook.md
"""
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {svc}
  labels:
    app: {svc}
spec:
  replicas: 3
  selector:
    matchLabels:
      app: {svc}
  template:
    metadata:
      labels:
        app: {svc}
    spec:
      containers:
        - name: {svc}
          image: registry.example.com/{svc}:1.4.2
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{memory: 256Mi}}
          readinessProbe:
            httpGet: {{path: /healthz, port: 8080}}
"""
DOCKERFILE = """FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
USER 1000
CMD ["python", "-m", "{svc}"]
"""
README = """# {svc}

The {svc} service answers requests for the platform. Owned by team {team}.

## Running

    make run

## On call

See [the runbook](docs/runbook.md).
"""
RUNBOOK = """# {svc} runbook

## Alerts

### {svc}SlowRequests

1. Check the dashboard.
2. Roll back the last deploy if latency rose with it.
"""
PRFAQ = """# Press release: faster checkout

## Summary

Customers now check out in one step.

## Problem

Checkout took five pages.

## Solution

One page.

## FAQ

### Who is the customer?

Shoppers on mobile.
"""
SECURITY = "# Security policy\n\nReport vulnerabilities to security@example.com.\n"

SOURCE_KINDS: tuple[tuple[str, str], ...] = (
    (".py", '"""Module {i}."""\n\n\ndef handler_{i}(request):\n    return {{"id": {i}}}\n'),
    (".go", "package pkg{d}\n\n// Handler{i} answers one route.\nfunc Handler{i}() int {{ return {i} }}\n"),
    (".ts", "export function handler{i}(): number {{\n  return {i};\n}}\n"),
    (".java", "package pkg{d};\n\nclass Handler{i} {{\n  int id() {{ return {i}; }}\n}}\n"),
    (".py", "import os\n\nVALUE_{i} = os.environ.get('V{i}', '{i}')\n"),
    (".ts", "import {{ handler{i} }} from './h{i}';\nexport default handler{i};\n"),
    (".go", "package pkg{d}\n\nconst Value{i} = {i}\n"),
    (".json", '{{"name": "item-{i}", "value": {i}, "tags": ["a", "b"]}}\n'),
    (".md", "# Note {i}\n\nDesign note number {i} for package {d}.\n"),
    (".yaml", "name: config-{i}\nreplicas: {d}\nfeatures:\n  - a\n  - b\n"),
)


def _service_files(i: int) -> dict[str, str]:
    """The config and docs of service number ``i`` (the SLO format rotates)."""
    svc, team = f"svc{i:04d}", f"{i % 50:02d}"
    base = f"services/{svc}"
    slo_name, slo = (("slo.yaml", OPENSLO), ("sloth.yaml", SLOTH), ("alerts/rules.yaml", PROMETHEUS_RULES))[i % 3]
    return {
        f"{base}/catalog-info.yaml": COMPONENT.format(svc=svc, team=team),
        f"{base}/{slo_name}": slo.format(svc=svc),
        f"{base}/deploy/deployment.yaml": DEPLOYMENT.format(svc=svc),
        f"{base}/Dockerfile": DOCKERFILE.format(svc=svc),
        f"{base}/README.md": README.format(svc=svc, team=team),
        f"{base}/docs/runbook.md": RUNBOOK.format(svc=svc),
        f"{base}/requirements.txt": "requests==2.32.3\nflask==3.0.3\n",
    }


def _root_files(teams: int) -> dict[str, str]:
    files = {
        ".gitignore": "node_modules/\n*.pyc\n",
        ".github/workflows/ci.yml": GITHUB_WORKFLOW.format(name="CI"),
        ".github/workflows/nightly.yml": GITHUB_WORKFLOW.format(name="Nightly").replace(
            "  pull_request:\n", "  schedule:\n    - cron: '0 3 * * *'\n"),
        ".github/CODEOWNERS": "* @example/platform\n/services/ @example/services\n/docs/ @example/docs\n",
        ".gitlab-ci.yml": GITLAB_CI,
        "Jenkinsfile": JENKINSFILE,
        ".circleci/config.yml": CIRCLECI,
        "azure-pipelines.yml": AZURE,
        "bitbucket-pipelines.yml": BITBUCKET,
        "README.md": "# Example monorepo\n\nServices live under `services/`.\n",
        "SECURITY.md": SECURITY,
        "CHANGELOG.md": "# Changelog\n",
        "docs/prfaq/checkout.md": PRFAQ,
        "docs/architecture.md": "# Architecture\n\nServices talk over HTTP.\n",
        "package.json": '{"name": "monorepo", "private": true, "devDependencies": {"typescript": "5.4.5"}}\n',
    }
    for t in range(teams):
        files[f"org/teams/team-{t:02d}.yaml"] = GROUP.format(team=f"{t:02d}")
    return files


def repository_files(files: int) -> dict[str, str]:
    """Path -> content of a repository of exactly ``files`` tracked files (deterministic)."""
    services = max(2, min(400, files // 500))
    teams = min(50, services)
    tree = _root_files(teams)
    for i in range(services):
        if len(tree) + 7 > files:
            break
        tree.update(_service_files(i))
    n = 0
    while len(tree) < files:
        svc = f"services/svc{n % services:04d}"
        d = n // 40  # 40 files per package directory
        suffix, template = SOURCE_KINDS[n % len(SOURCE_KINDS)]
        folder = "docs/notes" if suffix == ".md" else ("config" if suffix in (".yaml", ".json") else "src")
        tree[f"{svc}/{folder}/pkg{d}/file{n}{suffix}"] = template.format(i=n, d=d)
        n += 1
    return dict(sorted(tree.items()))


def _fast_import_stream(tree: dict[str, str], commits: int) -> Iterator[bytes]:
    """A ``git fast-import`` stream that adds ``tree`` over ``commits`` commits."""
    paths = list(tree)
    per_commit = max(1, -(-len(paths) // commits))
    step = TWO_YEARS // max(1, commits)
    for c in range(commits):
        chunk = paths[c * per_commit:(c + 1) * per_commit]
        when = START_EPOCH + c * step
        who = f"Dev {c % 7} <dev{c % 7}@example.com> {when} +0000"
        message = f"Change {c}: add {len(chunk)} files\n".encode()
        head = [b"commit refs/heads/main\n", f"mark :{c + 1}\n".encode(),
                f"author {who}\n".encode(), f"committer {who}\n".encode(),
                f"data {len(message)}\n".encode(), message]
        if c:
            head.append(f"from :{c}\n".encode())
        yield b"".join(head)
        for path in chunk:
            data = tree[path].encode()
            yield f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"
        if not chunk:  # later commits edit the changelog so the history keeps moving
            data = (tree["CHANGELOG.md"] + f"\n- change {c}\n").encode()
            yield f"M 100644 inline CHANGELOG.md\ndata {len(data)}\n".encode() + data + b"\n"
        yield b"\n"


GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "GIT_CONFIG_NOSYSTEM": "1"}


def _git(root: Path, *args: str, stdin: bytes | None = None) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, input=stdin,
                   env={**os.environ, **GIT_ENV}, stdout=subprocess.DEVNULL)


def _write_node_modules(root: Path, count: int) -> None:
    """An ignored dependency tree: 50 files per package folder, nested like npm's."""
    nm = root / "node_modules"
    for j in range(count):
        pkg = nm / f"dep{j // 50}" / "lib"
        if j % 50 == 0:
            pkg.mkdir(parents=True, exist_ok=True)
            (pkg.parent / "package.json").write_text(f'{{"name": "dep{j // 50}", "version": "1.0.0"}}\n')
        (pkg / f"index{j}.js").write_text(f"module.exports = {j};\n")


def generate(workdir: Path, files: int, *, commits: int = COMMITS,
             node_modules_files: int = NODE_MODULES_FILES) -> Path:
    """Build (or reuse, when complete) ``workdir/repo-<files>`` and return its path."""
    root = workdir / f"repo-{files}"
    done = root / ".git" / "practicelint-bench-complete"
    if done.exists():
        return root
    if root.exists():
        shutil.rmtree(root)  # a half-built repository from an interrupted run
    root.mkdir(parents=True)
    tree = repository_files(files)
    _git(root, "init", "-q", "-b", "main")
    stream = b"".join(_fast_import_stream(tree, min(commits, max(1, len(tree)))))
    if len(tree) < commits:  # small repositories still get a few hundred commits
        extra = b"".join(_changelog_commits(tree, len(tree), commits))
        stream += extra
    _git(root, "fast-import", "--quiet", stdin=stream)
    _git(root, "checkout", "-q", "-f", "main")
    _write_node_modules(root, node_modules_files)
    done.write_text(f"files={files} commits={commits} node_modules={node_modules_files}\n")
    return root


def _changelog_commits(tree: dict[str, str], first: int, commits: int) -> Iterator[bytes]:
    """Commits ``first..commits-1`` that each append a line to the changelog."""
    changelog = tree["CHANGELOG.md"]
    step = TWO_YEARS // max(1, commits)
    for c in range(first, commits):
        changelog += f"- change {c}\n"
        when = START_EPOCH + c * step
        who = f"Dev {c % 7} <dev{c % 7}@example.com> {when} +0000"
        message = f"Release note {c}\n".encode()
        data = changelog.encode()
        yield (f"commit refs/heads/main\nmark :{c + 1}\nauthor {who}\ncommitter {who}\n"
               f"data {len(message)}\n").encode() + message + f"from :{c}\n".encode()
        yield f"M 100644 inline CHANGELOG.md\ndata {len(data)}\n".encode() + data + b"\n\n"


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Generate benchmark repositories.")
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--sizes", default="200,10000,200000")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",") if s):
        print(generate(args.workdir, size))
