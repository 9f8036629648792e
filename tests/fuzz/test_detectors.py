"""Every detector, and the whole engine, survives arbitrary files of the right names and shapes.

Each example writes a small repository (no git) whose files carry the names detectors look
for, filled with arbitrary text, arbitrary YAML/JSON, or trees shaped like the real format
with random values; then every detector runs on it through ``Workspace.facts``. A detector
that raises fails the test with the repository that made it raise (hypothesis shrinks it).
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from hypothesis import given
from hypothesis import strategies as st

import linter.detectors
from linter.repo.workspace import Workspace
from linter.results import Status
from tests.fuzz import strategies as s
from tests.helpers import write_tree


def _all_detectors() -> list[Callable[[Workspace], Any]]:
    """``detect``/``detect_*`` functions taking a Workspace (and nothing else they need), from every
    detector module."""
    found = []
    for info in pkgutil.walk_packages(linter.detectors.__path__, "linter.detectors."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and (name == "detect" or name.startswith("detect_")):
                required = [p for p in inspect.signature(fn).parameters.values() if p.default is p.empty]
                if len(required) == 1:  # a CI parser's ``asked`` set is optional
                    found.append(fn)
    return sorted(found, key=lambda f: (f.__module__, f.__name__))


DETECTORS = _all_detectors()

YAML_NAMES = ["catalog-info.yaml", "org/teams.yaml", ".github/workflows/ci.yml", ".gitlab-ci.yml", "slo/slo.yaml",
              "sloth.yaml", "alerts/rules.yaml", "deploy/deployment.yaml", "k8s/app.yaml", ".circleci/config.yml",
              "azure-pipelines.yml", "bitbucket-pipelines.yml", ".pre-commit-config.yaml", "docker-compose.yml",
              "template.yaml", ".github/dependabot.yml", "openapi.yaml", "chaos/experiment.yaml",
              "argocd/app.yaml", "load/artillery.yml", "mkdocs.yml", "catalog/users.yaml", "cloudbuild.yaml",
              ".azdo/pipelines/azure-dev.yml", ".buildkite/pipeline.yml"]
TEXT_NAMES = ["Jenkinsfile", ".github/CODEOWNERS", "CODEOWNERS", "docs/prfaq.md", "docs/press-release.md",
              "SECURITY.md", "README.md", "docs/runbook.md", "docs/threat-model.md", "main.tf", "slo.tf",
              "infra/variables.tf", "load/k6.js", "locustfile.py", "Dockerfile", "requirements.txt",
              "docs/adr/0001-x.md", "docs/design.md", "OWNERS"]
JSON_NAMES = ["package.json", "renovate.json", "dashboards/latency.json", "chaos/experiment.json",
              "template.json", "docs/model.json"]

FIXED_NOW = datetime(2026, 11, 27, tzinfo=timezone.utc)


def _yaml_content(name: str) -> st.SearchStrategy[str]:
    shaped = {
        "catalog-info.yaml": s.backstage_entity(), "org/teams.yaml": s.backstage_entity(),
        "catalog/users.yaml": s.backstage_entity(),
        ".github/workflows/ci.yml": s.github_workflow(), ".gitlab-ci.yml": s.gitlab_ci(),
        "slo/slo.yaml": s.openslo_document(), "sloth.yaml": s.sloth_or_prometheus(),
        "alerts/rules.yaml": s.sloth_or_prometheus(), "deploy/deployment.yaml": s.k8s_object(),
        "k8s/app.yaml": s.k8s_object(), "cloudbuild.yaml": s.cloudbuild_config(),
    }.get(name, s.json_like())
    return st.one_of(st.lists(st.one_of(shaped, s.json_like()), min_size=1, max_size=3).map(s.dump_yaml),
                     st.text(max_size=300))


def _text_content(name: str) -> st.SearchStrategy[str]:
    if name == "Jenkinsfile":
        return s.jenkinsfile()
    if "CODEOWNERS" in name or name == "OWNERS":
        return s.codeowners_text()
    if name.endswith(".md"):
        return s.markdown_prfaq()
    if name.endswith(".tf"):
        return s.hcl_snippet()
    return st.one_of(s.shell_script(), st.text(max_size=300))


@st.composite
def repositories(draw: st.DrawFn) -> dict[str, str]:
    files: dict[str, str] = {}
    for name in draw(st.lists(st.sampled_from(YAML_NAMES), max_size=6, unique=True)):
        files[name] = draw(_yaml_content(name))
    for name in draw(st.lists(st.sampled_from(TEXT_NAMES), max_size=5, unique=True)):
        files[name] = draw(_text_content(name))
    for name in draw(st.lists(st.sampled_from(JSON_NAMES), max_size=3, unique=True)):
        files[name] = draw(st.one_of(s.json_text(), st.text(max_size=200)))
    if draw(st.booleans()):  # services: the same shapes again one level down
        for name in draw(st.lists(st.sampled_from(YAML_NAMES[:10]), max_size=3, unique=True)):
            files[f"services/svc/{name}"] = draw(_yaml_content(name))
    return files


def _run_detectors(root: Path) -> None:
    ws = Workspace(root)
    for detector in DETECTORS:
        ws.facts(detector)


def test_the_fuzzer_knows_every_detector() -> None:
    modules = {d.__module__ for d in DETECTORS}
    assert len(DETECTORS) >= 30 and "linter.detectors.backstage" in modules and "linter.detectors.ci.github" in modules


@given(repositories())
def test_every_detector_survives_shaped_and_arbitrary_files(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _run_detectors(write_tree(Path(tmp), files))


@given(st.dictionaries(st.sampled_from(YAML_NAMES + TEXT_NAMES + JSON_NAMES),
                       st.binary(max_size=300), max_size=6))
def test_every_detector_survives_arbitrary_bytes(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _run_detectors(write_tree(Path(tmp), files))


@given(repositories())
def test_the_engine_gives_a_verdict_for_every_rule(files: dict[str, str]) -> None:
    """Checks too: no rule ends in ``error`` (a crash turned into a result) on any of these inputs.
    A rule whose input could not be used says so (``Could not be evaluated``), naming files of
    the input: that is a verdict on the input, not a crash."""
    from linter.engine import RunOptions, run

    with tempfile.TemporaryDirectory() as tmp:
        root = write_tree(Path(tmp), files)
        report, _ = run(root, RunOptions(now=FIXED_NOW))
        errors = [r for r in report.results if r.status == Status.ERROR]
        crashed = [(r.rule_id, r.message) for r in errors if not r.message.startswith("Could not be evaluated: ")]
        assert crashed == []
        for result in errors:
            assert result.evidence and all(e.path in files for e in result.evidence), result.message


@given(repositories(), st.sampled_from(["text", "json", "sarif", "junit", "markdown", "github", "gitlab", "html"]))
def test_every_report_format_renders_any_run(files: dict[str, str], fmt: str) -> None:
    from linter.catalog import load_catalog
    from linter.engine import RunOptions, run
    from linter.reporters import render

    with tempfile.TemporaryDirectory() as tmp:
        root = write_tree(Path(tmp), files)
        report, _ = run(root, RunOptions(now=FIXED_NOW))
        out = render(fmt, report, report.catalog or load_catalog())
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(out)
