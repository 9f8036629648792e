"""CloudFormation and SAM templates (YAML or JSON): tags, Multi-AZ, groups, scaling, VMs.

A document is a template when it has ``AWSTemplateFormatVersion`` or a ``Resources``
mapping in which some resource has a ``Type`` starting with ``AWS::``. JSON templates go
through the same line-aware YAML loader (JSON is YAML), so evidence keeps its line numbers;
short-form intrinsics (``!Ref``, ``!Sub``, ``!GetAtt``) arrive as plain values.
SAM ``Globals.Function.Tags`` count for every ``AWS::Serverless::Function``.
"""

from __future__ import annotations

from typing import Any

from linter.detectors.infra_common import (
    Database, DeployUnit, IacCollector, IacFacts, InstanceGroup, ScalingSetting, SelfRunDatastore, TaggedResource,
    normalise_tag_key,
)
from linter.detectors.infra_terraform import script_engine
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace
from linter.repo.folders import outside_docs_and_tests
from linter.repo.yamlio import line_of, walk_strings

TAGGABLE_TYPES = frozenset({
    "AWS::EC2::Instance", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::S3::Bucket",
    "AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::ECS::Service", "AWS::ECS::Cluster",
    "AWS::EKS::Cluster", "AWS::EKS::Nodegroup", "AWS::AutoScaling::AutoScalingGroup", "AWS::EC2::LaunchTemplate",
    "AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ReplicationGroup", "AWS::DynamoDB::Table",
    "AWS::Serverless::SimpleTable", "AWS::SQS::Queue", "AWS::SNS::Topic",
    "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::EC2::NatGateway", "AWS::EC2::Volume",
    "AWS::EFS::FileSystem", "AWS::Kinesis::Stream", "AWS::MSK::Cluster", "AWS::OpenSearchService::Domain",
    "AWS::Elasticsearch::Domain", "AWS::Redshift::Cluster", "AWS::CloudFront::Distribution",
    "AWS::ApiGateway::RestApi", "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::ECR::Repository",
    "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine", "AWS::Logs::LogGroup",
    "AWS::KMS::Key", "AWS::SecretsManager::Secret", "AWS::EC2::VPC", "AWS::DocDB::DBCluster",
    "AWS::Neptune::DBCluster", "AWS::AmazonMQ::Broker", "AWS::EMR::Cluster",
})
DEPLOY_TYPES = frozenset({"AWS::EC2::Instance", "AWS::Lambda::Function", "AWS::Serverless::Function",
                          "AWS::ECS::Service", "AWS::AutoScaling::AutoScalingGroup", "AWS::AppRunner::Service"})
MAX_RESOURCES = 5000


