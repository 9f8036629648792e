"""Does a service keep data? A small detector for datastores, and data-classification records.

SEC008 asks a service that stores data to say what customer data it holds. The detector looks
for configuration, never prose:

* Backstage ``Resource`` entities whose ``spec.type`` names a store (database, s3-bucket,
  cache, table...), reported at the Component that ``dependsOn`` them (and at their own
  file, so a resource declared in the service's folder counts too);
* docker-compose / compose services whose ``image`` is a database or cache (postgres,
  mysql, mongo, redis...), and Kubernetes workloads running such images or database
  operator resources (CloudNativePG, Zalando postgres-operator, MongoDB Community);
* Terraform ``resource`` blocks for managed stores (``aws_db_instance``,
  ``aws_dynamodb_table``, ``aws_s3_bucket``, ``google_sql_database_instance``,
  ``azurerm_*sql*``...) and CloudFormation resources of the same services;
* SQL migrations: ``db/migrate/``, Flyway ``db/migration``, Alembic and Liquibase folders;
  ``migrations/`` and ``changelog(s)/`` folders when they hold migration files (ordered
  names like ``0001_initial.py``, SQL, Alembic revisions, a Liquibase ``databaseChangeLog``),
  not a tool's own config migrations or release-note fragments; ``*.sql`` files; a Prisma
  schema.

Compose, Kubernetes and CloudFormation files under documentation or test folders (``docs/``,
``test/``...; see ``outside_docs_and_tests``) illustrate a page or serve a test: their
databases are not the service's.

Classification records are a ``data-classification.yaml``-like file that parses to a
non-empty document, or Backstage ``metadata.annotations``/``labels`` whose key names data
classification or sensitivity. Markdown sections are found by ``linter.detectors.docs``.
"""

from __future__ import annotations

import re
from typing import Any

from linter.detectors import backstage
from linter.detectors.chaos import terraform_resources
from linter.detectors import hcl
from linter.fast_dataclass import dataclass
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace
from linter.repo.folders import outside_docs_and_tests
from linter.repo.yamlio import line_of

MAX_FILES = 5_000
#: YAML: each file is read once for every detector and only parsed when it has the
#: detector's marker, so the cap only guards against pathological trees.
MAX_YAML_FILES = 100_000
MAX_ITEMS = 2_000

_STORE_TYPE = re.compile(r"data ?base|\bdb\b|rds|bucket|s3|storage|store|cache|table|warehouse|lake|sql|mongo"
                         r"|redis|elastic|opensearch|dynamo|cassandra|bigquery|spanner|firestore|cosmos",
                         re.IGNORECASE)
_STORE_IMAGE = re.compile(
    r"^(postgres|postgresql|postgis|timescaledb|mysql|mariadb|percona|mongo|mongodb|redis|redis-stack|valkey"
    r"|keydb|cassandra|scylla|elasticsearch|opensearch|dynamodb-local|minio|couchdb|couchbase|neo4j"
    r"|cockroach|clickhouse(-server)?|influxdb|arangodb|rethinkdb|oracle-?xe|db2)$",
    re.IGNORECASE)
_MSSQL = re.compile(r"mssql/server|azure-sql-edge|oracle/database|gvenzl/oracle", re.IGNORECASE)
_TF_STORE = re.compile(
    r"^(aws_(db_instance|rds_cluster|dynamodb_table|dynamodb_global_table|s3_bucket|elasticache_cluster"
    r"|elasticache_replication_group|docdb_cluster|neptune_cluster|redshift_cluster|opensearch_domain"
    r"|elasticsearch_domain|efs_file_system|keyspaces_table|timestreamwrite_table|memorydb_cluster)"
    r"|google_(sql_database_instance|bigquery_dataset|bigquery_table|storage_bucket|spanner_instance"
    r"|firestore_database|bigtable_instance|redis_instance|alloydb_cluster)"
    r"|azurerm_[a-z_]*sql[a-z_]*|azurerm_(cosmosdb_account|storage_account|redis_cache|storage_container)"
    r"|mongodbatlas_cluster|mongodbatlas_advanced_cluster|digitalocean_database_cluster)$")
_CFN_STORE = re.compile(r"^aws::(rds::db(instance|cluster)|dynamodb::(global)?table|s3::bucket|elasticache::"
                        r"(cachecluster|replicationgroup)|docdb::dbcluster|neptune::dbcluster|redshift::cluster"
                        r"|opensearchservice::domain|elasticsearch::domain|efs::filesystem|memorydb::cluster)$",
                        re.IGNORECASE)
