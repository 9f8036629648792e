"""ARCH001 service-owns-its-data: no datastore is shared by two services.

Sharing is read from three places, each compared only with itself:

* Backstage: two Components whose ``dependsOn`` names the same ``resource:`` (or a
  Resource whose ``dependencyOf`` names two Components).
* Docker Compose: two services of one file that depend on, link to, or hold a connection
  URL/host variable for the same database service. Services that run one application in
  several roles (the same ``org/app`` or variable image, or the same build context: an API,
  its consumers, its workers) count as one. Separate databases on one server
  (``postgres://db/orders`` and ``postgres://db/billing``) are not shared. Caches and
  brokers are not datastores here, and migration runners or admin UIs act for the owner.
* Kubernetes: two long-running workloads of different services (by
  ``app.kubernetes.io/part-of``, ``name`` or ``app`` label) in one namespace whose
  environment points at the same database host or takes its connection string from the
  same Secret.
"""

from __future__ import annotations

from linter.checks.base import CheckContext, normalise_service_name
from linter.checks.rule import RuleCheck
from linter.detectors import backstage, infra
from linter.detectors.infra_common import DataUse, is_companion
from linter.results import Evidence, Finding, failed, not_applicable, passed

MAX_NAMED = 5


def check(ctx: CheckContext) -> Finding:
    facts = ctx.facts(infra.detect)
    catalog = ctx.facts(backstage.detect)
    services = _service_names(facts, catalog)
    if len(services) < 2:
        return not_applicable(f"fewer than two applications found ({len(services)}): nothing can share a datastore")
    shared = [*_backstage_sharing(catalog), *_use_sharing(facts.data_uses)]
    if shared:
        messages = [m for m, _ in shared]
        text = "; ".join(messages[:MAX_NAMED]) + (f"; and {len(messages) - MAX_NAMED} more"
                                                  if len(messages) > MAX_NAMED else "")
        return failed(f"datastore shared between services: {text}",
                      [e for _, evidence in shared for e in evidence])
    return passed(f"{len(services)} applications found (Backstage components, Kubernetes services, Compose "
                  f"services with the roles of one image or build counted once); no datastore is used by two of "
                  f"them (read Backstage dependsOn, Compose and Kubernetes connection settings)")


def _service_names(facts: infra.InfraFacts, catalog: backstage.BackstageCatalog) -> set[str]:
    names = {normalise_service_name(c.name) for c in catalog.of_kind("component")}
    # an application's roles (API, workers, cron running one image) are one service, and
    # migration runners, admin UIs and exporters act for the service they serve
    names |= {normalise_service_name(s.application or s.name) for s in facts.compose.services
              if not s.engine and not is_companion(s.name, s.image)}
    names |= {normalise_service_name(w.service) for w in facts.k8s.workloads
              if not w.engines and w.kind not in ("Job", "CronJob", "Pod")}
    return {n for n in names if n}


def _backstage_sharing(catalog: backstage.BackstageCatalog) -> list[tuple[str, list[Evidence]]]:
    users: dict[str, dict[str, Evidence]] = {}
    for component in catalog.of_kind("component"):
        refs = component.spec.get("dependsOn")
        for ref in refs if isinstance(refs, list) else []:
            target = backstage.normalise_ref(ref, "component", component.namespace)
            if target and target.startswith("resource:"):
                users.setdefault(target, {})[component.ref] = Evidence(
                    component.path, component.spec_line("dependsOn"),
                    f"{component.ref} dependsOn {target}")
    for resource in catalog.of_kind("resource"):
        refs = resource.spec.get("dependencyOf")
        for ref in refs if isinstance(refs, list) else []:
            target = backstage.normalise_ref(ref, "component", resource.namespace)
            if target and target.startswith("component:"):
                users.setdefault(resource.ref, {}).setdefault(target, Evidence(
                    resource.path, resource.spec_line("dependencyOf"), f"{resource.ref} dependencyOf {target}"))
    found = []
    for resource, by_component in sorted(users.items()):
        if len(by_component) >= 2:
            named = ", ".join(f"{ref} ({e.location()})" for ref, e in sorted(by_component.items()))
            found.append((f"{resource} is a dependency of {named}", list(by_component.values())))
    return found


def _use_sharing(uses: tuple[DataUse, ...]) -> list[tuple[str, list[Evidence]]]:
    by_store: dict[tuple[str, str], dict[str, list[DataUse]]] = {}
    for use in uses:
        by_store.setdefault((use.group, use.datastore), {}).setdefault(normalise_service_name(use.service), []).append(use)
    found = []
    for (group, store), by_service in sorted(by_store.items()):
        databases = {svc: _database(us) for svc, us in by_service.items()}
        sharing = sorted(svc for svc, db in databases.items()
                         if sum(1 for other, odb in databases.items() if other != svc and (not db or not odb or db == odb)))
        if len(sharing) < 2:
            continue
        first = [sorted(by_service[svc])[0] for svc in sharing]
        named = ", ".join(f"{u.service} ({u.path}:{u.line}, {u.via})" for u in first)
        where = group.split(":", 1)[1]
        kind = "Compose file" if group.startswith("compose:") else "namespace"
        found.append((f"{store} ({kind} {where}) is used by {named}",
                      [Evidence(u.path, u.line, f"{u.service} uses {store} via {u.via}") for u in first]))
    return found


def _database(uses: list[DataUse]) -> str:
    named = sorted({u.database for u in uses if u.database})
    return named[0] if len(named) == 1 else ""


RULE = RuleCheck(
    id="ARCH001",
)
