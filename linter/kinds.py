"""What a scope is (its kind) and which rules judge it (applicability).

A latency objective means something for a program that serves requests and nothing for a
library other code imports; demanding it of ``requests`` or ``ripgrep`` would make every
report red and say nothing. So every scope has a kind, every rule lists the kinds it judges
(``applies_to`` in ``rules/*.yaml``), and a rule outside a scope's kinds is
``not_applicable`` with the reason and the override, never a failure.

Kinds: ``service`` (a long-running program that is deployed: web application, API, worker,
operator), ``website`` (a site that is deployed: static or server-rendered pages),
``library`` (code other code depends on or a host application loads: packages, SDKs,
plugins such as Jenkins' and Grafana's, mixins), ``tool`` (a program people install or run
themselves: CLIs, GitHub Actions, build tools, editor and browser extensions, mobile and
desktop applications), ``infrastructure`` (IaC modules, Helm charts, platform
configuration), ``documentation`` (a repository of documents). ``unknown`` is what a scope
is when nothing says (or the signals disagree): only the rules that apply to every kind
judge it, so an unknown repository is never blamed for a service's practices.
"""

from __future__ import annotations

from typing import Iterable

from linter.catalog.model import ALL_KINDS as KINDS  # the vocabulary: defined once, with the catalog's type

UNKNOWN = "unknown"

#: One phrase per kind, for the sentences reports print.
KIND_PHRASES: dict[str, str] = {
    "service": "a service (a deployed, long-running program)",
    "website": "a website (deployed pages)",
    "library": "a library (code other code depends on)",
    "tool": "a tool (a program people install or run)",
    "infrastructure": "infrastructure (infrastructure-as-code or platform configuration)",
    "documentation": "documentation",
    UNKNOWN: "of unknown kind",
}

#: Backstage ``spec.type`` values of a Component (the documented ones and the common extras),
#: mapped to a kind. Anything else is ``unknown`` with the type quoted.
BACKSTAGE_TYPES: dict[str, str] = {
    "service": "service", "website": "website", "library": "library",
    "tool": "tool", "cli": "tool", "action": "tool", "github-action": "tool",
    "documentation": "documentation", "docs": "documentation",
    "infrastructure": "infrastructure", "iac": "infrastructure", "terraform-module": "infrastructure",
    "helm-chart": "infrastructure", "platform": "infrastructure",
    "api": "service", "backend": "service", "worker": "service", "operator": "service", "microservice": "service",
    "frontend": "website", "webapp": "website", "web": "website",
    "sdk": "library", "package": "library", "plugin": "library",
}


def applies(rule_kinds: Iterable[str], kind: str) -> bool:
    """Whether a rule that judges ``rule_kinds`` judges a scope of ``kind``: an unknown
    scope is judged only by the rules that apply to every kind."""
    wanted = frozenset(rule_kinds)
    if kind == UNKNOWN:
        return wanted >= frozenset(KINDS)
    return kind in wanted


def is_universal(rule_kinds: Iterable[str]) -> bool:
    return frozenset(rule_kinds) >= frozenset(KINDS)


def describe_kinds(rule_kinds: Iterable[str]) -> str:
    """``services and websites``, ``every kind``: the rule's kinds for a sentence."""
    wanted = [k for k in KINDS if k in frozenset(rule_kinds)]
    if len(wanted) == len(KINDS):
        return "every kind"
    plural = {"service": "services", "website": "websites", "library": "libraries", "tool": "tools",
              "infrastructure": "infrastructure", "documentation": "documentation"}
    words = [plural[k] for k in wanted]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def kind_reason_of(message: str, rule_name: str) -> str | None:
    """The part of a ``not_applicable_message`` every rule shares for one scope (``ripgrep is a
    tool: Cargo.toml declares the binary rg and nothing deploys it``), or ``None`` when
    ``message`` is not one of them. The terminal report says it once for all such rules."""
    head, found, _ = message.partition(f"; {rule_name} is judged for ")
    return head if found and head else None


def not_applicable_message(scope_name: str, kind: str, kind_reason: str, rule_name: str,
                           rule_kinds: Iterable[str], override: str) -> str:
    """Why a rule does not judge a scope, and how to make it: ``ripgrep is a tool: Cargo.toml
    declares the binary rg and nothing deploys it; tail-latency-slo is judged for services and
    websites; set `kind: service` in .practicelint.yaml if it runs as one``."""
    judged = describe_kinds(rule_kinds)
    first = next((k for k in KINDS if k in frozenset(rule_kinds)), "service")
    if kind == UNKNOWN:
        return (f"the kind of {scope_name} is unknown ({kind_reason}); {rule_name} is judged for {judged}, and a "
                f"scope of unknown kind only by the rules that apply to every kind; set `kind: {first}` "
                f"{override} if that is what it is")
    return (f"{scope_name} is {KIND_PHRASES.get(kind, kind)}: {kind_reason}; {rule_name} is judged for {judged}; "
            f"set `kind: {first}` {override} if it is one")
