"""Kubernetes manifests: workloads, autoscalers, disruption budgets, labels and data use.

A YAML document is a manifest when it has string ``apiVersion`` and ``kind`` and a mapping
``metadata`` (``kind: List`` items too). Kustomize bases and overlays are read as plain
manifests; ``commonLabels``/``labels`` of a ``kustomization.yaml`` count for the manifests
in its folder and below. A workload in a patch (a file a kustomization lists under
``patches``/``patchesStrategicMerge``/``patchesJson6902``, or one named like a patch, such as
kubebuilder's ``manager_webhook_patch.yaml``, without the ``spec.selector`` every complete
workload has) is not a workload of its own: what a patch leaves out (replicas, labels) comes
from its base. Helm chart templates (``templates/`` beside a ``Chart.yaml``) are
Go templates, not YAML, and are skipped rather than reported as parse errors.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from linter.detectors.infra_common import (
    DataUse, db_pointer_from_value, image_engine, is_connection_var, is_db_name_var, is_host_var,
    normalise_tag_key, plain_host,
)
from linter.fast_dataclass import dataclass
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace
from linter.repo.folders import outside_docs_and_tests
from linter.repo.yamlio import line_of

WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Rollout",
                            "Job", "CronJob", "Pod", "DeploymentConfig"})
#: Long-running kinds whose copies serve traffic (replicas apply).
REPLICATED_KINDS = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "Rollout", "DeploymentConfig"})
ZONE_KEYS = frozenset({"topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone",
                       "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region"})
HOST_KEYS = frozenset({"kubernetes.io/hostname"})
#: Operator custom resources that run a datastore inside the cluster: (api group, kind) -> engine.
OPERATOR_DATASTORES: dict[tuple[str, str], str] = {
    ("postgresql.cnpg.io", "Cluster"): "postgres",
    ("acid.zalan.do", "postgresql"): "postgres",
    ("postgres-operator.crunchydata.com", "PostgresCluster"): "postgres",
    ("kafka.strimzi.io", "Kafka"): "kafka",
    ("rabbitmq.com", "RabbitmqCluster"): "rabbitmq",
    ("mongodbcommunity.mongodb.com", "MongoDBCommunity"): "mongo",
    ("databases.spotahome.com", "RedisFailover"): "redis",
    ("elasticsearch.k8s.elastic.co", "Elasticsearch"): "elasticsearch",
    ("mysql.oracle.com", "InnoDBCluster"): "mysql",
    ("pxc.percona.com", "PerconaXtraDBCluster"): "mysql",
    ("psmdb.percona.com", "PerconaServerMongoDB"): "mongo",
}
MAX_DOCUMENTS_PER_FILE = 2000
#: ``apiVersion`` prefixes of formats shaped like manifests that no cluster ever reads.
NOT_KUBERNETES = ("backstage.io/", "openslo/", "openslo.com/", "sre.google.com/")
#: Kinds that describe how something is deployed (a file with only, say, alert rules does not).
DEPLOY_KINDS = WORKLOAD_KINDS | {"HorizontalPodAutoscaler", "ScaledObject", "PodDisruptionBudget", "Namespace",
                                 "Service", "Ingress", "PersistentVolumeClaim"}


@dataclass(frozen=True, order=True)
class Container:
    name: str
    image: str
    line: int
    engine: str | None


@dataclass(frozen=True, order=True)
class Workload:
    """A pod-running object and what REL003/ARCH003/ARCH004 need to know about it."""

    path: str
    line: int
    kind: str
    name: str
    namespace: str
    service: str  # app.kubernetes.io/part-of, else name/app label, else metadata.name
    replicas: int | None  # None: not a literal integer (templated) or kind without replicas
    replicas_line: int
    replicas_declared: bool
    zone_spread_line: int  # 0: none
    host_spread_line: int
    containers: tuple[Container, ...]
    label_keys: tuple[str, ...]  # normalised keys of metadata + pod template labels

    @property
    def engines(self) -> tuple[str, ...]:
        return tuple(sorted({c.engine for c in self.containers if c.engine}))


@dataclass(frozen=True, order=True)
class Autoscaler:
    """A HorizontalPodAutoscaler or KEDA ScaledObject and the workload it targets."""

    path: str
    line: int
    kind: str
    name: str
    namespace: str
    target_kind: str
    target_name: str
    min_replicas: int | None  # None: not a literal; HPA default 1, KEDA default 0 applied
    max_replicas: int | None
    min_line: int


@dataclass(frozen=True, order=True)
class OperatorDatastore:
    path: str
    line: int
    kind: str
    name: str
    engine: str


@dataclass(frozen=True, order=True)
class KustomizeLabels:
    directory: str
    path: str
    line: int
    keys: tuple[str, ...]


@dataclass(frozen=True)
class K8sFacts:
    manifests: tuple[str, ...] = ()  # files with at least one deploy object (DEPLOY_KINDS or an operator datastore)
    workloads: tuple[Workload, ...] = ()
    autoscalers: tuple[Autoscaler, ...] = ()
    disruption_budgets: tuple[tuple[str, int, str], ...] = ()  # (path, line, name)
    namespaces: tuple[tuple[str, int, str, tuple[str, ...]], ...] = ()  # (path, line, name, label keys)
    operator_datastores: tuple[OperatorDatastore, ...] = ()
    kustomize_labels: tuple[KustomizeLabels, ...] = ()
    data_uses: tuple[DataUse, ...] = ()
    #: manifest-like YAML (``apiVersion`` and ``kind`` in its text) that does not parse
    unusable: tuple[str, ...] = ()


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _helm_template_dirs(ws: Workspace) -> tuple[str, ...]:
    charts = [p.rsplit("/", 1)[0] if "/" in p else "" for p in ws.by_name("Chart.yaml")]
    return tuple(f"{c}/templates/" if c else "templates/" for c in charts)


#: YAML that may hold Kubernetes-shaped documents.
MANIFEST_YAML = Prefilter("k8s-manifest", lambda text: "apiVersion" in text and "kind" in text)


#: The folders CI systems read their own configuration from, at the repository root: a
#: manifest there (``.github/workflows/resources/test-resources.yaml`` applied to a kind
#: cluster a workflow creates) sets up a CI run; it is not how the software is deployed.
CI_CONFIG_DIRS = (".github/", ".gitlab/", ".circleci/", ".buildkite/", ".woodpecker/")


def outside_ci_configuration(paths: list[str]) -> list[str]:
    """``paths`` without the files under the root's CI configuration folders (``CI_CONFIG_DIRS``)."""
    return [p for p in paths if not p.startswith(CI_CONFIG_DIRS)]