CloudFormationFacts = IacFacts  # the shared shape of IaC facts (see infra_common)


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _truthy(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def is_template(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    if "AWSTemplateFormatVersion" in data:
        return True
    resources = data.get("Resources")
    return isinstance(resources, dict) and any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and r["Type"].startswith("AWS::")
        for r in list(resources.values())[:MAX_RESOURCES])


#: Files that may be CloudFormation templates (a resource type and the Resources section).
TEMPLATE_TEXT = Prefilter("cloudformation-template", lambda text: "AWS::" in text and "Resources" in text)


def detect(ws: Workspace) -> CloudFormationFacts:
    out = _Collector()
    files: list[str] = []
    broken: list[str] = []
    for path, parsed in ws.yaml_passing(outside_docs_and_tests(ws.with_suffix(".yaml", ".yml", ".json", ".template")),
                                        TEMPLATE_TEXT):
        if ws.broken_yaml(path):
            broken.append(path)
        for doc in parsed.documents:
            if not is_template(doc.data):
                continue
            files.append(path)
            out.template(path, doc.data)
    return out.facts(tuple(sorted(set(files))), tuple(sorted(broken)))


class _Collector(IacCollector):
    """Turns template resources into the common facts."""

    def template(self, path: str, data: dict[Any, Any]) -> None:
        resources = _dict(data.get("Resources"))
        global_tags = tag_keys(_dict(_dict(data.get("Globals")).get("Function")).get("Tags"))
        for logical_id, resource in list(resources.items())[:MAX_RESOURCES]:
            if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str):
                continue
            self.count += 1
            rtype = resource["Type"]
            props = _dict(resource.get("Properties"))
            line = line_of(resources, logical_id, getattr(resources, "line", 1))
            name = str(logical_id)
            self._tags(path, line, rtype, name, props, global_tags if rtype == "AWS::Serverless::Function" else ())
            if rtype in DEPLOY_TYPES:
                self.deploy.append(DeployUnit(path, line, "cloudformation", rtype, name))
            self._specific(path, line, rtype, name, props)

    def _tags(self, path: str, line: int, rtype: str, name: str, props: dict[Any, Any],
              extra: tuple[str, ...]) -> None:
        if "Tags" not in props and rtype not in TAGGABLE_TYPES:
            return
        keys = set(tag_keys(props.get("Tags"))) | set(extra)
        resolved = props.get("Tags") is None or isinstance(props.get("Tags"), (list, dict))
        self.tagged.append(TaggedResource(path, line, "cloudformation", rtype, name, tuple(sorted(keys)), resolved))

    def _specific(self, path: str, line: int, rtype: str, name: str, props: dict[Any, Any]) -> None:
        if rtype == "AWS::RDS::DBInstance" and "SourceDBInstanceIdentifier" not in props \
                and "DBClusterIdentifier" not in props:
            multi = _truthy(props.get("MultiAZ", False))
            detail = "MultiAZ: true" if multi else ("MultiAZ is not set" if "MultiAZ" not in props
                                                     else f"MultiAZ: {props.get('MultiAZ')}")
            self.databases.append(Database(path, line_of(props, "MultiAZ", line), "cloudformation", rtype, name,
                                           multi, detail))
        elif rtype == "AWS::AutoScaling::AutoScalingGroup":
            self._group(path, line, rtype, name, props)
        elif rtype == "AWS::ApplicationAutoScaling::ScalableTarget":
            target = props.get("ResourceId")
            self.scaling.append(ScalingSetting(
                path, line, "cloudformation", rtype, name, target.rsplit("/", 1)[-1] if isinstance(target, str) else "",
                f"MinCapacity {props.get('MinCapacity', 'not set')}, MaxCapacity {props.get('MaxCapacity', 'not set')}"))
        elif rtype in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
            self._function(path, line, rtype, name, props)
        elif rtype == "AWS::Lambda::Version" and "ProvisionedConcurrencyConfig" in props:
            self.scaling.append(ScalingSetting(path, line_of(props, "ProvisionedConcurrencyConfig", line),
                                               "cloudformation", rtype, name, "", "ProvisionedConcurrencyConfig"))
        elif rtype in ("AWS::EC2::Instance", "AWS::EC2::LaunchTemplate"):
            user_data = props.get("UserData")
            if rtype == "AWS::EC2::LaunchTemplate":
                user_data = _dict(props.get("LaunchTemplateData")).get("UserData")
            script = "\n".join(text for text, _ in walk_strings(user_data, limit=2000))
            engine = script_engine(script)
            if engine:
                self.self_run.append(SelfRunDatastore(path, line_of(props, "UserData", line), "cloudformation",
                                                      rtype, name, engine, f"UserData installs or runs {engine}"))

    def _group(self, path: str, line: int, rtype: str, name: str, props: dict[Any, Any]) -> None:
        zones: int | None = 1
        detail = "no AvailabilityZones or VPCZoneIdentifier"
        for key in ("VPCZoneIdentifier", "AvailabilityZones"):
            value = props.get(key)
            if isinstance(value, list):
                zones, detail = len(value), f"{key} lists {len(value)}"
                break
            if isinstance(value, dict) and ("Fn::GetAZs" in value or "GetAZs" in value):
                zones, detail = None, f"{key} from Fn::GetAZs (every zone of the region)"
                break
            if value is not None:
                zones, detail = None, f"{key} comes from an expression"
                break
        min_size, max_size = _int(props.get("MinSize")), _int(props.get("MaxSize"))
        self.groups.append(InstanceGroup(path, line, "cloudformation", rtype, name, zones, min_size, max_size, detail))
        self.scaling.append(ScalingSetting(path, line_of(props, "MinSize", line), "cloudformation", rtype, name, name,
                                           f"MinSize {props.get('MinSize', 'not set')}, "
                                           f"MaxSize {props.get('MaxSize', 'not set')}"))

    def _function(self, path: str, line: int, rtype: str, name: str, props: dict[Any, Any]) -> None:
        for key in ("ReservedConcurrentExecutions", "ProvisionedConcurrencyConfig"):
            if key in props and props[key] is not None:
                value = props[key]
                shown = value if not isinstance(value, dict) else ", ".join(f"{k}: {v}" for k, v in value.items())
                self.scaling.append(ScalingSetting(path, line_of(props, key, line), "cloudformation", rtype, name,
                                                   name, f"{key} {shown}"))


def tag_keys(value: Any) -> tuple[str, ...]:
    """Keys of ``Tags`` as a list of ``{Key, Value}`` (most resources) or a map (SAM, SSM)."""
    keys: set[str] = set()
    if isinstance(value, list):
        for item in value:
            key = _dict(item).get("Key")
            if isinstance(key, str):
                keys.add(normalise_tag_key(key))
    elif isinstance(value, dict):
        keys.update(normalise_tag_key(k) for k in value if isinstance(k, str))
    return tuple(sorted(keys))
