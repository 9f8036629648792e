"""A fast path for commands that only list the catalog (``practicelint rules``).

Importing pydantic and validating every catalog file costs more than the rest of such a
command together, so ``rules`` reads the packaged YAML directly with the C loader. The
packaged catalog is validated by the test suite (``tests/catalog``) and by every ``check``
run; this path is only taken when nothing but the packaged catalog is involved: no
third-party plugin is installed and the working directory's configuration adds no rule
packs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import yaml

from linter.results_order import CATEGORIES

PLUGIN_GROUP = "[practicelint.plugins]"
BUILTIN_ENTRY = "linter.plugins:builtin"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def third_party_plugins_present() -> bool:
    """True when an installed distribution other than practicelint registers a plugin.

    Scans ``*.dist-info/entry_points.txt`` on ``sys.path`` (a few directory listings)
    instead of importing ``importlib.metadata``, which alone costs ~25 ms.
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
            if PLUGIN_GROUP not in text:
                continue
            section = text.split(PLUGIN_GROUP, 1)[1].split("\n[", 1)[0]
            for line in section.splitlines():
                if "=" in line and line.split("=", 1)[1].strip() != BUILTIN_ENTRY:
                    return True
    return False


def cwd_config_may_add_rules(directory: Path) -> bool:
    """Whether the configuration in ``directory`` could add rules (rule packs, or parents that might)."""
    for name in (".practicelint.yaml", ".practicelint.yml", "pyproject.toml"):
        try:
            text = (directory / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if name == "pyproject.toml" and "[tool.practicelint" not in text:
            continue
        return any(word in text for word in ("rule-packs", "rule_packs", "extends"))
    return False


def catalog_dirs() -> tuple[Path, Path]:
    """``(practices, rules)`` folders: packaged in the wheel, or the checkout's top level."""
    packaged = Path(__file__).resolve().parent / "_catalog"
    if (packaged / "rules").is_dir():
        return packaged / "practices", packaged / "rules"
    source = Path(__file__).resolve().parents[1]
    return source / "practices", source / "rules"


def rule_rows() -> list[dict[str, Any]]:
    """``id, name, category, severity, scope, practice, summary`` of every packaged rule, in order."""
    _, rules_dir = catalog_dirs()
    rows = []
    for path in sorted(rules_dir.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        rows.append({key: data[key] for key in ("id", "name", "category", "severity", "scope", "practice", "summary")})
    rows.sort(key=lambda r: (CATEGORIES.index(r["category"]), r["id"]))
    return rows
