"""The practice and rule catalog: YAML files read into ``entries`` records.

``OptionSpec``, ``Practice`` and ``RuleSpec`` are the pydantic models that validate them;
they are imported on first use, so a run that only reads the catalog never imports pydantic.
"""

from typing import Any

from linter.catalog.loader import Catalog, CatalogError, load_catalog

__all__ = ["Catalog", "CatalogError", "OptionSpec", "Practice", "RuleSpec", "load_catalog"]


def __getattr__(name: str) -> Any:
    if name in ("OptionSpec", "Practice", "RuleSpec"):
        from linter.catalog import models

        return getattr(models, name)
    raise AttributeError(f"module 'linter.catalog' has no attribute {name!r}")
