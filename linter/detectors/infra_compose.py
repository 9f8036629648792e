"""Docker Compose files: services, their images, and which database each one reads.

Files named ``docker-compose*.y(a)ml`` or ``compose*.y(a)ml`` (any folder) with a
``services`` mapping. Compose is mostly a developer's laptop: a service counts as run in
production only when its file name says so (``prod``, ``production``, ``prd``, ``live`` as a
name part) or when its ``deploy`` section holds Swarm placement settings (``replicas``,
``mode``, ``placement``, ``update_config``) that only a Swarm deployment uses.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from linter.detectors.infra_common import (
    DataUse, db_pointer_from_value, engine_category, image_engine, is_companion, is_db_name_var, is_host_var,
    plain_host,
)
from linter.fast_dataclass import dataclass
from linter.repo.workspace import Workspace
from linter.repo.folders import outside_docs_and_tests
from linter.repo.yamlio import line_of

_FILE = re.compile(r"^(?:docker-)?compose(?:[.-][A-Za-z0-9_.-]+)?\.ya?ml$")
_PROD_PARTS = frozenset({"prod", "production", "prd", "live"})
_SWARM_KEYS = frozenset({"replicas", "mode", "placement", "update_config", "rollback_config"})
MAX_SERVICES = 500


@dataclass(frozen=True, order=True)
class ComposeService:
    path: str
    line: int
    name: str
    image: str
    engine: str | None
    production: bool
    production_reason: str
    replicas: int | None
    #: the application it runs a role of: services running one image or build context (an API,
    #: its workers, its cron) share one name; otherwise its own name
    application: str = ""


@dataclass(frozen=True)
class ComposeFacts:
    files: tuple[str, ...] = ()
    services: tuple[ComposeService, ...] = ()
    data_uses: tuple[DataUse, ...] = ()
    #: Compose files that could not be read or parsed
    unusable: tuple[str, ...] = ()


def is_compose_file(path: str) -> bool:
    return bool(_FILE.match(path.rsplit("/", 1)[-1]))


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _production_file(path: str) -> bool:
    parts = re.split(r"[.\-_]", path.rsplit("/", 1)[-1].lower())
    return any(p in _PROD_PARTS for p in parts)


def detect(ws: Workspace) -> ComposeFacts:
    files: list[str] = []
    services: list[ComposeService] = []
    uses: list[DataUse] = []
    broken: list[str] = []
    for path in outside_docs_and_tests(ws.yaml_files):
        if not is_compose_file(path):
            continue
        parsed = ws.read_yaml(path)
        if parsed is None and ws.unusable(path) or ws.broken_yaml(path):
            broken.append(path)
        data = parsed.documents[0].data if parsed and parsed.documents else None
        table = _dict(data).get("services") if isinstance(data, dict) else None
        if not isinstance(table, dict):
            continue
        files.append(path)
        found = _services(path, table)
        roles = _applications(table, found)
        found = [replace(s, application=roles.get(s.name, s.name)) for s in found]
        services.extend(found)
        uses.extend(_data_uses(path, table, found))
    return ComposeFacts(tuple(sorted(files)), tuple(sorted(services)), tuple(sorted(set(uses))), tuple(sorted(broken)))


def _services(path: str, table: dict[Any, Any]) -> list[ComposeService]:
    prod_file = _production_file(path)
    found: list[ComposeService] = []
    for name, spec in list(table.items())[:MAX_SERVICES]:
        spec = _dict(spec)
        image = spec.get("image") if isinstance(spec.get("image"), str) else ""
        deploy = _dict(spec.get("deploy"))
        swarm = sorted(k for k in deploy if k in _SWARM_KEYS)
        reason = "file name marks production" if prod_file else (
            f"Swarm deploy settings ({', '.join(swarm)})" if swarm else "")
        replicas = deploy.get("replicas")
        found.append(ComposeService(
            path=path, line=line_of(table, name, 1), name=str(name), image=image, engine=image_engine(image),
            production=bool(reason), production_reason=reason,
            replicas=replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else None,
        ))
    return found


def _environment(spec: dict[Any, Any]) -> list[tuple[str, Any, int]]:
    """``environment`` as (name, value, line), from the map or the ``KEY=value`` list form."""
    env = spec.get("environment")
    pairs: list[tuple[str, Any, int]] = []
    if isinstance(env, dict):
        for key, value in env.items():
            pairs.append((str(key), value, line_of(env, key, 0)))
    elif isinstance(env, list):
        for i, item in enumerate(env):
            if isinstance(item, str) and "=" in item:
                key, value = item.split("=", 1)
                pairs.append((key.strip(), value.strip(), line_of(env, i, 0)))
    return pairs


def _names(value: Any) -> list[tuple[str, int, Any]]:
    """Service names of ``depends_on``/``links`` (list, map, or ``name:alias``), with lines."""
    if isinstance(value, dict):
        return [(str(k), line_of(value, k, 0), value) for k in value]
    if isinstance(value, list):
        return [(item.split(":", 1)[0], line_of(value, i, 0), value)
                for i, item in enumerate(value) if isinstance(item, str)]
    return []


def _data_uses(path: str, table: dict[Any, Any], services: list[ComposeService]) -> list[DataUse]:
    stores = {s.name: s for s in services if s.engine and engine_category(s.engine) in ("database", "search")}
    if not stores:
        return []
    aliases = _aliases(table, stores)
    application = _applications(table, services)
    group = f"compose:{path}"
    uses: list[DataUse] = []
    for service in services:
        spec = _dict(table.get(service.name))
        if service.name in stores or is_companion(service.name, service.image):
            continue
        who = application.get(service.name, service.name)
        env = _environment(spec)
        db_names = {str(v) for k, v, _ in env if is_db_name_var(k) and isinstance(v, (str, int))}
        database = db_names.pop() if len(db_names) == 1 else ""
        for key, value, var_line in env:
            pointer = db_pointer_from_value(value)
            host = pointer.host if pointer else (plain_host(value) if is_host_var(key) else None)
            if host in aliases:
                uses.append(DataUse(group, aliases[host], who, pointer.database if pointer else database,
                                    path, var_line or service.line, f"environment {key}"))
        for field_name in ("depends_on", "links"):
            for target, target_line, _ in _names(spec.get(field_name)):
                if target in stores:
                    uses.append(DataUse(group, target, who, database, path,
                                        target_line or service.line, field_name))
    return uses


def _applications(table: dict[Any, Any], services: list[ComposeService]) -> dict[str, str]:
    """Compose services that run one application in several roles (``snuba-api`` and
    ``snuba-errors-consumer`` both run ``$SNUBA_IMAGE``; web, worker and cron build from one
    context) -> one name for it: their common name prefix, else the first service's name.

    An image counts when it names an application (a namespace, ``org/app``, or a variable);
    official base images (``python:3.12``) run unrelated code and keep services apart."""
    by_identity: dict[str, list[str]] = {}
    for service in services:
        spec = _dict(table.get(service.name))
        build = spec.get("build")
        context = build if isinstance(build, str) else _dict(build).get("context")
        image = service.image.strip()
        if isinstance(context, str) and context.strip():
            identity = "build:" + context.strip().rstrip("/")
        elif image and ("/" in image or "$" in image):
            identity = "image:" + image.split("@", 1)[0].rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] \
                else "image:" + image
        else:
            continue
        by_identity.setdefault(identity, []).append(service.name)
    named: dict[str, str] = {}
    for members in by_identity.values():
        if len(members) < 2:
            continue
        prefix = _common_prefix(members).rstrip("-_.")
        for member in members:
            named[member] = prefix or members[0]
    return named


def _common_prefix(names: list[str]) -> str:
    """The longest prefix of whole dash/underscore-separated words all ``names`` share."""
    split = [re.split(r"[-_.]", name) for name in names]
    words: list[str] = []
    for parts in zip(*split):
        if len(set(parts)) != 1:
            break
        words.append(parts[0])
    return "-".join(words)


def _aliases(table: dict[Any, Any], stores: dict[str, ComposeService]) -> dict[str, str]:
    """Every host name a datastore answers to: service name, hostname, container_name, aliases."""
    aliases: dict[str, str] = {}
    for name in stores:
        spec = _dict(table.get(name))
        aliases[name.lower()] = name
        for key in ("hostname", "container_name"):
            if isinstance(spec.get(key), str):
                aliases[spec[key].lower()] = name
        for network in _dict(spec.get("networks")).values():
            for alias in _dict(network).get("aliases") or []:
                if isinstance(alias, str):
                    aliases[alias.lower()] = name
    return aliases
