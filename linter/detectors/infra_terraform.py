"""Terraform (``*.tf``): tags, multi-zone databases, scaling groups, scaling settings, VMs.

Files are read with the structural HCL reader in ``linter.detectors.hcl``; nothing is
evaluated. Tag maps are followed through ``local.x``, ``var.x`` defaults and ``merge(...)``
within the same module folder; anything else is reported as unresolved rather than guessed.
An AWS provider's ``default_tags`` (Google: ``default_labels``) cover the resources of its
folder; a folder without a provider block (a child module) inherits the tag keys that every
provider configuration of the repository sets.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from linter.detectors import hcl
from linter.detectors.infra_common import (
    Database, DeployUnit, IacCollector, IacFacts, InstanceGroup, ScalingSetting, SelfRunDatastore, TaggedResource,
    image_engine, normalise_tag_key,
)
from linter.fast_dataclass import dataclass, field
from linter.repo.workspace import Workspace
from linter.repo.folders import outside_docs_and_tests

#: Cost-bearing resource types that accept tags/labels; others count only when they carry tags.
TAGGABLE_TYPES = frozenset({
    "aws_instance", "aws_db_instance", "aws_rds_cluster", "aws_s3_bucket", "aws_lambda_function",
    "aws_ecs_service", "aws_ecs_cluster", "aws_eks_cluster", "aws_eks_node_group", "aws_autoscaling_group",
    "aws_launch_template", "aws_elasticache_cluster", "aws_elasticache_replication_group", "aws_dynamodb_table",
    "aws_sqs_queue", "aws_sns_topic", "aws_lb", "aws_alb", "aws_nat_gateway", "aws_ebs_volume",
    "aws_efs_file_system", "aws_kinesis_stream", "aws_msk_cluster", "aws_opensearch_domain",
    "aws_elasticsearch_domain", "aws_redshift_cluster", "aws_cloudfront_distribution", "aws_eip",
    "aws_api_gateway_rest_api", "aws_apigatewayv2_api", "aws_ecr_repository", "aws_emr_cluster",
    "aws_mq_broker", "aws_docdb_cluster", "aws_neptune_cluster", "aws_sfn_state_machine",
    "aws_cloudwatch_log_group", "aws_kms_key", "aws_secretsmanager_secret", "aws_vpc",
    "google_compute_instance", "google_storage_bucket", "google_sql_database_instance",
    "google_container_cluster", "google_container_node_pool", "google_bigquery_dataset",
    "google_pubsub_topic", "google_redis_instance", "google_cloud_run_v2_service",
    "google_cloudfunctions2_function", "google_cloudfunctions_function", "google_compute_disk",
    "azurerm_resource_group", "azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine",
    "azurerm_virtual_machine", "azurerm_kubernetes_cluster", "azurerm_storage_account",
    "azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server", "azurerm_mssql_server",
    "azurerm_cosmosdb_account", "azurerm_redis_cache", "azurerm_service_plan", "azurerm_linux_web_app",
    "azurerm_container_app", "azurerm_servicebus_namespace", "azurerm_key_vault", "azurerm_container_registry",
})
#: Where a resource type keeps its tags when not in ``tags`` (AWS/Azure) or ``labels`` (Google).
_TAG_ATTRIBUTE = {"google_container_cluster": "resource_labels"}
DEPLOY_TYPES = frozenset({
    "aws_lambda_function", "aws_autoscaling_group", "aws_ecs_service", "aws_instance", "aws_apprunner_service",
    "google_cloud_run_service", "google_cloud_run_v2_service", "google_cloudfunctions_function",
    "google_cloudfunctions2_function", "google_compute_instance", "azurerm_linux_web_app",
    "azurerm_container_app", "azurerm_linux_function_app", "azurerm_linux_virtual_machine",
})
_VM_SCRIPT_ATTRIBUTES = {
    "aws_instance": ("user_data", "user_data_base64"),
    "aws_launch_template": ("user_data",),
    "google_compute_instance": ("metadata_startup_script",),
    "azurerm_linux_virtual_machine": ("custom_data", "user_data"),
}
_INSTALL = re.compile(
    r"\b(?:apt-get|apt|yum|dnf|apk|zypper|snap|amazon-linux-extras)\b[^\n]{0,200}?\b(?:install|add)\b"
    r"[^\n]{0,200}?\b(postgresql|postgres|mysql-server|mysql|mariadb-server|mariadb|mongodb-org|mongodb|"
    r"redis-server|redis|valkey|rabbitmq-server|memcached|elasticsearch|opensearch|kafka|cassandra)\b"
)
_INSTALL_ENGINE = {"postgresql": "postgres", "mysql-server": "mysql", "mariadb-server": "mariadb",
                   "mongodb-org": "mongo", "mongodb": "mongo", "redis-server": "redis", "valkey": "redis",
                   "rabbitmq-server": "rabbitmq"}
MAX_TF_FILES = 5000


TerraformFacts = IacFacts  # the shared shape of IaC facts (see infra_common)


@dataclass
class _Module:
    """What one folder declares that resources may refer to."""

    locals: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)
    provider_tags: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)  # (provider, alias)
    provider_blocks: list[tuple[str, str, hcl.Block]] = field(default_factory=list)
    resources: list[tuple[str, hcl.Block]] = field(default_factory=list)


def _dir(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else "."


def detect(ws: Workspace) -> TerraformFacts:
    files = ws.bounded(outside_docs_and_tests(hcl.terraform_files(ws)), MAX_TF_FILES, "Terraform files")
    modules: dict[str, _Module] = {}
    read: list[str] = []
    for path in files:
        root = hcl.parsed(ws, path)
        if root is None:
            continue
        read.append(path)
        module = modules.setdefault(_dir(path), _Module())
        _collect(path, root, module)
    for module in modules.values():  # after every file: locals may follow the provider block
        for provider, alias, block in module.provider_blocks:
            keys = _provider_tag_keys(block, module)
            module.provider_tags[(provider, alias)] = module.provider_tags.get((provider, alias), frozenset()) | keys
    inherited = _inherited_provider_tags(modules)
    out = _Collector(ws)
    for directory, module in sorted(modules.items()):
        for path, block in module.resources:
            out.resource(path, block, module, inherited, modules, directory)
    return out.facts(tuple(sorted(read)), tuple(sorted(set(files) - set(read))))


def _collect(path: str, root: hcl.Block, module: _Module) -> None:
    for block in root.blocks:
        if block.type == "locals":
            for key, value in block.attributes.items():
                module.locals.setdefault(key, value)
        elif block.type == "variable" and block.labels:
            module.variables.setdefault(block.labels[0], block.attributes.get("default"))
        elif block.type == "provider" and block.labels and block.labels[0] in ("aws", "google", "google-beta"):
            provider = "google" if block.labels[0].startswith("google") else "aws"
            alias = block.attributes.get("alias")
            alias = alias if isinstance(alias, str) else ""
            module.provider_blocks.append((provider, alias, block))
        elif block.type == "resource" and len(block.labels) >= 2:
            module.resources.append((path, block))


def _provider_tag_keys(block: hcl.Block, module: _Module) -> frozenset[str]:
    if block.labels[0] == "aws":
        default_tags = block.child("default_tags")
        value = default_tags.attributes.get("tags") if default_tags else None
    else:
        value = block.attributes.get("default_labels")
    keys, _ = resolve_keys(value, module)
    return frozenset(keys)


def _inherited_provider_tags(modules: dict[str, _Module]) -> dict[str, frozenset[str]]:
    """Per provider, the keys every configuration of it in the repository sets (child modules)."""
    result: dict[str, frozenset[str]] = {}
    for module in modules.values():
        for (provider, _alias), keys in module.provider_tags.items():
            result[provider] = keys if provider not in result else result[provider] & keys
    return result


def resolve_keys(value: Any, module: _Module, depth: int = 0) -> tuple[set[str], bool]:
    """Normalised keys of a tag map expression and whether it was fully resolved."""
    if depth > 8 or value is None:
        return set(), value is None
    if isinstance(value, dict):
        return {normalise_tag_key(k.strip('"')) for k in value}, True
    if isinstance(value, hcl.Ref):
        text = value.text.replace(" ", "")
        if text.startswith("local.") and text[6:] in module.locals:
            return resolve_keys(module.locals[text[6:]], module, depth + 1)
        if text.startswith("var.") and isinstance(module.variables.get(text[4:]), dict):
            return resolve_keys(module.variables[text[4:]], module, depth + 1)
        return set(), False
    if isinstance(value, hcl.Call) and value.name == "merge":
        keys: set[str] = set()
        resolved = True
        for arg in value.args:
            more, ok = resolve_keys(arg, module, depth + 1)
            keys |= more
            resolved = resolved and ok
        return keys, resolved
    return set(), False


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class _Collector(IacCollector):
    """Turns resource blocks into the common facts, one resource type at a time."""

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        #: ECS services by (folder, resource name): the group, with its zones' detail, and what
        #: its desired count adds to it; and the autoscaling minimum set for each. The groups are
        #: made once every block is read (the target may come first).
        self.ecs: dict[tuple[str, str], tuple[InstanceGroup, str]] = {}
        self.ecs_minimum: dict[tuple[str, str], tuple[Any, str, int, str]] = {}

    def facts(self, files: tuple[str, ...], unusable: tuple[str, ...] = ()) -> Any:
        for key, (group, count_note) in sorted(self.ecs.items()):
            minimum = self.ecs_minimum.get(key)
            if minimum is None:
                group = dataclasses.replace(group, detail=group.detail + count_note)
            else:  # the autoscaler's floor is what runs, whatever desired_count says
                value, path, line, address = minimum
                group = dataclasses.replace(group, path=path, line=line, min_size=_int(value),
                                            detail=f"{group.detail}; {address} min_capacity {_show(value)}")
            self.groups.append(group)
        return super().facts(files, unusable)

    def resource(self, path: str, block: hcl.Block, module: _Module, inherited: dict[str, frozenset[str]],
                 modules: dict[str, _Module], directory: str) -> None:
        self.count += 1
        rtype, name = block.labels[0], block.labels[1]
        address = f"{rtype}.{name}"
        self._tags(path, block, module, inherited, rtype, address)
        if rtype in DEPLOY_TYPES:
            self.deploy.append(DeployUnit(path, block.line, "terraform", rtype, name))
        handler = getattr(self, "_" + rtype, None)
        if handler is not None:
            handler(path, block, address, module)
        if rtype in _VM_SCRIPT_ATTRIBUTES:
            self._vm(path, block, rtype, address, directory)

    # -------------------------------------------------------------- tags
    def _tags(self, path: str, block: hcl.Block, module: _Module, inherited: dict[str, frozenset[str]],
              rtype: str, address: str) -> None:
        provider = rtype.split("_", 1)[0]
        if provider not in ("aws", "google", "azurerm"):
            return
        attribute = _TAG_ATTRIBUTE.get(rtype, "labels" if provider == "google" else "tags")
        value = block.attributes.get(attribute)
        if rtype == "google_sql_database_instance":
            settings = block.child("settings")
            value = settings.attributes.get("user_labels") if settings else None
        keys, resolved = resolve_keys(value, module)
        if rtype == "aws_autoscaling_group":
            for tag in block.children("tag"):
                if isinstance(tag.attributes.get("key"), str):
                    keys.add(normalise_tag_key(tag.attributes["key"]))
            if block.children("dynamic"):
                resolved = False
        if rtype not in TAGGABLE_TYPES and value is None and not keys:
            return
        keys |= self._provider_keys(block, module, inherited, provider)
        self.tagged.append(TaggedResource(path, block.line, "terraform", rtype, address,
                                          tuple(sorted(keys)), resolved))

    @staticmethod
    def _provider_keys(block: hcl.Block, module: _Module, inherited: dict[str, frozenset[str]],
                       provider: str) -> frozenset[str]:
        if provider == "azurerm":
            return frozenset()
        reference = block.attributes.get("provider")
        alias = ""
        if isinstance(reference, hcl.Ref) and "." in reference.text:
            alias = reference.text.split(".", 1)[1].strip()
        if any(p == provider for p, _ in module.provider_tags):
            return module.provider_tags.get((provider, alias), frozenset())
        return inherited.get(provider, frozenset())

    # -------------------------------------------------------------- databases
    def _aws_db_instance(self, path: str, block: hcl.Block, address: str, module: _Module) -> None:
        if "replicate_source_db" in block.attributes:
            return
        value = block.attributes.get("multi_az", False)
        multi = value if isinstance(value, bool) else None
        line = block.line_of("multi_az")
        detail = {True: "multi_az = true", False: "multi_az is not set" if "multi_az" not in block.attributes
                  else "multi_az = false", None: "multi_az comes from an expression"}[multi]
        self.databases.append(Database(path, line, "terraform", "aws_db_instance", address, multi, detail))

    def _aws_rds_cluster(self, path: str, block: hcl.Block, address: str, module: _Module) -> None:
        zones = block.attributes.get("availability_zones")
        if isinstance(zones, list) and len(zones) >= 2:
            self.databases.append(Database(path, block.line_of("availability_zones"), "terraform",
                                           "aws_rds_cluster", address, True,
                                           f"availability_zones lists {len(zones)} zones"))
            return
        instances = _cluster_instances(module, block.labels[1])
        multi = None if instances is None else instances >= 2
        detail = ("cluster instances are not counted from a literal" if instances is None
                  else f"{instances} aws_rds_cluster_instance{'s' if instances != 1 else ''} in the cluster")
        self.databases.append(Database(path, block.line, "terraform", "aws_rds_cluster", address, multi, detail))

    def _google_sql_database_instance(self, path: str, block: hcl.Block, address: str, module: _Module) -> None:
        settings = block.child("settings")
        value = settings.attributes.get("availability_type") if settings else None
        line = settings.line_of("availability_type") if settings else block.line
        multi = value == "REGIONAL" if isinstance(value, str) or value is None else None
        detail = f"availability_type = {value}" if value is not None else "availability_type not set (ZONAL)"
        self.databases.append(Database(path, line, "terraform", block.labels[0], address, multi, detail))

    def _azure_flexible(self, path: str, block: hcl.Block, address: str, module: _Module) -> None:
        ha = block.child("high_availability")
        mode = ha.attributes.get("mode") if ha else None
        multi = mode == "ZoneRedundant" if isinstance(mode, str) or mode is None else None
        detail = f"high_availability mode = {mode}" if ha else "no high_availability block"
        self.databases.append(Database(path, ha.line if ha else block.line, "terraform", block.labels[0],
                                       address, multi, detail))

    _azurerm_postgresql_flexible_server = _azure_flexible
    _azurerm_mysql_flexible_server = _azure_flexible

    # -------------------------------------------------------------- scaling
    def _aws_autoscaling_group(self, path: str, block: hcl.Block, address: str, module: _Module) -> None:
        zones: int | None = None
        detail = "no availability_zones or vpc_zone_identifier"
        for attribute in ("availability_zones", "vpc_zone_identifier"):
            value = block.attributes.get(attribute)
            if isinstance(value, list):
                zones, detail = len(value), f"{attribute} lists {len(value)}"
                break
            if value is not None:
                zones, detail = None, f"{attribute} comes from an expression"
                break
        else:
            zones = 1
        min_size, max_size = _int(block.attributes.get("min_size")), _int(block.attributes.get("max_size"))
        self.groups.append(InstanceGroup(path, block.line, "terraform", "aws_autoscaling_group", address,
                                         zones, min_size, max_size, detail))
        self.scaling.append(ScalingSetting(path, block.line_of("min_size"), "terraform", "aws_autoscaling_group",
                                           address, block.labels[1],
                                           f"min_size {_show(block.attributes.get('min_size'))}, "
                                           f"max_size {_show(block.attributes.get('max_size'))}"))

    def _aws_ecs_service(self, path: str, block: hcl.Block, address: str, module: _Module) -> None:
        """An ECS service runs ``desired_count`` tasks (the provider's default is 0), and the
        service scheduler spreads a service's tasks across the Availability Zones it may use:
        with ``awsvpc`` networking, those of ``network_configuration.subnets``. A ``DAEMON``
        service runs one task per container instance and is not judged; without
        ``network_configuration`` the zones are the cluster's instances', not known here."""
        if str(block.attributes.get("scheduling_strategy", "REPLICA")).upper() == "DAEMON":
            return
        network = block.child("network_configuration")
        subnets = network.attributes.get("subnets") if network is not None else None
        if isinstance(subnets, list):
            zones, detail = len(subnets), f"network_configuration.subnets lists {len(subnets)}"
        elif subnets is not None:
            zones, detail = None, "network_configuration.subnets comes from an expression"
        else:
            zones, detail = None, "no network_configuration subnets (tasks go where the cluster's instances are)"
        if "desired_count" in block.attributes:
            count, line, note = _int(block.attributes["desired_count"]), block.line_of("desired_count"), ""
        else:
            count, line, note = 0, block.line, "; desired_count not set (the provider's default is 0)"
        group = InstanceGroup(path, line, "terraform", "aws_ecs_service", address, zones, count, None, detail)
        self.ecs[(_dir(path), block.labels[1])] = (group, note)

    def _aws_appautoscaling_target(self, path: str, block: hcl.Block, address: str, module: _Module) -> None:
        resource_id = block.attributes.get("resource_id")
        target = _target_name(resource_id)
        service = _ECS_SERVICE_REFERENCE.search(_show(resource_id))
        if service is not None and _show(block.attributes.get("scalable_dimension")) == "ecs:service:DesiredCount":
            self.ecs_minimum[(_dir(path), service.group(1))] = (block.attributes.get("min_capacity"), path,
                                                                block.line_of("min_capacity"), address)
        self.scaling.append(ScalingSetting(
            path, block.line, "terraform", "aws_appautoscaling_target", address, target,
            f"min_capacity {_show(block.attributes.get('min_capacity'))}, "
            f"max_capacity {_show(block.attributes.get('max_capacity'))}"))

    def _aws_lambda_function(self, path: str, block: hcl.Block, address: str, module: _Module) -> None:
        value = block.attributes.get("reserved_concurrent_executions")
        if value is None or value == -1:
            return
        self.scaling.append(ScalingSetting(path, block.line_of("reserved_concurrent_executions"), "terraform",
                                           "aws_lambda_function", address, block.labels[1],
                                           f"reserved_concurrent_executions = {_show(value)}"))

    def _aws_lambda_provisioned_concurrency_config(self, path: str, block: hcl.Block, address: str,
                                                   module: _Module) -> None:
        target = _target_name(block.attributes.get("function_name"))
        self.scaling.append(ScalingSetting(
            path, block.line, "terraform", "aws_lambda_provisioned_concurrency_config", address, target,
            f"provisioned_concurrent_executions = "
            f"{_show(block.attributes.get('provisioned_concurrent_executions'))}"))

    def _google_cloud_run_v2_service(self, path: str, block: hcl.Block, address: str, module: _Module) -> None:
        template = block.child("template")
        scaling = template.child("scaling") if template else None
        if scaling is None:
            return
        self.scaling.append(ScalingSetting(
            path, scaling.line, "terraform", "google_cloud_run_v2_service", address, block.labels[1],
            f"min_instance_count {_show(scaling.attributes.get('min_instance_count'))}, "
            f"max_instance_count {_show(scaling.attributes.get('max_instance_count'))}"))

    def _azurerm_monitor_autoscale_setting(self, path: str, block: hcl.Block, address: str,
                                           module: _Module) -> None:
        target = _target_name(block.attributes.get("target_resource_id"))
        self.scaling.append(ScalingSetting(path, block.line, "terraform", "azurerm_monitor_autoscale_setting",
                                           address, target, "autoscale profile"))

    # -------------------------------------------------------------- self-run datastores
    def _vm(self, path: str, block: hcl.Block, rtype: str, address: str, directory: str) -> None:
        for attribute in _VM_SCRIPT_ATTRIBUTES[rtype]:
            value = block.attributes.get(attribute)
            if value is None:
                continue
            script = _script_text(self.ws, value, directory)
            engine = script_engine(script)
            if engine:
                self.self_run.append(SelfRunDatastore(
                    path, block.line_of(attribute), "terraform", rtype, address, engine,
                    f"{attribute} installs or runs {engine}"))
                return


def _cluster_instances(module: _Module, cluster: str) -> int | None:
    total = 0
    for _path, block in module.resources:
        if block.labels[0] != "aws_rds_cluster_instance":
            continue
        reference = block.attributes.get("cluster_identifier")
        if isinstance(reference, hcl.Ref) and reference.text.replace(" ", "").startswith(
                f"aws_rds_cluster.{cluster}."):
            count = block.attributes.get("count", 1)
            if not isinstance(count, int) or isinstance(count, bool):
                return None
            total += count
    return total or None


def _show(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, (hcl.Ref, hcl.Expr)):
        return value.text
    if isinstance(value, hcl.Call):
        return f"{value.name}(...)"
    return str(value)


#: ``service/${aws_ecs_cluster.main.name}/${aws_ecs_service.api.name}``: the ECS service an
#: Application Auto Scaling target scales (its ``resource_id``).
_ECS_SERVICE_REFERENCE = re.compile(r"\baws_ecs_service\.([A-Za-z_][A-Za-z0-9_-]{0,200})\.")


def _target_name(value: Any) -> str:
    """``service/cluster/orders`` or ``aws_lambda_function.orders.function_name`` -> ``orders``."""
    if isinstance(value, str):
        return value.rstrip("/").rsplit("/", 1)[-1].split("${", 1)[0]
    if isinstance(value, hcl.Ref):
        parts = value.text.replace(" ", "").split(".")
        return parts[1] if len(parts) >= 2 else value.text
    return ""


def _script_text(ws: Workspace, value: Any, directory: str, depth: int = 0) -> str:
    """The text of a user-data script: a literal/heredoc, or a repository file it loads."""
    if depth > 4:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, hcl.Call):
        if value.name in ("file", "templatefile") and value.args and isinstance(value.args[0], str):
            rel = value.args[0].replace("${path.module}", directory).replace("${path.root}", ".")
            rel = _normalise_rel(rel if "/" in rel or directory == "." else f"{directory}/{rel}")
            if rel and ws.exists(rel):
                return ws.read_text(rel) or ""
            return ""
        return "\n".join(_script_text(ws, arg, directory, depth + 1) for arg in value.args)
    return ""


def _normalise_rel(rel: str) -> str:
    parts: list[str] = []
    for part in rel.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return ""
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def script_engine(script: str) -> str | None:
    """The datastore a provisioning script installs (package manager) or runs (``docker run``)."""
    if not script:
        return None
    script = script[:200_000]
    match = _INSTALL.search(script)
    if match:
        word = match.group(1)
        return _INSTALL_ENGINE.get(word, word)
    for line in script.splitlines():
        if "docker run" in line or "podman run" in line:
            for token in line.split("run", 1)[1].split():
                if not token.startswith("-"):
                    engine = image_engine(token)
                    if engine:
                        return engine
    return None