_DB_OPERATORS = {"postgresql.cnpg.io/": "CloudNativePG", "acid.zalan.do/": "Zalando postgres-operator",
                 "mongodbcommunity.mongodb.com/": "MongoDB Community", "postgres-operator.crunchydata.com/":
                 "Crunchy Postgres", "databases.spotahome.com/": "Redis operator"}
_WORKLOAD_KINDS = frozenset({"deployment", "statefulset", "daemonset", "pod", "replicaset", "job", "cronjob"})
#: ``kind: Deployment`` (any of ``_WORKLOAD_KINDS``): without one, no Kubernetes document can
#: run a database image. "image" alone is in every CRD schema and many Helm values files.
_WORKLOAD_KIND = re.compile(r"""kind["']?[ \t]*:[ \t]*["']?(?:deployment|statefulset|daemonset|pod|replicaset|job|cronjob)\b""",
                            re.IGNORECASE)
_COMPOSE_NAME = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$", re.IGNORECASE)
#: Folder names without which ``_MIGRATION_DIR`` cannot match (``db/migrate`` ends in ``migrate``).
_MIGRATION_FOLDER_NAMES = ("migration", "migrations", "migrate", "alembic", "flyway", "liquibase", "changelog",
                           "changelogs")
_MIGRATION_DIR = re.compile(r"(?:^|/)(migrations?|db/migrate|db/migration|alembic|flyway|liquibase|changelogs?)/",
                            re.IGNORECASE)
_CLASSIFICATION_FILE = re.compile(r"^data[-_]?(classification|inventory|catalog(ue)?|sensitivity)\b", re.IGNORECASE)
_CLASSIFICATION_KEY = re.compile(r"data[-_.]?(classification|sensitivity)|classification|sensitivity|\bpii\b"
                                 r"|contains[-_]pii|personal[-_]data", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Datastore:
    """Evidence that a service keeps data: where, what kind, and which store."""

    path: str
    line: int
    kind: str  # "Backstage resource", "docker-compose", "Terraform", "CloudFormation", "Kubernetes", "SQL migrations"
    what: str
    service: str | None = None


@dataclass(frozen=True, order=True)
class ClassificationRecord:
    """A data-classification file or catalog annotation (Markdown sections come from ``docs``)."""

    path: str
    line: int
    detail: str
    service: str | None = None


@dataclass(frozen=True)
class DatastoreFacts:
    stores: tuple[Datastore, ...]
    records: tuple[ClassificationRecord, ...]


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def image_is_store(image: Any) -> bool:
    """``docker.io/library/postgres:16-alpine`` -> True; ``myorg/api:1.2`` -> False."""
    text = _str(image)
    if not text or len(text) > 300:
        return False
    if _MSSQL.search(text):
        return True
    name = text.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1].split(":", 1)[0]
    return bool(_STORE_IMAGE.match(last))


# ------------------------------------------------------------------ Backstage
def _backstage(ws: Workspace, stores: list[Datastore], records: list[ClassificationRecord]) -> None:
    catalog = ws.facts(backstage.detect)
    by_ref = catalog.by_ref()
    store_refs: dict[str, str] = {}
    for entity in catalog.of_kind("resource"):
        kind = _str(entity.spec.get("type"))
        if kind and _STORE_TYPE.search(kind):
            store_refs[entity.ref] = kind
            stores.append(Datastore(entity.path, entity.line, "Backstage resource", f"{entity.name} ({kind})"))
    for entity in catalog.entities:
        _annotation_records(entity, records)
        if entity.kind != "component":
            continue
        depends = entity.spec.get("dependsOn")
        for index, ref in enumerate(depends[:MAX_ITEMS] if isinstance(depends, list) else []):
            full = backstage.normalise_ref(ref, "resource", entity.namespace)
            if full in store_refs:
                line = line_of(depends, index, entity.spec_line("dependsOn"))
                name = by_ref[full].name if full in by_ref else full
                stores.append(Datastore(entity.path, line, "Backstage dependsOn",
                                        f"{name} ({store_refs[full]})", entity.name))


def _annotation_records(entity: backstage.Entity, records: list[ClassificationRecord]) -> None:
    for field in ("annotations", "labels"):
        values = entity.metadata.get(field)
        if not isinstance(values, dict):
            continue
        for key, value in list(values.items())[:MAX_ITEMS]:
            if isinstance(key, str) and _CLASSIFICATION_KEY.search(key) and _str(str(value) if value is not None else ""):
                line = line_of(values, key, entity.line)
                service = entity.name if entity.kind == "component" else None
                records.append(ClassificationRecord(entity.path, line, f"{field[:-1]} {key}: {value}", service))


