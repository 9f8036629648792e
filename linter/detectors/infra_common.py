"""Shared vocabulary and fact types of the infrastructure detectors.

Kubernetes, Terraform, CloudFormation and Compose describe the same things in different
shapes: a database that is or is not spread over zones, a group of machines, a scaling
setting, a self-run datastore, a resource with tags, a service reading a database. The
format readers (``infra_k8s``, ``infra_terraform``, ``infra_cloudformation``,
``infra_compose``) turn each shape into these common, typed, sortable facts so the rules do
not care where a fact came from.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from linter.fast_dataclass import dataclass

# ----------------------------------------------------------------------------- facts


@dataclass(frozen=True, order=True)
class TaggedResource:
    """A cost-bearing, taggable resource and the tag keys it carries (normalised).

    ``resolved`` is False when the tags come from an expression the reader cannot follow
    (``var.tags``, ``merge(module.x.tags, ...)``); ``keys`` then holds only what was read.
    """

    path: str
    line: int
    source: str  # terraform | cloudformation | kubernetes
    kind: str  # aws_instance, AWS::EC2::Instance, Deployment
    name: str
    keys: tuple[str, ...]
    resolved: bool = True


@dataclass(frozen=True, order=True)
class Database:
    """A managed database instance/cluster and whether it spans zones (None: not stated)."""

    path: str
    line: int
    source: str
    kind: str
    name: str
    multi_zone: bool | None
    detail: str


@dataclass(frozen=True, order=True)
class InstanceGroup:
    """An auto-scaling group: how many zones/subnets it spans and its minimum size."""

    path: str
    line: int
    source: str
    kind: str
    name: str
    zones: int | None  # None: zones/subnets come from an expression that was not counted
    min_size: int | None
    max_size: int | None
    detail: str


@dataclass(frozen=True, order=True)
class ScalingSetting:
    """Something that sizes one workload for its own load: HPA, ScaledObject, concurrency..."""

    path: str
    line: int
    source: str
    kind: str
    name: str
    target: str  # the workload it scales, as named in the file ("" when not stated)
    detail: str


@dataclass(frozen=True, order=True)
class DeployUnit:
    """A deployable piece of a service: a workload, function, group or container service."""

    path: str
    line: int
    source: str
    kind: str
    name: str


@dataclass(frozen=True, order=True)
class SelfRunDatastore:
    """A database, queue or cache the team runs itself (VM, StatefulSet, operator, Swarm)."""

    path: str
    line: int
    source: str
    kind: str
    name: str
    engine: str
    detail: str

    @property
    def managed_alternative(self) -> str:
        return MANAGED_ALTERNATIVES.get(self.engine, "a managed service")


@dataclass(frozen=True)
class IacFacts:
    """What one infrastructure-as-code format (Terraform, CloudFormation) declares."""

    files: tuple[str, ...] = ()
    resource_count: int = 0
    tagged: tuple[TaggedResource, ...] = ()
    databases: tuple[Database, ...] = ()
    instance_groups: tuple[InstanceGroup, ...] = ()
    scaling: tuple[ScalingSetting, ...] = ()
    deploy_units: tuple[DeployUnit, ...] = ()
    self_run: tuple[SelfRunDatastore, ...] = ()
    #: files of the format that could not be read or parsed (their facts are unknown)
    unusable: tuple[str, ...] = ()


class IacCollector:
    """Accumulates the facts of one IaC format while its files are read, then sorts them."""

    def __init__(self) -> None:
        self.count = 0
        self.tagged: list[TaggedResource] = []
        self.databases: list[Database] = []
        self.groups: list[InstanceGroup] = []
        self.scaling: list[ScalingSetting] = []
        self.deploy: list[DeployUnit] = []
        self.self_run: list[SelfRunDatastore] = []

    def facts(self, files: tuple[str, ...], unusable: tuple[str, ...] = ()) -> IacFacts:
        return IacFacts(
            files=files, unusable=unusable, resource_count=self.count, tagged=tuple(sorted(self.tagged)),
            databases=tuple(sorted(self.databases)), instance_groups=tuple(sorted(self.groups)),
            scaling=tuple(sorted(self.scaling)), deploy_units=tuple(sorted(self.deploy)),
            self_run=tuple(sorted(self.self_run)),
        )


@dataclass(frozen=True, order=True)
class DataUse:
    """Service ``service`` reads datastore ``datastore`` (``database`` when named).

    ``group`` keeps uses comparable only within one deployment description (one Compose
    project, one Kubernetes namespace).
    """

    group: str
    datastore: str
    service: str
    database: str
    path: str
    line: int
    via: str


# ----------------------------------------------------------------------------- engines

#: Engine -> category (database, cache, queue, search, storage).
ENGINES: dict[str, str] = {
    "postgres": "database", "postgresql": "database", "postgis": "database", "timescaledb": "database",
    "mysql": "database", "mariadb": "database", "percona": "database", "mongo": "database",
    "mongodb": "database", "cassandra": "database", "scylla": "database", "couchdb": "database",
    "cockroach": "database", "cockroachdb": "database", "mssql": "database", "neo4j": "database",
    "influxdb": "database", "clickhouse": "database", "oracle": "database",
    "redis": "cache", "valkey": "cache", "keydb": "cache", "memcached": "cache",
    "rabbitmq": "queue", "kafka": "queue", "zookeeper": "queue", "activemq": "queue",
    "nats": "queue", "pulsar": "queue",
    "elasticsearch": "search", "opensearch": "search", "solr": "search",
    "minio": "storage",
}

_ENGINE_CANONICAL = {"postgresql": "postgres", "postgis": "postgres", "timescaledb": "postgres",
                     "mongodb": "mongo", "cockroachdb": "cockroach", "percona": "mysql", "scylla": "cassandra",
                     "keydb": "redis", "valkey": "redis"}

MANAGED_ALTERNATIVES: dict[str, str] = {
    "postgres": "Amazon RDS/Aurora PostgreSQL, Cloud SQL or Azure Database for PostgreSQL",
    "mysql": "Amazon RDS/Aurora MySQL, Cloud SQL or Azure Database for MySQL",
    "mariadb": "Amazon RDS for MariaDB or Azure Database for MariaDB",
    "mongo": "Amazon DocumentDB, MongoDB Atlas or Azure Cosmos DB",
    "cassandra": "Amazon Keyspaces or Azure Managed Instance for Apache Cassandra",
    "couchdb": "DynamoDB, Firestore or Cosmos DB",
    "cockroach": "CockroachDB Cloud",
    "mssql": "Amazon RDS for SQL Server or Azure SQL",
    "neo4j": "Amazon Neptune or Neo4j Aura",
    "influxdb": "Amazon Timestream or InfluxDB Cloud",
    "clickhouse": "ClickHouse Cloud",
    "oracle": "Amazon RDS for Oracle",
    "redis": "Amazon ElastiCache/MemoryDB, Memorystore or Azure Cache for Redis",
    "memcached": "Amazon ElastiCache for Memcached or Memorystore for Memcached",
    "rabbitmq": "Amazon MQ, SQS/SNS, Pub/Sub or Azure Service Bus",
    "activemq": "Amazon MQ, SQS/SNS or Azure Service Bus",
    "kafka": "Amazon MSK, Confluent Cloud or Azure Event Hubs",
    "zookeeper": "Amazon MSK or Confluent Cloud (no ZooKeeper to run)",
    "nats": "SQS/SNS, Pub/Sub or Azure Service Bus",
    "pulsar": "a managed Pulsar (StreamNative) or Pub/Sub",
    "elasticsearch": "Amazon OpenSearch Service or Elastic Cloud",
    "opensearch": "Amazon OpenSearch Service",
    "solr": "Amazon OpenSearch Service or Elastic Cloud",
    "minio": "Amazon S3, Google Cloud Storage or Azure Blob Storage",
}

#: Image name parts that mark a companion tool rather than the datastore itself.
_TOOL_PARTS = frozenset({
    "exporter", "operator", "ui", "admin", "commander", "insight", "cli", "client", "proxy",
    "bouncer", "pgbouncer", "connect", "rest", "registry", "manager", "dashboard", "web", "gui",
    "backup", "metrics", "sidecar", "tools", "express", "adminer", "pgadmin", "pgadmin4",
    "phpmyadmin", "exporter", "agent", "init", "migrate", "migrations", "flyway", "liquibase",
    "kowl", "akhq", "console", "mirrormaker", "ksqldb", "schema",
})


def image_engine(image: object) -> str | None:
    """The datastore an image runs (``bitnami/postgresql:16`` -> ``postgres``), else ``None``.

    Only the repository's last path segment is judged, split on ``-``/``_``; companion
    tools (exporters, operators, admin UIs, poolers, migration runners) are not datastores.
    """
    if not isinstance(image, str) or not image.strip():
        return None
    ref = image.strip().lower().split("@", 1)[0]
    segments = ref.split("/")
    last = segments[-1].split(":", 1)[0]
    if len(segments) >= 2 and segments[-2] == "mssql" and last == "server":
        return "mssql"
    parts = [p for p in re.split(r"[-_.]", last) if p]
    if not parts or any(p in _TOOL_PARTS for p in parts):
        return None
    if parts[0] == "cp" and len(parts) > 1:  # Confluent platform images: cp-kafka, cp-zookeeper
        parts = parts[1:]
    head = parts[0]
    if head == "mssql":
        return "mssql"
    if head in ENGINES:
        return _ENGINE_CANONICAL.get(head, head)
    return None


def engine_category(engine: str) -> str:
    return ENGINES.get(engine, "database")


# ----------------------------------------------------------------------------- tags


def normalise_tag_key(key: object) -> str:
    """``CostCenter``, ``cost-center``, ``cost_centre``, ``acme.com/cost-center`` -> ``costcenter``.

    Prefixes before the last ``/`` or ``:`` (label domains, AWS tag namespaces) are dropped,
    then case and punctuation; British ``centre`` reads as ``center``.
    """
    text = str(key).strip().lower()
    text = re.split(r"[/:]", text)[-1]
    text = re.sub(r"[^a-z0-9]", "", text)
    return text.replace("centre", "center")


# ----------------------------------------------------------------------------- data use

DB_URL_SCHEMES = frozenset({
    "postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "sqlserver", "mssql",
    "cockroachdb", "oracle", "postgresql+asyncpg", "postgresql+psycopg2", "postgresql+psycopg",
    "mysql+pymysql", "mysql+mysqldb", "mysql+aiomysql", "cassandra", "neo4j", "bolt", "clickhouse",
})
_HOST_VAR = re.compile(
    r"^(?:[A-Z0-9]+_)*(?:DB|DATABASE|PG|POSTGRES|POSTGRESQL|MYSQL|MARIADB|MONGO|MONGODB|SQL)_?"
    r"(?:HOST|HOSTNAME|SERVER|ADDR|ADDRESS)$"
)
_NAME_VAR = re.compile(
    r"^(?:[A-Z0-9]+_)*(?:DB|DATABASE|PG|POSTGRES|POSTGRESQL|MYSQL|MARIADB|MONGO|MONGODB)_?"
    r"(?:NAME|DATABASE|DB|DBNAME)$"
)
_URL_VAR = re.compile(r"(?:DATABASE|DB|DSN|POSTGRES|PG|MYSQL|MONGO|JDBC|DATASOURCE|CONNECTION)", re.I)
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", "host.docker.internal"})


@dataclass(frozen=True)
class DbPointer:
    host: str
    database: str


def db_pointer_from_value(value: object) -> DbPointer | None:
    """Host and database of a connection URL (``postgres://u:p@db:5432/orders``, JDBC too)."""
    if not isinstance(value, str) or "://" not in value or len(value) > 2000:
        return None
    text = value.strip()
    if text.lower().startswith("jdbc:"):
        text = text[5:]
    scheme = text.split("://", 1)[0].lower()
    if scheme not in DB_URL_SCHEMES:
        return None
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    host = first_host(host)
    if not host or host in _LOCAL_HOSTS or "$" in host or "{" in host:
        return None
    database = parts.path.strip("/").split("/", 1)[0].split(";", 1)[0]
    return DbPointer(host, "" if "$" in database or "{" in database else database)


def first_host(host: str) -> str:
    """Cluster-local DNS names name the same Service as their short form."""
    host = host.split(",", 1)[0].strip().lower()
    for suffix in (".svc.cluster.local", ".svc"):
        if host.endswith(suffix):
            return host[: -len(suffix)].split(".", 1)[0]
    return host


def is_host_var(name: str) -> bool:
    return bool(_HOST_VAR.match(name.upper()))


def is_db_name_var(name: str) -> bool:
    return bool(_NAME_VAR.match(name.upper())) or name.upper() in {"PGDATABASE", "POSTGRES_DB", "MYSQL_DATABASE"}


def is_connection_var(name: str) -> bool:
    """A variable whose secret likely holds a database connection (``DATABASE_URL``...)."""
    return bool(_URL_VAR.search(name)) and not name.upper().endswith(("_USER", "_USERNAME", "_PORT"))


def plain_host(value: object) -> str | None:
    """A bare host name value (``db``, ``${DB_HOST:-db}``), or ``None`` for local/templated ones."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = re.fullmatch(r"\$\{[A-Za-z0-9_]+:?-([^}]*)\}", text)
    if match:
        text = match.group(1)
    if not text or len(text) > 253 or any(c in text for c in "${} /"):
        return None
    host = first_host(text.split(":", 1)[0])
    return None if host in _LOCAL_HOSTS else host


_COMPANION_NAME = re.compile(r"migrat|flyway|liquibase|seed|backup|admin|exporter|init", re.I)


def is_companion(name: object, image: object) -> bool:
    """A migration runner, seeder, admin UI or exporter: it touches a database on its owner's behalf."""
    if isinstance(name, str) and _COMPANION_NAME.search(name):
        return True
    if isinstance(image, str) and image.strip():
        last = image.strip().lower().split("@", 1)[0].split("/")[-1].split(":", 1)[0]
        return any(p in _TOOL_PARTS for p in re.split(r"[-_.]", last) if p)
    return False
