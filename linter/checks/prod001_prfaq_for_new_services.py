"""PROD001 prfaq-for-new-services: a new service has a press release (a PR/FAQ).

"New" is judged from git: the scope folder's first commit is within ``new_service_days`` of
``ctx.now``. Without history (no git, or files not committed yet) the service counts as new,
because that is exactly when a PR/FAQ should exist. Which documents belong to a service is
decided here (``docs_for_scope``) and shared with PROD002.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Sequence

from linter.checks.base import CheckContext, normalise_service_name
from linter.detectors import prfaq
from linter.detectors.prfaq import PrfaqDoc
from linter.records import dataclass
from linter.results import Evidence, Finding, Scope, failed, not_applicable, passed

DEFAULT_NEW_SERVICE_DAYS = 365
#: Top-level folders where teams keep documents about several services.
DOCS_DIRS = ("docs", "doc", "documentation", "design", "rfcs")
LOOKED_FOR = ("Markdown files named prfaq / pr-faq / press-release / working-backwards / faq, "
              "or titled PR/FAQ, press release, working backwards or FAQ")
MAX_LISTED = 3


@dataclass(frozen=True)
class ServiceAge:
    """Whether the scope is new, and its age in days (``None`` when git knows nothing)."""

    is_new: bool
    days: int | None
    limit: int

    def describe(self) -> str:
        if self.days is None:
            return "no git history for its folder, so it counts as new"
        return f"first commit {self.days} days ago"


def service_age(ctx: CheckContext) -> ServiceAge:
    limit = int(ctx.options.get("new_service_days", DEFAULT_NEW_SERVICE_DAYS))
    # every scope at once: one pass over the history serves all services
    first = ctx.workspace.first_commit_time(ctx.scope.path, (s.path for s in ctx.scopes))
    if first is None:
        return ServiceAge(True, None, limit)
    now = ctx.now if ctx.now.tzinfo else ctx.now.replace(tzinfo=timezone.utc)
    days = (now - datetime.fromtimestamp(first, tz=timezone.utc)).days
    return ServiceAge(days <= limit, max(days, 0), limit)


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
    mine = owners_of_docs(ctx, all_docs, "prfaq").get(ctx.scope, [])
    chosen = {id(doc) for doc in mine}
    return list(mine), [doc for doc in all_docs if id(doc) not in chosen]


def where_looked(ctx: CheckContext) -> str:
    if len(ctx.scopes) <= 1:
        return "anywhere in the repository"
    folder = "the repository root" if ctx.scope.path == "." else f"{ctx.scope.path}/"
    docs = ", ".join(f"{d}/" for d in DOCS_DIRS)
    return f"inside {folder} and under {docs} (naming '{ctx.scope.name}')"


def _paths(docs: list[PrfaqDoc]) -> str:
    listed = ", ".join(d.path for d in docs[:MAX_LISTED])
    return listed + (f" and {len(docs) - MAX_LISTED} more" if len(docs) > MAX_LISTED else "")


def check(ctx: CheckContext) -> Finding:
    age = service_age(ctx)
    if not age.is_new:
        return old_service(ctx, age)
    mine, others = docs_for_scope(ctx)
    subject = f"new service {ctx.scope.name} ({age.describe()})"
    press = [d for d in mine if d.has_press_release]
    faqs = [d for d in mine if d.has_faq]
    if press:
        evidence = [Evidence(d.path, d.title_line, f"press release ({d.matched_by})") for d in press]
        evidence += [Evidence(d.path, d.questions[0].line, f"FAQ: {len(d.questions)} questions") for d in faqs]
        if faqs:
            combined = {d.path for d in faqs} <= {d.path for d in press}
            faq_text = "FAQ in the same document" if combined else f"FAQ in {_paths(faqs)}"
            return passed(f"PR/FAQ found for {subject}: press release in {_paths(press)}, {faq_text}", evidence)
        return passed(f"Press release found for {subject} in {_paths(press)}; the FAQ is missing "
                      "(PROD002 judges it)", evidence)
    looked = f"looked for {LOOKED_FOR}, {where_looked(ctx)}"
    if faqs:
        evidence = [Evidence(d.path, d.questions[0].line, f"FAQ only: {len(d.questions)} questions") for d in faqs]
        return failed(f"Only an FAQ found for {subject} ({_paths(faqs)}): the press release is missing; "
                      "write the customer announcement (headline, problem, solution, quote, how to start)",
                      evidence)
    if mine:
        evidence = [Evidence(d.path, d.title_line, "PR/FAQ candidate without content") for d in mine]
        return failed(f"No PR/FAQ content for {subject}: {_paths(mine)} has no press-release text and "
                      f"no FAQ questions ({looked})", evidence)
    elsewhere = [d for d in others if d.has_press_release or d.has_faq]
    hint = (f"; PR/FAQ documents elsewhere that do not name this service: {_paths(elsewhere)}"
            if elsewhere else "")
    return failed(f"No PR/FAQ found for {subject}: {looked}{hint}")