# ------------------------------------------------------------------ YAML manifests
def _compose(path: str, data: Any, stores: list[Datastore]) -> None:
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return
    for name, service in list(services.items())[:MAX_ITEMS]:
        if isinstance(service, dict) and image_is_store(service.get("image")):
            stores.append(Datastore(path, line_of(service, "image", line_of(services, name, 0)), "docker-compose",
                                    f"service {name} runs {_str(service.get('image'))}"))


def _kubernetes(path: str, line: int, data: Any, stores: list[Datastore]) -> None:
    if not isinstance(data, dict):
        return
    api, kind = _str(data.get("apiVersion")).lower(), _str(data.get("kind"))
    for prefix, operator in _DB_OPERATORS.items():
        if api.startswith(prefix):
            stores.append(Datastore(path, line, "Kubernetes", f"{operator} {kind}"))
            return
    if kind.lower() not in _WORKLOAD_KINDS:
        return
    spec = _pod_spec(kind.lower(), data)
    containers = spec.get("containers") if isinstance(spec, dict) else None
    for container in containers[:50] if isinstance(containers, list) else []:
        if isinstance(container, dict) and image_is_store(container.get("image")):
            stores.append(Datastore(path, line_of(container, "image", line), "Kubernetes",
                                    f"{kind} runs {_str(container.get('image'))}"))


def _pod_spec(kind: str, data: dict[str, Any]) -> Any:
    """The pod spec of a workload: CronJob -> Job template -> pod template -> spec."""
    spec: Any = data.get("spec")
    if kind == "cronjob":
        spec = spec.get("jobTemplate", {}).get("spec") if isinstance(spec, dict) and isinstance(spec.get("jobTemplate"), dict) else None
    if kind != "pod":
        template = spec.get("template") if isinstance(spec, dict) else None
        spec = template.get("spec") if isinstance(template, dict) else None
    return spec


def _cloudformation(path: str, line: int, data: Any, stores: list[Datastore]) -> None:
    resources = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(resources, dict):
        return
    for logical_id, resource in list(resources.items())[:MAX_ITEMS]:
        if isinstance(resource, dict) and _CFN_STORE.match(_str(resource.get("Type"))):
            stores.append(Datastore(path, line_of(resources, logical_id, line), "CloudFormation",
                                    f"{logical_id} ({_str(resource.get('Type'))})"))


#: YAML (other than Compose files) that may declare a datastore: CloudFormation, a database
#: operator's resource, or a workload with an image.
STORE_YAML = Prefilter("datastores-yaml", lambda text: "Resources" in text or any(p in text for p in _DB_OPERATORS)
                   or ("image" in text and _WORKLOAD_KIND.search(text) is not None))


def _yaml_files(ws: Workspace, stores: list[Datastore], records: list[ClassificationRecord]) -> None:
    # a database in a manifest under docs/ or test/ illustrates a page or serves a test, as
    # for the infrastructure rules; a classification record may live anywhere
    deployed = set(outside_docs_and_tests(ws.yaml_files))
    for path in ws.bounded(list(ws.yaml_files), MAX_YAML_FILES, "YAML files"):
        base = path.rsplit("/", 1)[-1]
        if _CLASSIFICATION_FILE.match(base):
            _classification_file(ws, path, records)
            continue
        if path not in deployed:
            continue
        compose = bool(_COMPOSE_NAME.match(base))
        if (ws.read_text(path) if compose else ws.text_passing(path, STORE_YAML)) is None:
            continue
        parsed = ws.read_yaml(path)
        for doc in parsed.documents if parsed else ():
            if compose:
                _compose(path, doc.data, stores)
            else:
                _kubernetes(path, doc.line, doc.data, stores)
                _cloudformation(path, doc.line, doc.data, stores)


def _classification_file(ws: Workspace, path: str, records: list[ClassificationRecord]) -> None:
    parsed = ws.read_yaml(path)
    docs = [d for d in (parsed.documents if parsed else ()) if isinstance(d.data, (dict, list)) and d.data]
    if docs:
        records.append(ClassificationRecord(path, docs[0].line, "data classification file"))
    else:
        ws.note(path, "data classification file holds no entries; not counted")


