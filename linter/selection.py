"""Which rules run, with which options and severities: the configuration checked against the catalog.

Kept apart from ``linter.config`` (the pydantic model that validates configuration files) so
that a run without a configuration file never imports pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linter.errors import ConfigError
from linter.repo.yamlio import LineDict

if TYPE_CHECKING:
    from linter.catalog import Catalog
    from linter.config import Config


def suggest(word: str, choices: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or nothing."""
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def resolve_rule_settings(config: Config, catalog: Catalog) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Validate ``rules:`` options and ``severity:`` overrides against the catalog.

    Returns options and severities keyed by rule id. Raises ``ConfigError``.
    """
    source = config.source or "configuration"
    lines: Any = config._lines or {}
    rule_keys = sorted(list(catalog.rules) + [r.name for r in catalog.rules.values()])

    def where(*path: Any) -> str:
        """``file:line`` of the deepest part of ``path`` that the YAML source located."""
        line = 0
        node: Any = lines
        for part in path:
            if isinstance(node, LineDict) and part in node:
                line = node.line_of(part)
                node = node[part]
            else:
                break
        return f"{source}:{line}" if line else source

    options: dict[str, dict[str, Any]] = {}
    for key, values in config.rules.items():
        rule = catalog.rule(key)
        if rule is None:
            raise ConfigError(f"{where('rules', key)}: rules.{key}: unknown rule{suggest(key, rule_keys)}")
        merged = rule.default_options()
        for opt, value in (values or {}).items():
            spec = rule.options.get(opt)
            if spec is None:
                hint = suggest(str(opt), list(rule.options)) or (
                    f" ({rule.id} has no options)" if not rule.options else f" (options: {', '.join(rule.options)})")
                raise ConfigError(f"{where('rules', key, opt)}: rules.{key}.{opt}: unknown option{hint}")
            try:
                merged[opt] = spec.coerce(value)
            except ValueError as exc:
                raise ConfigError(f"{where('rules', key, opt)}: rules.{key}.{opt}: {exc}") from None
        options[rule.id] = merged
    severities: dict[str, str] = {}
    for key, level in config.severity.items():
        rule = catalog.rule(key)
        if rule is None:
            raise ConfigError(f"{where('severity', key)}: severity.{key}: unknown rule{suggest(key, rule_keys)}")
        severities[rule.id] = level
    return options, severities


def rule_matches(catalog: Catalog, rule_id: str, token: str) -> bool:
    """A selector matches a rule by id prefix (``SEC``, ``PERF001``), by name, or ``ALL``."""
    token = token.strip()
    return token.upper() == "ALL" or rule_id.startswith(token.upper()) or catalog.rules[rule_id].name == token


def select_rules(catalog: Catalog, select: list[str] | None, ignore: list[str],
                 extend: list[str] | None = None) -> list[str]:
    """Rule ids chosen by ids, id prefixes (``SEC``, ``PERF0``) or names; ``ALL`` selects all.

    ``extend`` (``extend-select``) adds rules to what ``select`` chose; ``ignore`` wins over both.
    """

    def matches(rule_id: str, token: str) -> bool:
        return rule_matches(catalog, rule_id, token)

    def check_tokens(tokens: list[str], flag: str) -> None:
        for token in tokens:
            if not any(matches(rid, token) for rid in catalog.rules):
                choices = list(catalog.rules) + [r.name for r in catalog.rules.values()]
                raise ConfigError(f"{flag}: {token}: matches no rule{suggest(token, choices)}")

    chosen = list(catalog.rules)
    if select:
        check_tokens(select, "select")
        extra = extend or []
        check_tokens(extra, "extend-select")
        chosen = [rid for rid in chosen if any(matches(rid, t) for t in [*select, *extra])]
    if ignore:
        check_tokens(ignore, "ignore")
        chosen = [rid for rid in chosen if not any(matches(rid, t) for t in ignore)]
    return chosen
