"""REL003: copies, zone spread, Multi-AZ databases and groups; attribution; not applicable."""

from __future__ import annotations

from functools import partial

import pytest

from linter.checks.rel003_redundant_deployment import check
from linter.results import Scope, Status
from tests.helpers import make_context

make_context = partial(make_context, rule="REL003")  # contexts for REL003, with its typed options


def deployment(name: str = "api", replicas: str = "replicas: 3", spread: str = "zone") -> str:
    keys = {"zone": "topology.kubernetes.io/zone", "host": "kubernetes.io/hostname"}
    spec = ""
    if spread in keys:
        spec = ("      topologySpreadConstraints:\n        - maxSkew: 1\n"
                f"          topologyKey: {keys[spread]}\n          whenUnsatisfiable: DoNotSchedule\n")
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  {replicas}\n"
            f"  template:\n    spec:\n{spec}      containers:\n        - name: app\n          image: acme/{name}\n")


HPA = ("---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api}\nspec:\n"
       "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n  minReplicas: MIN\n  maxReplicas: 9\n")


ECS = ('resource "aws_ecs_service" "api" {{\n  name = "api"\n  {count}\n'
       '  network_configuration {{\n    {net}\n  }}\n}}\n')
SCALER = ('resource "aws_appautoscaling_target" "api" {{\n  service_namespace = "ecs"\n'
          '  resource_id = "service/${{aws_ecs_cluster.main.name}}/${{aws_ecs_service.api.name}}"\n'
          '  scalable_dimension = "ecs:service:DesiredCount"\n  min_capacity = {min}\n  max_capacity = 10\n}}\n')


@pytest.mark.parametrize("files, status, text", [
    ({"k8s/api.yaml": deployment()}, Status.PASS, "Deployment api: replicas: 3, spread across zones"),
    ({"k8s/api.yaml": deployment(replicas="replicas: 1")}, Status.FAIL,
     "Deployment api has replicas: 1, a single copy (k8s/api.yaml:6)"),
    ({"k8s/api.yaml": deployment(replicas="minReadySeconds: 5")}, Status.FAIL, "replicas not set (defaults to 1)"),
    ({"k8s/api.yaml": deployment(spread="none")}, Status.FAIL, "replicas: 3 but no zone spread or pod anti-affinity"),
    ({"k8s/api.yaml": deployment(spread="host")}, Status.PASS, "across hosts (not zones"),
    ({"k8s/api.yaml": deployment(replicas="replicas: 1") + HPA.replace("MIN", "2")}, Status.PASS,
     "HorizontalPodAutoscaler api minimum 2"),
    ({"k8s/api.yaml": deployment() + HPA.replace("MIN", "1")}, Status.FAIL, "HorizontalPodAutoscaler api minimum 1"),
    ({"main.tf": 'resource "aws_db_instance" "db" {\n  multi_az = true\n}\n'}, Status.PASS, "multi_az = true"),
    ({"main.tf": 'resource "aws_db_instance" "db" {\n  engine = "postgres"\n}\n'}, Status.FAIL,
     "aws_db_instance aws_db_instance.db: multi_az is not set (main.tf:1)"),
    ({"main.tf": 'resource "aws_db_instance" "db" {\n  multi_az = var.ha\n}\n'}, Status.FAIL, "could not be confirmed"),
    ({"main.tf": 'resource "aws_autoscaling_group" "w" {\n  min_size = 2\n  vpc_zone_identifier = ["a", "b"]\n}\n'},
     Status.PASS, "vpc_zone_identifier lists 2, min size 2"),
    ({"main.tf": 'resource "aws_autoscaling_group" "w" {\n  min_size = 1\n  availability_zones = ["a", "b"]\n}\n'},
     Status.FAIL, "min_size 1"),
    # ECS services: desired_count tasks spread over the zones of their subnets
    ({"main.tf": ECS.format(count="desired_count = 3", net='subnets = ["subnet-a", "subnet-b"]')}, Status.PASS,
     "aws_ecs_service aws_ecs_service.api: network_configuration.subnets lists 2, desired count 3"),
    ({"main.tf": ECS.format(count="desired_count = 1", net='subnets = ["subnet-a", "subnet-b"]')}, Status.FAIL,
     "desired_count 1 ("),
    ({"main.tf": ECS.format(count="launch_type = \"FARGATE\"", net='subnets = ["subnet-a", "subnet-b"]')},
     Status.FAIL, "desired_count 0 (network_configuration.subnets lists 2; desired_count not set (the provider's "
                  "default is 0))"),
    ({"main.tf": ECS.format(count="desired_count = 2", net='subnets = ["subnet-a"]')}, Status.FAIL,
     "a single zone or subnet"),
    ({"main.tf": ECS.format(count="desired_count = 2", net="subnets = module.vpc.private_subnets")}, Status.FAIL,
     "could not be confirmed"),
    # an Application Auto Scaling target's floor is what runs, whatever desired_count says
    ({"main.tf": ECS.format(count="desired_count = 1", net='subnets = ["a", "b"]') + SCALER.format(min=2)},
     Status.PASS, "aws_appautoscaling_target.api min_capacity 2, desired count 2 (main.tf:12)"),
    ({"main.tf": SCALER.format(min=1) + ECS.format(count="desired_count = 4", net='subnets = ["a", "b"]')},
     Status.FAIL, "desired_count 1 (network_configuration.subnets lists 2; aws_appautoscaling_target.api "
                  "min_capacity 1) (main.tf:5)"),
    ({"main.tf": ECS.format(count="desired_count = 1", net='subnets = ["a", "b"]')
      + SCALER.format(min=3).replace("ecs:service:DesiredCount", "dynamodb:table:ReadCapacityUnits")},
     Status.FAIL, "desired_count 1"),  # a target of something else
    ({"main.tf": ECS.format(count='scheduling_strategy = "DAEMON"', net='subnets = ["a"]')}, Status.NOT_APPLICABLE,
     "no deploy configuration"),
    ({"template.yaml": "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MultiAZ: false\n"},
     Status.FAIL, "MultiAZ: False"),
    ({"README.md": "# replicas: 3 topology.kubernetes.io/zone\n"}, Status.NOT_APPLICABLE, "no deploy configuration"),
    ({"docker-compose.yml": "services:\n  api:\n    image: x\n    deploy: {replicas: 3}\n"}, Status.NOT_APPLICABLE,
     "no deploy configuration"),
])
def test_verdicts(make_repo, files, status, text) -> None:
    finding = check(make_context(make_repo(files)))
    assert finding.status is status and text in finding.message, finding.message


def test_host_spread_fails_when_zones_are_required(make_repo) -> None:
    finding = check(make_context(make_repo({"api.yaml": deployment(spread="host")}),
                                 options={"require_zone_spread": True}))
    assert finding.status is Status.FAIL and "no zone-level topologySpreadConstraints" in finding.message


def test_monorepo_attribution(make_repo) -> None:
    root = make_repo({"services/api/k8s.yaml": deployment("api"),
                      "services/web/k8s.yaml": deployment("web", replicas="replicas: 1")})
    scopes = [Scope("services/api", "api"), Scope("services/web", "web"), Scope("services/batch", "batch")]
    verdicts = {s.name: check(make_context(root, scope=s, scopes=scopes)).status for s in scopes}
    assert verdicts == {"api": Status.PASS, "web": Status.FAIL, "batch": Status.NOT_APPLICABLE}
