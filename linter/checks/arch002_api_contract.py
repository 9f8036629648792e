"""ARCH002 api-contract: the service publishes a machine-readable API description.

A contract belongs to the scope when its file lies in the scope's folder, or (Backstage API
entities) when a Component of the scope lists it in ``providesApis``. Formats are
recognised by content (see ``linter.detectors.infra_apis``), never by file name alone.
"""

from __future__ import annotations

from linter.checks.base import CheckContext
from linter.checks.rule import RuleCheck
from linter.detectors import backstage, infra_apis
from linter.results import Evidence, Finding, failed, passed

LOOKED_FOR = ("OpenAPI 3.x or Swagger 2.0 documents, AsyncAPI documents, .proto files declaring a service, "
              "GraphQL schemas with a Query/Mutation/Subscription type, and Backstage API entities with a "
              "definition that the service's Component lists in providesApis")


def check(ctx: CheckContext) -> Finding:
    contracts = ctx.facts(infra_apis.detect).contracts
    catalog = ctx.facts(backstage.detect)
    components = {c.ref for c in ctx.owned(catalog.of_kind("component"), "path", "name")}
    in_folder = {id(c) for c in ctx.owned(contracts)}
    provided = [c for c in contracts
            if (c.provided_by and components.intersection(c.provided_by))
            or (not c.provided_by and id(c) in in_folder)]
    if provided:
        named = "; ".join(f"{c.format} {c.name or ''} ({c.path}:{c.line})".replace("  ", " ") for c in provided[:5])
        more = f"; and {len(provided) - 5} more" if len(provided) > 5 else ""
        return passed(f"API contract published: {named}{more}",
                      [Evidence(c.path, c.line, f"{c.format} {c.name}".strip()) for c in provided])
    dangling = _declared_without_definition(catalog, components, contracts)
    message = f"no machine-readable API contract found for {ctx.scope.name}; looked for {LOOKED_FOR}"
    if dangling:
        message += f". providesApis names {', '.join(dangling)}, but no API entity with a definition was found"
    return failed(message)


def _declared_without_definition(catalog: backstage.BackstageCatalog, components: set[str],
                                 contracts: tuple[infra_apis.ApiContract, ...]) -> list[str]:
    defined = {c.name for c in contracts if c.format.startswith("Backstage")}
    dangling: set[str] = set()
    for component in catalog.of_kind("component"):
        if component.ref not in components:
            continue
        provided = component.spec.get("providesApis")
        for ref in provided if isinstance(provided, list) else []:
            normalised = backstage.normalise_ref(ref, "api", component.namespace)
            if normalised and normalised not in defined:
                dangling.add(normalised)
    return sorted(dangling)


RULE = RuleCheck(
    id="ARCH002",
)
