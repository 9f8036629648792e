"""The practice and rule catalog: ``practices/*.yaml`` and ``rules/*.yaml`` read into the
classes of ``linter.catalog.model`` (one definition each; pydantic validates them where data
comes from outside the package)."""

from linter.catalog.loader import Catalog, CatalogError, load_catalog
from linter.catalog.model import OptionSpec, Practice, RuleSpec

__all__ = ["Catalog", "CatalogError", "OptionSpec", "Practice", "RuleSpec", "load_catalog"]
