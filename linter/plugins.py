"""Python plugins: rules and checks registered through the ``practicelint.plugins`` entry points.

The built-in catalog is itself the plugin ``practicelint`` (see ``pyproject.toml``), so
third-party plugins travel the same path. An entry point names a callable returning a
``Plugin``. A plugin that fails to import, returns the wrong type, or clashes with rules
already loaded is skipped with a note; it never ends a run.

Plugin rules use the plugin's own id ``prefix`` (like rule packs), so they can never take an
id a future built-in rule needs.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable

from linter.catalog import Catalog, load_catalog
from linter.catalog.model import CATEGORY_PREFIX
from linter.fast_dataclass import dataclass, field
from linter.repo.notes import Note
from linter.results import CATEGORIES, Finding

if TYPE_CHECKING:
    from linter.catalog.model import Practice, RuleSpec

GROUP = "practicelint.plugins"
BUILTIN = "practicelint"


@dataclass
class Plugin:
    """What a plugin contributes. ``checks`` maps each of its rule ids to ``check(ctx) -> Finding``."""

    name: str
    rules: list[RuleSpec | dict[str, Any]] = field(default_factory=list)
    checks: dict[str, Callable[..., Finding]] = field(default_factory=dict)
    practices: list[Practice | dict[str, Any]] = field(default_factory=list)
    prefix: str | None = None


@dataclass
class LoadedPlugins:
    catalog: Catalog
    checks: dict[str, Callable[..., Finding]]
    notes: list[Note]
    names: list[str]


def builtin() -> Plugin:
    """The packaged catalog as a plugin (its checks are imported lazily by the engine)."""
    catalog = load_catalog()
    return Plugin(name=BUILTIN, rules=list(catalog.rules.values()), practices=list(catalog.practices.values()))


PLUGIN_SECTION = "[practicelint.plugins]"
BUILTIN_ENTRY = "linter.plugins:builtin"


def third_party_plugins_present() -> bool:
    """True when an installed distribution other than practicelint registers a plugin.

    Scans ``*.dist-info/entry_points.txt`` on ``sys.path`` (a few directory listings)
    instead of importing ``importlib.metadata``, whose import alone is slower than listing.
    """
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            path = os.path.join(entry or ".", name, "entry_points.txt")
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
            except OSError:
                continue
            if PLUGIN_SECTION not in text:
                continue
            section = text.split(PLUGIN_SECTION, 1)[1].split("\n[", 1)[0]
            for line in section.splitlines():
                if "=" in line and line.split("=", 1)[1].strip() != BUILTIN_ENTRY:
                    return True
    return False


def _entry_points() -> list[Any]:
    if not third_party_plugins_present():  # skip importing importlib.metadata, slow to import
        return []
    from importlib.metadata import entry_points

    return sorted(entry_points(group=GROUP), key=lambda ep: ep.name)


def _validated(plugin: Plugin, catalog: Catalog) -> tuple[dict[str, Practice], dict[str, RuleSpec]]:
    """Validate a third-party plugin against what is loaded; ``ValueError`` explains a refusal."""
    import dataclasses

    from linter.catalog.model import ExtensionRule, Practice, RuleSpec, validate

    if not plugin.prefix or not re.fullmatch(r"[A-Z]{2,5}", plugin.prefix):
        raise ValueError("a plugin declares a `prefix` of 2-5 capital letters for its rule ids")
    if plugin.prefix in CATEGORY_PREFIX.values():
        raise ValueError(f"prefix {plugin.prefix} belongs to built-in rules")
    practices = {}
    for item in plugin.practices:
        practice = item if isinstance(item, Practice) else validate(Practice, item)
        if practice.id in catalog.practices:
            raise ValueError(f"practice {practice.id} is already defined")
        practices[practice.id] = practice
    rules = {}
    for item in plugin.rules:
        data = dataclasses.asdict(item) if isinstance(item, RuleSpec) else dict(item)
        rule_id = str(data.get("id", ""))
        if not re.fullmatch(plugin.prefix + r"[0-9]{3}", rule_id):
            raise ValueError(f"rule {rule_id!r} does not use the plugin prefix {plugin.prefix}")
        spec = validate(ExtensionRule, data)
        if spec.id in catalog.rules or any(r.name == spec.name for r in catalog.rules.values()):
            raise ValueError(f"rule {spec.id} ({spec.name}) is already defined")
        if spec.practice not in catalog.practices and spec.practice not in practices:
            raise ValueError(f"rule {spec.id}: unknown practice {spec.practice!r}")
        if not callable(plugin.checks.get(spec.id)):
            raise ValueError(f"rule {spec.id} has no check function")
        rules[spec.id] = spec
    return practices, rules


def load(entry_points: Iterable[Any] | None = None) -> LoadedPlugins:
    """Every plugin, the built-in one first; failures become notes."""
    catalog = load_catalog()
    checks: dict[str, Callable[..., Finding]] = {}
    notes: list[Note] = []
    names = [BUILTIN]
    for ep in (_entry_points() if entry_points is None else entry_points):
        if ep.name == BUILTIN:
            continue  # the built-in catalog is already loaded above (and without entry points from source)
        where = f"plugin:{ep.name}"
        try:
            factory = ep.load()
            plugin = factory() if callable(factory) else factory
            if not isinstance(plugin, Plugin):
                raise TypeError(f"expected a linter.plugins.Plugin, got {type(plugin).__name__}")
            practices, rules = _validated(plugin, catalog)
        except Exception as exc:  # noqa: BLE001 - a broken plugin is reported and skipped
            notes.append(Note(where, f"plugin not loaded: {type(exc).__name__}: {exc}"))
            continue
        merged = {**catalog.rules, **rules}
        ordered = sorted(merged.items(), key=lambda kv: (CATEGORIES.index(kv[1].category), kv[0]))
        catalog = Catalog(practices={**catalog.practices, **practices}, rules=dict(ordered))
        checks.update({rule_id: plugin.checks[rule_id] for rule_id in rules})
        names.append(plugin.name or ep.name)
    return LoadedPlugins(catalog=catalog, checks=checks, notes=notes, names=names)


@lru_cache(maxsize=1)
def load_cached() -> LoadedPlugins:
    return load()
