"""API contracts are recognised by content: OpenAPI, Swagger, AsyncAPI, proto services, GraphQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.detectors import infra_apis
from linter.repo.workspace import Workspace


def _contracts(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, str, str]]:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return [(c.path, c.line, c.format, c.name) for c in infra_apis.detect(Workspace(tmp_path)).contracts]


@pytest.mark.parametrize("rel, text, expected", [
    ("api/openapi.yaml", "# spec\nopenapi: 3.0.3\ninfo: {title: Orders, version: '1'}\npaths: {}\n",
     [("api/openapi.yaml", 2, "OpenAPI 3.0.3", "Orders")]),
    ("swagger.json", json.dumps({"swagger": "2.0", "info": {"title": "Legacy", "version": "1"}}, indent=1),
     [("swagger.json", 2, "Swagger 2.0", "Legacy")]),
    ("events.yaml", "asyncapi: 2.6.0\ninfo: {title: Events, version: '1'}\nchannels: {}\n",
     [("events.yaml", 1, "AsyncAPI 2.6.0", "Events")]),
    ("proto/orders.proto", 'syntax = "proto3";\n// service Fake {\n/* service Old {\n} */\nservice Orders {\n'
     '  rpc Get (Req) returns (Res);\n}\n', [("proto/orders.proto", 5, "protobuf service", "Orders")]),
    ("schema.graphql", '"""\ntype Query { doc: Int }\n"""\n# type Query\ntype Query {\n  order: Order\n}\n',
     [("schema.graphql", 5, "GraphQL schema", "Query")]),
    # near misses: named like specs, but not specs
    ("openapi.yaml", "openapi: is a spec format we should adopt\n", []),
    ("openapi-notes.yaml", "info: {title: x}\nopenapi: 4\n", []),
    ("messages.proto", 'syntax = "proto3";\nmessage Order { string id = 1; }\n// service Orders {}\n', []),
    ("types.graphql", "type Order {\n  id: ID!\n}\n", []),
])
def test_formats(tmp_path: Path, rel: str, text: str, expected: list) -> None:
    assert _contracts(tmp_path, {rel: text}) == expected


def test_backstage_api_entities_with_definition(tmp_path: Path) -> None:
    catalog = '''\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: orders}
spec: {type: service, owner: team-a, lifecycle: production, providesApis: [orders-api, ghost-api]}
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: orders-api}
spec:
  type: openapi
  lifecycle: production
  owner: team-a
  definition:
    $text: ./openapi.yaml
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata: {name: ghost-api}
spec: {type: openapi, owner: team-a, lifecycle: production}
'''
    contracts = infra_apis.detect(Workspace(_write(tmp_path, catalog))).contracts
    assert [(c.format, c.name, c.provided_by) for c in contracts] == [
        ("Backstage API (openapi)", "api:default/orders-api", ("component:default/orders",))]


def _write(tmp_path: Path, catalog: str) -> Path:
    (tmp_path / "catalog-info.yaml").write_text(catalog)
    return tmp_path


@pytest.mark.parametrize("text", ["", "openapi: [3]\ninfo: 1\n", "- openapi\n", "openapi: 3.0.0\ninfo: [x]\n"])
def test_hostile_specs_never_raise(tmp_path: Path, text: str) -> None:
    assert _contracts(tmp_path, {"openapi.yaml": text, "x.proto": "service {{{", "s.gql": '"""never closed'}) == []


def test_a_spec_whose_keys_are_sorted_is_recognised_by_its_content(tmp_path: Path) -> None:
    paths = "".join(f"  /items/{i}:\n    get:\n      summary: read item {i} with a long description\n"
                    for i in range(300))
    text = f"info:\n  title: Items\n  version: '1'\npaths:\n{paths}openapi: 3.0.3\n"  # openapi last, past 4 KiB
    assert _contracts(tmp_path, {"api/items.yaml": text}) == [("api/items.yaml", text.count("\n"), "OpenAPI 3.0.3", "Items")]
    near = f"info:\n  title: Items\npaths:\n{paths}x-generator: openapi-generator\n"  # the word, not the key
    assert _contracts(tmp_path / "b", {"api/items.yaml": near}) == []
