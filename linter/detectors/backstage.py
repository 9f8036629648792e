"""Backstage software-catalog entities, from every YAML file that holds them.

Backstage descriptors may live in any file (``catalog-info.yaml``, ``org.yaml``,
``catalog/*.yaml``) and files may hold several documents. A document is an entity when its
``apiVersion`` starts with ``backstage.io/``; references are normalised to
``kind:namespace/name`` (lower case, default namespace ``default``) as the catalog does.
"""

from __future__ import annotations

from typing import Any, Mapping

from linter.fast_dataclass import dataclass, field
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace
from linter.repo.yamlio import line_of

BACKSTAGE_MARKER = "backstage.io/"
#: Files that may hold an entity: every ``apiVersion`` of the catalog starts with the marker.
ENTITY_FILES = Prefilter("backstage-entity", lambda text: BACKSTAGE_MARKER in text)


@dataclass(frozen=True)
class Entity:
    kind: str  # lower case: component, group, user, resource, api, system, location...
    namespace: str
    name: str
    path: str
    line: int
    spec: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.namespace}/{self.name}"

    @property
    def directory(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else "."

    def spec_line(self, key: str) -> int:
        return line_of(self.spec, key, self.line)


@dataclass(frozen=True)
class BackstageCatalog:
    entities: tuple[Entity, ...]
    #: the entities of each kind, in catalog order (built with the catalog: ``of_kind``)
    by_kind: Mapping[str, tuple[Entity, ...]] = field(default_factory=dict, compare=False, hash=False)
    #: files that look like catalog files but do not parse: the entities they hold are unknown
    unusable: tuple[str, ...] = ()

    @classmethod
    def of(cls, entities: tuple[Entity, ...], unusable: tuple[str, ...] = ()) -> BackstageCatalog:
        grouped: dict[str, list[Entity]] = {}
        for entity in entities:
            grouped.setdefault(entity.kind, []).append(entity)
        return cls(entities, {kind: tuple(found) for kind, found in grouped.items()}, unusable)

    def of_kind(self, kind: str) -> tuple[Entity, ...]:
        """The entities of ``kind``, in catalog order: the same tuple on every call, so a rule
        judging hundreds of services groups them once (``CheckContext.owned``)."""
        return self.by_kind.get(kind, ())

    def by_ref(self) -> dict[str, Entity]:
        return {e.ref: e for e in self.entities}


def normalise_ref(ref: Any, default_kind: str, default_namespace: str = "default") -> str | None:
    """``team-a`` / ``group:team-a`` / ``Group:default/Team-A`` -> ``group:default/team-a``."""
    if isinstance(ref, dict):  # compound form {kind, namespace, name}
        kind = str(ref.get("kind") or default_kind)
        namespace = str(ref.get("namespace") or default_namespace)
        name = ref.get("name")
        if not name:
            return None
        return f"{kind.lower()}:{namespace.lower()}/{str(name).lower()}"
    if not isinstance(ref, str) or not ref.strip():
        return None
    text = ref.strip()
    kind = default_kind
    if ":" in text:
        kind, text = text.split(":", 1)
    namespace = default_namespace
    if "/" in text:
        namespace, text = text.split("/", 1)
    if not text:
        return None
    return f"{kind.strip().lower()}:{namespace.strip().lower()}/{text.strip().lower()}"


def detect(ws: Workspace) -> BackstageCatalog:
    entities: list[Entity] = []
    unusable: list[str] = []
    for path, parsed in ws.yaml_passing(ws.yaml_files, ENTITY_FILES):
        if ws.broken_yaml(path):
            unusable.append(path)
        for doc in parsed.documents:
            data = doc.data
            if not isinstance(data, dict):
                continue
            api = data.get("apiVersion")
            if not isinstance(api, str) or not api.startswith(BACKSTAGE_MARKER):
                continue
            kind = data.get("kind")
            metadata = data.get("metadata")
            if not isinstance(kind, str) or not isinstance(metadata, dict):
                ws.note(path, f"Backstage entity at line {doc.line} lacks kind or metadata; ignored")
                continue
            name = metadata.get("name")
            if not isinstance(name, str) or not name:
                ws.note(path, f"Backstage entity at line {doc.line} has no metadata.name; ignored")
                continue
            namespace = metadata.get("namespace") if isinstance(metadata.get("namespace"), str) else "default"
            spec = data.get("spec") if isinstance(data.get("spec"), dict) else {}
            entities.append(
                Entity(
                    kind=kind.lower(), namespace=namespace.lower(), name=name.lower(),
                    path=path, line=doc.line, spec=spec, metadata=metadata,
                )
            )
    return BackstageCatalog.of(tuple(entities), tuple(unusable))
