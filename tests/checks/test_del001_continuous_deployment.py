"""DEL001 verdicts: deploy on merge, GitOps automated sync; manual, tags, previews and nothing fail."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.del001_continuous_deployment import check
from linter.results import Status
from tests.helpers import make_context

make_context = partial(make_context, rule="DEL001")  # contexts for DEL001, with its typed options

DEPLOY = "jobs:\n  ship:\n    steps:\n      - run: helm upgrade --install api ./chart\n"


@pytest.mark.parametrize(("on", "status", "words"), [
    ("on:\n  push:\n    branches: [main]\n", Status.PASS, "deploy automatically"),
    ("on: push\n", Status.PASS, "deploy automatically"),
    ("on: workflow_dispatch\n", Status.FAIL, "only when started by hand"),
    ("on:\n  push:\n    tags: ['v*']\n", Status.FAIL, "only on tag pushes or releases"),
    ("on:\n  release:\n    types: [published]\n", Status.FAIL, "only on tag pushes or releases"),
    ("on: [pull_request]\n", Status.FAIL, "preview"),
])
def test_github_deploy_triggers(make_repo, on: str, status: Status, words: str) -> None:
    finding = check(make_context(make_repo({".github/workflows/deploy.yml": on + DEPLOY})))
    assert finding.status is status and words in finding.message
    assert finding.evidence[0].line == on.count("\n") + 4  # the helm command's own line


def test_docker_push_is_not_a_deploy(make_repo) -> None:
    root = make_repo({".github/workflows/d.yml": "on: push\njobs:\n  b:\n    steps:\n      - run: docker push x/y:1\n"})
    finding = check(make_context(root))
    assert finding.status is Status.FAIL and "no automated deployment" in finding.message


def test_gitlab_manual_deploy_fails_and_environment_on_default_branch_passes(make_repo) -> None:
    manual = "deploy:\n  stage: deploy\n  environment: production\n  script: [./ship.sh]\n  when: manual\n"
    assert "by hand" in check(make_context(make_repo({".gitlab-ci.yml": manual}))).message
    auto = ("deploy:\n  environment: production\n  script: [./ship.sh]\n  rules:\n"
            "    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n")
    assert check(make_context(make_repo({".gitlab-ci.yml": auto}))).status is Status.PASS


def test_argo_automated_sync_passes_and_manual_sync_fails(make_repo) -> None:
    app = ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: api\nspec:\n"
           "  syncPolicy:\n{policy}")
    auto = make_repo({"argo/app.yaml": app.format(policy="    automated:\n      selfHeal: true\n")})
    assert check(make_context(auto)).status is Status.PASS
    manual = make_repo({"argo/app.yaml": app.format(policy="    syncOptions: [Validate=true]\n")})
    finding = check(make_context(manual))
    assert finding.status is Status.FAIL and "clicks Sync" in finding.message


@pytest.mark.parametrize("setup", [
    "      - uses: helm/kind-action@v1\n",
    "      - run: kind create cluster --name ci\n",
    "      - run: minikube start --driver=docker\n",
    # the cluster comes from a make target; loading an image into it shows it is local
    "      - run: make e2e-bootstrap\n      - run: kind load docker-image --name kind app:e2e\n",
])
def test_applying_to_a_throwaway_ci_cluster_is_not_a_deploy(make_repo, setup: str) -> None:
    workflow = ("on:\n  push:\n    branches: [main]\njobs:\n  integration-test:\n    runs-on: ubuntu-latest\n"
                "    steps:\n" + setup + "      - run: kubectl apply -f ./deploy/crds/\n")
    finding = check(make_context(make_repo({".github/workflows/ci.yml": workflow})))
    assert finding.status is Status.FAIL and "deploy automatically" not in finding.message


def test_an_argo_application_in_the_docs_is_an_example_not_a_deployment(make_repo) -> None:
    app = ("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: guestbook\nspec:\n"
           "  syncPolicy:\n    automated:\n      prune: true\n")
    documented = check(make_context(make_repo({"docs/operator-manual/application.yaml": app})))
    assert documented.status is not Status.PASS and "guestbook" not in documented.message
    deployed = check(make_context(make_repo({"deploy/apps/application.yaml": app})))
    assert deployed.status is Status.PASS and "guestbook" in deployed.message


AZDO = """\
trigger:
  - main
pool:
  vmImage: ubuntu-latest
steps:
  - task: setup-azd@1
  - task: AzureCLI@2
    displayName: Deploy Application
    inputs:
      azureSubscription: azconnection
      scriptType: bash
      scriptLocation: inlineScript
      inlineScript: |
        azd deploy --no-prompt
"""


def _on_push(branch: str, *commands: str) -> str:
    """A workflow that a push to ``branch`` starts, running ``commands`` in one job."""
    return (f"on:\n  push:\n    branches: [{branch}]\njobs:\n  deploy:\n    runs-on: x\n    steps:\n"
            + "".join(f"      - run: {command}\n" for command in commands))


@pytest.mark.parametrize(("files", "where"), [
    # the Azure Developer CLI template layout: a GitHub workflow and an Azure pipeline
    ({".github/workflows/azure-dev.yml": _on_push("main", "azd provision --no-prompt", "azd deploy --no-prompt")},
     ".github/workflows/azure-dev.yml"),
    ({".azdo/pipelines/azure-dev.yml": AZDO}, ".azdo/pipelines/azure-dev.yml"),
])
def test_azure_developer_cli_deploys(make_repo, files: dict[str, str], where: str) -> None:
    finding = check(make_context(make_repo(files)))
    assert finding.status is Status.PASS, finding.message
    assert where in finding.message and "azd" in finding.message


def test_azd_commands_that_do_not_deploy(make_repo) -> None:
    workflow = _on_push("main", "azd auth login", "azd env list")
    assert check(make_context(make_repo({".github/workflows/ci.yml": workflow}))).status is Status.FAIL


def test_fastapi_cloud_deploy(make_repo) -> None:
    workflow = _on_push("master", "uv run fastapi deploy")
    finding = check(make_context(make_repo({".github/workflows/deploy.yml": workflow})))
    assert finding.status is Status.PASS and "fastapi deploy" in finding.message


def test_a_deploy_in_a_package_script_shows_the_chain(make_repo) -> None:
    wf = "on:\n  push:\n    branches: [main]\njobs:\n  d:\n    runs-on: x\n    steps:\n      - run: yarn ship\n"
    pkg = '{\n  "scripts": {\n    "ship": "wrangler deploy --env production"\n  }\n}\n'
    finding = check(make_context(make_repo({".github/workflows/d.yml": wf, "package.json": pkg})))
    assert finding.status is Status.PASS and "(.github/workflows/d.yml:8 -> package.json:3: wrangler deploy" \
        in finding.message