def _manifest_paths(ws: Workspace) -> list[str]:
    skip = _helm_template_dirs(ws) + CI_CONFIG_DIRS
    return [p for p in outside_docs_and_tests(ws.yaml_files) if not any(p.startswith(prefix) for prefix in skip)]


def manifest_documents(ws: Workspace, paths: list[str]) -> list[tuple[str, int, dict[Any, Any]]]:
    """Every Kubernetes-shaped document of ``paths`` (``_manifest_paths``): (path, line, data),
    ``List`` items unpacked."""
    found: list[tuple[str, int, dict[Any, Any]]] = []
    for path, parsed in ws.yaml_passing(paths, MANIFEST_YAML):
        for doc in parsed.documents[:MAX_DOCUMENTS_PER_FILE]:
            data = doc.data
            if not isinstance(data, dict):
                continue
            if data.get("kind") == "List" and isinstance(data.get("items"), list):
                for item in data["items"][:MAX_DOCUMENTS_PER_FILE]:
                    if _is_manifest(item):
                        found.append((path, getattr(item, "line", doc.line) or doc.line, item))
            elif _is_manifest(data):
                found.append((path, doc.line, data))
    return found


def _is_manifest(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    api = data.get("apiVersion")
    return (isinstance(api, str) and isinstance(data.get("kind"), str) and isinstance(data.get("metadata"), dict)
            and not api.lower().startswith(NOT_KUBERNETES))


def detect(ws: Workspace) -> K8sFacts:
    manifests: set[str] = set()
    workloads: list[Workload] = []
    autoscalers: list[Autoscaler] = []
    pdbs: list[tuple[str, int, str]] = []
    namespaces: list[tuple[str, int, str, tuple[str, ...]]] = []
    operators: list[OperatorDatastore] = []
    kustomize: list[KustomizeLabels] = []
    uses: list[DataUse] = []
    patches = kustomize_patch_files(ws)
    paths = _manifest_paths(ws)
    for path, line, data in manifest_documents(ws, paths):
        kind = _str(data.get("kind"))
        api = _str(data.get("apiVersion"))
        metadata = _dict(data.get("metadata"))
        name = _str(metadata.get("name"))
        if kind == "Kustomization" and api.startswith("kustomize.config.k8s.io"):
            kustomize.extend(_kustomize_labels(path, line, data))
            continue
        if kind in DEPLOY_KINDS or OPERATOR_DATASTORES.get((api.split("/", 1)[0], kind)):
            manifests.add(path)
        try:
            if kind in WORKLOAD_KINDS:
                if path in patches or (_named_patch(path) and "selector" not in _dict(data.get("spec"))):
                    continue  # a patch: what it leaves out (replicas, labels) comes from its base
                workload = _workload(path, line, kind, data)
                workloads.append(workload)
                uses.extend(_data_uses(path, workload, data))
            elif kind in ("HorizontalPodAutoscaler", "ScaledObject"):
                autoscalers.append(_autoscaler(path, line, kind, data))
            elif kind == "PodDisruptionBudget":
                pdbs.append((path, line, name))
            elif kind == "Namespace":
                namespaces.append((path, line, name, _label_keys(metadata)))
            else:
                group = api.split("/", 1)[0]
                engine = OPERATOR_DATASTORES.get((group, kind))
                if engine:
                    operators.append(OperatorDatastore(path, line, kind, name, engine))
        except (AttributeError, TypeError, ValueError) as exc:  # defensive: never a traceback
            ws.note(path, f"Kubernetes {kind or 'object'} at line {line} not understood ({type(exc).__name__})")
    for path in outside_docs_and_tests(ws.by_name("kustomization.yaml", "kustomization.yml", "Kustomization")):
        if path.startswith(CI_CONFIG_DIRS) or any(k.path == path for k in kustomize):
            continue
        parsed = ws.read_yaml(path)
        for doc in parsed.documents if parsed else ():
            if isinstance(doc.data, dict):
                kustomize.extend(_kustomize_labels(path, doc.line, doc.data))
    return K8sFacts(
        manifests=tuple(sorted(manifests)), workloads=tuple(sorted(workloads)),
        autoscalers=tuple(sorted(autoscalers)), disruption_budgets=tuple(sorted(pdbs)),
        namespaces=tuple(sorted(namespaces)), operator_datastores=tuple(sorted(operators)),
        kustomize_labels=tuple(sorted(set(kustomize))), data_uses=tuple(sorted(set(uses))),
        unusable=tuple(p for p in paths if ws.broken_yaml(p) and _maybe_kubernetes(ws.read_text(p))),
    )


_API_VERSION = re.compile(r"^[ \t-]*[\"']?apiVersion[\"']?[ \t]*:[ \t]*[\"']?([^\s\"'#]+)", re.MULTILINE)


def _maybe_kubernetes(text: str | None) -> bool:
    """Whether YAML that does not parse may hold a Kubernetes object: it is the YAML
    ``manifest_documents`` reads (``MANIFEST_YAML``; other detectors read other YAML), and some
    ``apiVersion`` line names no known other schema (a broken Backstage or OpenSLO file is no
    manifest). Only decides whether to say the file could not be read; nothing is judged from it."""
    if not text or "apiVersion" not in text or "kind" not in text:
        return False
    versions = _API_VERSION.findall(text)
    return not versions or any(not v.lower().startswith(NOT_KUBERNETES) for v in versions)


def kustomize_patch_files(ws: Workspace) -> frozenset[str]:
    """Files that kustomizations apply as patches (``patches[].path``, ``patchesStrategicMerge``,
    ``patchesJson6902[].path``), resolved from each kustomization's folder."""
    found: set[str] = set()
    for path in ws.by_name("kustomization.yaml", "kustomization.yml", "Kustomization"):
        parsed = ws.read_yaml(path)
        folder = posixpath.dirname(path)
        for doc in parsed.documents if parsed else ():
            data = doc.data if isinstance(doc.data, dict) else {}
            refs = [p for p in _list(data.get("patchesStrategicMerge")) if isinstance(p, str) and "\n" not in p]
            refs += [_str(item.get("path")) for key in ("patches", "patchesJson6902")
                     for item in _list(data.get(key)) if isinstance(item, dict)]
            for ref in refs[:1000]:
                if ref and "://" not in ref:
                    found.add(posixpath.normpath(posixpath.join(folder, ref.strip())))
    return frozenset(found)


#: ``manager_webhook_patch.yaml``, ``replicas-patch.yml``, ``patches/prod.yaml``: names that
#: kubebuilder scaffolds and Kustomize overlays give their patches.
_PATCH_NAME = re.compile(r"(?:^|[-_./])patch(?:es)?(?:[-_./]|$)", re.IGNORECASE)


def _named_patch(path: str) -> bool:
    parts = path.lower().split("/")
    return bool(_PATCH_NAME.search(parts[-1])) or (len(parts) > 1 and parts[-2] in ("patch", "patches"))


def _label_keys(*metadatas: dict[Any, Any]) -> tuple[str, ...]:
    keys: set[str] = set()
    for metadata in metadatas:
        for key in _dict(_dict(metadata).get("labels")):
            keys.add(normalise_tag_key(key))
    return tuple(sorted(keys))


def _pod_template(kind: str, data: dict[Any, Any]) -> dict[Any, Any]:
    spec = _dict(data.get("spec"))
    if kind == "Pod":
        return {"metadata": data.get("metadata"), "spec": spec}
    if kind == "CronJob":
        spec = _dict(_dict(spec.get("jobTemplate")).get("spec"))
    return _dict(spec.get("template"))


def _service_name(metadata: dict[Any, Any], pod_metadata: dict[Any, Any]) -> str:
    labels = {**_dict(pod_metadata.get("labels")), **_dict(metadata.get("labels"))}
    for key in ("app.kubernetes.io/part-of", "app.kubernetes.io/name", "app", "k8s-app"):
        value = labels.get(key)
        if isinstance(value, str) and value:
            return value
    return _str(metadata.get("name"))


def _workload(path: str, line: int, kind: str, data: dict[Any, Any]) -> Workload:
    metadata = _dict(data.get("metadata"))
    spec = _dict(data.get("spec"))
    template = _pod_template(kind, data)
    pod_metadata = _dict(template.get("metadata"))
    pod_spec = _dict(template.get("spec"))
    declared = "replicas" in spec
    replicas = _int(spec.get("replicas")) if declared else (1 if kind in REPLICATED_KINDS else None)
    zone_line, host_line = _spread_lines(pod_spec, line)
    containers = tuple(
        Container(_str(c.get("name")), _str(c.get("image")), line_of(c, "image", getattr(c, "line", line)),
                  image_engine(c.get("image")))
        for c in _list(pod_spec.get("containers")) if isinstance(c, dict)
    )
    return Workload(
        path=path, line=line, kind=kind, name=_str(metadata.get("name")),
        namespace=_str(metadata.get("namespace")), service=_service_name(metadata, pod_metadata),
        replicas=replicas, replicas_line=line_of(spec, "replicas", line) if declared else line,
        replicas_declared=declared, zone_spread_line=zone_line, host_spread_line=host_line,
        containers=containers, label_keys=_label_keys(metadata, pod_metadata),
    )


def _spread_lines(pod_spec: dict[Any, Any], default: int) -> tuple[int, int]:
    """Lines of the first zone-level and host-level spreading rule (0 when absent)."""
    zone = host = 0
    keys: list[tuple[str, int]] = []
    constraints = pod_spec.get("topologySpreadConstraints")
    for i, item in enumerate(_list(constraints)):
        if isinstance(item, dict):
            keys.append((_str(item.get("topologyKey")), line_of(constraints, i, default)))
    anti = _dict(_dict(pod_spec.get("affinity")).get("podAntiAffinity"))
    required = anti.get("requiredDuringSchedulingIgnoredDuringExecution")
    for i, term in enumerate(_list(required)):
        if isinstance(term, dict):
            keys.append((_str(term.get("topologyKey")), line_of(required, i, default)))
    preferred = anti.get("preferredDuringSchedulingIgnoredDuringExecution")
    for i, weighted in enumerate(_list(preferred)):
        term = _dict(_dict(weighted).get("podAffinityTerm"))
        keys.append((_str(term.get("topologyKey")), line_of(preferred, i, default)))
    for key, key_line in keys:
        if key in ZONE_KEYS and not zone:
            zone = key_line
        elif key in HOST_KEYS and not host:
            host = key_line
    return zone, host


def _autoscaler(path: str, line: int, kind: str, data: dict[Any, Any]) -> Autoscaler:
    metadata = _dict(data.get("metadata"))
    spec = _dict(data.get("spec"))
    target = _dict(spec.get("scaleTargetRef"))
    min_key, max_key = ("minReplicas", "maxReplicas") if kind == "HorizontalPodAutoscaler" \
        else ("minReplicaCount", "maxReplicaCount")
    default_min = 1 if kind == "HorizontalPodAutoscaler" else 0
    min_value = _int(spec.get(min_key)) if min_key in spec else default_min
    return Autoscaler(
        path=path, line=line, kind=kind, name=_str(metadata.get("name")),
        namespace=_str(metadata.get("namespace")),
        target_kind=_str(target.get("kind")) or "Deployment", target_name=_str(target.get("name")),
        min_replicas=min_value, max_replicas=_int(spec.get(max_key)),
        min_line=line_of(spec, min_key, line),
    )


def _kustomize_labels(path: str, line: int, data: dict[Any, Any]) -> list[KustomizeLabels]:
    keys: set[str] = {normalise_tag_key(k) for k in _dict(data.get("commonLabels"))}
    for entry in _list(data.get("labels")):
        keys.update(normalise_tag_key(k) for k in _dict(_dict(entry).get("pairs")))
    if not keys:
        return []
    directory = path.rsplit("/", 1)[0] if "/" in path else "."
    return [KustomizeLabels(directory, path, line, tuple(sorted(keys)))]


def _data_uses(path: str, workload: Workload, data: dict[Any, Any]) -> list[DataUse]:
    """Where a long-running workload's environment points at a database."""
    if workload.kind not in REPLICATED_KINDS | {"DaemonSet"} or workload.engines:
        return []
    pod_spec = _dict(_pod_template(workload.kind, data).get("spec"))
    group = f"namespace:{workload.namespace or 'default'}"
    uses: list[DataUse] = []
    for container in _list(pod_spec.get("containers")):
        if not isinstance(container, dict):
            continue
        env = container.get("env")
        names: dict[str, str] = {}
        hosts: list[tuple[str, int, str]] = []
        for i, var in enumerate(_list(env)):
            if not isinstance(var, dict):
                continue
            var_name, var_line = _str(var.get("name")), line_of(env, i, workload.line)
            value = var.get("value")
            pointer = db_pointer_from_value(value)
            if pointer:
                uses.append(DataUse(group, pointer.host, workload.service, pointer.database, path, var_line,
                                    f"env {var_name}"))
            elif is_host_var(var_name) and plain_host(value):
                hosts.append((plain_host(value) or "", var_line, var_name))
            elif is_db_name_var(var_name) and isinstance(value, str):
                names[var_name] = value
            secret = _dict(_dict(var.get("valueFrom")).get("secretKeyRef"))
            if secret and is_connection_var(var_name) and _str(secret.get("name")):
                uses.append(DataUse(group, f"secret/{secret['name']}", workload.service, "", path, var_line,
                                    f"env {var_name} from Secret {secret['name']}"))
        database = sorted(names.values())[0] if len(set(names.values())) == 1 else ""
        for host, host_line, var_name in hosts:
            uses.append(DataUse(group, host, workload.service, database, path, host_line, f"env {var_name}"))
    return uses
