"""Rule documentation, generated from the catalog: one source for ``explain`` and ``docs/rules.md``.

Each rule is documented in ruff's fixed sections: what it checks, why it matters (with the
practice and the digest section behind it), what counts as evidence, options, how to fix,
and a minimal passing example.
"""

from __future__ import annotations

from linter.catalog import Catalog, RuleSpec


def anchor(rule: RuleSpec) -> str:
    """The GitHub heading anchor of a rule's section in ``docs/rules.md``."""
    return f"{rule.id.lower()}-{rule.name}"


def _options_table(rule: RuleSpec) -> list[str]:
    if not rule.options:
        return ["This rule has no options."]
    lines = ["| option | type | default | meaning |", "|---|---|---|---|"]
    for name, spec in rule.options.items():
        lines.append(f"| `{name}` | {spec.type} | `{spec.default}` | {spec.description} |")
    return lines


def rule_markdown(rule: RuleSpec, catalog: Catalog, heading: str = "##") -> str:
    practice = catalog.practices[rule.practice]
    parts = [
        f"{heading} {rule.id} {rule.name}",
        "",
        f"*{rule.category} · {rule.severity} · {rule.scope} scope · practice `{practice.id}`*",
        "",
        f"{heading}# What it checks",
        rule.summary,
        "",
        f"{heading}# Why it matters",
        rule.rationale,
        "",
        f"Practice: **{practice.title}** — {practice.why} (digest: {practice.digest_section})",
        "",
        f"{heading}# What counts as evidence",
        rule.evidence,
        "",
        f"{heading}# Options",
        *_options_table(rule),
        "",
        f"{heading}# How to fix",
        rule.remediation,
    ]
    if rule.example.strip():
        lang = "yaml" if ":" in rule.example.splitlines()[0] or rule.example.lstrip().startswith("#") else ""
        parts += ["", f"{heading}# Example", f"```{lang}", rule.example.rstrip("\n"), "```"]
    return "\n".join(parts) + "\n"


def rules_table(catalog: Catalog, links: bool = True) -> str:
    lines = ["| id | name | category | severity | scope | practice |", "|---|---|---|---|---|---|"]
    for rule in catalog.rules.values():
        name = f"[{rule.name}](#{anchor(rule)})" if links else rule.name
        lines.append(f"| {rule.id} | {name} | {rule.category} | {rule.severity} | {rule.scope} | {rule.practice} |")
    return "\n".join(lines) + "\n"


def rules_document(catalog: Catalog) -> str:
    """The whole of ``docs/rules.md``."""
    parts = [
        "# practicelint rules",
        "",
        "Generated from `rules/*.yaml` and `practices/*.yaml` by `make docs`; do not edit by hand.",
        "",
        rules_table(catalog),
    ]
    for rule in catalog.rules.values():
        parts += [rule_markdown(rule, catalog)]
    unchecked = [p for p in catalog.practices.values() if not p.checkable]
    if unchecked:
        parts += ["## Practices that cannot be checked in a repository", ""]
        parts += [f"- **{p.title}** ({p.category}): {p.not_checkable_reason}" for p in unchecked]
        parts += [""]
    return "\n".join(parts)


def explain_text(rule: RuleSpec, catalog: Catalog) -> str:
    """``practicelint explain RULE``: the same sections, as plain Markdown for a terminal."""
    return rule_markdown(rule, catalog, heading="#")
