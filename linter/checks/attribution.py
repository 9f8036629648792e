"""Which facts belong to which service: documents, service ages and infrastructure code.

Several rules ask the same questions of the same facts (PROD001, PROD002 and PROD004 about
PR/FAQs; REL002, OPS001, PROD003, PROD004, SEC007 and SEC008 about engineering documents;
SEC005 and COST002 about infrastructure code), so the answers live here, once, and checks
never import each other. A document belongs to a scope when it lies in the scope's folder, or
sits in a shared documents folder and names the service; with one scope, everything does.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Sequence

from linter.checks import history_needed
from linter.checks.base import CheckContext, normalise_service_name
from linter.detectors import docs, gitops, prfaq
from linter.detectors.docs import DocInfo
from linter.detectors.prfaq import PrfaqDoc
from linter.fast_dataclass import dataclass
from linter.results import Evidence, Finding, Scope, not_applicable

#: Top-level folders where teams keep documents about several services.
DOCS_DIRS = ("docs", "doc", "documentation", "design", "rfcs")


@dataclass(frozen=True)
class ServiceAge:
    """Whether the scope is new, and its age in days (``None`` when git knows nothing)."""

    is_new: bool
    days: int | None
    limit: int
    unreadable: bool = False  # git failed while dating the folder: nothing is known

    def describe(self) -> str:
        if self.days is None:
            return "no git history for its folder, so it counts as new"
        return f"first commit {self.days} days ago"


def service_age(ctx: CheckContext) -> ServiceAge:
    """The scope's age against the rule's ``new_service_days`` option (PROD001, PROD002).
    Call ``history_age_withheld`` first: on a shallow clone every folder looks new."""
    limit = ctx.options.new_service_days
    # every scope at once: one pass over the history serves all services
    first = ctx.workspace.first_commit_time(ctx.scope.path, (s.path for s in ctx.scopes))
    if first is None:
        return ServiceAge(True, None, limit, unreadable=ctx.workspace.git.history_unreadable)
    now = ctx.now if ctx.now.tzinfo else ctx.now.replace(tzinfo=timezone.utc)
    days = (now - datetime.fromtimestamp(first, tz=timezone.utc)).days
    return ServiceAge(days <= limit, max(days, 0), limit)


def history_age_withheld(ctx: CheckContext) -> Finding | None:
    """``skipped`` (or ``error``) when the checkout has no whole history to date the service
    by (``linter.checks.history_needed``), else ``None``."""
    return history_needed.unavailable(
        ctx, f"whether {ctx.scope.name} is a new service is judged from when its folder first appeared in "
             "the git history")


def age_finding(ctx: CheckContext) -> ServiceAge | Finding:
    """The service's age, or the finding that stands instead: history withheld (skipped),
    git failing (error), or an old service (not applicable)."""
    withheld = history_age_withheld(ctx)
    if withheld is not None:
        return withheld
    age = service_age(ctx)
    if age.unreadable:
        return history_needed.unreadable("when each service folder first appeared")
    if not age.is_new:
        return old_service(ctx, age)
    return age


def old_service(ctx: CheckContext, age: ServiceAge) -> Finding:
    return not_applicable(
        f"{ctx.scope.name} is not a new service: its folder's first commit was {age.days} days ago, "
        f"more than new_service_days={age.limit}")


def _service_keys(scope: Scope) -> set[str]:
    keys = {normalise_service_name(scope.name)}
    if scope.path != ".":
        keys.add(normalise_service_name(scope.path.rsplit("/", 1)[-1]))
    return {k for k in keys if k}


def _named_scopes(doc: PrfaqDoc, scopes: list[Scope]) -> list[Scope]:
    """Scopes whose name appears in the doc's path or title; the most specific names win.

    ``docs/checkout-api-prfaq.md`` names both ``checkout`` and ``checkout-api``: it is about
    the latter.
    """
    haystack = normalise_service_name(doc.path) + " " + normalise_service_name(doc.title)
    best: list[tuple[int, Scope]] = []
    for scope in scopes:
        if scope.path == ".":
            continue
        hits = [len(k) for k in _service_keys(scope) if k in haystack]
        if hits:
            best.append((max(hits), scope))
    if not best:
        return []
    longest = max(length for length, _ in best)
    return [scope for length, scope in best if length == longest]


def in_docs_folder(path: str) -> bool:
    return "/" in path and path.split("/", 1)[0].lower() in DOCS_DIRS


def belongs(ctx: CheckContext, doc: PrfaqDoc) -> bool:
    """Inside the scope's folder, or in a docs folder and naming the service; single scope: all."""
    if len(ctx.scopes) <= 1:
        return True
    if in_docs_folder(doc.path):
        named = ctx.memoised(("prfaq-named-scopes", doc.path, doc.title),
                             lambda: _named_scopes(doc, ctx.scopes))
        if ctx.scope in named:
            return True
    return ctx.owner_of(doc.path) == ctx.scope


