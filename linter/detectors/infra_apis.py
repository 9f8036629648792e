"""Machine-readable API contracts: OpenAPI/Swagger, AsyncAPI, protobuf services, GraphQL.

Each format is recognised by its content, never its file name alone, wherever its keys sit
in the file: an OpenAPI document has a top-level ``openapi: 3.x`` (or ``swagger: "2.0"``)
and an ``info`` mapping; AsyncAPI
has ``asyncapi`` and ``info``; a ``.proto`` file declares a ``service`` once comments are
stripped; a GraphQL schema defines ``type Query``/``Mutation``/``Subscription`` or a
``schema { ... }`` block outside comments and strings. Backstage ``API`` entities count
when their ``spec.type`` is a contract format and they carry a ``definition``.
"""

from __future__ import annotations

import re

from linter.detectors import backstage
from linter.fast_dataclass import dataclass
from linter.repo.prefilters import Prefilter
from linter.repo.workspace import Workspace

API_ENTITY_TYPES = frozenset({"openapi", "asyncapi", "graphql", "grpc", "trpc"})
#: Comments and string literals, in one left-to-right pass as a tokenizer reads them (a quote
#: inside a comment opens nothing). What never closes runs to the end, as a compiler's error
#: recovery would have it: a block comment to the end of the file, a string to the end of its
#: line. Otherwise every later ``/*`` or quote of such a file scanned to the end again
#: (a pattern per kind was quadratic on one long line of quotes).
_STRING = r'"(?:[^"\\\n]|\\.)*+(?:"|\\?(?=\n|\Z))'
_PROTO_NOISE = re.compile(r"/\*(?s:.*?\*/|.*\Z)|//[^\n]*|" + _STRING + "|" + _STRING.replace('"', "'"))
_PROTO_SERVICE = re.compile(r"(?m)^[ \t]*service\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{")
_GQL_NOISE = re.compile(r'"""(?s:.*?"""|.*\Z)|' + _STRING + r"|#[^\n]*")
_GQL_ROOT = re.compile(r"(?m)^[ \t]*(?:extend[ \t]+)?(?:type[ \t]+(Query|Mutation|Subscription)\b|schema\s*\{)")
GRAPHQL_SUFFIXES = (".graphql", ".gql", ".graphqls")


@dataclass(frozen=True, order=True)
class ApiContract:
    path: str
    line: int
    format: str  # OpenAPI 3.x | Swagger 2.0 | AsyncAPI | protobuf | GraphQL | Backstage API
    name: str  # title, service name or API entity ref
    provided_by: tuple[str, ...] = ()  # component refs (Backstage API entities only)


@dataclass(frozen=True)
class ApiFacts:
    contracts: tuple[ApiContract, ...] = ()


def detect(ws: Workspace) -> ApiFacts:
    found: list[ApiContract] = []
    found.extend(_specs(ws))
    found.extend(_protos(ws))
    found.extend(_graphql(ws))
    found.extend(_backstage_apis(ws))
    return ApiFacts(tuple(sorted(set(found))))


#: A top-level ``openapi:``/``swagger:``/``asyncapi:`` key anywhere in the file (generators that
#: sort keys write ``openapi:`` last), as a YAML key at the start of a line or a JSON key.
_SPEC_KEY = re.compile(r"""(?m)^["']?(?:openapi|swagger|asyncapi)["']?[ \t]*:|"(?:openapi|swagger|asyncapi)"\s*:""")
#: YAML or JSON that names an API description format, wherever its keys sit.
SPEC_TEXT = Prefilter("api-spec", lambda text: _SPEC_KEY.search(text) is not None)


def _specs(ws: Workspace) -> list[ApiContract]:
    found: list[ApiContract] = []
    for path, parsed in ws.yaml_passing(ws.with_suffix(".yaml", ".yml", ".json"), SPEC_TEXT):
        if not parsed.documents:
            continue
        data = parsed.documents[0].data
        if not isinstance(data, dict) or not isinstance(data.get("info"), dict):
            continue
        title = data["info"].get("title")
        title = title if isinstance(title, str) else ""
        version = data.get("openapi")
        if isinstance(version, str) and re.match(r"3\.\d", version):
            found.append(ApiContract(path, data.line_of("openapi"), f"OpenAPI {version}", title))
        elif str(data.get("swagger")) in ("2.0", "2"):
            found.append(ApiContract(path, data.line_of("swagger"), "Swagger 2.0", title))
        elif isinstance(data.get("asyncapi"), str) and re.match(r"[123]\.\d", data["asyncapi"]):
            found.append(ApiContract(path, data.line_of("asyncapi"), f"AsyncAPI {data['asyncapi']}", title))
    return found


def strip_proto(text: str) -> str:
    """Proto source with comments and string literals blanked, newlines kept for line numbers."""
    return _PROTO_NOISE.sub(_blank, text)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _protos(ws: Workspace) -> list[ApiContract]:
    found: list[ApiContract] = []
    for path in ws.with_suffix(".proto"):
        text = ws.read_text(path)
        if text is None or "service" not in text:
            continue
        clean = strip_proto(text)
        for match in _PROTO_SERVICE.finditer(clean):
            line = clean.count("\n", 0, match.start(1)) + 1
            found.append(ApiContract(path, line, "protobuf service", match.group(1)))
    return found


def _graphql(ws: Workspace) -> list[ApiContract]:
    found: list[ApiContract] = []
    for path in ws.with_suffix(*GRAPHQL_SUFFIXES):
        text = ws.read_text(path)
        if text is None:
            continue
        clean = _GQL_NOISE.sub(_blank, text)
        match = _GQL_ROOT.search(clean)
        if match:
            line = clean.count("\n", 0, match.start()) + 1
            found.append(ApiContract(path, line, "GraphQL schema", match.group(1) or "schema"))
    return found


def _backstage_apis(ws: Workspace) -> list[ApiContract]:
    catalog = ws.facts(backstage.detect)
    providers: dict[str, set[str]] = {}
    for component in catalog.of_kind("component"):
        provided = component.spec.get("providesApis")
        for ref in provided if isinstance(provided, list) else []:
            normalised = backstage.normalise_ref(ref, "api", component.namespace)
            if normalised:
                providers.setdefault(normalised, set()).add(component.ref)
    found: list[ApiContract] = []
    for api in catalog.of_kind("api"):
        api_type = api.spec.get("type")
        definition = api.spec.get("definition")
        if not (isinstance(api_type, str) and api_type.lower() in API_ENTITY_TYPES):
            continue
        if not ((isinstance(definition, str) and definition.strip()) or isinstance(definition, dict)):
            continue
        found.append(ApiContract(api.path, api.line, f"Backstage API ({api_type.lower()})", api.ref,
                                 tuple(sorted(providers.get(api.ref, set())))))
    return found
