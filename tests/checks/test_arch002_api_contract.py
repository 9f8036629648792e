"""ARCH002: contracts by folder or providesApis; near misses; what was looked for."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.arch002_api_contract import check
from linter.results import Scope, Status
from tests.helpers import make_context

make_context = partial(make_context, rule="ARCH002")  # contexts for ARCH002, with its typed options

OPENAPI = "openapi: 3.1.0\ninfo:\n  title: Orders\n  version: '1'\npaths: {}\n"
COMPONENT = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: orders}\n"
             "spec: {type: service, owner: t, lifecycle: production, providesApis: [orders-api]}\n")
API = ("---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: orders-api}\n"
       "spec: {type: grpc, owner: t, lifecycle: production, definition: 'service Orders {}'}\n")


@pytest.mark.parametrize("files, status, text", [
    ({"api/openapi.yaml": OPENAPI}, Status.PASS, "OpenAPI 3.1.0 Orders (api/openapi.yaml:1)"),
    ({"catalog-info.yaml": COMPONENT + API}, Status.PASS, "Backstage API (grpc) api:default/orders-api"),
    ({"catalog-info.yaml": COMPONENT}, Status.FAIL, "providesApis names api:default/orders-api, but no API entity"),
    ({"openapi.yaml": "# openapi: 3.0.0\nname: not a spec\n"}, Status.FAIL, "looked for OpenAPI 3.x"),
    ({"docs/api.md": "We publish an OpenAPI spec (openapi: 3.0.0)."}, Status.FAIL, "no machine-readable API contract"),
])
def test_verdicts(make_repo, files, status, text) -> None:
    finding = check(make_context(make_repo(files)))
    assert finding.status is status and text in finding.message, finding.message


def test_contracts_belong_to_their_service(make_repo) -> None:
    root = make_repo({"services/orders/openapi.yaml": OPENAPI, "services/web/index.html": "<html>",
                      "catalog/apis.yaml": COMPONENT.replace("providesApis: [orders-api]", "providesApis: []")})
    scopes = [Scope("services/orders", "orders"), Scope("services/web", "web")]
    verdicts = {s.name: check(make_context(root, scope=s, scopes=scopes)).status for s in scopes}
    assert verdicts == {"orders": Status.PASS, "web": Status.FAIL}