def owners_of_docs(ctx: CheckContext, docs: Sequence[Any], key: str) -> dict[Scope, list[Any]]:
    """Every scope's documents, computed once per run for a list of docs (same rule as
    ``belongs``): with many services and documents, asking ``belongs`` for every pair is
    quadratic."""
    def assign() -> dict[Scope, list[Any]]:
        mapping: dict[Scope, list[Any]] = {}
        for doc in docs:
            owners: list[Scope] = []
            if in_docs_folder(doc.path):
                owners.extend(_named_scopes(doc, ctx.scopes))
            folder_owner = ctx.owner_of(doc.path)
            if folder_owner is not None and folder_owner not in owners:
                owners.append(folder_owner)
            for owner in owners:
                mapping.setdefault(owner, []).append(doc)
        return mapping

    return ctx.memoised(("docs-by-scope", key), assign)


def docs_for_scope(ctx: CheckContext) -> tuple[list[PrfaqDoc], list[PrfaqDoc]]:
    """(documents of this scope, candidate documents elsewhere) from the shared facts."""
    all_docs = ctx.facts(prfaq.detect).docs
    if len(ctx.scopes) <= 1:
        return list(all_docs), []
    owned = owners_of_docs(ctx, all_docs, "prfaq").get(ctx.scope, [])
    chosen = {id(doc) for doc in owned}
    return list(owned), [doc for doc in all_docs if id(doc) not in chosen]


def where_looked(ctx: CheckContext) -> str:
    if len(ctx.scopes) <= 1:
        return "anywhere in the repository"
    folder = "the repository root" if ctx.scope.path == "." else f"{ctx.scope.path}/"
    docs = ", ".join(f"{d}/" for d in DOCS_DIRS)
    return f"inside {folder} and under {docs} (naming '{ctx.scope.name}')"


RUNBOOK_PLACES = ("Markdown under runbook(s)/, playbook(s)/, ops/, docs/ops*/ or on-call folders, or named "
                  "runbook*, playbook*, disaster-recovery*, dr-plan*")


def scope_docs(ctx: CheckContext) -> list[DocInfo]:
    """Classified documents that belong to this scope (same attribution as the PR/FAQ rules)."""
    all_docs = ctx.facts(docs.detect).docs
    if len(ctx.scopes) <= 1:
        return list(all_docs)
    return list(owners_of_docs(ctx, all_docs, "engineering-docs").get(ctx.scope, []))


def runbooks_of(ctx: CheckContext) -> list[DocInfo]:
    return [d for d in scope_docs(ctx) if (d.is_runbook or d.is_oncall) and d.has_text]


def owned_iac(infra: gitops.InfraFacts, ctx: CheckContext) -> tuple[str, list[Evidence]]:
    """The infrastructure code of this scope, as a phrase (``Terraform (infra/main.tf and 3
    more)``) and one piece of evidence per kind."""
    kinds = {k: [p for p in paths if ctx.owns(p)] for k, paths in infra.iac_kinds().items()}
    kinds = {k: v for k, v in kinds.items() if v}
    text = ", ".join(f"{kind} ({paths[0]}{f' and {len(paths) - 1} more' if len(paths) > 1 else ''})"
                     for kind, paths in sorted(kinds.items()))
    return text, [Evidence(paths[0], 0, f"{kind} infrastructure code") for kind, paths in sorted(kinds.items())]