# ------------------------------------------------------------------ Terraform and SQL
def _terraform(ws: Workspace, stores: list[Datastore]) -> None:
    for path in ws.bounded(hcl.terraform_files(ws), MAX_FILES, "Terraform files"):
        text = ws.read_text(path)
        if text is None or not any(k in text for k in ("aws_", "google_", "azurerm_", "mongodbatlas_", "digitalocean_")):
            continue
        types = {m: m for m in set(re.findall(r'resource\s+"([a-z0-9_]+)"', text[:1_000_000])) if _TF_STORE.match(m)}
        for line, kind, name, _ in terraform_resources(ws, path, types):
            stores.append(Datastore(path, line, "Terraform", f"{kind}.{name}"))


def _migrations(ws: Workspace, stores: list[Datastore]) -> None:
    """One fact per migrations folder (its first file), and ``*.sql`` / Prisma files outside them."""
    seen_dirs: set[str] = set()
    # only paths that can qualify (a folder named like a migrations tool, or ".sql"/Prisma in
    # the name), found by substring search over the whole index; checked exactly below
    candidates = {*ws.paths_in_folder_named(*_MIGRATION_FOLDER_NAMES), *ws.paths_containing(".sql", "schema.prisma")}
    for path in sorted(candidates):
        match = _MIGRATION_DIR.search(path)
        lowered = path.lower()
        if match:
            folder = path[: match.end() - 1]
            if folder not in seen_dirs and _is_migration(ws, path[match.end():], match.group(1).lower(), path):
                seen_dirs.add(folder)
                stores.append(Datastore(path, 0, "SQL migrations", f"migrations folder {folder}/"))
        elif lowered.endswith(".sql") or lowered.rsplit("/", 1)[-1] == "schema.prisma":
            folder = path.rsplit("/", 1)[0] if "/" in path else "."
            if folder not in seen_dirs:
                seen_dirs.add(folder)
                stores.append(Datastore(path, 0, "SQL migrations", f"SQL schema file {path}"))


#: Migration files named by their order: Django ``0001_initial.py``, Rails, Laravel, EF Core,
#: Knex, Sequelize, TypeORM, Ecto and goose timestamps; Flyway ``V2__add.sql``/``R__views.sql``.
_ORDERED_NAME = re.compile(r"^(?:\d|[VvUu]\d+(?:[._]\d+)*__|[Rr]__)")
#: Folder names that only a database migration tool uses: every file in them counts.
_TOOL_FOLDERS = frozenset({"db/migrate", "db/migration", "alembic", "flyway", "liquibase"})
#: Alembic's scaffolding, in a folder of any name (``alembic init migrations``, Flask-Migrate).
_ALEMBIC_FILES = frozenset({"env.py", "script.py.mako", "alembic.ini"})


def _is_migration(ws: Workspace, inner: str, folder_name: str, path: str) -> bool:
    """Whether a file under a folder named like a migrations folder is a database migration.

    ``migrations/`` and ``changelog(s)/`` are common names for other things: a tool's own
    config-format migrations (``migrations/migrator.py``), release-note fragments
    (``changelogs/fragments/1234-fix.yml``). So those need a file that only a migration tool
    writes: an ordered name, SQL, an Alembic revision or scaffolding, or a Liquibase changelog
    (``databaseChangeLog``). Tool-specific folders (``db/migrate``, ``alembic``...) count as
    they are."""
    if folder_name in _TOOL_FOLDERS:
        return True
    name = inner.rsplit("/", 1)[-1]
    lowered = name.lower()
    if lowered.endswith(".sql"):
        return True
    if folder_name.startswith("changelog"):
        return (lowered.startswith("db.changelog") or lowered.endswith((".yaml", ".yml", ".xml", ".json"))
                and "databaseChangeLog" in (ws.read_text(path) or ""))
    return (bool(_ORDERED_NAME.match(name)) or lowered in _ALEMBIC_FILES
            or ("/" in inner and inner.split("/", 1)[0].lower() == "versions" and lowered.endswith(".py")))


def detect(ws: Workspace) -> DatastoreFacts:
    stores: list[Datastore] = []
    records: list[ClassificationRecord] = []
    _backstage(ws, stores, records)
    _yaml_files(ws, stores, records)
    _terraform(ws, stores)
    _migrations(ws, stores)
    for path in ws.with_suffix(".json", ".csv", ".toml"):
        base = path.rsplit("/", 1)[-1]
        if _CLASSIFICATION_FILE.match(base):
            text = ws.read_text(path)
            if text and text.strip():
                records.append(ClassificationRecord(path, 1, "data classification file"))
    return DatastoreFacts(tuple(sorted(set(stores))), tuple(sorted(set(records))))
