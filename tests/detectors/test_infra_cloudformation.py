"""CloudFormation/SAM facts from YAML (intrinsic tags) and JSON templates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from linter.detectors import infra_cloudformation
from linter.repo.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "infra" / "cloudformation"


def test_sam_template(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "template.yaml", tmp_path / "template.yaml")
    facts = infra_cloudformation.detect(Workspace(tmp_path))
    assert facts.files == ("template.yaml",)
    tagged = {t.name: t.keys for t in facts.tagged}
    assert tagged["Resize"] == ("costcenter", "owner")  # Globals + map-form Tags
    assert tagged["Database"] == ("owner",)
    [database] = facts.databases
    assert database.multi_zone is None and database.line == 22  # !Ref: not a literal
    [fleet] = facts.instance_groups
    assert (fleet.zones, fleet.min_size, fleet.max_size) == (None, 2, 6) and "expression" in fleet.detail  # !GetAZs reads as a plain value
    assert {(s.kind, s.target) for s in facts.scaling} == {
        ("AWS::Serverless::Function", "Resize"), ("AWS::AutoScaling::AutoScalingGroup", "Fleet"),
        ("AWS::ApplicationAutoScaling::ScalableTarget", "images")}
    [broker] = facts.self_run
    assert (broker.name, broker.engine) == ("Broker", "redis")


def test_json_template_keeps_lines(tmp_path: Path) -> None:
    template = {"Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"MultiAZ": "true"}},
                              "Asg": {"Type": "AWS::AutoScaling::AutoScalingGroup",
                                      "Properties": {"MinSize": 1, "VPCZoneIdentifier": ["a"]}}}}
    (tmp_path / "stack.json").write_text(json.dumps(template, indent=2))
    facts = infra_cloudformation.detect(Workspace(tmp_path))
    [db] = facts.databases
    assert db.multi_zone is True and db.line == 6
    [asg] = facts.instance_groups
    assert (asg.zones, asg.min_size) == (1, 1)


@pytest.mark.parametrize("text", [
    "Resources: []\nAWS::x: 1\n", "Resources:\n  A: 3\n  B: {Type: AWS::S3::Bucket, Properties: [1]}\n",
    "AWSTemplateFormatVersion: x\nResources:\n  A: {Type: AWS::EC2::Instance, Properties: {UserData: 5}}\n",
    "AWSTemplateFormatVersion: x\nResources:\n  A: {Type: AWS::RDS::DBInstance, Properties: {Tags: {a: [1]}}}\n",
    "{ not json AWS:: Resources",
])
def test_hostile_templates_never_raise(tmp_path: Path, text: str) -> None:
    (tmp_path / "t.yaml").write_text(text)
    infra_cloudformation.detect(Workspace(tmp_path))


def test_other_yaml_with_aws_words_is_not_a_template(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("Resources:\n  - AWS::S3::Bucket is what we use\n")
    assert infra_cloudformation.detect(Workspace(tmp_path)).files == ()
