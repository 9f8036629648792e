"""The structural HCL reader: maps, lists, calls, references, nested blocks, hostile input."""

from __future__ import annotations


import pytest

from linter.detectors import hcl
from tests.helpers import cpu_seconds

TF = '''\
provider "aws" {
  default_tags {
    tags = {
      Owner         = "payments"
      "cost-center" = "cc-42" # trailing comment
    }
  }
}
# resource "aws_instance" "commented" {}
resource "aws_instance" "web" {
  count     = 2
  subnets   = [aws_subnet.a.id,
               "subnet-3"]
  tags      = merge(local.common, { Name = "web" })
  multi_az  = true
  offset    = -3
  ratio     = 0.5
  chosen    = var.on ? 1 : 2
  ids       = module.vpc.private_subnets[*].id
  each      = [for s in var.x : s.id]
  user_data = <<-EOT
    apt-get install -y postgresql
  EOT
}
'''


def test_values_keep_their_structure() -> None:
    root = hcl.parse(TF)
    provider, resource = root.children("provider")[0], root.children("resource")[0]
    assert provider.child("default_tags").attributes["tags"] == {"Owner": "payments", "cost-center": "cc-42"}
    assert resource.labels == ("aws_instance", "web") and resource.line == 10
    attrs = resource.attributes
    assert attrs["count"] == 2 and attrs["multi_az"] is True and attrs["offset"] == -3 and attrs["ratio"] == 0.5
    assert attrs["subnets"] == [hcl.Ref("aws_subnet.a.id"), "subnet-3"]
    assert attrs["tags"] == hcl.Call("merge", (hcl.Ref("local.common"), {"Name": "web"}))
    assert isinstance(attrs["chosen"], hcl.Expr)
    assert isinstance(attrs["ids"], hcl.Ref)
    assert isinstance(attrs["each"], hcl.Expr)
    assert "postgresql" in attrs["user_data"]
    assert resource.line_of("multi_az") == 15
    assert [b.labels for b in root.children("resource")] == [("aws_instance", "web")]


@pytest.mark.parametrize("text", [
    "", "}}}", "resource {", 'resource "a" "b" { tags = { a = ', "tags = [1, 2", "x = {a = {b = {c = 1}}}",
    'resource "x" "y" {' + "a {" * 10_000, "= = = {", "/* never closed " + "x" * 10_000, "\x00\x01",
])
def test_hostile_input_never_raises(text: str) -> None:
    start = cpu_seconds()
    hcl.parse(text)
    assert cpu_seconds() - start < 5.0


def test_object_with_colons_and_quoted_keys() -> None:
    root = hcl.parse('x = { "a" : 1, b = "two"\n c = [1] }\n')
    assert root.attributes["x"] == {"a": 1, "b": "two", "c": [1]}


def test_terraform_json_configuration_becomes_hcl_shaped_blocks() -> None:
    from linter.detectors.hcl import parse_json_config

    text = ('{\n  "//": "comment",\n  "resource": {\n    "aws_db_instance": {\n      "main": {\n'
            '        "engine": "postgres",\n        "multi_az": true,\n        "lifecycle": {"prevent_destroy": true}\n'
            '      }\n    }\n  },\n  "module": {"vpc": {"source": "./vpc"}},\n  "locals": {"team": "pay"}\n}\n')
    import json

    root = parse_json_config(json.loads(text), text)
    db = root.children("resource")[0]
    assert (db.labels, db.line, db.attributes["multi_az"], db.line_of("engine")) == (("aws_db_instance", "main"), 5, True, 6)
    assert db.child("lifecycle").attributes == {"prevent_destroy": True}  # an object is a block ...
    assert db.attributes["lifecycle"] == {"prevent_destroy": True}  # ... and an attribute (no schema to tell)
    assert root.children("module")[0].labels == ("vpc",) and root.children("locals")[0].attributes == {"team": "pay"}
    assert [b.type for b in root.blocks] == ["resource", "module", "locals"]  # "//" comments are skipped


@pytest.mark.parametrize("data", [{}, {"resource": []}, {"resource": {"t": "x"}}, {"resource": {"t": {"n": 3}}},
                                  {"provider": {"aws": [1, None]}}, {"locals": [None, {"a": 1}]}])
def test_terraform_json_of_odd_shapes_never_raises(data) -> None:
    from linter.detectors.hcl import parse_json_config

    root = parse_json_config(data, "")
    assert root.type == "" and all(isinstance(b.labels, tuple) for b in root.blocks)


def test_objects_in_a_list_separate_their_attributes_by_newlines() -> None:
    """The helm provider's ``set = [{ name = ... \\n value = ... }]`` shape, and lists across lines."""
    root = hcl.parse('set = [\n  {\n    name  = "a.b"\n    value = var.x\n  },\n  { name = "c", value = 1 },\n]\n'
                     'ids = [\n  "one",\n\n  "two"\n]\nempty = [\n]\n')
    assert root.attributes["set"] == [{"name": "a.b", "value": hcl.Ref("var.x")}, {"name": "c", "value": 1}]
    assert root.attributes["ids"] == ["one", "two"] and root.attributes["empty"] == []


def test_a_list_element_without_a_key_is_still_an_expression() -> None:
    """Near miss: an object line holding no ``=`` is not split into made-up attributes."""
    value = hcl.parse('x = [{\n  "just text"\n}]\n').attributes["x"]
    assert len(value) == 1 and isinstance(value[0], hcl.Expr)
