"""Google Cloud Build configs: steps read as commands, triggers from Terraform or the name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.checks.del003_tests_on_every_change import check as del003
from linter.detectors.ci import cloudbuild
from linter.repo.workspace import Workspace
from linter.results import Status
from tests.detectors.ci.fixtures import facts_of
from tests.helpers import make_context, write_tree

CONFIG = """\
steps:
  - name: gcr.io/cloud-builders/docker
    args: ['build', '-t', 'gcr.io/$PROJECT_ID/app', '.']
  - name: python:3.12
    id: unit-tests
    entrypoint: bash
    args: ['-c', 'pip install -r requirements.txt && pytest -q']
  - name: gcr.io/k8s-skaffold/skaffold
    args: ['skaffold', 'test']
  - name: gcr.io/cloud-builders/gcloud
    allowFailure: true
    script: |
      #!/bin/bash
      gcloud run deploy app --image gcr.io/$PROJECT_ID/app --region europe-west1
images: ['gcr.io/$PROJECT_ID/app']
"""


def _steps(root: Path) -> list[tuple[str, str, bool]]:
    facts, _ = facts_of(root)
    return [(p.path, s.text.strip(), s.non_blocking) for p in facts.pipelines for j in p.jobs for s in j.steps]


def test_steps_become_the_commands_they_run(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"cloudbuild.yaml": CONFIG})
    assert _steps(root) == [
        ("cloudbuild.yaml", "docker build -t 'gcr.io/$PROJECT_ID/app' .", False),
        ("cloudbuild.yaml", "pip install -r requirements.txt && pytest -q", False),
        ("cloudbuild.yaml", "skaffold test", False),
        ("cloudbuild.yaml", "#!/bin/bash\ngcloud run deploy app --image gcr.io/$PROJECT_ID/app --region europe-west1",
         True),
    ]
    finding = del003(make_context(root))
    assert finding.status is Status.PASS and "pytest" in finding.message


def test_json_configs_and_folders_named_cloudbuild(tmp_path: Path) -> None:
    data = {"steps": [{"name": "golang:1.22", "args": ["go", "test", "./..."]}]}
    root = write_tree(tmp_path, {".github/cloudbuild/ci.json": json.dumps(data), "build/cloudbuild-main.yaml": CONFIG})
    assert [(p.path, p.system) for p in facts_of(root)[0].pipelines] == [
        (".github/cloudbuild/ci.json", "cloud-build"), ("build/cloudbuild-main.yaml", "cloud-build")]
    assert ("ci.json" in " ".join(s[0] for s in _steps(root))) and any(s[1] == "go test ./..." for s in _steps(root))


@pytest.mark.parametrize("files", [
    {"azure-pipelines.yml": "steps:\n  - script: pytest\n    name: tests\n"},  # Azure's top-level steps
    {"cloudbuild.yaml": "steps: not-a-list\n"},
    {"cloudbuild.yaml": "steps:\n  - args: [pytest]\n"},  # no builder image
    {"cloudbuild.yaml": "# steps:\n#   - name: python\n#     args: [pytest]\n"},
    {"docs/cloudbuild.yaml": CONFIG},  # an example on a page
])
def test_not_build_configs(tmp_path: Path, files: dict[str, str]) -> None:
    pipelines = cloudbuild.detect(Workspace(write_tree(tmp_path, files)))[0]
    assert pipelines == []


TRIGGER = """\
resource "google_cloudbuild_trigger" "{name}" {{
  filename = "{file}"
  {body}
}}
"""


@pytest.mark.parametrize(("body", "events"), [
    ("github {\n    owner = \"acme\"\n    name = \"app\"\n    pull_request {\n      branch = \".*\"\n    }\n  }",
     {"pull_request"}),
    ("github {\n    push {\n      branch = \"^main$\"\n    }\n  }", {"push"}),
    ("trigger_template {\n    branch_name = \"main\"\n  }", {"push"}),
    ("source_to_build {\n    uri = \"https://github.com/acme/app\"\n    ref = \"refs/heads/main\"\n  }", {"manual"}),
    ("pubsub_config {\n    topic = \"t\"\n  }", {"other"}),
])
def test_triggers_come_from_terraform_when_it_names_the_file(tmp_path: Path, body: str, events: set[str]) -> None:
    root = write_tree(tmp_path, {"cloudbuild.yaml": CONFIG,
                                 "infra/triggers.tf": TRIGGER.format(name="t", file="cloudbuild.yaml", body=body)})
    (pipeline,) = facts_of(root)[0].pipelines
    assert pipeline.jobs[0].triggers == events


def test_without_terraform_the_name_says_pull_requests_or_both(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {".github/cloudbuild/ci-pr.yaml": CONFIG, "cloudbuild.yaml": CONFIG})
    triggers = {p.path: p.jobs[0].triggers for p in facts_of(root)[0].pipelines}
    assert triggers == {".github/cloudbuild/ci-pr.yaml": {"pull_request"}, "cloudbuild.yaml": {"push", "pull_request"}}


@pytest.mark.parametrize(("body", "refs", "status"), [
    ("github {\n    push {\n      branch = \"^main$\"\n    }\n  }", ("branch:main",), Status.FAIL),  # after merge
    ("github {\n    push {\n      branch = \".*\"\n    }\n  }", ("branch:*",), Status.PASS),
    ("trigger_template {\n    tag_name = \"^v.*\"\n  }", ("tag:*",), Status.FAIL),
])
def test_push_filters_of_terraform_triggers(tmp_path: Path, body: str, refs: tuple[str, ...], status: Status) -> None:
    """Tests only on pushes to main run after the merge; on any branch, on every change."""
    tests = "steps:\n  - name: python:3.12\n    entrypoint: bash\n    args: ['-c', 'pytest']\n"
    root = write_tree(tmp_path, {"cloudbuild.yaml": tests,
                                 "infra/triggers.tf": TRIGGER.format(name="t", file="cloudbuild.yaml", body=body)})
    (pipeline,) = facts_of(root)[0].pipelines
    assert pipeline.jobs[0].refs == refs
    assert del003(make_context(root)).status is status
