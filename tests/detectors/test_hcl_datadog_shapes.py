"""The HCL reader on Datadog SLO shapes: comments, escapes, heredocs, bounds."""

from __future__ import annotations


from linter.detectors import hcl
from tests.helpers import cpu_seconds

TF = '''\
# resource "datadog_service_level_objective" "commented" {}
// another comment
/* block
   comment */
resource "datadog_service_level_objective" "lat" {
  name = "Say \\"hi\\" {not a brace}"
  type = "metric"
  description = <<-EOT
    Multi-line } text {
  EOT
  query {
    numerator = "sum:a{*}"
  }
  thresholds {
    target = 99.9
  }
  tags = ["service:web", "team:x"]
  groups = var.groups
}
'''


def test_resource_blocks_attributes_and_lines() -> None:
    root = hcl.parse(TF)
    [resource] = root.children("resource")
    assert resource.labels == ("datadog_service_level_objective", "lat")
    assert resource.line == 5
    assert resource.attributes["name"] == 'Say "hi" {not a brace}'
    assert resource.attributes["description"].strip() == "Multi-line } text {"
    assert resource.children("query")[0].attributes["numerator"] == "sum:a{*}"
    assert resource.children("thresholds")[0].attributes["target"] == 99.9
    assert resource.attributes["tags"] == ["service:web", "team:x"]
    assert resource.attributes["groups"] == hcl.Ref("var.groups")


def test_unbalanced_and_deep_input_is_bounded() -> None:
    start = cpu_seconds()
    root = hcl.parse('resource "x" "y" {' + "a {" * 10_000 + '"unterminated\n' + "}" * 3)
    assert root.children("resource")
    hcl.parse("/* never closed " + "x" * 100_000)
    hcl.parse("<<EOT\n" + "line\n" * 1000)
    assert cpu_seconds() - start < 5.0


def test_stray_closing_brace_does_not_hide_later_resources() -> None:
    root = hcl.parse('}\nresource "a" "b" {\n  type = "metric"\n}\n')
    assert [b.labels for b in root.children("resource")] == [("a", "b")]
