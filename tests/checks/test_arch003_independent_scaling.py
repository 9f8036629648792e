"""ARCH003: autoscalers and concurrency settings per service; not applicable without deploy config."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.arch003_independent_scaling import check
from linter.results import Scope, Status
from tests.helpers import make_context

make_context = partial(make_context, rule="ARCH003")  # contexts for ARCH003, with its typed options

DEPLOY = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: NAME}\nspec:\n  replicas: 2\n  template:\n"
          "    spec:\n      containers: [{name: app, image: acme/NAME}]\n")
HPA = ("---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: NAME}\nspec:\n"
       "  scaleTargetRef: {kind: Deployment, name: NAME}\n  minReplicas: 2\n  maxReplicas: 8\n")


@pytest.mark.parametrize("files, status, text", [
    ({"k8s.yaml": DEPLOY.replace("NAME", "api") + HPA.replace("NAME", "api")}, Status.PASS,
     "HorizontalPodAutoscaler api (minimum 2, maximum 8, k8s.yaml:"),
    ({"k8s.yaml": DEPLOY.replace("NAME", "api")}, Status.FAIL, "deployed without scaling settings of its own: "
                                                               "Deployment api (k8s.yaml:1)"),
    ({"k8s.yaml": DEPLOY.replace("NAME", "api") + DEPLOY.replace("NAME", "worker").replace("apiVersion", "---\napiVersion", 1)
      + HPA.replace("NAME", "api")}, Status.PASS, "Without an autoscaler: Deployment worker"),
    ({"main.tf": 'resource "aws_lambda_function" "f" {\n  reserved_concurrent_executions = 10\n}\n'}, Status.PASS,
     "reserved_concurrent_executions = 10"),
    ({"main.tf": 'resource "aws_lambda_function" "f" {\n  reserved_concurrent_executions = -1\n}\n'}, Status.FAIL,
     "aws_lambda_function f"),
    ({"template.yaml": "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                       "      AutoPublishAlias: live\n      ProvisionedConcurrencyConfig:\n"
                       "        ProvisionedConcurrentExecutions: 3\n"}, Status.PASS, "ProvisionedConcurrencyConfig"),
    ({"README.md": "HorizontalPodAutoscaler"}, Status.NOT_APPLICABLE, "no deploy configuration"),
])
def test_verdicts(make_repo, files, status, text) -> None:
    finding = check(make_context(make_repo(files)))
    assert finding.status is status and text in finding.message, finding.message


def test_autoscaler_attributed_by_target_name(make_repo) -> None:
    root = make_repo({"deploy/k8s.yaml": DEPLOY.replace("NAME", "api") + HPA.replace("NAME", "api"),
                      "services/api/README.md": "api", "services/web/README.md": "web"})
    scopes = [Scope("services/api", "api"), Scope("services/web", "web")]
    verdicts = {s.name: check(make_context(root, scope=s, scopes=scopes)).status for s in scopes}
    assert verdicts == {"api": Status.PASS, "web": Status.NOT_APPLICABLE}
